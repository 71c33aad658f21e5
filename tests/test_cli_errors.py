"""Bad input: every case is one line on stderr, exit 2, no traceback, nothing half-written.

The cases are data (CASES below); each builds its own input in a temporary folder and
names what the one-line message must mention.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from exop.catalog import query_ids

from conftest import CliResult, CliRunner

PARAM_QUERY = """\
#+ summary: Labels of one entity (test query)
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { ?_entity_iri rdfs:label ?label . FILTER(STRLEN(?_word) >= 0) }
"""


@dataclass(frozen=True)
class Case:
    """One bad invocation and the words its error message must contain."""

    id: str
    args: Callable[[Path], list[str]]
    mentions: Callable[[Path], list[str]]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _malformed(folder: Path) -> list[str]:
    text = '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n'
    return ["validate", str(_write(folder, "bad.ttl", text))]


def _param_query(folder: Path) -> str:
    return str(_write(folder, "labels.rq", PARAM_QUERY))


def _close_to_existing() -> tuple[str, str]:
    ids = query_ids()
    assert ids, "no packaged queries found"
    target = max(ids, key=len)
    return target[:-1], target


CASES = [
    Case(
        "nonexistent file",
        lambda d: ["validate", str(d / "missing.ttl")],
        lambda d: [str(d / "missing.ttl"), "no such file"],
    ),
    Case(
        "directory instead of file", lambda d: ["validate", str(d)], lambda d: [str(d), "directory"]
    ),
    Case("malformed turtle", _malformed, lambda d: [f"{d / 'bad.ttl'}:3:"]),
    Case(
        "unknown rdf format",
        lambda d: ["validate", str(_write(d, "data.xyz", "<a> <b> <c> ."))],
        lambda d: ["data.xyz", "unknown RDF format"],
    ),
    Case(
        "unknown rdf parser",
        lambda d: ["validate", "--rdf-format", "nonsense", str(_write(d, "d.ttl", ""))],
        lambda d: ["nonsense"],
    ),
    Case(
        "unknown query id",
        lambda d: ["query", "no-such-query-xyz"],
        lambda d: ["no-such-query-xyz"],
    ),
    Case(
        "close query id",
        lambda d: ["query", _close_to_existing()[0]],
        lambda d: ["did you mean", _close_to_existing()[1]],
    ),
    Case(
        "missing parameter",
        lambda d: ["sparql", _param_query(d), "-p", "word=x"],
        lambda d: ["needs parameter", "entity"],
    ),
    Case(
        "unknown parameter",
        lambda d: [
            "sparql",
            _param_query(d),
            "-p",
            "entity=CL:0000062",
            "-p",
            "word=x",
            "-p",
            "colour=red",
        ],
        lambda d: ["colour", "entity"],
    ),
    Case(
        "parameter without =",
        lambda d: ["sparql", _param_query(d), "-p", "entity"],
        lambda d: ["NAME=VALUE"],
    ),
    Case(
        "hostile iri parameter",
        lambda d: [
            "sparql",
            _param_query(d),
            "-p",
            "entity=http://x.org/a> } . DROP ALL #",
            "-p",
            "word=x",
        ],
        lambda d: ["entity", "not a valid IRI"],
    ),
    Case("query file missing", lambda d: ["sparql", str(d / "nope.rq")], lambda d: ["nope.rq"]),
    Case("query file is a directory", lambda d: ["sparql", str(d)], lambda d: ["directory"]),
    Case("not a query", lambda d: ["sparql", "-"], lambda d: ["not a SPARQL query"]),
    Case(
        "unknown export format",
        lambda d: ["export", "--format", "rdfa", "-o", str(d / "x")],
        lambda d: ["rdfa"],
    ),
    Case(
        "export into missing folder",
        lambda d: ["export", "-o", str(d / "no" / "such" / "out.ttl")],
        lambda d: ["does not exist"],
    ),
    Case("export onto a directory", lambda d: ["export", "-o", str(d)], lambda d: ["directory"]),
    Case("unknown command", lambda d: ["frobnicate"], lambda d: ["frobnicate"]),
    # options that apply to one engine only were once silently ignored by the others
    Case("--graph without --endpoint",
         lambda d: ["query", "table-1", "--graph", "https://w3id.org/exop/graph"],
         lambda d: ["--graph", "--endpoint"]),
    Case("--timeout without --endpoint", lambda d: ["query", "table-1", "--timeout", "5"],
         lambda d: ["--timeout", "--endpoint"]),
    Case("--graph on rdflib", lambda d: ["query", "table-1", "--engine", "rdflib", "--graph",
                                          "https://w3id.org/exop/graph"],
         lambda d: ["--graph"]),
    Case("--engine with --endpoint",
         lambda d: ["query", "table-1", "--engine", "rdflib", "--endpoint",
                    "http://127.0.0.1:9/sparql"],
         lambda d: ["--engine", "--endpoint"]),
    Case("--user without --endpoint", lambda d: ["sparql", _param_query(d), "--user", "me"],
         lambda d: ["--user", "--endpoint"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_line_exit_2(case: Case, tmp_path: Path, exop_cli: CliRunner) -> None:
    args = case.args(tmp_path)
    before = set(tmp_path.rglob("*"))
    result = exop_cli(*args)
    assert_one_line_failure(result, case.mentions(tmp_path))
    written = set(tmp_path.rglob("*")) - before
    assert not written, f"left files behind: {sorted(written)}"


def assert_one_line_failure(result: CliResult, mentions: list[str]) -> None:
    """Exit 2, nothing on stdout, exactly one line on stderr naming *mentions*."""
    assert result.code == 2, result
    assert result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("exop: error: "), result.err
    assert "Traceback" not in result.err
    for word in mentions:
        assert word in result.err, f"{word!r} not in {result.err!r}"


def test_malformed_turtle_names_line_and_column(tmp_path: Path, exop_cli: CliRunner) -> None:
    result = exop_cli(*_malformed(tmp_path))
    line, column = result.err.split("bad.ttl:", 1)[1].split(":")[:2]
    assert (int(line), int(column)) == (3, 11)


# -- remote endpoints: refused, silent, answering an error ------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A loopback socket that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql"
    finally:
        server.close()


class _ErrorHandler(http.server.BaseHTTPRequestHandler):
    def _fail(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"Virtuoso 37000 Error SP030: SPARQL compiler: syntax error"
        self.send_response(500)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _fail

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def failing_endpoint() -> Iterator[str]:
    """A loopback HTTP server that answers every request with HTTP 500."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ErrorHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def _first_query() -> str:
    return query_ids()[0]


def test_unreachable_endpoint_names_url(exop_cli: CliRunner) -> None:
    url = f"http://127.0.0.1:{_free_port()}/sparql"
    result = exop_cli("query", _first_query(), "--endpoint", url, "--timeout", "5")
    assert_one_line_failure(result, [url])


def test_silent_endpoint_times_out(silent_endpoint: str, exop_cli: CliRunner) -> None:
    started = time.monotonic()
    result = exop_cli("query", _first_query(), "--endpoint", silent_endpoint, "--timeout", "1")
    assert time.monotonic() - started < 15
    assert_one_line_failure(result, [silent_endpoint, "did not answer within 1 s"])


def test_endpoint_error_is_reported(failing_endpoint: str, exop_cli: CliRunner) -> None:
    result = exop_cli("query", _first_query(), "--endpoint", failing_endpoint, "--timeout", "5")
    assert_one_line_failure(result, [failing_endpoint])


def test_load_into_failing_store(failing_endpoint: str, exop_cli: CliRunner) -> None:
    result = exop_cli("load", "--endpoint", failing_endpoint, "--timeout", "5")
    assert_one_line_failure(result, [failing_endpoint, "500"])


def test_load_into_unreachable_store(exop_cli: CliRunner) -> None:
    url = f"http://127.0.0.1:{_free_port()}/store"
    result = exop_cli("load", "--endpoint", url, "--timeout", "5")
    assert_one_line_failure(result, [url])


def test_missing_java_is_one_line(monkeypatch: pytest.MonkeyPatch, exop_cli: CliRunner) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    result = exop_cli("reason")
    assert_one_line_failure(result, ["Java"])
