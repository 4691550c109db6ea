"""Running one function over many items on every core (builder/pool.py)."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator

import pytest

from builder import pool
from builder.pool import can_fork, map_on_cores


def square_where(item: int, context: dict) -> tuple[int, int, str, bool]:
    """The work: module-level, so a spawned worker can import it."""
    return item * item, os.getpid(), context["name"], gc.isenabled()


MARK = "as imported"  # a test changes it here: a forked worker sees that, a spawned one not


def mark_of(item: int, context: object) -> tuple[int, str]:
    return item, MARK


def fail_on_three(item: int, context: object) -> int:
    if item == 3:
        raise ValueError(f"item {item} is bad")
    return item


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in two worker processes from 4 items on, whatever the machine's cores."""
    monkeypatch.setattr(pool, "PARALLEL_FROM_FILES", 4)
    monkeypatch.setattr(pool, "MAX_WORKERS", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)


@pytest.fixture
def other_thread() -> Iterator[threading.Thread]:
    """Another thread running for the length of a test, as `serve` runs them."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    yield thread
    stop.set()
    thread.join()


def test_below_the_threshold_the_work_runs_here_in_order(monkeypatch) -> None:
    monkeypatch.setattr(pool, "PARALLEL_FROM_FILES", 10)
    made = list(map_on_cores(square_where, list(range(9)), {"name": "ctx"}))
    assert [square for square, *_ in made] == [n * n for n in range(9)]
    assert {pid for _, pid, _, _ in made} == {os.getpid()}
    assert {name for _, _, name, _ in made} == {"ctx"}


def test_the_serial_path_is_lazy() -> None:
    seen = []
    results = map_on_cores(lambda item, context: seen.append(item) or item, [1, 2, 3], None)
    assert seen == []
    assert next(results) == 1 and seen == [1]
    assert list(results) == [2, 3]


def test_one_core_runs_everything_here(monkeypatch) -> None:
    monkeypatch.setattr(pool, "PARALLEL_FROM_FILES", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    made = list(map_on_cores(square_where, [1, 2, 3], {"name": "one"}))
    assert [(square, pid) for square, pid, _, _ in made] == [
        (n * n, os.getpid()) for n in [1, 2, 3]
    ]


def test_no_items_make_no_results() -> None:
    assert list(map_on_cores(square_where, [], {"name": "x"})) == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_at_the_threshold_workers_run_it_in_order_with_the_context(parallel) -> None:
    assert can_fork()
    items = list(range(40, 0, -1))  # descending: an unordered result would show
    gc.disable()  # as a build pauses it: a forked worker must turn it back on
    try:
        made = list(map_on_cores(square_where, items, {"name": "shared"}))
    finally:
        gc.enable()
    assert [square for square, *_ in made] == [n * n for n in items]
    pids = {pid for _, pid, _, _ in made}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    assert {name for _, _, name, _ in made} == {"shared"}
    assert all(enabled for *_, enabled in made)


def test_exactly_at_the_threshold_is_parallel(parallel) -> None:
    made = list(map_on_cores(square_where, [1, 2, 3, 4], {"name": "four"}))
    assert [square for square, *_ in made] == [1, 4, 9, 16]
    assert os.getpid() not in {pid for _, pid, _, _ in made}
    made = list(map_on_cores(square_where, [1, 2, 3], {"name": "three"}))
    assert {pid for _, pid, _, _ in made} == {os.getpid()}


def test_a_failing_item_raises_in_the_caller(parallel) -> None:
    with pytest.raises(ValueError, match="item 3 is bad"):
        list(map_on_cores(fail_on_three, list(range(8)), None))
    with pytest.raises(ValueError, match="item 3 is bad"):
        list(map_on_cores(fail_on_three, [1, 2, 3], None))  # serially too


def test_can_fork_is_false_while_another_thread_runs(other_thread) -> None:
    assert threading.active_count() > 1
    assert not can_fork()


def test_can_fork_once_only_this_thread_runs() -> None:
    if threading.active_count() != 1:
        pytest.skip("the test runner runs other threads")
    assert can_fork() == hasattr(os, "fork")
    thread = threading.Thread(target=lambda: None)
    thread.start()
    thread.join()
    assert can_fork() == hasattr(os, "fork")


def test_with_another_thread_running_workers_are_spawned(parallel, other_thread) -> None:
    """Spawned workers import the work function and receive the context pickled."""
    items = list(range(6))
    made = list(map_on_cores(square_where, items, {"name": "pickled"}))
    assert [square for square, *_ in made] == [n * n for n in items]
    assert os.getpid() not in {pid for _, pid, _, _ in made}
    assert {name for _, _, name, _ in made} == {"pickled"}


def test_forked_workers_share_this_process_memory_and_spawned_ones_do_not(
    parallel, monkeypatch
) -> None:
    monkeypatch.setattr(f"{__name__}.MARK", "set in the parent")
    assert list(map_on_cores(mark_of, [1, 2, 3, 4], None)) == [
        (n, "set in the parent") for n in [1, 2, 3, 4]
    ]
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        made = list(map_on_cores(mark_of, [1, 2, 3, 4], None))
    finally:
        stop.set()
        thread.join()
    assert made == [(n, "as imported") for n in [1, 2, 3, 4]]
