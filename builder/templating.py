"""The Jinja2 environment pages render in: compiled once a process, strict, with the site's
helpers and filters; a template that fails is a problem naming its file and line."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

from builder.jsonld import job_posting_jsonld
from builder.model import EMPLOYMENT_TYPES, Posting, Site, pack, unpack
from builder.problems import Problem, ProblemError, display, error


class _Compiled(BytecodeCache):
    """The templates compiled in this process, so `serve` compiles each once, not on every
    rebuild (0.05 s). Jinja checks each against its template's source before using it."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _Compiled()


def make_environment(templates_dir: Path, site: Site) -> Environment:
    """Create the Jinja2 environment: autoescaped, strict, with the site's URL helpers."""
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        bytecode_cache=_COMPILED,
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(site=site, url=site.url, abs_url=site.absolute_url)
    env.globals["root"] = site.url("")  # the site's root, for links written out in full
    env.globals["employment_types"] = EMPLOYMENT_TYPES
    env.filters.update(day=_day, iso=_iso, ago=_ago_maker(site.now), money=_money)
    env.globals["card"] = _card_maker(env)
    env.globals["jsonld"] = partial(job_posting_jsonld, site=site)
    return env


def _card_maker(env: Environment) -> Callable[[Posting], Markup]:
    """Render each posting's card once: the same card shows on up to a dozen list pages.
    Kept packed: the cards of 100,000 postings were 200 MB in each writing process."""
    cards: dict[str, bytes] = {}

    def card(posting: Posting) -> Markup:
        if (packed := cards.get(posting.path)) is None:
            html = env.get_template("_card.html").render(posting=posting)
            cards[posting.path] = packed = pack(html)
        return Markup(unpack(packed))

    return card


def _money(amount: float, currency: str) -> str:
    return f"{currency} {amount:,.0f}"


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _ago_maker(now: datetime) -> Callable[[datetime], str]:
    def ago(moment: datetime) -> str:
        days = (now - moment).days
        if days <= 0:
            return "today"
        if days == 1:
            return "yesterday"
        return f"{days} days ago"

    return ago


def render_template(env: Environment, template: str, **context: Any) -> bytes:
    """Render a template; a failure is a problem naming the template and its line."""
    try:
        return env.get_template(template).render(**context).encode()
    except TemplateError as exc:
        raise ProblemError(_template_problem(env, template, exc)) from exc


def _template_problem(env: Environment, template: str, exc: TemplateError) -> Problem:
    """Place a template error at the innermost template line its traceback passes through."""
    folders = [str(Path(f).resolve()) for f in getattr(env.loader, "searchpath", [])]
    place, line = template, getattr(exc, "lineno", None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if any(str(Path(frame.filename).resolve()).startswith(f + "/") for f in folders):
            place, line = display(Path(frame.filename)), frame.lineno
    fix = f"fix the template (rendering {template}), or restore it from git"
    return error(place, f"the template cannot be rendered: {exc.message or exc}", fix, line)
