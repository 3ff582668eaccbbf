"""`protodsl check [PATH...]`: check protocol files and report every problem.

Exit codes: 0 when no file has an error (with ``--strict``, no warning either), 1 otherwise,
2 for a usage problem, a path that does not exist, or a file or folder that cannot be read.
Diagnostics go to stdout in the chosen format; messages about the command itself (missing
paths, unreadable files) go to stderr, so stdout stays valid JSON/SARIF.
"""

from __future__ import annotations

import argparse
import os
import sys

from protodsl.commands.options import ENV_FORMAT, FORMATS, resolve_format


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `check`."""
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files, or folders searched for *.protocol files (default: .)")
    parser.add_argument("--output-format", choices=FORMATS, default=None, metavar="FORMAT",
                        help=f"one of {', '.join(FORMATS)} (default: ${ENV_FORMAT}, else full)")
    parser.add_argument("--strict", action="store_true", help="warnings make the exit code 1")


def output_format(args: argparse.Namespace) -> str | None:
    """The format asked for: the flag, else the environment, else full; None if invalid."""
    try:
        return resolve_format(args.output_format, "full")
    except ValueError as exc:
        error(str(exc))
        return None


def error(message: str) -> None:
    """A message about the command itself, on stderr."""
    print(f"protodsl check: error: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Check every file and print the report; returns the exit code."""
    fmt = output_format(args)
    if fmt is None:
        return 2
    from protodsl.files import ReadError, discover, read_bytes

    found = discover(args.paths)
    if found.missing:
        for path in found.missing:
            error(f"path `{path}` does not exist")
        return 2
    status = 0
    for message in found.unreadable:
        error(message)
        status = 2
    if not found.files and not found.unreadable:
        where = ", ".join(f"`{p}`" for p in args.paths) if args.paths else "`.`"
        print(f"protodsl check: warning: no .protocol files found in {where}", file=sys.stderr)

    from protodsl.analysis import analyze_bytes
    from protodsl.diagnostics import FileReport

    reports = []
    for path in found.files:
        try:
            data = read_bytes(path)
        except ReadError as exc:
            error(str(exc))
            status = 2
            continue
        analysis = analyze_bytes(data, path)
        reports.append(FileReport(path, analysis.text, analysis.diagnostics))

    from protodsl.render import render

    color = fmt == "full" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    sys.stdout.write(render(reports, fmt, color=color))
    sys.stdout.flush()
    if status:
        return status
    failed = any(r.errors or (args.strict and r.warnings) for r in reports)
    return 1 if failed else 0
