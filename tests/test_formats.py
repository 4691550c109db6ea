"""Format rules: the fields each posting layout reveals, where each was found, and the body."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, get_args

import pytest

from builder.formats import FORMAT_RULES, is_placeholder, present, smart_title
from builder.model import Format, RawPosting, Salary

JOB = {
    "@type": "JobPosting",
    "title": "SRE",
    "hiringOrganization": {"name": "Acme"},
    "datePosted": "2026-01-02",
    "validThrough": "2026-03-01",
    "employmentType": "FULL_TIME",
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {"minValue": 100000, "maxValue": 150000, "unitText": "YEAR"},
    },
    "jobLocation": [{"address": {"addressLocality": "Berlin", "addressCountry": "DE"}}],
    "applicantLocationRequirements": [{"@type": "Country", "name": "Germany"}, "France", None],
    "jobLocationType": "TELECOMMUTE",
    "url": "https://x.example/apply",
    "identifier": {"@type": "PropertyValue", "value": "42"},
    "description": "&lt;p&gt;Run &lt;b&gt;things&lt;/b&gt;&lt;/p&gt;",
}


def layout(kind: Format, body: str = "", **options: Any) -> tuple[dict, dict, str]:
    return FORMAT_RULES[kind](RawPosting("p.txt", kind, body, **options))


def jsonld(job: dict[str, Any], **options: Any) -> tuple[dict, dict, str]:
    return layout("jsonld", jsonld=MappingProxyType(job), **options)


def test_there_is_one_rule_per_format():
    assert set(FORMAT_RULES) == set(get_args(Format))


# --- JSON-LD ------------------------------------------------------------------------------


def test_jsonld_reads_every_field_and_names_the_key_it_came_from():
    found, sources, description = jsonld(JOB)
    assert found == {
        "title": "SRE",
        "company": "Acme",
        "date": "2026-01-02",
        "valid_through": "2026-03-01",
        "employment_type": "FULL_TIME",
        "salary": Salary("USD", 100000, 150000, "YEAR"),
        "location": "Berlin, DE",
        "regions": ["Germany", "France"],
        "remote": True,
        "apply_url": "https://x.example/apply",
        "identifier": "42",
    }
    assert sources["company"] == "JSON-LD `hiringOrganization`"
    assert sources["regions"] == "JSON-LD `applicantLocationRequirements`"
    assert set(sources) == set(found)
    assert description == "<p>Run <b>things</b></p>"  # escaped HTML is read as HTML


def test_jsonld_from_a_hiring_system_names_the_system_as_the_source():
    _, sources, _ = jsonld({"title": "SRE", "url": "https://x.example/1"}, system="Greenhouse")
    assert sources == {"title": "Greenhouse job JSON", "apply_url": "Greenhouse job JSON"}


def test_jsonld_organization_and_identifier_may_be_plain_values():
    found, _, _ = jsonld({"hiringOrganization": "Acme Inc", "identifier": "abc-1"})
    assert found == {"company": "Acme Inc", "identifier": "abc-1"}


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ({"address": {"addressLocality": "Lyon", "addressCountry": "FR"}}, "Lyon, FR"),
        (
            [{"address": {"addressLocality": "Oslo"}}, {"address": {"addressLocality": "Bergen"}}],
            "Oslo",
        ),
        ({"address": {"addressLocality": "Berlin", "addressRegion": "Berlin"}}, "Berlin"),
        ({"address": "Berlin"}, None),
        ({"address": {}}, None),
        ([], None),
        ("Berlin", None),
    ],
)
def test_jsonld_place_is_the_first_address_without_repeated_parts(location, expected):
    found, _, _ = jsonld({"jobLocation": location})
    assert found.get("location") == expected


@pytest.mark.parametrize(
    ("requirements", "expected"),
    [
        ({"@type": "Country", "name": "USA"}, ["USA"]),
        (["Canada", {"name": "Mexico"}, {"@type": "Country"}, ""], ["Canada", "Mexico"]),
        ([None], None),
        (None, None),
    ],
)
def test_jsonld_regions_are_named_countries_and_plain_names(requirements, expected):
    found, _, _ = jsonld({"applicantLocationRequirements": requirements})
    assert found.get("regions") == expected


@pytest.mark.parametrize(
    ("kind", "remote"), [("TELECOMMUTE", True), ("ONSITE", None), (None, None)]
)
def test_jsonld_is_remote_only_when_it_says_telecommute(kind, remote):
    found, _, _ = jsonld({"jobLocationType": kind})
    assert found.get("remote") is remote


def test_jsonld_placeholders_are_neither_found_nor_sourced():
    found, sources, _ = jsonld(
        {"title": "  ", "hiringOrganization": {"name": "N/A"}, "url": "", "datePosted": "null"}
    )
    assert found == {} and sources == {}


def test_jsonld_description_in_plain_text_becomes_paragraphs():
    _, _, description = jsonld({"description": "First.\n\nSecond."})
    assert description == "<p>First.</p>\n<p>Second.</p>"


def test_jsonld_without_a_document_gives_nothing():
    assert layout("jsonld") == ({}, {}, "")


# --- Markdown -----------------------------------------------------------------------------

BOARD_AD = (
    "# [Senior SRE](https://x.example/job)\n"
    "### [Acme](https://acme.example)\n"
    "#### `🌍 Europe` `Full-time` `💰 $120,000 - $150,000`\n"
    "\n"
    "We run things.\n"
)


def test_markdown_header_block_gives_title_link_company_and_badges():
    found, sources, description = layout("markdown", BOARD_AD)
    assert found == {
        "title": "Senior SRE",
        "apply_url": "https://x.example/job",
        "company": "Acme",
        "location": "Europe",
        "employment_type": "Full-time",
        "salary": "$120,000 - $150,000",  # the emoji dropped
    }
    assert sources["apply_url"] == "Markdown `# [Title](url)` heading link"
    assert sources["company"] == "Markdown `### Company` heading"
    assert sources["salary"] == "Markdown `####` line of `badges`"
    assert description == "<p>We run things.</p>"  # the header lines are not repeated


def test_markdown_header_block_ends_at_the_first_line_of_text():
    found, _, description = layout("markdown", "Intro line\n# Title later\n\ntext")
    assert found == {}
    assert "Title later" in description


def test_markdown_company_heading_must_follow_the_title():
    found, _, description = layout("markdown", "## Acme\n# SRE\nbody")
    assert found == {}
    assert "Acme" in description and "SRE" in description


def test_markdown_takes_one_company_heading_of_under_80_characters():
    found, _, description = layout("markdown", "# SRE\n## Acme\n## About us\nbody")
    assert found == {"title": "SRE", "company": "Acme"}
    assert "About us" in description
    long_name = "A" * 85
    found, _, _ = layout("markdown", f"# SRE\n## {long_name}\nbody")
    assert "company" not in found


def test_markdown_badges_need_a_title_above_them():
    found, _, description = layout("markdown", "#### `Remote`\n# SRE\nbody")
    assert found == {}
    assert "Remote" in description


def test_markdown_first_apply_link_is_taken_and_every_apply_line_dropped():
    body = (
        "We run things.\n\n[Apply here](https://x.example/1)\nor [apply now](https://x.example/2)\n"
    )
    found, sources, description = layout("markdown", body, body_line=10)
    assert found == {"apply_url": "https://x.example/1"}
    assert sources["apply_url"] == "Markdown `[Apply](url)` link (line 12)"
    assert description == "<p>We run things.</p>"


def test_markdown_title_link_wins_over_an_apply_trailer():
    found, _, description = layout("markdown", BOARD_AD + "\nCLICK TO [APPLY](https://x.example/a)")
    assert found["apply_url"] == "https://x.example/job"
    assert "CLICK" not in description


# --- Plain text ---------------------------------------------------------------------------


def test_text_first_short_line_is_the_title_with_its_line():
    body = (
        "senior sre\n\nWe run things.\nLocation: Berlin, Germany\nApply at https://x.example/a.\n"
    )
    found, sources, description = layout("text", body, body_line=3)
    assert found == {
        "title": "Senior SRE",
        "location": "Berlin, Germany",
        "apply_url": "https://x.example/a",  # without the full stop that ends the sentence
    }
    assert sources == {
        "title": "first short line (line 3)",
        "location": "`location:` line (line 6)",
        "apply_url": "URL on a line that says apply (line 7)",
    }
    assert "senior sre" not in description
    assert "Location: Berlin" in description  # labelled lines stay in the ad


def test_text_takes_the_first_location_label_and_only_urls_beside_apply():
    body = "SRE\nLOCATION :  Remote, Europe \nlocation: Mars\nsee https://x.example/info\n"
    found, _, _ = layout("text", body)
    assert found == {"title": "SRE", "location": "Remote, Europe"}


@pytest.mark.parametrize("name", ["job_ad_2026-01.txt", "senior-sre-acme", "Ad copy.PDF"])
def test_text_skips_a_scrapers_file_name_above_the_title(name):
    found, sources, description = layout("text", f"{name}\nSenior SRE\nbody\n")
    assert found == {"title": "Senior SRE"}
    assert sources["title"] == "first short line (line 2)"
    assert name not in description


def test_text_pipe_header_gives_its_fields_and_stays_in_the_ad():
    line = "Acme | Senior SRE | Remote (EU) | $150k | Full-time | https://acme.example/jobs"
    found, sources, description = layout("text", f"{line}\nbody\n", body_line=2)
    assert found == {
        "company": "Acme",
        "title": "Senior SRE",
        "location": "Remote (EU)",
        "salary": "$150k",
        "employment_type": "Full-time",
        "apply_url": "https://acme.example/jobs",
    }
    assert set(sources.values()) == {"the `Company | Title | …` header line (line 2)"}
    assert "Acme | Senior SRE" in description


def test_text_byline_below_the_title_gives_company_and_place():
    found, sources, _ = layout("text", "Senior SRE\nAcme · Berlin, Germany · Full-time\nbody\n")
    assert found == {"title": "Senior SRE", "company": "Acme", "location": "Berlin, Germany"}
    assert sources["company"] == "the `Company · Place` line below the title (line 2)"


def test_text_title_dash_company_needs_the_company_named_again():
    found, sources, _ = layout("text", "SRE - Acme (Remote)\nAcme is hiring. Join Acme.\n")
    assert found["company"] == "Acme"
    assert sources["company"] == "`Title - Company` line, named again in the ad"
    found, _, _ = layout("text", "SRE - Lyon\nWe are hiring in France.\n")
    assert "company" not in found  # "- Lyon" may be a place


def test_text_first_line_stays_when_front_matter_gives_the_title():
    front_matter = MappingProxyType({"title": "Curated"})
    found, _, description = layout("text", "Senior SRE\n\nbody\n", front_matter=front_matter)
    assert found == {}
    assert "Senior SRE" in description


def test_text_opening_sentence_is_no_title():
    found, _, _ = layout("text", "We are a company that runs things.\nMore text.\n")
    assert found == {}


@pytest.mark.parametrize("body", ["", "\n\n  \n"])
def test_text_without_content_gives_nothing(body):
    assert layout("text", body) == ({}, {}, "")


# --- HTML ---------------------------------------------------------------------------------


def test_html_first_h1_is_the_title_and_leaves_the_body():
    found, sources, description = layout("html", '<H1 class="t">Senior <em>SRE</em></H1><p>x</p>')
    assert found == {"title": "Senior SRE"}
    assert sources == {"title": "HTML `<h1>` heading"}
    assert "Senior" not in description and "<p>x</p>" in description


def test_html_only_the_first_h1_is_taken():
    found, _, description = layout("html", "<h1>One</h1><p>x</p><h1>Two</h1>")
    assert found["title"] == "One"
    assert "Two" in description
    _, _, description = layout("html", "<h1>SRE</h1><p>x</p><h1>SRE</h1>")
    assert "SRE" in description  # a repeated heading is the ad's own text, and stays


def test_html_link_after_the_word_apply_is_the_apply_url_and_stays():
    body = '<p>x</p><p>To apply, <a href="https://x.example/a?x=1&amp;y=2">click</a></p>'
    found, sources, description = layout("html", body)
    assert found == {"apply_url": "https://x.example/a?x=1&y=2"}  # as a browser reads it
    assert sources == {"apply_url": "HTML link after the word apply"}
    assert "To apply" in description and "click</a>" in description


def test_html_link_far_from_the_word_apply_is_not_taken():
    body = '<p>Apply through our careers page, which is linked below: <a href="https://x.example">here</a></p>'
    found, _, _ = layout("html", body)
    assert found == {}


# --- Titles and placeholders --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("senior sre", "Senior SRE"),
        ("sre in the cloud", "SRE in the Cloud"),  # small words stay small inside a title
        ("the sre on aws and gcp", "The SRE on AWS and GCP"),
        ("platform engineer's role", "Platform Engineer's Role"),
        ("Senior sre", "Senior sre"),  # written with capitals: left as the writer meant it
        ("SRE", "SRE"),
    ],
)
def test_smart_title_capitalizes_titles_written_all_in_lower_case(text, expected):
    assert smart_title(text) == expected


@pytest.mark.parametrize(
    "value",
    ["None", " n/a ", "NULL", "Unknown Company", "TBD", "-", "[]", "{}", "", "   ", None, []],
)
def test_placeholders_are_recognized(value):
    assert is_placeholder(value)


@pytest.mark.parametrize("value", ["x", "nonee", "Nadia", 0, False, {}, ["a"]])
def test_real_values_are_not_placeholders(value):
    assert not is_placeholder(value)


def test_present_drops_empty_and_placeholder_fields_and_keeps_the_rest():
    found = {"a": "None", "b": "SRE", "c": None, "d": [], "e": 0, "f": "  ", "g": ["x"]}
    assert present(found) == {"b": "SRE", "e": 0, "g": ["x"]}
