"""The size of a protocol's compiled output, known before it is built (P107).

A 100-byte protocol can ask for a document of gigabytes: a schedule of 200,000 weeks, a level
of 5,000 alternating reps spelled out rep by rep, a long `extends` chain whose every level lists
every stop rule above it. ``estimate`` adds up, from the AST alone and in time linear in the
file, an upper bound of the bytes that ``protodsl compile`` would write; over
``MAX_OUTPUT_BYTES`` the file is P107, in `check` as in `compile`, and nothing is built.
A number too large to compute with (a decimal of hundreds of digits) is P107 too.

The per-part byte figures are measured upper bounds of the compiled JSON (2-space indent, one
key per line) at the depth where each part is written.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

from protodsl import nodes as n
from protodsl import record

MAX_OUTPUT_BYTES = 32 * 1024 * 1024

DOCUMENT = 4_000  # the top-level keys, schedule, estimates
EXERCISE = 3_000  # an exercise's own keys (frequency, window, bout, ...)
LEVEL = 3_000  # a level's own keys besides its dosage
DOSAGE = 2_600  # one `dosage` object, as in a level, a ramp entry or a week row
WEEK = 200  # one week of the week table besides its levels
WEEK_ROW = 600 + DOSAGE  # a level in one week (its sessions, dosage and loads)
RAMP_ENTRY = 100 + DOSAGE
SEQUENCE_ENTRY = 700  # one side's entry of `sequence`, besides its filled texts
REPS_PER_SET = 250  # one set of `reps_per_set`
EXPRESSION_NODE = 120  # one condition, text, comparison, `not`, `all` or `any`
TEXT = 40  # a text's quotes, comma and indent, besides its characters
LOAD = 700
PROGRESSION = 200


@record.frozen
class Estimate:
    """An upper bound of the compiled output's bytes, and its largest part: where it comes
    from (a span) and what it is (for the message)."""

    size: int
    span: n.Span
    what: str
    help: str
    over: str | None = None  # a part over the compiler's own cap on it, in words


def estimate(protocol: n.Protocol) -> Estimate:
    """An upper bound of the bytes of ``protocol``'s compiled document (any size: the parts
    are multiplied as exact integers, never built)."""
    from protodsl import timing as t

    parts: list[tuple[int, n.Span, str, str]] = []
    weeks = t.schedule_weeks(protocol) or 0
    sizes: dict[int, int] = {}
    chains: dict[int, int] = {}
    protocol_stops = sum(_expr_size(st.expr, sizes) for st in n.every(protocol.body, n.StopIf))
    total = DOCUMENT + _text_bytes(protocol.body) + protocol_stops
    from protodsl import compiler as c

    rows = 0
    ramps = 0
    caps: list[tuple[n.Span, str, str]] = []  # parts over the compiler's caps
    for ex in protocol.exercises:
        ex_stops = sum(_expr_size(st.expr, sizes) for st in n.every(ex.body, n.StopIf))
        outer_texts = _shown_texts(ex.body)
        total += EXERCISE + _text_bytes(ex.body) + ex_stops
        all_stops = 0  # the stop rules every level of the exercise lists
        all_sequences = 0
        levels = 0
        for number, eff in t.iter_levels(ex):
            lv = eff.level
            own = LEVEL + DOSAGE + _text_bytes(lv.body) + outer_texts
            inherited = _stops_size(eff.stop_if, sizes, chains)
            stops = inherited + ex_stops + protocol_stops
            all_stops += stops
            levels += 1
            entries, per_set = _spelled(eff)
            texts = outer_texts + _shown_texts(lv.body)
            sequence = entries * (SEQUENCE_ENTRY + texts)
            all_sequences += sequence
            sets = per_set * REPS_PER_SET * 2  # in the level's dosage and its ramp's
            length, ramp_span = _ramp_length(protocol, ex, eff, weeks)
            ramp = length * (RAMP_ENTRY + per_set * REPS_PER_SET)
            level = own + stops + sequence + sets + ramp
            total += level
            where = f"level {number} of `{ex.name}`"
            ramps += length
            if entries > c.MAX_SEQUENCE or per_set > c.MAX_SEQUENCE:
                caps.append((lv.span, f"the sequence of {where} would have "
                             f"{max(entries, per_set)} entries, over {c.MAX_SEQUENCE}",
                             "fewer reps or sets, or `sides each`"))
            if length > c.MAX_RAMP or ramps > c.MAX_WEEK_ROWS:
                caps.append((ramp_span, f"the ramp of {where} would have {length} weeks, over "
                             f"{c.MAX_RAMP}", "a larger step, a lower cap, or a schedule with "
                             "weeks"))
            parts.extend([
                (sequence, lv.span, f"the sequence of {where} ({entries} entries)",
                 "fewer alternating reps, or `sides each`"),
                (ramp, ramp_span, f"the ramp of {where} ({length} weeks)",
                 "a larger step, a lower cap, or a schedule with weeks")])
            rows += 1
        parts.append((all_stops, ex.span, f"the stop rules listed in each of the {levels} "
                      f"levels of `{ex.name}`", "a shorter `extends` chain, or the stop rules "
                      "on the exercise"))
        if levels > 1:
            parts.append((all_sequences, ex.span, f"the sequences of the {levels} levels of "
                          f"`{ex.name}`", "fewer alternating reps, or `sides each`"))
    table = weeks * WEEK + weeks * rows * WEEK_ROW
    total += table
    sched = t.schedule_of(protocol)
    parts.append((table, sched.span if sched is not None else protocol.span,
                  f"the week table ({weeks} weeks x {rows} levels)",
                  "a schedule with fewer weeks"))
    if weeks * rows > c.MAX_WEEK_ROWS:
        caps.append((parts[-1][1], f"the week table would have {weeks * rows} rows (weeks x "
                     f"levels), over {c.MAX_WEEK_ROWS}", "a schedule with fewer weeks"))
    size, span, what, help = max(parts, key=lambda p: p[0])
    if caps:
        span, over, help = caps[0]
        return Estimate(total, span, what, help, over)
    return Estimate(total, span, what, help)


def too_large(protocol: n.Protocol) -> Estimate | None:
    """The estimate when it is over ``MAX_OUTPUT_BYTES``, else None."""
    found = estimate(protocol)
    return found if found.size > MAX_OUTPUT_BYTES or found.over is not None else None


def size_text(size: int) -> str:
    """A byte count for a message: `190 MB`, `2.1 GB`, or a power of ten beyond."""
    if size >= 10 ** 15:
        return f"about 10^{len(str(size)) - 1} bytes"
    for unit, factor in (("TB", 10 ** 12), ("GB", 10 ** 9), ("MB", 10 ** 6)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size / 1000:.1f} KB"


def _spelled(eff: object) -> tuple[int, int]:
    """A level's entries of `sequence` (set 1, per side; per rep and side when alternating)
    and of `reps_per_set` (the sets of a reps list or of `reps max`)."""
    from protodsl import dosage as d

    assert isinstance(eff, d.Effective)
    sides = len(eff.side_order)
    per_set = 0
    if eff.reps_list is not None:
        per_set = len(eff.reps_list.items)
    elif eff.reps_max is not None:
        per_set = _upper_int(eff.sets.amount.high) if eff.sets is not None else 1
    if eff.side_word != "alternating":
        return sides, per_set
    low: float | int | None = None
    if eff.reps is not None and eff.reps.amount.unit is None:
        low = eff.reps.amount.low
    elif eff.reps_list is not None:
        first = eff.reps_list.items[0] if eff.reps_list.items else None
        low = 1 if first == "max" or first is None else first
    elif eff.reps_max is not None:
        low = 1
    elif eff.hold is not None:
        low = 1
    if low is None:
        return sides, per_set
    return max(sides, _upper_int(low) * sides), per_set


def _upper_int(x: float | int) -> int:
    """``x`` rounded up to a whole number; beyond any float, a number larger than any limit."""
    if isinstance(x, float) and not math.isfinite(x):
        return 10 ** 400
    return max(0, math.ceil(x))


def _ramp_length(protocol: n.Protocol, ex: n.Exercise, eff: object, weeks: int
                 ) -> tuple[int, n.Span]:
    """How many entries a level's ramp has, at most: the compiler's own count, without
    building it."""
    from protodsl import compiler as c
    from protodsl import dosage as d
    from protodsl import timing as t

    assert isinstance(eff, d.Effective)
    if not t.increases(eff.level):
        return 1, eff.level.span
    try:
        values = c.exact_values(eff)
    except c.CompileError:
        return 1, eff.level.span  # a number too large: reported as such
    freq = t.frequency(protocol, ex, eff)
    return c.ramp_length(eff, values, freq.per_week, weeks or None)


def _stops_size(stops: object, sizes: dict[int, int], chains: dict[int, int]) -> int:
    """The bytes of a level's stop rules, its own and inherited: an `extends` chain shares its
    parent's (``dosage.Inherited``), whose size is counted once (``chains``, by identity)."""
    from protodsl.dosage import Inherited

    pending: list[Inherited[n.StopIf]] = []
    node = stops
    while isinstance(node, Inherited) and id(node) not in chains:
        pending.append(node)
        node = node.parent
    if isinstance(node, Inherited):
        base = chains[id(node)]
    else:
        base = sum(_expr_size(st.expr, sizes) for st in (node or ()))  # type: ignore[attr-defined]
    for link in reversed(pending):
        base += sum(_expr_size(st.expr, sizes) for st in link.own)
        chains[id(link)] = base
    return base


def _expr_size(e: n.Expr, sizes: dict[int, int]) -> int:
    """The bytes of an expression (counted once per expression object)."""
    key = id(e)
    if key not in sizes:
        sizes[key] = sum(EXPRESSION_NODE + _node_text(x) for x in _nodes(e))
    return sizes[key]


def _nodes(e: n.Expr) -> Iterator[n.Expr]:
    stack = [e]
    while stack:
        x = stack.pop()
        yield x
        if isinstance(x, n.Not):
            stack.append(x.operand)
        elif isinstance(x, (n.AllOf, n.AnyOf)):
            stack.extend(x.operands)


def _node_text(e: n.Expr) -> int:
    if isinstance(e, n.Inline):
        return len(e.text) * 2
    if isinstance(e, (n.Ref, n.Compare)):
        return len(e.name)
    return 0


def _text_bytes(body: tuple[n.Statement, ...]) -> int:
    """The texts a block writes once (notes, steps, cues, errors, ...) and its other
    statements (loads, progressions, increases)."""
    total = 0
    for st in body:
        names, extra, _ = _text_kind(type(st))
        for name in names:
            value = getattr(st, name)
            if isinstance(value, str):
                total += TEXT + 2 * len(value)
        total += extra
    return total


def _shown_texts(body: tuple[n.Statement, ...]) -> int:
    """The texts a sequence entry repeats with its side filled in: steps, cues, errors,
    modifications and load placements (a filled placeholder is longer by a few letters)."""
    total = 0
    for st in body:
        names, _, shown = _text_kind(type(st))
        if shown:
            for name in names:
                value = getattr(st, name)
                if isinstance(value, str):
                    total += TEXT + 2 * len(value) + 20 * value.count("{")
    return total


_TEXT_FIELDS = ("text", "error", "fix", "placement")
# Per statement class: its text fields (of _TEXT_FIELDS, in that order), the bytes it adds
# besides its texts, and whether a sequence entry repeats its texts.
_TEXT_KINDS: dict[type, tuple[tuple[str, ...], int, bool]] = {}


def _text_kind(cls: type) -> tuple[tuple[str, ...], int, bool]:
    kind = _TEXT_KINDS.get(cls)
    if kind is None:
        fields = {f.name for f in record.fields(cls)} if record.has(cls) else set()
        extra = 0
        if issubclass(cls, n.Load):
            extra = LOAD
        elif issubclass(cls, (n.Advance, n.Regress, n.Increase, n.Modification, n.ErrorFix)):
            extra = PROGRESSION
        kind = _TEXT_KINDS[cls] = (
            tuple(name for name in _TEXT_FIELDS if name in fields), extra,
            issubclass(cls, (n.Step, n.Cue, n.Modification, n.ErrorFix, n.Load)))
    return kind


def huge_numbers(protocol: n.Protocol, cache: Callable[..., Any] | None = None
                 ) -> Iterator[n.Span]:
    """The spans of statements holding a number too large to compute with (beyond any float:
    a decimal of hundreds of digits). ``cache`` (a ``Context.exercise_cache``) keeps each
    exercise's spans, so the language server walks only the edited exercise again."""
    if cache is None:
        yield from _huge(protocol, protocol.span)
        return
    yield from _huge(record.evolve(protocol, exercises=()), protocol.span)
    for ex in protocol.exercises:  # the whole walk visits each exercise just so
        yield from cache("P107 huge", ex, lambda ex: list(_huge(ex, ex.span)))


def _huge(root: object, span: n.Span) -> Iterator[n.Span]:
    seen: set[int] = set()
    stack: list[tuple[object, n.Span | None]] = [(root, span)]
    kinds = _KINDS
    while stack:
        node, span = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        cls = type(node)
        kind = kinds.get(cls)
        if kind is None:
            kind = _kind(cls)
        if kind is _FLOAT:
            if not math.isfinite(node) and span is not None:  # type: ignore[arg-type]
                yield span
        elif kind is _SEQUENCE:
            stack.extend([(x, span) for x in node  # type: ignore[attr-defined]
                          if type(x) not in _LEAVES])
        elif kind is not _LEAF:
            names, statement = kind
            if statement:
                own = node.span  # type: ignore[attr-defined]
                here = own if type(own) is n.Span or isinstance(own, n.Span) else span
            else:
                here = span
            for name in names:
                x = getattr(node, name)
                if type(x) not in _LEAVES:
                    stack.append((x, here))


# What ``_huge`` does with a value of each type: a float is looked at; tuples and lists are
# walked; a record's fields other than spans are walked (``(names, is_statement)``); anything
# else (Fraction, int, str, bool, None, ...) holds no float.
_FLOAT: Any = object()
_SEQUENCE: Any = object()
_LEAF: Any = object()
_LEAVES = frozenset({int, str, bool, type(None)})
_KINDS: dict[type, Any] = {}


def _kind(cls: type) -> Any:
    if issubclass(cls, float):
        kind = _FLOAT
    elif issubclass(cls, (Fraction, int, str, bool)):
        kind = _LEAF
    elif issubclass(cls, (tuple, list)):
        kind = _SEQUENCE
    else:
        fields = getattr(cls, "__record_fields__", None)
        if fields is None:
            kind = _LEAF
        else:
            kind = (tuple(f.name for f in fields
                          if f.name != "span" and not f.name.endswith("_span")),
                    issubclass(cls, n.Statement))
    _KINDS[cls] = kind
    return kind
