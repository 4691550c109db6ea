"""Problems with content are data: collected, never raised, reported all at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file: where, what, and what the curator should do."""

    path: str
    line: int | None
    severity: Severity
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        fix = f" — {self.fix}" if self.fix else ""
        return f"{where}: {self.severity.value}: {self.message}{fix}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class ProblemError(Exception):
    """A problem that stops a build where it happens (a template that cannot be rendered),
    carried to where the build reports its problems, across processes too."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem

    def __reduce__(self) -> tuple[type[ProblemError], tuple[Problem]]:
        return (ProblemError, (self.problem,))


def error(path: str, message: str, fix: str = "", line: int | None = None) -> Problem:
    """Make an error: the posting cannot be published as it is."""
    return Problem(path, line, Severity.ERROR, message, fix)


def warning(path: str, message: str, fix: str = "", line: int | None = None) -> Problem:
    """Make a warning: the posting is published, with a fallback the curator may correct."""
    return Problem(path, line, Severity.WARNING, message, fix)


def sort_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Order problems by file and line so every run prints them the same way."""
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.severity.value, p.message))


def summarize(problems: Sequence[Problem]) -> str:
    """Say how many errors and warnings there are, e.g. '2 errors, 1 warning'."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def display(path: Path) -> str:
    """Name a file as the curator knows it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
