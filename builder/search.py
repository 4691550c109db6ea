"""Index the built site with Pagefind, the last step before the new site is swapped in.

Only pages marked `data-pagefind-body` (open postings) are indexed; the filters come from
their `data-pagefind-filter` elements.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import cbor2

from builder.problems import Problem, error, warning

INSTALL = "run `make build`, or pip install 'pagefind[bin]==1.5.2'"


class SearchFailed(RuntimeError):
    """Pagefind ran but could not index the site."""


def find_pagefind() -> Path | None:
    """Locate the Pagefind binary that the `pagefind[bin]` wheel ships; None when missing."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except FileNotFoundError:
        return None


def index_site(site_dir: Path, pagefind: Path) -> None:
    """Write the search index and Pagefind's UI into site_dir/pagefind/."""
    # Only posting pages can be results; reading the lists too would only cost time.
    command = [str(pagefind), "--site", str(site_dir), "--glob", "jobs/*/index.html", "--silent"]
    try:
        ran = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchFailed(str(exc)) from exc
    if ran.returncode != 0:
        raise SearchFailed((ran.stderr or ran.stdout).strip() or f"exit status {ran.returncode}")
    make_deterministic(site_dir / "pagefind")


# Pagefind writes its filter indexes in Rust hash-map order, which changes from run to run
# (a known upstream limitation), and names each file by a hash of its bytes. To keep builds
# byte-identical we sort them and rename them by their new bytes. The layout is Pagefind
# 1.5's: gzip("pagefind_dcd" + CBOR), a .pf_meta per language that lists the filter files.
PAGEFIND_VERSION = "1.5.2"  # the version pinned in pyproject.toml, whose layout this reads
_MAGIC = b"pagefind_dcd"
_META_FILTERS = 3  # in a .pf_meta: [version, pages, index chunks, filters, sorts, meta fields]


def make_deterministic(bundle: Path) -> None:
    """Sort Pagefind's filter indexes and rename them, and their .pf_meta, by content."""
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    if entry.get("version") != PAGEFIND_VERSION:
        raise SearchFailed(
            f"Pagefind {entry.get('version')} is installed, but sreboard reads the index "
            f"layout of {PAGEFIND_VERSION}"
        )
    try:
        _sort_languages(bundle, entry)
    except (OSError, ValueError, KeyError, TypeError, EOFError, cbor2.CBORDecodeError) as exc:
        raise SearchFailed(f"cannot read Pagefind's filter index: {exc}") from exc
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _sort_languages(bundle: Path, entry: dict[str, Any]) -> None:
    """Sort each language's filters; record its new .pf_meta name in the entry."""
    for language in entry["languages"].values():
        meta_file = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read_index(meta_file)
        meta[_META_FILTERS] = sorted(
            [name, _sort_filter(bundle / "filter", file)] for name, file in meta[_META_FILTERS]
        )
        meta_file.unlink()
        language["hash"] = _write_index(bundle, "pagefind.", language["hash"], ".pf_meta", meta)


def _sort_filter(folder: Path, file: str) -> str:
    """Rewrite one filter index with its values sorted; return its new name."""
    path = folder / f"{file}.pf_filter"
    name, values = _read_index(path)
    path.unlink()
    return _write_index(folder, "", file, ".pf_filter", [name, sorted(values)])


def _read_index(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_MAGIC):
        raise SearchFailed(f"{path.name} is not a Pagefind index this version understands")
    return cbor2.loads(data[len(_MAGIC) :])


def _write_index(folder: Path, prefix: str, old: str, suffix: str, value: Any) -> str:
    """Write an index under a name made from its language and a hash of its bytes."""
    data = gzip.compress(_MAGIC + cbor2.dumps(value), mtime=0)
    language, digest = old.rsplit("_", 1)
    name = f"{language}_{hashlib.sha256(data).hexdigest()[: len(digest)]}"
    (folder / f"{prefix}{name}{suffix}").write_bytes(data)
    return name


def no_search(output: str) -> Problem:
    """Warn that the site was built without search."""
    return warning(
        output, "Pagefind is not installed, so the site is built without search", INSTALL
    )


def search_failed(output: str, reason: str) -> Problem:
    """Report that Pagefind failed, so nothing was written."""
    return error(output, f"Pagefind could not index the site: {reason}", INSTALL)
