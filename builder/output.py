"""Write the site atomically: build everything in a temporary folder, then swap it in.

A build that keeps a standby (the site before last, beside the output as `.<name>.standby`)
updates that copy instead of writing a whole new site: only the files that differ are
replaced, each by a rename (a file may be a hard link shared with the live site), and the
updated copy is swapped in. The site it replaces becomes the next standby."""

from __future__ import annotations

import ctypes
import errno
import gc
import glob
import os
import pickle
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Collection
from contextlib import nullcontext, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.lock import output_lock
from builder.pool import can_fork, cores
from builder.problems import ProblemError


class OldFile(str):
    """The path of an unchanged file of the previous site, to hard-link instead of writing.
    A str: tens of thousands of pathlib paths took a quarter of a second to make."""


# A page is its bytes, the previous build's file where unchanged, or a function rendering it.
Pages = dict[str, bytes | OldFile | Callable[[], bytes]]  # by path in the site
SITE_MARK = ".nojekyll"  # every build writes it: a folder without it was not built by us
MAX_NAME_BYTES = 255  # the longest file name Linux, macOS and Windows file systems take


@dataclass(frozen=True)
class Standby:
    """A copy of an earlier site to update into the new one: every file it holds, and which
    of its pages are already what the new site needs."""

    files: Collection[str]  # relative to the copy: pages, static files, the search index
    same: Collection[str]  # pages to leave as they are


class UnsafeOutput(ValueError):
    """The output folder would overwrite something that is not a generated site."""


def check_output_dir(output_dir: Path, content_dir: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, holds or sits in the content, or holds the project."""
    target = output_dir.resolve()
    if target.is_relative_to(content_dir.resolve()):
        raise UnsafeOutput(f"refusing to write the site to {output_dir}: it is inside the content")
    for place in [Path("/"), Path.home(), content_dir, *protected]:
        place = place.resolve()
        if target == place or place.is_relative_to(target):
            raise UnsafeOutput(
                f"refusing to write the site to {output_dir}: it would replace {place}"
            )
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(
            f"refusing to write the site to {output_dir}: it is a file, not a folder"
        )
    if target.is_dir() and any(target.iterdir()) and not (target / SITE_MARK).exists():
        raise UnsafeOutput(
            f"refusing to write the site to {output_dir}: it holds files that no build wrote "
            f"(there is no {SITE_MARK}); empty it, or choose another --output"
        )


def write_site(
    pages: Pages,
    static_dir: Path,
    output_dir: Path,
    finish: Callable[[Path], None] | None = None,
    locked: bool = False,
    standby: Standby | None = None,
    keep_standby: bool = False,
) -> None:
    """Replace output_dir with pages and static files; on any failure the old site stays.

    `finish` runs on the complete new site before it is swapped in (the search index, which
    may reuse the standby's index in staging/pagefind/).
    `locked`: the caller holds output_lock(output_dir) already. `standby` describes the copy
    at standby_path(output_dir) to update rather than writing every file afresh;
    `keep_standby` keeps the replaced site there for the next build.
    """
    for relative, page in pages.items():
        if not isinstance(page, OldFile):  # an old file's path was checked when it was new
            _check_page_path(relative)
    output_dir = output_dir.resolve()  # one name for the lock, the staging and the swap
    parent = output_dir.parent
    with nullcontext() if locked else output_lock(output_dir):
        _recover(parent, output_dir)
        _remove_leftovers(parent, output_dir.name)
        staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.tmp-", dir=parent))
        try:
            if standby and standby_path(output_dir).is_dir():
                # Moved in first, so a build killed while updating it leaves a leftover.
                os.replace(standby_path(output_dir), staging)
                _update_pages(pages, staging, standby)
            else:
                _write_pages(pages, staging)
                standby = None
            _copy_static(static_dir, staging)
            if finish:  # it may reuse the standby's index
                finish(staging)
            else:
                shutil.rmtree(staging / "pagefind", ignore_errors=True)  # the standby's index
            os.utime(staging)  # a fresh identity, even for a copy updated deep inside
            keep = standby_path(output_dir) if keep_standby else None
            _swap(
                staging,
                output_dir,
                in_background=len(pages) >= DISCARD_IN_BACKGROUND_FROM,
                keep_as=keep,
            )
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def standby_path(output_dir: Path) -> Path:
    """Where the site before the current one is kept for the next build to update."""
    output_dir = output_dir.resolve()
    return output_dir.with_name(f".{output_dir.name}.standby")


def _update_pages(pages: Pages, copy: Path, standby: Standby) -> None:
    """Make the earlier site at `copy` hold exactly `pages` (static files and the search
    index aside): delete what the new site lacks, replace what differs."""
    outside = ("static/", "pagefind/")
    names = {str(page) for page in pages}
    stale = [name for name in standby.files if name not in names and not name.startswith(outside)]
    for name in stale:
        with suppress(FileNotFoundError):
            os.unlink(copy / name)
    _remove_empty_folders(copy, {os.path.dirname(name) for name in stale})
    same = set(standby.same)
    _write_pages({path: page for path, page in pages.items() if path not in same}, copy, True)


def _remove_empty_folders(root: Path, folders: set[str]) -> None:
    """Remove each folder (relative to root) left empty, and its parents left empty."""
    for folder in sorted(folders, key=len, reverse=True):
        while folder:
            try:
                os.rmdir(root / folder)
            except OSError:  # not empty (or gone): its parents are not empty either
                break
            folder = os.path.dirname(folder)


def _copy_static(static_dir: Path, staging: Path) -> None:
    shutil.rmtree(staging / "static", ignore_errors=True)
    if static_dir.is_dir():
        shutil.copytree(static_dir, staging / "static")


def _check_page_path(name: str) -> None:
    """Refuse a page path that could land outside the site (slugs are made safe upstream)."""
    parts = name.split("/")
    unsafe = (
        name.startswith("/")
        or "\0" in name
        or "\\" in name
        or any(part in {".", ".."} or len(part.encode()) > MAX_NAME_BYTES for part in parts)
    )
    if unsafe:
        raise UnsafeOutput(f"refusing to write a page to {name!r}: not a safe path")


def _write_pages(pages: Pages, root: Path, replacing: bool = False) -> None:
    """Write every page; a large site is rendered and written by one process per core.
    `replacing`: root holds files already, which may be hard links into the live site."""
    items = sorted(pages.items(), key=lambda item: item[0])
    workers = cores()
    if len(items) < PARALLEL_FROM_PAGES or workers < 2 or not can_fork():
        _write_some(items, root, replacing)
        return
    # Rendering thousands of pages makes cyclic garbage (Jinja's contexts), which the build's
    # paused collector would keep. Frozen first, the board is not scanned by each collection,
    # and the forked writers do not touch its pages to scan it.
    gc.freeze()
    children = [
        _fork_writer(items[number::workers], root, replacing) for number in range(1, workers)
    ]
    was_collecting = gc.isenabled()
    gc.enable()
    try:
        _write_some(items[0::workers], root, replacing)
    finally:
        if not was_collecting:
            gc.disable()
        gc.unfreeze()
        failures = [failure for child in children if (failure := _wait_for(child))]
    for failure in failures:
        if isinstance(failure, ProblemError):
            raise failure  # a template error, which names the template and its line
    if failures:
        raise RuntimeError("a process writing pages failed:\n" + "\n".join(map(str, failures)))


# Pages to write: below this, forking costs more than the second core gives (a fork takes a
# few milliseconds; rendering a page about one).
PARALLEL_FROM_PAGES = 200
DISCARD_IN_BACKGROUND_FROM = 2000  # pages: a smaller old site is deleted before returning


def _write_some(items: list[tuple[str, Any]], root: Path, replacing: bool) -> None:
    # Names as text, not pathlib paths, which take several times the memory and time.
    made: set[str] = set()
    top = str(root)
    for relative, page in items:
        target = os.path.join(top, relative)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        # Never written into: the old file may be the live site's too. A new one is renamed
        # over it (the name is the writer's own: forked writers share folders).
        into = os.path.join(folder, f".new-{os.getpid()}") if replacing else target
        if isinstance(page, OldFile):
            link_or_copy(page, into)
        else:
            with open(into, "wb") as stream:
                stream.write(page if isinstance(page, bytes) else page())
        if replacing:
            os.replace(into, target)


def _fork_writer(items: list[tuple[str, Any]], root: Path, replacing: bool) -> tuple[int, int]:
    """Write items in a forked child, which shares everything rendering needs; return its
    pid and the pipe it reports a failure on."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into the parent's code, nor run its cleanup
        os.close(reader)
        _die_with_parent()
        gc.enable()  # the build pauses it (the parent froze what was there)
        status = 0
        try:
            _write_some(items, root, replacing)
        except ProblemError as exc:
            os.write(writer, pickle.dumps(exc))
            status = 1
        except BaseException:
            os.write(writer, traceback.format_exc().encode())
            status = 1
        os._exit(status)
    os.close(writer)
    return pid, reader


def _die_with_parent() -> None:
    """Have Linux kill this child when its parent dies, so a killed build stops writing."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _wait_for(child: tuple[int, int]) -> str | ProblemError:
    """Wait for a writer; return what went wrong in it (a traceback, or the problem it
    reported), or ''."""
    pid, reader = child
    with os.fdopen(reader, "rb") as pipe:
        report = pipe.read()
    _, status = os.waitpid(pid, 0)
    if report.startswith(pickle.PROTO):  # pickled by the child: never from elsewhere
        failure = pickle.loads(report)
        if isinstance(failure, ProblemError):
            return failure
    if status and not report:
        return f"process {pid} ended with status {status}"
    return report.decode(errors="replace")


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """Hard-link an unchanged file from the previous site (no bytes written); copy it where
    the file system cannot link."""
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise
        shutil.copyfile(source, target)


def link_tree(source: Path, target: Path) -> None:
    """Hard-link every file of a folder from the previous site into the new one."""
    for folder, _, names in os.walk(source):
        into = target / Path(folder).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            link_or_copy(Path(folder, name), into / name)


def _swap(
    staging: Path, output_dir: Path, in_background: bool = False, keep_as: Path | None = None
) -> None:
    """Put staging at output_dir in one step, so a reader or a killed build never sees less
    than a whole site; where the kernel cannot exchange two folders, two renames. The old
    site is deleted, or moved to `keep_as`."""
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    if keep_as and keep_as.exists():
        _discard(keep_as, output_dir.name, in_background)  # a standby this build did not use
    if not output_dir.exists():
        os.replace(staging, output_dir)
        return
    if _exchange(staging, output_dir):
        _retire(staging, output_dir.name, in_background, keep_as)  # now the old site
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    os.replace(output_dir, retired / "site")
    os.replace(staging, output_dir)
    _retire(retired / "site", output_dir.name, False, keep_as)
    shutil.rmtree(retired, ignore_errors=True)  # else the next build removes it


def _retire(old_site: Path, name: str, in_background: bool, keep_as: Path | None) -> None:
    """Keep the replaced site as the standby, or delete it. The new site is in place: a
    failure here leaves the old one as a leftover the next build removes, nothing worse."""
    with suppress(OSError):
        if keep_as:
            os.replace(old_site, keep_as)
        else:
            _discard(old_site, name, in_background)


def _discard(old_site: Path, name: str, in_background: bool) -> None:
    """Delete the site just replaced. A large one is renamed to a trash folder and deleted by
    a process of its own: tens of thousands of unlinks took seconds the build need not wait
    for. Whatever it leaves, the next build removes (else the next build removes it all)."""
    if not in_background or not shutil.which("rm"):
        shutil.rmtree(old_site, ignore_errors=True)
        return
    trash = old_site.with_name(f".{name}.trash-{secrets.token_hex(4)}")
    os.replace(old_site, trash)
    quiet = subprocess.DEVNULL
    command = ["rm", "-rf", "--", str(trash)]
    subprocess.Popen(command, stdin=quiet, stdout=quiet, stderr=quiet, start_new_session=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:  # glibc before 2.28, or musl
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, bytes(first), at_cwd, bytes(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP}:  # the file system cannot
        return False
    raise OSError(code, os.strerror(code), str(second))


def _recover(parent: Path, output_dir: Path) -> None:
    """Put back the old site if a build was killed between its two renames."""
    retired = sorted(parent.glob(f".{glob.escape(output_dir.name)}.old-*/site"))
    if retired and not output_dir.exists():
        os.replace(retired[-1], output_dir)


def remove_leftovers(output_dir: Path) -> None:
    """Delete what builds killed while writing output_dir left beside it (the caller holds
    its lock): a build that finds nothing to write must not leave them for ever."""
    output_dir = output_dir.resolve()
    _remove_leftovers(output_dir.parent, output_dir.name)


def _remove_leftovers(parent: Path, name: str) -> None:
    """Delete staging folders that an interrupted build left behind."""
    name = glob.escape(name)  # `site[1]` must not match another output's leftovers
    for pattern in (f".{name}.tmp-*", f".{name}.old-*", f".{name}.trash-*"):
        for leftover in sorted(parent.glob(pattern)):
            shutil.rmtree(leftover, ignore_errors=True)
