"""Turn measured figures into tables (rich on the terminal, Markdown for docs/) and
state every target as met or not, with the measured (paired) ratio."""

from __future__ import annotations

import contextlib
import datetime
import os
import platform
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.names import (
    EXOP_CLIENT as CLIENT,
)
from benchmarks.names import (
    EXOP_EMBEDDED as EMBEDDED,
)
from benchmarks.names import (
    EXOP_VALIDATE,
    IMPORT_FLOOR,
    JENA_SHACL,
    QUERY_ENGINES,
)
from benchmarks.names import (
    RAW_OXIGRAPH as RAW,
)
from benchmarks.names import (
    SERVER_RAW as HTTP,
)
from benchmarks.stats import (
    FIXED_COST_FACTOR,
    LONG_ROUNDS,
    MIN_FIT_POINTS,
    SECONDS_ROUNDS,
    SUB_SECOND_ROUNDS,
    growth_fit,
    human_seconds,
)

if TYPE_CHECKING:
    from benchmarks.generator import Template
    from benchmarks.run import Bench, Comparison, Figure

QUICK_NOTE = (
    " — QUICK RUN (smoke test: small sizes, 2 rounds): the figures show the harness "
    "works and measure none of the targets; `make bench` on a quiet machine gives the "
    "figures of record"
)
LIBRARIES = ("exop", "rdflib", "pyoxigraph", "oxigraph", "pyshacl", "pyrudof", "owlready2")


def _version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    return ((done.stdout or done.stderr).strip().splitlines() or ["?"])[0][:80]


def machine() -> list[tuple[str, str]]:
    """Cores, memory, OS, Python, library and tool versions, load."""
    with Path("/proc/meminfo").open(encoding="ascii") as info:
        total_kib = int(info.readline().split()[1])
    rows = [
        ("CPU cores", str(os.cpu_count())),
        ("CPU", platform.processor() or platform.machine()),
        ("memory", f"{total_kib / 1024 / 1024:.1f} GiB"),
        ("OS", platform.platform()),
        ("Python", sys.version.split()[0]),
    ]
    for name in LIBRARIES:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    rows.append(("java", _version(["java", "-version"])))
    rows.append(("virtuoso-t", _version(["virtuoso-t", "-?"])))
    with contextlib.suppress(OSError):
        rows.append(("load average at end", " ".join(f"{x:.2f}" for x in os.getloadavg())))
    return rows


@dataclass
class Target:
    what: str
    goal: str
    measured: str
    met: bool | None


def _status(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "NOT MET")


def _timing_text(figure: Figure | None) -> str:
    if figure is None:
        return "-"
    if figure.timing is None:
        return figure.status or "-"
    t = figure.timing
    return f"{human_seconds(t.median)} ({human_seconds(t.min)}-{human_seconds(t.max)})"


def _mib(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MiB"


@dataclass
class Report:
    bench: Bench
    template: Template
    elapsed: float
    command: str

    # -- lookups ---------------------------------------------------------------------------

    def figure(self, section: str, name: str, engine: str, n: int) -> Figure | None:
        for f in self.bench.figures:
            if (f.section, f.name, f.engine, f.n) == (section, name, engine, n):
                return f
        return None

    def comparison(
        self, section: str, name: str, n: int, numerator: str, denominator: str
    ) -> Comparison | None:
        for c in self.bench.comparisons:
            if (c.section, c.name, c.n, c.numerator, c.denominator) == (
                section,
                name,
                n,
                numerator,
                denominator,
            ):
                return c
        return None

    def comparisons(self, section: str, numerator: str, denominator: str) -> list[Comparison]:
        return [
            c
            for c in self.bench.comparisons
            if c.section == section
            and c.numerator == numerator
            and c.denominator == denominator
            and c.ratio is not None
        ]

    def names(self, section: str) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.bench.figures if f.section == section))

    def engines(self, section: str) -> list[str]:
        return list(dict.fromkeys(f.engine for f in self.bench.figures if f.section == section))

    # -- targets ---------------------------------------------------------------------------

    def targets(self) -> list[Target]:
        return [
            *self._validate_targets(),
            *self._cold_targets(),
            *self._query_targets(),
            *self._load_targets(),
        ]

    def _validate_targets(self) -> list[Target]:
        out: list[Target] = []
        cold = self.figure("cold", "exop validate", "exop validate", 1)
        if cold is not None and cold.timing is not None:
            out.append(
                Target(
                    "`exop validate` of the package, as a process",
                    "≤ 1.0 s",
                    human_seconds(cold.timing.median),
                    cold.timing.median <= 1.0,
                )
            )
        else:
            out.append(
                Target(
                    "`exop validate` of the package, as a process",
                    "≤ 1.0 s",
                    cold.status if cold else "not run",
                    None,
                )
            )
        n = self.bench.largest
        exop = self.figure("validate", "SHACL validate", EXOP_VALIDATE, n)
        jena = self.figure("validate", "SHACL validate", JENA_SHACL, n)
        what = f"`exop validate` at N={n} ({self.template.triples(n):,} triples) vs Jena shacl"
        pair = self.comparison("validate", "SHACL validate", n, EXOP_VALIDATE, JENA_SHACL)
        if pair is not None and pair.ratio is not None:
            out.append(
                Target(
                    what + ", whole process",
                    "≤ 1.2x (paired)",
                    pair.ratio.text(),
                    pair.ratio.median <= 1.2,
                )
            )
        elif exop is not None and jena is not None and jena.timing is not None:
            out.append(
                Target(
                    what + ", whole process",
                    "≤ 1.2x (paired)",
                    f"{exop.status}; Jena {human_seconds(jena.timing.median)}",
                    False if exop.status.startswith("over") else None,
                )
            )
        else:
            out.append(Target(what + ", whole process", "≤ 1.2x (paired)", "not run", None))
        if exop is not None and jena is not None and jena.peak_mib is not None:
            if exop.peak_mib is not None and exop.timing is not None:
                met: bool | None = exop.peak_mib <= jena.peak_mib
                text = f"{_mib(exop.peak_mib)} vs Jena {_mib(jena.peak_mib)} (VmHWM)"
            else:
                met, text = (
                    None,
                    f"EXOP {exop.status or 'not measured'}; Jena {_mib(jena.peak_mib)}",
                )
            out.append(Target(what + ", peak memory", "≤ Jena's", text, met))
        return out

    def _cold_targets(self) -> list[Target]:
        out = []
        for name in self.names("cold"):
            pair = self.comparison("cold", name, 1, name, IMPORT_FLOOR)
            if pair is None or pair.ratio is None:
                out.append(
                    Target(
                        f"cold start `{name}` / import floor",
                        "≤ 1.5x (paired)",
                        pair.status if pair else "not run",
                        None,
                    )
                )
                continue
            out.append(
                Target(
                    f"cold start `{name}` / import floor",
                    "≤ 1.5x (paired)",
                    pair.ratio.text(),
                    pair.ratio.median <= 1.5,
                )
            )
        return out

    def _worst_ratio(self, numerator: str, denominator: str, goal: float, what: str) -> Target:
        pairs = self.comparisons("queries", numerator, denominator)
        if not pairs:
            return Target(what, f"≤ {goal:g}x (paired)", "not run", None)
        worst = max(pairs, key=lambda c: c.ratio.median if c.ratio else 0.0)
        over = [c for c in pairs if c.ratio is not None and c.ratio.median > goal]
        assert worst.ratio is not None
        sizes = sorted({c.n for c in pairs})
        text = (
            f"worst {worst.name} at N={worst.n}: {worst.ratio.text()}; {len(over)} of "
            f"{len(pairs)} (query, size) pairs over; sizes {', '.join(map(str, sizes))}"
        )
        return Target(what, f"≤ {goal:g}x (paired)", text, not over)

    def _query_targets(self) -> list[Target]:
        out = [
            self._worst_ratio(
                EMBEDDED,
                RAW,
                1.2,
                "every packaged query, EXOP embedded / raw pyoxigraph, every size",
            ),
        ]
        n = self.bench.largest
        timed = [
            f
            for f in self.bench.figures
            if f.section == "queries" and f.engine == EMBEDDED and f.n == n and f.timing
        ]
        if timed:
            worst = max(timed, key=lambda f: f.timing.median if f.timing else 0.0)
            assert worst.timing is not None
            over = sorted(
                (f for f in timed if f.timing and f.timing.median > 1.0),
                key=lambda f: -f.timing.median if f.timing else 0.0,
            )
            text = f"worst {worst.name}: {human_seconds(worst.timing.median)}"
            if over:
                text += f"; {len(over)} over 1 s: " + ", ".join(
                    self._engine_bound(f) for f in over
                )
            out.append(
                Target(
                    f"every packaged query, EXOP embedded, N={n} "
                    f"({self.template.triples(n):,} triples)",
                    "≤ 1 s (quiet machine)",
                    text,
                    not over,
                )
            )
        out.append(
            self._worst_ratio(CLIENT, HTTP, 1.3, "EXOP as endpoint client / raw HTTP round trip")
        )
        return out

    def _engine_bound(self, figure: Figure) -> str:
        """*figure*'s query and time, and whether the raw engine alone is over 1 s too."""
        assert figure.timing is not None
        raw = self.figure("queries", figure.name, RAW, figure.n)
        if raw is None or raw.timing is None:
            return f"{figure.name} {human_seconds(figure.timing.median)}"
        bound = "engine-bound" if raw.timing.median > 1.0 else "not engine-bound"
        return (
            f"{figure.name} {human_seconds(figure.timing.median)} "
            f"(raw {human_seconds(raw.timing.median)}: {bound})"
        )

    def _load_targets(self) -> list[Target]:
        n = self.bench.largest
        f = self.figure("load", "parse N-Triples (fresh process)", "pyoxigraph", n)
        what = f"load N={n} ({self.template.triples(n):,} triples), pyoxigraph, fresh process"
        if f is None or f.timing is None:
            return [Target(what, "≥ 250k triples/s", f.status if f else "not run", None)]
        rate = f.triples / f.timing.median
        out = [Target(what, "≥ 250k triples/s", f"{rate / 1000:.0f}k triples/s", rate >= 250_000)]
        if f.peak_mib is not None:
            out.append(
                Target(what + ", peak (VmHWM)", "≤ 400 MiB", _mib(f.peak_mib), f.peak_mib <= 400)
            )
        return out

    # -- tables ------------------------------------------------------------------------------

    def inputs_rows(self) -> tuple[list[str], list[list[str]]]:
        header = ["N", "triples", "data triples (exop validate)", "file", "SHA-256"]
        rows = [
            [str(n), f"{s.triples:,}", f"{s.data_triples:,}", s.path.name, s.sha256]
            for n, s in self.bench.inputs.items()
        ]
        return header, rows

    def hash_rows(self) -> tuple[list[str], list[list[str]]]:
        return ["input", "SHA-256"], [[k, v] for k, v in self.bench.hashes.items()]

    def _timed_rows(self, section: str, names: Iterable[str]) -> list[list[str]]:
        rows = []
        for name in names:
            for engine in self.engines(section):
                for n in self.bench.sizes:
                    f = self.figure(section, name, engine, n)
                    if f is None:
                        continue
                    cpu = f.timing.cpu_median if f.timing else None
                    extra = []
                    if f.timing and section == "load":
                        extra.append(f"{f.triples / f.timing.median / 1000:.0f}k triples/s")
                    if f.floor_mib is not None:
                        extra.append(f"floor {_mib(f.floor_mib)}")
                    if f.note:
                        extra.append(f.note)
                    rows.append(
                        [
                            name,
                            engine,
                            str(n),
                            _timing_text(f),
                            "-" if cpu is None else human_seconds(cpu),
                            _mib(f.peak_mib),
                            str(len(f.timing.runs)) if f.timing else "-",
                            "; ".join(extra),
                        ]
                    )
        return rows

    TIMED_HEADER = (
        "task",
        "engine",
        "N",
        "wall median (min-max)",
        "CPU median",
        "peak (VmHWM)",
        "rounds",
        "notes",
    )

    def load_rows(self) -> tuple[list[str], list[list[str]]]:
        return list(self.TIMED_HEADER), self._timed_rows("load", self.names("load"))

    def cold_rows(self) -> tuple[list[str], list[list[str]]]:
        header = [
            "command",
            "wall median (min-max)",
            "CPU median",
            "peak (VmHWM)",
            "import floor (same rounds)",
            "paired ratio",
            "rounds",
        ]
        rows = []
        floor = IMPORT_FLOOR
        for name in self.names("cold"):
            f, base = self.figure("cold", name, name, 1), self.figure("cold", name, floor, 1)
            pair = self.comparison("cold", name, 1, name, floor)
            rows.append(
                [
                    name,
                    _timing_text(f),
                    human_seconds(f.timing.cpu_median)
                    if f and f.timing and f.timing.cpu_median is not None
                    else "-",
                    _mib(f.peak_mib if f else None),
                    _timing_text(base),
                    pair.ratio.text() if pair and pair.ratio else (pair.status if pair else "-"),
                    str(len(f.timing.runs)) if f and f.timing else "-",
                ]
            )
        return header, rows

    def validate_rows(self) -> tuple[list[str], list[list[str]]]:
        header = [*self.TIMED_HEADER, "conforms"]
        rows = self._timed_rows("validate", self.names("validate"))
        for row in rows:
            f = self.figure("validate", row[0], row[1], int(row[2]))
            row.append("-" if f is None or f.value is None else str(f.value))
        for c in self.bench.comparisons:
            if c.section == "validate":
                rows.append(
                    [
                        c.name,
                        f"{c.numerator} / {c.denominator}",
                        str(c.n),
                        c.ratio.text() if c.ratio else c.status,
                        "",
                        "",
                        "",
                        "",
                        "",
                    ]
                )
        return header, rows

    def query_rows(self, n: int) -> tuple[list[str], list[list[str]]]:
        engines = [e for e in QUERY_ENGINES if e in self.engines("queries")]
        header = ["query", *engines, "EXOP / raw", "client / raw HTTP", "rows"]
        rows = []
        for name in self.names("queries"):
            if name.endswith("(process)"):
                continue
            cells = [_short(self.figure("queries", name, e, n)) for e in engines]
            emb = self.comparison("queries", name, n, EMBEDDED, RAW)
            cli = self.comparison("queries", name, n, CLIENT, HTTP)
            f = self.figure("queries", name, EMBEDDED, n)
            rows.append(
                [
                    name,
                    *cells,
                    f"{emb.ratio.median:.2f}x" if emb and emb.ratio else "-",
                    f"{cli.ratio.median:.2f}x" if cli and cli.ratio else "-",
                    "-" if f is None or f.value is None else str(f.value),
                ]
            )
        return header, rows

    def process_query_rows(self) -> tuple[list[str], list[list[str]]]:
        header = list(self.TIMED_HEADER)
        names = [n for n in self.names("queries") if n.endswith("(process)")]
        rows = self._timed_rows("queries", names)
        rows = [r for r in rows if r[1] in ("exop query (process)", "Jena arq (process)")]
        for c in self.bench.comparisons:
            if c.section == "queries" and c.name in names:
                rows.append(
                    [
                        c.name,
                        f"{c.numerator} / {c.denominator}",
                        str(c.n),
                        c.ratio.text() if c.ratio else c.status,
                        "",
                        "",
                        "",
                        "",
                    ]
                )
        return header, rows

    def growth_rows(self) -> tuple[list[str], list[list[str]]]:
        header = ["task", "engine", "growth exponent (sizes above the fixed cost)"]
        rows = []
        for section, names, engines in (
            ("load", self.names("load"), ["pyoxigraph", "rdflib"]),
            (
                "queries",
                [q for q in self.names("queries") if not q.endswith("(process)")],
                [EMBEDDED, RAW],
            ),
        ):
            for name in names:
                for engine in engines:
                    figs = [self.figure(section, name, engine, n) for n in self.bench.sizes]
                    timed = [f for f in figs if f is not None and f.timing is not None]
                    if not timed:
                        continue
                    fit = growth_fit(
                        [f.triples for f in timed], [f.timing.median for f in timed if f.timing]
                    )
                    rows.append([name, engine, fit.text()])
        return header, rows

    def check_rows(self) -> tuple[list[str], list[list[str]]]:
        header = ["task", "N", "answers (engine: rows, triples or conforms)"]
        rows = []
        for name, n, answers in self.bench.checks:
            if len(set(map(str, answers.values()))) > 1:
                rows.append([name, str(n), "; ".join(f"{k}: {v}" for k, v in answers.items())])
        return header, rows

    def check_summary(self) -> str:
        total = len(self.bench.checks)
        differing = len(self.check_rows()[1])
        engines = max((len(a) for _, _, a in self.bench.checks), default=0)
        return (
            f"{total - differing} of {total} tasks got the same answer size from every "
            f"engine that ran them (up to {engines} engines); {differing} differ (below)."
        )

    def method(self) -> list[str]:
        t = self.template
        return [
            "Interleaving: every comparison runs its contenders round by round, in an order "
            "rotated each round (A B C, B C A, ...), after one untimed warm-up round; ratios "
            "are paired: the median (and quartiles) of the per-round ratios.",
            f"Rounds: {SUB_SECOND_ROUNDS} when the slowest contender takes under 1 s, "
            f"{SECONDS_ROUNDS} under 10 s, {LONG_ROUNDS} beyond; cut only when a comparison "
            "would overrun its share of the time limit (each section's share is split "
            "among its sizes by triples and among its comparisons by their cost at the "
            "size before), never below 3 unless 3 would take twice the share, and said so "
            "in the notes column.",
            "Time: wall clock (perf_counter) and CPU (user + system: the process's own for "
            "in-process work, wait4's figure for a child process, the thread's CPU time "
            "inside the JVM for Jena's in-JVM loop).",
            "Memory: VmHWM of each fresh process (/proc/PID/status), polled every 2 ms "
            "while it runs, or read by the process itself at the end (load children); "
            "for a process that starts others (`exop validate` runs Jena on large inputs) "
            "the sum of every member's VmHWM, an upper bound on the tree's peak; not "
            "ru_maxrss, which a child inherits from its parent across fork and exec.",
            f"Inputs: size N = the package ({t.base_triples:,} triples: ontology, imports, "
            f"data) plus N - 1 replicas of its findings layer ({t.replica_triples:,} "
            "triples each) with fresh IRIs, generated by benchmarks/generator.py as "
            "sorted N-Triples; SHA-256 of every input, the shapes and every bound query below.",
            "Load: one fresh `python -m benchmarks.child` process per engine and round "
            "(pyoxigraph: EXOP's own `exop.graph.load_store`, which calls `Store.load`; "
            "rdflib: `Graph.parse`; N-Triples).",
            "Cold start: every command as a fresh process, paired round by round with the "
            "import floor `python -c 'import rdflib, pyoxigraph'`; queries in the default "
            "table format, one of them returning IRIs.",
            "Validate: `exop validate FILE` (the data), Jena `shacl validate` and pyrudof "
            "(ontology + data), all whole processes against the packaged shapes (every "
            "shape file, merged into one for the peers). At the largest size EXOP and "
            "pyrudof are stopped past 1.5x the time of Jena's warm-up run.",
            "Queries: every packaged query with its default parameters bound (the same "
            "text for every engine): EXOP embedded (`exop.engines.run_query` on a loaded "
            "store) and raw pyoxigraph (`Store.query`, every solution read) on the same "
            "store; the Oxigraph server (`oxigraph serve`, loaded by HTTP PUT) over raw "
            "HTTP (urllib POST, body read, JSON parsed) and through EXOP's endpoint client; "
            "Virtuoso (bulk loader, its own graph per size) over raw HTTP; Jena ARQ in one "
            "JVM per size that loads the input once and times each query itself "
            "(benchmarks/JenaQuery.java). At the largest size the peers run table-1 and "
            "the slowest queries of the size before (EXOP and raw pyoxigraph run all).",
            "Whole-process queries: `exop query ID` and Jena `arq --data --query` as "
            "processes on the package (EXOP's command queries only the packaged data, so "
            "this pair exists at N = 1).",
            f"Growth exponents: slope of log(t - fixed) against log(triples) over the sizes "
            f"whose median is at least {FIXED_COST_FACTOR:g}x the fixed cost (the time at "
            f"the smallest size); at least {MIN_FIT_POINTS} such sizes, else not fitted.",
            "Peers come from Debian (`libapache-jena-java`, `openjdk-17-jdk-headless` for "
            "javac, `virtuoso-opensource`) and the test extra (`oxigraph`, `pyrudof`); a "
            "missing one is named in the notes below and its figures are left out.",
            "Cross-engine check: the number of rows (triples for CONSTRUCT, 1/0 for ASK, "
            "sh:conforms for validation) every engine returned for the same task.",
            *self.bench.notes,
        ]

    # -- rendering ---------------------------------------------------------------------------

    def _sections(self) -> list[tuple[str, tuple[list[str], list[list[str]]] | str]]:
        sections: list[tuple[str, tuple[list[str], list[list[str]]] | str]] = [
            ("Machine", (["", ""], [list(r) for r in machine()])),
            (
                "Targets",
                (
                    ["target", "goal", "measured", "status"],
                    [[t.what, t.goal, t.measured, _status(t.met)] for t in self.targets()],
                ),
            ),
            ("Inputs", self.inputs_rows()),
            ("Load", self.load_rows()),
            ("Cold start", self.cold_rows()),
            ("Validate", self.validate_rows()),
        ]
        for n in self.bench.sizes:
            sections.append(
                (
                    f"Queries at N={n} ({self.template.triples(n):,} triples), median per run",
                    self.query_rows(n),
                )
            )
        sections += [
            ("Queries as whole processes", self.process_query_rows()),
            ("Growth", self.growth_rows()),
            ("Cross-engine result check", self.check_summary()),
            ("Answers that differ between engines", self.check_rows()),
            ("Input hashes", self.hash_rows()),
        ]
        return sections

    def markdown(self) -> str:
        def table(header: list[str], rows: list[list[str]]) -> str:
            def esc(s: str) -> str:
                return s.replace("|", "\\|")

            lines = ["| " + " | ".join(esc(h) for h in header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
            return "\n".join(lines)

        parts = [
            "# EXOP benchmarks",
            "",
            f"Generated by `{self.command}`{'' if self.bench.quick else ' (`make bench`)'} on "
            f"{datetime.date.today().isoformat()}, in {self.elapsed / 60:.1f} min"
            f"{QUICK_NOTE if self.bench.quick else ''}.",
            "Targets are printed as met or not; no test asserts them.",
            "",
            "## Method",
            "",
            *[f"- {m}" for m in self.method()],
            "",
        ]
        for title, body in self._sections():
            parts += [f"## {title}", ""]
            if isinstance(body, str):
                parts += [body, ""]
            elif body[1]:
                parts += [table(*body), ""]
            else:
                parts += ["(none)", ""]
        return "\n".join(parts)

    def print(self) -> None:
        from rich.console import Console
        from rich.table import Table

        console = Console(stderr=True)
        for title, body in self._sections():
            if isinstance(body, str):
                console.print(f"[bold]{title}[/bold]: {body}")
                continue
            header, rows = body
            if not rows:
                continue
            table = Table(title=title, show_lines=False)
            for h in header:
                table.add_column(h, overflow="fold")
            for r in rows:
                table.add_row(*r)
            console.print(table)
        console.print(f"total {self.elapsed / 60:.1f} min")


def _short(figure: Figure | None) -> str:
    if figure is None:
        return "-"
    if figure.timing is None:
        return figure.status[:60] or "-"
    return human_seconds(figure.timing.median)
