"""What each posting format offers: the fields its layout reveals, and its body as safe HTML.

One rule per format, each RawPosting -> (fields found, where each was found, description HTML);
extract.py then overlays the curator's front matter and fills what is still missing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from builder import fields, pay, titles
from builder.model import RawPosting
from builder.normalize import REAL_TAG, body_to_html, html_to_text, unescape_if_escaped

Found = dict[str, Any]
Sources = dict[str, str]  # field -> where in the posting it was found, for `check --explain`
FormatFields = tuple[Found, Sources, str]  # what a format gives: fields, their sources, HTML
# Anchored: unanchored, search() would retry from every position of a long line (quadratic).
FILE_NAME_LINE = re.compile(r"\A(\S.*\.(txt|pdf|docx?|rtf|html?|md)\s*|\S*[-_]\S*[-_]\S*)\Z", re.I)
TITLE_COMPANY = re.compile(r"\s(?:-|–|—|@|at)\s+([^-–—@]{2,40})\Z")
LOCATION_LABEL = re.compile(r"^\s*location\s*:\s*(.+)$", re.IGNORECASE)
# Bounded, and stopping at the next "[": "[^\]]*" scanned to the end of a line of a million
# "[" from each of them (minutes for a quarter of a MiB).
APPLY_LINK = re.compile(
    r"\[[^\]\[\n]{0,300}apply[^\]\[\n]{0,300}\]\(([^)\s\[]{1,2000})\)", re.IGNORECASE
)
URL = re.compile(r"https?://[^\s<>()\"']+")
APPLY_WORD = re.compile(r"\bapply\b", re.IGNORECASE)
ACRONYMS = {"sre", "aws", "gcp", "api", "sql", "ci", "cd", "devops", "it", "ui", "qa", "saas"}
SMALL_WORDS = {"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to", "with"}


# The JSON-LD key each field is read from.
JSONLD_KEYS = {
    "title": "title", "company": "hiringOrganization", "date": "datePosted",
    "valid_through": "validThrough", "employment_type": "employmentType",
    "salary": "baseSalary", "location": "jobLocation", "regions": "applicantLocationRequirements",
    "remote": "jobLocationType", "apply_url": "url", "identifier": "identifier",
}  # fmt: skip


def _from_jsonld(raw: RawPosting) -> FormatFields:
    job = raw.jsonld or {}
    org = job.get("hiringOrganization")
    description = unescape_if_escaped(str(job.get("description") or ""))
    body_format = "html" if REAL_TAG.search(description) else "text"
    found = {
        "title": job.get("title"),
        "company": org.get("name") if isinstance(org, dict) else org,
        "date": job.get("datePosted"),
        "valid_through": job.get("validThrough"),
        "employment_type": job.get("employmentType"),
        "salary": pay.salary_from_jsonld(job.get("baseSalary")),
        "location": _jsonld_place(job.get("jobLocation")),
        "regions": _jsonld_regions(job.get("applicantLocationRequirements")),
        "remote": job.get("jobLocationType") == "TELECOMMUTE" or None,
        "apply_url": job.get("url"),
        "identifier": _jsonld_identifier(job.get("identifier")),
    }
    if raw.system:  # a hiring system's job JSON, read as the JobPosting it describes
        sources = {key: f"{raw.system} job JSON" for key in present(found)}
    else:
        sources = {key: f"JSON-LD `{JSONLD_KEYS[key]}`" for key in present(found)}
    return present(found), sources, body_to_html(description, body_format)


def _jsonld_place(location: Any) -> str | None:
    place = location[0] if isinstance(location, list) and location else location
    address = place.get("address") if isinstance(place, dict) else None
    if not isinstance(address, dict):
        return None
    keys = ("addressLocality", "addressRegion", "addressCountry")
    parts = [str(address[k]) for k in keys if address.get(k)]
    return ", ".join(dict.fromkeys(parts)) or None


def _jsonld_regions(requirements: Any) -> list[str] | None:
    items = requirements if isinstance(requirements, list) else [requirements]
    names = [item.get("name") if isinstance(item, dict) else item for item in items]
    return [str(name) for name in names if name] or None


def _jsonld_identifier(identifier: Any) -> str | None:
    return identifier.get("value") if isinstance(identifier, dict) else identifier


def _from_markdown(raw: RawPosting) -> FormatFields:
    lines = raw.body.splitlines()
    found: Found = {}
    sources: Sources = {}
    used = set()
    for number, line in enumerate(lines):  # the header block: title, company, badges
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*$", line)
        if heading and _markdown_heading(found, sources, len(heading.group(1)), heading.group(2)):
            used.add(number)
        elif line.strip():
            break
    for number, line in enumerate(lines):  # "CLICK TO [APPLY](url)" trailers
        if (apply := APPLY_LINK.search(line)) and "apply_url" not in found:
            found["apply_url"] = apply.group(1)
            sources["apply_url"] = f"Markdown `[Apply](url)` link (line {raw.body_line + number})"
        if apply:
            used.add(number)
    body = "\n".join(line for number, line in enumerate(lines) if number not in used)
    return found, sources, body_to_html(body, "markdown")


def _markdown_heading(found: Found, sources: Sources, level: int, text: str) -> bool:
    """Take a header line for the field it holds; tell whether it was taken."""
    if level == 1 and "title" not in found:
        found["title"], url = _markdown_link(text)
        sources["title"] = "Markdown `# Title` heading"
        if url:
            found["apply_url"] = url
            sources["apply_url"] = "Markdown `# [Title](url)` heading link"
        return True
    if level in (2, 3) and "title" in found and "company" not in found and len(text) < 80:
        found["company"] = _markdown_link(text)[0]
        sources["company"] = f"Markdown `{'#' * level} Company` heading"
        return True
    if level >= 4 and "`" in text and "title" in found:
        badges = _badges(re.findall(r"`([^`]+)`", text))
        found.update(badges)
        sources.update(dict.fromkeys(badges, "Markdown `####` line of `badges`"))
        return True
    return False


def _markdown_link(text: str) -> tuple[str, str | None]:
    match = re.search(r"\[([^\]]+)\]\(([^)\s]+)\)", text)
    if not match:
        return text.strip(), None
    return match.group(1).strip(), match.group(2)


def _badges(badges: list[str]) -> Found:
    found: Found = {}
    for badge in badges:
        text = re.sub(r"[^\w\s$€£¥₹,.~()/+:–—-]", "", badge).strip()  # drop emoji
        if pay.parse_salary(text):
            found["salary"] = text
        elif fields.is_remote_text(text) or fields.regions_in(text):
            found["location"] = text
        elif fields.parse_employment_type(text) not in (None, "OTHER"):
            found["employment_type"] = text
    return found


def _from_text(raw: RawPosting) -> FormatFields:
    lines = raw.body.splitlines()
    found: Found = {}
    sources: Sources = {}
    content = [n for n, line in enumerate(lines) if line.strip()]
    used = set()
    if content and FILE_NAME_LINE.search(lines[content[0]].strip()):
        used.add(content.pop(0))  # a scraper's file name, not the title
    first = lines[content[0]] if content else ""
    if header := titles.pipe_line(first):
        found.update(header)  # the line stays in the ad: it is the ad's own header
        where = f"the `Company | Title | …` header line (line {raw.body_line + content[0]})"
        sources.update(dict.fromkeys(header, where))
    elif content and titles.looks_like_title(first) and "title" not in raw.front_matter:
        used.add(content[0])
        found["title"] = smart_title(first.strip())
        sources["title"] = f"first short line (line {raw.body_line + content[0]})"
        _title_company(found, sources, "\n".join(lines[content[0] + 1 :]))
        if len(content) > 1 and (byline := titles.byline(lines[content[1]])):
            where = (
                f"the `Company · Place` line below the title (line {raw.body_line + content[1]})"
            )
            for key, value in byline.items():
                if key not in found:
                    found[key], sources[key] = value, where
    for number, line in enumerate(lines):
        label = LOCATION_LABEL.match(line)
        if label and "location" not in found:
            found["location"] = label.group(1).strip()
            sources["location"] = f"`location:` line (line {raw.body_line + number})"
        elif "apply_url" not in found and APPLY_WORD.search(line) and (url := URL.search(line)):
            found["apply_url"] = url.group(0).rstrip(".,;")
            sources["apply_url"] = f"URL on a line that says apply (line {raw.body_line + number})"
    body = "\n".join(line for n, line in enumerate(lines) if n not in used)
    return found, sources, body_to_html(body, "text")


def _title_company(found: Found, sources: Sources, rest: str) -> None:
    """Take the company from a `Title - Company (Remote, …)` line, if the ad names it again:
    "- Lyon" may be a place."""
    title = titles.clean_title(found["title"], "")[0]
    company = TITLE_COMPANY.search(title)
    if company and company.group(1).strip().lower() in rest.lower():
        found["company"] = company.group(1).strip()
        sources["company"] = "`Title - Company` line, named again in the ad"


def smart_title(text: str) -> str:
    """Title-case a title written all in lower case, keeping acronyms such as SRE."""
    if text != text.lower():
        return text

    def word(match: re.Match[str]) -> str:
        value = match.group(0)
        if value in ACRONYMS:
            return value.upper()
        return value if value in SMALL_WORDS and match.start() else value.capitalize()

    return re.sub(r"[a-z][a-z']*", word, text)


def _from_html(raw: RawPosting) -> FormatFields:
    found: Found = {}
    sources: Sources = {}
    body = raw.body
    heading = re.search(r"<h1\b[^>]*>(.*?)</h1>", body, re.I | re.S)
    if heading:
        found["title"] = html_to_text(heading.group(1))
        sources["title"] = "HTML `<h1>` heading"
        body = body.replace(heading.group(0), "", 1)
    apply = re.search(
        r"apply[^<]{0,40}<a\s[^>]*href\s*=\s*[\"']([^\"']+)[\"'][^>]*>.*?</a>", body, re.I | re.S
    )
    if apply:  # the sentence stays in the description: never drop the ad's text
        found["apply_url"] = html.unescape(apply.group(1))  # as a browser reads an attribute
        sources["apply_url"] = "HTML link after the word apply"
    return found, sources, body_to_html(body, "html")


FORMAT_RULES: dict[str, Callable[[RawPosting], FormatFields]] = {
    "jsonld": _from_jsonld,
    "markdown": _from_markdown,
    "text": _from_text,
    "html": _from_html,
}


# What sources write for a value they do not have: never published as if it were one.
PLACEHOLDERS = {"none", "null", "nil", "n/a", "na", "-", "--", "unknown", "unknown company",
                "tbd", "tba", "undefined", "not specified", "[]", "{}"}  # fmt: skip


def present(found: Found) -> Found:
    """Drop the fields that came out empty, or hold a placeholder such as "None"."""
    return {key: value for key, value in found.items() if not is_placeholder(value)}


def is_placeholder(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() in PLACEHOLDERS or not value.strip()
    return value in (None, [])
