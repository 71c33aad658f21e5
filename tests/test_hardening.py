"""Hostile and broken input, class by class: one line, exit 2, no traceback, nothing changed.

Each class is a table of cases. The endpoint cases run against a loopback HTTP server that
answers each path with a scripted (and wrong) reply; the update cases also run against a
real Oxigraph server, whose triple count must not change.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from exop import engines
from exop.errors import QueryError
from test_cli_errors import assert_one_line_failure

from conftest import CliRunner
from servers import SparqlServer, count_triples

# -- read-only: updates are refused on every engine, before anything is sent ------------------

UPDATES = {
    "delete with a select subquery": (
        "DELETE { GRAPH <https://w3id.org/exop/graph> { ?s ?p ?o } } WHERE { GRAPH "
        "<https://w3id.org/exop/graph> { SELECT ?s ?p ?o WHERE { ?s ?p ?o } } }"
    ),
    "drop all": "DROP ALL",
    "drop after prefixes": (
        "PREFIX ex: <http://example.org/select#>\nBASE <http://example.org/>\n"
        "# SELECT * WHERE {}\nDROP SILENT GRAPH <https://w3id.org/exop/graph>"
    ),
    "insert data": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "clear lower case": "clear default",
    "with ... delete": "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "load": "LOAD <http://127.0.0.1:9/x.ttl>",
    "move": "MOVE GRAPH <urn:a> TO GRAPH <https://w3id.org/exop/graph>",
}


@pytest.mark.parametrize("text", UPDATES.values(), ids=UPDATES.keys())
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_updates_are_refused_by_embedded_engines(text: str, engine: str) -> None:
    with pytest.raises(QueryError, match="update"):
        engines.run_query(text, engine)


@pytest.mark.parametrize("text", UPDATES.values(), ids=UPDATES.keys())
def test_updates_never_reach_a_real_store(
    text: str, oxigraph_server: SparqlServer, tmp_path: Path, exop_cli: CliRunner
) -> None:
    before = count_triples(oxigraph_server.query_url, oxigraph_server.graph)
    update_url = oxigraph_server.query_url.rsplit("/", 1)[0] + "/update"
    query_file = tmp_path / "wipe.rq"
    query_file.write_text(text, encoding="utf-8")
    for url in (oxigraph_server.query_url, update_url):
        result = exop_cli("sparql", str(query_file), "--endpoint", url)
        assert_one_line_failure(result, ["update", "exop load"])
    assert count_triples(oxigraph_server.query_url, oxigraph_server.graph) == before > 0


# -- parameter values that once printed a traceback -------------------------------------------

DATE_QUERY = """\
#+ summary: findings of a review issued on a date (test query)
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?x WHERE { ?x dcterms:issued ?_day_xsd_date }
"""
BAD_VALUES = [
    ("findings-citing-reference", "number", value)
    for value in ("3.5", "", "1e3", '33"', "thirty", "-", "9" * 400 + "x")
] + [("DATE", "day", value) for value in ("2023-02-30x", "yesterday", "", "2023-13-01")]


@pytest.mark.parametrize(("query", "name", "value"), BAD_VALUES)
def test_ill_typed_values_are_one_line(
    query: str, name: str, value: str, tmp_path: Path, exop_cli: CliRunner
) -> None:
    if query == "DATE":
        path = tmp_path / "dated.rq"
        path.write_text(DATE_QUERY, encoding="utf-8")
        result = exop_cli("sparql", str(path), "-p", f"{name}={value}")
    else:
        result = exop_cli("query", query, "-p", f"{name}={value}")
    assert_one_line_failure(result, [name, "not a valid"])


def test_undecodable_query_file(tmp_path: Path, exop_cli: CliRunner) -> None:
    path = tmp_path / "latin1.rq"
    path.write_bytes("SELECT * WHERE { ?s ?p \"caf\xe9\" }".encode("latin-1"))
    assert_one_line_failure(exop_cli("sparql", str(path)), ["latin1.rq", "UTF-8"])


@pytest.mark.parametrize("timeout", ["nan", "inf", "-1", "0"])
def test_impossible_timeouts(timeout: str, exop_cli: CliRunner) -> None:
    result = exop_cli("query", "table-1", "--endpoint", "http://127.0.0.1:9/sparql",
                      "--timeout", timeout)
    assert_one_line_failure(result, ["timeout"])


# -- endpoints that answer the wrong thing ----------------------------------------------------

SCRIPTS: dict[str, tuple[str, bytes]] = {
    "/array": ("application/sparql-results+json", b"[1,2,3]"),
    "/null": ("application/sparql-results+json", b"null"),
    "/boolean-for-select": ("application/sparql-results+json", b'{"boolean":"false"}'),
    "/string-boolean": ("application/sparql-results+json", b'{"head":{},"boolean":"false"}'),
    "/unknown-term": (
        "application/sparql-results+json",
        b'{"head":{"vars":["Ref"]},"results":{"bindings":[{"Ref":{"type":"quad","value":"x"}}]}}',
    ),
    "/binding-not-object": (
        "application/sparql-results+json",
        b'{"head":{"vars":["Ref"]},"results":{"bindings":[{"Ref":"x"}]}}',
    ),
    "/vars-not-list": ("application/sparql-results+json", b'{"head":{"vars":"Ref"}}'),
    "/html": ("text/html", b"<html><body>Welcome</body></html>"),
    "/not-utf8": ("application/sparql-results+json", b"\xff\xfe{}"),
}


class _ScriptedHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            for _ in range(40):  # one byte every 0.25 s: 10 s in all, unless cut off
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.25)
            return
        content_type, body = SCRIPTS[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def scripted_endpoint() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ScriptedHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("path", sorted(SCRIPTS))
def test_wrong_answers_are_one_line(path: str, scripted_endpoint: str,
                                    exop_cli: CliRunner) -> None:
    result = exop_cli("query", "table-1", "--endpoint", scripted_endpoint + path)
    assert_one_line_failure(result, [scripted_endpoint + path])


def test_the_timeout_is_a_deadline_for_the_whole_answer(scripted_endpoint: str,
                                                        exop_cli: CliRunner) -> None:
    started = time.monotonic()
    result = exop_cli("query", "table-1", "--endpoint", scripted_endpoint + "/drip",
                      "--timeout", "1.5")
    elapsed = time.monotonic() - started
    assert_one_line_failure(result, ["did not answer within 1.5 s"])
    assert elapsed < 6, f"a 1.5 s deadline held for {elapsed:.1f} s"


# -- finding one's way ------------------------------------------------------------------------


def test_search_finds_the_class_and_the_individual_first(exop_cli: CliRunner) -> None:
    result = exop_cli("search", "--format", "tsv", "osteoclast")
    assert result.code == 0
    rows = [line.split("\t") for line in result.out.splitlines()[1:]]
    assert {rows[0][0], rows[1][0]} == {"CL:0000092", "exopd:cell-osteoclast"}
    assert all("osteoclast" in row[2].lower() for row in rows)


def test_search_without_a_match_says_no(exop_cli: CliRunner) -> None:
    result = exop_cli("search", "--format", "json", "zz-no-such-thing-zz")
    assert (result.code, result.out.strip()) == (1, "[]")


def test_queries_id_describes_one_query(exop_cli: CliRunner) -> None:
    result = exop_cli("queries", "findings-by-cell-type")
    assert result.code == 0
    for words in ("celltype", "default CL:0000092", "e.g. -p celltype=", "query text:",
                  "SELECT"):
        assert words in result.out


def test_query_help_adds_the_query_s_own(exop_cli: CliRunner) -> None:
    own = exop_cli("query", "findings-by-cell-type", "--help")
    other = exop_cli("query", "table-1", "--help")
    assert own.code == other.code == 0
    assert own.out != other.out
    assert "celltype" in own.out and "celltype" not in other.out


def test_a_default_that_is_used_is_said(exop_cli: CliRunner) -> None:
    result = exop_cli("query", "findings-by-cell-type", "--format", "csv")
    assert result.code == 0
    assert "celltype not given: using its default celltype=CL:0000092" in result.err
    given = exop_cli("query", "findings-by-cell-type", "-p", "celltype=CL:0000092",
                     "--format", "csv")
    assert given.err == "" and given.out == result.out


def test_unknown_prefix_lists_the_known_ones(exop_cli: CliRunner) -> None:
    result = exop_cli("query", "findings-by-cell-type", "-p", "celltype=cl:0000092")
    assert_one_line_failure(result, ["unknown prefix 'cl'", "did you mean CL:0000092", "UBERON"])


def test_a_choice_parameter_takes_a_curie(exop_cli: CliRunner) -> None:
    by_curie = exop_cli("query", "drugs-by-mode-of-action", "-p", "mode=exop:anabolic",
                        "--format", "csv")
    by_iri = exop_cli("query", "drugs-by-mode-of-action", "-p",
                      "mode=https://w3id.org/exop/anabolic", "--format", "csv")
    assert by_curie.code == by_iri.code == 0
    assert by_curie.out == by_iri.out and by_curie.out.count("\n") > 1


def test_zero_rows_from_an_endpoint_say_which_graph(oxigraph_server: SparqlServer,
                                                   exop_cli: CliRunner) -> None:
    result = exop_cli("query", "table-1", "--format", "csv", "--endpoint",
                      oxigraph_server.query_url)
    assert result.code == 0 and result.out.count("\n") == 1
    assert "add --graph https://w3id.org/exop/graph" in result.err


def test_table_headings_are_words(exop_cli: CliRunner) -> None:
    result = exop_cli("query", "table-1")
    assert "Exosome source" in result.out or "exosome source" in result.out
    assert "Exosome_source" not in result.out


def test_python_values_in_and_out() -> None:
    import datetime

    import exop

    rows = exop.run_packaged_query("findings-citing-reference", {"number": 33}).to_python()
    assert rows and all(isinstance(row["finding"], str) for row in rows)
    record = exop.run_packaged_query("review-record").to_python()[0]
    assert record["published"] == datetime.date(2023, 3, 26)


# -- interrupted reasoning cleans up ----------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                          if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "State:\tZ" not in status.read_text()
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_interrupted_reasoning_leaves_no_java_and_no_file(signal_name: str,
                                                         tmp_path: Path) -> None:
    import os
    import shutil
    import signal
    import subprocess
    import sys

    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("java is not installed")
        pytest.skip("java is not installed")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "exop.cli", "reason"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    java: list[int] = []
    while time.monotonic() < deadline and not java and process.poll() is None:
        java = _children(process.pid)
        time.sleep(0.05)
    assert java, "HermiT's Java process never started"
    process.send_signal(getattr(signal, signal_name))
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2, err
    assert b"Traceback" not in err and err.count(b"\n") == 1
    time.sleep(0.5)
    assert not [pid for pid in java if _alive(pid)], "Java outlived the interrupted reasoning"
    assert list(tmp_path.iterdir()) == []


# -- bounded answers --------------------------------------------------------------------------

MANY_ROWS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml-results", "table"])
def test_max_rows_fails_before_writing(engine: str, fmt: str, tmp_path: Path,
                                       exop_cli: CliRunner) -> None:
    path = tmp_path / "all.rq"
    path.write_text(MANY_ROWS, encoding="utf-8")
    result = exop_cli("sparql", str(path), "--engine", engine, "--format", fmt,
                      "--max-rows", "100")
    assert_one_line_failure(result, ["more than 100 rows"])


def test_a_table_refuses_an_answer_no_one_can_read(tmp_path: Path, exop_cli: CliRunner) -> None:
    path = tmp_path / "cross.rq"
    path.write_text("SELECT * WHERE { ?s a ?c . ?t a ?d } LIMIT 20000", encoding="utf-8")
    assert_one_line_failure(exop_cli("sparql", str(path)), ["--format csv"])


def test_a_long_table_is_written_line_by_line_with_every_row(
    tmp_path: Path, exop_cli: CliRunner
) -> None:
    """Above the laid-out size a table is fixed-width text: every row, each on one line
    within 200 columns (off a terminal), the same cells as the CSV answer."""
    import csv
    import io

    from exop.cli import LAID_OUT_TABLE_ROWS
    from exop.namespaces import compress

    count = LAID_OUT_TABLE_ROWS + 500
    path = tmp_path / "cross.rq"
    path.write_text(f"SELECT ?s ?c WHERE {{ ?s a ?c }} ORDER BY ?s ?c LIMIT {count}",
                    encoding="utf-8")
    table = exop_cli("sparql", str(path), "--max-rows", str(count))
    assert table.code == 0, table.err
    lines = table.out.splitlines()
    assert lines[-1].startswith(f"{count} rows")
    body = lines[3:-1]  # title, headings, rule
    assert len(body) == count
    assert all(len(line) <= 200 for line in lines)
    answer = exop_cli("sparql", str(path), "--format", "csv", "--max-rows", str(count))
    rows = list(csv.reader(io.StringIO(answer.out)))[1:]
    for line, row in zip(body, rows, strict=True):
        cells = [c.strip() for c in line.split(" | ")]
        expected = [compress(v) for v in row]
        assert all(e.startswith(c.rstrip("…")) for c, e in zip(cells, expected, strict=True)), (
            line, row)


@pytest.mark.parametrize(
    ("cells", "width"),
    [([["a", "b"]], 20), ([["x" * 300, "y" * 300, "z"]], 80), ([["é" * 10, "\nline"]], 12)],
)
def test_plain_table_fits_its_width_and_clips_with_an_ellipsis(
    cells: list[list[str]], width: int
) -> None:
    import io

    from exop.results import write_plain_table

    out = io.StringIO()
    headings = [f"h{i}" for i in range(len(cells[0]))]
    assert write_plain_table(headings, cells, out, width=width) == len(cells)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 + len(cells)
    assert all(len(line) <= max(width, 4 * len(headings) + 3 * (len(headings) - 1))
               for line in lines)
    for line, row in zip(lines[2:], cells, strict=True):
        for text, value in zip(line.split(" | "), row, strict=True):
            shown = text.strip()
            flat = value.replace("\n", " ").strip()
            assert shown == flat or (shown.endswith("…") and flat.startswith(shown[:-1]))


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml-results"])
def test_streamed_answers_equal_the_materialised_ones(fmt: str, tmp_path: Path,
                                                      exop_cli: CliRunner) -> None:
    """The embedded engine writes in Rust; rdflib's answer goes through exop.results."""
    from exop import formats
    from exop.engines import run_query
    from exop.results import FORMATTERS

    path = tmp_path / "all.rq"
    # blank nodes are labelled afresh by each store: leave them out of the comparison
    no_blanks = MANY_ROWS.replace("}", "FILTER(!isBlank(?s) && !isBlank(?o)) }")
    path.write_text(no_blanks + " ORDER BY ?s ?p ?o", encoding="utf-8")
    streamed = exop_cli("sparql", str(path), "--format", fmt)
    assert streamed.code == 0
    expected = FORMATTERS[fmt](run_query(path.read_text(), "oxigraph"))
    if formats.get(fmt).name in ("csv", "tsv"):
        assert streamed.out == expected
    else:
        assert len(streamed.out) > 100_000 and streamed.out.count("uri") > 5000


def test_construct_in_rdf_formats(exop_cli: CliRunner) -> None:
    from rdflib import Graph

    from exop.rdfout import isomorphic

    graphs = {}
    for fmt, parser in (("nt", "nt"), ("turtle", "turtle"), ("jsonld", "json-ld"),
                        ("xml", "xml")):
        result = exop_cli("query", "mechanism-edges", "--format", fmt)
        assert result.code == 0, result.err
        graphs[fmt] = Graph().parse(data=result.out, format=parser)
    assert len(graphs["nt"]) > 100
    assert all(isomorphic(graphs["nt"], g) for g in graphs.values())


def test_a_validation_plan_states_engine_size_and_estimate(tmp_path: Path) -> None:
    from exop.validation import plan

    small = plan()
    big_file = tmp_path / "big.nt"
    with big_file.open("w", encoding="utf-8") as out:
        for i in range(200_000):
            out.write(f"<urn:s{i}> <urn:p> \"value number {i}\" .\n")
    big = plan([big_file])
    assert small.engine in ("pyrudof", "jena", "pyshacl")
    assert big.triples > 5 * small.triples
    assert big.bytes == big_file.stat().st_size
    assert big.seconds > small.seconds > 0
    assert plan([big_file], engine="pyshacl").engine == "pyshacl"
