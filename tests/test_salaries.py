"""Salary insights: /salaries/ and /salaries/index.json, and the salary line of topic pages;
and, on the same board, the time-zone pages in a browser."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from statistics import median

import lxml.html
import pytest
from browser import SKIP_BROWSER, axe_violations, launch, serve
from conftest import TAXONOMY, build_site

from builder.model import Salary
from builder.salaries import annual, spread_of

# (file, currency, min, max, period, tags, regions): figures a test can add up by hand.
ADS = [
    ("a.txt", "EUR", 90000, 110000, "YEAR", "Go, Kubernetes", "Europe"),
    ("b.txt", "EUR", 8000, 9000, "MONTH", "Go, Kubernetes", "Germany"),
    ("c.txt", "EUR", 40, 50, "HOUR", "Go", "Europe"),
    ("d.txt", "EUR", 500, 500, "DAY", "Kubernetes, Terraform", "Europe"),
    ("e.txt", "USD", 150000, 190000, "YEAR", "Go, Terraform", "United States"),
    ("f.txt", "USD", 3000, 3500, "WEEK", "Go", "United States"),
    ("g.txt", "USD", 120000, 160000, "YEAR", "Go", "Worldwide"),
]
PER = {"YEAR": 1, "MONTH": 12, "WEEK": 52, "DAY": 260, "HOUR": 2080}


def ad(title: str, currency: str, low: int, high: int, period: str, tags: str, regions: str) -> str:
    return (
        f"---\ntitle: {title}\ncompany: Acme {title}\ndate: 2026-11-10\n"
        f"salary: {currency} {low} - {high} per {period.lower()}\n"
        f"tags: [{tags}]\nregions: [{regions}]\napply_url: https://acme.example/{title}\n---\n"
        "Run our platform. Working hours: UTC-3 to UTC+3.\n"
    )


@pytest.fixture(scope="module")
def paid_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    root = tmp_path_factory.mktemp("paid")
    content = root / "content"
    content.mkdir()
    shutil.copy(TAXONOMY, content / TAXONOMY.name)
    for name, *facts in ADS:
        (content / name).write_text(ad(name.removesuffix(".txt").upper(), *facts), "utf-8")
    (content / "unpaid.txt").write_text(
        "---\ntitle: Unpaid\ncompany: Nopay\ndate: 2026-11-10\ntags: [Go]\n"
        "regions: [Europe]\napply_url: https://nopay.example/\n---\nNo salary named.\n",
        "utf-8",
    )
    result = build_site(content, root / "_site")
    assert result.written, [str(p) for p in result.errors]
    return result, root / "_site"


def test_a_salary_is_made_annual_by_its_period() -> None:
    assert annual(Salary("EUR", 60, 80, "HOUR")) == (124800, 166400)
    assert annual(Salary("EUR", 8000, 9000, "MONTH")) == (96000, 108000)
    assert annual(Salary("USD", 3000, 3500, "WEEK")) == (156000, 182000)
    assert annual(Salary("EUR", 500, 500, "DAY")) == (130000, 130000)


def test_a_spread_is_lowest_minimum_median_midpoint_and_highest_maximum() -> None:
    spread = spread_of([Salary("EUR", 10, 20), Salary("EUR", 30, 50), Salary("EUR", 5, 100)])
    assert (spread.count, spread.min, spread.median, spread.max) == (3, 5, 40, 100)


def expected_spread(rows: list[tuple]) -> dict:
    lows = [row[2] * PER[row[4]] for row in rows]
    highs = [row[3] * PER[row[4]] for row in rows]
    mids = [(low + high) / 2 for low, high in zip(lows, highs, strict=True)]
    return {"count": len(rows), "min": min(lows), "median": median(mids), "max": max(highs)}


def test_the_json_gives_each_currency_skill_and_region_exactly(paid_site) -> None:
    _, output = paid_site
    data = json.loads((output / "salaries" / "index.json").read_text(encoding="utf-8"))
    assert sorted(data["currencies"]) == ["EUR", "USD"]  # never mixed, never converted
    for currency, figures in data["currencies"].items():
        rows = [row for row in ADS if row[1] == currency]
        assert {k: figures[k] for k in ("count", "min", "median", "max")} == expected_spread(rows)
        skills = {tag.strip() for row in rows for tag in row[5].split(",")}
        assert set(figures["skills"]) == {skill.lower() for skill in skills}
        for skill in skills:
            having = [row for row in rows if skill in row[5]]
            assert figures["skills"][skill.lower()] == expected_spread(having), skill
    eur_regions = data["currencies"]["EUR"]["regions"]
    # Germany lists the jobs open to all Europe too; Europe does not list Germany's.
    assert eur_regions["germany"] == expected_spread([r for r in ADS if r[1] == "EUR"])
    assert eur_regions["europe"] == expected_spread([ADS[0], ADS[2], ADS[3]])


def test_the_page_charts_groups_of_three_or_more_by_median_with_a_table_beside(paid_site):
    _, output = paid_site
    page = lxml.html.fromstring((output / "salaries" / "index.html").read_bytes())
    charts = page.xpath("//svg[@role='img']")
    assert charts, "no chart was drawn"
    for chart in charts:
        (title,) = chart.xpath("./title")
        assert chart.get("aria-labelledby") == title.get("id") and "median" in title.text
    tables = page.xpath("//table[contains(@class, 'pay-table')]")
    rows = [[th.text_content() for th in t.xpath(".//tbody/tr/th")] for t in tables]
    # EUR by skill: Go (a, b, c) and Kubernetes (a, b, d) have 3; Terraform has 1.
    assert rows[0] == ["Kubernetes", "Go"]  # median midpoints 102,000 and 100,000
    assert "Terraform" not in " ".join(rows[0])
    assert len(charts) == len(tables)


def test_skill_and_region_pages_say_how_many_give_a_salary_and_its_median(paid_site):
    _, output = paid_site
    page = lxml.html.fromstring((output / "tags" / "go" / "index.html").read_bytes())
    (line,) = page.xpath("//p[contains(@class, 'pay-line')]")
    text = " ".join(line.text_content().split())
    assert text.startswith("6 of 7 open postings give a salary:")  # the unpaid one too
    eur = median([100000, 102000, 93600])
    assert f"median EUR {eur:,.0f} a year" in text and "median USD" in text
    assert line.xpath(".//a/@href") == ["/salaries/"]


@pytest.mark.skipif(SKIP_BROWSER, reason="SREBOARD_SKIP_BROWSER=1")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_salary_and_time_zone_pages_have_no_axe_violation_and_need_no_script(paid_site, scheme):
    from playwright.sync_api import sync_playwright

    _, output = paid_site
    with serve(output) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(color_scheme=scheme, java_script_enabled=False)
        page = context.new_page()
        assert page.goto(url + "salaries/").status == 200
        assert page.locator("svg[role=img]").count() >= 2  # drawn without JavaScript
        context.close()
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        for path in ("salaries/", "timezones/", "timezones/utc+1/"):
            assert page.goto(url + path).status == 200, path
            assert axe_violations(page) == [], path
        browser.close()
