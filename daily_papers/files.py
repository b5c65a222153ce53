"""Writing files so that a run killed at any instant leaves each one old or new, never cut,
and keeping two runs from working on the same store at once."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from daily_papers.errors import DailyPapersError

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 10.0
"""How long a run waits for another run on the same store to finish before giving up."""


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Replace ``path`` with ``data`` through a flushed temp file in the same folder.

    Returns False, writing nothing, when the file already holds exactly ``data``: a run
    that changes nothing touches nothing. Text is written as UTF-8 with ``\\n`` endings.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    _remove_leftovers(path)
    try:
        if path.read_bytes() == raw:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path), suffix=".tmp")
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
    _sync_folder(path.parent)
    return True


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _remove_leftovers(path: Path) -> None:
    """Delete the temp files a killed run left next to ``path``.

    Only one run writes a folder at a time (see :func:`store_lock`), so a temp file
    that exists before this write began belongs to a run that died.
    """
    prefix = _temp_prefix(path)
    try:
        with os.scandir(path.parent) as entries:
            stale = [entry.path for entry in entries if entry.name.startswith(prefix)
                     and entry.name.endswith(".tmp") and len(entry.name) >= len(prefix) + len(".tmp")]
    except (FileNotFoundError, NotADirectoryError, PermissionError):  # nothing to list, so nothing left over
        return
    for stale_path in stale:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(stale_path)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable, so a power cut cannot bring the old file back."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class LockedError(DailyPapersError):
    """The store's lock cannot be had: another run holds it, or the folder cannot be written."""


@contextlib.contextmanager
def store_lock(
    folder: Path,
    wait_seconds: float | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[None]:
    """Hold an exclusive OS lock on ``folder/.lock`` for the duration of a run.

    The lock dies with the process, so a killed run never blocks the next one; the
    file itself may stay and means nothing on its own. A second run waits up to
    ``wait_seconds`` (default :data:`LOCK_WAIT_SECONDS`) and then raises :class:`LockedError`.
    """
    wait = LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds
    lock_path = folder / ".lock"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+b")  # noqa: SIM115 - held open for the whole run
    except OSError as err:
        raise LockedError(f"cannot lock the store: {lock_path}: {err.strerror or err}") from None
    try:
        deadline = clock() + wait
        waiting = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as err:
                if err.errno not in (errno.EAGAIN, errno.EACCES):
                    raise LockedError(f"cannot lock the store: {lock_path}: {err.strerror or err}") from None
                if clock() >= deadline:
                    raise LockedError(
                        f"another daily-papers run is using {folder} (waited {wait:g} s for its lock "
                        f"{lock_path}); try again when it has finished"
                    ) from None
                if not waiting:
                    log.info("another daily-papers run is using %s; waiting up to %g s", folder, wait)
                    waiting = True
                sleep(min(0.1, max(0.0, deadline - clock())))
        yield
    finally:
        handle.close()
