"""Index the built site with Pagefind, the last step before the new site is swapped in.

Only open postings' pages are indexed, shard by shard (builder/shards.py); the filters come
from their `data-pagefind-filter` elements.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cbor2

from builder.output import link_or_copy, link_tree
from builder.pool import cores
from builder.problems import Problem, error, warning
from builder.shards import Shard

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


@dataclass(frozen=True)
class SearchPlan:
    """The search index a build needs: its shards, and where unchanged ones already are."""

    shards: tuple[Shard, ...]
    prints: Mapping[str, str]  # each shard's fingerprint, by name ("": always index anew)
    # The fingerprints of the shards found whole in the index the new site is written over
    # (a standby's), and in the live site's, at `live`.
    in_place: Mapping[str, str] = field(default_factory=dict)
    live: Path | None = None
    in_live: Mapping[str, str] = field(default_factory=dict)
    stale: frozenset[str] = frozenset()  # shards to link from `live` as they are, unindexed


def index_shards(site_dir: Path, pagefind: Path, plan: SearchPlan) -> None:
    """Write the search index into site_dir/pagefind/: each shard hard-linked from an earlier
    bundle that holds it unchanged, or indexed anew, on all cores; then Pagefind's script
    and WebAssembly once at the top, and again in the first shard, which the page loads."""
    bundle = site_dir / "pagefind"
    aside = site_dir / ".pagefind-before"  # a standby's index, moved out of the way
    shutil.rmtree(aside, ignore_errors=True)
    if bundle.exists():
        os.replace(bundle, aside)
    earlier = [(aside, plan.in_place)] if aside.is_dir() else []
    earlier += [(plan.live, plan.in_live)] if plan.live else []
    bundle.mkdir()
    kept = {shard.name: _holder(shard, plan, earlier) for shard in plan.shards}
    if plan.live is not None:
        kept |= {name: plan.live for name in plan.stale}
    runtime = next((folder for folder, _ in earlier if (folder / "pagefind.js").is_file()), None)
    if runtime is None and plan.shards:  # Pagefind's script comes with a fresh run
        kept[plan.shards[0].name] = None
    fresh = [shard for shard in plan.shards if kept[shard.name] is None]
    for shard in plan.shards:
        if (holder := kept[shard.name]) is not None:
            link_tree(holder / shard.name, bundle / shard.name)
    _index_fresh(site_dir, pagefind, fresh)
    _place_runtime(bundle, plan.shards, fresh, runtime)
    shutil.rmtree(aside, ignore_errors=True)


def _holder(
    shard: Shard, plan: SearchPlan, earlier: Sequence[tuple[Path, Mapping[str, str]]]
) -> Path | None:
    """The first earlier bundle that holds this very shard, if any."""
    wanted = plan.prints.get(shard.name, "")
    found = [folder for folder, known in earlier if wanted and known.get(shard.name) == wanted]
    return found[0] if found else None


def _index_fresh(site_dir: Path, pagefind: Path, shards: Sequence[Shard]) -> None:
    """Run Pagefind on each shard's pages (hard-linked into a folder of their own), as many
    at once as there are cores (each run is mostly one thread), the next as soon as any ends."""
    from multiprocessing.connection import wait  # only here: a build without search skips it

    sources = site_dir / ".pagefind-pages"
    waiting = list(shards)
    running: dict[Any, tuple[Shard, subprocess.Popen[str]]] = {}  # by the run's output pipe
    try:
        while waiting or running:
            while waiting and len(running) < cores():
                shard = waiting.pop(0)
                process = _start(site_dir, sources / shard.name, shard, pagefind)
                running[process.stdout] = (shard, process)
            for pipe in wait(list(running)):  # readable once the run has ended (or failed)
                shard, process = running.pop(pipe)
                _finish(process)
                shutil.rmtree(sources / shard.name)  # while the other runs go on
                make_deterministic(site_dir / shard.folder)
    finally:
        for _, process in running.values():
            process.kill()
        shutil.rmtree(sources, ignore_errors=True)


# Pagefind numbers pages in the order it lists their folders, so they are linked in sorted
# order into a folder that holds nothing else: the site's own jobs/ lists in the order its
# folders were made (on tmpfs and btrfs), which differs between a cold build and an update.
def _start(site_dir: Path, source: Path, shard: Shard, pagefind: Path) -> subprocess.Popen[str]:
    for page in shard.pages:
        (source / page).parent.mkdir(parents=True, exist_ok=True)
        os.link(site_dir / page, source / page)
    command = [str(pagefind), "--site", str(source), "--output-path",
               str(site_dir / shard.folder), "--silent"]  # fmt: skip
    try:
        return subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    except OSError as exc:
        raise SearchFailed(str(exc)) from exc


def _finish(process: subprocess.Popen[str]) -> None:
    try:
        output, _ = process.communicate(timeout=900)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        raise SearchFailed(str(exc)) from exc
    if process.returncode != 0:
        raise SearchFailed(output.strip() or f"exit status {process.returncode}")


def _place_runtime(
    bundle: Path, shards: Sequence[Shard], fresh: Sequence[Shard], earlier: Path | None
) -> None:
    """Keep one copy of Pagefind's script, styles and WebAssembly at the top of the bundle
    (from a fresh run, else from an earlier bundle), and link it into the first shard."""
    if not shards:
        return
    for shard in fresh:
        for file in _runtime_files(bundle / shard.name):
            os.replace(file, bundle / file.name)  # every run writes the same files
    if not fresh and earlier is not None:
        for file in _runtime_files(earlier):
            link_or_copy(file, bundle / file.name)
    for shard in shards[1:]:  # a shard linked from an earlier build may have been the first
        for file in _runtime_files(bundle / shard.name):
            file.unlink()
    for file in _runtime_files(bundle):
        target = bundle / shards[0].name / file.name
        if file.name.startswith(_LOADED_BY_INDEX) and not target.exists():
            link_or_copy(file, target)


# What pagefind.js loads from the bundle it searches (its bundlePath), besides the index.
_LOADED_BY_INDEX = ("pagefind.js", "pagefind-worker.js", "wasm.")


def _runtime_files(folder: Path) -> list[Path]:
    """Pagefind's script, styles and WebAssembly in a bundle: all but the index itself."""
    index = {"pagefind-entry.json"}
    return sorted(
        file
        for file in folder.iterdir()
        if file.is_file() and file.name not in index and file.suffix != ".pf_meta"
    )


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
