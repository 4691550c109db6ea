"""Time zones: the working-hours window an ad states (front matter `timezones:` wins), in
feed.json and the facts panel, and the `/timezones/` pages, feeds and search filter."""

from __future__ import annotations

import json
from datetime import datetime

import jsonschema
import lxml.html
import pytest
from accuracy import CORPUS
from conftest import NOW, TAXONOMY, build_site
from hypothesis import given
from hypothesis import strategies as st
from test_feeds import FORMATS, JOB_EXTENSION

from builder.curate import explain
from builder.extract import Context, extract
from builder.readers import read_posting
from builder.taxonomy import load_taxonomy
from builder.timezones import (
    ZONES,
    _first_window,
    label,
    may_state_a_window,
    parse_window,
    slug,
    window_in,
)

CONTEXT = Context(load_taxonomy(TAXONOMY)[0], NOW, {})


@pytest.mark.parametrize(
    ("sentence", "window"),
    [
        # Each form the README lists, as ads write them (several from tests/corpus).
        ("Remote (UTC-1 to UTC+3)", (-1, 3)),
        ("You must be able to work UTC-3 to UTC+3.", (-3, 3)),
        ("in a timezone between UTC-8 and UTC-3", (-8, -3)),
        ("Hours: UTC −3 – UTC +3", (-3, 3)),
        ("Anywhere from GMT-1 to GMT+3", (-1, 3)),
        ("UTC-3 to +3 works for us", (-3, 3)),
        ("Location: remote, EMEA time zones (UTC-1 to UTC+3).", (-1, 3)),
        ("We work GMT+1 ± 2 hours.", (-1, 3)),
        ("UTC+1 +/- 2h", (-1, 3)),
        ("Remote, overlap with US Eastern ±3 hours", (-8, -2)),
        ("within 3 hours of CET", (-2, 4)),
        ("You work CET hours.", (1, 1)),
        ("Must be available during CEST business hours", (1, 1)),
        ("Time zone: CET", (1, 1)),
        ("We're hiring: Platform Engineer (Remote, US time zones)", (-8, -5)),
        ("**Location:** anywhere in US timezones", (-8, -5)),
        ("You can work in a European time zone", (0, 2)),
        ("Remote within APAC time zones.", (5, 10)),
        ("Our on-call follows APAC hours.", (5, 10)),
        ("Asia-Pacific time zones only", (5, 10)),
        ("the team is split between ET and PT", (-8, -5)),
        ("Pacific time zone preferred", (-8, -8)),
        ("You keep US Eastern hours", (-5, -5)),
        ("UTC+14 to UTC+14 hours", (14, 14)),
    ],
)
def test_each_form_gives_its_window(sentence, window):
    found = window_in(sentence)
    assert found is not None, sentence
    assert found[0] == window


@pytest.mark.parametrize(
    "sentence",
    [
        "€90,000 - €115,000 EUR +3% bonus, 3+ years of experience",  # "+3" is no offset
        "All logs carry UTC timestamps; we alert in UTC.",
        "Our office is in Berlin (CET).",  # where the company sits, not the hours to keep
        "offices in CET and EST",  # two offices, no range of hours
        "at least 4 hours of overlap with US Eastern time",  # how much overlap, not when
        "Happy to work a schedule overlapping 10:00-15:00 US Central",
        "Live anywhere in APAC with decent overlap with Sydney business hours",
        "a team member in apac who covers evening hours us time",
        "a distributed team spanning multiple time zones",
        "You may work in the US or Canada.",  # a place applicants live: regions say that
        "You may work in CT or NY.",  # Connecticut, not Central Time
        "we live in Europe",
        "come join us hours before launch",  # abbreviations count in capitals only
        "eat in the west hours later",
        "UTC+5:30 hours",  # not whole hours
        "UTC+20 to UTC+22",  # no zone has these
        "",
    ],
)
def test_traps_state_no_window(sentence):
    assert window_in(sentence) is None


# Zone words in every case and shape, between the forms' words and look-alikes.
ZONE_WORDS = (
    "UTC", "utc", "Utc", "GMT", "gmt", "UTC+3", "GMT-1", "utc−5", "CET", "cet", "CEST", "EET",
    "WEST", "west", "MSK", "msk", "EST", "ET", "et", "CT", "MT", "PT", "PDT", "JST", "SGT",
    "AEST", "US", "us", "U.S.", "U.S", "EU", "eu", "APAC", "apac", "Asia-Pacific",
    "asia pacific", "North America", "north american", "Europe", "European", "Central",
    "central European", "Eastern", "US Eastern", "western european time", "Moscow", "Mountain",
    "Pacific", "Coordinated Universal Time",
)  # fmt: skip
BEFORE = ("", "between", "within 3 hours of", "time zone:", "work in", "during", "overlap with",
          "capacity", "İ", "é", "(", "_", "-", "the")  # fmt: skip
AFTER = ("", "to", "and", "–", "+2", "-3", "± 2 hours", "+/- 1", "plus or minus 3", "hours",
         "timezones", "time zone", ")", ",", "team")  # fmt: skip
PHRASE = st.tuples(st.sampled_from(BEFORE), st.sampled_from(ZONE_WORDS), st.sampled_from(AFTER))


@given(st.lists(PHRASE, min_size=1, max_size=4), st.sampled_from(("", " ", "-", "_", "\n")))
def test_the_quick_look_never_misses_a_window(phrases, separator):
    text = separator.join(separator.join(phrase) for phrase in phrases)
    if _first_window(text) is not None:
        assert may_state_a_window(text), text


def test_the_quick_look_passes_over_an_ad_naming_no_zone():
    ad = "Own capacity planning for our platform team; we pay well and you work remotely."
    assert not may_state_a_window(ad)


def test_the_quick_look_never_misses_a_window_in_the_corpus():
    for ad in sorted(CORPUS.glob("*.txt")):
        text = ad.read_bytes().decode("utf-8", "replace")  # some come in other encodings
        assert may_state_a_window(text) or _first_window(text) is None, ad.name


def test_the_first_window_the_text_states_wins():
    text = "Remote, US time zones (the team is split between ET and PT). Office in CET."
    assert window_in(text) == ((-8, -5), "US time zones")


def test_the_zone_table_matches_zoneinfo_standard_offsets():
    """Each zone's window is the standard (January) offsets of the IANA zones it names."""
    zoneinfo = pytest.importorskip("zoneinfo")
    january = datetime(2025, 1, 15, 12)
    for zone in ZONES:
        offsets = []
        for name in zone.iana:
            delta = january.replace(tzinfo=zoneinfo.ZoneInfo(name)).utcoffset()
            assert delta is not None
            offsets.append(int(delta.total_seconds() // 3600))
        assert (min(offsets), max(offsets)) == (zone.start, zone.end), zone.pattern


def test_curated_values_are_read_whole():
    assert parse_window("UTC-3 to UTC+3") == (-3, 3)
    assert parse_window("CET") == (1, 1)
    assert parse_window("US time zones") == (-8, -5)
    assert parse_window("GMT+1 ± 2 hours") == (-1, 3)
    assert parse_window("UTC+3") == (3, 3)
    assert parse_window("around lunch") is None
    assert (label(3), label(-5), label(0)) == ("UTC+3", "UTC-5", "UTC+0")
    assert (slug(3), slug(-5), slug(0)) == ("utc+3", "utc-5", "utc+0")


def posting_text(extra: str = "", body: str = "Run Kubernetes.") -> str:
    return f"---\ntitle: SRE\ncompany: Acme\nregions: [Europe]\n{extra}---\n{body}\n"


def extracted(text: str):
    raws, problems = read_posting("content/p.txt", text.encode())
    assert not problems
    return extract(raws[0], CONTEXT)


def about_timezones(problems) -> list:
    return [p for p in problems if "timezones" in p.message]


def test_the_description_gives_the_window_and_explain_says_so():
    posting, problems = extracted(posting_text(body="Work UTC-3 to UTC+3 with us."))
    assert posting.timezones == (-3, 3)
    assert posting.timezone_window == "UTC-3 to UTC+3"
    assert list(posting.timezone_offsets) == list(range(-3, 4))
    assert not about_timezones(problems)
    lines = explain(posting)
    assert "  timezones: UTC-3 to UTC+3" in lines
    assert lines[lines.index("  timezones: UTC-3 to UTC+3") + 1].strip() == (
        '← the description, which says "UTC-3 to UTC+3"'
    )


def test_no_window_means_no_field():
    posting, problems = extracted(posting_text(body="Our HQ is in Berlin (CET)."))
    assert posting.timezones is None and posting.timezone_window == ""
    assert not about_timezones(problems)


@pytest.mark.parametrize(
    ("value", "window"),
    [("UTC-1 to UTC+2", (-1, 2)), ("CET", (1, 1)), ("{from: -5, to: 1}", (-5, 1))],
)
def test_front_matter_wins_over_the_description(value, window):
    text = posting_text(f"timezones: {value}\n", body="We keep APAC hours.")
    posting, problems = extracted(text)
    assert posting.timezones == window
    assert not about_timezones(problems)
    assert dict(posting.provenance)["timezone_window"] == "front matter `timezones` (line 5)"


def test_front_matter_false_says_there_is_none():
    posting, problems = extracted(posting_text("timezones: false\n", body="We keep APAC hours."))
    assert posting.timezones is None
    assert not about_timezones(problems)


def test_an_alias_is_read():
    posting, _ = extracted(posting_text("timezone: UTC+2\n"))
    assert posting.timezones == (2, 2)


@pytest.mark.parametrize("value", ["whenever", "UTC+30", "{from: -3}", "[1, 2]"])
def test_an_unreadable_value_warns_with_its_line_and_fix(value):
    text = posting_text(f"timezones: {value}\n", body="We keep CET hours.")
    posting, problems = extracted(text)
    assert posting.timezones == (1, 1)  # read from the description instead
    [problem] = about_timezones(problems)
    assert problem.line == 5
    assert str(problem).startswith("content/p.txt:5")
    assert "UTC-3 to UTC+3" in problem.fix and "false" in problem.fix


def write(content, name: str, body: str, expires: str = "") -> None:
    extra = f"expires: {expires}\n" if expires else ""
    text = (
        f"---\ntitle: SRE {name}\ncompany: {name} Inc\nregions: [Worldwide]\n"
        f"date: 2026-11-01\napply_url: https://{name.lower()}.example/jobs\n{extra}---\n{body}\n"
    )
    (content / f"{name.lower()}.md").write_text(text)


@pytest.fixture
def zoned_site(content, tmp_path):
    write(content, "Alpha", "Work UTC-3 to UTC+3.")
    write(content, "Beta", "You keep CET hours.")
    write(content, "Gamma", "No hours to keep.")
    write(content, "Delta", "We work APAC hours.", expires="2026-11-10")  # closed by NOW
    output = tmp_path / "_site"
    result = build_site(content, output)
    assert result.written, [str(p) for p in result.errors]
    return output


def page(output, path: str):
    return lxml.html.fromstring((output / path / "index.html").read_bytes())


def titles(doc) -> list[str]:
    return sorted(t.strip() for t in doc.xpath('//ol[@class="cards"]//h2//text()') if t.strip())


def test_the_index_lists_each_covered_offset_with_its_count(zoned_site):
    doc = page(zoned_site, "timezones")
    links = {
        a.get("href"): a.text_content() for a in doc.xpath("//ul[contains(@class,'tag-index')]//a")
    }
    assert set(links) == {f"/timezones/utc{n:+d}/" for n in [*range(-3, 4), *range(5, 11)]}
    assert "1 open" in links["/timezones/utc-3/"]
    assert "2 open" in links["/timezones/utc+1/"]
    assert "0 open" in links["/timezones/utc+7/"]


def test_offset_pages_list_the_postings_whose_window_covers_them(zoned_site):
    assert "Alpha" in page(zoned_site, "timezones/utc-3").text_content()
    assert "Beta" not in page(zoned_site, "timezones/utc-3").text_content()
    plus_one = page(zoned_site, "timezones/utc+1").text_content()
    assert "Alpha" in plus_one and "Beta" in plus_one and "Gamma" not in plus_one
    assert (zoned_site / "timezones/utc+0/index.html").is_file()
    assert not (zoned_site / "timezones/utc+4").exists()
    assert not (zoned_site / "timezones/utc-4").exists()


def test_a_page_of_closed_postings_only_is_noindex_and_out_of_the_sitemap(zoned_site):
    closed = page(zoned_site, "timezones/utc+7")
    assert "Delta" in closed.text_content()
    assert closed.xpath('//meta[@name="robots"]/@content') == ["noindex"]
    assert page(zoned_site, "timezones/utc+1").xpath('//meta[@name="robots"]') == []
    sitemap = (zoned_site / "sitemap.xml").read_text()
    assert "/timezones/utc+1/" in sitemap and "/timezones/" in sitemap
    assert "/timezones/utc+7/" not in sitemap


def test_each_offset_page_has_its_feeds(zoned_site):
    for kind in ("feed.xml", "atom.xml", "feed.json"):
        assert (zoned_site / "timezones/utc+1" / kind).is_file()
    feed = json.loads((zoned_site / "timezones/utc+1/feed.json").read_text())
    assert sorted(item["title"] for item in feed["items"]) == [
        "SRE Alpha at Alpha Inc",
        "SRE Beta at Beta Inc",
    ]
    assert json.loads((zoned_site / "timezones/utc+7/feed.json").read_text())["items"] == []
    links = page(zoned_site, "timezones/utc+1").xpath('//link[@rel="alternate"]/@href')
    assert "/timezones/utc+1/feed.json" in links


def test_feed_json_carries_the_window_only_when_known(zoned_site):
    items = {
        item["title"]: item["_job"]
        for item in json.loads((zoned_site / "feed.json").read_text())["items"]
    }
    assert items["SRE Alpha at Alpha Inc"]["timezones"] == {"from": -3, "to": 3}
    assert items["SRE Beta at Beta Inc"]["timezones"] == {"from": 1, "to": 1}
    assert "timezones" not in items["SRE Gamma at Gamma Inc"]
    for job in items.values():
        jsonschema.validate(job, JOB_EXTENSION, format_checker=FORMATS)


def test_the_posting_page_shows_the_window_and_a_filter_per_offset(zoned_site):
    jobs = {p.parent.name: p for p in (zoned_site / "jobs").glob("*/index.html")}
    alpha = lxml.html.fromstring(next(p for n, p in jobs.items() if "alpha" in n).read_bytes())
    gamma = lxml.html.fromstring(next(p for n, p in jobs.items() if "gamma" in n).read_bytes())
    facts = alpha.xpath('//aside[@class="facts-panel"]//dd/text()')
    assert any("UTC-3 to UTC+3" in text for text in facts)
    values = alpha.xpath('//*[@data-pagefind-filter="timezone"]/text()')
    assert values == [f"UTC{n:+d}" for n in range(-3, 4)]
    assert gamma.xpath('//*[@data-pagefind-filter="timezone"]') == []
    assert "Hours" not in gamma.xpath('//aside[@class="facts-panel"]//dt/text()')


def test_search_indexes_a_timezone_filter_value_per_offset(zoned_site):
    """The search page's filter pane lists every filter the index holds: time zones too."""
    from test_search import read_index

    from builder.search import find_pagefind

    if find_pagefind() is None:
        pytest.skip("Pagefind is not installed")
    shards = sorted(p.parent for p in (zoned_site / "pagefind").glob("*/pagefind-entry.json"))
    assert shards, "the site has no search index"
    values: set[str] = set()
    for shard in shards:
        language = json.loads((shard / "pagefind-entry.json").read_text())["languages"]["en"]
        files = dict(read_index(shard / f"pagefind.{language['hash']}.pf_meta")[3])
        if "timezone" in files:
            _name, found = read_index(shard / "filter" / f"{files['timezone']}.pf_filter")
            values |= {value for value, _ in found}
    # Open postings only: Alpha covers UTC-3..+3, Beta UTC+1; closed Delta's APAC is not there.
    assert sorted(values) == sorted(f"UTC{n:+d}" for n in range(-3, 4))
