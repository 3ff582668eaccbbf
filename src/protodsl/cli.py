"""The command line: `protodsl check|compile|explain|schema|fmt|lsp`.

Each command lives in its own module under ``protodsl.commands`` with ``add_arguments(parser)``
and ``run(args) -> int``; only the module of the command being run is imported.
Exit codes: 0 clean, 1 problems found, 2 usage error or missing path.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module

from protodsl import __version__

COMMANDS = {
    "check": "check files for problems",
    "compile": "compile clean files to JSON schedules",
    "explain": "explain a diagnostic code",
    "schema": "print the JSON Schema of compiled output",
    "fmt": "format files in the canonical layout",
    "lsp": "run the language server on stdio (needs protodsl[lsp])",
    "export": "export clean files to FHIR, iCalendar, FIT or CSV",
    "handout": "write printable patient handouts (HTML or Markdown)",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _formatter(prog: str) -> argparse.HelpFormatter:
    # An explicit width keeps argparse from importing shutil (2 ms of every start).
    try:
        width = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size(2).columns
    except (ValueError, OSError):
        width = 80
    return argparse.HelpFormatter(prog, width=max(40, width - 2))


def build_parser(command: str | None) -> argparse.ArgumentParser:
    """The argument parser; only ``command``'s own arguments are loaded."""
    parser = _Parser(prog="protodsl", description="Check and compile exercise protocols.",
                     formatter_class=_formatter)
    parser.add_argument("--version", action="version", version=f"protodsl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, summary in COMMANDS.items():
        p = sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".",
                           formatter_class=_formatter)
        if name == command:
            import_module(f"protodsl.commands.{name}").add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args_list = sys.argv[1:] if argv is None else argv
    command = next((a for a in args_list if not a.startswith("-")), None)
    if command not in COMMANDS:
        command = None
    parser = build_parser(command)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        if command == "check" and exc.code == 2:  # json/sarif readers still get a valid log
            from protodsl.commands.check import usage_error_log

            usage_error_log(args_list)
        raise
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(import_module(f"protodsl.commands.{args.command}").run(args))
    except KeyboardInterrupt:
        print("protodsl: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
