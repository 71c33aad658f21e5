"""Real SPARQL servers for the engine-equivalence and federation tests.

Each fixture starts a server process on free loopback ports from its own temporary
directory, waits until its query endpoint answers, loads the package, and always terminates
the process. ``tests/conftest.py`` imports the fixtures and the ``--regen-expected`` option
(``__all__``) from here.

- ``oxigraph_server``: the Oxigraph server (PyPI ``oxigraph``) holding the package in the
  named graph :data:`PACKAGE_GRAPH`. Its store directory is locked while it serves, so the
  package is loaded with ``exop load`` through the server's Graph Store endpoint ``/store``.
- ``oxigraph_remote``: a second Oxigraph server holding only the import module (labels and
  hierarchy of the external terms) in its default graph: the "other endpoint" of the
  federated queries.
- ``virtuoso_server``: Virtuoso Open Source (Debian ``virtuoso-opensource``) started in the
  foreground from a generated ``virtuoso.ini``. Its public ``/sparql`` refuses updates, so the
  package (the files' union as N-Triples) goes in through Virtuoso's bulk loader, run with
  ``isql`` as dba on the throw-away database. The authenticated Graph Store endpoint
  (``/sparql-graph-crud-auth``, HTTP digest) is exercised by ``test_engines``. Under
  ``CI=true`` a missing Virtuoso fails the test instead of skipping it: CI must install it
  (``.ci/run`` does).

Queries sent to a server name :data:`PACKAGE_GRAPH` as the default graph (protocol parameter
``default-graph-uri``), so that Virtuoso's own system graphs never leak into results.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from exop import graph as package_graph
from exop import resources
from exop.namespaces import DEFAULT_GRAPH_IRI

__all__ = ["oxigraph_remote", "oxigraph_server", "pytest_addoption", "virtuoso_server"]

PACKAGE_GRAPH = str(DEFAULT_GRAPH_IRI)
STARTUP_TIMEOUT_S = 90.0
VIRTUOSO_USER = ("dba", "dba")  # the default account of a fresh, throw-away database


@dataclass(frozen=True)
class SparqlServer:
    """A running SPARQL server: where to query it, where to load into, and how."""

    name: str
    query_url: str
    store_url: str
    """Graph Store Protocol endpoint (``?graph=`` for Oxigraph, ``?graph-uri=`` for Virtuoso)."""
    graph: str | None
    """Named graph holding the package, sent as ``default-graph-uri``; None: default graph."""
    auth: tuple[str, str] | None = None


def in_ci() -> bool:
    """True when running in continuous integration, where missing servers are failures."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing_tool(reason: str) -> None:
    """Skip locally, fail in CI: a server CI must provide is not there."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: CI must install it, see .ci/run)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def find_executable(name: str) -> str | None:
    """Look for *name* beside the running interpreter (the venv) first, then on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def _log_tail(log: Path, lines: int = 20) -> str:
    if not log.is_file():
        return "(no log)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def wait_until_ready(proc: subprocess.Popen[bytes], query_url: str, log: Path) -> None:
    """Poll the query endpoint with ``ASK {}`` until it answers 200, or fail with the log."""
    url = f"{query_url}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{_log_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not ready after {STARTUP_TIMEOUT_S} s:\n{_log_tail(log)}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server we started (SIGTERM, then SIGKILL after 20 s)."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def imports_ntriples() -> bytes:
    """Only the import module: labels and hierarchy of the external terms."""
    graph = Graph()
    for path in sorted(resources.IMPORTS_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph.serialize(format="nt", encoding="utf-8")


def gsp_put(server: SparqlServer, payload: bytes, graph_param: str) -> None:
    """Replace one graph through the Graph Store Protocol (HTTP PUT of N-Triples)."""
    opener = urllib.request.build_opener()
    if server.auth:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, server.store_url, *server.auth)
        opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))
    request = urllib.request.Request(  # noqa: S310 (loopback URL built by the fixture)
        f"{server.store_url}?{graph_param}",
        data=payload,
        method="PUT",
        headers={"Content-Type": "application/n-triples"},
    )
    try:
        with opener.open(request, timeout=300) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        detail = error.read()[:500].decode(errors="replace")
        raise RuntimeError(f"loading {server.name} failed: HTTP {error.code} {detail}") from None
    if status not in {200, 201, 204}:
        raise RuntimeError(f"loading {server.name} failed: HTTP {status}")


def load_package(server: SparqlServer) -> None:
    """Load the package into *server*'s named graph with ``exop load`` (Graph Store PUT)."""
    assert server.graph is not None
    command = [*exop_command(), "load", "--endpoint", server.store_url, "--graph", server.graph]
    if server.auth:
        user, password = server.auth
        command += ["--user", user, "--password", password, "--graph-parameter", "graph-uri"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"`exop load` into {server.name} failed ({done.returncode}): {done.stderr.strip()}"
        )


def exop_command() -> list[str]:
    """The installed ``exop`` command (beside the interpreter), else ``python -m exop.cli``."""
    beside = Path(sys.executable).parent / "exop"
    if beside.is_file():
        return [str(beside)]
    return [sys.executable, "-m", "exop.cli"]


def start_oxigraph(
    workdir: Path, *, union_default_graph: bool = False
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``oxigraph serve`` on a free loopback port; return the process and its base URL."""
    exe = find_executable("oxigraph")
    if exe is None:
        missing_tool("the Oxigraph server (`oxigraph`, PyPI package oxigraph) is not installed")
    assert exe is not None
    port = free_port()
    store = workdir / "store"
    store.mkdir()
    log = workdir / "oxigraph.log"
    args = [exe, "serve", "--location", str(store), "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        args.append("--union-default-graph")
    with log.open("wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(proc, f"{base}/query", log)
    except BaseException:
        stop(proc)
        raise
    return proc, base


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """The Oxigraph server holding the package in :data:`PACKAGE_GRAPH`."""
    proc, base = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        server = SparqlServer("oxigraph-server", f"{base}/query", f"{base}/store", PACKAGE_GRAPH)
        load_package(server)
        yield server
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def oxigraph_remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """A second Oxigraph server with only the import module, in its default graph."""
    proc, base = start_oxigraph(tmp_path_factory.mktemp("oxigraph-remote"))
    try:
        server = SparqlServer("oxigraph-remote", f"{base}/query", f"{base}/store", None)
        gsp_put(server, imports_ntriples(), "default")
        yield server
    finally:
        stop(proc)


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CheckpointInterval = 0
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
DirsAllowed        = ., {dir}
CaseMode           = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}/vsp
ServerThreads        = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows           = 100000
MaxQueryExecutionTime      = 120
MaxQueryCostEstimationTime = 400
"""


@dataclass(frozen=True)
class VirtuosoProcess:
    """A running Virtuoso: its process, HTTP base URL, SQL port and working directory."""

    process: subprocess.Popen[bytes]
    base_url: str
    sql_port: int
    workdir: Path


def start_virtuoso(workdir: Path) -> VirtuosoProcess:
    """Start ``virtuoso-t +foreground`` from a generated ini on free loopback ports."""
    exe = find_executable("virtuoso-t")
    if exe is None:
        missing_tool(
            "Virtuoso Open Source (`virtuoso-t`) is not installed; "
            "install the Debian package virtuoso-opensource"
        )
    assert exe is not None
    http_port, sql_port = free_port(), free_port()
    (workdir / "vsp").mkdir()
    ini = workdir / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=workdir, sql_port=sql_port, http_port=http_port))
    log = workdir / "virtuoso.out"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [exe, "+foreground", "+configfile", str(ini)],
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_ready(proc, f"{base}/sparql", log)
    except BaseException:
        stop(proc)
        raise
    return VirtuosoProcess(proc, base, sql_port, workdir)


def virtuoso_bulk_load(virtuoso: VirtuosoProcess, graph_iri: str) -> None:
    """Write the package as N-Triples and load it into *graph_iri* with the bulk loader."""
    isql = find_executable("isql-vt") or find_executable("isql")
    if isql is None:
        missing_tool("Virtuoso's isql client (`isql-vt`) is not installed")
    assert isql is not None
    dump = virtuoso.workdir / "package.nt"
    # The files' union, as `exop load` puts it and the embedded engines see it (`exop export`
    # merges the modules into one ontology header, which would change header queries).
    union = package_graph.load_package().union()
    dump.write_bytes(union.serialize(format="nt", encoding="utf-8"))
    if "'" in graph_iri:
        raise ValueError(f"graph IRI must not contain a quote: {graph_iri!r}")
    script = (
        f"ld_dir('{virtuoso.workdir}', 'package.nt', '{graph_iri}'); rdf_loader_run(); checkpoint;"
    )
    done = subprocess.run(
        [isql, f"127.0.0.1:{virtuoso.sql_port}", *VIRTUOSO_USER, f"exec={script}"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0 or "Error" in done.stdout + done.stderr:
        raise RuntimeError(f"Virtuoso bulk load failed:\n{done.stdout}\n{done.stderr}")
    expected = sum(1 for line in dump.read_text(encoding="utf-8").splitlines() if line.strip())
    loaded = count_triples(f"{virtuoso.base_url}/sparql", graph_iri)
    if loaded != expected:
        raise RuntimeError(f"Virtuoso holds {loaded} triples in <{graph_iri}>, expected {expected}")


def count_triples(query_url: str, graph_iri: str | None) -> int:
    """Number of triples in *graph_iri* (or the default graph) at a SPARQL endpoint."""
    params = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    if graph_iri:
        params["default-graph-uri"] = graph_iri
    request = urllib.request.Request(  # noqa: S310 (loopback URL built by the fixture)
        f"{query_url}?{urllib.parse.urlencode(params)}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        document = json.load(response)
    return int(document["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """Virtuoso Open Source holding the package in :data:`PACKAGE_GRAPH`."""
    virtuoso = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        virtuoso_bulk_load(virtuoso, PACKAGE_GRAPH)
        yield SparqlServer(
            "virtuoso",
            f"{virtuoso.base_url}/sparql",
            f"{virtuoso.base_url}/sparql-graph-crud-auth",
            PACKAGE_GRAPH,
            auth=VIRTUOSO_USER,
        )
    finally:
        stop(virtuoso.process)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--regen-expected``: rewrite tests/expected/ from the embedded engine's answers."""
    parser.addoption(
        "--regen-expected",
        action="store_true",
        default=False,
        help="rewrite tests/expected/<query id>.* from the embedded Oxigraph results",
    )
