"""Claims on sweep cases: one owner at a time, stale only when the owner is provably dead.

A group leader claims case ``i`` by creating ``cases/000017.claim`` with
O_CREAT | O_EXCL (atomic on local and NFS file systems).  The claim records its
owner (host with boot id, pid, process start time, run id), and the owner keeps
it *alive* until the case is committed:

* it holds an exclusive ``flock`` on the claim file (released by the kernel when
  the process dies, however it dies);
* a heartbeat thread touches the file every :data:`HEARTBEAT_S` seconds.

Another process judges a claim (:func:`claim_state`):

* owner on this host: alive while its pid exists with the recorded start time
  (not a zombie, not a reused pid); otherwise provably dead -> ``stale``;
* owner on another host (nothing can be proved about its pid): ``live`` while
  the lock is held or the heartbeat is younger than ``stale_after`` (default
  :data:`STALE_AFTER_S`, environment ``SSBI_CLAIM_STALE_AFTER``); ``stale`` only
  when the lock is free *and* the heartbeat is older.

A stale claim is taken over under a folder lock (:func:`take_over`), so two
processes never both take it; its staging folders go with it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import threading
import time
import uuid
from pathlib import Path

from interface.owner import identity, owner_alive

#: Seconds between heartbeats of a held claim.
HEARTBEAT_S = 15.0
#: A claim of another host is stale when its lock is free and its heartbeat older than this.
STALE_AFTER_S = 600.0
#: A claim file with no owner record (its creator died before writing it) is stale after this.
EMPTY_CLAIM_S = 60.0

LIVE, STALE, GONE = "live", "stale", "gone"


def stale_after() -> float:
    """Heartbeat age (s) after which another host's unlocked claim is stale."""
    try:
        return float(os.environ.get("SSBI_CLAIM_STALE_AFTER", STALE_AFTER_S))
    except ValueError:
        return STALE_AFTER_S


def _flock(fd: int, exclusive: bool, block: bool = False) -> bool | None:
    """Take a flock; True taken, False held by another process, None unsupported here."""
    import fcntl

    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    if not block:
        mode |= fcntl.LOCK_NB
    try:
        fcntl.flock(fd, mode)
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
            return None
        raise
    return True


@contextlib.contextmanager
def folder_lock(path: Path):
    """An exclusive flock on ``path`` (created if needed) for the duration of the block.

    Where the file system has no locks (some NFS mounts) the block runs unlocked;
    callers re-check what they read (see :func:`take_over` and the table rebuild).
    """
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    except OSError:
        yield False
        return
    try:
        yield _flock(fd, exclusive=True, block=True) is True
    finally:
        os.close(fd)


class ClaimKeeper:
    """The claims this process holds: their locks and one heartbeat thread."""

    def __init__(self, run_id: str, heartbeat_s: float = HEARTBEAT_S):
        self.run_id = run_id
        self.heartbeat_s = heartbeat_s
        self.held: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def create(self, path: Path, case_id: int) -> bool:
        """Create the claim file exclusively and hold it; False if it exists."""
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o644)
        except FileExistsError:
            return False
        _flock(fd, exclusive=True)
        record = {"case": case_id, "run": self.run_id, "owner": identity()}
        try:
            os.write(fd, json.dumps(record).encode())
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
        with self._lock:
            self.held[str(path)] = fd
        self._start()
        return True

    def release(self, path: Path) -> None:
        """Remove a held claim (unlink first, then drop the lock)."""
        with self._lock:
            fd = self.held.pop(str(path), None)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        if fd is not None:
            os.close(fd)

    def release_all(self) -> None:
        """Release every claim still held (on the way out of a failed run)."""
        for p in list(self.held):
            self.release(Path(p))
        self.stop()

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._beat, name="ssbi-claim-heartbeat",
                                            daemon=True)
            self._thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(self.heartbeat_s):
            with self._lock:
                paths = list(self.held)
            for p in paths:
                with contextlib.suppress(OSError):
                    os.utime(p)

    def stop(self) -> None:
        """Stop the heartbeat thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


def read_claim(path: Path) -> dict | None:
    """The claim record, or None (missing, empty or unreadable)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def claim_state(path: Path) -> tuple[str, int]:
    """(LIVE | STALE | GONE, inode) of a claim file, judged as the module docstring says."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return GONE, 0
    record = read_claim(path)
    alive = owner_alive(record.get("owner") if record else None)
    if alive is not None:
        return (LIVE if alive else STALE), st.st_ino
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return GONE, 0
    try:
        locked = _flock(fd, exclusive=False)
    finally:
        os.close(fd)
    if locked is False:
        return LIVE, st.st_ino
    age = time.time() - st.st_mtime
    limit = stale_after() if record else min(EMPTY_CLAIM_S, stale_after())
    return (STALE if age > limit else LIVE), st.st_ino


def take_over(path: Path, lock_path: Path) -> bool:
    """Remove a stale claim so that it can be claimed again; False if it is not stale now.

    Under the folder lock the claim is judged again and renamed to a tombstone
    (atomic: of two processes only one succeeds); if the tombstone turns out not to
    be the claim judged stale (no lock on this file system and a new claim appeared
    in between), it is put back.
    """
    with folder_lock(lock_path):
        state, ino = claim_state(path)
        if state != STALE:
            return state == GONE
        tomb = path.with_name(f".{path.name}.stale-{uuid.uuid4().hex[:8]}")
        try:
            os.rename(path, tomb)
        except FileNotFoundError:
            return True
        try:
            if os.stat(tomb).st_ino != ino:  # not the one judged: give it back
                with contextlib.suppress(OSError):
                    os.link(tomb, path)
                return False
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tomb)
    return True
