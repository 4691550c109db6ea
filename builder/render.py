"""Render the site's HTML pages with Jinja2, into memory: {path: bytes}."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from builder.model import EMPLOYMENT_TYPES, Posting, Region, Site, Tag
from builder.taxonomy import UNKNOWN_CATEGORY, Taxonomy

Pages = dict[PurePosixPath, bytes]


def make_environment(templates_dir: Path, site: Site) -> Environment:
    """Create the Jinja2 environment: autoescaped, strict, with the site's URL helpers."""
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(site=site, url=site.url, abs_url=site.absolute_url)
    env.globals["employment_types"] = EMPLOYMENT_TYPES
    env.filters.update(day=_day, iso=_iso, ago=_ago_maker(site.now))
    return env


def render_pages(env: Environment, site: Site, taxonomy: Taxonomy) -> Pages:
    """Render every HTML page of the site, and the sitemap and robots.txt that list them."""
    pages: Pages = {}
    indexed: list[tuple[str, datetime]] = []  # what the sitemap lists, with each page's lastmod

    def page(
        path: str,
        template: str,
        postings: tuple[Posting, ...],
        changes: tuple[Posting, ...] | None = None,  # what dates the page, if not `postings`
        indexable: bool = True,
        **context: Any,
    ) -> None:
        target = PurePosixPath(path, "index.html")
        if target in pages:  # slugs are made unique upstream: a clash here is a bug
            raise ValueError(f"two pages would be written to {target}")
        html = env.get_template(template).render(path=path, postings=postings, **context)
        pages[target] = html.encode()
        if indexable:
            indexed.append((path, site.last_change(postings if changes is None else changes)))

    everything = site.postings
    page("", "index.html", site.open_postings, changes=everything)
    page("archive/", "archive.html", site.closed_postings, changes=everything)
    for posting in site.postings:
        is_open = posting.is_open(site.now)
        jsonld = job_posting_jsonld(posting, site) if is_open else None
        page(posting.path, "posting.html", (posting,), posting=posting, jsonld=jsonld,
             indexable=is_open)  # fmt: skip
    by_tag = site.by_tag()
    page("tags/", "tags.html", everything, groups=tag_groups(by_tag, taxonomy))
    for tag, postings in by_tag.items():
        page(f"tags/{tag.slug}/", "tag.html", postings, tag=tag, feed_folder=f"tags/{tag.slug}/")
    by_region = site.by_region()
    page("regions/", "regions.html", everything, regions=region_counts(by_region, site))
    for region, postings in by_region.items():
        folder = f"regions/{region.slug}/"
        page(folder, "region.html", postings, region=region, feed_folder=folder)
    for company_slug, postings in site.by_company().items():
        page(f"companies/{company_slug}/", "company.html", postings, company=postings[0].company)
    pages[PurePosixPath("404.html")] = env.get_template("404.html").render(path="404.html").encode()
    return pages | render_sitemap(env, indexed)


def region_counts(by_region: dict[Region, tuple[Posting, ...]], site: Site) -> list[tuple]:
    """Pair each region with how many open postings people living there may apply to."""
    return [
        (region, sum(p.is_open(site.now) for p in postings))
        for region, postings in by_region.items()
    ]


def tag_groups(by_tag: dict[Tag, tuple[Posting, ...]], taxonomy: Taxonomy) -> list[tuple]:
    """Group tags with their counts under the taxonomy's categories, in its order."""
    order = [*taxonomy.categories, UNKNOWN_CATEGORY]
    groups: dict[str, list[tuple[Tag, int]]] = {category: [] for category in order}
    for tag, postings in sorted(by_tag.items(), key=lambda item: item[0].name.lower()):
        groups.setdefault(tag.category, []).append((tag, len(postings)))
    return [(category, tags) for category, tags in groups.items() if tags]


def job_posting_jsonld(posting: Posting, site: Site) -> str:
    """Serialize the schema.org JobPosting for a posting page, safe inside <script>."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description_html,
        "datePosted": posting.date_posted.isoformat(),
        "hiringOrganization": {"@type": "Organization", "name": posting.company},
        "identifier": {
            "@type": "PropertyValue",
            "name": posting.company,
            "value": posting.identifier or posting.uid.removeprefix("urn:uuid:"),
        },
        "url": site.absolute_url(posting.path),
        "directApply": False,
    }
    if posting.valid_through:
        data["validThrough"] = posting.valid_through.isoformat()
    if posting.employment_type:
        data["employmentType"] = posting.employment_type
    data.update(_jsonld_location(posting))
    if posting.salary:
        data["baseSalary"] = _jsonld_salary(posting)
    return _script_safe_json(data)


def _jsonld_location(posting: Posting) -> dict[str, Any]:
    if posting.remote:
        located = {"jobLocationType": "TELECOMMUTE"}
        if posting.regions:
            located["applicantLocationRequirements"] = [  # type: ignore[assignment]
                {"@type": region.kind, "name": region.name} for region in posting.regions
            ]
        return located
    address = {"@type": "PostalAddress", "addressLocality": posting.location}
    return {"jobLocation": {"@type": "Place", "address": address}}


def _jsonld_salary(posting: Posting) -> dict[str, Any]:
    salary = posting.salary
    assert salary is not None
    value = {
        "@type": "QuantitativeValue",
        "minValue": salary.min,
        "maxValue": salary.max,
        "unitText": salary.period,
    }
    return {"@type": "MonetaryAmount", "currency": salary.currency, "value": value}


def _script_safe_json(data: Any) -> str:
    # "<" escaped means no "</script>" or "<!--" can end the block early.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _ago_maker(now: datetime) -> Callable[[datetime], str]:
    def ago(moment: datetime) -> str:
        days = (now - moment).days
        if days <= 0:
            return "today"
        if days == 1:
            return "yesterday"
        return f"{days} days ago"

    return ago


def render_sitemap(env: Environment, indexed: list[tuple[str, datetime]]) -> Pages:
    """List every page search engines should index, and point robots.txt at the list."""
    sitemap = env.get_template("sitemap.xml").render(entries=sorted(indexed))
    robots = env.get_template("robots.txt").render()
    return {
        PurePosixPath("sitemap.xml"): sitemap.encode(),
        PurePosixPath("robots.txt"): robots.encode(),
    }


def host_files(site: Site) -> Pages:
    """Files static hosts read: .nojekyll (serve files as they are) and CNAME when configured."""
    files = {PurePosixPath(".nojekyll"): b""}
    if site.config.cname:
        files[PurePosixPath("CNAME")] = f"{site.config.cname}\n".encode()
    return files
