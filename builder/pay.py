"""Read pay: a salary field, a schema.org MonetaryAmount, or the pay a sentence states.

Currency codes and symbols come from CLDR through Babel ("CA$", "₹", "R$", "CHF"), so the
board knows every ISO 4217 currency; amounts may use any of the usual thousands separators
("1.234,56", "120'000", "100 000"), a "k", or India's lakhs.
"""

from __future__ import annotations

import itertools
import math
import re
from functools import cache
from typing import Any

from babel import Locale
from babel.numbers import list_currencies

from builder.model import Period, Salary

UNITS: dict[str, Period] = {p: p for p in ("HOUR", "DAY", "WEEK", "MONTH", "YEAR")}

# Written by ads, though CLDR's English spells them otherwise ("CA$", "A$").
EXTRA_SYMBOLS = {"US$": "USD", "C$": "CAD", "AU$": "AUD", "zł": "PLN", "Rs.": "INR", "Rs": "INR"}
NUMBER = (r"\d{1,3}(?P<sep>[,.\u00a0 '’])\d{3}(?:(?P=sep)\d{3})*(?:[.,]\d{1,2}(?!\d))?"
          r"|\d+(?:\.\d+)?")  # fmt: skip
AMOUNT = re.compile(rf"(?P<number>{NUMBER})\s*(?P<suffix>[kK]\b|[mM]\b|lakhs?\b|lacs?\b)?")
DASH = r"(?:-|–|—|~|to|à|bis|a)"
PERIODS = (
    ("HOUR", r"hour|hr\b|/h\b|hourly|stunde|heure"),
    ("DAY", r"\bday\b|daily|/d\b|\btag\b|\bjour\b"),
    ("WEEK", r"\bweek\b|weekly|/wk|woche|semaine"),
    ("MONTH", r"month|/mo\b|monthly|monat|mois|\bmes\b|mensual"),
    ("YEAR", r"year|annual|annum|/yr|p\.a\.|yearly|\bLPA\b|jahr|\ban\b|année|\baño\b|anual"),
)
MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "lakh": 100_000, "lakhs": 100_000, "lac": 100_000,
               "lacs": 100_000}  # fmt: skip


@cache
def symbols() -> dict[str, str]:
    """Map each currency symbol ads write to its ISO 4217 code."""
    found = {s: code for code, s in Locale("en").currency_symbols.items() if s and s != code}
    return {**found, **EXTRA_SYMBOLS}


@cache
def _currency_pattern() -> str:
    marks = sorted(symbols(), key=len, reverse=True)
    codes = "|".join(sorted(list_currencies()))
    return rf"(?P<code>\b(?:{codes})\b)|(?P<symbol>{'|'.join(map(re.escape, marks))})"


@cache
def _money() -> re.Pattern[str]:
    """An amount or a range with a currency before or after it (or both)."""
    currency = _currency_pattern()
    one = rf"(?:{NUMBER})\s*(?:[kKmM]\b|lakhs?\b|lacs?\b)?"
    side = currency.replace("?P<code>", "?:").replace("?P<symbol>", "?:")
    amounts = rf"(?:{side})?\s?{one}(?:\s*{DASH}\s*(?:{side})?\s?{one})?".replace("?P<sep>", "?:")
    amounts = amounts.replace("(?P=sep)", "[,.\u00a0 '’]")
    return re.compile(rf"(?:(?:{side})\s?{amounts}|{amounts}\s?(?:{side}))", re.I)


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
    """The first currency: a code in capitals, or beside a number in any case ("eur 60k")."""
    pattern = _currency_pattern()
    for match in re.finditer(pattern, text, re.I):
        code, symbol = match.group("code"), match.group("symbol")
        if symbol:
            return symbols().get(symbol) or symbols().get(symbol.upper())
        near_number = re.search(r"\d", text[max(0, match.start() - 2) : match.end() + 2])
        if code.isupper() or near_number:
            return code.upper()
    return None


def _range(text: str) -> list[float]:
    """Take the first amount, and a second one only when a range dash joins them."""
    matches = [m for m in AMOUNT.finditer(text) if _amount(m) > 0 and _plausible(_amount(m))]
    if not matches:
        return []
    first = matches[0]
    second = next(iter(matches[1:2]), None)
    gap = text[first.end() : second.start()] if second else ""
    if second and re.fullmatch(rf"\s*(?:[^\d\s]{{1,4}})?\s*{DASH}\s*(?:[^\d\s]{{1,4}})?\s*", gap):
        low, high = _amount(first), _amount(second)
        suffix = (second.group("suffix") or "").lower()
        if not first.group("suffix") and suffix and low < 1000:  # "20 to 45 lakhs"
            low *= MULTIPLIERS[suffix]
        return [low, high]
    return [_amount(first)]


def _amount(match: re.Match[str]) -> float:
    number, separator = match.group("number"), match.group("sep")
    if separator:
        number = number.replace(separator, "")
        number = number.replace(",", ".")  # what is left is a decimal mark
    suffix = (match.group("suffix") or "").lower()
    return float(number) * MULTIPLIERS.get(suffix, 1)


def _period(text: str, largest: float) -> Any:
    for period, pattern in PERIODS:
        if re.search(pattern, text, re.IGNORECASE):
            return period
    return "HOUR" if largest < 1000 else "YEAR"


# Money an ad mentions that is not what the job pays.
NOT_PAY = re.compile(
    r"^\s*(?:/\w+|(?:a|per) (?:year|month))?\s*(?:for |of |as |in )?"
    r"(?:[mMbB]\b|million|billion|bn\b|in (?:funding|revenue|sales)|series|seed|ARR|revenue"
    r"|valuation|raised|funding|budget|of (?:cloud|aws|infra)|a month in|per month in|/month in"
    r"|home.office|stipend|allowance|bonus|learning|training|conference|equipment|hardware"
    r"|relocation|sign-?on|signing|referral|credits?|coworking|wellness|per diem)",
    re.I,
)
PAY_CUE = re.compile(
    r"p\.a\.|\b(?:salary|salaries|compensation|pay|paid|base|OTE|range|per annum|annum|rate"
    r"|per (?:year|month|hour|day|week)|a (?:year|month|hour|day|week)|an hour|annual\w*|yearly"
    r"|monthly|hourly|brutto|gross|lakhs?|LPA|CTC|sueldo|salaire|gehalt|vergütung|remuneration"
    r"|package|earn|offer)\b|/(?:yr|year|mo|month|hr|hour|h|day)\b",
    re.I,
)


def salary_in_text(text: str) -> tuple[Salary, str] | None:
    """The pay a sentence of the ad states ("Salary: £30,000 - £60,000", "$85/hr"), never a
    figure that is funding, revenue or a count."""
    for line in _pay_windows(text):
        for match in _money().finditer(line):
            after = line[match.end() : match.end() + 40]
            if NOT_PAY.match(after) or re.match(r"\s*\+?\s*(?:customers|users|engineers)", after):
                continue
            context = line[max(0, match.start() - 60) : match.end() + 40]
            alone = len(line.strip()) - len(match.group(0).strip()) <= 12  # "AUD 170k + super"
            if not (PAY_CUE.search(context) or alone):
                continue
            if salary := parse_salary(match.group(0) + " " + after[:25]):
                return salary, "a sentence of the description that states the pay"
    return None


ALONE = 60  # characters: a line this short holding money may be pay on its own ("AUD 170k")
WINDOW = 120  # characters each side of a word that says pay, where its amount is looked for


def _pay_windows(text: str) -> list[str]:
    """The short lines, and the stretches around the words that say pay: money is looked
    for only there, so a long ad costs what its mentions of pay do, not its length."""
    windows = []
    for line in text.splitlines():
        if len(line) <= ALONE:
            windows.append(line)
            continue
        for cue in itertools.islice(PAY_CUE.finditer(line), 20):
            windows.append(line[max(0, cue.start() - WINDOW) : cue.end() + WINDOW])
    return windows


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
    period = UNITS.get(unit, "YEAR")
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
