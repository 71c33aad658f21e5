"""The scaled-input generator of the benchmarks: deterministic, fresh IRIs, exact sizes.

The benchmarks folder is not part of the installed package, so its generator module is
loaded from its file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from exop import graph as package_graph
from exop.rdfout import isomorphic
from scripts import load_script

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_FILE = ROOT / "benchmarks" / "generator.py"


gen = load_script("benchmarks/generator.py", "exop_bench_generator")


@pytest.fixture(scope="module")
def template() -> Any:
    return gen.package_template()


def _parse_nt(lines: list[str]) -> Graph:
    return Graph().parse(data="".join(lines), format="nt")


def test_the_package_has_findings_to_replicate(template: Any) -> None:
    assert template.nodes, "no findings-specific nodes found in data/"
    assert template.replica_triples > 0


def test_size_one_is_the_package_itself(template: Any) -> None:
    parts = package_graph.load_package()
    expected = len(parts.ontology + parts.data)
    got = _parse_nt(list(template.lines(1)))
    assert len(got) == expected == template.base_triples


def test_output_is_deterministic(tmp_path: Path, template: Any) -> None:
    first = gen.write_scaled(3, tmp_path / "a", template)
    rebuilt = gen.build_template(package_graph.load_ontology(), package_graph.load_data())
    second = gen.write_scaled(3, tmp_path / "b", rebuilt)
    assert first.sha256 == second.sha256
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.data_path.read_bytes() == second.data_path.read_bytes()


@pytest.mark.parametrize("n", [1, 2, 5])
def test_triple_count_scales_linearly(tmp_path: Path, template: Any, n: int) -> None:
    scaled = gen.write_scaled(n, tmp_path, template)
    expected = template.base_triples + (n - 1) * template.replica_triples
    assert scaled.triples == expected == template.triples(n)
    store = pyoxigraph.Store()
    store.bulk_load(path=str(scaled.path), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(store) == expected, "duplicate lines: a replica repeats existing triples"
    data = pyoxigraph.Store()
    data.bulk_load(path=str(scaled.data_path), format=pyoxigraph.RdfFormat.N_TRIPLES)
    data_expected = len(template.data_base) + (n - 1) * template.replica_triples
    assert len(data) == scaled.data_triples == data_expected


def test_replicas_use_fresh_iris(template: Any) -> None:
    base_subjects = set(_parse_nt(list(template.base)).subjects())
    seen: set[object] = set(base_subjects)
    for k in (1, 2, 3):
        subjects = set(_parse_nt(list(template.replica_lines(k))).subjects())
        assert len(subjects) == len(template.nodes)
        assert not subjects & seen, f"replica {k} reuses IRIs"
        assert all(str(s).endswith(f"-r{k}") for s in subjects)
        seen |= subjects


def _original_part(template: Any) -> Graph:
    data = package_graph.load_data()
    part = Graph()
    for triple in data:
        if triple[0] in template.nodes:
            part.add(triple)
    return part


def _renamed_back(replica: Graph, k: int, nodes: frozenset[URIRef]) -> Graph:
    suffix, label_suffix = f"-r{k}", f" [r{k}]"

    def back(term: object) -> object:
        if isinstance(term, URIRef) and str(term).endswith(suffix):
            original = URIRef(str(term)[: -len(suffix)])
            assert original in nodes, term
            return original
        return term

    out = Graph()
    for s, p, o in replica:
        if p == RDFS.label and isinstance(o, Literal):
            assert str(o).endswith(label_suffix), o
            o = Literal(str(o)[: -len(label_suffix)], lang=o.language, datatype=o.datatype)
        out.add((back(s), back(p), back(o)))  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize("k", [1, 7])
def test_replicas_are_isomorphic_to_the_findings_modulo_renaming(template: Any, k: int) -> None:
    original = _original_part(template)
    replica = _parse_nt(list(template.replica_lines(k)))
    assert len(replica) == len(original)
    assert isomorphic(_renamed_back(replica, k, template.nodes), original)


def test_sizes_reach_about_a_million_triples(template: Any) -> None:
    sizes = gen.default_sizes(template)
    assert sizes[0] == 1 and list(sizes) == sorted(set(sizes))
    largest = template.triples(sizes[-1])
    assert 1_000_000 <= largest < 1_000_000 + template.replica_triples
