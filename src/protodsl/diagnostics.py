"""The diagnostic model: what every stage of the pipeline reports."""

from __future__ import annotations

import re

from protodsl import record
from protodsl.nodes import Span

ERROR = "error"
WARNING = "warning"


@record.frozen
class Diagnostic:
    """One problem found in a file, with its stable code and exact position.

    ``message`` is lowercase with no final period (rustc style); ``help`` says how to fix it.
    """

    code: str
    severity: str
    message: str
    span: Span
    help: str | None = None

    @property
    def sort_key(self) -> tuple[int, int, int, int, str, str]:
        """Order by position, then code, then message: the order of every report."""
        s = self.span
        return (s.line, s.column, s.end_line, s.end_column, self.code, self.message)


def diagnostic(code: str, message: str, span: Span, help: str | None = None) -> Diagnostic:
    """Make a diagnostic whose severity comes from the rule registry."""
    from protodsl.rules.registry import severity_of

    if span.end_line < span.line or (span.end_line == span.line
                                     and span.end_column <= span.column):
        # Every diagnostic covers at least one character (an empty file's P207, the end of
        # a line): editors and annotations drop empty ranges.
        span = Span(span.line, span.column, span.line, span.column + 1)
    return Diagnostic(code, severity_of(code), message, span, help)


@record.frozen
class FileReport:
    """Everything known about one checked file: its path, its text and its diagnostics."""

    path: str
    text: str | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        """The number of error diagnostics."""
        return sum(1 for d in self.diagnostics if d.severity == ERROR)

    @property
    def warnings(self) -> int:
        """The number of warning diagnostics."""
        return sum(1 for d in self.diagnostics if d.severity == WARNING)


# At most this many diagnostics of one code are reported for a file; the others are counted in
# one closing diagnostic of the same code and severity, at the first one left out.
MAX_PER_CODE = 100
_MORE = re.compile(r"and (\d+) more P\d+ (?:errors|warnings) in this file")


def sort_diagnostics(diags: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Sort by position, drop exact duplicates and keep at most ``MAX_PER_CODE`` of each code
    (then ``and N more ...``, which a later call merges rather than counts)."""
    ordered = sorted(set(diags), key=lambda d: d.sort_key)
    shown: dict[str, int] = {}
    for d in ordered:
        shown[d.code] = shown.get(d.code, 0) + 1
    if max(shown.values(), default=0) <= MAX_PER_CODE:
        return tuple(ordered)
    kept: list[Diagnostic] = []
    more: dict[str, tuple[int, Diagnostic]] = {}  # code -> (hidden, where the first was)
    shown.clear()
    for d in ordered:
        m = _MORE.fullmatch(d.message)
        hidden = int(m.group(1)) if m else 0
        if not m and shown.get(d.code, 0) < MAX_PER_CODE:
            shown[d.code] = shown.get(d.code, 0) + 1
            kept.append(d)
            continue
        count, first = more.get(d.code, (0, d))
        more[d.code] = (count + (hidden or 1), first)
    for code, (count, first) in more.items():
        kind = "errors" if first.severity == ERROR else "warnings"
        kept.append(Diagnostic(
            code, first.severity, f"and {count} more {code} {kind} in this file", first.span,
            f"only the first {MAX_PER_CODE} diagnostics of each code are shown for a file"))
    return tuple(sorted(kept, key=lambda d: d.sort_key))
