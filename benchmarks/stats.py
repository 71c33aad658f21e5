"""Timing statistics: repeated runs after a warm-up, and log-log growth fits."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """Seconds of each timed run (warm-up excluded)."""

    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def min(self) -> float:
        return min(self.runs)

    @property
    def max(self) -> float:
        return max(self.runs)


def measure(action: Callable[[], object], runs: int, warmup: int = 1) -> Timing:
    """Call *action* *warmup* times untimed, then *runs* times timed (wall clock)."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return Timing(tuple(times))


def growth_exponent(sizes: Sequence[float], seconds: Sequence[float]) -> float | None:
    """Least-squares slope of log(seconds) against log(size); None with fewer than 2 sizes.

    1.0 means time grows linearly with size, 2.0 quadratically.
    """
    points = [(math.log(s), math.log(t)) for s, t in zip(sizes, seconds, strict=True) if t > 0]
    if len({x for x, _ in points}) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return sxy / sxx


def human_seconds(seconds: float) -> str:
    """A short, readable duration: 812 µs, 41.3 ms, 2.41 s."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"
