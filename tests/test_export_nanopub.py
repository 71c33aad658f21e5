"""Nanopublications: one per finding, each accepted by nanopub-sign's check, rebuilt identically,
and signable with a key given by path (a throwaway RSA key made here)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Dataset

from exop.exporters import _findings as fd
from exop.exporters import get_exporter
from exop.exporters.nanopub import sign
from exop.namespaces import EXOP
from exop.package import Package, default_package

from ecosystem import IN_CI, no_network, require


@pytest.fixture(scope="module")
def artifact() -> dict[str, bytes]:
    return dict(get_exporter("nanopub").render(default_package()))


def test_one_nanopublication_per_finding(artifact: dict[str, bytes]) -> None:
    findings = fd.findings(default_package().data)
    assert sorted(artifact) == sorted(f"{str(f.iri).rsplit('/', 1)[1]}.trig" for f in findings)


def test_rebuild_is_byte_identical(artifact: dict[str, bytes]) -> None:
    assert dict(get_exporter("nanopub").render(Package())) == artifact


def test_nanopub_sign_checks_every_nanopublication(artifact: dict[str, bytes]) -> None:
    nanopub_sign = require("nanopub_sign")
    with no_network():
        for name, data in artifact.items():
            info = nanopub_sign.Nanopub(data.decode("utf-8")).check().info()
            assert info["uri"]["value"].endswith(name.removesuffix(".trig")), name


def test_provenance_carries_the_quote_and_the_assertion_the_statement(
        artifact: dict[str, bytes]) -> None:
    graph = default_package().data
    for finding in fd.findings(graph)[:20]:
        dataset = Dataset()
        dataset.parse(data=artifact[f"{str(finding.iri).rsplit('/', 1)[1]}.trig"], format="trig")
        graphs = {str(g.identifier).rsplit("#", 1)[-1]: g for g in dataset.graphs()}
        assert (None, EXOP.evidenceQuote, None) in graphs["provenance"]
        quotes = [str(q) for q in graphs["provenance"].objects(None, EXOP.evidenceQuote)]
        assert quotes == [finding.quote]
        assert (finding.iri, None, None) in graphs["assertion"]
        assert (None, EXOP.evidenceQuote, None) not in graphs["assertion"]


def test_signing_with_a_key_by_path_gives_a_trusty_uri(tmp_path: Path,
                                                       artifact: dict[str, bytes]) -> None:
    nanopub_sign = require("nanopub_sign")
    openssl = shutil.which("openssl")
    if openssl is None:
        if IN_CI:
            pytest.fail("openssl is missing (CI=true: .ci/run must install it)", pytrace=False)
        pytest.skip("openssl is not installed, so no throwaway RSA key can be made")
    key = tmp_path / "key.pem"
    subprocess.run([openssl, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", str(key)], check=True, capture_output=True)
    name = sorted(artifact)[0]
    with no_network():
        signed = sign(artifact[name].decode("utf-8"), key, "https://orcid.org/0000-0002-1825-0097")
        info = nanopub_sign.Nanopub(signed).check().info()
    assert info["trusty_hash"].startswith("RA")
    assert info["uri"]["value"].endswith(info["trusty_hash"])
    assert info["signature"]
