"""Extraction: each format's rules, the curator's overrides, and closing by date."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from conftest import NOW, TAXONOMY

from builder.extract import Context, extract
from builder.readers import read_posting
from builder.taxonomy import load_taxonomy

TAXONOMY_LOADED, _ = load_taxonomy(TAXONOMY)
CONTEXT = Context(TAXONOMY_LOADED, NOW, {})


def posting(data: bytes | str):
    raw_postings, problems = read_posting(
        "content/p.txt", data if isinstance(data, bytes) else data.encode()
    )
    assert not problems
    result, _ = extract(raw_postings[0], CONTEXT)
    return result


def test_html_page_with_json_ld():
    job = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": "Observability Engineer",
        "hiringOrganization": "Acme",
        "datePosted": "2026-10-01",
        "description": "<p>Grafana &amp; Prometheus all day.</p>",
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": 80000,
                "maxValue": 95000,
                "unitText": "YEAR",
            },
        },
        "applicantLocationRequirements": [
            {"@type": "Country", "name": "Germany"},
            {"@type": "Country", "name": "Poland"},
        ],
        "jobLocationType": "TELECOMMUTE",
        "url": "https://acme.example/jobs/1",
    }
    script = f'<script type="application/ld+json">{json.dumps(job)}</script>'
    page = f"<!doctype html><html><head>{script}</head></html>"
    found = posting(page)
    assert (found.title, found.company) == ("Observability Engineer", "Acme")
    assert (found.salary.currency, found.salary.min, found.salary.max) == ("EUR", 80000, 95000)
    assert [r.name for r in found.regions] == ["Germany", "Poland"]
    assert found.place == "Remote (Germany, Poland)"
    assert found.apply_url == "https://acme.example/jobs/1"
    assert {"Grafana", "Prometheus"} <= {t.name for t in found.tags}


def test_plain_text_json_ld_description_becomes_paragraphs():
    job = {"@type": "JobPosting", "title": "SRE", "description": "Line one.\n\nLine two & more."}
    found = posting(json.dumps(job))
    assert found.description_html == "<p>Line one.</p>\n<p>Line two &amp; more.</p>"


def test_cp1252_text_is_decoded():
    found = posting("Ingénieur SRE – Paris\n\nNous cherchons quelqu’un.\n".encode("cp1252"))
    assert found.title == "Ingénieur SRE – Paris"


def test_markdown_badges_give_salary_and_regions():
    text = (
        "# [Staff SRE](https://x.example/a)\n### Acme\n"
        "#### `💰 $150k–180k` `🌎 Remote (US / Canada)`\n\nBody.\n"
    )
    found = posting(text)
    assert found.salary.display() == "USD 150,000–180,000 a year"
    assert [r.name for r in found.regions] == ["United States", "Canada"]
    assert found.company == "Acme" and found.apply_url == "https://x.example/a"
    assert "Staff SRE" not in found.description_html  # the header block is not repeated


def test_timezone_location_and_comma_tags():
    found = posting(
        "---\nlocation: Remote (UTC-5 to UTC+3)\ntags: k8s, golang, Basket Weaving\n---\nBody\n"
    )
    assert {r.slug for r in found.regions} >= {"europe", "north-america"}
    names = [t.name for t in found.tags]
    assert names[:2] == ["Kubernetes", "Go"] and "Basket Weaving" in names


def test_expiry_date_closes_the_posting_after_that_day():
    found = posting("---\ntitle: SRE\nexpires: 2026-11-23\n---\nBody\n")
    assert found.is_open(datetime(2026, 11, 23, 23, 0, tzinfo=UTC))
    assert not found.is_open(datetime(2026, 11, 24, 0, 0, 1, tzinfo=UTC))


def test_date_falls_back_to_first_commit_then_now():
    raw, _ = read_posting("content/p.txt", b"SRE\n\nBody.\n")
    committed = datetime(2025, 5, 1, tzinfo=UTC)
    dated, _ = extract(raw[0], Context(TAXONOMY_LOADED, NOW, {"content/p.txt": committed}))
    assert dated.date_posted == committed
    undated, problems = extract(raw[0], CONTEXT)
    assert undated.date_posted == NOW
    assert any("using the build date" in p.message for p in problems)


ODD_FRONT_MATTER = [
    "title: 123", "title: [x]", "tags: {a: 1}", "tags: 5", "date: [1]", "salary: 5",
    "regions: 7", "regions: {a: b}", "expires: [1]", "company: {a: 1}", "location: [1]",
    "apply_url: 5", "employment_type: [5]", "slug: {}", "salary: {a: 1}", "date: 99999999999",
]  # fmt: skip


@pytest.mark.parametrize("line", ODD_FRONT_MATTER)
def test_odd_front_matter_types_give_a_posting_not_a_crash(line):
    found = posting(f"---\n{line}\n---\nSRE wanted.\n")
    assert found.title and found.slug and "{" not in found.company


def test_flags_written_as_text():
    assert posting("---\ndraft: 'false'\nremote: 'no'\n---\nBody\n").draft is False
    assert posting("---\nremote: 'no'\n---\nBody\n").remote is False
    assert posting("---\ndraft: 'yes'\n---\nBody\n").draft is True


def test_warnings_about_front_matter_values_name_their_line():
    raw, _ = read_posting(
        "content/p.txt",
        b"---\ntitle: SRE\nsalary: lots\nexpires: someday\ntags: [k8s, Widgetry]\n---\nBody\n",
    )
    _, problems = extract(raw[0], CONTEXT)
    lines = {p.message.split(" ")[0]: p.line for p in problems if p.line}
    assert lines == {"salary": 3, "expiry": 4, "tag": 5}
    assert str(next(p for p in problems if p.line == 3)).startswith("content/p.txt:3: warning:")


# --- regions, the board's maximum age, and the last edit ------------------------------------


def extracted(text: str, context: Context = CONTEXT):
    raws, problems = read_posting("content/p.txt", text.encode())
    assert not problems
    return extract(raws[0], context)


def test_an_ad_that_takes_applicants_anywhere_is_open_worldwide():
    found, problems = extracted("SRE at Acme\n\nThis job can be done from anywhere in the world.\n")
    assert [region.slug for region in found.regions] == ["worldwide"]
    assert not [p for p in problems if "location" in p.message]


@pytest.mark.parametrize(
    "sentence",
    ["Work from anywhere in the US.", "Hire from any country in the EU.",
     "Live wherever you want within Canada."],
)  # fmt: skip
def test_anywhere_within_a_place_is_not_worldwide(sentence):
    found, _ = extracted(f"SRE at Acme\n\n{sentence}\n")
    assert all(region.slug != "worldwide" for region in found.regions)


def test_regions_named_twice_are_kept_once():
    found, _ = extracted("---\ntitle: SRE\nregions: [Nordics, nordics, EU, Europe]\n---\nHi\n")
    assert [region.name for region in found.regions] == [
        "Denmark",
        "Finland",
        "Iceland",
        "Norway",
        "Sweden",
        "European Union",
        "Europe",
    ]


def test_a_remote_location_without_a_region_warns_on_its_line():
    found, problems = extracted("---\ntitle: SRE\nlocation: Remote\n---\nWe go on-call.\n")
    assert found.regions == ()
    (problem,) = [p for p in problems if "names no region" in p.message]
    assert str(problem) == (
        "content/p.txt:3: warning: location 'Remote' names no region applicants may live in"
        " — add `regions:` in front matter, e.g. [Worldwide] or [Europe, United States]"
    )


def test_a_country_knows_the_regions_around_it():
    found, _ = extracted("---\ntitle: SRE\nregions: [Germany, Canada, Nordics]\n---\nHi\n")
    assert [region.within for region in found.regions][:2] == [
        ("europe", "european-union"),
        ("north-america",),
    ]


def test_the_boards_maximum_age_closes_postings_without_an_expiry():
    context = replace(CONTEXT, max_age=timedelta(days=60))
    aged, _ = extracted("---\ntitle: SRE\ndate: 2026-09-01\n---\nHi\n", context)
    assert aged.valid_through == datetime(2026, 10, 31, tzinfo=UTC)
    assert not aged.is_open(NOW)
    fresh, _ = extracted("---\ntitle: SRE\ndate: 2026-11-01\n---\nHi\n", context)
    assert fresh.is_open(NOW)
    own, _ = extracted("---\ntitle: SRE\ndate: 2026-01-01\nexpires: 2026-12-31\n---\nHi\n", context)
    assert own.is_open(NOW)  # its own expiry wins over the board's age


def test_the_last_edit_comes_from_front_matter_then_git():
    edited = datetime(2026, 11, 5, tzinfo=UTC)
    context = replace(CONTEXT, last_changed={"content/p.txt": edited})
    found, _ = extracted("---\ntitle: SRE\ndate: 2026-11-01\n---\nHi\n", context)
    assert found.date_modified == edited and found.updated == edited
    found, _ = extracted(
        "---\ntitle: SRE\ndate: 2026-11-01\nupdated: 2026-11-09\n---\nHi\n", context
    )
    assert found.updated == datetime(2026, 11, 9, tzinfo=UTC)
    found, problems = extracted("---\ntitle: SRE\ndate: 2026-11-01\nupdated: soon\n---\nHi\n")
    assert found.updated == found.date_posted
    expected = "content/p.txt:4: warning: updated 'soon' is not a date — write it as YYYY-MM-DD"
    assert expected in map(str, problems)
