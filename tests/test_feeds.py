"""Feeds, read by a real feed parser and a JSON Schema validator: every feed of the site."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import timedelta
from email.utils import parsedate_tz
from pathlib import Path

import feedparser
import jsonschema
import lxml.html
import pytest
from conftest import BASE_URL, CONTENT, NOW, build_site

FEED_NAMES = {"feed.xml", "atom.xml", "feed.json"}
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "jsonfeed-1.1.json").read_text())
# Without its optional helpers, jsonschema skips "uri" and "date-time" checks without a word.
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER
JOB_EXTENSION = {
    "type": "object",
    "required": ["company", "regions", "remote", "location", "apply_url", "valid_through"],
    "properties": {
        "company": {"type": "string", "minLength": 1},
        "regions": {"type": "array", "items": {"type": "string"}},
        "remote": {"type": "boolean"},
        "location": {"type": "string"},
        "employment_type": {"type": ["string", "null"]},
        "apply_url": {"type": ["string", "null"], "format": "uri"},
        # The levels, written out: a test must not take them from the code it checks.
        "seniority": {
            "enum": [
                "intern",
                "junior",
                "mid",
                "senior",
                "staff",
                "principal",
                "lead",
                "manager",
                "director",
            ]
        },
        "timezones": {
            "type": "object",
            "required": ["from", "to"],
            "additionalProperties": False,
            "properties": {
                "from": {"type": "integer", "minimum": -12, "maximum": 14},
                "to": {"type": "integer", "minimum": -12, "maximum": 14},
            },
        },
        "valid_through": {"type": ["string", "null"], "format": "date-time"},
        "salary": {
            "type": ["object", "null"],
            "required": ["currency", "min", "max", "period"],
        },
    },
    "additionalProperties": False,
}


def open_postings(result):
    return [p for p in result.postings if p.is_open(NOW)]


def expected_feeds(result):
    """Each feed folder with the postings it must hold, worked out here from the postings."""
    postings = open_postings(result)
    feeds = {"": postings[:50]}
    for tag in {tag.slug for p in result.postings for tag in p.tags}:
        feeds[f"tags/{tag}/"] = [p for p in postings if tag in {t.slug for t in p.tags}][:20]
    for region in {r for p in result.postings for r in p.regions}:
        accepted = {"worldwide", region.slug, *region.within}
        matching = [p for p in postings if accepted & {r.slug for r in p.regions}]
        feeds[f"regions/{region.slug}/"] = matching[:20]
    return feeds


def test_there_is_a_feed_per_tag_and_per_region(seed_site):
    result, output = seed_site
    folders = expected_feeds(result)
    assert "regions/worldwide/" in folders and "tags/kubernetes/" in folders
    written = {str(p.parent.relative_to(output)) for p in output.rglob("feed.xml")}
    assert written == {folder.rstrip("/") or "." for folder in folders}


def test_every_rss_and_atom_feed_parses_cleanly_with_its_open_postings(seed_site):
    result, output = seed_site
    for folder, postings in expected_feeds(result).items():
        for name in ("feed.xml", "atom.xml"):
            feed = feedparser.parse((output / folder / name).read_bytes())
            assert feed.bozo == 0, (folder, name, feed.get("bozo_exception"))
            assert [entry.id for entry in feed.entries] == [p.uid for p in postings]
            links = [entry.link for entry in feed.entries]
            assert links == [BASE_URL + p.path for p in postings]
            assert feed.feed.link == BASE_URL + folder
            selves = [link.href for link in feed.feed.links if link.rel == "self"]
            assert selves == [BASE_URL + folder + name]
            assert all(entry.get("tags") for entry in feed.entries)
            assert all(entry.published_parsed for entry in feed.entries)


def test_rss_has_what_readers_need(seed_site):
    result, output = seed_site
    channel = lxml.etree.fromstring((output / "feed.xml").read_bytes()).find("channel")
    assert channel.findtext("title") == "SRE Board"
    assert channel.findtext("link") == BASE_URL
    assert channel.findtext("description")
    items = channel.findall("item")
    assert items and len(items) == len(open_postings(result))
    for item in items:
        assert item.find("guid").get("isPermaLink") == "false"
        date = parsedate_tz(item.findtext("pubDate"))  # RFC 822, with a numeric zone
        assert date and date[9] is not None and re.search(r" [+-]\d{4}$", item.findtext("pubDate"))
        assert item.findall("category")


def test_atom_has_ids_authors_and_links(seed_site):
    _, output = seed_site
    feed = feedparser.parse((output / "atom.xml").read_bytes())
    assert feed.version == "atom10"
    assert feed.feed.id == BASE_URL
    assert feed.feed.author == "SRE Board"
    assert {link.rel for link in feed.feed.links} == {"self", "alternate"}
    for entry in feed.entries:
        assert entry.id.startswith("urn:uuid:")
        assert entry.author and entry.updated_parsed and entry.title


def test_every_json_feed_is_valid_json_feed_1_1(seed_site):
    result, output = seed_site
    assert {"uri", "date-time"} <= set(FORMATS.checkers), "install jsonschema's format helpers"
    for folder, postings in expected_feeds(result).items():
        feed = json.loads((output / folder / "feed.json").read_text(encoding="utf-8"))
        jsonschema.validate(feed, SCHEMA, format_checker=FORMATS)
        assert feed["feed_url"] == BASE_URL + folder + "feed.json"
        assert feed["home_page_url"] == BASE_URL + folder
        assert [item["id"] for item in feed["items"]] == [p.uid for p in postings]
        for item, posting in zip(feed["items"], postings, strict=True):
            jsonschema.validate(item["_job"], JOB_EXTENSION, format_checker=FORMATS)
            assert item["url"] == BASE_URL + posting.path
            assert item["tags"] == [tag.name for tag in posting.tags]
            assert item["authors"] == [{"name": posting.company}]
            assert item["date_published"] == posting.date_posted.isoformat()
            assert item["_job"]["apply_url"] == posting.apply_url
            assert item["_job"]["regions"] == [region.name for region in posting.regions]


def test_the_schema_rejects_what_json_feed_forbids():
    """The schema is strict enough to catch a broken feed, so passing it means something."""
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}
    jsonschema.validate(good, SCHEMA, format_checker=FORMATS)
    broken = [
        {**good, "version": "1.1"},
        {**good, "items": [{"id": "a"}]},  # no content
        {**good, "items": [{"id": "a", "content_text": "x", "date_published": "yesterday"}]},
        {**good, "feed_url": "not a url"},
        {**good, "authors": [{}]},
        {**good, "homepage_url": "https://typo.example/"},
    ]
    for feed in broken:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(feed, SCHEMA, format_checker=FORMATS)


def test_feeds_are_dated_by_their_newest_change_not_the_clock(seed_site):
    result, output = seed_site
    closings = [p.valid_through for p in result.postings if not p.is_open(NOW)]
    newest = max([p.updated for p in result.postings] + closings)
    rss = feedparser.parse((output / "feed.xml").read_bytes())
    atom = feedparser.parse((output / "atom.xml").read_bytes())
    assert rss.feed.updated_parsed[:6] == newest.utctimetuple()[:6]
    assert atom.feed.updated_parsed[:6] == newest.utctimetuple()[:6]


def test_a_rebuild_on_another_day_with_nothing_new_keeps_every_feed(tmp_path):
    first = _built(CONTENT, tmp_path / "first")
    result = build_site(CONTENT, tmp_path / "next", now=NOW + timedelta(days=1))
    assert result.written
    feeds = sorted(p.relative_to(first) for p in first.rglob("*") if p.name in FEED_NAMES)
    assert len(feeds) > 30
    changed = [f for f in feeds if (first / f).read_bytes() != (tmp_path / "next" / f).read_bytes()]
    assert changed == []


def test_every_page_links_its_feeds_for_autodiscovery(seed_site):
    _, output = seed_site
    pages = sorted(output.rglob("*.html"))
    for page in pages:
        html = lxml.html.fromstring(page.read_bytes())
        hrefs = html.xpath('//link[@rel="alternate"]/@href')
        assert {"/feed.xml", "/atom.xml", "/feed.json"} <= set(hrefs), page
        folder = page.parent.relative_to(output).as_posix()
        if folder.startswith(("tags/", "regions/")):
            assert hrefs[0] == f"/{folder}/feed.xml", page  # its own feed comes first
        for href in hrefs:
            assert (output / href.lstrip("/")).is_file(), (page, href)


# --- ids survive edits; edits move `updated` ------------------------------------------------


def git(folder: Path, *args: str, date: str = "2026-11-01T10:00:00Z") -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "HOME": str(folder)}
    identity = ["-c", "user.name=Curator", "-c", "user.email=curator@example.org"]
    subprocess.run(["git", *identity, *args], cwd=folder, env=env, check=True, capture_output=True)


def items(output: Path) -> dict[str, dict]:
    feed = json.loads((output / "feed.json").read_text(encoding="utf-8"))
    return {item["id"]: item for item in feed["items"]}


def test_editing_a_posting_keeps_its_id_and_moves_its_updated_date(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    git(content, "init", "-q")
    git(content, "add", ".")
    git(content, "commit", "-q", "-m", "seeds")
    before = items(_built(content, tmp_path / "one"))

    posting = content / "004_40b30d2d8d99e4cd.txt"
    text = posting.read_text(encoding="utf-8")
    posting.write_text(text.replace("title: Software Engineer", "title: Senior Engineer"))
    edited = items(_built(content, tmp_path / "two"))
    assert edited.keys() == before.keys()
    changed = [key for key in edited if edited[key]["title"] != before[key]["title"]]
    assert len(changed) == 1
    item = edited[changed[0]]
    assert item["title"].startswith("Senior Engineer")
    assert item["date_modified"] == NOW.isoformat()  # edited, not yet committed: the build date

    git(content, "commit", "-q", "-am", "retitle", date="2026-11-20T08:30:00Z")
    committed = items(_built(content, tmp_path / "three"))[changed[0]]
    assert committed["date_modified"] == "2026-11-20T08:30:00+00:00"
    assert committed["date_published"] == before[changed[0]]["date_published"]
    atom = feedparser.parse((tmp_path / "three" / "atom.xml").read_bytes())
    entry = next(e for e in atom.entries if e.id == changed[0])
    assert entry.updated == "2026-11-20T08:30:00+00:00"


def test_front_matter_updated_wins_over_git(content, tmp_path):
    (content / "a.txt").write_text(
        "---\ntitle: SRE\ncompany: Acme\ndate: 2026-11-01\nupdated: 2026-11-10\n---\nRun k8s.\n"
    )
    item = next(iter(items(_built(content, tmp_path / "site")).values()))
    assert item["date_published"] == "2026-11-01T00:00:00+00:00"
    assert item["date_modified"] == "2026-11-10T00:00:00+00:00"


def _built(content: Path, output: Path) -> Path:
    result = build_site(content, output)
    assert result.written, [str(p) for p in result.errors]
    return output


def test_rss_items_name_the_company_as_their_creator(seed_site):
    result, output = seed_site
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    companies = {p.uid: p.company for p in result.postings}
    assert feed.entries
    for entry in feed.entries:
        assert entry.author == companies[entry.id]  # feedparser reads dc:creator as author
