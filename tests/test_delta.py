"""A rebuild after an edit of postings' descriptions alone renders only their pages and feeds
(builder/delta.py), and writes exactly what a clean build writes; any other change is planned
in full."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import NOW, build_site, tree
from test_incremental import assert_same_as_clean, incremental

import builder
from bench.corpus import write_corpus
from builder import delta, writing
from builder.sources import SourceFile


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the builds that plan every page of the board."""
    planned: list[int] = []
    render_pages = writing.render_pages

    def counted(*args, **kwargs):
        planned.append(1)
        return render_pages(*args, **kwargs)

    monkeypatch.setattr(writing, "render_pages", counted)
    return planned


def rebuilt(plans: list[int], *args, **options) -> tuple[builder.Result, int]:
    """Build incrementally; say how many times the whole board was planned for it."""
    plans.clear()
    return incremental(*args, **options), len(plans)


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def newest(board: Path) -> Path:
    """The generated posting in the site-wide feeds (the newest), so feeds change too."""
    dated = {
        p: p.read_text(encoding="utf-8").split("date: ")[1][:30] for p in board.glob("0000??.txt")
    }
    return max(dated, key=dated.__getitem__)


def test_a_description_edit_renders_only_its_page_and_feeds(
    board: Path, tmp_path: Path, plans: list[int]
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    edited = newest(board)
    before = tree(site)
    rewrite(edited, "## Why join us", "## Why join us\n\nWe rewrote this paragraph.")
    result, planned = rebuilt(plans, board, site, cache)
    assert planned == 0
    changed = {name for name, data in tree(site).items() if before.get(name) != data}
    feeds = ("feed.xml", "atom.xml", "feed.json")
    pages = [n for n in changed if not n.endswith(feeds) and not n.startswith("pagefind/")]
    assert len(pages) == 1 and "We rewrote this paragraph." in (site / pages[0]).read_text()
    assert {"feed.xml", "atom.xml", "feed.json"} <= changed  # it is among the newest
    rendered = [name for name in changed if not name.startswith("pagefind/")]
    fixed = 3  # 404.html, robots.txt and .nojekyll are written by every build
    assert result.pages_reused == result.pages_written - len(rendered) - fixed
    assert_same_as_clean(board, site, tmp_path)


def test_successive_edits_update_the_standby_and_match_a_clean_build(
    board: Path, tmp_path: Path, plans: list[int]
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    edited = newest(board)
    for number in range(3):  # a new site, then the standby updated twice
        rewrite(edited, "## Nice to have", f"## Nice to have\n\nEdit {number}.\n\n## Nice to have")
        _, planned = rebuilt(plans, board, site, cache)
        assert planned == 0
        assert_same_as_clean(board, site, tmp_path)


def test_a_new_summary_reaches_the_page_and_the_feeds(
    board: Path, tmp_path: Path, plans: list[int]
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    edited = newest(board)
    rewrite(edited, "## About", "A first sentence every reader sees.\n\n## About")
    _, planned = rebuilt(plans, board, site, cache)
    assert planned == 0
    items = json.loads((site / "feed.json").read_text())["items"]
    assert any(item["summary"].startswith("A first sentence every reader") for item in items)
    assert_same_as_clean(board, site, tmp_path)


def test_edits_of_several_files_and_of_one_with_warnings_are_rendered_alone(
    board: Path, tmp_path: Path, plans: list[int]
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    first = incremental(board, site, cache)
    seed = board / "000_58eb25f5f920fe53.txt"  # three warnings, before and after the edit
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.rstrip() + "\n\n<p>One more paragraph.</p>\n", encoding="utf-8")
    rewrite(board / "000004.txt", "## Why join us", "## Why join us\n\nAnd more.")
    result, planned = rebuilt(plans, board, site, cache)
    assert planned == 0
    assert result.problems == first.problems  # every file's warnings, still reported
    assert_same_as_clean(board, site, tmp_path)


CHANGES = {
    "title": ("title: ", "title: Renamed "),  # its card, on every list showing it
    "salary": ('salary: "$', 'salary: "$1'),
    "tags": ("tags: [", "tags: [Nomad, "),
    "date": ('date: "2026-', 'date: "2025-'),
    "a new warning": ("apply_url: https://", "apply_url: ftp://"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_other_edit_is_planned_in_full(
    board: Path, tmp_path: Path, plans: list[int], change: str
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    rewrite(newest(board), "title: ", "slug: kept\ntitle: ")  # a new title keeps the slug
    incremental(board, site, cache)
    rewrite(newest(board), *CHANGES[change])
    result, planned = rebuilt(plans, board, site, cache)
    assert planned == 1
    assert result.problems == build_site(board, tmp_path / "clean").problems
    assert_same_as_clean(board, site, tmp_path)


def test_a_posting_whose_slug_was_taken_keeps_the_slug_the_site_gave_it(
    board: Path, tmp_path: Path, plans: list[int]
) -> None:
    twin = board / "twin.txt"
    shutil.copy(newest(board), twin)
    rewrite(twin, "apply_url: https://jobs.example/", "apply_url: https://jobs.example/twin-")
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    rewrite(twin, "## Why join us", "## Why join us\n\nThe twin's own words.")
    _, planned = rebuilt(plans, board, site, cache)
    assert planned == 0
    pages = [p for p in site.glob("jobs/*/index.html") if "The twin's own words." in p.read_text()]
    assert len(pages) == 1
    assert_same_as_clean(board, site, tmp_path)


def test_a_page_deleted_from_the_site_is_written_again(
    board: Path, tmp_path: Path, plans: list[int]
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    next(site.glob("tags/*/index.html")).unlink()
    rewrite(newest(board), "## Why join us", "## Why join us\n\nMore.")
    incremental(board, site, cache)
    assert_same_as_clean(board, site, tmp_path)


def test_only_changed_files_of_the_same_board_with_the_same_settings_are_a_change() -> None:
    layout = delta.Layout("inputs", "shared", {"a.txt": "1", "b.txt": "2"}, "", {}, (), True)
    files = [SourceFile("a.txt", "a.txt", b"", "1"), SourceFile("b.txt", "b.txt", b"", "3")]
    assert delta.changed_files(layout, files, "shared") == files[1:]
    assert delta.changed_files(layout, files, "other settings") is None
    assert delta.changed_files(layout, files[:1], "shared") is None  # a file deleted
    renamed = [files[0], SourceFile("c.txt", "c.txt", b"", "3")]
    assert delta.changed_files(layout, renamed, "shared") is None
    unchanged = [files[0], SourceFile("b.txt", "b.txt", b"", "2")]
    assert delta.changed_files(layout, unchanged, "shared") == []  # stale search shards only


def test_the_build_date_is_a_shared_input(board: Path, tmp_path: Path, plans: list[int]) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    rewrite(newest(board), "## Why join us", "## Why join us\n\nMore.")
    later = NOW.replace(day=NOW.day + 1)
    _, planned = rebuilt(plans, board, site, cache, now=later)
    assert planned == 1
    assert_same_as_clean(board, site, tmp_path, now=later)


def test_a_new_order_of_the_taxonomy_categories_is_planned_in_full(
    board: Path, tmp_path: Path, plans: list[int]
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    taxonomy = board / "_taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    categories = text[text.index("categories:") :].split("\n")[1:3]  # the first two
    assert all(line.lstrip().startswith("- ") for line in categories)
    swapped = "\n".join(reversed(categories))
    taxonomy.write_text(text.replace("\n".join(categories), swapped, 1), encoding="utf-8")
    _, planned = rebuilt(plans, board, site, cache)
    assert planned == 1  # the tag index lists the categories in the taxonomy's order
    assert_same_as_clean(board, site, tmp_path)


def test_a_board_of_published_drafts_keeps_its_search_index(
    tmp_path: Path, plans: list[int]
) -> None:
    board = write_corpus(tmp_path / "content", 3, seed=5)
    for posting in board.glob("0*.txt"):
        rewrite(posting, "title: ", "draft: true\ntitle: ")
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    config = tmp_path / "site.toml"
    config.write_text("max_age_days = 0\n")  # the generated postings are months old
    incremental(board, site, cache, drafts=True, config_file=config)
    assert (site / "pagefind").is_dir()
    rewrite(board / "000001.txt", "## Why join us", "## Why join us\n\nMore.")
    _, planned = rebuilt(plans, board, site, cache, drafts=True, config_file=config)
    assert planned == 0
    assert (site / "pagefind").is_dir()
    assert_same_as_clean(board, site, tmp_path, drafts=True, config_file=config)


def test_only_a_posting_page_and_feeds_show_its_description(board: Path, tmp_path: Path) -> None:
    """What the delta rebuild relies on: no other page shows a description or summary."""
    rewrite(newest(board), "## About", "Zqxwords open the ad.\n\n## About")
    site = tmp_path / "_site"
    assert build_site(board, site, search=False).written
    showing = {name for name, data in tree(site).items() if b"Zqxwords" in data}
    feeds = ("feed.xml", "atom.xml", "feed.json")
    pages = {name for name in showing if not name.endswith(feeds)}
    assert len(pages) == 1 and pages.pop().startswith("jobs/")
