"""The dev server as a curator runs it: `build.py serve` in a real process on a free port."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from browser import SKIP_BROWSER, launch
from conftest import NOW, ROOT, cli, tree

from builder.serve import RELOAD_PATH, PreviewServer, Status, inject

T = TypeVar("T")
NOW_ARG = NOW.isoformat().replace("+00:00", "Z")
POSTING = """---
title: {title}
company: Acme
location: Remote (Europe)
apply_url: https://acme.example/jobs/1
date: 2026-11-01
---
We run Kubernetes and Terraform, and you keep it up.
"""
BROKEN = "---\ntitle: [never closed\ncompany: Acme\n---\nThe front matter above is broken.\n"
WAIT = 15.0  # seconds any one thing may take before the test fails
BANNER = 'id="sreboard-problems"'


@dataclass
class Server:
    """A running `build.py serve` and the files it reads and writes."""

    process: subprocess.Popen[bytes]
    url: str
    content: Path
    output: Path
    log: Path

    def page(self, path: str = "/") -> str:
        """The served HTML at path, also when it is the 404 page."""
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=WAIT) as response:
                return response.read().decode()
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise
            return error.read().decode()

    def terminal(self) -> str:
        return self.log.read_text(errors="replace")

    def page_showing(self, text: str, path: str = "/") -> str:
        """The served page at path once it holds text."""
        return self.eventually(lambda: page if text in (page := self.page(path)) else "", text)

    def eventually(self, check: Callable[[], T], what: str) -> T:
        """Poll check until it returns something true; fail after WAIT seconds."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"server exited:\n{self.terminal()}"
            if found := _attempt(check):
                return found
            time.sleep(0.1)
        pytest.fail(f"gave up waiting for {what}; the server said:\n{self.terminal()}")


def _attempt(check: Callable[[], T]) -> T | None:
    try:
        return check()
    except (urllib.error.URLError, ConnectionError):
        return None  # not listening yet


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_command(content: Path, output: Path, port: int, *options: str) -> list[str]:
    return cli("serve", "--content", str(content), "--output", str(output),
               "--port", str(port), "--now", NOW_ARG, *options)  # fmt: skip


@pytest.fixture
def server(content: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Server]:
    """Serve a content folder of one posting (with the options a test passes as its param);
    always stop the server afterwards."""
    (content / "acme.txt").write_text(POSTING.format(title="Staff SRE, Storage"))
    port, output, log = free_port(), tmp_path / "_site", tmp_path / "serve.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = serve_command(content, output, port, *getattr(request, "param", ()))
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=sink)
    running = Server(process, f"http://127.0.0.1:{port}/", content, output, log)
    try:
        running.page_showing("Staff SRE, Storage")
        running.eventually(lambda: "Watching " in running.terminal(), "the watcher to start")
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=WAIT)


def test_serves_the_site_built_for_its_own_url(server: Server, tmp_path: Path) -> None:
    served = server.page()
    assert f'EventSource("{RELOAD_PATH}")' in served
    assert f'href="{server.url}"' in served  # the base URL is the local server's
    assert f"at {server.url}" in server.terminal()
    assert re.search(r"\[\d\d:\d\d:\d\d\] Built in [\d.]+ s: 0 errors", server.terminal())
    # On disk: exactly what `build` writes for that URL, without the script.
    built = tmp_path / "built"
    subprocess.run(
        [*cli("build", "--content", str(server.content), "--output", str(built)),
         *("--now", NOW_ARG, "--base-url", server.url)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    assert tree(server.output) == tree(built)
    on_disk = (server.output / "index.html").read_text()
    assert RELOAD_PATH not in on_disk
    assert re.sub(r"<script>new EventSource.*?</script>", "", served) == on_disk


@pytest.mark.parametrize("server", [("--no-search",)], indirect=True)
def test_serve_can_leave_search_out_for_faster_rebuilds(server: Server) -> None:
    assert (server.output / "jobs").is_dir()
    assert not (server.output / "pagefind").exists()
    (server.content / "acme.txt").write_text(POSTING.format(title="Principal SRE, Networking"))
    server.page_showing("Principal SRE, Networking")
    assert not (server.output / "pagefind").exists()


def test_an_edit_is_served_after_a_rebuild(server: Server) -> None:
    (server.content / "acme.txt").write_text(POSTING.format(title="Principal SRE, Networking"))
    assert "Staff SRE, Storage" not in server.page_showing("Principal SRE, Networking")
    assert "Changed: acme.txt" in server.terminal()


def test_a_broken_posting_shows_a_banner_until_it_is_fixed(server: Server) -> None:
    broken = server.content / "broken.txt"
    broken.write_text(BROKEN)
    page = server.page_showing(BANNER)
    banner = page[page.index(BANNER) : page.index("</div>", page.index(BANNER))]
    assert "broken.txt:2" in banner  # the file and the line
    assert "Staff SRE, Storage" in page  # still the last good site
    assert server.process.poll() is None
    assert "broken.txt:2: error" in server.terminal()
    assert "1 error" in server.terminal()
    assert BANNER in server.page("/no-such-page/")  # on the 404 page too
    broken.write_text(POSTING.format(title="Fixed Posting"))

    # The new site is swapped in a moment before its problems are published: wait for both.
    def fixed() -> bool:
        page = server.page()
        return "Fixed Posting" in page and BANNER not in page

    server.eventually(fixed, "the fixed posting without the banner")
    assert BANNER not in server.page("/no-such-page/")


def test_the_reload_stream_announces_each_build(server: Server) -> None:
    with urllib.request.urlopen(server.url + RELOAD_PATH.lstrip("/"), timeout=WAIT) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        first = _next_event(stream)
        assert f'!== "{first}"' in server.page()  # the page names the build it shows
        (server.content / "acme.txt").write_text(POSTING.format(title="Another Title"))
        second = _next_event(stream)
    assert int(second) > int(first)


def _next_event(stream: Any) -> str:
    """Read Server-Sent Events lines until a reload event; return its data."""
    event, deadline = "", time.monotonic() + WAIT  # keep-alive comments come every few seconds
    for raw in iter(stream.readline, b""):
        assert time.monotonic() < deadline, "no reload event in time"
        line = raw.decode().rstrip("\n")
        if line.startswith("event: "):
            event = line.removeprefix("event: ")
        elif line.startswith("data: ") and event == "reload":
            return line.removeprefix("data: ")
    pytest.fail("the reload stream closed")


def test_ctrl_c_stops_the_server_cleanly(server: Server) -> None:
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=WAIT) == 0
    assert "Traceback" not in server.terminal()
    assert server.terminal().rstrip().endswith("Stopped.")


def test_a_port_in_use_is_named(content: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = serve_command(content, tmp_path / "_site", port)
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 2
    assert f"port {port} is already in use" in done.stderr
    assert "--port" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "_site").exists()


def test_the_banner_is_escaped_and_follows_the_body_tag() -> None:
    page = b"<!doctype html><html><body class='x'><main>job</main></body></html>"
    served = inject(page, 7, ("a.txt:3: error: <img src=x onerror=alert(1)> — fix it",)).decode()
    assert "<img" not in served
    assert "&lt;img src=x onerror=alert(1)&gt;" in served
    assert served.index(BANNER) > served.index("<body class='x'>")
    assert served.index(BANNER) < served.index("<main>")
    assert '!== "7"' in served
    assert BANNER not in inject(page, 7, ()).decode()


@pytest.mark.skipif(SKIP_BROWSER, reason="SREBOARD_SKIP_BROWSER=1")
def test_an_open_tab_reloads_itself_after_an_edit(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            tab = browser.new_page()
            tab.goto(server.url)
            tab.evaluate("window.notReloaded = true")
            (server.content / "acme.txt").write_text(POSTING.format(title="Reloaded Title"))
            tab.wait_for_function(
                "document.body.innerText.includes('Reloaded Title')", timeout=WAIT * 1000
            )
            assert tab.evaluate("window.notReloaded") is None
        finally:
            browser.close()


def test_an_unsafe_output_is_refused_before_serving(content: Path) -> None:
    command = serve_command(content, content / "_site", free_port())
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 2
    assert "it is inside the content" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (content / "_site").exists()


def test_an_edit_is_on_the_page_first_and_search_catches_up_in_the_background(
    server: Server,
) -> None:
    """The page is swapped in with the edited shard's old index, noted as stale; a
    background build then indexes that shard and swaps the whole site in again."""
    original = POSTING.format(title="Staff SRE, Storage")
    edited = original.replace("you keep it up", "you keep the quokkaflux up")  # words alone
    (server.content / "acme.txt").write_text(edited)
    posting = next(folder for folder in (server.output / "jobs").iterdir() if folder.is_dir())
    server.page_showing("quokkaflux", f"/jobs/{posting.name}/")
    server.eventually(lambda: "search index caught up" in server.terminal(), "the catch-up")
    log = server.terminal()
    assert log.index("search index catching up") < log.index("search index caught up")
    # A description edit: its page was served from memory before the site was written.
    assert log.index("Shown in") < log.index("search index catching up")
    assert STALE not in server.page()
    if SKIP_BROWSER:
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            tab = browser.new_page()
            tab.goto(server.url + "search/")
            found = tab.evaluate(FIND, "quokkaflux")
            assert len(found) == 1 and found[0].startswith("/jobs/")
        finally:
            browser.close()


STALE = 'id="sreboard-search-stale"'
FIND = """async (term) => {
  const config = document.querySelector("pagefind-config");
  const pagefind = await import(config.getAttribute("bundle-path") + "pagefind.js");
  const search = await pagefind.search(term);
  return (await Promise.all(search.results.map((r) => r.data()))).map((d) => d.url);
}"""


def test_the_stale_search_note_is_a_status_after_the_body_tag() -> None:
    page = b"<!doctype html><html><body><main>job</main></body></html>"
    served = inject(page, 3, (), stale=True).decode()
    assert served.index(STALE) > served.index("<body>") and served.index(STALE) < served.index(
        "<main>"
    )
    assert 'role="status"' in served and "catching up" in served
    assert STALE not in inject(page, 3, ()).decode()


def test_an_edit_shown_before_it_is_written_is_served_from_memory(tmp_path: Path) -> None:
    (tmp_path / "jobs" / "sre").mkdir(parents=True)
    (tmp_path / "jobs" / "sre" / "index.html").write_text("<html><body>on disk</body></html>")
    (tmp_path / "feed.xml").write_text("<rss>on disk</rss>")
    status = Status()
    server = PreviewServer(("127.0.0.1", 0), tmp_path, status)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    shown = {"jobs/sre/index.html": b"<html><body>in memory</body></html>", "feed.xml": b"<rss/>"}
    try:
        status.publish((), True, shown)
        with urllib.request.urlopen(url + "jobs/sre/", timeout=WAIT) as response:
            page = response.read().decode()
        assert "in memory" in page and RELOAD_PATH in page and STALE in page
        with urllib.request.urlopen(url + "feed.xml", timeout=WAIT) as response:
            assert response.read() == b"<rss/>"
            assert response.headers["Content-Type"] in {"application/xml", "text/xml"}
        status.publish((), False)  # written: the files on disk are served again
        with urllib.request.urlopen(url + "jobs/sre/", timeout=WAIT) as response:
            assert "on disk" in response.read().decode()
    finally:
        status.stop()
        server.shutdown()
        server.server_close()
