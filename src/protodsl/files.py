"""Finding and reading protocol files: the paths that `check` and `compile` work on.

A path given on the command line is either a file (checked whatever its name) or a folder,
searched recursively for ``*.protocol`` files. Folders whose name starts with ``.`` (``.git``,
``.venv``) are skipped inside a search, but a hidden folder given by name is searched. Symbolic
links to folders are not followed (no loops); links to files are read. Paths are reported as
given (``./a/../b.protocol`` becomes ``b.protocol``; absolute stays absolute), deduplicated and
in sorted order, so output does not depend on the file system's listing order.

``Filters`` adds what a search also skips: the configuration's ``exclude`` patterns and, by
default, what ``.gitignore`` files ignore (those of the searched folders and of their parents up
to the repository root, the nearest folder with a ``.git``). Paths given by name are not
filtered unless ``force_exclude`` is set (as pre-commit passes every file by name).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from protodsl import record
from protodsl.ignore import PatternSet

SUFFIX = ".protocol"


@record.frozen
class Filters:
    """What a folder search skips besides hidden files and folders."""

    exclude: PatternSet | None = None
    gitignore: bool = True
    force_exclude: bool = False


@record.frozen
class Discovery:
    """The files found, the paths that do not exist, and folders that could not be searched."""

    files: list[str]
    missing: list[str]
    unreadable: list[str]  # one message per folder that could not be listed
    skipped: tuple[str, ...] = ()  # one warning per file of a search that is not a regular file


class ReadError(Exception):
    """A file that exists but cannot be read; ``str(error)`` is the message for the user."""


def discover(paths: Sequence[str], filters: Filters | None = None) -> Discovery:
    """The protocol files under ``paths`` (default ``.``), deduplicated and sorted."""
    candidates: list[str] = []
    missing: list[str] = []
    unreadable: list[str] = []
    skipped: list[str] = []
    skip = _Skipper(filters) if filters is not None else None
    for given in paths or ["."]:
        if not os.path.lexists(given):
            missing.append(given)
        elif skip is not None and skip.force and skip.given(given):
            continue
        elif os.path.isdir(given):
            candidates.extend(_regular(_walk(given, unreadable, skip), skipped))
        else:
            candidates.append(_display(given))
    found: dict[str, str] = {}  # identity key -> the first display path in sorted order
    for path in sorted(set(candidates), key=_sort_key):
        found.setdefault(_key(path), path)
    return Discovery(list(found.values()), missing, unreadable, tuple(skipped))


def _regular(paths: list[str], skipped: list[str]) -> list[str]:
    """The regular files among ``paths`` found by a search: a named pipe would block the run
    and a device never ends, so they are skipped with a warning (a broken link is kept: its
    read error is reported)."""
    import stat

    out = []
    for path in paths:
        try:
            mode = os.stat(path).st_mode
        except OSError:
            out.append(path)
            continue
        if stat.S_ISREG(mode):
            out.append(path)
            continue
        what = ("a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")
        skipped.append(f"skipped `{path}`: {what}, not a regular file")
    return out


def read_bytes(path: str) -> bytes:
    """The bytes of ``path``; a file that cannot be read raises ReadError with a clear message."""
    from protodsl.source import read_limited

    try:
        with open(path, "rb") as f:
            return read_limited(f)  # at most the size limit + 1 byte (P106)
    except IsADirectoryError:
        raise ReadError(f"cannot read `{path}`: it is a directory") from None
    except PermissionError:
        raise ReadError(f"cannot read `{path}`: permission denied") from None
    except FileNotFoundError:
        raise ReadError(f"cannot read `{path}`: the file does not exist (a broken link?)") from None
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ReadError(f"cannot read `{path}`: {reason}") from None


def _walk(root: str, unreadable: list[str], skip: _Skipper | None = None) -> list[str]:
    out: list[str] = []

    def failed(exc: OSError) -> None:
        where = _display(exc.filename or root)
        reason = "permission denied" if isinstance(exc, PermissionError) else (
            (exc.strerror or type(exc).__name__).lower())
        unreadable.append(f"cannot search folder `{where}`: {reason}")

    for folder, dirs, names in os.walk(root, onerror=failed):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files = [name for name in names if name.endswith(SUFFIX) and not name.startswith(".")]
        if skip is not None:
            dirs[:] = [d for d in dirs if not skip.skips(os.path.join(folder, d), True)]
            files = [name for name in files if not skip.skips(os.path.join(folder, name), False)]
        out.extend(_display(os.path.join(folder, name)) for name in files)
    return out


class _Skipper:
    """Decides what a search skips under Filters; reads each .gitignore once."""

    def __init__(self, filters: Filters) -> None:
        self.exclude = filters.exclude
        self.gitignore = filters.gitignore
        self.force = filters.force_exclude
        self.cache: dict[str, PatternSet | None] = {}
        self.applying: dict[str, list[PatternSet]] = {}

    def skips(self, path: str, is_dir: bool) -> bool:
        """Whether ``path`` is excluded or ignored (its folders are known not to be)."""
        full = os.path.abspath(path)
        if self.exclude is not None and self.exclude.match(full, is_dir):
            return True
        if not self.gitignore:
            return False
        from protodsl.ignore import ignored

        return ignored(self._sets(os.path.dirname(full)), full, is_dir)

    def given(self, path: str) -> bool:
        """Whether a path given by name, or one of its folders, is excluded or ignored."""
        full = os.path.abspath(path)
        chain = [full]
        while os.path.dirname(chain[-1]) != chain[-1]:
            chain.append(os.path.dirname(chain[-1]))
        return any(self.skips(p, p != full or os.path.isdir(p)) for p in reversed(chain[:-1]))

    def _sets(self, folder: str) -> list[PatternSet]:
        """The .gitignore patterns that apply in ``folder``, from the repository root down
        (none outside a repository, as for git)."""
        if folder in self.applying:
            return self.applying[folder]
        chain = [folder]
        while not os.path.exists(os.path.join(chain[-1], ".git")):
            parent = os.path.dirname(chain[-1])
            if parent == chain[-1]:
                self.applying[folder] = []
                return []
            chain.append(parent)
        sets = []
        for where in reversed(chain):
            if where not in self.cache:
                from protodsl.ignore import read

                name = os.path.join(where, ".gitignore")
                self.cache[where] = read(name) if os.path.isfile(name) else None
            found = self.cache[where]
            if found is not None:
                sets.append(found)
        self.applying[folder] = sets
        return sets


def _display(path: str) -> str:
    """``path`` normalized but kept relative (or absolute) as given."""
    return os.path.normpath(path)


def _key(path: str) -> str:
    """What makes two paths the same file: their real, absolute location."""
    return os.path.normcase(os.path.realpath(path))


def _sort_key(path: str) -> tuple[str, ...]:
    # Component by component, so `a/b.protocol` sorts before `a-b.protocol` as in a tree.
    return tuple(path.replace(os.sep, "/").split("/"))
