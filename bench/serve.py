"""Time `make serve` as a curator meets it: a saved edit, then the browser's next request.

`build.py serve` (search on, the default) runs in a process of its own on a free port, over
the bench corpus. Each run appends a sentence with a new word to one posting and polls the
posting's page over HTTP until it shows the word (on the page), until the site on disk holds
it (written), and until the page no longer says search is catching up (search caught up).
The clock starts when the file is saved, so the watcher's wait for a burst to end counts.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
STALE = b'id="sreboard-search-stale"'
POLL_SECONDS = 0.005
FIRST_BUILD_SECONDS = 900.0  # the server's cold build of the corpus comes first
STEP_SECONDS = 60.0  # any one step of a run
SETTLE_SECONDS = 1.0  # the server's silence that says it has no build to come


@dataclass(frozen=True)
class ServeTimes:
    """Medians, in seconds from the save: the edit on the page, the site on disk holding
    it, and the search index caught up."""

    postings: int
    on_page: float
    written: float
    caught_up: float


def measure_serve(
    build: Path, corpus: Path, folder: Path, size: int, now: str, runs: int
) -> ServeTimes:
    """Serve the corpus from `folder` and time `runs` edits of one posting (after one more,
    untimed, which finds the posting's page)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.toml").write_text("max_age_days = 0\n", encoding="utf-8")
    edited = corpus / f"{size // 2:06d}.txt"
    original = edited.read_bytes()
    site = folder / "site"
    try:
        with _serving(build, corpus, site, now, folder) as (url, log):
            page = _page_of(edited, site, "benchwarmup")
            times = []
            for run in range(runs):
                _settled(log)  # a build still to come would take up the next save at once
                times.append(_one_edit(edited, url, site, page, f"benchword{run}"))
    finally:
        edited.write_bytes(original)
    on_page, written, caught_up = (statistics.median(each) for each in zip(*times, strict=True))
    return ServeTimes(size, on_page, written, caught_up)


@contextmanager
def _serving(
    build: Path, corpus: Path, site: Path, now: str, folder: Path
) -> Iterator[tuple[str, Path]]:
    port = _free_port()
    command = [sys.executable, str(build), "serve", "--content", str(corpus), "--output",
               str(site), "--now", now, "--port", str(port)]  # fmt: skip
    log = folder / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=folder, stdout=sink, stderr=subprocess.STDOUT)
    try:
        said = lambda: b"Watching " in log.read_bytes()  # noqa: E731
        _until(said, FIRST_BUILD_SECONDS, "the server to build and watch", process)
        yield f"http://127.0.0.1:{port}/", log
    finally:
        process.terminate()
        process.wait(timeout=STEP_SECONDS)


def _page_of(edited: Path, site: Path, word: str) -> str:
    """Edit once, untimed, and find the posting's page by the word once it is written."""
    _append(edited, word)
    jobs = site / "jobs"

    def found() -> str:
        return next((p.parent.name for p in jobs.glob("*/index.html") if word in p.read_text()), "")

    return f"jobs/{_until(found, STEP_SECONDS, 'the edited posting page')}/"


def _one_edit(
    edited: Path, url: str, site: Path, page: str, word: str
) -> tuple[float, float, float]:
    saved = _append(edited, word)
    encoded = word.encode()
    _until(lambda: encoded in _get(url + page), STEP_SECONDS, "the edit on the page")
    on_page = time.perf_counter() - saved
    on_disk = site / page / "index.html"
    _until(lambda: encoded in on_disk.read_bytes(), STEP_SECONDS, "the edit written")
    written = time.perf_counter() - saved
    _until(lambda: STALE not in _get(url + page), STEP_SECONDS, "search to catch up")
    return on_page, written, time.perf_counter() - saved


def _settled(log: Path) -> None:
    """Wait until the server has said nothing for a while: every build has run."""
    said = log.read_bytes()
    quiet_since = time.perf_counter()
    while time.perf_counter() - quiet_since < SETTLE_SECONDS:
        time.sleep(POLL_SECONDS)
        if (now := log.read_bytes()) != said:
            said, quiet_since = now, time.perf_counter()


def _append(edited: Path, word: str) -> float:
    """Add a sentence with the word to the posting; the moment it was saved."""
    text = edited.read_text(encoding="utf-8")
    edited.write_text(f"{text.rstrip()}\n\nYou will also look after {word}.\n", encoding="utf-8")
    return time.perf_counter()


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=STEP_SECONDS) as response:
        return bytes(response.read())


def _until(
    check: Callable[[], T], seconds: float, what: str, server: subprocess.Popen[bytes] | None = None
) -> T:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if server is not None and server.poll() is not None:
            raise RuntimeError(f"the server exited while waiting for {what}")
        if found := check():
            return found
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"gave up after {seconds:.0f} s waiting for {what}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
