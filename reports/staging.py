"""Writing a set of report files so that a stop leaves last run's files whole: a staging folder, then a move.

Every writer of files a clerk opens (the site's reports, the province summary) writes them whole in a folder inside
the output folder (same file system, so a rename is atomic) and moves them into place together with SIGINT and
SIGTERM held. A SIGKILL or a power cut cannot be held: it leaves the staging folder behind. Each staging folder
therefore holds a lock (flock) for as long as its writer lives, and the next writer into the same output folder
removes the staging folders whose writer is gone, so the clerk never finds one beside her reports.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING_PREFIX = ".govaudit-writing-"
LOCK_NAME = ".writer.lock"
# A staging folder without a lock file was left by a version before the lock, or by a writer killed between
# creating the folder and its lock (microseconds): removed once older than this, never while it may be in use.
UNLOCKED_STALE_AFTER_S = 3600


class StagingFolder:
    """A staging folder this process writes in, locked until `close()` (or until the process dies)."""

    def __init__(self, path: Path, lock_fd: int) -> None:
        self.path = path
        self._lock_fd = lock_fd

    def close(self) -> None:
        """Remove the folder (what was not moved out of it is discarded) and release its lock."""
        shutil.rmtree(self.path, ignore_errors=True)
        if self._lock_fd >= 0:
            os.close(self._lock_fd)
            self._lock_fd = -1


def open_staging(out: Path) -> StagingFolder | None:
    """A locked staging folder inside `out`, after removing stale ones; None when `out` refuses it (each writer
    then writes in place and says why a file could not be written)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(out)
        path = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    except OSError:
        return None
    try:
        fd = os.open(path / LOCK_NAME, os.O_CREAT | os.O_WRONLY | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
        return None
    return StagingFolder(path, fd)


@contextmanager
def staging(out: Path) -> Iterator[Path | None]:
    """The staging folder's path for the block (None when `out` refuses one), removed when the block ends."""
    folder = open_staging(out)
    try:
        yield folder.path if folder else None
    finally:
        if folder is not None:
            folder.close()


def remove_stale_staging(out: Path) -> list[Path]:
    """Remove the staging folders in `out` whose writer is gone; the ones removed.

    Only folders of our own name; a folder whose lock is held (a writer alive, in this or another process) stays,
    and so does a lockless one younger than UNLOCKED_STALE_AFTER_S.
    """
    removed = []
    try:
        candidates = [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]
    except OSError:
        return removed
    for path in candidates:
        if path.is_symlink() or not path.is_dir():
            continue
        if _writer_gone(path):
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                removed.append(path)
    return removed


def _writer_gone(path: Path) -> bool:
    try:
        fd = os.open(path / LOCK_NAME, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        try:
            return time.time() - path.stat().st_mtime > UNLOCKED_STALE_AFTER_S
        except OSError:
            return False
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False                              # held: its writer is alive
    finally:
        os.close(fd)                              # closing releases the probe's lock
    return True


@contextmanager
def signals_held():
    """SIGINT and SIGTERM wait (the kernel keeps them pending) until the block ends, then act as usual."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held) if hasattr(signal, "pthread_sigmask") else None
    try:
        yield
    finally:
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def move_into_place(staging_path: Path, out: Path, names: list[str]) -> dict[str, OSError]:
    """Move the named finished files from the staging folder into `out` together, signals held; the moves that
    failed, by name. Why held: a stop (SIGTERM from systemd, Ctrl-C) while they move takes effect once all are in
    place, so the set is never half this run's and half last run's."""
    failed: dict[str, OSError] = {}
    with signals_held():
        for name in names:
            try:
                os.replace(staging_path / name, out / name)
            except OSError as exc:
                failed[name] = exc
    return failed
