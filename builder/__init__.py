"""sreboard: turn a folder of raw job postings into a static job board.

build() reads like the pipeline it runs: read -> normalize -> extract -> tag -> render -> write.
"""

from __future__ import annotations

import gc
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from builder.batch import Job, Known, context_digest, extract_all, make_job
from builder.cache import (
    GENERATOR,
    BuildCache,
    Finished,
    Reuse,
    Written,
    digest_of,
    files_digest,
    fingerprint,
    folder_identity,
    folder_times,
    times_of,
)
from builder.config import Config, load_config
from builder.delta import (
    Change,
    Layout,
    changed_jobs,
    extract_changed,
    make_layout,
    moved_on,
    plan_change,
)
from builder.extract import Context, assign_unique_slugs
from builder.feeds import Feed, render_feeds, site_feeds
from builder.model import Posting, Site
from builder.output import (
    OldFile,
    OutputLocked,
    Pages,
    Standby,
    check_output_dir,
    link_tree,
    output_lock,
    remove_leftovers,
    standby_path,
    write_site,
)
from builder.policy import count_statuses, is_published, status
from builder.problems import Problem, sort_problems, warning
from builder.readers import git_dates, posting_files
from builder.render import (
    fixed_pages,
    host_files,
    make_environment,
    render_pages,
    render_posting_pages,
)
from builder.search import (
    PAGEFIND_VERSION,
    SearchFailed,
    find_pagefind,
    index_site,
    no_search,
    search_failed,
)
from builder.summary import pages_by_kind
from builder.taxonomy import Taxonomy, build_taxonomy, load_taxonomy

PROJECT = Path(__file__).resolve().parent.parent
TAXONOMY_FILE = "_taxonomy.yml"
Progress = Callable[[int, int], None]  # called with (postings files read, of how many)


@dataclass(frozen=True)
class Options:
    """What a build reads, where it writes, and the moment it is built for."""

    content_dir: Path
    output_dir: Path
    base_url: str | None  # None: the config's
    now: datetime
    keep_going: bool = False
    templates_dir: Path = PROJECT / "templates"
    static_dir: Path = PROJECT / "static"
    config_file: Path | None = None  # None: the defaults
    drafts: bool = False  # publish postings marked `draft: true` too
    future: bool = False  # publish postings dated after `now` too
    progress: Progress | None = None
    cache_dir: Path | None = None  # where to keep the build cache; None: build from scratch
    search: bool = True  # index the open postings for search with Pagefind


@dataclass(frozen=True)
class Result:
    """What a build or check found and did."""

    problems: tuple[Problem, ...]
    postings: tuple[Posting, ...] = ()
    skipped: tuple[str, ...] = ()
    pages_written: int = 0
    files_read: int = 0
    written: bool = False
    drafts: int = 0  # drafts left out of `postings` by a build
    future: int = 0  # postings dated after `now` left out of `postings` by a build
    pages_reused: int = 0  # of pages_written: unchanged files linked from the previous site
    statuses: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    timings: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))  # s
    pages_by_kind: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def check(
    content_dir: Path,
    now: datetime,
    config_file: Path | None = None,
    progress: Progress | None = None,
) -> Result:
    """Read the config and extract every posting without writing anything."""
    config, config_problems = _config(config_file)
    reading = _read(content_dir, now, config, config_problems)
    return _extract(reading, progress)


def build(options: Options) -> Result:
    """Build the site; write it only if there is no error (or --keep-going skips them).

    The output's lock is held throughout: what the cache says of the site on disk must stay
    true from the first look at it to the last word written about it."""
    check_output_dir(options.output_dir, options.content_dir, [PROJECT, Path.cwd()])
    with output_lock(options.output_dir), _collector_paused():
        return _build(options)


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


def _build(options: Options) -> Result:
    config, config_problems = _config(options.config_file)
    cache = _open_cache(options)
    clock = Stopwatch()
    started = time.time_ns()
    known = cache.seen if cache else ({}, 0)
    reading = _read(options.content_dir, options.now, config, config_problems, known)
    if cache:
        cache.seen = ({job.key: job.seen for job in reading.jobs if job.seen}, started)
    inputs = _inputs(options, config, reading) if cache else Inputs("", "")
    if cache and (report := cache.unchanged(inputs.digest, options.output_dir)):
        remove_leftovers(options.output_dir)
        return report  # the site on disk is what these inputs build
    clock.lap("read")
    if cache and (rebuilt := _rebuild(options, config, reading, cache, inputs, clock)):
        return rebuilt
    checked = _extract(reading, options.progress, cache)
    clock.lap("extract")
    config_broken = any(p.is_error for p in config_problems)
    if checked.errors and (reading.taxonomy is None or config_broken or not options.keep_going):
        _save(cache, None if cache is None else cache.written)
        return checked
    shown = [is_published(p, options.now, options.drafts, options.future) for p in checked.postings]
    published = tuple(p for p, show in zip(checked.postings, shown, strict=True) if show)
    site = Site(published, options.now, _with_slash(options.base_url or config.base_url), config)
    indexed = options.search and site.open_postings  # nothing to search: no index
    pagefind = find_pagefind() if indexed else None
    made_from = partial(make_layout, inputs.digest, inputs.shared, reading.jobs)
    try:
        pages = _write(options, site, reading.taxonomy, pagefind, cache, clock, made_from)
    except SearchFailed as exc:
        failed = search_failed(_display(options.output_dir), str(exc))
        return replace(checked, problems=(*checked.problems, failed))
    hidden = [p for p, show in zip(checked.postings, shown, strict=True) if not show]
    left_out = Counter(status(posting, options.now) for posting in hidden)
    missing = [no_search(_display(options.output_dir))] if indexed and not pagefind else []
    result = replace(
        checked,
        problems=(*checked.problems, *missing),
        postings=published,
        statuses=count_statuses(published, options.now),
        drafts=left_out["draft"],
        future=left_out["future"],
        pages_written=len(pages),
        pages_reused=sum(isinstance(page, OldFile) for page in pages.values()),
        pages_by_kind=MappingProxyType(pages_by_kind(pages)),
        written=True,
        timings=MappingProxyType(clock.laps),
    )
    if cache:
        _finish(cache, options, inputs.digest, pages, result)
    return result


LayoutMaker = Callable[[str, Site, list[Feed]], Layout]


def _write(
    options: Options,
    site: Site,
    taxonomy: Taxonomy | None,
    pagefind: Path | None,
    cache: BuildCache | None,
    clock: Stopwatch,
    made_from: LayoutMaker,
) -> Pages:
    """Render and write the site; forget the cached site wherever the old one may be gone."""
    assert taxonomy is not None  # an invalid taxonomy stops the build before this
    write = partial(_render_and_write, options, site, taxonomy, pagefind, cache, clock, made_from)
    try:
        try:
            return write()
        except FileNotFoundError:
            if cache is None or cache.written is None:
                raise
            cache.written = cache.standby = None  # a file deleted by hand: reuse none
            return write()
    except OutputLocked:
        raise  # another build is writing: its cache is its own
    except BaseException:
        _save(cache, None)  # nothing in the old site can be trusted to be reusable
        raise


Step = Callable[[Path], None]


class Stopwatch:
    """Time the stages of a build, for its summary."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.started = time.perf_counter()
        self.inner: dict[str, float] = {}  # stages timed within the current lap

    def lap(self, stage: str) -> None:
        """Record the time since the last lap, less the inner stages, which follow it."""
        now = time.perf_counter()
        self.laps[stage] = now - self.started - sum(self.inner.values())
        self.laps |= self.inner
        self.started, self.inner = now, {}

    def timed(self, step: Step | None, stage: str) -> Step | None:
        """Wrap a step so its time is recorded as its own stage."""
        if step is None:
            return None

        def run(folder: Path) -> None:
            started = time.perf_counter()
            step(folder)
            self.inner[stage] = time.perf_counter() - started

        return run


def _finish(cache: BuildCache, options: Options, inputs: str, pages: Pages, result: Result) -> None:
    """Record what this build was made from, so the same inputs need not be built again;
    every page the report says it reused was left unchanged."""
    report = replace(
        result,
        postings=(),
        pages_reused=result.pages_written,
        statuses=dict(result.statuses),  # plain dicts: a mapping proxy does not pickle
        pages_by_kind=dict(result.pages_by_kind),
        timings={},
    )
    written = cache.written
    assert written is not None  # a written build records its site
    finished = Finished(inputs, written.identity, written.files, report)
    cache.save(written, finished)


def _render_and_write(
    options: Options,
    site: Site,
    taxonomy: Taxonomy,
    pagefind: Path | None,
    cache: BuildCache | None,
    clock: Stopwatch,
    made_from: LayoutMaker,
) -> Pages:
    """Render the site, reusing what `cache` finds unchanged, and swap it in; record what
    was written, and what it was made from, in the cache."""
    environment = make_environment(options.templates_dir, site, search=pagefind is not None)
    reuse = _reuse(cache, options, site, _tool_identity(pagefind))
    feeds = site_feeds(site)
    pages = render_pages(environment, site, taxonomy, reuse)
    pages |= render_feeds(site, reuse, feeds)
    pages |= host_files(site)
    layout = made_from(reuse.base, site, feeds) if cache else None
    _write_and_record(options, pages, reuse, pagefind, cache, clock)
    if cache:
        cache.layout = layout
    return pages


def _write_and_record(
    options: Options,
    pages: Pages,
    reuse: Reuse,
    pagefind: Path | None,
    cache: BuildCache | None,
    clock: Stopwatch,
) -> None:
    """Swap the pages in as the new site, updating the standby copy where there is one,
    and record in the cache what was written."""
    written = _written(pages, reuse)
    standby = _standby(cache, written, options.output_dir)
    # Checked here, not while linking: a forked writer cannot ask for a page to be rendered.
    same = standby.same if standby else set()
    linked = (page for p, page in pages.items() if isinstance(page, OldFile) and str(p) not in same)
    if not all(os.path.exists(page) for page in linked):
        raise FileNotFoundError("a file of the previous site is gone")
    clock.lap("plan")
    search = _search_step(pagefind, cache, written, options.output_dir)
    finish = clock.timed(search, "search")
    previous = cache.written if cache and reuse.previous else None  # the site on disk
    write_site(pages, options.static_dir, options.output_dir, finish=finish, locked=True,
               standby=standby, keep_standby=previous is not None)  # fmt: skip
    clock.lap("render and write")
    if cache:
        files = _site_files(pages, options.output_dir)
        folders = _folders_now(options.output_dir, files, pages, standby, cache)
        identity = folder_identity(options.output_dir)
        cache.written = replace(written, identity=identity, files=files, folders=folders)
        kept = standby_path(options.output_dir)
        cache.standby = previous and replace(previous, identity=folder_identity(kept))


def _folders_now(
    output_dir: Path,
    files: tuple[str, ...],
    pages: Pages,
    standby: Standby | None,
    cache: BuildCache,
) -> dict[str, int]:
    """Every folder's mtime in the site just swapped in. A standby updated into it keeps the
    times it was checked with, but in the folders this build wrote into: only those are read."""
    kept, before = cache.standby, cache.written
    if standby is None or kept is None or kept.files != files:
        if before and before.files == files:  # the same folders: no need to work them out
            return times_of(output_dir, before.folders)
        return folder_times(output_dir, files)
    touched = {""}  # the top: its time is set, and static/ and pagefind/ are made anew in it
    touched |= {f for f in kept.folders if f.split("/", 1)[0] in {"static", "pagefind"}}
    rewritten = (name for name in map(str, pages) if name not in standby.same)
    for folder in map(os.path.dirname, rewritten):
        while folder not in touched:  # and the folders above it
            touched.add(folder)
            folder = os.path.dirname(folder)
    return dict(kept.folders) | times_of(output_dir, sorted(touched))


def _rebuild(
    options: Options,
    config: Config,
    reading: _Reading,
    cache: BuildCache,
    inputs: Inputs,
    clock: Stopwatch,
) -> Result | None:
    """Render again only the pages and feeds of postings whose descriptions alone changed
    (builder/delta.py); None when the board must be planned in full."""
    layout, done = cache.load_layout(), cache.finished
    if layout is None or done is None or layout.inputs != done.inputs:
        return None
    written, previous = cache.written, cache.reusable_pages(options.output_dir)
    if written is None or written.identity != done.identity or not previous:
        return None
    jobs = changed_jobs(layout, reading.jobs, inputs.shared)
    fresh = extract_changed(jobs, reading.context, cache) if jobs else None
    if fresh is None:
        return None
    clock.lap("extract")
    change = plan_change(layout, fresh)
    pagefind = find_pagefind() if options.search and layout.searched else None
    try:
        pages = _write_change(options, config, change, layout, previous, pagefind, cache, clock)
    except (FileNotFoundError, SearchFailed):
        return None  # planned in full, which finds out what is wrong
    except OutputLocked:
        raise
    except BaseException:
        _save(cache, None)
        raise
    if pages is None:
        return None
    for entry in fresh:
        cache.patch(entry)
    cache.layout = moved_on(layout, inputs.digest, fresh, change)
    reused = sum(isinstance(page, OldFile) for page in pages.values())
    result = replace(done.report, pages_reused=reused, timings=MappingProxyType(clock.laps))
    _finish(cache, options, inputs.digest, pages, result)
    return result


def _write_change(
    options: Options,
    config: Config,
    change: Change,
    layout: Layout,
    previous: Mapping[str, str],
    pagefind: Path | None,
    cache: BuildCache,
    clock: Stopwatch,
) -> Pages | None:
    """Write the site on disk (whose pages have the fingerprints `previous`) again with the
    change's pages and feeds rendered anew and every other file as it is; None if the site
    holds pages the layout cannot account for."""
    base_url = _with_slash(options.base_url or config.base_url)
    site = Site(change.postings, options.now, base_url, config)  # only those rendered
    environment = make_environment(options.templates_dir, site, search=pagefind is not None)
    old_site = options.output_dir.resolve()
    reuse = Reuse(layout.base, previous, old_site, True, dict(previous))
    pages: Pages = {PurePosixPath(n): OldFile(f"{old_site}/{n}") for n, f in previous.items() if f}
    pages |= render_posting_pages(environment, site, change.pages, reuse)
    pages |= render_feeds(site, reuse, change.feeds)
    pages |= fixed_pages(environment) | host_files(site)
    if len(pages) != len(previous) or any(str(path) not in previous for path in pages):
        return None
    _write_and_record(options, pages, reuse, pagefind, cache, clock)
    return pages


def _standby(cache: BuildCache | None, written: Written, output_dir: Path) -> Standby | None:
    """The copy of the site before last to update into the new one, if the cache knows it."""
    kept = cache.standby if cache else None
    copy = standby_path(output_dir)
    if kept is None or folder_identity(copy) != kept.identity:
        return None
    if times_of(copy, kept.folders) != kept.folders:  # a file was added or removed in it
        return None
    before = kept.pages  # a page without a fingerprint ("") is always written again
    same = {page for page, print_ in written.pages.items() if print_ and before.get(page) == print_}
    index = [standby_path(output_dir) / n for n in kept.files if n.startswith("pagefind/")]
    whole_index = bool(index) and all(os.path.exists(name) for name in index)
    return Standby(kept.files, same, whole_index and kept.search == written.search)


def _site_files(pages: Pages, output_dir: Path) -> tuple[str, ...]:
    """Every file of the site just written, as a walk of it would list them."""
    names = [str(path) for path in pages]
    for folder in ("static", "pagefind"):
        for inside, _, found in os.walk(output_dir / folder):
            names += (os.path.relpath(os.path.join(inside, name), output_dir) for name in found)
    return tuple(sorted(names))


def _open_cache(options: Options) -> BuildCache | None:
    if options.cache_dir is None:
        return None
    return BuildCache.open(options.cache_dir, options.content_dir, options.output_dir)


def _save(cache: BuildCache | None, written: Written | None) -> None:
    if cache is not None:
        cache.save(written)


def _tool_identity(tool: Path | None) -> str:
    """Tell one installed binary (Pagefind) from another: a new one may index differently."""
    if tool is None:
        return ""
    status = tool.stat()
    return f"{tool}:{status.st_size}:{status.st_mtime_ns}"


def _reuse(cache: BuildCache | None, options: Options, site: Site, search: str) -> Reuse:
    """What every page depends on, and the previous site's pages that can be reused."""
    if cache is None:
        return Reuse()
    templates = files_digest(options.templates_dir)
    shared = (repr(site.config), site.base_url, site.now.isoformat(), search, templates)
    return Reuse(
        base=fingerprint(GENERATOR, *shared, bool(site.open_postings)),
        previous=cache.reusable_pages(options.output_dir),
        old_site=options.output_dir.resolve(),
        enabled=True,
    )


def _written(pages: Pages, reuse: Reuse) -> Written:
    """Describe the site about to be written: each file's fingerprint, and the search
    index's (of the posting pages it reads)."""
    prints = {str(path): reuse.fingerprints.get(str(path), "") for path in pages}
    postings = sorted((path, f) for path, f in prints.items() if path.startswith("jobs/"))
    search = fingerprint(PAGEFIND_VERSION, postings) if reuse.enabled else ""
    return Written((0, 0, 0), prints, search)


def _search_step(
    pagefind: Path | None, cache: BuildCache | None, written: Written, output_dir: Path
) -> Callable[[Path], None] | None:
    """Index the new site for search, or link the old index when the postings it reads
    are unchanged."""
    if pagefind is None:
        return None
    before = cache.written if cache and cache.reusable_pages(output_dir) else None
    old_index = output_dir.resolve() / "pagefind"
    if before and before.search == written.search and _complete_index(cache, output_dir):
        return lambda staging: link_tree(old_index, staging / "pagefind")
    return partial(index_site, pagefind=pagefind)


def _complete_index(cache: BuildCache | None, output_dir: Path) -> bool:
    """Tell whether every file of the old search index the last build recorded is there."""
    if cache is None or cache.finished is None:
        return False
    indexed = [name for name in cache.finished.files if name.startswith("pagefind/")]
    return bool(indexed) and all(os.path.exists(output_dir / name) for name in indexed)


def _config(path: Path | None) -> tuple[Config, list[Problem]]:
    """Load the site config, naming it in problems as the curator knows it."""
    if path is None:
        return Config(), []
    config, problems = load_config(path, required=True)
    return config, [replace(problem, path=_display(path)) for problem in problems]


@dataclass(frozen=True)
class _Reading:
    """The content read for a build: the taxonomy (None when invalid), every file's bytes
    and digest, and the problems found so far."""

    taxonomy: Taxonomy | None
    context: Context
    jobs: tuple[Job, ...]
    problems: tuple[Problem, ...]
    shared: str = ""  # digest of what every file's extraction reads: taxonomy, maximum age


def _read(
    content_dir: Path,
    now: datetime,
    config: Config,
    problems: list[Problem],
    known: Known = ({}, 0),
) -> _Reading:
    """Load the taxonomy and read every posting file, with what its extraction depends on;
    a file as it was `known` is not read until it has to be extracted."""
    taxonomy, taxonomy_problems = _taxonomy(content_dir)
    files = posting_files(content_dir)
    names = _display_names(files, content_dir)
    added, changed = git_dates(content_dir, now)
    context = Context(
        taxonomy or build_taxonomy({}),
        now,
        _by_display_name(added, names, content_dir),
        _by_display_name(changed, names, content_dir),
        config.max_age,
    )
    shared = context_digest(context)
    jobs = tuple(make_job(content_dir, key, names[key], context, shared, known) for key in files)
    return _Reading(taxonomy, context, jobs, (*problems, *taxonomy_problems), shared)


@dataclass(frozen=True)
class Inputs:
    """Digests of everything a build reads, and of all of it but the content files."""

    digest: str
    shared: str


def _inputs(options: Options, config: Config, reading: _Reading) -> Inputs:
    """Digest everything a build reads, so a build of the same inputs can be skipped."""
    templates = files_digest(options.templates_dir)
    static = files_digest(options.static_dir) if options.static_dir.is_dir() else ""
    searchable = _tool_identity(find_pagefind()) if options.search else ""
    settings = (repr(config), options.base_url, options.now.isoformat(), options.keep_going,
                options.drafts, options.future, searchable)  # fmt: skip
    # The taxonomy too, though each file's digest holds it: the tag index shows its order.
    shared = digest_of(GENERATOR, repr(settings), repr(reading.problems), templates, static,
                       reading.shared)  # fmt: skip
    jobs = [part for job in reading.jobs for part in (job.source, job.digest)]
    return Inputs(digest_of(shared, *jobs), shared)


def _extract(
    reading: _Reading, progress: Progress | None = None, cache: BuildCache | None = None
) -> Result:
    """Extract every posting (from the cache where unchanged), with all problems."""
    jobs = list(reading.jobs)
    extracted = extract_all(jobs, reading.context, cache.extracted if cache else {}, progress)
    postings, skipped, problems = [], [], list(reading.problems)
    for job in jobs:
        found = extracted[job.source]
        postings += found.postings
        problems += found.problems
        # A posting with an error (no company) is still built under --keep-going, showing
        # only what is known; a file that could not be read at all is skipped.
        if any(p.is_error for p in found.problems) and not found.postings:
            skipped.append(job.source)
    if cache:
        cache.extracted = extracted
    unique = assign_unique_slugs(postings)
    newest_first = tuple(sorted(unique, key=lambda p: (-p.date_posted.timestamp(), p.slug)))
    return Result(
        tuple(sort_problems(problems)),
        newest_first,
        tuple(skipped),
        files_read=len(jobs),
        statuses=count_statuses(newest_first, reading.context.now),
    )


def _display_names(files: list[str], content_dir: Path) -> dict[str, str]:
    """Name each file (by its key) as _display would, resolving only the content folder."""
    folder = _display(content_dir)
    return {key: key if folder == "." else f"{folder}/{key}" for key in files}


def _by_display_name(
    dates: dict[str, datetime], names: dict[str, str], content_dir: Path
) -> dict[str, datetime]:
    """Key dates found by resolved path by the name problems use for each posting."""
    folder = str(content_dir.resolve())
    resolved = {key: f"{folder}/{key}" for key in names}
    return {names[key]: dates[resolved[key]] for key in names if resolved[key] in dates}


def _taxonomy(content_dir: Path) -> tuple[Taxonomy | None, list[Problem]]:
    path = content_dir / TAXONOMY_FILE
    if not path.exists():
        fix = f"add {TAXONOMY_FILE} (copy the one in sreboard's content/) to tag postings"
        return build_taxonomy({}), [warning(_display(path), "no skill taxonomy", fix)]
    taxonomy, problems = load_taxonomy(path)
    named = [replace(problem, path=_display(path)) for problem in problems]
    return (None if named else taxonomy), named


def _display(path: Path) -> str:
    """Name a file as the curator knows it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


__all__ = ["Config", "Options", "Result", "build", "check"]
