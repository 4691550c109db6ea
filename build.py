#!/usr/bin/env python3
"""Command line for sreboard: `build` the site, or `check` the content without writing."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import builder
from builder import config, curate
from builder.config import is_site_url
from builder.fields import parse_date
from builder.lock import OutputLocked
from builder.output import UnsafeOutput
from builder.reporting import print_build, print_report

CONFIG_FILE = Path(config.CONFIG_FILE)
CACHE_DIR = Path(".cache")
Command = Callable[[argparse.ArgumentParser, argparse.Namespace, datetime, Path | None], int]


def main(argv: list[str] | None = None) -> int:
    """Run the command; return 0 when done, 1 on content problems (usage errors exit 2)."""
    parser = _parser()
    args = parser.parse_args(argv)
    now = _now(parser, args.now)
    if not args.content.is_dir():
        parser.error(f"--content {args.content}: no such folder")
    config_file = _config_file(parser, args.config)
    return COMMANDS[args.command](parser, args, now, config_file)


def _build(
    parser: argparse.ArgumentParser, args: argparse.Namespace, now: datetime, config: Path | None
) -> int:
    """Build the site into --output and print what was written."""
    if args.base_url and not is_site_url(args.base_url):
        parser.error(
            f"--base-url {args.base_url!r}: give an http(s) URL, e.g. https://example.org/"
        )
    options = _site_options(args, now, config, args.base_url)
    options = replace(options, keep_going=args.keep_going, drafts=args.drafts,
                      future=args.future, progress=_progress_bar())  # fmt: skip
    started = time.perf_counter()
    try:
        result = builder.build(options)
    except UnsafeOutput as exc:
        parser.error(str(exc))
    except OutputLocked as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    return print_build(result, args.output, time.perf_counter() - started)


def _serve(
    parser: argparse.ArgumentParser, args: argparse.Namespace, now: datetime, config: Path | None
) -> int:
    """Build, serve on --host:--port and rebuild on every change."""
    from builder.serve import serve  # imported here: a build need not load watchfiles

    return serve(_site_options(args, now, config, None), args.host, args.port)


def _site_options(
    args: argparse.Namespace, now: datetime, config: Path | None, base_url: str | None
) -> builder.Options:
    """The options `build` and `serve` share."""
    return builder.Options(args.content, args.output, base_url, now, config_file=config,
                           cache_dir=_cache(args), search=not args.no_search)  # fmt: skip


def _check(
    parser: argparse.ArgumentParser, args: argparse.Namespace, now: datetime, config: Path | None
) -> int:
    """Report every posting's verdict and problems, or explain one posting's fields."""
    result = builder.check(args.content, now, config, _progress_bar())
    if args.explain:
        return _explain(parser, result, args.explain)
    print_report(result, now, args.format)
    return 1 if result.errors else 0


def _explain(parser: argparse.ArgumentParser, result: builder.Result, file: Path) -> int:
    """Print where each field of the postings in one file came from, then its problems."""
    target = file.resolve()
    postings = [p for p in result.postings if Path(p.source).resolve() == target]
    problems = [p for p in result.problems if Path(p.path).resolve() == target]
    if not postings and not problems:
        parser.error(f"--explain {file}: not a posting in the content folder")
    for posting in postings:
        print("\n".join(curate.explain(posting)))
    for problem in problems:
        print(problem)
    return 1 if any(p.is_error for p in problems) else 0


def _import(
    parser: argparse.ArgumentParser, args: argparse.Namespace, now: datetime, config: Path | None
) -> int:
    """Curate raw postings into the content folder; refuse duplicates and existing files."""
    board = curate.existing(builder.check(args.content, now).postings)
    failed = False
    for file in args.files:
        written, problems = curate.import_file(file, args.content, board, now)
        for problem in problems:
            print(problem, file=sys.stderr)
        if written:
            print(f"{file}: imported as {written}")
        failed = failed or not written
    return 1 if failed else 0


def _new(
    parser: argparse.ArgumentParser, args: argparse.Namespace, now: datetime, config: Path | None
) -> int:
    """Scaffold a draft posting for the curator to fill in."""
    written, problems = curate.new_posting(args.content, args.title, args.company, now)
    for problem in problems:
        print(problem, file=sys.stderr)
    if written:
        print(f"{written}: written as a draft; fill it in, then remove `draft: true`")
    return 0 if written else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the site from the content folder")
    check = commands.add_parser("check", help="validate every posting, write nothing")
    preview = commands.add_parser("serve", help="build, serve and rebuild on every change")
    for command in (build, check, preview):
        command.add_argument(
            "--content", type=Path, default=Path("content"), help="postings folder"
        )
        command.add_argument(
            "--now", help="build date (ISO 8601); default SOURCE_DATE_EPOCH or now"
        )
        command.add_argument("--config", type=Path, help="site config (default: site.toml)")
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="github: also print each problem as a GitHub Actions annotation",
    )
    for command in (build, preview):
        command.add_argument(
            "--output", type=Path, default=Path("_site"), help="site folder (_site)"
        )
        command.add_argument(
            "--no-cache",
            action="store_true",
            help=f"build everything afresh, without reading or writing {CACHE_DIR}/",
        )
        command.add_argument(
            "--no-search", action="store_true", help="build without the Pagefind search index"
        )
    preview.add_argument("--host", default="127.0.0.1", help="address to serve on (127.0.0.1)")
    preview.add_argument("--port", type=int, default=8000, help="port to serve on (8000)")
    check.add_argument(
        "--explain", type=Path, metavar="FILE", help="say where each field of FILE came from"
    )
    _curating_commands(commands)
    build.add_argument("--base-url", help="the URL the site is served at (overrides site.toml)")
    build.add_argument("--drafts", action="store_true", help="publish `draft: true` postings too")
    build.add_argument("--future", action="store_true", help="publish postings dated later too")
    build.add_argument(
        "--keep-going",
        action="store_true",
        help="skip unreadable files, build the rest (a posting without a company shows none)",
    )
    return parser


def _curating_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `import` and `new`, which write into the content folder."""
    imports = commands.add_parser("import", help="curate raw postings into the content folder")
    imports.add_argument("files", type=Path, nargs="+", metavar="FILE", help="raw postings")
    new = commands.add_parser("new", help="write a draft posting to fill in")
    new.add_argument("--title", required=True, help="the job's title")
    new.add_argument("--company", required=True, help="the employer")
    for command in (imports, new):
        command.add_argument(
            "--content", type=Path, default=Path("content"), help="postings folder"
        )
        command.add_argument(
            "--now", help="today's date (ISO 8601); default SOURCE_DATE_EPOCH or now"
        )
        command.set_defaults(config=None)


def _progress_bar() -> builder.Progress | None:
    """Show reading progress on a terminal; never in CI or when stderr is piped."""
    if os.environ.get("CI") or not sys.stderr.isatty():
        return None
    from tqdm import tqdm  # imported here: a build without a terminal need not load it

    # No monitor thread: a build forks its workers only while it runs no other thread.
    tqdm.monitor_interval = 0
    bar = tqdm(desc="Reading postings", unit=" files", file=sys.stderr, delay=0.5, leave=False)

    def report(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)
        if done == total:
            bar.close()

    return report


def _cache(args: argparse.Namespace) -> Path | None:
    """Where the build cache lives: .cache/ in the working folder (or $SREBOARD_CACHE),
    safe to delete."""
    return None if args.no_cache else Path(os.environ.get("SREBOARD_CACHE", CACHE_DIR))


def _now(parser: argparse.ArgumentParser, value: str | None) -> datetime:
    if value:
        moment = parse_date(value)
        if moment is None:
            parser.error(f"--now {value!r} is not a date; use ISO 8601, e.g. 2026-11-23T12:00:00Z")
        return moment
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _config_file(parser: argparse.ArgumentParser, path: Path | None) -> Path | None:
    """Take the named config, else site.toml where there is one."""
    if path is None:
        return CONFIG_FILE if CONFIG_FILE.is_file() else None
    if not path.is_file():
        parser.error(f"--config {path}: no such file")
    return path


COMMANDS: dict[str, Command] = {
    "build": _build,
    "check": _check,
    "serve": _serve,
    "import": _import,
    "new": _new,
}


if __name__ == "__main__":
    sys.exit(main())
