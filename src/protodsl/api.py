"""The Python API for tools that embed protodsl.

The functions give exactly what the command line gives: the diagnostics of ``protodsl check``
and the documents of ``protodsl compile`` (as dicts; ``protodsl.output.dumps`` writes the
command line's bytes).

>>> import protodsl
>>> doc = protodsl.load("heel_raises.protocol")            # doctest: +SKIP
>>> doc["exercises"][0]["levels"][0]["dosage"]["reps"]    # doctest: +SKIP
{'max': 10, 'min': 10}

``compile_text``, ``compile_file`` and ``load`` raise ``ProtocolError`` when the protocol has
errors; its ``diagnostics`` hold every diagnostic of the file (errors and warnings).
"""

from __future__ import annotations

import os
from typing import Any

from protodsl.diagnostics import Diagnostic

__all__ = ["Diagnostic", "ProtocolError", "check_file", "check_text", "compile_file",
           "compile_text", "load", "schema"]

PathLike = str | os.PathLike[str]


class ProtocolError(ValueError):
    """A protocol has errors and cannot be compiled.

    ``diagnostics`` is every diagnostic of the file (errors and warnings, sorted by position);
    ``errors`` only the errors; ``path`` the file's path (None for text).
    """

    def __init__(self, diagnostics: list[Diagnostic], path: str | None = None) -> None:
        self.diagnostics = diagnostics
        self.path = path
        first = self.errors[0] if self.errors else None
        where = f"{path}:" if path else "line "
        detail = (f": {where}{first.span.line}:{first.span.column}: "
                  f"{first.code} {first.message}" if first else "")
        count = len(self.errors)
        super().__init__(f"the protocol has {count} error{'s' if count != 1 else ''}{detail}")

    @property
    def errors(self) -> list[Diagnostic]:
        """The error diagnostics (warnings left out)."""
        return [d for d in self.diagnostics if d.severity == "error"]


def check_text(text: str, path: str | None = None) -> list[Diagnostic]:
    """Every diagnostic of a protocol's text, sorted by position (``path`` enables P208)."""
    from protodsl.analysis import analyze_text

    return list(analyze_text(text, path).diagnostics)


def check_file(path: PathLike) -> list[Diagnostic]:
    """Every diagnostic of a protocol file (read as bytes, so P103 works). Raises ``OSError``
    when the file cannot be read."""
    from protodsl.analysis import analyze_bytes

    from protodsl.source import read_path

    name = os.fspath(path)
    data = read_path(name)
    return list(analyze_bytes(data, name).diagnostics)


def compile_text(text: str, path: str | None = None) -> dict[str, Any]:
    """The compiled document of a protocol's text; raises ``ProtocolError`` on errors."""
    from protodsl.analysis import analyze_text
    from protodsl.dosage import caching

    with caching():  # the compiler reuses what the analysis worked out
        return _compiled(analyze_text(text, path), path)


def compile_file(path: PathLike) -> dict[str, Any]:
    """The compiled document of a protocol file; raises ``ProtocolError`` on errors and
    ``OSError`` when the file cannot be read."""
    from protodsl.analysis import analyze_bytes

    from protodsl.source import read_path

    from protodsl.dosage import caching

    name = os.fspath(path)
    data = read_path(name)
    with caching():  # the compiler reuses what the analysis worked out
        return _compiled(analyze_bytes(data, name), name)


def load(path: PathLike) -> dict[str, Any]:
    """Compile a protocol file (same as ``compile_file``)."""
    return compile_file(path)


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of compiled documents, as a fresh dict."""
    import json

    return json.loads(schema_text())  # type: ignore[no-any-return]


def schema_text() -> str:
    """The shipped JSON Schema as text, exactly as ``protodsl schema`` prints it."""
    from protodsl.output import schema_text as text

    return text()


def _compiled(analysis: Any, path: str | None) -> dict[str, Any]:
    from protodsl.compiler import compile_analysis

    from protodsl.shared import unshared

    result = compile_analysis(analysis)
    if result.document is None:
        raise ProtocolError(list(result.diagnostics), path)
    return unshared(result.document)  # type: ignore[no-any-return]
