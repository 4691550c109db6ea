"""The memo of the last build: a frozen look-up that the pipeline's stages take.

It answers from the cache (builder/cache.py) what the last build saw and extracted, the
pages of the site on disk with their fingerprints, the standby copy of the site before it,
and the layout the edit path plans with (builder/delta.py). Empty, it answers nothing, and
every stage makes everything.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from builder.cache import (
    CacheStore,
    Finished,
    Saved,
    Written,
    folder_identity,
)
from builder.delta import Layout
from builder.extraction import Extracted
from builder.options import Result
from builder.sources import NOTHING_KNOWN, Known


@dataclass(frozen=True)
class Memo:
    """What the last build of this content into this output left: empty without a cache."""

    store: CacheStore | None = None
    site_gone: bool = False  # a file of the site on disk was deleted: reuse none of it

    @property
    def seen(self) -> Known:
        return self.store.seen if self.store else NOTHING_KNOWN

    @property
    def finished(self) -> Finished | None:
        return self.store.finished if self.store else None

    def extracted(self) -> Mapping[str, Extracted]:
        return self.store.extracted() if self.store else {}

    def entry(self, source: str) -> Extracted | None:
        return self.store.entry(source) if self.store else None

    @property
    def written(self) -> Written | None:
        """The site on disk, as the last build that wrote it recorded it."""
        return None if self.store is None or self.site_gone else self.store.sites()[0]

    @property
    def standby(self) -> Written | None:
        """The copy of the site before it, kept beside the output, as recorded."""
        return None if self.store is None or self.site_gone else self.store.sites()[1]

    def without_site(self) -> Memo:
        return replace(self, site_gone=True)

    def report_for(self, inputs: str, output_dir: Path) -> Result | None:
        """The last build's report if it was made from these inputs and its site is intact."""
        done = self.finished
        if done is None or done.inputs != inputs:
            return None
        if folder_identity(output_dir) != done.identity:
            return None
        intact = all(os.path.exists(os.path.join(output_dir, name)) for name in done.files)
        return done.report if intact else None

    def pages(self, output_dir: Path) -> Mapping[str, str]:
        """The fingerprints of the pages in output_dir, if it is still the site recorded."""
        written = self.written
        if written is None or folder_identity(output_dir) != written.identity:
            return {}
        return written.pages

    def layout(self, output_dir: Path) -> Layout | None:
        """The layout of the site on disk, when it is the site the last build wrote."""
        layout = self.store.layout() if self.store else None
        done, written = self.finished, self.written
        if layout is None or done is None or written is None or layout.inputs != done.inputs:
            return None
        if written.identity != done.identity or not self.pages(output_dir):
            return None
        return layout  # type: ignore[no-any-return]


NO_MEMO = Memo()


@dataclass(frozen=True)
class Built:
    """What a pipeline run reports, and what it leaves for the next (None: nothing new)."""

    result: Result
    saved: Saved | None


def finished_build(inputs: str, written: Written, result: Result) -> Finished:
    """Record what a written build was made from, so the same inputs need not be built
    again; every page the report says it reused was left unchanged."""
    report = replace(
        result,
        postings=(),
        pages_reused=result.pages_written,
        statuses=dict(result.statuses),  # plain dicts: a mapping proxy does not pickle
        pages_by_kind=dict(result.pages_by_kind),
        timings={},
    )
    return Finished(inputs, written.identity, written.files, report)
