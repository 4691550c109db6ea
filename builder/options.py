"""What a build is asked to do (Options) and what it reports (Result)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from builder.model import Posting
from builder.problems import Problem
from builder.shards import SHARD_SIZE

PROJECT = Path(__file__).resolve().parent.parent
Progress = Callable[[int, int], None]  # called with (postings files read, of how many)


@dataclass(frozen=True)
class Options:
    """What a build reads, where it writes, and the moment it is built for."""

    content_dir: Path
    output_dir: Path
    base_url: str | None  # None: the config's
    now: datetime
    keep_going: bool = False
    templates_dir: Path = PROJECT / "templates"
    static_dir: Path = PROJECT / "static"
    config_file: Path | None = None  # None: the defaults
    drafts: bool = False  # publish postings marked `draft: true` too
    future: bool = False  # publish postings dated after `now` too
    progress: Progress | None = None
    cache_dir: Path | None = None  # where to keep the build cache; None: build from scratch
    search: bool = True  # index the open postings for search with Pagefind
    shard_size: int = SHARD_SIZE  # open postings per search shard, about (tests change it)
    # A changed shard keeps its old index for now, marked stale: serve indexes it right after.
    search_later: bool = False


def _no_counts() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Result:
    """What a build or check found and did."""

    problems: tuple[Problem, ...]
    postings: tuple[Posting, ...] = ()
    skipped: tuple[str, ...] = ()
    pages_written: int = 0
    files_read: int = 0
    written: bool = False
    search_stale: bool = False  # some search shards still hold an earlier index
    drafts: int = 0  # drafts left out of `postings` by a build
    future: int = 0  # postings dated after `now` left out of `postings` by a build
    pages_reused: int = 0  # of pages_written: unchanged files linked from the previous site
    statuses: Mapping[str, int] = field(default_factory=_no_counts)
    timings: Mapping[str, float] = field(default_factory=_no_counts)  # s, by stage
    pages_by_kind: Mapping[str, int] = field(default_factory=_no_counts)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]
