"""Parameters of packaged queries: typed, checked, and never able to change the query.

Hostile values (quotes, braces, ``>`` in IRIs, newlines, ``} . DROP ALL``) are either
rejected with a ParameterError that names the parameter, or bound as one harmless RDF term
that leaves the query's shape and the store untouched.
"""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from exop import binding, catalog, engines, sparqltext
from exop.engines.oxigraph import OxigraphEngine
from exop.errors import ParameterError
from exop.graph import load_store

XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
HOSTILE_IRIS = [
    "http://example.org/x> } . DROP ALL ; #",
    'http://example.org/x"y',
    "http://example.org/{x}",
    "http://example.org/x\n} DROP ALL",
    "<http://example.org/a> } DROP ALL",
    "http://example.org/a b",
    "} . DROP ALL",
    "not an iri",
    "CL:0000092> } DROP ALL { <x",
]
HOSTILE_INTEGERS = ["33 } . DROP ALL", '33"', "33\n} DROP ALL", "{33}", "3.5", "x"]
HOSTILE_STRINGS = [
    'x" } . DROP ALL ; #',
    "x' } . DROP ALL ; #",
    'line one\n} . DROP ALL ; INSERT DATA { <a> <b> "c" }',
    '"""',
    "\\",
    "} . DROP ALL",
    "?_label",
]


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    return load_store()


def test_iri_parameter_accepts_iri_and_curie() -> None:
    query = catalog.get_query("findings-by-cell-type")
    by_iri = binding.bind(query, {"celltype": "http://purl.obolibrary.org/obo/CL_0000062"})
    by_curie = binding.bind(query, {"celltype": "CL:0000062"})
    assert by_iri.bindings == by_curie.bindings
    assert by_iri.bindings == {"_celltype_iri": URIRef("http://purl.obolibrary.org/obo/CL_0000062")}


def test_default_is_used_when_no_value_is_given() -> None:
    query = catalog.get_query("findings-by-cell-type")
    bound = binding.bind(query, {})
    assert bound.bindings["_celltype_iri"] == URIRef("http://purl.obolibrary.org/obo/CL_0000092")


@pytest.mark.parametrize("value", HOSTILE_IRIS)
def test_hostile_iri_is_rejected(value: str) -> None:
    query = catalog.get_query("entity-profile")
    with pytest.raises(ParameterError, match="entity"):
        binding.bind(query, {"entity": value})


@pytest.mark.parametrize("value", HOSTILE_IRIS)
def test_hostile_service_endpoint_is_rejected(value: str) -> None:
    query = catalog.get_query("federated-term-labels")
    with pytest.raises(ParameterError, match="endpoint"):
        binding.bind(query, {"endpoint": value})


@pytest.mark.parametrize("value", HOSTILE_INTEGERS)
def test_hostile_integer_is_rejected(value: str) -> None:
    query = catalog.get_query("findings-citing-reference")
    with pytest.raises(ParameterError, match="number"):
        binding.bind(query, {"number": value})


def test_integer_parameter_is_typed() -> None:
    query = catalog.get_query("findings-citing-reference")
    bound = binding.bind(query, {"number": "27"})
    assert bound.bindings == {"_number_integer": Literal("27", datatype=XSD_INTEGER)}


def test_value_outside_enumeration_is_rejected() -> None:
    query = catalog.get_query("drugs-by-mode-of-action")
    with pytest.raises(ParameterError, match="mode"):
        binding.bind(query, {"mode": "https://w3id.org/exop/antiResorptive> } DROP ALL"})
    with pytest.raises(ParameterError, match="mode"):
        binding.bind(query, {"mode": "https://w3id.org/exop/increases"})


def test_unknown_parameter_is_rejected_with_the_known_ones() -> None:
    query = catalog.get_query("findings-by-cell-type")
    with pytest.raises(ParameterError, match="celltype"):
        binding.bind(query, {"cell_type": "CL:0000092"})


ANY_FINDING_LABEL = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX exop: <https://w3id.org/exop/>
SELECT ?label WHERE { ?finding a exop:Finding ; rdfs:label ?label } ORDER BY ?label LIMIT 1
"""
AD_HOC = """#+ summary: findings whose label is exactly the given text
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?finding WHERE { ?finding rdfs:label ?_label . }
"""


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_hostile_string_is_bound_harmlessly(value: str, store: pyoxigraph.Store) -> None:
    """A string parameter becomes one escaped literal: same query shape, no effect."""
    query = catalog.parse_query(AD_HOC, "ad-hoc-label")
    bound = binding.bind(query, {"label": value})
    assert bound.bindings == {"_label": Literal(value)}
    text = binding.with_values(query.text, bound.bindings)
    parsed = prepareQuery(text)
    assert parsed.algebra.name == "SelectQuery"
    assert [str(v) for v in parsed.algebra["PV"]] == ["finding"]
    before = len(store)
    result = engines.run_query(query.text, OxigraphEngine(store), bound.bindings)
    assert result.rows == ()
    assert len(store) == before


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_hostile_string_is_bound_harmlessly_on_rdflib(value: str) -> None:
    query = catalog.parse_query(AD_HOC, "ad-hoc-label")
    bound = binding.bind(query, {"label": value})
    result = engines.run_query(query.text, "rdflib", bound.bindings)
    assert result.rows == ()


def test_a_real_label_still_matches(store: pyoxigraph.Store) -> None:
    """The harmless binding is still a binding: a label that exists is found."""
    any_label = engines.run_query(ANY_FINDING_LABEL, OxigraphEngine(store)).rows[0][0]
    assert isinstance(any_label, Literal)
    variable = f"?_label_{any_label.language}" if any_label.language else "?_label"
    query = catalog.parse_query(AD_HOC.replace("?_label", variable), "ad-hoc-label")
    bound = binding.bind(query, {"label": str(any_label)})
    result = engines.run_query(query.text, OxigraphEngine(store), bound.bindings)
    assert len(result.rows) >= 1


# --- a parameter in SERVICE endpoint position ---------------------------------------------

AD_HOC_SERVICE = """#+ summary: labels from the given endpoint
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
# SERVICE ?_endpoint_iri in a comment is not a SERVICE clause
SELECT ?term ?label ?note WHERE {
  BIND ("SERVICE ?_endpoint_iri { }" AS ?note)
  SERVICE SILENT ?_endpoint_iri { ?term rdfs:label ?label }
}
"""
ENDPOINT = "http://127.0.0.1:9/sparql"


def _service_terms(text: str) -> list[str]:
    """The SERVICE endpoints of *text* as rdflib's parser reads them."""
    from rdflib.plugins.sparql.parser import parseQuery

    return [
        node["term"].n3()
        for node in sparqltext._walk(parseQuery(text))
        if getattr(node, "name", None) == "ServiceGraphPattern"
    ]


def test_service_endpoint_variable_is_found_by_the_parser() -> None:
    assert sparqltext.service_endpoint_variables(AD_HOC_SERVICE) == {"_endpoint_iri"}
    assert sparqltext.service_endpoint_variables(AD_HOC) == frozenset()


def test_service_endpoint_is_written_as_an_iri_term_only_there() -> None:
    query = catalog.parse_query(AD_HOC_SERVICE, "ad-hoc-service")
    bound = binding.bind(query, {"endpoint": ENDPOINT})
    text = binding.with_values(query.text, bound.bindings)
    assert _service_terms(text) == [f"<{ENDPOINT}>"]
    # the comment and the string literal are untouched, and nothing else uses the
    # variable, so no VALUES block is left
    assert "# SERVICE ?_endpoint_iri in a comment" in text
    assert '"SERVICE ?_endpoint_iri { }"' in text
    assert "VALUES" not in text
    prepareQuery(text)


def test_other_uses_of_a_service_variable_stay_values_bindings() -> None:
    both = AD_HOC_SERVICE.replace("?label ?note", "?label ?note ?_endpoint_iri")
    query = catalog.parse_query(both, "ad-hoc-service")
    bound = binding.bind(query, {"endpoint": ENDPOINT})
    text = binding.with_values(query.text, bound.bindings)
    assert _service_terms(text) == [f"<{ENDPOINT}>"]
    assert f"VALUES (?_endpoint_iri) {{ (<{ENDPOINT}>) }}" in text
    prepareQuery(text)


def test_dollar_service_variable_is_written_too() -> None:
    text = AD_HOC_SERVICE.replace("SILENT ?_endpoint_iri {", "$_endpoint_iri {")
    written = binding.with_values(text, {"_endpoint_iri": URIRef(ENDPOINT)})
    assert _service_terms(written) == [f"<{ENDPOINT}>"]


@pytest.mark.parametrize("value", HOSTILE_IRIS)
def test_hostile_service_endpoint_term_is_rejected_when_written(value: str) -> None:
    """Even a term that skipped :func:`binding.bind` cannot end the IRI early."""
    with pytest.raises(ParameterError):
        binding.with_values(AD_HOC_SERVICE, {"_endpoint_iri": URIRef(value)})


def test_literal_service_endpoint_is_rejected() -> None:
    with pytest.raises(ParameterError, match="SERVICE endpoint"):
        binding.with_values(AD_HOC_SERVICE, {"_endpoint_iri": Literal(ENDPOINT)})


def test_federated_catalogue_query_gets_its_endpoint_in_the_service_clause() -> None:
    query = catalog.get_query("federated-term-labels")
    bound = binding.bind(query, {"endpoint": ENDPOINT})
    text = binding.with_values(query.text, bound.bindings)
    assert _service_terms(text) == [f"<{ENDPOINT}>"]
    assert "_endpoint_iri" not in text.split("SELECT", 1)[1]


# --- a query is lexed once, from its file to the engine --------------------------------------


@pytest.mark.parametrize(
    ("query_id", "values"),
    [
        ("table-1", {}),
        ("findings-by-cell-type", {"celltype": "CL:0000092"}),
        ("federated-term-labels", {"endpoint": ENDPOINT}),
    ],
)
def test_a_packaged_query_is_lexed_once(
    query_id: str, values: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Catalogue, binding and engine share one lexing pass of the query text."""
    passes: list[int] = []
    original = sparqltext.mask

    def counting(text: str) -> str:
        passes.append(len(text))
        return original(text)

    monkeypatch.setattr(sparqltext, "mask", counting)
    query = catalog.get_query(query_id)
    bound = binding.bind(query, values)
    text = bound.text
    assert query.form in ("SELECT", "CONSTRUCT", "ASK")
    assert query.query_text.ordered in (True, False)
    prepareQuery(text)
    assert len(passes) == 1, f"{query_id}: {len(passes)} lexing passes"
