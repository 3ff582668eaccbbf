"""The compiler: a clean protocol's AST -> the normalized JSON document of LANGUAGE.md section 6.

Values are normalized (seconds, kilograms, counts), ranges are ``{"min", "max"}``, whole
numbers are ints, `extends` is materialized and the week table spells out every `increase`.
The document is plain dicts and lists; ``protodsl.output`` turns it into deterministic bytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Any


from protodsl import dosage as d
from protodsl import nodes as n
from protodsl import record
from protodsl.diagnostics import Diagnostic
from protodsl.vocabulary import DURATION_UNITS, LOAD_UNITS

SCHEMA_VERSION = 1

Json = dict[str, Any]
Pair = tuple[float, float]

# Guards against absurd (but warning-only) amounts that would spell out a huge document.
MAX_SEQUENCE = 10_000  # entries of one level's `sequence` (alternating sides, per rep)
MAX_WEEK_ROWS = 200_000  # weeks x levels in the week table

INCREASE_KEYS = {"hold": "hold_s", "duration": "duration_s", "reps": "reps", "sets": "sets",
                 "load": "kg"}


class CompileError(Exception):
    """A clean file that cannot be compiled (a number too large to represent, an output too
    large to spell out); ``span`` says where."""

    def __init__(self, message: str, span: n.Span, help: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.help = help


@record.frozen
class Compiled:
    """The result of compiling one analysed file: the document (None when the file has errors
    or could not be compiled) and every diagnostic, sorted by position."""

    document: Json | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def has_errors(self) -> bool:
        """Whether any diagnostic is an error (then there is no document)."""
        return any(x.severity == "error" for x in self.diagnostics)


def compile_analysis(analysis: Any) -> Compiled:
    """Compile an ``Analysis``: its document if it has no error, with its diagnostics.

    A failure of the compiler itself becomes one error diagnostic (never a traceback).
    """
    from protodsl.diagnostics import diagnostic, sort_diagnostics

    diags = tuple(analysis.diagnostics)
    if analysis.has_errors or analysis.protocol is None:
        return Compiled(None, diags)
    protocol: n.Protocol = analysis.protocol
    try:
        doc = compile_protocol(protocol)
    except CompileError as exc:
        extra = diagnostic("P900", exc.message, exc.span, exc.help)
        return Compiled(None, sort_diagnostics([*diags, extra]))
    except (RecursionError, MemoryError) as exc:
        extra = diagnostic(
            "P900", f"cannot compile this file: {type(exc).__name__}", protocol.span,
            "simplify the file; please report this, with the file, at the protodsl issue "
            "tracker")
        return Compiled(None, sort_diagnostics([*diags, extra]))
    except Exception as exc:  # noqa: BLE001 - a compiler bug must not become a traceback
        extra = diagnostic(
            "P900", f"internal error in the compiler: {type(exc).__name__}: {exc}",
            protocol.span, "please report this, with the file, at the protodsl issue tracker")
        return Compiled(None, sort_diagnostics([*diags, extra]))
    return Compiled(doc, diags)


# --- numbers ------------------------------------------------------------------------------


def num(x: float | Fraction, span: n.Span | None = None) -> int | float:
    """A number for output: rounded half up to 3 decimals; whole numbers as ints."""
    value = exact(x, span)
    rounded = Fraction(math.floor(abs(value) * 1000 + Fraction(1, 2)), 1000)
    if value < 0:
        rounded = -rounded
    if rounded.denominator == 1:
        return int(rounded)
    return float(rounded)  # 3 decimals and not whole: small enough for a float


def rng(pair: Pair | None, span: n.Span | None = None) -> Json | None:
    """A range object ``{"min", "max"}`` (None stays None)."""
    if pair is None:
        return None
    return {"min": num(pair[0], span), "max": num(pair[1], span)}


def exact(x: float | Fraction, span: n.Span | None = None) -> Fraction:
    """A number as an exact fraction (a float by its shortest decimal, as it was written)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        if not math.isfinite(x):
            raise CompileError("a number is too large to compile", span or n.NO_SPAN,
                               "write a smaller amount")
        return Fraction(repr(x))
    return Fraction(x)


def exact_pair(pair: Pair | None, span: n.Span | None = None) -> tuple[Fraction, Fraction] | None:
    """A range of exact fractions (None stays None)."""
    return None if pair is None else (exact(pair[0], span), exact(pair[1], span))


def exact_kg(q: n.Quantity | None) -> tuple[Fraction, Fraction] | None:
    """A load in exact kilograms, not yet rounded (None if it is not a load)."""
    if q is None or q.unit not in LOAD_UNITS:
        return None
    f = exact(LOAD_UNITS[q.unit])
    return (exact(q.low, q.span) * f, exact(q.high, q.span) * f)


def _in_unit(q: n.Quantity, what: str) -> Fraction | None:
    """The upper end of an `increase` step or cap in the unit of ``what`` (None if it has no
    such unit)."""
    if what == "load":
        kg = exact_kg(q)
        return None if kg is None else kg[1]
    if what in ("hold", "duration"):
        if q.unit not in DURATION_UNITS:
            return None
        return exact(q.high, q.span) * DURATION_UNITS[q.unit]
    return None if q.unit is not None else exact(q.high, q.span)


# --- expressions --------------------------------------------------------------------------


def expression(e: n.Expr) -> Json:
    """An expression as written: condition, text, not, all, any (chains flattened)."""
    if isinstance(e, n.Ref):
        return {"condition": e.name}
    if isinstance(e, n.Inline):
        return {"text": e.text}
    if isinstance(e, n.Not):
        return {"not": expression(e.operand)}
    key = "all" if isinstance(e, n.AllOf) else "any"
    cls = type(e)
    return {key: [expression(x) for x in _flatten(e.operands, cls)]}  # type: ignore[union-attr]


def _flatten(operands: Iterable[n.Expr], cls: type) -> list[n.Expr]:
    out: list[n.Expr] = []
    for x in operands:
        if type(x) is cls:
            out.extend(_flatten(x.operands, cls))  # type: ignore[union-attr]
        else:
            out.append(x)
    return out


def _maybe_expr(e: n.Expr | None) -> Json | None:
    return None if e is None else expression(e)


# --- the document -------------------------------------------------------------------------


def compile_protocol(protocol: n.Protocol) -> Json:
    """The compiled document of a protocol that has no errors."""
    body = protocol.body
    exercises: list[Json] = []
    level1: list[Pair] = []
    protocol_stops = [expression(st.expr) for st in n.every(body, n.StopIf)]
    for ex in protocol.exercises:
        compiled, first_estimate = _exercise(ex, protocol_stops)
        exercises.append(compiled)
        if first_estimate is not None:
            level1.append(first_estimate)
    total: Pair = (0, 0)
    for pair in level1:
        total = d.add(total, pair)
    schedule = _schedule(protocol)
    return {
        "schema_version": SCHEMA_VERSION,
        "protocol": {
            "name": protocol.name,
            "title": protocol.title,
            "source": _text(body, n.Source),
            "purpose": _text(body, n.Purpose),
            "author": _text(body, n.Author),
            "version": _text(body, n.Version),
        },
        "schedule": schedule,
        "conditions": [{"name": c.name, "kind": c.kind, "text": c.text}
                       for c in n.every(body, n.Condition)],
        "equipment": [{"name": e.name, "text": e.text} for e in n.every(body, n.Equipment)],
        "stop_if": protocol_stops,
        "exercises": exercises,
        "weeks": _weeks(protocol),
        "estimated_session_s": rng(total),
    }


def _text(body: tuple[n.Statement, ...], cls: type[n.TextStatement]) -> str | None:
    st = n.first(body, cls)
    return None if st is None else st.text


def sessions_per_week(schedule: n.Schedule) -> Fraction | None:
    """The exact number of sessions a week of a `schedule` (7/3 for every 3 days)."""
    if schedule.form == "daily":
        return Fraction(7)
    if schedule.count is None or schedule.count <= 0:
        return None
    count = Fraction(schedule.count)
    if schedule.form == "every":
        return Fraction(7) / count
    return count * 7 if schedule.per == "daily" else count


def _schedule(protocol: n.Protocol) -> Json:
    sched = n.first(protocol.body, n.Schedule)
    limit = n.first(protocol.body, n.SessionLimit)
    per_week = sessions_per_week(sched) if sched is not None else None
    limit_s = None
    if limit is not None and limit.amount.unit in DURATION_UNITS:
        # A limit written as a range is bounded by its upper end.
        limit_s = num(exact(limit.amount.high, limit.span) * DURATION_UNITS[limit.amount.unit],
                      limit.span)
    return {
        "sessions_per_week": None if per_week is None else num(per_week),
        "weeks": None if sched is None or sched.weeks is None else num(sched.weeks),
        "session_limit_s": limit_s,
    }


def _names(refs: Iterable[n.NameRef]) -> list[str]:
    return list(dict.fromkeys(ref.name for ref in refs))


def _exercise(ex: n.Exercise, protocol_stops: list[Json]) -> tuple[Json, Pair | None]:
    body = ex.body
    kind = n.first(body, n.Kind)
    requires = n.first(body, n.Requires)
    exercise_stops = [expression(st.expr) for st in n.every(body, n.StopIf)]
    effective = d.effective_levels(ex)
    levels = []
    first_estimate: Pair | None = None
    for number in sorted(effective):
        eff = effective[number]
        compiled, estimate = _level(eff, exercise_stops + protocol_stops)
        levels.append(compiled)
        if number == 1:
            first_estimate = estimate
    return {
        "name": ex.name,
        "title": ex.title,
        "kind": None if kind is None else kind.value,
        "requires": None if requires is None else expression(requires.expr),
        "uses": _names(ref for st in n.every(body, n.Uses) for ref in st.names),
        "stop_if": exercise_stops,
        "notes": [st.text for st in n.every(body, n.Note)],
        "cues": [st.text for st in n.every(body, n.Cue)],
        "line": ex.span.line,
        "levels": levels,
    }, first_estimate


def _level(eff: d.Effective, outer_stops: list[Json]) -> tuple[Json, Pair]:
    lv = eff.level
    body = lv.body
    values = d.values_of(eff)
    estimate = d.estimate(values)
    requires = n.first(body, n.Requires)
    return {
        "level": lv.number,
        "title": lv.title,
        "extends": lv.extends,
        "requires": None if requires is None else expression(requires.expr),
        "uses": _names(eff.uses),
        "steps": [st.text for st in n.every(body, n.Step)],
        "cues": [st.text for st in n.every(body, n.Cue)],
        "notes": [st.text for st in n.every(body, n.Note)],
        "line": lv.span.line,
        "dosage": dosage(eff, values),
        "sequence": sequence(eff, values),
        "loads": [_load(st) for st in n.every(body, n.Load)],
        "stop_if": [expression(st.expr) for st in eff.stop_if] + outer_stops,
        "advance": [_progression(st) for st in n.every(body, n.Advance)],
        "regress": [_progression(st) for st in n.every(body, n.Regress)],
        "increases": [_increase(st) for st in n.every(body, n.Increase)],
        "errors": [{"error": st.error, "fix": st.fix, "line": st.span.line}
                   for st in n.every(body, n.ErrorFix)],
        "modifications": [{"text": st.text, "when": _maybe_expr(st.when), "line": st.span.line}
                          for st in n.every(body, n.Modification)],
        "estimated_time_s": rng(estimate, lv.span),
    }, estimate


def total_reps(values: d.Values) -> Pair | None:
    """reps x side count x sets, as a range (None without reps)."""
    if values.reps is None:
        return None
    sides = (values.side_count, values.side_count)
    return d.mul(d.mul(values.reps, sides), values.sets)


def dosage(eff: d.Effective, values: d.Values) -> Json:
    """The `dosage` object of a level: effective values with the defaults applied."""
    span = eff.level.span
    return {
        "sets": rng(values.sets, span),
        "reps": rng(values.reps, span),
        "hold_s": rng(values.hold, span),
        "duration_s": rng(values.duration, span),
        "breaths": rng(values.breaths, span),
        "rest_between_sets_s": rng(values.rest_sets, span),
        "rest_between_sides_s": rng(values.rest_sides, span),
        "sides": eff.side_word,
        "side_order": eff.side_order,
        "intensity": None if eff.intensity is None else eff.intensity.value,
        "total_reps": rng(total_reps(values), span),
    }


def sequence(eff: d.Effective, values: d.Values) -> list[Json]:
    """One set spelled out in order: one entry per side (`each`), one per rep and side in turn
    (`alternating`, with the lower end of the reps range), else one entry."""
    span = eff.level.span

    def entry(side: str, reps: Pair | None) -> Json:
        return {"side": side, "reps": rng(reps, span), "hold_s": rng(values.hold, span),
                "duration_s": rng(values.duration, span), "breaths": rng(values.breaths, span)}

    order = eff.side_order
    if eff.side_word == "alternating" and values.reps is not None:
        low = values.reps[0]
        if not math.isfinite(low) or low * len(order) > MAX_SEQUENCE:
            raise CompileError(
                f"too many alternating reps to spell out ({num(low, span)} a side)", span,
                f"the compiled sequence holds at most {MAX_SEQUENCE // 2} reps a side")
        return [entry(side, (1, 1)) for _ in range(math.floor(low)) for side in order]
    return [entry(side, values.reps) for side in order]


def _load(st: n.Load) -> Json:
    return {
        "kg": rng(exact_kg(st.amount), st.span),  # type: ignore[arg-type]
        "written": st.amount.text,
        "equipment": None if st.equipment is None else st.equipment.name,
        "placement": st.placement,
        "requires": expression(st.requires),
        "line": st.span.line,
    }


def _progression(st: n.Advance | n.Regress) -> Json:
    return {"to": st.to, "when": expression(st.when), "line": st.span.line}


def _increase(st: n.Increase) -> Json:
    by = _in_unit(st.by, st.what)
    up_to = _in_unit(st.up_to, st.what)
    return {
        "what": INCREASE_KEYS.get(st.what, st.what),
        "by": num(st.by.high if by is None else by, st.span),
        "every": st.every,
        "up_to": num(st.up_to.high if up_to is None else up_to, st.span),
        "line": st.span.line,
    }


# --- the week table -----------------------------------------------------------------------


def steps_taken(inc: n.Increase, week: int, per_week: Fraction) -> int:
    """How many steps an increase has taken by week ``week`` (1-based): k - 1 for `every
    week`, floor((k - 1) x sessions per week) for `every session`."""
    if inc.every == "session":
        return math.floor((week - 1) * per_week)
    return week - 1


def sessions_in_week(week: int, per_week: Fraction) -> int:
    """The sessions of week ``week``: those numbered floor((k-1) x s) + 1 to floor(k x s)."""
    return math.floor(week * per_week) - math.floor((week - 1) * per_week)


def _ramp(start: tuple[Fraction, Fraction], by: Fraction, cap: Fraction, steps: int
          ) -> tuple[Fraction, Fraction]:
    return (min(start[0] + steps * by, cap), min(start[1] + steps * by, cap))


def _week_level(eff: d.Effective, values: d.Values, week: int, per_week: Fraction) -> Json:
    """A level's dosage and load ranges in week ``week``, with its increases applied."""
    loads = [st for st in n.every(eff.level.body, n.Load)]
    load_kg = [exact_kg(st.amount) for st in loads]
    changes: dict[str, Pair] = {}
    for inc in n.every(eff.level.body, n.Increase):
        by = _in_unit(inc.by, inc.what)
        cap = _in_unit(inc.up_to, inc.what)
        if by is None or cap is None:
            continue
        steps = steps_taken(inc, week, per_week)
        if inc.what == "load":
            if len(loads) == 1 and load_kg[0] is not None:
                load_kg[0] = _ramp(load_kg[0], by, cap, steps)
            continue
        current = exact_pair(getattr(values, inc.what, None), inc.span)
        if current is not None:
            changes[inc.what] = _ramp(current, by, cap, steps)  # type: ignore[assignment]
    week_values = record.evolve(values, **changes)  # type: ignore[arg-type]
    return {
        "level": eff.level.number,
        "dosage": dosage(eff, week_values),
        "loads_kg": [rng(kg, st.span) for kg, st in zip(load_kg, loads)],  # type: ignore[arg-type]
    }


def _weeks(protocol: n.Protocol) -> list[Json]:
    sched = n.first(protocol.body, n.Schedule)
    if sched is None or sched.weeks is None:
        return []
    per_week = sessions_per_week(sched)
    if per_week is None:
        return []
    n_weeks = math.ceil(sched.weeks)
    table = [(ex, [(eff, d.values_of(eff)) for _, eff in sorted(
        d.effective_levels(ex).items())]) for ex in protocol.exercises]
    rows = n_weeks * sum(len(levels) for _, levels in table)
    if rows > MAX_WEEK_ROWS:
        raise CompileError(
            f"the week table would have {rows} rows ({n_weeks} weeks)", sched.span,
            f"the compiled week table holds at most {MAX_WEEK_ROWS} rows (weeks x levels)")
    return [
        {
            "week": week,
            "sessions": sessions_in_week(week, per_week),
            "exercises": [
                {"name": ex.name,
                 "levels": [_week_level(eff, values, week, per_week) for eff, values in levels]}
                for ex, levels in table
            ],
        }
        for week in range(1, n_weeks + 1)
    ]
