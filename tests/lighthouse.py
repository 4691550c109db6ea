"""Lighthouse on the built site, served on 127.0.0.1 and loaded in Debian's Chromium.

`make lighthouse` runs this file: it builds content/ into a temporary folder, audits the home
page and the newest posting, and prints the four category scores and the bytes transferred.
tests/test_lighthouse.py asserts on the same reports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from browser import CHROMIUM, CHROMIUM_ARGS, serve

import builder

ROOT = Path(__file__).resolve().parent.parent

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def audit(url: str, report_file: Path) -> dict[str, Any]:
    """Run Lighthouse on one URL (mobile, simulated throttling); return its JSON report."""
    flags = " ".join(["--headless=new", "--no-sandbox", *CHROMIUM_ARGS])
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report_file}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={flags}",
    ]
    if not LIGHTHOUSE.exists():
        raise RuntimeError(f"no {LIGHTHOUSE}: run `make test` or `npm ci` to install Lighthouse")
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    ran = subprocess.run(command, env=env, timeout=240, capture_output=True, text=True)
    if ran.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url}: {ran.stderr.strip()[-2000:]}")
    return json.loads(report_file.read_text(encoding="utf-8"))


def scores(report: dict[str, Any]) -> dict[str, int]:
    """The four category scores, 0 to 100."""
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def transferred(report: dict[str, Any]) -> int:
    """Bytes the page transferred over the network, everything it loaded included."""
    return int(report["audits"]["total-byte-weight"]["numericValue"])


def failing(report: dict[str, Any], category: str) -> list[str]:
    """Name the audits that cost points in a category, to say why a score is not 100."""
    audits = report["audits"]
    refs = report["categories"][category]["auditRefs"]
    return [
        f"{ref['id']}: {audits[ref['id']]['title']}"
        for ref in refs
        if ref["weight"] and (audits[ref["id"]]["score"] or 0) < 1
    ]


def main() -> int:
    now = datetime.now(UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder, "_site")
        with serve(output) as url:
            result = builder.build(builder.Options(ROOT / "content", output, url, now))
            if not result.written:
                print("the build failed: run `make check`", file=sys.stderr)
                return 1
            newest = next(p for p in result.postings if p.is_open(now))
            print(f"{'page':<10}" + "".join(f"{name:>16}" for name in CATEGORIES) + "  transferred")
            for name, path in [("home", ""), ("posting", newest.path)]:
                report = audit(url + path, Path(folder, f"{name}.json"))
                row = "".join(f"{score:>16}" for score in scores(report).values())
                print(f"{name:<10}{row}  {transferred(report) / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
