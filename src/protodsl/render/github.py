"""``github``: GitHub Actions workflow commands that become annotations on the pull request.

Escaping follows the Actions toolkit (``@actions/core``, ``command.ts``): in the message,
``%``, CR and LF are percent-encoded; in property values, ``:`` and ``,`` are too. GitHub only
accepts ``col``/``endColumn`` on single-line annotations, so a span over several lines gives
``line``/``endLine`` only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from protodsl.diagnostics import FileReport
from protodsl.render import ordered


def escape_data(text: str) -> str:
    """Escape a command's message, as ``escapeData`` in @actions/core."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value, as ``escapeProperty`` in @actions/core."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(reports: Sequence[FileReport]) -> str:
    """One ``::error ...::message`` (or ``::warning``) line per diagnostic; the help line
    follows the message on a second line of the annotation."""
    out = []
    for report, d in ordered(reports):
        s = d.span
        path = report.path.replace(os.sep, "/") if os.sep != "/" else report.path
        props = [("file", path), ("line", str(s.line))]
        if s.line == s.end_line:
            props += [("col", str(s.column)), ("endLine", str(s.end_line)),
                      ("endColumn", str(s.end_column))]
        else:
            props.append(("endLine", str(s.end_line)))
        props.append(("title", f"protodsl ({d.code})"))
        message = d.message if not d.help else f"{d.message}\nhelp: {d.help}"
        command = "error" if d.severity == "error" else "warning"
        joined = ",".join(f"{k}={escape_property(v)}" for k, v in props)
        out.append(f"::{command} {joined}::{escape_data(message)}\n")
    return "".join(out)
