"""When a posting opened, changed and closes: the curator's dates, else git's, else the board's."""

from __future__ import annotations

from datetime import datetime, timedelta

from builder import fields
from builder.formats import Found
from builder.model import DatedBy, Posting
from builder.reporter import Reporter

EXPIRY_NOTICE = timedelta(days=7)  # warn that a posting is about to close this long before
# Where a date posted comes from when the posting gives none: never "in the future" on purpose.
GIT_ADDED = "git: the date of the commit that added the file"
BUILD_DATE = "the build date (--now)"
_GIT_CHANGED = "git: the last commit that changed the file (the build date while it is edited)"
_MAX_AGE_RULE = "the board's maximum age: date posted + {days} days (max_age_days in site.toml)"


def date_posted(
    found: Found, first_seen: datetime | None, now: datetime, note: Reporter
) -> tuple[datetime, DatedBy]:
    """Date the posting by its `date`, else the commit that added it, else the build date."""
    if "date" in found:
        posted = fields.parse_date(found["date"])
        if posted:
            note.took("date_posted", "date")
            return posted, "posting"
        note.warn(f"date {found['date']!r} is not a date", "write it as YYYY-MM-DD", "date")
    label = "the date of the commit that added the file" if first_seen else "the build date"
    note.missing("date", "date", label)
    note.took("date_posted", fallback=GIT_ADDED if first_seen else BUILD_DATE)
    return (first_seen, "git") if first_seen else (now, "build")


def date_modified(found: Found, last_changed: datetime | None, note: Reporter) -> datetime | None:
    """Return the curator's `updated`, else the last change git knows of, else nothing."""
    if "updated" in found:
        moment = fields.parse_date(found["updated"])
        if moment:
            note.took("date_modified", "updated")
            return moment
        note.warn(
            f"updated {found['updated']!r} is not a date", "write it as YYYY-MM-DD", "updated"
        )
    if last_changed is not None:
        note.took("date_modified", fallback=_GIT_CHANGED)
    return last_changed


def valid_through(found: Found, note: Reporter) -> datetime | None:
    """Return the end of the curator's expiry day, if one is given and is a date."""
    if "valid_through" not in found:
        return None
    moment = fields.parse_date(found["valid_through"], end_of_day=True)
    if moment is None:
        what = f"expiry {found['valid_through']!r} is not a date"
        note.warn(what, "write it as YYYY-MM-DD", "expires", "valid_through")
    else:
        note.took("valid_through", "valid_through")
    return moment


def board_expiry(posted: datetime, max_age: timedelta | None, note: Reporter) -> datetime | None:
    """Close a posting without an expiry once it is older than the board's maximum age."""
    if not max_age:
        return None
    note.took("valid_through", fallback=_MAX_AGE_RULE.format(days=max_age.days))
    return posted + max_age


def warn_about_age(
    posting: Posting, aged_out: bool, now: datetime, max_age: timedelta | None, note: Reporter
) -> None:
    """Warn that an open posting closes within a week, or is older than the board allows."""
    closes = posting.valid_through
    if closes and now <= closes <= now + EXPIRY_NOTICE:
        what = f"expires within 7 days, on {closes:%Y-%m-%d}"
        fix = "set a later `expires:` if the job is still open; it closes by itself otherwise"
        note.warn(what, fix, "expires", "valid_through")
    age = now - posting.date_posted
    if max_age and age > max_age and aged_out:
        what = (
            f"older than the board's maximum age of {max_age.days} days "
            f"(posted {posting.date_posted:%Y-%m-%d}), so it is closed"
        )
        fix = "delete the file, or set `expires:` in front matter if the job is still open"
        note.warn(what, fix, "date")
