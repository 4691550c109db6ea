"""A build killed at any moment, or racing another, leaves a whole site: the old or the new."""

from __future__ import annotations

import fcntl
import math
import os
import shutil
import signal
import statistics
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import CONTENT, TAXONOMY, build_args, build_site, cli, run_cli, tree

import builder.output
from builder.output import UnsafeOutput, write_site

KILLS = 20
POLL = 0.001  # seconds between looks at the output's parent folder
WAIT_LIMIT = 60  # seconds a build may take to make its staging folder, or to exit
SEEDS = sorted(p.name for p in CONTENT.glob("0*.txt"))[:2]
NOW = "2026-11-23T12:00:00Z"
EXTRA = "---\ntitle: Database SRE\ncompany: Acme\ndate: 2026-11-01\n---\nWe run Postgres.\n"


def build_command(content: Path, output: Path) -> list[str]:
    return cli(*build_args(content, output))


def make_content(folder: Path, *extra: str) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(TAXONOMY, folder / TAXONOMY.name)
    for name in SEEDS:
        shutil.copy(CONTENT / name, folder / name)
    for number, text in enumerate(extra):
        (folder / f"extra-{number}.txt").write_text(text)
    return folder


def staging_folders(site: Path) -> set[str]:
    prefix = f".{site.name}.tmp-"
    return {entry.name for entry in os.scandir(site.parent) if entry.name.startswith(prefix)}


def start_and_watch(content: Path, site: Path) -> tuple[subprocess.Popen[bytes], str | None, float]:
    """Start a build of content into site and wait until its staging folder appears. Return the
    build, the folder's name (None if the build ended before it was seen) and when it was seen.
    An earlier killed build's leftovers are there at the start: only a new name counts."""
    before = staging_folders(site)
    build = subprocess.Popen(
        build_command(content, site),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so a kill takes Pagefind with it, as a CI cancel would
    )
    deadline = time.perf_counter() + WAIT_LIMIT
    while build.poll() is None:
        if new := staging_folders(site) - before:
            return build, new.pop(), time.perf_counter()
        if time.perf_counter() > deadline:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
            pytest.fail(f"the build made no staging folder in {WAIT_LIMIT} s")
        time.sleep(POLL)
    return build, None, time.perf_counter()


def exited_by(build: subprocess.Popen[bytes], moment: float) -> float | None:
    """Wait until moment (at most WAIT_LIMIT s); return when the build exited, else None."""
    moment = min(moment, time.perf_counter() + WAIT_LIMIT)
    while time.perf_counter() < moment:
        if build.poll() is not None:
            return time.perf_counter()
        time.sleep(POLL)
    return time.perf_counter() if build.poll() is not None else None


def rebuild(content: Path, site: Path) -> float:
    """Build content into site uninterrupted; return how long it ran after staging appeared."""
    build, staging, seen = start_and_watch(content, site)
    ended = exited_by(build, math.inf)
    assert build.returncode == 0 and staging and ended, "the build failed or made no staging"
    return ended - seen


def differ(site: dict[str, bytes], other: dict[str, bytes]) -> list[str]:
    return sorted(name for name in site.keys() | other.keys() if site.get(name) != other.get(name))


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".site."))


def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one(tmp_path):
    """Kill builds between the moment their staging folder appears (about 3/4 into a build:
    before it, nothing is written) and just after they exit. Each kill must leave the old site
    or the new one, byte for byte, and the next build must remove what the killed one left."""
    old_content = make_content(tmp_path / "old")
    new_content = make_content(tmp_path / "new", EXTRA)
    site = tmp_path / "out/site"
    build_site(old_content, site)
    old = tree(site)
    remaining = [rebuild(new_content, site)]  # staging to exit, re-measured by every exit
    new = tree(site)
    remaining.append(rebuild(old_content, site))
    assert tree(site) == old != new
    # Fractions of the remaining time, denser early: the swap comes about halfway. A few land
    # past the expected end, and two wait for the exit (so the site changes however slow).
    timed = [1.25 * (n / (KILLS - 3)) ** 1.5 for n in range(KILLS - 2)]
    schedule = [*timed, math.inf, math.inf]
    schedule = [schedule[n * 7 % KILLS] for n in range(KILLS)]  # spread, to re-measure early
    kinds: Counter[str] = Counter()
    changed = []
    for kill, fraction in enumerate(schedule):
        current = tree(site)
        content = new_content if current == old else old_content
        left = set(leftovers(site.parent)) - {".site.lock"}
        build, staging, seen = start_and_watch(content, site)
        ended = exited_by(build, seen + fraction * statistics.median(remaining))
        if ended is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait(timeout=10)
        else:
            assert build.returncode == 0, f"build {kill} failed"
            if staging:
                remaining.append(ended - seen)
        after = tree(site)
        assert after in (old, new), f"kill {kill} left a broken site: {differ(after, current)}"
        stayed = staging is not None and (site.parent / staging).exists()
        if ended is not None:
            kinds["after exit"] += 1
            assert leftovers(site.parent) == [], f"build {kill} left files behind"
        elif stayed and after == current:
            kinds["while staging"] += 1  # observed: killed while writing the new site
        elif stayed:
            kinds["during swap"] += 1  # swapped in, the old site not yet removed
        else:
            kinds["after swap"] += 1
        if staging:  # a build removes what the kill before left, before it makes its own
            assert not left & set(leftovers(site.parent)), f"build {kill} kept {left}"
        changed.append(after != current)
    print(f"kills: {dict(kinds)}; staging to exit: {statistics.median(remaining):.3f} s")
    assert kinds["while staging"] >= 3, f"too few kills landed while staging existed: {kinds}"
    assert any(changed) and not all(changed), kinds
    done = subprocess.run(build_command(new_content, site), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert tree(site) == new
    assert leftovers(site.parent) == []


def test_a_build_killed_between_its_two_renames_is_repaired_by_the_next(tmp_path, monkeypatch):
    """Where the kernel cannot exchange two folders, the swap is two renames; a build killed
    between them leaves the old site in .site.old-*/ and the next build puts it back first."""
    content = make_content(tmp_path / "content")
    site = tmp_path / "site"
    build_site(content, site)
    old = tree(site)
    retired = tmp_path / ".site.old-x1"
    retired.mkdir()
    site.rename(retired / "site")
    (tmp_path / ".site.tmp-x2").mkdir()  # a half-written staging folder
    (tmp_path / ".site.tmp-x2/index.html").write_text("partial")

    def fail(pages, root):
        raise OSError("disk full")

    monkeypatch.setattr(builder.output, "_write_pages", fail)
    with pytest.raises(OSError):
        build_site(content, site)
    assert tree(site) == old
    assert leftovers(tmp_path) == []


def test_the_two_rename_swap_replaces_the_site_when_exchange_is_unsupported(tmp_path, monkeypatch):
    content = make_content(tmp_path / "content")
    site = tmp_path / "site"
    build_site(content, site)
    monkeypatch.setattr(builder.output, "_exchange", lambda first, second: False)
    (content / "extra.txt").write_text(EXTRA)
    build_site(content, site)
    assert (site / "jobs/database-sre-acme/index.html").is_file()
    assert leftovers(tmp_path) == []


def test_a_second_build_fails_clearly_while_one_holds_the_lock(tmp_path):
    content = make_content(tmp_path / "content")
    site = tmp_path / "site"
    assert run_cli("build", "--content", str(content), "--output", str(site)).returncode == 0
    before = tree(site)
    lock = tmp_path / ".site.lock"
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running build does
        (content / "extra.txt").write_text(EXTRA)
        done = run_cli("build", "--content", str(content), "--output", str(site))
    assert done.returncode == 2
    assert f"another build is writing this site (it holds {lock})" in done.stderr
    assert "Traceback" not in done.stderr
    assert tree(site) == before


def test_a_symlink_to_the_output_takes_the_same_lock(tmp_path):
    content = make_content(tmp_path / "content")
    site = tmp_path / "site"
    assert run_cli("build", "--content", str(content), "--output", str(site)).returncode == 0
    before = tree(site)
    (tmp_path / "link").symlink_to(site)
    with (tmp_path / ".site.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        (content / "extra.txt").write_text(EXTRA)
        done = run_cli("build", "--content", str(content), "--output", str(tmp_path / "link"))
    assert done.returncode == 2 and "another build is writing this site" in done.stderr
    assert tree(site) == before


def test_builds_started_together_never_corrupt_the_site(tmp_path):
    contents = [make_content(tmp_path / "a"), make_content(tmp_path / "b", EXTRA)]
    for folder in contents:
        build_site(folder, tmp_path / f"{folder.name}-site")
    expected = [tree(tmp_path / f"{folder.name}-site") for folder in contents]
    site = tmp_path / "out/site"
    for _ in range(3):
        builds = [
            subprocess.Popen(build_command(c, site), stderr=subprocess.PIPE, text=True)
            for c in contents
        ]
        for build in builds:
            _, stderr = build.communicate(timeout=60)
            assert build.returncode == 0 or (
                build.returncode == 2 and "another build is writing this site" in stderr
            ), stderr
        assert tree(site) in expected
        assert leftovers(site.parent) == []


def test_page_paths_that_leave_the_site_are_refused_before_anything_is_written(tmp_path):
    for path in ["../escape.html", "/etc/escape.html", "jobs/../../escape.html", "a\0b/x.html"]:
        with pytest.raises(UnsafeOutput, match="not a safe path"):
            write_site({path: b"x"}, tmp_path / "none", tmp_path / "out/site")
    with pytest.raises(UnsafeOutput, match="not a safe path"):
        write_site({f"jobs/{'x' * 256}/i.html": b"x"}, tmp_path, tmp_path / "s")
    assert not (tmp_path / "out").exists() and not (tmp_path / "escape.html").exists()


def test_an_output_folder_that_holds_the_content_is_refused(tmp_path):
    """It once passed the check: the swap would have moved the content away and deleted it."""
    project = tmp_path / "board"
    content = make_content(project / "content")
    before = tree(content)
    done = run_cli("build", "--content", str(content), "--output", str(project))
    assert done.returncode == 2
    assert f"it would replace {content}" in done.stderr
    assert tree(content) == before


def test_a_folder_that_no_build_wrote_is_never_replaced(tmp_path):
    content = make_content(tmp_path / "content")
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "thesis.txt").write_text("years of work")
    done = run_cli("build", "--content", str(content), "--output", str(documents))
    assert done.returncode == 2
    assert "it holds files that no build wrote (there is no .nojekyll)" in done.stderr
    assert tree(documents) == {"thesis.txt": b"years of work"}
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("build", "--content", str(content), "--output", str(empty)).returncode == 0
    assert run_cli("build", "--content", str(content), "--output", str(empty)).returncode == 0


def test_a_build_with_nothing_to_write_still_removes_a_killed_builds_leftovers(tmp_path):
    content = make_content(tmp_path / "content")
    site, cache = tmp_path / "out/site", tmp_path / "cache"
    assert build_site(content, site, cache_dir=cache).written
    killed = tmp_path / "out/.site.tmp-killed1"  # as a build killed while writing leaves it
    (killed / "jobs").mkdir(parents=True)
    assert build_site(content, site, cache_dir=cache).pages_reused  # skipped: nothing new
    assert not killed.exists()
