"""The server as its clients meet it, over loopback: schema-driven API tests (schemathesis
against the generated OpenAPI document), the SPARQL part of the conformance matrix against
``exop serve`` and the Oxigraph server, the documents against the static site, and the
command's own failures."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis

from exop import formats
from exop.negotiation import RESULT_OFFERS
from exop.serve import create_app
from exop.site import paths
from exop.site.clients import CLIENTS, Client
from exop.site.slices import parse_check

from conneg import IRIS, fetch, varies_on_accept
from servers import exop_command, free_port

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", create_app())

# positive_data_acceptance is left out: the schema cannot say which strings are IRIs of
# the package's prefixes, and a federated query is refused (400) whatever its parameters.
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "negative_data_rejection")


@SCHEMA.parametrize()
@hypothesis.settings(max_examples=8, deadline=None, derandomize=True,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_api_conforms_to_its_openapi_document(case: Any) -> None:
    from schemathesis import checks

    case.call_and_validate(checks=[getattr(checks, name) for name in CHECKS])


# -- the SPARQL cells of the conformance matrix ----------------------------------------------

SPARQL_QUERIES = {
    "select": "SELECT * WHERE { VALUES ?x { 1 2 } }",
    "ask": "ASK {}",
    "graph": "CONSTRUCT { <urn:exop:a> <urn:exop:b> ?x } WHERE { VALUES ?x { 1 2 } }",
}
SPARQL_TARGETS = ("live_server", "oxigraph_server")


def _sparql_url(server: Any) -> str:
    return str(server.sparql if hasattr(server, "sparql") else server.query_url)


@pytest.mark.parametrize("target", SPARQL_TARGETS)
@pytest.mark.parametrize("kind", SPARQL_QUERIES)
@pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.name)
def test_sparql_negotiation_matrix(request: pytest.FixtureRequest, target: str, kind: str,
                                   client: Client) -> None:
    """exop serve answers what negotiate() chooses, with Vary; the Oxigraph server (which
    negotiates by its own rules and sends no Vary) agrees on 200 versus 406, and each body
    parses as the type it claims."""
    server = request.getfixturevalue(target)
    url = f"{_sparql_url(server)}?{urllib.parse.urlencode({'query': SPARQL_QUERIES[kind]})}"
    answer = fetch(url, client)
    expected = formats.negotiate(client.accept, RESULT_OFFERS[kind])  # type: ignore[index]
    if target == "live_server":
        assert varies_on_accept(answer)
    if expected is None:
        assert answer.status == 406
        return
    assert answer.status == 200, answer.body[:200]
    claimed = formats.for_media_type(answer.headers["content-type"],
                                     ("results",) if kind != "graph" else ("rdf", "dataset"))
    assert claimed is not None, answer.headers["content-type"]
    if target == "live_server":
        assert claimed == expected
    _parses_as(answer.body, claimed, kind)


def _parses_as(body: bytes, fmt: formats.Format, kind: str) -> None:
    import csv
    import io
    import json

    from rdflib import Dataset
    from rdflib.query import Result

    text = body.decode("utf-8")
    if fmt.kind in ("rdf", "dataset"):
        if fmt.kind == "dataset":
            assert len(Dataset().parse(data=text, format=fmt.rdflib)) == 2
        else:
            assert len(parse_check(body, fmt)) == 2
    elif fmt.name == "json":
        document = json.loads(text)
        assert ("boolean" in document) if kind == "ask" else \
            len(document["results"]["bindings"]) == 2
    elif fmt.name == "xml-results":
        result = Result.parse(io.StringIO(text), format="xml")
        assert result.askAnswer is True if kind == "ask" else len(list(result)) == 2
    else:
        rows = list(csv.reader(io.StringIO(text), delimiter="," if fmt.name == "csv" else "\t"))
        if kind == "ask":  # SPARQL 1.1 CSV/TSV leave ASK open: Oxigraph writes no header
            assert "true" in rows[-1][0] and len(rows) <= 2
        else:
            assert len(rows) == 3


# -- documents: the server's are the static site's -------------------------------------------


@pytest.mark.parametrize("iri", IRIS, ids=lambda i: i[len(paths.BASE):] or "base")
def test_documents_are_the_static_sites_bytes(live_server: Any, iri: str) -> None:
    for fmt in paths.NEGOTIATED:
        document = str(paths.document_for(iri, fmt))
        answer = fetch(f"{live_server.host}/{document}", Client("any", "*/*", "test"))
        assert answer.status == 200, document
        assert answer.headers["content-type"] == fmt.content_type
        assert answer.body == (Path(live_server.root) / document).read_bytes(), document


# -- the command ----------------------------------------------------------------------------


def test_serve_without_the_extra_says_so_in_one_line() -> None:
    probe = ("import sys; sys.modules['uvicorn'] = None\n"
             "from exop.cli import run\nsys.exit(run(['serve', '--port', '1']))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "pip install 'exop[serve]'" in done.stderr


def test_serve_on_a_busy_port_fails_in_one_line(live_server: Any) -> None:
    port = urllib.parse.urlsplit(live_server.host).port
    done = subprocess.run([*exop_command(), "serve", "--port", str(port)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == f"exop: error: cannot listen on 127.0.0.1:{port}"


def test_request_log_names_each_request(live_server: Any) -> None:
    marker = f"/api/table-1?probe={free_port()}"
    fetch(f"{live_server.host}{marker}", Client("any", "*/*", "test"))
    # the line is written once the answer has gone out, so it may lag the answer a little
    deadline = time.monotonic() + 10
    log = ""
    while '"GET /api/table-1" 400' not in log and time.monotonic() < deadline:
        time.sleep(0.05)
        log = Path(live_server.log).read_text(encoding="utf-8", errors="replace")
    assert '"GET /api/table-1" 400' in log
    assert "Traceback" not in log
