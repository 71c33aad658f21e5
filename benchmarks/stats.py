"""Timing statistics: interleaved rounds, paired ratios, round counts and growth fits.

Every comparison in the benchmarks runs its contenders round by round (A B C, B C A,
C A B, ...), so a slow spell of a shared machine hits every contender in the same round,
and the ratio of two contenders is taken round by round (paired), not as a ratio of two
medians measured minutes apart.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

SUB_SECOND_ROUNDS = 15
"""Rounds for a figure under a second: enough for a median of sub-millisecond times."""
SECONDS_ROUNDS = 5
"""Rounds for a figure of one to ten seconds."""
LONG_ROUNDS = 3
"""Rounds for a figure of ten seconds or more."""


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds of each timed round (warm-up excluded)."""

    runs: tuple[float, ...]
    cpu: tuple[float, ...] = ()

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def min(self) -> float:
        return min(self.runs)

    @property
    def max(self) -> float:
        return max(self.runs)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None


@dataclass(frozen=True)
class Sample:
    """One timed call: wall and CPU seconds, and what the call returned."""

    wall: float
    cpu: float
    value: object = None


def timed_call(action: Callable[[], object]) -> Sample:
    """Run *action* once; wall clock and this process's CPU time around it.

    An action that measures itself (a child process, a JVM) returns a :class:`Sample`,
    which is taken as it is.
    """
    cpu0, wall0 = time.process_time(), time.perf_counter()
    value = action()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    if isinstance(value, Sample):
        return value
    return Sample(wall, cpu, value)


def rotation(names: Sequence[str], round_index: int) -> list[str]:
    """The order of *names* in round *round_index*: rotated by one place each round."""
    if not names:
        return []
    shift = round_index % len(names)
    return [*names[shift:], *names[:shift]]


@dataclass(frozen=True)
class Interleaved:
    """What :func:`interleave` measured: a timing and the last returned value per name."""

    timings: dict[str, Timing]
    values: dict[str, object]
    errors: dict[str, str]


def interleave(
    actions: Mapping[str, Callable[[], object]], rounds: int, warmup: int = 1
) -> Interleaved:
    """Run every action once per round, in an order rotated each round.

    Warm-up rounds are run the same way and not kept. An action that raises is dropped
    from the later rounds and reported in ``errors``; the others go on.
    """
    names = list(actions)
    walls: dict[str, list[float]] = {n: [] for n in names}
    cpus: dict[str, list[float]] = {n: [] for n in names}
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for index in range(warmup + rounds):
        for name in rotation(names, index):
            if name in errors:
                continue
            try:
                sample = timed_call(actions[name])
            except Exception as error:  # a failing contender is a result, not a crash
                errors[name] = f"{type(error).__name__}: {error}"[:160]
                continue
            values[name] = sample.value
            if index >= warmup:
                walls[name].append(sample.wall)
                cpus[name].append(sample.cpu)
    timings = {
        n: Timing(tuple(walls[n]), tuple(cpus[n])) for n in names if walls[n] and n not in errors
    }
    return Interleaved(timings, values, errors)


@dataclass(frozen=True)
class PairedRatio:
    """Round-by-round ratios of two contenders timed in the same rounds."""

    ratios: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    @property
    def low(self) -> float:
        """First quartile of the per-round ratios."""
        return _quantile(self.ratios, 0.25)

    @property
    def high(self) -> float:
        """Third quartile of the per-round ratios."""
        return _quantile(self.ratios, 0.75)

    def text(self) -> str:
        return f"{self.median:.2f}x (IQR {self.low:.2f}-{self.high:.2f}, {len(self.ratios)} rounds)"


def _quantile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation quantile (the "inclusive" method) of a non-empty sequence."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def paired_ratio(numerator: Timing, denominator: Timing) -> PairedRatio:
    """Per-round ratios ``numerator[i] / denominator[i]``; both timed in the same rounds."""
    if len(numerator.runs) != len(denominator.runs):
        raise ValueError(
            f"unpaired timings: {len(numerator.runs)} and {len(denominator.runs)} rounds"
        )
    if not numerator.runs:
        raise ValueError("no rounds to pair")
    return PairedRatio(tuple(a / b for a, b in zip(numerator.runs, denominator.runs, strict=True)))


def rounds_for(estimate_s: float) -> int:
    """Rounds for a figure expected to take *estimate_s* seconds a run."""
    if estimate_s < 1.0:
        return SUB_SECOND_ROUNDS
    if estimate_s < 10.0:
        return SECONDS_ROUNDS
    return LONG_ROUNDS


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


MIN_FIT_POINTS = 4
"""A growth exponent needs at least this many sizes above the fixed cost."""
FIXED_COST_FACTOR = 2.0
"""A size is above the fixed cost when its time is at least this multiple of the fixed cost."""


@dataclass(frozen=True)
class GrowthFit:
    """A growth exponent fitted on the sizes above the fixed cost, or why there is none."""

    exponent: float | None
    sizes: tuple[float, ...]
    fixed_cost: float
    reason: str = ""

    def text(self) -> str:
        if self.exponent is None:
            return self.reason
        return f"{self.exponent:.2f} ({len(self.sizes)} sizes)"


def growth_fit(
    sizes: Sequence[float],
    seconds: Sequence[float],
    fixed_cost: float | None = None,
    min_points: int = MIN_FIT_POINTS,
) -> GrowthFit:
    """Growth of the part of the time that scales: log(t - fixed) against log(size).

    *fixed_cost* is the time of the work that does not depend on the input (default: the
    time at the smallest size, which is an upper bound of it). Only sizes whose time is
    at least :data:`FIXED_COST_FACTOR` times the fixed cost are used, so the fit is not
    dominated by start-up work; with fewer than *min_points* such sizes there is no fit.
    """
    pairs = sorted(zip(sizes, seconds, strict=True))
    if not pairs:
        return GrowthFit(None, (), 0.0, "not measured")
    fixed = pairs[0][1] if fixed_cost is None else fixed_cost
    above = [(s, t) for s, t in pairs if t >= FIXED_COST_FACTOR * fixed and t > fixed]
    if len(above) < min_points:
        return GrowthFit(
            None,
            tuple(s for s, _ in above),
            fixed,
            f"not fitted ({len(above)} of {len(pairs)} sizes above {FIXED_COST_FACTOR:g}x "
            f"the fixed cost; {min_points} needed)",
        )
    exponent = growth_exponent([s for s, _ in above], [t - fixed for _, t in above])
    return GrowthFit(exponent, tuple(s for s, _ in above), fixed)


def human_seconds(seconds: float) -> str:
    """A short, readable duration: 812 µs, 41.3 ms, 2.41 s."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"
