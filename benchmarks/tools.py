"""The peers the benchmarks measure EXOP against, driven without EXOP's code.

- Apache Jena (Debian ``libapache-jena-java``, jars in /usr/share/java, no launchers):
  ``shacl validate`` and ``arq`` as whole processes, and an in-JVM query loop
  (``JenaQuery.java``, compiled here) that loads the data once and times each query itself;
- the Oxigraph server (PyPI ``oxigraph``) queried over raw HTTP;
- Virtuoso Open Source (Debian ``virtuoso-opensource``), loaded with its bulk loader and
  queried over raw HTTP;
- child processes for the load figures (``benchmarks.child``).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.memory import ProcessRun, run_measured, status_kib
from benchmarks.stats import Sample

JENA_JARS = Path("/usr/share/java")
"""Where Debian's libapache-jena-java puts its jars (it ships no `shacl` or `arq` launcher)."""
_CLASHING_LOGGERS = (
    "log4j-over-slf4j",
    "slf4j-log4j12",
    "slf4j-jdk14",
    "slf4j-nop",
    "slf4j-jcl",
    "jcl-over-slf4j",
    "jul-to-slf4j",
    "maven3-slf4j-provider",
)
HERE = Path(__file__).resolve().parent
STARTUP_TIMEOUT_S = 90.0
LOOP_TIMEOUT_S = 120.0
"""One query in Jena's in-JVM loop longer than this stops the loop for that size."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def find_executable(name: str) -> str | None:
    """*name* beside the running interpreter (the venv) first, then on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


# -- raw HTTP -------------------------------------------------------------------------------


def raw_http_query(
    url: str, text: str, graph: str | None = None, *, triples: bool = False, timeout: float = 300.0
) -> int:
    """POST *text* to a SPARQL endpoint and read the whole answer: rows (or triples).

    The least any client must do: one request, the full body, the JSON parsed (or, for
    a CONSTRUCT or DESCRIBE, *triples*, the N-Triples lines counted). The count feeds the
    cross-engine result check.
    """
    params = {"query": text}
    if graph is not None:
        params["default-graph-uri"] = graph
    accept = "application/n-triples" if triples else "application/sparql-results+json"
    request = urllib.request.Request(  # noqa: S310 (loopback URL the benchmark built)
        url,
        data=urllib.parse.urlencode(params).encode("utf-8"),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        body = response.read()
    if triples:
        return sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"#"))
    document = json.loads(body)
    if "boolean" in document:
        return 1 if document["boolean"] else 0
    return len(document["results"]["bindings"])


def _wait_until_answering(
    proc: subprocess.Popen[bytes], query_url: str, log: Path, graph: str | None = None
) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-800:] if log.is_file() else ""
            raise RuntimeError(f"server exited with {proc.returncode}: {tail}")
        try:
            raw_http_query(query_url, "ASK {}", graph, timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
            time.sleep(0.2)
    raise RuntimeError(f"server not answering after {STARTUP_TIMEOUT_S:.0f} s")


# -- Oxigraph server ------------------------------------------------------------------------


@dataclass(frozen=True)
class OxigraphServer:
    """A running ``oxigraph serve`` on a loopback port."""

    url: str
    pid: int

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    def load(self, path: Path) -> None:
        """Replace the default graph with *path* (N-Triples) through the /store endpoint."""
        request = urllib.request.Request(  # noqa: S310 (loopback URL we built)
            f"{self.url}/store?default",
            data=path.read_bytes(),
            method="PUT",
            headers={"Content-Type": "application/n-triples"},
        )
        with urllib.request.urlopen(request, timeout=900) as response:  # noqa: S310
            if response.status not in (200, 201, 204):
                raise RuntimeError(f"oxigraph store answered {response.status}")

    def query(self, text: str, triples: bool = False) -> int:
        return raw_http_query(self.query_url, text, triples=triples)

    def peak_mib(self) -> float | None:
        kib = status_kib("VmHWM", self.pid)
        return None if kib is None else kib / 1024


@contextmanager
def oxigraph_server(workdir: Path) -> Iterator[OxigraphServer]:
    """Start an in-memory Oxigraph server, yield it, and always stop it."""
    exe = find_executable("oxigraph")
    if exe is None:
        raise RuntimeError("no `oxigraph` executable (pip install oxigraph)")
    port = free_port()
    log_path = workdir / "oxigraph.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [exe, "serve", "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT
        )
    server = OxigraphServer(url=f"http://127.0.0.1:{port}", pid=proc.pid)
    try:
        _wait_until_answering(proc, server.query_url, log_path)
        yield server
    finally:
        _stop(proc)


# -- Virtuoso -------------------------------------------------------------------------------

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
NumberOfBuffers    = 170000
MaxDirtyBuffers    = 130000
DirsAllowed        = ., {dir}, {data}
CaseMode           = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}/vsp
ServerThreads        = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 300
MaxQueryCostEstimationTime = 0
"""
"""NumberOfBuffers 170000 (8 KiB pages, about 1.3 GiB) is Virtuoso's own advice for 2 GiB
of free memory: enough to hold the largest input in memory, as the other engines do."""
VIRTUOSO_USER = ("dba", "dba")  # the default account of a fresh, throw-away database


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso; each input goes into its own graph, queried as the default graph."""

    url: str
    sql_port: int
    isql: str
    pid: int

    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    def load(self, path: Path, graph: str) -> float:
        """Bulk-load *path* (N-Triples) into *graph*; the seconds it took."""
        if "'" in graph or "'" in str(path):
            raise ValueError("graph IRI and path must not contain a quote")
        script = f"ld_dir('{path.parent}', '{path.name}', '{graph}'); rdf_loader_run(); checkpoint;"
        started = time.perf_counter()
        done = subprocess.run(
            [self.isql, f"127.0.0.1:{self.sql_port}", *VIRTUOSO_USER, f"exec={script}"],
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        if done.returncode != 0 or "Error" in done.stdout + done.stderr:
            raise RuntimeError(f"Virtuoso bulk load failed: {(done.stdout + done.stderr)[-300:]}")
        return time.perf_counter() - started

    def query(self, text: str, graph: str, triples: bool = False) -> int:
        return raw_http_query(self.query_url, text, graph, triples=triples)

    def peak_mib(self) -> float | None:
        kib = status_kib("VmHWM", self.pid)
        return None if kib is None else kib / 1024


@contextmanager
def virtuoso(workdir: Path, data_dir: Path) -> Iterator[Virtuoso]:
    """Start ``virtuoso-t +foreground`` on free loopback ports, yield it, always stop it."""
    exe = find_executable("virtuoso-t")
    isql = find_executable("isql-vt") or find_executable("isql")
    if exe is None or isql is None:
        raise RuntimeError(
            "Virtuoso not installed (Debian: apt-get install virtuoso-opensource, as .ci/run does)"
        )
    home = workdir / "virtuoso"
    (home / "vsp").mkdir(parents=True)
    http_port, sql_port = free_port(), free_port()
    ini = home / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(dir=home, data=data_dir, sql_port=sql_port, http_port=http_port)
    )
    log_path = home / "virtuoso.out"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [exe, "+foreground", "+configfile", str(ini)],
            cwd=home,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Virtuoso(f"http://127.0.0.1:{http_port}", sql_port, isql, proc.pid)
    try:
        _wait_until_answering(proc, server.query_url, log_path)
        yield server
    finally:
        _stop(proc)


# -- Apache Jena ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Jena:
    """How to start Jena's commands and the in-JVM query loop (Debian packaging)."""

    classpath: str
    version: str
    loop_classes: Path | None = None

    def _java(self, main: str, *args: str) -> list[str]:
        return ["java", "-cp", self.classpath, main, *args]

    def validate(self, shapes: Path, data: Path, timeout: float | None = None) -> Sample:
        """``shacl validate`` as a whole process; the sample's value is sh:conforms.

        Jena's command exits 0 whether or not the data conforms, so the report is read.
        """
        run = run_measured(
            self._java("shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(data)),
            timeout=timeout,
        )
        if run.returncode != 0:
            raise RuntimeError(f"jena shacl failed ({run.returncode}): {run.stderr[-300:]}")
        conforms = "sh:conforms  true" in run.stdout or "sh:conforms true" in run.stdout
        return Sample(run.wall, run.cpu, ProcessValue(conforms, run))

    def arq(self, data: Path, query: Path, timeout: float | None = None) -> Sample:
        """``arq --data FILE --query FILE`` as a whole process (JVM start, load, query)."""
        run = run_measured(
            self._java("arq.arq", "--data", str(data), "--query", str(query), "--results=tsv"),
            timeout=timeout,
        )
        if run.returncode != 0:
            raise RuntimeError(f"jena arq failed ({run.returncode}): {run.stderr[-300:]}")
        return Sample(run.wall, run.cpu, ProcessValue(None, run))

    def with_loop(self, workdir: Path) -> Jena:
        """This Jena with ``JenaQuery.java`` compiled into *workdir*."""
        out = workdir / "jena-loop"
        out.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                "javac",
                "-nowarn",
                "-cp",
                self.classpath,
                "-d",
                str(out),
                str(HERE / "JenaQuery.java"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"javac JenaQuery.java failed: {done.stderr[-300:]}")
        return Jena(self.classpath, self.version, out)

    @contextmanager
    def query_loop(self, data: Path) -> Iterator[JenaLoop]:
        """A JVM holding *data* in memory, answering one query per request."""
        if self.loop_classes is None:
            raise RuntimeError("JenaQuery is not compiled (Jena.with_loop)")
        classpath = os.pathsep.join([str(self.loop_classes), self.classpath])
        proc = subprocess.Popen(
            ["java", "-cp", classpath, "JenaQuery", str(data)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        try:
            assert proc.stdout is not None
            ready = proc.stdout.readline().split()
            if not ready or ready[0] != "ready":
                raise RuntimeError("JenaQuery did not start")
            yield JenaLoop(proc, int(ready[1]), int(ready[2]) / 1e9)
        finally:
            if proc.stdin is not None:
                proc.stdin.close()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@dataclass(frozen=True)
class ProcessValue:
    """What a whole-process peer returned, with its process figures (peak memory)."""

    value: object
    process: ProcessRun


@dataclass
class JenaLoop:
    """The running in-JVM query loop: triples loaded, load seconds."""

    proc: subprocess.Popen[str]
    triples: int
    load_s: float

    def query(self, path: Path) -> Sample:
        """Run the query in *path* once; Jena's own wall and CPU time, and the row count."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if self.proc.poll() is not None:
            raise RuntimeError("JenaQuery is not running (stopped after an earlier timeout?)")
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        # One answer line per request, so nothing is buffered ahead: select sees it.
        ready, _, _ = select.select([self.proc.stdout], [], [], LOOP_TIMEOUT_S)
        if not ready:
            self.proc.kill()
            raise RuntimeError(f"Jena ran over {LOOP_TIMEOUT_S:.0f} s on one query; stopped")
        answer = self.proc.stdout.readline().split(maxsplit=3)
        if not answer or answer[0] != "ok":
            raise RuntimeError(" ".join(answer)[:200] or "JenaQuery exited")
        return Sample(int(answer[2]) / 1e9, int(answer[3]) / 1e9, int(answer[1]))

    def peak_mib(self) -> float | None:
        kib = status_kib("VmHWM", self.proc.pid)
        return None if kib is None else kib / 1024


def _xerces_messages(folder: Path) -> Path:
    """Copy Jena's relocated xerces message files to where its classes look for them.

    Debian's jena-core moves xerces classes to the package ``xerces.*`` but keeps the
    message files under ``org/apache/jena/ext/xerces``; without this, Jena dies on start
    with ``RuntimeException: internal error`` in XSSimpleTypeDecl.applyFacets1.
    """
    target = folder / "jena-xerces-messages"
    if (target / "xerces" / "impl" / "msg" / "XMLMessages.properties").is_file():
        return target
    with zipfile.ZipFile(JENA_JARS / "jena-core.jar") as jar:
        for name in jar.namelist():
            prefix = "org/apache/jena/ext/xerces/"
            if name.startswith(prefix) and name.endswith(".properties"):
                out = target / "xerces" / name[len(prefix) :]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(jar.read(name))
    return target


def find_jena(cache: Path) -> tuple[Jena | None, str]:
    """Jena if Java and Debian's jars are there; else None and why not."""
    if shutil.which("java") is None:
        return None, "no java on PATH"
    core = JENA_JARS / "jena-core.jar"
    if not core.is_file() or not (JENA_JARS / "jena-cmds.jar").is_file():
        return None, "Apache Jena not installed (Debian: apt-get install libapache-jena-java)"
    jars = [
        str(p)
        for p in sorted(JENA_JARS.glob("*.jar"))
        if not any(p.name.startswith(bad) for bad in _CLASHING_LOGGERS)
    ]
    classpath = os.pathsep.join([str(_xerces_messages(cache)), *jars])
    version = next(
        (p.stem.removeprefix("jena-core-") for p in JENA_JARS.glob("jena-core-*.jar")), "?"
    )
    return Jena(classpath=classpath, version=version), ""


# -- child processes ------------------------------------------------------------------------


def run_child_json(args: list[str], timeout: float) -> dict[str, object]:
    """Run ``python -m benchmarks.child ARGS`` as a fresh process; the JSON it prints."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=HERE.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed: {done.stderr.strip()[-300:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def scratch_dir() -> Path:
    """A fresh temporary folder for scaled inputs and server files."""
    return Path(tempfile.mkdtemp(prefix="exop-bench-"))
