"""Writing files so that a reader never sees half of one, and two writers do not interleave.

A file is written next to its target under a temporary name, flushed to disk, and renamed over the
target: a kill, a full disk or a crash leaves either the old file or the new one, never a torn one.
Writers of the same small file (the decisions file) take an advisory lock first.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kg.errors import KGError


class OutputError(KGError):
    """A file kg was asked to write cannot be written there."""


def check_writable(path: str | Path) -> Path:
    """``path`` as a :class:`Path` if a file can be written there, before any work is done.

    Raises
    ------
    OutputError
        The folder is missing or not writable, or ``path`` is a folder.

    Examples
    --------
    >>> check_writable("/no/such/folder/out.json")
    Traceback (most recent call last):
    ...
    kg.atomic.OutputError: /no/such/folder/out.json: the folder /no/such/folder does not exist
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; name a file to write")
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: the folder {folder} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"{path}: the file is read-only")
    return path


@contextlib.contextmanager
def replacing(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file next to ``path``; on a clean exit it replaces ``path``, else it is removed.

    Examples
    --------
    >>> folder = Path(tempfile.mkdtemp())
    >>> with replacing(folder / "out.txt") as f:
    ...     _ = f.write("done")
    >>> (folder / "out.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('done', ['out.txt'])
    """
    path = check_writable(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        handle: IO[Any] = os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding="utf-8", newline="")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            # Keep the permissions of the file being replaced.
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: could not write: {_reason(exc)}") from None
        raise


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through :func:`replacing`."""
    with replacing(path) as handle:
        handle.write(text)


@contextlib.contextmanager
def locked(path: str | Path) -> Iterator[None]:
    """Hold an advisory lock for writing ``path`` during the block.

    The lock is taken on the file's folder, not the file: the file is replaced by a rename, so a lock
    on its old inode would not hold, and a lock file beside it would litter the user's folder. Where the
    platform has no ``fcntl`` the block runs unlocked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    folder = Path(path).parent
    try:
        fd = os.open(folder if str(folder) else ".", os.O_RDONLY)
    except OSError as exc:
        raise OutputError(f"{path}: could not lock: {_reason(exc)}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EFBIG:
        return "the file is larger than this system allows"
    return exc.strerror or str(exc)
