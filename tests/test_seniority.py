"""Seniority: read from the title's words (front matter `seniority:` wins), shown on cards and
posting pages, given in feed.json's `_job` and as a search filter; never a guess."""

from __future__ import annotations

import json

import jsonschema
import lxml.html
import pytest
from conftest import NOW, TAXONOMY, build_site
from test_feeds import FORMATS, JOB_EXTENSION

from builder.curate import explain
from builder.extract import Context, extract
from builder.readers import read_posting
from builder.seniority import LEVELS, given_level, title_level
from builder.taxonomy import load_taxonomy

CONTEXT = Context(load_taxonomy(TAXONOMY)[0], NOW, {})
ALLOWED = "intern, junior, mid, senior, staff, principal, lead, manager, director"


def level(title: str) -> str | None:
    found = title_level(title)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Senior Site Reliability Engineer", "senior"),
        ("Sr. SRE", "senior"),
        ("Sr SRE, Observability", "senior"),
        ("Snr DevOps Engineer", "senior"),
        ("SENIOR SITE RELIABILITY ENGINEER (REMOTE)", "senior"),
        ("Ingeniero Sénior de Fiabilidad", "senior"),
        ("Staff Site Reliability Engineer", "staff"),
        ("Senior Staff Engineer, Infrastructure", "staff"),  # the higher of the two
        ("Staff / Senior SRE", "staff"),
        ("Principal SRE", "principal"),
        ("Principal Engineer - Reliability", "principal"),
        ("Lead SRE", "lead"),
        ("SRE Lead", "lead"),
        ("Tech Lead, Platform Reliability", "lead"),
        ("Senior SRE (Team Lead)", "lead"),
        ("Team Leader - Cloud Operations", "lead"),
        ("Engineering Manager, SRE", "manager"),
        ("Manager of Site Reliability Engineering", "manager"),
        ("Senior Engineering Manager, Infrastructure", "manager"),
        ("SRE Manager", "manager"),
        ("Head of SRE", "director"),
        ("Head of Infrastructure & Reliability", "director"),
        ("Director of Site Reliability Engineering", "director"),
        ("Senior Director, Production Engineering", "director"),
        ("VP of Infrastructure", "director"),
        ("Vice President, Engineering Operations", "director"),
        ("Junior DevOps Engineer", "junior"),
        ("Jr. SRE", "junior"),
        ("Entry level Site Reliability Engineer", "junior"),
        ("Entry-Level Cloud Engineer", "junior"),
        ("Graduate SRE", "junior"),
        ("New Grad - Production Engineer", "junior"),
        ("Site Reliability Engineer I", "junior"),
        ("SRE Intern", "intern"),
        ("Site Reliability Engineering Internship (Summer 2026)", "intern"),
        ("Graduate Intern, SRE", "intern"),  # an internship whatever else it says
        ("Mid-level SRE", "mid"),
        ("Mid Level DevOps Engineer", "mid"),
        ("Intermediate Site Reliability Engineer, Gitaly:Cluster", "mid"),
        ("Site Reliability Engineer II", "mid"),
        ("SRE II - Kubernetes", "mid"),
        ("Site Reliability Engineer 2", "mid"),
        ("Junior/Mid SRE", "mid"),  # the higher of the two
        ("Mid/Senior Platform Engineer", "senior"),
        ("Mid-Senior SRE", "senior"),
    ],
)
def test_a_title_word_names_the_level(title, expected):
    assert level(title) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Site Reliability Engineer",
        "SRE",  # not "Sr"
        "SREs wanted",
        "DevOps Engineer (Remote, US time zones)",
        "Staffing Platform Engineer",  # "Staff" inside a word
        "Member of Technical Staff, Infrastructure",
        "Chief of Staff to the CTO",
        "Leadership Development Engineer",  # "Lead" inside a word
        "Misleading Alerts Engineer",
        "SRE (managed services)",  # "managed" is no manager
        "Release Manager",  # a role, not a rung
        "Incident Manager, Production",
        "Active Directory Engineer",  # "Directory" is no director
        "VPN Engineer",
        "Internal Tools SRE",  # "Internal" is no intern
        "International Infrastructure Engineer",
        "Gradle Build Engineer",  # "Grad" inside a word
        "Site Reliability Engineer III",  # III and above differ from employer to employer
        "Platform Engineer, Mid-Market",
        "SRE 2.0 Initiative Engineer",
        "Engineer in Berlin",  # "I" in a word, not a grade
        "",
    ],
)
def test_a_title_that_names_no_level_has_none(title):
    assert level(title) is None


def test_the_words_that_named_the_level_are_kept_for_explain():
    assert title_level("Senior Staff Engineer") == ("staff", "Staff")
    assert title_level("Tech  Lead, SRE") == ("lead", "Tech Lead")
    assert title_level("Sr.SRE") == ("senior", "Sr")
    assert title_level("SRE II") == ("mid", "SRE II")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("senior", "senior"),
        ("Senior", "senior"),
        (" STAFF ", "staff"),
        ("Mid-level", "mid"),
        ("mid", "mid"),
        ("Sr.", "senior"),
        ("Entry level", "junior"),
        ("Mid-Senior level", "senior"),
        ("expert", None),
        ("", None),
        (3, None),
        (["senior"], None),
    ],
)
def test_a_curators_value_is_a_level_name_label_or_title_word(value, expected):
    assert given_level(value) == expected


def test_every_level_is_its_own_name():
    assert all(given_level(name) == name for name in LEVELS)
    assert ", ".join(LEVELS) == ALLOWED


def extracted(text: str):
    raws, problems = read_posting("content/p.txt", text.encode())
    assert not problems
    return extract(raws[0], CONTEXT)


def front_matter(extra: str, title: str = "Senior SRE") -> str:
    return f"---\ntitle: {title}\ncompany: Acme\nregions: [Europe]\n{extra}---\nRun Kubernetes.\n"


def warnings_about_seniority(problems) -> list:
    return [p for p in problems if "seniority" in p.message]


def test_the_title_gives_the_level_and_explain_says_so():
    posting, problems = extracted(front_matter("", title="Senior Staff SRE"))
    assert posting.seniority == "staff" and posting.level == "Staff"
    assert not warnings_about_seniority(problems)
    lines = explain(posting)
    assert "  seniority: staff" in lines
    assert lines[lines.index("  seniority: staff") + 1].strip() == (
        '← the title, which says "Staff"'
    )


def test_front_matter_wins_over_the_title():
    posting, problems = extracted(front_matter("seniority: lead\n", title="Senior SRE"))
    assert posting.seniority == "lead"
    assert not warnings_about_seniority(problems)
    assert dict(posting.provenance)["seniority"] == "front matter `seniority` (line 5)"


@pytest.mark.parametrize("key", ["level", "experience_level", "seniority_level"])
def test_front_matter_aliases_are_read(key):
    posting, _ = extracted(front_matter(f"{key}: Principal\n", title="SRE"))
    assert posting.seniority == "principal"
    assert dict(posting.provenance)["seniority"] == f"front matter `{key}` (line 5)"


def test_front_matter_gives_a_level_the_title_does_not():
    posting, _ = extracted(
        front_matter("seniority: Mid-level\n", title="Site Reliability Engineer")
    )
    assert posting.seniority == "mid" and posting.level == "Mid-level"


def test_front_matter_false_says_the_title_names_no_level():
    # "Principal" here is the employer's name a curator left in the title.
    posting, problems = extracted(front_matter("seniority: false\n", title="Principal SRE"))
    assert posting.seniority is None and posting.level == ""
    assert not warnings_about_seniority(problems)


def test_an_unknown_level_is_warned_with_its_line_and_the_allowed_values():
    posting, problems = extracted(front_matter("seniority: expert\n", title="Senior SRE"))
    [problem] = warnings_about_seniority(problems)
    assert str(problem).startswith("content/p.txt:5: warning: seniority 'expert'")
    assert "'expert' is not a level the board knows" in problem.message
    assert ALLOWED in problem.fix
    assert posting.seniority == "senior"  # the title is read instead


def test_an_unknown_level_under_an_alias_is_warned_on_the_aliass_line():
    _, problems = extracted(front_matter("tags: [Go]\nlevel: 7\n", title="SRE"))
    [problem] = warnings_about_seniority(problems)
    assert problem.line == 6 and "'7'" in problem.message


def test_a_company_named_principal_is_not_a_level():
    curated, _ = extracted("---\ntitle: Site Reliability Engineer\ncompany: Principal\n---\nHi.\n")
    assert curated.company == "Principal" and curated.seniority is None
    # The company moves out of a `Title - Company` line, and its name with it.
    ad = "Site Reliability Engineer - Principal Financial\n\nAt Principal Financial we run k8s.\n"
    text, _ = extracted(ad)
    assert (text.title, text.company) == ("Site Reliability Engineer", "Principal Financial")
    assert text.seniority is None


def test_a_posting_without_a_title_has_no_level():
    posting, _ = extracted("We need a senior person to run our databases. Apply today.\n")
    assert posting.seniority is None
    assert dict(posting.provenance)["seniority"] == "no level named in the title"


# --- the built site -----------------------------------------------------------------------------

POSTINGS = {
    "staff.txt": front_matter("date: 2026-11-20\n", title="Senior Staff SRE"),
    "plain.txt": front_matter("date: 2026-11-19\n", title="Site Reliability Engineer"),
    "curated.txt": front_matter("date: 2026-11-18\nseniority: lead\n", title="Platform SRE"),
}


@pytest.fixture
def site(content, tmp_path):
    for name, text in POSTINGS.items():
        (content / name).write_text(text, encoding="utf-8")
    output = tmp_path / "_site"
    result = build_site(content, output)
    assert result.written, [str(p) for p in result.errors]
    return {p.title: p for p in result.postings}, output


def page_of(output, posting):
    return lxml.html.fromstring((output / posting.path / "index.html").read_bytes())


def test_cards_show_the_level_when_known(site):
    _, output = site
    home = lxml.html.fromstring((output / "index.html").read_bytes())
    labels = {
        card.xpath("string(.//h2)").strip(): card.xpath('string(.//li[@class="fact-level"])')
        for card in home.xpath('//li[contains(@class, "card")]')
    }
    assert labels == {
        "Senior Staff SRE": "Level: Staff",
        "Site Reliability Engineer": "",
        "Platform SRE": "Level: Lead",
    }


def test_the_posting_page_shows_the_level_and_carries_the_search_filter(site):
    postings, output = site
    for title, shown in (("Senior Staff SRE", "Staff"), ("Platform SRE", "Lead")):
        page = page_of(output, postings[title])
        facts = page.xpath('//aside[@class="facts-panel"]//dt[.="Level"]/following-sibling::dd[1]')
        assert [dd.text_content() for dd in facts] == [shown]
        assert page.xpath('//*[@data-pagefind-filter="seniority"]/text()') == [shown]
        assert page.xpath("//article/@data-pagefind-body") == [""]
    plain = page_of(output, postings["Site Reliability Engineer"])
    assert plain.xpath('//dt[.="Level"]') == []
    assert plain.xpath('//*[@data-pagefind-filter="seniority"]') == []


def test_the_json_feed_gives_the_level_only_when_known(site):
    _, output = site
    feed = json.loads((output / "feed.json").read_text(encoding="utf-8"))
    jobs = {item["title"]: item["_job"] for item in feed["items"]}
    assert jobs["Senior Staff SRE at Acme"]["seniority"] == "staff"
    assert jobs["Platform SRE at Acme"]["seniority"] == "lead"
    assert "seniority" not in jobs["Site Reliability Engineer at Acme"]
    # `_job` as tests/test_feeds.py describes it, with the level among its properties.
    schema = {
        **JOB_EXTENSION,
        "properties": {**JOB_EXTENSION["properties"], "seniority": {"enum": list(LEVELS)}},
    }
    for job in jobs.values():
        jsonschema.validate(job, schema, format_checker=FORMATS)
