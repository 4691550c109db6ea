"""Lock an output folder against other builds: one build writes a site at a time."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path


class OutputLocked(RuntimeError):
    """Another build is writing the same output folder."""


def output_lock(output_dir: Path) -> AbstractContextManager[None]:
    """Lock the output folder (`.<name>.lock` beside it) against other builds."""
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    return _locked(output_dir.parent / f".{output_dir.name}.lock")


@contextmanager
def _locked(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on lock_file, or fail at once if another build holds it.

    The file is removed while still locked; whoever locked a file that is no longer at
    lock_file lost that race and tries again. The kernel drops the lock if the build dies.
    """
    while True:
        with lock_file.open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputLocked(
                    f"another build is writing this site (it holds {lock_file}); "
                    "wait for it to finish, then build again"
                ) from None
            if not _same_file(handle.fileno(), lock_file):
                continue
            try:
                yield
            finally:
                lock_file.unlink()
            return


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), path.stat())
    except FileNotFoundError:
        return False
