"""`protodsl handout PATH... [-o DIR] [--format html|md] [--side left|right]`: patient handouts.

Each file without errors is compiled, then rendered from its compiled document by
``protodsl.handout``: a self-contained printable HTML page (or Markdown) with a progression
diagram per exercise. With ``-o DIR`` each protocol becomes ``DIR/NAME.html`` (or ``.md``),
written atomically; without it, a single file is printed to stdout. ``--side`` names the
patient's affected side (``unaffected`` is the other one); without it the handout keeps
`affected` and `unaffected` as written. Diagnostics go to stderr, as in `compile`.
Exit codes: 0 all written, 1 a file has errors or an output could not be written, 2 a usage
problem (several files without ``-o``, a missing path, an unreadable file or folder).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from protodsl.commands.options import ENV_FORMAT, FORMATS

HANDOUTS = ("html", "md")  # as protodsl.handout.FORMATS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `handout`."""
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="files, or folders searched for *.protocol files")
    parser.add_argument("-o", "--output", metavar="DIR", default=None,
                        help="write DIR/NAME.html (or .md) for each protocol (created if "
                             "needed); without it, a single file is printed to stdout")
    parser.add_argument("--format", choices=HANDOUTS, default="html", dest="handout_format",
                        help="html (a printable page, the default) or md (Markdown)")
    parser.add_argument("--side", choices=("left", "right"), default=None,
                        help="the patient's affected side (the unaffected side is the other); "
                             "without it the handout says `affected` and `unaffected`")
    parser.add_argument("--output-format", choices=FORMATS, default=None, metavar="FORMAT",
                        help=f"diagnostics format on stderr: one of {', '.join(FORMATS)} "
                             f"(default: ${ENV_FORMAT}, else concise)")


def error(message: str) -> None:
    """A message about the command itself, on stderr."""
    print(f"protodsl handout: error: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Write the handout of every file; returns the exit code."""
    from protodsl.commands import compile as comp

    fmt = comp._format(args)
    if fmt is None:
        return 2
    found = comp.compile_paths(args.paths, args.output, fmt, "handout", "written")
    if found is None:
        return 2
    status, compiled = found

    from protodsl.handout import render

    outputs = [(doc, render(doc, args.handout_format, args.side)) for _, doc in compiled]
    if args.output is None:
        for _, data in outputs:
            comp.write_stdout(data)
        return status
    return _write_all(outputs, args.output, args.handout_format) or status


def _write_all(outputs: list[tuple[dict[str, Any], bytes]], folder: str, ext: str) -> int:
    from protodsl.commands.compile import write_files

    return write_files(folder, ((f"{doc['protocol']['name']}.{ext}", data,
                                 lambda target, name=doc["protocol"]["name"]: f"{name} -> {target}")
                                for doc, data in outputs), error)
