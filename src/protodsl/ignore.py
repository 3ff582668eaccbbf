"""Gitignore-style patterns: ``.gitignore`` files and the ``exclude`` lists of the configuration.

The rules of git's pattern format that apply to finding files: blank lines and ``#`` comments
are skipped (``\\#`` is a literal ``#``), unescaped trailing spaces are dropped, ``!`` negates
(``\\!`` is a literal ``!``), a final ``/`` matches folders only, a pattern with a ``/`` at the
start or in the middle is anchored to the folder of its file (else it matches at any depth),
``*`` and ``?`` never match ``/``, ``[...]`` is a character class (``[!...]`` negated), and
``**`` matches any number of folders (``**/x``, ``a/**/b``, ``a/**``). The last matching pattern
decides; a pattern in a deeper ``.gitignore`` beats one higher up. A file inside an ignored
folder cannot be re-included (the folder is not searched), as in git.

A pure-Python matcher on purpose: the ``pathspec`` package does the same but costs 60 ms of
import on every start of `protodsl check`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from protodsl import record


@record.frozen
class Pattern:
    """One compiled pattern line."""

    regex: re.Pattern[str]
    negate: bool
    dir_only: bool


@record.frozen
class PatternSet:
    """The patterns of one source, relative to its folder ``base`` (an absolute path)."""

    base: str
    patterns: list[Pattern]

    def match(self, path: str, is_dir: bool) -> bool | None:
        """True if ``path`` (absolute) is ignored, False if re-included, None if no pattern
        matches (or ``path`` is not under ``base``)."""
        rel = _relative(path, self.base)
        if rel is None:
            return None
        for pattern in reversed(self.patterns):
            if pattern.dir_only and not is_dir:
                continue
            if pattern.regex.match(rel):
                return not pattern.negate
        return None


def parse(lines: Iterable[str], base: str) -> PatternSet:
    """The patterns of ``lines`` (the text of a .gitignore, or an exclude list) under ``base``."""
    patterns = [p for p in (compile_pattern(line) for line in lines) if p is not None]
    return PatternSet(os.path.abspath(base), patterns)


def read(path: str) -> PatternSet | None:
    """The patterns of the ignore file ``path``; None if it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    return parse(text.splitlines(), os.path.dirname(os.path.abspath(path)))


def ignored(sets: Iterable[PatternSet], path: str, is_dir: bool) -> bool:
    """Whether ``path`` is ignored by ``sets`` (given from the shallowest to the deepest)."""
    verdict = False
    for pattern_set in sets:
        result = pattern_set.match(path, is_dir)
        if result is not None:
            verdict = result
    return verdict


def compile_pattern(line: str) -> Pattern | None:
    """One line of gitignore syntax as a Pattern; None for a blank line or a comment."""
    line = line.rstrip("\n").rstrip("\r")
    if not line or line.startswith("#"):
        return None
    line = _strip_trailing_spaces(line)
    negate = line.startswith("!")
    if negate:
        line = line[1:]
    elif line.startswith(("\\!", "\\#")):
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.removeprefix("/")
    body = _translate(line)
    regex = ("" if anchored else "(?:.*/)?") + body
    return Pattern(re.compile(f"^{regex}$", re.S), negate, dir_only)


def _strip_trailing_spaces(line: str) -> str:
    end = len(line)
    while end > 0 and line[end - 1] == " " and not (end > 1 and line[end - 2] == "\\"):
        end -= 1
    return line[:end]


def _translate(pattern: str) -> str:
    segments = pattern.split("/")
    out = []
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == "**":
            out.append(".*" if last else "(?:[^/]*/)*")
        else:
            out.append(_segment(segment) + ("" if last else "/"))
    return "".join(out)


def _segment(segment: str) -> str:
    out = []
    i = 0
    while i < len(segment):
        ch = segment[i]
        if ch == "\\" and i + 1 < len(segment):
            out.append(re.escape(segment[i + 1]))
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = segment.find("]", i + 2 if segment[i + 1:i + 2] in ("!", "^") else i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                inner = segment[i + 1:end]
                if inner[:1] in ("!", "^"):
                    inner = "^" + inner[1:]
                out.append("[" + inner.replace("\\", "\\\\") + "]")
                i = end + 1
                continue
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def _relative(path: str, base: str) -> str | None:
    if path == base:
        return None
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not path.startswith(prefix):
        return None
    rel = path[len(prefix):]
    return rel.replace(os.sep, "/") if os.sep != "/" else rel
