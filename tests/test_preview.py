"""`serve` shows an edit's pages before it writes the site (builder/preview.py): they are the
bytes the build then writes, nothing is written to show them, and an edit the edit path does
not take shows nothing early."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import BASE_URL, NOW, tree
from test_delta import CHANGES, newest, rewrite
from test_incremental import incremental

import builder
from builder.preview import content_keys, preview_edit


def options(board: Path, site: Path, cache: Path) -> builder.Options:
    return builder.Options(board, site, BASE_URL, NOW, cache_dir=cache)


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file's inode and mtime under folder: what a write would change."""
    found = {}
    for inside, _, names in os.walk(folder):
        for name in names:
            status = os.stat(os.path.join(inside, name))
            found[os.path.join(inside, name)] = (status.st_ino, status.st_mtime_ns)
    return found


def test_the_pages_shown_are_the_ones_the_build_then_writes(board: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    before = tree(site)
    rewrite(newest(board), "## Why join us", "## Why join us\n\nShown before it is written.")
    untouched = stamps(site) | stamps(cache)

    preview = preview_edit(options(board, site, cache))

    assert preview is not None
    assert stamps(site) | stamps(cache) == untouched  # showing writes nothing
    incremental(board, site, cache)
    after = tree(site)
    changed = {n for n, data in after.items() if before.get(n) != data and "pagefind/" not in n}
    assert changed == set(preview.pages)
    assert all(after[name] == page for name, page in preview.pages.items())
    assert any(b"Shown before it is written." in page for page in preview.pages.values())


@pytest.mark.parametrize("change", CHANGES)
def test_an_edit_of_more_than_descriptions_shows_nothing_early(
    board: Path, tmp_path: Path, change: str
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    rewrite(newest(board), *CHANGES[change])
    assert preview_edit(options(board, site, cache)) is None


def test_nothing_changed_shows_nothing(board: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    assert preview_edit(options(board, site, cache)) is None


def test_without_a_cache_nothing_is_shown_early(board: Path, tmp_path: Path) -> None:
    site = tmp_path / "_site"
    assert builder.build(builder.Options(board, site, BASE_URL, NOW)).written
    rewrite(newest(board), "## Why join us", "## Why join us\n\nNo memo to plan with.")
    assert preview_edit(builder.Options(board, site, BASE_URL, NOW)) is None


def test_with_the_watchers_paths_only_those_files_are_looked_at(
    board: Path, tmp_path: Path
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    edited = newest(board)
    rewrite(edited, "## Why join us", "## Why join us\n\nSeen by the watcher.")
    other = next(path for path in sorted(board.glob("0*.txt")) if path != edited)

    named = preview_edit(options(board, site, cache), [str(edited)])
    assert named is not None
    assert any(b"Seen by the watcher." in page for page in named.pages.values())
    assert named == preview_edit(options(board, site, cache))  # as a look at every file
    # The watcher is trusted: a file it does not name is as the last build saw it.
    assert preview_edit(options(board, site, cache), [str(other)]) is None


def test_a_path_outside_the_content_folder_means_a_look_at_every_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert content_keys(content, [str(content / "a.txt"), str(content / "b" / "c.md")]) == {
        "a.txt",
        "b/c.md",
    }
    assert content_keys(content, [str(content / "a.txt"), str(tmp_path / "templates/x")]) is None
