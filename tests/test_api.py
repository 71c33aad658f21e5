"""The library API: resources, prefixes, catalogue, binding, engines, export, SHACL, HermiT."""

from __future__ import annotations

import hashlib
import http.server
import re
import threading
import urllib.request
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

import exop
from exop import formats, resources
from exop import graph as package_graph
from exop.binding import bind, with_values
from exop.catalog import get_query, parse_query, query_ids
from exop.endpoint import put_graph
from exop.engines import run_query
from exop.engines.oxigraph import OxigraphEngine
from exop.engines.rdflib import RdflibEngine
from exop.errors import EndpointError, JavaNotFoundError, ParameterError, QueryNotFoundError
from exop.exporters import export
from exop.http import Credentials
from exop.namespaces import PREFIXES, compress, converter, expand
from exop.output import atomic_write
from exop.package import Package
from exop.reasoning import reason
from exop.terms import sparql_term
from exop.validation import ValidationReport, validate
from exop.validation.detail import QueryCachingGraph, caching_copy

EX = "http://example.org/"
ENGINES = ["oxigraph", "rdflib"]


def test_artefact_folders_are_found() -> None:
    for folder in (
        resources.ONTOLOGY_DIR,
        resources.SHAPES_DIR,
        resources.DATA_DIR,
        resources.QUERIES_DIR,
    ):
        assert folder.is_dir(), folder
    assert resources.ONTOLOGY_FILE in resources.ontology_files()
    assert resources.data_files() and resources.shape_files() and resources.query_files()


def test_version_is_read_from_the_distribution() -> None:
    assert exop.__version__[0].isdigit()


@pytest.mark.parametrize("prefix", sorted(PREFIXES))
def test_prefix_map_round_trips(prefix: str) -> None:
    curie = f"{prefix}:x123"
    iri = expand(curie)
    assert iri == PREFIXES[prefix] + "x123"
    assert compress(iri) == curie
    assert converter().compress(iri) == curie


def test_compress_and_expand_agree_with_curies_on_every_iri_of_the_package() -> None:
    """EXOP's own prefix matching (no curies on the query path) against curies'."""
    reference = converter()
    iris = {str(t) for triple in package_graph.load_package().union() for t in triple
            if isinstance(t, URIRef)}
    assert len(iris) > 1000
    for iri in sorted(iris):
        assert compress(iri) == (reference.compress(iri) or iri), iri
        curie = compress(iri)
        if curie != iri:
            assert expand(curie) == reference.expand(curie) == iri, curie


# -- catalogue and parameters ----------------------------------------------------------------

DECORATED = """\
#+ summary: Things with a label
#+ tags:
#+   - test
#+ method: GET
#+ defaults:
#+   - lang: en
#+ examples:
#+   - thing: CL:0000062
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label WHERE {
  ?_thing_iri rdfs:label ?label .
  BIND(?_thing_iri AS ?thing)
  OPTIONAL { ?thing rdfs:comment ?__note }
  FILTER(?_n_integer > 0 || ?_d_xsd_date != "x" || ?_lang != "" || ?_word_en != "")
}
"""


def test_decorators_and_grlc_parameters() -> None:
    query = parse_query(DECORATED, "things")
    assert (query.summary, query.tags, query.method, query.form) == (
        "Things with a label",
        ("test",),
        "GET",
        "SELECT",
    )
    kinds = {p.name: (p.kind, p.required, p.datatype, p.lang) for p in query.parameters}
    assert kinds == {
        "thing": ("iri", True, None, None),
        "note": ("literal", False, None, None),
        "n": ("literal", True, str(XSD.integer), None),
        "d": ("literal", True, str(XSD.date), None),
        "lang": ("literal", True, None, None),
        "word": ("literal", True, None, "en"),
    }
    thing = query.parameter("thing")
    lang = query.parameter("lang")
    assert thing is not None and thing.example == "CL:0000062"
    assert lang is not None and lang.default == "en"


def test_every_packaged_query_has_id_text_and_form() -> None:
    ids = query_ids()
    assert ids
    for query_id in ids:
        query = get_query(query_id)
        assert query.form in {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}, query_id


def test_unknown_query_lists_close_matches() -> None:
    target = max(query_ids(), key=len)
    with pytest.raises(QueryNotFoundError, match="did you mean"):
        get_query(target[:-2])


def test_typed_values_become_canonical_terms() -> None:
    query = parse_query(DECORATED, "things")
    values = {"thing": "CL:0000062", "n": "007", "d": "2023-03-26", "word": "bone"}
    bound = bind(query, values)
    assert bound.bindings["_thing_iri"] == URIRef("http://purl.obolibrary.org/obo/CL_0000062")
    assert bound.bindings["_n_integer"] == Literal("7", datatype=XSD.integer)
    assert bound.bindings["_d_xsd_date"] == Literal("2023-03-26", datatype=XSD.date)
    assert bound.bindings["_word_en"] == Literal("bone", lang="en")
    assert bound.bindings["_lang"] == Literal("en")  # the default
    assert "__note" not in bound.bindings


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("n", "seven", "not a valid xsd:integer"),
        ("d", "26/03/2023", "not a valid xsd:date"),
        ("thing", "http://example.org/a> } . DROP ALL #", "not a valid IRI"),
        ("thing", 'http://example.org/a"b', "not a valid IRI"),
        ("thing", "http://example.org/{x}", "not a valid IRI"),
        ("thing", "http://example.org/a\nb", "not a valid IRI"),
        ("thing", "just words", "not a valid IRI"),
        ("thing", "nocolon", "not an absolute IRI"),
    ],
)
def test_bad_values_are_rejected(name: str, value: str, complaint: str) -> None:
    values = {"thing": "CL:0000062", "n": "1", "d": "2023-03-26", "word": "x", name: value}
    with pytest.raises(ParameterError, match=complaint):
        bind(parse_query(DECORATED, "things"), values)


def test_missing_and_unknown_parameters() -> None:
    query = parse_query(DECORATED, "things")
    with pytest.raises(ParameterError, match=r"needs parameter 'thing'.*CL:0000062"):
        bind(query, {"n": "1", "d": "2023-03-26", "word": "x"})
    with pytest.raises(ParameterError, match="no parameter 'colour'"):
        bind(query, {"colour": "red"})


HOSTILE = [
    'x" } . DROP ALL ; #',
    "x' } DROP ALL",
    'a """ b',
    "line one\nline two\r\n} . DROP ALL",
    'back\\slash \\" quote',
    "{ ?s ?p ?o }",
    "<http://example.org/> } INSERT DATA { <a> <b> <c> }",
    "tab\there",
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_literals_are_bound_harmlessly(engine: str, value: str) -> None:
    query = parse_query("SELECT ?echo WHERE { BIND(?_word AS ?echo) }", "echo")
    bound = bind(query, {"word": value})
    runner = RdflibEngine(Graph()) if engine == "rdflib" else OxigraphEngine(pyoxigraph.Store())
    result = run_query(query.text, runner, bound.bindings)
    assert result.rows == ((Literal(value),),)


def test_values_block_opens_the_where_group() -> None:
    text = "# a { comment\nSELECT ?x WHERE { ?x <urn:p> '{' }"
    out = with_values(text, {"x": URIRef("urn:a")})
    assert out.index("VALUES (?x) { (<urn:a>) }") > out.index("WHERE {")
    construct = "CONSTRUCT { ?x <urn:p> ?y } WHERE { ?x <urn:q> ?y }"
    out = with_values(construct, {"x": URIRef("urn:a")})
    assert out.index("VALUES") > out.index("WHERE {")
    assert sparql_term(Literal('a"\n', lang="en")) == '"a\\"\\n"@en'


# -- engines ---------------------------------------------------------------------------------


def _tiny_graph() -> Graph:
    graph = Graph()
    for i, label in enumerate(["osteoblast", "osteoclast", "macrophage"]):
        node = URIRef(f"{EX}n{i}")
        graph.add((node, RDF.type, URIRef(f"{EX}Cell")))
        graph.add((node, RDFS.label, Literal(label)))
        graph.add((node, URIRef(f"{EX}rank"), Literal(i)))
    return graph


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?x ?l WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l",
        "SELECT (COUNT(*) AS ?n) WHERE { ?x ?p ?o }",
        "SELECT ?x ?r WHERE { ?x <http://example.org/rank> ?r FILTER(?r > 0) } ORDER BY DESC(?r)",
        "ASK { <http://example.org/n0> ?p ?o }",
        "CONSTRUCT { ?x <http://example.org/name> ?l } "
        "WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
    ],
)
def test_engines_agree(text: str, tmp_path: Path) -> None:
    from exop.graph import load_store

    graph = _tiny_graph()
    path = tmp_path / "tiny.ttl"
    graph.serialize(path, format="turtle")
    from_oxigraph = run_query(text, OxigraphEngine(load_store([path])))
    from_rdflib = run_query(text, RdflibEngine(graph))
    assert from_oxigraph.kind == from_rdflib.kind
    assert from_oxigraph.variables == from_rdflib.variables
    assert from_oxigraph.rows == from_rdflib.rows
    assert from_oxigraph.boolean == from_rdflib.boolean
    assert from_oxigraph.ordered == from_rdflib.ordered == ("ORDER BY" in text)
    if from_oxigraph.graph is not None and from_rdflib.graph is not None:
        assert set(from_oxigraph.graph) == set(from_rdflib.graph)


def test_packaged_query_runs_on_the_embedded_store() -> None:
    query = next(
        q
        for q in exop.list_queries()
        if not any(p.required and p.default is None for p in q.parameters)
    )
    result = exop.run_packaged_query(query.id)
    assert result.kind in {"select", "ask", "graph"}


# -- export ----------------------------------------------------------------------------------


@pytest.mark.parametrize("rdf_format", ["turtle", "nt", "xml", "jsonld"])
def test_export_round_trips(rdf_format: str, tmp_path: Path) -> None:
    graph = _tiny_graph()
    source = tmp_path / "tiny.nt"
    graph.serialize(source, format="nt")
    target = tmp_path / f"out.{rdf_format}"
    result = export(target, rdf_format, Package(ontology_files=(), data_files=(source,)))
    again = Graph().parse(target, format=formats.get(rdf_format).rdflib)
    assert result.triples == len(again)
    assert set(graph) <= set(again)  # and the package's one ontology header
    source.unlink()
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old")
    atomic_write(target, b"new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


# -- SHACL -----------------------------------------------------------------------------------

SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:CellShape a sh:NodeShape ; sh:targetClass ex:Finding ;
  sh:property [ sh:path ex:targetCell ; sh:class ex:Cell ; sh:minCount 1 ;
                sh:message "A finding needs a target cell" ] .
"""
ONTOLOGY = """\
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Osteoblast rdfs:subClassOf ex:Cell .
"""
DATA = """\
@prefix ex: <http://example.org/> .
ex:f1 a ex:Finding ; ex:targetCell ex:c1 .
ex:c1 a ex:Osteoblast .
ex:f2 a ex:Finding .
ex:f3 a ex:Finding ; ex:targetCell ex:f2 .
"""


def test_validation_uses_the_ontology_hierarchy_and_groups_by_focus_node() -> None:
    report = validate(
        Graph().parse(data=DATA, format="turtle"),
        shapes=Graph().parse(data=SHAPES, format="turtle"),
        ontology=Graph().parse(data=ONTOLOGY, format="turtle"),
    )
    assert not report.conforms
    groups = report.by_focus_node()
    assert set(groups) == {URIRef(f"{EX}f2"), URIRef(f"{EX}f3")}  # f1 conforms via subClassOf
    (missing,) = groups[URIRef(f"{EX}f2")]
    assert (missing.severity, missing.path, missing.constraint) == (
        "Violation",
        f"{EX}targetCell",
        "sh:MinCountConstraintComponent",
    )
    assert missing.message == "A finding needs a target cell"
    assert report.count("Violation") == 2


FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Fixtures whose shapes use SHACL-SPARQL constraints (the ones the query cache serves) and a
# few core-constraint ones, each validated merged with the conforming base fixture.
CACHE_FIXTURES = (
    "AuthorInferenceUncitedShape--cites-a-reference.ttl",
    "AuthorPositionUniqueShape--duplicate-position.ttl",
    "CitedReferenceListedShape--unnumbered.ttl",
    "DirectionHasOutcomeShape--direction-without-outcome.ttl",
    "DrugShape-modeOfAction--outside-closed-set.ttl",
    "DrugShape-drugTarget--cell-as-target.ttl",
)


def _result_keys(report: ValidationReport) -> list[tuple[str, ...]]:
    return sorted(
        (
            str(r.focus_node),
            r.path or "",
            str(r.source_shape),
            r.severity,
            r.constraint,
            "" if r.value is None else r.value.n3(),
            r.message,
        )
        for r in report.results
    )


def _cache_cases() -> list[tuple[str, Graph]]:
    cases = [("package data", package_graph.load_data())]
    base = FIXTURES / "valid" / "base.ttl"
    for name in CACHE_FIXTURES:
        path = FIXTURES / "invalid" / name
        if base.is_file() and path.is_file():
            cases.append((name, package_graph.parse_files([base, path])))
    return cases


def _isomorphic(first: Graph, second: Graph) -> bool:
    from exop.rdfout import isomorphic

    return isomorphic(first, second)


def test_cached_sparql_translation_gives_the_same_report() -> None:
    """With and without the per-run cache pySHACL writes the same report: same results,
    isomorphic report graphs, and the same text and JSON the command prints."""
    from exop import documents
    from exop.cli import _report_text

    # The ontology without its import module: the comparison needs the SHACL-SPARQL
    # constraints to run, not the whole hierarchy, and pySHACL without its cache is slow.
    shapes = package_graph.load_shapes()
    ontology = package_graph.parse_files([resources.ONTOLOGY_FILE])
    for label, data in _cache_cases():
        cached = validate(data, shapes=shapes, ontology=ontology, engine="pyshacl")
        plain = validate(
            data, shapes=shapes, ontology=ontology, engine="pyshacl", cache_queries=False
        )
        assert _result_keys(cached) == _result_keys(plain), label
        assert cached.conforms == plain.conforms, label
        assert _isomorphic(cached.report_graph, plain.report_graph), label
        assert _report_text(cached) == _report_text(plain), label
        assert documents.validation(cached) == documents.validation(plain), label


def test_query_caching_graph_translates_each_text_once_and_answers_as_rdflib() -> None:
    plain = Graph().parse(data=DATA, format="turtle")
    cached = caching_copy(plain)
    assert set(cached) == set(plain) and dict(cached.namespaces()) == dict(plain.namespaces())
    text = "SELECT ?f WHERE { ?f a ?class }"
    for binding in ({"class": URIRef(f"{EX}Finding")}, {"class": URIRef(f"{EX}Other")}):
        expected = {row[0] for row in plain.query(text, initBindings=binding)}  # type: ignore[index]
        actual = {row[0] for row in cached.query(text, initBindings=binding)}
        assert actual == expected
    assert len(cached.translated) == 1
    assert cached.query("ASK { ?f ?p ?o }").askAnswer is True
    assert len(cached.translated) == 2


def test_validation_changes_nothing_outside_its_run() -> None:
    """Two cached validations run in threads while a third thread queries an unrelated
    rdflib graph: rdflib's query entry points stay rdflib's own the whole time, the third
    thread's answers do not change, and the caller's data graphs are left as they were."""
    from rdflib.plugins.sparql.processor import SPARQLProcessor

    originals = (SPARQLProcessor.query, Graph.query)
    shapes, ontology = package_graph.load_shapes(), package_graph.load_ontology()
    cases = _cache_cases()[1:3]
    before = [set(data) for _, data in cases]
    expected = [validate(data, shapes=shapes, ontology=ontology, engine="pyshacl",
                         cache_queries=False) for _, data in cases]
    unrelated = Graph().parse(data=DATA, format="turtle")
    text = "SELECT ?f WHERE { ?f a <http://example.org/Finding> }"
    answer = {row[0] for row in unrelated.query(text)}  # type: ignore[index]
    done = threading.Event()
    seen: list[tuple[object, object, bool]] = []

    def watch() -> None:
        while not done.is_set():
            rows = {row[0] for row in unrelated.query(text)}  # type: ignore[index]
            seen.append((SPARQLProcessor.query, Graph.query, rows == answer))

    reports: dict[int, ValidationReport] = {}

    def run(index: int) -> None:
        reports[index] = validate(cases[index][1], shapes=shapes, ontology=ontology,
                                  engine="pyshacl")

    watcher = threading.Thread(target=watch)
    workers = [threading.Thread(target=run, args=(i,)) for i in range(len(cases))]
    watcher.start()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    watcher.join()
    assert seen and all((q, g) == originals and same for q, g, same in seen)
    assert (SPARQLProcessor.query, Graph.query) == originals
    assert not isinstance(unrelated, QueryCachingGraph)
    for index, (label, data) in enumerate(cases):
        assert set(data) == before[index] and type(data) is Graph, label
        assert _result_keys(reports[index]) == _result_keys(expected[index]), label
        assert _isomorphic(reports[index].report_graph, expected[index].report_graph), label


# -- Graph Store PUT with digest authentication -----------------------------------------------

REALM, NONCE, SECRET = "exop-test", "0123456789abcdef", "not-a-secret"


def _digest_store() -> tuple[Any, list[tuple[str, bool]], list[bytes]]:
    """A Graph Store that wants digest auth and, like Virtuoso, answers an unauthorised
    PUT with 401 and closes the connection without reading the body."""
    seen: list[tuple[str, bool]] = []
    bodies: list[bytes] = []

    def h(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 (HTTP digest is MD5)

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _challenge(self) -> None:
            self.send_response(401)
            self.send_header(
                "WWW-Authenticate", f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth"'
            )
            self.send_header("Connection", "close")
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.close_connection = True

        def _authorised(self) -> bool:
            header = self.headers.get("Authorization", "")
            if not header.startswith("Digest "):
                return False
            fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(header[7:]))
            ha1 = h(f"user:{REALM}:{SECRET}")
            ha2 = h(f"{self.command}:{fields['uri']}")
            expected = h(f"{ha1}:{NONCE}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
            return fields["username"] == "user" and fields["response"] == expected

        def do_HEAD(self) -> None:
            seen.append(("HEAD", "Authorization" in self.headers))
            self._challenge()

        def do_PUT(self) -> None:
            seen.append(("PUT", "Authorization" in self.headers))
            if not self._authorised():
                self._challenge()  # the body stays unread
                return
            bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen, bodies


def test_put_graph_answers_the_digest_challenge_before_sending_the_body() -> None:
    server, seen, bodies = _digest_store()
    graph = Graph()
    for i in range(30_000):  # several MB: more than a socket buffer takes unread
        graph.add((URIRef(f"{EX}s{i}"), RDFS.label, Literal(f"label {i} " + "x" * 100)))
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/store"
        result = put_graph(url, graph, f"{EX}graph", credentials=Credentials("user", SECRET),
                           timeout=30)
    finally:
        server.shutdown()
        server.server_close()
    assert result.status == 201 and result.triples == len(graph)
    assert seen == [("HEAD", False), ("PUT", True)]
    assert len(bodies) == 1 and len(Graph().parse(data=bodies[0], format="nt")) == len(graph)


# -- HermiT ----------------------------------------------------------------------------------

INCONSISTENT = """\
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <http://example.org/> .
ex:A a owl:Class . ex:B a owl:Class ; owl:disjointWith ex:A .
ex:x a owl:NamedIndividual, ex:A, ex:B .
"""
UNSATISFIABLE = """\
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
ex:A a owl:Class . ex:B a owl:Class ; owl:disjointWith ex:A .
ex:C a owl:Class ; rdfs:subClassOf ex:A, ex:B .
"""


@pytest.mark.slow
def test_hermit_finds_inconsistency_and_unsatisfiable_classes() -> None:
    bad = reason(Graph().parse(data=INCONSISTENT, format="turtle"))
    assert (bad.consistent, bad.ok) == (False, False)
    unsat = reason(Graph().parse(data=UNSATISFIABLE, format="turtle"))
    assert unsat.consistent and unsat.unsatisfiable == (f"{EX}C",)


def test_missing_java_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(JavaNotFoundError, match="Java"):
        reason(Graph())


# -- endpoint answers ----------------------------------------------------------------------

_VARS = '"head": {"vars": ["s", "o"]}'
ENDPOINT_ANSWERS = [
    pytest.param(
        "SELECT ?s ?o WHERE { ?s ?p ?o }",
        "{" + _VARS + ', "results": {"bindings": [{"s": {"type": "uri", "value":'
        ' "http://ex.org/a"}, "o": {"type": "literal", "value": "hello", "xml:lang": "en"}},'
        ' {"s": {"type": "uri", "value": "http://ex.org/b"}}]}}',
        [(URIRef("http://ex.org/a"), Literal("hello", lang="en")),
         (URIRef("http://ex.org/b"), None)],
        id="standard",
    ),
    pytest.param(  # Virtuoso's form: typed-literal and nodeID:// blank nodes
        "SELECT ?s ?o WHERE { ?s ?p ?o }",
        "{" + _VARS + ', "results": {"bindings": [{"s": {"type": "bnode", "value":'
        ' "nodeID://b1"}, "o": {"type": "typed-literal", "value": "3",'
        ' "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}',
        [(BNode("nodeID://b1"), Literal("3", datatype=XSD.integer))],
        id="virtuoso",
    ),
    pytest.param("ASK { ?s ?p ?o }", '{"head": {}, "boolean": true}', True, id="ask"),
    pytest.param("SELECT ?s ?o WHERE { ?s ?p ?o }", "<html>busy</html>",
                 "the body is not JSON", id="html"),
    pytest.param("SELECT ?s ?o WHERE { ?s ?p ?o }", '{"head": {"vars": 3}, "results": {}}',
                 "head.vars is not a list of names", id="bad-head"),
    pytest.param("ASK { ?s ?p ?o }", "{" + _VARS + ', "results": {"bindings": []}}',
                 "an ASK query was answered without a boolean", id="ask-without-boolean"),
    pytest.param("SELECT ?s ?o WHERE { ?s ?p ?o }", '{"head": {}, "boolean": false}',
                 "a SELECT query was answered with a boolean", id="select-with-boolean"),
]


@pytest.mark.parametrize(("query", "body", "expected"), ENDPOINT_ANSWERS)
def test_endpoint_answers_are_read_or_refused_in_one_line(
    query: str, body: str, expected: Any
) -> None:
    """Oxigraph's parser reads the answers it can; the rest go through the checks that name
    what is wrong."""
    from exop.engines.endpoint import EndpointEngine
    from exop.sparqltext import QueryText

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        engine = EndpointEngine(f"http://127.0.0.1:{server.server_address[1]}/sparql", timeout=10)
        if isinstance(expected, str):
            with pytest.raises(EndpointError, match=re.escape(expected)):
                engine.run(QueryText(query))
            return
        result = engine.run(QueryText(query))
    finally:
        server.shutdown()
        server.server_close()
    if isinstance(expected, bool):
        assert result.kind == "ask" and result.boolean is expected
    else:
        assert result.variables == ("s", "o")
        assert list(result.rows) == expected
