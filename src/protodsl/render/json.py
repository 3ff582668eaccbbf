"""``json``: one JSON array of diagnostics, in file order then position."""

from __future__ import annotations

import json
from collections.abc import Sequence

from protodsl.diagnostics import FileReport
from protodsl.render import display_path, ordered


def render(reports: Sequence[FileReport]) -> str:
    """A JSON array of ``{path, line, column, end_line, end_column, severity, code, message,
    help}`` objects (``help`` is null when absent); ``[]`` when there is nothing to report."""
    items = [{
        "path": display_path(report.path),
        "line": d.span.line,
        "column": d.span.column,
        "end_line": d.span.end_line,
        "end_column": d.span.end_column,
        "severity": d.severity,
        "code": d.code,
        "message": d.message,
        "help": d.help,
    } for report, d in ordered(reports)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
