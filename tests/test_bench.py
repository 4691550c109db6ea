"""A smoke test of `make bench` on a tiny corpus: it measures and reports, whatever the times."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from conftest import tree

from bench import floor, hugo, run
from bench.measure import BUILT_LINE, Measurement, Run, measure, reported
from bench.serve import ServeTimes
from builder import normalize


def test_the_bench_builds_a_tiny_corpus_and_reports_a_row_per_size(tmp_path: Path) -> None:
    plan = run.Plan(sizes=(20,), runs=1, keep=True, work=tmp_path)
    corpus = run.ensure_corpus(tmp_path, 20)
    before = tree(corpus)
    results = run.run(plan)
    sreboard, _ = results.measurements
    table = run.report(results).splitlines()
    rows = table[table.index(run.HEADER) + 2 :]
    assert rows[0].startswith("| 20 | sreboard | ")
    assert rows[1].startswith("| 20 | sreboard --no-search | ")
    assert rows[2] == f"| 20 | Markdown floor | {results.floors[20]:.2f} |" + " — |" * 7
    assert rows[3] == ""  # then the legend
    served = results.serves[20]
    # Shown from memory no later than written, and search catches up last.
    assert 0 < served.on_page <= served.written <= served.caught_up
    seconds = (served.on_page, served.written, served.caught_up)
    serve_rows = table[table.index(run.SERVE_HEADER) + 2 :]
    assert serve_rows[0] == "| 20 | " + " | ".join(f"{each:.2f}" for each in seconds) + " |"
    targets = table[table.index(run.TARGETS_HEADER) + 2 :]
    floor_ratio = f"{sreboard.cold / results.floors[20]:.2f}"
    # No Hugo in this plan.
    assert targets[0] == f"| 20 | — | {floor_ratio} | — | {served.on_page:.2f} |"
    assert table[-1] == run.MISSING
    assert (tmp_path / "sreboard-20" / "site" / "pagefind").is_dir()
    assert not (tmp_path / "sreboard-site-20" / "site" / "pagefind").exists()
    assert sreboard.built_postings == 20
    assert len(list((tmp_path / "sreboard-20" / "site" / "jobs").glob("*/index.html"))) == 20
    assert sreboard.files == len(tree(tmp_path / "sreboard-20" / "site"))
    assert 0 < sreboard.reused_after_edit < sreboard.reused  # type: ignore[operator]
    assert tree(corpus) == before  # the edited posting got its bytes back, and the marker


def test_a_corpus_is_written_once_per_size_and_seed(tmp_path: Path) -> None:
    first = run.ensure_corpus(tmp_path, 3)
    (first / "000000.txt").write_text("kept: the corpus was not written again")
    assert run.ensure_corpus(tmp_path, 3) == first
    assert (first / "000000.txt").read_text() == "kept: the corpus was not written again"
    (first / run.MARKER).unlink()
    run.ensure_corpus(tmp_path, 3)
    assert (first / "000000.txt").read_text().startswith("---\n")


def test_the_reused_count_is_read_from_the_build_summary() -> None:
    line = "Built in 0.42 s: 1918 files (1914 unchanged) in o/\n"
    assert reported(BUILT_LINE, Run(0.4, 1, line), group=2) == 1914
    assert reported(BUILT_LINE, Run(0.4, 1, line.replace(" (1914 unchanged)", "")), 2) == 0
    assert reported(BUILT_LINE, Run(0.4, 1, "hugo says nothing"), group=2) is None


def _measured(tool: str, postings: int, cold: float, one_edit: float) -> Measurement:
    return Measurement(tool, postings, cold, 0.5, one_edit, 100.0, 10, None, None, None)


def test_the_targets_divide_sreboard_by_its_anchors_in_the_same_run() -> None:
    results = run.Results(
        [_measured(run.SREBOARD, 10, 6.0, 2.0), _measured(run.SITE_ONLY, 10, 5.0, 0.4),
         _measured(hugo.WITH_PAGEFIND, 10, 3.0, 3.0), _measured(hugo.TOOL, 10, 2.5, 2.5),
         _measured(run.SREBOARD, 30, 9.0, 3.0)],
        floors={10: 1.5, 30: 4.5},
    )  # fmt: skip
    assert run.target_ratios(results, 10) == (2.0, 4.0, 0.8)
    assert run.target_ratios(results, 30) == (None, 2.0, None)  # Hugo not run at 30
    table = run.report(results).splitlines()
    targets = table[table.index(run.TARGETS_HEADER) + 2 :]
    assert targets[:2] == ["| 10 | 2.00 | 4.00 | 0.80 | — |", "| 30 | — | 2.00 | — | — |"]
    assert table[-1] == run.MISSING
    rows = table[table.index(run.HEADER) + 2 :]
    # hugo + pagefind is set against sreboard with search; Hugo against sreboard --no-search.
    assert rows[2].endswith(" | — | 0.50 / 1.00 / 1.50 |")
    assert rows[3].endswith(" | — | 0.50 / 1.00 / 6.25 |")
    assert rows[4] == "| 10 | Markdown floor | 1.50 |" + " — |" * 7
    assert rows[5].startswith("| 30 | sreboard | ")


def test_every_ratio_shows_when_every_anchor_was_measured() -> None:
    results = run.Results(
        [_measured(run.SREBOARD, 10, 6.0, 2.0), _measured(hugo.WITH_PAGEFIND, 10, 3.0, 3.0),
         _measured(hugo.TOOL, 10, 2.5, 2.5)],
        floors={10: 1.5},
        serves={10: ServeTimes(10, 0.2, 0.5, 2.0)},
    )  # fmt: skip
    table = run.report(results).splitlines()
    assert run.MISSING not in table
    assert table[table.index(run.SERVE_HEADER) + 2] == "| 10 | 0.20 | 0.50 | 2.00 |"
    assert table[table.index(run.TARGETS_HEADER) + 2] == "| 10 | 2.00 | 4.00 | 0.80 | 0.20 |"


def test_the_floor_converts_the_bodies_without_their_front_matter(tmp_path: Path) -> None:
    corpus = run.ensure_corpus(tmp_path, 7)
    texts = floor.bodies(corpus)
    assert len(texts) == 7
    assert texts[0].startswith("## About ")
    assert not any("apply_url:" in text for text in texts)
    assert floor.markdown_floor(corpus, runs=2) > 0


def test_the_floor_converts_as_the_builder_does(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [type(extension).__name__ for extension in floor.converter().registeredExtensions]
    builder = normalize._markdown()
    assert names == [type(extension).__name__ for extension in builder.registeredExtensions]
    assert floor.converter().output_format == builder.output_format
    texts = ["Term\n: definition\n\n*a*", "| a | b |\n|---|---|\n| 1 | 2 |", "3. three"]
    monkeypatch.setattr(floor, "_BODIES", texts)
    monkeypatch.setattr(floor, "_CONVERTER", floor.converter())
    fresh = [markdown.markdown(text, extensions=list(floor.EXTENSIONS)) for text in texts]
    assert floor.converted_length(range(3)) == sum(len(html) for html in fresh)
    assert "<dl>" in fresh[0] and "<table>" in fresh[1] and '<ol start="3">' in fresh[2]


def test_the_floor_splits_the_postings_into_whole_consecutive_chunks() -> None:
    chunks = floor.split(10, 4)
    assert [number for chunk in chunks for number in chunk] == list(range(10))
    assert sorted(len(chunk) for chunk in chunks) == [2, 2, 3, 3]
    assert floor.split(2, 8) == [range(0, 1), range(1, 2)]
    assert floor.split(0, 8) == [range(0, 0)]


def test_hugo_then_pagefind_runs_both_in_one_shell(tmp_path: Path) -> None:
    corpus = run.ensure_corpus(tmp_path, 3)
    plain = hugo.site(corpus, tmp_path / "hugo", 3)
    both = hugo.with_pagefind(plain, Path("/opt/pagefind"))
    assert both.tool == hugo.WITH_PAGEFIND
    assert both.command == ("sh", "-c", hugo.THEN_PAGEFIND, "sh", "/opt/pagefind")
    assert (both.cwd, both.output, both.fresh, both.edited) == (
        plain.cwd, plain.output, plain.fresh, plain.edited
    )  # fmt: skip


@pytest.mark.skipif(not hugo.installed() or hugo.pagefind() is None, reason="needs Hugo")
def test_hugo_then_pagefind_indexes_hugos_output(tmp_path: Path) -> None:
    plan = run.Plan(sizes=(5,), runs=1, hugo=True, keep=True, work=tmp_path,
                    pagefind=hugo.pagefind())  # fmt: skip
    corpus = run.ensure_corpus(tmp_path, 5)
    subjects = {each.tool: each for each in run.subjects(plan, corpus, 5)}
    with_search = subjects[hugo.WITH_PAGEFIND]
    assert with_search.tool == hugo.WITH_PAGEFIND
    measured = measure(with_search, 1)
    assert (with_search.output / "pagefind" / "pagefind.js").is_file()
    assert (with_search.output / "jobs" / "000002" / "index.html").is_file()
    pages = len(list(with_search.output.rglob("*.html")))
    assert measured.files > pages + len(list(with_search.output.rglob("*.xml")))  # and an index
