"""Time a site generator as whole fresh processes: cold, with nothing changed, after one edit.

Peak memory comes from os.wait4() on the generator's process: Linux reports the largest
resident set of that process *or any descendant it waited for* (sreboard's worker processes,
Pagefind, or Hugo and then Pagefind run by one shell), so it is the peak of the single largest
process, not the sum of all of them.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# The line build.py ends with: "Built in 0.42 s: 1918 files (1914 unchanged) in _site/"
BUILT_LINE = re.compile(r"^Built in [\d.]+ s: (\d+) files(?: \((\d+) unchanged\))? in ", re.M)
POSTINGS_LINE = re.compile(r"^\s+(\d+) postings\b", re.M)


@dataclass(frozen=True)
class Subject:
    """One generator set up to build one corpus: how to run it and what to touch."""

    tool: str
    command: tuple[str, ...]
    cwd: Path
    output: Path
    fresh: tuple[Path, ...]  # deleted before every cold build: the output and any cache
    edited: Path  # the posting a one-edit build appends a sentence to
    postings: int


@dataclass(frozen=True)
class Run:
    """One finished process: its wall time, its peak memory and what it printed."""

    seconds: float
    peak_kib: int
    stdout: str


@dataclass(frozen=True)
class Measurement:
    """The medians of a subject's runs, with what its cold build wrote."""

    tool: str
    postings: int
    cold: float
    no_change: float
    one_edit: float
    peak_mib: float
    files: int  # files in the output folder after a cold build
    built_postings: int | None  # posting pages the cold build reported, where it says so
    reused: int | None  # files the no-change build reported unchanged
    reused_after_edit: int | None

    @property
    def files_per_second(self) -> float:
        return self.files / self.cold if self.cold else 0.0


class BuildFailed(RuntimeError):
    """A generator exited with an error; the benchmark would time nothing meaningful."""


def run_process(command: tuple[str, ...], cwd: Path) -> Run:
    """Run a command to the end; time it and read its peak memory with wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        # wait4, not Popen.wait: only wait4 hands back the child's resource usage.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if process.returncode != 0:
        raise BuildFailed(f"{' '.join(command)} exited {process.returncode}:\n{stderr[-2000:]}")
    return Run(seconds, usage.ru_maxrss, stdout)


def measure(subject: Subject, runs: int) -> Measurement:
    """Build cold, then unchanged, then after one edit, `runs` times each; keep the medians.
    The edited posting gets its original bytes back afterwards."""
    original = subject.edited.read_bytes()
    try:
        cold = [_cold_build(subject) for _ in range(runs)]
        files = count_files(subject.output)
        unchanged = [run_process(subject.command, subject.cwd) for _ in range(runs)]
        edited = [_edited_build(subject, number) for number in range(runs)]
    finally:
        subject.edited.write_bytes(original)
    return Measurement(
        subject.tool,
        subject.postings,
        _median(cold),
        _median(unchanged),
        _median(edited),
        max(run.peak_kib for run in cold + unchanged + edited) / 1024,
        files,
        reported(POSTINGS_LINE, cold[-1], group=1),
        reported(BUILT_LINE, unchanged[-1], group=2),
        reported(BUILT_LINE, edited[-1], group=2),
    )


def _cold_build(subject: Subject) -> Run:
    for path in subject.fresh:
        shutil.rmtree(path, ignore_errors=True)
    return run_process(subject.command, subject.cwd)


def _edited_build(subject: Subject, number: int) -> Run:
    """Append a sentence no earlier run appended, so the build sees a real change."""
    with subject.edited.open("a", encoding="utf-8") as posting:
        posting.write(f"\nBenchmark edit {number + 1}: the on-call rota was reviewed again.\n")
    return run_process(subject.command, subject.cwd)


def _median(runs: list[Run]) -> float:
    return statistics.median(run.seconds for run in runs)


def reported(pattern: re.Pattern[str], run: Run, group: int) -> int | None:
    """A number the generator printed (0 when the line is there without it), else None."""
    found = pattern.search(run.stdout)
    if found is None:
        return None
    return int(found.group(group) or 0)


def count_files(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file())
