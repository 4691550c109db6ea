"""Benchmark sreboard builds (and Hugo's and Pelican's of the same postings): `make bench`.

Each build is a whole fresh process, timed cold (no output, no cache), again with nothing
changed, and after appending a sentence to one posting; each `--runs` times, reporting the
median. Beside them: Hugo followed by Pagefind (the anchor of a build with search), and the
Markdown floor (bench/floor.py), and `make serve` timed from a save to the page (bench/serve.py).
Corpora are generated once under .cache/bench/ and reused;
the tables printed at the end are Markdown, ready for the README, with the ratios issue 18
states its targets in.
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench import hugo, pelican
from bench.corpus import write_corpus
from bench.floor import markdown_floor
from bench.measure import BuildFailed, Measurement, Subject, measure
from bench.serve import ServeTimes, measure_serve
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
FLOOR = "Markdown floor"
SERVED_UP_TO = 10000  # the largest corpus served: a 100,000-posting serve is not a target


@dataclass(frozen=True)
class Plan:
    """What to run: corpus sizes, runs of each kind of build, and which other tools."""

    sizes: tuple[int, ...]
    runs: int = 3
    hugo: bool = False
    pelican: tuple[str, ...] | None = None  # the command that runs Pelican, when compared
    keep: bool = False
    work: Path = WORK
    pagefind: Path | None = None  # the binary indexing Hugo's output, when Hugo is compared
    serve: bool = True


@dataclass(frozen=True)
class Results:
    """Every subject measured, in order; the Markdown floor's seconds and `make serve`'s
    times by corpus size."""

    measurements: list[Measurement]
    floors: dict[int, float] = field(default_factory=dict)
    serves: dict[int, ServeTimes] = field(default_factory=dict)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sizes = tuple(args.sizes) + ((HUGE,) if args.huge and HUGE not in args.sizes else ())
    plan = Plan(sizes, args.runs, keep=args.keep)
    notes = ["Hugo, Pagefind and Pelican skipped: --no-compare"]
    if not args.no_compare:
        plan, notes = with_comparisons(plan, args.pelican)
    if any(size > SERVED_UP_TO for size in sizes):
        notes.append(f"serve timed up to {SERVED_UP_TO:,} postings, the largest its target names")
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
    parser.add_argument(
        "--no-compare", action="store_true", help="skip Hugo (with and without Pagefind), Pelican"
    )
    parser.add_argument("--pelican", type=Path, metavar="PATH", help="a pelican executable")
    parser.add_argument("--keep", action="store_true", help=f"keep the outputs in {WORK}/")
    return parser


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return number


def with_comparisons(plan: Plan, pelican_path: Path | None) -> tuple[Plan, list[str]]:
    """Compare with whichever of Hugo, Pagefind and Pelican is installed; note what was
    skipped."""
    notes = []
    has_hugo = hugo.installed()
    notes.append(hugo.version() if has_hugo else "Hugo skipped: no `hugo` on PATH")
    binary = hugo.pagefind() if has_hugo else None
    if binary is not None:
        notes.append(hugo.pagefind_version(binary))
    elif has_hugo:
        notes.append(f"{hugo.WITH_PAGEFIND} skipped: no Pagefind (pip install 'pagefind[bin]')")
    found = pelican.command(pelican_path)
    notes.append(pelican.version(found) if found else "Pelican skipped: not installed")
    compared = Plan(plan.sizes, plan.runs, has_hugo, found, plan.keep, plan.work, binary)
    return compared, notes


def run(plan: Plan, progress: bool = False) -> Results:
    """Measure every tool, and the Markdown floor, on every corpus size, in order."""
    results = []
    floors, serves = {}, {}
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
        if progress:
            print(f"{FLOOR}, {size:,} postings: ", end="", file=sys.stderr, flush=True)
        floors[size] = markdown_floor(corpus, plan.runs)
        if progress:
            print(f"{floors[size]:.2f} s", file=sys.stderr)
        if plan.serve and size <= SERVED_UP_TO:
            serves[size] = _serve(plan, corpus, size, progress)
    return Results(results, floors, serves)


def _serve(plan: Plan, corpus: Path, size: int, progress: bool) -> ServeTimes:
    """Time `make serve` over the corpus: from a save to the page, the disk and search."""
    if progress:
        print(f"{SREBOARD} serve, {size:,} postings: ", end="", file=sys.stderr, flush=True)
    folder = plan.work / f"sreboard-serve-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    with _in_use(corpus):
        served = measure_serve(BUILD, corpus, folder, size, NOW, plan.runs)
    if progress:
        print(_serve_cells(served), file=sys.stderr)
    if not plan.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return served


def _serve_cells(served: ServeTimes) -> str:
    return (
        f"on the page {served.on_page:.2f} s, written {served.written:.2f} s, "
        f"search caught up {served.caught_up:.2f} s"
    )


def _medians(measured: Measurement) -> str:
    return (
        f"cold {measured.cold:.2f} s, no change {measured.no_change:.2f} s, "
        f"one edit {measured.one_edit:.2f} s"
    )


def subjects(plan: Plan, corpus: Path, size: int) -> Iterator[Subject]:
    """Set up each tool to build the corpus, each in a work folder of its own."""
    yield sreboard(corpus, plan.work / f"sreboard-{size}", size)
    yield sreboard(corpus, plan.work / f"sreboard-site-{size}", size, search=False)
    if plan.hugo and plan.pagefind:
        site = hugo.site(corpus, plan.work / f"hugo-pagefind-{size}", size)
        yield hugo.with_pagefind(site, plan.pagefind)
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
    "| unchanged files (no change / one edit) "
    "| × sreboard doing the same work (cold / no change / one edit) |"
)
TARGETS_HEADER = (
    f"| postings | {SREBOARD} cold ÷ {hugo.WITH_PAGEFIND} cold | {SREBOARD} cold ÷ {FLOOR} "
    f"| {SREBOARD} one edit ÷ {hugo.TOOL} cold | serve: an edit on the page s |"
)
SERVE_HEADER = (
    "| postings | serve: an edit on the page s | written to disk s | search caught up s |"
)


LEGEND = """\
Seconds are medians of whole fresh processes. Peak MiB is the largest single process over all
runs (os.wait4's ru_maxrss: the build itself or any worker or tool it started and waited for,
not their sum). Files are those in the output after a cold build (sreboard's and hugo +
pagefind's include a Pagefind search index, which Hugo and Pelican do not make); unchanged
files are what sreboard reports it reused from the previous site. hugo + pagefind is Hugo's
build then Pagefind indexing all of Hugo's output, each a fresh process, in every build. The
last column compares each tool with the sreboard build doing the same work: hugo + pagefind
with sreboard, Hugo and Pelican with sreboard --no-search (a page per posting, lists, feeds,
no search index). The Markdown floor is the corpus's bodies converted by Python-Markdown, as
the builder converts them, on all cores and nothing else: work every cold build does too."""

SERVE_LEGEND = """\
`build.py serve` (search on) over the same corpus, in a process of its own: each run appends a
sentence with a new word to one posting and polls its page over HTTP, every 5 ms, until the page
shows the word, then until the site on disk holds it, then until the page no longer says search is
catching up. Seconds from the save (the watcher's 50 ms wait for a burst of saves included) to each,
medians of the runs, each after the server has been quiet for a second."""

TARGETS_LEGEND = """\
Each ratio divides sreboard's default build (with search) by an anchor measured in the same
run: its cold build by hugo + pagefind's and by the Markdown floor, and its one-edit rebuild
by Hugo's cold build (Hugo rebuilds the whole site on every change). The serve column is in
seconds, as its target is (0.3 s at 10,000 postings)."""

MISSING = "A — marks what this run did not measure: the notes at the top say why."


def report(results: Results, notes: Sequence[str] = ()) -> str:
    """The Markdown tables (every build by corpus size and tool, then the targets' ratios),
    with the machine and the notes."""
    lines = [f"Machine: {machine()}", *notes, "", HEADER, "|" + "---|" * 10]
    for size in sizes(results):
        measured = [each for each in results.measurements if each.postings == size]
        lines += [_row(each, _baseline(each, measured)) for each in measured]
        if size in results.floors:
            lines.append(_floor_row(size, results.floors[size]))
    lines += ["", LEGEND]
    if results.serves:
        lines += ["", SERVE_HEADER, "|" + "---|" * 4]
        lines += [_serve_row(served) for served in results.serves.values()]
        lines += ["", SERVE_LEGEND]
    lines += ["", "Targets:", "", TARGETS_HEADER, "|" + "---|" * 5]
    rows = {size: _targets(results, size) for size in sizes(results)}
    lines += ["| " + " | ".join([f"{size:,}", *row]) + " |" for size, row in rows.items()]
    lines += ["", TARGETS_LEGEND]
    if any("—" in row for row in rows.values()):
        lines.append(MISSING)
    return "\n".join(lines)


def _targets(results: Results, size: int) -> list[str]:
    served = results.serves.get(size)
    cells = ["—" if ratio is None else f"{ratio:.2f}" for ratio in target_ratios(results, size)]
    return [*cells, "—" if served is None else f"{served.on_page:.2f}"]


def _serve_row(served: ServeTimes) -> str:
    seconds = (served.on_page, served.written, served.caught_up)
    return "| " + " | ".join([f"{served.postings:,}", *(f"{each:.2f}" for each in seconds)]) + " |"


def sizes(results: Results) -> list[int]:
    """The corpus sizes measured, in the order they were."""
    return list(dict.fromkeys([each.postings for each in results.measurements] + [*results.floors]))


def target_ratios(results: Results, size: int) -> tuple[float | None, float | None, float | None]:
    """sreboard's default cold build ÷ hugo + pagefind's, ÷ the Markdown floor, and its
    one-edit rebuild ÷ Hugo's cold build; None where either side was not measured."""
    tools = {each.tool: each for each in results.measurements if each.postings == size}
    ours = tools.get(SREBOARD)
    if ours is None:
        return None, None, None
    with_search, plain = tools.get(hugo.WITH_PAGEFIND), tools.get(hugo.TOOL)
    return (
        _ratio(ours.cold, with_search.cold if with_search else None),
        _ratio(ours.cold, results.floors.get(size)),
        _ratio(ours.one_edit, plain.cold if plain else None),
    )


def _ratio(ours: float, anchor: float | None) -> float | None:
    return ours / anchor if anchor else None


def _baseline(measured: Measurement, same_size: Sequence[Measurement]) -> Measurement | None:
    """The sreboard build doing the same work as another tool; None for sreboard's own."""
    if measured.tool.startswith(SREBOARD):
        return None
    wanted = SREBOARD if measured.tool == hugo.WITH_PAGEFIND else SITE_ONLY
    return next((each for each in same_size if each.tool == wanted), None)


def _row(measured: Measurement, baseline: Measurement | None) -> str:
    unchanged = "—"
    if measured.reused is not None:
        unchanged = f"{measured.reused:,} / {measured.reused_after_edit or 0:,}"
    ratios = "—"
    if baseline is not None:
        pairs = [(measured.cold, baseline.cold), (measured.no_change, baseline.no_change),
                 (measured.one_edit, baseline.one_edit)]  # fmt: skip
        ratios = " / ".join(f"{theirs / ours:.2f}" for theirs, ours in pairs)
    cells = [f"{measured.postings:,}", measured.tool, f"{measured.cold:.2f}",
             f"{measured.no_change:.2f}", f"{measured.one_edit:.2f}",
             f"{measured.peak_mib:.0f}", f"{measured.files:,}",
             f"{measured.files_per_second:,.0f}", unchanged, ratios]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def _floor_row(size: int, seconds: float) -> str:
    return "| " + " | ".join([f"{size:,}", FLOOR, f"{seconds:.2f}", *["—"] * 7]) + " |"


if __name__ == "__main__":
    sys.exit(main())
