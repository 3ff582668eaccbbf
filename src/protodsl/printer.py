"""The printer: typed AST statements -> canonical protodsl text.

Prints one statement (or block header) at a time; ``protodsl.fmt`` lays the statements out
with their comments and blank lines. Canonical spellings:

- one space between tokens, ``uses a, b`` with a comma and a space;
- quantities as ``30 s``, ``30-60 s``, ``2-10 kg`` (a space before the unit, ``A-B`` for ranges,
  ``A to B`` when an end is negative); numbers exactly as written (``1.50`` stays ``1.50``);
- units: ``s`` for sec/secs/second/seconds, ``min`` for mins/minute/minutes, ``kg`` for
  kgs/kilogram/kilograms, ``lb`` for lbs/pound/pounds; minutes are not converted to seconds;
  an unknown unit is kept as written;
- ``schedule every 1 day`` / ``every N days``, ``for 1 week`` / ``for N weeks``; counts written
  ``once`` or ``twice`` stay words; ``during week N`` for one week, ``during weeks A-B`` for more;
- comparisons as ``pain <= 2``, ``knee_flexion >= 90 deg`` (numbers from their value);
- strings in double quotes with ``\\"`` escapes (a backslash is doubled only where it would
  otherwise start an escape); text over several lines as an indented ``\"\"\"`` block;
- expressions with the fewest parentheses: ``not`` > ``and`` > ``or``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from protodsl import nodes as n

INDENT = "  "

CANONICAL_UNITS = {
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "min": "min", "mins": "min", "minute": "min", "minutes": "min",
    "kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
    "deg": "deg", "degree": "deg", "degrees": "deg",
    "rm": "rm", "%1rm": "% 1rm",
}

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def canonical_unit(unit: str | None) -> str | None:
    """The canonical spelling of a unit; an unknown word is kept as written."""
    if unit is None:
        return None
    return CANONICAL_UNITS.get(unit, unit)


# --- strings ------------------------------------------------------------------------------


def quote(value: str, indent: str = "") -> str:
    """``value`` as a string literal; text with a line break becomes a ``\"\"\"`` block whose
    lines are indented one step deeper than ``indent`` and whose closing quotes align with it."""
    if "\n" in value or "\r" in value:
        return _long(value, indent)
    out = []
    for i, c in enumerate(value):
        if c == '"':
            out.append('\\"')
        elif c == "\\" and (i + 1 == len(value) or value[i + 1] in '"\\'):
            out.append("\\\\")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _long(value: str, indent: str) -> str:
    out = []
    for i, c in enumerate(value):
        if c == '"' and value.startswith('""', i + 1):
            out.append('\\"')  # never three quotes in a row: they would close the string
        elif c == "\\" and (i + 1 == len(value) or value[i + 1] in '"\\'):
            out.append("\\\\")
        else:
            out.append(c)
    inner = indent + INDENT
    lines = [inner + line if line.strip(" \t") else "" for line in "".join(out).split("\n")]
    return '"""\n' + "\n".join(lines) + "\n" + indent + '"""'


# --- numbers and quantities ---------------------------------------------------------------


def _number(value: int | float) -> str:
    """A number without its sign, from its value (when the source text is not usable)."""
    value = abs(value)
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def _written_numbers(q: n.Quantity) -> list[str] | None:
    """The digits of the quantity's numbers as written in the source, if they can be read."""
    amount = q.text
    if q.unit is not None and amount.endswith(q.unit):
        amount = amount[: len(amount) - len(q.unit)]
    found = _NUMBER.findall(amount)
    values = [q.low, q.high] if q.is_range else [q.low]
    if len(found) != len(values):
        return None
    for digits, value in zip(found, values):
        number = float(digits)
        if number != abs(value):
            return None
    return found


def quantity(q: n.Quantity) -> str:
    """A number or range with its unit in canonical layout, numbers as written."""
    digits = _written_numbers(q) or [_number(q.low), _number(q.high)]
    low = ("-" if q.low < 0 else "") + digits[0]
    if q.is_range:
        high = ("-" if q.high < 0 else "") + digits[-1]
        sep = " to " if q.low < 0 or q.high < 0 else "-"
        amount = low + sep + high
    else:
        amount = low
    unit = canonical_unit(q.unit)
    return amount if unit is None else f"{amount} {unit}"


def _whole(value: int | float | None) -> str:
    return _number(value if value is not None else 0)


# --- expressions --------------------------------------------------------------------------

_PRECEDENCE = {n.AnyOf: 1, n.AllOf: 2, n.Not: 3, n.Ref: 4, n.Inline: 4, n.Compare: 4}


def expr(e: n.Expr) -> str:
    """An expression with few parentheses (``not`` > ``and`` > ``or``).

    An ``and`` inside an ``or`` keeps its parentheses, as C compilers ask for: a clinician
    reading ``a or (b and c)`` need not remember which operator binds tighter.
    """
    if isinstance(e, n.Ref):
        return e.name
    if isinstance(e, n.Inline):
        return quote(e.text)
    if isinstance(e, n.Compare):
        value = ("-" if e.value < 0 else "") + _number(e.value)
        unit = "" if e.unit is None else " " + (canonical_unit(e.unit) or "")
        return f"{e.name} {e.op} {value}{unit}"
    if isinstance(e, n.Not):
        return "not " + _operand(e.operand, 3)
    word = " and " if isinstance(e, n.AllOf) else " or "
    # Only `not` and atoms go bare. An operand of the same operator is parenthesized too: the
    # parser flattens such chains, so only a hand-built AST has one, and the parentheses keep
    # its shape.
    return word.join(_operand(op, _PRECEDENCE[n.Not]) for op in e.operands)


def _operand(e: n.Expr, at_least: int) -> str:
    text = expr(e)
    return text if _PRECEDENCE[type(e)] >= at_least else f"({text})"


# --- statements ---------------------------------------------------------------------------


def _title(title: str | None, indent: str) -> str:
    return "" if title is None else " " + quote(title, indent)


def statement(st: n.Statement, indent: str = "") -> str:
    """One statement (a block: its header line) in canonical layout, without indentation.

    ``indent`` is the statement's indentation, used by multi-line strings for their lines.
    """
    if isinstance(st, n.TextStatement):
        return f"{st.keyword} {quote(st.text, indent)}"
    if isinstance(st, n.Protocol):
        return f"protocol {st.name}{_title(st.title, indent)}"
    if isinstance(st, n.Exercise):
        return f"exercise {st.name}{_title(st.title, indent)}"
    if isinstance(st, n.Level):
        extends = "" if st.extends is None else f" extends level {st.extends}"
        return f"level {st.number}{_title(st.title, indent)}{extends}"
    if isinstance(st, n.Schedule):
        return _schedule(st)
    if isinstance(st, n.Frequency):
        return "frequency " + rate(st.rate)
    if isinstance(st, n.Window):
        if st.form == "from":
            return f"from week {st.first}"
        if st.last is None or st.last == st.first:
            return f"during week {st.first}"
        return f"during weeks {st.first}-{st.last}"
    if isinstance(st, n.Measure):
        text = f"measure {st.name} {st.kind} {quote(st.text, indent)}"
        if st.unit is not None:
            text += f" in {canonical_unit(st.unit)}"
        elif st.scale is not None:
            text += f" scale {quantity(st.scale)}"
        return text
    if isinstance(st, n.SessionLimit):
        return f"session limit {quantity(st.amount)}"
    if isinstance(st, n.Condition):
        return f"condition {st.name} {st.kind} {quote(st.text, indent)}"
    if isinstance(st, n.Equipment):
        return f"equipment {st.name} {quote(st.text, indent)}"
    if isinstance(st, n.StopIf):
        return f"stop if {expr(st.expr)}"
    if isinstance(st, n.Allow):
        return f"allow {st.code} {quote(st.reason, indent)}"
    if isinstance(st, n.Kind):
        return f"kind {st.value}"
    if isinstance(st, n.Requires):
        return f"requires {expr(st.expr)}"
    if isinstance(st, n.Uses):
        return "uses " + ", ".join(ref.name for ref in st.names)
    if isinstance(st, n.Rest):
        return f"rest {quantity(st.amount)} between {st.between}"
    if isinstance(st, n.RepsList):
        return "reps " + ", ".join(str(item) for item in st.items)
    if isinstance(st, n.RepsMax):
        return "reps max" + ("" if st.up_to is None else f" up to {st.up_to}")
    if isinstance(st, n.Tempo):
        return "tempo " + "-".join(str(phase) for phase in st.phases)
    if isinstance(st, (n.Contraction, n.Support, n.Eyes)):
        return f"{st.keyword} {st.value}"
    if isinstance(st, n.RangeUntil):
        return f"range until {expr(st.expr)}"
    if isinstance(st, n.Dose):
        return f"{st.keyword} {quantity(st.amount)}"
    if isinstance(st, n.Sides):
        starting = "" if st.starting is None else f" starting {st.starting}"
        return f"sides {st.value}{starting}"
    if isinstance(st, n.Intensity):
        return f"intensity {st.value}"
    if isinstance(st, n.Load):
        parts = ["optional load" if st.optional else "load", quantity(st.amount)]
        if st.equipment is not None:
            parts.append(st.equipment.name)
        if st.placement is not None:
            parts.extend(["on", quote(st.placement, indent)])
        parts.extend(["requires", expr(st.requires)])
        return " ".join(parts)
    if isinstance(st, (n.Advance, n.Regress)):
        return f"{st.keyword} to level {st.to} when {expr(st.when)}"
    if isinstance(st, n.Increase):
        return (f"increase {st.what} by {quantity(st.by)} every {st.every} "
                f"up to {quantity(st.up_to)}")
    if isinstance(st, n.ErrorFix):
        return f"error {quote(st.error, indent)} fix {quote(st.fix, indent)}"
    if isinstance(st, n.Modification):
        when = "" if st.when is None else f" when {expr(st.when)}"
        return f"modification {quote(st.text, indent)}{when}"
    raise TypeError(f"no layout for {type(st).__name__}")


def rate(r: n.Rate) -> str:
    """How often, as written in a ``schedule`` or ``frequency``."""
    if r.form == "daily":
        return "daily"
    if r.form == "as_needed":
        return "as needed"
    count = _whole(r.low) if not r.is_range else f"{_whole(r.low)}-{_whole(r.high)}"
    if r.form == "times":
        if r.word is not None:
            return f"{r.word} {r.per}"
        return f"{count} times {r.per}"
    days = "day" if r.high == 1 else "days"
    return f"every {count} {days}"


def _schedule(st: n.Schedule) -> str:
    text = "schedule " + rate(st.rate)
    if st.weeks is not None:
        weeks = "week" if st.weeks == 1 else "weeks"
        text += f" for {_whole(st.weeks)} {weeks}"
    return text
