"""Read the content folder (stage: read): the taxonomy, and one SourceFile per posting file.

A file as the last build saw it (same size, times and inode, long enough ago) is not read
again: its SourceFile holds no bytes, only the digest its extraction was cached under.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from builder.config import Config
from builder.extract import Context
from builder.fingerprints import GENERATOR, digest_of, digester
from builder.problems import Problem, display, error, warning
from builder.readers import git_dates, has_link, posting_files, read_inside
from builder.taxonomy import Taxonomy, build_taxonomy, load_taxonomy

TAXONOMY_FILE = "_taxonomy.yml"
# A file modified this close to the build that saw it might change again within the same
# clock tick, unseen: it is read again, not trusted by its times (git's "racily clean").
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Seen:
    """A content file as last read: its size, times and inode, and its bytes' digest."""

    status: tuple[int, int, int, int]
    digest: str


Known = tuple[Mapping[str, Seen], int]  # the files a build saw, by key, and when (ns)
NOTHING_KNOWN: Known = ({}, 0)


@dataclass(frozen=True)
class SourceFile:
    """One content file: its bytes (None while it is as it was seen, unread), the digest of
    everything its extraction reads, or the error that kept it from being read."""

    source: str  # the name problems use
    key: str  # its path inside the content folder: its identity wherever the build runs
    data: bytes | None
    digest: str
    unreadable: Problem | None = None
    folder: str = ""  # the content folder, to read a file that was not read
    seen: Seen | None = None  # the file as read, or as it was known

    def loaded(self) -> SourceFile:
        """This file with its bytes, or with the error that kept them from being read."""
        if self.data is not None or self.unreadable is not None:
            return self
        try:
            return replace(self, data=read_inside(Path(self.folder), self.key))
        except OSError as exc:
            return replace(self, unreadable=unreadable(self.source, exc))

    @property
    def changed_since_seen(self) -> bool:
        """Tell whether the bytes read differ from those its digest was made from."""
        digest = hashlib.sha256(self.data or b"").hexdigest()
        return self.seen is None or self.data is None or digest != self.seen.digest


@dataclass(frozen=True)
class Reading:
    """The content read for a build: the taxonomy (None when invalid), what extraction
    shares, every posting file, and the problems found so far."""

    taxonomy: Taxonomy | None
    context: Context
    files: tuple[SourceFile, ...]
    problems: tuple[Problem, ...]
    shared: str  # digest of what every file's extraction reads: taxonomy, maximum age
    started: int = 0  # when the files were looked at (ns since 1970)

    @property
    def seen(self) -> Known:
        """The files as this reading saw them, for the next build to skip."""
        return ({file.key: file.seen for file in self.files if file.seen}, self.started)


def read_content(
    content_dir: Path,
    now: datetime,
    config: Config,
    problems: Sequence[Problem],
    known: Known = NOTHING_KNOWN,
    maybe_changed: Collection[str] | None = None,
) -> Reading:
    """Load the taxonomy and look at every posting file, with what its extraction depends
    on; a file as it was `known` is not read until it has to be extracted. `maybe_changed`:
    the keys of the only files that can differ from `known` (a watcher said so): every other
    known file is taken as known without a look."""
    started = time.time_ns()
    taxonomy, taxonomy_problems = read_taxonomy(content_dir)
    keys = posting_files(content_dir)
    names = _display_names(keys, content_dir)
    added, changed = git_dates(content_dir, now)
    context = Context(
        taxonomy or build_taxonomy({}),
        now,
        _by_display_name(added, names, content_dir),
        _by_display_name(changed, names, content_dir),
        config.max_age,
    )
    shared = context_digest(context)
    unchanged = set() if maybe_changed is None else set(known[0]) - set(maybe_changed)
    files = tuple(
        look_at(content_dir, key, names[key], context, shared, known, key in unchanged)
        for key in keys
    )
    return Reading(taxonomy, context, files, (*problems, *taxonomy_problems), shared, started)


def read_taxonomy(content_dir: Path) -> tuple[Taxonomy | None, list[Problem]]:
    """Load the skill taxonomy; None when it is invalid, an empty one when there is none."""
    path = content_dir / TAXONOMY_FILE
    if not path.exists():
        fix = f"add {TAXONOMY_FILE} (copy the one in sreboard's content/) to tag postings"
        return build_taxonomy({}), [warning(display(path), "no skill taxonomy", fix)]
    taxonomy, problems = load_taxonomy(path)
    named = [replace(problem, path=display(path)) for problem in problems]
    return (None if named else taxonomy), named


def look_at(
    content_dir: Path,
    key: str,
    source: str,
    context: Context,
    shared: str,
    known: Known = NOTHING_KNOWN,
    unchanged: bool = False,
) -> SourceFile:
    """Digest what extracting the file at `key` depends on (`shared`: the context_digest).
    A file whose size, times and inode are as `known` is not read; `unchanged`: it is as
    known, without a look."""
    try:
        before = known[0].get(key) if unchanged else None
        seen = before or _status(content_dir, key, known)
    except OSError as exc:
        return SourceFile(source, key, None, "", unreadable(source, exc))
    dates = repr((context.first_seen.get(source), context.last_changed.get(source)))
    digest = (_known_digest if unchanged else _digest)(shared, source, key, dates, seen.digest)
    # Not its bytes: extraction reads them again (a 100,000-posting board held 0.6 GB of them).
    return SourceFile(source, key, None, digest, folder=folder_name(content_dir), seen=seen)


@lru_cache(maxsize=4)
def folder_name(content_dir: Path) -> str:
    return str(content_dir)  # one string for every file in it


def _digest(shared: str, source: str, key: str, dates: str, content: str) -> str:
    return _digester(shared)(source, key, dates, content)


# A watcher's rebuilds take most files as known, the same ones each time: their digests
# are kept (a twentieth of a second at 10,000 postings).
_known_digest = lru_cache(maxsize=1 << 17)(_digest)


@lru_cache(maxsize=4)
def _digester(shared: str) -> Callable[..., str]:
    return digester(GENERATOR, shared)  # hashed once, not once a file


def _status(content_dir: Path, key: str, known: Known) -> Seen:
    """The file as it is: as it was known, or with the digest of its bytes read now."""
    by_key, seen_at = known
    status = os.lstat(os.path.join(content_dir, key))
    now = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
    before = by_key.get(key)
    changed_at = max(status.st_mtime_ns, status.st_ctime_ns)  # `touch -d` sets mtime back
    settled = changed_at < seen_at - RACY_NS and stat.S_ISREG(status.st_mode)
    # lstat tells a file that became a link; only the folders on its way need asking.
    folder = os.path.dirname(key)
    linked = bool(folder) and has_link(content_dir, folder)
    if before and before.status == now and settled and not linked:
        return before
    return Seen(now, hashlib.sha256(read_inside(content_dir, key)).hexdigest())


def unreadable(source: str, exc: OSError) -> Problem:
    return error(source, f"cannot read the file: {exc.strerror}", "check its permissions")


def context_digest(context: Context) -> str:
    """Digest what every file's extraction shares: the taxonomy and the board's maximum age."""
    taxonomy = context.taxonomy
    shared = (taxonomy.tags, taxonomy.categories, sorted(taxonomy.by_alias.items()),
              sorted(taxonomy.strict_names.items()), context.max_age)  # fmt: skip
    return digest_of(repr(shared))


def _display_names(keys: list[str], content_dir: Path) -> dict[str, str]:
    """Name each file (by its key) as display() would, resolving only the content folder."""
    folder = display(content_dir)
    return {key: key if folder == "." else f"{folder}/{key}" for key in keys}


def _by_display_name(
    dates: dict[str, datetime], names: dict[str, str], content_dir: Path
) -> dict[str, datetime]:
    """Key dates found by resolved path by the name problems use for each posting."""
    folder = str(content_dir.resolve())
    resolved = {key: f"{folder}/{key}" for key in names}
    return {names[key]: dates[resolved[key]] for key in names if resolved[key] in dates}
