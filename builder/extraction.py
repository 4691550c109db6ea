"""Extract every content file's postings (stage: extract); one file is extract_file().

A file whose digest matches the memo's last extraction of it is not extracted again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from builder.extract import Context, assign_unique_slugs, extract
from builder.fingerprints import digest_of
from builder.model import Posting
from builder.options import Progress, Result
from builder.policy import count_statuses
from builder.pool import map_on_cores
from builder.problems import Problem, sort_problems
from builder.readers import read_posting
from builder.sources import Reading, SourceFile


@dataclass(frozen=True)
class Extracted:
    """One content file's postings and problems, valid while its digest matches."""

    source: str
    digest: str  # of everything the extraction read; "" when it must be made again
    postings: tuple[Posting, ...]
    problems: tuple[Problem, ...]
    now: datetime | None  # the build date the result depends on, when it used one


@dataclass(frozen=True)
class Board:
    """Every posting the content holds, newest first with unique slugs, and every problem."""

    postings: tuple[Posting, ...]
    problems: tuple[Problem, ...]
    skipped: tuple[str, ...]  # files left out for an error, holding no posting
    files_read: int
    extracted: Mapping[str, Extracted]  # each file's extraction, by source

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def result(self, now: datetime) -> Result:
        """Report the board as a check does: every posting, whatever its status."""
        statuses = count_statuses(self.postings, now)
        return Result(self.problems, self.postings, self.skipped, files_read=self.files_read,
                      statuses=statuses)  # fmt: skip


def extract_file(file: SourceFile, context: Context) -> tuple[list[Posting], list[Problem]]:
    """Read a file's postings and extract each: the whole path of one content file."""
    file = file.loaded()
    if file.unreadable is not None or file.data is None:
        return [], [problem for problem in (file.unreadable,) if problem]
    raws, problems = read_posting(file.source, file.data)
    postings = []
    for raw in raws:
        posting, found = extract(raw, context)
        made_from = digest_of(file.digest, str(raw.index))  # the slug is added in pages' prints
        postings.append(replace(posting, key=file.key, fingerprint=made_from))
        problems += found
    return postings, problems


def extract_record(file: SourceFile, context: Context) -> Extracted:
    """Extract a file into what the memo keeps of it: its digest, and the build date when
    the result used it."""
    loaded = file.loaded()
    changed = file.data is None and loaded.unreadable is None and loaded.changed_since_seen
    if changed:  # edited since it was looked at: its pages must not pass for the old ones
        loaded = replace(loaded, digest=digest_of(file.digest, loaded.data or b""))
    postings, problems = extract_file(loaded, context)
    valid = loaded.unreadable is None and not changed
    uses_now = any(_depends_on_now(posting, context.now) for posting in postings)
    now = context.now if uses_now else None
    return Extracted(
        file.source, file.digest if valid else "", tuple(postings), tuple(problems), now
    )


def _depends_on_now(posting: Posting, now: datetime) -> bool:
    """Tell whether extraction read the build date: as a fallback date, or to warn that a
    posting closes soon or has aged out (which every posting with a closing date may)."""
    return (
        posting.dated_by == "build"
        or posting.date_modified == now
        or posting.valid_through is not None
    )


Memoized = Callable[[], Mapping[str, Extracted]]  # the memo's extractions, read when needed


def extract_board(
    reading: Reading, memoized: Memoized = dict, progress: Progress | None = None
) -> Board:
    """Extract every file (as the memo has it where unchanged), with all problems."""
    extracted = extract_all(reading.files, reading.context, memoized, progress)
    postings: list[Posting] = []
    skipped: list[str] = []
    problems = list(reading.problems)
    for file in reading.files:
        found = extracted[file.source]
        postings += found.postings
        problems += found.problems
        # A posting with an error (no company) is still built under --keep-going, showing
        # only what is known; a file that could not be read at all is skipped.
        if any(p.is_error for p in found.problems) and not found.postings:
            skipped.append(file.source)
    unique = assign_unique_slugs(postings)
    newest_first = tuple(sorted(unique, key=lambda p: (-p.date_posted.timestamp(), p.slug)))
    return Board(newest_first, tuple(sort_problems(problems)), tuple(skipped),
                 len(reading.files), extracted)  # fmt: skip


def extract_all(
    files: Sequence[SourceFile],
    context: Context,
    memoized: Memoized = dict,
    progress: Progress | None = None,
) -> dict[str, Extracted]:
    """Extract every file, but those the memo holds as they are now; keyed by source."""
    before = memoized() if files else {}
    done: dict[str, Extracted] = {}
    todo = []
    for file in files:
        hit = before.get(file.source)
        if file.unreadable is None and hit and is_current(hit, file, context.now):
            done[file.source] = hit
        else:
            todo.append(file)
    common: dict[Any, Any] = {}
    for extracted in map_on_cores(extract_record, todo, context):
        done[extracted.source] = _sharing(extracted, common)
        if progress:
            progress(len(done), len(files))
    if progress:
        progress(len(files), len(files))
    return done


def _sharing(extracted: Extracted, common: dict[Any, Any]) -> Extracted:
    """The extraction with the explanations, tags and regions it has in common with others
    as one object each: a worker's postings arrive unpickled, each with copies of its own
    (a tenth of a large board's memory)."""
    postings = tuple(
        replace(
            posting,
            provenance=common.setdefault(posting.provenance, posting.provenance),
            tags=tuple(common.setdefault(tag, tag) for tag in posting.tags),
            regions=tuple(common.setdefault(region, region) for region in posting.regions),
        )
        for posting in extracted.postings
    )
    return replace(extracted, postings=postings)


def is_current(hit: Extracted, file: SourceFile, now: datetime) -> bool:
    """Tell whether a remembered extraction is what extracting the file now would make."""
    return hit.digest == file.digest and (hit.now is None or hit.now == now)
