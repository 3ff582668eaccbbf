"""What the language server knows about one document: positions, names, their uses.

Pure Python (no pygls): the server converts to LSP types. Positions here are 0-based lines and
0-based *character* (code point) columns; ``utf16_column`` converts for the client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from protodsl import nodes as n


# The position encoding agreed with the client (LSP 3.17): "utf-16" (the default), "utf-8" or
# "utf-32". The server sets it after `initialize`.
ENCODING = ["utf-16"]


def _width(ch: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(ch.encode("utf-8", "surrogatepass"))
    if encoding == "utf-32":
        return 1
    return 2 if ord(ch) > 0xFFFF else 1


def utf16_column(line: str, column: int, encoding: str | None = None) -> int:
    """The client's offset (code units of the agreed encoding, UTF-16 by default) of code
    point ``column`` in ``line``."""
    encoding = encoding or ENCODING[0]
    if encoding == "utf-32":
        return column
    return sum(_width(ch, encoding) for ch in line[:column]) + max(0, column - len(line))


def char_column(line: str, units: int, encoding: str | None = None) -> int:
    """The code point column of the client's offset ``units`` in ``line``."""
    encoding = encoding or ENCODING[0]
    count = 0
    for i, ch in enumerate(line):
        if count >= units:
            return i
        count += _width(ch, encoding)
    return len(line)


@dataclass
class Occurrence:
    """A name written somewhere: ``kind`` is condition, measure, equipment or level."""

    kind: str
    name: str
    span: n.Span
    definition: bool = False
    scope: str = ""  # the exercise, for levels


@dataclass
class Index:
    occurrences: list[Occurrence] = field(default_factory=list)
    conditions: dict[str, n.Condition] = field(default_factory=dict)
    measures: dict[str, n.Measure] = field(default_factory=dict)
    equipment: dict[str, n.Equipment] = field(default_factory=dict)
    levels: dict[tuple[str, int], n.Level] = field(default_factory=dict)

    def at(self, line: int, column: int) -> Occurrence | None:
        """The occurrence at a 1-based line and column (end inclusive, for a cursor after it)."""
        for occ in self.occurrences:
            s = occ.span
            if s.line == line and s.column <= column <= s.end_column:
                return occ
        return None

    def of(self, occ: Occurrence) -> list[Occurrence]:
        """Every occurrence of the same name (definitions first)."""
        same = [o for o in self.occurrences
                if o.kind == occ.kind and o.name == occ.name and o.scope == occ.scope]
        return sorted(same, key=lambda o: (not o.definition, o.span))


def _expr(expr: n.Expr | None, out: list[Occurrence], measures: set[str]) -> None:
    if expr is None:
        return
    if isinstance(expr, n.Ref):
        kind = "measure" if expr.name in measures else "condition"
        out.append(Occurrence(kind, expr.name, expr.span))
    elif isinstance(expr, n.Compare):
        out.append(Occurrence("measure", expr.name, expr.name_span))
    elif isinstance(expr, n.Not):
        _expr(expr.operand, out, measures)
    elif isinstance(expr, (n.AllOf, n.AnyOf)):
        for op in expr.operands:
            _expr(op, out, measures)


def _statement(st: n.Statement, out: list[Occurrence], measures: set[str], scope: str) -> None:
    for attr in ("expr", "when", "requires"):
        value = getattr(st, attr, None)
        if value is not None and not isinstance(value, str):
            _expr(value, out, measures)
    if isinstance(st, n.Uses):
        out.extend(Occurrence("equipment", r.name, r.span) for r in st.names)
    if isinstance(st, n.Load) and st.equipment is not None:
        out.append(Occurrence("equipment", st.equipment.name, st.equipment.span))
    if isinstance(st, (n.Advance, n.Regress)):
        out.append(Occurrence("level", str(st.to), st.to_span, scope=scope))


def build(protocol: n.Protocol | None) -> Index:
    """The index of a protocol's names."""
    index = Index()
    if protocol is None:
        return index
    out = index.occurrences
    for st in protocol.body:
        if isinstance(st, n.Condition):
            index.conditions.setdefault(st.name, st)
            out.append(Occurrence("condition", st.name, st.name_span, True))
        elif isinstance(st, n.Measure):
            index.measures.setdefault(st.name, st)
            out.append(Occurrence("measure", st.name, st.name_span, True))
        elif isinstance(st, n.Equipment):
            index.equipment.setdefault(st.name, st)
            out.append(Occurrence("equipment", st.name, st.name_span, True))
    measures = set(index.measures)
    for st in protocol.body:
        _statement(st, out, measures, "")
    for ex in protocol.exercises:
        for st in ex.body:
            _statement(st, out, measures, ex.name)
        for lv in ex.levels:
            if not lv.implicit:
                index.levels.setdefault((ex.name, lv.number), lv)
                out.append(Occurrence("level", str(lv.number), lv.number_span, True, ex.name))
                if lv.extends is not None and lv.extends_span is not None:
                    # the number ends the `extends level N` clause
                    end = lv.extends_span
                    number = n.Span(end.end_line, end.end_column - len(str(lv.extends)),
                                    end.end_line, end.end_column)
                    out.append(Occurrence("level", str(lv.extends), number, scope=ex.name))
            for st in lv.body:
                _statement(st, out, measures, ex.name)
    return index


def block_end(st: n.Statement) -> int:
    """The last line of a statement or block."""
    end = st.span.end_line
    for child in getattr(st, "body", ()):
        end = max(end, block_end(child))
    for child in getattr(st, "exercises", ()) or getattr(st, "levels", ()):
        end = max(end, block_end(child))
    return end


def exercise_at(protocol: n.Protocol | None, line: int) -> n.Exercise | None:
    """The exercise whose block holds 1-based ``line``."""
    if protocol is None:
        return None
    for ex in protocol.exercises:
        if ex.span.line <= line <= block_end(ex):
            return ex
    return None


WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def word_at(line: str, column: int) -> tuple[str, int, int] | None:
    """The word around 0-based ``column``: (word, start, end)."""
    for m in WORD.finditer(line):
        if m.start() <= column <= m.end():
            return m.group(), m.start(), m.end()
    return None
