"""``full``: rustc-style diagnostics with the source line, carets under the span and the help.

```
error[P104]: unknown keyword `hodl`
 --> demo.protocol:3:5
  |
3 |     hodl 30 s
  |     ^^^^
  |
  = help: did you mean `hold`?
```

A source line longer than 160 characters is shown cut to the part around the span, with
``...`` where it is cut. Columns count characters; the carets are aligned on screen (tabs
shown as 4 spaces, wide characters as 2 columns, control characters as their visible symbols).
A span over several lines is marked on its first line. A summary line ends the report.
"""

from __future__ import annotations

from collections.abc import Sequence

from protodsl.diagnostics import Diagnostic, FileReport
from protodsl.render import ordered

TAB = "    "
LONG_LINE = 160  # a longer source line is shown cut around the span
_RESET = "\x1b[0m"
_STYLES = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "bold": "\x1b[1m",
           "gutter": "\x1b[1;34m"}


def render(reports: Sequence[FileReport], color: bool = False) -> str:
    """Every diagnostic as a block, then ``Found N errors and M warnings.``,
    ``All checks passed!``, or ``No file was checked.`` when there was none."""
    paint = _painter(color)
    blocks: list[str] = []
    lines_of: dict[int, list[str]] = {}
    for report, d in ordered(reports):
        lines = lines_of.get(id(report))
        if lines is None:
            lines = lines_of[id(report)] = _lines(report.text)
        blocks.append(_block(report.path, lines, d, paint))
    blocks.append(summary(reports))
    return "\n".join(blocks) + "\n"


def summary(reports: Sequence[FileReport]) -> str:
    """The last line: how many errors and warnings were found."""
    if not reports:
        return "No file was checked."
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    if not errors and not warnings:
        return "All checks passed!"
    parts = [_count(errors, "error")] if errors else []
    if warnings:
        parts.append(_count(warnings, "warning"))
    return "Found " + " and ".join(parts) + "."


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _lines(text: str | None) -> list[str]:
    # Lines as the lexer counts them: split at LF only (a lone CR or a form feed is no break).
    if not text:
        return []
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def _painter(color: bool):  # type: ignore[no-untyped-def]
    if not color:
        return lambda text, style: text
    return lambda text, style: f"{_STYLES[style]}{text}{_RESET}"


def _block(path: str, lines: list[str], d: Diagnostic, paint) -> str:  # type: ignore[no-untyped-def]
    s = d.span
    style = "error" if d.severity == "error" else "warning"
    width = len(str(s.line))
    pad = " " * width
    out = [paint(f"{d.severity}[{d.code}]", style) + paint(f": {d.message}", "bold"),
           paint(f"{pad}-->", "gutter") + f" {path}:{s.line}:{s.column}"]
    if 1 <= s.line <= len(lines):
        source = lines[s.line - 1]
        start = min(max(s.column, 1), len(source) + 1) - 1
        end = s.end_column - 1 if s.end_line == s.line else len(source)
        end = min(max(end, start), len(source))
        if len(source) > LONG_LINE:
            source, start, end = _window(source, start, end)
        shown, offsets = _expand(source)
        carets = max(1, offsets[end] - offsets[start])
        bar = paint(f"{pad} |", "gutter")
        out.append(bar)
        out.append(paint(f"{s.line} |", "gutter") + (f" {shown}" if shown else ""))
        out.append(bar + " " + " " * offsets[start] + paint("^" * carets, style))
    if d.help:
        out.append(paint(f"{pad} |", "gutter"))
        out.append(f"{pad} " + paint("= help", "bold") + f": {d.help}")
    return "\n".join(out) + "\n"


def _window(source: str, start: int, end: int) -> tuple[str, int, int]:
    """A long line cut to about ``LONG_LINE`` characters around the span (``...`` marks the
    cuts), and the span's start and end in the cut line."""
    first = max(0, start - LONG_LINE // 4)
    last = min(len(source), first + LONG_LINE)
    head = "..." if first > 0 else ""
    tail = "..." if last < len(source) else ""
    shift = first - len(head)
    return (head + source[first:last] + tail, start - shift,
            min(end, last) - shift)


def _expand(line: str) -> tuple[str, list[int]]:
    """The line as shown, and the screen column where each character starts (plus the end)."""
    if line.isascii() and line.isprintable():
        return line, list(range(len(line) + 1))
    import unicodedata

    shown: list[str] = []
    offsets = [0]
    for ch in line:
        if ch == "\t":
            text, width = TAB, len(TAB)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            text, width = chr(0x2400 + (ord(ch) if ord(ch) < 0x20 else 0x21)), 1
        elif not ch.isprintable():
            # A space other than U+0020 shows as a space; format characters (U+200B...),
            # line separators and unassigned code points as U+FFFD.
            text = " " if unicodedata.category(ch) == "Zs" else "\ufffd"
            width = 1
        elif unicodedata.combining(ch):
            text, width = ch, 0
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            text, width = ch, 2
        else:
            text, width = ch, 1
        shown.append(text)
        offsets.append(offsets[-1] + width)
    return "".join(shown), offsets
