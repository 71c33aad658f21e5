"""Apache Jena's ``shacl validate`` as a conformance engine, for large inputs.

Jena's command reads one data file, so the ontology and the data are written to one
N-Triples file (:func:`~exop.validation.engines.write_ntriples`), which is what pySHACL's
ontology graph mixing amounts to.

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
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import SH
from rdflib.term import Node

from exop.validation.engines import (
    AUTO_PYRUDOF_MAX_TRIPLES,
    EngineError,
    RdfSource,
    Verdict,
    register_engine,
    write_ntriples,
)

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
SMALL_INPUT_JVM_OPTIONS = ("-XX:TieredStopAtLevel=1",)
"""For inputs ``auto`` leaves to pyrudof: the quick compiler only, which starts a third
faster (1.6 s against 2.3 s on a fixture) and costs nothing where compiling is most of
the run; large inputs keep the optimising compiler."""


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
                    write_ntriples(out, ontology, data)
            except (SyntaxError, OSError, ValueError) as error:
                raise EngineError(f"could not prepare Jena's input: {error}") from error
            shapes_file = self._shapes_file(shapes, folder)
            small = data.estimated_triples() <= AUTO_PYRUDOF_MAX_TRIPLES
            options = (*JVM_OPTIONS, *(SMALL_INPUT_JVM_OPTIONS if small else ()))
            command = [
                java, *options, "-cp", os.pathsep.join(classpath), "shacl.shacl",
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
        results = len(set(report.objects(None, SH.result)))
        return Verdict(
            conforms=conforms and not results, results=results, focus_nodes=_focus_nodes(report)
        )

    @staticmethod
    def _shapes_file(shapes: RdfSource, folder: Path) -> Path:
        files = shapes.formats()
        if shapes.graph is None and len(files) == 1 and files[0][1] in {"turtle", "nt"}:
            return files[0][0]
        path = folder / "shapes.nt"
        shapes.parsed().serialize(path, format="nt", encoding="utf-8")
        return path


ENGINE = register_engine(JenaEngine())
