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


def describe(document: dict[str, Any]) -> str:
    """The line printed for one compiled protocol, before ` -> TARGET`."""
    exercises = document["exercises"]
    n_ex = len(exercises)
    n_lv = sum(len(ex["levels"]) for ex in exercises)
    est = document["estimated_session_s"]
    low = minutes(est["min"])
    high = None if est["max"] is None else minutes(est["max"])  # unknown: open-ended (8.4)
    session = f"at least {low}" if high is None else low if low == high else f"{low}-{high}"
    return (f"{document['protocol']['name']}: {n_ex} exercise{'s' if n_ex != 1 else ''}, "
            f"{n_lv} level{'s' if n_lv != 1 else ''}, session {session} min")


def as_json(document: dict[str, Any]) -> tuple[str, str, bytes]:
    """What `compile` keeps of a document: its protocol's name, its summary line and its JSON
    (a small fraction of the document's memory)."""
    from protodsl.output import dump_bytes

    return document["protocol"]["name"], describe(document), dump_bytes(document)


def _document(document: dict[str, Any]) -> dict[str, Any]:
    return document


def compile_file(path: str, keep: Callable[[dict[str, Any]], Any] = _document
                 ) -> tuple[str, tuple[Any, ...], str | None, Any, str | None]:
    """Read, check and compile one file, here or in a worker process: its text, diagnostics,
    protocol name and ``keep`` of its document (both None when it has errors), or, with
    nothing else, why it could not be read."""
    from protodsl.analysis import analyze_bytes
    from protodsl.compiler import compile_analysis
    from protodsl.dosage import caching
    from protodsl.files import ReadError, read_bytes

    try:
        data = read_bytes(path)
    except ReadError as exc:
        return "", (), None, None, str(exc)
    with caching():  # the compiler reuses what the analysis worked out (effective levels)
        analysis = analyze_bytes(data, path)
        result = compile_analysis(analysis)
    document = result.document
    text = analysis.text
    if document is None:
        return text, result.diagnostics, None, None, None
    return text, result.diagnostics, document["protocol"]["name"], keep(document), None


def run(args: argparse.Namespace) -> int:
    """Compile every file; returns the exit code."""
    fmt = _format(args)
    if fmt is None:
        return 2
    found = compile_paths(args.paths, args.output, fmt, "compile", "written", as_json)
    if found is None:
        return 2
    status, compiled = found
    if args.output is None:
        for _, (_, _, data) in compiled:
            write_stdout(data)
        return status
    return write_files(args.output, ((f"{name}.json", data,
                                      lambda target, line=line: f"{line} -> {target}")
                                     for _, (name, line, data) in compiled), error) or status


def compile_paths(paths: list[str], output: str | None, fmt: str, command: str,
                  verb: str, keep: Callable[[dict[str, Any]], Any] = _document
                  ) -> tuple[int, list[tuple[str, Any]]] | None:
    """Find, read, check and compile the files of `compile`, `export` or `handout` (a large
    batch in a pool of processes), printing the diagnostics: the exit status so far and the
    (path, ``keep`` of the document: by default the document) of every file without errors,
    protocols whose name another file also uses left out (``verb`` says what is not done to
    them). ``keep`` runs where the file was compiled, so it must be a module-level function.
    None after a usage problem (a missing path, several files without ``-o``, ``-o`` naming a
    file, an invalid configuration), which is printed: the exit status is then 2. A folder
    search skips what the configuration excludes."""
    from protodsl.files import discover

    def fail(message: str) -> None:
        print(f"protodsl {command}: error: {message}", file=sys.stderr)

    from protodsl.config import ConfigError, filters, load

    try:  # a folder search skips what the configuration excludes, as for check and fmt
        settings = load(paths[0] if paths else None)
    except ConfigError as exc:
        fail(str(exc))
        return None
    found = discover(paths, filters(settings))
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

    from functools import partial

    from protodsl.batch import in_order
    from protodsl.diagnostics import FileReport

    reports: list[FileReport] = []
    compiled: list[tuple[str, str, Any]] = []
    files = found.files
    for path, (text, diagnostics, name, kept, failure) in zip(
            files, in_order(files, partial(compile_file, keep=keep))):
        if failure is not None:
            fail(failure)
            status = 2
            continue
        reports.append(FileReport(path, text, diagnostics))
        if name is None:
            status = status or 1
        else:
            compiled.append((path, name, kept))
    _print_diagnostics(reports, fmt)

    by_name: dict[str, list[str]] = {}
    for path, name, _ in compiled:
        by_name.setdefault(name, []).append(path)
    clashes = {name for name, names in by_name.items() if len(names) > 1}
    for name in sorted(clashes):
        listed = ", ".join(f"`{p}`" for p in by_name[name])
        fail(f"{listed} all define protocol `{name}`; none of them is {verb} "
             f"(rename one protocol)")
        status = status or 1
    return status, [(path, kept) for path, name, kept in compiled if name not in clashes]


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
