"""Shared helpers: build a content folder into a site, and read what was written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import builder

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
TAXONOMY = CONTENT / "_taxonomy.yml"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
BASE_URL = "https://board.example/"


def build_site(content: Path, output: Path, now: datetime = NOW, **options) -> builder.Result:
    """Build `content` into `output` through the library entry point."""
    return builder.build(builder.Options(content, output, BASE_URL, now, **options))


def cli(*args: str) -> list[str]:
    """The command line that runs build.py with these arguments."""
    return [sys.executable, str(ROOT / "build.py"), *args]


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run build.py as a user would, capturing its output."""
    return subprocess.run(cli(*args), cwd=cwd, capture_output=True, text=True, timeout=120)


def build_args(content: Path, output: Path, *extra: str) -> list[str]:
    """Arguments of a build of `content` into `output` at NOW, for BASE_URL."""
    now = NOW.isoformat().replace("+00:00", "Z")
    return ["build", "--content", str(content), "--output", str(output), "--now", now,
            "--base-url", BASE_URL, *extra]  # fmt: skip


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_the_project(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds run by tests keep their cache in a temporary folder, not the project's .cache/,
    which would otherwise collect one folder per temporary site."""
    os.environ["SREBOARD_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """An empty content folder holding the real taxonomy."""
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(TAXONOMY, folder / TAXONOMY.name)
    return folder


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[builder.Result, Path]:
    """The board's real content, built once for the whole session."""
    output = tmp_path_factory.mktemp("seed") / "_site"
    result = build_site(CONTENT, output)
    assert result.written, [str(p) for p in result.errors]
    return result, output


@pytest.fixture
def board(tmp_path: Path) -> Path:
    """The seeds (each with warnings) and 30 generated postings: tags, regions, companies
    and pages of lists."""
    from bench.corpus import write_corpus

    folder = write_corpus(tmp_path / "content", 30, seed=7)
    for seed in sorted(CONTENT.glob("0*.txt")):
        shutil.copy(seed, folder / seed.name)
    return folder
