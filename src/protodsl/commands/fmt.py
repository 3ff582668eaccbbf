"""`protodsl fmt [PATH...]`: rewrite protocol files in the canonical layout.

Without options, each file that is not in the canonical layout is rewritten in place,
atomically. ``--check`` writes nothing and lists (on stdout) every file that would change;
``--diff`` writes nothing and prints a unified diff for every such file (``--check --diff``
together: the same as ``--diff``, as in other formatters). ``-`` reads stdin and
writes the formatted text to stdout (with ``--check``/``--diff``: only the verdict or the diff).

A folder search skips what the configuration (``protodsl.config``) excludes and what
``.gitignore`` ignores, as for `check`. A file with a syntax error (P100-P106) is reported on
stderr and left untouched.
Exit codes: 0 when every file is formatted (or, with ``--check``/``--diff``, already was);
1 when a file has syntax errors, could not be formatted, or would change under
``--check``/``--diff``; 2 for a usage problem, a path that does not exist, or a file or folder
that cannot be read or written.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from protodsl.fmt import Formatted


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `fmt`."""
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files, or folders searched for *.protocol files (default: .); "
                             "`-` formats stdin to stdout")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; list the files that would change and exit 1 if "
                             "any")
    parser.add_argument("--diff", action="store_true",
                        help="write nothing; print a unified diff of every change and exit 1 "
                             "if any (with --check: the diffs instead of the list)")


def _error(message: str) -> None:
    print(f"protodsl fmt: error: {message}", file=sys.stderr)


def _report_syntax(path: str, formatted: Formatted) -> None:
    for d in formatted.errors:
        s = d.span
        print(f"{path}:{s.line}:{s.column}: {d.severity}[{d.code}] {d.message}", file=sys.stderr)
    noun = "error" if len(formatted.errors) == 1 else "errors"
    _error(f"`{path}` was not formatted: fix its syntax {noun} first")


def _diff(path: str, before: str, after: str) -> str:
    import difflib

    lines = difflib.unified_diff(before.splitlines(keepends=True),
                                 after.splitlines(keepends=True),
                                 fromfile=f"{path} (original)", tofile=f"{path} (formatted)")
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def run(args: argparse.Namespace) -> int:
    """Format (or check) every file; returns the exit code."""
    from protodsl.files import ReadError, discover, read_bytes
    from protodsl.fmt import format_source

    paths = list(args.paths)
    stdin = "-" in paths
    paths = [p for p in paths if p != "-"]
    status = 0
    files: list[str] = []
    if paths or not stdin:
        from protodsl.config import ConfigError, filters, load

        try:  # a folder search skips what the configuration excludes, as for check
            settings = load(paths[0] if paths else None)
        except ConfigError as exc:
            _error(str(exc))
            return 2
        found = discover(paths, filters(settings))
        if found.missing:
            for path in found.missing:
                _error(f"path `{path}` does not exist")
            return 2
        for message in found.unreadable:
            _error(message)
            status = 2
        for message in found.skipped:
            print(f"protodsl fmt: warning: {message}", file=sys.stderr)
        files = found.files
        if not files and not found.unreadable:
            where = ", ".join(f"`{p}`" for p in paths) if paths else "`.`"
            print(f"protodsl fmt: warning: no .protocol files found in {where}", file=sys.stderr)

    changed = 0
    unchanged = 0
    jobs: list[tuple[str, bytes | None]] = []
    if stdin:
        from protodsl.source import read_limited

        jobs.append(("-", read_limited(sys.stdin.buffer)))
    jobs.extend((path, None) for path in files)
    for path, data in jobs:
        if data is None:
            try:
                data = read_bytes(path)
            except ReadError as exc:
                _error(str(exc))
                status = max(status, 2)
                continue
        result = format_source(data)
        if result.text is None:
            if result.internal is not None:
                _error(f"`{path}` was not formatted: internal error: {result.internal}; "
                       "please report this with the file")
            else:
                _report_syntax(path, result)
            status = max(status, 1)
            continue
        new = result.text.encode("utf-8")
        if new == data:
            unchanged += 1
            if path == "-" and not (args.check or args.diff):
                _out(result.text)
            continue
        changed += 1
        if args.check and not args.diff:
            _out(path + "\n")
            status = max(status, 1)
        elif args.diff:
            _out(_diff(path, result.original, result.text))
            status = max(status, 1)
        elif path == "-":
            _out(result.text)
        else:
            from protodsl.writer import write_atomic

            try:
                write_atomic(path, new)
            except OSError as exc:
                reason = (exc.strerror or type(exc).__name__).lower()
                _error(f"cannot write `{path}`: {reason}")
                status = max(status, 2)
                continue
            print(f"reformatted {path}", file=sys.stderr)
    if args.check or args.diff:
        print(f"{_count(changed)} would be reformatted, {_count(unchanged)} already formatted",
              file=sys.stderr)
    return status


def _out(text: str) -> None:
    """Write ``text`` to stdout as UTF-8 whatever the locale, line ends as they are."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        # A file name that is not UTF-8 is written as its own bytes, as `ls` and `diff` do.
        buffer.write(text.encode("utf-8", "surrogateescape"))
        buffer.flush()


def _count(k: int) -> str:
    return f"{k} file" if k == 1 else f"{k} files"
