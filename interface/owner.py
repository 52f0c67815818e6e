"""Who owns a claim or a staging folder, and whether that process is provably dead.

A sweep's claim file and an output folder's staging folder record their owner:
the host (node name and kernel boot id), the process id and the process start
time.  On the same host the owner is *provably* dead when its pid no longer
exists, is a zombie, or belongs to a process started at another time (pid
reuse).  On another host nothing can be proved from here: :func:`owner_alive`
returns None and callers fall back on a lock or a heartbeat.
"""

from __future__ import annotations

import functools
import os
import socket
import time


@functools.cache
def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def host_id() -> str:
    """The id of this machine: node name plus boot id (two containers may share a node name)."""
    boot = _boot_id()
    name = socket.gethostname() or os.uname().nodename
    return f"{name}/{boot}" if boot else name


def _stat(pid: int) -> list[str] | None:
    """Fields 3.. of /proc/<pid>/stat (state first), or None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return None
    return text.rsplit(")", 1)[-1].split()


def process_start(pid: int) -> str:
    """The start time of process ``pid`` in clock ticks since boot ("" if unknown)."""
    fields = _stat(pid)
    return fields[19] if fields and len(fields) > 19 else ""


def identity() -> dict:
    """The owner record of this process: host, pid, start, time."""
    pid = os.getpid()
    return {"host": host_id(), "pid": pid, "start": process_start(pid), "time": time.time()}


def pid_alive(pid: int, start: str = "") -> bool:
    """Process ``pid`` of this host exists, is not a zombie and (if given) started at ``start``."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    except (OSError, OverflowError, ValueError):
        return False
    fields = _stat(pid)
    if fields is None:
        return True  # no /proc (macOS): existence is all we know
    if fields[0] in ("Z", "X"):
        return False
    return not (start and len(fields) > 19 and fields[19] != start)


def owner_alive(owner: dict | None) -> bool | None:
    """True: alive; False: provably dead; None: cannot tell (another host, no record)."""
    if not isinstance(owner, dict) or owner.get("host") != host_id():
        return None
    try:
        pid = int(owner["pid"])
    except (KeyError, TypeError, ValueError):
        return None
    return pid_alive(pid, str(owner.get("start", "")))
