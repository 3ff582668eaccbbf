"""The fix engine: the mechanical fixes of diagnostics, for `check --fix` and the language
server's quick fixes alike.

A fix is a title and text edits. The fixes offered:

- the replacement a ``did you mean `X`?`` help names, when the diagnostic marks one word
  (misspelt keywords, units, kinds, condition and measure names, ...);
- ``P201``, an undefined condition with no close name: define it after the last condition
  (``condition NAME KIND "TODO: describe NAME"``, KIND ``symptom`` where it is read as one, in
  ``stop if``, ``regress ... when`` or after ``not``, else ``stability``);
- ``P404``, a load with no stop condition: ``stop if SYMPTOM`` in the protocol block, with the
  protocol's first symptom condition;
- ``P208``, the protocol's name differs from the file's: rename the protocol.

``fix_text`` applies the preferred fix of every diagnostic, re-checks, and repeats until no fix
is left (at most ``MAX_ROUNDS`` rounds). A file with a syntax error that no fix repairs is left
as it is, and so is any result that would still have a syntax error: only a misspelt keyword
(``P104`` with a ``did you mean``) is repaired among the syntax errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from protodsl import record
from protodsl.nodes import Span

MAX_ROUNDS = 10
SYNTAX = frozenset(("P100", "P101", "P102", "P103", "P104", "P105", "P106"))
DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`\?")


@record.frozen
class Edit:
    """Replace the text of ``span`` (1-based, end exclusive; empty: insert) with ``new``."""

    span: Span
    new: str


@record.frozen
class Fix:
    """A fix of one diagnostic: what it does and its edits; ``preferred`` is what --fix uses."""

    code: str
    title: str
    edits: tuple[Edit, ...]
    preferred: bool = True


@record.frozen
class FixResult:
    """The text after fixing, the codes of the fixes applied (in order), and the diagnostics
    of the result; ``refused`` says why nothing was changed (a syntax error), else None."""

    text: str
    applied: tuple[str, ...]
    diagnostics: tuple[Any, ...]
    refused: str | None = None


def fixes_for(analysis: Any, diag: Any) -> list[Fix]:
    """The fixes of diagnostic ``diag`` of ``analysis`` (the preferred one first)."""
    lines = (analysis.text or "").split("\n")
    out: list[Fix] = []
    help_text = diag.help or ""
    span = diag.span
    guess = DID_YOU_MEAN.search(help_text)
    word = _text(lines, span)
    if guess and word and not any(ch.isspace() for ch in word) and guess.group(1) != word:
        out.append(Fix(diag.code, f"Replace with `{guess.group(1)}`",
                       (Edit(span, guess.group(1)),)))
    protocol = getattr(analysis, "protocol", None)
    if protocol is None:
        return out
    from protodsl import nodes as n

    if diag.code == "P201":
        name = re.search(r"undefined condition `([^`]+)`", diag.message)
        if name and word == name.group(1):
            at = protocol.span.line
            for st in protocol.body:
                if isinstance(st, n.Condition):
                    at = st.span.end_line
            new = f'  condition {word} {_kind_for(lines, span)} "TODO: describe {word}"\n'
            out.append(Fix("P201", f"Define condition `{word}`", (_insert(at, new),),
                           preferred=not out))
    elif diag.code == "P404":
        symptom = next((st.name for st in protocol.body
                        if isinstance(st, n.Condition) and st.kind == "symptom"), None)
        if symptom:
            at = max([st.span.end_line for st in protocol.body
                      if isinstance(st, (n.Condition, n.Measure, n.Equipment))],
                     default=protocol.span.line)
            out.append(Fix("P404", f"Add `stop if {symptom}` to the protocol",
                           (_insert(at, f"  stop if {symptom}\n"),)))
    elif diag.code == "P208":
        named = re.search(r"the file is named `([^`]+)`", diag.message)
        name_span = getattr(protocol, "name_span", None)
        if named and name_span is not None and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*",
                                                            named.group(1)):
            out.append(Fix("P208", f"Rename the protocol to `{named.group(1)}`",
                           (Edit(name_span, named.group(1)),)))
    return out


def fix_text(text: str, path: str | None = None,
             wanted: Callable[[str, str], bool] | None = None) -> FixResult:
    """``text`` with the preferred fix of every diagnostic applied, to a fixed point.

    ``wanted(code, severity)`` limits the fixes to the diagnostics that are reported (errors
    are always wanted).
    """
    from protodsl.analysis import analyze_text

    analysis = analyze_text(text, path)
    original = analysis
    applied: list[str] = []
    for _ in range(MAX_ROUNDS):
        chosen = [fixes[0] for fixes in (fixes_for(analysis, d) for d in analysis.diagnostics
                                         if wanted is None or wanted(d.code, d.severity))
                  if fixes and fixes[0].preferred]
        if applied == [] and _unfixable_syntax(analysis, chosen):
            return FixResult(text, (), tuple(original.diagnostics),
                             "it has a syntax error that --fix cannot repair")
        edits, codes = _compatible(chosen)
        if not edits:
            break
        new_text = apply_edits(analysis.text, edits)
        if new_text == analysis.text:
            break
        applied.extend(codes)
        analysis = analyze_text(new_text, path)
    if any(d.code in SYNTAX for d in analysis.diagnostics) and applied:
        return FixResult(text, (), tuple(original.diagnostics),
                         "fixing it would leave a syntax error")
    return FixResult(analysis.text, tuple(applied), tuple(analysis.diagnostics))


def apply_edits(text: str, edits: list[Edit]) -> str:
    """``text`` with ``edits`` (not overlapping) applied; inserted lines follow the file's line
    ends (CRLF stays CRLF)."""
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    crlf = "\r\n" in text

    def offset(line: int, column: int) -> int:
        if line > len(starts):
            return len(text)
        return min(starts[line - 1] + column - 1, len(text))

    out = text
    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        s = edit.span
        start, end = offset(s.line, s.column), offset(s.end_line, s.end_column)
        new = edit.new.replace("\n", "\r\n") if crlf and "\r" not in edit.new else edit.new
        if start == len(out) and new.endswith("\n") and out and not out.endswith("\n"):
            new = ("\r\n" if crlf else "\n") + new.rstrip("\r\n")
        out = out[:start] + new + out[end:]
    return out


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of a fix, ``PATH (original)`` to ``PATH (fixed)``."""
    import difflib

    lines = difflib.unified_diff(before.splitlines(keepends=True),
                                 after.splitlines(keepends=True),
                                 fromfile=f"{path} (original)", tofile=f"{path} (fixed)")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines)


def _kind_for(lines: list[str], span: Span) -> str:
    """The kind a new condition gets from where it is used: ``symptom`` where a protocol reads
    a symptom (``stop if X``, ``regress ... when X``, ``not X`` elsewhere), else ``stability``."""
    line = lines[span.line - 1]
    negated = re.search(r"\bnot\s+$", line[:span.column - 1]) is not None
    stops = line.lstrip().startswith(("stop if", "regress"))
    return "symptom" if stops != negated else "stability"


def _insert(after_line: int, new: str) -> Edit:
    """Insert ``new`` (whole lines) at the start of the line after ``after_line``."""
    return Edit(Span(after_line + 1, 1, after_line + 1, 1), new)


def _text(lines: list[str], span: Span) -> str:
    if span.line != span.end_line or not 0 < span.line <= len(lines):
        return ""
    return lines[span.line - 1][span.column - 1: span.end_column - 1]


def _unfixable_syntax(analysis: Any, chosen: list[Fix]) -> bool:
    """Whether a syntax error has no fix (only a misspelt keyword's replacement counts)."""
    fixed = {(f.code, f.edits[0].span) for f in chosen}
    return any(d.code in SYNTAX and (d.code != "P104" or (d.code, d.span) not in fixed)
               for d in analysis.diagnostics)


def _compatible(fixes: list[Fix]) -> tuple[list[Edit], list[str]]:
    """The edits of as many fixes as can be applied together: same edits once, no overlaps."""
    taken: list[Edit] = []
    codes: list[str] = []
    seen: set[tuple[Span, str]] = set()
    for fix in fixes:
        fresh = [e for e in fix.edits if (e.span, e.new) not in seen]
        if not fresh:
            continue
        if any(_overlap(e.span, t.span) for e in fresh for t in taken):
            continue
        taken.extend(fresh)
        seen.update((e.span, e.new) for e in fresh)
        codes.append(fix.code)
    return taken, codes


def _overlap(a: Span, b: Span) -> bool:
    a0, a1 = (a.line, a.column), (a.end_line, a.end_column)
    b0, b1 = (b.line, b.column), (b.end_line, b.end_column)
    if a0 == a1 or b0 == b1:  # an insertion conflicts only with an edit around its point
        return a0 == b0 or (b0 < a0 < b1) or (a0 < b0 < a1)
    return a0 < b1 and b0 < a1
