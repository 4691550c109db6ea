"""Posting slugs: made from the curator's `slug`, else title and company, then made unique."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from slugify import slugify

from builder import fields
from builder.curated import clean
from builder.formats import Found
from builder.model import Posting
from builder.reporter import Reporter

SLUG_LENGTH = 80


def posting_slug(found: Found, note: Reporter) -> str:
    """Slug the curator's `slug`, else title and company (once, if the title names it)."""
    text = clean(found.get("slug"))
    note.took("slug", "slug" if text else "", "made from the title and company")
    if not text:
        title, company = clean(found.get("title")), clean(found.get("company"))
        named = f"-{slugify(company)}-" in f"-{slugify(title)}-"
        text = title if named else f"{title} {company}"
    return fields.portable(slugify(text, max_length=SLUG_LENGTH, word_boundary=True) or "posting")


def company_slug(company: str) -> str:
    """Slug a company's name for its page, or none for no company."""
    return fields.portable(slugify(company, max_length=SLUG_LENGTH)) if company else ""


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
