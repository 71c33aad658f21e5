"""The benchmarks' statistics: interleaved rounds, paired ratios, round counts, growth fits.

The benchmarks folder is not part of the installed package, so its modules are loaded
from their files.
"""

from __future__ import annotations

import itertools
import math

import pytest

from scripts import load_script

stats = load_script("benchmarks/stats.py", "exop_bench_stats")


def test_rotation_puts_every_contender_first_in_turn() -> None:
    names = ["a", "b", "c"]
    orders = [stats.rotation(names, i) for i in range(3)]
    assert orders == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]]
    assert [order[0] for order in orders] == names
    assert stats.rotation([], 4) == []


def test_interleave_runs_contenders_round_by_round_in_rotated_order() -> None:
    calls: list[str] = []

    def action(name: str) -> object:
        calls.append(name)
        return name.upper()

    result = stats.interleave({n: (lambda n=n: action(n)) for n in ("a", "b")}, rounds=3, warmup=1)
    # warm-up round (index 0) then rounds 1..3: a b, b a, a b, b a
    assert calls == ["a", "b", "b", "a", "a", "b", "b", "a"]
    assert set(result.timings) == {"a", "b"}
    assert all(len(t.runs) == 3 and len(t.cpu) == 3 for t in result.timings.values())
    assert result.values == {"a": "A", "b": "B"}
    assert result.errors == {}


def test_interleave_drops_a_failing_contender_and_keeps_the_others() -> None:
    counter = itertools.count()

    def flaky() -> object:
        if next(counter) == 1:
            raise ValueError("engine fell over")
        return 1

    result = stats.interleave({"ok": lambda: 2, "flaky": flaky}, rounds=4, warmup=0)
    assert set(result.timings) == {"ok"}
    assert len(result.timings["ok"].runs) == 4
    assert result.errors["flaky"].startswith("ValueError: engine fell over")


def test_an_action_that_times_itself_is_taken_at_its_word() -> None:
    sample = stats.Sample(wall=12.5, cpu=3.0, value=7)
    result = stats.interleave({"jvm": lambda: sample}, rounds=2, warmup=0)
    assert result.timings["jvm"].runs == (12.5, 12.5)
    assert result.timings["jvm"].cpu == (3.0, 3.0)
    assert result.values["jvm"] == 7


def test_paired_ratio_is_taken_round_by_round() -> None:
    # A slow spell in round 2 hits both contenders: the paired ratio stays 2.0, while the
    # ratio of medians of these unpaired numbers would not tell it apart from noise.
    exop = stats.Timing((2.0, 20.0, 4.0, 2.2, 2.4))
    raw = stats.Timing((1.0, 10.0, 2.0, 1.1, 1.2))
    ratio = stats.paired_ratio(exop, raw)
    assert ratio.ratios == pytest.approx((2.0, 2.0, 2.0, 2.0, 2.0))
    assert ratio.median == pytest.approx(2.0)
    assert ratio.low == pytest.approx(2.0) and ratio.high == pytest.approx(2.0)
    assert "5 rounds" in ratio.text()


def test_paired_ratio_quartiles() -> None:
    ratio = stats.PairedRatio((1.0, 2.0, 3.0, 4.0, 5.0))
    assert (ratio.low, ratio.median, ratio.high) == pytest.approx((2.0, 3.0, 4.0))


def test_unpaired_timings_are_refused() -> None:
    with pytest.raises(ValueError, match="unpaired"):
        stats.paired_ratio(stats.Timing((1.0, 2.0)), stats.Timing((1.0,)))
    with pytest.raises(ValueError, match="no rounds"):
        stats.paired_ratio(stats.Timing(()), stats.Timing(()))


@pytest.mark.parametrize(
    ("seconds", "rounds"),
    [(0.0002, stats.SUB_SECOND_ROUNDS), (0.99, stats.SUB_SECOND_ROUNDS),
     (1.0, stats.SECONDS_ROUNDS), (9.9, stats.SECONDS_ROUNDS), (25.0, stats.LONG_ROUNDS)],
)
def test_rounds_follow_the_time_of_a_run(seconds: float, rounds: int) -> None:
    assert stats.rounds_for(seconds) == rounds
    assert stats.SUB_SECOND_ROUNDS >= 15


def test_growth_fit_removes_the_fixed_cost() -> None:
    # t = 0.5 s fixed + 1e-6 s per triple**1.5: a plain log-log slope over these sizes is
    # far below 1.5, the fit on the part above the fixed cost recovers it.
    sizes = [1_000, 10_000, 30_000, 100_000, 300_000, 1_000_000]
    times = [0.5 + 1e-6 * s**1.5 for s in sizes]
    plain = stats.growth_exponent(sizes, times)
    fit = stats.growth_fit(sizes, times, fixed_cost=0.5)
    assert plain is not None and plain < 1.3
    assert fit.exponent == pytest.approx(1.5, abs=1e-6)
    assert 1_000 not in fit.sizes  # 0.53 s is not above twice the fixed cost


def test_growth_fit_needs_four_sizes_above_the_fixed_cost() -> None:
    sizes = [1, 10, 100, 1000]
    flat = stats.growth_fit(sizes, [0.010, 0.011, 0.012, 0.013])
    assert flat.exponent is None and "0 of 4 sizes" in flat.reason
    three = stats.growth_fit([1, 10, 100, 1000], [0.01, 0.1, 1.0, 10.0])
    assert three.exponent is None and "3 of 4" in three.text()
    five = stats.growth_fit([1, 10, 100, 1000, 10000], [0.01, 0.1, 1.0, 10.0, 100.0])
    assert five.exponent is not None and math.isclose(five.exponent, 1.0, abs_tol=0.05)
    assert len(five.sizes) == 4


def test_timing_medians() -> None:
    timing = stats.Timing((3.0, 1.0, 2.0), (0.5, 0.1, 0.2))
    assert (timing.min, timing.median, timing.max) == (1.0, 2.0, 3.0)
    assert timing.cpu_median == 0.2
    assert stats.Timing((1.0,)).cpu_median is None


def test_human_seconds() -> None:
    assert stats.human_seconds(0.000812) == "812 µs"
    assert stats.human_seconds(0.0413) == "41.3 ms"
    assert stats.human_seconds(2.414) == "2.41 s"
