"""Benchmark sreboard builds (and Hugo's and Pelican's of the same postings): `make bench`.

Each build is a whole fresh process, timed cold (no output, no cache), again with nothing
changed, and after appending a sentence to one posting; each `--runs` times, reporting the
median. Corpora are generated once under .cache/bench/ and reused; the table printed at the
end is Markdown, ready for the README.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import hugo, pelican
from bench.corpus import write_corpus
from bench.measure import BuildFailed, Measurement, Subject, measure
from builder.output import standby_path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build.py"
WORK = ROOT / ".cache" / "bench"
SEED = 1
SIZES = (1000, 10000)
HUGE = 100000
NOW = "2026-11-25T00:00:00Z"
MARKER = ".bench-corpus.json"  # a dot file: sreboard does not read it as a posting
SREBOARD = "sreboard"
NO_SEARCH = "--no-search"
SITE_ONLY = f"{SREBOARD} {NO_SEARCH}"  # the baseline of the ratios: the same work as the others


@dataclass(frozen=True)
class Plan:
    """What to run: corpus sizes, runs of each kind of build, and which other tools."""

    sizes: tuple[int, ...]
    runs: int = 3
    hugo: bool = False
    pelican: tuple[str, ...] | None = None  # the command that runs Pelican, when compared
    keep: bool = False
    work: Path = WORK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sizes = tuple(args.sizes) + ((HUGE,) if args.huge and HUGE not in args.sizes else ())
    plan = Plan(sizes, args.runs, keep=args.keep)
    notes = []
    if not args.no_compare:
        plan, notes = with_comparisons(plan, args.pelican)
    for note in notes:
        print(note, file=sys.stderr)
    try:
        results = run(plan, progress=True)
    except BuildFailed as failure:
        print(f"bench: {failure}", file=sys.stderr)
        return 1
    print(f"\n{report(results, notes)}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument(
        "--sizes", type=_positive, nargs="+", default=list(SIZES), help="postings per corpus"
    )
    parser.add_argument("--huge", action="store_true", help=f"add a corpus of {HUGE:,} postings")
    parser.add_argument("--runs", type=_positive, default=3, help="runs of each build (median of)")
    parser.add_argument("--no-compare", action="store_true", help="skip Hugo and Pelican")
    parser.add_argument("--pelican", type=Path, metavar="PATH", help="a pelican executable")
    parser.add_argument("--keep", action="store_true", help=f"keep the outputs in {WORK}/")
    return parser


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return number


def with_comparisons(plan: Plan, pelican_path: Path | None) -> tuple[Plan, list[str]]:
    """Compare with whichever of Hugo and Pelican is installed; note what was skipped."""
    notes = []
    has_hugo = hugo.installed()
    notes.append(hugo.version() if has_hugo else "Hugo skipped: no `hugo` on PATH")
    found = pelican.command(pelican_path)
    notes.append(pelican.version(found) if found else "Pelican skipped: not installed")
    return Plan(plan.sizes, plan.runs, has_hugo, found, plan.keep, plan.work), notes


def run(plan: Plan, progress: bool = False) -> list[Measurement]:
    """Measure every tool on every corpus size, in order."""
    results = []
    for size in plan.sizes:
        corpus = ensure_corpus(plan.work, size)
        for subject in subjects(plan, corpus, size):
            if progress:
                print(f"{subject.tool}, {size:,} postings: ", end="", file=sys.stderr, flush=True)
            with _in_use(corpus):
                results.append(measure(subject, plan.runs))
            if progress:
                print(_medians(results[-1]), file=sys.stderr)
            if not plan.keep:
                shutil.rmtree(subject.cwd, ignore_errors=True)
    return results


def _medians(measured: Measurement) -> str:
    return (
        f"cold {measured.cold:.2f} s, no change {measured.no_change:.2f} s, "
        f"one edit {measured.one_edit:.2f} s"
    )


def subjects(plan: Plan, corpus: Path, size: int) -> Iterator[Subject]:
    """Set up each tool to build the corpus, each in a work folder of its own."""
    yield sreboard(corpus, plan.work / f"sreboard-{size}", size)
    yield sreboard(corpus, plan.work / f"sreboard-site-{size}", size, search=False)
    if plan.hugo:
        yield hugo.site(corpus, plan.work / f"hugo-{size}", size)
    if plan.pelican:
        yield pelican.site(corpus, plan.work / f"pelican-{size}", size, plan.pelican)


def sreboard(corpus: Path, folder: Path, size: int, search: bool = True) -> Subject:
    """Run build.py from a folder of its own, so each size has its own .cache/; without
    search it does the work Hugo and Pelican do, which build no search index."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # Every posting stays open, as in Hugo's and Pelican's builds of the same corpus (whose
    # dates span 2026): the same work, and the same as the bench measured before.
    (folder / "site.toml").write_text("max_age_days = 0\n", encoding="utf-8")
    output = folder / "site"
    command = (sys.executable, str(BUILD), "build", "--content", str(corpus))
    return Subject(
        tool=SREBOARD if search else SITE_ONLY,
        command=(*command, "--output", str(output), "--now", NOW, *([] if search else [NO_SEARCH])),
        cwd=folder,
        output=output,
        fresh=(output, folder / ".cache", standby_path(output)),  # cold: no site kept either
        edited=corpus / f"{size // 2:06d}.txt",
        postings=size,
    )


def ensure_corpus(work: Path, size: int, seed: int = SEED) -> Path:
    """The corpus of `size` postings, generated unless a complete one is already there."""
    folder = work / f"corpus-{size}-seed{seed}"
    marker = folder / MARKER
    if marker.is_file() and marker.read_text(encoding="utf-8") == _stamp(size, seed):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    write_corpus(folder, size, seed)
    marker.write_text(_stamp(size, seed), encoding="utf-8")
    return folder


def _stamp(size: int, seed: int) -> str:
    """What the marker holds: a new generator, seed or size means a new corpus."""
    generator = hashlib.sha256((ROOT / "bench" / "corpus.py").read_bytes()).hexdigest()
    return json.dumps({"count": size, "seed": seed, "generator": generator}, sort_keys=True)


@contextmanager
def _in_use(corpus: Path) -> Iterator[None]:
    """Drop the marker while a build may edit the corpus; put it back only when all went
    well, so a benchmark that failed or was killed midway has the corpus written afresh."""
    marker = corpus / MARKER
    stamp = marker.read_text(encoding="utf-8")
    marker.unlink()
    yield
    marker.write_text(stamp, encoding="utf-8")


def machine() -> str:
    """The CPU, its cores, the Python and the date, to print beside the numbers."""
    cpu = _cpu_model() or platform.processor() or platform.machine()
    cores = len(os.sched_getaffinity(0))
    python = f"Python {platform.python_version()}"
    return f"{cpu}, {cores} cores, {python}, {datetime.now(UTC).date().isoformat()}"


def _cpu_model() -> str | None:
    """The first `model name` in /proc/cpuinfo (Linux), else None."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.is_file() else []
    models = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return models[0] if models else None


HEADER = (
    "| postings | tool | cold s | no change s | one edit s | peak MiB | files | files/s "
    f"| unchanged files (no change / one edit) | × {SITE_ONLY} (cold / no change / one edit) |"
)


LEGEND = """\
Seconds are medians of whole fresh processes. Peak MiB is the largest single process over all
runs (os.wait4's ru_maxrss: the build itself or any worker or tool it started and waited for,
not their sum). Files are those in the output after a cold build (sreboard's include its
Pagefind search index, which Hugo and Pelican do not make); unchanged files are what sreboard
reports it reused from the previous site. The ratios compare each tool with sreboard
--no-search, which does the same work: a page per posting, lists, feeds, no search index."""


def report(results: list[Measurement], notes: Sequence[str] = ()) -> str:
    """The Markdown table, one row per corpus size and tool, with the machine and notes."""
    lines = [f"Machine: {machine()}", *notes, "", HEADER, "|" + "---|" * 10]
    baselines = {measured.postings: measured for measured in results if measured.tool == SITE_ONLY}
    lines += [_row(measured, baselines.get(measured.postings)) for measured in results]
    return "\n".join([*lines, "", LEGEND])


def _row(measured: Measurement, baseline: Measurement | None) -> str:
    unchanged = "—"
    if measured.reused is not None:
        unchanged = f"{measured.reused:,} / {measured.reused_after_edit or 0:,}"
    ratios = "—"
    if baseline is not None and not measured.tool.startswith(SREBOARD):
        pairs = [(measured.cold, baseline.cold), (measured.no_change, baseline.no_change),
                 (measured.one_edit, baseline.one_edit)]  # fmt: skip
        ratios = " / ".join(f"{theirs / ours:.2f}" for theirs, ours in pairs)
    cells = [f"{measured.postings:,}", measured.tool, f"{measured.cold:.2f}",
             f"{measured.no_change:.2f}", f"{measured.one_edit:.2f}",
             f"{measured.peak_mib:.0f}", f"{measured.files:,}",
             f"{measured.files_per_second:,.0f}", unchanged, ratios]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


if __name__ == "__main__":
    sys.exit(main())
