#!/usr/bin/env python3
"""Command line for sreboard: `build` the site, or `check` the content without writing."""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import builder
from builder import config
from builder.config import is_site_url
from builder.fields import parse_date
from builder.output import OutputLocked, UnsafeOutput
from builder.problems import Problem, summarize

CONFIG_FILE = Path(config.CONFIG_FILE)
NOTHING_WRITTEN = (
    "Nothing written; the previous site is untouched. Fix the errors above, "
    "or pass --keep-going to skip the postings that have them."
)


def main(argv: list[str] | None = None) -> int:
    """Run the command; return 0 when done, 1 on content problems (usage errors exit 2)."""
    parser = _parser()
    args = parser.parse_args(argv)
    now = _now(parser, args.now)
    if not args.content.is_dir():
        parser.error(f"--content {args.content}: no such folder")
    config_file = _config_file(parser, args.config)
    if args.command == "check":
        result = builder.check(args.content, now, config_file)
        _print_problems(result, now, args.format)
        return 1 if result.errors else 0
    if args.base_url and not is_site_url(args.base_url):
        parser.error(
            f"--base-url {args.base_url!r}: give an http(s) URL, e.g. https://example.org/"
        )
    options = builder.Options(
        args.content, args.output, args.base_url, now, args.keep_going, config_file=config_file
    )
    started = time.perf_counter()
    try:
        result = builder.build(options)
    except UnsafeOutput as exc:
        parser.error(str(exc))
    except OutputLocked as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    _print_problems(result, now)
    if not result.written:
        print(NOTHING_WRITTEN, file=sys.stderr)
        return 1
    for source in result.skipped:
        print(f"{source}: skipped because of the errors above", file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(f"Built in {elapsed:.2f} s: {result.pages_written} files written to {args.output}/")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the site from the content folder")
    check = commands.add_parser("check", help="validate every posting, write nothing")
    for command in (build, check):
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
    build.add_argument("--output", type=Path, default=Path("_site"), help="site folder (_site)")
    build.add_argument("--base-url", help="the URL the site is served at (overrides site.toml)")
    build.add_argument(
        "--keep-going", action="store_true", help="skip invalid postings, build the rest"
    )
    return parser


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


def _print_problems(result: builder.Result, now: datetime, style: str = "text") -> None:
    """Print every problem, then one line of counts."""
    for problem in result.problems:
        print(problem, file=sys.stderr)
        if style == "github":
            print(_annotation(problem))
    print(f"{_counts(result, now)}; {summarize(result.problems)}", file=sys.stderr)


def _counts(result: builder.Result, now: datetime) -> str:
    """Account for every posting: read = open + closed + drafts + skipped (a skipped file
    counts once, since what it holds could not be read)."""
    shown = [p for p in result.postings if not p.draft]  # `check` keeps the drafts in
    drafts = result.drafts + len(result.postings) - len(shown)
    opened = sum(p.is_open(now) for p in shown)
    skipped = len(result.skipped)
    return (
        f"{result.files_read} files read: {len(shown) + drafts + skipped} postings = "
        f"{opened} open + {len(shown) - opened} closed + {drafts} drafts + {skipped} skipped"
    )


def _annotation(problem: Problem) -> str:
    """Format a problem as a GitHub Actions workflow command, shown on the pull request's diff."""
    line = f",line={problem.line}" if problem.line else ""
    text = f"{problem.message} — {problem.fix}" if problem.fix else problem.message
    path = _escape(problem.path).replace(":", "%3A").replace(",", "%2C")
    return f"::{problem.severity.value} file={path}{line}::{_escape(text)}"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


if __name__ == "__main__":
    sys.exit(main())
