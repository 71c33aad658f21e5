"""Count the answers to five hierarchy questions over the package with a given import module.

    python tools/hierarchy_questions.py [--module FILE] [--hermit]

For each question it prints the count by ``rdfs:subClassOf*`` alone and by walking the
module's is_a and part_of axioms (named superclasses, ``part of`` restrictions, and the
genus and ``part of`` terms of EquivalentTo definitions); with ``--hermit``, also the target
cells HermiT infers to be part of the skeletal system. Run it on an older module (e.g. ``git show
REV:ontology/imports/exop-imports.ttl > old.ttl``) to compare.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from exop import graph as package_graph
from exop import resources

OBO = "http://purl.obolibrary.org/obo/"
EXOP = "https://w3id.org/exop/"
PART_OF = URIRef(f"{OBO}BFO_0000050")
MODULE = resources.ONTOLOGY_FILE.parent / "imports" / "exop-imports.ttl"

# question -> (target class, links from a finding to the typed entity)
ANATOMY_LINKS = (
    "outcome",
    "agent",
    "targetCell",
    "experimentalSystem/anatomicalSite",
    "preparation/sourceTissue",
)
PROCESS_LINKS = ("outcome", "pathway")
QUESTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "findings in the skeletal system": ("UBERON_0001434", ANATOMY_LINKS),
    "findings about ossification": ("GO_0001503", PROCESS_LINKS),
    "findings about bone remodeling": ("GO_0046849", PROCESS_LINKS),
    "findings about hemopoiesis": ("GO_0030097", PROCESS_LINKS),
}
SKELETON = URIRef(f"{OBO}UBERON_0001434")  # skeletal system
CELL = URIRef(f"{OBO}CL_0000000")


def axiom_parents(graph: Graph, cls: URIRef) -> set[URIRef]:
    """Named classes *cls* is placed under by is_a or part_of in the module's axioms."""
    found: set[URIRef] = set()
    for node in graph.objects(cls, RDFS.subClassOf):
        found |= _targets(graph, node)
    for node in graph.objects(cls, OWL.equivalentClass):
        if isinstance(node, URIRef):
            found.add(node)
        members = graph.value(node, OWL.intersectionOf)
        if isinstance(members, BNode):
            for member in graph.items(members):
                found |= _targets(graph, member)
    return found


def _targets(graph: Graph, node: object) -> set[URIRef]:
    if isinstance(node, URIRef):
        return {node}
    if isinstance(node, BNode) and graph.value(node, OWL.onProperty) == PART_OF:
        filler = graph.value(node, OWL.someValuesFrom)
        return {filler} if isinstance(filler, URIRef) else set()
    return set()


def below(graph: Graph, target: URIRef, *, walk_axioms: bool) -> set[URIRef]:
    """Classes that reach *target* by rdfs:subClassOf* or, walking axioms, by is_a/part_of."""
    classes = {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    result = set()
    for cls in classes:
        seen, todo = {cls}, [cls]
        while todo:
            node = todo.pop()
            if node == target:
                result.add(cls)
                break
            step = (
                axiom_parents(graph, node)
                if walk_axioms
                else {o for o in graph.objects(node, RDFS.subClassOf) if isinstance(o, URIRef)}
            )
            todo.extend(step - seen)
            seen |= step
    return result


def findings_reaching(package: Graph, classes: set[URIRef], links: Iterable[str]) -> set[Node]:
    found: set[Node] = set()
    for finding in package.subjects(RDF.type, URIRef(f"{EXOP}Finding")):
        for link in links:
            nodes = {finding}
            for step in link.split("/"):
                nodes = {o for n in nodes for o in package.objects(n, URIRef(EXOP + step))}
            if any(set(package.objects(n, RDF.type)) & classes for n in nodes):
                found.add(finding)
    return found


def hermit_skeleton_cells(package: Graph) -> tuple[int, int]:
    """Target-cell individuals HermiT infers to be cells that are part of some skeletal
    system, and the findings about them."""
    import owlready2

    from exop.reasoning import find_java

    query = URIRef(f"{EXOP}query/SkeletonCell")
    graph = Graph()
    for triple in package:
        if triple[1] != OWL.imports:  # the imported module is already in the graph
            graph.add(triple)
    definition, members, restriction = BNode(), BNode(), BNode()
    graph.add((query, RDF.type, OWL.Class))
    graph.add((query, OWL.equivalentClass, definition))
    graph.add((definition, RDF.type, OWL.Class))
    graph.add((restriction, RDF.type, OWL.Restriction))
    graph.add((restriction, OWL.onProperty, PART_OF))
    graph.add((restriction, OWL.someValuesFrom, SKELETON))
    Collection(graph, members, [CELL, restriction])
    graph.add((definition, OWL.intersectionOf, members))
    cells = set(package.objects(None, URIRef(f"{EXOP}targetCell")))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "package.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        owlready2.JAVA_EXE = find_java()
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load(format="ntriples")
        with world.get_ontology("http://example.org/inferred"):
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        inferred = world[str(query)]
        instances = {i.iri for i in inferred.instances()} if inferred is not None else set()
    inferred_cells = {c for c in cells if str(c) in instances}
    findings = {
        f for f, c in package.subject_objects(URIRef(f"{EXOP}targetCell")) if c in inferred_cells
    }
    return len(inferred_cells), len(findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", type=Path, default=MODULE)
    parser.add_argument("--hermit", action="store_true")
    args = parser.parse_args(argv)
    module = package_graph.parse_file(args.module)
    package = Graph()
    package += package_graph.parse_file(resources.ONTOLOGY_FILE)
    for path in resources.data_files():
        package += package_graph.parse_file(path)
    for question, (target, links) in QUESTIONS.items():
        iri = URIRef(OBO + target)
        by_subclass = findings_reaching(package, below(module, iri, walk_axioms=False), links)
        by_axioms = findings_reaching(package, below(module, iri, walk_axioms=True), links)
        sys.stdout.write(
            f"{question}: {len(by_subclass)} by rdfs:subClassOf*, "
            f"{len(by_axioms)} by is_a and part_of\n"
        )
    if args.hermit:
        package += module
        cells, findings = hermit_skeleton_cells(package)
        sys.stdout.write(
            f"target cells that are part of the skeletal system (HermiT): {cells} cell "
            f"individuals, {findings} findings\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
