"""Frozen data passed between the stages of the pipeline."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

K = TypeVar("K")
Format = Literal["markdown", "text", "html", "jsonld"]


@dataclass(frozen=True)
class RawPosting:
    """A posting as read from disk: decoded, repaired text, its front matter and its format."""

    source: str
    format: Format
    body: str
    front_matter: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    body_line: int = 1  # line of the file where the body starts, for problem reports
    jsonld: Mapping[str, Any] | None = None
    index: int = 0  # position of this posting within a file that holds several
    count: int = 1  # how many postings the file holds
    front_matter_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Tag:
    """A skill from the taxonomy, or an unknown one a curator wrote in front matter."""

    name: str
    slug: str
    category: str


@dataclass(frozen=True)
class Salary:
    """A pay range; min == max for a single figure."""

    currency: str
    min: float
    max: float
    period: Literal["HOUR", "DAY", "WEEK", "MONTH", "YEAR"] = "YEAR"

    def display(self) -> str:
        """Format the range for people, e.g. 'USD 120,000–150,000 a year'."""
        low, high = _amount(self.min), _amount(self.max)
        amount = low if low == high else f"{low}–{high}"
        return f"{self.currency} {amount} {_PER[self.period]}"


_PER = {"HOUR": "an hour", "DAY": "a day", "WEEK": "a week", "MONTH": "a month", "YEAR": "a year"}


def _amount(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


@dataclass(frozen=True)
class Region:
    """An area applicants may live in: a country, a continent, or the whole world."""

    name: str
    slug: str
    kind: Literal["Country", "AdministrativeArea"] = "AdministrativeArea"


@dataclass(frozen=True)
class Posting:
    """One job posting, fully extracted, tagged and ready to render."""

    source: str
    slug: str
    title: str
    company: str
    company_slug: str
    date_posted: datetime
    description_html: str
    summary: str
    valid_through: datetime | None = None
    location: str = ""
    regions: tuple[Region, ...] = ()
    remote: bool = True
    employment_type: str | None = None
    salary: Salary | None = None
    apply_url: str | None = None
    tags: tuple[Tag, ...] = ()
    draft: bool = False
    identifier: str = ""
    index: int = 0  # position within a file that holds several postings
    key: str = ""  # the file's path inside the content folder: its identity

    @property
    def path(self) -> str:
        """The posting page's folder within the site, e.g. 'jobs/sre-acme/'."""
        return f"jobs/{self.slug}/"

    def is_open(self, now: datetime) -> bool:
        """Tell whether applications are still taken at `now`."""
        return self.valid_through is None or self.valid_through >= now

    @property
    def place(self) -> str:
        """Say where the job can be done from, e.g. 'Remote (Europe, United Kingdom)'."""
        names = ", ".join(region.name for region in self.regions)
        if self.remote:
            return f"Remote ({names})" if names else "Remote"
        return self.location or names


EMPLOYMENT_TYPES = {
    "FULL_TIME": "Full-time",
    "PART_TIME": "Part-time",
    "CONTRACTOR": "Contract",
    "TEMPORARY": "Temporary",
    "INTERN": "Internship",
    "VOLUNTEER": "Volunteer",
    "PER_DIEM": "Per diem",
    "OTHER": "Other",
}


@dataclass(frozen=True)
class Site:
    """Everything rendering needs: the postings and the build's settings."""

    postings: tuple[Posting, ...]
    now: datetime
    base_url: str
    title: str = "SRE Board"
    description: str = "A curated board of remote Site Reliability Engineering jobs."

    def url(self, path: str) -> str:
        """Link to a page by its root-relative URL, which works under a sub-path base URL."""
        return urlsplit(self.base_url).path.rstrip("/") + "/" + path.lstrip("/")

    def absolute_url(self, path: str) -> str:
        """The full URL of a page, for canonical links, feeds and the sitemap."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    @property
    def open_postings(self) -> tuple[Posting, ...]:
        """Open postings, newest first."""
        return tuple(p for p in self.postings if p.is_open(self.now))

    @property
    def closed_postings(self) -> tuple[Posting, ...]:
        """Closed postings, newest first."""
        return tuple(p for p in self.postings if not p.is_open(self.now))

    def by_tag(self) -> dict[Tag, tuple[Posting, ...]]:
        """Map each tag to its postings, open ones first; one entry per tag slug."""
        first_by_slug: dict[str, Tag] = {}
        for posting in self.postings:
            for tag in posting.tags:
                first_by_slug.setdefault(tag.slug, tag)
        groups = _group(self.postings, lambda p: [first_by_slug[t.slug] for t in p.tags])
        return {tag: self._open_first(groups[tag]) for tag in sorted(groups, key=lambda t: t.slug)}

    def by_company(self) -> dict[str, tuple[Posting, ...]]:
        """Map each company slug to its postings, open ones first."""
        groups = _group(self.postings, lambda p: [p.company_slug])
        return {slug: self._open_first(groups[slug]) for slug in sorted(groups)}

    def _open_first(self, postings: list[Posting]) -> tuple[Posting, ...]:
        return tuple(sorted(postings, key=lambda p: not p.is_open(self.now)))


def _group(postings: tuple[Posting, ...], keys: Callable[[Posting], list[K]]) -> dict[K, list]:
    """Collect postings under each key they have, keeping their order."""
    groups: dict[K, list[Posting]] = {}
    for posting in postings:
        for key in keys(posting):
            groups.setdefault(key, []).append(posting)
    return groups
