"""The benchmark runner's bookkeeping and the report's target verdicts, on made-up timings.

No engine runs here: the actions are functions that return fixed :class:`Sample` times,
so every ratio and verdict is known in advance. The benchmarks folder is not part of
the installed package, so its modules are imported with the repository on sys.path.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from benchmarks import names, report, run
from benchmarks.stats import Sample


@dataclass(frozen=True)
class FakeTemplate:
    base_triples: int = 1000
    replica_triples: int = 100

    def triples(self, n: int) -> int:
        return self.base_triples + (n - 1) * self.replica_triples


@dataclass(frozen=True)
class FakeInput:
    n: int
    triples: int
    data_triples: int
    path: Path
    sha256: str = "0" * 64


def _bench(tmp_path: Path, sizes: tuple[int, ...] = (1, 10)) -> Any:
    bench = run.Bench(sizes=sizes, quick=False, workdir=tmp_path, time_limit=600.0)
    template = FakeTemplate()
    for n in sizes:
        fake: Any = FakeInput(n, template.triples(n), template.triples(n) - 10,
                              tmp_path / f"x{n}.nt")
        bench.inputs[n] = fake
    return bench


def _fixed(seconds: float, value: object = 1) -> Any:
    return lambda: Sample(seconds, seconds / 2, value)


def test_compare_pairs_and_picks_rounds_from_the_warm_up(tmp_path: Path) -> None:
    bench = _bench(tmp_path)
    bench.start_section("queries")
    bench.compare(
        "table-1", 1,
        {names.EXOP_EMBEDDED: _fixed(0.0011), names.RAW_OXIGRAPH: _fixed(0.0010)},
        pairs=[(names.EXOP_EMBEDDED, names.RAW_OXIGRAPH)],
    )
    (figure, _) = bench.figures
    assert figure.timing is not None and len(figure.timing.runs) >= 15
    (comparison,) = bench.comparisons
    assert comparison.ratio is not None and comparison.ratio.median == pytest.approx(1.1)


def test_compare_records_a_failing_engine_as_a_status(tmp_path: Path) -> None:
    bench = _bench(tmp_path)
    bench.start_section("queries")

    def broken() -> object:
        raise RuntimeError("connection refused")

    bench.compare("q", 1, {names.EXOP_EMBEDDED: _fixed(0.001), names.VIRTUOSO_RAW: broken},
                  pairs=[(names.EXOP_EMBEDDED, names.VIRTUOSO_RAW)])
    virtuoso = next(f for f in bench.figures if f.engine == names.VIRTUOSO_RAW)
    assert virtuoso.timing is None and "connection refused" in virtuoso.status
    (comparison,) = bench.comparisons
    assert comparison.ratio is None and "connection refused" in comparison.status


def test_rounds_are_cut_to_the_sections_time_but_never_below_three(tmp_path: Path) -> None:
    bench = _bench(tmp_path)
    bench.time_limit = 10.0
    bench.start_section("validate")
    rounds, note = bench.rounds(round_s=1.0, slowest_s=0.5)
    assert rounds == run.MIN_ROUNDS and "cut from 15" in note
    bench.time_limit = 10_000.0
    assert bench.rounds(round_s=1.0, slowest_s=0.5) == (15, "")


def test_rounds_drop_below_three_only_where_three_would_take_twice_the_share(
    tmp_path: Path,
) -> None:
    bench = _bench(tmp_path)
    bench.start_section("validate")
    bench.time_limit = 1.2 / run.SECTION_SHARES["validate"]  # 1.2 s for the section
    rounds, note = bench.rounds(round_s=1.0, slowest_s=1.0)
    assert rounds == 1 and "cut from 5 to 1" in note
    bench.time_limit = 2.0 / run.SECTION_SHARES["validate"]
    assert bench.rounds(round_s=1.0, slowest_s=1.0)[0] == run.MIN_ROUNDS


def test_past_the_time_only_the_essential_contenders_run_once(tmp_path: Path) -> None:
    bench = _bench(tmp_path)
    bench.time_limit = 1e-9
    bench.start_section("queries")
    bench.compare("q", 1, {names.EXOP_EMBEDDED: _fixed(0.01), names.RAW_OXIGRAPH: _fixed(0.01),
                           names.VIRTUOSO_RAW: _fixed(0.01)},
                  essential=(names.EXOP_EMBEDDED, names.RAW_OXIGRAPH))
    by_engine = {f.engine: f for f in bench.figures}
    assert "time limit" in by_engine[names.VIRTUOSO_RAW].status
    for engine in (names.EXOP_EMBEDDED, names.RAW_OXIGRAPH):
        timing = by_engine[engine].timing
        assert timing is not None and len(timing.runs) == 1
        assert "cut from 15 to 1" in by_engine[engine].note
    bench.compare("r", 1, {names.VIRTUOSO_RAW: _fixed(0.01)})
    assert bench.figures[-1].timing is None, "nothing essential: nothing runs"


def test_items_share_the_time_left_by_their_expected_cost(tmp_path: Path) -> None:
    bench = _bench(tmp_path)
    bench.time_limit = 100.0 / run.SECTION_SHARES["queries"]
    bench.start_section("queries")
    bench.start_item(1.0, 10.0)
    assert bench.section_left() == pytest.approx(10.0, abs=0.5)
    bench.start_item(9.0, 10.0)
    assert bench.section_left() == pytest.approx(90.0, abs=0.5)


def test_expected_costs_scale_the_size_before_by_triples(tmp_path: Path) -> None:
    bench = _bench(tmp_path, sizes=(1, 10))
    bench.start_section("queries")
    bench.compare("q", 1, {names.EXOP_EMBEDDED: _fixed(0.2), names.RAW_OXIGRAPH: _fixed(0.1),
                           names.VIRTUOSO_RAW: _fixed(5.0)})
    queries: Any = [type("Q", (), {"id": "q"})(), type("Q", (), {"id": "new"})()]
    first = run._expected_costs(bench, queries, 1, set())
    assert first == {"q": 1.0, "new": 1.0}
    scale = bench.inputs[10].triples / bench.inputs[1].triples
    costs = run._expected_costs(bench, queries, 10, set())
    assert costs["q"] == pytest.approx(run.ITEM_FIXED_S + 0.3 * scale), "peers left out"
    assert costs["new"] == costs["q"], "a query without figures takes the mean"
    with_peers = run._expected_costs(bench, queries, 10, {"q"})
    assert with_peers["q"] == pytest.approx(run.ITEM_FIXED_S + 5.3 * scale)


def _report(bench: Any) -> Any:
    template: Any = FakeTemplate()
    return report.Report(bench=bench, template=template, elapsed=60.0, command="test")


def _verdicts(bench: Any) -> dict[str, str]:
    return {t.what: report._status(t.met) for t in _report(bench).targets()}


def test_query_targets_are_judged_on_the_worst_paired_ratio(tmp_path: Path) -> None:
    bench = _bench(tmp_path)
    bench.start_section("queries")
    for n in bench.sizes:
        bench.compare("fast", n, {names.EXOP_EMBEDDED: _fixed(0.010), names.RAW_OXIGRAPH:
                                  _fixed(0.010)}, pairs=[(names.EXOP_EMBEDDED, names.RAW_OXIGRAPH)])
    bench.compare("slow", 10, {names.EXOP_EMBEDDED: _fixed(1.3), names.RAW_OXIGRAPH:
                               _fixed(1.0)}, pairs=[(names.EXOP_EMBEDDED, names.RAW_OXIGRAPH)])
    targets = {t.what: t for t in _report(bench).targets()}
    ratio = next(t for w, t in targets.items() if "EXOP embedded / raw pyoxigraph" in w)
    assert ratio.met is False and "worst slow at N=10: 1.30x" in ratio.measured
    under_1s = next(t for w, t in targets.items() if w.startswith("every packaged query, EXOP"
                                                                   " embedded, N=10"))
    assert under_1s.met is False and "1.30 s" in under_1s.measured
    assert "slow 1.30 s (raw 1.00 s: not engine-bound)" in under_1s.measured


def test_cold_start_and_load_targets(tmp_path: Path) -> None:
    bench = _bench(tmp_path)
    bench.start_section("cold")
    for name, seconds in (("exop info", 0.14), ("exop validate", 1.2)):
        bench.compare(name, 1, {names.IMPORT_FLOOR: _fixed(0.1), name: _fixed(seconds)},
                      pairs=[(name, names.IMPORT_FLOOR)])
    bench.start_section("load")
    peak = {"peak_kib": 300 * 1024, "floor_kib": 40 * 1024, "triples": 1900}
    bench.compare("parse N-Triples (fresh process)", 10,
                  {"pyoxigraph": _fixed(1900 / 300_000, peak)})
    verdicts = _verdicts(bench)
    assert verdicts["cold start `exop info` / import floor"] == "met"
    assert verdicts["cold start `exop validate` / import floor"] == "NOT MET"
    assert verdicts["`exop validate` of the package, as a process"] == "NOT MET"
    load = [w for w in verdicts if w.startswith("load N=10")]
    assert [verdicts[w] for w in sorted(load)] == ["met", "met"]


def test_markdown_lists_every_target_and_the_differing_answers(tmp_path: Path) -> None:
    bench = _bench(tmp_path)
    bench.start_section("queries")
    bench.compare("q", 1, {names.EXOP_EMBEDDED: _fixed(0.01, 5), names.JENA_LOOP:
                           _fixed(0.02, 4)})
    bench.check("q", 1, {names.EXOP_EMBEDDED: 5, names.JENA_LOOP: 4})
    bench.check("r", 1, {names.EXOP_EMBEDDED: 2, names.JENA_LOOP: 2})
    text = _report(bench).markdown()
    for target in _report(bench).targets():
        assert target.what.replace("|", "\\|") in text
    assert "1 of 2 tasks got the same answer size" in text
    assert f"| q | 1 | {names.EXOP_EMBEDDED}: 5; {names.JENA_LOOP}: 4 |" in text
