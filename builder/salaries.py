"""What the open postings pay: annual figures per currency, for the board, each skill and region.

Currencies are never mixed and no exchange rate is invented: every figure is in the currency
the ads gave. A salary is made annual by its period (a year of 52 weeks, 260 working days,
2,080 hours). A group's minimum is its lowest annual minimum, its maximum the highest annual
maximum, and its median the median of the ranges' midpoints.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median

from builder.model import Posting, Region, Salary, Site, Tag

PER_YEAR = {"YEAR": 1, "MONTH": 12, "WEEK": 52, "DAY": 260, "HOUR": 2080}
CHARTED_FROM = 3  # salaried postings a skill or region needs to get a range bar


@dataclass(frozen=True)
class Spread:
    """The annual pay of a group of salaried postings in one currency."""

    count: int
    min: float
    median: float
    max: float

    def as_json(self) -> dict[str, float | int]:
        return {"count": self.count, "min": self.min, "median": self.median, "max": self.max}


@dataclass(frozen=True)
class Currency:
    """One currency's figures: the whole board's, and each skill's and region's."""

    code: str
    board: Spread
    skills: tuple[tuple[Tag | Region, Spread], ...]  # each skill with a salaried posting
    regions: tuple[tuple[Tag | Region, Spread], ...]  # each region, by slug

    def bars(self, groups: Sequence[tuple[Tag | Region, Spread]]) -> list[Bar]:
        """The groups with enough salaried postings to chart, highest median first, placed
        on the scale of the whole board's pay in this currency."""
        shown = [(group, spread) for group, spread in groups if spread.count >= CHARTED_FROM]
        shown.sort(key=lambda item: (-item[1].median, item[0].slug))
        low, high = self.board.min, self.board.max
        width = (high - low) or 1.0

        def at(amount: float) -> float:
            return round(100 * (amount - low) / width, 2)

        return [Bar(g.name, g.slug, s, at(s.min), at(s.median), at(s.max)) for g, s in shown]


@dataclass(frozen=True)
class Bar:
    """One row of a range chart: a group's spread, placed in percent of the chart's width."""

    name: str
    slug: str
    spread: Spread
    start: float
    middle: float
    end: float


def annual(salary: Salary) -> tuple[float, float]:
    """The salary's range as a year's pay."""
    times = PER_YEAR[salary.period]
    return salary.min * times, salary.max * times


def spread_of(salaries: Sequence[Salary]) -> Spread:
    """Sum up salaries of one currency: lowest minimum, median midpoint, highest maximum."""
    ranges = [annual(salary) for salary in salaries]
    middle = median((low + high) / 2 for low, high in ranges)
    return Spread(len(ranges), min(low for low, _ in ranges), middle, max(h for _, h in ranges))


def insights(site: Site) -> tuple[Currency, ...]:
    """Every currency the open postings pay in, with its figures, by currency code."""
    salaried = [p for p in site.open_postings if p.salary]
    codes = sorted({p.salary.currency for p in salaried if p.salary})
    return tuple(_currency(code, salaried, site) for code in codes)


def _currency(code: str, salaried: list[Posting], site: Site) -> Currency:
    paid = [p for p in salaried if p.salary and p.salary.currency == code]
    by_tag: dict[Tag | Region, tuple[Posting, ...]] = {t: ps for t, ps in site.by_tag.items()}
    by_region: dict[Tag | Region, tuple[Posting, ...]] = {r: ps for r, ps in site.by_region.items()}
    return Currency(code, _spread(paid), _groups(by_tag, paid), _groups(by_region, paid))


def _groups(
    groups: dict[Tag | Region, tuple[Posting, ...]], paid: list[Posting]
) -> tuple[tuple[Tag | Region, Spread], ...]:
    """Each group with a posting that pays in the currency at hand, by slug, and its spread."""
    paying = {group: _paying(postings, paid) for group, postings in groups.items()}
    named = sorted((group for group, found in paying.items() if found), key=lambda g: g.slug)
    return tuple((group, _spread(paying[group])) for group in named)


def _paying(postings: Iterable[Posting], paid: list[Posting]) -> list[Posting]:
    """The postings of a group that pay in the currency at hand."""
    ids = {id(p) for p in paid}
    return [p for p in postings if id(p) in ids]


def _spread(postings: Sequence[Posting]) -> Spread:
    return spread_of([p.salary for p in postings if p.salary])


def insights_json(currencies: Sequence[Currency]) -> bytes:
    """The figures as data: /salaries/index.json."""
    data = {
        "currencies": {
            currency.code: {
                **currency.board.as_json(),
                "skills": {tag.slug: spread.as_json() for tag, spread in currency.skills},
                "regions": {r.slug: spread.as_json() for r, spread in currency.regions},
            }
            for currency in currencies
        }
    }
    return (json.dumps(data, sort_keys=True, indent=1) + "\n").encode()


@dataclass(frozen=True)
class SalaryLine:
    """What a skill's or region's page says of pay: how many give one, each currency's median."""

    salaried: int
    total: int
    medians: tuple[tuple[str, float], ...]  # (currency, median annual pay), by currency


def salary_line(postings: Sequence[Posting], site: Site) -> SalaryLine | None:
    """Sum up the pay of a page's open postings; None when none gives a salary."""
    still_open = [p for p in postings if p.is_open(site.now)]
    paid = [p for p in still_open if p.salary]
    if not paid:
        return None
    codes = sorted({p.salary.currency for p in paid if p.salary})
    medians = tuple(
        (code, _spread([p for p in paid if p.salary and p.salary.currency == code]).median)
        for code in codes
    )
    return SalaryLine(len(paid), len(still_open), medians)
