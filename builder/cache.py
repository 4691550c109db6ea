"""The build cache: what the last build extracted and wrote, so a rebuild redoes only changes.

It lives in `.cache/` (git-ignored; deleting it only costs one slow build). Each content file's
postings are kept under a digest of everything their extraction read: the file's bytes and
name, its git dates, the taxonomy, the board's maximum age and the generator's own code. Each
page written is kept with a fingerprint of everything its rendering read, so an unchanged page
is hard-linked from the previous site instead of rendered again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from builder.model import Posting, Region, Tag
from builder.output import OldFile
from builder.problems import Problem

FORMAT = 4  # bump when the pickled shapes below change
# The libraries whose output the cache keeps: a new version of any of them starts afresh.
LIBRARIES = ("Markdown", "nh3", "ftfy", "Jinja2", "MarkupSafe", "feedgen", "PyYAML",
             "python-frontmatter", "python-slugify", "python-dateutil")  # fmt: skip


def _code_digest() -> str:
    """Digest the generator's own code and the libraries whose output it keeps."""
    digest = hashlib.sha256(f"{FORMAT}".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for installed in _installed(LIBRARIES):
        digest.update(installed.encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def _installed(libraries: tuple[str, ...]) -> list[str]:
    """Name each library with its version, from the `name-version.dist-info` folders on the
    import path: importing importlib.metadata costs 30 ms, as much as the rest of a rebuild
    after a one-word edit spends extracting it."""
    wanted = {_normalized(library) for library in libraries}
    found = set()
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        found |= {n for n in names if n.endswith(".dist-info") and _named(n) in wanted}
    if len({_named(name) for name in found}) == len(wanted):
        return sorted(found)
    from importlib import metadata  # installed some other way: ask for each

    return [f"{library}={metadata.version(library)}" for library in libraries]


def _normalized(name: str) -> str:
    """A distribution's name as its dist-info folder spells it (PEP 503, then 427)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _named(dist_info: str) -> str:
    """The distribution a `name-version.dist-info` folder is of."""
    return _normalized(dist_info.split("-", 1)[0])


GENERATOR = _code_digest()


@dataclass(frozen=True)
class Extracted:
    """One content file's postings and problems, valid while its key matches."""

    source: str
    key: str
    postings: tuple[Posting, ...]
    problems: tuple[Problem, ...]
    now: datetime | None  # the build date the result depends on, when it used one


@dataclass(frozen=True)
class Written:
    """The pages of the site the last build wrote, each with its fingerprint."""

    identity: tuple[int, int, int]  # the output folder's device, inode and mtime
    pages: Mapping[str, str]  # by path in the site (str: it loads faster than a path)
    search: str = ""  # fingerprint of what the search index was built from
    files: tuple[str, ...] = ()  # every file of the site: pages, static files, search index
    # Every folder's mtime: a file added anywhere inside changes its folder's, not the top's.
    folders: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Finished:
    """What the last written build was made from and what it reported: enough to answer a
    build of the same inputs into the same, untouched site without loading anything else."""

    inputs: str  # digest of every content file's key, the config, templates, static, options
    identity: tuple[int, int, int]  # of the output folder it wrote
    files: tuple[str, ...]  # every file of the site, relative to it
    report: Any  # the build's Result, without its postings


class BuildCache:
    """The cache of one content folder built into one output folder: a small state file
    read on every build, and the extracted postings and page fingerprints, read on demand."""

    def __init__(self, folder: Path, finished: Finished | None = None, seen: Any = None) -> None:
        self.folder = folder
        self.finished = finished
        self.seen = seen or ({}, 0)  # the content files as the last build saw them, and when
        self._loaded: dict[str, Extracted] | None = None  # as read from disk
        self._sites_loaded = False
        self._patched: dict[str, Extracted] = {}  # entries replaced without loading the rest
        self._shards: dict[int, dict[str, Extracted]] = {}  # shards read one at a time
        self.layout: Any = None  # the written site's layout (builder/delta.py), when saved
        self._written: Written | None = None
        self._saved_written: Written | None = None  # as read from disk
        self._standby: Written | None = None  # the site before, kept beside the output
        self._saved_standby: Written | None = None
        self._extracted: dict[str, Extracted] = {}

    @classmethod
    def open(cls, root: Path, content_dir: Path, output_dir: Path) -> BuildCache:
        """Open the cache for this content and output; an unreadable one counts as empty."""
        name = digest_of(str(content_dir.resolve()), str(output_dir.resolve()))[:16]
        folder = root / "sreboard" / name
        return cls(folder, *(_load(folder / "state.pickle") or (None, None)))

    def unchanged(self, inputs: str, output_dir: Path) -> Any:
        """The last build's report if it was made from these inputs and its site is intact."""
        done = self.finished
        if done is None or done.inputs != inputs:
            return None
        if folder_identity(output_dir) != done.identity:
            return None
        intact = all(os.path.exists(os.path.join(output_dir, name)) for name in done.files)
        return done.report if intact else None

    def load(self) -> None:
        """Read the extracted postings and page fingerprints (a third of a second at 10,000)."""
        if self._loaded is None:
            assert not self._patched  # a build patches entries or loads them all, not both
            shards = [_load(self._shard_file(n)) or {} for n in range(SHARDS)]
            self._loaded = {source: entry for shard in shards for source, entry in shard.items()}
            self._extracted = dict(self._loaded)
        self._load_sites()

    def _load_sites(self) -> None:
        if not self._sites_loaded:
            sites = _load(self.folder / "sites.pickle") or (None, None)
            self._written, self._standby = sites
            self._saved_written, self._saved_standby = sites
            self._sites_loaded = True

    def load_layout(self) -> Any:
        """The layout the last written build saved, or None."""
        return _load(self.folder / "layout.pickle")

    def entry(self, source: str) -> Extracted | None:
        """One file's cached extraction, reading only its shard."""
        if self._loaded is not None:
            return self._extracted.get(source)
        if source in self._patched:
            return self._patched[source]
        number = _shard_of(source)
        if number not in self._shards:
            self._shards[number] = _load(self._shard_file(number)) or {}
        return self._shards[number].get(source)

    def patch(self, entry: Extracted) -> None:
        """Replace one file's cached extraction without loading the others."""
        self.entry(entry.source)  # its shard, to write back whole
        self._patched[entry.source] = entry

    def _shard_file(self, number: int) -> Path:
        return self.folder / f"extracted-{number:02}.pickle"

    @property
    def extracted(self) -> dict[str, Extracted]:
        self.load()
        return self._extracted

    @extracted.setter
    def extracted(self, value: dict[str, Extracted]) -> None:
        self.load()
        self._extracted = value

    @property
    def written(self) -> Written | None:
        self._load_sites()
        return self._written

    @written.setter
    def written(self, value: Written | None) -> None:
        self._load_sites()
        self._written = value

    @property
    def standby(self) -> Written | None:
        """The site kept beside the output for the next build to update, as last recorded."""
        self._load_sites()
        return self._standby

    @standby.setter
    def standby(self, value: Written | None) -> None:
        self._load_sites()
        self._standby = value

    def reusable_pages(self, output_dir: Path) -> Mapping[str, str]:
        """The fingerprints of the pages in output_dir, if it is still the site this cache saw."""
        written = self.written
        if written is None or folder_identity(output_dir) != written.identity:
            return {}
        return written.pages

    def save(self, written: Written | None, finished: Finished | None = None) -> None:
        """Write the cache, each file in one rename so a killed build leaves the old one or
        the new (each entry is checked against its inputs when read); write again only the
        files whose content changed: an edit rewrites one shard of the extracted postings."""
        if self._patched:
            self._save_patches()
        else:
            self._save_shards()
        self._load_sites()
        sites = (written, self._standby)
        if sites != (self._saved_written, self._saved_standby):
            _dump(self.folder / "sites.pickle", sites)
        if self.layout is not None:  # it names the inputs it was made from: never stale
            _dump(self.folder / "layout.pickle", self.layout)
        _dump(self.folder / "state.pickle", (finished, self.seen))

    def _save_shards(self) -> None:
        self.load()
        assert self._loaded is not None
        old, new = _by_shard(self._loaded), _by_shard(self._extracted)
        for number in range(SHARDS):
            entries, before = new.get(number, {}), old.get(number, {})
            same = entries.keys() == before.keys() and all(
                entry is before[source] for source, entry in entries.items()
            )
            if not same:
                _dump(self._shard_file(number), entries)

    def _save_patches(self) -> None:
        for number in sorted({_shard_of(source) for source in self._patched}):
            shard = self._shards[number]
            shard.update((s, e) for s, e in self._patched.items() if _shard_of(s) == number)
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


def _load(path: Path) -> Any:
    """Unpickle what this generator wrote at path; None when it is missing, damaged or old."""
    try:
        with path.open("rb") as stream:
            generator, content = pickle.load(stream)
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError):
        return None
    return content if generator == GENERATOR else None


def _dump(path: Path, content: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    with os.fdopen(handle, "wb") as stream:
        pickle.dump((GENERATOR, content), stream, pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


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


def digest_of(*parts: str | bytes) -> str:
    """A sha256 of the parts, kept apart so ("ab", "c") and ("a", "bc") differ."""
    return _hashed(hashlib.sha256(), parts).hexdigest()


def digester(*first: str | bytes) -> Callable[..., str]:
    """digest_of with these parts first, hashed once: digester(a)(b) == digest_of(a, b)."""
    start = _hashed(hashlib.sha256(), first)
    return lambda *parts: _hashed(start.copy(), parts).hexdigest()


def _hashed(digest: Any, parts: tuple[str | bytes, ...]) -> Any:
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest


def fingerprint(*values: Any) -> str:
    """Digest what a page is rendered from: postings by their own fingerprint, the rest by repr."""
    parts: list[str] = []
    for value in values:
        _describe(value, parts)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _describe(value: Any, parts: list[str]) -> None:
    kind = type(value)
    if kind is Posting:
        # The slug too: a posting keeps its content but moves when another takes its slug.
        parts += ("P", value.fingerprint, value.slug)
    elif kind is Tag or kind is Region:  # a few values, on thousands of pages
        parts.append(_repr_of(value, getattr(value, "within", ())))  # not compared, but shown
    elif kind is str:
        parts.append(repr(value))
    elif kind is list or kind is tuple:
        parts.append("[")
        for item in value:
            if type(item) is Posting:  # most lists are of postings: no call for each
                parts += ("P", item.fingerprint, item.slug)
            else:
                _describe(item, parts)
        parts.append("]")
    elif kind is dict:
        parts.append("{")
        for key, item in value.items():
            _describe(key, parts)
            _describe(item, parts)
        parts.append("}")
    elif _holds_postings(kind):
        parts.append(kind.__name__)
        for item in fields(kind):
            _describe(getattr(value, item.name), parts)
    else:
        parts.append(repr(value))


@cache
def _repr_of(value: Tag | Region, within: tuple[str, ...]) -> str:
    """repr, remembered; `within` is in the key because a Region compares without it."""
    return repr(value)


@cache
def _holds_postings(kind: type) -> bool:
    """Tell whether a dataclass has a field that can hold postings (a Feed does)."""
    return is_dataclass(kind) and any("Posting" in str(item.type) for item in fields(kind))


def files_digest(folder: Path) -> str:
    """Digest every file under folder, names and bytes: the templates, the static files."""
    paths = sorted(path for path in folder.rglob("*") if path.is_file())
    names_and_bytes = (
        part for p in paths for part in (p.relative_to(folder).as_posix(), p.read_bytes())
    )
    return digest_of(*names_and_bytes)


@dataclass
class Reuse:
    """Decide, page by page, whether the previous build's file can stand for a new render.

    `base` digests what every page depends on (code, templates, config, base URL, build date);
    `previous` holds the fingerprints of the files in `old_site`. Disabled, it records nothing.
    """

    base: str = ""
    previous: Mapping[str, str] = field(default_factory=dict)
    old_site: Path = Path()
    enabled: bool = False
    fingerprints: dict[str, str] = field(default_factory=dict)

    def unchanged(self, target: PurePosixPath, *inputs: Any) -> bool:
        """Record the file's fingerprint; tell whether the old site holds it as it would be."""
        if not self.enabled:
            return False
        name = str(target)
        digest = fingerprint(self.base, name, *inputs)
        self.fingerprints[name] = digest
        return self.previous.get(name) == digest

    def old(self, target: PurePosixPath) -> OldFile:
        return OldFile(f"{self.old_site}/{target}")
