"""The build cache on disk: what the last build saw, extracted and wrote (memo.py reads it).

It lives in `.cache/` (git-ignored; deleting it only costs one slow build): a small state file
read on every build, each content file's extraction in one of SHARDS files, the sites' page
fingerprints, and the layout of the site last written. Every file is written in one rename
and holds the GENERATOR that wrote it, so a cache from other code is never read.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.extraction import Extracted
from builder.fingerprints import GENERATOR, digest_of


@dataclass(frozen=True)
class Written:
    """The pages of a site a build wrote, each with its fingerprint."""

    identity: tuple[int, int, int]  # the output folder's device, inode and mtime
    pages: Mapping[str, str]  # by path in the site (str: it loads faster than a path)
    search: Mapping[str, str] = field(default_factory=dict)  # each search shard's print
    files: tuple[str, ...] = ()  # every file of the site: pages, static files, search index
    # Every folder's mtime: a file added anywhere inside changes its folder's, not the top's.
    folders: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Finished:
    """What the last written build was made from and what it reported: enough to answer a
    build of the same inputs into the same, untouched site without loading anything else."""

    inputs: str  # digest of every content file's digest, the config, templates, static, options
    identity: tuple[int, int, int]  # of the output folder it wrote
    files: tuple[str, ...]  # every file of the site, relative to it
    report: Any  # the build's Result, without its postings


@dataclass(frozen=True)
class Saved:
    """What a build leaves for the next: every field the cache holds, as it is to be."""

    seen: Any  # the content files as the build saw them, and when
    finished: Finished | None = None
    extracted: Mapping[str, Extracted] | None = None  # every file's; None: as they were
    patched: tuple[Extracted, ...] = ()  # the few files an edit extracted again
    written: Written | None = None  # the site on disk
    standby: Written | None = None  # the site before it, kept beside the output
    layout: Any = None  # None: as it was


class CacheStore:
    """The cache files of one content folder built into one output folder. Everything but the
    state file is read on demand, once, and never changed in memory: save() takes what the
    build made."""

    def __init__(self, folder: Path, finished: Finished | None = None, seen: Any = None) -> None:
        self.folder = folder
        self.finished = finished
        self.seen: Any = seen or ({}, 0)
        self._all: dict[str, Extracted] | None = None
        self._shards: dict[int, dict[str, Extracted]] = {}
        self._sites: tuple[Written | None, Written | None] | None = None

    @classmethod
    def open(cls, root: Path, content_dir: Path, output_dir: Path) -> CacheStore:
        """Open the cache for this content and output; an unreadable one counts as empty."""
        name = digest_of(str(content_dir.resolve()), str(output_dir.resolve()))[:16]
        folder = root / "sreboard" / name
        return cls(folder, *(_load(folder / "state.pickle") or (None, None)))

    def extracted(self) -> Mapping[str, Extracted]:
        """Every file's last extraction (a third of a second at 10,000 postings)."""
        if self._all is None:
            for number in range(SHARDS):
                self._shard(number)
            self._all = {s: e for n in range(SHARDS) for s, e in self._shards[n].items()}
        return self._all

    def entry(self, source: str) -> Extracted | None:
        """One file's last extraction, reading only its shard."""
        return self._shard(_shard_of(source)).get(source)

    def sites(self) -> tuple[Written | None, Written | None]:
        """The site on disk and the standby copy beside it, as last recorded."""
        if self._sites is None:
            self._sites = _load(self.folder / "sites.pickle") or (None, None)
        return self._sites

    def layout(self) -> Any:
        """The layout the last written build saved (builder/delta.py), or None."""
        return _load(self.folder / "layout.pickle")

    def _shard(self, number: int) -> dict[str, Extracted]:
        if number not in self._shards:
            self._shards[number] = _load(self._shard_file(number)) or {}
        return self._shards[number]

    def _shard_file(self, number: int) -> Path:
        return self.folder / f"extracted-{number:02}.pickle"

    def save(self, saved: Saved) -> None:
        """Write what changed, each file in one rename, so a killed build leaves the old
        cache or the new (each entry is checked against its inputs when read): an edit
        rewrites one shard of the extracted postings."""
        if saved.patched:
            self._save_patches(saved.patched)
        elif saved.extracted is not None:
            self._save_shards(saved.extracted)
        sites = (saved.written, saved.standby)
        if sites != self.sites():
            _dump(self.folder / "sites.pickle", sites)
        if saved.layout is not None:  # it names the inputs it was made from: never stale
            _dump(self.folder / "layout.pickle", saved.layout)
        _dump(self.folder / "state.pickle", (saved.finished, saved.seen))

    def _save_shards(self, extracted: Mapping[str, Extracted]) -> None:
        self.extracted()
        new = _by_shard(extracted)
        for number in range(SHARDS):
            entries, before = new.get(number, {}), self._shards[number]
            same = entries.keys() == before.keys() and all(
                entry is before[source] for source, entry in entries.items()
            )
            if not same:
                _dump(self._shard_file(number), entries)

    def _save_patches(self, patched: tuple[Extracted, ...]) -> None:
        for number in sorted({_shard_of(entry.source) for entry in patched}):
            shard = dict(self._shard(number))
            shard.update((e.source, e) for e in patched if _shard_of(e.source) == number)
            _dump(self._shard_file(number), shard)


# Extracted postings are saved in this many files, by their file's name: an edit rewrites
# one of them, not all (a tenth of a second at 10,000 postings).
SHARDS = 32


def _by_shard(entries: Mapping[str, Extracted]) -> dict[int, dict[str, Extracted]]:
    shards: dict[int, dict[str, Extracted]] = {}
    for source, entry in entries.items():
        shards.setdefault(_shard_of(source), {})[source] = entry
    return shards


def _shard_of(source: str) -> int:
    return zlib.crc32(source.encode()) % SHARDS


# The files this process unpickled or saved, with the identity each had: `serve` builds again and
# again from the same files, and loading them took a tenth of a second at 10,000 postings.
# A file is only ever replaced whole (_dump renames a new one in), so a new inode or time
# means new content.
_LOADED: dict[Path, tuple[tuple[int, int, int], Any, Any]] = {}


def _load(path: Path) -> Any:
    """Unpickle what this generator wrote at path; None when it is missing, damaged or old."""
    try:
        with path.open("rb") as stream:
            status = os.fstat(stream.fileno())
            identity = (status.st_ino, status.st_mtime_ns, status.st_size)
            kept = _LOADED.get(path)
            if kept is None or kept[0] != identity:
                generator, content = pickle.load(stream)
                _LOADED[path] = kept = (identity, generator, content)
    except Exception:  # damaged bytes can make unpickling raise anything: read as empty
        return None
    _identity, generator, content = kept
    return content if generator == GENERATOR else None


def _dump(path: Path, content: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    with os.fdopen(handle, "wb") as stream:
        pickle.dump((GENERATOR, content), stream, pickle.HIGHEST_PROTOCOL)
        stream.flush()
        status = os.fstat(stream.fileno())  # the file's, whatever is renamed over it later
    os.replace(temporary, path)
    # Kept as if loaded: serve's next preview reads back what its last build saved (70 ms).
    _LOADED[path] = ((status.st_ino, status.st_mtime_ns, status.st_size), GENERATOR, content)


def folder_identity(folder: Path) -> tuple[int, int, int]:
    """Tell one folder from another at the same path; a new folder may reuse a freed inode,
    but not also the nanosecond its last entry was made."""
    try:
        status = folder.stat()
    except OSError:
        return (0, 0, 0)
    return (status.st_dev, status.st_ino, status.st_mtime_ns)


def folder_times(root: Path, files: tuple[str, ...]) -> dict[str, int]:
    """The mtime of root and of every folder holding one of `files` (relative to root);
    -1 for a folder that is gone."""
    folders = {""}
    for name in files:
        folder = os.path.dirname(name)
        while folder not in folders:  # and every folder above it
            folders.add(folder)
            folder = os.path.dirname(folder)
    return times_of(root, sorted(folders))


def times_of(root: Path, folders: Iterable[str]) -> dict[str, int]:
    """The mtime of each folder (relative to root), -1 for one that is gone."""
    times = {}
    for folder in folders:
        try:
            times[folder] = os.stat(os.path.join(root, folder)).st_mtime_ns
        except OSError:
            times[folder] = -1
    return times
