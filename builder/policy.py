"""What the board publishes: where each posting stands at the build date, and which it shows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Literal

from builder.model import Posting
from builder.options import Options

Status = Literal["draft", "future", "open", "closed"]


def status(posting: Posting, now: datetime) -> Status:
    """Say where a posting stands at `now`; a draft dated in the future counts as a draft.
    Only a date the posting gives makes it future: a commit after `--now` is not a schedule."""
    if posting.draft:
        return "draft"
    if posting.date_posted > now and posting.dated_by == "posting":
        return "future"
    return "open" if posting.is_open(now) else "closed"


def is_published(posting: Posting, now: datetime, drafts: bool, future: bool) -> bool:
    """Tell whether a build publishes a posting: drafts and future ones only when asked."""
    kind = status(posting, now)
    return (kind != "draft" or drafts) and (kind != "future" or future)


def count_statuses(postings: Iterable[Posting], now: datetime) -> Mapping[str, int]:
    """Count postings by status: open, closed, draft, future; and as "marked" the open ones
    whose pages carry Google Jobs markup."""
    postings = tuple(postings)
    counts: Counter[str] = Counter(status(posting, now) for posting in postings)
    counts["marked"] = sum(
        1 for posting in postings if not posting.markup_gaps and status(posting, now) == "open"
    )
    return MappingProxyType(dict(counts))


def published(postings: Iterable[Posting], options: Options) -> tuple[Posting, ...]:
    """The postings a build shows: drafts and future ones only when asked."""
    now, drafts, future = options.now, options.drafts, options.future
    return tuple(p for p in postings if is_published(p, now, drafts, future))


def left_out(postings: Iterable[Posting], options: Options) -> Counter[Status]:
    """Count the postings a build does not show, by status."""
    now, drafts, future = options.now, options.drafts, options.future
    return Counter(status(p, now) for p in postings if not is_published(p, now, drafts, future))
