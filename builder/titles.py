"""Find the job title in an ad's opening lines, and keep it to the title alone.

Google Jobs asks for the title without the company, the place or the pay: "SRE - Heroku
(Remote, US time zones)" is the title "SRE" at Heroku, open to the United States. What is
moved out goes to the fields it belongs to; the ad's own text is never changed.
"""

from __future__ import annotations

import re
from typing import Any

from builder import fields, pay

JOB_WORDS = re.compile(
    r"\b(?:engineers?|engineering|developers?|SREs?|devops|devsecops|architect|administrator"
    r"|admin|manager|lead|head|director|specialist|analyst|consultant|technician|operator"
    r"|reliability|infrastructure|platform|programmer|scientist|DBA|observability|sysadmin"
    r"|intern|principal|staff|ingénieur|ingeniero|entwickler|ingenieur)\b",
    re.I,
)
TITLE_LABEL = re.compile(
    r"^\s*(?:job\s+title|position|role|title|job|(?:we(?:'|’)re|we are|now)\s+hiring)"
    r"\s*:\s*(.+?)\s*$",
    re.I | re.M,
)
KIND_WORDS = re.compile(r"^(?:part|full)[\s-]?time\b|^contract(?:or)?\b|^freelance\b"
                        r"|^\d+[\s-]?(?:month|hrs?|hours?)\b", re.I)  # fmt: skip
LEADING_KIND = re.compile(r"^((?:part|full)[\s-]?time|contract|freelance)\s+(?=\S)", re.I)
AT_COMPANY = re.compile(r"^(?P<title>.+?)\s+(?:@|at)\s+(?P<company>[A-ZÀ-Þ][^()@|]{1,40})$")
SEEKING = re.compile(
    r"\b(?:looking for|seeking|hiring|searching for)\s+(?:an?|our (?:next|first))\s+"
    r"(?P<title>(?:[A-Z][\w/&+.-]*\s+){0,5}"
    r"(?:Engineer|Developer|SRE|Architect|Administrator|Lead|Manager)\b(?:\s*\([^()\n]{1,60}\))?)"
)
BRACKETED = re.compile(r"\s*[(\[]([^()\[\]]{1,80})[)\]]")
TRAILER = re.compile(r"\s*(?:[-–—|,/:]|\bat\b|@)\s*([^-–—|,/:@]{2,60})$", re.I)
INTRO = re.compile(
    r"\b(?:is|are|we're|we’re|we are|has|have|was|were)\s+(?:a|an|the|looking|hiring)\b", re.I
)


def looks_like_title(line: str) -> bool:
    """A short line that is not a sentence: no closing stop, no “Acme is a …”."""
    text = line.strip()
    sentence = text.endswith((".", ":", ";", "!", "?")) or INTRO.search(text)
    return 3 <= len(text) <= 120 and len(text.split()) <= 16 and not sentence


def title_in_opening(lines: list[str]) -> tuple[int, str, str] | None:
    """(line index, title, where) of the title among an ad's first lines that are not one."""
    # Text pasted from a PDF loses its line breaks: "Engineer (Contract)Join us…".
    lines = [part for line in lines[:12] for part in re.split(r"(?<=\))(?=[A-Z])", line)]
    for number, line in enumerate(lines):
        if label := TITLE_LABEL.match(line):
            return number, label.group(1), "a `Job Title:` line"
    if seeking := SEEKING.search("\n".join(lines)):
        return -1, seeking.group("title"), "the introduction's “looking for a …”"
    for number, line in enumerate(lines):
        short = looks_like_title(line) and len(line.split()) <= 10 and ":" not in line
        if short and JOB_WORDS.search(line):
            return number, line.strip(), "a short line naming a job, below the introduction"
    return None


def company_after_at(title: str) -> str | None:
    """The company in a `Role @ Company` or `Role at Company` title."""
    found = AT_COMPANY.match(title.strip())
    return found.group("company").strip() if found else None


def pipe_line(line: str) -> dict[str, Any] | None:
    """Read a Hacker News header, `Company | Title | Location | $pay | Full-time | url`."""
    parts = [part.strip() for part in line.split("|") if part.strip()]
    if len(parts) < 3:
        return None
    found: dict[str, Any] = {}
    places = []
    for place, part in enumerate(parts):
        if re.match(r"https?://\S+$", part):
            found.setdefault("apply_url", part)
        elif re.search(r"\d", part) and pay.parse_salary(part):
            found.setdefault("salary", part)
        elif fields.parse_employment_type(part) not in (None, "OTHER") and len(part) < 30:
            found.setdefault("employment_type", part)
        elif fields.is_remote_text(part) or fields.regions_in(part, codes=True):
            places.append(part)
        elif place and "title" not in found and JOB_WORDS.search(part):
            found["title"] = part
    if "title" not in found:
        return None
    if JOB_WORDS.search(parts[0]) is None or parts[0] != found["title"]:
        found["company"] = parts[0]
    if places:
        found["location"] = ", ".join(dict.fromkeys(places))
    return found


BYLINE_PARTS = re.compile(r"\s+[·|•]\s+")


def byline(line: str) -> dict[str, str] | None:
    """Read a `Company · Place · Full-time` line below a title: the company and the place."""
    parts = BYLINE_PARTS.split(line.strip())
    company, rest = parts[0], parts[1:]
    places = [part for part in rest if _is_place(part)]
    named = re.match(r"[A-ZÀ-Þ][^\s]*(?:\s+\S+){0,4}$", company) and not JOB_WORDS.search(company)
    in_company = fields.is_remote_text(company) or fields.regions_in(company)  # "AG" is no place
    if not rest or not places or not named or in_company:
        return None
    return {"company": company, "location": ", ".join(places)}


def clean_title(title: str, company: str) -> tuple[str, str, str]:
    """Split a title from its decorations: (the title alone, the place it named, the kind of
    employment it named); "" for what it did not name."""
    text = " ".join(title.split())
    if label := TITLE_LABEL.match(text):
        text = label.group(1)
    place, kind = [], []
    if leading := LEADING_KIND.match(text):
        kind.append(leading.group(1))
        text = text[leading.end() :]
    for group in BRACKETED.finditer(text):
        inside = group.group(1)
        if KIND_WORDS.search(inside.strip()):
            kind.append(inside)
            text = text.replace(group.group(0), "", 1)
        elif _is_place(inside) or _is_company(inside, company):
            text = text.replace(group.group(0), "", 1)
            place += [inside] if _is_place(inside) else []
    while (trailer := TRAILER.search(text)) and trailer.start() > 0:
        rest = trailer.group(1).strip()
        if _is_company(rest, company) or _is_place(rest):
            place += [rest] if _is_place(rest) else []
            text = text[: trailer.start()].rstrip()
        else:
            break
    if (at := AT_COMPANY.match(text)) and _is_company(at.group("company"), company):
        text = at.group("title")
    return text.strip(" -–—|,") or title.strip(), ", ".join(place), ", ".join(kind)


def _is_place(text: str) -> bool:
    if JOB_WORDS.search(text) and not re.search(r"\bremote\b", text, re.I):
        return False
    return bool(fields.is_remote_text(text) or fields.regions_in(text, codes=True)
                or re.search(r"time ?zones?|hybrid|on-?site", text, re.I))  # fmt: skip


def _is_company(text: str, company: str) -> bool:
    return bool(company) and text.strip().casefold() == company.strip().casefold()
