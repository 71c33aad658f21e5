"""Apache Jena's ``shacl validate`` as a conformance engine, for large inputs.

Jena's command reads one data file, so the ontology and the data are written to one
N-Triples file (what pySHACL's ontology graph mixing amounts to). A single N-Triples data
file is copied byte for byte; every other part is re-labelled on the way (each file's
blank nodes get fresh random labels), so blank nodes of different files never merge.

Jena is found as Debian's libapache-jena-java installs it (jars in /usr/share/java, no
launcher script), or as Apache's binary distribution under ``$JENA_HOME/lib``. Debian's
jena-core moves the xerces classes to the package ``xerces.*`` but leaves their message
files under ``org/apache/jena/ext/xerces``: without a copy where the classes look, Jena
dies at start (``RuntimeException: internal error`` in XSSimpleTypeDecl.applyFacets1).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph
from rdflib import Graph, Literal
from rdflib.namespace import SH
from rdflib.term import Node

from exop.validation.engines import EngineError, RdfSource, Verdict, register_engine

DEBIAN_JARS = Path("/usr/share/java")
DEPENDENCY_JARS = (
    "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io",
    "commons-lang3", "dexx.collection", "gson", "guava", "jackson-core", "jackson-databind",
    "jsonld-java", "jakarta.json-api", "slf4j-api", "slf4j-simple", "thrift",
    "titanium-json-ld", "protobuf", "httpclient", "httpcore",
)  # fmt: skip
"""What Jena's shacl command loads, as Debian names the jars of libapache-jena-java's
dependencies (the whole of /usr/share/java would bring clashing slf4j bindings)."""

JVM_OPTIONS = ("-XX:+UseSerialGC",)
"""One collector thread: on the measured machine (2 cores) as fast, with less memory."""

_OXIGRAPH_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def _jars() -> tuple[list[Path], bool]:
    """Jena's classpath jars and whether they are Debian's (which need the xerces fix)."""
    home = os.environ.get("JENA_HOME")
    if home and (Path(home) / "lib").is_dir():
        return sorted((Path(home) / "lib").glob("*.jar")), False
    names = sorted(p.stem for p in DEBIAN_JARS.glob("jena-*.jar") if not p.stem[-1].isdigit())
    jars = [DEBIAN_JARS / f"{name}.jar" for name in (*names, *DEPENDENCY_JARS)]
    return [j for j in jars if j.is_file()], True


def _xerces_messages(jar: Path, folder: Path) -> Path:
    """Copy jena-core's relocated xerces message files to where its classes look."""
    target = folder / "xerces-messages"
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(jar) as archive:
        for name in archive.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                out = target / "xerces" / name[len(prefix) :]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(archive.read(name))
    return target


def _relabelled(quads: Iterator[pyoxigraph.Quad]) -> Iterator[pyoxigraph.Triple]:
    fresh: dict[str, pyoxigraph.BlankNode] = {}

    def term(node: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal) -> object:
        if isinstance(node, pyoxigraph.BlankNode):
            return fresh.setdefault(node.value, pyoxigraph.BlankNode())
        return node

    for quad in quads:
        yield pyoxigraph.Triple(term(quad.subject), quad.predicate, term(quad.object))  # type: ignore[arg-type]


def _write_file(out: BinaryIO, path: Path, fmt: str) -> None:
    ox_format = _OXIGRAPH_FORMATS.get(fmt)
    if ox_format is None:
        out.write(RdfSource.of_files([path], fmt).parsed().serialize(format="nt", encoding="utf-8"))
        return
    quads = pyoxigraph.parse(path=str(path), format=ox_format, base_iri=path.resolve().as_uri())
    pyoxigraph.serialize(_relabelled(quads), out, pyoxigraph.RdfFormat.N_TRIPLES)


def _write_source(out: BinaryIO, source: RdfSource, raw_copy: bool) -> None:
    if source.graph is not None:
        out.write(source.graph.serialize(format="nt", encoding="utf-8"))
        return
    files = source.formats()
    if raw_copy and len(files) == 1 and files[0][1] == "nt":
        with files[0][0].open("rb") as data:
            shutil.copyfileobj(data, out, 1 << 20)
        out.write(b"\n")
        return
    for path, fmt in files:
        _write_file(out, path, fmt)


def _focus_nodes(report: Graph) -> frozenset[Node]:
    return frozenset(
        focus
        for result in report.objects(None, SH.result)
        if (focus := report.value(result, SH.focusNode)) is not None
    )


@dataclass(frozen=True)
class JenaEngine:
    """Apache Jena's SHACL validator, run as ``java ... shacl.shacl validate``."""

    name: str = "jena"

    def unavailable(self) -> str | None:
        if _java() is None:
            return "no `java` on PATH or in JAVA_HOME"
        jars, _ = _jars()
        if not any(j.name.startswith("jena-shacl") for j in jars):
            return (
                "Apache Jena is not installed (Debian: apt-get install libapache-jena-java;"
                " or set JENA_HOME to Apache's binary distribution)"
            )
        return None

    def check(self, data: RdfSource, ontology: RdfSource, shapes: RdfSource) -> Verdict:
        java = _java()
        if java is None or self.unavailable() is not None:
            raise EngineError(f"Jena cannot run: {self.unavailable()}")
        jars, debian = _jars()
        with tempfile.TemporaryDirectory(prefix="exop-jena-") as scratch:
            folder = Path(scratch)
            classpath = [str(j) for j in jars]
            core = next((j for j in jars if j.name == "jena-core.jar"), None)
            if debian and core is not None:
                classpath.insert(0, str(_xerces_messages(core, folder)))
            data_file, report_file = folder / "data.nt", folder / "report.ttl"
            try:
                with data_file.open("wb") as out:
                    _write_source(out, ontology, raw_copy=False)
                    _write_source(out, data, raw_copy=True)
            except (SyntaxError, OSError, ValueError) as error:
                raise EngineError(f"could not prepare Jena's input: {error}") from error
            shapes_file = self._shapes_file(shapes, folder)
            command = [
                java, *JVM_OPTIONS, "-cp", os.pathsep.join(classpath), "shacl.shacl",
                "validate", "--shapes", str(shapes_file), "--data", str(data_file),
            ]  # fmt: skip
            with report_file.open("wb") as report_out:
                done = subprocess.run(
                    command, stdout=report_out, stderr=subprocess.PIPE, check=False
                )
            if done.returncode != 0:
                tail = " ".join(done.stderr.decode("utf-8", "replace").split())[-300:]
                raise EngineError(f"Jena shacl failed (exit {done.returncode}): {tail}")
            report = Graph().parse(report_file, format="turtle")
        # Jena exits 0 whether or not the data conform: the report says which.
        conforms = (None, SH.conforms, Literal(True)) in report
        focus = _focus_nodes(report)
        return Verdict(conforms=conforms and not focus, focus_nodes=focus)

    @staticmethod
    def _shapes_file(shapes: RdfSource, folder: Path) -> Path:
        files = shapes.formats()
        if shapes.graph is None and len(files) == 1 and files[0][1] in {"turtle", "nt"}:
            return files[0][0]
        path = folder / "shapes.nt"
        shapes.parsed().serialize(path, format="nt", encoding="utf-8")
        return path


ENGINE = register_engine(JenaEngine())
