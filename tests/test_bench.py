"""A smoke test of `make bench` on a tiny corpus: it measures and reports, whatever the times."""

from __future__ import annotations

from pathlib import Path

from conftest import tree

from bench import run
from bench.measure import BUILT_LINE, Run, reported


def test_the_bench_builds_a_tiny_corpus_and_reports_a_row_per_size(tmp_path: Path) -> None:
    plan = run.Plan(sizes=(20,), runs=1, keep=True, work=tmp_path)
    corpus = run.ensure_corpus(tmp_path, 20)
    before = tree(corpus)
    sreboard, site_only = run.run(plan)
    table = run.report([sreboard, site_only]).splitlines()
    rows = table[table.index(run.HEADER) + 2 :]
    assert rows[0].startswith("| 20 | sreboard | ")
    assert rows[1].startswith("| 20 | sreboard --no-search | ")
    assert rows[2] == ""  # then the legend
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
