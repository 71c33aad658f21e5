"""The ``exop`` command: each command calls one library function and renders its result.

Exit codes: 0 ok; 1 the data or query said no (does not conform, inconsistent, ASK false,
files not canonical); 2 could not run (bad input, unknown query or parameter, endpoint
failure, missing Java). Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from exop.errors import ExopError

OK, NO, CANNOT = 0, 1, 2
RESULT_FORMATS = ("table", "csv", "tsv", "json")


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else 200
    return Console(file=stream, width=width, soft_wrap=False, highlight=False)


@contextlib.contextmanager
def _progress(message: str) -> Iterator[None]:
    """A spinner on stderr while something slow runs (only on a terminal)."""
    if not sys.stderr.isatty():
        yield
        return
    with _console(stderr=True).status(message):
        yield


def _emit(text: str) -> None:
    """Write a complete rendering at once (nothing is printed before it is all ready)."""
    click.echo(text, nl=not text.endswith("\n"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="exop", prog_name="exop")
def cli() -> None:
    """EXOP: MSC-derived exosomes for osteoporosis treatment, as a semantic data package."""


# -- info ------------------------------------------------------------------------------------


@cli.command()
def info() -> int:
    """Version, ontology IRIs, triple counts and counts of findings, references, queries."""
    from rich.table import Table

    from exop.info import package_info

    with _progress("Reading the package…"):
        summary = package_info()
    table = Table(title=f"EXOP {summary.version}", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value")
    table.add_row("version", summary.version)
    table.add_row("ontology IRI", summary.ontology_iri)
    table.add_row("version IRI", summary.version_iri or "(none)")
    table.add_row("owl:versionInfo", summary.version_info or "(none)")
    for component in summary.components:
        table.add_row(
            f"{component.name} triples", f"{component.triples} ({component.files} files)"
        )
    table.add_row("findings", str(summary.findings))
    table.add_row("references", str(summary.references))
    table.add_row("queries", str(summary.queries))
    _console().print(table)
    return OK


# -- validate --------------------------------------------------------------------------------


def _report_text(report: Any) -> str:
    from exop.results import cell

    lines = [
        f"{'conforms' if report.conforms else 'does not conform'}: "
        f"{report.count('Violation')} violations, {report.count('Warning')} warnings, "
        f"{report.count('Info')} infos"
    ]
    for node, results in report.by_focus_node().items():
        lines.append("")
        lines.append(f"{cell(node)}")
        for r in results:
            where = f" {r.path}" if r.path else ""
            value = f" = {cell(r.value)}" if r.value is not None else ""
            lines.append(f"  [{r.severity}]{where}{value}: {r.message}")
            lines.append(f"      shape {cell(r.source_shape)} ({r.constraint})")
    return "\n".join(lines) + "\n"


def _report_json(report: Any) -> str:
    from exop.results import cell

    groups = [
        {
            "focus_node": str(node),
            "results": [
                {
                    "severity": r.severity,
                    "path": r.path,
                    "value": None if r.value is None else str(r.value),
                    "message": r.message,
                    "source_shape": cell(r.source_shape),
                    "constraint": r.constraint,
                }
                for r in results
            ],
        }
        for node, results in report.by_focus_node().items()
    ]
    document = {
        "conforms": report.conforms,
        "counts": {s: report.count(s) for s in ("Violation", "Warning", "Info")},
        "focus_nodes": groups,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "turtle"]), default="text"
)
@click.option("--rdf-format", help="Parser for FILES (default: from each file's suffix).")
def validate(files: tuple[Path, ...], output_format: str, rdf_format: str | None) -> int:
    """Validate the packaged data, or FILES, against the packaged SHACL shapes."""
    from exop.validation import validate as validate_data
    from exop.validation import validate_files

    with _progress("Validating with SHACL…"):
        report = validate_files(files, rdf_format) if files else validate_data()
    if output_format == "json":
        _emit(_report_json(report))
    elif output_format == "turtle":
        _emit(report.report_graph.serialize(format="turtle"))
    else:
        _emit(_report_text(report))
    return OK if report.conforms else NO


# -- reason ----------------------------------------------------------------------------------


@cli.command()
def reason() -> int:
    """Check consistency and unsatisfiable classes with the HermiT reasoner (needs Java)."""
    from exop.namespaces import compress
    from exop.reasoning import reason as run_reasoner

    with _progress("Reasoning with HermiT…"):
        result = run_reasoner()
    lines = [
        f"{result.reasoner}: {'consistent' if result.consistent else 'INCONSISTENT'}; "
        f"{len(result.unsatisfiable)} unsatisfiable classes "
        f"({result.triples} triples, {result.seconds:.1f} s)"
    ]
    lines += [f"  unsatisfiable: {compress(iri)}" for iri in result.unsatisfiable]
    _emit("\n".join(lines) + "\n")
    return OK if result.ok else NO


# -- queries, query, sparql ------------------------------------------------------------------


def _parameter_text(query: Any) -> str:
    parts = []
    for p in query.parameters:
        kind = "iri" if p.kind == "iri" else (p.datatype or p.kind).rsplit("#", 1)[-1]
        parts.append(f"{p.name}{'' if p.required else '?'} ({kind})")
    return ", ".join(parts)


@cli.command()
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
def queries(output_format: str) -> int:
    """List the packaged queries: id, summary and parameters."""
    from exop.catalog import list_queries

    catalogue = list_queries()
    if output_format == "json":
        document = [
            {
                "id": q.id,
                "summary": q.summary,
                "tags": list(q.tags),
                "form": q.form,
                "parameters": [
                    {
                        "name": p.name,
                        "kind": p.kind,
                        "datatype": p.datatype,
                        "lang": p.lang,
                        "required": p.required,
                        "default": p.default,
                        "example": p.example,
                    }
                    for p in q.parameters
                ],
            }
            for q in catalogue
        ]
        _emit(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return OK
    from rich.table import Table

    table = Table(title=f"{len(catalogue)} packaged queries")
    for column in ("id", "summary", "parameters"):
        table.add_column(column)
    for q in catalogue:
        table.add_row(q.id, q.summary, _parameter_text(q))
    _console().print(table)
    return OK


def _parse_parameters(pairs: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.UsageError(f"-p expects NAME=VALUE, got {pair!r}")
        values[name.strip()] = value
    return values


def _render_result(result: Any, output_format: str, title: str) -> int:
    from exop.results import FORMATTERS, cell, tabular

    if output_format in FORMATTERS:
        _emit(FORMATTERS[output_format](result))
    elif result.kind == "ask":
        _emit("yes\n" if result.boolean else "no\n")
    else:
        from rich.table import Table

        variables, rows = tabular(result)
        table = Table(title=title, caption=f"{len(rows)} rows", show_lines=False)
        for variable in variables:
            table.add_column(variable, overflow="fold")
        for row in rows:
            table.add_row(*(cell(term) for term in row))
        _console().print(table)
    return NO if result.kind == "ask" and not result.boolean else OK


def _engine_options(func: Any) -> Any:
    options = [
        click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
                     help="A query parameter (repeatable)."),
        click.option("--format", "output_format", type=click.Choice(RESULT_FORMATS),
                     default="table", show_default=True),
        click.option("--endpoint", metavar="URL",
                     help="Run on this SPARQL 1.1 endpoint instead of the embedded store."),
        click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph",
                     show_default=True, help="Embedded engine (ignored with --endpoint)."),
        click.option("--graph", "default_graph", metavar="IRI",
                     help="With --endpoint: query this named graph as the default graph."),
        click.option("--timeout", type=float, default=30.0, show_default=True,
                     help="Seconds to wait for --endpoint."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _run(query: Any, options: dict[str, Any]) -> int:
    from exop.binding import bind
    from exop.engines import run_query

    bound = bind(query, _parse_parameters(options["params"]))
    engine = options["endpoint"] or options["engine"]
    with _progress(f"Running {query.id}…"):
        result = run_query(
            bound.query.text,
            engine,
            bound.bindings,
            timeout=options["timeout"],
            default_graph=options["default_graph"],
        )
    return _render_result(result, options["output_format"], query.summary or query.id)


@cli.command()
@click.argument("query_id")
@_engine_options
def query(query_id: str, **options: Any) -> int:
    """Run packaged query QUERY_ID (see `exop queries`)."""
    from exop.catalog import get_query

    return _run(get_query(query_id), options)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
@_engine_options
def sparql(file: Path, **options: Any) -> int:
    """Run an ad-hoc SPARQL query from FILE (or - for standard input)."""
    from exop.catalog import parse_query

    if str(file) == "-":
        text, name = sys.stdin.read(), "stdin"
    else:
        if not file.exists():
            raise ExopError(f"{file}: no such file")
        if file.is_dir():
            raise ExopError(f"{file}: is a directory, not a query file")
        text, name = file.read_text(encoding="utf-8"), file.stem
    return _run(parse_query(text, name, None if str(file) == "-" else file), options)


# -- coverage --------------------------------------------------------------------------------


def _coverage_rows(report: Any, reasons: dict[tuple[str, str], str],
                   only_uncovered: bool) -> list[dict[str, Any]]:
    from exop.namespaces import EXOPD

    rows = []
    for number, item in enumerate(report.units, 1):
        unit = item.unit
        if only_uncovered and item.covered:
            continue
        reason = reasons.get((unit.section, unit.text))
        status = "covered" if item.covered else ("non-factual" if reason else "uncovered")
        rows.append({
            "number": number,
            "section": unit.section,
            "kind": unit.kind,
            "status": status,
            "findings": [f"exopd:{str(f).removeprefix(str(EXOPD))}" for f in item.findings],
            "reason": None if item.covered else reason,
            "text": unit.text,
        })
    return rows


def _coverage_summary(report: Any, unexplained: int, listed: int) -> str:
    uncovered = len(report.uncovered)
    text = f"{len(report.units)} units, {report.covered_count} covered, {uncovered} uncovered"
    if uncovered:
        text += f" ({listed} listed as non-factual, {unexplained} not)"
    if report.unmatched_findings:
        from exop.namespaces import EXOPD

        names = ", ".join(f"exopd:{str(f).removeprefix(str(EXOPD))}"
                          for f in report.unmatched_findings)
        text += f"; {len(report.unmatched_findings)} findings whose quote matches no sentence: "
        text += names
    return text


def _coverage_table(rows: list[dict[str, Any]], summary: str) -> None:
    from rich.table import Table

    table = Table(title="Sentences of the review and the findings that rest on them",
                  caption=summary, caption_justify="left")
    for column in ("#", "section", "sentence", "findings"):
        table.add_column(column, overflow="fold")
    for row in rows:
        if row["status"] == "covered":
            found = "\n".join(row["findings"])
        elif row["status"] == "non-factual":
            found = f"none (not a fact: {row['reason']})"
        else:
            found = "[bold]NONE: no finding rests on this sentence[/bold]"
        table.add_row(str(row["number"]), row["section"], row["text"], found)
    _console().print(table)


@cli.command("coverage")
@click.argument("review", metavar="REVIEW_TXT", type=click.Path(path_type=Path))
@click.option("--uncovered", "only_uncovered", is_flag=True,
              help="List only the sentences that no finding rests on.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "tsv"]),
              default="table", show_default=True)
def coverage_command(review: Path, only_uncovered: bool, output_format: str) -> int:
    """List each sentence of the review (REVIEW_TXT) with the findings that rest on it.

    Covers the body, the abstract and the core tip. Exit 1 when a sentence has no finding
    and is not in the packaged list of non-factual sentences, or a finding's evidence quote
    matches no sentence.
    """
    from exop.coverage import coverage, non_factual_sentences, read_review
    from exop.errors import TextInputError
    from exop.graph import load_data

    text = read_review(review)
    with _progress("Matching evidence quotes to sentences…"):
        try:
            report = coverage(text, load_data(), include_front_matter=True)
        except TextInputError as error:
            raise TextInputError(f"{review}: {error}") from None
    known = non_factual_sentences()
    reasons = {(k.section, k.text): k.reason for k in known}
    unexplained = report.unexplained(known)
    listed = len(report.uncovered) - len(unexplained)
    rows = _coverage_rows(report, reasons, only_uncovered)
    summary = _coverage_summary(report, len(unexplained), listed)
    if output_format == "json":
        document = {
            "units": rows,
            "summary": {
                "units": len(report.units),
                "covered": report.covered_count,
                "uncovered": len(report.uncovered),
                "non_factual": listed,
                "unexplained": len(unexplained),
                "unmatched_findings": [str(f) for f in report.unmatched_findings],
            },
        }
        _emit(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        click.echo(summary, err=True)
    elif output_format == "tsv":
        lines = ["number\tsection\tkind\tstatus\tfindings\treason\ttext"]
        lines += [
            "\t".join((str(r["number"]), r["section"], r["kind"], r["status"],
                       " ".join(r["findings"]), r["reason"] or "", r["text"]))
            for r in rows
        ]
        _emit("\n".join(lines) + "\n")
        click.echo(summary, err=True)
    else:
        _coverage_table(rows, summary)
    return NO if unexplained or report.unmatched_findings else OK


# -- export, fmt, load -----------------------------------------------------------------------


@cli.command()
@click.option("--format", "rdf_format", type=click.Choice(["turtle", "nt", "xml", "jsonld"]),
              default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="File to write (atomically: a temporary file, then a rename).")
def export(rdf_format: str, output: Path) -> int:
    """Write the package's ontology and data in one RDF serialisation."""
    from exop.export import export as export_package

    with _progress(f"Writing {output}…"):
        result = export_package(output, rdf_format)
    click.echo(f"wrote {result.triples} triples to {result.path} ({result.format})", err=True)
    return OK


# >>> release: ODK-style release files >>>
@cli.command("release")
@click.argument("directory", type=click.Path(path_type=Path))
def release_command(directory: Path) -> int:
    """Write the release files (full, base, import module, data, package, catalog) to
    DIRECTORY."""
    from exop.release import release

    with _progress(f"Writing the release into {directory}…"):
        result = release(directory)
    for file in result.files:
        click.echo(f"{file.path}\t{file.format}\t{file.triples} triples\t{file.bytes} bytes")
    click.echo(f"EXOP {result.version} ({result.date}): {len(result.files)} files in "
               f"{result.directory}", err=True)
    return OK
# <<< release <<<


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Only report files that are not canonical.")
def fmt(files: tuple[Path, ...], check: bool) -> int:
    """Rewrite the committed RDF files (or FILES) in canonical longturtle form."""
    from exop.canonical import FIX_COMMAND, format_files

    result = format_files(files or None, check=check)
    if check and result.changed:
        names = ", ".join(str(p) for p in result.changed)
        click.echo(
            f"{len(result.changed)} of {len(result.checked)} RDF files are not canonical: "
            f"{names}; run `{FIX_COMMAND}` to fix",
            err=True,
        )
        return NO
    verb = "are canonical" if check else f"checked, {len(result.changed)} rewritten"
    click.echo(f"{len(result.checked)} RDF files {verb}", err=True)
    return OK


@cli.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL 1.1 Graph Store Protocol URL (e.g. http://host:7878/store).")
@click.option("--graph", "graph_iri", metavar="IRI", default=None,
              help="Named graph to replace [default: https://w3id.org/exop/graph].")
@click.option("--user", default=None, help="User for HTTP basic/digest authentication.")
@click.option("--password", envvar="EXOP_ENDPOINT_PASSWORD", default=None,
              help="Password (or set EXOP_ENDPOINT_PASSWORD).")
@click.option("--graph-parameter", default="graph", show_default=True,
              help="Name of the graph URL parameter (Virtuoso also takes graph-uri).")
@click.option("--timeout", type=float, default=30.0, show_default=True)
def load(endpoint: str, graph_iri: str | None, user: str | None, password: str | None,
         graph_parameter: str, timeout: float) -> int:
    """Replace one named graph of a remote store with the package (Graph Store PUT)."""
    from exop.endpoint import load_package_into
    from exop.namespaces import DEFAULT_GRAPH_IRI

    with _progress(f"Loading into {endpoint}…"):
        result = load_package_into(
            endpoint,
            graph_iri or str(DEFAULT_GRAPH_IRI),
            timeout=timeout,
            user=user,
            password=password,
            parameter=graph_parameter,
        )
    click.echo(
        f"put {result.triples} triples into <{result.graph_iri}> at {result.store_url} "
        f"(HTTP {result.status})",
        err=True,
    )
    return OK


# -- entry point -----------------------------------------------------------------------------


def _fail(message: str) -> int:
    one_line = " ".join(str(message).split())
    click.echo(f"exop: error: {one_line}", err=True)
    return CANNOT


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* and return its exit code (never raises)."""
    try:
        code = cli.main(args=list(argv) if argv is not None else None, prog_name="exop",
                        standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as error:
        return _fail(error.format_message())
    except click.exceptions.Abort:
        return _fail("aborted")
    except ExopError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except Exception as error:
        if os.environ.get("EXOP_DEBUG"):
            raise
        name = type(error).__name__
        return _fail(f"internal error ({name}): {error}; set EXOP_DEBUG=1 for details")
    return int(code) if isinstance(code, int) else OK


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())


if __name__ == "__main__":
    main()
