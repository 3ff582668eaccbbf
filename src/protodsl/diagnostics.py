"""The diagnostic model: what every stage of the pipeline reports."""

from __future__ import annotations


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


def sort_diagnostics(diags: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Sort by position and drop exact duplicates."""
    return tuple(sorted(set(diags), key=lambda d: d.sort_key))
