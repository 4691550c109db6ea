"""Read a posting's YAML front matter, refusing YAML built to harm the build before loading it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from builder.limits import MAX_DEPTH
from builder.normalize import repair_values
from builder.problems import Problem, error

YAML = YAMLHandler()
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when it is built in
YAML_FIX = "fix the YAML between the --- lines (quote values that contain ': ' or start with '[')"
PLAIN_TAGS = {"str", "int", "float", "bool", "null", "timestamp", "seq", "map"}
_YAML_SHAPE_FIX = "write each value out in full as plain text, lists and `key: value` lines"
HEADLESS_BLOCK = re.compile(r"\A((?:[a-z_][\w-]*[ \t]*:[^\n]*\n){2,40})---[ \t]*\n")
FRONT_MATTER_KEYS = {"title", "company", "date", "location", "tags", "salary", "apply_url",
                     "created", "posted", "published", "post-date", "datePosted"}  # fmt: skip


def lacks_opening_line(text: str) -> bool:
    """Tell whether the file is front matter without its opening `---`: lines of lower-case
    `key: value` naming a posting's fields (`title:`, `company:`…), then a `---` line."""
    block = HEADLESS_BLOCK.match(text)
    if not block:
        return False
    keys = {line.split(":", 1)[0].strip() for line in block.group(1).splitlines()}
    return len(keys & FRONT_MATTER_KEYS) >= 2


def key_lines(block: str, block_line: int) -> dict[str, int]:
    """Map each top-level front matter key to its line in the file, for problem reports."""
    lines: dict[str, int] = {}
    for number, text in enumerate(block.split("\n")):
        key = re.match(r"([A-Za-z_][\w-]*)\s*:", text)
        if key:
            lines.setdefault(key.group(1), block_line + number)
    return lines


def load_front_matter(
    source: str, block: str, block_line: int
) -> tuple[dict[str, Any], list[Problem]]:
    """Load the front matter block that starts on block_line, or say what stops it."""
    try:
        if shape := _yaml_shape_problem(block):
            what, offset = shape
            return {}, [error(source, what, _YAML_SHAPE_FIX, block_line + offset)]
        loaded = yaml.load(block, Loader=SAFE_LOADER) if block.strip() else {}
    except (ValueError, TypeError) as exc:  # parsed, but not constructible: 2026-02-30
        return {}, [_unconstructible(source, block, block_line, exc)]
    except yaml.YAMLError as exc:
        return {}, [_invalid(source, block_line, exc)]
    if not isinstance(loaded, dict):
        what = "front matter is not a set of `key: value` lines"
        first_line = block_line + len(block) - len(block.lstrip("\n"))
        return {}, [error(source, what, YAML_FIX, first_line)]
    return {str(key): repair_values(value) for key, value in loaded.items()}, []


def _invalid(source: str, block_line: int, exc: yaml.YAMLError) -> Problem:
    """Report YAML that does not parse, and on which line."""
    # The context mark points at where the broken construct opens, which is what to fix.
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    line = None if mark is None else block_line + mark.line
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return error(source, f"front matter is not valid YAML: {reason}", YAML_FIX, line)


def _yaml_shape_problem(block: str) -> tuple[str, int] | None:
    """Refuse aliases (a "billion laughs" expands exponentially), tags that would construct
    objects, and deep nesting, cheaply: events are read only up to the first offending one.
    Returns what is wrong and its line within the block."""
    depth = 0
    for event in yaml.parse(block, Loader=SAFE_LOADER):
        line = event.start_mark.line if event.start_mark else 0  # the parser always marks
        if isinstance(event, yaml.AliasEvent):
            return f"front matter uses a YAML alias (*{event.anchor})", line
        tag = getattr(event, "tag", None)
        if tag and tag.removeprefix("tag:yaml.org,2002:") not in PLAIN_TAGS:
            return f"front matter uses the YAML tag {tag!r}, which is not allowed", line
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return f"front matter is nested more than {MAX_DEPTH} levels deep", line
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _unconstructible(source: str, block: str, block_line: int, exc: Exception) -> Problem:
    """Report a value YAML parsed but Python cannot hold, on its line where it can be found."""
    for number, text in enumerate(block.split("\n")):
        if re.search(r"\d{4301}", text):  # Python refuses integers of over 4,300 digits
            what = "front matter has a number of over 4,300 digits"
            return error(
                source, what, "write it as text in quotes, or remove it", block_line + number
            )
        found = re.search(r":\s*(\d{4})-(\d\d?)-(\d\d?)", text)
        if found and not _is_date(*map(int, found.groups())):
            what = f"front matter has a date that does not exist: {exc}"
            return error(source, what, "fix the date (YYYY-MM-DD)", block_line + number)
    return error(source, f"front matter has a value YAML cannot read: {exc}", YAML_FIX, block_line)


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
