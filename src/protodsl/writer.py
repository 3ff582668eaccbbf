"""Atomic file writes: a reader sees the old file or the new one, never a partial one.

The bytes go to a temporary file in the target's folder (same file system), are flushed and
fsynced, then the temporary file is renamed over the target with ``os.replace``. If anything
fails (or the run is interrupted, by Ctrl-C or SIGTERM) before the rename, the temporary file
is removed and the target is untouched; an existing target is never opened for writing, so never
truncated. A target that is a symbolic link is written through: the file it points to gets
the new bytes and the link stays a link.
"""

from __future__ import annotations

import os
import tempfile


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename).

    The new file gets the existing target's permissions, or the usual ones for a new file
    (0o666 less the umask). Raises ``OSError`` on failure, leaving ``path`` as it was.
    """
    target = os.fspath(path)
    if os.path.islink(target):
        target = os.path.realpath(target)  # write through the link: it stays a link
    folder = os.path.dirname(target) or "."
    mode = _mode_for(target)
    # Ctrl-C and SIGTERM wait until the temporary file is under the `try` that removes it.
    masked = _mask_signals()
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".tmp",
                                   dir=folder)
    except BaseException:
        _unmask_signals(masked)
        raise
    try:
        _unmask_signals(masked)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _sync_folder(folder)


def _mask_signals() -> object:
    """Hold back SIGINT and SIGTERM (where the platform can); returns the previous mask."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


def _unmask_signals(previous: object) -> None:
    """Restore the mask: a signal held back is delivered now."""
    import signal

    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # type: ignore[arg-type]


def _mode_for(target: str) -> int:
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: str) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
