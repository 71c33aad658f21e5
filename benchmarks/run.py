"""Run the EXOP benchmarks, print the tables and write docs/benchmarks.md.

Every figure is the median, min and max of RUNS timed runs after WARMUP untimed ones, on
scaled inputs from :mod:`benchmarks.generator` (size N = the package plus N - 1 replicas
of its findings layer). Slow engines are capped (``CAPS``) and a size is also skipped
when its predicted time exceeds the figure's budget (``BUDGETS``, else ``--figure-budget``
seconds for all its runs): the prediction scales the largest size measured so far by
(triples ratio) ** exponent, the exponent fitted on the sizes measured so far (at least
1.0; linear when only one size is measured), so a superlinear figure is not predicted
as if it were linear; every skip is shown with its reason.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from benchmarks import generator, report, tools
from benchmarks.stats import Timing, growth_exponent, measure

ROOT = Path(__file__).resolve().parent.parent
QUERY_CAP_S = 20.0
"""Per-run cap for a query on rdflib's engine; a run over it is marked timeout."""
CAPS: dict[str, int] = {
    "load/rdflib": 100,
    "validate/pySHACL": 10,
    # pyrudof 0.3.35 is still superlinear on the packaged shapes (growth exponent 1.3,
    # 12 s a run at N=100): N=757 would take about 16 minutes for 6 runs.
    "validate/pyrudof": 100,
    "validate/Jena shacl": 10**9,
    "query/rdflib": 10,
    "export": 10,
    "reason/HermiT": 1,
}
"""Largest N each slow operation runs at (the rest run at every size)."""
QUICK_CAPS: dict[str, int] = {**CAPS, "validate/pySHACL": 1, "query/rdflib": 1, "export": 1}
BUDGETS: dict[str, float] = {
    "validate/pySHACL": 90.0,
    "validate/pyrudof": 150.0,
    "validate/Jena shacl": 300.0,  # the comparator of the ~1M-triple validate target
}
"""Per-figure budgets (s, all runs of one figure at one size) by "group/engine" or "group";
figures not listed get ``--figure-budget``."""
MIN_EXPONENT = 1.0
"""The prediction never assumes sublinear growth (small sizes are dominated by fixed costs)."""


@dataclass
class Figure:
    """One measured (or skipped) figure."""

    group: str
    operation: str
    engine: str
    n: int
    triples: int
    timing: Timing | None = None
    status: str = ""
    """"" when measured; else why not (timeout, capped, skipped, error)."""
    note: str = ""
    query: str = ""

    @property
    def key(self) -> str:
        return f"{self.group}/{self.operation}/{self.engine}/{self.query}"


@dataclass
class Bench:
    """The run's settings and everything measured so far."""

    sizes: tuple[int, ...]
    runs: int
    warmup: int
    figure_budget: float
    caps: dict[str, int]
    workdir: Path
    budgets: dict[str, float] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    inputs: dict[int, generator.ScaledInput] = field(default_factory=dict)

    def log(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def cap_for(self, group: str, engine: str) -> int:
        return self.caps.get(f"{group}/{engine}", self.caps.get(group, 10**9))

    def budget_for(self, group: str, engine: str) -> float:
        return self.budgets.get(f"{group}/{engine}", self.budgets.get(group, self.figure_budget))

    def _predicted(self, key: str, triples: int) -> float | None:
        """Seconds all runs of figure *key* are predicted to take at *triples* triples.

        The largest size measured so far, scaled by (triples ratio) ** exponent, the growth
        exponent fitted on every size measured so far (linear with one size; never below
        :data:`MIN_EXPONENT`).
        """
        done = [f for f in self.figures if f.key == key and f.timing is not None]
        if not done:
            return None
        medians = [(f.triples, f.timing.median) for f in done if f.timing is not None]
        last_triples, last_median = max(medians)
        fitted = growth_exponent([t for t, _ in medians], [m for _, m in medians])
        exponent = max(MIN_EXPONENT, fitted if fitted is not None else 1.0)
        scaled: float = last_median * (triples / last_triples) ** exponent
        return scaled * (self.runs + self.warmup)

    def add(self, figure: Figure, action: Callable[[], object] | None) -> Figure:
        """Measure *action* into *figure* unless capped or predicted over budget."""
        cap = self.cap_for(figure.group, figure.engine)
        budget = self.budget_for(figure.group, figure.engine)
        predicted = self._predicted(figure.key, figure.triples)
        if figure.n > cap:
            figure.status = f"capped (N ≤ {cap})"
        elif predicted is not None and predicted > budget:
            figure.status = f"skipped (~{predicted:.0f} s predicted > {budget:g} s budget)"
        elif action is not None:
            try:
                figure.timing = measure(action, self.runs, self.warmup)
            except Exception as error:  # a failing engine is a result, not a crash
                figure.status = f"error: {type(error).__name__}: {error}"[:120]
        self.figures.append(figure)
        return figure


# -- sections --------------------------------------------------------------------------------


def bench_load(bench: Bench) -> None:
    for n, scaled in bench.inputs.items():
        for engine, library in (("rdflib", "rdflib"), ("pyoxigraph", "oxigraph")):
            figure = Figure("load", "parse Turtle", engine, n, scaled.triples)
            if n > bench.cap_for("load", engine):
                figure.status = f"capped (N ≤ {bench.cap_for('load', engine)})"
            elif (p := bench._predicted(figure.key, figure.triples)) and p > (
                budget := bench.budget_for("load", engine)
            ):
                figure.status = f"skipped (~{p:.0f} s predicted > {budget:g} s budget)"
            else:
                out = tools.run_child_json(
                    ["load", library, str(scaled.path), str(bench.runs), str(bench.warmup)],
                    timeout=1800,
                )
                figure.timing = Timing(tuple(float(t) for t in out["times"]))  # type: ignore[attr-defined]
                rate = scaled.triples / figure.timing.median
                figure.note = f"{rate / 1000:.0f}k triples/s; peak +{out['peak_mib']:.0f} MiB"
            bench.figures.append(figure)
            bench.log(f"load {engine} N={n}: {report.cell(figure)}")


def _pyrudof_validate(scaled: generator.ScaledInput) -> Callable[[], object]:
    import pyrudof

    from exop import resources

    def run() -> bool:
        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        rudof.read_data(str(scaled.path), pyrudof.RDFFormat.NTriples)
        rudof.read_shacl(str(resources.shape_files()[0]), pyrudof.ShaclFormat.Turtle)
        return bool(rudof.validate_shacl().conforms)

    return run


def bench_validate(bench: Bench) -> None:
    from exop import resources

    jena, why = tools.find_jena(bench.workdir)
    if jena is None:
        bench.notes.append(f"Apache Jena shacl not run: {why}.")
    else:
        bench.notes.append(
            f"Apache Jena {jena.version} `shacl validate` (Debian libapache-jena-java; its "
            "xerces message files copied to where the relocated classes look, without which "
            "it dies at start; it exits 0 even when data do not conform, so the report's "
            "sh:conforms is read)."
        )
    shapes = resources.shape_files()[0]
    for n, scaled in bench.inputs.items():
        engines: list[tuple[str, Callable[[], object] | None]] = [
            ("pySHACL", partial(_pyshacl_conforms, scaled.data_path)),
            ("pyrudof", _pyrudof_validate(scaled)),
        ]
        if jena is not None:
            engines.append(("Jena shacl", partial(jena.validate, shapes, scaled.path)))
        for engine, action in engines:
            figure = bench.add(
                Figure("validate", "SHACL validate", engine, n, scaled.triples), action
            )
            bench.log(f"validate {engine} N={n}: {report.cell(figure)}")


def _pyshacl_conforms(data_path: Path) -> bool:
    from exop.validation import validate_files

    return validate_files([data_path], engine="pyshacl").conforms  # auto would pick pyrudof/Jena


def _packaged_queries() -> list[tuple[str, str, dict[str, object]]]:
    from exop.binding import bind
    from exop.catalog import list_queries

    out: list[tuple[str, str, dict[str, object]]] = []
    for query in list_queries():
        bound = bind(query, {})
        out.append((query.id, bound.query.text, dict(bound.bindings)))
    return out


def _is_federated(text: str) -> bool:
    return "SERVICE" in text.upper()


def _query_figures(
    bench: Bench, engine: str, n: int, triples: int, run: Callable[[str, dict[str, object]], int]
) -> None:
    for query_id, text, bindings in _packaged_queries():
        figure = Figure("query", "packaged query", engine, n, triples, query=query_id)
        if _is_federated(text):
            figure.status = "n/a (federated SERVICE query)"
            bench.figures.append(figure)
            continue
        rows: list[int] = []
        bench.add(figure, partial(_count_rows, rows, run, text, bindings))
        if rows:
            figure.note = f"{rows[-1]} rows"


def _count_rows(
    rows: list[int],
    run: Callable[[str, dict[str, object]], int],
    text: str,
    bindings: dict[str, object],
) -> None:
    rows.append(run(text, bindings))


def bench_queries_embedded(bench: Bench) -> None:
    import pyoxigraph

    from exop.engines import run_query

    for n, scaled in bench.inputs.items():
        store = pyoxigraph.Store()
        store.bulk_load(path=str(scaled.path), format=pyoxigraph.RdfFormat.N_TRIPLES)

        def run(text: str, bindings: dict[str, object], store: object = store) -> int:
            result = run_query(text, "oxigraph", bindings, store=store)  # type: ignore[arg-type]
            return len(result.rows) if result.graph is None else len(result.graph)

        _query_figures(bench, "oxigraph (embedded)", n, scaled.triples, run)
        bench.log(f"queries embedded N={n} done")


def bench_queries_rdflib(bench: Bench) -> None:
    from rdflib import Graph

    from exop.engines import run_query

    cap = bench.cap_for("query", "rdflib")
    for n, scaled in bench.inputs.items():
        if n > cap:
            for query_id, _, _ in _packaged_queries():
                bench.figures.append(
                    Figure(
                        "query",
                        "packaged query",
                        "rdflib",
                        n,
                        scaled.triples,
                        status=f"capped (N ≤ {cap})",
                        query=query_id,
                    )
                )
            continue
        graph = Graph().parse(scaled.path, format="nt")
        for query_id, text, bindings in _packaged_queries():
            figure = Figure("query", "packaged query", "rdflib", n, scaled.triples, query=query_id)
            bench.figures.append(figure)
            if _is_federated(text):
                figure.status = "n/a (federated SERVICE query)"
                continue
            previous = [f for f in bench.figures if f.key == figure.key and f.status == "timeout"]
            if previous:
                figure.status = "timeout"
                continue
            times, status = tools.timed_in_child(
                lambda t=text, b=bindings, g=graph: run_query(t, "rdflib", b, graph=g),  # type: ignore[misc]
                bench.runs,
                bench.warmup,
                QUERY_CAP_S,
            )
            figure.status = (
                status if status == "timeout" else (f"error: {status}" if status else "")
            )
            figure.timing = Timing(tuple(times)) if times and not status else None
        bench.log(f"queries rdflib N={n} done")


def bench_queries_server(bench: Bench) -> None:
    from exop.engines import run_query

    try:
        server_cm = tools.oxigraph_server(bench.workdir)
        server = server_cm.__enter__()
    except RuntimeError as error:
        bench.notes.append(f"Oxigraph server not run: {error}.")
        return
    try:
        for n, scaled in bench.inputs.items():
            figure = bench.add(
                Figure("load", "HTTP PUT N-Triples", "oxigraph server", n, scaled.triples),
                partial(server.load, scaled.path),
            )
            bench.log(f"server load N={n}: {report.cell(figure)}")

            def run(text: str, bindings: dict[str, object]) -> int:
                result = run_query(text, server.query_url, bindings, timeout=120)  # type: ignore[arg-type]
                return len(result.rows) if result.graph is None else len(result.graph)

            _query_figures(bench, "oxigraph server (HTTP)", n, scaled.triples, run)
            bench.log(f"queries server N={n} done")
    finally:
        server_cm.__exit__(None, None, None)


def bench_reason(bench: Bench) -> None:
    from exop.reasoning import find_java, reason

    try:
        find_java()
    except Exception as error:
        bench.notes.append(f"HermiT not run: {error}.")
        return
    scaled = bench.inputs[1]
    figure = bench.add(
        Figure("reason", "consistency + unsatisfiable classes", "HermiT", 1, scaled.triples), reason
    )
    bench.log(f"reason N=1: {report.cell(figure)}")


def bench_export(bench: Bench) -> None:
    from rdflib import Graph

    from exop.export import EXPORT_FORMATS, export

    for n, scaled in bench.inputs.items():
        graph = (
            Graph().parse(scaled.path, format="nt") if n <= bench.cap_for("export", "") else None
        )
        for rdf_format in EXPORT_FORMATS:
            target = bench.workdir / f"export-{n}.{rdf_format}"
            figure = bench.add(
                Figure("export", f"exop export --format {rdf_format}", "rdflib", n, scaled.triples),
                None if graph is None else partial(export, target, rdf_format, graph),
            )
            if graph is None and not figure.status:
                figure.status = f"capped (N ≤ {bench.cap_for('export', '')})"
            bench.log(f"export {rdf_format} N={n}: {report.cell(figure)}")


def bench_cold_start(bench: Bench) -> None:
    exop = tools.find_executable("exop")
    commands = {
        "exop query table-1": [exop or "exop", "query", "table-1", "--format", "csv"],
        'python -c "import rdflib, pyoxigraph"': [
            sys.executable,
            "-c",
            "import rdflib, pyoxigraph",
        ],
    }
    # Measure both processes as an installed package runs them: with bytecode. pip compiles
    # a wheel's modules at install time; an editable install compiles them on first import,
    # unless PYTHONDONTWRITEBYTECODE is set (it is on some machines), in which case every
    # run would recompile exop from source and the figure would measure the compiler.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for name, command in commands.items():
        figure = bench.add(
            Figure("cold start", name, "process", 1, bench.inputs[1].triples),
            partial(subprocess.run, command, check=True, capture_output=True, env=env),
        )
        bench.log(f"cold {name}: {report.cell(figure)}")


SECTIONS: dict[str, Callable[[Bench], None]] = {
    "load": bench_load,
    "cold": bench_cold_start,
    "embedded": bench_queries_embedded,
    "server": bench_queries_server,
    "rdflib": bench_queries_rdflib,
    "validate": bench_validate,
    "export": bench_export,
    "reason": bench_reason,
}


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="development run: N = 1 and 10, 3 runs, tighter caps"
    )
    parser.add_argument(
        "--sizes",
        type=lambda s: tuple(int(x) for x in s.split(",")),
        help="comma-separated N values (default: 1,10,100,~1M triples)",
    )
    parser.add_argument("--runs", type=int, help="timed runs per figure (default 5; quick 3)")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument(
        "--figure-budget",
        type=float,
        default=150.0,
        help="skip a size predicted to take longer than this (s, all runs) for a figure "
        "without its own budget in BUDGETS",
    )
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"sections to run, from {','.join(SECTIONS)}"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "benchmarks.md",
        help="Markdown report to write ('-' for none)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    started = time.perf_counter()
    template = generator.package_template()
    sizes = args.sizes or ((1, 10) if args.quick else generator.default_sizes(template))
    bench = Bench(
        sizes=sizes,
        runs=args.runs or (3 if args.quick else 5),
        warmup=args.warmup,
        figure_budget=args.figure_budget,
        caps=QUICK_CAPS if args.quick else CAPS,
        budgets=BUDGETS,
        workdir=tools.scratch_dir(),
    )
    try:
        for n in sizes:
            bench.inputs[n] = generator.write_scaled(n, bench.workdir, template)
            bench.log(f"generated N={n}: {bench.inputs[n].triples} triples")
        for name in args.only.split(","):
            section_started = time.perf_counter()
            SECTIONS[name](bench)
            bench.log(f"section {name}: {time.perf_counter() - section_started:.0f} s")
    finally:
        shutil.rmtree(bench.workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started
    summary = report.Report(
        bench=bench,
        template=template,
        elapsed=elapsed,
        quick=args.quick,
        query_cap=QUERY_CAP_S,
        command=" ".join(["python -m benchmarks", *(argv or sys.argv[1:])]),
    )
    summary.print()
    if str(args.output) != "-":
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(summary.markdown(), encoding="utf-8")
        bench.log(f"wrote {args.output}")
    return 0
