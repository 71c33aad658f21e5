"""The ``exop`` command: each command calls one library function and renders its result.

Exit codes: 0 ok; 1 the data or query said no (does not conform, inconsistent, ASK false,
files not canonical); 2 could not run (bad input, unknown query or parameter, endpoint
failure, missing Java). Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from exop.errors import ExopError

OK, NO, CANNOT = 0, 1, 2
RESULT_FORMATS = ("table", "csv", "tsv", "json")
"""What ``--format`` of ``query``/``sparql`` offers for SELECT and ASK answers."""
GRAPH_FORMATS = ("turtle", "nt", "jsonld", "xml")
"""What it offers, besides the tables, for CONSTRUCT and DESCRIBE answers."""
EXPORT_FORMATS = ("turtle", "nt", "xml", "jsonld", "trig", "nquads")
"""The export formats offered as choices (exop.exporters has them all; others are added
to the registry and reach ``--format`` through :func:`_export_formats`)."""

# How each face names the library's option and parameter fields in its hints.
_OPTION_FLAGS = {"timeout": "--timeout", "default_graph": "--graph", "user": "--user",
                 "password": "--user", "engine": "--engine"}


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
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
def info(output_format: str) -> int:
    """Version, ontology IRIs, triple counts and counts of findings, references, queries."""
    from exop.info import package_info

    with _progress("Reading the package…"):
        summary = package_info()
    if output_format == "json":
        from exop import documents

        _emit(_json(documents.info(summary)))
        return OK
    from rich.table import Table

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


def _json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "turtle"]), default="text"
)
@click.option("--rdf-format", help="Parser for FILES (default: from each file's suffix).")
# >>> VALIDATION ENGINES: --engine (names from exop.validation.engines) >>>
@click.option(
    "--engine",
    type=click.Choice(["auto", "pyshacl", "pyrudof", "jena"]),
    default="auto",
    show_default=True,
    help="Engine that decides conformance (auto: by size); the report is always pySHACL's.",
)
def validate(
    files: tuple[Path, ...], output_format: str, rdf_format: str | None, engine: str
) -> int:
    """Validate the packaged data, or FILES, against the packaged SHACL shapes."""
    from exop.validation import plan, validate_files
    from exop.validation import validate as validate_data

    message = "Validating with SHACL…"
    if sys.stderr.isatty():
        about = plan(files, engine=engine)
        message = (f"Validating about {about.triples:,} triples ({about.bytes / 1e6:.1f} MB) "
                   f"with {about.engine}; rough estimate {about.seconds:.0f} s…")
    with _progress(message):
        report = (
            validate_files(files, rdf_format, engine=engine)
            if files
            else validate_data(engine=engine)
        )
# <<< VALIDATION ENGINES <<<
    if output_format == "json":
        from exop import documents

        _emit(_json(documents.validation(report)))
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


def _short(value: str) -> str:
    """An IRI as the CURIE users type (other values as they are)."""
    from exop.namespaces import compress

    return compress(value) if "://" in value else value


def _query_details(query: Any) -> str:
    """What one query asks, takes and says, for people."""
    lines = [f"{query.id}: {query.summary}"]
    if query.description:
        lines += ["", query.description]
    lines += ["", f"form: {query.form}", "parameters:" if query.parameters else "parameters: none"]
    for p in query.parameters:
        kind = "IRI or CURIE" if p.kind == "iri" else (p.datatype or p.kind).rsplit("#", 1)[-1]
        facts = [kind, "required" if p.required and p.default is None else "optional"]
        if p.default is not None:
            facts.append(f"default {_short(p.default)}")
        if p.example is not None:
            facts.append(f"e.g. -p {p.name}={_short(p.example)}")
        if p.enum:
            facts.append("one of " + ", ".join(p.enum))
        lines.append(f"  {p.name}: " + "; ".join(facts))
    lines += ["", "query text:", query.text.rstrip()]
    return "\n".join(lines) + "\n"


@cli.command()
@click.argument("query_id", required=False)
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
def queries(query_id: str | None, output_format: str) -> int:
    """List the packaged queries, or describe QUERY_ID: parameters, defaults, examples, text."""
    from exop.catalog import get_query, list_queries

    if query_id is not None:
        one = get_query(query_id)
        if output_format == "json":
            from exop import documents

            _emit(_json(documents.query(one, text=True)))
        else:
            _emit(_query_details(one))
        return OK
    catalogue = list_queries()
    if output_format == "json":
        from exop import documents

        _emit(_json(documents.catalogue(catalogue)))
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


def _heading(variable: str) -> str:
    """A column heading in words: ``exosomeSource`` and ``Exosome_source`` -> "exosome source"."""
    import re

    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", variable).replace("_", " ")
    return spaced.strip().lower() or variable


TABLE_ROW_LIMIT = 10_000
"""Rows a terminal table shows at most (without --max-rows): longer answers are no table."""
LAID_OUT_TABLE_ROWS = 2_000
"""Above this many rows a table is written line by line with fixed widths (rich lays out
the whole table first: 451 s and 2.4 GiB for a million rows)."""


def _render_table(result: Any, title: str) -> int:
    from exop.results import cell, tabular

    if result.kind == "ask":
        _emit("yes\n" if result.boolean else "no\n")
        return OK if result.boolean else NO
    variables, rows = tabular(result)
    caption = f"{len(rows)} rows; --format csv, tsv or json gives full IRIs and values"
    if len(rows) > LAID_OUT_TABLE_ROWS:
        from exop.results import write_plain_table

        width = shutil.get_terminal_size((200, 24)).columns if sys.stdout.isatty() else 200
        sys.stdout.write(f"{title}\n")
        write_plain_table([_heading(v) for v in variables],
                          ([cell(term) for term in row] for row in rows), sys.stdout,
                          width=width)
        sys.stdout.write(f"{caption}\n")
        return OK
    from rich.table import Table

    table = Table(title=title, caption=caption, show_lines=False)
    for variable in variables:
        table.add_column(_heading(variable), overflow="fold")
    for row in rows:
        table.add_row(*(cell(term) for term in row))
    _console().print(table)
    return OK


def _write_answer(engine: Any, query: Any, bindings: Any, output_format: str,
                  max_rows: int | None) -> Any:
    from exop import formats
    from exop.answers import write_answer

    fmt = formats.get(output_format, kinds=("results", "rdf"))
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # stdout replaced by a text stream (as embedding programs do)
        captured = io.BytesIO()
        written = write_answer(engine, query.query_text, bindings, fmt, captured,
                               max_rows=max_rows)
        sys.stdout.write(captured.getvalue().decode("utf-8"))
        return written
    written = write_answer(engine, query.query_text, bindings, fmt, binary, max_rows=max_rows)
    binary.flush()
    return written


def _engine_options(func: Any) -> Any:
    from exop.engines import local_engine_names

    options = [
        click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
                     help="A query parameter (repeatable)."),
        click.option("--format", "output_format",
                     type=click.Choice((*RESULT_FORMATS, "xml-results", *GRAPH_FORMATS)),
                     default="table", show_default=True,
                     help="Tables for any answer; RDF formats for CONSTRUCT/DESCRIBE."),
        click.option("--endpoint", metavar="URL",
                     help="Run on this SPARQL 1.1 endpoint instead of an embedded engine."),
        click.option("--engine", type=click.Choice(local_engine_names()), default=None,
                     help="Embedded engine [default: oxigraph]; not with --endpoint."),
        click.option("--graph", "default_graph", metavar="IRI",
                     help="With --endpoint: query this named graph as the default graph."),
        click.option("--timeout", type=float, default=None,
                     help="With --endpoint: seconds the whole request may take [default: 30]."),
        click.option("--user", default=None,
                     help="With --endpoint: user for HTTP authentication (the password is "
                          "read from EXOP_ENDPOINT_PASSWORD, or asked for)."),
        click.option("--max-rows", type=click.IntRange(min=0), default=None,
                     help="Fail, writing nothing, when the answer has more rows "
                          f"[default: none; {TABLE_ROW_LIMIT} for tables]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _password(user: str | None) -> str | None:
    if user is None:
        return None
    password = os.environ.get("EXOP_ENDPOINT_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise click.UsageError("--user needs a password: set EXOP_ENDPOINT_PASSWORD")
        password = click.prompt(f"password for {user}", hide_input=True, err=True)
    return str(password)


def _make_engine(options: dict[str, Any]) -> Any:
    import dataclasses

    from exop.engines import EngineOptions, check_options, make_engine

    if options["endpoint"] and options["engine"]:
        raise click.UsageError("--engine chooses an embedded engine; it does not go with "
                               "--endpoint")
    name = options["endpoint"] or options["engine"] or "oxigraph"
    engine_options = EngineOptions(
        timeout=options["timeout"], default_graph=options["default_graph"], user=options["user"]
    )
    check_options(name, engine_options)  # before asking for a password it would not use
    password = _password(options["user"])
    return make_engine(name, dataclasses.replace(engine_options, password=password))


def _run(query: Any, options: dict[str, Any]) -> int:
    from exop.binding import bind
    from exop.engines import run_query

    engine = _make_engine(options)
    bound = bind(query, _parse_parameters(options["params"]))
    for parameter in bound.defaults_used:
        click.echo(f"exop: {parameter.name} not given: using its default "
                   f"{parameter.name}={_short(str(parameter.default))}", err=True)
    max_rows = options["max_rows"]
    if options["output_format"] == "table":
        with _progress(f"Running {query.id}…"):
            result = run_query(query.query_text, engine, bound.bindings)
        if max_rows is not None and len(result.rows) > max_rows:
            raise click.UsageError(f"the answer has more than {max_rows} rows")
        if max_rows is None and len(result.rows) > TABLE_ROW_LIMIT:
            raise click.UsageError(
                f"the answer has {len(result.rows)} rows, more than a table shows "
                f"({TABLE_ROW_LIMIT}): use --format csv, tsv or json (streamed), "
                "or --max-rows N for a longer table")
        kind, rows, boolean = result.kind, len(result.rows), result.boolean
        code = _render_table(result, query.summary or query.id)
    else:
        written = _write_answer(engine, query, bound.bindings, options["output_format"],
                                max_rows)
        kind, rows, boolean = written.kind, written.rows, written.boolean
        code = NO if kind == "ask" and not boolean else OK
    if options["endpoint"] and not options["default_graph"] and kind == "select" and rows == 0:
        from exop.namespaces import DEFAULT_GRAPH_IRI

        click.echo(f"exop: 0 rows from the endpoint's default graph; `exop load` puts the "
                   f"package in the named graph <{DEFAULT_GRAPH_IRI}>: add --graph "
                   f"{DEFAULT_GRAPH_IRI} to query it", err=True)
    return code


@cli.command(add_help_option=False)
@click.argument("query_id", required=False)
@_engine_options
@click.option("-h", "--help", "show_help", is_flag=True,
              help="Show this message (and QUERY_ID's own) and exit.")
@click.pass_context
def query(ctx: click.Context, /, query_id: str | None, show_help: bool,
          **options: Any) -> int:
    """Run packaged query QUERY_ID (`exop queries QUERY_ID` describes it)."""
    from exop.catalog import get_query

    if show_help:
        click.echo(ctx.get_help())
        if query_id is not None:
            click.echo("\n" + _query_details(get_query(query_id)), nl=False)
        return OK
    if query_id is None:
        raise click.UsageError("Missing argument 'QUERY_ID' (`exop queries` lists them)")
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
        try:
            text, name = file.read_text(encoding="utf-8"), file.stem
        except UnicodeDecodeError as error:
            raise ExopError(f"{file}: not UTF-8 text (byte {error.start}): a SPARQL query "
                            "file is UTF-8") from None
        except OSError as error:
            raise ExopError(f"{file}: cannot read: {error.strerror}") from None
    return _run(parse_query(text, name, None if str(file) == "-" else file), options)


# -- search ----------------------------------------------------------------------------------


@cli.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["table", "json", "tsv"]),
              default="table", show_default=True)
@click.option("--limit", type=click.IntRange(1, 10_000), default=25, show_default=True)
def search_command(text: tuple[str, ...], output_format: str, limit: int) -> int:
    """Find IRIs and CURIEs by label or synonym (minted and imported terms, individuals)."""
    from exop.search import search

    hits = search(" ".join(text), limit=limit)
    if output_format == "json":
        _emit(_json([{"iri": h.iri, "curie": h.curie, "label": h.label, "matched": h.matched,
                      "types": list(h.types), "minted": h.minted} for h in hits]))
    elif output_format == "tsv":
        lines = ["curie\tlabel\tmatched\ttypes\tiri"]
        lines += [f"{h.curie}\t{h.label}\t{h.matched}\t{' '.join(h.types)}\t{h.iri}"
                  for h in hits]
        _emit("\n".join(lines) + "\n")
    else:
        from rich.table import Table

        table = Table(title=f"{len(hits)} matches for {' '.join(text)!r}")
        for column in ("CURIE", "label", "matched", "types"):
            table.add_column(column, overflow="fold")
        for h in hits:
            table.add_row(h.curie, h.label, h.matched if h.matched != h.label else "",
                          ", ".join(h.types))
        _console().print(table)
    return OK if hits else NO


# -- coverage --------------------------------------------------------------------------------


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
@click.argument("review", metavar="[REVIEW_TXT]", type=click.Path(path_type=Path), required=False)
@click.option("--uncovered", "only_uncovered", is_flag=True,
              help="List only the sentences that no finding rests on.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "tsv"]),
              default="table", show_default=True)
def coverage_command(review: Path | None, only_uncovered: bool, output_format: str) -> int:
    """List each sentence of the review (REVIEW_TXT) with the findings that rest on it.

    Without REVIEW_TXT, the packaged copy of the review's text is read.

    Covers the body, the abstract and the core tip. Exit 1 when a sentence has no finding
    and is not in the packaged list of non-factual sentences, or a finding's evidence quote
    matches no sentence.
    """
    from exop import documents
    from exop.coverage import coverage, non_factual_sentences, read_review
    from exop.errors import TextInputError
    from exop.package import default_package
    from exop.resources import REVIEW_FILE

    review = REVIEW_FILE if review is None else review
    text = read_review(review)
    with _progress("Matching evidence quotes to sentences…"):
        try:
            report = coverage(text, default_package().data, include_front_matter=True)
        except TextInputError as error:
            raise TextInputError(f"{review}: {error}") from None
    known = non_factual_sentences()
    summary = documents.coverage_summary(report, known)
    rows = documents.coverage_rows(report, known, only_uncovered)
    if output_format == "json":
        _emit(_json(documents.coverage(report, known, only_uncovered)))
        click.echo(summary.text(), err=True)
    elif output_format == "tsv":
        lines = ["number\tsection\tkind\tstatus\tfindings\treason\ttext"]
        lines += [
            "\t".join((str(r["number"]), r["section"], r["kind"], r["status"],
                       " ".join(r["findings"]), r["reason"] or "", r["text"]))
            for r in rows
        ]
        _emit("\n".join(lines) + "\n")
        click.echo(summary.text(), err=True)
    else:
        _coverage_table(rows, summary.text())
    return OK if summary.complete else NO


# -- export, fmt, load -----------------------------------------------------------------------


def _export_formats() -> tuple[str, ...]:
    from exop.exporters import exporter_names

    return exporter_names()


@cli.command()
@click.option("--format", "rdf_format", metavar="FORMAT", default="turtle", show_default=True,
              help="One of: " + ", ".join(EXPORT_FORMATS) + ", or another registered exporter.")
@click.option("-o", "--output", type=click.Path(path_type=Path, allow_dash=True), required=True,
              help="File (or folder, for multi-file formats) to write, atomically; - for "
                   "standard output.")
def export(rdf_format: str, output: Path) -> int:
    """Write the package's ontology and data in one export format."""
    from exop.exporters import export as export_package

    with _progress(f"Writing {output}…"):
        result = export_package(output, rdf_format)
    size = f"{result.triples} triples" if result.triples is not None else f"{result.files} files"
    click.echo(f"wrote {size} to {result.path} ({result.format})", err=True)
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
@click.option("--user", default=None,
              help="User for HTTP basic/digest authentication (the password is read from "
                   "EXOP_ENDPOINT_PASSWORD, or asked for).")
@click.option("--graph-parameter", default="graph", show_default=True,
              help="Name of the graph URL parameter (Virtuoso also takes graph-uri).")
@click.option("--timeout", type=float, default=30.0, show_default=True,
              help="Seconds the whole upload may take.")
@click.option("--update-endpoint", "update_url", metavar="URL", default=None,
              help="The store's SPARQL Update endpoint: stage the upload in a graph of its "
                   "own and MOVE it onto --graph, so that concurrent loads cannot interleave.")
def load(endpoint: str, graph_iri: str | None, user: str | None,
         graph_parameter: str, timeout: float, update_url: str | None) -> int:
    """Replace one named graph of a remote store with the package (Graph Store PUT)."""
    from exop.endpoint import load_package_into
    from exop.http import Credentials
    from exop.namespaces import DEFAULT_GRAPH_IRI

    password = _password(user)
    credentials = Credentials(user, password or "") if user is not None else None
    with _progress(f"Loading into {endpoint}…"):
        result = load_package_into(
            endpoint,
            graph_iri or str(DEFAULT_GRAPH_IRI),
            timeout=timeout,
            credentials=credentials,
            parameter=graph_parameter,
            update_url=update_url,
        )
    click.echo(
        f"put {result.triples} triples into <{result.graph_iri}> at {result.store_url} "
        f"(HTTP {result.status})",
        err=True,
    )
    return OK


# >>> site: the static linked-data site (exop.site) >>>


@cli.command("site")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--review", "review_txt", type=click.Path(path_type=Path), default=None,
              help="The review's plain text, to show each quote in its paragraph "
                   "[default: the packaged copy, when there is one].")
def site_command(directory: Path, review_txt: Path | None) -> int:
    """Write the static site: a page and RDF slices per IRI, release files, VoID, 404."""
    from exop.site import SiteContext, build_site
    from exop.site.review import ReviewText

    with _progress(f"Building {directory}…"):
        review = ReviewText.read(review_txt) if review_txt is not None else None
        result = build_site(directory, SiteContext.from_package(review=review))
    click.echo(f"wrote {result.pages} pages per release tree, {result.files} files "
               f"({result.bytes} bytes) to {result.root}", err=True)
    return OK


# <<< site <<<


# >>> serve: the live server (exop.serve, needs the serve extra) >>>


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--endpoint", metavar="URL", default=None,
              help="Answer /sparql and /api from this SPARQL endpoint [default: embedded].")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a query may run (504 after).")
@click.option("--row-limit", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows or triples in one answer.")
@click.option("--allow-service", is_flag=True,
              help="Let queries use SERVICE (the server then fetches URLs clients name).")
def serve_command(host: str, port: int, endpoint: str | None, timeout: float, row_limit: int,
                  allow_service: bool) -> int:
    """Serve EXOP IRIs, /sparql, /api/<query> and /openapi.json over HTTP."""
    import logging

    try:
        import uvicorn

        from exop.serve import ServeOptions, create_app
    except ImportError as error:
        return _fail(f"exop serve needs the serve extra ({error.name} is missing): "
                     "pip install 'exop[serve]'")
    app = create_app(ServeOptions(endpoint=endpoint, timeout=timeout, row_limit=row_limit,
                                  allow_service=allow_service))
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    served = logging.getLogger("exop.serve")
    served.addHandler(handler)
    served.setLevel(logging.INFO)
    # Bounded: at most 64 connections at once (503 beyond), 16 KiB of request line and
    # headers, idle connections closed after 5 s; bodies and query time are bounded by the app.
    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning",
                            limit_concurrency=64, timeout_keep_alive=5,
                            h11_max_incomplete_event_size=16_384)
    server = uvicorn.Server(config)
    click.echo(f"exop serve: http://{host}:{port}/ (sparql, api, openapi.json)", err=True)
    try:
        server.run()
    except SystemExit:
        return _fail(f"cannot listen on {host}:{port}")
    return OK if server.started else _fail(f"cannot listen on {host}:{port}")


# <<< serve <<<


# -- entry point -----------------------------------------------------------------------------


def _fail(message: str) -> int:
    one_line = " ".join(str(message).split())
    click.echo(f"exop: error: {one_line}", err=True)
    return CANNOT


def _closed_stdout() -> int:
    """The reader went away (``exop query ... | head``): stop quietly, as Unix tools do."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 141  # 128 + SIGPIPE, what a shell reports for a writer killed by SIGPIPE


def _hint(error: ExopError) -> str:
    """How to put it right, in this face's words."""
    from exop.errors import ParameterError, QueryError, QueryNotFoundError

    if isinstance(error, QueryNotFoundError):
        return "`exop queries` lists them all"
    if isinstance(error, QueryError) and error.what == "update":
        return "`exop load` is the one command that writes to a store"
    if isinstance(error, ParameterError) and error.parameter and error.example:
        return f"e.g. -p {error.parameter}={error.example}"
    return ""


def _fail_with_hint(error: ExopError) -> int:
    from exop.errors import EngineOptionError

    if isinstance(error, EngineOptionError) and error.parameter in _OPTION_FLAGS:
        flag = _OPTION_FLAGS[error.parameter]
        return _fail(f"{flag} applies to a remote endpoint only: add --endpoint URL, "
                     f"or leave {flag} out for the embedded engine")
    hint = _hint(error)
    return _fail(f"{error} ({hint})" if hint else str(error))


def _os_failure(error: OSError) -> int:
    """An OSError that escaped the library: writing our own output failed."""
    if isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE:
        return _closed_stdout()
    return _fail(f"cannot write: {error.strerror or error}")


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
        return _fail_with_hint(error)
    except KeyboardInterrupt:
        return _fail("interrupted")
    except OSError as error:
        return _os_failure(error)
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
