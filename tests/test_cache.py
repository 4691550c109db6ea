"""The build cache on disk (builder/cache.py): what one build saves, the next reads back."""

from __future__ import annotations

import os
import pickle
from datetime import UTC, datetime
from pathlib import Path

import pytest

from builder import cache
from builder.cache import (
    SHARDS,
    CacheStore,
    Finished,
    Saved,
    Written,
    folder_identity,
    folder_times,
    times_of,
)
from builder.extraction import Extracted
from builder.model import Posting, pack
from builder.problems import Problem, Severity

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def make_posting(source: str, **overrides) -> Posting:
    fields = dict(
        source=source,
        slug=f"sre-{Path(source).stem}",
        title="SRE",
        company="Acme",
        company_slug="acme",
        date_posted=datetime(2026, 11, 1, tzinfo=UTC),
        packed_description=pack("<p>Hi</p>"),
        summary="Hi",
    )
    return Posting(**(fields | overrides))


def make_entry(source: str, digest: str = "d1", title: str = "SRE") -> Extracted:
    problem = Problem(source, 3, Severity.WARNING, "no salary")
    return Extracted(source, digest, (make_posting(source, title=title),), (problem,), None)


def open_store(root: Path) -> CacheStore:
    return CacheStore.open(root / "cache", root / "content", root / "site")


def shard_of(source: str) -> int:
    return cache._shard_of(source)


def sources_in_distinct_shards(count: int) -> list[str]:
    """`count` content file names, each in a shard of its own."""
    found: dict[int, str] = {}
    for number in range(1000):
        found.setdefault(shard_of(f"content/{number}.txt"), f"content/{number}.txt")
        if len(found) == count:
            return list(found.values())
    raise AssertionError("not enough shards")


def shard_files(store: CacheStore) -> dict[str, tuple[int, int, bytes]]:
    """Every shard file of the store, with its inode, mtime and bytes."""
    files = {}
    for path in sorted(store.folder.glob("extracted-*.pickle")):
        status = path.stat()
        files[path.name] = (status.st_ino, status.st_mtime_ns, path.read_bytes())
    return files


@pytest.fixture
def sources() -> list[str]:
    return sources_in_distinct_shards(6)


@pytest.fixture
def saved_store(tmp_path: Path, sources: list[str]) -> CacheStore:
    """A store holding one entry for each source, sites and a layout, saved once."""
    store = open_store(tmp_path)
    written = Written((1, 2, 3), {"index.html": "p1"}, "s1", ("index.html",), {"": 7})
    store.save(
        Saved(
            seen=({"content/a.txt": (1, 2)}, 42),
            finished=Finished("inputs", (1, 2, 3), ("index.html",), "report"),
            extracted={source: make_entry(source) for source in sources},
            written=written,
            standby=None,
            layout={"layout": 1},
        )
    )
    return store


def test_an_empty_folder_opens_as_an_empty_cache(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    assert store.finished is None
    assert store.seen == ({}, 0)
    assert store.extracted() == {}
    assert store.entry("content/a.txt") is None
    assert store.sites() == (None, None)
    assert store.layout() is None
    assert not (tmp_path / "cache").exists()  # opening writes nothing


def test_a_saved_cache_reads_back_in_a_new_store(saved_store: CacheStore, tmp_path: Path, sources):
    again = open_store(tmp_path)
    assert again.folder == saved_store.folder
    assert again.finished == Finished("inputs", (1, 2, 3), ("index.html",), "report")
    assert again.seen == ({"content/a.txt": (1, 2)}, 42)
    assert again.extracted() == {source: make_entry(source) for source in sources}
    written, standby = again.sites()
    assert written == Written((1, 2, 3), {"index.html": "p1"}, "s1", ("index.html",), {"": 7})
    assert standby is None
    assert again.layout() == {"layout": 1}


def test_each_content_and_output_pair_has_a_cache_of_its_own(saved_store, tmp_path: Path) -> None:
    other_output = CacheStore.open(tmp_path / "cache", tmp_path / "content", tmp_path / "other")
    other_content = CacheStore.open(tmp_path / "cache", tmp_path / "other", tmp_path / "site")
    assert len({saved_store.folder, other_output.folder, other_content.folder}) == 3
    for store in (other_output, other_content):
        assert store.finished is None and store.extracted() == {}


def test_entries_are_written_one_shard_file_per_shard(saved_store: CacheStore, sources) -> None:
    names = set(shard_files(saved_store))
    assert names == {f"extracted-{shard_of(source):02}.pickle" for source in sources}
    assert all(0 <= shard_of(source) < SHARDS for source in sources)


def test_entry_reads_only_the_shard_of_its_source(
    saved_store: CacheStore, tmp_path: Path, sources, monkeypatch
) -> None:
    loaded: list[str] = []
    load = cache._load
    monkeypatch.setattr(cache, "_load", lambda path: loaded.append(path.name) or load(path))
    again = open_store(tmp_path)
    assert loaded == ["state.pickle"]
    loaded.clear()
    assert again.entry(sources[2]) == make_entry(sources[2])
    assert again.entry(sources[2]) == make_entry(sources[2])  # read once
    assert loaded == [f"extracted-{shard_of(sources[2]):02}.pickle"]
    assert again.entry("content/never-seen.txt") is None


def test_extracted_returns_every_entry_of_every_shard(saved_store, tmp_path: Path, sources) -> None:
    again = open_store(tmp_path)
    assert again.entry(sources[0]) is not None  # one shard read before the rest
    everything = again.extracted()
    assert set(everything) == set(sources)
    assert everything[sources[0]] is again.entry(sources[0])  # the same, not read again
    assert everything[sources[3]].postings[0].title == "SRE"


def test_a_patch_rewrites_only_the_shards_of_the_patched_files(
    saved_store: CacheStore, tmp_path: Path, sources
) -> None:
    before = shard_files(saved_store)
    again = open_store(tmp_path)
    edited = make_entry(sources[1], digest="d2", title="Staff SRE")
    added = "content/new-file.txt"
    again.save(Saved(again.seen, again.finished, patched=(edited, make_entry(added))))
    after = shard_files(again)
    rewritten = {f"extracted-{shard_of(s):02}.pickle" for s in (sources[1], added)}
    assert {name for name in after if after[name] != before.get(name)} == rewritten
    third = open_store(tmp_path)
    assert third.entry(sources[1]) == edited
    assert third.entry(added) == make_entry(added)
    assert third.extracted() == {
        **{source: make_entry(source) for source in sources},
        sources[1]: edited,
        added: make_entry(added),
    }


def test_saving_every_entry_rewrites_only_shards_that_changed(
    saved_store: CacheStore, tmp_path: Path, sources
) -> None:
    before = shard_files(saved_store)
    again = open_store(tmp_path)
    entries = dict(again.extracted())  # the loaded entries, as a build passes them back
    entries[sources[0]] = make_entry(sources[0], digest="d2")
    del entries[sources[4]]
    again.save(Saved(again.seen, extracted=entries))
    after = shard_files(again)
    changed = {name for name in before if after[name] != before[name]}
    assert changed == {f"extracted-{shard_of(s):02}.pickle" for s in (sources[0], sources[4])}
    third = open_store(tmp_path)
    assert third.extracted() == entries
    assert third.entry(sources[4]) is None


def test_saving_without_entries_keeps_them_as_they_were(
    saved_store: CacheStore, tmp_path: Path, sources
) -> None:
    before = shard_files(saved_store)
    again = open_store(tmp_path)
    again.save(Saved(({}, 1)))
    assert shard_files(again) == before
    third = open_store(tmp_path)
    assert third.seen == ({}, 1) and third.finished is None
    assert set(third.extracted()) == set(sources)
    assert third.layout() == {"layout": 1}  # a layout of None keeps the last one
    assert third.sites() == (None, None)  # the sites are always as saved


def test_sites_round_trip_and_are_not_rewritten_when_unchanged(
    saved_store: CacheStore, tmp_path: Path
) -> None:
    written = Written((4, 5, 6), {"a/index.html": "p2"}, "s2", ("a/index.html",), {"a": 9})
    standby = Written((7, 8, 9), {"index.html": "p1"})
    again = open_store(tmp_path)
    again.save(Saved(again.seen, written=written, standby=standby, layout=("new", 2)))
    sites_file = again.folder / "sites.pickle"
    first = sites_file.stat()
    third = open_store(tmp_path)
    assert third.sites() == (written, standby)
    assert third.layout() == ("new", 2)
    third.save(Saved(third.seen, written=written, standby=standby))
    assert sites_file.stat().st_ino == first.st_ino  # the same sites: the same file
    assert open_store(tmp_path).sites() == (written, standby)


def test_a_save_leaves_no_temporary_files(saved_store: CacheStore, tmp_path: Path) -> None:
    again = open_store(tmp_path)
    again.save(Saved(again.seen, patched=(make_entry("content/x.txt"),), layout=1))
    assert [name for name in os.listdir(again.folder) if name.startswith(".")] == []


def test_a_cache_written_by_other_code_reads_as_empty(
    saved_store: CacheStore, tmp_path: Path, sources, monkeypatch
) -> None:
    monkeypatch.setattr(cache, "GENERATOR", "code of another version")
    assert open_store(tmp_path).finished is None  # and the other way round
    other = open_store(tmp_path)
    other.save(
        Saved(("other", 1), Finished("x", (0, 0, 0), (), None), {sources[0]: make_entry("z")})
    )
    monkeypatch.undo()
    store = open_store(tmp_path)
    assert store.finished is None and store.seen == ({}, 0)
    assert store.entry(sources[0]) is None  # its shard is the other code's now
    # Files the other code left alone are still this code's.
    assert set(store.extracted()) == set(sources[1:])
    assert store.sites()[0] is not None and store.layout() == {"layout": 1}


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"",  # emptied
        lambda data: b"not a pickle at all",
        lambda data: pickle.dumps("no generator"),  # a pickle, but not a pair
        lambda data: pickle.dumps((1, 2, 3)),
    ],
    ids=["truncated", "empty", "garbage", "not-a-pair", "three"],
)
def test_a_damaged_cache_file_reads_as_empty(saved_store: CacheStore, tmp_path: Path, damage):
    for path in saved_store.folder.glob("*.pickle"):
        path.write_bytes(damage(path.read_bytes()))
    store = open_store(tmp_path)
    assert store.finished is None and store.seen == ({}, 0)
    assert store.extracted() == {}
    assert store.sites() == (None, None)
    assert store.layout() is None
    store.save(Saved(({}, 5), extracted={"content/a.txt": make_entry("content/a.txt")}))
    assert open_store(tmp_path).extracted() == {"content/a.txt": make_entry("content/a.txt")}


def test_a_cache_naming_a_module_that_is_gone_reads_as_empty(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.folder.mkdir(parents=True)
    # As pickle writes an object of a class from builder/gone.py: protocol 4, a global, stop.
    (store.folder / "state.pickle").write_bytes(b"\x80\x04cbuilder.gone\nLayout\n.")
    assert open_store(tmp_path).finished is None


def test_a_cache_file_with_a_damaged_frame_length_reads_as_empty(saved_store, tmp_path) -> None:
    state = saved_store.folder / "state.pickle"
    data = bytearray(state.read_bytes())
    assert data[:3] == b"\x80\x05\x95"  # protocol 5, then a frame and its 8-byte length
    data[10] |= 0x80  # the length's top bit
    state.write_bytes(bytes(data))
    assert open_store(tmp_path).finished is None


def test_folder_identity_is_device_inode_and_mtime(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    os.utime(folder, ns=(1_000_000_000_123, 2_000_000_000_456))
    status = folder.stat()
    assert folder_identity(folder) == (status.st_dev, status.st_ino, 2_000_000_000_456)
    os.utime(folder, ns=(1_000_000_000_123, 2_000_000_000_457))
    assert folder_identity(folder)[2] == 2_000_000_000_457
    folder.rename(tmp_path / "moved")
    assert folder_identity(folder) == (0, 0, 0)  # gone
    assert folder_identity(tmp_path / "moved")[1] == status.st_ino


def test_folder_times_has_root_and_every_folder_above_each_file(tmp_path: Path) -> None:
    (tmp_path / "a/b").mkdir(parents=True)
    (tmp_path / "c").mkdir()
    for folder, ns in [("a/b", 30), ("a", 20), ("c", 40), ("", 10)]:  # deepest first
        os.utime(tmp_path / folder, ns=(ns, ns))
    files = ("a/b/page.html", "index.html", "c/x.html", "gone/deep/y.html")
    times = folder_times(tmp_path, files)
    assert times == {"": 10, "a": 20, "a/b": 30, "c": 40, "gone": -1, "gone/deep": -1}
    assert folder_times(tmp_path, ()) == {"": 10}


def test_times_of_is_each_folders_mtime_or_minus_one(tmp_path: Path) -> None:
    (tmp_path / "x/y").mkdir(parents=True)
    os.utime(tmp_path / "x/y", ns=(5, 55))
    os.utime(tmp_path / "x", ns=(6, 66))
    assert times_of(tmp_path, ["x/y", "x", "nope"]) == {"x/y": 55, "x": 66, "nope": -1}
    assert times_of(tmp_path / "missing", [""]) == {"": -1}
    assert times_of(tmp_path, []) == {}
