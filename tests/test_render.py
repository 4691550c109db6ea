"""Rendering: links under a sub-path, JSON-LD that cannot break out of its script."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import PurePosixPath

import lxml.html
from conftest import NOW, ROOT

from builder.model import Posting, Region, Salary, Site
from builder.render import job_posting_jsonld, make_environment, render_pages
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
