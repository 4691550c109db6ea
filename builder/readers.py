"""Read posting files: decode the bytes, split front matter, sniff the format from the content."""

from __future__ import annotations

import errno
import os
import re
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from builder import jsonread
from builder.gitdates import git_dates as git_dates
from builder.jsonread import ReadResult
from builder.limits import MAX_BYTES
from builder.limits import MAX_DEPTH as MAX_DEPTH
from builder.model import Format, RawPosting
from builder.normalize import REAL_TAG, repair_text
from builder.problems import Problem, error
from builder.yamlread import SAFE_LOADER as SAFE_LOADER
from builder.yamlread import YAML, YAML_FIX, key_lines, lacks_opening_line, load_front_matter

HTML_PAGE = re.compile(r"\A\s*(<!doctype html|<html\b)", re.I)
# A heading line, a [link](url) or **bold**. Bounded classes that stop at the next "[" keep a
# line of a million "[a](" linear; ".*\[" there backtracked over the whole line at every "[".
MARKDOWN_HINT = re.compile(r"^#{1,6} |\[[^\]\[\n]{1,300}\]\([^)\s\[]{1,2000}\)|\*\*\S", re.M)
JSONLD_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.I | re.S
)
PAGE_BODY = re.compile(r"<body\b[^>]*>(.*?)(?:</body>|\Z)", re.I | re.S)
NOT_CONTENT = re.compile(r"<(script|style|head|nav|footer)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_BODY_FIX = "paste the job description below the front matter"


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


def _read_text(source: str, text: str) -> ReadResult:
    if not YAML.detect(text) and lacks_opening_line(text):
        return _one_line_up(*_read_text(source, "---\n" + text))
    if not YAML.detect(text):
        return _read_body(source, text, {}, 1)
    try:
        block, body = YAML.split(text)
    except ValueError:
        return [], [error(source, "front matter has no closing --- line", YAML_FIX, 1)]
    block_line = text[: text.find(block)].count("\n") + 1 if block.strip() else 1
    front_matter, problems = load_front_matter(source, block, block_line)
    if problems:
        return [], problems
    body_line = text[: len(text) - len(body)].count("\n") + 1
    postings, problems = _read_body(source, body, front_matter, body_line)
    lines = MappingProxyType(key_lines(block, block_line))
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


def _read_body(source: str, body: str, front_matter: dict[str, Any], line: int) -> ReadResult:
    stripped = body.lstrip()
    if jsonread.looks_like_json(stripped):
        return jsonread.read_json(source, body, front_matter, line)
    if HTML_PAGE.match(body) or JSONLD_SCRIPT.search(body):
        return _read_html_page(source, body, front_matter, line)
    if not stripped:
        return [], [error(source, "posting has no text below its front matter", _BODY_FIX, line)]
    raw = RawPosting(source, _sniff_body(body), body, MappingProxyType(front_matter), line)
    return [raw], []


def _sniff_body(body: str) -> Format:
    if len(REAL_TAG.findall(body)) >= 2:
        return "html"
    if MARKDOWN_HINT.search(body):
        return "markdown"
    return "text"


def _read_html_page(source: str, body: str, front_matter: dict[str, Any], line: int) -> ReadResult:
    """Read a page's JSON-LD JobPostings, or else the page itself as an HTML posting."""
    scripts = []  # parsed here, not in a helper: json's nesting limit shrinks with every frame
    for block in jsonread.script_blocks(body):
        parsed = jsonread.parse_json(block)
        if parsed.problem:
            return [], [error(source, f"JSON-LD in the page {parsed.problem}", jsonread.JSON_FIX)]
        scripts.append(parsed)
    if not jsonread.holds_job_posting(scripts) and HTML_PAGE.match(body):
        page = MappingProxyType(front_matter)
        return [RawPosting(source, "html", _page_body(body), page, line)], []
    return jsonread.page_postings(source, scripts, front_matter, line)


def _page_body(page: str) -> str:
    """The content of a page's <body>, without its scripts, styles and navigation."""
    body = PAGE_BODY.search(page)
    content = body.group(1) if body else page
    if "<h1" not in content.lower() and (title := re.search(r"<title>(.*?)</title>", page, re.S)):
        content = f"<h1>{title.group(1)}</h1>" + content
    return NOT_CONTENT.sub("", content)
