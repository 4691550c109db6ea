"""A minimal Pelican site over the benchmark corpus, close to what sreboard builds.

The same postings, with their YAML front matter rewritten as Pelican's Markdown metadata: the
company becomes the author and the location the category, so Pelican writes a page per
posting, paginated lists for the home page, each tag, company and location, and Atom feeds
for each of those. Pelican's content cache is on, as sreboard's is. It is not a dependency of
sreboard: the benchmark runs whichever Pelican it finds (`--pelican PATH`, the `pelican`
module beside this Python, or `pelican` on PATH).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from bench.measure import Subject

CONFIG = """\
SITENAME = "SRE Board"
SITEURL = ""
FEED_DOMAIN = "https://board.example"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
FEED_MAX_ITEMS = 20
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
AUTHOR_FEED_ATOM = "feeds/author/{slug}.atom.xml"
AUTHOR_FEED_RSS = None
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""


def command(given: Path | None) -> tuple[str, ...] | None:
    """How to run Pelican: the executable given, else the module or `pelican` on PATH."""
    if given is not None:
        return (str(given),)
    if importlib.util.find_spec("pelican") is not None:
        return (sys.executable, "-m", "pelican")
    found = shutil.which("pelican")
    return (found,) if found else None


def version(pelican: tuple[str, ...]) -> str:
    shown = subprocess.run([*pelican, "--version"], capture_output=True, text=True).stdout
    return f"Pelican {shown.strip()}"


def site(corpus: Path, folder: Path, postings: int, pelican: tuple[str, ...]) -> Subject:
    """Lay out a Pelican project holding the corpus converted to Pelican's metadata."""
    shutil.rmtree(folder, ignore_errors=True)
    content = folder / "content"
    content.mkdir(parents=True)
    (folder / "pelicanconf.py").write_text(CONFIG, encoding="utf-8")
    for posting in sorted(corpus.glob("*.txt")):
        text = posting.read_text(encoding="utf-8")
        (content / f"{posting.stem}.md").write_text(convert(text, posting.stem), encoding="utf-8")
    return Subject(
        tool="Pelican",
        command=(*pelican, "content", "-s", "pelicanconf.py", "-o", "output", "-q"),
        cwd=folder,
        output=folder / "output",
        fresh=(folder / "output", folder / "cache"),
        edited=content / f"{postings // 2:06d}.md",
        postings=postings,
    )


def convert(posting: str, slug: str) -> str:
    """Rewrite a corpus posting's YAML front matter as Pelican's `Key: value` metadata."""
    _, front, body = posting.split("---\n", 2)
    fields = yaml.safe_load(front)
    metadata = {
        "Title": fields["title"],
        "Date": fields["date"],
        "Author": fields["company"],
        "Category": fields["location"],
        "Tags": ", ".join(fields["tags"]),
        "Slug": slug,
    }
    lines = [f"{key}: {value}" for key, value in metadata.items()]
    return "\n".join(lines) + "\n" + body
