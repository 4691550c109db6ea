"""Writing the site (builder/output.py): pages, static files, the swap, the standby copy."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest
from conftest import tree

from builder.lock import OutputLocked, output_lock
from builder.output import (
    OldFile,
    Standby,
    UnsafeOutput,
    check_output_dir,
    link_or_copy,
    link_tree,
    remove_leftovers,
    standby_path,
    write_site,
)


def beside(site: Path) -> list[str]:
    """Every entry of the site's parent folder but the site: what a write leaves beside it."""
    return sorted(name for name in os.listdir(site.parent) if name != site.name)


@pytest.fixture
def static(tmp_path: Path) -> Path:
    folder = tmp_path / "static"
    (folder / "img").mkdir(parents=True)
    (folder / "style.css").write_text("body {}")
    (folder / "img/logo.svg").write_text("<svg/>")
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return tmp_path / "out" / "site"


def test_pages_are_written_from_bytes_and_functions_with_the_static_files(site, static) -> None:
    pages = {
        ".nojekyll": b"",
        "index.html": b"<h1>home</h1>",
        "jobs/sre-acme/index.html": lambda: b"<h1>SRE</h1>",
        "tags/a/b/c/index.html": lambda: "rendered late é".encode(),
    }
    write_site(pages, static, site)
    assert tree(site) == {
        ".nojekyll": b"",
        "index.html": b"<h1>home</h1>",
        "jobs/sre-acme/index.html": b"<h1>SRE</h1>",
        "tags/a/b/c/index.html": "rendered late é".encode(),
        "static/style.css": b"body {}",
        "static/img/logo.svg": b"<svg/>",
    }
    assert beside(site) == []  # no staging folder, and the lock is gone
    assert site.stat().st_mode & 0o777 == 0o755  # readable by a web server


def test_a_missing_static_folder_writes_no_static_files(site, tmp_path: Path) -> None:
    write_site({"index.html": b"x"}, tmp_path / "no-static", site)
    assert tree(site) == {"index.html": b"x"}


def test_a_second_write_replaces_the_whole_site(site, static, tmp_path: Path) -> None:
    write_site({"old.html": b"old", "jobs/x/index.html": b"x"}, static, site)
    (static / "style.css").write_text("body { color: red }")
    (static / "img/logo.svg").unlink()
    write_site({"index.html": b"new"}, static, site)
    assert tree(site) == {"index.html": b"new", "static/style.css": b"body { color: red }"}
    assert beside(site) == []
    assert not standby_path(site).exists()  # not kept unless asked


def test_an_old_file_is_hard_linked_not_copied(site, static) -> None:
    write_site({"a.html": b"unchanged", "b.html": b"old"}, static, site)
    before = (site / "a.html").stat()
    old = OldFile(site / "a.html")
    write_site({"a.html": old, "b.html": b"new"}, static, site, keep_standby=True)
    after = (site / "a.html").stat()
    assert after.st_ino == before.st_ino
    assert after.st_nlink == 2  # the live site's and the standby's (the site before)
    assert (standby_path(site) / "a.html").stat().st_ino == before.st_ino
    assert (site / "b.html").read_bytes() == b"new"
    assert (standby_path(site) / "b.html").read_bytes() == b"old"
    write_site({"a.html": OldFile(site / "a.html")}, static, site)  # the site before deleted
    assert (site / "a.html").stat().st_ino == before.st_ino
    assert (site / "a.html").stat().st_nlink == 2  # the live site's and the standby's still


def test_an_old_file_that_is_gone_fails_and_keeps_the_old_site(site, static) -> None:
    write_site({"index.html": b"old"}, static, site)
    before = tree(site)
    with pytest.raises(FileNotFoundError):
        write_site({"index.html": OldFile(site / "gone.html")}, static, site)
    assert tree(site) == before
    assert beside(site) == []


def test_link_or_copy_copies_where_the_file_system_cannot_link(tmp_path, monkeypatch) -> None:
    source = tmp_path / "a.html"
    source.write_bytes(b"page")

    def cross_device(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    link_or_copy(str(source), tmp_path / "b.html")
    assert (tmp_path / "b.html").read_bytes() == b"page"
    assert (tmp_path / "b.html").stat().st_ino != source.stat().st_ino
    with pytest.raises(FileNotFoundError):  # a missing file is never papered over
        link_or_copy(tmp_path / "gone.html", tmp_path / "c.html")


def test_link_tree_links_every_file_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "index/fragments").mkdir(parents=True)
    (tmp_path / "index/entry.json").write_text("{}")
    (tmp_path / "index/fragments/f1").write_text("one")
    link_tree(tmp_path / "index", tmp_path / "new/pagefind")
    assert tree(tmp_path / "new/pagefind") == {"entry.json": b"{}", "fragments/f1": b"one"}
    linked = tmp_path / "new/pagefind/fragments/f1"
    assert linked.stat().st_ino == (tmp_path / "index/fragments/f1").stat().st_ino


def test_finish_runs_on_the_complete_new_site_before_it_is_swapped_in(site, static) -> None:
    write_site({"index.html": b"old"}, static, site)
    seen = {}

    def finish(staging: Path) -> None:
        seen["staging"] = tree(staging)
        seen["live"] = (site / "index.html").read_bytes()
        (staging / "pagefind").mkdir()
        (staging / "pagefind/index.json").write_text("[]")

    write_site({"index.html": b"new"}, static, site, finish=finish)
    assert seen["staging"] == {
        "index.html": b"new",
        "static/style.css": b"body {}",
        "static/img/logo.svg": b"<svg/>",
    }
    assert seen["live"] == b"old"
    assert (site / "pagefind/index.json").read_text() == "[]"


@pytest.mark.parametrize(
    "path",
    [
        "../x",
        "../../etc/passwd",
        "/abs/x.html",
        "a\0b.html",
        "jobs\\..\\x.html",
        ".",
        "x" * 256,
        "jobs/" + "é" * 128 + "/index.html",  # 256 bytes, 128 characters
    ],
    ids=["up", "up-twice", "absolute", "nul", "backslash", "dot", "256-bytes", "256-utf8"],
)
def test_unsafe_page_paths_are_refused_before_anything_is_touched(path, site, static) -> None:
    with pytest.raises(UnsafeOutput, match="not a safe path"):
        write_site({"index.html": b"ok", path: b"x"}, static, site)
    assert not site.parent.exists()  # not even the lock was taken


def test_a_page_path_that_is_safe_but_looks_odd_is_written(site, static) -> None:
    names = ["..hidden.html", "a..b/c..d.html", "x" * 255, "jobs/" + "é" * 127 + "x/i.html"]
    write_site({name: name.encode() for name in names}, static, site)
    assert all((site / name).read_bytes() == name.encode() for name in names)


def test_a_page_that_fails_to_render_leaves_the_old_site_intact(site, static) -> None:
    write_site({"index.html": b"old", "jobs/a/index.html": b"a"}, static, site)
    before = tree(site)

    def broken() -> bytes:
        raise RuntimeError("template error")

    pages = {"index.html": b"new", "jobs/b/index.html": broken}
    with pytest.raises(RuntimeError, match="template error"):
        write_site(pages, static, site)
    assert tree(site) == before
    assert beside(site) == []  # the staging folder removed, the lock released
    with output_lock(site):
        pass


def test_a_failing_finish_leaves_the_old_site_intact(site, static) -> None:
    write_site({"index.html": b"old"}, static, site)
    before = tree(site)

    def finish(staging: Path) -> None:
        raise OSError("pagefind crashed")

    with pytest.raises(OSError, match="pagefind crashed"):
        write_site({"index.html": b"new"}, static, site, finish=finish)
    assert tree(site) == before
    assert beside(site) == []


def test_a_second_holder_of_the_output_lock_is_refused(site, static) -> None:
    with output_lock(site):
        assert (site.parent / ".site.lock").exists()
        with (
            pytest.raises(OutputLocked, match="another build is writing this site"),
            output_lock(site),
        ):
            pass  # pragma: no cover
        with pytest.raises(OutputLocked):
            write_site({"index.html": b"x"}, static, site)
        assert not site.exists()
        write_site({"index.html": b"x"}, static, site, locked=True)  # the holder writes
    assert not (site.parent / ".site.lock").exists()
    with output_lock(site):  # released: the next build takes it
        pass


def test_the_lock_is_the_output_folder_s_whatever_the_path_naming_it(tmp_path, site) -> None:
    site.mkdir(parents=True)
    (tmp_path / "link").symlink_to(site)
    for other_name in [tmp_path / "out/../out/site", tmp_path / "link"]:
        with output_lock(site), pytest.raises(OutputLocked), output_lock(other_name):
            pass  # pragma: no cover


def test_standby_path_is_a_hidden_sibling_of_the_resolved_output(tmp_path, monkeypatch) -> None:
    assert standby_path(tmp_path / "site") == tmp_path / ".site.standby"
    monkeypatch.chdir(tmp_path)
    assert standby_path(Path("out/site")) == tmp_path / "out/.site.standby"
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert standby_path(tmp_path / "link") == tmp_path / ".real.standby"


def test_remove_leftovers_deletes_only_what_killed_builds_of_this_site_left(tmp_path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("live")
    leftovers = [".site.tmp-a1b2", ".site.old-x/site", ".site.trash-0f0f"]
    keep = [".site.standby", ".other.tmp-1", "site.tmp-1", ".site.lock-not", ".sitex.tmp-1"]
    for name in leftovers + keep:
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name / "page.html").write_text("x")
    (tmp_path / ".site.lock").write_text("")
    remove_leftovers(tmp_path / "." / "site")
    assert sorted(os.listdir(tmp_path)) == sorted([".site.lock", "site", *keep])
    assert tree(site) == {"index.html": b"live"}


def test_leftovers_of_an_output_named_with_glob_characters(tmp_path: Path) -> None:
    (tmp_path / ".sa.tmp-busy").mkdir()  # another output's build, writing right now
    (tmp_path / ".s[ab].tmp-killed").mkdir()
    remove_leftovers(tmp_path / "s[ab]")
    assert sorted(os.listdir(tmp_path)) == [".sa.tmp-busy"]


def test_an_output_folder_in_or_holding_the_content_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "board/content"
    content.mkdir(parents=True)
    (tmp_path / "link").symlink_to(content)
    for output_dir in [content / "_site", content, tmp_path / "link/_site"]:
        with pytest.raises(UnsafeOutput, match="it is inside the content"):
            check_output_dir(output_dir, content, [])
    for output_dir in [tmp_path / "board", tmp_path]:
        with pytest.raises(UnsafeOutput, match=re.escape(f"it would replace {content}")):
            check_output_dir(output_dir, content, [])


def test_an_output_folder_that_is_or_holds_a_protected_one_is_refused(tmp_path, monkeypatch):
    content, project = tmp_path / "content", tmp_path / "work/project"
    project.mkdir(parents=True)
    for output_dir in [project, tmp_path / "work"]:
        with pytest.raises(UnsafeOutput, match=re.escape(f"it would replace {project}")):
            check_output_dir(output_dir, content, [project])
    home = tmp_path / "home/me"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    for output_dir in [home, tmp_path / "home"]:
        with pytest.raises(UnsafeOutput, match=re.escape(f"it would replace {home}")):
            check_output_dir(output_dir, content, [])
    with pytest.raises(UnsafeOutput, match="it would replace /"):
        check_output_dir(Path("/"), content, [])
    check_output_dir(home / "site", content, [project])  # inside home is fine


def test_a_folder_holding_files_no_build_wrote_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    documents = tmp_path / "documents"
    (documents / "notes").mkdir(parents=True)
    with pytest.raises(UnsafeOutput, match=r"there is no \.nojekyll"):
        check_output_dir(documents, content, [])  # a folder alone counts
    (documents / ".nojekyll").write_text("")
    check_output_dir(documents, content, [])
    empty = tmp_path / "empty"
    empty.mkdir()
    check_output_dir(empty, content, [])
    check_output_dir(tmp_path / "not-yet", content, [])


def test_a_regular_file_is_refused_as_the_output(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("years of work")
    with pytest.raises(UnsafeOutput):
        check_output_dir(notes, tmp_path / "content", [])


def make_standby(site: Path, static: Path) -> dict[str, int]:
    """A live site and, beside it, the site before (the standby); the standby's inodes."""
    first = {
        ".nojekyll": b"",
        "index.html": b"home 1",
        "same.html": b"same",
        "shared.html": b"shared 1",
        "jobs/gone/index.html": b"gone",
        "jobs/kept/index.html": b"kept 1",
    }
    write_site(first, static, site)
    (site / "pagefind").mkdir()
    (site / "pagefind/index.json").write_text("old index")
    second = dict(first)
    second["index.html"] = b"home 2"
    second["shared.html"] = OldFile(site / "shared.html")  # unchanged: linked into site 2
    write_site(second, static, site, keep_standby=True)
    copy = standby_path(site)
    assert (copy / "shared.html").stat().st_ino == (site / "shared.html").stat().st_ino
    return {name: (copy / name).stat().st_ino for name in tree(copy)}


def standby_of(copy: Path, same: set[str]) -> Standby:
    return Standby(tuple(tree(copy)), same)


def test_the_standby_is_updated_with_only_the_pages_that_differ(site, static) -> None:
    inodes = make_standby(site, static)
    copy = standby_path(site)
    live = tree(site)
    pages = {
        ".nojekyll": b"",
        "index.html": b"home 3",
        "same.html": b"not written: the standby's is the same",
        "shared.html": b"shared 3",
        "jobs/kept/index.html": b"kept 3",
        "jobs/new/index.html": lambda: b"new",
    }
    same = {".nojekyll", "same.html"}
    write_site(pages, static, site, standby=standby_of(copy, same), keep_standby=True)
    assert tree(site) == {
        ".nojekyll": b"",
        "index.html": b"home 3",
        "same.html": b"same",  # left as it was
        "shared.html": b"shared 3",
        "jobs/kept/index.html": b"kept 3",
        "jobs/new/index.html": b"new",
        "static/style.css": b"body {}",
        "static/img/logo.svg": b"<svg/>",
    }
    assert not (site / "jobs/gone").exists()  # the stale page and its emptied folder
    assert not (site / "pagefind").exists()  # the standby's index, for other postings
    for name in same:
        assert (site / name).stat().st_ino == inodes[name]
    for name in ["index.html", "shared.html", "jobs/kept/index.html"]:
        assert (site / name).stat().st_ino != inodes[name]  # replaced by a rename
    assert tree(copy) == live  # the site it replaced is the next standby, untouched
    assert [name for name in beside(site) if name != copy.name] == []


def test_a_page_shared_with_the_live_site_is_replaced_never_written_into(site, static) -> None:
    make_standby(site, static)
    copy = standby_path(site)
    pages = {"shared.html": b"shared 3"}
    write_site(pages, static, site, standby=standby_of(copy, set()), keep_standby=True)
    assert (site / "shared.html").read_bytes() == b"shared 3"
    assert (copy / "shared.html").read_bytes() == b"shared 1"  # the live site's, kept


def test_the_static_files_of_the_standby_are_copied_afresh(site, static) -> None:
    make_standby(site, static)
    (static / "style.css").write_text("new style")
    (static / "img/logo.svg").unlink()
    (static / "added.js").write_text("js")
    copy = standby_path(site)
    write_site({"index.html": b"x"}, static, site, standby=standby_of(copy, set()))
    assert {name: data for name, data in tree(site).items() if name.startswith("static/")} == {
        "static/style.css": b"new style",
        "static/added.js": b"js",
    }
    assert set(tree(site)) == {"index.html", "static/style.css", "static/added.js"}
    assert not copy.exists()  # the replaced site was not kept


def test_the_standby_search_index_is_left_for_the_indexer_and_removed_without_one(
    site, static
) -> None:
    make_standby(site, static)
    copy = standby_path(site)
    assert (copy / "pagefind/index.json").read_text() == "old index"
    seen = []

    def finish(staging: Path) -> None:  # the indexer takes unchanged shards from it
        seen.append((staging / "pagefind/index.json").read_text())
        (staging / "pagefind/index.json").write_text("index 3")

    pages = {"index.html": b"x"}
    write_site(pages, static, site, finish=finish, standby=standby_of(copy, set()),
               keep_standby=True)  # fmt: skip
    assert seen == ["old index"]
    assert (site / "pagefind/index.json").read_text() == "index 3"
    write_site(pages, static, site, standby=standby_of(copy, set()))
    assert not (site / "pagefind").exists()


def test_without_a_standby_folder_the_pages_are_written_afresh(site, static) -> None:
    write_site({"index.html": b"old"}, static, site)
    standby = Standby(("index.html", "stale.html"), {"index.html"})
    write_site({"index.html": b"new", "b.html": b"b"}, static, site, standby=standby)
    assert tree(site)["index.html"] == b"new"  # "same" means nothing without a copy
    assert tree(site)["b.html"] == b"b"


def test_a_failed_standby_update_leaves_the_live_site_intact(site, static) -> None:
    make_standby(site, static)
    live = tree(site)
    copy = standby_path(site)

    def broken() -> bytes:
        raise RuntimeError("template error")

    with pytest.raises(RuntimeError, match="template error"):
        write_site({"index.html": broken}, static, site, standby=standby_of(copy, set()))
    assert tree(site) == live
    assert [name for name in beside(site) if name != copy.name] == []
