"""A bounded loopback load test of ``exop serve`` beside the raw Oxigraph server.

    python -m benchmarks.serve_load          # measure, rewrite its part of docs/benchmarks.md
    python -m benchmarks.serve_load --print  # measure and print that part only

Starts ``exop serve`` (embedded store) and ``oxigraph serve`` (the package loaded into its
default graph) on free 127.0.0.1 ports, warms each target up, then sends each target's
request from a few keep-alive connections at once for a bounded number of requests and a
bounded time, and reports requests per second and latency percentiles. The same SPARQL
text goes to both servers, so the difference is what the server adds (negotiation,
serialisation through rdflib, Python HTTP) over Oxigraph's own. Nothing leaves loopback.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exop.catalog import get_query
from exop.output import atomic_write

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- BEGIN SERVE LOAD -->"
END = "<!-- END SERVE LOAD -->"
COMMAND = "python -m benchmarks.serve_load"
CONNECTIONS = 4
MAX_REQUESTS = 2000
MAX_SECONDS = 15.0
WARM_UP = 5


@dataclass(frozen=True)
class Target:
    name: str
    server: str
    path: str
    accept: str
    expect: int = 200


@dataclass(frozen=True)
class Figures:
    target: Target
    requests: int
    seconds: float
    latencies_ms: tuple[float, ...]
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], seconds: float = 90.0) -> None:
    parts = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: server exited with {proc.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=5)
            connection.request("GET", f"{parts.path}?{parts.query}")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} not ready after {seconds:g} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _exop() -> list[str]:
    beside = Path(sys.executable).parent / "exop"
    return [str(beside)] if beside.is_file() else [sys.executable, "-m", "exop.cli"]


def _oxigraph() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise SystemExit("oxigraph is not installed (pip install oxigraph)")
    return found


def _load_oxigraph(base: str, folder: Path) -> None:
    dump = folder / "exop.nt"
    subprocess.run([*_exop(), "export", "--format", "nt", "-o", str(dump)], check=True)
    port = urllib.parse.urlsplit(base).port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("PUT", "/store?default", body=dump.read_bytes(),
                       headers={"Content-Type": "application/n-triples"})
    status = connection.getresponse().status
    if status not in (200, 201, 204):
        raise RuntimeError(f"loading Oxigraph answered {status}")


def _hammer(host: str, target: Target) -> Figures:
    port = urllib.parse.urlsplit(host).port
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    remaining = [MAX_REQUESTS]
    deadline = time.monotonic() + MAX_SECONDS

    def take() -> bool:
        with lock:
            if remaining[0] <= 0 or time.monotonic() > deadline:
                return False
            remaining[0] -= 1
            return True

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while take():
            started = time.perf_counter()
            try:
                connection.request("GET", target.path, headers={"Accept": target.accept})
                response = connection.getresponse()
                response.read()
                ok = response.status == target.expect
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += 0 if ok else 1
        connection.close()

    for _ in range(WARM_UP):
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        warm.request("GET", target.path, headers={"Accept": target.accept})
        warm.getresponse().read()
        warm.close()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return Figures(target, len(latencies), seconds, tuple(latencies), errors[0])


def targets() -> list[Target]:
    table_1 = get_query("table-1").text
    sparql = "?" + urllib.parse.urlencode({"query": table_1})
    json_results = "application/sparql-results+json"
    return [
        Target("IRI (303 to the page)", "exop", "/data/finding-table-1-row-6", "text/html",
               303),
        Target("IRI page (HTML)", "exop", "/current/data/finding-table-1-row-6.html",
               "text/html"),
        Target("IRI slice (Turtle)", "exop", "/current/data/finding-table-1-row-6.ttl",
               "text/turtle"),
        Target("/sparql table-1 text", "exop", f"/sparql{sparql}", json_results),
        Target("/api/table-1", "exop", "/api/table-1", json_results),
        Target("/query table-1 text", "oxigraph", f"/query{sparql}", json_results),
        Target("/query DESCRIBE of the IRI", "oxigraph", "/query?" + urllib.parse.urlencode(
            {"query": "DESCRIBE <https://w3id.org/exop/data/finding-table-1-row-6>"}),
            "text/turtle"),
    ]


def measure() -> list[Figures]:
    folder = Path(tempfile.mkdtemp(prefix="exop-serve-load-"))
    exop_port, ox_port = _free_port(), _free_port()
    hosts = {"exop": f"http://127.0.0.1:{exop_port}",
             "oxigraph": f"http://127.0.0.1:{ox_port}"}
    (folder / "store").mkdir()
    with (folder / "serve.log").open("wb") as log:
        exop = subprocess.Popen([*_exop(), "serve", "--port", str(exop_port)],
                                stdout=log, stderr=subprocess.STDOUT)
    with (folder / "oxigraph.log").open("wb") as log:
        oxigraph = subprocess.Popen([_oxigraph(), "serve", "--location", str(folder / "store"),
                                     "--bind", f"127.0.0.1:{ox_port}"],
                                    stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait(f"{hosts['exop']}/sparql?query=ASK%7B%7D", exop)
        _wait(f"{hosts['oxigraph']}/query?query=ASK%7B%7D", oxigraph)
        _load_oxigraph(hosts["oxigraph"], folder)
        return [_hammer(hosts[t.server], t) for t in targets()]
    finally:
        _stop(exop)
        _stop(oxigraph)
        shutil.rmtree(folder, ignore_errors=True)


def section(figures: list[Figures], took: float) -> str:
    lines = [
        BEGIN,
        f"<!-- Generated by `{COMMAND}`: do not edit by hand. -->",
        "",
        "## The live server under load (loopback)",
        "",
        f"Generated by `{COMMAND}` on {time.strftime('%Y-%m-%d')} in {took:.0f} s, on "
        f"{os.cpu_count()} cores ({platform.machine()}, Python {platform.python_version()}); "
        "the machine was shared, so figures are noisy.",
        "",
        f"Method: `exop serve` (embedded Oxigraph store, one uvicorn worker) and `oxigraph "
        f"serve` (the package in its default graph) on 127.0.0.1; per row {WARM_UP} warm-up "
        f"requests, then {CONNECTIONS} keep-alive connections at once until "
        f"{MAX_REQUESTS} requests or {MAX_SECONDS:g} s. The SPARQL rows send both servers "
        "the text of `queries/table-1.rq`; the last row is what Oxigraph answers for an IRI. "
        "`exop serve` renders each page and slice once and then answers from memory; the "
        "first request for a document (not timed here) renders it.",
        "",
        "| server | request | requests | req/s | p50 ms | p99 ms | errors |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        lines.append(
            f"| {f.target.server} | {f.target.name} | {f.requests} | {f.rate:.1f} | "
            f"{f.percentile(50):.1f} | {f.percentile(99):.1f} | {f.errors} |")
    lines += ["", END]
    return "\n".join(lines)


def write(text: str) -> None:
    current = DOC.read_text(encoding="utf-8") if DOC.is_file() else "# EXOP benchmarks\n"
    if BEGIN in current and END in current:
        start, end = current.index(BEGIN), current.index(END) + len(END)
        updated = current[:start] + text + current[end:]
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    atomic_write(DOC, updated.encode("utf-8"))


def main(argv: list[str] | None = None, out: Callable[[str], object] = sys.stdout.write) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="print the section, write nothing")
    options = parser.parse_args(argv)
    started = time.monotonic()
    figures = measure()
    text = section(figures, time.monotonic() - started)
    if options.print:
        out(text + "\n")
    else:
        write(text)
    return 0 if not any(f.errors for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
