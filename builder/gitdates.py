"""Date posting files from the git history: when a commit added each and when it last changed."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path


def git_dates(content_dir: Path, now: datetime) -> tuple[dict[str, datetime], dict[str, datetime]]:
    """Map each file under content_dir to when a commit added it and when it last changed;
    a file edited since its last commit changed `now`. Empty outside git."""
    try:
        top = Path(_git(content_dir, "rev-parse", "--show-toplevel").strip())
        added = _commit_dates(content_dir, top, "--diff-filter=A", oldest=True)
        changed = _commit_dates(content_dir, top, oldest=False)
        status = _git(content_dir, "status", "--porcelain=v1", "-z", "--", ".")
    except (OSError, subprocess.SubprocessError):
        return {}, {}
    return added, changed | dict.fromkeys(_edited(status, top), now)


def _edited(status: str, top: Path) -> list[str]:
    """Name the files `git status -z` reports edited or staged (new files are not edits)."""
    names, entries = [], iter(status.split("\0"))
    for entry in entries:
        code = entry[:2]
        if code[:1] in {"R", "C"}:
            next(entries, None)  # a rename or copy is followed by the old name
        if code.strip() and code != "??":
            names.append(str((top / entry[3:]).resolve()))
    return names


def _commit_dates(content_dir: Path, top: Path, *options: str, oldest: bool) -> dict[str, datetime]:
    log = _git(content_dir, "log", *options, "--format=@%cI", "--name-only", "--", ".")
    return _parse_git_log(log, top, oldest)


def _git(folder: Path, *args: str) -> str:
    command = ["git", "-c", "core.quotePath=false", *args]  # "café.txt" as is, not "caf\303\251"
    done = subprocess.run(
        command, cwd=folder, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def _parse_git_log(log: str, top: Path, oldest: bool) -> dict[str, datetime]:
    """Read `git log --name-only`, newest first, keeping each file's oldest or newest date."""
    dates: dict[str, datetime] = {}
    when = None
    for line in log.splitlines():
        if line.startswith("@"):
            when = datetime.fromisoformat(line[1:])
        elif line.strip() and when and (oldest or line not in dates):
            dates[line] = when
    return {str((top / name).resolve()): moment for name, moment in dates.items()}
