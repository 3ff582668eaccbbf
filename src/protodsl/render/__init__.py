"""Diagnostic renderers: one module per output format, chosen by name.

``render(reports, fmt)`` is the one entry point; the module of the format is imported only when
it is used, so the command line loads nothing it does not print.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from protodsl.diagnostics import Diagnostic, FileReport

FORMATS = ("full", "concise", "json", "github", "sarif")
DEFAULT_FORMAT = "full"


def render(reports: list[FileReport], fmt: str, *, color: bool = False) -> str:
    """The diagnostics of ``reports`` as text in format ``fmt`` (one of FORMATS).

    Files are rendered in the order given, diagnostics in position order. The result ends with
    a newline unless it is empty. ``color`` adds ANSI colours (``full`` only).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format `{fmt}`; expected one of {', '.join(FORMATS)}")
    module = import_module(f"protodsl.render.{fmt}")
    if fmt == "full":
        return module.render(reports, color=color)  # type: ignore[no-any-return]
    return module.render(reports)  # type: ignore[no-any-return]


def ordered(reports: Sequence[FileReport]) -> Iterator[tuple[FileReport, Diagnostic]]:
    """Every diagnostic with its file: files in the order given, then by position."""
    for report in reports:
        for diag in sorted(report.diagnostics, key=lambda d: d.sort_key):
            yield report, diag
