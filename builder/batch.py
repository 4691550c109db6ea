"""Read and extract every content file: from the cache when nothing it depends on changed,
else on every core when there are enough files for worker processes to pay for starting."""

from __future__ import annotations

import gc
import hashlib
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from builder.cache import GENERATOR, Extracted, digest_of, digester
from builder.extract import Context, extract
from builder.model import Posting
from builder.output import can_fork
from builder.problems import Problem, error
from builder.readers import has_link, read_inside, read_posting

# Below this many files to extract, starting worker processes (each imports the builder, about
# 0.3 s) costs more than the second core saves (about 3 ms a posting).
PARALLEL_FROM = 400
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Job:
    """One content file to extract: its bytes (None until needed when the file was not
    read, being as it was), or the error that kept them from being read."""

    source: str  # the name problems use
    key: str  # its path inside the content folder
    data: bytes | None
    digest: str  # of everything its extraction reads
    unreadable: Problem | None = None
    folder: str = ""  # the content folder, to read a file that was not read
    seen: Seen | None = None  # the file as read, or as it was known


@dataclass(frozen=True)
class Seen:
    """A content file as last read: its size, times and inode, and its bytes' digest."""

    status: tuple[int, int, int, int]
    digest: str


Known = tuple[Mapping[str, Seen], int]  # the files a build saw, and when (ns since 1970)
# A file modified this close to the build that saw it might change again within the same
# clock tick, unseen: it is read again, not trusted by its times (git's "racily clean").
RACY_NS = 2_000_000_000


def make_job(
    content_dir: Path,
    key: str,
    source: str,
    context: Context,
    shared: str,
    known: Known = ({}, 0),
) -> Job:
    """Digest what extracting the file at `key` in content_dir depends on (`shared`: the
    context_digest). A file whose size, times and inode are as `known` (what a build at a
    time, in ns, saw) is not read. The key is the same wherever the build runs from."""
    try:
        seen, data = _look_at(content_dir, key, known)
    except OSError as exc:
        return Job(source, key, None, "", _unreadable(source, exc))
    dates = (context.first_seen.get(source), context.last_changed.get(source))
    digest = _digester(shared)(source, key, repr(dates), seen.digest)
    return Job(source, key, data, digest, folder=str(content_dir), seen=seen)


@lru_cache(maxsize=4)
def _digester(shared: str) -> Callable[..., str]:
    return digester(GENERATOR, shared)  # hashed once, not once a file


def _look_at(content_dir: Path, key: str, known: Known) -> tuple[Seen, bytes | None]:
    """The file as it is, and its bytes unless it is as it was known."""
    by_key, seen_at = known
    status = os.lstat(os.path.join(content_dir, key))
    now = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
    before = by_key.get(key)
    changed_at = max(status.st_mtime_ns, status.st_ctime_ns)  # `touch -d` sets mtime back
    settled = changed_at < seen_at - RACY_NS and stat.S_ISREG(status.st_mode)
    # lstat tells a file that became a link; only the folders on its way need asking.
    folder = os.path.dirname(key)
    linked = bool(folder) and has_link(content_dir, folder)
    if before and before.status == now and settled and not linked:
        return before, None
    data = read_inside(content_dir, key)
    return Seen(now, hashlib.sha256(data).hexdigest()), data


def _unreadable(source: str, exc: OSError) -> Problem:
    return error(source, f"cannot read the file: {exc.strerror}", "check its permissions")


def context_digest(context: Context) -> str:
    """Digest what every file's extraction shares: the taxonomy and the board's maximum age."""
    taxonomy = context.taxonomy
    shared = (taxonomy.tags, taxonomy.categories, sorted(taxonomy.by_alias.items()),
              sorted(taxonomy.strict_names.items()), context.max_age)  # fmt: skip
    return digest_of(repr(shared))


def extract_all(
    jobs: list[Job],
    context: Context,
    cached: Mapping[str, Extracted],
    progress: Progress | None = None,
) -> dict[str, Extracted]:
    """Extract every job, reusing what the cache holds for unchanged files; keyed by source."""
    done: dict[str, Extracted] = {}
    todo = []
    for job in jobs:
        hit = cached.get(job.source)
        if job.unreadable is None and hit and _still_valid(hit, job, context.now):
            done[job.source] = hit
        else:
            todo.append(job)
    for extracted in _run(todo, context):
        done[extracted.source] = extracted
        if progress:
            progress(len(done), len(jobs))
    if progress:
        progress(len(jobs), len(jobs))
    return done


def _still_valid(hit: Extracted, job: Job, now: datetime) -> bool:
    return hit.key == job.digest and (hit.now is None or hit.now == now)


def _run(todo: list[Job], context: Context) -> Iterator[Extracted]:
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) < PARALLEL_FROM or workers < 2:
        yield from (extract_file(job, context) for job in todo)
        return
    import multiprocessing  # only here: importing it costs a small rebuild 13 ms
    from concurrent.futures import ProcessPoolExecutor

    # A forked worker starts at once with the builder imported; a spawned one imports it
    # again (0.4 s). But `serve` runs threads, and forking a threaded process can deadlock.
    starting = multiprocessing.get_context("fork" if can_fork() else "spawn")
    chunk = max(1, len(todo) // (workers * 8))
    with ProcessPoolExecutor(
        workers, starting, initializer=_set_context, initargs=(context,)
    ) as pool:
        yield from pool.map(_extract_in_worker, todo, chunksize=chunk)


_WORKER_CONTEXT: Context | None = None


def _set_context(context: Context) -> None:
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = context
    gc.enable()  # a forked worker inherits the build's paused collector


def _extract_in_worker(job: Job) -> Extracted:
    assert _WORKER_CONTEXT is not None
    return extract_file(job, _WORKER_CONTEXT)


def extract_file(job: Job, context: Context) -> Extracted:
    """Read a file's postings and extract each; note the build date if the result used it."""
    if job.unreadable is not None:
        return Extracted(job.source, "", (), (job.unreadable,), None)
    data, key = job.data, job.digest
    if data is None:
        try:
            data = read_inside(Path(job.folder), job.key)
        except OSError as exc:
            return extract_file(replace(job, unreadable=_unreadable(job.source, exc)), context)
        if job.seen is None or hashlib.sha256(data).hexdigest() != job.seen.digest:
            key = ""  # changed since it was looked at: extract it again next time
    raws, problems = read_posting(job.source, data)
    postings = []
    for raw in raws:
        posting, found = extract(raw, context)
        made_from = digest_of(job.digest, str(raw.index))  # the slug is added in pages' prints
        postings.append(replace(posting, key=job.key, fingerprint=made_from))
        problems += found
    uses_now = any(_depends_on_now(posting, context.now) for posting in postings)
    return Extracted(
        job.source, key, tuple(postings), tuple(problems), context.now if uses_now else None
    )


def _depends_on_now(posting: Posting, now: datetime) -> bool:
    """Tell whether extraction read the build date: as a fallback date, or to warn that a
    posting closes soon or has aged out (which every posting with a closing date may)."""
    return (
        posting.dated_by == "build"
        or posting.date_modified == now
        or posting.valid_through is not None
    )
