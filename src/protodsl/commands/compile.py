"""`protodsl compile PATH... [-o DIR]`: compile clean protocol files to JSON.

Each file without errors (warnings allowed) becomes ``DIR/NAME.json`` (NAME: the protocol's
name), written atomically, with one summary line on stdout; a single file without ``-o`` is
printed to stdout. A file with errors writes nothing. Diagnostics go to stderr (concise unless
``--output-format`` or ``PROTODSL_OUTPUT_FORMAT`` says otherwise).
Exit codes: 0 all compiled, 1 a file has errors or an output could not be written, 2 a usage
problem (several files without ``-o``, a missing path, an unreadable file or folder).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

from protodsl.commands.options import ENV_FORMAT, FORMATS, resolve_format


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `compile`."""
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="files, or folders searched for *.protocol files")
    parser.add_argument("-o", "--output", metavar="DIR", default=None,
                        help="write DIR/NAME.json for each protocol (created if needed); "
                             "without it, a single file is printed to stdout")
    parser.add_argument("--output-format", choices=FORMATS, default=None, metavar="FORMAT",
                        help=f"diagnostics format on stderr: one of {', '.join(FORMATS)} "
                             f"(default: ${ENV_FORMAT}, else concise)")


def error(message: str) -> None:
    """A message about the command itself, on stderr."""
    print(f"protodsl compile: error: {message}", file=sys.stderr)


def _format(args: argparse.Namespace) -> str | None:
    """The format asked for: the flag, else the environment, else concise; None if invalid."""
    try:
        return resolve_format(args.output_format, "concise")
    except ValueError as exc:
        error(str(exc))
        return None


def minutes(seconds: float) -> str:
    """Seconds as minutes for the summary line: at most one decimal (`6.5`, `5`)."""
    text = f"{seconds / 60:.1f}"
    return text[:-2] if text.endswith(".0") else text


def summary(document: dict[str, Any], target: str) -> str:
    """The line printed for one compiled protocol."""
    exercises = document["exercises"]
    n_ex = len(exercises)
    n_lv = sum(len(ex["levels"]) for ex in exercises)
    est = document["estimated_session_s"]
    low = minutes(est["min"])
    high = None if est["max"] is None else minutes(est["max"])  # unknown: open-ended (8.4)
    session = f"at least {low}" if high is None else low if low == high else f"{low}-{high}"
    return (f"{document['protocol']['name']}: {n_ex} exercise{'s' if n_ex != 1 else ''}, "
            f"{n_lv} level{'s' if n_lv != 1 else ''}, session {session} min -> {target}")


def run(args: argparse.Namespace) -> int:
    """Compile every file; returns the exit code."""
    fmt = _format(args)
    if fmt is None:
        return 2
    found = compile_paths(args.paths, args.output, fmt, "compile", "written")
    if found is None:
        return 2
    status, compiled = found
    if args.output is None:
        for _, doc in compiled:
            write_stdout(_dump(doc))
        return status
    return _write_all(compiled, args.output) or status


def compile_paths(paths: list[str], output: str | None, fmt: str, command: str,
                  verb: str) -> tuple[int, list[tuple[str, dict[str, Any]]]] | None:
    """Find, read, check and compile the files of `compile` or `export`, printing the
    diagnostics: the exit status so far and the (path, document) of every file without errors,
    protocols whose name another file also uses left out (``verb`` says what is not done to
    them). None after a usage problem (a missing path, several files without ``-o``, ``-o``
    naming a file), which is printed: the exit status is then 2."""
    from protodsl.files import ReadError, discover, read_bytes

    def fail(message: str) -> None:
        print(f"protodsl {command}: error: {message}", file=sys.stderr)

    found = discover(paths)
    if found.missing:
        for path in found.missing:
            fail(f"path `{path}` does not exist")
        return None
    if output == "":
        fail("`-o` needs a folder name (an empty one names no folder)")
        return None
    if output is None and len(found.files) > 1:
        fail(f"{len(found.files)} protocol files found: several files need `-o DIR`")
        return None
    if output is not None and os.path.exists(output) and not os.path.isdir(output):
        fail(f"`{output}` is not a folder")
        return None
    status = 0
    for message in found.unreadable:
        fail(message)
        status = 2
    for message in found.skipped:
        print(f"protodsl {command}: warning: {message}", file=sys.stderr)
    if not found.files and not found.unreadable:
        where = ", ".join(f"`{p}`" for p in paths)
        print(f"protodsl {command}: warning: no .protocol files found in {where}",
              file=sys.stderr)

    from protodsl.analysis import analyze_bytes
    from protodsl.compiler import compile_analysis
    from protodsl.diagnostics import FileReport

    reports: list[FileReport] = []
    compiled: list[tuple[str, dict[str, Any]]] = []
    for path in found.files:
        try:
            data = read_bytes(path)
        except ReadError as exc:
            fail(str(exc))
            status = 2
            continue
        analysis = analyze_bytes(data, path)
        result = compile_analysis(analysis)
        reports.append(FileReport(path, analysis.text, result.diagnostics))
        if result.document is None:
            status = status or 1
        else:
            compiled.append((path, result.document))
    _print_diagnostics(reports, fmt)

    by_name: dict[str, list[str]] = {}
    for path, doc in compiled:
        by_name.setdefault(doc["protocol"]["name"], []).append(path)
    clashes = {name for name, names in by_name.items() if len(names) > 1}
    for name in sorted(clashes):
        listed = ", ".join(f"`{p}`" for p in by_name[name])
        fail(f"{listed} all define protocol `{name}`; none of them is {verb} "
             f"(rename one protocol)")
        status = status or 1
    return status, [(p, doc) for p, doc in compiled if doc["protocol"]["name"] not in clashes]


def _print_diagnostics(reports: list[Any], fmt: str) -> None:
    if not any(r.diagnostics for r in reports):
        return
    try:
        from protodsl.render import render
    except ImportError:  # pragma: no cover - the renderers ship with the package
        text = "".join(f"{r.path}:{d.span.line}:{d.span.column}: {d.severity}[{d.code}] "
                       f"{d.message}\n" for r in reports for d in r.diagnostics)
    else:
        text = render(reports, fmt)
    sys.stdout.flush()
    sys.stderr.write(text)
    sys.stderr.flush()


def _dump(document: dict[str, Any]) -> bytes:
    from protodsl.output import dump_bytes

    return dump_bytes(document)


def write_stdout(data: bytes) -> None:
    """Bytes to standard output (as text where the stream takes only text, as in tests)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()


def _write_all(compiled: list[tuple[str, dict[str, Any]]], folder: str) -> int:
    from protodsl.output import dump_bytes

    return write_files(folder, ((f"{doc['protocol']['name']}.json", dump_bytes(doc),
                                 lambda target, doc=doc: summary(doc, target))
                                for _, doc in compiled), error)


def write_files(folder: str, files: Iterable[tuple[str, bytes, Callable[[str], str]]],
                fail: Callable[[str], None]) -> int:
    """Write each (file name, bytes, line for its path) into ``folder`` (made at the first
    file), atomically, printing the line of each file written; returns the exit status."""
    from protodsl.writer import write_atomic

    status = 0
    made = False
    for name, data, line in files:
        if not made:
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as exc:
                fail(f"cannot create folder `{folder}`: {_reason(exc)}")
                return 1
            made = True
        target = os.path.join(folder, name)
        try:
            write_atomic(target, data)
        except OSError as exc:
            fail(f"cannot write `{target}`: {_reason(exc)}")
            status = 1
            continue
        print(line(target))
    sys.stdout.flush()
    return status


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return (exc.strerror or type(exc).__name__).lower()
