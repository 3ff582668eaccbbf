"""The typed AST: frozen attrs classes, every node with its source span.

Nothing after the transformer looks at Lark trees. Lines and columns are 1-based and count
characters; ``end_column`` is exclusive (the column just after the last character), as in
SARIF and rustc's JSON.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar, Union

import attrs


@attrs.frozen(order=True)
class Span:
    """A region of the source: 1-based lines and columns, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    def to(self, other: Span) -> Span:
        """The span from the start of this one to the end of ``other``."""
        return Span(self.line, self.column, other.end_line, other.end_column)


NO_SPAN = Span(1, 1, 1, 1)


# --- values -------------------------------------------------------------------------------


@attrs.frozen
class Quantity:
    """A number or range with its unit, exactly as written (not normalized).

    ``low``/``high`` are ints for whole numbers; ``unit`` is the word as written, or None.
    ``text`` is the amount and unit as they stand in the source.
    """

    low: int | float
    high: int | float
    unit: str | None
    text: str
    span: Span
    unit_span: Span | None = None
    is_range: bool = False


@attrs.frozen
class NameRef:
    """A name used somewhere (equipment in ``uses`` or ``load``)."""

    name: str
    span: Span


# --- expressions --------------------------------------------------------------------------


@attrs.frozen
class Ref:
    """A reference to a named condition."""

    name: str
    span: Span


@attrs.frozen
class Inline:
    """An inline condition text: an anonymous condition of no kind."""

    text: str
    span: Span


@attrs.frozen
class Not:
    operand: Expr
    span: Span


@attrs.frozen
class AllOf:
    """``a and b and ...`` (chains and parenthesized chains of ``and`` flattened)."""

    operands: tuple[Expr, ...]
    span: Span


@attrs.frozen
class AnyOf:
    """``a or b or ...`` (chains and parenthesized chains of ``or`` flattened)."""

    operands: tuple[Expr, ...]
    span: Span


Expr = Union[Ref, Inline, Not, AllOf, AnyOf]


# --- statements ---------------------------------------------------------------------------


@attrs.frozen
class Statement:
    """Base of every statement; ``keyword`` is how diagnostics name it."""

    span: Span
    keyword: ClassVar[str] = ""


@attrs.frozen
class TextStatement(Statement):
    text: str


@attrs.frozen
class Source(TextStatement):
    keyword: ClassVar[str] = "source"


@attrs.frozen
class Purpose(TextStatement):
    keyword: ClassVar[str] = "purpose"


@attrs.frozen
class Author(TextStatement):
    keyword: ClassVar[str] = "author"


@attrs.frozen
class Version(TextStatement):
    keyword: ClassVar[str] = "version"


@attrs.frozen
class Note(TextStatement):
    keyword: ClassVar[str] = "note"


@attrs.frozen
class Cue(TextStatement):
    keyword: ClassVar[str] = "cue"


@attrs.frozen
class Step(TextStatement):
    keyword: ClassVar[str] = "step"


@attrs.frozen
class Schedule(Statement):
    """``schedule daily``, ``N times daily|weekly``, ``every N days``; ``[for W weeks]``.

    ``form`` is "daily", "times" or "every"; ``count`` is N (None for "daily");
    ``per`` is "daily" or "weekly" for the "times" form.
    """

    form: str
    count: int | float | None
    per: str | None
    weeks: int | float | None
    count_span: Span | None = None
    weeks_span: Span | None = None
    keyword: ClassVar[str] = "schedule"


@attrs.frozen
class SessionLimit(Statement):
    amount: Quantity
    keyword: ClassVar[str] = "session limit"


@attrs.frozen
class Condition(Statement):
    name: str
    name_span: Span
    kind: str
    kind_span: Span
    text: str
    keyword: ClassVar[str] = "condition"


@attrs.frozen
class Equipment(Statement):
    name: str
    name_span: Span
    text: str
    keyword: ClassVar[str] = "equipment"


@attrs.frozen
class StopIf(Statement):
    expr: Expr
    keyword: ClassVar[str] = "stop if"


@attrs.frozen
class Allow(Statement):
    code: str
    code_span: Span
    reason: str
    keyword: ClassVar[str] = "allow"


@attrs.frozen
class Kind(Statement):
    value: str
    value_span: Span
    keyword: ClassVar[str] = "kind"


@attrs.frozen
class Requires(Statement):
    expr: Expr
    keyword: ClassVar[str] = "requires"


@attrs.frozen
class Uses(Statement):
    names: tuple[NameRef, ...]
    keyword: ClassVar[str] = "uses"


@attrs.frozen
class Dose(Statement):
    """Base of the single-amount dosage statements."""

    amount: Quantity


@attrs.frozen
class Hold(Dose):
    keyword: ClassVar[str] = "hold"


@attrs.frozen
class Duration(Dose):
    keyword: ClassVar[str] = "duration"


@attrs.frozen
class Reps(Dose):
    keyword: ClassVar[str] = "reps"


@attrs.frozen
class Sets(Dose):
    keyword: ClassVar[str] = "sets"


@attrs.frozen
class Breaths(Dose):
    keyword: ClassVar[str] = "breaths"


@attrs.frozen
class Total(Dose):
    keyword: ClassVar[str] = "total"


@attrs.frozen
class Rest(Dose):
    """``rest AMOUNT between sets|sides``; ``between`` is "sets" or "sides"."""

    between: str = "sets"
    keyword: ClassVar[str] = "rest"


@attrs.frozen
class Sides(Statement):
    """``sides S [starting left|right]``; ``value`` is left, right, both, each or alternating."""

    value: str
    value_span: Span
    starting: str | None = None
    starting_span: Span | None = None
    keyword: ClassVar[str] = "sides"


@attrs.frozen
class Intensity(Statement):
    value: str
    value_span: Span
    keyword: ClassVar[str] = "intensity"


@attrs.frozen
class Load(Statement):
    amount: Quantity
    equipment: NameRef | None
    placement: str | None
    requires: Expr
    keyword: ClassVar[str] = "load"


@attrs.frozen
class Advance(Statement):
    to: int
    to_span: Span
    when: Expr
    keyword: ClassVar[str] = "advance"


@attrs.frozen
class Regress(Statement):
    to: int
    to_span: Span
    when: Expr
    keyword: ClassVar[str] = "regress"


@attrs.frozen
class Increase(Statement):
    """``increase WHAT by AMOUNT every week|session up to AMOUNT``."""

    what: str
    what_span: Span
    by: Quantity
    every: str
    every_span: Span
    up_to: Quantity
    keyword: ClassVar[str] = "increase"


@attrs.frozen
class ErrorFix(Statement):
    error: str
    fix: str
    keyword: ClassVar[str] = "error"


@attrs.frozen
class Modification(Statement):
    text: str
    when: Expr | None
    keyword: ClassVar[str] = "modification"


# --- blocks -------------------------------------------------------------------------------


@attrs.frozen
class Level(Statement):
    """A level block. ``span`` is the header line; ``implicit`` marks the level 1 of a
    single-level exercise written without a ``level`` header (its span is the exercise's)."""

    number: int
    number_span: Span
    title: str | None
    extends: int | None
    extends_span: Span | None
    body: tuple[Statement, ...]
    implicit: bool = False
    keyword: ClassVar[str] = "level"


@attrs.frozen
class Exercise(Statement):
    """An exercise block: its own statements in ``body`` and its levels in ``levels``."""

    name: str
    name_span: Span
    title: str | None
    body: tuple[Statement, ...]
    levels: tuple[Level, ...] = ()
    keyword: ClassVar[str] = "exercise"


@attrs.frozen
class Protocol(Statement):
    """The protocol block: its own statements in ``body`` and its exercises in ``exercises``."""

    name: str
    name_span: Span
    title: str | None
    body: tuple[Statement, ...]
    exercises: tuple[Exercise, ...] = ()
    keyword: ClassVar[str] = "protocol"


@attrs.frozen
class Module:
    """A parsed file before structure checks: its top-level statements in order."""

    body: tuple[Statement, ...]


S = TypeVar("S", bound=Statement)


def first(body: tuple[Statement, ...], cls: type[S]) -> S | None:
    """The first statement of type ``cls`` in ``body``, or None."""
    for st in body:
        if type(st) is cls:
            return st
    return None


def every(body: tuple[Statement, ...], cls: type[S]) -> list[S]:
    """Every statement of type ``cls`` in ``body``, in order."""
    return [st for st in body if type(st) is cls]


def rest_of(body: tuple[Statement, ...], between: str) -> Rest | None:
    """The ``rest ... between sets`` or ``between sides`` statement of ``body``."""
    for st in body:
        if isinstance(st, Rest) and st.between == between:
            return st
    return None

