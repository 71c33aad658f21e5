"""Peak memory of fresh processes, from the kernel's VmHWM, with wall and CPU time.

``getrusage().ru_maxrss`` is not used: Linux carries the high-water mark across
``fork`` + ``exec`` into a child's figure (``signal->maxrss`` keeps the parent's peak at
exec), so a child spawned by a large benchmark process reports at least the parent's
size. ``VmHWM`` in ``/proc/<pid>/status`` belongs to the process's own address space,
which ``exec`` replaces, so it starts from zero in every fresh process.

A process's VmHWM disappears with it, so :func:`run_measured` polls it while the
process runs (it only grows, so the last reading is the peak up to that moment); a
Python child can read its own at the end (:func:`own_peak_kib`), which is exact.

A process that starts others (``exop validate`` runs Jena's JVM on large inputs) is
measured as its tree: the sum of every member's own peak, an upper bound on the tree's
peak, since the members need not peak at the same moment.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

POLL_S = 0.002
"""How often a running process's VmHWM is read."""


def status_kib(field: str, pid: int | str = "self") -> int | None:
    """A ``kB`` field (``VmHWM``, ``VmRSS``) of ``/proc/<pid>/status``; None when absent.

    Absent for a process that has exited (a zombie has no address space) or on a system
    without procfs.
    """
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    return parse_status_kib(text, field)


def parse_status_kib(text: str, field: str) -> int | None:
    """The value in kB of *field* in the text of a ``/proc/<pid>/status`` file."""
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name == field:
            parts = rest.split()
            if len(parts) == 2 and parts[1] == "kB" and parts[0].isdigit():
                return int(parts[0])
            return None
    return None


def own_peak_kib() -> int | None:
    """This process's VmHWM (KiB)."""
    return status_kib("VmHWM")


def own_rss_kib() -> int | None:
    """This process's current VmRSS (KiB)."""
    return status_kib("VmRSS")


def children(pid: int) -> list[int]:
    """The live child processes of *pid*, as every thread of it lists them."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found.extend(int(x) for x in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return found


def tree(pid: int) -> list[int]:
    """*pid* and its live descendants."""
    members, pending = [], [pid]
    while pending:
        member = pending.pop()
        members.append(member)
        pending.extend(children(member))
    return members


@dataclass(frozen=True)
class ProcessRun:
    """One fresh process: wall and CPU seconds, peak memory, exit code and output."""

    wall: float
    cpu: float
    peak_kib: int | None
    """The sum of the VmHWM of the process and of every descendant seen while it ran."""
    returncode: int
    stdout: str
    stderr: str
    processes: int = 1
    """How many processes of the tree were seen."""

    @property
    def peak_mib(self) -> float | None:
        return None if self.peak_kib is None else self.peak_kib / 1024


class ProcessTimeout(RuntimeError):
    """The process ran past its time limit and was killed."""


def run_measured(
    command: Sequence[str],
    *,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> ProcessRun:
    """Run *command* as a fresh process; wall, CPU (user + system) and peak VmHWM.

    CPU time comes from ``wait4``'s resource usage of that child (its own and that of the
    descendants it waited for, exact); peak memory sums its tree's peaks (see above);
    output goes to temporary files, so a chatty process cannot block on a full pipe
    while it is polled. Raises :class:`ProcessTimeout` past *timeout* seconds.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(command), stdout=out, stderr=err, env=None if env is None else dict(env), cwd=cwd
        )
        peaks: dict[int, int] = {}
        status = 0
        usage: resource.struct_rusage | None = None
        while True:
            for member in tree(proc.pid):
                reading = status_kib("VmHWM", member)
                if reading is not None:
                    peaks[member] = max(peaks.get(member, 0), reading)
            peak = sum(peaks.values()) if peaks else None
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid != 0:
                break
            if timeout is not None and time.perf_counter() - started > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                at_stop = "" if peak is None else f", VmHWM {peak / 1024:.0f} MiB when stopped"
                raise ProcessTimeout(f"{Path(command[0]).name} ran over {timeout:.0f} s{at_stop}")
            time.sleep(POLL_S)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ProcessRun(
            wall=wall,
            cpu=(usage.ru_utime + usage.ru_stime) if usage is not None else 0.0,
            peak_kib=peak,
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", errors="replace"),
            stderr=err.read().decode("utf-8", errors="replace"),
            processes=max(1, len(peaks)),
        )
