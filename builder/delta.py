"""Rebuild after an edit that changes only what postings' own pages and feeds show.

Most edits of a posting fix its wording. Its card, its place in every list, the lists' dates
and the sitemap stay as they were; only its page and the feeds that carry its description
change. The last written build saves a Layout of its site: what each content file's
extraction was made from, the slug and search regions of each posting page, and every feed
with the postings it holds. A rebuild whose other inputs are all unchanged then extracts the
changed files alone, checks that nothing but their descriptions changed, and renders only
their pages and feeds, without loading or planning the rest of the board. Anything else (an
added or deleted file, a new title or tag, a template edit, a problem) is planned in full.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from builder.extract import Context
from builder.extraction import Extracted, extract_record
from builder.feeds import Feed
from builder.model import Posting, Region, Site
from builder.shards import Shard
from builder.sources import SourceFile

# More changed files than this and planning the whole board is about as quick.
MAX_CHANGED = 50
PostingId = tuple[str, int]  # a posting's file (as problems name it) and place in the file


@dataclass(frozen=True)
class Layout:
    """What the pages of a written site were made from, beyond each posting's description."""

    inputs: str  # the digest of everything the build read (Finished.inputs)
    shared: str  # the same, but for the content files' own digests
    digests: Mapping[str, str]  # each content file's digest, by source, in the order read
    base: str  # what every page's fingerprint starts from (Reuse.base)
    pages: Mapping[PostingId, tuple[str, list[Region]]]  # each posting page: slug, regions
    feeds: tuple[Feed, ...]
    searched: bool  # whether the site has postings to search (drafts too, when published)
    shards: tuple[Shard, ...] = ()  # the search index's, when it was indexed


def make_layout(
    inputs: str,
    shared: str,
    files: Sequence[SourceFile],
    base: str,
    site: Site,
    feeds: Sequence[Feed],
    shards: tuple[Shard, ...] = (),
) -> Layout:
    """Describe the site just written from these inputs."""
    digests = {file.source: file.digest for file in files}
    pages = {_id(p): (p.slug, site.regions_open_to(p)) for p in site.postings}
    searched = bool(site.open_postings)
    return Layout(inputs, shared, digests, base, pages, tuple(feeds), searched, shards)


def _id(posting: Posting) -> PostingId:
    return (posting.source, posting.index)


def changed_files(
    layout: Layout, files: Sequence[SourceFile], shared: str
) -> list[SourceFile] | None:
    """The files that changed since the layout, or None unless only a few existing files
    changed and nothing else did. None changed: the site needs only its stale search
    shards indexed (or a file of it restored), which the edit path does too."""
    if shared != layout.shared or len(files) != len(layout.digests):
        return None
    if any(file.source not in layout.digests for file in files):
        return None
    changed = [file for file in files if file.digest != layout.digests[file.source]]
    return changed if len(changed) <= MAX_CHANGED else None


def extract_changed(
    files: Sequence[SourceFile], context: Context, before: Callable[[str], Extracted | None]
) -> list[Extracted] | None:
    """Extract the changed files again; None unless each holds the same postings as before,
    with the same warnings and no error, differing at most in their descriptions."""
    fresh = []
    for file in files:
        after = extract_record(file, context)
        if not _same_but_descriptions(before(file.source), after):
            return None
        fresh.append(after)
    return fresh


def _same_but_descriptions(before: Extracted | None, after: Extracted) -> bool:
    if before is None or not after.digest or before.problems != after.problems:
        return False
    if any(problem.is_error for problem in after.problems):  # its file is left out
        return False
    if before.now != after.now or len(before.postings) != len(after.postings):
        return False
    return all(
        _outline(old) == _outline(new)
        for old, new in zip(before.postings, after.postings, strict=True)
    )


def _outline(posting: Posting) -> Posting:
    """The posting but for what only its own page and feeds show (equality leaves out the
    provenance and the fingerprint)."""
    return replace(posting, packed_description=b"", summary="")


@dataclass(frozen=True)
class Change:
    """What to render again: the changed postings' pages and the feeds holding them."""

    pages: list[tuple[Posting, list[Region]]]
    feeds: list[Feed]

    @property
    def postings(self) -> tuple[Posting, ...]:
        """Every posting the change renders, once each."""
        shown = {id(p): p for p in (p for p, _ in self.pages)}
        shown |= {id(p): p for feed in self.feeds for p in feed.postings}
        return tuple(shown.values())


def plan_change(layout: Layout, fresh: Sequence[Extracted]) -> Change:
    """The pages and feeds the changed postings appear on, holding the new postings."""
    published = {
        _id(p): replace(p, slug=layout.pages[_id(p)][0])  # the slug the site gave it
        for entry in fresh
        for p in entry.postings
        if _id(p) in layout.pages
    }
    pages = [(posting, layout.pages[key][1]) for key, posting in published.items()]
    feeds = [
        replace(feed, postings=tuple(published.get(_id(p), p) for p in feed.postings))
        for feed in layout.feeds
        if any(_id(p) in published for p in feed.postings)
    ]
    return Change(pages, feeds)


def moved_on(layout: Layout, inputs: str, fresh: Sequence[Extracted], change: Change) -> Layout:
    """The layout of the site the change makes."""
    digests = dict(layout.digests) | {entry.source: entry.digest for entry in fresh}
    changed = {feed.folder: feed for feed in change.feeds}
    feeds = tuple(changed.get(feed.folder, feed) for feed in layout.feeds)
    return replace(layout, inputs=inputs, digests=digests, feeds=feeds)
