"""sreboard: turn a folder of raw job postings into a static job board.

build() reads like the pipeline it runs: read -> normalize -> extract -> tag -> render -> write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from types import MappingProxyType

from builder.config import Config, load_config
from builder.extract import Context, assign_unique_slugs, extract
from builder.feeds import render_feeds
from builder.model import Posting, Site
from builder.output import check_output_dir, write_site
from builder.problems import Problem, error, sort_problems, warning
from builder.readers import git_dates, posting_files, read_inside, read_posting
from builder.render import host_files, make_environment, render_pages
from builder.search import SearchFailed, find_pagefind, index_site, no_search, search_failed
from builder.summary import is_published, pages_by_kind, status
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
    return _collect(content_dir, now, config, config_problems, progress)[1]


def build(options: Options) -> Result:
    """Build the site; write it only if there is no error (or --keep-going skips them)."""
    check_output_dir(options.output_dir, options.content_dir, [PROJECT, Path.cwd()])
    config, config_problems = _config(options.config_file)
    taxonomy, checked = _collect(
        options.content_dir, options.now, config, config_problems, options.progress
    )
    config_broken = any(p.is_error for p in config_problems)
    if checked.errors and (taxonomy is None or config_broken or not options.keep_going):
        return checked
    shown = [is_published(p, options.now, options.drafts, options.future) for p in checked.postings]
    published = tuple(p for p, show in zip(checked.postings, shown, strict=True) if show)
    site = Site(published, options.now, _with_slash(options.base_url or config.base_url), config)
    pagefind = find_pagefind() if site.open_postings else None  # nothing to search: no index
    environment = make_environment(options.templates_dir, site, search=pagefind is not None)
    pages = render_pages(environment, site, taxonomy)
    pages |= render_feeds(site)
    pages |= host_files(site)
    output = _display(options.output_dir)
    try:
        index = partial(index_site, pagefind=pagefind) if pagefind else None
        write_site(pages, options.static_dir, options.output_dir, finish=index)
    except SearchFailed as exc:
        return replace(checked, problems=(*checked.problems, search_failed(output, str(exc))))
    missing = not pagefind and site.open_postings
    problems = (*checked.problems, no_search(output)) if missing else checked.problems
    left_out = [
        status(p, options.now) for p, show in zip(checked.postings, shown, strict=True) if not show
    ]
    return replace(
        checked,
        problems=problems,
        postings=published,
        drafts=left_out.count("draft"),
        future=left_out.count("future"),
        pages_written=len(pages),
        pages_by_kind=MappingProxyType(pages_by_kind(pages)),
        written=True,
    )


def _config(path: Path | None) -> tuple[Config, list[Problem]]:
    """Load the site config, naming it in problems as the curator knows it."""
    if path is None:
        return Config(), []
    config, problems = load_config(path, required=True)
    return config, [replace(problem, path=_display(path)) for problem in problems]


def _collect(
    content_dir: Path,
    now: datetime,
    config: Config,
    problems: list[Problem],
    progress: Progress | None = None,
) -> tuple[Taxonomy | None, Result]:
    """Load the taxonomy (None when it is invalid) and every posting, with all problems."""
    taxonomy, taxonomy_problems = _taxonomy(content_dir)
    problems = problems + taxonomy_problems
    files = posting_files(content_dir)
    added, changed = git_dates(content_dir, now)
    context = Context(
        taxonomy or build_taxonomy({}),
        now,
        _by_display_name(added, files),
        _by_display_name(changed, files),
        config.max_age,
    )
    postings, skipped = [], []
    for done, path in enumerate(files, 1):
        found, file_problems = _read_file(path, content_dir, context)
        postings += found
        problems += file_problems
        if any(p.is_error for p in file_problems):
            skipped.append(_display(path))
        if progress:
            progress(done, len(files))
    unique = assign_unique_slugs(postings)
    newest_first = sorted(unique, key=lambda p: (-p.date_posted.timestamp(), p.slug))
    result = Result(tuple(sort_problems(problems)), tuple(newest_first), tuple(skipped))
    return taxonomy, replace(result, files_read=len(files))


def _by_display_name(dates: dict[str, datetime], files: list[Path]) -> dict[str, datetime]:
    """Key dates found by absolute path by the name problems use for each posting."""
    return {_display(f): dates[str(f.resolve())] for f in files if str(f.resolve()) in dates}


def _read_file(
    path: Path, content_dir: Path, context: Context
) -> tuple[list[Posting], list[Problem]]:
    source = _display(path)
    try:
        data = read_inside(path, content_dir)
    except OSError as exc:
        return [], [error(source, f"cannot read the file: {exc.strerror}", "check its permissions")]
    raws, problems = read_posting(source, data)
    key = path.relative_to(content_dir).as_posix()  # the same wherever the build runs from
    postings = []
    for raw in raws:
        posting, found = extract(raw, context)
        postings.append(replace(posting, key=key))
        problems += found
    return postings, problems


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
