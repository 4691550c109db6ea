"""Any bytes at all give postings or reported problems, never an exception, in time.

The seeds are the board's postings, the parser cases and the hostile corpus (every format,
JSON-LD and HTML pages among them); long inputs repeat pathological fragments up to 1 MiB.
A few examples run in `make test`; `make fuzz` runs many more (HYPOTHESIS_PROFILE=fuzz).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from conftest import CONTENT, TAXONOMY
from hostile_corpus import (
    BROKEN,
    front_matter,
    job,
    jsonld_job,
    path_postings,
    unicode_postings,
    xss_postings,
)
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import builder
from builder.extract import Context, extract
from builder.problems import Severity
from builder.readers import MAX_BYTES, read_posting
from builder.taxonomy import load_taxonomy

settings.register_profile(
    "default", max_examples=60, deadline=None, database=None, derandomize=True
)
settings.register_profile(
    "fuzz", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
settings.load_profile(PROFILE)
BUILDS = 0.2  # whole builds are slower: this share of the profile's examples
LONG = 0.1  # and long inputs: this share

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TAXONOMY_LOADED = load_taxonomy(TAXONOMY)[0]
CONTEXT = Context(TAXONOMY_LOADED, NOW, first_seen={})
CASES = Path(__file__).resolve().parent / "cases"


def page(*scripts: str, body: str = "<h1>SRE</h1><p>We run Kubernetes.</p>") -> str:
    """An HTML page with a <script type="application/ld+json"> for each script."""
    blocks = "".join(f'<script type="application/ld+json">{s}</script>' for s in scripts)
    return f"<!doctype html><html><head><title>Job</title>{blocks}</head><body>{body}</body></html>"


def embedded(document: object) -> str:
    return json.dumps(document, ensure_ascii=False).replace("</", "<\\/")  # as a page would


def shapes() -> dict[str, str]:
    """JSON-LD and HTML-page shapes beyond those in the hostile corpus."""
    company = {"@type": "Organization", "name": "Acme"}
    graph = {"@context": "https://schema.org", "@graph": [company, jsonld_job(1)]}
    return {
        "graph.txt": json.dumps(graph),
        "many-types.txt": json.dumps(job(**{"@type": ["Thing", "JobPosting"], "title": "SRE"})),
        "front-matter-json.txt": front_matter(company="Acme") + json.dumps(jsonld_job(6)),
        "front-matter-page.txt": front_matter(tags=["k8s"]) + page(embedded(jsonld_job(7))),
        "two-scripts.txt": page(embedded(jsonld_job(8)), embedded([jsonld_job(9), graph])),
        "page-without-json-ld.txt": page(),
        "html-fragment.txt": "<p>SRE at Acme</p><ul><li>Kubernetes</li></ul><p>Apply now</p>",
    }


HOSTILE = {
    **xss_postings(),
    **path_postings(),
    **unicode_postings(),
    **{name: text for name, text in BROKEN.items() if name != "broken-huge.txt"},  # see Long
    **shapes(),
}
SEED_FILES = {
    **{path.name: path.read_bytes() for path in sorted(CONTENT.glob("0*.txt"))},
    **{path.name: path.read_bytes() for path in sorted(CASES.glob("*.txt"))},
    **{name: text.encode("utf-8", "surrogatepass") for name, text in HOSTILE.items()},
}
SEEDS = list(SEED_FILES.values())
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "shift_jis", "koi8-r"]


def reencoded(data: bytes, encoding: str) -> bytes:
    return data.decode("utf-8", "replace").encode(encoding, "replace")


@st.composite
def mutated_seed(draw: st.DrawFn) -> bytes:
    """A seed truncated, spliced with another, re-encoded, or with its front matter broken."""
    seed = draw(st.sampled_from(SEEDS))
    cut = draw(st.integers(0, len(seed)))
    how = draw(st.sampled_from(["truncate", "splice", "reencode", "front matter", "insert"]))
    if how == "truncate":
        return seed[:cut]
    if how == "splice":
        other = draw(st.sampled_from(SEEDS))
        return seed[:cut] + other[draw(st.integers(0, len(other))) :]
    if how == "reencode":
        return reencoded(seed, draw(st.sampled_from(ENCODINGS)))
    if how == "front matter":
        noise = draw(st.sampled_from(["---\n", "---", ":", "- [", "{", "&a", "*a", "!!x ", "\t"]))
        return noise.encode() + seed[:cut] + noise.encode() + seed[cut:]
    return seed[:cut] + draw(st.text()).encode("utf-8", "surrogatepass") + seed[cut:]


unicode_text = st.text().map(lambda text: text.encode("utf-8", "surrogatepass"))
YAML_TOKENS = ["---\n", "\n", "title: ", "tags: [", "]", "- ", "date: 2026-", "&a ", "*a", "{"]
yaml_ish = st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=8)).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
)
JSON_TOKENS = ['{"@type": "JobPosting"', ', "title": ', '"x"', "[", "]", "{", "}", "null", "1e999"]
json_ish = st.lists(st.sampled_from(JSON_TOKENS) | st.text(max_size=8)).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
)
any_input = st.one_of(st.binary(), unicode_text, mutated_seed(), yaml_ish, json_ish)


class Long(NamedTuple):
    """A long input, kept small for Hypothesis to print: `fragment` repeated in `shape` until
    the file has about `size` bytes; `nested` puts the fragment's closing after all of them."""

    shape: str
    fragment: str
    size: int
    nested: bool = False


CLOSING = {"[": "]", '{"a": ': "}", "<div>": "</div>", "[a](": ")", "> ": "", "(": ")"}
FRAGMENTS = [
    *["[a](", "![a](", "[", "(", '{"a": ', "<div>", "<b><i>", "<", "<!--", "<a href='", "&#"],
    *["x", "a ", "9", "**a", "_a", "`", "\\", "&amp;", "> ", "- ", "    ", "#", "|a", ":"],
    *["https://x.example/", "[apply](https://x.example)", "\n", "a\n", "\r\n", "\t", "e\u0301"],
    *["\u202e", "\U0001f680", "'", '"', "- [", "---\n"],
]
PAGE_TOP = "<!doctype html><html><body><h1>SRE</h1>"
NUMBER_AT = '{"@type": "JobPosting", "title": "SRE", "hiringOrganization": "Acme", "baseSalary": '
SHAPES: dict[str, Callable[[str], str]] = {
    "plain": lambda text: text,
    "front matter": lambda text: front_matter(title="SRE", company="Acme") + text,
    "title": lambda text: front_matter(title=text, company="Acme") + "We run Kubernetes.\n",
    "yaml": lambda text: f"---\ntitle: SRE\ntags: {text}\n---\nWe run Kubernetes.\n",
    "markdown": lambda text: "# SRE\n### Acme\n\n" + text,
    "first line": lambda text: text + "\nWe run Kubernetes.\n",
    "json description": lambda text: json.dumps(jsonld_job(1) | {"description": text}),
    "json title": lambda text: json.dumps(jsonld_job(1) | {"title": text}),
    "json number": lambda text: NUMBER_AT + text + "}",
    "html page": lambda text: PAGE_TOP + text + "</body></html>",
    "page json-ld": lambda text: page(embedded(jsonld_job(1) | {"description": text})),
    "page json-ld number": lambda text: page(NUMBER_AT + text + "}"),
    "html fragment": lambda text: "<p>SRE at Acme</p><p>" + text + "</p>",
    **{
        f"inside {name}": lambda text, seed=seed: (
            seed[: len(seed) // 2] + text + seed[len(seed) // 2 :]
        )
        for name, seed in xss_postings().items()
    },
}


def long_bytes(long: Long) -> bytes:
    """Repeat the fragment in its shape until the file has about long.size bytes."""
    shape, closing = SHAPES[long.shape], CLOSING.get(long.fragment, "") if long.nested else ""

    def make(count: int) -> bytes:
        return shape(long.fragment * count + closing * count).encode("utf-8", "surrogatepass")

    count = max(1, (long.size - len(make(0))) // len((long.fragment + closing).encode()))
    data = make(count)
    if len(data) > long.size > len(make(1)):  # escaping made it longer: scale down once
        data = make(count * (long.size - len(make(0))) // (len(data) - len(make(0))))
    return data


# `make test` draws up to 256 KiB (its explicit examples are 1 MiB), `make fuzz` up to 1 MiB.
LONGEST = MAX_BYTES if PROFILE == "fuzz" else MAX_BYTES // 4
long_input = st.builds(
    Long,
    st.sampled_from(list(SHAPES)),
    st.sampled_from(FRAGMENTS),
    st.sampled_from([LONGEST]) | st.integers(1, LONGEST),
    st.booleans(),
)
# The time a long input may take: twice the slowest linear pass measured (20 µs a byte, for
# 1 MiB of nested "> "), for a loaded machine; a quadratic pass over 1 MiB takes minutes.
BASE_SECONDS, SECONDS_PER_BYTE = 2.0, 40e-6


class TooSlow(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` swallows it."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Fail if the block takes longer than seconds (a C call is interrupted when it returns)."""

    def alarm(signum: int, frame: object) -> None:
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, alarm)
    started = time.perf_counter()
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    except TooSlow:
        spent = time.perf_counter() - started
        raise AssertionError(
            f"{what} took over {seconds:.1f} s (stopped at {spent:.1f} s)"
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def budget(size: int) -> float:
    return BASE_SECONDS + SECONDS_PER_BYTE * size


# Without shrinking in `make test`: a slow example would be retried many times. The Long
# printed is already small; `make fuzz` shrinks it.
LONG_PHASES = list(Phase) if PROFILE == "fuzz" else [Phase.explicit, Phase.generate]


def read_and_extract(data: bytes) -> None:
    """Read one file; it must give postings, or at least one error saying why it gave none."""
    raws, problems = read_posting("fuzz.txt", data)
    assert raws or any(p.severity is Severity.ERROR for p in problems)
    for problem in problems:
        assert problem.path == "fuzz.txt" and problem.message and problem.fix
    for raw in raws:
        posting, found = extract(raw, CONTEXT)
        assert posting.slug and posting.title
        errors = [p.message for p in found if p.severity is Severity.ERROR]
        # The one error extraction reports: no company, which is then shown as none.
        assert errors == ([] if posting.company else ["no company found; the posting shows none"])


@given(any_input)
def test_any_input_gives_postings_or_problems(data):
    read_and_extract(data)


@given(long_input)
@example(Long("plain", "[a](", MAX_BYTES))
@example(Long("plain", "x", MAX_BYTES))  # one 1 MiB line
@example(Long("html page", "<div>", MAX_BYTES))
@example(Long("plain", "[", MAX_BYTES, nested=True))
@example(Long("markdown", "**a", MAX_BYTES))
@example(Long("json number", "9", 5000))  # Python refuses int("9" * 4301)
@example(Long("page json-ld number", "9", 5000))
@settings(max_examples=max(6, int(settings().max_examples * LONG)), phases=LONG_PHASES)
def test_long_input_gives_postings_or_problems_in_time(long):
    data = long_bytes(long)
    with time_limit(budget(len(data)), f"reading {len(data):,} bytes"):
        read_and_extract(data)


@given(st.lists(any_input | long_input, min_size=1, max_size=3))
@settings(max_examples=max(5, int(settings().max_examples * BUILDS)), phases=LONG_PHASES)
def test_any_content_folder_builds_or_reports(files):
    files = [long_bytes(data) if isinstance(data, Long) else data for data in files]
    with tempfile.TemporaryDirectory() as folder:
        content, output = Path(folder, "content"), Path(folder, "site")
        content.mkdir()
        shutil.copy(TAXONOMY, content / TAXONOMY.name)
        for number, data in enumerate(files):
            (content / f"{number}.txt").write_bytes(data)
        options = builder.Options(content, output, "https://board.example/", NOW, keep_going=True)
        size = sum(map(len, files))
        with time_limit(2 * budget(size), f"building {len(files)} files of {size:,} bytes"):
            result = builder.build(options)
        assert result.files_read == len(files)
        assert set(result.skipped) <= {p.path for p in result.errors}
        assert result.written or result.errors
        if result.drafts == result.future == 0:  # every file gave a posting, or was skipped
            built = {posting.source for posting in result.postings}
            assert len(result.skipped) == sum(  # skipped: an error left the file no posting
                any(p.is_error and p.path.endswith(f"/{n}.txt") for p in result.problems)
                and not any(source.endswith(f"/{n}.txt") for source in built)
                for n in range(len(files))
            )
            sources = {posting.source for posting in result.postings}
            assert len(sources) + len(result.skipped) == len(files)
        if result.written:
            for posting in result.postings:
                assert (output / posting.path / "index.html").is_file()
