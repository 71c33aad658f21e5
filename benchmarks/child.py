"""Child process for load benchmarks: parse a file N times, report times and peak RSS.

``python -m benchmarks.child load rdflib|oxigraph FILE RUNS WARMUP`` prints one JSON line:
the timed runs (s) and the peak resident memory above the process's size before the first
parse (MiB). A fresh process per library and size keeps the memory figure honest.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from collections.abc import Callable


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _loader(library: str, path: str) -> Callable[[], int]:
    if library == "rdflib":
        from rdflib import Graph

        return lambda: len(Graph().parse(path, format="turtle"))
    import pyoxigraph

    def load() -> int:
        store = pyoxigraph.Store()
        store.bulk_load(path=path, format=pyoxigraph.RdfFormat.TURTLE)
        return len(store)

    return load


def main(argv: list[str]) -> None:
    _, library, path, runs, warmup = argv
    load = _loader(library, path)
    before = _rss_mib()
    times, triples = [], 0
    for index in range(int(warmup) + int(runs)):
        started = time.perf_counter()
        triples = load()
        elapsed = time.perf_counter() - started
        gc.collect()
        if index >= int(warmup):
            times.append(elapsed)
    print(json.dumps({"times": times, "triples": triples, "peak_mib": _rss_mib() - before}))


if __name__ == "__main__":
    main(sys.argv[1:])
