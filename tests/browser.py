"""Serve a built site on 127.0.0.1 and drive Debian's Chromium through Playwright.

Playwright's own browser download does not work offline, so every test launches the
system's /usr/bin/chromium (`make test` installs Debian's `chromium` package when missing).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# closed network refuses; they would show up as foreign requests.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = f"no Chromium at {CHROMIUM}: run `make test`, or apt-get install chromium"
# Browser tests fail, rather than skip, without Chromium; this opts out where none can be had.
SKIP_BROWSER = os.environ.get("SREBOARD_SKIP_BROWSER") == "1"


class SiteHandler(SimpleHTTPRequestHandler):
    """Serve files like a static host: quietly, with the site's own 404 page."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory, "404.html")
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port; yield its URL. The folder may appear later."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SiteHandler, directory=str(folder)))
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def launch(playwright: Any) -> Any:
    """Start headless Debian Chromium."""
    if not CHROMIUM.exists():
        raise RuntimeError(MISSING_CHROMIUM)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page: Any) -> list[str]:
    """Run axe-core in the page; describe each violation with the elements it found."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "tags => axe.run({runOnly: {type: 'tag', values: tags}}).then(r => r.violations)",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in found
    ]
