"""An incremental build (with the cache in .cache/) writes exactly what a clean build writes."""

from __future__ import annotations

import concurrent.futures
import os
import random
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import NOW, ROOT, build_args, build_site, run_cli, tree

import builder
from bench.corpus import posting
from builder import lock, output, pool, sources


def incremental(content: Path, output: Path, cache: Path, **options) -> builder.Result:
    result = build_site(content, output, cache_dir=cache, **options)
    assert result.written, [str(p) for p in result.errors]
    return result


def assert_same_as_clean(content: Path, output: Path, tmp_path: Path, **options) -> None:
    """A build from scratch of the same content gives the same bytes, file for file."""
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    assert build_site(content, clean, **options).written
    assert tree(output) == tree(clean)


def test_a_rebuild_with_nothing_changed_reuses_every_page(board: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    first = incremental(board, site, cache)
    before = tree(site)
    second = incremental(board, site, cache)
    assert first.pages_reused == 0
    assert second.pages_reused > 0.9 * second.pages_written  # all but sitemap, 404, robots…
    assert tree(site) == before


def test_an_edit_rerenders_its_pages_and_matches_a_clean_build(board: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    retitled, rewritten = board / "000010.txt", board / "000011.txt"
    retitled.write_text(retitled.read_text().replace("title: ", "title: Edited "), "utf-8")
    text = rewritten.read_text(encoding="utf-8")
    rewritten.write_text(text.replace("## What you bring", "## What you bring along"), "utf-8")
    result = incremental(board, site, cache)
    assert 0 < result.pages_reused < result.pages_written
    pages = [page.read_text(encoding="utf-8") for page in site.glob("jobs/*/index.html")]
    assert any("Edited" in page for page in pages)
    assert any("What you bring along" in page for page in pages)
    assert_same_as_clean(board, site, tmp_path)


@pytest.mark.parametrize("change", ["add", "delete", "taxonomy", "now"])
def test_each_kind_of_change_matches_a_clean_build(
    board: Path, tmp_path: Path, change: str
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    now = NOW
    if change == "add":
        (board / "new.txt").write_text(posting(random.Random(99), 99), encoding="utf-8")
    elif change == "delete":
        (board / "000003.txt").unlink()
    elif change == "taxonomy":  # a new alias tags postings that did not match before
        taxonomy = board / "_taxonomy.yml"
        text = taxonomy.read_text(encoding="utf-8")
        taxonomy.write_text(text.replace("aliases: [jvm]", "aliases: [jvm, mentoring]"), "utf-8")
    else:
        now = NOW + timedelta(days=200)  # some postings age, none is dated "today" any more
    incremental(board, site, cache, now=now)
    assert_same_as_clean(board, site, tmp_path, now=now)


@pytest.fixture
def tmpfs_path() -> Iterator[Path]:
    """A folder on tmpfs, which lists a folder's entries in the order they were made."""
    if not os.access("/dev/shm", os.W_OK):
        pytest.skip("no writable /dev/shm")
    folder = Path(tempfile.mkdtemp(dir="/dev/shm"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_an_addition_matches_a_clean_build_where_folders_list_as_they_were_made(
    board: Path, tmpfs_path: Path
) -> None:
    # The added posting's folder lists last in the updated site and in order in a clean one:
    # Pagefind numbers pages as it lists them, so it must not list the site's own jobs/.
    test_each_kind_of_change_matches_a_clean_build(board, tmpfs_path, "add")


def test_a_template_change_rerenders_every_page(board: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache, templates_dir=templates)
    card = templates / "_card.html"
    card.write_text(card.read_text().replace('class="card-title"', 'class="card-title x"'))
    result = incremental(board, site, cache, templates_dir=templates)
    assert 'class="card-title x"' in (site / "index.html").read_text()
    html_reused = result.pages_reused
    assert html_reused <= 3 * len(list(site.glob("**/*.json")))  # only feeds stay as they were
    assert_same_as_clean(board, site, tmp_path, templates_dir=templates)


def test_a_damaged_cache_is_ignored(board: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    saved = list(cache.rglob("*.pickle"))
    assert len(saved) > 2  # the state, the sites, the shards of extracted postings
    for damaged in saved:
        damaged.write_bytes(b"not a pickle")
    result = incremental(board, site, cache)
    assert result.pages_reused == 0
    assert_same_as_clean(board, site, tmp_path)


def test_a_site_replaced_behind_the_cache_is_not_reused(board: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    shutil.rmtree(site)
    assert build_site(board, site).written  # a build without the cache: a new folder
    result = incremental(board, site, cache)
    assert result.pages_reused == 0


def test_many_postings_are_extracted_in_worker_processes_with_the_same_result(
    board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = tmp_path / "serial"
    assert build_site(board, serial).written
    monkeypatch.setattr(pool, "PARALLEL_FROM_FILES", 2)
    started = []
    real_pool = concurrent.futures.ProcessPoolExecutor  # pool imports it when it needs it
    monkeypatch.setattr(
        concurrent.futures,
        "ProcessPoolExecutor",
        lambda *a, **k: started.append(a) or real_pool(*a, **k),
    )
    parallel = tmp_path / "parallel"
    assert build_site(board, parallel).written
    assert started, "the pool was not used"
    assert started[0][1].get_start_method() == "fork"  # the builder is imported already
    assert tree(parallel) == tree(serial)
    started.clear()
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)  # as `serve` runs its watcher and server
    other.start()
    try:
        assert build_site(board, tmp_path / "threaded").written
    finally:
        waiting.set()
        other.join()
    assert started[0][1].get_start_method() == "spawn"  # forking a threaded process can hang
    assert tree(tmp_path / "threaded") == tree(serial)


def test_a_page_deleted_from_the_site_by_hand_is_written_again(board: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    posting_page = sorted(site.glob("jobs/*/index.html"))[0]
    posting_page.unlink()
    result = incremental(board, site, cache)
    assert result.pages_reused == 0
    assert posting_page.is_file()
    assert_same_as_clean(board, site, tmp_path)


def test_the_command_line_keeps_its_cache_in_the_working_folder(
    board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("SREBOARD_CACHE")  # set by conftest for every other test
    site = tmp_path / "_site"
    args = build_args(board, site)
    first = run_cli(*args, cwd=tmp_path)
    second = run_cli(*args, cwd=tmp_path)
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert "unchanged" not in first.stdout
    assert re.search(r"read [\d.]+ s, extract [\d.]+ s, .*render and write [\d.]+ s", first.stdout)
    assert re.search(r"files \(\d+ unchanged\) in", second.stdout), second.stdout
    assert list((tmp_path / ".cache").rglob("extracted-*.pickle"))
    assert run_cli(*args, "--no-cache", cwd=tmp_path).returncode == 0


def test_a_large_site_is_written_by_forked_processes_with_the_same_bytes(
    board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = tmp_path / "serial"
    monkeypatch.setattr(output, "PARALLEL_FROM_PAGES", 10**9)  # one writer, the parent
    assert build_site(board, serial).written
    monkeypatch.setattr(output, "PARALLEL_FROM_PAGES", 2)
    forked = []
    real_fork = output._fork_writer
    monkeypatch.setattr(output, "_fork_writer", lambda *a: forked.append(1) or real_fork(*a))
    parallel = tmp_path / "parallel"
    assert build_site(board, parallel).written
    assert forked, "no writer was forked"
    assert tree(parallel) == tree(serial)


def test_a_page_that_fails_in_a_forked_writer_fails_the_build_and_keeps_the_old_site(
    board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "_site"
    assert build_site(board, site).written
    before = tree(site)
    monkeypatch.setattr(output, "PARALLEL_FROM_PAGES", 2)
    monkeypatch.setattr(pool, "MAX_WORKERS", 2)  # pool.cores() reads it

    def broken() -> bytes:
        raise ValueError("this page cannot be rendered")

    pages = {f"p{n}/index.html": broken if n == 1 else b"ok" for n in range(4)}
    with pytest.raises(RuntimeError, match="this page cannot be rendered"):
        output.write_site(pages, ROOT / "static", site)  # page 1 is the child's (odd ones)
    assert tree(site) == before
    assert not list(tmp_path.glob("._site.tmp-*"))


def test_a_large_replaced_site_is_deleted_in_the_background_and_never_left_behind(
    board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "DISCARD_IN_BACKGROUND_FROM", 2)  # every site counts as large
    site = tmp_path / "_site"
    assert build_site(board, site).written
    assert build_site(board, site, now=NOW + timedelta(days=1)).written  # replaces the first
    deadline = time.monotonic() + 20
    while list(tmp_path.glob("._site.trash-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(tmp_path.glob("._site.*-*")), "the old site was not deleted"
    assert_same_as_clean(board, site, tmp_path, now=NOW + timedelta(days=1))
    stale = tmp_path / "._site.trash-x1"  # as if the deleting process had been killed
    (stale / "jobs").mkdir(parents=True)
    assert build_site(board, site).written
    assert not stale.exists()


def test_the_lock_is_held_for_the_whole_build_not_only_the_writing(
    board: Path, tmp_path: Path
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    with lock.output_lock(site), pytest.raises(lock.OutputLocked):
        build_site(board, site, cache_dir=cache)  # even a build with nothing to do waits


@pytest.mark.parametrize(
    "lost", ["static/style.css", "pagefind/0/pagefind-entry.json", "pagefind/pagefind.js"]
)
def test_a_static_or_search_file_deleted_by_hand_is_written_again(
    board: Path, tmp_path: Path, lost: str
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    (site / lost).unlink()
    incremental(board, site, cache)
    assert (site / lost).is_file()
    incremental(board, site, cache, keep_going=True)  # a new input that no page reads
    assert_same_as_clean(board, site, tmp_path)


def test_a_page_deleted_by_hand_is_written_again_when_forked_writers_write(
    board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "PARALLEL_FROM_PAGES", 2)
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    pages = sorted(site.glob("jobs/*/index.html"))
    pages[1].unlink()  # the second page: a forked writer's
    (board / "000001.txt").write_text(posting(random.Random(5), 5), encoding="utf-8")
    incremental(board, site, cache)
    assert pages[1].is_file()
    assert_same_as_clean(board, site, tmp_path)


def folders(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_dir()}


def test_the_site_before_is_kept_and_updated_with_only_what_changed(
    board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    standby = tmp_path / "._site.standby"
    written: list[int] = []
    write_pages = output._write_pages
    monkeypatch.setattr(
        output,
        "_write_pages",
        lambda p, r, replacing=False: (written.append(len(p)), write_pages(p, r, replacing))[1],
    )
    first = incremental(board, site, cache)
    assert not standby.exists()  # no earlier site yet
    before = tree(site)
    edited = board / "000012.txt"
    edited.write_text(edited.read_text().replace("title: ", "title: Edited "), "utf-8")
    result = incremental(board, site, cache)
    assert tree(standby) == before  # the last site, kept as it was
    (board / "000004.txt").unlink()  # its company and its tags' pages may go with it
    (board / "new.txt").write_text(posting(random.Random(98), 98), encoding="utf-8")
    last = tree(site)
    result = incremental(board, site, cache)
    assert written[0] == first.pages_written  # the first build writes every page
    assert written[-1] < result.pages_written / 2  # the standby was updated, not rewritten
    assert tree(standby) == last  # updating the copy never wrote into the live site's files
    assert_same_as_clean(board, site, tmp_path)
    assert folders(site) == folders(tmp_path / "clean")  # no folder of a deleted page is left


def test_a_standby_site_is_updated_right_through_search_and_template_changes(
    board: Path, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    later = NOW + timedelta(days=3)
    steps = [{}, {"now": later}, {"search": False}, {}, {"search": False}, {"now": later}, {}]
    for options in steps:
        card = templates / "_card.html"
        card.write_text(card.read_text() + "\n", encoding="utf-8")
        incremental(board, site, cache, templates_dir=templates, **options)
        assert_same_as_clean(board, site, tmp_path, templates_dir=templates, **options)
        assert folders(site) == folders(tmp_path / "clean")


def test_a_page_deleted_from_the_standby_is_written_again(board: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)
    incremental(board, site, cache, now=NOW + timedelta(days=1))
    lost = next((tmp_path / "._site.standby").glob("jobs/*/index.html"))
    lost.unlink()
    incremental(board, site, cache, now=NOW + timedelta(days=2))
    assert_same_as_clean(board, site, tmp_path, now=NOW + timedelta(days=2))


def _age(folder: Path, seconds: float) -> None:
    """Date every file as modified `seconds` ago."""
    for file in folder.rglob("*"):
        when = file.stat().st_mtime - seconds
        os.utime(file, (when, when))


def test_only_files_whose_size_times_or_inode_changed_are_read(
    board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    read: list[str] = []
    read_inside = sources.read_inside
    monkeypatch.setattr(
        sources, "read_inside", lambda f, key: (read.append(key), read_inside(f, key))[1]
    )
    monkeypatch.setattr(sources, "RACY_NS", 500_000_000)  # to wait 0.6 s, not 2 s
    time.sleep(0.6)  # the files were written (their change times set) long enough ago
    incremental(board, site, cache)
    files = len(read)
    edited = board / "000020.txt"
    edited.write_text(edited.read_text().replace("title: ", "title: Edited "), "utf-8")
    read.clear()
    incremental(board, site, cache)
    assert set(read) == {"000020.txt"}  # read to digest it, and again to extract it
    assert_same_as_clean(board, site, tmp_path)
    read.clear()
    incremental(board, site, cache, search=False)  # another site, the same postings
    assert set(read) == {"000020.txt"}  # too new to trust its times; no other file is read
    assert files > 30


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(board: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    _age(board, 3600)
    incremental(board, site, cache)
    edited = board / "000021.txt"
    before = edited.stat()
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("title: ", "title: Xdited ", 1)[: len(text)], "utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))  # only its ctime tells
    assert edited.stat().st_size == before.st_size
    incremental(board, site, cache)
    assert "Xdited" in (site / "index.html").read_text(encoding="utf-8") or any(
        "Xdited" in page.read_text(encoding="utf-8") for page in site.glob("jobs/*/index.html")
    )
    assert_same_as_clean(board, site, tmp_path)


def test_an_edit_rewrites_one_shard_of_the_cached_postings(board: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache)

    def shards() -> dict[str, int]:
        return {p.name: p.stat().st_ino for p in cache.rglob("extracted-*.pickle")}

    before = shards()
    edited = board / "000022.txt"
    edited.write_text(edited.read_text().replace("title: ", "title: Edited "), "utf-8")
    incremental(board, site, cache)
    after = shards()
    assert before.keys() == after.keys()
    assert sum(before[name] != after[name] for name in before) == 1


def test_a_file_dropped_deep_into_the_live_site_is_gone_from_later_builds(
    board: Path, tmp_path: Path
) -> None:
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    incremental(board, site, cache, search=False)
    incremental(board, site, cache, search=False, now=NOW + timedelta(days=1))  # a standby now
    (next(site.glob("jobs/*/")) / ".DS_Store").write_bytes(b"Finder was here")
    for day in (2, 3, 4):  # the live site becomes the standby, and the standby the live site
        incremental(board, site, cache, search=False, now=NOW + timedelta(days=day))
        assert_same_as_clean(board, site, tmp_path, search=False, now=NOW + timedelta(days=day))
