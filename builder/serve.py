"""Preview the board while curating: build, serve, rebuild on every change, reload open tabs.

The files on disk stay exactly what `build` writes: the live-reload script and the banner of
problems are added to HTML responses as they are served, never to the built pages.
"""

from __future__ import annotations

import errno
import html
import re
import sys
import threading
import time
import traceback
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from watchfiles import watch

import builder
from builder.lock import OutputLocked
from builder.output import UnsafeOutput
from builder.preview import preview_edit
from builder.problems import summarize

RELOAD_PATH = "/__reload"
KEEPALIVE_SECONDS = 10.0  # a closed tab is noticed on the next write
QUIET_MS = 50  # a burst of saves (an editor's temp file and rename, a git checkout) is one rebuild
BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
# The page knows which build it shows; the stream names the newest on connect and after every
# build, so a build that lands before the stream connects still reloads the tab.
RELOAD_SCRIPT = (
    '<script>new EventSource("' + RELOAD_PATH + '").addEventListener("reload", '
    '(event) => { if (event.data !== "{generation}") location.reload(); });</script>'
)
BANNER_STYLE = (
    "margin:0;padding:1rem 1.5rem;background:#fff0f0;color:#600;"
    "border-bottom:4px solid #c00;font:15px/1.5 system-ui,sans-serif"
)
STALE_STYLE = (
    "margin:0;padding:.5rem 1.5rem;background:#fff8e0;color:#4a3800;font:15px/1.5 system-ui"
)
STALE_NOTE = (
    f'<p id="sreboard-search-stale" role="status" style="{STALE_STYLE}">Search is catching up '
    "with your last change: for a few seconds it may find the earlier text.</p>"
)
NOTHING_BUILT = b"<!doctype html><title>Not built yet</title><body><p>No site built yet.</p>"


@dataclass
class Status:
    """The newest build's number and errors, shared by the watcher and the request threads."""

    generation: int = 0
    errors: tuple[str, ...] = ()
    search_stale: bool = False  # the pages are newer than the search index
    shown: Mapping[str, bytes] = field(default_factory=dict)  # an edit's pages, before written
    stopped: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(
        self,
        errors: tuple[str, ...],
        search_stale: bool = False,
        shown: Mapping[str, bytes] | None = None,
        reload: bool = True,
    ) -> None:
        """Record a finished build (or an edit's pages, `shown` before they are written) and,
        unless the open tabs already show it, wake every reload stream."""
        with self.changed:
            self.generation += reload
            self.errors = errors
            self.search_stale = search_stale
            self.shown = shown or {}
            self.changed.notify_all()

    def page_shown(self, name: str) -> bytes | None:
        """The edit's page at this path in the site, while it is not yet written."""
        with self.changed:
            return self.shown.get(name)

    def wait(self, seen: int, timeout: float) -> int:
        """Return the newest build's number once it differs from `seen`, or after timeout."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != seen or self.stopped, timeout)
            return self.generation

    def snapshot(self) -> tuple[int, tuple[str, ...], bool]:
        """The newest build's number, errors and whether search lags, read together."""
        with self.changed:
            return self.generation, self.errors, self.search_stale

    def stop(self) -> None:
        with self.changed:
            self.stopped = True
            self.changed.notify_all()


def serve(options: builder.Options, host: str, port: int) -> int:
    """Build, serve on host:port and rebuild on changes until Ctrl-C; return the exit status."""
    try:
        server = PreviewServer((host, port), options.output_dir.resolve(), Status())
    except OSError as exc:
        return _usage_error(_bind_error(exc, host, port))
    url = f"http://{_url_host(host)}:{server.server_port}/"
    options = replace(options, base_url=url)  # links and feeds point at this server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    builds = Builds(options, server.status)
    try:
        builds.rebuild()
        thread.start()
        threading.Thread(target=builds.catch_up_forever, daemon=True).start()
        print(f"Serving {options.output_dir} at {url} (Ctrl-C to stop)", flush=True)
        _watch(options, builds)
    except UnsafeOutput as exc:
        return _usage_error(str(exc))
    except KeyboardInterrupt:
        pass
    finally:
        _close(server, thread)
    print("Stopped.", flush=True)
    return 0


class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server that knows the newest build."""

    block_on_close = False  # reload streams end with the process, not one by one

    def __init__(self, address: tuple[str, int], folder: Path, status: Status) -> None:
        self.status = status
        handler = partial(PreviewHandler, directory=str(folder), status=status)
        super().__init__(address, handler)


def _usage_error(message: str) -> int:
    print(f"build.py serve: error: {message}", file=sys.stderr)
    return 2


def _bind_error(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} is already in use on {host} (another `make serve`?); "
            "stop that server or choose another port with --port"
        )
    return f"cannot serve on {host}:{port}: {exc.strerror or exc}; check --host and --port"


def _url_host(host: str) -> str:
    """Name the host a browser on this machine reaches the server by."""
    return "127.0.0.1" if host in {"", "0.0.0.0"} else host


def _close(server: PreviewServer, thread: threading.Thread) -> None:
    server.status.stop()
    if thread.is_alive():  # shutdown() waits for serve_forever, which may never have started
        server.shutdown()
    server.server_close()


def _watch(options: builder.Options, builds: Builds) -> None:
    """Rebuild after each burst of changes to the content, templates or static files."""
    folders = [options.content_dir, options.templates_dir, options.static_dir]
    watched = [folder for folder in folders if folder.is_dir()]
    started = False
    for changes in watch(*watched, step=QUIET_MS, yield_on_timeout=True, rust_timeout=500):
        if not changes:
            if not started:  # watching now: a save since the first build is caught here
                started = True
                builds.rebuild(quiet=True)
                print(f"Watching {', '.join(map(str, watched))} for changes", flush=True)
            continue
        names = sorted({Path(path).name for _, path in changes})
        print(f"Changed: {', '.join(names)}", flush=True)
        builds.rebuild(saved={path for _, path in changes})


class Builds:
    """One build at a time: the watcher's, which show a change at once and leave the search
    shards it touched stale, and the catch-up builds that index them in the background and
    swap the whole site in again (so a half-written index is never served)."""

    def __init__(self, options: builder.Options, status: Status) -> None:
        self.options, self.status = options, status
        self.lock = threading.Lock()
        self.stale = threading.Event()

    def rebuild(self, quiet: bool = False, saved: Collection[str] = ()) -> None:
        """Build what changed; `quiet`: say nothing when nothing had (a check, not a save).
        `saved`: the paths the watcher saw change; an edit's pages are shown before they are
        written."""
        with self.lock:
            shown = bool(saved) and _show(self.options, self.status, saved)
            later = replace(self.options, search_later=self.options.search)
            if _rebuild(later, self.status, quiet=quiet, shown=shown):
                self.stale.set()

    def catch_up_forever(self) -> None:
        while not self.status.stopped:
            if not self.stale.wait(timeout=KEEPALIVE_SECONDS):
                continue
            time.sleep(QUIET_MS / 1000)  # let a burst of saves land first
            with self.lock:
                self.stale.clear()
                if self.status.search_stale:
                    _rebuild(self.options, self.status, "search index caught up")


def _show(options: builder.Options, status: Status, changed: Collection[str]) -> bool:
    """Serve the pages an edit changes at once, from memory; tell whether there were any
    (an edit the edit path does not take has none: the build shows it)."""
    started = time.perf_counter()
    try:
        preview = preview_edit(options, changed)
    except Exception:  # the build that follows reports what is wrong
        return False
    if preview is None:
        return False
    status.publish((), options.search, preview.pages)
    count = f"{len(preview.pages)} changed file{'s' * (len(preview.pages) != 1)}"
    elapsed = time.perf_counter() - started
    print(f"[{time.strftime('%H:%M:%S')}] Shown in {elapsed:.2f} s: {count}; writing the site",
          flush=True)  # fmt: skip
    return True


def _rebuild(
    options: builder.Options,
    status: Status,
    what: str = "",
    quiet: bool = False,
    shown: bool = False,
) -> bool:
    """Build once and report the outcome in the terminal and to the served pages; tell
    whether the search index is left stale. `shown`: the open tabs show the edit already,
    so they reload only if the build went otherwise."""
    started = time.perf_counter()
    try:
        result = builder.build(options)
    except UnsafeOutput:
        raise
    except Exception as exc:  # a template typo or a held lock must not stop the preview
        if not isinstance(exc, OutputLocked):
            traceback.print_exc()
        _report("build failed", started, (f"build failed: {exc}",), status, status.search_stale)
        return status.search_stale
    if shown and not result.written:  # what was shown is not what is served now
        shown = False
    if quiet and not result.timings:  # answered from the memo: nothing had changed
        return status.search_stale
    for problem in result.problems:
        print(problem, file=sys.stderr)
    outcome = (
        f"{result.pages_written} files written"
        if result.written
        else "nothing written, still serving the last good site"
    )
    errors = tuple(str(problem) for problem in result.errors)
    stale = result.search_stale if result.written else status.search_stale
    outcome += "; search index catching up" if stale else ""
    summary = what or summarize(list(result.problems))
    _report(f"{summary}; {outcome}", started, errors, status, stale, not shown or bool(errors))
    return stale


def _report(
    outcome: str,
    started: float,
    errors: tuple[str, ...],
    status: Status,
    stale: bool = False,
    reload: bool = True,
) -> None:
    elapsed = time.perf_counter() - started
    print(f"[{time.strftime('%H:%M:%S')}] Built in {elapsed:.2f} s: {outcome}", flush=True)
    status.publish(errors, stale, reload=reload)


def inject(page: bytes, generation: int, errors: tuple[str, ...], stale: bool = False) -> bytes:
    """Add the banner of errors, the note that search lags and the reload script right after
    the page's <body> tag."""
    note = STALE_NOTE if stale else ""
    script = RELOAD_SCRIPT.replace("{generation}", str(generation))
    added = (_banner(errors) + note + script).encode()
    opening = BODY_OPEN.search(page)
    at = opening.end() if opening else 0
    return page[:at] + added + page[at:]


def _banner(errors: tuple[str, ...]) -> str:
    if not errors:
        return ""
    count = f"{len(errors)} error{'s' * (len(errors) != 1)}"
    items = "".join(f"<li><code>{html.escape(error)}</code></li>" for error in errors)
    return (
        f'<div id="sreboard-problems" role="alert" style="{BANNER_STYLE}">'
        f"<strong>Not rebuilt: {count}. This is the last good site; fix and save to rebuild."
        f"</strong><ul>{items}</ul></div>"
    )


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serve the output folder, HTML with the banner and reload script, and the reload stream."""

    def __init__(self, *args: Any, status: Status, **kwargs: Any) -> None:
        self.status = status  # before super().__init__, which handles the request
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for builds and their problems

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        super().end_headers()

    def do_GET(self) -> None:
        if urlsplit(self.path).path == RELOAD_PATH:
            self._stream_reloads()
        else:
            super().do_GET()

    def send_head(self) -> Any:
        shown = self._shown()
        if shown is not None:
            return shown
        page = self._html_file()
        try:
            return self._send_html(200, page.read_bytes()) if page else super().send_head()
        except OSError:  # swapped out between the check and the read
            return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        not_found = Path(self.directory, "404.html")
        body = self._send_html(
            404, not_found.read_bytes() if not_found.is_file() else NOTHING_BUILT
        )
        if self.command != "HEAD":
            self.wfile.write(body.getvalue())

    def _shown(self) -> BytesIO | None:
        """The response for an edit's page that is shown before it is written, if this is one."""
        path = Path(self.translate_path(self.path))
        if urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        page = self.status.page_shown(path.relative_to(self.directory).as_posix())
        if page is None:
            return None
        if path.suffix == ".html":
            return self._send_html(200, page)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        return BytesIO(page)

    def _html_file(self) -> Path | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        return path if path.suffix == ".html" and path.is_file() else None

    def _send_html(self, code: int, page: bytes) -> BytesIO:
        body = inject(page, *self.status.snapshot())
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return BytesIO(body)

    def _stream_reloads(self) -> None:
        """Send the newest build's number now and after every build (Server-Sent Events)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = -1
        try:
            while not self.status.stopped:
                newest = self.status.wait(seen, KEEPALIVE_SECONDS)
                event = f"event: reload\ndata: {newest}\n\n" if newest != seen else ": idle\n\n"
                self.wfile.write(event.encode())
                seen = newest
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded
