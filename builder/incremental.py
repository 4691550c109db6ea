"""Incremental building: a layer around the pipeline, and the only reader of the cache.

build() opens the cache as a frozen Memo (builder/memo.py), runs the pipeline with it, and
saves what the pipeline's stages returned.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from builder import pipeline
from builder.cache import CacheStore, Saved
from builder.lock import output_lock
from builder.memo import NO_MEMO, Memo
from builder.options import PROJECT, Options, Result
from builder.output import check_output_dir, remove_leftovers


def build(options: Options) -> Result:
    """Build the site; write it only if there is no error (or --keep-going skips them).

    The output's lock is held throughout: what the cache says of the site on disk must stay
    true from the first look at it to the last word written about it."""

    check_output_dir(options.output_dir, options.content_dir, [PROJECT, Path.cwd()])
    with output_lock(options.output_dir), _collector_paused():
        memo = open_memo(options)
        try:
            built = pipeline.build(options, memo)
        except BaseException:
            save(memo, Saved(memo.seen, standby=memo.standby))  # trust nothing of the site
            raise
        if built.saved is None:
            remove_leftovers(options.output_dir)  # the site on disk is what these inputs build
        else:
            save(memo, built.saved)
        return built.result


def open_memo(options: Options) -> Memo:
    if options.cache_dir is None:
        return NO_MEMO
    return Memo(CacheStore.open(options.cache_dir, options.content_dir, options.output_dir))


def save(memo: Memo, saved: Saved) -> None:
    if memo.store is not None:
        memo.store.save(saved)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for a build. Loading 10,000 cached postings makes a
    million objects, and the collections they set off scanned them all again and again (0.5 s
    of a 3 s rebuild). A build's own data holds no cycles; forked writers, which render
    thousands of pages, collect as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
