"""External programs the benchmarks drive: Apache Jena's shacl, the Oxigraph server,
and child processes that time work in isolation (peak memory, interruptible queries).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

JENA_JARS = Path("/usr/share/java")
"""Where Debian's libapache-jena-java puts its jars (it ships no `shacl` launcher)."""
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


@dataclass(frozen=True)
class Jena:
    """How to start Jena's ``shacl`` command (Debian packaging, fixed up to run)."""

    classpath: str
    version: str

    def validate(self, shapes: Path, data: Path) -> bool:
        """Run ``shacl validate``; True when the report says sh:conforms true.

        Jena's command exits 0 whether or not the data conforms, so the report is read.
        """
        done = subprocess.run(
            [
                "java",
                "-cp",
                self.classpath,
                "shacl.shacl",
                "validate",
                "--shapes",
                str(shapes),
                "--data",
                str(data),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"jena shacl failed ({done.returncode}): {done.stderr[-300:]}")
        return "sh:conforms  true" in done.stdout or "sh:conforms true" in done.stdout


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
    """Jena's shacl if Java and Debian's jars are there; else None and why not."""
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


@dataclass(frozen=True)
class OxigraphServer:
    """A running ``oxigraph serve`` on a loopback port."""

    url: str

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
        with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
            if response.status not in (200, 201, 204):
                raise RuntimeError(f"oxigraph store answered {response.status}")


@contextmanager
def oxigraph_server(workdir: Path) -> Iterator[OxigraphServer]:
    """Start an in-memory Oxigraph server, yield it, and always stop it."""
    exe = find_executable("oxigraph")
    if exe is None:
        raise RuntimeError("no `oxigraph` executable (pip install oxigraph)")
    port = free_port()
    log = (workdir / "oxigraph.log").open("wb")
    proc = subprocess.Popen(
        [exe, "serve", "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT
    )
    server = OxigraphServer(url=f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{server.query_url}?query=ASK%7B%7D", timeout=2):  # noqa: S310
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("oxigraph server did not start") from None
                time.sleep(0.1)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def timed_in_child(
    action: Callable[[], object], runs: int, warmup: int, cap: float
) -> tuple[list[float], str]:
    """Time *action* in a forked child, one run at a time, giving up after *cap* s a run.

    Returns the timed runs and "" when all finished, or what stopped them ("timeout" or
    the error). The child inherits the parent's loaded graphs (fork, copy-on-write).
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        try:
            for index in range(warmup + runs):
                started = time.perf_counter()
                action()
                send.send(("run", index >= warmup, time.perf_counter() - started))
        except Exception as error:  # report any failure to the parent as text
            send.send(("error", False, f"{type(error).__name__}: {error}"[:200]))

    proc = context.Process(target=child, daemon=True)
    proc.start()
    send.close()
    times: list[float] = []
    status = ""
    try:
        for _ in range(warmup + runs):
            if not receive.poll(cap):
                status = "timeout"
                break
            kind, timed, value = receive.recv()
            if kind == "error":
                status = str(value)
                break
            if timed:
                times.append(float(value))
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        receive.close()
    return times, status


def run_child_json(args: list[str], timeout: float) -> dict[str, object]:
    """Run ``python -m benchmarks.child ARGS`` and return the JSON it prints."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed: {done.stderr.strip()[-300:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def scratch_dir() -> Path:
    """A fresh temporary folder for scaled inputs and server logs."""
    return Path(tempfile.mkdtemp(prefix="exop-bench-"))
