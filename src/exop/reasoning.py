"""OWL reasoning with owlready2 and HermiT: consistency and unsatisfiable classes.

The only module that touches Java. owlready2 reads RDF/XML or N-Triples, not Turtle, so
the graph is handed over as N-Triples (without owl:imports, whose targets are already in
the graph and must not be fetched). owlready2's Pellet fails on Java 17; HermiT works.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL

from exop.errors import JavaNotFoundError, ReasonerError

_OWL_NOTHING = str(OWL.Nothing)


@dataclass(frozen=True)
class ReasoningResult:
    """What HermiT said about the ontology and data together."""

    consistent: bool
    unsatisfiable: tuple[str, ...]
    """IRIs of classes that can have no instances (owl:Nothing excluded), sorted."""
    triples: int
    seconds: float
    reasoner: str = "HermiT"

    @property
    def ok(self) -> bool:
        """Consistent and without unsatisfiable classes."""
        return self.consistent and not self.unsatisfiable


def find_java() -> str:
    """The java executable HermiT will use; JavaNotFoundError when there is none."""
    java_home = os.environ.get("JAVA_HOME")
    candidates = [str(Path(java_home) / "bin" / "java")] if java_home else []
    candidates.append(shutil.which("java") or "")
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise JavaNotFoundError(
        "the HermiT reasoner needs Java, and no `java` was found on PATH or in JAVA_HOME; "
        "install a Java runtime (for example Debian's default-jre-headless)"
    )


def _write_ntriples(graph: Graph, folder: Path) -> Path:
    clean = Graph()
    for triple in graph:
        if triple[1] != OWL.imports:
            clean.add(triple)
    path = folder / "exop-reasoning.nt"
    clean.serialize(path, format="nt", encoding="utf-8")
    return path


_tempdir_lock = threading.Lock()


@contextlib.contextmanager
def _cleaned_up_on_termination(folder: Path) -> Iterator[None]:
    """Leave no Java process and no temporary file behind, even on SIGTERM or Ctrl-C.

    owlready2 writes HermiT's input with ``NamedTemporaryFile(delete=False)`` and removes it
    only when HermiT succeeds; here its temporary files go into *folder*, which the caller
    removes whatever happens. SIGTERM and SIGINT become a ReasonerError for the duration, so
    the stack unwinds: ``subprocess.run`` kills the Java child on the way out.
    """
    def interrupt(signum: int, frame: object) -> None:
        name = signal.Signals(signum).name
        raise ReasonerError(f"reasoning interrupted by {name}; HermiT was stopped",
                            what="interrupted", value=name)

    in_main = threading.current_thread() is threading.main_thread()
    previous = {}
    if in_main:
        previous = {s: signal.signal(s, interrupt) for s in (signal.SIGTERM, signal.SIGINT)}
    with _tempdir_lock:
        saved, tempfile.tempdir = tempfile.tempdir, str(folder)
        try:
            yield
        finally:
            tempfile.tempdir = saved
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def _run_hermit(path: Path, java: str) -> tuple[bool, tuple[str, ...]]:
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()), \
            _cleaned_up_on_termination(path.parent):
        import owlready2

        owlready2.JAVA_EXE = java
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return False, ()
        unsatisfiable = sorted(
            c.iri for c in world.inconsistent_classes() if c.iri != _OWL_NOTHING
        )
    return True, tuple(unsatisfiable)


def reason(graph: Graph | None = None, *, java: str | None = None) -> ReasoningResult:
    """Check consistency and find unsatisfiable classes of *graph* with HermiT.

    *graph* defaults to the packaged ontology, imports and data together.
    Raises JavaNotFoundError when Java is missing, ReasonerError when HermiT fails.
    """
    java_exe = java or find_java()
    if graph is None:
        from exop.package import default_package

        graph = default_package().union
    target = graph
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="exop-reason-") as folder:
        path = _write_ntriples(target, Path(folder))
        try:
            consistent, unsatisfiable = _run_hermit(path, java_exe)
        except FileNotFoundError as error:
            raise JavaNotFoundError(f"cannot start Java at {java_exe}: {error.strerror}") from error
        except (subprocess.CalledProcessError, OSError) as error:
            detail = str(error).replace("\n", " ")[:300]
            raise ReasonerError(f"HermiT failed: {detail}") from error
    return ReasoningResult(
        consistent=consistent,
        unsatisfiable=unsatisfiable,
        triples=len(target),
        seconds=time.perf_counter() - started,
    )
