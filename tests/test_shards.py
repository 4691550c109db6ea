"""The search index's shards: a stable rule, so an edit re-indexes one shard (issue 18)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import NOW

import builder
from bench.corpus import write_corpus
from builder.shards import MAX_SHARDS, plan_shards, shard_count

BENCH_NOW = NOW.replace(year=2026, month=11, day=25)


@pytest.mark.parametrize(
    ("postings", "count"),
    [(0, 1), (1, 1), (125, 1), (126, 2), (250, 2), (251, 4), (1000, 8), (4001, 32), (10**6, 32)],
)
def test_the_shard_count_is_a_power_of_two_that_grows_with_the_board(postings, count):
    assert shard_count(postings, 125) == count
    assert shard_count(10**9) == MAX_SHARDS


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    """A generated board of 300 postings (the bench's generator), built with cache."""
    root = tmp_path_factory.mktemp("shards")
    write_corpus(root / "content", 300, seed=7)
    (root / "site.toml").write_text("max_age_days = 0\n", encoding="utf-8")
    return root


def options(root: Path, output: str = "site", shard_size: int = 40) -> builder.Options:
    return builder.Options(root / "content", root / output, "https://board.example/", BENCH_NOW,
                           config_file=root / "site.toml", cache_dir=root / f".cache-{output}",
                           shard_size=shard_size)  # fmt: skip


def bundle_inodes(site: Path) -> dict[str, set[int]]:
    """The inode of every file of each shard's bundle: a linked shard keeps its inodes."""
    shards = {}
    for shard in sorted((site / "pagefind").iterdir()):
        if shard.is_dir():
            shards[shard.name] = {f.stat().st_ino for f in shard.rglob("*") if f.is_file()}
    return shards


def test_each_open_posting_is_in_exactly_one_shard_and_the_rule_is_stable(board):
    result = builder.build(options(board))
    assert result.written, [str(p) for p in result.errors]
    shards = plan_shards(result.postings, 40)
    pages = [page for shard in shards for page in shard.pages]
    assert sorted(pages) == sorted(f"{p.path}index.html" for p in result.postings)
    assert len(shards) == 8 and all(20 <= len(shard.pages) <= 60 for shard in shards)
    # One posting less changes one shard only: the rule reads each slug alone.
    fewer = plan_shards(result.postings[1:], 40)
    assert sum(a != b for a, b in zip(shards, fewer, strict=True)) == 1


def test_an_edit_indexes_one_shard_again_and_links_the_others(board):
    site = board / "site"
    builder.build(options(board))
    before = bundle_inodes(site)
    assert len(before) == 8
    edited = board / "content" / "000150.txt"
    text = edited.read_text(encoding="utf-8")
    try:
        edited.write_text(text + "\nA zyzzogeton joins the rotation.\n", encoding="utf-8")
        result = builder.build(options(board))
        assert result.written
        after = bundle_inodes(site)
        fresh = builder.build(options(board, "fresh"))  # a cold build makes the same index
        assert fresh.written
        assert tree_bytes(board / "fresh" / "pagefind") == tree_bytes(site / "pagefind")
    finally:
        edited.write_text(text, encoding="utf-8")
    changed = [name for name in before if before[name] != after[name]]
    assert len(changed) == 1
    assert all(before[name] == after[name] for name in before if name not in changed)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        os.path.relpath(f, folder): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()
    }


def test_only_the_first_shard_carries_pagefinds_script_and_the_top_has_the_ui(board):
    site = board / "site"
    builder.build(options(board))
    bundle = site / "pagefind"
    assert (bundle / "pagefind-component-ui.js").is_file()
    assert (bundle / "0" / "pagefind.js").is_file()
    others = [s for s in bundle.iterdir() if s.is_dir() and s.name != "0"]
    assert others and not any((s / "pagefind.js").exists() for s in others)
    assert all((s / "pagefind-entry.json").is_file() for s in others)


def test_the_search_page_names_every_shard(board):
    builder.build(options(board))
    page = (board / "site" / "search" / "index.html").read_text(encoding="utf-8")
    assert 'bundle-path="/pagefind/0/"' in page
    merged = page.split('data-merge-index="', 1)[1].split('"', 1)[0].split()
    assert merged == [f"/pagefind/{n}/" for n in range(1, 8)]


def test_a_board_of_one_shard_merges_nothing(board):
    result = builder.build(replace(options(board, "whole", shard_size=10**6)))
    assert result.written
    page = (board / "whole" / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-merge-index=""' in page
    assert [p.name for p in (board / "whole" / "pagefind").iterdir() if p.is_dir()] == ["0"]
