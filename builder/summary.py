"""What a build or check reports: where each posting stands, and what kind of page each file is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from builder.feeds import FEED_FILES
from builder.model import Posting
from builder.policy import status
from builder.problems import Problem

PAGE_KINDS = ("postings", "tag pages", "region pages", "company pages", "list pages", "feeds")
# The first folder of a page's path, and the kind its pages below an index are.
_TOPIC_FOLDERS = {
    "jobs": "postings",
    "tags": "tag pages",
    "regions": "region pages",
    "companies": "company pages",
}


def page_kind(path: str) -> str:
    """Classify an output file by its path: a posting, a tag page, a feed, a list page…"""
    parts = path.split("/")
    if parts[-1] in FEED_FILES.values():
        return "feeds"
    if parts[0] in _TOPIC_FOLDERS and (parts[0] == "jobs" or parts[1] != "index.html"):
        is_index_page = parts[1] == "page"  # tags/page/2/: the index, paginated
        return "list pages" if is_index_page else _TOPIC_FOLDERS[parts[0]]
    if parts[0] in {*_TOPIC_FOLDERS, "index.html", "page", "archive"}:
        return "list pages"
    return "other"


def pages_by_kind(paths: Iterable[str]) -> dict[str, int]:
    """Count output files per kind, every kind named (0 when there is none), `other` last."""
    counts = Counter(map(page_kind, paths))
    return {kind: counts[kind] for kind in (*PAGE_KINDS, "other")}


def verdict(problems: Sequence[Problem], postings: Sequence[Posting], now: datetime) -> str:
    """Sum up one posting file: its problems counted, then what keeps it off the open board."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    counts = [_plural(errors, "error"), _plural(warnings, "warning")]
    notes = dict.fromkeys(_note(posting, now) for posting in postings)
    said = [text for text in (*counts, *notes) if text]
    return "; ".join(said if any(counts) else ["ok", *said])


def _note(posting: Posting, now: datetime) -> str:
    kind = status(posting, now)
    if kind == "draft":
        return "draft: left out until `draft: true` is removed (or built with --drafts)"
    if kind == "future":
        return f"future: left out until {posting.date_posted:%Y-%m-%d} (or built with --future)"
    return "closed" if kind == "closed" else ""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}" if count else ""
