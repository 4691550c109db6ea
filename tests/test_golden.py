"""The seeds' whole site, compared file by file with the tree committed in tests/golden/site/.

A change that alters the output fails here until `make golden` writes the new tree; the diff
of tests/golden/ in that commit is the review of what changed.
"""

from __future__ import annotations

from pathlib import Path

from conftest import tree
from golden import GOLDEN, build_golden


def test_the_seeds_build_the_golden_site(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    assert build_golden(output).written
    built, golden = tree(output), tree(GOLDEN)
    assert sorted(built) == sorted(golden), "files added or removed: run `make golden`"
    differing = [name for name in sorted(built) if built[name] != golden[name]]
    assert not differing, f"run `make golden` and review the diff of: {differing}"
