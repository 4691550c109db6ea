"""The pipeline: config → taxonomy → read → extract → publish → render → write.

Every stage takes the memo of the last build (empty without a cache: builder/incremental.py)
and returns what it made; nothing here reads or saves the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

from builder.cache import Saved
from builder.config import Config, load_config
from builder.delta import (
    Change,
    Layout,
    changed_files,
    extract_changed,
    make_layout,
    moved_on,
    plan_change,
)
from builder.extraction import Board, Extracted, extract_board
from builder.fingerprints import GENERATOR, Reuse, digest_of, files_digest
from builder.memo import NO_MEMO, Built, Memo, finished_build
from builder.model import Site
from builder.options import Options, Progress, Result
from builder.policy import count_statuses, left_out, published
from builder.problems import Problem, ProblemError, display
from builder.search import SearchFailed, find_pagefind, no_search, search_failed
from builder.sources import Reading, read_content
from builder.stopwatch import Stopwatch
from builder.summary import pages_by_kind
from builder.writing import (
    Made,
    Setting,
    change_reuse,
    render_change,
    render_site,
    tool_identity,
    write,
)


def build(options: Options, memo: Memo = NO_MEMO) -> Built:
    """Build the site; stop before writing on an error, unless --keep-going skips it.

    Two look-ups in the memo can answer sooner: the same inputs into the untouched site
    (nothing to do), and an edit of descriptions alone (only their pages are rendered)."""
    clock = Stopwatch()
    config, config_problems = load_settings(options.config_file)
    reading = read_content(options.content_dir, options.now, config, config_problems, memo.seen)
    inputs = digest_inputs(options, config, reading)
    if (report := memo.report_for(inputs.digest, options.output_dir)) is not None:
        return Built(report, None)  # the site on disk is what these inputs build
    clock.lap("read")
    if (edited := build_edit(options, config, reading, inputs, memo, clock)) is not None:
        return edited
    board = extract_board(reading, memo.extracted, options.progress)
    clock.lap("extract")
    broken = reading.taxonomy is None or any(p.is_error for p in config_problems)
    if board.errors and (broken or not options.keep_going):
        kept = Saved(reading.seen, extracted=board.extracted, written=memo.written,
                     standby=memo.standby)  # fmt: skip
        return Built(board.result(options.now), kept)
    site = Site(published(board.postings, options), options.now, base_url(options, config), config)
    indexed = options.search and bool(site.open_postings)  # nothing to search: no index
    setting = Setting(options, find_pagefind() if indexed else None, clock)
    try:
        made = render_and_write(setting, site, reading, inputs, memo)
    except (SearchFailed, ProblemError) as exc:
        failed = _failure(exc, options.output_dir)
        forgotten = Saved(reading.seen, extracted=board.extracted, standby=memo.standby)
        return Built(
            replace(board.result(options.now), problems=(*board.problems, failed)), forgotten
        )
    missing = (no_search(display(options.output_dir)),) if indexed and not setting.pagefind else ()
    result = report_build(board, site, made, options, clock, missing)
    # A stale index is not what these inputs build: the same inputs again must index it.
    done = finished_build("" if made.stale else inputs.digest, made.written, result)
    saved = Saved(reading.seen, done, board.extracted, written=made.written,
                  standby=made.standby, layout=made.layout)  # fmt: skip
    return Built(result, saved)


def _failure(exc: SearchFailed | ProblemError, output_dir: Path) -> Problem:
    """The problem that kept a site from being written."""
    if isinstance(exc, ProblemError):
        return exc.problem
    return search_failed(display(output_dir), str(exc))


def check(
    content_dir: Path,
    now: datetime,
    config_file: Path | None = None,
    progress: Progress | None = None,
) -> Result:
    """Read the config and extract every posting without writing anything."""
    config, config_problems = load_settings(config_file)
    reading = read_content(content_dir, now, config, config_problems)
    return extract_board(reading, progress=progress).result(now)


def load_settings(path: Path | None) -> tuple[Config, list[Problem]]:
    """Load the site config, naming it in problems as the curator knows it."""
    if path is None:
        return Config(), []
    config, problems = load_config(path, required=True)
    return config, [replace(problem, path=display(path)) for problem in problems]


@dataclass(frozen=True)
class Inputs:
    """Digests of everything a build reads, and of all of it but the content files."""

    digest: str
    shared: str


def digest_inputs(options: Options, config: Config, reading: Reading) -> Inputs:
    """Digest everything a build reads, so a build of the same inputs can be skipped."""
    templates = files_digest(options.templates_dir)
    static = files_digest(options.static_dir) if options.static_dir.is_dir() else ""
    searchable = tool_identity(find_pagefind()) if options.search else ""
    settings = (repr(config), options.base_url, options.now.isoformat(), options.keep_going,
                options.drafts, options.future, searchable)  # fmt: skip
    # The taxonomy too, though each file's digest holds it: the tag index shows its order.
    shared = digest_of(GENERATOR, repr(settings), repr(reading.problems), templates, static,
                       reading.shared)  # fmt: skip
    files = [part for file in reading.files for part in (file.source, file.digest)]
    return Inputs(digest_of(shared, *files), shared)


def base_url(options: Options, config: Config) -> str:
    url = options.base_url or config.base_url
    return url if url.endswith("/") else url + "/"


def render_and_write(
    setting: Setting, site: Site, reading: Reading, inputs: Inputs, memo: Memo
) -> Made:
    """Render the site and write it; render it all again if a file it would reuse is gone."""
    assert reading.taxonomy is not None  # an invalid taxonomy stops the build before this
    rendered = render_site(setting, site, reading.taxonomy, memo)
    made = write(setting, rendered, memo)
    if made is None:  # a file of the site on disk was deleted by hand: reuse none of it
        memo = memo.without_site()
        rendered = render_site(setting, site, reading.taxonomy, memo)
        made = write(setting, rendered, memo)
        assert made is not None  # with no site to reuse, every page is rendered
    base = rendered.reuse.base
    layout = make_layout(inputs.digest, inputs.shared, reading.files, base, site, rendered.feeds,
                         rendered.shards)  # fmt: skip
    return replace(made, layout=layout)


def report_build(
    board: Board,
    site: Site,
    made: Made,
    options: Options,
    clock: Stopwatch,
    problems: tuple[Problem, ...] = (),
) -> Result:
    """Report a written build: what it published, left out and wrote."""
    hidden = left_out(board.postings, options)
    return replace(
        board.result(options.now),
        problems=(*board.problems, *problems),
        postings=site.postings,
        statuses=count_statuses(site.postings, options.now),
        drafts=hidden["draft"],
        future=hidden["future"],
        pages_written=len(made.pages),
        pages_reused=made.reused,
        pages_by_kind=MappingProxyType(pages_by_kind(made.pages)),
        written=True,
        search_stale=made.stale,
        timings=MappingProxyType(clock.laps),
    )


def build_edit(
    options: Options, config: Config, reading: Reading, inputs: Inputs, memo: Memo, clock: Stopwatch
) -> Built | None:
    """Render again only the pages and feeds of postings whose descriptions alone changed
    (builder/delta.py), and write them; None when the board must be planned in full."""
    edit = plan_edit(options, config, reading, inputs, memo, clock)
    if edit is None or memo.finished is None:
        return None
    try:
        rendered = render_change(edit.setting, edit.site, edit.change, edit.layout, edit.reuse)
        made = write(edit.setting, rendered, memo) if rendered else None
    except (SearchFailed, ProblemError):
        made = None  # planned in full, which reports what is wrong
    if made is None:
        return None
    report = replace(memo.finished.report, pages_reused=made.reused, search_stale=made.stale,
                     timings=MappingProxyType(clock.laps))  # fmt: skip
    done = finished_build("" if made.stale else inputs.digest, made.written, report)
    layout = moved_on(edit.layout, inputs.digest, edit.fresh, edit.change)
    saved = Saved(reading.seen, done, patched=tuple(edit.fresh), written=made.written,
                  standby=made.standby, layout=layout)  # fmt: skip
    return Built(report, saved)


@dataclass(frozen=True)
class Edit:
    """An edit the edit path can take: the changed files extracted again, and what of the
    site they change."""

    layout: Layout
    fresh: list[Extracted]
    change: Change
    site: Site  # of the postings the change shows
    setting: Setting
    reuse: Reuse  # the site on disk's pages, with their prints


def plan_edit(
    options: Options, config: Config, reading: Reading, inputs: Inputs, memo: Memo, clock: Stopwatch
) -> Edit | None:
    """Plan an edit of descriptions alone; None when it is more than that."""
    layout = memo.layout(options.output_dir)
    files = changed_files(layout, reading.files, inputs.shared) if layout else None
    fresh = None if files is None else extract_changed(files, reading.context, memo.entry)
    if layout is None or fresh is None:
        return None
    clock.lap("extract")
    change = plan_change(layout, fresh)
    site = Site(change.postings, options.now, base_url(options, config), config)  # only those
    pagefind = find_pagefind() if options.search and layout.searched else None
    setting = Setting(options, pagefind, clock)
    reuse = change_reuse(setting, layout, memo.pages(options.output_dir))
    return Edit(layout, fresh, change, site, setting, reuse)
