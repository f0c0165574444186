"""Private working folders (a build's staging area, an import's staging folder) that say whether
their owner is still alive, so that the next run removes those a killed process left behind.

Each working folder holds a lock file that its process keeps locked (`flock`) as long as it runs;
the kernel releases the lock when the process ends, however it ends (SIGKILL, power cut aside).
A folder whose lock can be taken is stale. A folder without a lock file (written by an older
version, or killed in the instant between creating the folder and locking it) is stale once it
has not changed for an hour.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_FILE = ".verrou"
UNLOCKED_GRACE_SECONDS = 3600


class WorkDir:
    """A working folder created in `parent` with `prefix`, locked for the life of this object."""

    def __init__(self, parent: Path, prefix: str) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        self._fd: int | None = os.open(self.path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def release(self) -> None:
        """Unlock (the folder itself is removed by its owner)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.release()

    def unmark(self) -> None:
        """Unlock and delete the lock file, before the folder's content is published."""
        self.release()
        (self.path / LOCK_FILE).unlink(missing_ok=True)


@contextlib.contextmanager
def _taken(path: Path) -> Iterator[bool]:
    """Whether the lock file at `path` could be locked (its owner is gone); held while inside."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def is_stale(folder: Path, now: float | None = None) -> bool:
    """Whether a working folder was left behind by a process that no longer runs."""
    lock = folder / LOCK_FILE
    if lock.is_file():
        with _taken(lock) as taken:
            return taken
    try:
        changed = folder.lstat().st_mtime
    except OSError:
        return False
    return (now if now is not None else time.time()) - changed > UNLOCKED_GRACE_SECONDS


def remove_stale(parent: Path, prefix: str) -> list[Path]:
    """Remove the stale working folders in `parent` named as `WorkDir` names them (`prefix` and
    eight random characters); returns those removed. Nothing else is ever touched."""
    removed: list[Path] = []
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return removed
    made_here = re.compile(re.escape(prefix) + r"[a-z0-9_]{8}")  # `tempfile.mkdtemp` names
    for entry in entries:
        if not made_here.fullmatch(entry.name) or entry.is_symlink() or not entry.is_dir():
            continue
        lock = entry / LOCK_FILE
        if lock.is_file():
            with _taken(lock) as taken:
                if taken:
                    shutil.rmtree(entry, ignore_errors=True)
                    removed.append(entry)
        elif is_stale(entry):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back during a few renames that must happen all together; they
    are delivered when the block ends."""
    signals = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def pending_interrupt() -> bool:
    """Whether Ctrl-C or SIGTERM arrived while held back (`held_signals`)."""
    try:
        return bool(signal.sigpending() & {signal.SIGINT, signal.SIGTERM})
    except (AttributeError, OSError):  # pragma: no cover - not POSIX
        return False
