"""Read postings held as JSON: JSON-LD JobPostings and hiring systems' job JSON, from a JSON
file or from the JSON-LD scripts of an HTML page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from types import MappingProxyType
from typing import Any

from builder.hiring import as_job_posting, system_of
from builder.limits import MAX_DEPTH
from builder.model import RawPosting
from builder.normalize import repair_values
from builder.problems import Problem, error

ReadResult = tuple[list[RawPosting], list[Problem]]

# Text that can only be meant as JSON, so a parse error is reported rather than read as prose.
JSON_START = re.compile(r"\{\s*(\"|\}|\Z)|\[\s*([\[{\"\]]|\Z)")
JSON_FIX = "fix the JSON, or save the posting as text or Markdown"
_NO_JOB_FIX = (
    'give it "@type": "JobPosting", or paste a Greenhouse, Lever or Ashby job as the '
    "API gives it, or save the posting as text or Markdown"
)
LENIENT = "read leniently: its strings hold raw line breaks, which strict JSON forbids"


@dataclass(frozen=True)
class Parsed:
    """A JSON text as read: its document, or what is wrong with it and on which line."""

    document: Any = None
    problem: str | None = None
    line: int = 1
    lenient: bool = False  # its strings hold raw line breaks, so it was read leniently


def looks_like_json(text: str) -> bool:
    """Tell whether stripped text is meant as JSON; "[2026] Senior SRE" and "[Remote] SRE"
    are not."""
    if not text.startswith(("{", "[")):
        return False
    if JSON_START.match(text):
        return True
    try:  # parsed here, not in a helper: json's nesting limit shrinks with every frame
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def parse_json(text: str) -> Parsed:
    """Parse JSON; on failure, also say what is wrong and on which line of the text.

    Strings holding raw line breaks or tabs, which strict JSON forbids but pages copied from
    the web often have, are read leniently (the posting's `check --explain` says so)."""
    try:
        return Parsed(json.loads(text))
    except json.JSONDecodeError as exc:
        if exc.msg.startswith("Invalid control character"):
            return _parse_leniently(text)
        return Parsed(problem=f"is not valid: {exc.msg}", line=exc.lineno)
    except ValueError:  # Python refuses integers of over 4,300 digits
        return Parsed(problem="holds a number of over 4,300 digits, too long to read")
    except RecursionError:
        return Parsed(problem="is nested too deeply")


def _parse_leniently(text: str) -> Parsed:
    try:
        return Parsed(json.loads(text, strict=False), lenient=True)
    except json.JSONDecodeError as exc:
        return Parsed(problem=f"is not valid: {exc.msg}", line=exc.lineno)
    except (ValueError, RecursionError):
        return Parsed(problem="is not valid JSON")


def read_json(source: str, body: str, front_matter: dict[str, Any], line: int) -> ReadResult:
    """Read the postings of a JSON body that starts on `line`, or the problem that stops it."""
    parsed = parse_json(body)
    if parsed.problem:
        return [], [error(source, f"JSON {parsed.problem}", JSON_FIX, line + parsed.line - 1)]
    return _postings(source, [parsed], front_matter, line, in_page=False)


def script_blocks(page: str) -> list[str]:
    """Return the text of every JSON-LD script of a page."""
    return _ScriptCollector.collect(page)


def holds_job_posting(scripts: list[Parsed]) -> bool:
    """Tell whether any of the parsed documents holds a JobPosting."""
    return any(True for parsed in scripts for _ in _job_postings(parsed.document))


def page_postings(
    source: str, scripts: list[Parsed], front_matter: dict[str, Any], line: int
) -> ReadResult:
    """Read the postings in a page's parsed JSON-LD scripts, or the problem that stops them."""
    return _postings(source, scripts, front_matter, line, in_page=True)


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


def _postings(
    source: str, documents: list[Parsed], front_matter: dict[str, Any], line: int, in_page: bool
) -> ReadResult:
    """Make a RawPosting of every JobPosting in the documents, or say why there is none."""
    where = None if in_page else line
    if _nesting(documents, in_page) > MAX_DEPTH:
        what = f"JSON is nested more than {MAX_DEPTH} levels deep"
        return [], [error(source, what, JSON_FIX, where)]
    found = [job for parsed in documents for job in _job_postings(parsed.document)]
    if not found:
        what = "the page has no JSON-LD JobPosting" if in_page else "JSON is not a JobPosting"
        return [], [error(source, what, _NO_JOB_FIX, where)]
    fm = MappingProxyType(front_matter)
    note = LENIENT if any(parsed.lenient for parsed in documents) else ""
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


def _nesting(documents: list[Parsed], in_page: bool) -> int:
    """Measure how deeply the documents nest, counting a page's list of scripts as a level."""
    # A lenient document counts a level deeper too, as it did when it was marked by being
    # wrapped in a list: kept so that no file at the limit reads differently than it did.
    deepest = max((_depth(parsed.document) + parsed.lenient for parsed in documents), default=0)
    return deepest + in_page


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
