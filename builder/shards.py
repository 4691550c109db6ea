"""Split the search index into shards, so an edit re-indexes one shard, not the board.

Pagefind cannot update an index: it reads every page it is given, in about 1.5 ms a posting
and 140 MB per 1,000 postings. So each open posting goes to one of a few shards by a digest
of its slug, a rule that depends on nothing else: a posting added, edited or closed changes
one shard, and a cold build makes the same shards as an incremental one. Each shard is its
own Pagefind bundle under pagefind/<name>/; the search page searches the first and merges the
others (Pagefind's mergeIndex), with the one copy of Pagefind's script and WebAssembly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from builder.fingerprints import fingerprint
from builder.model import Posting

SHARD_SIZE = 64  # postings a shard holds, about: 0.1 s to re-index (Pagefind starts in 0.02 s)
MAX_SHARDS = 32  # each is a few requests more for the search page: merged, not endless


@dataclass(frozen=True)
class Shard:
    """One part of the search index: its folder name in pagefind/, and its posting pages."""

    name: str
    pages: tuple[str, ...]  # e.g. "jobs/sre-acme/index.html", sorted

    @property
    def folder(self) -> str:
        """The shard's bundle within the site, e.g. 'pagefind/03/'."""
        return f"pagefind/{self.name}/"


def shard_count(postings: int, size: int = SHARD_SIZE) -> int:
    """How many shards a board of this many open postings has: a power of two, so the count
    (and with it every shard) changes only when the board doubles or halves."""
    count = 1
    while count * size < postings and count < MAX_SHARDS:
        count *= 2
    return count


def plan_shards(open_postings: Sequence[Posting], size: int = SHARD_SIZE) -> tuple[Shard, ...]:
    """The shards of the open postings' pages, by name; a shard no posting falls in is left
    out (Pagefind refuses to index nothing)."""
    count = shard_count(len(open_postings), size)
    width = len(str(count - 1))
    pages: dict[int, list[str]] = {}
    for posting in open_postings:
        digest = hashlib.sha256(posting.slug.encode()).digest()
        pages.setdefault(int.from_bytes(digest[:8], "big") % count, []).append(
            f"{posting.path}index.html"
        )
    return tuple(
        Shard(f"{number:0{width}d}", tuple(sorted(pages[number]))) for number in sorted(pages)
    )


def shard_prints(
    shards: Sequence[Shard], page_prints: Mapping[str, str], version: str
) -> dict[str, str]:
    """Each shard's fingerprint: of its pages' fingerprints, and the indexer's version. A page
    without a fingerprint ("") makes its shard's unknowable, so it is always indexed anew."""
    prints = {}
    for shard in shards:
        pages = [(page, page_prints.get(page, "")) for page in shard.pages]
        known = all(print_ for _, print_ in pages)
        prints[shard.name] = fingerprint(version, pages) if known else ""
    return prints
