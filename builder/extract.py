"""Extract a Posting: what the format offers, then the curator's front matter, then fallbacks.

The front matter layer is in curated.py, the per-field rules in field_rules.py, the dates in
posting_dates.py and the slugs in slugs.py; the names other modules use are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from builder import posting_dates, prose
from builder.curated import CURATED_KEYS, KEY_ALIASES, curated_fields, curated_sources
from builder.field_rules import (
    SAFE_URL,
    apply_url_of,
    company_of,
    draft_of,
    employment_type_of,
    identifier_of,
    location_of,
    regions_of,
    remote_of,
    salary_of,
    seniority_of,
    tags_of,
    timezones_of,
    title_of,
)
from builder.formats import FORMAT_RULES, present
from builder.language import language_of
from builder.model import Posting, RawPosting, pack
from builder.normalize import html_to_text, links_in, summarize_text
from builder.posting_dates import BUILD_DATE, EXPIRY_NOTICE, GIT_ADDED
from builder.problems import Problem
from builder.reporter import Reporter
from builder.slugs import SLUG_LENGTH, assign_unique_slugs, company_slug, posting_slug
from builder.taxonomy import Taxonomy

__all__ = [
    "BUILD_DATE",
    "CURATED_KEYS",
    "EXPIRY_NOTICE",
    "GIT_ADDED",
    "KEY_ALIASES",
    "SAFE_URL",
    "SLUG_LENGTH",
    "Context",
    "assign_unique_slugs",
    "extract",
]


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
    curated, keys = curated_fields(raw.front_matter)
    found.update(curated)
    sources.update(curated_sources(raw, keys))
    text = html_to_text(description_html)  # what tagging and summaries read
    prose.read_prose(found, sources, text, links_in(description_html))
    note = Reporter(raw, sources)
    if raw.reading:
        note.took("read", fallback=raw.reading)
    company = company_of(found, note)
    first_seen = context.first_seen.get(raw.source)
    date_posted, dated_by = posting_dates.date_posted(found, first_seen, context.now, note)
    remote = remote_of(found, note)
    own_expiry = posting_dates.valid_through(found, note)
    posting = Posting(
        source=raw.source,
        slug=posting_slug(found, note),
        title=title_of(found, text, note),
        company=company,
        company_slug=company_slug(company),
        date_posted=date_posted,
        dated_by=dated_by,
        date_modified=posting_dates.date_modified(
            found, context.last_changed.get(raw.source), note
        ),
        packed_description=pack(description_html),
        summary=summarize_text(text),
        valid_through=own_expiry or posting_dates.board_expiry(date_posted, context.max_age, note),
        location=location_of(found, note),
        regions=regions_of(found, remote, note),
        remote=remote,
        employment_type=employment_type_of(found, note),
        salary=salary_of(found, note),
        apply_url=apply_url_of(found, note),
        tags=tags_of(found, text, context.taxonomy, note),
        draft=draft_of(found, note),
        identifier=identifier_of(found, note),
        seniority=seniority_of(found, note),
        timezones=timezones_of(found, text, note),
        index=raw.index,
        language=language_of(text),
    )
    _warn_about_markup(posting, note)
    posting_dates.warn_about_age(posting, own_expiry is None, context.now, context.max_age, note)
    return replace(posting, provenance=tuple(note.provenance.items())), note.problems


def _warn_about_markup(posting: Posting, note: Reporter) -> None:
    """Say why a page carries no Google Jobs markup: a required property is not known."""
    gaps = [gap for gap in posting.markup_gaps if gap != "company"]  # that one is an error
    if gaps and not posting.draft:
        what = f"the page carries no Google Jobs markup: it needs `{'`, `'.join(gaps)}`"
        fix = "add " + " and ".join(f"`{gap}:`" for gap in gaps) + " in front matter"
        note.warn(what, fix, *gaps)
