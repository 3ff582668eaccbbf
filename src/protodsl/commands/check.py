"""`protodsl check [PATH...]`: check protocol files and report every problem.

Exit codes: 0 when no file has an error (with ``--strict``, no warning either), 1 otherwise
(0 with ``--exit-zero``), 2 for a usage problem, a configuration error, a path that does not
exist, or a file or folder that cannot be read. Diagnostics go to stdout in the chosen format;
messages about the command itself (missing paths, unreadable files) go to stderr, so stdout
stays valid JSON/SARIF (an empty log when nothing could be checked).

Settings come from the command line, else the configuration (``protodsl.config``), else the
defaults. ``-`` as a path checks stdin (named by ``--stdin-filename``).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

from protodsl.commands.options import ENV_FORMAT, FORMATS, resolve_format

if TYPE_CHECKING:
    from protodsl.config import Config
    from protodsl.diagnostics import FileReport


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `check`."""
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files, or folders searched for *.protocol files (default: .); "
                             "`-` reads stdin")
    parser.add_argument("--output-format", choices=FORMATS, default=None, metavar="FORMAT",
                        help=f"one of {', '.join(FORMATS)} (default: ${ENV_FORMAT}, else the "
                             "configuration's, else full)")
    parser.add_argument("--strict", action=argparse.BooleanOptionalAction, default=None,
                        help="warnings make the exit code 1")
    parser.add_argument("--config", metavar="FILE", default=None,
                        help="read the configuration from FILE instead of searching for one")
    parser.add_argument("--isolated", action="store_true",
                        help="ignore every configuration file")
    parser.add_argument("--select", action="append", metavar="CODES", default=None,
                        help="report only these warnings (comma-separated codes or prefixes)")
    parser.add_argument("--ignore", action="append", metavar="CODES", default=None,
                        help="do not report these warnings (comma-separated codes or prefixes)")
    parser.add_argument("--exclude", action="append", metavar="PATTERN", default=None,
                        help="gitignore-style pattern of paths not to search (replaces the "
                             "configuration's exclude)")
    parser.add_argument("--extend-exclude", action="append", metavar="PATTERN", default=None,
                        help="more patterns of paths not to search")
    parser.add_argument("--respect-gitignore", action=argparse.BooleanOptionalAction,
                        default=None, help="skip what .gitignore files ignore (default: yes)")
    parser.add_argument("--force-exclude", action="store_true",
                        help="apply the exclusions to paths given by name too")
    parser.add_argument("--stdin-filename", metavar="NAME", default=None,
                        help="the name under which stdin (`-`) is checked and reported")
    parser.add_argument("--statistics", action="store_true",
                        help="print how many times each code was found instead of the "
                             "diagnostics")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print the diagnostics only: no summary line, no warnings")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when problems are found (2 still means a usage "
                             "problem)")
    parser.add_argument("--fix", action="store_true",
                        help="apply the mechanical fixes (did-you-mean replacements, a missing "
                             "condition or `stop if`, the protocol's name), then report what "
                             "is left")
    parser.add_argument("--diff", action="store_true",
                        help="with --fix: write nothing, print the fixes as a unified diff "
                             "(exit 1 if there is any)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the full format (auto: on a terminal, unless NO_COLOR is "
                             "set; FORCE_COLOR forces it)")


def output_format(args: argparse.Namespace, config: Config | None = None) -> str | None:
    """The format asked for: the flag, else the environment, else the configuration, else full;
    None if invalid."""
    try:
        default = (config.output_format if config is not None else None) or "full"
        return resolve_format(args.output_format, default)
    except ValueError as exc:
        error(str(exc))
        return None


def error(message: str) -> None:
    """A message about the command itself, on stderr."""
    print(f"protodsl check: error: {message}", file=sys.stderr)


def use_color(choice: str, fmt: str) -> bool:
    """Whether to colour: ``--color``, else FORCE_COLOR / NO_COLOR, else whether on a terminal."""
    if fmt != "full" or choice == "never":
        return False
    if choice == "always":
        return True
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    return sys.stdout.isatty()


def settings(args: argparse.Namespace) -> Config:
    """The configuration file's settings with the command-line flags applied over them."""
    from protodsl import config as cfg

    if args.isolated:
        found = cfg.Config()
    elif args.config:
        found = cfg.read(args.config)
    else:
        start = args.stdin_filename if args.paths == ["-"] and args.stdin_filename else (
            next((p for p in args.paths if p != "-"), None))
        found = cfg.load(start)
    changes: dict[str, object] = {}
    if args.strict is not None:
        changes["strict"] = args.strict
    if args.respect_gitignore is not None:
        changes["respect_gitignore"] = args.respect_gitignore
    if args.exclude is not None:
        changes["exclude"] = _split(args.exclude)
    if args.extend_exclude is not None:
        changes["extend_exclude"] = found.extend_exclude + _split(args.extend_exclude)
    if args.select is not None:
        changes["select"] = cfg.check_codes(_split(args.select), "select", "--select")
    if args.ignore is not None:
        changes["ignore"] = found.ignore + cfg.check_codes(_split(args.ignore), "ignore",
                                                           "--ignore")
    if not changes:
        return found
    fields = {name: getattr(found, name) for name in (
        "path", "exclude", "extend_exclude", "respect_gitignore", "strict", "select", "ignore",
        "output_format")}
    fields.update(changes)
    return cfg.Config(**fields)  # type: ignore[arg-type]


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def usage_error_log(argv: list[str]) -> None:
    """After a command-line error: the empty report of the format asked for (json, sarif)."""
    fmt = os.environ.get(ENV_FORMAT, "").strip().lower()
    for i, arg in enumerate(argv):
        if arg == "--output-format" and i + 1 < len(argv):
            fmt = argv[i + 1]
        elif arg.startswith("--output-format="):
            fmt = arg.split("=", 1)[1]
    _empty_log(fmt)


def _empty_log(fmt: str | None) -> None:
    """On a usage error, a valid empty report for the formats read by programs."""
    if fmt in ("json", "sarif"):
        from protodsl.render import render

        sys.stdout.write(render([], fmt))
        sys.stdout.flush()


def run(args: argparse.Namespace) -> int:
    """Check every file and print the report; returns the exit code."""
    from protodsl.config import ConfigError

    early = output_format(args)
    if early is None:
        return 2
    try:
        config = settings(args)
    except ConfigError as exc:
        error(str(exc))
        _empty_log(args.output_format or os.environ.get(ENV_FORMAT, "").strip().lower())
        return 2
    fmt = output_format(args, config)
    if fmt is None:
        return 2
    from protodsl.config import filters as filters_of
    from protodsl.files import discover

    stdin = "-" in args.paths
    paths = [p for p in args.paths if p != "-"]
    if args.diff and not args.fix:
        error("--diff needs --fix")
        _empty_log(fmt)
        return 2
    if args.stdin_filename and not stdin:
        error("--stdin-filename needs `-` among the paths")
        _empty_log(fmt)
        return 2
    filters = filters_of(config, args.force_exclude)
    files: list[str] = []
    status = 0
    if paths or not stdin:
        found = discover(paths, filters)
        if found.missing:
            for path in found.missing:
                error(f"path `{path}` does not exist")
            _empty_log(fmt)
            return 2
        for message in found.unreadable:
            error(message)
            status = 2
        for message in found.skipped:
            print(f"protodsl check: warning: {message}", file=sys.stderr)
        files = found.files
        if not files and not found.unreadable and not args.quiet:
            where = ", ".join(f"`{p}`" for p in paths) if paths else "`.`"
            print(f"protodsl check: warning: no .protocol files found in {where}",
                  file=sys.stderr)

    from protodsl.batch import analyze_jobs
    from protodsl.diagnostics import FileReport

    jobs: list[tuple[str, bytes | None]] = []
    if stdin:
        from protodsl.source import read_limited

        jobs.append((args.stdin_filename or "-", read_limited(sys.stdin.buffer)))
    jobs.extend((path, None) for path in files)
    reports: list[FileReport] = []
    fixed: dict[str, Fixed] = {}  # what --fix did, by path
    # Many files are analysed by a pool of processes, in order (protodsl.batch).
    for job in analyze_jobs(jobs, whole=args.fix):
        path, piped, data, analysis = job.path, job.piped, job.data, job.analysis
        if job.failure is not None:
            error(job.failure)
            status = 2
            continue
        if args.fix and analysis.text is not None:
            status = max(status, _fix(path, data, analysis, args, config, fixed, piped))
            if path in fixed:
                analysis = fixed[path].analysis
        reports.append(FileReport(path, analysis.text, tuple(config.filter(analysis.diagnostics))))
    if args.fix:
        diff_status = _after_fix(args, fixed)
        if diff_status is not None:
            return status or diff_status

    # `check --fix -` prints the fixed text on stdout, so the report goes to stderr
    out = sys.stderr if args.fix and stdin and not args.diff else sys.stdout
    if args.statistics:
        out.write(statistics(reports, fmt))
    else:
        from protodsl.render import render

        text = render(reports, fmt, color=use_color(args.color, fmt))
        if args.quiet and fmt == "full":
            text = text.rstrip("\n")
            text = text[:text.rfind("\n") + 1].rstrip("\n")
            text = text + "\n" if text else ""
        out.write(text)
    out.flush()
    if status:
        return status
    failed = any(r.errors or (config.strict and r.warnings) for r in reports)
    return 1 if failed and not args.exit_zero else 0


def _fix(path: str, data: bytes, analysis: Any, args: argparse.Namespace, config: Config,
         fixed: dict[str, Fixed], piped: bool) -> int:
    """Fix one file (or stdin, ``piped``): write it atomically unless ``--diff`` or stdin, and
    record the outcome in ``fixed``. Returns 2 if the file could not be written, else 0."""
    from protodsl.analysis import analyze_text
    from protodsl.fixes import fix_text

    name = None if path == "-" else path  # a stdin name is checked for P208 too
    result = fix_text(analysis.text, name, config.reports)
    if result.refused is not None:
        if not args.quiet:
            print(f"protodsl check: warning: `{path}` was not fixed: {result.refused}",
                  file=sys.stderr)
        return 0
    new = result.text.encode("utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        new = b"\xef\xbb\xbf" + new
    after = analyze_text(result.text, name) if result.applied else analysis
    fixed[path] = Fixed(analysis.text, result.text, new, len(result.applied), after, piped)
    if args.diff or piped or not result.applied:
        return 0
    from protodsl.writer import write_atomic

    try:
        write_atomic(path, new)
    except OSError as exc:
        error(f"cannot write `{path}`: {(exc.strerror or type(exc).__name__).lower()}")
        return 2
    return 0


class Fixed(NamedTuple):
    """What --fix did to one file."""

    before: str
    after: str
    data: bytes
    applied: int
    analysis: Any
    piped: bool


def _after_fix(args: argparse.Namespace, fixed: dict[str, Fixed]) -> int | None:
    """With --fix: print the diffs (``--diff``: the exit code, 1 if any) or the fixed stdin,
    and the count of fixes on stderr; None to go on with the report."""
    if args.diff:
        from protodsl.fixes import unified_diff

        diffs = [unified_diff(path, f.before, f.after) for path, f in fixed.items()
                 if f.applied]
        sys.stdout.write("".join(diffs))
        if not args.quiet:
            count = sum(f.applied for f in fixed.values())
            print(f"protodsl check: {_plural(count, 'fix')} would be applied to "
                  f"{_plural(len(diffs), 'file')}", file=sys.stderr)
        return 1 if diffs else 0
    from protodsl.commands.compile import write_stdout

    for f in fixed.values():
        if f.piped:
            write_stdout(f.data)
    count = sum(f.applied for f in fixed.values())
    if count and not args.quiet:
        files = sum(1 for f in fixed.values() if f.applied)
        print(f"protodsl check: applied {_plural(count, 'fix')} to {_plural(files, 'file')}",
              file=sys.stderr)
    return None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}es" if word.endswith("x") else f"{n} {word}s"


def statistics(reports: list[FileReport], fmt: str) -> str:
    """How many diagnostics of each code: a table, or a JSON array for ``--output-format json``.

    Codes are sorted by count (most first), then by code.
    """
    counts: dict[str, int] = {}
    severity: dict[str, str] = {}
    for report in reports:
        for d in report.diagnostics:
            counts[d.code] = counts.get(d.code, 0) + 1
            severity[d.code] = d.severity
    from protodsl.rules.registry import all_rules

    rules = all_rules()
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if fmt == "json":
        import json

        return json.dumps([{"code": code, "count": n, "severity": severity[code],
                            "summary": rules[code].summary if code in rules else None}
                           for code, n in rows], ensure_ascii=False, indent=2) + "\n"
    width = max((len(str(n)) for _, n in rows), default=1)
    return "".join(f"{n:>{width}}  {code}  {severity[code]:<7}  "
                   f"{rules[code].summary if code in rules else ''}".rstrip() + "\n"
                   for code, n in rows)
