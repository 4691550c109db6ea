"""The hostile corpus through the real pipeline: nothing active on any page, nothing written
outside the site, nothing lost, and Unicode kept as written."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime

import lxml.html
import pytest
from conftest import run_cli
from hostile_corpus import (
    APPLY_URLS,
    BROKEN,
    NOW,
    UNICODE_TITLES,
    VECTORS,
    front_matter,
    make_corpus,
    path_postings,
    unicode_postings,
    whole_corpus,
    xss_postings,
)

from builder.extract import Context, extract
from builder.readers import read_posting
from builder.taxonomy import build_taxonomy

ACTIVE_URL = re.compile(r"(javascript|vbscript|data|file):", re.I)
NEVER = {"iframe", "frame", "object", "embed", "applet", "base"}  # forms: the site has its own
# The site's own scripts: JSON-LD data, and on /search/ Pagefind's UI and search.js.
OWN_SCRIPTS = re.compile(r"/(pagefind/pagefind-component-ui\.js|static/search\.js)\Z")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
NOW_MOMENT = datetime(2026, 11, 23, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Build the whole hostile corpus once with the CLI, skipping what cannot be read."""
    root = tmp_path_factory.mktemp("hostile")
    content = whole_corpus(root / "content")
    site = root / "site"
    args = ["--content", str(content), "--output", str(site), "--now", NOW, "--keep-going"]
    done = run_cli("build", *args, "--base-url", "https://board.example/")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return root, done


def assert_inert(document: lxml.html.HtmlElement, where: str) -> None:
    """Fail on anything in a page that could run code or fetch from another host."""
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = element.tag.lower()
        assert tag not in NEVER, (where, tag)
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (where, tag, name)
            flat = re.sub(r"[\x00-\x20]", "", value)
            assert not ACTIVE_URL.match(flat), (where, tag, name, value)
            if tag != "a" and name in {"src", "href", "srcset", "style", "action"}:
                assert "evil.example" not in value, (where, tag, name)
        if tag == "script":
            assert_own_script(element, where)
        if tag == "meta":
            assert (element.get("http-equiv") or "").lower() != "refresh", where
        if tag == "style":
            assert "evil.example" not in (element.text or ""), where


def assert_own_script(script: lxml.html.HtmlElement, where: str) -> None:
    if script.get("type") == "application/ld+json":
        raw = script.text or ""
        assert "</script" not in raw.lower() and "<!--" not in raw, where
        data = json.loads(raw)
        description = data.get("description", "")
        if description:
            assert_inert(lxml.html.fragment_fromstring(description, create_parent=True), where)
        return
    assert OWN_SCRIPTS.search(script.get("src") or ""), (where, script.get("src"))
    assert not (script.text or "").strip(), where


def test_no_page_or_feed_holds_anything_active(hostile):
    root, _ = hostile
    pages = sorted((root / "site").rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        assert_inert(lxml.html.fromstring(page.read_bytes()), str(page))
    for feed in sorted((root / "site").rglob("feed.json")):
        for item in json.loads(feed.read_text())["items"]:
            fragment = lxml.html.fragment_fromstring(item["content_html"], create_parent=True)
            assert_inert(fragment, f"{feed} {item['id']}")
            assert not ACTIVE_URL.match(item.get("_job", {}).get("apply_url") or "")


def test_hostile_text_is_shown_as_text_not_dropped(hostile):
    root, _ = hostile
    [page] = (root / "site/jobs").glob("json-sre-2-*/index.html")
    document = lxml.html.fromstring(page.read_bytes())
    title = document.xpath("string(//h1)")
    assert VECTORS[0] in title and VECTORS[1] in title  # visible, as the ad wrote it


@pytest.mark.parametrize("url", APPLY_URLS)
def test_apply_links_are_only_http_or_mailto(url):
    [raw], problems = read_posting(
        "p.txt", (front_matter(title="SRE", apply_url=url) + "b").encode()
    )
    posting, problems = extract(raw, Context(build_taxonomy({}), NOW_MOMENT, first_seen={}))
    if posting.apply_url is None:
        assert any("is not http(s) or mailto; left out" in p.message for p in problems)
    else:
        assert re.match(r"(https?://|mailto:)", posting.apply_url)


def test_every_page_stays_inside_the_site_with_a_safe_name(hostile):
    root, _ = hostile
    site = root / "site"
    written = list(site.rglob("*"))
    assert all(path.resolve().is_relative_to(site.resolve()) for path in written)
    assert sorted(p.name for p in root.iterdir()) == ["content", "site"]
    for section in ("jobs", "tags", "companies", "regions"):
        for folder in (site / section).iterdir():
            if folder.is_dir():
                assert SLUG.match(folder.name) and len(folder.name) <= 80, folder
                assert folder.name not in {"con", "nul", "aux", "prn"}, folder


def test_hostile_slugs_never_share_a_url(tmp_path):
    content = make_corpus(tmp_path / "content", path_postings(), unicode_postings())
    done = run_cli(
        "build", "--keep-going", "--content", str(content), "--output", str(tmp_path / "site")
    )
    assert done.returncode == 0, done.stderr
    pages = list((tmp_path / "site/jobs").glob("*/index.html"))
    assert len(pages) == len(path_postings()) + len(unicode_postings())


def summary(stderr: str) -> dict[str, int]:
    found = re.search(
        r"(\d+) files read: (\d+) postings = (\d+) open \+ (\d+) closed \+ (\d+) drafts "
        r"\+ (\d+) future \+ (\d+) skipped",
        stderr,
    )
    assert found, stderr
    keys = ("files", "read", "open", "closed", "drafts", "future", "skipped")
    return dict(zip(keys, map(int, found.groups()), strict=True))


def test_every_posting_read_is_counted_and_every_skipped_one_named(hostile):
    root, done = hostile
    content = root / "content"
    counts = summary(done.stderr)
    xss = xss_postings()
    files = len(xss) + len(path_postings()) + len(unicode_postings()) + len(BROKEN)
    postings = files + 1  # list.txt holds two
    assert counts == {
        "files": files,
        "read": postings,
        "open": postings - len(BROKEN) - 2,
        "closed": 1,
        "drafts": 1,
        "future": 0,
        "skipped": len(BROKEN),
    }
    parts = ("open", "closed", "drafts", "future", "skipped")
    assert counts["read"] == sum(counts[k] for k in parts)
    for name in BROKEN:
        assert f"{content / name}: skipped because of the errors above" in done.stderr
    pages = list((root / "site/jobs").glob("*/index.html"))
    assert len(pages) == counts["open"] + counts["closed"]


def test_check_counts_the_same_postings_as_build(hostile):
    root, done = hostile
    checked = run_cli("check", "--content", str(root / "content"), "--now", NOW)
    assert checked.returncode == 1
    assert summary(checked.stderr) == summary(done.stderr)


def test_unicode_titles_and_companies_render_as_written(hostile):
    root, _ = hostile
    shown = {}
    for page in (root / "site/jobs").glob("*/index.html"):
        document = lxml.html.fromstring(page.read_bytes())
        shown[document.xpath("string(//h1)").strip()] = page.parent.name
    for name, (title, _company) in UNICODE_TITLES.items():
        expected = unicodedata.normalize(
            "NFC", re.sub(r"[\u202a-\u202e\u2066-\u2069\u200b]", "", title)
        )
        assert expected in shown, (name, expected)
        assert SLUG.match(shown[expected]), shown[expected]  # ASCII, NFC, no look-alikes
    latin, cyrillic = shown["Platform SRE"], shown["Plаtform SRE"]
    assert latin != cyrillic


def test_invisible_spoofing_characters_are_removed():
    text = front_matter(title="SRE \u202eevil\u202c title", company="Ac\u200bme") + "body"
    [raw], _ = read_posting("p.txt", text.encode())
    assert raw.front_matter["title"] == "SRE evil title"
    assert raw.front_matter["company"] == "Acme"
    emoji = front_matter(title="👩‍💻 SRE") + "body"  # the joiner in 👩‍💻 stays
    assert read_posting("p.txt", emoji.encode())[0][0].front_matter["title"] == "👩‍💻 SRE"


def test_a_posting_that_links_outside_the_content_is_refused_and_named(content, tmp_path):
    """It was read and published: a link to /proc/self/environ would put CI's secrets online."""
    secret = tmp_path / "secret.txt"
    secret.write_text("---\ntitle: TOKEN=hunter2\n---\nTOKEN=hunter2\n")
    (content / "link.txt").symlink_to(secret)
    (content / "inside.txt").write_text("---\ntitle: SRE\ncompany: Acme\n---\nbody\n")
    (content / "alias.txt").symlink_to(content / "inside.txt")  # a link inside is fine
    done = run_cli(
        "build", "--content", str(content), "--output", str(tmp_path / "site"), "--keep-going"
    )
    assert done.returncode == 0, done.stderr
    assert (
        f"{content}/link.txt: error: cannot read the file: it links to {secret}, outside the "
        "content folder; copy the posting in instead" in done.stderr
    )
    assert f"{content}/link.txt: skipped because of the errors above" in done.stderr
    assert "hunter2" not in "".join(
        p.read_text()
        for p in (tmp_path / "site").rglob("*")
        if p.is_file() and p.suffix != ".png" and "pagefind" not in p.parts
    )
    assert len(list((tmp_path / "site/jobs").iterdir())) == 2


def test_a_link_in_a_loop_or_to_nothing_is_passed_over(content, tmp_path):
    (content / "loop.txt").symlink_to("loop.txt")
    (content / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (content / "inside.txt").write_text("---\ntitle: SRE\ncompany: Acme\n---\nbody\n")
    done = run_cli("check", "--content", str(content))
    assert done.returncode == 0, done.stderr
    assert "1 files read: 1 postings" in done.stderr, done.stderr
