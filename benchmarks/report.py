"""Turn measured figures into tables (rich on the terminal, Markdown for docs/)."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.stats import growth_exponent, human_seconds

if TYPE_CHECKING:
    from benchmarks.generator import Template
    from benchmarks.run import Bench, Figure

MIN_FIT_S = 0.005
"""Queries faster than this at every size get no growth exponent (timer noise dominates)."""
QUICK_NOTE = " (QUICK RUN: fewer sizes and runs, not for quoting)"
LIBRARIES = ("exop", "rdflib", "pyoxigraph", "oxigraph", "pyshacl", "pyrudof", "owlready2")


def cell(figure: Figure) -> str:
    """The median (min-max) of a figure, or why it has none."""
    if figure.timing is None:
        return figure.status or "-"
    t = figure.timing
    return f"{human_seconds(t.median)} ({human_seconds(t.min)}-{human_seconds(t.max)})"


def median(figure: Figure) -> float:
    """The median of a figure that was timed."""
    assert figure.timing is not None, f"{figure.key} was not timed"
    return figure.timing.median


def machine() -> list[tuple[str, str]]:
    """Cores, memory, OS, Python, library and tool versions."""
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
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    rows.append(("java", (java.stderr.splitlines() or ["?"])[0]))
    try:
        load = os.getloadavg()
        rows.append(("load average at end", " ".join(f"{x:.2f}" for x in load)))
    except OSError:
        pass
    return rows


@dataclass
class Target:
    what: str
    goal: str
    measured: str
    met: bool | None


@dataclass
class Report:
    bench: Bench
    template: Template
    elapsed: float
    quick: bool
    query_cap: float
    command: str

    # -- derived ------------------------------------------------------------------------------

    def operations(self) -> list[tuple[str, str, str]]:
        seen: dict[tuple[str, str, str], None] = {}
        for f in self.bench.figures:
            if f.group != "query":
                seen[(f.group, f.operation, f.engine)] = None
        return list(seen)

    def figure(
        self, group: str, operation: str, engine: str, n: int, query: str = ""
    ) -> Figure | None:
        for f in self.bench.figures:
            if (f.group, f.operation, f.engine, f.n, f.query) == (
                group,
                operation,
                engine,
                n,
                query,
            ):
                return f
        return None

    def exponent(self, figures: list[Figure]) -> float | None:
        timed = [f for f in figures if f.timing is not None]
        return growth_exponent([f.triples for f in timed], [median(f) for f in timed])

    def query_engines(self) -> list[str]:
        return list(dict.fromkeys(f.engine for f in self.bench.figures if f.group == "query"))

    def query_ids(self) -> list[str]:
        return list(dict.fromkeys(f.query for f in self.bench.figures if f.group == "query"))

    def query_summary(self, engine: str, n: int) -> str:
        figs = [
            f for f in self.bench.figures if f.group == "query" and f.engine == engine and f.n == n
        ]
        timed = [f for f in figs if f.timing is not None]
        if not timed:
            return next((f.status for f in figs if f.status), "-")
        worst = max(timed, key=median)
        timeouts = sum(1 for f in figs if f.status == "timeout")
        text = (
            f"{len(timed)} queries: median "
            f"{human_seconds(statistics.median(median(f) for f in timed))}"
            f", max {human_seconds(median(worst))} ({worst.query})"
        )
        return text + (f", {timeouts} timeouts (> {self.query_cap:g} s)" if timeouts else "")

    def query_exponents(self, engine: str) -> dict[str, float]:
        out = {}
        for qid in self.query_ids():
            figs = [
                f
                for f in self.bench.figures
                if f.group == "query" and f.engine == engine and f.query == qid
            ]
            timed = [f.timing.median for f in figs if f.timing is not None]
            e = self.exponent(figs) if timed and max(timed) >= MIN_FIT_S else None
            if e is not None:
                out[qid] = e
        return out

    def targets(self) -> list[Target]:
        return [
            *self._query_targets(),
            *self._cold_start_targets(),
            *self._validate_targets(),
            *self._load_targets(),
            *self._exponent_targets(),
        ]

    def _query_targets(self) -> list[Target]:
        largest = self.bench.sizes[-1]
        out: list[Target] = []
        emb = "oxigraph (embedded)"
        for n, limit in ((1, 0.05), (largest, 1.0)):
            figs = [
                f
                for f in self.bench.figures
                if f.group == "query" and f.engine == emb and f.n == n and f.timing
            ]
            if figs:
                worst = max(figs, key=median)
                out.append(
                    Target(
                        f"every packaged query, embedded, N={n}",
                        f"≤ {human_seconds(limit)}",
                        f"worst {worst.query}: {human_seconds(median(worst))}",
                        median(worst) <= limit,
                    )
                )
        return out

    def _cold_start_targets(self) -> list[Target]:
        cold = self.figure("cold start", "exop query table-1", "process", 1)
        floor = self.figure("cold start", 'python -c "import rdflib, pyoxigraph"', "process", 1)
        if not (cold and floor and cold.timing and floor.timing):
            return []
        ratio = cold.timing.median / floor.timing.median
        return [
            Target(
                "cold `exop query table-1` / import floor",
                "≤ 1.5x",
                f"{ratio:.2f}x ({human_seconds(cold.timing.median)} vs "
                f"{human_seconds(floor.timing.median)})",
                ratio <= 1.5,
            )
        ]

    def _validate_targets(self) -> list[Target]:
        out: list[Target] = []
        val = self.figure("validate", "SHACL validate", "pySHACL", 1)
        if val and val.timing:
            out.append(
                Target(
                    "`exop validate` of the package (pySHACL)",
                    "≤ 2 s",
                    human_seconds(val.timing.median),
                    val.timing.median <= 2,
                )
            )
        largest = self.bench.sizes[-1]
        big = self.figure("validate", "SHACL validate", "pySHACL", largest)
        jena = self.figure("validate", "SHACL validate", "Jena shacl", largest)
        if not (jena and jena.timing):
            return out
        if big and big.timing:
            out.append(
                Target(
                    f"`exop validate` at N={largest} vs Jena shacl",
                    "≤ Jena",
                    f"{human_seconds(big.timing.median)} vs {human_seconds(jena.timing.median)}",
                    big.timing.median <= jena.timing.median,
                )
            )
            return out
        pys = [
            f
            for f in self.bench.figures
            if f.key == "validate/SHACL validate/pySHACL/" and f.timing
        ]
        e = self.exponent(pys) or 1.0
        if pys:
            last = max(pys, key=lambda f: f.triples)
            guess = median(last) * (self.template.triples(largest) / last.triples) ** e
            out.append(
                Target(
                    f"`exop validate` at N={largest} vs Jena shacl",
                    "≤ Jena",
                    f"pySHACL not run there ({big.status if big else 'capped'}); "
                    f"extrapolated ~{human_seconds(guess)} "
                    f"vs Jena {human_seconds(jena.timing.median)}",
                    guess <= jena.timing.median,
                )
            )
        return out

    def _load_targets(self) -> list[Target]:
        largest = self.bench.sizes[-1]
        out: list[Target] = []
        for engine in ("pyoxigraph", "rdflib"):
            loads = [
                f
                for f in self.bench.figures
                if f.group == "load" and f.engine == engine and f.timing
            ]
            if loads:
                last = max(loads, key=lambda f: f.n)
                rate = last.triples / median(last)
                out.append(
                    Target(
                        f"load ({engine}) at largest size run, N={last.n}",
                        "≥ 200k triples/s",
                        f"{rate / 1000:.0f}k triples/s",
                        rate >= 200_000 if last.n == largest else None,
                    )
                )
        return out

    def _exponent_targets(self) -> list[Target]:
        worst_e: tuple[str, float] | None = None
        for group, operation, engine in self.operations():
            e = self.exponent(
                [
                    f
                    for f in self.bench.figures
                    if (f.group, f.operation, f.engine) == (group, operation, engine)
                ]
            )
            if e is not None and (worst_e is None or e > worst_e[1]):
                worst_e = (f"{operation} ({engine})", e)
        for engine in self.query_engines():
            for qid, exponent in self.query_exponents(engine).items():
                if worst_e is None or exponent > worst_e[1]:
                    worst_e = (f"{qid} ({engine})", exponent)
        if not worst_e:
            return []
        return [
            Target(
                "growth exponents (all operations and queries)",
                "≤ 1.1",
                f"worst {worst_e[0]}: {worst_e[1]:.2f}",
                worst_e[1] <= 1.1,
            )
        ]

    # -- rendering ---------------------------------------------------------------------------

    def _main_rows(self) -> tuple[list[str], list[list[str]]]:
        header = (
            ["group", "operation", "engine"]
            + [f"N={n} ({self.template.triples(n):,} triples)" for n in self.bench.sizes]
            + ["growth exp."]
        )
        rows = []
        for group, operation, engine in self.operations():
            figs = [self.figure(group, operation, engine, n) for n in self.bench.sizes]
            cells = []
            for f in figs:
                text = "-" if f is None else cell(f)
                if f is not None and f.note and f.timing is not None:
                    text += f"; {f.note}"
                cells.append(text)
            e = self.exponent([f for f in figs if f is not None])
            rows.append([group, operation, engine, *cells, "-" if e is None else f"{e:.2f}"])
        for engine in self.query_engines():
            exps = self.query_exponents(engine)
            worst = max(exps.items(), key=lambda kv: kv[1]) if exps else None
            rows.append(
                [
                    "query",
                    "all packaged queries",
                    engine,
                    *[self.query_summary(engine, n) for n in self.bench.sizes],
                    f"median {statistics.median(exps.values()):.2f}, "
                    f"max {worst[1]:.2f} ({worst[0]})"
                    if worst
                    else "-",
                ]
            )
        return header, rows

    def _query_rows(self) -> tuple[list[str], list[list[str]]]:
        engines = self.query_engines()
        header = (
            ["query"]
            + [f"{e} N={n}" for e in engines for n in self.bench.sizes]
            + [f"exp. {e}" for e in engines]
        )
        rows = []
        for qid in self.query_ids():
            row = [qid]
            for e in engines:
                for n in self.bench.sizes:
                    f = self.figure("query", "packaged query", e, n, qid)
                    row.append(
                        "-"
                        if f is None
                        else (human_seconds(f.timing.median) + (f" ({f.note})" if f.note else ""))
                        if f.timing
                        else f.status
                    )
            for e in engines:
                x = self.query_exponents(e).get(qid)
                row.append("-" if x is None else f"{x:.2f}")
            rows.append(row)
        return header, rows

    def _method(self) -> list[str]:
        b, t = self.bench, self.template
        caps = ", ".join(f"{k} N ≤ {v}" for k, v in b.caps.items() if v < 10**6)
        budgets = ", ".join(f"{k} {v:g} s" for k, v in b.budgets.items()) or "none"
        return [
            f"Each figure: median (min-max) of {b.runs} timed runs after {b.warmup} "
            "warm-up run(s), wall clock.",
            f"Inputs: size N = the package ({t.base_triples:,} triples: ontology, imports, "
            "data) plus N - 1 "
            f"replicas of its findings layer ({len(t.nodes)} findings, preparations, "
            "systems and treatments; "
            f"{t.replica_triples:,} triples each) with fresh IRIs (`-r<k>`), "
            "generated by benchmarks/generator.py.",
            "Load: a fresh child process per engine and size parses the N-Triples file "
            "with the Turtle parser "
            "(rdflib `Graph.parse`, pyoxigraph `Store.bulk_load`); peak memory = "
            "high-water RSS minus RSS before the first parse.",
            "Validate: pySHACL = `exop validate FILE` in-process "
            "(`exop.validation.validate_files`: parse + validate "
            "the data against the packaged shapes, ontology as ont_graph); pyrudof and "
            "Jena read ontology + data + shapes from files.",
            "Queries: every packaged query with its default parameters via "
            "`exop.engines.run_query`; rdflib's engine runs "
            f"in a forked child, a run over {self.query_cap:g} s is a timeout; the server "
            "is `oxigraph serve` on a loopback "
            "port, loaded by HTTP PUT to /store.",
            f"Caps (slow engines): {caps}; also a size is skipped when its predicted time "
            "for all runs (the largest size measured so far scaled by the triples ratio to "
            "the power of the growth exponent fitted so far, at least 1) exceeds the "
            f"figure's budget ({budgets}; others {b.figure_budget:g} s).",
            "Growth exponent: least-squares slope of log(median time) vs log(triples) "
            "over the sizes measured "
            f"(not fitted for queries under {human_seconds(MIN_FIT_S)} at every size).",
            *b.notes,
        ]

    def markdown(self) -> str:
        def table(header: list[str], rows: list[list[str]]) -> str:
            def esc(s: str) -> str:
                return s.replace("|", "\\|")

            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
            return "\n".join(lines)

        parts = [
            "# EXOP benchmarks",
            "",
            f"Generated by `{self.command}` (`make bench`) on "
            f"{datetime.date.today().isoformat()}, "
            f"in {self.elapsed / 60:.1f} min{QUICK_NOTE if self.quick else ''}.",
            "The machine was shared with other work, so treat single figures as noisy.",
            "",
            "## Machine",
            "",
            table(["", ""], [[a, b] for a, b in machine()]),
            "",
            "## Method",
            "",
            *[f"- {m}" for m in self._method()],
            "",
            "## Targets",
            "",
            table(
                ["target", "goal", "measured", "status"],
                [
                    [
                        t.what,
                        t.goal,
                        t.measured,
                        "n/a" if t.met is None else ("met" if t.met else "NOT MET"),
                    ]
                    for t in self.targets()
                ],
            ),
            "",
            "## Results",
            "",
            table(*self._main_rows()),
            "",
            "## Packaged queries (median per run)",
            "",
            table(*self._query_rows()),
            "",
        ]
        return "\n".join(parts)

    def print(self) -> None:
        from rich.console import Console
        from rich.table import Table

        console = Console()

        def show(title: str, header: list[str], rows: list[list[str]]) -> None:
            table = Table(title=title, show_lines=True)
            for h in header:
                table.add_column(h, overflow="fold")
            for r in rows:
                table.add_row(*r)
            console.print(table)

        show("Machine", ["", ""], [list(r) for r in machine()])
        show("EXOP benchmarks" + (" (quick)" if self.quick else ""), *self._main_rows())
        show("Packaged queries", *self._query_rows())
        show(
            "Targets",
            ["target", "goal", "measured", "status"],
            [
                [
                    t.what,
                    t.goal,
                    t.measured,
                    "n/a" if t.met is None else ("[green]met" if t.met else "[red]NOT MET"),
                ]
                for t in self.targets()
            ],
        )
        for m in self._method():
            console.print(f"• {m}")
        console.print(f"total {self.elapsed / 60:.1f} min")
