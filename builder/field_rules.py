"""One rule per Posting field: read it from what was found, else fall back, and say which."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from builder import fields, pay, places, seniority, timezones
from builder.curated import KEY_ALIASES, as_list, clean, flag
from builder.formats import Found, smart_title
from builder.model import Region, Salary, Seniority, Tag
from builder.normalize import summarize_text
from builder.reporter import Reporter
from builder.slugs import SLUG_LENGTH
from builder.taxonomy import Taxonomy

SAFE_URL = re.compile(r"(https?://|mailto:)\S+\Z", re.IGNORECASE)
_LIST_FIX = "write the regions as a YAML list: [Canada, United States]"
# Google Jobs lists a fully remote job only with the places its applicants may live in.
_REGIONS_FIX = "add `regions:` in front matter, e.g. [Worldwide] or [Europe, United States]"
_SALARY_FIX = "write it like `$120k–150k` or `€90,000 - €115,000 EUR`"
_TAG_FIX = "add it to content/_taxonomy.yml, or use one of its names or aliases"
_WINDOW_FIX = "write it like `UTC-3 to UTC+3`, `GMT+1 ± 2 hours` or `CET`, or `false` for none"
_LEVEL_FIX = f"write one of {', '.join(seniority.LEVELS)}, or `false` for none"


def title_of(found: Found, text: str, note: Reporter) -> str:
    """Return the title, else the description's first sentence."""
    title = clean(found.get("title"))
    if title:
        note.took("title", "title")
        return title
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    fallback = summarize_text(sentence, 80) or "Untitled posting"
    note.missing("title", "title", f'"{fallback}"')
    note.took("title", fallback="no title found: the description's first sentence")
    return fallback


def company_of(found: Found, note: Reporter) -> str:
    """Return the company, or none: a posting is never published under a made-up name."""
    company = clean(found.get("company"))
    if company:
        note.took("company", "company")
        return smart_title(company)
    note.fail("no company found; the posting shows none", "add `company:` in front matter")
    note.took("company", fallback="no company found")
    return ""


def location_of(found: Found, note: Reporter) -> str:
    """Return the location as one line, or none."""
    location = clean(found.get("location"))
    if location:
        note.took("location", "location")
    return location


def regions_of(found: Found, remote: bool, note: Reporter) -> tuple[Region, ...]:
    """Return the regions given, else those the location names."""
    # Given by front matter, JSON-LD or the ad's sentences; a name that is no region is
    # reported, never made a page.
    location = clean(found.get("location"))
    if "regions" in found:
        regions = _named_regions(found["regions"], note)
        if regions:
            note.took("regions", "regions")
            return regions
    regions = fields.regions_in(location, codes=True)
    if regions:
        note.took("regions", fallback=f"read from the location ({note.sources['location']})")
    if not location and not regions:
        note.missing("location", "location", '"Remote"')
    elif remote and not regions:
        what = f"location {location!r} names no region applicants may live in"
        note.warn(what, _REGIONS_FIX, "location")
    return regions


def _named_regions(value: Any, note: Reporter) -> tuple[Region, ...]:
    """Read a list of region names; warn of each that names no region ("Germny", "[]")."""
    if isinstance(value, tuple) and all(isinstance(item, Region) for item in value):
        return value  # found in the ad's sentences
    by_slug: dict[str, Region] = {}
    for name in as_list(value, ",;/") or [""]:
        named = places.regions_named(name)
        if not named:
            what = f"region {name!r} is not a country or region the board knows"
            note.warn(what, "write a country (name or ISO code) or a region such as Europe, "
                      "EMEA or Worldwide", "regions")  # fmt: skip
        if re.match(r"\s*[\[{'\"]", name) and named:
            note.warn(f"regions {name!r} is a list written as text", _LIST_FIX, "regions")
        for region in named:
            by_slug.setdefault(region.slug, region)  # "Nordics, nordics" is one region
    return tuple(by_slug.values())


def remote_of(found: Found, note: Reporter) -> bool:
    """Return whether the job is remote: as flagged, else as the location says."""
    if "remote" in found and not isinstance(found["remote"], dict | list):
        note.took("remote", "remote")
        return flag(found["remote"])
    location = clean(found.get("location"))
    # A board of remote jobs: remote unless a location is given that does not say so.
    if location:
        note.took("remote", fallback=f"read from the location ({note.sources['location']})")
        return fields.is_remote_text(location)
    note.took("remote", fallback="the board's default: no location given, so remote")
    return True


def employment_type_of(found: Found, note: Reporter) -> str | None:
    """Return the schema.org employment type, or none."""
    kind = fields.parse_employment_type(found.get("employment_type"))
    if kind:
        note.took("employment_type", "employment_type")
    else:
        note.missing("employment type", "employment_type")
    return kind


def salary_of(found: Found, note: Reporter) -> Salary | None:
    """Return the salary, if one is given with an amount and currency."""
    if "salary" not in found:
        return None
    salary = pay.parse_salary(found["salary"])
    if salary:
        note.took("salary", "salary")
    else:
        note.warn(f"salary {found['salary']!r} has no amount and currency", _SALARY_FIX, "salary")
    return salary


def apply_url_of(found: Found, note: Reporter) -> str | None:
    """Return the apply URL, if it is http(s) or mailto."""
    url = clean(found.get("apply_url"))
    if url and SAFE_URL.match(url):
        note.took("apply_url", "apply_url")
        return url
    if url:
        what = f"apply URL {url!r} is not http(s) or mailto; left out"
        note.warn(what, "fix `apply_url:`", "apply_url")
    else:
        note.missing("apply URL", "apply_url")
    return None


def tags_of(found: Found, text: str, taxonomy: Taxonomy, note: Reporter) -> tuple[Tag, ...]:
    """Tag the skills the title and description mention, then the curator's (kept if unknown)."""
    tags = list(taxonomy.tag_text(clean(found.get("title")) + "\n" + text))
    for name in _tag_names(found.get("tags")):
        tag = taxonomy.resolve(name)
        if not tag:
            tag = taxonomy.unknown(name)
            tag = replace(tag, slug=fields.portable(tag.slug[:SLUG_LENGTH].rstrip("-")))
            note.warn(f"tag {name!r} is not in the taxonomy", _TAG_FIX, "tags")
        tags.append(tag)
    rule = "the taxonomy's skills named in the title and description"
    curated = f"; and {note.sources['tags']}" if "tags" in note.sources else ""
    note.took("tags", fallback=rule + curated)
    return tuple(dict.fromkeys(tags))


def _tag_names(value: Any) -> list[str]:
    """Read the curator's tag names, skipping empty ones."""
    return [name for name in as_list(value, ",") if name]


def seniority_of(found: Found, note: Reporter) -> Seniority | None:
    """Return the level front matter gives, else the one the title names, else none."""
    given = found.get("seniority")
    if given is False:  # `seniority: false`: the curator says the title names no level
        note.took("seniority", "seniority")
        return None
    level = seniority.given_level(given) if "seniority" in found else None
    if level:
        note.took("seniority", "seniority")
        return level
    if "seniority" in found:
        what = f"seniority {clean(given)!r} is not a level the board knows; read from the title"
        note.warn(what, _LEVEL_FIX, "seniority", *KEY_ALIASES["seniority"])
    return _title_level(clean(found.get("title")), note)


def _title_level(title: str, note: Reporter) -> Seniority | None:
    """Return the level the title's words name, saying which words; none when they name none."""
    named = seniority.title_level(title)
    if named:
        note.took("seniority", fallback=f'the title, which says "{named[1]}"')
        return named[0]
    note.took("seniority", fallback="no level named in the title")
    return None


def timezones_of(found: Found, text: str, note: Reporter) -> tuple[int, int] | None:
    """Return the working-hours window front matter gives, else the one the description
    states, else none: the board never guesses one."""
    given = found.get("timezones")
    if given is False:  # `timezones: false`: the curator says the ad states no window
        note.took("timezone_window", "timezones")
        return None
    if "timezones" in found:
        window = _given_window(given)
        if window:
            note.took("timezone_window", "timezones")
            return window
        what = f"timezones {clean(given)!r} is not a window the board reads; read from the text"
        note.warn(what, _WINDOW_FIX, "timezones", *KEY_ALIASES["timezones"])
    stated = timezones.window_in(text)
    if stated:
        note.took("timezone_window", fallback=f'the description, which says "{stated[1]}"')
        return stated[0]
    note.took("timezone_window", fallback="no working-hours window stated in the description")
    return None


def _given_window(value: Any) -> tuple[int, int] | None:
    """Read `timezones:` as text (`UTC-3 to UTC+3`) or as `{from: -3, to: 3}`."""
    if isinstance(value, dict):
        low, high = value.get("from"), value.get("to")
        ends = [end for end in (low, high) if isinstance(end, int) and not isinstance(end, bool)]
        if len(ends) == 2 and all(
            timezones.WIDEST[0] <= end <= timezones.WIDEST[1] for end in ends
        ):
            return min(ends), max(ends)
        return None
    if isinstance(value, str):
        return timezones.parse_window(value)
    return None


def draft_of(found: Found, note: Reporter) -> bool:
    """Return whether the posting is a draft."""
    if "draft" in found:
        note.took("draft", "draft")
    return flag(found.get("draft"))


def identifier_of(found: Found, note: Reporter) -> str:
    """Return the posting's own identifier, or none."""
    identifier = clean(found.get("identifier"))
    if identifier:
        note.took("identifier", "identifier")
    return identifier
