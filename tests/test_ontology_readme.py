"""ontology/README.md carries a diagram and a term table generated from exop.ttl."""

from __future__ import annotations

from pathlib import Path

from rdflib.namespace import OWL, RDF

from scripts import load_script

ROOT = Path(__file__).resolve().parent.parent


diagram = load_script("tools/ontology_diagram.py", "ontology_diagram")


def test_readme_is_generated_from_the_current_ontology() -> None:
    expected = diagram.readme(diagram.load(), diagram.load(diagram.IMPORTS_TTL))
    actual = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
    assert actual == expected, "ontology/README.md is stale; run `python tools/ontology_diagram.py`"


def test_diagram_and_table_cover_every_minted_class() -> None:
    graph = diagram.load()
    text = diagram.readme(graph)
    assert text.count("```mermaid") == 1
    classes = [c for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(diagram.EXOP)]
    assert len(classes) >= 10
    for cls in classes:
        assert f'class {diagram._node_id(cls)}["{diagram.curie(cls)}"]' in text
        assert f"| `{diagram.curie(cls)}` | class |" in text


def test_diagram_shows_superclasses_and_object_properties() -> None:
    text = diagram.mermaid(diagram.load())
    assert "prov_Entity <|-- exop_Statement" in text
    assert "exop_Statement <|-- exop_Finding" in text
    assert "exop_Statement --> exop_DirectionOfEffect : direction" in text
    assert "exop_Statement --> owl_Thing : targetCell" in text
