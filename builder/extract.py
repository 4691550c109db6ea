"""Extract a Posting: what the format offers, then the curator's front matter, then fallbacks."""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from slugify import slugify

from builder import fields, pay, places, prose
from builder.formats import FORMAT_RULES, Found, Sources, is_placeholder, present, smart_title
from builder.language import language_of
from builder.model import DatedBy, Posting, RawPosting, Region, Salary, Tag
from builder.normalize import html_to_text, links_in, summarize_text
from builder.problems import Problem, error, warning
from builder.taxonomy import Taxonomy

SAFE_URL = re.compile(r"(https?://|mailto:)\S+\Z", re.IGNORECASE)
SLUG_LENGTH = 80
EXPIRY_NOTICE = timedelta(days=7)  # warn that a posting is about to close this long before
# Where a date posted comes from when the posting gives none: never "in the future" on purpose.
GIT_ADDED = "git: the date of the commit that added the file"
BUILD_DATE = "the build date (--now)"


@dataclass(frozen=True)
class Context:
    """What extraction needs beyond the file: the taxonomy and the build's clock."""

    taxonomy: Taxonomy
    now: datetime
    first_seen: Mapping[str, datetime]  # source path -> date of the commit that added it
    last_changed: Mapping[str, datetime] = field(default_factory=dict)  # source -> its last edit
    max_age: timedelta | None = None  # the board closes postings without an expiry after this


def extract(raw: RawPosting, context: Context) -> tuple[Posting, list[Problem]]:
    """Build a Posting from what the format offers, overlaid with the curator's front matter."""
    found, sources, description_html = FORMAT_RULES[raw.format](raw)
    found = present(found)
    curated, keys = _curated(raw.front_matter)
    found.update(curated)
    sources.update(_curated_sources(raw, keys))
    text = html_to_text(description_html)  # what tagging and summaries read
    prose.read_prose(found, sources, text, links_in(description_html))
    note = _Reporter(raw, sources)
    if raw.reading:
        note.took("read", fallback=raw.reading)
    company = _company(found, note)
    date_posted, dated_by = _date_posted(found, raw.source, context, note)
    remote = _remote(found, note)
    own_expiry = _valid_through(found, note)
    posting = Posting(
        source=raw.source,
        slug=_slug(found, note),
        title=_title(found, text, note),
        company=company,
        company_slug=fields.portable(slugify(company, max_length=SLUG_LENGTH)) if company else "",
        date_posted=date_posted,
        dated_by=dated_by,
        date_modified=_date_modified(found, raw.source, context, note),
        description_html=description_html,
        summary=summarize_text(text),
        valid_through=own_expiry or _board_expiry(date_posted, context, note),
        location=_location(found, note),
        regions=_regions(found, remote, note),
        remote=remote,
        employment_type=_employment_type(found, note),
        salary=_salary(found, note),
        apply_url=_apply_url(found, note),
        tags=_tags(found, text, context.taxonomy, note),
        draft=_draft(found, note),
        identifier=_identifier(found, note),
        index=raw.index,
        language=language_of(text),
    )
    _warn_about_markup(posting, note)
    _warn_about_age(posting, own_expiry is None, context, note)
    return replace(posting, provenance=tuple(note.provenance.items())), note.problems


def _warn_about_markup(posting: Posting, note: _Reporter) -> None:
    """Say why a page carries no Google Jobs markup: a required property is not known."""
    gaps = [gap for gap in posting.markup_gaps if gap != "company"]  # that one is an error
    if gaps and not posting.draft:
        what = f"the page carries no Google Jobs markup: it needs `{'`, `'.join(gaps)}`"
        fix = "add " + " and ".join(f"`{gap}:`" for gap in gaps) + " in front matter"
        note.warn(what, fix, *gaps)


class _Reporter:
    """Collect one posting's warnings, each on the front matter line it concerns."""

    def __init__(self, raw: RawPosting, sources: Sources) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        self.sources = sources  # where the format or the front matter gave each key
        self.provenance: dict[str, str] = {}  # where each Posting field's value came from
        # A JSON list of postings shares one file: say which posting a warning is about.
        self.prefix = f"posting {raw.index + 1} of {raw.count}: " if raw.count > 1 else ""

    def missing(self, what: str, key: str, fallback: str = "") -> None:
        message = f"no {what} found" + (f"; using {fallback}" if fallback else "")
        self.warn(message, f"add `{key}:` in front matter")

    def took(self, field_name: str, key: str = "", fallback: str = "") -> None:
        """Record that a field came from a found key, else from a fallback rule."""
        source = self.sources.get(key, fallback) if key else fallback
        # Interned: the same few labels recur in every posting, and the build cache then
        # stores and loads each once instead of once per posting.
        self.provenance[sys.intern(field_name)] = sys.intern(source)

    def fail(self, message: str, fix: str) -> None:
        """Report what the posting cannot be published without (it builds under --keep-going)."""
        self.problems.append(error(self.raw.source, self.prefix + message, fix, None))

    def warn(self, message: str, fix: str, *keys: str) -> None:
        lines = [self.raw.front_matter_lines[k] for k in keys if k in self.raw.front_matter_lines]
        line = lines[0] if lines else None
        self.problems.append(warning(self.raw.source, self.prefix + message, fix, line))


# --- the curator's front matter ---------------------------------------------------------

CURATED_KEYS = (
    "title", "company", "date", "updated", "expires", "valid_through", "location", "regions",
    "remote", "employment_type", "salary", "apply_url", "tags", "draft", "slug",
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
}  # fmt: skip


def _curated(front_matter: Mapping[str, Any]) -> tuple[Found, dict[str, str]]:
    """Front matter fields, each by its own key or the first alias given, and the key used."""
    keys = {key: key for key in CURATED_KEYS if key in front_matter}
    for field_name, aliases in KEY_ALIASES.items():
        given = [alias for alias in aliases if not is_placeholder(front_matter.get(alias))]
        if field_name not in keys and given:
            keys[field_name] = given[0]
    if "expires" in keys:
        keys["valid_through"] = keys.pop("expires")
    curated = present({field_name: front_matter[key] for field_name, key in keys.items()})
    if keys.get("employment_type") == "contract":  # `contract: 6 month` is a contract
        kind = fields.parse_employment_type(curated.get("employment_type"))
        curated["employment_type"] = kind if kind not in (None, "OTHER") else "CONTRACTOR"
    return curated, {field_name: keys[field_name] for field_name in curated}


def _curated_sources(raw: RawPosting, keys: dict[str, str]) -> Sources:
    """Name the front matter key, and its line, each curated field came from."""
    lines = raw.front_matter_lines
    return {
        key: f"front matter `{name}`" + (f" (line {lines[name]})" if name in lines else "")
        for key, name in keys.items()
    }


# --- one function per field, each with its fallback -------------------------------------


def _clean(value: Any) -> str:
    """Flatten a field to one line of text, whatever YAML or JSON type it came as."""
    if isinstance(value, dict):
        value = value.get("name", "")
    elif isinstance(value, list | tuple):
        value = ", ".join(_clean(item) for item in value)
    return " ".join(str(value if value is not None else "").split())


def _title(found: Found, text: str, note: _Reporter) -> str:
    title = _clean(found.get("title"))
    if title:
        note.took("title", "title")
        return title
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    fallback = summarize_text(sentence, 80) or "Untitled posting"
    note.missing("title", "title", f'"{fallback}"')
    note.took("title", fallback="no title found: the description's first sentence")
    return fallback


def _valid_through(found: Found, note: _Reporter) -> datetime | None:
    if "valid_through" not in found:
        return None
    moment = fields.parse_date(found["valid_through"], end_of_day=True)
    if moment is None:
        what = f"expiry {found['valid_through']!r} is not a date"
        note.warn(what, "write it as YYYY-MM-DD", "expires", "valid_through")
    else:
        note.took("valid_through", "valid_through")
    return moment


def _company(found: Found, note: _Reporter) -> str:
    """The company, or none: a posting is never published under a made-up name."""
    company = _clean(found.get("company"))
    if company:
        note.took("company", "company")
        return smart_title(company)
    note.fail("no company found; the posting shows none", "add `company:` in front matter")
    note.took("company", fallback="no company found")
    return ""


def _date_posted(
    found: Found, source: str, context: Context, note: _Reporter
) -> tuple[datetime, DatedBy]:
    if "date" in found:
        posted = fields.parse_date(found["date"])
        if posted:
            note.took("date_posted", "date")
            return posted, "posting"
        note.warn(f"date {found['date']!r} is not a date", "write it as YYYY-MM-DD", "date")
    fallback = context.first_seen.get(source)
    label = "the date of the commit that added the file" if fallback else "the build date"
    note.missing("date", "date", label)
    note.took("date_posted", fallback=GIT_ADDED if fallback else BUILD_DATE)
    return (fallback, "git") if fallback else (context.now, "build")


def _date_modified(found: Found, source: str, context: Context, note: _Reporter) -> datetime | None:
    """The curator's `updated`, else the last change git knows of, else nothing."""
    if "updated" in found:
        moment = fields.parse_date(found["updated"])
        if moment:
            note.took("date_modified", "updated")
            return moment
        note.warn(
            f"updated {found['updated']!r} is not a date", "write it as YYYY-MM-DD", "updated"
        )
    if source in context.last_changed:
        note.took("date_modified", fallback=_GIT_CHANGED)
    return context.last_changed.get(source)


_GIT_CHANGED = "git: the last commit that changed the file (the build date while it is edited)"


def _board_expiry(date_posted: datetime, context: Context, note: _Reporter) -> datetime | None:
    """Close a posting without an expiry once it is older than the board's maximum age."""
    if not context.max_age:
        return None
    note.took("valid_through", fallback=_MAX_AGE_RULE.format(days=context.max_age.days))
    return date_posted + context.max_age


_MAX_AGE_RULE = "the board's maximum age: date posted + {days} days (max_age_days in site.toml)"


def _warn_about_age(posting: Posting, aged_out: bool, context: Context, note: _Reporter) -> None:
    """Warn that an open posting closes within a week, or is older than the board allows."""
    closes = posting.valid_through
    if closes and context.now <= closes <= context.now + EXPIRY_NOTICE:
        what = f"expires within 7 days, on {closes:%Y-%m-%d}"
        fix = "set a later `expires:` if the job is still open; it closes by itself otherwise"
        note.warn(what, fix, "expires", "valid_through")
    age = context.now - posting.date_posted
    if context.max_age and age > context.max_age and aged_out:
        what = (
            f"older than the board's maximum age of {context.max_age.days} days "
            f"(posted {posting.date_posted:%Y-%m-%d}), so it is closed"
        )
        fix = "delete the file, or set `expires:` in front matter if the job is still open"
        note.warn(what, fix, "date")


def _regions(found: Found, remote: bool, note: _Reporter) -> tuple[Region, ...]:
    """The regions given (front matter, JSON-LD, the ad's sentences), else those the location
    names; each name that is no region is reported, never made a page."""
    location = _clean(found.get("location"))
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


def _named_regions(value: Any, note: _Reporter) -> tuple[Region, ...]:
    """Read a list of region names; warn of each that names no region ("Germny", "[]")."""
    if isinstance(value, tuple) and all(isinstance(item, Region) for item in value):
        return value  # found in the ad's sentences
    by_slug: dict[str, Region] = {}
    for name in _as_list(value, ",;/") or [""]:
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


_LIST_FIX = "write the regions as a YAML list: [Canada, United States]"
# Google Jobs lists a fully remote job only with the places its applicants may live in.
_REGIONS_FIX = "add `regions:` in front matter, e.g. [Worldwide] or [Europe, United States]"


def _remote(found: Found, note: _Reporter) -> bool:
    if "remote" in found and not isinstance(found["remote"], dict | list):
        note.took("remote", "remote")
        return _flag(found["remote"])
    location = _clean(found.get("location"))
    # A board of remote jobs: remote unless a location is given that does not say so.
    if location:
        note.took("remote", fallback=f"read from the location ({note.sources['location']})")
        return fields.is_remote_text(location)
    note.took("remote", fallback="the board's default: no location given, so remote")
    return True


def _location(found: Found, note: _Reporter) -> str:
    location = _clean(found.get("location"))
    if location:
        note.took("location", "location")
    return location


def _employment_type(found: Found, note: _Reporter) -> str | None:
    kind = fields.parse_employment_type(found.get("employment_type"))
    if kind:
        note.took("employment_type", "employment_type")
    else:
        note.missing("employment type", "employment_type")
    return kind


def _salary(found: Found, note: _Reporter) -> Salary | None:
    if "salary" not in found:
        return None
    salary = pay.parse_salary(found["salary"])
    if salary:
        note.took("salary", "salary")
    else:
        note.warn(f"salary {found['salary']!r} has no amount and currency", _SALARY_FIX, "salary")
    return salary


_SALARY_FIX = "write it like `$120k–150k` or `€90,000 - €115,000 EUR`"


def _apply_url(found: Found, note: _Reporter) -> str | None:
    url = _clean(found.get("apply_url"))
    if url and SAFE_URL.match(url):
        note.took("apply_url", "apply_url")
        return url
    if url:
        what = f"apply URL {url!r} is not http(s) or mailto; left out"
        note.warn(what, "fix `apply_url:`", "apply_url")
    else:
        note.missing("apply URL", "apply_url")
    return None


def _tags(found: Found, text: str, taxonomy: Taxonomy, note: _Reporter) -> tuple[Tag, ...]:
    """Skills the title and description mention, then the curator's tags (kept if unknown)."""
    tags = list(taxonomy.tag_text(_clean(found.get("title")) + "\n" + text))
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


_TAG_FIX = "add it to content/_taxonomy.yml, or use one of its names or aliases"


def _tag_names(value: Any) -> list[str]:
    return [name for name in _as_list(value, ",") if name]


def _as_list(value: Any, separators: str) -> list[str]:
    """Read a YAML list, or a string of items split by any of `separators`, as strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(f"[{re.escape(separators)}]", value)]
    items = value if isinstance(value, list | tuple) else [value]
    return [_clean(item) for item in items if not isinstance(item, dict | list)]


def _draft(found: Found, note: _Reporter) -> bool:
    if "draft" in found:
        note.took("draft", "draft")
    return _flag(found.get("draft"))


def _identifier(found: Found, note: _Reporter) -> str:
    identifier = _clean(found.get("identifier"))
    if identifier:
        note.took("identifier", "identifier")
    return identifier


def _flag(value: Any) -> bool:
    """Read a YAML flag, where a curator may also have written "yes" or "false" as text."""
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "on", "1"}
    return bool(value)


def _slug(found: Found, note: _Reporter) -> str:
    """Slug the curator's `slug`, else title and company (once, if the title names it)."""
    text = _clean(found.get("slug"))
    note.took("slug", "slug" if text else "", "made from the title and company")
    if not text:
        title, company = _clean(found.get("title")), _clean(found.get("company"))
        named = f"-{slugify(company)}-" in f"-{slugify(title)}-"
        text = title if named else f"{title} {company}"
    return fields.portable(slugify(text, max_length=SLUG_LENGTH, word_boundary=True) or "posting")


def assign_unique_slugs(postings: list[Posting]) -> list[Posting]:
    """Give postings that share a slug a suffix from their source, keeping the oldest plain."""
    ordered = sorted(postings, key=lambda p: (p.date_posted, p.key, p.index))
    taken: set[str] = set()
    unique = []
    for posting in ordered:
        slug, attempt = posting.slug, 0
        while slug in taken:
            key = f"{posting.key}#{posting.index}#{attempt}"
            slug = (
                f"{posting.slug[: SLUG_LENGTH - 7]}-{hashlib.sha256(key.encode()).hexdigest()[:6]}"
            )
            attempt += 1
        taken.add(slug)
        unique.append(posting if slug == posting.slug else replace(posting, slug=slug))
    return unique
