"""`protodsl export --to fhir|ics|fit|csv PATH... [-o DIR]`: export clean protocols.

Each file without errors is compiled, then exported from its compiled document (schema
version 2) by ``protodsl.export``; with ``-o DIR`` each protocol becomes ``DIR/NAME.EXT``,
written atomically; without it, a single file is printed to stdout (text formats only). A file
with errors exports nothing. Diagnostics go to stderr, as in `compile`.
Exit codes: 0 all exported, 1 a file has errors or an output could not be written, 2 a usage
problem (several files without ``-o``, a binary format without ``-o``, a missing path, a bad
option, or the format's libraries missing: ``pip install "protodsl[export]"``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from protodsl.commands.options import ENV_FORMAT, FORMATS

EXPORTS = ("fhir", "ics", "fit", "csv")  # as protodsl.export.FORMATS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `export`."""
    parser.add_argument("--to", required=True, choices=EXPORTS, metavar="FORMAT",
                        help=f"the format: one of {', '.join(EXPORTS)}")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="files, or folders searched for *.protocol files")
    parser.add_argument("-o", "--output", metavar="DIR", default=None,
                        help="write DIR/NAME.EXT for each protocol (created if needed); "
                             "without it, a single file is printed to stdout")
    parser.add_argument("--start", metavar="DATE", default=None,
                        help="ics: the date of the first day of week 1 (YYYY-MM-DD; required)")
    parser.add_argument("--side", choices=("left", "right"), default=None,
                        help="bind the patient's `affected` side (and `unaffected` to the "
                             "other); without it they stay as written")
    parser.add_argument("--level", type=int, default=1, metavar="N",
                        help="fit: the level of each exercise to write (default 1)")
    parser.add_argument("--output-format", choices=FORMATS, default=None, metavar="FORMAT",
                        help=f"diagnostics format on stderr: one of {', '.join(FORMATS)} "
                             f"(default: ${ENV_FORMAT}, else concise)")


def error(message: str) -> None:
    """A message about the command itself, on stderr."""
    print(f"protodsl export: error: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Export every file; returns the exit code."""
    import datetime

    from protodsl.commands import compile as comp
    from protodsl.export import FORMATS as EXPORT_FORMATS
    from protodsl.export import ExportError, Options, missing_libraries

    fmt = comp._format(args)
    if fmt is None:
        return 2
    spec = EXPORT_FORMATS[args.to]
    missing = missing_libraries(args.to)
    if missing:
        error(f"the {args.to} export needs {', '.join(missing)}, which is not installed: "
              f"install the `export` extra with `pip install \"protodsl[export]\"`")
        return 2
    start = None
    if args.start is not None:
        try:
            start = datetime.date.fromisoformat(args.start)
        except ValueError:
            error(f"--start `{args.start}` is not a date (YYYY-MM-DD)")
            return 2
    if args.to == "ics" and start is None:
        error("the ics export needs `--start DATE`, the first day of week 1 (YYYY-MM-DD)")
        return 2
    if args.level < 1:
        error("--level must be 1 or more")
        return 2
    options = Options(start=start, side=args.side, level=args.level)

    if args.output is None and spec.binary:
        error(f"the {args.to} export is binary: write it to a folder with `-o DIR`")
        return 2
    found = comp.compile_paths(args.paths, args.output, fmt, "export", "exported")
    if found is None:
        return 2
    status, compiled = found

    from protodsl.export import export_files

    outputs: list[tuple[dict[str, Any], list[tuple[str, bytes]]]] = []
    for path, doc in compiled:
        try:
            outputs.append((doc, export_files(args.to, doc, options)))
        except ExportError as exc:
            error(f"`{path}`: {exc}")
            status = status or 1
    if args.output is None:
        for _, parts in outputs:
            comp.write_stdout(b"".join(part for _, part in parts))
        return status
    return _write_all(outputs, args.output, spec.extension) or status


def _write_all(outputs: list[tuple[dict[str, Any], list[tuple[str, bytes]]]], folder: str,
               ext: str) -> int:
    from protodsl.commands.compile import write_files

    return write_files(folder, ((f"{doc['protocol']['name']}{suffix}.{ext}", data,
                                 lambda target, name=doc["protocol"]["name"]: f"{name} -> {target}")
                                for doc, parts in outputs for suffix, data in parts), error)
