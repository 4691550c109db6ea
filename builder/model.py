"""Frozen data passed between the stages of the pipeline."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit
from uuid import UUID, uuid5
from zlib import compress, decompress

from builder.config import Config

K = TypeVar("K")
# Feed ids are UUIDs named by the posting's file in this namespace, so edits never change them.
POSTING_IDS = UUID("5d1a0a3e-27a4-5b6e-9c1f-3f5e0b7c2a90")
WORLDWIDE = "worldwide"
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
    system: str = ""  # the hiring system (Greenhouse, Lever, Ashby) whose job JSON this was
    reading: str = ""  # how the file had to be read, when not as written (lenient JSON)


@dataclass(frozen=True)
class Tag:
    """A skill from the taxonomy, or an unknown one a curator wrote in front matter."""

    name: str
    slug: str
    category: str


Period = Literal["HOUR", "DAY", "WEEK", "MONTH", "YEAR"]


@dataclass(frozen=True)
class Salary:
    """A pay range; min == max for a single figure."""

    currency: str
    min: float
    max: float
    period: Period = "YEAR"

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
    within: tuple[str, ...] = field(default=(), compare=False)  # slugs of the areas around it

    @property
    def open_to(self) -> str:
        """Say who may apply, as in 'Jobs open worldwide' or 'Jobs open to Europe'."""
        return "worldwide" if self.slug == WORLDWIDE else f"to {self.name}"

    def includes(self, other: Region) -> bool:
        """Tell whether anyone living in `other` lives in this region too."""
        return self.slug in {WORLDWIDE, other.slug, *other.within}


# Who gave a posting its date: the posting itself, the commit that added its file, or the
# build (--now) when neither did. Only a date the posting gives can schedule it for later.
DatedBy = Literal["posting", "git", "build"]
# How senior a job is, as its title (or the curator's `seniority:`) says; none when unsaid.
Seniority = Literal[
    "intern", "junior", "mid", "senior", "staff", "principal", "lead", "manager", "director"
]
SENIORITY_LABELS: dict[Seniority, str] = {
    "intern": "Intern", "junior": "Junior", "mid": "Mid-level", "senior": "Senior",
    "staff": "Staff", "principal": "Principal", "lead": "Lead", "manager": "Manager",
    "director": "Director",
}  # fmt: skip


def pack(text: str) -> bytes:
    """Text compressed to be held in memory: fast, and the same bytes from the same text."""
    return compress(text.encode(), 1)


def unpack(packed: bytes) -> str:
    return decompress(packed).decode()


@dataclass(frozen=True)
class Posting:
    """One job posting, fully extracted, tagged and ready to render."""

    source: str
    slug: str
    title: str
    company: str
    company_slug: str
    date_posted: datetime
    # The description's HTML, compressed by pack(): descriptions were half the memory of a
    # large board, and a page or feed reads one rarely (description_html).
    packed_description: bytes = field(repr=False)
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
    date_modified: datetime | None = None  # the last edit, when known
    language: str = ""  # the description's language when detected and not the site's, e.g. "fr"
    dated_by: DatedBy = "posting"  # who gave date_posted: the posting, git, or the build date
    seniority: Seniority | None = None  # the level the title or front matter names, if any
    # The working-hours window the ad or front matter states, as whole-hour UTC offsets
    # (from, to); none when unsaid (builder/timezones.py).
    timezones: tuple[int, int] | None = None
    # (field, where its value came from) for `check --explain`: a tuple, so it pickles
    provenance: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    # A digest of everything the posting was made from: pages that show it are rendered
    # again only when it (or its slug) changes (builder/fingerprints.py).
    fingerprint: str = field(default="", compare=False, repr=False)

    @property
    def description_html(self) -> str:
        return unpack(self.packed_description)

    @property
    def uid(self) -> str:
        """A feed id that survives edits of title, dates and slug: named by the file."""
        return f"urn:uuid:{uuid5(POSTING_IDS, f'{self.key}#{self.index}')}"

    @property
    def updated(self) -> datetime:
        """When the posting last changed: its last edit, but never before it was posted."""
        return max(self.date_posted, self.date_modified or self.date_posted)

    def changed(self, now: datetime) -> datetime:
        """When its page last changed, counting the moment it closed."""
        closed = self.valid_through if not self.is_open(now) else None
        return max(self.updated, closed) if closed else self.updated

    def remote_from(self, region: Region) -> bool:
        """Tell whether people living anywhere in `region` may apply and work from there."""
        return self.remote and any(mine.includes(region) for mine in self.regions)

    @property
    def headline(self) -> str:
        """The title and, when known, the company: 'SRE at Acme' (feeds, page titles)."""
        return f"{self.title} at {self.company}" if self.company else self.title

    @property
    def level(self) -> str:
        """The seniority as shown on cards and pages, e.g. 'Senior'; "" when none is known."""
        return SENIORITY_LABELS[self.seniority] if self.seniority else ""

    @property
    def timezone_offsets(self) -> range:
        """Every whole-hour UTC offset the working-hours window covers; empty when unknown."""
        return range(self.timezones[0], self.timezones[1] + 1) if self.timezones else range(0)

    @property
    def timezone_window(self) -> str:
        """The window as shown on pages, e.g. 'UTC-3 to UTC+3'; "" when none is known."""
        if not self.timezones:
            return ""
        low, high = self.timezones
        return f"UTC{low:+d}" if low == high else f"UTC{low:+d} to UTC{high:+d}"

    @property
    def markup_gaps(self) -> tuple[str, ...]:
        """The front matter keys Google Jobs' required properties lack (none: the page may
        carry JobPosting markup): a company, and a place or, for a remote job, a region."""
        gaps = [] if self.company else ["company"]
        if self.remote and not self.regions:
            gaps.append("regions")
        elif not self.remote and not self.location:
            gaps.append("location")
        return tuple(gaps)

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
    config: Config = field(default_factory=Config)

    @property
    def title(self) -> str:
        return self.config.title

    @property
    def description(self) -> str:
        return self.config.description

    @property
    def language(self) -> str:
        return self.config.language

    def url(self, path: str) -> str:
        """Link to a page by its root-relative URL, which works under a sub-path base URL."""
        return self._base_path + "/" + path.lstrip("/")

    @cached_property
    def _base_path(self) -> str:
        # Split once: pages ask for dozens of links each.
        return urlsplit(self.base_url).path.rstrip("/")

    def absolute_url(self, path: str) -> str:
        """The full URL of a page, for canonical links, feeds and the sitemap."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    @cached_property
    def open_postings(self) -> tuple[Posting, ...]:
        """Open postings, newest first."""
        return tuple(p for p in self.postings if p.is_open(self.now))

    @cached_property
    def closed_postings(self) -> tuple[Posting, ...]:
        """Closed postings, newest first."""
        return tuple(p for p in self.postings if not p.is_open(self.now))

    def last_change(self, postings: tuple[Posting, ...]) -> datetime:
        """Date a page or feed by the newest change among its postings, closings included."""
        changed = self._changed
        return max((changed[id(p)] for p in postings), default=self.now)

    @cached_property
    def _changed(self) -> dict[int, datetime]:
        # By id: a frozen posting hashes all its fields, and every list asks for its dates.
        return {id(posting): posting.changed(self.now) for posting in self.postings}

    @cached_property
    def by_tag(self) -> dict[Tag, tuple[Posting, ...]]:
        """Map each tag to its postings, open ones first; one entry per tag slug (worked out
        once: pages and feeds both list them; do not change the dicts these return)."""
        first_by_slug: dict[str, Tag] = {}
        for posting in self.postings:
            for tag in posting.tags:
                first_by_slug.setdefault(tag.slug, tag)
        groups = _group(self.postings, lambda p: [first_by_slug[t.slug] for t in p.tags])
        return {tag: self._open_first(groups[tag]) for tag in sorted(groups, key=lambda t: t.slug)}

    @cached_property
    def by_region(self) -> dict[Region, tuple[Posting, ...]]:
        """Map each region a posting names to the postings open to people living there."""
        groups: dict[Region, list[Posting]] = {region: [] for region in self._regions}
        for posting in self.postings:
            for region in self.regions_open_to(posting):
                groups[region].append(posting)
        return {region: self._open_first(groups[region]) for region in self._regions}

    def regions_open_to(self, posting: Posting) -> list[Region]:
        """The regions (of those postings name) whose people may apply, in by_region's order."""
        shape = (posting.remote, posting.regions)
        covers = self._covers
        if shape not in covers:  # postings share a few sets of regions: ask each set once
            covers[shape] = [region for region in self._regions if posting.remote_from(region)]
        return covers[shape]

    @cached_property
    def _regions(self) -> list[Region]:
        named: dict[str, Region] = {}
        for posting in self.postings:
            if posting.remote:
                named.update({r.slug: r for r in posting.regions if r.slug not in named})
        return sorted(named.values(), key=lambda region: region.name.lower())

    @cached_property
    def _covers(self) -> dict[tuple[bool, tuple[Region, ...]], list[Region]]:
        return {}

    @cached_property
    def by_timezone(self) -> dict[int, tuple[Posting, ...]]:
        """Map each whole-hour UTC offset a posting's working-hours window covers to those
        postings, open ones first, west to east."""
        groups = _group(self.postings, lambda p: list(p.timezone_offsets))
        return {offset: self._open_first(groups[offset]) for offset in sorted(groups)}

    @cached_property
    def by_company(self) -> dict[str, tuple[Posting, ...]]:
        """Map each company slug to its postings, open ones first."""
        groups = _group(self.postings, lambda p: [p.company_slug] if p.company_slug else [])
        return {slug: self._open_first(groups[slug]) for slug in sorted(groups)}

    def _open_first(self, postings: list[Posting]) -> tuple[Posting, ...]:
        return tuple(sorted(postings, key=lambda p: not p.is_open(self.now)))


def _group(
    postings: tuple[Posting, ...], keys: Callable[[Posting], list[K]]
) -> dict[K, list[Posting]]:
    """Collect postings under each key they have, keeping their order."""
    groups: dict[K, list[Posting]] = {}
    for posting in postings:
        for key in keys(posting):
            groups.setdefault(key, []).append(posting)
    return groups
