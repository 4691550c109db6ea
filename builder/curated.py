"""The curator's front matter: the keys and aliases read, and how their values are read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from builder import fields
from builder.formats import Found, Sources, is_placeholder, present
from builder.model import RawPosting

CURATED_KEYS = (
    "title", "company", "date", "updated", "expires", "valid_through", "location", "regions",
    "remote", "employment_type", "salary", "apply_url", "tags", "draft", "slug", "seniority",
    "timezones",
)  # fmt: skip
# Other keys the sources curators copy from use for a field, in the order they are tried
# after the field's own key (README, "Front matter keys").
KEY_ALIASES = {
    "company": ("summary", "company_name", "employer", "organization", "hiring_organization"),
    "date": ("created", "posted", "published", "post-date", "post_date", "date_posted",
             "datePosted", "date-posted", "posted_at", "created_at", "published_at"),
    "employment_type": ("contract", "job_type", "job-type", "type", "employment", "commitment"),
    "apply_url": ("apply", "apply_link", "application_url", "url", "link"),
    "title": ("position", "job_title", "role"),
    "seniority": ("seniority_level", "experience_level", "level"),
    "timezones": ("timezone", "time_zones", "time_zone"),
}  # fmt: skip


def curated_fields(front_matter: Mapping[str, Any]) -> tuple[Found, dict[str, str]]:
    """Read front matter fields, each by its own key or the first alias given, and the key used."""
    keys = {key: key for key in CURATED_KEYS if key in front_matter}
    for field_name, aliases in KEY_ALIASES.items():
        given = [alias for alias in aliases if not is_placeholder(front_matter.get(alias))]
        if field_name not in keys and given:
            keys[field_name] = given[0]
    if "expires" in keys:
        keys["valid_through"] = keys.pop("expires")
    found = present({field_name: front_matter[key] for field_name, key in keys.items()})
    if keys.get("employment_type") == "contract":  # `contract: 6 month` is a contract
        kind = fields.parse_employment_type(found.get("employment_type"))
        found["employment_type"] = kind if kind not in (None, "OTHER") else "CONTRACTOR"
    return found, {field_name: keys[field_name] for field_name in found}


def curated_sources(raw: RawPosting, keys: dict[str, str]) -> Sources:
    """Name the front matter key, and its line, each curated field came from."""
    lines = raw.front_matter_lines
    return {
        key: f"front matter `{name}`" + (f" (line {lines[name]})" if name in lines else "")
        for key, name in keys.items()
    }


def clean(value: Any) -> str:
    """Flatten a field to one line of text, whatever YAML or JSON type it came as."""
    if isinstance(value, dict):
        value = value.get("name", "")
    elif isinstance(value, list | tuple):
        value = ", ".join(clean(item) for item in value)
    return " ".join(str(value if value is not None else "").split())


def as_list(value: Any, separators: str) -> list[str]:
    """Read a YAML list, or a string of items split by any of `separators`, as strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(f"[{re.escape(separators)}]", value)]
    items = value if isinstance(value, list | tuple) else [value]
    return [clean(item) for item in items if not isinstance(item, dict | list)]


def flag(value: Any) -> bool:
    """Read a YAML flag, where a curator may also have written "yes" or "false" as text."""
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "on", "1"}
    return bool(value)
