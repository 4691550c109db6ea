"""Run one function over many items on every core, in worker processes sharing a context."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Made = TypeVar("Made")
Work = Callable[[Item, Any], Made]

# Below this many items, starting worker processes (each imports the builder, about 0.3 s)
# costs more than the second core saves (about 3 ms a posting).
PARALLEL_FROM_FILES = 400
MAX_WORKERS = 8


def cores() -> int:
    """How many processes to run work on at once: one a core, at most MAX_WORKERS."""
    return min(os.cpu_count() or 1, MAX_WORKERS)


def can_fork() -> bool:
    """Tell whether this process may fork: it must be running no other thread."""
    # Forking a process that runs other threads (make serve) can deadlock the child.
    return hasattr(os, "fork") and threading.active_count() == 1


def map_on_cores(work: Work[Item, Made], items: Sequence[Item], context: Any) -> Iterator[Made]:
    """Yield work(item, context) for each item, in order; on every core when there are
    enough items. `work` must be a module's function: a spawned worker imports it."""
    workers = cores()
    if len(items) < PARALLEL_FROM_FILES or workers < 2:
        yield from (work(item, context) for item in items)
        return
    import multiprocessing  # only here: importing it costs a small rebuild 13 ms
    from concurrent.futures import ProcessPoolExecutor

    # A forked worker starts at once with the builder imported; a spawned one imports it
    # again (0.4 s). But `serve` runs threads, and forking a threaded process can deadlock.
    starting = multiprocessing.get_context("fork" if can_fork() else "spawn")
    chunk = max(1, len(items) // (workers * 8))
    with ProcessPoolExecutor(
        workers, starting, initializer=_set_up, initargs=(work, context)
    ) as pool:
        yield from pool.map(_work_in_worker, items, chunksize=chunk)


_WORKER: tuple[Callable[[Any, Any], Any], Any] | None = None  # the work and its context


def _set_up(work: Callable[[Any, Any], Any], context: Any) -> None:
    global _WORKER
    _WORKER = (work, context)
    gc.enable()  # a forked worker inherits the build's paused collector


def _work_in_worker(item: Any) -> Any:
    assert _WORKER is not None
    work, context = _WORKER
    return work(item, context)
