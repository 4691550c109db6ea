"""Parse the free-text fields of a posting: dates, salary, location and regions, employment type."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from dateutil import parser as dateparser

from builder import places
from builder.model import WORLDWIDE, Region

SLUG_LENGTH = 80  # characters; keeps every page folder name well under 255 bytes
DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")

# --- dates -------------------------------------------------------------------------------


def parse_date(value: Any, end_of_day: bool = False) -> datetime | None:
    """Read a date or time from YAML, JSON-LD or text; a time without a zone is UTC.

    A bare date is the start of that day, or its last second with `end_of_day` (for expiry).
    """
    if isinstance(value, str) and DATE_ONLY.fullmatch(value.strip()):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
        moment = moment.replace(hour=23, minute=59, second=59) if end_of_day else moment
    elif isinstance(value, str) and value.strip():
        try:
            moment = dateparser.isoparse(value.strip())
        except ValueError:
            return _parse_loose_date(value.strip(), end_of_day)
    else:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _parse_loose_date(text: str, end_of_day: bool) -> datetime | None:
    # Without a year, dateutil fills in today's: "Monday" would change with every build.
    if not re.search(r"\b\d{4}\b", text):
        return None
    try:
        moment = dateparser.parse(text)
    except (ValueError, OverflowError):
        english = _in_english(text)
        if english == text:
            return None
        return _parse_loose_date(english, end_of_day)
    if ":" not in text:  # a date without a time
        return parse_date(moment.date(), end_of_day)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


MONTH_LOCALES = ("fr", "de", "es", "pt", "it", "nl")  # the languages of the board's ads
JOINING_WORDS = re.compile(r"\b(?:de|del|le|el|der|den|am|il)\b\.?", re.I)


def _in_english(text: str) -> str:
    """Write another language's month names in English ("6 février 2024" → "6 February
    2024"), from CLDR's names through Babel, for dateutil to read."""
    names = _month_names()
    words = re.split(r"(\w+\.?)", text)
    english = [names.get(word.lower().rstrip("."), word) for word in words]
    return JOINING_WORDS.sub(" ", "".join(english))


@cache
def _month_names() -> dict[str, str]:
    from babel import Locale

    months: dict[str, str] = {}
    for code in MONTH_LOCALES:
        for width in ("wide", "abbreviated"):
            for number, name in Locale(code).months["format"][width].items():
                months.setdefault(name.lower().rstrip("."), date(2000, number, 1).strftime("%B"))
    return months


# --- employment type -----------------------------------------------------------------------

EMPLOYMENT = (
    (
        "FULL_TIME",
        r"full[\s_-]?time|permanent|vollzeit|\bCDI\b|tiempo completo|jornada completa"
        r"|temps plein",
    ),
    ("PART_TIME", r"part[\s_-]?time|teilzeit|temps partiel|medio tiempo"),
    ("CONTRACTOR", r"contract(or)?\b|freelance"),
    ("TEMPORARY", r"temporary|\btemp\b"),
    ("INTERN", r"intern(ship)?\b"),
    ("VOLUNTEER", r"volunteer"),
    ("PER_DIEM", r"per[\s_-]?diem"),
)


def parse_employment_type(value: Any) -> str | None:
    """Map 'Full-time', 'FULL_TIME', 'contract'… to a schema.org employmentType."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not value:
        return None
    for kind, pattern in EMPLOYMENT:
        if re.search(pattern, str(value), re.IGNORECASE):
            return kind
    return "OTHER"


def employment_type_in_text(text: str) -> str | None:
    """Find an explicit 'full-time' or 'part-time' in a description; nothing weaker."""
    match = re.search(r"\b(full|part)[\s-]time\b", text, re.IGNORECASE)
    return parse_employment_type(match.group(0)) if match else None


# --- location and regions ------------------------------------------------------------------

# UTC offset spans, so 'UTC-5 to UTC+3' means North America, Latin America, Europe and Africa.
TIMEZONE_SPANS = (("north-america", -10, -3.5), ("latin-america", -6, -3), ("europe", -1, 3),
                  ("africa", -1, 4), ("asia-pacific", 5, 13))  # fmt: skip
UTC_RANGE = re.compile(
    r"(?:UTC|GMT)\s*([+-−]\s*\d{1,2}(?::?\d\d)?)?\s*(?:to|-|–|—|and)\s*(?:UTC|GMT)\s*([+-−]\s*\d{1,2}(?::?\d\d)?)?",
    re.IGNORECASE,
)
# What an ad says when it takes applicants from anywhere, though it names no region.
ANYWHERE = re.compile(
    r"\b(?:from anywhere in the world|anywhere in the world|work(?:ing)? from anywhere"
    r"|wherever you want|from any country)\b(?!\s+(?:in|within|inside|across)\b)",
    re.IGNORECASE,
)
REMOTE = re.compile(r"\b(remote|anywhere|worldwide|telecommut\w*|work from home|wfh)\b", re.I)


def regions_in(text: str, codes: bool = False) -> tuple[Region, ...]:
    """Find the applicant regions a location text names, by name or by UTC offsets; with
    `codes`, by ISO code too (see places.regions_in)."""
    named = places.regions_in(text, codes)
    by_offset = _timezone_regions(text)
    taken = {region.slug for region in named}
    spans = [slug for slug, _, _ in TIMEZONE_SPANS if slug in by_offset and slug not in taken]
    return named + tuple(places.areas()[slug] for slug in spans)


def _timezone_regions(text: str) -> set[str]:
    match = UTC_RANGE.search(text)
    if not match:
        return set()
    low, high = sorted(_offset(group) for group in match.groups())
    return {slug for slug, start, end in TIMEZONE_SPANS if start <= high and low <= end}


def _offset(value: str | None) -> float:
    if not value:
        return 0.0
    sign = -1 if value.strip()[0] in "-−" else 1
    digits = re.sub(r"\D", "", value)
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return sign * (hours + minutes / 60)


def portable(slug: str) -> str:
    """Keep a slug off the device names Windows will not create as folders ("con", "nul")."""
    return f"{slug}-1" if WINDOWS_DEVICES.fullmatch(slug) else slug


WINDOWS_DEVICES = re.compile(r"con|prn|aux|nul|com\d|lpt\d", re.IGNORECASE)


def worldwide_in(text: str) -> tuple[Region, ...]:
    """Find Worldwide when an ad's text says applicants may live anywhere."""
    return (places.areas()[WORLDWIDE],) if ANYWHERE.search(text) else ()


def is_remote_text(text: str) -> bool:
    """Tell whether a location text says the job is remote."""
    return bool(REMOTE.search(text))
