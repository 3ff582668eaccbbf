"""The compiler: a clean protocol's AST -> the normalized JSON document, schema version 2.

LANGUAGE.md sections 6 and 8. Values are normalized (seconds, kilograms, metres, counts), ranges
are ``{"min", "max"}`` (open ranges have a null `max` where 8.1 and 8.4 say so), whole numbers
are ints, `extends` is materialized, each level's `ramp` spells out its increases from its own
start, and the week table lists what each protocol week holds (a level reached by criterion
carries no calendar values). Each level shows its exercise's texts first, then its own, and each
sequence entry the texts with `{side}` and `{other side}` filled in for its side (8.5, 8.6).
Arithmetic is exact until a number is written (ints where whole, fractions otherwise). The
document is plain dicts and lists, with equal dosages (and frequencies) made once and held
wherever they appear (``protodsl.shared.Shared``); ``protodsl.output`` turns it into
deterministic bytes. Time (frequencies, windows, bouts, listing, starts) is read through
``protodsl.timing``, as the checker reads it.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Any


from protodsl import dosage as d
from protodsl import nodes as n
from protodsl import record
from protodsl import timing as t
from protodsl.diagnostics import Diagnostic
from protodsl.shared import Shared
from protodsl.vocabulary import (
    DISTANCE_UNITS,
    DURATION_UNITS,
    LOAD_UNITS,
    MEASURE_UNITS,
    NORMAL_UNIT,
    RELATIVE_LOAD_UNITS,
    unit_factor,
)

SCHEMA_VERSION = 2

Json = dict[str, Any]
Pair = tuple[float, float]
Exact = tuple[Fraction, Fraction]

# Guards against absurd (but warning-only) amounts that would spell out a huge document.
MAX_SEQUENCE = 10_000  # entries of one level's `sequence` (alternating sides, per rep)
MAX_WEEK_ROWS = 200_000  # weeks x levels in the week table, and entries of all ramps
MAX_RAMP = 10_000  # entries of one level's ramp (without schedule weeks, it runs to the caps)

INCREASE_KEYS = {"hold": "hold_s", "duration": "duration_s", "reps": "reps", "sets": "sets",
                 "load": "kg", "distance": "distance_m"}


class CompileError(Exception):
    """A clean file that cannot be compiled (a number too large to represent, an output too
    large to spell out): P107, which `check` finds first (``protodsl.outsize``); these are
    the compiler's own guards. ``span`` says where."""

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
        extra = diagnostic("P107", exc.message, exc.span, exc.help)
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
    kind = type(x)
    if kind is int:
        return x  # type: ignore[return-value]
    if kind is not Fraction:
        x = exact(x, span)
        if type(x) is int:
            return x  # type: ignore[return-value]
    # Rounded in integers, without making more fractions; 3 decimals and not whole: small
    # enough for a float (r / 1000 is correctly rounded, as float(Fraction(r, 1000)) is).
    p, q = x.numerator, x.denominator  # type: ignore[union-attr]
    if q == 1:
        return p
    r = (2000 * abs(p) + q) // (2 * q)  # floor(|x| * 1000 + 1/2)
    if p < 0:
        r = -r
    return r // 1000 if r % 1000 == 0 else r / 1000


def rate_num(x: float | Fraction, span: n.Span | None = None) -> int | float:
    """Sessions a week for output: as ``num``, but a positive rate never rounds to 0 (every
    20000 days is 0.001, the smallest number of 3 decimals; P304 warns of it)."""
    value = num(x, span)
    return 0.001 if value == 0 and exact(x, span) > 0 else value


def rng(pair: Pair | None, span: n.Span | None = None) -> Json | None:
    """A range object ``{"min", "max"}`` (None stays None)."""
    if pair is None:
        return None
    return {"min": num(pair[0], span), "max": num(pair[1], span)}


def exact(x: float | Fraction, span: n.Span | None = None) -> Fraction:
    """A number as an exact number (a float by its shortest decimal, as it was written): an
    int where it is whole, else a fraction. Ints are exact and much cheaper than fractions,
    and mixed arithmetic stays exact, so every result has the value the fractions gave."""
    kind = type(x)
    if kind is int:
        return x  # type: ignore[return-value]
    if kind is float:
        if x.is_integer() and -_WHOLE_FLOAT < x < _WHOLE_FLOAT:  # type: ignore[union-attr]
            return int(x)  # type: ignore[return-value]  # its shortest decimal is these digits
        hit = _EXACT_FLOATS.get(x)  # type: ignore[arg-type]
        if hit is None:
            if not math.isfinite(x):
                raise CompileError("a number is too large to compile", span or n.NO_SPAN,
                                   "write a smaller amount")
            hit = Fraction(repr(x))
            if len(_EXACT_FLOATS) < 4096:
                _EXACT_FLOATS[x] = hit  # type: ignore[index]
        return hit
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):  # a float of another type: as the float it is
        return exact(float(x), span)
    return Fraction(x)


def decimal(text: str) -> Fraction:
    """An exact factor written as a decimal string (``vocabulary``'s units): an int where it
    is whole, else a fraction."""
    hit = _DECIMALS.get(text)
    if hit is None:
        value = Fraction(text)
        hit = _DECIMALS[text] = value.numerator if value.denominator == 1 else value
    return hit  # type: ignore[return-value]


_DECIMALS: dict[str, Fraction] = {}  # the factors' texts are a handful of units'
# Below 10**15 a whole float's shortest decimal is its integer's digits (repr switches to an
# exponent from 10**16, where the shortest decimal may differ from the float's exact value).
_WHOLE_FLOAT = 1e15
_EXACT_FLOATS: dict[float, Fraction] = {}  # a float's exact fraction, by float


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
    if what == "distance":
        m = exact_m(q)
        return None if m is None else m[1]
    return None if q.unit is not None else exact(q.high, q.span)


def exact_m(q: n.Quantity | None) -> Exact | None:
    """A distance in exact metres (None if it is not a distance)."""
    if q is None or q.unit not in DISTANCE_UNITS:
        return None
    f = decimal(DISTANCE_UNITS[q.unit])
    return (exact(q.low, q.span) * f, exact(q.high, q.span) * f)


# --- expressions --------------------------------------------------------------------------


def expression(e: n.Expr) -> Json:
    """An expression as written: condition, text, not, all, any (chains flattened)."""
    if isinstance(e, n.Ref):
        return {"condition": e.name}
    if isinstance(e, n.Inline):
        return {"text": e.text}
    if isinstance(e, n.Not):
        return {"not": expression(e.operand)}
    if isinstance(e, n.Compare):
        return compare(e)
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


def compare(e: n.Compare) -> Json:
    """A comparison on a measure, its value in the measure's normalized unit (8.2)."""
    value = exact(e.value, e.span)
    if e.unit is not None and e.unit in MEASURE_UNITS:
        value *= decimal(unit_factor(e.unit))
    return {"measure": e.name, "op": e.op, "value": num(value, e.span)}


# --- the document -------------------------------------------------------------------------


@record.frozen
class _Plan:
    """What the compiler knows of one level before writing it."""

    eff: d.Effective
    values: d.Values  # exact fractions
    estimate: Exact
    freq: t.Freq
    window: t.Weeks | None
    listed: t.Weeks | None
    by_criterion: bool
    ramp: tuple[tuple[d.Values, tuple[Exact | None, ...]], ...]

    @property
    def estimated(self) -> Json:
        """The level's estimate as an open range: `max` null where its time has no known
        upper end (`reps max` without `up to`, a distance without a duration: 8.4)."""
        return open_rng(self.estimate, self.values.open_ended, self.eff.level.span)


class _Compiler:
    """One protocol's compilation: the time structure is computed once and shared."""

    def __init__(self, protocol: n.Protocol) -> None:
        self.protocol = protocol
        self.weeks = t.schedule_weeks(protocol)
        self.ramp_entries = 0
        self._ramps_made: dict[int, list[tuple[Json, list[Json | None]]]] = {}
        self._sessions_made: dict[tuple[int, int], Json | None] = {}
        self._frequencies: dict[int, tuple[Json | None]] = {}
        self._parts: dict[tuple[int, ...], tuple[Json, Any]] = {}  # level parts, their keys
        self._dosages: dict[Any, Json] = {}
        self._frozen: dict[int, Any] = {}  # the key of each shared part (``frozen``)
        self._stops: dict[int, Json] = {}
        self._reuse: dict[tuple[Any, ...], Json] = {}  # ``_reused``
        self._equal: dict[Any, Any] = {}  # one object for equal sessions, equal loads
        self._per_weeks: dict[int, tuple[t.PerWeek | None]] = {}
        self.plans: dict[str, dict[int, _Plan]] = {}
        for ex in protocol.exercises:
            self.plans.setdefault(ex.name, self._plan(ex))

    def _plan(self, ex: n.Exercise) -> dict[int, _Plan]:
        listed = t.listed_weeks(ex, self.weeks)
        known = t.known_start(ex)
        plans: dict[int, _Plan] = {}
        for number, eff in t.iter_levels(ex):
            values = exact_values(eff)
            freq = t.frequency(self.protocol, ex, eff)
            where = listed.get(number)
            remaining = None
            if self.weeks is not None and where is not None:
                remaining = self.weeks - where.first + 1
            ramp = self._ramp(eff, values, self._per_week(freq.rate), remaining)
            plans[number] = _Plan(
                eff, values, d.estimate(values), freq, t.level_window(ex, eff.level), where,
                not known.get(number, False), ramp)
        return plans

    def _ramp(self, eff: d.Effective, values: d.Values, pw: t.PerWeek | None,
              remaining: int | None) -> tuple[tuple[d.Values, tuple[Exact | None, ...]], ...]:
        length, span = ramp_length(eff, values, pw, remaining)
        if length > MAX_RAMP or self.ramp_entries + length > MAX_WEEK_ROWS:
            raise CompileError(
                f"the ramp of level {eff.level.number} would have {length} weeks", span,
                f"a compiled ramp holds at most {MAX_RAMP} weeks: give the protocol `for W "
                "weeks`, or a larger step")
        self.ramp_entries += length
        return ramp_weeks(eff, values, length, pw)

    # -- the document ----------------------------------------------------------------------

    def document(self) -> Json:
        protocol = self.protocol
        body = protocol.body
        # Stop rules are held by every level below them: written once (``Shared``).
        protocol_stops = [Shared(expression(st.expr)) for st in n.every(body, n.StopIf)]
        exercises = [self._exercise(ex, protocol_stops) for ex in protocol.exercises]
        session: Exact = (0, 0)  # type: ignore[assignment]
        session_open = False
        for ex in protocol.exercises:
            one = self.plans[ex.name].get(1)
            if one is not None and not t.is_bout(ex, one.eff):
                session = d.add(session, one.estimate)  # type: ignore[assignment]
                session_open = session_open or one.values.open_ended
        return {
            "schema_version": SCHEMA_VERSION,
            "protocol": {
                "name": protocol.name,
                "title": protocol.title,
                "source": _text(body, n.Source),
                "purpose": _text(body, n.Purpose),
                "author": _text(body, n.Author),
                "version": _text(body, n.Version),
                "notes": [st.text for st in n.every(body, n.Note)],
            },
            "schedule": self._schedule(),
            "conditions": [{"name": c.name, "kind": c.kind, "text": c.text}
                           for c in n.every(body, n.Condition)],
            "measures": [measure(st) for st in n.every(body, n.Measure)],
            "equipment": [{"name": e.name, "text": e.text} for e in n.every(body, n.Equipment)],
            "stop_if": protocol_stops,
            "exercises": exercises,
            "weeks": self._weeks(),
            "estimated_session_s": open_rng(session, session_open),
            "estimated_week_s": self._week_estimate(),
        }

    def _schedule(self) -> Json:
        sched = t.schedule_of(self.protocol)
        limit = n.first(self.protocol.body, n.SessionLimit)
        pw = None if sched is None else t.per_week(sched.rate)
        limit_s = None
        if limit is not None and limit.amount.unit in DURATION_UNITS:
            # A limit written as a range is bounded by its upper end.
            limit_s = num(exact(limit.amount.high, limit.span)
                          * DURATION_UNITS[limit.amount.unit], limit.span)
        return {
            "sessions_per_week": rate_num(pw.low) if pw is not None and pw.fixed else None,
            "weeks": None if sched is None or sched.weeks is None else num(sched.weeks),
            "session_limit_s": limit_s,
            "frequency": None if sched is None else frequency(sched.rate),
        }

    def _week_estimate(self) -> Json | None:
        """Every exercise's level 1 estimate x its sessions a week, summed (None when some
        exercise has no sessions a week: no schedule and no frequency)."""
        low, high = 0, 0
        open_ended = False
        for ex in self.protocol.exercises:
            one = self.plans[ex.name].get(1)
            if one is None:
                continue
            pw = self._per_week(one.freq.rate)
            if pw is None:
                return None
            low += one.estimate[0] * pw.low
            if pw.high is None or one.values.open_ended:
                open_ended = True
            else:
                high += one.estimate[1] * pw.high
        return {"min": num(low), "max": None if open_ended else num(high)}

    def _exercise(self, ex: n.Exercise, protocol_stops: list[Json]) -> Json:
        body = ex.body
        kind = n.first(body, n.Kind)
        requires = n.first(body, n.Requires)
        own_frequency = n.first(body, n.Frequency)
        exercise_stops = [Shared(expression(st.expr)) for st in n.every(body, n.StopIf)]
        plans = self.plans[ex.name]
        one = plans.get(1)
        bout = None
        if one is not None and t.is_bout(ex, one.eff):
            bout = {"frequency": frequency(one.freq.rate), "estimated_s": one.estimated}
        own_range = n.first(body, n.RangeUntil)
        texts = _texts(body)
        return {
            "name": ex.name,
            "title": ex.title,
            "kind": None if kind is None else kind.value,
            "requires": None if requires is None else expression(requires.expr),
            "uses": _names(ref for st in n.every(body, n.Uses) for ref in st.names),
            "stop_if": exercise_stops,
            "notes": [st.text for st in n.every(body, n.Note)],
            "cues": texts.cues,
            "steps": texts.steps,
            "errors": [_error(st) for st in texts.errors],
            "modifications": [_modification(st) for st in texts.modifications],
            "range_until": None if own_range is None else expression(own_range.expr),
            "line": ex.span.line,
            "frequency": None if own_frequency is None else frequency(own_frequency.rate),
            "window": window(t.weeks_of(t.own_window(ex))),
            "bout": bout,
            "levels": [self._level(plans[number], exercise_stops + protocol_stops, texts)
                       for number in sorted(plans)],
        }

    def _level(self, plan: _Plan, outer_stops: list[Json], outer: _Texts) -> Json:
        eff = plan.eff
        lv = eff.level
        kinds = n.by_type(lv.body)
        requires = kinds.get(n.Requires)
        texts = outer + _texts(lv.body, kinds)
        loads: list[n.Load] = kinds.get(n.Load) or []  # type: ignore[assignment]
        return {
            "level": lv.number,
            "title": lv.title,
            "extends": lv.extends,
            "requires": None if requires is None else expression(requires[0].expr),
            "uses": _names(eff.uses),
            "steps": texts.steps,
            "cues": texts.cues,
            "notes": [st.text for st in kinds.get(n.Note, ())],
            "line": lv.span.line,
            "dosage": self._dosage(plan, plan.values),
            "sequence": sequence(eff, plan.values, texts, loads),
            "loads": [_load(st) for st in loads],
            "stop_if": [self._stop(st) for st in eff.stop_if] + outer_stops,
            "advance": [_progression(st) for st in kinds.get(n.Advance, ())],
            "regress": [_progression(st) for st in kinds.get(n.Regress, ())],
            "increases": [_increase(st) for st in kinds.get(n.Increase, ())],
            "errors": [_error(st) for st in texts.errors],
            "modifications": [_modification(st) for st in texts.modifications],
            "estimated_time_s": plan.estimated,
            "window": window(plan.window),
            "by_criterion": plan.by_criterion,
            "ramp": self._ramp_entries(plan),
        }

    def _ramp_entries(self, plan: _Plan) -> list[Json]:
        """A level's `ramp`: each week's level week, dosage and loads (equal entries are one
        object, see ``_reused``)."""
        out = []
        for j, (ramp_dosage, ramp_kg) in enumerate(self._ramp_json(plan), 1):
            key = ("ramp", j, id(ramp_dosage), id(ramp_kg))
            out.append(self._reused(key) or self._keep(key, {
                "level_week": j, "dosage": ramp_dosage, "loads_kg": ramp_kg}))
        return out

    def _stop(self, st: n.StopIf) -> Json:
        """A level's stop rule, made once per statement (a level that `extends` another holds
        the same objects as it for the stop rules it copies)."""
        made = self._stops.get(id(st))  # the statement is part of the protocol: its id stays
        if made is None:
            made = self._stops[id(st)] = Shared(expression(st.expr))
        return made

    # -- the week table --------------------------------------------------------------------

    def _weeks(self) -> list[Json]:
        sched = t.schedule_of(self.protocol)
        if sched is None or self.weeks is None:
            return []
        pw = t.per_week(sched.rate)
        n_weeks = self.weeks
        rows = n_weeks * sum(len(plans) for plans in self.plans.values())
        if rows > MAX_WEEK_ROWS:
            raise CompileError(
                f"the week table would have {rows} rows ({n_weeks} weeks)", sched.span,
                f"the compiled week table holds at most {MAX_WEEK_ROWS} rows (weeks x levels)")
        # What does not change from week to week is worked out once: each exercise's listed
        # levels in order and its sessions a week; each level's dosage per ramp week comes from
        # the ramp already written for the level (``_ramp_json``).
        listed = [(ex, [plan for _, plan in sorted(self.plans[ex.name].items())
                        if plan.listed is not None],
                   t.exercise_frequency(self.protocol, ex).rate)
                  for ex in self.protocol.exercises]
        out = []
        for week in range(1, n_weeks + 1):
            exercises = []
            for ex, plans_in_order, ex_rate in listed:
                levels = [self._week_level(plan, week) for plan in plans_in_order
                          if plan.listed.holds(week)]  # type: ignore[union-attr]
                if levels:
                    exercises.append({
                        "name": ex.name,
                        "sessions": self._sessions_of(week, ex_rate),
                        "levels": levels})
            out.append({
                "week": week,
                "sessions": (t.sessions_in_week(week, pw.low)
                             if pw is not None and pw.fixed else None),
                "exercises": exercises,
            })
        return out

    def _week_level(self, plan: _Plan, week: int) -> Json:
        """A level in protocol week ``week``: its ramp at that week of the level, or, for a
        level reached by criterion, no calendar values at all. Equal rows are one object."""
        number = plan.eff.level.number
        sessions = self._sessions_of(week, plan.freq.rate)
        if plan.by_criterion or plan.listed is None or not plan.ramp:
            key: tuple[Any, ...] = ("row", number, id(sessions))
            return self._reused(key) or self._keep(key, {
                "level": number, "by_criterion": True, "level_week": None,
                "sessions": sessions, "dosage": None, "loads_kg": None})
        j = week - plan.listed.first + 1
        ramp_dosage, ramp_kg = self._ramp_json(plan)[min(j, len(plan.ramp)) - 1]
        key = ("row", number, id(sessions), j, id(ramp_dosage), id(ramp_kg))
        return self._reused(key) or self._keep(key, {
            "level": number, "by_criterion": False, "level_week": j, "sessions": sessions,
            "dosage": ramp_dosage, "loads_kg": ramp_kg})

    def _reused(self, key: tuple[Any, ...]) -> Json | None:
        """The object kept for ``key`` (``_keep``; its ids name objects this compilation
        holds), None the first time: the first use gets the object as made, the later ones
        one ``Shared`` copy, which the writer encodes once (an object used once is never kept
        as text)."""
        made = self._reuse.get(key)
        if made is not None and type(made) is not Shared:  # its second use
            made = self._reuse[key] = Shared(made)
        return made

    def _keep(self, key: tuple[Any, ...], made: Json) -> Json:
        """``made`` (a plain dict), kept for ``key`` (see ``_reused``)."""
        self._reuse[key] = made
        return made

    def _sessions_of(self, week: int, rate: n.Rate | None) -> Json | None:
        """The sessions of protocol week ``week`` at ``rate``, worked out once per week and
        rate statement; equal sessions are one object (the rows share it)."""
        key = (week, id(rate))  # the rate is part of the protocol: its id stays its own
        if key not in self._sessions_made:
            made = sessions(week, self._per_week(rate))
            if made is not None:
                made = self._equal.setdefault(("sessions", made["min"], made["max"]), made)
            self._sessions_made[key] = made
        return self._sessions_made[key]

    def _ramp_json(self, plan: _Plan) -> list[tuple[Json, list[Json | None]]]:
        """The `dosage` and `loads_kg` of each week of a level's ramp, made once per level:
        the level's `ramp` and the week table hold the same objects (equal values)."""
        key = id(plan)
        made = self._ramps_made.get(key)
        if made is None:
            made = []
            before = None
            for week in plan.ramp:
                if week is before:  # the week before's values and loads: its objects
                    made.append(made[-1])
                    continue
                values, kg = before = week
                kg_json = _loads_kg(plan.eff, kg)  # equal loads are one list
                if kg_json:
                    kg_json = self._equal.setdefault(("kg", frozen(kg_json)), kg_json)
                else:
                    kg_json = self._equal.setdefault("no loads", kg_json)
                made.append((self._dosage(plan, values), kg_json))
            self._ramps_made[key] = made
        return made

    def _dosage(self, plan: _Plan, values: d.Values) -> Json:
        """The `dosage` of a level at ``values`` (its own, or a week of its ramp), made once for
        equal values, reps' form and level part (``dosage_of``): levels and weeks that dose
        alike share one object, which the JSON writer encodes once (``Shared``)."""
        # The statements the level part and the reps' form come from (levels that `extends`
        # copies from share them), all held by the protocol: their ids stay theirs.
        by = (*map(id, _part_statements(plan.eff)), id(plan.freq.rate))
        part = self._parts.get(by)
        if part is None:
            made_part = level_part(plan.eff, plan.freq, self._frequency(plan.freq.rate))
            part = self._parts[by] = (made_part, (frozen(made_part, self._frozen),
                                                  reps_form(plan.eff)))
        key = (part[1], _values_key(values))
        made = self._dosages.get(key)
        if made is None:
            made = self._dosages[key] = Shared(dosage_of(plan.eff, values, part[0]))
        return made

    def _per_week(self, rate: n.Rate | None) -> t.PerWeek | None:
        """``timing.per_week(rate)``, worked out once per rate statement."""
        made = self._per_weeks.get(id(rate))
        if made is None:
            made = self._per_weeks[id(rate)] = (t.per_week(rate),)
        return made[0]

    def _frequency(self, rate: n.Rate | None) -> Json | None:
        """``frequency(rate)``, made once per rate statement (the levels share the object)."""
        key = id(rate)  # the rate is part of the protocol: its id stays its own
        made = self._frequencies.get(key)
        if made is None:
            json = frequency(rate)
            made = self._frequencies[key] = (None if json is None else Shared(json),)
        return made[0]



def compile_protocol(protocol: n.Protocol) -> Json:
    """The compiled document of a protocol that has no errors."""
    from protodsl.gcpause import paused

    with paused(), d.caching():
        return _Compiler(protocol).document()


def _text(body: tuple[n.Statement, ...], cls: type[n.TextStatement]) -> str | None:
    st = n.first(body, cls)
    return None if st is None else st.text


def _names(refs: Iterable[n.NameRef]) -> list[str]:
    return list(dict.fromkeys(ref.name for ref in refs))


def open_rng(pair: Exact | Pair, open_ended: bool, span: n.Span | None = None) -> Json:
    """An open range: ``{"min", "max"}`` with `max` null when ``open_ended``."""
    return {"min": num(pair[0], span), "max": None if open_ended else num(pair[1], span)}


# --- texts (8.5, 8.6) ---------------------------------------------------------------------


@record.frozen
class _Texts:
    """A block's texts that a level shows: steps, cues, errors and modifications, in order."""

    steps: list[str]
    cues: list[str]
    errors: list[n.ErrorFix]
    modifications: list[n.Modification]

    def __add__(self, other: _Texts) -> _Texts:
        """These texts first (the exercise's), then ``other``'s (the level's own)."""
        return _Texts(self.steps + other.steps, self.cues + other.cues,
                      self.errors + other.errors, self.modifications + other.modifications)


def _texts(body: tuple[n.Statement, ...],
           kinds: dict[type, list[n.Statement]] | None = None) -> _Texts:
    if kinds is None:
        kinds = n.by_type(body)
    return _Texts([st.text for st in kinds.get(n.Step, ())],  # type: ignore[attr-defined]
                  [st.text for st in kinds.get(n.Cue, ())],  # type: ignore[attr-defined]
                  kinds.get(n.ErrorFix) or [],  # type: ignore[arg-type]
                  kinds.get(n.Modification) or [])  # type: ignore[arg-type]


def _error(st: n.ErrorFix) -> Json:
    return {"error": st.error, "fix": st.fix, "line": st.span.line}


def _modification(st: n.Modification) -> Json:
    return {"text": st.text, "when": _maybe_expr(st.when), "line": st.span.line}


_PLACEHOLDER = re.compile(r"\{side\}|\{other side\}")


def fill(text: str, side: str) -> str:
    """A text with exactly `{side}` and `{other side}` filled in for ``side`` (8.5); for a
    side with no other (`both`), the text as written."""
    other = d.OTHER_SIDE.get(side)
    if other is None or "{" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: side if m.group() == "{side}" else other, text)


def _placeholders(texts: _Texts, loads: list[n.Load]) -> bool:
    """Whether any text a level shows, or a load's placement, may hold `{side}` or `{other
    side}` (it has a brace)."""
    return (any("{" in x for x in texts.steps) or any("{" in x for x in texts.cues)
            or any("{" in st.error or "{" in st.fix for st in texts.errors)
            or any("{" in st.text for st in texts.modifications)
            or any(st.placement is not None and "{" in st.placement for st in loads))


def filled_texts(texts: _Texts, loads: list[n.Load], side: str) -> Json:
    """Every text a level shows, and its loads' placements, filled in for ``side``."""
    return {
        "steps": [fill(x, side) for x in texts.steps],
        "cues": [fill(x, side) for x in texts.cues],
        "errors": [{"error": fill(st.error, side), "fix": fill(st.fix, side)}
                   for st in texts.errors],
        "modifications": [fill(st.text, side) for st in texts.modifications],
        "placements": [None if st.placement is None else fill(st.placement, side)
                       for st in loads],
    }


# --- time ---------------------------------------------------------------------------------

FORMS = {"daily": "daily", "every": "every_days", "as_needed": "as_needed"}


def sessions_per_week(schedule: n.Schedule) -> Fraction | None:
    """The exact sessions a week of a `schedule` with a single rate (7/3 for every 3 days);
    None for a range, `as needed` or a zero."""
    pw = t.per_week(schedule.rate)
    return pw.low if pw is not None and pw.fixed else None


def frequency(rate: n.Rate | None) -> Json | None:
    """A rate as the `frequency` object: its form, its count as written (times, or days
    between sessions) and its sessions a week as a range (`max` null for `as needed`)."""
    if rate is None:
        return None
    pw = t.per_week(rate)
    form = FORMS.get(rate.form) or f"times_{rate.per}"
    count = None
    if rate.form in ("times", "every") and rate.low is not None and rate.high is not None:
        count = {"min": num(rate.low, rate.span), "max": num(rate.high, rate.span)}
    per_week = None
    if pw is not None:
        per_week = {"min": rate_num(pw.low, rate.span),
                    "max": None if pw.high is None else rate_num(pw.high, rate.span)}
    return {"form": form, "count": count, "sessions_per_week": per_week}


def sessions(week: int, pw: t.PerWeek | None) -> Json | None:
    """The sessions of protocol week ``week`` as a range (`as needed`: 0 to null)."""
    if pw is None:
        return None
    low, high = t.sessions_range(week, pw)
    return {"min": low, "max": high}


def window(weeks: t.Weeks | None) -> Json | None:
    """A week window: its first and last protocol week (`last_week` null: no end)."""
    if weeks is None:
        return None
    return {"first_week": weeks.first, "last_week": weeks.last}


def measure(st: n.Measure) -> Json:
    """A measure: its unit normalized (s, kg, deg, m; null for a count or score) and its
    scale as a range."""
    unit = None
    if st.unit is not None and st.unit in MEASURE_UNITS:
        unit = NORMAL_UNIT[MEASURE_UNITS[st.unit]]
    scale = None
    if st.scale is not None:
        scale = {"min": num(st.scale.low, st.span), "max": num(st.scale.high, st.span)}
    return {"name": st.name, "kind": st.kind, "text": st.text, "unit": unit, "scale": scale}


# --- levels -------------------------------------------------------------------------------


def exact_values(eff: d.Effective) -> d.Values:
    """The numbers of an effective level as exact numbers, with section 6's defaults (as
    ``dosage.values_of``, exactly); worked out once per level within ``dosage.caching`` (the
    output-size check and the compiler both ask)."""
    values = d.remembered("exact_values", eff)
    if values is None:
        values = d.remember("exact_values", eff, _exact_values(eff))
    return values  # type: ignore[no-any-return]


def _exact_values(eff: d.Effective) -> d.Values:

    def secs(st: n.Dose | None) -> Exact | None:
        if st is None or st.amount.unit not in DURATION_UNITS:
            return None
        f = DURATION_UNITS[st.amount.unit]
        return (exact(st.amount.low, st.span) * f, exact(st.amount.high, st.span) * f)

    def count(st: n.Dose | None) -> Exact | None:
        if st is None or st.amount.unit is not None:
            return None
        return (exact(st.amount.low, st.span), exact(st.amount.high, st.span))


    hold = secs(eff.hold)
    reps: Exact | None
    if eff.reps is not None:
        reps, per_set, reps_open = count(eff.reps), None, False
    else:
        plain, listed, reps_open = d.reps_values(eff)
        reps = _exact_ints(plain)
        per_set = None if listed is None else tuple(_exact_ints(x) for x in listed)
    if reps is None and hold is not None and not eff.has_reps:
        reps = (1, 1)
    sets = count(eff.sets) or (1, 1)
    if per_set is not None:
        sets = (len(per_set), len(per_set))
    rep_s = eff.tempo_seconds
    rep = None if rep_s is None else (rep_s, rep_s)
    distance = None if eff.distance is None else exact_m(eff.distance.amount)
    return d.Values(  # exact fractions where the type says floats
        hold=hold, duration=secs(eff.duration), reps=reps,  # type: ignore[arg-type]
        sets=sets,  # type: ignore[arg-type]
        breaths=count(eff.breaths), rest_sets=secs(eff.rest_sets),  # type: ignore[arg-type]
        rest_sides=secs(eff.rest_sides), side_count=eff.side_count,  # type: ignore[arg-type]
        rep=rep, per_set=per_set, distance=distance,  # type: ignore[arg-type]
        reps_open=reps_open, time_open=eff.distance is not None and eff.duration is None)


def _exact_ints(pair: Pair | None) -> Exact | None:
    """Counts of a reps list or `reps max` (ints, which are exact) as exact numbers."""
    if pair is None:
        return None
    low, high = pair
    return (low if type(low) is int else Fraction(low),  # type: ignore[return-value]
            high if type(high) is int else Fraction(high))


def total_reps(values: d.Values) -> Pair | None:
    """reps x side count x sets, as a range (None without reps); under a reps list, the sum
    of its elements x side count (8.4)."""
    if values.reps is None:
        return None
    sides = (values.side_count, values.side_count)
    if values.per_set is not None:
        low = sum(x[0] for x in values.per_set)
        high = sum(x[1] for x in values.per_set)
        return d.mul((low, high), sides)
    # Whole numbers (the usual case) multiplied as ints: the same values, without fractions.
    reps, sets = values.reps, values.sets
    return (_whole(reps[0]) * values.side_count * _whole(sets[0]),
            _whole(reps[1]) * values.side_count * _whole(sets[1]))


def _whole(x: Any) -> Any:
    """A fraction that is a whole number as an int (the same value); anything else as is."""
    return x.numerator if type(x) is Fraction and x.denominator == 1 else x


def tempo(st: n.Tempo | None) -> Json | None:
    """A tempo: its phases as written (whole seconds, or "x" for as fast as possible) and one
    rep's seconds (`x` counted as 1 s)."""
    if st is None:
        return None
    return {"phases": list(st.phases), "rep_s": d.tempo_sum(st)}


def reps_per_set(eff: d.Effective, values: d.Values) -> list[Json] | None:
    """The reps of each set, in set order, for a reps list or `reps max` (null otherwise):
    `{"reps": open range, "as_many_as_possible": bool}`. `reps max` is spelled out for every
    set up to the upper end of the sets."""
    span = eff.level.span
    if eff.reps_list is not None and values.per_set is not None:
        return [{"reps": open_rng(pair, item == "max", span),
                 "as_many_as_possible": item == "max"}
                for item, pair in zip(eff.reps_list.items, values.per_set)]
    if eff.reps_max is not None and values.reps is not None:
        sets = math.floor(values.sets[1])
        if sets > MAX_SEQUENCE:
            raise CompileError(
                f"too many sets of `reps max` to spell out ({sets})", span,
                f"the compiled reps per set hold at most {MAX_SEQUENCE} sets")
        one = {"reps": open_rng(values.reps, values.reps_open, span),
               "as_many_as_possible": True}
        return [dict(one) for _ in range(sets)]
    return None


def dosage(eff: d.Effective, values: d.Values, freq: t.Freq | None = None,
           freq_json: Any = None) -> Json:
    """The `dosage` object of a level: effective values with the defaults applied, and the
    effective frequency (the schedule's when nothing else applies; ``freq_json``, when given,
    is ``frequency(freq.rate)`` already made)."""
    return dosage_of(eff, values, level_part(eff, freq, freq_json))


def level_part(eff: d.Effective, freq: t.Freq | None = None, freq_json: Any = None) -> Json:
    """The fields of a level's `dosage` that its statements alone give (not its numbers, which
    its ramp changes week by week): the same for every week of the level. It reads only the
    statements ``_part_statements`` names and the frequency (the compiler keys it by them)."""
    return {
        "sides": eff.side_word,
        "side_order": eff.side_order,
        "intensity": None if eff.intensity is None else eff.intensity.value,
        "frequency": (None if freq is None else freq_json if freq_json is not None
                      else frequency(freq.rate)),
        "tempo": tempo(eff.tempo),
        "contraction": None if eff.contraction is None else eff.contraction.value,
        "rpe": None if eff.rpe is None else rng(count(eff.rpe.amount), eff.rpe.span),
        "support": None if eff.support is None else eff.support.value,
        "eyes": eff.eyes_word,
        "range_until": None if eff.range_until is None else expression(eff.range_until.expr),
    }


def dosage_of(eff: d.Effective, values: d.Values, part: Json) -> Json:
    """The `dosage` object of ``values`` with the level's ``part`` (``level_part``). Besides
    ``values`` and ``part``, it reads only the reps' form of ``eff`` (``reps_form``): the
    compiler shares one object between levels and weeks where these three are equal."""
    span = eff.level.span
    total = total_reps(values)
    return {
        "sets": rng(values.sets, span),
        "reps": None if values.reps is None else open_rng(values.reps, values.reps_open, span),
        "hold_s": rng(values.hold, span),
        "duration_s": rng(values.duration, span),
        "breaths": rng(values.breaths, span),
        "rest_between_sets_s": rng(values.rest_sets, span),
        "rest_between_sides_s": rng(values.rest_sides, span),
        "sides": part["sides"],
        "side_order": part["side_order"],
        "intensity": part["intensity"],
        "total_reps": None if total is None else open_rng(total, values.reps_open, span),
        "frequency": part["frequency"],
        "tempo": part["tempo"],
        "contraction": part["contraction"],
        "reps_per_set": reps_per_set(eff, values),
        "rpe": part["rpe"],
        "distance_m": rng(values.distance, span),
        "support": part["support"],
        "eyes": part["eyes"],
        "range_until": part["range_until"],
    }


# A level's values as a plain tuple, equal where the records are equal (cheaper to hash).
_VALUES_FIELDS = tuple(f.name for f in record.fields(d.Values))
_values_key = operator.attrgetter(*_VALUES_FIELDS)


# What ``level_part`` and ``reps_form`` read of an effective level (besides its frequency).
_part_statements = operator.attrgetter("sides", "intensity", "tempo", "contraction", "rpe",
                                       "support", "eyes", "range_until", "reps_list", "reps_max")


def reps_form(eff: d.Effective) -> tuple[Any, ...]:
    """What ``dosage_of`` reads of ``eff`` besides the values: the items of a reps list, and
    whether the reps are `reps max`."""
    return (None if eff.reps_list is None else eff.reps_list.items, eff.reps_max is not None)


def frozen(x: Any, memo: dict[int, Any] | None = None) -> Any:
    """A JSON value as a hashable key: equal keys, equal JSON (a bool, a float and an int that
    compare equal are told apart; a dict's keys are taken in their order). ``memo`` keeps the
    key of each ``Shared`` dict by identity (a shared part is frozen once)."""
    kind = type(x)
    if kind in _PLAIN:
        return x
    if kind is Shared and memo is not None:
        key = memo.get(id(x))
        if key is None:
            key = memo[id(x)] = (dict, tuple(
                (k, v if type(v) in _PLAIN else frozen(v, memo)) for k, v in x.items()))
        return key
    if kind is dict or kind is Shared:
        return (dict, tuple(
            (k, v if type(v) in _PLAIN else frozen(v, memo)) for k, v in x.items()))
    if kind is list or kind is tuple:
        return (list, tuple(v if type(v) in _PLAIN else frozen(v, memo) for v in x))
    return (kind, x)


_PLAIN = frozenset({str, int, type(None)})  # JSON values that are their own key


def count(q: n.Quantity) -> Pair | None:
    """A plain number or range (no unit), exactly as written (None with a unit)."""
    if q.unit is not None:
        return None
    return (exact(q.low, q.span), exact(q.high, q.span))


def sequence(eff: d.Effective, values: d.Values, texts: _Texts | None = None,
             loads: list[n.Load] | None = None) -> list[Json]:
    """Set 1 spelled out in order: one entry per side (`each`), one per rep and side in turn
    (`alternating`, with the lower end of set 1's reps), else one entry; each with the level's
    texts filled in for its side (8.5)."""
    span = eff.level.span
    shown = texts if texts is not None else _Texts([], [], [], [])
    first = values.reps if values.per_set is None else values.per_set[0]
    first_open = values.reps_open and (
        values.per_set is None or (eff.reps_list is not None and eff.reps_list.items[0] == "max"))
    filled: dict[str, Json] = {}
    # The same for every entry: made once, held by each (equal values).
    hold, duration = rng(values.hold, span), rng(values.duration, span)
    breaths = rng(values.breaths, span)
    order = eff.side_order
    if len(order) > 1 and not _placeholders(shown, loads or []):
        # Nothing to fill in: every side shows the same texts, one object written once.
        same = Shared(filled_texts(shown, loads or [], order[0]))
        filled = {side: same for side in order}

    def entry(side: str, reps: Json | None) -> Json:
        if side not in filled:
            filled[side] = filled_texts(shown, loads or [], side)
        return {"side": side, "reps": reps, "hold_s": hold, "duration_s": duration,
                "breaths": breaths, "texts": filled[side]}

    if eff.side_word == "alternating" and first is not None:
        low = first[0]
        if low * len(order) > MAX_SEQUENCE:
            raise CompileError(
                f"too many alternating reps to spell out ({num(low, span)} a side)", span,
                f"the compiled sequence holds at most {MAX_SEQUENCE // 2} reps a side")
        one = open_rng((1, 1), False, span)
        return [entry(side, one) for _ in range(math.floor(low)) for side in order]
    reps = None if first is None else open_rng(first, first_open, span)
    return [entry(side, reps) for side in order]


def _load(st: n.Load) -> Json:
    unit = st.amount.unit
    amount = count(record.evolve(st.amount, unit=None)) if unit in RELATIVE_LOAD_UNITS else None
    return {
        "kg": rng(exact_kg(st.amount), st.span),  # type: ignore[arg-type]
        "rm": rng(amount, st.span) if unit == "rm" else None,
        "percent_1rm": rng(amount, st.span) if unit == "%1rm" else None,
        "optional": st.optional,
        "written": st.amount.text,
        "equipment": None if st.equipment is None else st.equipment.name,
        "placement": st.placement,
        "requires": expression(st.requires),
        "line": st.span.line,
    }


def _loads_kg(eff: d.Effective, kg: tuple[Exact | None, ...]) -> list[Json | None]:
    loads = n.every(eff.level.body, n.Load)
    return [rng(pair, st.span) for pair, st in zip(kg, loads)]  # type: ignore[arg-type]


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


# --- ramps --------------------------------------------------------------------------------


def steps_taken(inc: n.Increase, week: int, per_week: Fraction | None) -> int:
    """How many steps an increase has taken by week ``week`` of its level (1-based): k - 1
    for `every week`, floor((k - 1) x sessions per week) for `every session`."""
    return t.steps_taken(inc.every, week, per_week)


sessions_in_week = t.sessions_in_week


def _step_and_cap(inc: n.Increase) -> tuple[Fraction, Fraction] | None:
    by, cap = _in_unit(inc.by, inc.what), _in_unit(inc.up_to, inc.what)
    if by is None or cap is None or by <= 0:
        return None
    return by, cap


def _start(eff: d.Effective, values: d.Values, inc: n.Increase) -> Exact | None:
    """The value an increase ramps, at the level's start."""
    if inc.what == "load":
        loads = n.every(eff.level.body, n.Load)
        return exact_kg(loads[0].amount) if len(loads) == 1 else None
    if inc.what in ("reps", "sets") and eff.reps_list is not None:
        return None  # a reps list fixes both the reps and the sets (P309, P312)
    if inc.what == "reps" and eff.reps_max is not None:
        return None  # `reps max` has no number to raise (P309)
    return getattr(values, inc.what, None)


def ramp_length(eff: d.Effective, values: d.Values, pw: t.PerWeek | None,
                remaining: int | None) -> tuple[int, n.Span]:
    """How many weeks a level's ramp runs (8.1): until every increase has reached its cap, or
    for the protocol's ``remaining`` weeks, whichever is shorter; and the span to blame for an
    overlong one. An `every session` increase without sessions a week stays at its start."""
    length, span = 1, eff.level.span
    for inc in t.increases(eff.level):
        step_cap, start = _step_and_cap(inc), _start(eff, values, inc)
        if step_cap is None or start is None:
            continue
        by, cap = step_cap
        steps = max(0, math.ceil((cap - start[0]) / by))
        rate = None if pw is None else pw.low
        week = t.week_reaching(inc.every, steps, rate)
        if week is not None and week > length:
            length, span = week, inc.span
    if remaining is not None:
        length = min(length, max(remaining, 1))
    return length, span


def at_week(eff: d.Effective, values: d.Values, week: int, pw: t.PerWeek | None
            ) -> tuple[d.Values, tuple[Exact | None, ...]]:
    """A level's values and load ranges in week ``week`` of the level, every increase applied
    (the lower end at the lower sessions a week, the upper end at the upper; never above the
    cap)."""
    loads = n.every(eff.level.body, n.Load)
    load_kg: list[Exact | None] = [exact_kg(st.amount) for st in loads]
    changes: dict[str, Exact] = {}
    for inc in t.increases(eff.level):
        step_cap = _step_and_cap(inc)
        if step_cap is None:
            continue
        by, cap = step_cap
        low_rate = None if pw is None else pw.low
        high_rate = None if pw is None else pw.high
        steps = (t.steps_taken(inc.every, week, low_rate),
                 t.steps_taken(inc.every, week, high_rate))
        if inc.what == "load":
            if len(loads) == 1 and load_kg[0] is not None:
                load_kg[0] = _raised(load_kg[0], by, cap, steps)
            continue
        current = _start(eff, values, inc)
        if current is not None:
            changes[inc.what] = _raised(current, by, cap, steps)
    return record.evolve(values, **changes), tuple(load_kg)  # type: ignore[arg-type]


def ramp_weeks(eff: d.Effective, values: d.Values, length: int, pw: t.PerWeek | None
               ) -> tuple[tuple[d.Values, tuple[Exact | None, ...]], ...]:
    """``at_week`` for weeks 1 to ``length`` of a level, with what does not change from week
    to week worked out once (the increases' steps and caps, the loads, the starts). A week
    whose values and loads are those of the week before shares its objects."""
    loads = n.every(eff.level.body, n.Load)
    kg0: list[Exact | None] = [exact_kg(st.amount) for st in loads]
    low_rate = None if pw is None else pw.low
    high_rate = None if pw is None else pw.high
    # (what, every, by, cap, start): a load's start is the running load of the week.
    ramps: list[tuple[str, str, Fraction, Fraction, Exact | None]] = []
    for inc in t.increases(eff.level):
        step_cap = _step_and_cap(inc)
        if step_cap is None:
            continue
        if inc.what == "load":
            if len(loads) == 1 and kg0[0] is not None:
                ramps.append(("load", inc.every, *step_cap, None))
            continue
        start = _start(eff, values, inc)
        if start is not None:
            ramps.append((inc.what, inc.every, *step_cap, start))
    kg_start = tuple(kg0)
    if not ramps:
        return ((values, kg_start),) * length
    out: list[tuple[d.Values, tuple[Exact | None, ...]]] = []
    fields = dict(zip(_VALUES_FIELDS, _values_key(values)))  # a week's values: these, changed
    last_changes: dict[str, Exact] | None = None
    last_kg: tuple[Exact | None, ...] | None = None
    for week in range(1, length + 1):
        load = kg0[0] if kg0 else None
        changes: dict[str, Exact] = {}
        for what, every, by, cap, start in ramps:
            steps = (t.steps_taken(every, week, low_rate), t.steps_taken(every, week, high_rate))
            if what == "load":
                load = _raised(load, by, cap, steps)  # type: ignore[arg-type]
            else:
                changes[what] = _raised(start, by, cap, steps)  # type: ignore[arg-type]
        kg = kg_start if load is (kg0[0] if kg0 else None) else (load, *kg_start[1:])
        if changes == last_changes and kg == last_kg:
            out.append(out[-1])
            continue
        out.append((d.Values(**{**fields, **changes}) if changes else values, kg))
        last_changes, last_kg = changes, kg
    return tuple(out)


def _raised(start: Exact, by: Fraction, cap: Fraction, steps: tuple[int, int]) -> Exact:
    low = start[0] if start[0] >= cap else min(start[0] + steps[0] * by, cap)
    high = start[1] if start[1] >= cap else min(start[1] + steps[1] * by, cap)
    return (low, max(low, high))
