"""A clock for a build's phases that leaves the garbage collector's pauses out of them.

CPython collects when enough objects have been allocated since the last collection, wherever
that happens. A build of the real site has one full collection (about 20 ms here) and about 180
smaller ones; a few allocations more or less before it, and the full collection lands in the
hook's glossary page in one build and in Markdown's conversion of another page in the other.
Timed with the pauses in them, an event of two versions of the hook that do the same work
differed by 13-18 ms, the same way in every round (the allocations are the same from round to
round). With this clock every phase is timed without the pauses that fell inside it, and the
pauses are a phase of their own (`Clock.paused`), which two builds can compare as a whole.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


class Clock:
    """Times functions with `clock`, less the collector's pauses inside them (from creation on)."""

    def __init__(self, clock: Callable[[], float] = time.process_time):
        self.clock = clock
        self.paused = 0.0  # seconds in the collector so far
        self._started: float | None = None
        gc.callbacks.append(self._collector)

    def _collector(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = self.clock()
        elif self._started is not None:
            self.paused += self.clock() - self._started
            self._started = None

    def timed(self, function: Callable, add: Callable[[float], None]) -> Callable:
        """`function`, calling `add` with its seconds less the pauses inside it after each call."""
        def run(*args, **kwargs):
            start, paused = self.clock(), self.paused
            try:
                return function(*args, **kwargs)
            finally:
                add(self.clock() - start - (self.paused - paused))
        return run

    def close(self) -> None:
        gc.callbacks.remove(self._collector)
