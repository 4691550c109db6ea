"""Rendering: links under a sub-path, JSON-LD that cannot break out of its script."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import PurePosixPath

import lxml.etree
import lxml.html
from conftest import NOW, ROOT

from builder.config import Config
from builder.model import Posting, Region, Salary, Site, Tag
from builder.render import host_files, job_posting_jsonld, make_environment, render_pages
from builder.taxonomy import build_taxonomy


def make_posting(**overrides) -> Posting:
    fields = dict(
        source="content/a.txt",
        slug="sre-acme",
        title="SRE",
        company="Acme",
        company_slug="acme",
        date_posted=datetime(2026, 11, 1, tzinfo=UTC),
        description_html="<p>Hi</p>",
        summary="Hi",
    )
    return Posting(**(fields | overrides))


def test_links_work_under_a_sub_path():
    url = Site((), NOW, "https://example.github.io/board/").url
    assert url("") == "/board/"
    assert url("jobs/x/") == "/board/jobs/x/"
    assert url("/static/style.css") == "/board/static/style.css"


def test_pages_under_a_sub_path_link_inside_it():
    site = Site((make_posting(),), NOW, "https://example.github.io/board/")
    pages = render_pages(make_environment(ROOT / "templates", site), site, build_taxonomy({}))
    home = lxml.html.fromstring(pages[PurePosixPath("index.html")])
    links = [a.get("href") for a in home.iter("a")] + [
        link.get("href") for link in home.iter("link")
    ]
    internal = [href for href in links if not href.startswith(("https://", "#"))]
    assert internal and all(href.startswith("/board/") for href in internal)
    canonical = home.xpath('//link[@rel="canonical"]')[0].get("href")
    assert canonical == "https://example.github.io/board/"


def test_job_posting_escapes_script_end_and_maps_fields():
    posting = make_posting(
        title="</script><script>alert(1)</script>",
        regions=(Region("Europe", "europe"), Region("Canada", "canada", "Country")),
        salary=Salary("EUR", 90000, 115000, "YEAR"),
        employment_type="FULL_TIME",
        valid_through=datetime(2026, 12, 31, tzinfo=UTC),
    )
    text = job_posting_jsonld(posting, Site((posting,), NOW, "https://board.example/"))
    assert "</" not in text and "<" not in text
    data = json.loads(text)
    assert data["title"] == posting.title
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [
        {"@type": "AdministrativeArea", "name": "Europe"},
        {"@type": "Country", "name": "Canada"},
    ]
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "minValue": 90000,
        "maxValue": 115000,
        "unitText": "YEAR",
    }
    assert data["validThrough"] == "2026-12-31T00:00:00+00:00"


def test_onsite_posting_gets_a_job_location():
    posting = make_posting(remote=False, location="Berlin, Germany")
    data = json.loads(job_posting_jsonld(posting, Site((posting,), NOW, "https://b.example/")))
    assert "jobLocationType" not in data
    assert data["jobLocation"]["address"]["addressLocality"] == "Berlin, Germany"


# --- regions, sitemap and metadata ------------------------------------------------------------

EUROPE = Region("Europe", "europe")
GERMANY = Region("Germany", "germany", "Country", ("europe",))
WORLD = Region("Worldwide", "worldwide")


def site_of(*postings: Posting, base_url: str = "https://board.example/") -> Site:
    return Site(postings, NOW, base_url)


def rendered(site: Site) -> dict[str, bytes]:
    pages = render_pages(make_environment(ROOT / "templates", site), site, build_taxonomy({}))
    return {str(path): html for path, html in pages.items()}


def test_a_region_lists_the_jobs_open_to_people_living_there():
    anywhere = make_posting(slug="a", regions=(WORLD,))
    europe = make_posting(slug="e", regions=(EUROPE,))
    german = make_posting(slug="g", regions=(GERMANY,))
    by_region = site_of(anywhere, europe, german).by_region()
    slugs = {region.slug: [p.slug for p in postings] for region, postings in by_region.items()}
    assert slugs == {"europe": ["a", "e"], "germany": ["a", "e", "g"], "worldwide": ["a"]}


def test_an_on_site_job_is_not_listed_as_remote_for_its_region():
    on_site = make_posting(slug="berlin", remote=False, regions=(GERMANY,))
    remote = make_posting(slug="remote", regions=(EUROPE,))
    by_region = site_of(on_site, remote).by_region()
    assert {r.slug: [p.slug for p in ps] for r, ps in by_region.items()} == {"europe": ["remote"]}


def test_region_pages_and_index_are_written_with_their_feeds_linked():
    pages = rendered(site_of(make_posting(regions=(GERMANY,))))
    page = lxml.html.fromstring(pages["regions/germany/index.html"])
    assert page.findtext(".//h1") == "Jobs open to Germany"
    assert page.xpath('//link[@rel="alternate"]/@href')[:3] == [
        "/regions/germany/feed.xml",
        "/regions/germany/atom.xml",
        "/regions/germany/feed.json",
    ]
    index = lxml.html.fromstring(pages["regions/index.html"])
    assert index.xpath("//main//a/@href") == ["/regions/germany/"]
    posting = lxml.html.fromstring(pages["jobs/sre-acme/index.html"])
    assert "/regions/germany/" in posting.xpath("//dd/a/@href")


def test_the_sitemap_lists_indexable_pages_with_their_last_change():
    edited = datetime(2026, 11, 10, tzinfo=UTC)
    fresh = make_posting(slug="fresh", date_modified=edited, tags=(Tag("Go", "go", "Languages"),))
    closed = make_posting(slug="old", valid_through=datetime(2026, 11, 15, tzinfo=UTC))
    pages = rendered(site_of(fresh, closed))
    sitemap = lxml.etree.fromstring(pages["sitemap.xml"])
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = {
        url.findtext("s:loc", namespaces=ns): url.findtext("s:lastmod", namespaces=ns)
        for url in sitemap.findall("s:url", ns)
    }
    assert lastmod["https://board.example/jobs/fresh/"] == "2026-11-10T00:00:00+00:00"
    assert lastmod["https://board.example/tags/go/"] == "2026-11-10T00:00:00+00:00"
    assert lastmod["https://board.example/"] == "2026-11-15T00:00:00+00:00"  # one closed then
    assert "https://board.example/jobs/old/" not in lastmod  # closed pages are noindex
    html_pages = {path.removesuffix("index.html") for path in pages if path.endswith(".html")}
    listed = {loc.removeprefix("https://board.example/") for loc in lastmod}
    assert listed == html_pages - {"jobs/old/", "404.html", "search/"}  # the noindex pages
    robots = pages["robots.txt"].decode()
    assert "Sitemap: https://board.example/sitemap.xml" in robots


def test_every_page_has_canonical_description_open_graph_and_twitter_tags():
    site = site_of(make_posting(regions=(EUROPE,)), base_url="https://example.github.io/board/")
    for path, html in rendered(site).items():
        if not path.endswith(".html"):
            continue
        page = lxml.html.fromstring(html)
        meta = {m.get("property") or m.get("name"): m.get("content") for m in page.iter("meta")}
        for key in ("description", "og:title", "og:description", "og:type", "twitter:card"):
            assert meta.get(key), (path, key)
        image = meta["og:image"].removeprefix("https://example.github.io/board/")
        assert (ROOT / image).is_file(), (path, meta["og:image"])
        assert page.xpath('//link[@rel="icon"]/@href') == ["/board/static/favicon.svg"]
        if path != "404.html":
            canonical = page.xpath('//link[@rel="canonical"]/@href')
            expected = "https://example.github.io/board/" + path.removesuffix("index.html")
            assert canonical == [expected] and meta["og:url"] == expected, path


def test_json_ld_only_on_open_posting_pages():
    posting = make_posting(regions=(EUROPE,), tags=(Tag("Go", "go", "Languages"),))
    closed = make_posting(slug="gone", valid_through=datetime(2026, 1, 1, tzinfo=UTC))
    for path, html in rendered(site_of(posting, closed)).items():
        if not path.endswith(".html"):
            continue
        blocks = lxml.html.fromstring(html).xpath('//script[@type="application/ld+json"]')
        assert len(blocks) == (1 if path == "jobs/sre-acme/index.html" else 0), path


def test_host_files_write_cname_only_when_configured():
    site = site_of()
    assert host_files(site) == {PurePosixPath(".nojekyll"): b""}
    custom = Site((), NOW, "https://jobs.example.org/", Config(cname="jobs.example.org"))
    assert host_files(custom)[PurePosixPath("CNAME")] == b"jobs.example.org\n"
