"""Exports of compiled protocols to other formats: `protodsl export --to FORMAT`.

Each format lives in its own module (``csv_export``, ``ics``, ``fhir``, ``fit``) with
``export(document, options) -> bytes``; every export reads the compiled document (schema
version 2), never the AST. Only the module of the format asked for is imported, and the
format libraries (the ``export`` extra) only by that module: ``protodsl check`` never loads them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, NamedTuple


class Format(NamedTuple):
    module: str  # under protodsl.export
    extension: str
    binary: bool  # never printed to stdout
    libraries: tuple[str, ...]  # importable modules the format needs (from the `export` extra)


FORMATS: dict[str, Format] = {
    "csv": Format("csv_export", "csv", False, ()),
    "ics": Format("ics", "ics", False, ("icalendar",)),
    "fhir": Format("fhir", "json", False, ("fhir.resources",)),
    "fit": Format("fit", "fit", True, ("fit_tool",)),
}


class MissingExtra(Exception):
    """A format library is not installed; ``str(error)`` says what to install."""


class ExportError(Exception):
    """A protocol cannot be exported to the format with the options given (message for the
    user)."""


class Options(NamedTuple):
    start: Any = None  # datetime.date: the calendar's first day (ics)
    side: str | None = None  # "left" or "right": binds `affected` (and `unaffected`)
    level: int = 1  # fit: the level of each exercise written


def missing_libraries(name: str) -> list[str]:
    """The libraries of format ``name`` that cannot be imported."""
    from importlib.util import find_spec

    missing = []
    for lib in FORMATS[name].libraries:
        try:
            if find_spec(lib) is None:
                missing.append(lib)
        except (ImportError, ValueError):
            missing.append(lib)
    return missing


def export(name: str, document: dict[str, Any], options: Options | None = None) -> bytes:
    """The bytes of ``document`` exported to format ``name`` (a format of several files:
    the first; see ``export_files``).

    Raises ``MissingExtra`` when the format's libraries are not installed and ``ExportError``
    when the options do not fit the protocol.
    """
    return export_files(name, document, options)[0][1]


def export_files(name: str, document: dict[str, Any], options: Options | None = None
                 ) -> list[tuple[str, bytes]]:
    """The files of ``document`` exported to format ``name``: (suffix, bytes) pairs, the file
    named ``NAME + suffix + "." + extension`` (one file with suffix "" for most formats; fit
    writes one per session)."""
    fmt = FORMATS[name]
    if missing_libraries(name):
        raise MissingExtra(
            f"the {name} export needs {', '.join(missing_libraries(name))}: "
            f"install it with `pip install \"protodsl[export]\"`")
    try:
        module = import_module(f"protodsl.export.{fmt.module}")
    except ModuleNotFoundError as exc:
        if exc.name != f"protodsl.export.{fmt.module}":
            raise
        raise ExportError(f"the {name} export is not available in this version") from None
    data = module.export(document, options or Options())
    return [("", data)] if isinstance(data, bytes) else list(data)
