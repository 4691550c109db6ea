"""Write the site atomically: build everything in a temporary folder, then swap it in."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

Pages = dict[PurePosixPath, bytes]


class UnsafeOutput(ValueError):
    """The output folder would overwrite something that is not a generated site."""


def check_output_dir(output_dir: Path, content_dir: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, holds or sits in the content, or holds the project."""
    target = output_dir.resolve()
    if target.is_relative_to(content_dir.resolve()):
        raise UnsafeOutput(f"refusing to write the site to {output_dir}: it is inside the content")
    for place in [Path("/"), Path.home(), *protected]:
        place = place.resolve()
        if target == place or place.is_relative_to(target):
            raise UnsafeOutput(
                f"refusing to write the site to {output_dir}: it would replace {place}"
            )


def write_site(
    pages: Pages,
    static_dir: Path,
    output_dir: Path,
    finish: Callable[[Path], None] | None = None,
) -> None:
    """Replace output_dir with pages and static files; on any failure the old site stays.

    `finish` runs on the complete new site before it is swapped in (the search index).
    """
    parent = output_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(parent, output_dir.name)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.tmp-", dir=parent))
    try:
        _write_pages(pages, staging)
        if static_dir.is_dir():
            shutil.copytree(static_dir, staging / "static")
        if finish:
            finish(staging)
        _swap(staging, output_dir.resolve())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_pages(pages: Pages, root: Path) -> None:
    for relative, content in sorted(pages.items()):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _swap(staging: Path, output_dir: Path) -> None:
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    if not output_dir.exists():
        os.replace(staging, output_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    os.replace(output_dir, retired / "site")
    os.replace(staging, output_dir)
    shutil.rmtree(retired, ignore_errors=True)


def _remove_leftovers(parent: Path, name: str) -> None:
    """Delete staging folders that an interrupted build left behind."""
    for pattern in (f".{name}.tmp-*", f".{name}.old-*"):
        for leftover in sorted(parent.glob(pattern)):
            shutil.rmtree(leftover, ignore_errors=True)
