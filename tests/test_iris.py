"""The IRI policy of docs/iris.md holds for every IRI that ontology/, data/ and shapes/ mint.

The family patterns live in one place, :data:`exop.namespaces.IRI_FAMILIES`; docs/iris.md
documents them with an example each. Every check is a function that returns the offending
IRIs, so that a failure reads like a curation ticket, and each one is also run on a small
graph that breaks it, to show that it can fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS

from exop import resources
from exop.namespaces import IRI_FAMILIES, PREFIXES, bind_prefixes

ROOT = Path(__file__).resolve().parent.parent
IRIS_MD = ROOT / "docs" / "iris.md"
BASE = PREFIXES["exop"]
DATA = PREFIXES["exopd"]

NAMING_PROPERTIES = (RDFS.label, FOAF.name, DCTERMS.title)
"""What names an individual in data/: rdfs:label for most, foaf:name for foaf:Person and
foaf:Organization (which carry no rdfs:label), and dcterms:title beside rdfs:label on the
review, its sections and its references."""

OBJECT_ONLY_FAMILIES = frozenset({"ontology version", "imports version", "named graph"})
# Only in the files `exop release` writes (tests/test_release.py checks them there).
RELEASE_FILE_FAMILIES = frozenset(
    {"base module", "data module", "base version", "data version", "graph version"}
)
"""Families that name something outside the files (a release, a store's named graph), so
they may appear only as objects (docs/iris.md, "Version IRIs" and "Merging")."""

_PREAMBLE = "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items())


def _parse(paths: Iterable[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@cache
def _ontology() -> Graph:
    files = resources.ontology_files()
    assert files, "no ontology files found"
    return _parse(files)


@cache
def _everything() -> Graph:
    data, shapes = resources.data_files(), resources.shape_files()
    assert data and shapes, "no data or shape files found"
    return _ontology() + _parse(data + shapes)


def _small(turtle: str) -> Graph:
    return bind_prefixes(Graph()).parse(data=f"{_PREAMBLE}\n{turtle}", format="turtle")


def _minted(graph: Graph) -> set[URIRef]:
    return {t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(BASE)}


def families_of(iri: str) -> list[str]:
    """The names of the documented families whose pattern *iri* matches in full."""
    return [name for name, pattern in IRI_FAMILIES.items() if pattern.fullmatch(iri)]


def family_violations(graph: Graph) -> dict[str, list[str]]:
    """Minted IRIs of *graph* that match no documented family, or more than one."""
    found = {str(iri): families_of(iri) for iri in _minted(graph)}
    return {iri: names for iri, names in sorted(found.items()) if len(names) != 1}


def naming_violations(graph: Graph) -> dict[str, dict[str, int]]:
    """exopd: subjects without exactly one value of a naming property, or with two of one."""
    bad: dict[str, dict[str, int]] = {}
    for subject in {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(DATA)}:
        counts = {graph.qname(p): len(set(graph.objects(subject, p))) for p in NAMING_PROPERTIES}
        if 1 not in counts.values() or max(counts.values()) > 1:
            bad[str(subject)] = {p: n for p, n in counts.items() if n}
    return dict(sorted(bad.items()))


def undocumented_terms(ontology: Graph, terms: Iterable[URIRef]) -> dict[str, list[str]]:
    """exop: terms that lack an rdfs:label or a skos:definition in the ontology."""
    bad: dict[str, list[str]] = {}
    for term in terms:
        missing = [
            name
            for name, prop in (("rdfs:label", RDFS.label), ("skos:definition", SKOS.definition))
            if ontology.value(term, prop) is None
        ]
        if missing:
            bad[str(term)] = missing
    return dict(sorted(bad.items()))


def dangling(graph: Graph) -> list[str]:
    """Minted IRIs used as predicate or object but never described as a subject."""
    subjects = set(graph.subjects())
    return sorted(
        str(iri)
        for iri in _minted(graph) - subjects
        if not OBJECT_ONLY_FAMILIES.intersection(families_of(iri))
    )


# The package


def test_every_minted_iri_is_in_exactly_one_documented_family() -> None:
    graph = _everything()
    assert len(_minted(graph)) > 500
    bad = family_violations(graph)
    assert not bad, f"IRIs outside the families of docs/iris.md (IRI: families matched): {bad}"


def test_every_family_is_used_or_documented_as_external() -> None:
    used = {name for iri in _minted(_everything()) for name in families_of(iri)}
    assert used | {"named graph"} | RELEASE_FILE_FAMILIES == set(IRI_FAMILIES)


def test_every_individual_has_exactly_one_name() -> None:
    graph = _everything()
    bad = naming_violations(graph)
    assert not bad, f"exopd: individuals without exactly one name (IRI: values per property): {bad}"


def test_every_term_has_a_label_and_a_definition() -> None:
    terms = [t for t in _minted(_everything()) if families_of(t) == ["term"]]
    assert len(terms) > 50
    bad = undocumented_terms(_ontology(), terms)
    assert not bad, f"exop: terms missing annotations in ontology/ (IRI: missing): {bad}"


def test_no_minted_iri_is_only_referenced() -> None:
    bad = dangling(_everything())
    assert not bad, f"IRIs used but never described (undeclared term or individual): {bad}"


# docs/iris.md documents the same families


def _documented_examples() -> dict[str, str]:
    """Family name -> example IRI, from the table rows `| family | pattern | example | file |`."""
    row = re.compile(r"^\| ([a-z ]+) \| `[^`]+` \| `(https://w3id\.org/exop/[^`]*)` \|", re.M)
    return dict(row.findall(IRIS_MD.read_text(encoding="utf-8")))


def test_docs_give_one_matching_example_per_family() -> None:
    examples = _documented_examples()
    assert set(examples) == set(IRI_FAMILIES), "docs/iris.md and IRI_FAMILIES disagree"
    for family, example in examples.items():
        assert families_of(example) == [family], (family, example)


def test_docs_state_the_object_only_families() -> None:
    text = IRIS_MD.read_text(encoding="utf-8")
    for family in OBJECT_ONLY_FAMILIES:
        assert f"| {family} |" in text


# Each check can fail


def test_family_check_names_an_iri_outside_the_families() -> None:
    graph = _small(
        "exopd:cell-osteoblast rdfs:label 'x' ; exop:cargo <https://w3id.org/exop/data/Bad_Name> ."
        "<https://w3id.org/exop/data/a/b> rdfs:label 'y' ."
        "<https://w3id.org/exop/releases/1/ontology> rdfs:label 'z' ."
    )
    assert set(family_violations(graph)) == {
        f"{DATA}Bad_Name",
        f"{DATA}a/b",
        f"{BASE}releases/1/ontology",
    }


@pytest.mark.parametrize("reserved", ["data", "shapes", "ontology", "releases", "graph"])
def test_reserved_segments_are_not_terms(reserved: str) -> None:
    assert "term" not in families_of(f"{BASE}{reserved}")


def test_naming_check_names_unnamed_and_twice_named_individuals() -> None:
    graph = _small(
        "exopd:ok rdfs:label 'a' ; dcterms:title 'A' . exopd:person foaf:name 'P' ."
        "exopd:unnamed exop:cargo exopd:ok . exopd:twice rdfs:label 'a', 'b' ."
        "exopd:two-titles rdfs:label 'a' ; dcterms:title 'A', 'B' ."
    )
    assert set(naming_violations(graph)) == {
        f"{DATA}unnamed",
        f"{DATA}twice",
        f"{DATA}two-titles",
    }


def test_term_check_names_a_term_without_label_or_definition() -> None:
    graph = _small(
        "exop:Good rdfs:label 'good' ; skos:definition 'd' . exop:NoDef rdfs:label 'x' ."
        "exop:noLabel skos:definition 'd' ."
    )
    terms = [URIRef(f"{BASE}{t}") for t in ("Good", "NoDef", "noLabel")]
    assert undocumented_terms(graph, terms) == {
        f"{BASE}NoDef": ["skos:definition"],
        f"{BASE}noLabel": ["rdfs:label"],
    }


def test_dangling_check_names_undeclared_iris_but_not_version_or_graph_iris() -> None:
    graph = _small(
        "exopd:a rdfs:label 'a' ; exop:cargo exopd:missing ; exop:undeclared exopd:a ."
        "exop:cargo rdfs:label 'cargo' . exop:ontology owl:versionIRI"
        " <https://w3id.org/exop/releases/9.9.9/ontology> ; rdfs:seeAlso exop:graph ."
    )
    assert dangling(graph) == [f"{DATA}missing", f"{BASE}undeclared"]
