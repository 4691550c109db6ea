"""What `serve` shows of an edit before the site is written: its pages, rendered in memory.

Writing swaps a whole new site in and indexes it for search; at 10,000 postings that is most
of an edit's second. An edit the edit path takes (builder/delta.py) changes a few pages, so
serve renders them first and serves them at once, then writes the site. They are the pages
the build writes, byte for byte, rendered by the same code from the same memo.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from builder.incremental import open_memo
from builder.options import Options
from builder.output import OldFile
from builder.pipeline import digest_inputs, load_settings, plan_edit
from builder.problems import ProblemError
from builder.sources import read_content
from builder.stopwatch import Stopwatch
from builder.writing import changed_pages


@dataclass(frozen=True)
class Preview:
    """The pages an edit changes, by path in the site."""

    pages: Mapping[str, bytes]


def preview_edit(options: Options, changed: Collection[str] | None = None) -> Preview | None:
    """Render the pages the content's edit changes, writing nothing (the cache neither);
    None when the edit path would not take it, or it changes no posting. `changed`: the
    only paths that changed (a watcher's), so the other files need no look."""
    memo = open_memo(options)
    config, problems = load_settings(options.config_file)
    keys = None if changed is None else content_keys(options.content_dir, changed)
    reading = read_content(options.content_dir, options.now, config, problems, memo.seen, keys)
    inputs = digest_inputs(options, config, reading)
    edit = plan_edit(options, config, reading, inputs, memo, Stopwatch())
    if edit is None or not edit.change.pages:
        return None
    try:
        pages = changed_pages(edit.setting, edit.site, edit.change, edit.reuse)
    except ProblemError:
        return None  # the build that follows reports it
    if pages is None:
        return None
    # Shown: the pages rendered anew (an unchanged one is its OldFile), but for those every
    # build writes, which only templates and settings change: no edit the edit path takes.
    shown = {}
    for path, page in pages.items():
        if not isinstance(page, OldFile) and edit.reuse.previous[path]:
            shown[path] = page() if callable(page) else page
    return Preview(shown)


def content_keys(content_dir: Path, paths: Collection[str]) -> set[str] | None:
    """The content files' keys of these paths; None if one is outside the content folder
    (a template, a static file), which the build looks at every file for."""
    folder, keys = content_dir.resolve(), set()
    for path in paths:
        try:
            keys.add(Path(path).resolve().relative_to(folder).as_posix())
        except ValueError:
            return None
    return keys
