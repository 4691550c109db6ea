"""Fill the fields an ad's layout left empty from what its prose says (builder/clues.py).

Runs after the format's rule and the curator's front matter, so it never overrides either; each
value it adds says where in the ad it was read, for `check --explain`.
"""

from __future__ import annotations

from typing import Any

from builder import clues, fields, pay, titles
from builder.formats import Found, Sources

PROSE = "the description"


def read_prose(found: Found, sources: Sources, text: str, links: list[str]) -> None:
    """Add to `found` what the description says and the layout did not give."""
    lines = text.splitlines()
    if "title" not in found:
        _title(found, sources, lines)
    if "company" not in found and (named := titles.company_after_at(str(found.get("title", "")))):
        found["company"], sources["company"] = named, "the title's `Role @ Company`"
    if "company" not in found:
        urls = [str(found.get("apply_url") or ""), *links, *clues.URL.findall(text)]
        _take(found, sources, "company", clues.company_in(text, urls))
    if "title" in found:
        _tidy_title(found, sources)
    if "date" not in found:
        _take(found, sources, "date", clues.date_in(text))
    if "valid_through" not in found:
        _take(found, sources, "valid_through", clues.expiry_in(text))
    if "salary" not in found:
        _take(found, sources, "salary", pay.salary_in_text(text))
    if "apply_url" not in found:
        _take(found, sources, "apply_url", clues.apply_url_in(text, links))
    if "employment_type" not in found:
        title = str(found.get("title") or "")
        _take(found, sources, "employment_type", clues.employment_type_in(title, text))
    if "regions" not in found:
        _regions(found, sources, text)


def _take(found: Found, sources: Sources, key: str, clue: tuple[Any, str] | None) -> None:
    if clue is not None:
        found[key], sources[key] = clue[0], f"{PROSE}: {clue[1]}"


def _title(found: Found, sources: Sources, lines: list[str]) -> None:
    """A `Company | Title | …` header, a `Job Title:` line, or a short line naming a job."""
    if lines and (header := titles.pipe_line(lines[0])):
        for key, value in header.items():
            if key not in found:
                found[key], sources[key] = value, f"{PROSE}: its `Company | Title | …` header"
        return
    if opening := titles.title_in_opening(lines):
        found["title"], sources["title"] = opening[1], f"{PROSE}: {opening[2]}"


def _tidy_title(found: Found, sources: Sources) -> None:
    """Keep the title alone; a place it named becomes the location if there is none."""
    title, place, kind = titles.clean_title(str(found["title"]), str(found.get("company") or ""))
    if title != found["title"]:
        found["title"] = title
        sources["title"] = sources.get("title", "") + " (company, place and terms moved out)"
    location = str(found.get("location") or "")
    if place and not fields.regions_in(location, codes=True):  # "Remote" names no region
        found["location"], sources["location"] = place, "the title's place"
    if kind and "employment_type" not in found:
        found["employment_type"], sources["employment_type"] = kind, "the title's terms"


def _regions(found: Found, sources: Sources, text: str) -> None:
    """The countries the ad's sentences allow win over a city badge; a remote location that
    names none takes them too; an ad that says "from anywhere" is open worldwide."""
    location = str(found.get("location") or "")
    badge = fields.regions_in(location, codes=True)
    city_badge = bool(badge) and not fields.is_remote_text(location)
    if badge and not city_badge:
        return
    if said := clues.regions_in_prose(text):
        found["regions"], sources["regions"] = said[0], f"{PROSE}: {said[1]}"
    elif not badge and (anywhere := fields.worldwide_in(text)):
        found["regions"] = anywhere
        sources["regions"] = f"{PROSE}: it says the job can be done from anywhere"
