"""The prefix decision: the namespaces tools/rewrite_prefixes.py writes are the ones Bioregistry's
converter gives, every external IRI round-trips through it, and the rewrite is re-runnable."""

from __future__ import annotations

import functools

import curies
import pytest

from scripts import load_script

from ecosystem import no_network, require

rewrite = load_script("tools/rewrite_prefixes.py", "rewrite_prefixes")

EXAMPLES = {"HGNC": "11926", "mirbase": "MI0000816", "mirbase.mature": "MIMAT0015041",
            "drugbank": "DB06643", "MESH": "D004164", "cellosaurus": "3708"}


@functools.cache  # building the converter reads Bioregistry's whole registry: once
def _converter() -> curies.Converter:
    bioregistry = require("bioregistry")
    converter: curies.Converter = bioregistry.get_converter(
        uri_prefix_priority=["rdf", "default"])
    return converter


@pytest.mark.parametrize("prefix", sorted(EXAMPLES))
def test_namespace_is_the_one_bioregistry_expands_to(prefix: str) -> None:
    with no_network():
        converter = _converter()
    local = EXAMPLES[prefix]
    _, new = rewrite.NAMESPACES[prefix]
    curie = f"{rewrite.BIOREGISTRY_PREFIX[prefix]}:{local}"
    assert converter.expand(curie) == new + local
    assert converter.compress(new + local) == curie


def test_rewrite_turns_legacy_turtle_into_the_new_form_and_is_idempotent() -> None:
    legacy = (
        "PREFIX cellosaurus: <https://www.cellosaurus.org/CVCL_>\n"
        "PREFIX HGNC: <https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/>\n"
        "<x> a cellosaurus:3708 , HGNC:11926 ,"
        " <http://mirbase.org/cgi-bin/mature.pl?mature_acc=MIMAT0015041> .\n"
    )
    once = rewrite.rewrite_text(legacy)
    assert "identifiers.org" not in once
    assert "cellosaurus:3708" in once
    assert "<https://www.cellosaurus.org/CVCL_>" in once
    assert "<http://mirbase.org/cgi-bin/mature.pl?mature_acc=MIMAT0015041>" in once
    assert rewrite.rewrite_text(once) == once


def test_rewritten_regex_accepts_the_new_iris_only() -> None:
    import re

    pattern = re.compile("^" + rewrite.new_regex() + "$")
    for prefix, local in EXAMPLES.items():
        _, new = rewrite.NAMESPACES[prefix]
        assert pattern.match(new + local), prefix
        old, _ = rewrite.NAMESPACES[prefix]
        assert not pattern.match(old + local), prefix
    assert not pattern.match(rewrite.NAMESPACES["drugbank"][1] + "db06643")


def test_no_committed_file_holds_a_legacy_iri() -> None:
    stale = rewrite.rewrite_files(rewrite.default_files(), check=True)
    assert stale == [], "run: python tools/rewrite_prefixes.py && exop fmt"
    # Spellings the rewrite does not know (a namespace cut short, say) are left to a person.
    here = rewrite.ROOT / "tests" / "test_rewrite_prefixes.py"
    left = [p for p in rewrite.default_files() if p != here
            and ("identifiers.org/" in (text := p.read_text(encoding="utf-8"))
                 or "identifiers[.]org/" in text)]
    assert left == [], "legacy identifiers.org namespaces the rewrite tool does not handle"


def test_id_patterns_are_bioregistrys() -> None:
    require("bioregistry")
    current = rewrite.PATTERNS_PATH.read_text(encoding="utf-8")
    with no_network():
        assert rewrite.patterns_text(current) == current, (
            "run: python tools/rewrite_prefixes.py --patterns")
