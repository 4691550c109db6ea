"""Write the feeds of open postings: RSS 2.0 and Atom through feedgen, JSON Feed 1.1 directly.

The board has one set of three for the whole site, one for each skill tag (`tags/<slug>/`) and
one for each applicant region (`regions/<slug>/`) and one for each UTC offset a posting's
working hours cover (`timezones/utc+N/`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import partial
from typing import Any

from feedgen.feed import FeedGenerator

from builder import timezones
from builder.fingerprints import Reuse
from builder.model import Posting, Site
from builder.output import Pages

FEED_FILES = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}


@dataclass(frozen=True)
class Feed:
    """One feed's subject: where it lives, what it is called, and the postings it holds."""

    folder: str  # "" for the site, else e.g. "tags/kubernetes/"
    title: str
    description: str
    postings: tuple[Posting, ...]
    # The newest change to any of its subject's postings, closings included: a rebuild with
    # nothing new keeps the feed's bytes, and a closing moves the date forward, never back.
    updated: datetime

    def file(self, kind: str) -> str:
        return self.folder + FEED_FILES[kind]


def site_feeds(site: Site) -> list[Feed]:
    """List every feed of the site: the whole board, then each tag, then each region."""
    newest = site.open_postings[: site.config.feed_items]
    feeds = [Feed("", site.title, site.description, newest, site.last_change(site.postings))]
    for tag, postings in site.by_tag.items():
        title, about = f"{tag.name} jobs", f"Remote SRE jobs that ask for {tag.name}."
        feeds.append(_topic_feed(site, f"tags/{tag.slug}/", title, about, postings))
    for region, postings in site.by_region.items():
        title, about = f"Jobs open {region.open_to}", f"Remote SRE jobs open {region.open_to}."
        feeds.append(_topic_feed(site, f"regions/{region.slug}/", title, about, postings))
    for offset, postings in site.by_timezone.items():
        zone = timezones.label(offset)
        title, about = f"Jobs working {zone} hours", f"Remote SRE jobs whose hours suit {zone}."
        feeds.append(
            _topic_feed(site, f"timezones/{timezones.slug(offset)}/", title, about, postings)
        )
    return feeds


def _topic_feed(
    site: Site, folder: str, title: str, about: str, postings: tuple[Posting, ...]
) -> Feed:
    """Make a tag's or a region's feed of its newest open postings."""
    still_open = tuple(p for p in postings if p.is_open(site.now))
    newest = still_open[: site.config.topic_feed_items]
    return Feed(folder, f"{title} · {site.title}", about, newest, site.last_change(postings))


def render_feeds(site: Site, reuse: Reuse | None = None, feeds: list[Feed] | None = None) -> Pages:
    """Render RSS, Atom and JSON Feed for every feed of the site (or those given); where
    `reuse` finds all three unchanged, they are the previous build's files."""
    reuse = reuse or Reuse()
    files: Pages = {}
    for feed in site_feeds(site) if feeds is None else feeds:
        targets = [feed.file(kind) for kind in FEED_FILES]
        if all([reuse.unchanged(target, feed) for target in targets]):  # a list: record all
            files.update((target, reuse.old(target)) for target in targets)
            continue
        # Rendered when written, as pages are: by the writers, on every core, and never held
        # (the feeds of a large board are 24 MB of XML and JSON).
        files[feed.file("rss")] = partial(_rss_feed, site, feed)
        files[feed.file("atom")] = partial(_atom_feed, site, feed)
        files[feed.file("json")] = partial(_json_feed, site, feed)
    return files


def _rss_feed(site: Site, feed: Feed) -> bytes:
    generator = _feed_generator(site, feed)
    _self_link(generator, site.absolute_url(feed.file("rss")))
    return bytes(generator.rss_str(pretty=True))


def _atom_feed(site: Site, feed: Feed) -> bytes:
    generator = _feed_generator(site, feed)
    _self_link(generator, site.absolute_url(feed.file("atom")))
    return bytes(generator.atom_str(pretty=True))


def _feed_generator(site: Site, feed: Feed) -> FeedGenerator:
    """Fill feedgen with a feed and its entries, for both RSS and Atom."""
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)  # RSS's <author> must be an email
    generator.id(site.absolute_url(feed.folder))
    generator.title(feed.title)
    generator.subtitle(feed.description)  # RSS <description> and Atom <subtitle>
    generator.link(href=site.absolute_url(feed.folder), rel="alternate")
    generator.author({"name": site.title})
    generator.language(site.language)
    # feedgen stamps the wall clock unless told otherwise.
    generator.updated(feed.updated)
    generator.lastBuildDate(feed.updated)
    for posting in feed.postings:
        _add_entry(generator, posting, site.absolute_url(posting.path))
    return generator


def _self_link(generator: FeedGenerator, href: str) -> None:
    """Point the feed at itself: RSS and Atom share a generator but not a URL."""
    alternate = [link for link in generator.link() if link["rel"] == "alternate"]
    # feedgen makes the last link RSS's <link>, which must be the page, not the feed.
    generator.link([{"href": href, "rel": "self"}, *alternate], replace=True)


def _add_entry(generator: FeedGenerator, posting: Posting, link: str) -> None:
    entry = generator.add_entry(order="append")
    entry.id(posting.uid)
    entry.guid(posting.uid, permalink=False)
    entry.title(posting.headline)
    entry.link(href=link, rel="alternate")
    if posting.company:  # never a made-up author
        entry.author({"name": posting.company})
        entry.dc.dc_creator(posting.company)
    entry.description(posting.summary)
    entry.content(posting.description_html, type="html")
    entry.published(posting.date_posted)
    entry.updated(posting.updated)
    for tag in posting.tags:
        entry.category(term=tag.slug, label=tag.name)


def _json_feed(site: Site, feed: Feed) -> bytes:
    """Write JSON Feed 1.1 directly: it is a dict, with stable key order."""
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "description": feed.description,
        "home_page_url": site.absolute_url(feed.folder),
        "feed_url": site.absolute_url(feed.file("json")),
        "language": site.language,
        "authors": [{"name": site.title, "url": site.absolute_url("")}],
        "favicon": site.absolute_url("static/favicon.svg"),
        "items": [
            _json_item(posting, site.absolute_url(posting.path)) for posting in feed.postings
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _json_item(posting: Posting, link: str) -> dict[str, Any]:
    """One item, with the job's facts in the `_job` extension."""
    salary = posting.salary
    return {
        "id": posting.uid,
        "url": link,
        "title": posting.headline,
        "content_html": posting.description_html,
        "summary": posting.summary,
        "date_published": posting.date_posted.isoformat(),
        "date_modified": posting.updated.isoformat(),
        "tags": [tag.name for tag in posting.tags],
        "authors": [{"name": posting.company}] if posting.company else [],
        "_job": {
            "company": posting.company or None,
            "regions": [region.name for region in posting.regions],
            "remote": posting.remote,
            "location": posting.place,
            "employment_type": posting.employment_type,
            "salary": asdict(salary) if salary else None,
            "valid_through": posting.valid_through.isoformat() if posting.valid_through else None,
            "apply_url": posting.apply_url,
            # Only when the title or the curator names a level: the board never guesses one.
            **({"seniority": posting.seniority} if posting.seniority else {}),
            # Only when the ad or the curator states a working-hours window: never guessed.
            **(
                {"timezones": {"from": posting.timezones[0], "to": posting.timezones[1]}}
                if posting.timezones
                else {}
            ),
        },
    }
