"""``concise``: one ``path:line:col: severity[CODE] message`` line per diagnostic."""

from __future__ import annotations

from collections.abc import Sequence

from protodsl.diagnostics import FileReport
from protodsl.render import ordered


def render(reports: Sequence[FileReport]) -> str:
    """One line per diagnostic and nothing else (no summary): easy to grep and to parse."""
    lines = []
    for report, d in ordered(reports):
        message = d.message.replace("\r", "\\r").replace("\n", "\\n")
        lines.append(f"{report.path}:{d.span.line}:{d.span.column}: "
                     f"{d.severity}[{d.code}] {message}")
    return "".join(line + "\n" for line in lines)
