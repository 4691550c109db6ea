"""The Reporter: one posting's warnings and errors, and where each of its fields came from."""

from __future__ import annotations

import sys

from builder.formats import Sources
from builder.model import RawPosting
from builder.problems import Problem, error, warning


class Reporter:
    """Collect one posting's warnings, each on the front matter line it concerns."""

    def __init__(self, raw: RawPosting, sources: Sources) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        self.sources = sources  # where the format or the front matter gave each key
        self.provenance: dict[str, str] = {}  # where each Posting field's value came from
        # A JSON list of postings shares one file: say which posting a warning is about.
        self.prefix = f"posting {raw.index + 1} of {raw.count}: " if raw.count > 1 else ""

    def missing(self, what: str, key: str, fallback: str = "") -> None:
        """Warn that a field was not found, naming the fallback used instead."""
        message = f"no {what} found" + (f"; using {fallback}" if fallback else "")
        self.warn(message, f"add `{key}:` in front matter")

    def took(self, field_name: str, key: str = "", fallback: str = "") -> None:
        """Record that a field came from a found key, else from a fallback rule."""
        source = self.sources.get(key, fallback) if key else fallback
        # Interned: the same few labels recur in every posting, and the build cache then
        # stores and loads each once instead of once per posting.
        self.provenance[sys.intern(field_name)] = sys.intern(source)

    def fail(self, message: str, fix: str) -> None:
        """Report what the posting cannot be published without (it builds under --keep-going)."""
        self.problems.append(error(self.raw.source, self.prefix + message, fix, None))

    def warn(self, message: str, fix: str, *keys: str) -> None:
        """Warn about the posting, on the line of the first of `keys` its front matter has."""
        lines = [self.raw.front_matter_lines[k] for k in keys if k in self.raw.front_matter_lines]
        line = lines[0] if lines else None
        self.problems.append(warning(self.raw.source, self.prefix + message, fix, line))
