"""Parse the free-text fields of a posting: dates, salary, location and regions, employment type."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any

from dateutil import parser as dateparser
from slugify import slugify

from builder.model import Region, Salary

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
        return None
    if ":" not in text:  # a date without a time
        return parse_date(moment.date(), end_of_day)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# --- salary ------------------------------------------------------------------------------

SYMBOLS = {"$": "USD", "US$": "USD", "CA$": "CAD", "C$": "CAD", "A$": "AUD", "€": "EUR",
           "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF"}  # fmt: skip
CODES = ("USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "INR", "SEK", "NOK", "DKK",
         "PLN", "BRL", "MXN", "SGD", "ZAR", "ILS", "CZK", "HUF", "RON")  # fmt: skip
CURRENCY = re.compile(r"\b(" + "|".join(CODES) + r")\b|(US\$|CA\$|C\$|A\$|[$€£¥₹])", re.IGNORECASE)
# "103,600", "90.000", "100,000.50", "120k": one thousands separator, used consistently.
AMOUNT = re.compile(
    r"(?P<number>\d{1,3}(?P<sep>[,.\u00a0 ])\d{3}(?:(?P=sep)\d{3})*(?:[.,]\d{1,2}(?!\d))?"
    r"|\d+(?:\.\d+)?)\s*(?P<suffix>[kK]|[mM]\b)?"
)
# What may stand between the two ends of a range: currency marks and a dash, "~" or "to".
RANGE_GAP = re.compile(
    r"\s*(?:[A-Z]{3}|US\$|CA\$|[$€£¥₹])?\s*(?:-|–|—|~|to)\s*(?:[A-Z]{3}\s*)?(?:US\$|CA\$|[$€£¥₹])?\s*\Z",
    re.I,
)
PERIODS = (
    ("HOUR", r"hour|hr\b|/h\b|hourly"),
    ("DAY", r"\bday\b|daily"),
    ("WEEK", r"\bweek\b|weekly|/wk"),
    ("MONTH", r"month|/mo\b|monthly"),
    ("YEAR", r"year|annual|annum|/yr|p\.a\.|yearly"),
)


def parse_salary(value: Any) -> Salary | None:
    """Read a pay range from text such as '€90,000 - €115,000 EUR' or '$120k–150k'."""
    if isinstance(value, Salary) or value is None:
        return value
    text = str(value)
    currency = _currency(text)
    amounts = _range(text)
    if not currency or not amounts:
        return None
    if any(a >= 1000 for a in amounts) and any(a < 1000 for a in amounts):
        amounts = [a * 1000 if a < 1000 else a for a in amounts]  # "$120–150k"
    period = _period(text, max(amounts))
    return Salary(currency, min(amounts), max(amounts), period)


def _currency(text: str) -> str | None:
    match = CURRENCY.search(text)
    if not match:
        return None
    code, symbol = match.groups()
    return code.upper() if code else SYMBOLS[symbol.upper()]


def _range(text: str) -> list[float]:
    """Take the first amount, and a second one only when a range dash joins them."""
    matches = [m for m in AMOUNT.finditer(text) if _amount(m) > 0 and _plausible(_amount(m))]
    if not matches:
        return []
    first = matches[0]
    second = next(iter(matches[1:2]), None)
    if second and RANGE_GAP.match(text[first.end() : second.start()]):
        return [_amount(first), _amount(second)]
    return [_amount(first)]


def _amount(match: re.Match[str]) -> float:
    number, separator = match.group("number"), match.group("sep")
    if separator:
        number = number.replace(separator, "")
        number = number.replace(",", ".")  # what is left is a decimal mark
    suffix = (match.group("suffix") or "").lower()
    return float(number) * {"k": 1_000, "m": 1_000_000}.get(suffix, 1)


def _period(text: str, largest: float) -> Any:
    for period, pattern in PERIODS:
        if re.search(pattern, text, re.IGNORECASE):
            return period
    return "HOUR" if largest < 1000 else "YEAR"


def salary_from_jsonld(value: Any) -> Salary | None:
    """Read a schema.org MonetaryAmount with a QuantitativeValue, or a plain number."""
    if not isinstance(value, dict):
        return parse_salary(value)
    currency = str(value.get("currency") or "").upper()
    quantity = value.get("value")
    if not isinstance(quantity, dict):
        quantity = {"value": quantity}
    low = _number(quantity.get("minValue", quantity.get("value")))
    high = _number(quantity.get("maxValue", quantity.get("value")))
    low, high = low or high, high or low  # "up to 150,000" has only a maximum
    unit = str(quantity.get("unitText") or "YEAR").upper()
    if not currency or not low:  # a missing or zero amount is no salary
        return None
    period = unit if unit in {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"} else "YEAR"
    return Salary(currency, low, high if high is not None else low, period)


def _number(value: Any) -> float | None:
    try:
        number = float(str(value).replace(",", ""))
    except (TypeError, ValueError):
        return None
    return number if _plausible(number) else None


def _plausible(amount: float) -> bool:
    """Reject NaN, infinity and amounts no job pays, which would also break the JSON-LD."""
    return math.isfinite(amount) and 0 <= amount < 1e10


# --- employment type -----------------------------------------------------------------------

EMPLOYMENT = (
    ("FULL_TIME", r"full[\s_-]?time|permanent"),
    ("PART_TIME", r"part[\s_-]?time"),
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

Entry = tuple[str, str, str, tuple[str, ...]]
REGIONS: tuple[Entry, ...] = (
    ("Worldwide", "worldwide", "AdministrativeArea",
     ("worldwide", "anywhere", "global", "globally", "any country", "all countries")),
    ("North America", "north-america", "AdministrativeArea", ("north america", "americas")),
    ("Latin America", "latin-america", "AdministrativeArea", ("latin america", "latam")),
    ("Europe", "europe", "AdministrativeArea", ("europe", "european", "EU", "EEA", "EMEA")),
    ("Africa", "africa", "AdministrativeArea", ("africa",)),
    ("Asia-Pacific", "asia-pacific", "AdministrativeArea",
     ("apac", "asia", "asia-pacific", "oceania")),
    ("United States", "united-states", "Country", ("united states", "usa", "US", "U.S.", "U.S.A.")),
    ("Canada", "canada", "Country", ("canada",)),
    ("United Kingdom", "united-kingdom", "Country",
     ("united kingdom", "UK", "U.K.", "britain", "england")),
    ("Ireland", "ireland", "Country", ("ireland",)),
    ("Germany", "germany", "Country", ("germany", "deutschland")),
    ("France", "france", "Country", ("france",)),
    ("Netherlands", "netherlands", "Country", ("netherlands", "holland")),
    ("Spain", "spain", "Country", ("spain",)),
    ("Portugal", "portugal", "Country", ("portugal",)),
    ("Poland", "poland", "Country", ("poland",)),
    ("India", "india", "Country", ("india",)),
    ("Australia", "australia", "Country", ("australia",)),
    ("New Zealand", "new-zealand", "Country", ("new zealand",)),
    ("Brazil", "brazil", "Country", ("brazil", "brasil")),
    ("Mexico", "mexico", "Country", ("mexico",)),
    ("Japan", "japan", "Country", ("japan",)),
    ("Singapore", "singapore", "Country", ("singapore",)),
    ("Israel", "israel", "Country", ("israel",)),
)  # fmt: skip
# UTC offset spans, so 'UTC-5 to UTC+3' means North America, Latin America, Europe and Africa.
TIMEZONE_SPANS = (("north-america", -10, -3.5), ("latin-america", -6, -3), ("europe", -1, 3),
                  ("africa", -1, 4), ("asia-pacific", 5, 13))  # fmt: skip
UTC_RANGE = re.compile(
    r"(?:UTC|GMT)\s*([+-−]\s*\d{1,2}(?::?\d\d)?)?\s*(?:to|-|–|—|and)\s*(?:UTC|GMT)\s*([+-−]\s*\d{1,2}(?::?\d\d)?)?",
    re.IGNORECASE,
)
# Which wider regions each one lies in, so a job open to Europe is listed for Germany too.
WITHIN = {
    "united-states": ("north-america",), "canada": ("north-america",),
    "mexico": ("north-america", "latin-america"), "brazil": ("latin-america",),
    **dict.fromkeys(("united-kingdom", "ireland", "germany", "france", "netherlands", "spain",
                     "portugal", "poland"), ("europe",)),
    **dict.fromkeys(("india", "australia", "new-zealand", "japan", "singapore"),
                    ("asia-pacific",)),
}  # fmt: skip
# What an ad says when it takes applicants from anywhere, though it names no region.
ANYWHERE = re.compile(
    r"\b(?:from anywhere in the world|anywhere in the world|work(?:ing)? from anywhere"
    r"|wherever you want|from any country)\b(?!\s+(?:in|within|inside|across)\b)",
    re.IGNORECASE,
)
REMOTE = re.compile(r"\b(remote|anywhere|worldwide|telecommut\w*|work from home|wfh)\b", re.I)
_BY_SLUG = {
    slug: Region(name, slug, kind, WITHIN.get(slug, ()))  # type: ignore[arg-type]
    for name, slug, kind, _ in REGIONS
}


def _alias_pattern(aliases: list[str], flags: int) -> re.Pattern[str]:
    alternation = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternation})(?!\w)", flags)


# Upper-case aliases ("US", "UK", "EU") match only in capitals: "join us" is not the United States.
_SLUG_BY_ALIAS = {alias: slug for _, slug, _, aliases in REGIONS for alias in aliases}
_EXACT = _alias_pattern([a for a in _SLUG_BY_ALIAS if a.isupper()], 0)
_LOOSE = _alias_pattern([a for a in _SLUG_BY_ALIAS if not a.isupper()], re.IGNORECASE)


def regions_in(text: str) -> tuple[Region, ...]:
    """Find the applicant regions named in a location text, in table order."""
    slugs = {_SLUG_BY_ALIAS[m.group(0)] for m in _EXACT.finditer(text)}
    slugs |= {_SLUG_BY_ALIAS[m.group(0).lower()] for m in _LOOSE.finditer(text)}
    slugs |= _timezone_regions(text)
    return tuple(_BY_SLUG[slug] for _, slug, _, _ in REGIONS if slug in slugs)


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


def region_named(name: str) -> Region:
    """Map a curator's region name to a known region, or make one for it."""
    found = regions_in(name)
    if len(found) == 1:
        return found[0]
    slug = portable(slugify(name, max_length=SLUG_LENGTH) or "region")  # a file name fits
    return Region(name.strip(), slug, "AdministrativeArea")


def portable(slug: str) -> str:
    """Keep a slug off the device names Windows will not create as folders ("con", "nul")."""
    return f"{slug}-1" if WINDOWS_DEVICES.fullmatch(slug) else slug


WINDOWS_DEVICES = re.compile(r"con|prn|aux|nul|com\d|lpt\d", re.IGNORECASE)


def worldwide_in(text: str) -> tuple[Region, ...]:
    """Find Worldwide when an ad's text says applicants may live anywhere."""
    return (_BY_SLUG["worldwide"],) if ANYWHERE.search(text) else ()


def is_remote_text(text: str) -> bool:
    """Tell whether a location text says the job is remote."""
    return bool(REMOTE.search(text))
