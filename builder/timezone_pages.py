"""Render the time-zone pages: `/timezones/` and one list per whole-hour UTC offset."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from builder import timezones
from builder.model import Site

if TYPE_CHECKING:
    from builder.render import _PageSet


def timezone_pages(out: _PageSet, site: Site) -> None:
    """Render the index of offsets, with counts, and each offset's list and feeds; a list
    with no open posting is kept from search engines (render._listing)."""
    from builder.render import _listing  # render.py calls this module: import when called

    by_timezone = site.by_timezone
    out.add("timezones/", "timezones.html", out.board_changed, zones=timezone_counts(site))
    for offset, postings in by_timezone.items():
        folder = f"timezones/{timezones.slug(offset)}/"
        zone = {"label": timezones.label(offset), "slug": timezones.slug(offset)}
        _listing(out, folder, "timezone.html", postings, feed_folder=folder, zone=zone)


def timezone_counts(site: Site) -> list[dict[str, Any]]:
    """Each offset a posting covers, west to east, with its open and all postings."""
    return [
        {
            "label": timezones.label(offset),
            "slug": timezones.slug(offset),
            "open": sum(p.is_open(site.now) for p in postings),
            "total": len(postings),
        }
        for offset, postings in site.by_timezone.items()
    ]
