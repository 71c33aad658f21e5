"""The EXOP ontology: header, OWL 2 DL profile rules, minted-term hygiene, QC queries, HermiT."""

from __future__ import annotations

import os
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from exop import engines, resources
from exop import graph as package_graph
from exop.engines.rdflib import RdflibEngine
from exop.errors import JavaNotFoundError

ROOT = Path(__file__).resolve().parent.parent
EXOP_NS = "https://w3id.org/exop/"
EXOPD_NS = "https://w3id.org/exop/data/"
ONTOLOGY_IRI = URIRef("https://w3id.org/exop/ontology")
IMPORTS_IRI = URIRef("https://w3id.org/exop/ontology/imports")
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
QC_QUERIES = sorted((ROOT / "queries").glob("qc-*-violation.rq"))

# Reserved-vocabulary predicates an OWL 2 DL graph may use (OWL 2 Mapping to RDF, Table 3
# built-in annotation properties, plus the RDF/RDFS/OWL axiom vocabulary).
ALLOWED_RESERVED = {
    RDF.type,
    RDF.first,
    RDF.rest,
    RDFS.label,
    RDFS.comment,
    RDFS.seeAlso,
    RDFS.isDefinedBy,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
}


def _package_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return package_graph.parse_file(resources.ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def package() -> Graph:
    return package_graph.load_package().union()


def _minted(graph: Graph, rdf_type: URIRef) -> list[URIRef]:
    return sorted(
        s
        for s in graph.subjects(RDF.type, rdf_type)
        if isinstance(s, URIRef) and str(s).startswith(EXOP_NS) and not str(s).startswith(EXOPD_NS)
    )


# --- header -------------------------------------------------------------------------------


def test_version_info_equals_package_version(ontology: Graph) -> None:
    version = _package_version()
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal(version)
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(
        f"https://w3id.org/exop/releases/{version}/ontology"
    )


def test_import_module_version_follows_package_version() -> None:
    module = package_graph.parse_file(resources.IMPORTS_DIR / "exop-imports.ttl")
    version = _package_version()
    assert module.value(IMPORTS_IRI, OWL.versionInfo) == Literal(version)
    assert module.value(IMPORTS_IRI, OWL.versionIRI) == URIRef(
        f"https://w3id.org/exop/releases/{version}/ontology/imports"
    )


def test_header_has_licence_creator_source_description_and_imports(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert (ONTOLOGY_IRI, OWL.imports, IMPORTS_IRI) in ontology
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.creator) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.source) == URIRef(
        "https://doi.org/10.4252/wjsc.v15.i3.83"
    )
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.description) is not None


# --- minted terms -------------------------------------------------------------------------


def test_minted_classes_sit_under_an_upper_or_external_class(ontology: Graph) -> None:
    classes = _minted(ontology, OWL.Class)
    assert len(classes) >= 10

    def external_parent(cls: URIRef, seen: frozenset[URIRef] = frozenset()) -> bool:
        # A minted parent counts through its own parents (exop:Finding under exop:Statement
        # under prov:Entity); a cycle of minted classes never reaches an external one.
        parents = [p for p in ontology.objects(cls, RDFS.subClassOf) if isinstance(p, URIRef)]
        return any(
            not str(p).startswith(EXOP_NS) or (p not in seen and external_parent(p, seen | {cls}))
            for p in parents
        )

    orphans = [c for c in classes if not external_parent(c)]
    assert orphans == [], f"minted classes without an external superclass: {orphans}"


@pytest.mark.parametrize("rdf_type", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty])
def test_minted_terms_have_one_english_label_and_a_definition(
    ontology: Graph, rdf_type: URIRef
) -> None:
    terms = _minted(ontology, rdf_type)
    assert terms, f"no minted {rdf_type}"
    for term in terms:
        labels = list(ontology.objects(term, RDFS.label))
        assert len(labels) == 1, f"{term}: {labels}"
        definition = ontology.value(term, SKOS.definition)
        assert definition is not None and len(str(definition)) > 40, f"{term} needs a definition"


def test_value_sets_are_closed_enumerations(ontology: Graph) -> None:
    for value_set, members in {
        "DirectionOfEffect": {"increases", "decreases", "noEffect"},
        "ModeOfAction": {"antiResorptive", "anabolic", "dualAction"},
    }.items():
        cls = URIRef(EXOP_NS + value_set)
        found = {str(i).removeprefix(EXOP_NS) for i in ontology.subjects(RDF.type, cls)}
        assert found == members
        assert list(ontology.objects(cls, OWL.equivalentClass)), f"{value_set} needs owl:oneOf"


# --- OWL 2 DL -----------------------------------------------------------------------------


def _declared(graph: Graph) -> dict[URIRef, set[URIRef]]:
    kinds: dict[URIRef, set[URIRef]] = {}
    for kind in (OWL.Class, *PROPERTY_TYPES):
        for s in graph.subjects(RDF.type, kind):
            if isinstance(s, URIRef):
                kinds.setdefault(s, set()).add(kind)
    return kinds


def test_no_iri_is_both_class_and_individual(package: Graph) -> None:
    classes = {s for s in package.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    individuals = {
        s
        for s, o in package.subject_objects(RDF.type)
        if isinstance(s, URIRef) and (o in classes or o == OWL.NamedIndividual)
    }
    punned = sorted(classes & individuals)
    assert punned == [], f"IRIs used both as class and as individual: {punned}"


def test_every_property_has_exactly_one_property_type(package: Graph) -> None:
    clashes = {
        str(iri): sorted(str(k) for k in kinds)
        for iri, kinds in _declared(package).items()
        if len(kinds & set(PROPERTY_TYPES)) > 1 or (OWL.Class in kinds and len(kinds) > 1)
    }
    assert clashes == {}, f"IRIs declared with more than one kind: {clashes}"


def test_every_property_is_declared_in_one_ontology_file_only() -> None:
    # The import module declares what it uses so that it is OWL 2 DL on its own; a property
    # it shares with another file must have the same kind there.
    counts: Counter[Node] = Counter()
    kinds: dict[Node, set[Node]] = {}
    for path in resources.ontology_files():
        file_graph = package_graph.parse_file(path)
        declared = {s for kind in PROPERTY_TYPES for s in file_graph.subjects(RDF.type, kind)}
        for subject in declared:
            kinds.setdefault(subject, set()).update(
                k for k in file_graph.objects(subject, RDF.type) if k in PROPERTY_TYPES
            )
        if path.name != "exop-imports.ttl":
            counts.update(declared)
    twice = sorted(str(p) for p, n in counts.items() if n > 1)
    assert twice == [], f"properties declared in more than one ontology file: {twice}"
    clashing = sorted(str(p) for p, k in kinds.items() if len(k) > 1)
    assert clashing == [], f"properties declared with different kinds in files: {clashing}"


def test_every_predicate_in_the_data_is_a_declared_property(package: Graph) -> None:
    declared = {s for kind in PROPERTY_TYPES for s in package.subjects(RDF.type, kind)}
    data = package_graph.load_data()
    undeclared = sorted(
        str(p)
        for p in set(data.predicates())
        if p not in declared and not str(p).startswith((str(RDF), str(RDFS), str(OWL)))
    )
    assert undeclared == [], f"predicates used in data/ but not declared: {undeclared}"


def test_no_reserved_vocabulary_used_as_a_property(package: Graph) -> None:
    reserved = sorted(
        str(p)
        for p in set(package.predicates())
        if str(p).startswith((str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#"))
        and p not in ALLOWED_RESERVED
        and not str(p).startswith(str(OWL))
    )
    assert reserved == [], f"reserved vocabulary used as a property: {reserved}"


def test_no_rdf_lists_in_data() -> None:
    data = package_graph.load_data()
    assert not list(data.triples((None, RDF.first, None))), (
        "rdf:List is not allowed in OWL 2 DL data"
    )


# --- QC queries ---------------------------------------------------------------------------


def test_qc_queries_are_packaged() -> None:
    names = {p.name for p in QC_QUERIES}
    assert {
        "qc-minted-term-without-label-violation.rq",
        "qc-minted-term-without-definition-violation.rq",
        "qc-duplicate-label-violation.rq",
        "qc-label-whitespace-violation.rq",
        "qc-undeclared-term-violation.rq",
        "qc-deprecated-term-violation.rq",
        "qc-external-label-mismatch-violation.rq",
    } <= names
    for path in QC_QUERIES:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("#+ summary: QC - "), path.name
        assert "#+ tags:\n#+   - qc\n" in text, path.name


@pytest.mark.parametrize("path", QC_QUERIES, ids=[p.stem for p in QC_QUERIES])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_qc_query_returns_no_rows(path: Path, engine: str) -> None:
    result = engines.run_query(path.read_text(encoding="utf-8"), engine=engine)
    assert result.kind == "select"
    offending = [tuple(str(v) for v in row) for row in result.rows]
    assert offending == [], f"{path.name} found violations:\n" + "\n".join(map(str, offending[:20]))


def _with_extra(turtle: str) -> Graph:
    graph = package_graph.load_package().union()
    graph.parse(
        data="@prefix exop: <https://w3id.org/exop/> .\n"
        "@prefix exopd: <https://w3id.org/exop/data/> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix CL: <http://purl.obolibrary.org/obo/CL_> .\n" + turtle,
        format="turtle",
    )
    return graph


@pytest.mark.parametrize(
    ("query", "bad"),
    [
        ("qc-minted-term-without-label-violation", "exop:Unlabelled a owl:Class ."),
        (
            "qc-minted-term-without-definition-violation",
            'exop:Undefined a owl:Class ; rdfs:label "undefined" .',
        ),
        ("qc-duplicate-label-violation", 'exop:Twin a owl:Class ; rdfs:label "Finding" .'),
        ("qc-label-whitespace-violation", 'exopd:x rdfs:label "osteoblasts " .'),
        ("qc-undeclared-term-violation", "exopd:x a exop:NoSuchClass ."),
        ("qc-deprecated-term-violation", "CL:0000062 owl:deprecated true ."),
        ("qc-external-label-mismatch-violation", 'CL:0000062 rdfs:label "bone-forming cell" .'),
        (
            "qc-duplicate-individual-label-violation",
            'exopd:cell-a a CL:0000062 ; rdfs:label "osteoblasts" . '
            'exopd:cell-b a CL:0000062 ; rdfs:label "Osteoblasts" .',
        ),
    ],
)
def test_qc_query_catches_a_violation(query: str, bad: str) -> None:
    text = (ROOT / "queries" / f"{query}.rq").read_text(encoding="utf-8")
    result = engines.run_query(text, RdflibEngine(_with_extra(bad)))
    assert result.rows, f"{query} missed: {bad}"


# --- HermiT -------------------------------------------------------------------------------


def test_hermit_finds_ontology_and_data_consistent_without_unsatisfiable_classes() -> None:
    from exop import reasoning

    try:
        reasoning.find_java()
    except JavaNotFoundError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Java is not installed here, so HermiT cannot run (CI requires it)")
    result = reasoning.reason()
    assert result.consistent, "HermiT: the ontology plus data is inconsistent"
    assert result.unsatisfiable == (), f"unsatisfiable classes: {result.unsatisfiable}"
    assert result.triples > 1000
