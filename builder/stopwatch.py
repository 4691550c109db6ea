"""Time the stages of a build, for its summary."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

Step = Callable[[Any], None]


class Stopwatch:
    """Time the stages of a build: each lap is one stage, less the inner stages timed in it."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.started = time.perf_counter()
        self.inner: dict[str, float] = {}  # stages timed within the current lap

    def lap(self, stage: str) -> None:
        """Record the time since the last lap, less the inner stages, which follow it."""
        now = time.perf_counter()
        self.laps[stage] = now - self.started - sum(self.inner.values())
        self.laps |= self.inner
        self.started, self.inner = now, {}

    def timed(self, step: Step | None, stage: str) -> Step | None:
        """Wrap a step so its time is recorded as its own stage."""
        if step is None:
            return None

        def run(argument: Any) -> None:
            started = time.perf_counter()
            step(argument)
            self.inner[stage] = time.perf_counter() - started

        return run
