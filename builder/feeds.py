"""Write the feeds of open postings: RSS 2.0 and Atom through feedgen, JSON Feed 1.1 directly."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import PurePosixPath
from typing import Any

from feedgen.feed import FeedGenerator

from builder.model import Posting, Site

FEED_SIZE = 50


def render_feeds(site: Site) -> dict[PurePosixPath, bytes]:
    """Render the site-wide feeds of the newest open postings."""
    postings = site.open_postings[:FEED_SIZE]
    generator = _feed_generator(site, postings)
    return {
        PurePosixPath("feed.xml"): generator.rss_str(pretty=True),
        PurePosixPath("atom.xml"): generator.atom_str(pretty=True),
        PurePosixPath("feed.json"): _json_feed(site, postings),
    }


def _feed_generator(site: Site, postings: tuple[Posting, ...]) -> FeedGenerator:
    url = site.absolute_url
    feed = FeedGenerator()
    feed.id(url(""))
    feed.title(site.title)
    feed.subtitle(site.description)  # RSS <description> and Atom <subtitle>
    feed.link(href=url(""), rel="alternate")
    feed.link(href=url("atom.xml"), rel="self")
    feed.author({"name": site.title})
    feed.language("en")
    # feedgen stamps the wall clock unless told otherwise; the build date keeps output stable.
    feed.updated(site.now)
    feed.lastBuildDate(site.now)
    for posting in postings:
        _add_entry(feed, posting, url(posting.path))
    return feed


def _add_entry(feed: FeedGenerator, posting: Posting, link: str) -> None:
    entry = feed.add_entry(order="append")
    entry.id(link)
    entry.guid(link, permalink=True)
    entry.title(f"{posting.title} at {posting.company}")
    entry.link(href=link, rel="alternate")
    entry.author({"name": posting.company})
    entry.description(posting.summary)
    entry.content(posting.description_html, type="html")
    entry.published(posting.date_posted)
    entry.updated(posting.date_posted)
    for tag in posting.tags:
        entry.category(term=tag.slug, label=tag.name)


def _json_feed(site: Site, postings: tuple[Posting, ...]) -> bytes:
    url = site.absolute_url
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.title,
        "description": site.description,
        "home_page_url": url(""),
        "feed_url": url("feed.json"),
        "language": "en",
        "items": [_json_item(posting, url(posting.path)) for posting in postings],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _json_item(posting: Posting, link: str) -> dict[str, Any]:
    salary = posting.salary
    return {
        "id": link,
        "url": link,
        "title": f"{posting.title} at {posting.company}",
        "content_html": posting.description_html,
        "summary": posting.summary,
        "date_published": posting.date_posted.isoformat(),
        "tags": [tag.name for tag in posting.tags],
        "authors": [{"name": posting.company}],
        "_job": {
            "company": posting.company,
            "regions": [region.name for region in posting.regions],
            "remote": posting.remote,
            "employment_type": posting.employment_type,
            "salary": asdict(salary) if salary else None,
            "valid_through": posting.valid_through.isoformat() if posting.valid_through else None,
            "apply_url": posting.apply_url,
        },
    }
