"""The working-hours window an ad states, as UTC offsets in whole hours: `UTC-3 to UTC+3`.

The board never guesses: a window is read only where the ad states one, in these forms
(README, "Time zones"), the first one the text gives winning:

| form | example | window |
|---|---|---|
| a range of two zones | `UTC-3 to UTC+3`, `between UTC-8 and UTC-3`, `GMT-1 – GMT+3` | -3..+3 |
| a range of two named zones, after "between" | `split between ET and PT` | -8..-5 |
| a zone give or take some hours | `GMT+1 ± 2 hours`, `overlap with US Eastern ±3 hours` | -1..+3 |
| some hours of a zone | `within 3 hours of CET` | -2..+4 |
| a zone named as the hours to work | `CET hours`, `US time zones`, `time zone: CET` | ZONES |
| a zone named as where to work | `work in CET`, `during CET` (one offset only) | ZONES |

A zone named without saying it is the hours to keep ("our office in Berlin (CET)",
"timestamps in UTC", "4 hours of overlap with US Eastern time", "10:00-15:00 US Central")
states no window. Offsets are standard time: daylight saving is ignored, so CEST is read as
CET (UTC+1) and EDT as US Eastern (UTC-5). Abbreviations count in capitals only ("et",
"west", "us" are words).
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Zone(NamedTuple):
    """A zone name the board reads, its window, and the IANA zone(s) whose standard
    (January) offset it is, which tests check against zoneinfo."""

    pattern: str
    start: int
    end: int
    iana: tuple[str, ...]


# Longest names first: "Central European" before "Central". Standard offsets only.
ZONES = (
    Zone(r"(?-i:U\.?S\.?)|North\s+American?", -8, -5,
         ("America/Los_Angeles", "America/New_York")),
    Zone(r"APAC|Asia[\s-]Pacific", 5, 10, ("Asia/Karachi", "Australia/Brisbane")),
    Zone(r"European|Europe|(?-i:EU)", 0, 2, ("Europe/Lisbon", "Europe/Athens")),
    Zone(r"Central\s+European(?:\s+Time)?|(?-i:CEST|CET)", 1, 1, ("Europe/Paris",)),
    Zone(r"Eastern\s+European(?:\s+Time)?|(?-i:EEST|EET)", 2, 2, ("Europe/Athens",)),
    Zone(r"Western\s+European(?:\s+Time)?|(?-i:WEST|WET)", 0, 0, ("Europe/Lisbon",)),
    Zone(r"Moscow|(?-i:MSK)", 3, 3, ("Europe/Moscow",)),
    Zone(r"(?:US\s+)?Eastern(?:\s+Time)?|(?-i:EST|EDT|ET)", -5, -5, ("America/New_York",)),
    Zone(r"(?:US\s+)?Central(?:\s+Time)?|(?-i:CST|CDT|CT)", -6, -6, ("America/Chicago",)),
    Zone(r"(?:US\s+)?Mountain(?:\s+Time)?|(?-i:MST|MDT|MT)", -7, -7, ("America/Denver",)),
    Zone(r"(?:US\s+)?Pacific(?:\s+Time)?|(?-i:PST|PDT|PT)", -8, -8, ("America/Los_Angeles",)),
    Zone(r"(?-i:JST)", 9, 9, ("Asia/Tokyo",)),
    Zone(r"(?-i:SGT)", 8, 8, ("Asia/Singapore",)),
    Zone(r"(?-i:AEST)", 10, 10, ("Australia/Brisbane",)),
    Zone(r"UTC|GMT|Coordinated\s+Universal\s+Time", 0, 0, ("Etc/UTC",)),
)  # fmt: skip
WIDEST = (-12, 14)  # the offsets zones have

_SIGN = r"[+\-−–]"  # a minus may come as a Unicode minus or an en dash
_SIGNED = rf"(?:UTC|GMT)\s?{_SIGN}\s?\d{{1,2}}(?::?[0-5]\d)?"
_NAMED = "|".join(f"(?:{zone.pattern})" for zone in ZONES)
# A zone: an offset from UTC, or a name ("Asia-Pacific" never reads as "Pacific").
_ZONE = rf"(?<![\w\-])(?:{_SIGNED}|(?<!Asia\s)(?<!Asia-)(?:{_NAMED}))(?![\w+])"
_TO = r"\s*(?:to|and|through|until|till|-|–|—)\s*"
_RANGE = re.compile(rf"(?P<a>{_ZONE}){_TO}(?P<b>{_ZONE}|{_SIGN}\s?\d{{1,2}}(?![\w:]))", re.I)
_BETWEEN = re.compile(rf"\bbetween\s+(?:the\s+)?(?P<a>{_ZONE}){_TO}(?P<b>{_ZONE})", re.I)
_HOURS = r"(?P<n>\d{1,2})\s*(?:h\b|hrs?\b|hours?\b)?"
_PLUS_MINUS = re.compile(
    rf"(?P<a>{_ZONE})\s*(?:±|\+\s?/\s?[-−]|\+-|plus\s+or\s+minus)\s*{_HOURS}", re.I
)
_WITHIN = re.compile(
    rf"\bwithin\s+(?P<n>\d{{1,2}})\s*(?:h|hrs?|hours?)\s+of\s+(?:the\s+)?(?P<a>{_ZONE})", re.I
)
# A zone named as the hours to work: "CET hours", "US time zones", "time zone: CET",
# "work in a European time zone", "during CET".
_AFTER = r"\s*(?:time[\s-]?zones?|timezones?|(?:business|working|work|office)?\s*hours)\b"
_NAMED_HOURS = re.compile(rf"(?P<a>{_ZONE}){_AFTER}", re.I)
_LABELLED = re.compile(
    rf"(?:\btime[\s-]?zones?|\btimezones?|\bhours)\s*:\s*(?P<a>{_ZONE})"
    rf"|\b(?:(?:work|working|available)\s+(?:in|within|during)|during)\s+"
    rf"(?:the\s+)?(?P<b>{_ZONE})(?!\s*(?:time|timestamps?|and|to)\b)",
    re.I,
)
_OVERLAP = re.compile(r"overlap\w*\s+(?:with|on)\s+(?:the\s+)?$", re.I)
ZONE_PATTERNS = (_RANGE, _BETWEEN, _PLUS_MINUS, _WITHIN, _NAMED_HOURS, _LABELLED)


def offset_of(name: str) -> tuple[int, int] | None:
    """The window one zone name or offset stands for: `UTC+3` is (3, 3), `US` (-8, -5);
    None for an offset that is not whole hours or no zone has."""
    signed = re.fullmatch(rf"(?:UTC|GMT)?\s?({_SIGN})\s?(\d{{1,2}})(?::?([0-5]\d))?", name, re.I)
    if signed:
        if signed[3] and signed[3] != "00":
            return None  # half-hour offsets are not whole hours
        hours = int(signed[2]) * (1 if signed[1] == "+" else -1)
        return (hours, hours) if WIDEST[0] <= hours <= WIDEST[1] else None
    for zone in ZONES:
        if re.fullmatch(zone.pattern, " ".join(name.split()), re.I):
            return zone.start, zone.end
    return None


# Every zone a pattern reads starts a word with one of these (any case), or is a capitals
# abbreviation: US, U.S., EU, MSK, or one with a capital before a T (CET, PT, AEST, ...).
_ZONE_WORD = re.compile(
    "utc|gmt|north|apac|asia|europ|central|eastern|western|moscow|mountain|pacific|coordinated"
)
_CAPITALS = ("US", "U.S", "EU", "MSK")


def may_state_a_window(text: str) -> bool:
    """Tell, cheaply, whether the text could name a zone; False means window_in finds none.
    Most ads name none, and the patterns cost a millisecond an ad, this a tenth of one."""
    if any(abbreviation in text for abbreviation in _CAPITALS):
        return True
    at = text.find("T", 1)
    while at != -1:
        if "A" <= text[at - 1] <= "Z":
            return True
        at = text.find("T", at + 1)
    lowered = text.lower()
    return any(_starts_a_word(lowered, word.start()) for word in _ZONE_WORD.finditer(lowered))


def _starts_a_word(text: str, at: int) -> bool:
    before = text[at - 1] if at else " "
    return not (before.isalnum() or before in "_-")


def window_in(text: str) -> tuple[tuple[int, int], str] | None:
    """The first window the text states, with the words that state it; None when none."""
    return _first_window(text) if may_state_a_window(text) else None


def _first_window(text: str) -> tuple[tuple[int, int], str] | None:
    found: list[tuple[int, int, tuple[int, int], str]] = []
    for rank, pattern in enumerate(ZONE_PATTERNS):
        for match in pattern.finditer(text):
            window = _window(match)
            if window:  # placed by its zone, so "work in CET" and "CET hours" tie
                zone = "a" if match.groupdict().get("a") else "b"
                found.append((match.start(zone), rank, window, " ".join(match[0].split())))
                break
    if not found:
        return None
    _, _, window, words = min(found, key=lambda item: item[:2])
    return window, words


def parse_window(value: str) -> tuple[int, int] | None:
    """Read a curator's `timezones:` value, which must be one of the forms as a whole."""
    value = " ".join(value.split())
    for pattern in ZONE_PATTERNS:
        match = pattern.fullmatch(value)
        if match:
            return _window(match)
    return offset_of(value) if value else None


def _window(match: re.Match[str]) -> tuple[int, int] | None:
    groups = match.groupdict()
    names = [groups[key] for key in ("a", "b") if groups.get(key)]
    zones = [offset_of(name.strip()) for name in names]
    if not zones or None in zones:
        return None
    ends = [end for zone in zones if zone for end in zone]
    low, high = min(ends), max(ends)
    if groups.get("n"):
        spread = int(groups["n"])
        if spread > 12:
            return None
        low, high = max(WIDEST[0], low - spread), min(WIDEST[1], high + spread)
    elif match.re is _RANGE and not any(char.isdigit() for char in names[0] + names[1]):
        return None  # "offices in CET and EST": two named zones make a range after "between"
    elif match.re is _LABELLED and groups.get("b") and (low != high or len(names[0]) < 3):
        return None  # "work in the US", "work in CT": a place, not the hours
    before = match.string[max(0, match.start() - 40) : match.start()]
    if match.re in (_NAMED_HOURS, _LABELLED) and _OVERLAP.search(before):
        return None  # "overlap with US Eastern hours" says how much, not which hours
    return low, high


def label(offset: int) -> str:
    """Name an offset as pages show it: 'UTC+3', 'UTC-5', 'UTC+0'."""
    return f"UTC{offset:+d}"


def slug(offset: int) -> str:
    """The folder of an offset's page: 'utc+3', 'utc-5', 'utc+0'."""
    return f"utc{offset:+d}"


def window_label(window: tuple[int, int]) -> str:
    """Say a window as people read it: 'UTC-3 to UTC+3', or 'UTC+1' for one offset."""
    low, high = window
    return label(low) if low == high else f"{label(low)} to {label(high)}"
