"""Finding and reading protocol files: the paths that `check` and `compile` work on.

A path given on the command line is either a file (checked whatever its name) or a folder,
searched recursively for ``*.protocol`` files. Folders whose name starts with ``.`` (``.git``,
``.venv``) are skipped inside a search, but a hidden folder given by name is searched. Symbolic
links to folders are not followed (no loops); links to files are read. Paths are reported as
given (``./a/../b.protocol`` becomes ``b.protocol``; absolute stays absolute), deduplicated and
in sorted order, so output does not depend on the file system's listing order.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from protodsl import record

SUFFIX = ".protocol"


@record.frozen
class Discovery:
    """The files found, the paths that do not exist, and folders that could not be searched."""

    files: list[str]
    missing: list[str]
    unreadable: list[str]  # one message per folder that could not be listed


class ReadError(Exception):
    """A file that exists but cannot be read; ``str(error)`` is the message for the user."""


def discover(paths: Sequence[str]) -> Discovery:
    """The protocol files under ``paths`` (default ``.``), deduplicated and sorted."""
    candidates: list[str] = []
    missing: list[str] = []
    unreadable: list[str] = []
    for given in paths or ["."]:
        if not os.path.lexists(given):
            missing.append(given)
        elif os.path.isdir(given):
            candidates.extend(_walk(given, unreadable))
        else:
            candidates.append(_display(given))
    found: dict[str, str] = {}  # identity key -> the first display path in sorted order
    for path in sorted(set(candidates), key=_sort_key):
        found.setdefault(_key(path), path)
    return Discovery(list(found.values()), missing, unreadable)


def read_bytes(path: str) -> bytes:
    """The bytes of ``path``; a file that cannot be read raises ReadError with a clear message."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except IsADirectoryError:
        raise ReadError(f"cannot read `{path}`: it is a directory") from None
    except PermissionError:
        raise ReadError(f"cannot read `{path}`: permission denied") from None
    except FileNotFoundError:
        raise ReadError(f"cannot read `{path}`: the file does not exist (a broken link?)") from None
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ReadError(f"cannot read `{path}`: {reason}") from None


def _walk(root: str, unreadable: list[str]) -> list[str]:
    out: list[str] = []

    def failed(exc: OSError) -> None:
        where = _display(exc.filename or root)
        reason = "permission denied" if isinstance(exc, PermissionError) else (
            (exc.strerror or type(exc).__name__).lower())
        unreadable.append(f"cannot search folder `{where}`: {reason}")

    for folder, dirs, names in os.walk(root, onerror=failed):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        out.extend(_display(os.path.join(folder, name)) for name in names
                   if name.endswith(SUFFIX) and not name.startswith("."))
    return out


def _display(path: str) -> str:
    """``path`` normalized but kept relative (or absolute) as given."""
    return os.path.normpath(path)


def _key(path: str) -> str:
    """What makes two paths the same file: their real, absolute location."""
    return os.path.normcase(os.path.realpath(path))


def _sort_key(path: str) -> tuple[str, ...]:
    # Component by component, so `a/b.protocol` sorts before `a-b.protocol` as in a tree.
    return tuple(path.replace(os.sep, "/").split("/"))
