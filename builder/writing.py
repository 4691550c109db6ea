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
from pathlib import Path

from builder.cache import Written, folder_identity, folder_times, times_of
from builder.delta import Change, Layout
from builder.feeds import Feed, render_feeds, site_feeds
from builder.fingerprints import GENERATOR, Reuse, files_digest, fingerprint
from builder.memo import Memo
from builder.model import Site
from builder.options import Options
from builder.output import OldFile, Pages, Standby, standby_path, write_site
from builder.render import (
    fixed_pages,
    host_files,
    render_pages,
    render_posting_pages,
)
from builder.search import PAGEFIND_VERSION, SearchPlan, index_shards
from builder.shards import Shard, plan_shards, shard_prints
from builder.stopwatch import Stopwatch
from builder.taxonomy import Taxonomy
from builder.templating import make_environment


@dataclass(frozen=True)
class Rendered:
    """Every file of the site but the static ones and the search index, and their prints."""

    pages: Pages
    reuse: Reuse  # what every page depends on, and each page's fingerprint
    feeds: tuple[Feed, ...] = ()  # every feed of the site (the edit path's layout holds them)
    shards: tuple[Shard, ...] = ()  # the search index's, when the site is indexed


@dataclass(frozen=True)
class Made:
    """A site written: its pages, and what the memo of the next build records of it."""

    pages: Pages
    written: Written
    standby: Written | None
    layout: Layout | None
    stale: bool = False  # some search shards hold an earlier index, to be indexed soon

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
    shards = _shards(setting, site)
    environment = make_environment(options.templates_dir, site)
    reuse = page_reuse(setting, site, memo.pages(options.output_dir))
    feeds = site_feeds(site)
    pages = render_pages(environment, site, taxonomy, reuse, [s.folder for s in shards])
    pages |= render_feeds(site, reuse, feeds)
    pages |= host_files(site)
    return Rendered(pages, reuse, tuple(feeds), shards)


def _shards(setting: Setting, site: Site) -> tuple[Shard, ...]:
    """The search index's shards; none when the site is not indexed."""
    if setting.pagefind is None:
        return ()
    return plan_shards(site.open_postings, setting.options.shard_size)


def render_change(
    setting: Setting, site: Site, change: Change, layout: Layout, reuse: Reuse
) -> Rendered | None:
    """Render the change's pages and feeds anew; every other file is the one on disk. None
    when the site on disk holds pages the layout cannot account for."""
    fresh = changed_pages(setting, site, change, reuse)
    if fresh is None:
        return None
    old_site = reuse.old_site
    previous = reuse.previous
    pages: Pages = {n: OldFile(f"{old_site}/{n}") for n, f in previous.items() if f}
    pages |= fresh
    shards = layout.shards if setting.pagefind else ()  # of the whole site, not the change's
    return Rendered(pages, reuse, shards=shards)


def changed_pages(setting: Setting, site: Site, change: Change, reuse: Reuse) -> Pages | None:
    """The pages and feeds the change renders anew, with those every build renders; None
    when they are not the pages the site on disk has, or some of those that have no print."""
    environment = make_environment(setting.options.templates_dir, site)
    pages = render_posting_pages(environment, site, change.pages, reuse)
    pages |= render_feeds(site, reuse, change.feeds)
    pages |= fixed_pages(environment) | host_files(site)
    names = set(pages)
    always_written = {name for name, print_ in reuse.previous.items() if not print_}
    return pages if names <= reuse.previous.keys() and always_written <= names else None


def change_reuse(setting: Setting, layout: Layout, previous: Mapping[str, str]) -> Reuse:
    """The site on disk's pages and prints, which an edit renders a few of anew."""
    old_site = setting.options.output_dir.resolve()
    return Reuse(layout.base, previous, old_site, True, dict(previous))


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
    written = _written(pages, rendered.reuse, rendered.shards)
    standby = _standby(memo, written, output_dir)
    # Checked here, not while linking: a forked writer cannot ask for a page to be rendered.
    same = standby.same if standby else set()
    linked = (page for p, page in pages.items() if isinstance(page, OldFile) and p not in same)
    if not all(os.path.exists(page) for page in linked):
        return None
    clock.lap("plan")
    plan = _search_plan(rendered, written, memo, output_dir, options.search_later)
    search = _search_step(setting.pagefind, plan)
    previous = memo.written if rendered.reuse.previous else None  # the site on disk
    write_site(pages, options.static_dir, output_dir, finish=clock.timed(search, "search"),
               locked=True, standby=standby, keep_standby=previous is not None)  # fmt: skip
    clock.lap("render and write")
    files = _site_files(pages, output_dir)
    changed = [name for name in pages if name not in standby.same] if standby else None
    folders = _folders_now(output_dir, files, changed, memo)
    stale = {name: "" for name in plan.stale} if setting.pagefind else {}
    now_written = replace(written, identity=folder_identity(output_dir), files=files,
                          folders=folders, search={**written.search, **stale})  # fmt: skip
    kept = previous and replace(previous, identity=folder_identity(standby_path(output_dir)))
    return Made(pages, now_written, kept, None, bool(stale))


def _written(pages: Pages, reuse: Reuse, shards: tuple[Shard, ...]) -> Written:
    """Describe the site about to be written: each file's fingerprint, and each search
    shard's (of the posting pages it reads)."""
    prints = {name: reuse.fingerprints.get(name, "") for name in pages}
    return Written((0, 0, 0), prints, shard_prints(shards, prints, PAGEFIND_VERSION))


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
    return Standby(kept.files, same)


def _search_step(pagefind: Path | None, plan: SearchPlan) -> Callable[[Path], None] | None:
    """Index the new site for search, shard by shard, reusing unchanged shards."""
    if pagefind is None:
        return None
    return partial(index_shards, pagefind=pagefind, plan=plan)


def _search_plan(
    rendered: Rendered, written: Written, memo: Memo, output_dir: Path, later: bool
) -> SearchPlan:
    """The search index to write, with the shards found whole in the standby's index (which
    the new site is written over) and in the live site's. `later`: a changed shard the live
    site has whole is kept as it is there, stale, instead of indexed now."""
    in_place: dict[str, str] = {}
    kept = memo.standby
    if kept is not None and folder_identity(standby_path(output_dir)) == kept.identity:
        in_place = _whole(standby_path(output_dir), kept)
    live, in_live = None, {}
    if memo.finished is not None and memo.written is not None and memo.pages(output_dir):
        live = output_dir.resolve() / "pagefind"
        in_live = _whole(output_dir, replace(memo.written, files=memo.finished.files))
    prints = written.search
    stale = {name for name, print_ in prints.items() if name in in_live and later}
    stale -= {name for name in stale if print_matches(name, prints, in_place, in_live)}
    return SearchPlan(rendered.shards, prints, in_place, live, in_live, frozenset(stale))


def print_matches(name: str, prints: Mapping[str, str], *found: Mapping[str, str]) -> bool:
    """Tell whether an earlier index holds this shard as the new site needs it."""
    return bool(prints[name]) and any(known.get(name) == prints[name] for known in found)


def _whole(site: Path, written: Written) -> dict[str, str]:
    """The fingerprints of the shards whose every recorded file is still in the site."""
    shards: dict[str, list[str]] = {}
    for name in written.files:
        parts = name.split("/")
        if parts[0] == "pagefind" and len(parts) > 2:
            shards.setdefault(parts[1], []).append(name)
    return {
        shard: print_
        for shard, print_ in written.search.items()
        if shard in shards and all(os.path.exists(site / name) for name in shards[shard])
    }


def _site_files(pages: Pages, output_dir: Path) -> tuple[str, ...]:
    """Every file of the site just written, as a walk of it would list them."""
    names = list(pages)
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
