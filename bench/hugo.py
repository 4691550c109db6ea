"""A minimal Hugo site over the benchmark corpus, close to what sreboard builds.

A page per posting, paginated lists (home, and each tag, company and location, as sreboard has
tag, company and region pages), an RSS feed per list and a sitemap. No search index: sreboard
also runs Pagefind, which Hugo does not; `with_pagefind` runs it after Hugo, on Hugo's output,
as a Hugo site with search would.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

from bench.measure import Subject

CONFIG = """\
baseURL = "https://board.example/"
title = "SRE Board"
languageCode = "en"
paginate = 20
rssLimit = 50
buildFuture = true  # the corpus dates postings in 2026; sreboard builds it with --now
disableKinds = ["robotsTXT"]

[taxonomies]
tag = "tags"
company = "company"
location = "location"
"""

BASEOF = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ .Title }} | {{ .Site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" \
href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

SINGLE = """\
{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<dl>
<dt>Company</dt><dd>{{ .Params.company }}</dd>
<dt>Location</dt><dd>{{ .Params.location }}</dd>
<dt>Type</dt><dd>{{ .Params.employment_type }}</dd>
<dt>Salary</dt><dd>{{ .Params.salary }}</dd>
<dt>Posted</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">\
{{ .Date.Format "2 January 2006" }}</time></dd>
</dl>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>\
{{ end }}</ul>
{{ .Content }}
<p><a href="{{ .Params.apply_url }}">Apply</a></p>
</article>{{ end }}
"""

POSTINGS = """\
<ul>{{ range .Paginator.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.company }} — {{ . }}{{ end }}\
 <time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}
</ul>
{{ template "_internal/pagination.html" . }}
"""

LIST = """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
{{ partial "postings.html" . }}{{ end }}
"""

HOME = """\
{{ define "main" }}<h1>{{ .Site.Title }}</h1>
{{ $pager := .Paginate (where .Site.RegularPages "Section" "jobs") }}
{{ partial "postings.html" . }}{{ end }}
"""

LAYOUTS = {
    "_default/baseof.html": BASEOF,
    "_default/single.html": SINGLE,
    "_default/list.html": LIST,
    "index.html": HOME,
    "partials/postings.html": POSTINGS,
}


TOOL = "Hugo"
WITH_PAGEFIND = "hugo + pagefind"
# One shell runs both, so measure.py's wait4 times the pair and sees each one's peak memory.
THEN_PAGEFIND = 'hugo --quiet && "$1" --site public --silent'


def installed() -> bool:
    return shutil.which("hugo") is not None


def version() -> str:
    return subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()


def site(corpus: Path, folder: Path, postings: int) -> Subject:
    """Lay out a Hugo site holding a copy of the corpus as content/jobs/*.md."""
    shutil.rmtree(folder, ignore_errors=True)
    jobs = folder / "content" / "jobs"
    jobs.mkdir(parents=True)
    (folder / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        layout = folder / "layouts" / name
        layout.parent.mkdir(parents=True, exist_ok=True)
        layout.write_text(text, encoding="utf-8")
    for posting in sorted(corpus.glob("*.txt")):
        shutil.copy(posting, jobs / f"{posting.stem}.md")
    return Subject(
        tool=TOOL,
        command=("hugo", "--quiet"),
        cwd=folder,
        output=folder / "public",
        fresh=(folder / "public", folder / "resources"),
        edited=jobs / f"{postings // 2:06d}.md",
        postings=postings,
    )


def pagefind() -> Path | None:
    """The Pagefind binary the `pagefind[bin]` wheel ships (sreboard's), or None."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except FileNotFoundError:
        return None


def pagefind_version(binary: Path) -> str:
    shown = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout
    return f"{shown.strip().capitalize()} (indexing Hugo's output for {WITH_PAGEFIND})"


def with_pagefind(hugo: Subject, binary: Path) -> Subject:
    """The same Hugo site, each build followed by Pagefind indexing all of Hugo's output."""
    command = ("sh", "-c", THEN_PAGEFIND, "sh", str(binary))
    return dataclasses.replace(hugo, tool=WITH_PAGEFIND, command=command)
