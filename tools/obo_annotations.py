"""Derive the OBO annotations of ontology/exop.ttl and data/*.ttl from the W3C ones.

Adds IAO:0000115 (= skos:definition), rdfs:isDefinedBy and oboInOwl:hasExactSynonym
(= skos:altLabel) to every minted term, and owl:NamedIndividual to every individual, then
writes each file back in canonical form. Re-run it after adding terms or individuals;
tests/test_obo_annotations.py fails while a file lacks what it derives.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from exop import obo, resources
from exop.canonical import canonical_turtle
from exop.graph import parse_file
from exop.output import atomic_write


def _rewrite(path: Path, annotate: Callable[[Graph], Graph]) -> bool:
    graph = annotate(parse_file(path, "turtle", into=Graph(bind_namespaces="none")))
    graph.bind("oboInOwl", obo.OBO_IN_OWL)
    text = canonical_turtle(graph)
    if path.read_text(encoding="utf-8") == text:
        return False
    atomic_write(path, text.encode("utf-8"))
    return True


def main() -> int:
    changed = [p for p in (resources.ONTOLOGY_FILE,) if _rewrite(p, obo.annotate_ontology)]
    changed += [p for p in resources.data_files() if _rewrite(p, obo.annotate_data)]
    names = ", ".join(str(p.relative_to(resources.ROOT)) for p in changed) or "none"
    sys.stderr.write(f"OBO annotations derived; files rewritten: {names}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
