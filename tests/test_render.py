"""Rendering: links under a sub-path, JSON-LD that cannot break out of its script."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import lxml.etree
import lxml.html
from conftest import NOW, ROOT

from builder.config import Config
from builder.jsonld import job_posting_jsonld
from builder.model import Posting, Region, Salary, Site, Tag, pack
from builder.render import Pager, host_files, render_pages
from builder.taxonomy import build_taxonomy
from builder.templating import make_environment


def as_bytes(pages: dict) -> dict[str, bytes]:
    """Render the pages render_pages leaves to be rendered as they are written."""
    return {path: page if isinstance(page, bytes) else page() for path, page in pages.items()}


def make_posting(**overrides) -> Posting:
    fields = dict(
        source="content/a.txt",
        slug="sre-acme",
        title="SRE",
        company="Acme",
        company_slug="acme",
        date_posted=datetime(2026, 11, 1, tzinfo=UTC),
        packed_description=pack("<p>Hi</p>"),
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
    env = make_environment(ROOT / "templates", site)
    pages = as_bytes(render_pages(env, site, build_taxonomy({})))
    home = lxml.html.fromstring(pages["index.html"])
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
    env = make_environment(ROOT / "templates", site)
    pages = as_bytes(render_pages(env, site, build_taxonomy({})))
    return {str(path): html for path, html in pages.items()}


def test_a_region_lists_the_jobs_open_to_people_living_there():
    anywhere = make_posting(slug="a", regions=(WORLD,))
    europe = make_posting(slug="e", regions=(EUROPE,))
    german = make_posting(slug="g", regions=(GERMANY,))
    by_region = site_of(anywhere, europe, german).by_region
    slugs = {region.slug: [p.slug for p in postings] for region, postings in by_region.items()}
    assert slugs == {"europe": ["a", "e"], "germany": ["a", "e", "g"], "worldwide": ["a"]}


def test_an_on_site_job_is_not_listed_as_remote_for_its_region():
    on_site = make_posting(slug="berlin", remote=False, regions=(GERMANY,))
    remote = make_posting(slug="remote", regions=(EUROPE,))
    by_region = site_of(on_site, remote).by_region
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
    # The noindex pages; /salaries/ too, since no posting here gives a salary.
    assert listed == html_pages - {"jobs/old/", "404.html", "search/", "salaries/"}
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
        assert meta["twitter:image"] == meta["og:image"], path
        assert meta["og:image:alt"] and meta["twitter:image:alt"] == meta["og:image:alt"], path
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
    assert host_files(site) == {".nojekyll": b""}
    custom = Site((), NOW, "https://jobs.example.org/", Config(cname="jobs.example.org"))
    assert host_files(custom)["CNAME"] == b"jobs.example.org\n"


# --- Pages job seekers use: pagination, facts, apply, search -------------------------------------


def numbered(count: int, **overrides) -> tuple[Posting, ...]:
    """`count` postings, newest first, as the pipeline hands them to rendering."""
    return tuple(
        make_posting(
            slug=f"job-{n:03}",
            title=f"Job {n:03}",
            date_posted=datetime(2026, 11, 1, tzinfo=UTC) - timedelta(hours=n),
            **overrides,
        )
        for n in range(count)
    )


def cards(html: bytes) -> list[str]:
    return lxml.html.fromstring(html).xpath('//li[contains(@class, "card")]//h2/a/@href')


def test_long_lists_are_paginated_and_every_posting_is_on_exactly_one_page():
    go = Tag("Go", "go", "Languages")
    site = Site(numbered(45, tags=(go,)), NOW, "https://board.example/", Config(page_size=20))
    pages = rendered(site)
    for folder in ("", "tags/go/", "companies/acme/"):
        first, second, third = (
            pages[f"{folder}{part}index.html"] for part in ("", "page/2/", "page/3/")
        )
        assert f"{folder}page/4/index.html" not in pages
        listed = cards(first) + cards(second) + cards(third)
        assert [len(cards(page)) for page in (first, second, third)] == [20, 20, 5]
        assert listed == [f"/jobs/job-{n:03}/" for n in range(45)]  # newest first, each once
    middle = lxml.html.fromstring(pages["page/2/index.html"])
    assert middle.xpath('//a[@rel="prev"]/@href') == ["/"]
    assert middle.xpath('//a[@rel="next"]/@href') == ["/page/3/"]
    assert middle.xpath('//a[@aria-current="page"]/@href') == ["/page/2/"]  # in the pager
    assert middle.xpath('//nav[@aria-label="Main"]//a[@aria-current="true"]/@href') == ["/"]
    assert "(page 2 of 3)" in middle.findtext(".//title")
    assert middle.xpath('//link[@rel="canonical"]/@href') == ["https://board.example/page/2/"]


def test_a_short_list_has_no_pager_and_an_empty_one_still_has_its_page():
    site = Site(numbered(3), NOW, "https://board.example/", Config(page_size=20))
    pages = rendered(site)
    assert b'class="pager"' not in pages["index.html"]
    assert "page/2/index.html" not in pages
    assert b"No closed postings." in pages["archive/index.html"]


def test_the_pager_links_first_last_and_neighbours_with_gaps():
    assert Pager("", 1, 1, 5).numbers() == [1]
    assert Pager("", 1, 3, 50).numbers() == [1, 2, 3]
    assert Pager("x/", 6, 12, 300).numbers() == [1, None, 5, 6, 7, None, 12]
    assert Pager("x/", 12, 12, 300).numbers() == [1, None, 11, 12]
    assert Pager("x/", 4, 12, 300).numbers() == [1, 2, 3, 4, 5, None, 12]  # no gap of one
    assert Pager("x/", 1, 12, 300).path(1) == "x/" and Pager("x/", 1, 2, 30).next == "x/page/2/"


def test_a_card_shows_the_facts_a_job_seeker_scans_for():
    skills = tuple(Tag(f"Skill {n}", f"skill-{n}", "Tools") for n in range(7))
    posting = make_posting(
        regions=(EUROPE,),
        salary=Salary("EUR", 90000, 115000),
        employment_type="FULL_TIME",
        date_posted=NOW - timedelta(days=3),
        tags=skills,
    )
    card = lxml.html.fromstring(rendered(site_of(posting))["index.html"]).xpath(
        '//li[contains(@class, "card")]'
    )[0]
    text = card.text_content()
    for fact in ("SRE", "Acme", "Remote (Europe)", "EUR 90,000–115,000 a year", "Full-time"):
        assert fact in text
    assert "Posted 3 days ago" in " ".join(text.split())
    assert len(card.xpath('.//ul[@class="tags"]/li')) == 5


def test_a_posting_page_has_a_facts_panel_and_a_prominent_apply_link():
    posting = make_posting(
        regions=(EUROPE,),
        salary=Salary("EUR", 90000, 115000),
        employment_type="CONTRACTOR",
        valid_through=datetime(2026, 12, 31, tzinfo=UTC),
        apply_url="https://acme.example/jobs/1",
    )
    page = lxml.html.fromstring(rendered(site_of(posting))["jobs/sre-acme/index.html"])
    facts = dict(
        zip(
            [dt.text_content() for dt in page.xpath('//aside[@class="facts-panel"]//dt')],
            [" ".join(dd.text_content().split()) for dd in page.xpath("//aside//dd")],
            strict=True,
        )
    )
    assert facts["Company"] == "Acme" and facts["Open to"] == "Remote from Europe"
    assert facts["Salary"] == "EUR 90,000–115,000 a year" and facts["Type"] == "Contract"
    assert facts["Posted"].startswith("1 Nov 2026") and facts["Apply by"] == "31 Dec 2026"
    assert page.xpath('//a[@class="apply"]/@href') == ["https://acme.example/jobs/1"] * 2
    assert page.xpath("//article/@data-pagefind-body") == [""]  # open postings are searchable


def test_a_closed_posting_disables_apply_and_is_not_searchable():
    posting = make_posting(
        valid_through=datetime(2026, 11, 15, tzinfo=UTC), apply_url="https://acme.example/1"
    )
    page = lxml.html.fromstring(rendered(site_of(posting))["jobs/sre-acme/index.html"])
    assert page.xpath('//a[@class="apply"]') == []
    assert page.xpath("//button[@class='apply']/@disabled") == ["disabled"] * 2
    assert "Applications closed on 15 Nov 2026." in page.text_content()
    assert page.xpath("//article/@data-pagefind-body") == []


def test_a_posting_without_an_apply_link_says_how_to_apply():
    page = rendered(site_of(make_posting()))["jobs/sre-acme/index.html"].decode()
    assert "The ad gives no apply link" in page and 'class="apply"' not in page


def test_every_page_of_a_list_is_dated_by_the_whole_list_and_links_under_a_sub_path():
    go = Tag("Go", "go", "Languages")
    postings = numbered(3, tags=(go,))
    edited = replace(postings[0], date_modified=datetime(2026, 11, 20, tzinfo=UTC))
    board = "https://example.github.io/board/"
    site = Site((edited, *postings[1:]), NOW, board, Config(page_size=2))
    pages = rendered(site)
    sitemap = lxml.etree.fromstring(pages["sitemap.xml"])
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = {
        url.findtext("s:loc", namespaces=ns): url.findtext("s:lastmod", namespaces=ns)
        for url in sitemap.findall("s:url", ns)
    }
    for folder in ("", "tags/go/", "companies/acme/"):
        assert lastmod[f"{board}{folder}page/2/"] == lastmod[f"{board}{folder}"]
        assert lastmod[f"{board}{folder}"] == "2026-11-20T00:00:00+00:00"
        page = lxml.html.fromstring(pages[f"{folder}index.html"])
        assert page.xpath('//a[@rel="next"]/@href') == [f"/board/{folder}page/2/"]


def test_the_companies_index_is_paginated_too():
    postings = tuple(
        make_posting(slug=f"j{n}", company=f"Co {n:03}", company_slug=f"co-{n:03}")
        for n in range(150)
    )
    pages = rendered(site_of(*postings))
    first, second = (
        lxml.html.fromstring(pages[p])
        for p in ("companies/index.html", "companies/page/2/index.html")
    )
    assert len(first.xpath("//main//li/a[contains(@href, '/companies/co-')]")) == 100
    assert len(second.xpath("//main//li/a[contains(@href, '/companies/co-')]")) == 50
    assert "companies/page/3/index.html" not in pages


def test_search_filters_a_region_as_its_region_pages_do():
    anywhere = make_posting(slug="a", regions=(WORLD,))
    europe = make_posting(slug="e", regions=(EUROPE,))
    german = make_posting(slug="g", regions=(GERMANY,))
    pages = rendered(site_of(anywhere, europe, german))

    def regions(slug: str) -> set[str]:
        page = lxml.html.fromstring(pages[f"jobs/{slug}/index.html"])
        return set(page.xpath('//*[@data-pagefind-filter="region"]/text()'))

    assert regions("a") == {"Worldwide", "Europe", "Germany"}  # a German may apply to all
    assert regions("e") == {"Europe", "Germany"}
    assert regions("g") == {"Germany"}


def test_search_filters_come_from_the_facts_a_posting_has():
    posting = make_posting(
        regions=(EUROPE,), employment_type="FULL_TIME", tags=(Tag("Go", "go", "Languages"),)
    )
    page = lxml.html.fromstring(rendered(site_of(posting))["jobs/sre-acme/index.html"])
    filters = {
        (element.get("data-pagefind-filter"), element.text_content())
        for element in page.xpath("//*[@data-pagefind-filter]")
    }
    assert filters == {
        ("company", "Acme"),
        ("region", "Europe"),
        ("type", "Full-time"),
        ("skill", "Go"),
    }


def test_the_search_page_loads_pagefind_only_when_the_site_has_an_index():
    site = site_of(make_posting())
    for search, expected in ((True, 1), (False, 0)):
        env = make_environment(ROOT / "templates", site)
        bundles = ["pagefind/0/", "pagefind/1/"] if search else []
        pages = as_bytes(render_pages(env, site, build_taxonomy({}), bundles=bundles))
        page = pages["search/index.html"].decode()
        assert page.count("pagefind-component-ui.js") == expected
        assert ("not available on this copy" in page) is not search
        home = pages["index.html"].decode()
        assert "pagefind" not in home  # search assets load on the search page alone


def test_the_companies_index_counts_open_and_closed_postings():
    closed = make_posting(slug="old", valid_through=datetime(2026, 11, 15, tzinfo=UTC))
    other = make_posting(slug="b", company="Beta", company_slug="beta")
    page = lxml.html.fromstring(
        rendered(site_of(make_posting(), closed, other))["companies/index.html"]
    )
    rows = [" ".join(a.text_content().split()) for a in page.xpath("//main//li/a")]
    assert rows == ["Acme 1 open, 1 closed", "Beta 1 open"]


def test_topic_pages_with_no_open_posting_are_noindex_and_left_out_of_the_sitemap():
    go, rust = Tag("Go", "go", "Languages"), Tag("Rust", "rust", "Languages")
    open_ = make_posting(slug="open", tags=(go,), regions=(EUROPE,))
    closed = make_posting(
        slug="shut", company="Gone Inc", company_slug="gone-inc", tags=(rust,),
        regions=(Region("Japan", "japan", "Country", ("asia",)),),
        valid_through=datetime(2026, 11, 15, tzinfo=UTC),
    )  # fmt: skip
    pages = rendered(site_of(open_, closed))
    sitemap = pages["sitemap.xml"].decode()

    def noindex(path: str) -> bool:
        page = lxml.html.fromstring(pages[path])
        return page.xpath('//meta[@name="robots"]/@content') == ["noindex"]

    for folder in ("tags/rust/", "regions/japan/", "companies/gone-inc/"):
        assert noindex(folder + "index.html"), folder
        assert f"https://board.example/{folder}<" not in sitemap, folder
        assert b"/jobs/shut/" in pages[folder + "index.html"]  # its closed posting stays linked
    for folder in ("tags/go/", "regions/europe/", "companies/acme/"):
        assert not noindex(folder + "index.html"), folder
        assert f"https://board.example/{folder}<" in sitemap, folder
