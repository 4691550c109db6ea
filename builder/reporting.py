"""What the command line prints: problems, each file's verdict, the counts and the summary."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

from builder.model import Posting
from builder.options import Result
from builder.problems import Problem, summarize
from builder.summary import verdict

NOTHING_WRITTEN = (
    "Nothing written; the previous site is untouched. Fix the errors above, "
    "or pass --keep-going to build the rest (skipping unreadable files; a posting with no "
    "company shows none)."
)


def print_build(result: Result, output: Path, elapsed: float) -> int:
    """Print a build's problems and what it wrote; return its exit status."""
    print_problems(result)
    if not result.written:
        print(NOTHING_WRITTEN, file=sys.stderr)
        return 1
    for source in result.skipped:
        print(f"{source}: skipped because of the errors above", file=sys.stderr)
    kinds = ", ".join(f"{count} {kind}" for kind, count in result.pages_by_kind.items())
    reused = f" ({result.pages_reused} unchanged)" if result.pages_reused else ""
    print(f"Built in {elapsed:.2f} s: {result.pages_written} files{reused} in {output}/")
    print(f"  {kinds}")
    if result.timings:
        print("  " + ", ".join(f"{stage} {took:.2f} s" for stage, took in result.timings.items()))
    return 0


def print_report(result: Result, now: datetime, style: str) -> None:
    """Print the problems of files that are not postings, then each posting file's verdict
    followed by its problems, then the counts."""
    files: dict[str, list[Posting]] = {p.source: [] for p in result.postings}
    files |= {source: [] for source in result.skipped}
    for posting in result.postings:
        files[posting.source].append(posting)
    for problem in result.problems:
        if problem.path not in files:
            _print_problem(problem, style)
    by_file: dict[str, list[Problem]] = {}
    for problem in result.problems:
        by_file.setdefault(problem.path, []).append(problem)
    for source in sorted(files):
        problems = by_file.get(source, [])
        print(f"{source}: {verdict(problems, files[source], now)}", file=sys.stderr)
        for problem in problems:
            _print_problem(problem, style, indent="  ")
    print(f"{counts(result)}; {summarize(result.problems)}", file=sys.stderr)


def print_problems(result: Result, style: str = "text") -> None:
    """Print every problem, then one line of counts."""
    for problem in result.problems:
        _print_problem(problem, style)
    print(f"{counts(result)}; {summarize(result.problems)}", file=sys.stderr)


def _print_problem(problem: Problem, style: str, indent: str = "") -> None:
    print(f"{indent}{problem}", file=sys.stderr)
    if style == "github":
        print(annotation(problem))


def counts(result: Result) -> str:
    """Account for every posting: read = open + closed + drafts + skipped (a skipped file
    counts once, since what it holds could not be read)."""
    by_status = Counter(result.statuses)  # of result.postings: `check` keeps them all
    drafts = result.drafts + by_status["draft"]
    future = result.future + by_status["future"]
    skipped = len(result.skipped)
    read = by_status["open"] + by_status["closed"] + drafts + future + skipped
    return (
        f"{result.files_read} files read: {read} postings = {by_status['open']} open + "
        f"{by_status['closed']} closed + {drafts} drafts + {future} future + {skipped} skipped"
        f"; {by_status['marked']} of {by_status['open']} open with Google Jobs markup"
    )


def annotation(problem: Problem) -> str:
    """Format a problem as a GitHub Actions workflow command, shown on the pull request's diff."""
    line = f",line={problem.line}" if problem.line else ""
    text = f"{problem.message} — {problem.fix}" if problem.fix else problem.message
    path = _escape(problem.path).replace(":", "%3A").replace(",", "%2C")
    return f"::{problem.severity.value} file={path}{line}::{_escape(text)}"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
