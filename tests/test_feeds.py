"""Feeds, read by a real feed parser: valid, open postings only, stable ids, build-date stamps."""

from __future__ import annotations

import json

import feedparser
import jsonschema
from conftest import NOW

# The parts of JSON Feed 1.1 (https://jsonfeed.org/version/1.1) this board uses.
JSON_FEED = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "authors": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"name": {"type": "string"}}},
                    },
                },
            },
        },
    },
}


def open_postings(result):
    return [p for p in result.postings if p.is_open(NOW)]


def test_rss_and_atom_parse_cleanly_with_open_postings_only(seed_site):
    result, output = seed_site
    expected = [f"https://board.example/jobs/{p.slug}/" for p in open_postings(result)]
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((output / name).read_bytes())
        assert feed.bozo == 0, (name, feed.get("bozo_exception"))
        assert [entry.id for entry in feed.entries] == expected
        assert [entry.link for entry in feed.entries] == expected
        assert feed.feed.title == "SRE Board"
        assert all(entry.get("tags") for entry in feed.entries)


def test_feeds_are_stamped_with_the_build_date_not_the_clock(seed_site):
    _, output = seed_site
    rss = feedparser.parse((output / "feed.xml").read_bytes())
    atom = feedparser.parse((output / "atom.xml").read_bytes())
    assert rss.feed.updated_parsed[:6] == NOW.timetuple()[:6]
    assert atom.feed.updated_parsed[:6] == NOW.timetuple()[:6]


def test_json_feed_is_valid_and_matches_the_open_postings(seed_site):
    result, output = seed_site
    feed = json.loads((output / "feed.json").read_text(encoding="utf-8"))
    jsonschema.validate(feed, JSON_FEED, format_checker=jsonschema.FormatChecker())
    postings = open_postings(result)
    assert [item["id"] for item in feed["items"]] == [
        f"https://board.example/jobs/{p.slug}/" for p in postings
    ]
    first, posting = feed["items"][0], postings[0]
    assert first["tags"] == [tag.name for tag in posting.tags]
    assert first["authors"] == [{"name": posting.company}]
    assert first["date_published"] == posting.date_posted.isoformat()
    assert first["_job"]["apply_url"] == posting.apply_url
