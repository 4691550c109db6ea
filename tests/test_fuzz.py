"""Any bytes at all give postings or reported problems, never an exception.

A few examples run in `make test`; `make fuzz` runs many more (HYPOTHESIS_PROFILE=fuzz).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from conftest import CONTENT, TAXONOMY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import builder
from builder.extract import Context, extract
from builder.problems import Severity
from builder.readers import read_posting
from builder.taxonomy import load_taxonomy

settings.register_profile(
    "default", max_examples=60, deadline=None, database=None, derandomize=True
)
settings.register_profile(
    "fuzz", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
BUILDS = 0.2  # whole builds are slower: this share of the profile's examples

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TAXONOMY_LOADED = load_taxonomy(TAXONOMY)[0]
CONTEXT = Context(TAXONOMY_LOADED, NOW, first_seen={})
SEEDS = [path.read_bytes() for path in sorted(CONTENT.glob("0*.txt"))]
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


def read_and_extract(data: bytes) -> None:
    """Read one file; it must give postings, or at least one error saying why it gave none."""
    raws, problems = read_posting("fuzz.txt", data)
    assert raws or any(p.severity is Severity.ERROR for p in problems)
    for problem in problems:
        assert problem.path == "fuzz.txt" and problem.message and problem.fix
    for raw in raws:
        posting, warnings = extract(raw, CONTEXT)
        assert posting.slug and posting.title and posting.company
        assert all(p.severity is Severity.WARNING for p in warnings)


@given(any_input)
def test_any_input_gives_postings_or_problems(data):
    read_and_extract(data)


@given(st.lists(any_input, min_size=1, max_size=3))
@settings(max_examples=max(5, int(settings().max_examples * BUILDS)))
def test_any_content_folder_builds_or_reports(files):
    with tempfile.TemporaryDirectory() as folder:
        content, output = Path(folder, "content"), Path(folder, "site")
        content.mkdir()
        shutil.copy(TAXONOMY, content / TAXONOMY.name)
        for number, data in enumerate(files):
            (content / f"{number}.txt").write_bytes(data)
        options = builder.Options(content, output, "https://board.example/", NOW, keep_going=True)
        result = builder.build(options)
        assert result.files_read == len(files)
        assert len(result.skipped) == sum(
            any(p.is_error and p.path.endswith(f"/{n}.txt") for p in result.problems)
            for n in range(len(files))
        )
        assert result.written or result.errors
        if result.drafts == 0:  # every file gave a posting, or was skipped and named
            sources = {posting.source for posting in result.postings}
            assert len(sources) + len(result.skipped) == len(files)
        if result.written:
            for posting in result.postings:
                assert (output / posting.path / "index.html").is_file()
