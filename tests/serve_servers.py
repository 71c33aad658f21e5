"""The live server (``exop serve``) on a free loopback port, once per test session.

``live_server`` runs the installed ``exop serve`` command as a process, as users run it, and
is a target of the content-negotiation matrix (tests/conneg.py): it answers for EXOP IRIs
at its root, as w3id.org does at ``https://w3id.org/exop/``. ``tests/conftest.py`` imports
the fixture (``__all__``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from exop import formats
from exop.site import paths

from servers import exop_command, free_port, stop, wait_until_ready

__all__ = ["live_server"]


@dataclass(frozen=True)
class LiveServer:
    """A running ``exop serve``: its IRIs, its documents and its SPARQL endpoint."""

    host: str
    """``http://127.0.0.1:PORT``: where the documents are (``/current/...``)."""
    root: Path
    """The static site built from the same package: the server's documents are its files."""
    log: Path
    redirects: bool = True
    """It answers an IRI with 303 to the document, as the w3id rules do."""

    def document_url(self, iri: str, fmt: formats.Format) -> str:
        """Where the server sends a client that wants *iri* as *fmt*."""
        return f"{self.host}/{paths.document_for(iri, fmt)}"

    @property
    def w3id(self) -> str:
        """Base of the EXOP IRIs as served here."""
        return f"{self.host}/"

    @property
    def sparql(self) -> str:
        return f"{self.host}/sparql"

    def iri_url(self, iri: str) -> str:
        """The loopback URL that plays the part of *iri*."""
        return self.w3id + iri[len(paths.BASE):]


@pytest.fixture(scope="session")
def live_server(built_site: Path, tmp_path_factory: pytest.TempPathFactory) \
        -> Iterator[LiveServer]:
    port = free_port()
    log = tmp_path_factory.mktemp("exop-serve") / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([*exop_command(), "serve", "--port", str(port),
                                 "--timeout", "20"], stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_ready(proc, f"http://127.0.0.1:{port}/sparql", log)
        yield LiveServer(f"http://127.0.0.1:{port}", built_site, log)
    finally:
        stop(proc)
