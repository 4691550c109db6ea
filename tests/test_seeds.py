"""End to end: the five real seed postings build into the board the issue describes."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from conftest import CONTENT, NOW, ROOT, build_site

SEEDS = ROOT.parent / "shared" / "seeds"


def page(output: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((output / relative).read_bytes())


def posting_from(result, stem: str):
    [posting] = [p for p in result.postings if Path(p.source).name.startswith(stem)]
    return posting


def text_of(element: lxml.html.HtmlElement, selector: str) -> str:
    return " ".join(" ".join(e.text_content().split()) for e in element.cssselect(selector))


def jsonld_blocks(document: lxml.html.HtmlElement) -> list[dict]:
    scripts = document.xpath('//script[@type="application/ld+json"]')
    return [json.loads(script.text) for script in scripts]


def test_000_front_matter_with_html_body(seed_site):
    result, output = seed_site
    posting = posting_from(result, "000")
    assert (posting.title, posting.company) == ("Site Reliability Engineer", "Heetch")
    assert posting.date_posted.date().isoformat() == "2019-02-20"
    assert posting.apply_url == "https://remoteok.io/l/71283"
    assert {"Go", "Kafka", "Docker", "Terraform", "AWS"} <= {t.name for t in posting.tags}
    document = page(output, f"jobs/{posting.slug}/index.html")
    assert not posting.is_open(NOW)  # posted in 2019: past the board's maximum age of 90 days
    assert not document.cssselect("a.apply")  # a closed posting offers no Apply button
    assert "Apply here" in text_of(document, ".description")  # the ad's text is never dropped


def test_001_plain_text_skips_the_file_name_line(seed_site):
    result, output = seed_site
    posting = posting_from(result, "001")
    assert posting.title == "Service Reliability Engineer (SRE)"  # "- Heroku" is the company
    assert posting.company == "Heroku"
    description = text_of(page(output, f"jobs/{posting.slug}/index.html"), ".description")
    assert "Salesforce 283" not in description and ".Txt" not in description


def test_002_markdown_with_mojibake(seed_site):
    result, output = seed_site
    posting = posting_from(result, "002")
    assert posting.title == "Intermediate Site Reliability Engineer, Gitaly:Cluster"
    assert posting.company == "GitLab"
    assert (posting.salary.currency, posting.salary.min, posting.salary.max) == (
        "USD",
        103600,
        103600,
    )
    assert posting.apply_url.startswith("https://www.remotewlb.com/apply/intermediate-site")
    html = (output / f"jobs/{posting.slug}/index.html").read_text(encoding="utf-8")
    assert "USD 103,600" in html
    for mojibake in ("â€", "ðŸ", "Ã"):
        assert mojibake not in html
    assert "world’s largest all-remote companies" in html


def test_003_jsonld_posting_is_closed_after_valid_through(seed_site):
    result, output = seed_site
    posting = posting_from(result, "003")
    assert posting.title == "Site Reliability Engineer"  # "(Remote Europe)" is the place
    assert posting.company == "Element"
    assert posting.date_posted.date().isoformat() == "2021-08-12"
    assert posting.employment_type == "FULL_TIME"
    assert posting.valid_through.date().isoformat() == "2021-10-06"
    assert not posting.is_open(NOW)
    document = page(output, f"jobs/{posting.slug}/index.html")
    assert "closed" in text_of(document, ".banner")
    assert jsonld_blocks(document) == []
    assert not document.cssselect("a.apply")
    assert posting.slug not in (output / "index.html").read_text()
    assert posting.slug in (output / "archive/index.html").read_text()
    for feed in ("feed.xml", "atom.xml", "feed.json"):
        assert posting.slug not in (output / feed).read_text()
    description = text_of(document, ".description")
    assert "&lt;" not in description and "<br>" not in description  # double escaping undone


def test_003_is_open_before_valid_through(tmp_path):
    result = build_site(CONTENT, tmp_path / "site", now=NOW.replace(year=2021, month=9, day=1))
    posting = posting_from(result, "003")
    document = page(tmp_path / "site", f"jobs/{posting.slug}/index.html")
    [job] = jsonld_blocks(document)
    assert job["@type"] == "JobPosting"
    assert job["hiringOrganization"]["name"] == "Element"
    assert job["validThrough"].startswith("2021-10-06")
    assert job["employmentType"] == "FULL_TIME"
    assert job["jobLocationType"] == "TELECOMMUTE"
    # The curator's front matter corrects the JSON-LD's contradictory "United States".
    names = [place["name"] for place in job["applicantLocationRequirements"]]
    assert names == ["Europe", "United Kingdom"]


def test_004_bare_text_with_curator_front_matter(seed_site):
    result, _ = seed_site
    posting = posting_from(result, "004")
    assert "Heroku Vault" in posting.title
    assert posting.company == "Heroku"
    assert {"Ruby", "Elixir", "PostgreSQL", "Redis"} <= {t.name for t in posting.tags}


@pytest.mark.parametrize(
    "seed", sorted(p.name for p in SEEDS.glob("*.txt")) if SEEDS.exists() else []
)
def test_content_keeps_each_seed_byte_identical_below_front_matter(seed):
    original = (SEEDS / seed).read_bytes()
    curated = (CONTENT / seed).read_bytes()
    assert curated.endswith(original)
    added = curated[: len(curated) - len(original)]
    assert added == b"" or (added.startswith(b"---\n") and added.endswith(b"---\n"))


def test_home_lists_open_postings_newest_first(seed_site):
    result, output = seed_site
    document = page(output, "index.html")
    titles = [" ".join(a.text_content().split()) for a in document.cssselect(".card-title a")]
    expected = [p.title for p in result.postings if p.is_open(NOW)]
    assert titles == expected and len(titles) == 3  # 000 (2019) and 003 have closed
    dates = [p.date_posted for p in result.postings if p.is_open(NOW)]
    assert dates == sorted(dates, reverse=True)


def test_open_posting_pages_carry_one_job_posting(seed_site):
    result, output = seed_site
    for posting in result.postings:
        if not posting.is_open(NOW):
            continue
        blocks = jsonld_blocks(page(output, f"jobs/{posting.slug}/index.html"))
        if posting.markup_gaps:  # Google's required properties unknown: no markup at all
            assert blocks == [], posting.source
            continue
        [job] = blocks
        assert job["title"] == posting.title
        assert job["datePosted"] == posting.date_posted.isoformat()
        assert job["hiringOrganization"] == {"@type": "Organization", "name": posting.company}
        assert job["description"]
    for listing in ("index.html", "archive/index.html", "tags/index.html"):
        assert jsonld_blocks(page(output, listing)) == []


def test_tag_and_company_pages_link_back_to_postings(seed_site):
    result, output = seed_site
    kubernetes = page(output, "tags/kubernetes/index.html")
    linked = {a.get("href") for a in kubernetes.cssselect(".card-title a")}
    expected = {
        f"/jobs/{p.slug}/" for p in result.postings if "kubernetes" in {t.slug for t in p.tags}
    }
    assert linked == expected and len(expected) >= 2
    heroku = page(output, "companies/heroku/index.html")
    assert len(heroku.cssselect(".card")) == 2
    index = page(output, "tags/index.html")
    assert "Languages" in text_of(index, "h2")
    assert index.cssselect('a[href="/tags/go/"]')


def test_site_has_the_expected_files(seed_site):
    _, output = seed_site
    for name in (
        "index.html",
        "404.html",
        "feed.xml",
        "atom.xml",
        "feed.json",
        "sitemap.xml",
        "robots.txt",
        "static/style.css",
        "archive/index.html",
        "tags/index.html",
    ):
        assert (output / name).is_file(), name
    assert "Sitemap: https://board.example/sitemap.xml" in (output / "robots.txt").read_text()
