"""Digests and fingerprints: what the cache keys extractions by and pages are compared by.

A content file's extraction is kept under a digest of everything it read (its bytes and name,
its git dates, the taxonomy, the board's maximum age) and of the generator's own code and
libraries (GENERATOR). A page's fingerprint digests everything its rendering read, so an
unchanged page is the previous site's file instead of a new render.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

from builder.model import Posting, Region, Tag
from builder.output import OldFile

FORMAT = 5  # bump when the pickled shapes below change
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


def digest_of(*parts: str | bytes) -> str:
    """A sha256 of the parts, kept apart so ("ab", "c") and ("a", "bc") differ."""
    return str(_hashed(hashlib.sha256(), parts).hexdigest())


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
    kind: type = type(value)
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

    def unchanged(self, name: str, *inputs: Any) -> bool:
        """Record the file's fingerprint; tell whether the old site holds it as it would be."""
        if not self.enabled:
            return False
        digest = fingerprint(self.base, name, *inputs)
        self.fingerprints[name] = digest
        return self.previous.get(name) == digest

    def old(self, name: str) -> OldFile:
        return OldFile(f"{self.old_site}/{name}")
