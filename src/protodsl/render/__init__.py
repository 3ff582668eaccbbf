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
        text: str = module.render(reports, color=color)
    else:
        text = module.render(reports)
    if not text.isascii():
        text = _escape_bytes(text, fmt in ("json", "sarif"))
    return text


def _escape_bytes(text: str, in_json: bool) -> str:
    """A byte of a file name that is not UTF-8 (a lone surrogate, in a path or in a message
    that names the file) written as ``\\xe9``: inside a JSON string as an escaped backslash,
    so the document stays valid JSON."""
    import re

    slash = "\\\\" if in_json else "\\"
    return re.sub("[\udc80-\udcff]", lambda m: f"{slash}x{ord(m.group()) - 0xDC00:02x}", text)


def display_path(path: str) -> str:
    """``path`` as text that any output can hold: a byte of a name that is not UTF-8 (read by
    Python as a lone surrogate) written as ``\\xe9``."""
    if path.isascii():
        return path
    import os

    return os.fsencode(path).decode("utf-8", "backslashreplace")


def ordered(reports: Sequence[FileReport]) -> Iterator[tuple[FileReport, Diagnostic]]:
    """Every diagnostic with its file: files in the order given, then by position."""
    for report in reports:
        for diag in sorted(report.diagnostics, key=lambda d: d.sort_key):
            yield report, diag
