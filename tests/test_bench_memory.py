"""Peak memory of fresh processes from VmHWM, not from an inherited ru_maxrss.

The benchmarks folder is not part of the installed package, so its modules are loaded
from their files.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

import pytest

from scripts import load_script

memory = load_script("benchmarks/memory.py", "exop_bench_memory")

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").is_file(), reason="VmHWM needs Linux's /proc"
)

STATUS = """\
Name:\tpython3
VmPeak:\t  300000 kB
VmHWM:\t   51234 kB
VmRSS:\t   40000 kB
Threads:\t1
"""
ALLOCATE = "b = bytearray({mib} * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"


def test_status_fields_are_parsed_in_kib() -> None:
    assert memory.parse_status_kib(STATUS, "VmHWM") == 51234
    assert memory.parse_status_kib(STATUS, "VmRSS") == 40000
    assert memory.parse_status_kib(STATUS, "VmSwap") is None
    assert memory.parse_status_kib("VmHWM:\tlots\n", "VmHWM") is None


def test_own_peak_is_at_least_the_current_size() -> None:
    peak, rss = memory.own_peak_kib(), memory.own_rss_kib()
    assert peak is not None and rss is not None
    assert peak >= rss > 0


def test_a_gone_process_has_no_vmhwm() -> None:
    assert memory.status_kib("VmHWM", 2**22 + 12345) is None


def test_run_measured_reports_the_childs_own_peak_not_the_parents() -> None:
    # Make this process large first: ru_maxrss of a fresh child would then report at
    # least this size (Linux keeps the parent's peak across fork + exec); VmHWM must not.
    ballast = bytearray(300 * 1024 * 1024)
    ballast[:: 4096] = b"x" * len(ballast[:: 4096])
    parent_peak = memory.own_peak_kib()
    assert parent_peak is not None and parent_peak > 300 * 1024
    small = memory.run_measured([sys.executable, "-c", "pass"])
    big = memory.run_measured([sys.executable, "-c", ALLOCATE.format(mib=200)])
    inherited = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    del ballast
    assert small.returncode == 0 and big.returncode == 0
    assert small.peak_kib is not None and big.peak_kib is not None
    assert small.peak_kib < 100 * 1024, "a bare interpreter is far below the parent's 300 MiB"
    assert big.peak_kib - small.peak_kib > 180 * 1024, "the child's 200 MiB are seen"
    assert big.peak_kib < parent_peak
    assert inherited >= 300 * 1024, "ru_maxrss would have reported the parent's size"


def test_run_measured_counts_the_processes_a_process_starts() -> None:
    # As exop validate runs Jena: the parent stays small while its child allocates.
    child = ALLOCATE.format(mib=200) + "; import time; time.sleep(0.3)"
    spawner = f"import subprocess as s, sys\ns.run([sys.executable, '-c', {child!r}], check=True)"
    run = memory.run_measured([sys.executable, "-c", spawner])
    alone = memory.run_measured([sys.executable, "-c", "pass"])
    assert run.returncode == 0 and run.peak_kib is not None and alone.peak_kib is not None
    assert run.processes == 2 and alone.processes == 1
    assert run.peak_kib - 2 * alone.peak_kib > 180 * 1024, "the child's 200 MiB are counted"


def test_run_measured_times_wall_and_child_cpu() -> None:
    busy = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    run = memory.run_measured([sys.executable, "-c", busy])
    idle = memory.run_measured([sys.executable, "-c", "import time; time.sleep(0.3)"])
    assert run.cpu >= 0.3 and run.wall >= run.cpu * 0.9
    assert idle.wall >= 0.3 and idle.cpu < 0.25


def test_run_measured_keeps_output_and_exit_code() -> None:
    code = "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"
    run = memory.run_measured([sys.executable, "-c", code])
    assert (run.returncode, run.stdout, run.stderr) == (3, "out\n", "err\n")


def test_run_measured_stops_a_process_past_its_limit() -> None:
    with pytest.raises(memory.ProcessTimeout):
        memory.run_measured([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
