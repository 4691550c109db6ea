"""Read posting files: decode the bytes, split front matter, sniff the format from the content."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from builder.hiring import as_job_posting, system_of
from builder.model import Format, RawPosting
from builder.normalize import REAL_TAG, repair_text, repair_values
from builder.problems import Problem, error

MAX_BYTES = 1024 * 1024
# A posting needs a few levels at most; deeper input only exists to exhaust the stack (a C
# stack overflow in libyaml's composer kills the process, so YAML is checked before loading).
MAX_DEPTH = 40
YAML = YAMLHandler()
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when it is built in
HTML_PAGE = re.compile(r"\A\s*(<!doctype html|<html\b)", re.I)
# A heading line, a [link](url) or **bold**. Bounded classes that stop at the next "[" keep a
# line of a million "[a](" linear; ".*\[" there backtracked over the whole line at every "[".
MARKDOWN_HINT = re.compile(r"^#{1,6} |\[[^\]\[\n]{1,300}\]\([^)\s\[]{1,2000}\)|\*\*\S", re.M)
# Text that can only be meant as JSON, so a parse error is reported rather than read as prose.
JSON_START = re.compile(r"\{\s*(\"|\}|\Z)|\[\s*([\[{\"\]]|\Z)")
JSONLD_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.I | re.S
)

ReadResult = tuple[list[RawPosting], list[Problem]]


def posting_files(content_dir: Path) -> list[str]:
    """List each posting file's path inside content_dir ('a/b.txt'), in a stable order;
    nothing on a posting's path is hidden or `_`-named (such folders are pruned)."""
    found: list[str] = []
    folders = [""]
    while folders:
        inside = folders.pop()
        try:
            entries = list(os.scandir(os.path.join(content_dir, inside)))
        except OSError:  # a folder that cannot be listed is passed over, as os.walk does
            continue
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            key = f"{inside}/{entry.name}" if inside else entry.name
            if entry.is_dir(follow_symlinks=False):
                folders.append(key)
            elif _is_file(entry):  # a link is followed: reading it checks where it leads
                found.append(key)
    return sorted(found, key=lambda key: key.split("/"))  # as paths sort: by their parts


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:  # a link in a loop is no file, as pathlib's is_file says
        return False


def read_inside(content_dir: Path, key: str) -> bytes:
    """Read the posting file at `key` inside content_dir, refusing a link that leads out of
    the content folder: a posting linked to /proc/self/environ or ~/.ssh would otherwise be
    published."""
    path = content_dir / key
    target = path.resolve() if has_link(content_dir, key) else path
    if target is not path and not target.is_relative_to(content_dir.resolve()):
        reason = f"it links to {target}, outside the content folder; copy the posting in instead"
        raise PermissionError(errno.EACCES, reason)
    with target.open("rb") as handle:  # no more than the limit and a byte: enough to refuse
        return handle.read(MAX_BYTES + 1)


def has_link(content_dir: Path, key: str) -> bool:
    """Tell whether the file or a folder on its way is a symbolic link (checking is much
    cheaper than resolving every file of a large board)."""
    steps = key.split("/")
    return any(
        os.path.islink(os.path.join(content_dir, *steps[:n])) for n in range(1, len(steps) + 1)
    )


def read_posting(source: str, data: bytes) -> ReadResult:
    """Turn one file's bytes into the postings it holds, or the problems that stop it."""
    if problem := _unreadable(source, data):
        return [], [problem]
    postings, problems = _read_text(source, repair_text(decode(data)))
    return [replace(raw, count=len(postings)) for raw in postings], problems


def _read_text(source: str, text: str) -> ReadResult:
    if not YAML.detect(text) and _lacks_opening_line(text):
        return _one_line_up(*_read_text(source, "---\n" + text))
    if not YAML.detect(text):
        return _read_body(source, text, {}, 1)
    try:
        block, body = YAML.split(text)
    except ValueError:
        return [], [error(source, "front matter has no closing --- line", _YAML_FIX, 1)]
    block_line = text[: text.find(block)].count("\n") + 1 if block.strip() else 1
    front_matter, problems = _load_front_matter(source, block, block_line)
    if problems:
        return [], problems
    body_line = text[: len(text) - len(body)].count("\n") + 1
    postings, problems = _read_body(source, body, front_matter, body_line)
    lines = MappingProxyType(_key_lines(block, block_line))
    return [replace(raw, front_matter_lines=lines) for raw in postings], problems


def _one_line_up(postings: list[RawPosting], problems: list[Problem]) -> ReadResult:
    """Number lines as the file does, which lacks the `---` line the text was read with."""
    moved = [
        replace(raw, body_line=raw.body_line - 1,
                front_matter_lines=MappingProxyType(
                    {key: line - 1 for key, line in raw.front_matter_lines.items()}))
        for raw in postings
    ]  # fmt: skip
    return moved, [replace(p, line=p.line - 1 if p.line else p.line) for p in problems]


HEADLESS_BLOCK = re.compile(r"\A((?:[a-z_][\w-]*[ \t]*:[^\n]*\n){2,40})---[ \t]*\n")
FRONT_MATTER_KEYS = {"title", "company", "date", "location", "tags", "salary", "apply_url",
                     "created", "posted", "published", "post-date", "datePosted"}  # fmt: skip


def _lacks_opening_line(text: str) -> bool:
    """Tell whether the file is front matter without its opening `---`: lines of lower-case
    `key: value` naming a posting's fields (`title:`, `company:`…), then a `---` line."""
    block = HEADLESS_BLOCK.match(text)
    if not block:
        return False
    keys = {line.split(":", 1)[0].strip() for line in block.group(1).splitlines()}
    return len(keys & FRONT_MATTER_KEYS) >= 2


def _key_lines(block: str, block_line: int) -> dict[str, int]:
    """Map each top-level front matter key to its line in the file, for problem reports."""
    lines = {}
    for number, text in enumerate(block.split("\n")):
        key = re.match(r"([A-Za-z_][\w-]*)\s*:", text)
        if key:
            lines.setdefault(key.group(1), block_line + number)
    return lines


def _unreadable(source: str, data: bytes) -> Problem | None:
    if len(data) > MAX_BYTES:
        return error(source, "file is over the 1 MiB limit", "trim it to the job ad itself")
    if not data.strip():
        return error(source, "file is empty", "add the posting's text or delete the file")
    if b"\x00" in data:
        return error(source, "file is binary, not text", "save the posting as UTF-8 text")
    return None


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM); fall back to cp1252, then latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _load_front_matter(
    source: str, block: str, block_line: int
) -> tuple[dict[str, Any], list[Problem]]:
    try:
        if shape := _yaml_shape_problem(block):
            what, offset = shape
            return {}, [error(source, what, _YAML_SHAPE_FIX, block_line + offset)]
        loaded = yaml.load(block, Loader=SAFE_LOADER) if block.strip() else {}
    except (ValueError, TypeError) as exc:  # parsed, but not constructible: 2026-02-30
        return {}, [_unconstructible(source, block, block_line, exc)]
    except yaml.YAMLError as exc:
        # The context mark points at where the broken construct opens, which is what to fix.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = block_line + mark.line if mark else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, [error(source, f"front matter is not valid YAML: {reason}", _YAML_FIX, line)]
    if not isinstance(loaded, dict):
        what = "front matter is not a set of `key: value` lines"
        first_line = block_line + len(block) - len(block.lstrip("\n"))
        return {}, [error(source, what, _YAML_FIX, first_line)]
    return {str(key): repair_values(value) for key, value in loaded.items()}, []


def _yaml_shape_problem(block: str) -> tuple[str, int] | None:
    """Refuse aliases (a "billion laughs" expands exponentially), tags that would construct
    objects, and deep nesting, cheaply: events are read only up to the first offending one.
    Returns what is wrong and its line within the block."""
    depth = 0
    for event in yaml.parse(block, Loader=SAFE_LOADER):
        line = event.start_mark.line
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


PLAIN_TAGS = {"str", "int", "float", "bool", "null", "timestamp", "seq", "map"}
_YAML_SHAPE_FIX = "write each value out in full as plain text, lists and `key: value` lines"


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
    return error(source, f"front matter has a value YAML cannot read: {exc}", _YAML_FIX, block_line)


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


_YAML_FIX = "fix the YAML between the --- lines (quote values that contain ': ' or start with '[')"


def _read_body(source: str, body: str, front_matter: dict[str, Any], line: int) -> ReadResult:
    stripped = body.lstrip()
    if stripped.startswith(("{", "[")) and (JSON_START.match(stripped) or _parses(stripped)):
        return _read_json(source, body, front_matter, line)
    if HTML_PAGE.match(body) or JSONLD_SCRIPT.search(body):
        return _read_html_page(source, body, front_matter, line)
    if not stripped:
        return [], [error(source, "posting has no text below its front matter", _BODY_FIX, line)]
    raw = RawPosting(source, _sniff_body(body), body, MappingProxyType(front_matter), line)
    return [raw], []


_BODY_FIX = "paste the job description below the front matter"


def _parses(text: str) -> bool:
    """Tell whether text is JSON; "[2026] Senior SRE" and "[Remote] SRE" are not."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _sniff_body(body: str) -> Format:
    if len(REAL_TAG.findall(body)) >= 2:
        return "html"
    if MARKDOWN_HINT.search(body):
        return "markdown"
    return "text"


def _read_json(source: str, body: str, front_matter: dict[str, Any], line: int) -> ReadResult:
    document, why, where = _parse_json(body)
    if why:
        return [], [error(source, f"JSON {why}", _JSON_FIX, line + where - 1)]
    return _postings_from_jsonld(source, document, front_matter, line)


_JSON_FIX = "fix the JSON, or save the posting as text or Markdown"


def _read_html_page(source: str, body: str, front_matter: dict[str, Any], line: int) -> ReadResult:
    """Read a page's JSON-LD JobPostings, or else the page itself as an HTML posting."""
    documents = []
    for block in _ScriptCollector.collect(body):
        document, why, _ = _parse_json(block)
        if why:
            return [], [error(source, f"JSON-LD in the page {why}", _JSON_FIX)]
        documents.append(document)
    if not any(True for _ in _job_postings(documents)) and HTML_PAGE.match(body):
        page = MappingProxyType(front_matter)
        return [RawPosting(source, "html", _page_body(body), page, line)], []
    return _postings_from_jsonld(source, documents, front_matter, line, in_page=True)


PAGE_BODY = re.compile(r"<body\b[^>]*>(.*?)(?:</body>|\Z)", re.I | re.S)
NOT_CONTENT = re.compile(r"<(script|style|head|nav|footer)\b[^>]*>.*?</\1\s*>", re.I | re.S)


def _page_body(page: str) -> str:
    """The content of a page's <body>, without its scripts, styles and navigation."""
    body = PAGE_BODY.search(page)
    content = body.group(1) if body else page
    if "<h1" not in content.lower() and (title := re.search(r"<title>(.*?)</title>", page, re.S)):
        content = f"<h1>{title.group(1)}</h1>" + content
    return NOT_CONTENT.sub("", content)


def _parse_json(text: str) -> tuple[Any, str | None, int]:
    """Parse JSON; on failure, also say what is wrong and on which line of the text.

    Strings holding raw line breaks or tabs, which strict JSON forbids but pages copied from
    the web often have, are read leniently (the posting's `check --explain` says so)."""
    try:
        return json.loads(text), None, 1
    except json.JSONDecodeError as exc:
        if exc.msg.startswith("Invalid control character"):
            return _parse_json_leniently(text)
        return None, f"is not valid: {exc.msg}", exc.lineno
    except ValueError:  # Python refuses integers of over 4,300 digits
        return None, "holds a number of over 4,300 digits, too long to read", 1
    except RecursionError:
        return None, "is nested too deeply", 1


LENIENT = "read leniently: its strings hold raw line breaks, which strict JSON forbids"


def _parse_json_leniently(text: str) -> tuple[Any, str | None, int]:
    try:
        return _Lenient(json.loads(text, strict=False)), None, 1
    except json.JSONDecodeError as exc:
        return None, f"is not valid: {exc.msg}", exc.lineno
    except (ValueError, RecursionError):
        return None, "is not valid JSON", 1


class _Lenient(list):  # type: ignore[type-arg]
    """A JSON document that could only be read leniently: one item, marked so."""

    def __init__(self, document: Any) -> None:
        super().__init__([document])


class _ScriptCollector(HTMLParser):
    """Collect the text of every <script type="application/ld+json"> element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self._inside = False

    @classmethod
    def collect(cls, page: str) -> list[str]:
        parser = cls()
        parser.feed(page)
        parser.close()
        return parser.blocks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = (dict(attrs).get("type") or "").strip().lower()
        self._inside = tag == "script" and kind == "application/ld+json"
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def _postings_from_jsonld(
    source: str, document: Any, front_matter: dict[str, Any], line: int, in_page: bool = False
) -> ReadResult:
    if _depth(document) > MAX_DEPTH:
        what = f"JSON is nested more than {MAX_DEPTH} levels deep"
        return [], [error(source, what, _JSON_FIX, None if in_page else line)]
    found = list(_job_postings(document))
    if not found:
        what = "the page has no JSON-LD JobPosting" if in_page else "JSON is not a JobPosting"
        fix = (
            'give it "@type": "JobPosting", or paste a Greenhouse, Lever or Ashby job as the '
            "API gives it, or save the posting as text or Markdown"
        )
        return [], [error(source, what, fix, None if in_page else line)]
    fm = MappingProxyType(front_matter)
    note = LENIENT if _is_lenient(document) else ""
    postings = [
        RawPosting(
            source,
            "jsonld",
            "",
            fm,
            line,
            MappingProxyType(repair_values(item)),
            index,
            system=system,
            reading=note,
        )
        for index, (item, system) in enumerate(found)
    ]
    return postings, []


def _is_lenient(document: Any) -> bool:
    return isinstance(document, _Lenient) or (
        isinstance(document, list) and any(isinstance(item, _Lenient) for item in document)
    )


def _depth(document: Any) -> int:
    """Measure how deeply lists and objects nest, without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, list | dict) and depth <= MAX_DEPTH:
            deepest = max(deepest, depth)
            stack += [(child, depth + 1) for child in _children(node)]
        elif isinstance(node, list | dict):
            return depth
    return deepest


def _children(node: list[Any] | dict[str, Any]) -> list[Any]:
    return list(node.values()) if isinstance(node, dict) else node


def _job_postings(node: Any) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield every JobPosting in a JSON-LD document (single, list or @graph), and every job
    of a hiring system's JSON as one, each with the system's name ("" for JSON-LD)."""
    if isinstance(node, list):
        for item in node:
            yield from _job_postings(item)
    elif isinstance(node, dict):
        kinds = node.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "JobPosting" in kinds:
            yield node, ""
        elif system := system_of(node):
            yield as_job_posting(system, node), system
        elif "@graph" in node:
            yield from _job_postings(_resolved(node["@graph"]))
        elif isinstance(node.get("jobs"), list):  # a job board's list of jobs
            yield from _job_postings(node["jobs"])


def _resolved(graph: Any) -> Any:
    """An @graph whose JobPostings name their organization by reference (`{"@id": …}`), with
    the organization it refers to written in."""
    if not isinstance(graph, list):
        return graph
    nodes = {n["@id"]: n for n in graph if isinstance(n, dict) and isinstance(n.get("@id"), str)}
    resolved = []
    for node in graph:
        org = node.get("hiringOrganization") if isinstance(node, dict) else None
        if isinstance(org, dict) and "name" not in org and org.get("@id") in nodes:
            node = {**node, "hiringOrganization": nodes[org["@id"]]}
        resolved.append(node)
    return resolved


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
