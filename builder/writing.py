"""Render the site and write it (stages: render, write), reusing what the memo finds unchanged.

Rendering gives each page a fingerprint of what it shows; a page whose fingerprint is the one
the memo records for the site on disk is that site's file, hard-linked, not rendered again.
Writing swaps the new site in whole, updating the standby copy of the site before last where
the memo knows one, and returns what it wrote for the next build's memo.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path, PurePosixPath

from builder.cache import Written, folder_identity, folder_times, times_of
from builder.delta import Change, Layout
from builder.feeds import Feed, render_feeds, site_feeds
from builder.fingerprints import GENERATOR, Reuse, files_digest, fingerprint
from builder.memo import Memo
from builder.model import Site
from builder.options import Options
from builder.output import OldFile, Pages, Standby, link_tree, standby_path, write_site
from builder.render import (
    fixed_pages,
    host_files,
    make_environment,
    render_pages,
    render_posting_pages,
)
from builder.search import PAGEFIND_VERSION, index_site
from builder.stopwatch import Stopwatch
from builder.taxonomy import Taxonomy


@dataclass(frozen=True)
class Rendered:
    """Every file of the site but the static ones and the search index, and their prints."""

    pages: Pages
    reuse: Reuse  # what every page depends on, and each page's fingerprint
    feeds: tuple[Feed, ...] = ()  # every feed of the site (the edit path's layout holds them)


@dataclass(frozen=True)
class Made:
    """A site written: its pages, and what the memo of the next build records of it."""

    pages: Pages
    written: Written
    standby: Written | None
    layout: Layout | None

    @property
    def reused(self) -> int:
        return sum(isinstance(page, OldFile) for page in self.pages.values())


@dataclass(frozen=True)
class Setting:
    """What every page of one build is rendered with."""

    options: Options
    pagefind: Path | None  # the search indexer, when the site is indexed
    clock: Stopwatch


def render_site(setting: Setting, site: Site, taxonomy: Taxonomy, memo: Memo) -> Rendered:
    """Render every page and feed of the site, or name the memo's file where unchanged."""
    options = setting.options
    environment = make_environment(options.templates_dir, site, search=setting.pagefind is not None)
    reuse = page_reuse(setting, site, memo.pages(options.output_dir))
    feeds = site_feeds(site)
    pages = render_pages(environment, site, taxonomy, reuse)
    pages |= render_feeds(site, reuse, feeds)
    pages |= host_files(site)
    return Rendered(pages, reuse, tuple(feeds))


def render_change(
    setting: Setting, site: Site, change: Change, layout: Layout, previous: Mapping[str, str]
) -> Rendered | None:
    """Render the change's pages and feeds anew; every other file is the one on disk. None
    when the site on disk holds pages the layout cannot account for."""
    options = setting.options
    environment = make_environment(options.templates_dir, site, search=setting.pagefind is not None)
    old_site = options.output_dir.resolve()
    reuse = Reuse(layout.base, previous, old_site, True, dict(previous))
    pages: Pages = {PurePosixPath(n): OldFile(f"{old_site}/{n}") for n, f in previous.items() if f}
    pages |= render_posting_pages(environment, site, change.pages, reuse)
    pages |= render_feeds(site, reuse, change.feeds)
    pages |= fixed_pages(environment) | host_files(site)
    if len(pages) != len(previous) or any(str(path) not in previous for path in pages):
        return None
    return Rendered(pages, reuse)


def page_reuse(setting: Setting, site: Site, previous: Mapping[str, str]) -> Reuse:
    """What every page depends on, and the fingerprints of the site on disk's pages."""
    options = setting.options
    templates = files_digest(options.templates_dir)
    search = tool_identity(setting.pagefind)
    shared = (repr(site.config), site.base_url, site.now.isoformat(), search, templates)
    return Reuse(
        base=fingerprint(GENERATOR, *shared, bool(site.open_postings)),
        previous=previous,
        old_site=options.output_dir.resolve(),
        enabled=True,
    )


def tool_identity(tool: Path | None) -> str:
    """Tell one installed binary (Pagefind) from another: a new one may index differently."""
    if tool is None:
        return ""
    status = tool.stat()
    return f"{tool}:{status.st_size}:{status.st_mtime_ns}"


def write(setting: Setting, rendered: Rendered, memo: Memo) -> Made | None:
    """Swap the pages in as the new site, updating the standby copy where there is one;
    None, writing nothing, when a file of the site on disk that a page reuses is gone."""
    options, clock, pages = setting.options, setting.clock, rendered.pages
    output_dir = options.output_dir
    written = _written(pages, rendered.reuse)
    standby = _standby(memo, written, output_dir)
    # Checked here, not while linking: a forked writer cannot ask for a page to be rendered.
    same = standby.same if standby else set()
    linked = (page for p, page in pages.items() if isinstance(page, OldFile) and str(p) not in same)
    if not all(os.path.exists(page) for page in linked):
        return None
    clock.lap("plan")
    search = _search_step(setting.pagefind, memo, written, output_dir)
    previous = memo.written if rendered.reuse.previous else None  # the site on disk
    write_site(pages, options.static_dir, output_dir, finish=clock.timed(search, "search"),
               locked=True, standby=standby, keep_standby=previous is not None)  # fmt: skip
    clock.lap("render and write")
    files = _site_files(pages, output_dir)
    changed = [name for name in map(str, pages) if name not in standby.same] if standby else None
    folders = _folders_now(output_dir, files, changed, memo)
    now_written = replace(written, identity=folder_identity(output_dir), files=files,
                          folders=folders)  # fmt: skip
    kept = previous and replace(previous, identity=folder_identity(standby_path(output_dir)))
    return Made(pages, now_written, kept, None)


def _written(pages: Pages, reuse: Reuse) -> Written:
    """Describe the site about to be written: each file's fingerprint, and the search
    index's (of the posting pages it reads)."""
    prints = {str(path): reuse.fingerprints.get(str(path), "") for path in pages}
    postings = sorted((path, f) for path, f in prints.items() if path.startswith("jobs/"))
    return Written((0, 0, 0), prints, fingerprint(PAGEFIND_VERSION, postings))


def _standby(memo: Memo, written: Written, output_dir: Path) -> Standby | None:
    """The copy of the site before last to update into the new one, if the memo knows it."""
    kept = memo.standby
    copy = standby_path(output_dir)
    if kept is None or folder_identity(copy) != kept.identity:
        return None
    if times_of(copy, kept.folders) != kept.folders:  # a file was added or removed in it
        return None
    before = kept.pages  # a page without a fingerprint ("") is always written again
    same = {page for page, print_ in written.pages.items() if print_ and before.get(page) == print_}
    index = [copy / name for name in kept.files if name.startswith("pagefind/")]
    whole_index = bool(index) and all(os.path.exists(name) for name in index)
    return Standby(kept.files, same, whole_index and kept.search == written.search)


def _search_step(
    pagefind: Path | None, memo: Memo, written: Written, output_dir: Path
) -> Callable[[Path], None] | None:
    """Index the new site for search, or link the old index when the postings it reads
    are unchanged."""
    if pagefind is None:
        return None
    before = memo.written if memo.pages(output_dir) else None
    old_index = output_dir.resolve() / "pagefind"
    if before and before.search == written.search and _complete_index(memo, output_dir):
        return lambda staging: link_tree(old_index, staging / "pagefind")
    return partial(index_site, pagefind=pagefind)


def _complete_index(memo: Memo, output_dir: Path) -> bool:
    """Tell whether every file of the old search index the last build recorded is there."""
    if memo.finished is None:
        return False
    indexed = [name for name in memo.finished.files if name.startswith("pagefind/")]
    return bool(indexed) and all(os.path.exists(output_dir / name) for name in indexed)


def _site_files(pages: Pages, output_dir: Path) -> tuple[str, ...]:
    """Every file of the site just written, as a walk of it would list them."""
    names = [str(path) for path in pages]
    for folder in ("static", "pagefind"):
        for inside, _, found in os.walk(output_dir / folder):
            names += (os.path.relpath(os.path.join(inside, name), output_dir) for name in found)
    return tuple(sorted(names))


def _folders_now(
    output_dir: Path, files: tuple[str, ...], changed: list[str] | None, memo: Memo
) -> dict[str, int]:
    """Every folder's mtime in the site just swapped in. A standby updated into it keeps the
    times it was checked with, but in the folders this build wrote into: only those are read.
    `changed`: the pages this build wrote, when it updated the standby; else None."""
    kept, before = memo.standby, memo.written
    if changed is None or kept is None or kept.files != files:
        if before and before.files == files:  # the same folders: no need to work them out
            return times_of(output_dir, before.folders)
        return folder_times(output_dir, files)
    touched = {""}  # the top: its time is set, and static/ and pagefind/ are made anew in it
    touched |= {f for f in kept.folders if f.split("/", 1)[0] in {"static", "pagefind"}}
    for folder in map(os.path.dirname, changed):
        while folder not in touched:  # and the folders above it
            touched.add(folder)
            folder = os.path.dirname(folder)
    return dict(kept.folders) | times_of(output_dir, sorted(touched))
