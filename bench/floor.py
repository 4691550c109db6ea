"""The Markdown floor: the corpus's bodies converted by Python-Markdown on all cores, no more.

A cold build converts every posting with Python-Markdown, so it cannot be faster than this
(issue 18 states its target against it). The bodies are read and their front matter stripped
before the clock starts, and the workers are started and warmed up before it too: only the
conversions are timed, each worker with one converter reset between postings, as the builder
does (builder/normalize.py's _markdown()).
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import time
from collections.abc import Sequence
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import frontmatter

EXTENSIONS = ("extra", "sane_lists")  # as in builder/normalize.py's _markdown()
CHUNKS_PER_WORKER = 4  # enough to even out the load; few enough that the messages cost nothing
READY_TIMEOUT = 120.0  # seconds for every worker to start; a worker that died would hang it

_BODIES: Sequence[str] = ()  # a worker's copy of every body
_CONVERTER: Any = None  # a worker's markdown.Markdown


def markdown_floor(corpus: Path, runs: int) -> float:
    """The median seconds, of `runs` runs, to convert every posting's body in the corpus."""
    texts = bodies(corpus)
    workers = len(os.sched_getaffinity(0))
    chunks = split(len(texts), workers * CHUNKS_PER_WORKER)
    # Forked workers inherit the bodies instead of receiving them pickled, and start at once.
    starting = multiprocessing.get_context("fork")
    ready = starting.Barrier(workers + 1)
    seconds = []
    with starting.Pool(workers, _set_up, (texts, ready)) as pool:
        ready.wait(READY_TIMEOUT)
        for _ in range(runs):
            started = time.perf_counter()
            pool.map(converted_length, chunks, chunksize=1)
            seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def bodies(corpus: Path) -> list[str]:
    """Every posting's Markdown body, its front matter stripped, in file order."""
    return [frontmatter.load(str(path)).content for path in sorted(corpus.glob("*.txt"))]


def split(count: int, parts: int) -> list[range]:
    """Split range(count) into at most `parts` consecutive ranges of nearly equal length."""
    parts = max(1, min(parts, count))
    return [range(count * part // parts, count * (part + 1) // parts) for part in range(parts)]


def converter() -> Any:
    import markdown

    return markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")


def converted_length(chunk: range) -> int:
    """Convert the bodies in `chunk`; the characters of HTML they made (so the work shows)."""
    return sum(len(_CONVERTER.reset().convert(_BODIES[number])) for number in chunk)


def _set_up(texts: Sequence[str], ready: Barrier) -> None:
    """Make this worker's converter and warm it on a posting, then wait for the others."""
    global _BODIES, _CONVERTER
    _BODIES, _CONVERTER = texts, converter()
    if texts:
        _CONVERTER.convert(texts[0])
    ready.wait(READY_TIMEOUT)
