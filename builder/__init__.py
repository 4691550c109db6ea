"""sreboard: turn a folder of raw job postings into a static job board.

The stages, in the order a build runs them (builder/pipeline.py; docs/architecture.md):

    config      config.py       site.toml -> Config
    taxonomy    sources.py      content/_taxonomy.yml -> Taxonomy (taxonomy.py)
    read        sources.py      the content folder -> a SourceFile per posting file
    extract     extraction.py   SourceFile -> Posting (readers, normalize, extract), on every core
    publish     policy.py       what a build shows: no drafts or future postings unless asked
    render      writing.py      Site -> {path: page} (render.py, feeds.py)
    write       output.py       the pages swapped in as the new site, whole

incremental.py wraps the pipeline: it opens the cache as a frozen memo (memo.py) that the
stages look things up in, and saves what they return (cache.py).
"""

from __future__ import annotations

from builder.config import Config
from builder.incremental import build
from builder.options import Options, Progress, Result
from builder.pipeline import check

__all__ = ["Config", "Options", "Progress", "Result", "build", "check"]
