"""Small and clear, kept so: module, function and signature sizes (`make loc` prints them)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted((ROOT / "builder").glob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_PARAMETERS = 7


def functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef)
    return [node for node in ast.walk(tree) if isinstance(node, kinds)]


def length(node: ast.AST) -> int:
    return (node.end_lineno or node.lineno) - node.lineno + 1


def parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    args = node.args
    named = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    count = len(named) + bool(args.vararg) + bool(args.kwarg)
    return count - bool(named and named[0].arg in {"self", "cls"})


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.name)
def test_no_module_passes_400_lines(module: Path) -> None:
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{module.name} has {lines} lines: split it by job"


@pytest.mark.parametrize("module", [*MODULES, ROOT / "build.py"], ids=lambda path: path.name)
def test_no_function_is_long_or_takes_many_parameters(module: Path) -> None:
    too_big = [
        f"{module.name}:{node.lineno} {node.name}: {length(node)} lines, {parameters(node)} params"
        for node in functions(module)
        if length(node) > MAX_FUNCTION_LINES or parameters(node) > MAX_PARAMETERS
    ]
    assert not too_big


def test_the_hub_is_a_table_of_contents_and_the_pipeline_reads_in_one_screen() -> None:
    hub = ROOT / "builder" / "__init__.py"
    assert len(hub.read_text(encoding="utf-8").splitlines()) < 80
    sizes = {
        (path.name, node.name): length(node)
        for path in (ROOT / "builder" / "pipeline.py", ROOT / "build.py")
        for node in functions(path)
    }
    assert sizes["pipeline.py", "build"] < 60
    assert sizes["build.py", "main"] < 20


def test_the_pipeline_takes_no_cache_branch() -> None:
    """Only incremental.py and memo.py know the cache is there."""
    for path in MODULES:
        if path.name in {"incremental.py", "memo.py", "cache.py"}:
            continue
        source = path.read_text(encoding="utf-8")
        assert "CacheStore" not in source and "if cache" not in source, path.name
