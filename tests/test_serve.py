"""The live server in-process (Starlette's TestClient): IRIs, /sparql, /api and every error.

The many small cases run against the ASGI app; tests/test_w3id.py runs the conformance
matrix against ``exop serve`` on a loopback port, and tests/test_serve_clients.py the
schema-driven and protocol-level checks.
"""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from rdflib import Graph, URIRef
from starlette.testclient import TestClient

from exop import formats
from exop.documents import query_result
from exop.engines import make_engine
from exop.namespaces import PREFIXES
from exop.negotiation import API_OFFERS, IRI_OFFERS, RESULT_OFFERS
from exop.run import run_packaged_query
from exop.serve import ServeOptions, create_app
from exop.site import paths
from exop.site.slices import parse_check

from conneg import NOT_IRIS, parse_body, varies_on_accept

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

FINDING = f"{PREFIXES['exopd']}finding-table-1-row-6"
SELECT = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
CONSTRUCT = ("CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE "
             "{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ")
ASK = "ASK { ?s a <https://w3id.org/exop/Finding> }"
QUERIES = {"select": SELECT, "ask": ASK, "graph": CONSTRUCT}


@pytest.fixture(scope="module")
def client(site_context: Any) -> Iterator[TestClient]:
    with TestClient(create_app(context=site_context), follow_redirects=False) as test_client:
        yield test_client


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text
    body = response.json()["error"]
    assert body["status"] == status and body["message"]
    return dict(body)


# -- IRIs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", IRI_OFFERS, ids=lambda f: f.name)
def test_format_parameter_overrides_accept(client: TestClient, fmt: formats.Format) -> None:
    answer = client.get(FINDING[len(paths.BASE):], params={"format": fmt.name},
                        headers={"Accept": "image/png"})
    assert answer.status_code == 303 and varies_on_accept_headers(answer)
    assert answer.headers["location"].endswith("/" + str(paths.document_for(FINDING, fmt)))
    document = client.get(answer.headers["location"])
    assert document.status_code == 200
    assert document.headers["content-type"] == fmt.content_type
    parsed = parse_body(document.content, fmt)
    if isinstance(parsed, Graph):
        assert (URIRef(FINDING), None, None) in parsed


def varies_on_accept_headers(answer: Any) -> bool:
    return "accept" in {v.strip().lower() for v in answer.headers.get("vary", "").split(",")}


def test_unknown_format_parameter_lists_the_offers(client: TestClient) -> None:
    body = _error(client.get("data/finding-table-1-row-6", params={"format": "pdf"}), 400)
    assert body["allowed"] == [f.name for f in IRI_OFFERS]


def test_406_lists_the_alternatives_with_links(client: TestClient) -> None:
    answer = client.get("data/finding-table-1-row-6", headers={"Accept": "image/png"})
    body = _error(answer, 406)
    assert varies_on_accept_headers(answer)
    assert [a["media_type"] for a in body["alternatives"]] == [f.media_type for f in IRI_OFFERS]
    for alternative in body["alternatives"]:
        assert client.get(alternative["url"]).status_code == 303


@pytest.mark.parametrize("path", [*NOT_IRIS, "data/no-such-individual", "NoSuchTerm",
                                  "releases/9.9.9/ontology", "current/nothing.ttl",
                                  "releases/9.9.9/ontology.ttl", "current/data/x.exe"])
def test_paths_that_name_nothing_are_404(client: TestClient, path: str) -> None:
    _error(client.get(path, headers={"Accept": "text/turtle"}), 404)


def test_cors_on_every_answer(client: TestClient) -> None:
    origin = {"Origin": "https://example.org"}
    for path in ("data/finding-table-1-row-6", "sparql?query=ASK%7B%7D", "api/table-1",
                 "openapi.json", "no/such/thing"):
        answer = client.get(path, headers=origin)
        assert answer.headers.get("access-control-allow-origin") == "*", path
    preflight = client.options("sparql", headers={
        **origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    answer = client.head("current/Finding.html")
    assert answer.status_code == 200 and answer.content == b""
    assert answer.headers["content-type"] == formats.get("html").content_type


# -- /sparql --------------------------------------------------------------------------------


def _offers_and_accepts() -> list[tuple[str, formats.Format]]:
    return [(kind, fmt) for kind, offers in RESULT_OFFERS.items() for fmt in offers]


def _parse_results(body: bytes, fmt: formats.Format) -> Any:
    if fmt.kind == "rdf":
        return parse_check(body, fmt)
    text = body.decode("utf-8")
    if fmt.name == "json":
        return json.loads(text)
    if fmt.name == "xml-results":
        from rdflib.query import Result

        return Result.parse(io.StringIO(text), format="xml")
    delimiter = "," if fmt.name == "csv" else "\t"
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


@pytest.mark.parametrize(("kind", "fmt"), _offers_and_accepts(),
                         ids=lambda v: v if isinstance(v, str) else v.name)
@pytest.mark.parametrize("how", ["GET", "POST form", "POST body"])
def test_sparql_answers_in_every_registry_format(client: TestClient, kind: str,
                                                 fmt: formats.Format, how: str) -> None:
    query = QUERIES[kind]
    accept = {"Accept": fmt.media_type}
    if how == "GET":
        answer = client.get("sparql", params={"query": query}, headers=accept)
    elif how == "POST form":
        answer = client.post("sparql", data={"query": query}, headers=accept)
    else:
        answer = client.post("sparql", content=query.encode(),
                             headers={**accept, "Content-Type": "application/sparql-query"})
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"] == fmt.content_type
    assert varies_on_accept_headers(answer)
    parsed = _parse_results(answer.content, fmt)
    expected = make_engine().run(QUERIES_TEXT[kind])
    if kind == "graph":
        assert len(parsed) == len(expected.graph or ())
    elif kind == "select" and fmt.name == "json":
        got = Counter(json.dumps(b, sort_keys=True) for b in parsed["results"]["bindings"])
        want = Counter(json.dumps(b, sort_keys=True)
                       for b in query_result(expected)["results"]["bindings"])
        assert got == want
    elif kind == "select" and fmt.name in ("csv", "tsv"):
        assert len(parsed) == len(expected.rows) + 1
    elif kind == "select" and fmt.name == "xml-results":
        rows = Counter(tuple(row) for row in parsed)
        assert rows == Counter(tuple(row) for row in expected.rows)
    elif kind == "ask" and fmt.name == "json":
        assert parsed["boolean"] is True
    elif kind == "ask" and fmt.name == "xml-results":
        assert parsed.askAnswer is True
    else:
        assert "true" in parsed[-1][0]


def _query_text(text: str) -> Any:
    from exop.sparqltext import QueryText

    return QueryText(text)


QUERIES_TEXT = {kind: _query_text(text) for kind, text in QUERIES.items()}


@pytest.mark.parametrize(("kind", "accept"), [("select", "text/turtle"),
                                              ("graph", "text/csv"),
                                              ("ask", "application/n-triples")])
def test_sparql_406_when_the_form_has_no_such_format(client: TestClient, kind: str,
                                                     accept: str) -> None:
    body = _error(client.get("sparql", params={"query": QUERIES[kind]},
                             headers={"Accept": accept}), 406)
    assert [a["format"] for a in body["alternatives"]] == \
        [f.name for f in RESULT_OFFERS[kind]]  # type: ignore[index]


@pytest.mark.parametrize(("how", "request_args"), [
    ("GET update", {"method": "GET", "url": "sparql",
                    "params": {"query": "DELETE WHERE { ?s ?p ?o }"}}),
    ("GET insert", {"method": "GET", "url": "sparql",
                    "params": {"query": "PREFIX x: <urn:x> INSERT DATA { x:a x:b x:c }"}}),
    ("POST form update", {"method": "POST", "url": "sparql", "data": {"update": "DROP ALL"}}),
    ("POST update body", {"method": "POST", "url": "sparql", "content": b"DROP ALL",
                          "headers": {"Content-Type": "application/sparql-update"}}),
    ("POST query body that updates", {"method": "POST", "url": "sparql", "content": b"CLEAR ALL",
                                      "headers": {"Content-Type": "application/sparql-query"}}),
])
def test_updates_are_refused_with_400(client: TestClient, how: str,
                                      request_args: dict[str, Any]) -> None:
    before = len(make_engine().run(_query_text("SELECT * WHERE { ?s ?p ?o }")).rows)
    body = _error(client.request(**request_args), 400)
    assert body["what"] == "update"
    assert len(make_engine().run(_query_text("SELECT * WHERE { ?s ?p ?o }")).rows) == before


@pytest.mark.parametrize(("request_args", "status"), [
    ({"method": "GET", "url": "sparql"}, 400),
    ({"method": "GET", "url": "sparql?query=ASK%7B%7D&query=ASK%7B%7D"}, 400),
    ({"method": "GET", "url": "sparql", "params": {"query": "SELECT * WHERE { ?s ?p "}}, 400),
    ({"method": "GET", "url": "sparql", "params": {"query": "hello"}}, 400),
    ({"method": "GET", "url": "sparql",
      "params": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"}}, 400),
    ({"method": "POST", "url": "sparql", "content": b"ASK {}",
      "headers": {"Content-Type": "text/plain"}}, 415),
    ({"method": "POST", "url": "sparql", "content": b"\xff\xfe",
      "headers": {"Content-Type": "application/sparql-query"}}, 400),
    ({"method": "POST", "url": "sparql", "content": b"ASK {}" + b" " * 2_000_000,
      "headers": {"Content-Type": "application/sparql-query"}}, 413),
    ({"method": "PUT", "url": "sparql", "content": b"x"}, 405),
    ({"method": "DELETE", "url": "data/finding-table-1-row-6"}, 405),
], ids=["no query", "two queries", "syntax error", "not a query", "SERVICE", "text/plain body",
        "not UTF-8", "too large", "PUT", "DELETE"])
def test_bad_sparql_requests(client: TestClient, request_args: dict[str, Any],
                             status: int) -> None:
    _error(client.request(**request_args), status)


def test_row_limit_cuts_and_says_so(site_context: Any) -> None:
    with TestClient(create_app(ServeOptions(row_limit=3), context=site_context)) as limited:
        select = limited.get("sparql", params={"query": SELECT})
        graph = limited.get("sparql", params={"query": CONSTRUCT},
                            headers={"Accept": "application/n-triples"})
        small = limited.get("sparql", params={"query": ASK})
    assert len(select.json()["results"]["bindings"]) == 3
    assert select.headers["exop-row-limit"] == "3; truncated"
    assert len(parse_check(graph.content, formats.get("nt"))) == 3
    assert "exop-row-limit" not in small.headers


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A loopback port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/sparql"


def test_upstream_timeout_is_504(site_context: Any, silent_endpoint: str) -> None:
    options = ServeOptions(endpoint=silent_endpoint, timeout=0.5)
    with TestClient(create_app(options, context=site_context)) as upstream:
        _error(upstream.get("sparql", params={"query": ASK}), 504)
        _error(upstream.get("api/table-1"), 504)


def test_unreachable_upstream_is_502(site_context: Any) -> None:
    options = ServeOptions(endpoint=_closed_port(), timeout=2)
    with TestClient(create_app(options, context=site_context)) as upstream:
        body = _error(upstream.get("api/table-1"), 502)
        assert "unreachable" in body["message"]
        # pages come from the package, whatever the endpoint
        assert upstream.get("current/Finding.html").status_code == 200


# -- /api -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", API_OFFERS, ids=lambda f: f.name)
def test_api_table_1_equals_the_library(client: TestClient, fmt: formats.Format) -> None:
    answer = client.get("api/table-1", headers={"Accept": fmt.media_type})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == fmt.content_type
    expected = run_packaged_query("table-1")
    parsed = _parse_results(answer.content, fmt)
    if fmt.name == "json":
        assert parsed == json.loads(json.dumps(query_result(expected)))
    else:
        assert len(parsed) == len(expected.rows) + 1 == 10


def test_api_binds_typed_parameters(client: TestClient) -> None:
    answer = client.get("api/findings-citing-reference", params={"number": "27"})
    assert answer.status_code == 200
    expected = run_packaged_query("findings-citing-reference", {"number": 27})
    assert answer.json() == json.loads(json.dumps(query_result(expected)))
    assert expected.rows, "the example parameter has findings"
    curie = client.get("api/findings-by-cell-type", params={"celltype": "CL:0000062"})
    full = client.get("api/findings-by-cell-type",
                      params={"celltype": "http://purl.obolibrary.org/obo/CL_0000062"})
    assert curie.status_code == 200 and curie.json() == full.json()


@pytest.mark.parametrize(("path", "params", "status", "field", "value"), [
    ("api/no-such-query", {}, 404, "what", "query"),
    ("api/tabel-1", {}, 404, "allowed", ["table-1"]),
    ("api/findings-citing-reference", {"number": "x"}, 400, "parameter", "number"),
    ("api/findings-citing-reference", {"number": '1" } DROP ALL #'}, 400, "parameter", "number"),
    ("api/findings-by-cell-type", {"celltype": "<a> } DROP ALL"}, 400, "parameter", "celltype"),
    ("api/findings-by-cell-type", {"celltype": "cl:0000062"}, 400, "what", "parameter value"),
    ("api/table-1", {"nope": "1"}, 400, "parameter", "nope"),
    ("api/entity-profile", {"entity": ["a", "b"]}, 400, "parameter", "entity"),
    ("api/table-1", {"format": "turtle"}, 400, "parameter", "format"),
    ("api/federated-term-labels", {}, 400, "what", "SERVICE"),
], ids=lambda v: str(v)[:30])
def test_api_errors_are_honest(client: TestClient, path: str, params: dict[str, Any],
                               status: int, field: str, value: object) -> None:
    body = _error(client.get(path, params=params), status)
    assert body[field] == value


def test_api_406(client: TestClient) -> None:
    body = _error(client.get("api/table-1", headers={"Accept": "text/turtle"}), 406)
    assert [a["format"] for a in body["alternatives"]] == [f.name for f in API_OFFERS]


def test_api_index_is_the_catalogue(client: TestClient) -> None:
    ids = [q["id"] for q in client.get("api").json()]
    assert "table-1" in ids and ids == sorted(ids)


def test_openapi_document_covers_every_query(client: TestClient) -> None:
    from exop.catalog import list_queries

    document = client.get("openapi.json").json()
    assert document["openapi"] == "3.1.0"
    for query in list_queries():
        operation = document["paths"][f"/api/{query.id}"]["get"]
        names = [p["name"] for p in operation["parameters"]]
        assert names == [*(p.name for p in query.parameters), "format"]
        assert {"200", "400", "404", "406", "502", "504"} <= set(operation["responses"])
    number = document["paths"]["/api/findings-citing-reference"]["get"]["parameters"][0]
    assert number["schema"]["pattern"] and number["schema"]["examples"] == ["27"]


# -- no traceback, whatever is sent ---------------------------------------------------------

ODD_REQUESTS: tuple[tuple[str, dict[str, str]], ...] = (
    ("%00", {}), ("..%2f..%2fetc%2fpasswd", {}), ("data/%ff%fe", {}), ("a" * 8000, {}),
    ("data/finding-table-1-row-6", {"Accept": ";;;,,q=x/"}),
    ("data/finding-table-1-row-6", {"Accept": "text/turtle;q=2"}),
    ("data/finding-table-1-row-6?format=", {}), ("api/%00", {}), ("api/..", {}),
    ("sparql?query=%ff", {}), ("api/table-1?%ff=1", {}), ("current/..%2f..%2fsecret.ttl", {}),
    ("openapi.json", {"Accept": "image/png"}),
)


@pytest.mark.parametrize(("path", "headers"), ODD_REQUESTS, ids=lambda v: str(v)[:30])
def test_odd_requests_get_a_readable_answer(client: TestClient, path: str,
                                            headers: dict[str, str]) -> None:
    answer = client.get(path, headers=headers)
    assert answer.status_code < 500, answer.text[:300]
    assert "Traceback" not in answer.text
    if answer.status_code >= 400:
        assert answer.json()["error"]["message"]


def test_every_request_is_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="exop.serve"):
        client.get("api/table-1")
        client.get("no/such/thing")
    lines = [r.getMessage() for r in caplog.records if r.name == "exop.serve"]
    assert any('"GET /api/table-1" 200' in line for line in lines), lines
    assert any('"GET /no/such/thing" 404' in line for line in lines), lines


def test_vary_helper_agrees(client: TestClient) -> None:
    from conneg import Answer

    answer = client.get("data/finding-table-1-row-6")
    assert varies_on_accept(Answer(answer.status_code, dict(answer.headers), b""))


def test_serve_matrix_in_publishing_md_is_current() -> None:
    from scripts import load_script

    generator = load_script("tools/gen_serve_matrix.py", "gen_serve_matrix")
    current = generator.DOC.read_text(encoding="utf-8")
    assert generator.BEGIN in current
    assert current == generator.expected_text(current), (
        "the live server's table in docs/publishing.md is stale; "
        "run `python tools/gen_serve_matrix.py`")


def test_embedded_query_past_the_time_limit_is_504(site_context: Any) -> None:
    # every triple joined with every typed node: about 8 million rows, a second of work
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a ?f }"
    with TestClient(create_app(ServeOptions(timeout=0.05), context=site_context)) as limited:
        body = _error(limited.get("sparql", params={"query": slow}), 504)
        assert body["what"] == "timeout"
        assert limited.get("sparql", params={"query": ASK}).status_code == 200
