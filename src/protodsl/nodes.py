"""The typed AST: frozen, slotted record classes (protodsl.record), every node with its span.

Nothing after the transformer looks at Lark trees. Lines and columns are 1-based and count
characters; ``end_column`` is exclusive (the column just after the last character), as in
SARIF and rustc's JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, TypeVar, Union

from protodsl import record


@record.frozen(order=True)
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


@record.frozen
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


@record.frozen
class NameRef:
    """A name used somewhere (equipment in ``uses`` or ``load``)."""

    name: str
    span: Span


# --- expressions --------------------------------------------------------------------------


@record.frozen
class Ref:
    """A reference to a named condition."""

    name: str
    span: Span


@record.frozen
class Inline:
    """An inline condition text: an anonymous condition of no kind."""

    text: str
    span: Span


@record.frozen
class Not:
    operand: Expr
    span: Span


@record.frozen
class AllOf:
    """``a and b and ...`` (chains and parenthesized chains of ``and`` flattened)."""

    operands: tuple[Expr, ...]
    span: Span


@record.frozen
class AnyOf:
    """``a or b or ...`` (chains and parenthesized chains of ``or`` flattened)."""

    operands: tuple[Expr, ...]
    span: Span


@record.frozen
class Compare:
    """``NAME OP NUMBER [UNIT]``: a comparison on a measure (LANGUAGE.md 8.2).

    ``op`` is ``<``, ``<=``, ``>``, ``>=`` or ``=``; ``value`` is the number as written (a
    negative number only for degrees); ``unit`` is the unit word as written, or None.
    """

    name: str
    name_span: Span
    op: str
    value: int | float
    unit: str | None
    unit_span: Span | None
    span: Span


Expr = Union[Ref, Inline, Not, AllOf, AnyOf, Compare]


# --- statements ---------------------------------------------------------------------------


@record.frozen
class Statement:
    """Base of every statement; ``keyword`` is how diagnostics name it."""

    span: Span
    keyword: ClassVar[str] = ""


@record.frozen
class TextStatement(Statement):
    text: str


@record.frozen
class Source(TextStatement):
    keyword: ClassVar[str] = "source"


@record.frozen
class Purpose(TextStatement):
    keyword: ClassVar[str] = "purpose"


@record.frozen
class Author(TextStatement):
    keyword: ClassVar[str] = "author"


@record.frozen
class Version(TextStatement):
    keyword: ClassVar[str] = "version"


@record.frozen
class Note(TextStatement):
    keyword: ClassVar[str] = "note"


@record.frozen
class Cue(TextStatement):
    keyword: ClassVar[str] = "cue"


@record.frozen
class Step(TextStatement):
    keyword: ClassVar[str] = "step"


@record.frozen
class Rate:
    """How often: ``daily``, ``N times daily|weekly``, ``every N days`` or ``as needed``.

    ``form`` is "daily", "times", "every" or "as_needed". ``low``/``high`` are N's ends (equal
    for a single count; None for "daily" and "as_needed"); ``word`` is "once" or "twice" when
    the count was written as a word. ``per`` is "daily" or "weekly" for the "times" form.
    """

    form: str
    low: int | float | None
    high: int | float | None
    per: str | None
    span: Span
    count_span: Span | None = None
    word: str | None = None

    @property
    def is_range(self) -> bool:
        """Whether the count is a range (``6-8 times daily``, ``every 2-3 days``)."""
        return self.low != self.high


@record.frozen
class Schedule(Statement):
    """``schedule RATE [for W weeks]``."""

    rate: Rate
    weeks: int | float | None
    weeks_span: Span | None = None
    keyword: ClassVar[str] = "schedule"


@record.frozen
class Frequency(Statement):
    """``frequency RATE`` (exercise or level): how often the exercise is done (8.1)."""

    rate: Rate
    keyword: ClassVar[str] = "frequency"


@record.frozen
class Window(Statement):
    """``during week N``, ``during weeks A-B`` or ``from week N`` (8.1).

    ``first``/``last`` are protocol weeks (``last`` is None for ``from``); ``weeks_span`` is
    the span of the numbers.
    """

    form: str
    first: int
    last: int | None
    weeks_span: Span
    keyword: ClassVar[str] = "week window"


@record.frozen
class Measure(Statement):
    """``measure NAME KIND "text" [in UNIT | scale A-B]`` (8.2).

    ``unit`` is the unit word as written (None for a count or score); ``scale`` the scale's
    ends as written.
    """

    name: str
    name_span: Span
    kind: str
    kind_span: Span
    text: str
    unit: str | None = None
    unit_span: Span | None = None
    scale: Quantity | None = None
    keyword: ClassVar[str] = "measure"


@record.frozen
class SessionLimit(Statement):
    amount: Quantity
    keyword: ClassVar[str] = "session limit"


@record.frozen
class Condition(Statement):
    name: str
    name_span: Span
    kind: str
    kind_span: Span
    text: str
    keyword: ClassVar[str] = "condition"


@record.frozen
class Equipment(Statement):
    name: str
    name_span: Span
    text: str
    keyword: ClassVar[str] = "equipment"


@record.frozen
class StopIf(Statement):
    expr: Expr
    keyword: ClassVar[str] = "stop if"


@record.frozen
class Allow(Statement):
    code: str
    code_span: Span
    reason: str
    keyword: ClassVar[str] = "allow"


@record.frozen
class Kind(Statement):
    value: str
    value_span: Span
    keyword: ClassVar[str] = "kind"


@record.frozen
class Requires(Statement):
    expr: Expr
    keyword: ClassVar[str] = "requires"


@record.frozen
class Uses(Statement):
    names: tuple[NameRef, ...]
    keyword: ClassVar[str] = "uses"


@record.frozen
class Dose(Statement):
    """Base of the single-amount dosage statements."""

    amount: Quantity


@record.frozen
class Hold(Dose):
    keyword: ClassVar[str] = "hold"


@record.frozen
class Duration(Dose):
    keyword: ClassVar[str] = "duration"


@record.frozen
class Reps(Dose):
    keyword: ClassVar[str] = "reps"


@record.frozen
class Sets(Dose):
    keyword: ClassVar[str] = "sets"


@record.frozen
class Breaths(Dose):
    keyword: ClassVar[str] = "breaths"


@record.frozen
class Total(Dose):
    keyword: ClassVar[str] = "total"


@record.frozen
class Rest(Dose):
    """``rest AMOUNT between sets|sides``; ``between`` is "sets" or "sides"."""

    between: str = "sets"
    keyword: ClassVar[str] = "rest"


@record.frozen
class RepsList(Statement):
    """``reps A, B, C``: reps per set, in set order (8.4); each item a whole count or "max"."""

    items: tuple[int | str, ...]
    item_spans: tuple[Span, ...]
    keyword: ClassVar[str] = "reps"


@record.frozen
class RepsMax(Statement):
    """``reps max [up to N]``: as many as possible, at most N when given (8.4)."""

    up_to: int | None
    up_to_span: Span | None = None
    keyword: ClassVar[str] = "reps"


@record.frozen
class Rpe(Dose):
    """``rpe A[-B]``: target effort on the 0-10 Borg CR10 scale (8.4)."""

    keyword: ClassVar[str] = "rpe"


@record.frozen
class Distance(Dose):
    """``distance AMOUNT``: distance per set (8.4)."""

    keyword: ClassVar[str] = "distance"


@record.frozen
class Tempo(Statement):
    """``tempo A-B-C[-D]``: seconds for lowering, pause, lifting[, pause]; "x" is as fast as
    possible (8.4)."""

    phases: tuple[int | str, ...]
    phase_spans: tuple[Span, ...]
    keyword: ClassVar[str] = "tempo"


@record.frozen
class Contraction(Statement):
    """``contraction eccentric|concentric|isometric`` (8.4)."""

    value: str
    value_span: Span
    keyword: ClassVar[str] = "contraction"


@record.frozen
class Support(Statement):
    """``support both_hands|one_hand|fingertip|none`` (8.4)."""

    value: str
    value_span: Span
    keyword: ClassVar[str] = "support"


@record.frozen
class Eyes(Statement):
    """``eyes open|closed`` (8.4)."""

    value: str
    value_span: Span
    keyword: ClassVar[str] = "eyes"


@record.frozen
class RangeUntil(Statement):
    """``range until EXPR``: the end of the movement's range; not a stop rule (8.4)."""

    expr: Expr
    keyword: ClassVar[str] = "range until"


@record.frozen
class Sides(Statement):
    """``sides S [starting left|right]``; ``value`` is left, right, both, each, alternating,
    affected or unaffected; ``starting`` left, right, affected or unaffected (8.5)."""

    value: str
    value_span: Span
    starting: str | None = None
    starting_span: Span | None = None
    keyword: ClassVar[str] = "sides"


@record.frozen
class Intensity(Statement):
    value: str
    value_span: Span
    keyword: ClassVar[str] = "intensity"


@record.frozen
class Load(Statement):
    """``[optional] load AMOUNT [EQUIPMENT] [on "placement"] requires EXPR``.

    ``amount.unit`` is a load unit as written, ``rm`` (a repetition maximum: ``8-10 rm``) or
    ``%1rm`` (a percentage of the one-repetition maximum, however it was spaced).
    """

    amount: Quantity
    equipment: NameRef | None
    placement: str | None
    requires: Expr
    optional: bool = False
    keyword: ClassVar[str] = "load"


@record.frozen
class Advance(Statement):
    to: int
    to_span: Span
    when: Expr
    keyword: ClassVar[str] = "advance"


@record.frozen
class Regress(Statement):
    to: int
    to_span: Span
    when: Expr
    keyword: ClassVar[str] = "regress"


@record.frozen
class Increase(Statement):
    """``increase WHAT by AMOUNT every week|session up to AMOUNT``."""

    what: str
    what_span: Span
    by: Quantity
    every: str
    every_span: Span
    up_to: Quantity
    keyword: ClassVar[str] = "increase"


@record.frozen
class ErrorFix(Statement):
    error: str
    fix: str
    keyword: ClassVar[str] = "error"


@record.frozen
class Modification(Statement):
    text: str
    when: Expr | None
    keyword: ClassVar[str] = "modification"


# --- blocks -------------------------------------------------------------------------------


@record.frozen
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


@record.frozen
class Exercise(Statement):
    """An exercise block: its own statements in ``body`` and its levels in ``levels``."""

    name: str
    name_span: Span
    title: str | None
    body: tuple[Statement, ...]
    levels: tuple[Level, ...] = ()
    keyword: ClassVar[str] = "exercise"


@record.frozen
class Protocol(Statement):
    """The protocol block: its own statements in ``body`` and its exercises in ``exercises``."""

    name: str
    name_span: Span
    title: str | None
    body: tuple[Statement, ...]
    exercises: tuple[Exercise, ...] = ()
    keyword: ClassVar[str] = "protocol"


@record.frozen
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


def by_type(body: Iterable[Statement]) -> dict[type, list[Statement]]:
    """The statements of ``body`` by type, each in order: ``every`` of every type at once."""
    out: dict[type, list[Statement]] = {}
    for st in body:
        group = out.get(type(st))
        if group is None:
            out[type(st)] = [st]
        else:
            group.append(st)
    return out


def rest_of(body: tuple[Statement, ...], between: str) -> Rest | None:
    """The ``rest ... between sets`` or ``between sides`` statement of ``body``."""
    for st in body:
        if isinstance(st, Rest) and st.between == between:
            return st
    return None

