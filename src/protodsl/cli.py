"""The command line: `protodsl check|compile|explain|schema|fmt|lsp`.

Each command lives in its own module under ``protodsl.commands`` with ``add_arguments(parser)``
and ``run(args) -> int``; only the module of the command being run is imported.
Exit codes: 0 clean, 1 problems found, 2 usage error or missing path.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
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


def build_parser(command: str | None, alone: bool = False) -> argparse.ArgumentParser:
    """The argument parser; only ``command``'s own arguments are loaded, and with ``alone``
    only its sub-parser is made (enough unless the top level prints its help)."""
    parser = _Parser(prog="protodsl", description="Check and compile exercise protocols.",
                     formatter_class=_formatter)
    parser.add_argument("--version", action="version", version=f"protodsl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands: dict[str, argparse.ArgumentParser] = {}
    for name, summary in COMMANDS.items():
        if alone and name != command:
            continue
        p = sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".",
                           formatter_class=_formatter)
        commands[name] = p
        if name == command:
            import_module(f"protodsl.commands.{name}").add_arguments(p)
    parser.set_defaults(_commands=commands)
    return parser


class _Terminated(KeyboardInterrupt):
    """SIGTERM (what `timeout`, CI cancellation and `kill` send), handled like Ctrl-C: the
    run unwinds, so an atomic write in progress removes its temporary file."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated()


class _ClosedStream:
    """Standard output when the process was started with it closed: writing fails as writing
    to a closed descriptor does, and the failure is reported like any other write error."""

    def __init__(self) -> None:
        self.buffer = self

    def write(self, data: object) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _prepare_streams() -> None:
    """Text that cannot be encoded (a file name that is not UTF-8) is written escaped
    (``\\xff``), never a UnicodeEncodeError; a closed standard output fails on write."""
    if sys.stdout is None:
        sys.stdout = _ClosedStream()  # type: ignore[assignment]
    import codecs

    codecs.register_error("protodsl-escape", _escape)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="protodsl-escape")
            except (ValueError, OSError):  # pragma: no cover - a detached or odd stream
                pass


def _escape(exc: UnicodeError) -> tuple[str, int]:
    """Text the stream cannot encode, escaped: a byte of a file name that is not UTF-8 (held
    as a lone surrogate) as ``\\xe9``, any other character as ``\\u....``."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start:exc.end]:
        code = ord(ch)
        out.append(f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF
                   else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return "".join(out), exc.end


def _silence_stdout() -> None:
    """After a failed write, point standard output at /dev/null so that the interpreter's
    final flush of what is still buffered cannot fail again (and print a traceback)."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code. No traceback ever reaches the user:
    Ctrl-C exits 130, SIGTERM 143 (temporary files removed), a failed write to standard output
    (a full disk, a closed pipe or descriptor) 1 with one line on stderr, and running out of
    memory 2 with a P900 line."""
    _prepare_streams()
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (an embedding program): its own handlers stand
        previous = None
    try:
        return _main(argv)
    except _Terminated:
        print("protodsl: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("protodsl: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except MemoryError:
        print("protodsl: error[P900]: out of memory: the input needs more memory than this "
              "system gives protodsl", file=sys.stderr)
        return 2
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EBADF, errno.EIO, errno.EDQUOT):
            raise
        reason = (exc.strerror or type(exc).__name__).lower()
        print(f"protodsl: error: cannot write to standard output: {reason}", file=sys.stderr)
        _silence_stdout()
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    command = next((a for a in args_list if not a.startswith("-")), None)
    if command not in COMMANDS:
        command = None
    # Only the top level's help lists the other commands, and it can only be asked for
    # before the command (whose own sub-parser takes every later argument).
    alone = command is not None and not any(
        a.startswith("-") for a in args_list[:args_list.index(command)])
    parser = build_parser(command, alone)
    try:
        args, extra = parser.parse_known_args(args_list)
        if extra:
            # The command's own usage, not the top level's.
            own = args._commands.get(args.command) if args.command else None
            (own or parser).error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exc:
        if command == "check" and exc.code == 2:  # json/sarif readers still get a valid log
            from protodsl.commands.check import usage_error_log

            usage_error_log(args_list)
        raise
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    del args._commands
    return int(import_module(f"protodsl.commands.{args.command}").run(args))
