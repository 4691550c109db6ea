"""The site config (`site.toml`), validated into a Config and every problem found in it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from builder.problems import Problem, error, warning

CONFIG_FILE = "site.toml"
HOSTNAME = re.compile(r"(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z", re.I)
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")


@dataclass(frozen=True)
class Config:
    """The board's settings; every one has a default, so the file is optional."""

    title: str = "SRE Board"
    description: str = "A curated board of remote Site Reliability Engineering jobs."
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    cname: str = ""  # a custom domain for GitHub Pages, written to CNAME
    feed_items: int = 50  # newest open postings in the site-wide feeds
    topic_feed_items: int = 20  # in each tag's and each region's feeds
    max_age_days: int = 90  # close postings without an expiry this long after posting; 0 is off
    page_size: int = 20  # postings per page of a list (home, tag, region, company, archive)

    @property
    def max_age(self) -> timedelta | None:
        return timedelta(days=self.max_age_days) if self.max_age_days else None


def load_config(path: Path, required: bool = False) -> tuple[Config, list[Problem]]:
    """Read and check the config; a missing optional file gives the defaults."""
    source = str(path)
    if not path.exists():
        if required:
            return Config(), [error(source, "no such config file", "check the --config path")]
        return Config(), []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return Config(), [error(source, f"cannot read the config: {exc}", "save it as UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"at line (\d+)", str(exc))
        fix = "fix the TOML syntax (strings in double quotes, one key = value a line)"
        return Config(), [error(source, f"not valid TOML: {exc}", fix, _line(line))]
    return check_config(source, data)


def check_config(source: str, data: dict[str, Any]) -> tuple[Config, list[Problem]]:
    """Validate each setting; keep the default for any that is wrong and say why."""
    values, problems = {}, []
    known = {f.name: f for f in fields(Config)}
    for key, value in sorted(data.items()):
        if key not in known:
            fix = f"remove it, or use one of: {', '.join(known)}"
            problems.append(warning(source, f"unknown setting {key!r}", fix))
            continue
        expected = int if known[key].type == "int" else str
        if type(value) is not expected:
            what = "a whole number" if expected is int else "a string in double quotes"
            problems.append(error(source, f"{key} must be {what}", f"fix `{key} =`"))
            continue
        values[key] = value.strip() if isinstance(value, str) else value
    config = replace(Config(), **values)  # type: ignore[arg-type]  # checked above, per key
    wrong = _invalid(config)
    problems += [error(source, message, fix) for _, message, fix in wrong]
    return replace(config, **{key: getattr(Config(), key) for key, _, _ in wrong}), problems


def _invalid(config: Config) -> list[tuple[str, str, str]]:
    """Name each value of the right type that is still wrong: key, what is wrong, the fix."""
    wrong = []
    if not is_site_url(config.base_url):
        wrong.append(("base_url", f"base_url {config.base_url!r} is not an http(s) URL", _URL_FIX))
    if config.cname and not HOSTNAME.match(config.cname):
        what = f"cname {config.cname!r} is not a host name"
        wrong.append(("cname", what, "write it like jobs.example.org"))
    if not LANGUAGE.match(config.language):
        what = f"language {config.language!r} is not a language tag"
        wrong.append(("language", what, "write it like en or en-GB"))
    for key in ("feed_items", "topic_feed_items", "max_age_days"):
        if not 0 <= getattr(config, key) <= 100_000:
            wrong.append((key, f"{key} must be between 0 and 100000", f"fix `{key} =`"))
    if not 1 <= config.page_size <= 1000:
        wrong.append(("page_size", "page_size must be between 1 and 1000", "fix `page_size =`"))
    if not config.title:
        wrong.append(("title", "title is empty", "give the board a name"))
    if not config.description:
        wrong.append(("description", "description is empty", "describe the board in a line"))
    return wrong


_URL_FIX = "write it like https://example.github.io/board/"


def is_site_url(url: str) -> bool:
    """Tell whether a URL can be a site's base: http(s), a host, no query or fragment."""
    parts = urlsplit(url)
    return (
        parts.scheme in {"http", "https"}
        and bool(parts.hostname)
        and not (parts.query or parts.fragment)
    )


def _line(match: re.Match[str] | None) -> int | None:
    return int(match.group(1)) if match else None
