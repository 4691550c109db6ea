"""Places applicants may live in: ISO 3166 countries (pycountry), and the areas ads name.

Countries, their codes and names come from pycountry. Which continent-sized area a country lies
in comes from its time zones (CLDR's, through Babel: "Europe/Berlin" is in Europe). On top of
that, one small table: the areas (Europe, Asia-Pacific…), the groupings ads use for several of
them (EMEA is Europe, the Middle East and Africa), and the few countries time zones misplace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import pycountry
from babel.core import get_global
from slugify import slugify

from builder.model import WORLDWIDE, Region

# slug: (name, aliases). An alias in capitals matches only in capitals ("EU", not "eu").
AREAS = {
    WORLDWIDE: ("Worldwide", ("worldwide", "anywhere", "global", "globally", "any country",
                              "all countries", "world-wide")),
    "north-america": ("North America", ("north america", "north american", "northern america")),
    "latin-america": ("Latin America", ("latin america", "latam", "central america",
                                        "south america", "central and south america")),
    "europe": ("Europe", ("europe", "european", "EEA", "CET", "CEST")),
    "european-union": ("European Union", ("european union", "EU", "the eu", "EU-based")),
    "middle-east": ("Middle East", ("middle east",)),
    "africa": ("Africa", ("africa", "african")),
    "asia-pacific": ("Asia-Pacific", ("apac", "asia", "asia-pacific", "asia pacific", "oceania")),
}  # fmt: skip
# Groupings ads use, each the areas or countries (ISO codes) it stands for.
GROUPS = {
    "emea": ("europe", "middle-east", "africa"),
    "mena": ("middle-east", "africa"),
    "americas": ("north-america", "latin-america"),
    "the americas": ("north-america", "latin-america"),
    "north, central or south america": ("north-america", "latin-america"),
    "north, central and south america": ("north-america", "latin-america"),
    "north or south america": ("north-america", "latin-america"),
    "dach": ("DE", "AT", "CH"),
    "nordics": ("DK", "FI", "IS", "NO", "SE"),
    "nordic countries": ("DK", "FI", "IS", "NO", "SE"),
    "scandinavia": ("DK", "NO", "SE"),
    "benelux": ("BE", "NL", "LU"),
}
# Where time zones alone misplace a country, or a country lies in two areas.
NORTH_AMERICA = {"US", "CA", "MX", "GL", "BM", "PM"}
MIDDLE_EAST = {"AE", "BH", "CY", "EG", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA",
               "SA", "SY", "TR", "YE"}  # fmt: skip
IN_EUROPE = {"CY", "IS", "FO", "TR", "GE", "AM", "AZ"}
EU_MEMBERS = {
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
}
# Other names ads give countries, besides ISO 3166's own.
COUNTRY_ALIASES = {
    "US": ("usa", "u.s.", "u.s.a.", "united states of america", "the states", "US-based"),
    "GB": ("uk", "u.k.", "britain", "great britain", "england", "scotland", "wales"),
    "NL": ("holland", "the netherlands"),
    "DE": ("deutschland",),
    "BR": ("brasil",),
    "ES": ("españa",),
    "MX": ("méxico",),
    "CZ": ("czech republic",),
    "TR": ("turkey",),
}
# Country names that are more often something else in an ad: a US state, a person, a shirt.
AMBIGUOUS = {"georgia", "jersey", "chad", "jordan"}
UNAMBIGUOUS_CODES = {"US", "UK", "USA", "EU", "EEA", "EMEA", "APAC", "LATAM", "DACH", "MENA",
                     "CET", "CEST"}  # fmt: skip


@cache
def areas() -> dict[str, Region]:
    return {slug: Region(name, slug) for slug, (name, _) in AREAS.items()}


@cache
def countries() -> dict[str, Region]:
    """Every ISO 3166 country as a Region, by its alpha-2 code."""
    return {c.alpha_2: _country(c.alpha_2, _common_name(c)) for c in pycountry.countries}


def _common_name(country: object) -> str:
    return str(getattr(country, "common_name", None) or getattr(country, "name", ""))


def _country(code: str, name: str) -> Region:
    return Region(name, slugify(name), "Country", _areas_around(code))


def _areas_around(code: str) -> tuple[str, ...]:
    """The areas a country lies in: by its first time zone, then the table's corrections."""
    zones = get_global("territory_zones").get(code, [])
    continent = zones[0].split("/")[0] if zones else ""
    around = set()
    if continent == "Europe" or code in IN_EUROPE:
        around.add("europe")
    if continent == "Africa":
        around.add("africa")
    if continent == "America":
        around.add("north-america" if code in NORTH_AMERICA else "latin-america")
    if code == "MX":
        around.add("latin-america")
    if continent in {"Asia", "Australia", "Pacific", "Indian"} and code not in MIDDLE_EAST:
        around.add("asia-pacific")
    if code in MIDDLE_EAST:
        around.add("middle-east")
    if code in EU_MEMBERS:
        around.add("european-union")
    return tuple(sorted(around))


@cache
def _aliases() -> dict[str, tuple[str, ...]]:
    """Map every name an ad may give a place to the slugs it stands for."""
    table: dict[str, tuple[str, ...]] = {}
    for area, (name, aliases) in AREAS.items():
        for alias in (name, *aliases):
            table[alias if alias.isupper() else alias.lower()] = (area,)
    by_code = countries()
    for country in pycountry.countries:
        slug = (by_code[country.alpha_2].slug,)
        names = {country.name, _common_name(country), getattr(country, "official_name", "")}
        for name in filter(None, names):
            if name.lower() not in AMBIGUOUS:
                table[name.lower()] = slug
    for code, aliases in COUNTRY_ALIASES.items():
        for alias in aliases:
            table[alias if alias.isupper() else alias.lower()] = (by_code[code].slug,)
    table["US"] = table["USA"] = (by_code["US"].slug,)
    table["UK"] = (by_code["GB"].slug,)
    for group, parts in GROUPS.items():
        table[group] = tuple(by_code[p].slug if p in by_code else p for p in parts)
    return table


@cache
def _by_slug() -> dict[str, Region]:
    return {**areas(), **{region.slug: region for region in countries().values()}}


def _pattern(aliases: Iterable[str], flags: int) -> re.Pattern[str]:
    alternation = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    # "anywhere in Europe" names Europe, not the whole world.
    return re.compile(rf"(?<![\w.@-])(?:{alternation})(?![\w@]|-\w)", flags)


@cache
def _matchers() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    table = _aliases()
    exact = _pattern([a for a in table if a.isupper()], 0)
    loose = _pattern([a for a in table if not a.isupper()], re.IGNORECASE)
    codes = [c.alpha_2 for c in pycountry.countries] + [c.alpha_3 for c in pycountry.countries]
    return exact, loose, _pattern(codes, 0)


NOT_ANYWHERE = re.compile(r"\s+(?:in|within|inside|across|on)\b(?!\s+the\s+world)", re.I)


def regions_in(text: str, codes: bool = False) -> tuple[Region, ...]:
    """Find the regions a location text names, in the order it names them.

    With `codes`, ISO codes ("DE", "CAN") count too: in a location field, not in prose, where
    "IT" and "IN" are words.
    """
    exact, loose, code_pattern = _matchers()
    table, found = _aliases(), []
    for match in sorted([*exact.finditer(text), *loose.finditer(text)], key=lambda m: m.start()):
        alias = match.group(0)
        slugs = table.get(alias) or table.get(alias.lower(), ())
        if slugs == (WORLDWIDE,) and NOT_ANYWHERE.match(text, match.end()):
            continue
        found += [(match.start(), slug) for slug in slugs]
    if codes:
        for match in code_pattern.finditer(text):
            code = match.group(0)
            country = (
                pycountry.countries.get(alpha_2=code)
                if len(code) == 2
                else (pycountry.countries.get(alpha_3=code))
            )
            if country:
                found.append((match.start(), countries()[country.alpha_2].slug))
    ordered = [slug for _, slug in sorted(found, key=lambda item: item[0])]
    return tuple(_by_slug()[slug] for slug in dict.fromkeys(ordered))


def region_named(name: str) -> Region | None:
    """Map a curator's or a JSON-LD region name ("Germany", "DE", "EMEA") to one region, or
    None when it names none or several (several: use regions_named)."""
    found = regions_named(name)
    return found[0] if len(found) == 1 else None


def regions_named(name: str) -> tuple[Region, ...]:
    """The regions one name stands for: "EMEA" is three; "Germany" or "DE" is one; "[]" none."""
    text = name.strip()
    if not text or not re.search(r"\w", text):
        return ()
    found = regions_in(text, codes=True)
    leftover = _leftover(text)
    return found if found and not leftover else ()


def _leftover(text: str) -> str:
    """What is left of a name once the places it names are taken out: words that make it
    something else ("Germany office hours") or a typo's remains."""
    exact, loose, code_pattern = _matchers()
    for pattern in (exact, loose, code_pattern):
        text = pattern.sub(" ", text)
    words = re.sub(r"\b(and|or|only|the|remote|time ?zones?|based|region|countries)\b", " ", text,
                   flags=re.I)  # fmt: skip
    return re.sub(r"[\W_]+", "", words)
