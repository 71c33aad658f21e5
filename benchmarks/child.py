"""Fresh processes for the load and pyrudof figures.

``python -m benchmarks.child load rdflib|oxigraph FILE`` parses FILE once and prints one
JSON line: wall and CPU seconds of the parse, the process's VmRSS just before it
(interpreter plus imported library: the floor) and its VmHWM after it (the whole
process's peak), in KiB. One process per round, so every peak is the peak of that parse.

``python -m benchmarks.child rudof DATA SHAPES`` validates DATA (N-Triples) against SHAPES
(Turtle) with pyrudof and prints ``true`` or ``false`` (sh:conforms): pyrudof as a whole
process, as Jena's shacl and ``exop validate`` are timed.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

from benchmarks.memory import own_peak_kib, own_rss_kib


def _loader(library: str, path: str) -> Callable[[], int]:
    if library == "rdflib":
        from rdflib import Graph

        return lambda: len(Graph().parse(path, format="nt"))
    from pathlib import Path

    from exop.graph import load_store

    # EXOP's own loading path (pyoxigraph's Store.load), as `exop query --data` and the
    # package's warm store use it.
    return lambda: len(load_store([Path(path)]))


def rudof(data: str, shapes: str) -> None:
    import pyrudof

    checker = pyrudof.Rudof(pyrudof.RudofConfig())
    checker.read_data(data, pyrudof.RDFFormat.NTriples)
    checker.read_shacl(shapes, pyrudof.ShaclFormat.Turtle)
    print("true" if checker.validate_shacl().conforms else "false")


def main(argv: list[str]) -> None:
    if argv[0] == "rudof":
        rudof(argv[1], argv[2])
        return
    _, library, path = argv
    load = _loader(library, path)
    floor = own_rss_kib()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    triples = load()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": cpu,
                "triples": triples,
                "floor_kib": floor,
                "peak_kib": own_peak_kib(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
