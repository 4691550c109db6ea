"""Normalize text: repair mojibake, unescape, turn every body into safe HTML, and back to text."""

from __future__ import annotations

import html
import re
from functools import cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import markdown

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan"},
    "th": {"colspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# The tags that show a fragment is HTML, written or escaped once more.
COMMON_TAGS = r"(p|br|div|ul|ol|li|strong|em|b|i|u|a|h[1-6]|span|table)\b"
REAL_TAG = re.compile(rf"</?{COMMON_TAGS}", re.I)
ESCAPED_TAG = re.compile(rf"&lt;/?{COMMON_TAGS}", re.I)
HEADING = re.compile(r"<(/?)h1\b", re.I)
BREAKS_BETWEEN_BLOCKS = re.compile(
    r"(</(?:p|ul|ol|h\d|blockquote|pre|table)>|<(?:ul|ol)>)\s*(?:<br\s*/?>\s*)+", re.I
)
BREAKS_AT_EDGES = re.compile(r"\A(?:\s*<br\s*/?>)+|(?:<br\s*/?>\s*)+\Z", re.I)
BREAK = re.compile(r"\s*<br\s*/?>", re.I)
DOUBLE_BREAK = re.compile(r"(?:<br\s*/?>\s*){2,}", re.I)
VOID_TAGS = {"br", "hr", "img", "wbr"}
BREAK_OR_TAG = re.compile(
    r"(?P<breaks>(?:<br\s*/?>\s*){2,})|<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9]*)\b[^>]*>"
)
HEADING_TAG = re.compile(r"<(/?)h([1-6])\b", re.I)
BLOCK_START = re.compile(r"<(ul|ol|h[2-6]|table|blockquote|pre|dl|hr)\b", re.I)
BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+(.*)$")


# Characters that XML (feeds, sitemap) cannot hold: C0 controls but tab and newlines, and lone
# surrogates that a JSON "\ud800" escape can produce.
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Invisible characters that spoof text: bidi embeddings, overrides and isolates (an unclosed
# U+202E reverses the rest of a line, "Apply at" included) and zero-width spaces that hide
# inside words. Joiners stay: emoji sequences and many scripts need them.
SPOOFING = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")


# The ASCII characters ftfy's remove_control_chars drops, and the form feed UNWRITABLE drops.
ASCII_CONTROLS = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def repair_text(text: str) -> str:
    """Fix mojibake (UTF-8 read as cp1252), normalize line breaks, keep typography as written."""
    if text.isascii() and "\x1b" not in text:  # no mojibake, no terminal escapes to strip
        # What ftfy's fix_line_breaks and remove_control_chars do to ASCII text (a test
        # checks it), without importing ftfy, which costs more than a posting's extraction.
        return text.replace("\r\n", "\n").replace("\r", "\n").translate(ASCII_CONTROLS)
    import ftfy  # see _markdown

    fixed = ftfy.fix_text(text, unescape_html=False, uncurl_quotes=False)
    return SPOOFING.sub("", UNWRITABLE.sub("", fixed))


def repair_values(value: Any) -> Any:
    """Repair every string inside parsed YAML or JSON, however nested."""
    if isinstance(value, str):
        return repair_text(value)
    if isinstance(value, list):
        return [repair_values(item) for item in value]
    if isinstance(value, dict):
        return {key: repair_values(item) for key, item in value.items()}
    return value


def unescape_if_escaped(fragment: str) -> str:
    """Undo one level of HTML escaping when the markup itself was escaped (`&lt;br&gt;`)."""
    if ESCAPED_TAG.search(fragment) and not REAL_TAG.search(fragment):
        return html.unescape(fragment)
    return fragment


# Layout blocks the sanitizer drops, whose edges still part lines of text ("About Acme" above
# "Acme makes…" in hiring systems' <div>s): each becomes a line break.
LAYOUT_BLOCK = re.compile(r"</?(?:div|section|article|main|header|footer)\b[^>]*>", re.I)


def sanitize_html(fragment: str) -> str:
    """Keep a safe subset of HTML: no scripts, styles, frames, handlers or unsafe URLs."""
    fragment = LAYOUT_BLOCK.sub("<br>", fragment) if "<" in fragment else fragment
    clean = _nh3(HEADING.sub(r"<\1h2", fragment))  # the page title is the only h1
    clean = BREAKS_BETWEEN_BLOCKS.sub(r"\1", clean)
    clean = _strip_edge_breaks(clean)
    clean = _paragraphs_from_breaks(clean) if "<p>" not in clean else clean
    return _sequential_headings(clean)


def _strip_edge_breaks(fragment: str) -> str:
    """Remove breaks and spaces at both ends, searching only where a break is at an end: the
    search for the trailing ones otherwise tries every position of the fragment."""
    tail = fragment.rstrip()
    if BREAK.match(fragment) or BREAK.fullmatch(tail, tail.rfind("<")):
        fragment = BREAKS_AT_EDGES.sub("", fragment)
    return fragment.strip()


def _paragraphs_from_breaks(fragment: str) -> str:
    """Turn `text<br><br>text` (how job boards often write paragraphs) into <p> elements."""
    chunks = [chunk.strip() for chunk in _split_at_top_level_breaks(fragment)]
    if len(chunks) < 2:
        return fragment
    blocks = [c if BLOCK_START.match(c) else f"<p>{c}</p>" for c in chunks if c]
    return _nh3("\n".join(blocks))


def _split_at_top_level_breaks(fragment: str) -> list[str]:
    """Split sanitized HTML at double breaks outside any element, so no element is cut in two
    (`<strong>Title<br><br></strong>` stays whole rather than becoming a <p> inside <strong>)."""
    chunks, depth, start = [], 0, 0
    for match in BREAK_OR_TAG.finditer(fragment):
        if match.group("breaks"):
            if depth == 0:
                chunks.append(fragment[start : match.start()])
                start = match.end()
        elif match.group("name").lower() not in VOID_TAGS:
            depth += -1 if match.group("close") else 1
    return [*chunks, fragment[start:]]


def _sequential_headings(fragment: str) -> str:
    """Renumber headings so none skips a level below the page's h1 (h1 → h4 becomes h1 → h2)."""
    open_levels: list[int] = []  # each open heading's new level, to close it alike
    previous = 1  # the page title

    def renumber(match: re.Match[str]) -> str:
        nonlocal previous
        if match.group(1):
            return f"</h{open_levels.pop() if open_levels else previous}"
        previous = min(int(match.group(2)), previous + 1)
        open_levels.append(previous)
        return f"<h{previous}"

    return HEADING_TAG.sub(renumber, fragment)


# nh3's HTML parser and Python-Markdown's inline parser take quadratic time on some hostile
# shapes: thousands of nested block elements (a 1 MiB posting of <div>s took minutes), or
# thousands of "[" or "<" (each may open a link), tens of thousands of "*" or "\\", or a
# block of thousands of lines (the tables extension re-reads it per line). No real ad comes
# near these limits; past them the tags are dropped, or the Markdown is shown as plain text:
# inert, in linear time.
MAX_UNCLOSED_TAGS = 5_000
MAX_LINK_OPENERS = 1_000
MAX_INLINE_MARKS = 20_000
MAX_BLOCK_LINES = 1_000
OPEN_TAG = re.compile(r"<(?!(?:area|br|col|embed|hr|img|input|meta|source|track|wbr)\b)[a-z]", re.I)
CLOSE_TAG = re.compile(r"</[a-z]", re.I)
ANY_TAG = re.compile(r"</?[a-z][^>]*>?", re.I)


def _nh3(fragment: str) -> str:
    if fragment.count("<") > MAX_UNCLOSED_TAGS and _unclosed_tags(fragment) > MAX_UNCLOSED_TAGS:
        fragment = ANY_TAG.sub(" ", fragment)
    return _CLEANER.clean(fragment)


def _unclosed_tags(fragment: str) -> int:
    return len(OPEN_TAG.findall(fragment)) - len(CLOSE_TAG.findall(fragment))


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="nofollow noopener noreferrer ugc",
)


def markdown_to_html(text: str) -> str:
    """Render Markdown to safe HTML (raw HTML inside the Markdown is sanitized too)."""
    if _too_costly_for_markdown(text):
        return text_to_html(text)
    return sanitize_html(_markdown().reset().convert(text))


@cache
def _markdown() -> markdown.Markdown:
    """One converter, reset between postings: building one loads every extension, which
    took longer than converting a whole posting."""
    # Imported on first use, as ftfy is: a build that extracts nothing (every posting
    # cached) starts 60 ms sooner without them.
    import markdown

    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def _too_costly_for_markdown(text: str) -> bool:
    """Tell whether Python-Markdown would take quadratic time on text no real ad looks like."""
    link_openers = text.count("[") + text.count("<")
    inline_marks = text.count("*") + text.count("\\")
    return (
        link_openers > MAX_LINK_OPENERS
        or inline_marks > MAX_INLINE_MARKS
        or (text.count("\n") > MAX_BLOCK_LINES and _longest_block(text) > MAX_BLOCK_LINES)
    )


def _longest_block(text: str) -> int:
    return max(block.count("\n") for block in BLANK_LINE.split(text))


BLANK_LINE = re.compile(r"\n[ \t]*\n")


def text_to_html(text: str) -> str:
    """Render plain text: each line is a paragraph (scraped ads have one line per paragraph),
    bullet lines become lists."""
    blocks = [block for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return "\n".join(_text_block(block.splitlines()) for block in blocks)


def _text_block(lines: list[str]) -> str:
    parts: list[str] = []
    for line in (line.strip() for line in lines):
        bullet = BULLET.match(line)
        if bullet:
            parts.append(f"<li>{html.escape(bullet.group(1))}</li>")
        elif line:
            parts.append(f"<p>{html.escape(line)}</p>")
    joined = "".join(parts)
    joined = re.sub(r"((?:<li>.*?</li>)+)", r"<ul>\1</ul>", joined)
    return joined


def body_to_html(body: str, body_format: str) -> str:
    """Turn a body of the given format into sanitized HTML."""
    if body_format == "markdown":
        return markdown_to_html(body)
    if body_format == "text":
        return text_to_html(body)
    return sanitize_html(unescape_if_escaped(body))


HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"', re.I)


def links_in(fragment: str) -> list[str]:
    """The targets of a sanitized fragment's links, as a browser reads them (`&amp;` is &)."""
    return [html.unescape(href) for href in HREF.findall(fragment)]


def html_to_text(fragment: str) -> str:
    """Extract readable text from HTML: block elements become line breaks."""
    text = _sanitized_text(fragment)
    if text is None:
        text = _parsed_text(fragment)
    if "  " in text or "\t" in text or "\u00a0" in text:  # else each run is one space already
        text = SPACES.sub(" ", text)
    return "\n".join(line for line in map(str.strip, text.split("\n")) if line)


TEXT_BLOCKS = frozenset(
    ["p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
     "blockquote", "pre", "hr", "dt", "dd", "table"]
)  # fmt: skip
# What each tag nh3 may leave turns into in the text. Any other tag (script and style hold
# raw text) goes to the HTML parser.
TAG_TEXT = {name: "\n" if name in TEXT_BLOCKS else "" for name in TEXT_BLOCKS | ALLOWED_TAGS}
# A tag as nh3 (html5ever) writes it: attribute values in double quotes, which may hold a
# literal ">"; no comments, no "/>".
SANITIZED_TAG = re.compile(
    r'<(?:([a-zA-Z][a-zA-Z0-9]*)(?: [a-zA-Z][-a-zA-Z0-9]*="[^"]*")*|/([a-zA-Z][a-zA-Z0-9]*))>'
)
SPACES = re.compile(r"[ \t\u00a0]+")


def _sanitized_text(fragment: str) -> str | None:
    """Give the text HTMLParser finds in HTML shaped as nh3 writes it, in one regex pass; None
    for any other shape (a "<" outside those tags, or an unknown tag)."""
    pieces = SANITIZED_TAG.split(fragment)  # text, start tag name, end tag name, text, ...
    texts = pieces[::3]
    names = [start or end for start, end in zip(pieces[1::3], pieces[2::3], strict=True)]
    breaks = [TAG_TEXT.get(name.lower()) for name in names]
    if None in breaks or any("<" in text for text in texts):
        return None
    pieces[::3] = [html.unescape(text) for text in texts]  # each text alone, as HTMLParser
    pieces[1::3] = breaks
    pieces[2::3] = [""] * len(breaks)
    return "".join(pieces)


def _parsed_text(fragment: str) -> str:
    parser = _TextCollector()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in TEXT_BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in TEXT_BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def summarize_text(text: str, limit: int = 200) -> str:
    """Shorten text to at most `limit` characters, on a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–—") + "…"
