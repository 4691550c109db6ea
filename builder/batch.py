"""Read and extract every content file: from the cache when nothing it depends on changed,
else on every core when there are enough files for worker processes to pay for starting."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from builder.cache import GENERATOR, Extracted, digest_of
from builder.extract import BUILD_DATE, Context, extract
from builder.model import Posting
from builder.problems import Problem, error
from builder.readers import read_inside, read_posting

# Below this many files to extract, starting worker processes (each imports the builder, about
# 0.3 s) costs more than the second core saves (about 3 ms a posting).
PARALLEL_FROM = 400
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Job:
    """One content file to extract: its bytes, or the error that kept them from being read."""

    source: str  # the name problems use
    key: str  # its path inside the content folder
    data: bytes | None
    digest: str  # of everything its extraction reads
    unreadable: Problem | None = None


def make_job(content_dir: Path, key: str, source: str, context: Context, shared: str) -> Job:
    """Read the file at `key` in content_dir and digest what extracting it depends on
    (`shared`: the context_digest). The key is the same wherever the build runs from."""
    try:
        data = read_inside(content_dir, key)
    except OSError as exc:
        problem = error(source, f"cannot read the file: {exc.strerror}", "check its permissions")
        return Job(source, key, None, "", problem)
    dates = (context.first_seen.get(source), context.last_changed.get(source))
    digest = digest_of(GENERATOR, shared, source, key, repr(dates), data)
    return Job(source, key, data, digest)


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
        if job.data is not None and hit and _still_valid(hit, job, context.now):
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
    # spawn, not fork: `serve` runs threads, and forking a threaded process can deadlock.
    spawn = multiprocessing.get_context("spawn")
    chunk = max(1, len(todo) // (workers * 8))
    with ProcessPoolExecutor(workers, spawn, initializer=_set_context, initargs=(context,)) as pool:
        yield from pool.map(_extract_in_worker, todo, chunksize=chunk)


_WORKER_CONTEXT: Context | None = None


def _set_context(context: Context) -> None:
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = context


def _extract_in_worker(job: Job) -> Extracted:
    assert _WORKER_CONTEXT is not None
    return extract_file(job, _WORKER_CONTEXT)


def extract_file(job: Job, context: Context) -> Extracted:
    """Read a file's postings and extract each; note the build date if the result used it."""
    if job.data is None:
        assert job.unreadable is not None
        return Extracted(job.source, "", (), (job.unreadable,), None)
    raws, problems = read_posting(job.source, job.data)
    postings = []
    for raw in raws:
        posting, found = extract(raw, context)
        made_from = digest_of(job.digest, str(raw.index))  # the slug is added in pages' prints
        postings.append(replace(posting, key=job.key, fingerprint=made_from))
        problems += found
    uses_now = any(_depends_on_now(posting, context.now) for posting in postings)
    return Extracted(
        job.source, job.digest, tuple(postings), tuple(problems), context.now if uses_now else None
    )


def _depends_on_now(posting: Posting, now: datetime) -> bool:
    """Tell whether extraction read the build date: as a fallback date, or to warn that a
    posting closes soon or has aged out (which every posting with a closing date may)."""
    dated_by_build = dict(posting.provenance).get("date_posted") == BUILD_DATE
    return dated_by_build or posting.date_modified == now or posting.valid_through is not None
