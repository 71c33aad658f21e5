"""Run the EXOP benchmarks, print the tables and write docs/benchmarks.md.

Every comparison runs its contenders interleaved, round by round, in an order rotated
each round, and compares them by paired (per-round) ratios. The number of rounds follows
the time of one round: 15 under a second, 5 up to ten seconds, 3 beyond
(:func:`benchmarks.stats.rounds_for`), after one untimed warm-up round, cut (never below
:data:`MIN_ROUNDS`) only when a section would overrun its share of the time limit,
and then said so. Peak memory is each fresh process's VmHWM (:mod:`benchmarks.memory`).

Sections: ``load`` (a fresh process per round), ``cold`` (every command as a process,
paired with the import floor), ``validate`` (EXOP, Jena shacl and pyrudof as processes)
and ``queries`` (EXOP embedded and as an endpoint client, raw pyoxigraph, the Oxigraph
server and Virtuoso over raw HTTP, Jena in-JVM and as a process), with a cross-engine
check of every answer's size.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph

from benchmarks import exop_api, generator, report, tools
from benchmarks.memory import ProcessRun, ProcessTimeout, run_measured
from benchmarks.names import (
    EXOP_CLIENT,
    EXOP_EMBEDDED,
    EXOP_PROCESS,
    EXOP_VALIDATE,
    IMPORT_FLOOR,
    JENA_LOOP,
    JENA_PROCESS,
    JENA_SHACL,
    RAW_OXIGRAPH,
    RUDOF,
    SERVER_RAW,
    VIRTUOSO_RAW,
)
from benchmarks.stats import (
    Interleaved,
    PairedRatio,
    Sample,
    Timing,
    interleave,
    paired_ratio,
    rounds_for,
)

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT_S = 13 * 60.0
"""The whole run's limit: make bench must finish within 15 minutes on a fresh clone, where
it first installs the environment (about 1.2 minutes)."""
SECTION_SHARES: dict[str, float] = {"load": 0.06, "cold": 0.12, "validate": 0.32, "queries": 0.50}
"""Validation's share holds the largest size's three rounds of Jena and EXOP (about 50 s
each) after a warm-up round in which pyrudof is stopped at 1.5x Jena's time."""
"""Each section's share of the time limit, which bounds its rounds."""
MIN_ROUNDS = 3
QUICK_ROUNDS = 2
RDFLIB_LOAD_CAP = 30
"""rdflib's parser runs up to this N (it needs about 25 s for 1M triples, per process)."""
VALIDATE_TIMEOUT_FACTOR = 1.5
"""At the largest size EXOP and pyrudof get this multiple of Jena's time, then are
stopped: over it, the <= 1.2x target is certainly not met, and waiting longer says no more."""
SIZE_FIXED_WEIGHT = 100_000
"""Triples' worth of per-size cost that does not grow with size (in the time shares)."""
PEER_QUERIES_AT_LARGEST = 3
"""At the largest size the peers (server, Virtuoso, Jena) run table-1 and the slowest
queries of the size before it, this many in all; EXOP and raw pyoxigraph run every query."""


@dataclass
class Figure:
    """One measured (or not measured) figure."""

    section: str
    name: str
    engine: str
    n: int
    triples: int
    timing: Timing | None = None
    status: str = ""
    """"" when measured; else why not."""
    peak_mib: float | None = None
    floor_mib: float | None = None
    value: object = None
    note: str = ""


@dataclass
class Comparison:
    """A paired ratio of two contenders timed in the same rounds."""

    section: str
    name: str
    n: int
    numerator: str
    denominator: str
    ratio: PairedRatio | None
    status: str = ""


@dataclass
class Bench:
    """The run's settings and everything measured so far."""

    sizes: tuple[int, ...]
    quick: bool
    workdir: Path
    time_limit: float
    started: float = field(default_factory=time.monotonic)
    inputs: dict[int, generator.ScaledInput] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    checks: list[tuple[str, int, dict[str, object]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    section: str = ""
    section_started: float = 0.0
    part_deadline: float | None = None
    """A deadline inside the section (one size of the queries), if any."""
    item_deadline: float | None = None
    """A deadline inside the part (one comparison), if any."""

    def log(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    @property
    def largest(self) -> int:
        return self.sizes[-1]

    def start_section(self, name: str) -> None:
        self.section, self.section_started = name, time.monotonic()
        self.part_deadline = self.item_deadline = None

    def section_left(self) -> float:
        """Seconds left for the section (or for the current part or item of it)."""
        share = SECTION_SHARES.get(self.section, 0.1) * self.time_limit
        now = time.monotonic()
        left = share - (now - self.section_started)
        for deadline in (self.part_deadline, self.item_deadline):
            if deadline is not None:
                left = min(left, deadline - now)
        return left

    def start_part(self, weight: float, remaining_weight: float) -> None:
        """Give the next part of the section its share of the section's time left."""
        self.part_deadline = self.item_deadline = None
        self.part_deadline = time.monotonic() + _share(self.section_left(), weight,
                                                       remaining_weight)

    def start_item(self, weight: float, remaining_weight: float) -> None:
        """Give the next comparison its share of the part's (or section's) time left.

        Shares follow each item's expected cost, so a slow comparison early in a part
        cannot take the rounds of every comparison after it.
        """
        self.item_deadline = None
        self.item_deadline = time.monotonic() + _share(self.section_left(), weight,
                                                       remaining_weight)

    def rounds(self, round_s: float, slowest_s: float) -> tuple[int, str]:
        """Rounds for a comparison whose round takes *round_s* and slowest action *slowest_s*.

        Quick runs take :data:`QUICK_ROUNDS`. Otherwise :func:`rounds_for` the slowest
        action, cut to what the section's remaining time allows (never below MIN_ROUNDS).
        """
        if self.quick:
            return QUICK_ROUNDS, ""
        wanted = rounds_for(slowest_s)
        affordable = int(self.section_left() / round_s) if round_s > 0 else wanted
        if affordable >= wanted:
            return wanted, ""
        chosen = max(MIN_ROUNDS, affordable)
        if chosen * round_s > 2 * max(self.section_left(), round_s):
            # Even MIN_ROUNDS would take twice what is left: fewer rounds are measured,
            # and said so, rather than the whole run overrunning its limit.
            chosen = max(1, affordable)
        if chosen >= wanted:
            return wanted, ""
        return chosen, f"rounds cut from {wanted} to {chosen} by the time limit"

    def compare(
        self,
        name: str,
        n: int,
        actions: dict[str, Callable[[], object]],
        pairs: Sequence[tuple[str, str]] = (),
        essential: Sequence[str] = (),
    ) -> Interleaved:
        """Interleave *actions* (one warm-up round, then the chosen rounds); record it all.

        Past the section's time (a full run only), only the *essential* contenders run, and
        for one round (none: nothing runs); the others are recorded as skipped, so the run
        keeps its limit and says what it left out.
        """
        triples = self.inputs[n].triples if n in self.inputs else 0
        if not self.quick and self.section_left() <= 0:
            why = "skipped: the section's time limit was reached"
            for engine in actions:
                if engine not in essential:
                    self.skip(name, n, engine, why)
            actions = {k: v for k, v in actions.items() if k in essential}
            if not actions:
                return Interleaved({}, {}, {})
        warm = interleave(actions, rounds=1, warmup=0)
        live = {k: v for k, v in actions.items() if k not in warm.errors}
        walls = [t.runs[0] for t in warm.timings.values()]
        rounds, cut = self.rounds(sum(walls), max(walls, default=0.0))
        measured = interleave(live, rounds=rounds, warmup=0) if live else warm
        errors = {**warm.errors, **measured.errors}
        for engine in actions:
            figure = Figure(self.section, name, engine, n, triples, note=cut)
            if engine in errors:
                figure.status = "error: " + errors[engine]
            elif engine in measured.timings:
                figure.timing = measured.timings[engine]
                figure.value = measured.values.get(engine)
                _process_figures(figure, measured.values.get(engine))
            self.figures.append(figure)
        for numerator, denominator in pairs:
            a, b = measured.timings.get(numerator), measured.timings.get(denominator)
            ok = a is not None and b is not None
            self.comparisons.append(
                Comparison(
                    self.section,
                    name,
                    n,
                    numerator,
                    denominator,
                    paired_ratio(a, b) if a is not None and b is not None else None,
                    "" if ok else errors.get(numerator) or errors.get(denominator) or "not run",
                )
            )
        return measured

    def skip(self, name: str, n: int, engine: str, why: str) -> None:
        triples = self.inputs[n].triples if n in self.inputs else 0
        self.figures.append(Figure(self.section, name, engine, n, triples, status=why))

    def check(self, name: str, n: int, answers: dict[str, object]) -> None:
        """Record what each engine answered (row or triple counts, conforms) for one task."""
        self.checks.append((name, n, answers))


def _share(left: float, weight: float, remaining_weight: float) -> float:
    return left * weight / remaining_weight if remaining_weight > 0 else left


def _process_figures(figure: Figure, value: object) -> None:
    """Peak memory (and floor) from what a whole-process action returned."""
    if isinstance(value, tools.ProcessValue):
        figure.peak_mib = value.process.peak_mib
        figure.value = value.value
    elif isinstance(value, ProcessRun):
        figure.peak_mib = value.peak_mib
        figure.value = value.returncode
    elif isinstance(value, dict) and "peak_kib" in value:
        figure.peak_mib = float(value["peak_kib"]) / 1024
        figure.floor_mib = float(value["floor_kib"]) / 1024
        figure.value = value.get("triples")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(partial(handle.read, 1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- load -----------------------------------------------------------------------------------


def _child_load(library: str, path: Path) -> Sample:
    out = tools.run_child_json(["load", library, str(path)], timeout=1800)
    return Sample(float(out["wall"]), float(out["cpu"]), out)  # type: ignore[arg-type]


def bench_load(bench: Bench) -> None:
    for n, scaled in bench.inputs.items():
        actions: dict[str, Callable[[], object]] = {
            "pyoxigraph": partial(_child_load, "oxigraph", scaled.path)
        }
        if n <= RDFLIB_LOAD_CAP:
            actions["rdflib"] = partial(_child_load, "rdflib", scaled.path)
        else:
            bench.skip(
                "parse N-Triples (fresh process)", n, "rdflib", f"capped (N ≤ {RDFLIB_LOAD_CAP})"
            )
        bench.compare("parse N-Triples (fresh process)", n, actions)
        bench.log(f"load N={n} done")


# -- cold start -----------------------------------------------------------------------------


def _process(command: Sequence[str], env: dict[str, str] | None = None) -> Sample:
    run = run_measured(command, timeout=600, env=env)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command[:3])} exited {run.returncode}: {run.stderr[-200:]}")
    return Sample(run.wall, run.cpu, run)


def cold_commands(bench: Bench) -> dict[str, list[str]]:
    """Every command of the CLI, each in a light but real invocation."""
    exop = exop_api.exop_command()
    sparql = bench.workdir / "cold.rq"
    sparql.write_text(
        "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } "
        "LIMIT 20\n",
        encoding="utf-8",
    )
    iri_query = exop_api.iri_query_id()
    return {
        "exop info": [*exop, "info"],
        "exop queries": [*exop, "queries"],
        "exop query table-1": [*exop, "query", "table-1"],
        f"exop query {iri_query} (IRIs)": [*exop, "query", iri_query],
        "exop sparql FILE": [*exop, "sparql", str(sparql)],
        "exop validate": [*exop, "validate"],
        "exop coverage": [*exop, "coverage"],
        "exop export --format nt": [
            *exop,
            "export",
            "--format",
            "nt",
            "-o",
            str(bench.workdir / "cold-export.nt"),
        ],
        "exop fmt --check": [*exop, "fmt", "--check"],
        "exop reason": [*exop, "reason"],
    }


QUICK_COLD = frozenset({"exop info", "exop query table-1", "exop validate"})
"""The commands a quick run times (with the IRI query)."""


def bench_cold_start(bench: Bench) -> None:
    import os

    # As an installed package runs: with bytecode (pip compiles a wheel's modules at
    # install time; PYTHONDONTWRITEBYTECODE would make every run recompile exop).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    floor = [sys.executable, "-c", "import rdflib, pyoxigraph"]
    commands = {
        name: command
        for name, command in cold_commands(bench).items()
        if not bench.quick or name in QUICK_COLD or "(IRIs)" in name
    }
    for index, (name, command) in enumerate(commands.items()):
        bench.start_item(1, len(commands) - index)
        bench.compare(
            name,
            1,
            {IMPORT_FLOOR: partial(_process, floor, env), name: partial(_process, command, env)},
            pairs=[(name, IMPORT_FLOOR)],
        )
        bench.log(f"cold {name} done")


# -- validate -------------------------------------------------------------------------------


def _exop_validate(data: Path, jena_walls: list[float] | None) -> Sample:
    command = [*exop_api.exop_command(), "validate", str(data)]
    run = run_measured(command, timeout=_limit(jena_walls))
    if run.returncode not in (0, 1):
        raise RuntimeError(f"exop validate exited {run.returncode}: {run.stderr[-200:]}")
    return Sample(run.wall, run.cpu, tools.ProcessValue(run.returncode == 0, run))


def _rudof_validate(data: Path, shapes: Path, jena_walls: list[float] | None) -> Sample:
    command = [sys.executable, "-m", "benchmarks.child", "rudof", str(data), str(shapes)]
    run = run_measured(command, timeout=_limit(jena_walls), cwd=ROOT)
    if run.returncode != 0:
        raise RuntimeError(f"pyrudof child exited {run.returncode}: {run.stderr[-200:]}")
    return Sample(run.wall, run.cpu, tools.ProcessValue(run.stdout.strip() == "true", run))


def _jena_validate(jena: tools.Jena, shapes: Path, data: Path, walls: list[float]) -> Sample:
    sample = jena.validate(shapes, data, None)
    walls.append(sample.wall)
    return sample


def _limit(jena_walls: list[float] | None) -> float | None:
    """The time EXOP and pyrudof get at the largest size: a multiple of Jena's first run
    (None: no limit, below the largest size or without Jena)."""
    return VALIDATE_TIMEOUT_FACTOR * jena_walls[0] if jena_walls else None


def bench_validate(bench: Bench) -> None:
    jena, why = tools.find_jena(bench.workdir)
    shapes = exop_api.merged_shapes(bench.workdir)
    if jena is None:
        bench.notes.append(f"Apache Jena not run: {why}.")
    sizes = (bench.sizes[0],) if bench.quick else (bench.sizes[0], bench.largest)
    for index, n in enumerate(sizes):
        scaled = bench.inputs[n]
        # By triples plus a fixed part: the JVM's start-up and three processes a round
        # make even the package's validation a few seconds a round.
        weights = [bench.inputs[m].triples + SIZE_FIXED_WEIGHT for m in sizes[index:]]
        bench.start_item(weights[0], sum(weights))
        stop_at = n == bench.largest and jena is not None and not bench.quick
        jena_walls: list[float] = []
        limited = jena_walls if stop_at else None
        actions: dict[str, Callable[[], object]] = {}
        if jena is not None:
            # First in the warm-up round: its time sets the others' limit at the largest size.
            actions[JENA_SHACL] = partial(_jena_validate, jena, shapes, scaled.path, jena_walls)
        actions[EXOP_VALIDATE] = partial(_exop_validate, scaled.data_path, limited)
        actions[RUDOF] = partial(_rudof_validate, scaled.path, shapes, limited)
        result = bench.compare(
            "SHACL validate",
            n,
            actions,
            pairs=[(EXOP_VALIDATE, JENA_SHACL)] if jena else [],
        )
        for figure in bench.figures[-len(actions) :]:
            if "ProcessTimeout" in figure.status and stop_at:
                memory = figure.status.partition(", VmHWM ")[2]
                stopped_at = _limit(jena_walls) or 0.0
                figure.status = (
                    f"over {stopped_at:.0f} s ({VALIDATE_TIMEOUT_FACTOR:g}x Jena), stopped"
                    + (f"; VmHWM {memory}" if memory else "")
                )
        bench.check(
            "SHACL validate: conforms",
            n,
            {
                k: (v.value if isinstance(v, tools.ProcessValue) else v)
                for k, v in result.values.items()
            },
        )
        bench.log(f"validate N={n} done")


# -- queries --------------------------------------------------------------------------------


def raw_oxigraph(store: pyoxigraph.Store, text: str) -> int:
    """The raw engine: pyoxigraph's own query, every solution and term read once."""
    answer = store.query(text)
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return 1 if bool(answer) else 0
    if isinstance(answer, pyoxigraph.QueryTriples):
        return sum(1 for _ in answer)
    return sum(1 for solution in answer if tuple(solution) is not None)


@dataclass
class Engines:
    """Everything loaded with one size's input."""

    store: pyoxigraph.Store
    server: tools.OxigraphServer | None
    virtuoso: tools.Virtuoso | None
    graph: str
    jena_loop: tools.JenaLoop | None


@contextmanager
def _engines(bench: Bench, n: int, stack_servers: dict[str, Any], peers: bool) -> Iterator[Engines]:
    """The stores loaded with size *n* (the peers' only when *peers*)."""
    scaled = bench.inputs[n]
    store = pyoxigraph.Store()
    store.load(path=str(scaled.path), format=pyoxigraph.RdfFormat.N_TRIPLES)
    if not peers:
        stack_servers = {}
    server: tools.OxigraphServer | None = stack_servers.get("oxigraph")
    if server is not None:
        server.load(scaled.path)
    virtuoso: tools.Virtuoso | None = stack_servers.get("virtuoso")
    graph = f"https://w3id.org/exop/bench/x{n}"
    if virtuoso is not None:
        seconds = virtuoso.load(scaled.path, graph)
        bench.log(f"virtuoso loaded N={n} in {seconds:.1f} s")
    jena: tools.Jena | None = stack_servers.get("jena")
    with ExitStack() as stack:
        loop = stack.enter_context(jena.query_loop(scaled.path)) if jena is not None else None
        yield Engines(store, server, virtuoso, graph, loop)


def _query_actions(
    engines: Engines, query: exop_api.BenchQuery, path: Path, peers: bool
) -> dict[str, Callable[[], object]]:
    actions: dict[str, Callable[[], object]] = {
        EXOP_EMBEDDED: partial(exop_api.query_embedded, query.text, engines.store),
        RAW_OXIGRAPH: partial(raw_oxigraph, engines.store, query.text),
    }
    if not peers:
        return actions
    if engines.server is not None:
        actions[SERVER_RAW] = partial(engines.server.query, query.text, query.triples)
        actions[EXOP_CLIENT] = partial(
            exop_api.query_endpoint, query.text, engines.server.query_url
        )
    if engines.virtuoso is not None:
        actions[VIRTUOSO_RAW] = partial(
            engines.virtuoso.query, query.text, engines.graph, query.triples
        )
    if engines.jena_loop is not None:
        actions[JENA_LOOP] = partial(engines.jena_loop.query, path)
    return actions


QUERY_PAIRS = (
    (EXOP_EMBEDDED, RAW_OXIGRAPH),
    (EXOP_CLIENT, SERVER_RAW),
    (EXOP_EMBEDDED, VIRTUOSO_RAW),
    (EXOP_EMBEDDED, JENA_LOOP),
)


def _start_servers(bench: Bench, stack: ExitStack) -> dict[str, Any]:
    servers: dict[str, Any] = {}
    try:
        servers["oxigraph"] = stack.enter_context(tools.oxigraph_server(bench.workdir))
    except RuntimeError as error:
        bench.notes.append(f"Oxigraph server not run: {error}.")
    try:
        servers["virtuoso"] = stack.enter_context(
            tools.virtuoso(bench.workdir, bench.workdir / "inputs")
        )
    except RuntimeError as error:
        bench.notes.append(f"Virtuoso not run: {error}.")
    jena, why = tools.find_jena(bench.workdir)
    if jena is None:
        bench.notes.append(f"Apache Jena not run: {why}.")
    else:
        try:
            servers["jena"] = jena.with_loop(bench.workdir)
        except RuntimeError as error:
            bench.notes.append(f"Jena in-JVM loop not run: {error}.")
    return servers


def _peer_subset(bench: Bench, queries: list[exop_api.BenchQuery], n: int) -> set[str]:
    """Queries the peers run at size *n*: all, except at the largest size (see constant).

    A quick run gives the peers the smallest size only.
    """
    if bench.quick:
        return {q.id for q in queries} if n == bench.sizes[0] else set()
    if n != bench.largest or len(bench.sizes) < 2:
        return {q.id for q in queries}
    before = bench.sizes[-2]
    timed = [
        f
        for f in bench.figures
        if f.section == "queries" and f.n == before and f.engine == EXOP_EMBEDDED and f.timing
    ]
    slowest = sorted(timed, key=lambda f: -f.timing.median if f.timing else 0.0)
    chosen = ["table-1"] + [f.name for f in slowest if f.name != "table-1"]
    return set(chosen[:PEER_QUERIES_AT_LARGEST])


def bench_queries(bench: Bench) -> None:
    queries = exop_api.packaged_queries()
    folder = bench.workdir / "queries"
    folder.mkdir()
    paths = {}
    for query in queries:
        paths[query.id] = folder / f"{query.id}.rq"
        paths[query.id].write_text(query.text, encoding="utf-8")
    with ExitStack() as stack:
        servers = _start_servers(bench, stack)
        jena = servers.get("jena")
        if jena is not None:
            # First, while the section's time is whole: these are two fixed comparisons.
            bench.start_part(WHOLE_PROCESS_WEIGHT, 1.0)
            _whole_process_queries(bench, jena, paths)
        for index, n in enumerate(bench.sizes):
            # Each size gets a share of the section's time left, in proportion to its
            # triples plus a fixed part (per-query overheads that do not grow with size).
            weights = [bench.inputs[m].triples + SIZE_FIXED_WEIGHT for m in bench.sizes[index:]]
            bench.start_part(weights[0], sum(weights))
            peers = _peer_subset(bench, queries, n)
            with _engines(bench, n, servers, bool(peers)) as engines:
                local = [q for q in queries if not q.federated]
                for query in queries:
                    if query.federated:
                        bench.skip(query.id, n, EXOP_EMBEDDED, "n/a (federated SERVICE query)")
                costs = _expected_costs(bench, local, n, peers)
                for index_q, query in enumerate(local):
                    bench.start_item(costs[query.id], sum(costs[q.id] for q in local[index_q:]))
                    actions = _query_actions(engines, query, paths[query.id], query.id in peers)
                    result = bench.compare(
                        query.id, n, actions, pairs=QUERY_PAIRS,
                        essential=(EXOP_EMBEDDED, RAW_OXIGRAPH),
                    )
                    bench.check(query.id, n, dict(result.values))
                for name, peak in (
                    ("Oxigraph server", engines.server.peak_mib() if engines.server else None),
                    ("Virtuoso", engines.virtuoso.peak_mib() if engines.virtuoso else None),
                    (
                        "Jena ARQ (in-JVM)",
                        engines.jena_loop.peak_mib() if engines.jena_loop else None,
                    ),
                ):
                    if peak is not None:
                        bench.notes.append(f"{name} VmHWM after N={n}: {peak:.0f} MiB.")
            bench.log(f"queries N={n} done ({len(peers)} with peers)")


WHOLE_PROCESS_WEIGHT = 0.08
"""The share of the queries section the two whole-process comparisons may take."""
ITEM_FIXED_S = 0.05
"""Seconds of a comparison that do not grow with size (warm-up, bookkeeping)."""


def _expected_costs(
    bench: Bench, queries: list[exop_api.BenchQuery], n: int, peers: set[str]
) -> dict[str, float]:
    """Each query's expected seconds per round at size *n*, for its share of the time.

    From the size before: the medians of the contenders that run again, scaled by the
    ratio of triples (queries grow about linearly once past the fixed cost). A query with
    no figure before takes the mean of the others (all equal at the first size).
    """
    index = bench.sizes.index(n)
    if index == 0:
        return {q.id: 1.0 for q in queries}
    before = bench.sizes[index - 1]
    scale = bench.inputs[n].triples / bench.inputs[before].triples
    costs: dict[str, float] = {}
    for query in queries:
        figures = [
            f
            for f in bench.figures
            if f.section == "queries" and f.n == before and f.name == query.id and f.timing
            and (query.id in peers or f.engine in (EXOP_EMBEDDED, RAW_OXIGRAPH))
        ]
        if figures:
            costs[query.id] = ITEM_FIXED_S + scale * sum(
                f.timing.median for f in figures if f.timing
            )
    mean = sum(costs.values()) / len(costs) if costs else 1.0
    return {q.id: costs.get(q.id, mean) for q in queries}


def _whole_process_queries(bench: Bench, jena: tools.Jena, paths: dict[str, Path]) -> None:
    """Jena's arq and EXOP's command as whole processes, on the package (N = 1).

    EXOP's command queries the packaged data only, so the pair exists at N = 1 alone.
    """
    exop = exop_api.exop_command()
    scaled = bench.inputs[bench.sizes[0]]
    ids = ("table-1",) if bench.quick else ("table-1", exop_api.iri_query_id())
    for query_id in ids:
        result = bench.compare(
            f"{query_id} (process)",
            scaled.n,
            {
                EXOP_PROCESS: partial(
                    _process, [*exop, "query", query_id, "--format", "tsv"], None
                ),
                JENA_PROCESS: partial(jena.arq, scaled.path, paths[query_id], None),
            },
            pairs=[(EXOP_PROCESS, JENA_PROCESS)],
        )
        bench.log(f"whole-process {query_id} done: {sorted(result.timings)}")


SECTIONS: dict[str, Callable[[Bench], None]] = {
    "load": bench_load,
    "cold": bench_cold_start,
    "validate": bench_validate,
    "queries": bench_queries,
}


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run (under 2 minutes): small sizes, 3 rounds; writes no report unless "
        "--output is given",
    )
    parser.add_argument(
        "--sizes",
        type=lambda s: tuple(int(x) for x in s.split(",")),
        help="comma-separated N values (default: 1,10,30,100 and ~1M triples)",
    )
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"sections to run, from {','.join(SECTIONS)}"
    )
    parser.add_argument(
        "--time-limit", type=float, default=TIME_LIMIT_S, help="seconds for the whole run"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="Markdown report to write ('-' for none; default docs/benchmarks.md, "
        "none for --quick)",
    )
    return parser.parse_args(argv)


QUICK_SIZES = (1, 2, 3, 4, 6)
"""Five sizes, so the growth fit (4 sizes above the fixed cost) is exercised."""


def _sizes(args: argparse.Namespace, template: generator.Template) -> tuple[int, ...]:
    if args.sizes:
        return tuple(sorted(set(args.sizes)))
    if args.quick:
        return QUICK_SIZES
    largest = template.size_for(1_000_000)
    return tuple(sorted({n for n in (1, 10, 30, 100) if n < largest} | {largest}))


def _inputs(bench: Bench, template: generator.Template) -> None:
    folder = bench.workdir / "inputs"
    for n in bench.sizes:
        scaled = generator.write_scaled(n, folder, template)
        bench.inputs[n] = scaled
        bench.hashes[scaled.path.name] = scaled.sha256
        bench.hashes[scaled.data_path.name] = _file_sha256(scaled.data_path)
        bench.log(f"generated N={n}: {scaled.triples} triples")
    for path in exop_api.shape_files():
        bench.hashes["shapes: " + path.name] = _file_sha256(path)
    for query in exop_api.packaged_queries():
        bench.hashes[f"query {query.id} (bound)"] = query.sha256


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    template = generator.package_template()
    bench = Bench(
        sizes=_sizes(args, template),
        quick=args.quick,
        workdir=tools.scratch_dir(),
        time_limit=args.time_limit,
    )
    try:
        _inputs(bench, template)
        for name in args.only.split(","):
            bench.start_section(name)
            SECTIONS[name](bench)
            bench.log(f"section {name}: {time.monotonic() - bench.section_started:.0f} s")
    except ProcessTimeout as error:  # pragma: no cover - a peer hung outside a comparison
        bench.notes.append(f"stopped: {error}")
    finally:
        shutil.rmtree(bench.workdir, ignore_errors=True)
    summary = report.Report(
        bench=bench,
        template=template,
        elapsed=time.monotonic() - bench.started,
        command=" ".join(["python -m benchmarks", *(argv if argv is not None else sys.argv[1:])]),
    )
    summary.print()
    output = args.output
    if output is None and not args.quick:
        output = ROOT / "docs" / "benchmarks.md"
    if output is not None and str(output) != "-":
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(summary.markdown(), encoding="utf-8")
        bench.log(f"wrote {output}")
    return 0
