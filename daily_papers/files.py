"""Writing files so that a run killed at any instant leaves each one old or new, never cut,
and keeping two runs from working on the same store at once."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Replace ``path`` with ``data`` through a flushed temp file in the same folder.

    Returns False, writing nothing, when the file already holds exactly ``data``: a run
    that changes nothing touches nothing. Text is written as UTF-8 with ``\\n`` endings.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class LockedError(Exception):
    """Another run holds the store's lock."""


@contextlib.contextmanager
def store_lock(
    folder: Path,
    wait_seconds: float = 10.0,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[None]:
    """Hold an exclusive OS lock on ``folder/.lock`` for the duration of a run.

    The lock dies with the process, so a killed run never blocks the next one; the
    file itself may stay and means nothing on its own.
    """
    folder.mkdir(parents=True, exist_ok=True)
    lock_path = folder / ".lock"
    handle = open(lock_path, "a+b")  # noqa: SIM115 - held open for the whole run
    try:
        deadline = clock() + wait_seconds
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as err:
                if err.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if clock() >= deadline:
                    raise LockedError(
                        f"another daily-papers run is using {folder} (waited {wait_seconds:g} s); "
                        "try again when it has finished"
                    ) from None
                sleep(0.1)
        yield
    finally:
        handle.close()
