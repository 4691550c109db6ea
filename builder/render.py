"""Render the site's HTML pages with Jinja2, into memory: {path: bytes}."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from jinja2 import Environment

from builder import salaries, timezones
from builder.fingerprints import Reuse
from builder.model import Posting, Region, Site, Tag
from builder.output import OldFile, Pages
from builder.taxonomy import UNKNOWN_CATEGORY, Taxonomy
from builder.templating import render_template


@dataclass(frozen=True)
class Pager:
    """Where one page of a paginated list sits: page `number` of `count`."""

    folder: str  # the list's first page, e.g. "tags/go/"
    number: int
    count: int
    total: int  # items in the whole list

    def path(self, number: int) -> str:
        """The folder of page `number`: the list's own for page 1, else '<list>/page/N/'."""
        return self.folder if number == 1 else f"{self.folder}page/{number}/"

    @property
    def previous(self) -> str | None:
        return self.path(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.path(self.number + 1) if self.number < self.count else None

    @property
    def label(self) -> str:
        """Say which page this is, for titles: '' on the first page."""
        return "" if self.number == 1 else f" (page {self.number} of {self.count})"

    def numbers(self) -> list[int | None]:
        """Page numbers to link: first, last and the current one's neighbours; None is a gap."""
        shown = {1, self.count, *range(self.number - 1, self.number + 2)}
        numbers: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.count):
            skipped = number - (numbers[-1] or 0) - 1 if numbers else 0
            if skipped == 1:  # a gap of one page: link the page rather than an ellipsis
                numbers.append(number - 1)
            elif skipped > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


# Company names are short: the companies index lists more of them a page than a list of cards.
NAMES_PER_PAGE = 100


class _PageSet:
    """The pages rendered so far, and which of them the sitemap lists."""

    def __init__(self, env: Environment, site: Site, reuse: Reuse) -> None:
        self.env, self.site, self.reuse = env, site, reuse
        self.pages: Pages = {}
        self.indexed: list[tuple[str, datetime]] = []  # sitemap entries with their lastmod
        # What dates the pages that list every posting: a closing moves one between lists.
        self.board_changed = site.last_change(site.postings)

    def add(self, path: str, template: str, lastmod: datetime | None, **context: Any) -> None:
        """Render one page into `path`/index.html; the sitemap lists it when it has a lastmod."""
        target = posixpath.join(path, "index.html")
        if target in self.pages:  # slugs are made unique upstream: a clash here is a bug
            raise ValueError(f"two pages would be written to {target}")
        if self.reuse.unchanged(target, template, context):
            self.pages[target] = self.reuse.old(target)
        else:  # rendered when written, by whichever process writes it
            self.pages[target] = partial(self._render, template, path, context)
        if lastmod is not None:
            self.indexed.append((path, lastmod))

    def _render(self, template: str, path: str, context: dict[str, Any]) -> bytes:
        return render_template(self.env, template, path=path, **context)

    def add_list(
        self,
        folder: str,
        template: str,
        items: Sequence[Any],
        lastmod: datetime | None,  # None: left out of the sitemap
        name: str = "postings",
        size: int = 0,  # 0: the board's page_size
        **context: Any,
    ) -> None:
        """Render a list as numbered pages; an empty list still gets its first page.

        Every page is dated by the whole list: an addition at its top shifts every later page.
        """
        size = size or self.site.config.page_size
        count = max(1, -(-len(items) // size))
        for number in range(1, count + 1):
            pager = Pager(folder, number, count, len(items))
            chunk = items[(number - 1) * size : number * size]
            self.add(pager.path(number), template, lastmod, pager=pager, **{name: chunk}, **context)


def render_pages(
    env: Environment,
    site: Site,
    taxonomy: Taxonomy,
    reuse: Reuse | None = None,
    bundles: Sequence[str] = (),
) -> Pages:
    """Render every HTML page of the site, and the sitemap and robots.txt that list them;
    a page `reuse` finds unchanged is the previous build's file instead. `bundles`: the
    search index's shards (pagefind/00/…), which the search page loads."""
    out = _PageSet(env, site, reuse or Reuse())
    by_tag, by_region = site.by_tag, site.by_region
    regions = region_counts(by_region, site)
    home: dict[str, Any] = {
        "regions": open_region_counts(regions),
        "skills": top_tags(by_tag, site),
    }
    out.add_list("", "index.html", site.open_postings, out.board_changed, **home)
    out.add_list("archive/", "archive.html", site.closed_postings, out.board_changed)
    _posting_pages(out, site)
    out.add("tags/", "tags.html", out.board_changed, groups=tag_groups(by_tag, taxonomy))
    for tag, postings in by_tag.items():
        _topic_list(out, f"tags/{tag.slug}/", "tag.html", postings, tag=tag)
    out.add("regions/", "regions.html", out.board_changed, regions=regions)
    for region, postings in by_region.items():
        _topic_list(out, f"regions/{region.slug}/", "region.html", postings, region=region)
    _company_pages(out, site)
    _timezone_pages(out, site)
    out.add("search/", "search.html", None, bundles=tuple(bundles))
    _salary_pages(out, site)
    return out.pages | render_sitemap(env, out.indexed, out.reuse) | fixed_pages(env)


def fixed_pages(env: Environment) -> Pages:
    """The pages every build writes afresh: they show nothing of the postings."""
    return {
        "404.html": render_template(env, "404.html", path="404.html"),
        "robots.txt": render_template(env, "robots.txt"),
    }


def render_posting_pages(
    env: Environment, site: Site, shown: Sequence[tuple[Posting, list[Region]]], reuse: Reuse
) -> Pages:
    """Render the pages of these postings only, each with the regions search files it under:
    a posting page shows nothing of the other postings."""
    out = _PageSet(env, site, reuse)
    for posting, regions in shown:
        out.add(posting.path, "posting.html", None, **_posting_context(posting, regions))
    return out.pages


def _topic_list(
    out: _PageSet, folder: str, template: str, postings: tuple[Posting, ...], **context: Any
) -> None:
    """Render a tag's or a region's list, which has feeds of its own in its folder."""
    salary = salaries.salary_line(postings, out.site)
    _listing(out, folder, template, postings, feed_folder=folder, salary=salary, **context)


def _timezone_pages(out: _PageSet, site: Site) -> None:
    """Render the index of offsets, with counts, and each offset's list and feeds."""
    out.add("timezones/", "timezones.html", out.board_changed, zones=timezone_counts(site))
    for offset, postings in site.by_timezone.items():
        folder = f"timezones/{timezones.slug(offset)}/"
        zone = {"label": timezones.label(offset), "slug": timezones.slug(offset)}
        _listing(out, folder, "timezone.html", postings, feed_folder=folder, zone=zone)


def timezone_counts(site: Site) -> list[dict[str, Any]]:
    """Each offset a posting covers, west to east, with its open and all postings."""
    return [
        {
            "label": timezones.label(offset),
            "slug": timezones.slug(offset),
            "open": sum(p.is_open(site.now) for p in postings),
            "total": len(postings),
        }
        for offset, postings in site.by_timezone.items()
    ]


def _salary_pages(out: _PageSet, site: Site) -> None:
    """Render /salaries/ and the same figures as /salaries/index.json."""
    currencies = salaries.insights(site)
    if currencies:
        out.add("salaries/", "salaries.html", out.board_changed, currencies=currencies)
    else:  # nothing to show search engines
        out.add("salaries/", "salaries.html", None, currencies=currencies, noindex=True)
    target = "salaries/index.json"
    if out.reuse.unchanged(target, currencies):  # fingerprinted: the edit path reuses it
        out.pages[target] = out.reuse.old(target)
    else:
        out.pages[target] = salaries.insights_json(currencies)


def _listing(
    out: _PageSet, folder: str, template: str, postings: tuple[Posting, ...], **context: Any
) -> None:
    """Render a topic's list; one with no open posting is kept from search engines (its
    closed postings stay reachable)."""
    if any(posting.is_open(out.site.now) for posting in postings):
        out.add_list(folder, template, postings, out.site.last_change(postings), **context)
    else:
        out.add_list(folder, template, postings, None, noindex=True, **context)


def _posting_pages(out: _PageSet, site: Site) -> None:
    """Render each posting; only open ones carry JSON-LD and go in the sitemap."""
    for posting in site.postings:
        is_open = posting.is_open(site.now)
        lastmod = site.last_change((posting,)) if is_open else None
        context = _posting_context(posting, site.regions_open_to(posting))
        out.add(posting.path, "posting.html", lastmod, **context)


def _posting_context(posting: Posting, regions: list[Region]) -> dict[str, Any]:
    """What posting.html is rendered from (and fingerprinted by), in one order."""
    return {"posting": posting, "search_regions": regions}


def _company_pages(out: _PageSet, site: Site) -> None:
    """Render the companies index and each company's list."""
    by_company = site.by_company
    rows = company_counts(by_company, site)
    out.add_list(
        "companies/", "companies.html", rows, out.board_changed, "companies", NAMES_PER_PAGE
    )
    for slug, postings in by_company.items():
        folder, company = f"companies/{slug}/", postings[0].company
        _listing(out, folder, "company.html", postings, company=company)


def region_counts(
    by_region: dict[Region, tuple[Posting, ...]], site: Site
) -> list[tuple[Any, ...]]:
    """Pair each region with how many open postings people living there may apply to."""
    return [
        (region, sum(p.is_open(site.now) for p in postings))
        for region, postings in by_region.items()
    ]


def open_region_counts(regions: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Keep the regions that have an open posting, for the home page's 'Where you live'."""
    return [(region, count) for region, count in regions if count]


def company_counts(by_company: dict[str, tuple[Posting, ...]], site: Site) -> list[tuple[Any, ...]]:
    """List (slug, name, open postings, all postings) for each company, by name."""
    rows = [
        (slug, postings[0].company, sum(p.is_open(site.now) for p in postings), len(postings))
        for slug, postings in by_company.items()
    ]
    return sorted(rows, key=lambda row: (row[1].lower(), row[0]))


def top_tags(
    by_tag: dict[Tag, tuple[Posting, ...]], site: Site, limit: int = 12
) -> list[tuple[Any, ...]]:
    """The skills most open postings ask for, with their counts: most asked first."""
    counts = [(tag, sum(p.is_open(site.now) for p in postings)) for tag, postings in by_tag.items()]
    asked = [(tag, count) for tag, count in counts if count]
    return sorted(asked, key=lambda item: (-item[1], item[0].name.lower()))[:limit]


def tag_groups(by_tag: dict[Tag, tuple[Posting, ...]], taxonomy: Taxonomy) -> list[tuple[Any, ...]]:
    """Group tags with their counts under the taxonomy's categories, in its order."""
    order = [*taxonomy.categories, UNKNOWN_CATEGORY]
    groups: dict[str, list[tuple[Tag, int]]] = {category: [] for category in order}
    for tag, postings in sorted(by_tag.items(), key=lambda item: item[0].name.lower()):
        groups.setdefault(tag.category, []).append((tag, len(postings)))
    return [(category, tags) for category, tags in groups.items() if tags]


def render_sitemap(
    env: Environment, indexed: list[tuple[str, datetime]], reuse: Reuse | None = None
) -> Pages:
    """List every page search engines should index (robots.txt points at the list)."""
    entries = sorted(indexed)
    target, reuse = "sitemap.xml", reuse or Reuse()
    # One repr of the whole list: describing 17,000 entries one by one cost a third as much
    # as rendering them, which an unchanged sitemap (most edits) need not do.
    if reuse.unchanged(target, "sitemap.xml", repr(entries)):
        sitemap: bytes | OldFile | Callable[[], bytes] = reuse.old(target)
    else:
        sitemap = partial(_render_file, env, "sitemap.xml", entries=entries)
    return {target: sitemap}


def _render_file(env: Environment, template: str, **context: Any) -> bytes:
    return render_template(env, template, **context)


def host_files(site: Site) -> Pages:
    """Files static hosts read: .nojekyll (serve files as they are) and CNAME when configured."""
    files: Pages = {".nojekyll": b""}
    if site.config.cname:
        files["CNAME"] = f"{site.config.cname}\n".encode()
    return files
