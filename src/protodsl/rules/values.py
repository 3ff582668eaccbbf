"""Values and units: P300-P309.

Each amount is judged once, in this order: its unit (P300 unknown, P301 wrong kind; for the
step and cap of an `increase`, P309), then its numbers (P303 zero or negative, else P302
backwards range), then, only when nothing else is wrong with it, its size (P304). The rules
that combine amounts (P305-P309) skip any amount that already has a diagnostic, so one fault
gives one diagnostic.
"""

from __future__ import annotations

import math
from fractions import Fraction
from collections.abc import Iterator
from typing import TYPE_CHECKING


from protodsl import nodes as n
from protodsl import record
from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.dosage import (
    Effective,
    tempo_sum,
    count,
    effective_levels,
    kilograms,
    metres,
    number,
    seconds,
)
from protodsl.rules.names import of_type, statements
from protodsl.rules.registry import register
from protodsl.timing import frequency, per_week, per_week_text
from protodsl.vocabulary import (
    ANGLE_UNITS,
    DISTANCE_UNITS,
    DURATION_UNITS,
    LOAD_UNITS,
    RELATIVE_LOAD_UNITS,
    STARTING_SIDES,
    closest,
)

if TYPE_CHECKING:
    from protodsl.context import Context

DURATION = "duration"
LOAD = "load"
COUNT = "count"
DISTANCE = "distance"
RELATIVE = "relative load"  # `rm` and `%1rm` (8.4): a load whose kilograms are set per patient
ANGLE = "angle"  # degrees: a unit of measures only (8.2)

KIND_OF_INCREASE = {"hold": DURATION, "duration": DURATION, "reps": COUNT, "sets": COUNT,
                    "load": LOAD, "distance": DISTANCE}
_NOUN = {DURATION: "a duration", LOAD: "a weight", COUNT: "a count", DISTANCE: "a distance",
         RELATIVE: "a load set per patient", ANGLE: "an angle"}
# Every unit of the language and the quantity it measures. A `load` takes a weight or a
# relative load; every other amount takes exactly its own quantity.
UNIT_KINDS = {
    **{u: DURATION for u in DURATION_UNITS}, **{u: LOAD for u in LOAD_UNITS},
    **{u: DISTANCE for u in DISTANCE_UNITS}, **{u: RELATIVE for u in RELATIVE_LOAD_UNITS},
    **{u: ANGLE for u in ANGLE_UNITS},
}
_EXAMPLE_UNITS = {DURATION: ("s", "min"), LOAD: ("kg", "lb"), DISTANCE: ("m", "km")}

# P304: the largest plausible amount of each statement, in seconds, kilograms, metres or a
# count. A distance per set beyond a marathon (42.195 km) is a slip of the unit in a
# rehabilitation protocol; a one-rep tempo is judged like a hold.
PLAUSIBLE = {"hold": 300, "duration": 3600, "reps": 100, "sets": 20, "breaths": 50,
             "rest": 600, "load": 50, "distance": 42195, "tempo": 300}
PLAUSIBLE_TEXT = {"hold": "5 min", "duration": "60 min", "reps": "100", "sets": "20",
                  "breaths": "50", "rest": "10 min", "load": "50 kg",
                  "distance": "42.2 km (a marathon)", "tempo": "5 min a rep"}
MAX_PERCENT_1RM = 100  # `%1rm` over 100 is P304 (8.4)
MAX_RM = 100  # a weight lifted more than 100 times is judged like reps over 100
MAX_LOAD_WITH_EQUIPMENT = 200  # kg, a load that names its equipment (8.9)
MAX_SESSIONS_PER_WEEK = 84  # 12 a day (8.9)
MIN_SESSIONS_PER_WEEK = Fraction(1, 4)  # one session in 4 weeks (every 28 days)
MAX_WEEKS = 104
# Amounts above this (or too large for a float) are only ever judged implausible (P304): the
# rules that compute with amounts leave them alone, so no product overflows.
LARGEST = 1e15


# --- the amounts of a statement -----------------------------------------------------------


@record.frozen
class Amount:
    """One amount of a statement, the kind of quantity it must be, and how to name it."""

    quantity: n.Quantity
    kind: str
    label: str
    increase: n.Increase | None = None
    key: str | None = None  # the statement it is judged as by P304, when not ``label``
    item: bool = False  # one set of a reps list (`reps 12, 10, 8`)


def amounts(st: n.Statement) -> list[Amount]:
    """The amounts of a statement (none for statements without one)."""
    if isinstance(st, (n.Hold, n.Duration)):
        return [Amount(st.amount, DURATION, st.keyword)]
    if isinstance(st, n.Rest):
        return [Amount(st.amount, DURATION, "rest")]
    if isinstance(st, (n.Reps, n.Sets, n.Breaths, n.Total)):
        return [Amount(st.amount, COUNT, st.keyword)]
    if isinstance(st, n.Load):
        return [Amount(st.amount, LOAD, "load")]
    if isinstance(st, n.Distance):
        return [Amount(st.amount, DISTANCE, "distance")]
    if isinstance(st, n.RepsList):
        return [Amount(_count_quantity(item, span), COUNT, "reps", item=True)
                for item, span in zip(st.items, st.item_spans) if item != "max"]
    if isinstance(st, n.RepsMax):
        if st.up_to is None:
            return []
        return [Amount(_count_quantity(st.up_to, st.up_to_span or st.span), COUNT,
                       "reps max up to", key="reps")]
    if isinstance(st, n.SessionLimit):
        return [Amount(st.amount, DURATION, "session limit")]
    if isinstance(st, n.Increase) and st.what in KIND_OF_INCREASE:
        kind = KIND_OF_INCREASE[st.what]
        return [Amount(st.by, kind, f"the step of `increase {st.what}`", st),
                Amount(st.up_to, kind, f"the cap of `increase {st.what}`", st)]
    return []


def _count_quantity(value: int | str, span: n.Span) -> n.Quantity:
    """A count written without a Quantity of its own (a reps list's set, `up to N`)."""
    number_ = value if isinstance(value, int) else 0
    return n.Quantity(number_, number_, None, str(value), span)


def all_amounts(protocol: n.Protocol) -> Iterator[Amount]:
    """Every amount in the protocol, in file order."""
    for st, _, _ in statements(protocol):
        yield from amounts(st)


def _amounts_of(ctx: Context) -> list[Amount]:
    """``all_amounts`` of the protocol under check, made once per check and shared by the
    rules."""
    return ctx.shared("amounts", lambda: list(all_amounts(ctx.protocol)))


def _whole(x: int | float) -> bool:
    return isinstance(x, int) or (math.isfinite(x) and x.is_integer())


def sane(x: int | float) -> bool:
    """Whether ``x`` is a number the rules can compute with (finite, at most LARGEST)."""
    try:
        return abs(float(x)) <= LARGEST
    except OverflowError:
        return False


def as_written(q: n.Quantity) -> str:
    """The amount of ``q`` as written, without its unit."""
    if q.unit is None:
        return q.text
    return q.text[: len(q.text) - len(q.unit)].rstrip()


def unit_fault(q: n.Quantity, kind: str) -> str | None:
    """The code of what is wrong with the unit of ``q`` for ``kind``: P300, P301 or None.

    A count takes no unit at all: any word after it, a unit or not, is the wrong kind (P301),
    as is a fraction. A duration, load or distance needs a unit of its kind; a load may also be
    relative (`rm`, `%1rm`), and a repetition maximum counts reps, so it is whole.
    """
    if kind == COUNT:
        if q.unit is not None or not (_whole(q.low) and _whole(q.high)):
            return "P301"
        return None
    if q.unit is None:
        return "P301"
    if q.unit not in UNIT_KINDS:
        return "P300"
    found = UNIT_KINDS[q.unit]
    if kind == LOAD and found == RELATIVE:
        return None if q.unit != "rm" or (_whole(q.low) and _whole(q.high)) else "P301"
    return None if found == kind else "P301"


def relative(q: n.Quantity | None) -> bool:
    """Whether ``q`` is a load set per patient (`rm`, `%1rm`; 8.4)."""
    return q is not None and q.unit in RELATIVE_LOAD_UNITS


def number_fault(q: n.Quantity) -> str | None:
    """P303 for a zero or negative end, P302 for a range that runs backwards, else None."""
    if q.low <= 0 or q.high <= 0:
        return "P303"
    if q.low > q.high:
        return "P302"
    return None


def sound(q: n.Quantity | None, kind: str) -> bool:
    """Whether ``q`` is present, nothing is wrong with its unit or numbers, and it is sane."""
    return (q is not None and unit_fault(q, kind) is None and number_fault(q) is None
            and sane(q.low) and sane(q.high))


def value(q: n.Quantity, kind: str) -> tuple[float, float] | None:
    """``q`` in seconds, kilograms or as a count."""
    if kind == DURATION:
        return seconds(q)
    if kind == LOAD:
        return kilograms(q)
    if kind == DISTANCE:
        return metres(q)
    return count(q)


def show(pair: tuple[float, float]) -> str:
    """A range as a reader writes it: `8-15`, or `8` when both ends are equal."""
    low, high = number(pair[0]), number(pair[1])
    return str(low) if low == high else f"{low}-{high}"


def _units_of(kind: str) -> list[str]:
    if kind == LOAD:
        return sorted([*LOAD_UNITS, *RELATIVE_LOAD_UNITS])
    return sorted(u for u, k in UNIT_KINDS.items() if k == kind)


def _effective(exercise: n.Exercise) -> list[tuple[n.Level, Effective]]:
    """The levels of an exercise that have an effective dosage (first of duplicates)."""
    return [(eff.level, eff) for _, eff in sorted(effective_levels(exercise).items())]


def _levels(protocol: n.Protocol) -> Iterator[tuple[n.Exercise, n.Level, Effective]]:
    for ex in protocol.exercises:
        for lv, eff in _effective(ex):
            yield ex, lv, eff


def _where(ex: n.Exercise, lv: n.Level) -> str:
    return f"exercise `{ex.name}`" if lv.implicit else f"level {lv.number} of `{ex.name}`"


# --- P300 ---------------------------------------------------------------------------------


@register(
    "P300", "unknown unit",
    per_exercise=True,
    explanation="""
A duration, a load or a distance has a unit the language does not know. Durations take `s sec
secs second seconds min mins minute minutes`; loads take `kg kgs kilogram kilograms lb lbs pound
pounds`, or are set per patient: `rm` (a repetition maximum, `8-10 rm`) and `%1rm` (a percentage
of the one-repetition maximum, also written `% 1rm`); distances take `cm m km ft yd mi`. The
help names the closest unit of the kind the statement needs. (Counts take no unit at all: a word
after a count is P301; so does `rpe`, where a unit is P310.)
""",
    bad='protocol demo\n  schedule 3 times weekly\n  exercise plank\n    hold 30 secnds\n',
    good='protocol demo\n  schedule 3 times weekly\n  exercise plank\n    hold 30 seconds\n',
)
def check_unknown_units(ctx: Context) -> Iterator[Diagnostic]:
    """P300: a duration or load whose unit is not a unit of the language, at the unit."""
    for a in _amounts_of(ctx):
        q = a.quantity
        if a.kind == COUNT or q.unit is None or q.unit in UNIT_KINDS:
            continue
        guess = closest(q.unit, _units_of(a.kind)) or closest(q.unit, sorted(UNIT_KINDS))
        if guess is not None:
            help = f"did you mean `{guess}`?"
        else:
            help = "use one of " + ", ".join(f"`{u}`" for u in _units_of(a.kind))
        yield diagnostic("P300", f"unknown unit `{q.unit}`", q.unit_span or q.span, help)


# --- P301 ---------------------------------------------------------------------------------


@register(
    "P301", "wrong kind of quantity",
    per_exercise=True,
    explanation="""
Each amount must be the kind of quantity its statement needs: `hold`, `duration`, `rest` and
`session limit` take a duration (`30 s`, `2 min`), `load` takes a weight (`5 kg`, `10 lb`) or a
load set per patient (`8-10 rm`, `70 %1rm`; the repetitions of an `rm` are whole), `distance`
takes a distance (`400 m`, `1.5 km`, `1 mi`), and `reps`, `sets`, `breaths` and `total` take a
plain whole number without a unit. A bare number where a duration, a load or a distance is
needed is ambiguous and reported too. (For the step and cap of an `increase`, the same mistakes
are P309.)
""",
    bad='protocol demo\n  schedule 3 times weekly\n  exercise plank\n    hold 30 kg\n',
    good='protocol demo\n  schedule 3 times weekly\n  exercise plank\n    hold 30 s\n',
)
def check_kinds(ctx: Context) -> Iterator[Diagnostic]:
    """P301: an amount of the wrong kind of quantity (increases are P309)."""
    for a in _amounts_of(ctx):
        if a.increase is not None or unit_fault(a.quantity, a.kind) != "P301":
            continue
        yield _kind_diagnostic("P301", a)


def _kind_diagnostic(code: str, a: Amount) -> Diagnostic:
    q = a.quantity
    name = f"`{a.label}`" if a.increase is None else a.label
    if a.kind == COUNT:
        if q.unit is None:
            return diagnostic(
                code, f"{name} is a count: it must be a whole number, not `{q.text}`", q.span,
                "counts are whole numbers, such as `10`")
        kind = UNIT_KINDS.get(q.unit)
        found = f"{_NOUN[kind]} (`{q.unit}`)" if kind else f"`{q.unit}`"
        amount = as_written(q)
        return diagnostic(
            code, f"{name} is a count and takes no unit, but has {found}",
            q.unit_span or q.span, f"write the number alone: `{amount}`")
    examples = _EXAMPLE_UNITS[a.kind]
    units = " or ".join(f"`{u}`" for u in examples)
    if q.unit is None:
        default = "min" if a.label == "session limit" else examples[0]
        return diagnostic(
            code, f"{name} needs {_NOUN[a.kind]}, but `{q.text}` has no unit", q.span,
            f"add a unit: `{q.text} {default}`")
    found_kind = UNIT_KINDS[q.unit]
    if found_kind == RELATIVE and a.kind == LOAD and a.increase is None:
        return diagnostic(
            code, f"`{a.label} {q.text}` counts repetitions: an `rm` is a whole number",
            q.span, "an `rm` counts whole repetitions, such as `8 rm` or `8-10 rm`")
    return diagnostic(
        code, f"{name} needs {_NOUN[a.kind]}, not {_NOUN[found_kind]} (`{q.unit}`)",
        q.unit_span or q.span, f"use a unit of {_NOUN[a.kind][2:]}: {units}")


def _backwards_counts(protocol: n.Protocol) -> Iterator[Diagnostic]:
    """P302 for the count of a rate (`every 3-2 days`) and a window (`during weeks 5-3`)."""
    found: list[tuple[tuple[int, int], int | float, int | float, n.Span]] = []
    for st in _rates(protocol):
        rate = st.rate
        if (rate.low is not None and rate.high is not None and rate.low > rate.high
                and rate.count_span is not None):
            found.append(((rate.count_span.line, rate.count_span.column), rate.low, rate.high,
                          rate.count_span))
    for block in _blocks(protocol):
        for w in n.every(block.body, n.Window):
            if w.last is not None and w.first > w.last:
                found.append(((w.weeks_span.line, w.weeks_span.column), w.first, w.last,
                              w.weeks_span))
    for _, low, high, span in sorted(found, key=lambda x: x[0]):
        yield diagnostic(
            "P302", f"the range `{number(low)}-{number(high)}` runs backwards: {number(low)} "
            f"is above {number(high)}", span,
            f"write the lower end first: `{number(high)}-{number(low)}`")


def _blocks(protocol: n.Protocol) -> Iterator[n.Exercise | n.Level]:
    for ex in protocol.exercises:
        yield ex
        yield from ex.levels


# --- P302, P303 ---------------------------------------------------------------------------


@register(
    "P302", "range runs backwards",
    per_exercise=True,
    explanation="""
A range `A-B` (or `A to B`) goes from its lower end to its upper end. A range whose first number
is above its second is a typing slip; `A-A` is simply the value A.
""",
    bad='protocol demo\n  schedule 3 times weekly\n  exercise squat\n    reps 15-8\n',
    good='protocol demo\n  schedule 3 times weekly\n  exercise squat\n    reps 8-15\n',
)
def check_backwards(ctx: Context) -> Iterator[Diagnostic]:
    """P302: a range whose lower end is above its upper end, at the range (amounts, the
    counts of a `schedule` or `frequency`, and `during weeks A-B`)."""
    yield from _backwards_counts(ctx.protocol)
    for a in _amounts_of(ctx):
        q = a.quantity
        if number_fault(q) == "P302":
            yield _backwards(q)
    for st in of_type(ctx, n.Rpe):
        found = rpe_fault(st)
        if found is not None and found.code == "P302":
            yield found


def _backwards(q: n.Quantity) -> Diagnostic:
    """P302 for an amount whose range runs backwards."""
    unit = f" {q.unit}" if q.unit else ""
    if not (sane(q.low) and sane(q.high)):
        return diagnostic("P302", f"the range `{q.text}` runs backwards", q.span,
                          "write the lower end first")
    return diagnostic(
        "P302", f"the range `{q.text}` runs backwards: {number(q.low)} is above "
        f"{number(q.high)}", q.span,
        f"write the lower end first: `{number(q.high)}-{number(q.low)}{unit}`")


# --- rpe (P302, P310) ---------------------------------------------------------------------

RPE_TOP = 10  # the Borg CR10 scale runs 0-10 (8.4)


def rpe_fault(st: n.Rpe) -> Diagnostic | None:
    """What is wrong with an `rpe`, judged once in this order: a unit (P310: the score takes
    none), a range that runs backwards (P302), a value outside 0-10 (P310; 0 is allowed)."""
    q = st.amount
    if q.unit is not None:
        return diagnostic(
            "P310", f"`rpe` is a score on the 0-10 scale and takes no unit, but has "
            f"`{q.unit}`", q.unit_span or q.span, f"write the number alone: `rpe {as_written(q)}`")
    if q.low > q.high:
        return _backwards(q)
    if q.low >= 0 and q.high <= RPE_TOP:
        return None
    if q.low != q.high and 0 <= q.low <= RPE_TOP:
        message = f"`rpe {q.text}` reaches past {RPE_TOP}, the top of the 0-10 scale"
    else:
        message = f"`rpe {q.text}` is outside the 0-10 scale"
    return diagnostic("P310", message, st.span,
                      "give an effort from 0 to 10 on the Borg CR10 scale, such as `rpe 7`")


@register(
    "P303", "zero or negative amount",
    per_exercise=True,
    explanation="""
Every amount (hold, duration, reps, each set of a reps list, `reps max up to`, sets, breaths,
rest, total, load, distance, session limit, and the step and cap of an increase) must be more
than zero; for a range, both ends. A `tempo` may have phases of 0 s, but not all of them: one
rep would take no time. To leave something out, remove its statement. (A zero in a `schedule` is
P501; `rpe 0` is allowed.)
""",
    bad='protocol demo\n  schedule 3 times weekly\n  exercise squat\n    reps 10\n'
        '    rest 0 s between sets\n    sets 3\n',
    good='protocol demo\n  schedule 3 times weekly\n  exercise squat\n    reps 10\n'
         '    rest 30 s between sets\n    sets 3\n',
)
def check_positive(ctx: Context) -> Iterator[Diagnostic]:
    """P303: an amount with a zero or negative end, at the amount."""
    for a in _amounts_of(ctx):
        q = a.quantity
        if number_fault(q) != "P303":
            continue
        name = f"`{a.label}`" if a.increase is None else a.label
        if a.label == "rest":
            help = "for no rest, remove the `rest` statement"
        elif a.item:
            help = "give every set of the list at least one rep"
        elif a.key == "reps":
            help = f"give a number above zero, or remove `up to {q.text}`"
        elif a.increase is None:
            help = f"give an amount above zero, or remove the `{a.label}` statement"
        else:
            help = "give an amount above zero"
        yield diagnostic("P303", f"{name} must be more than zero, not `{q.text}`",
                         q.span, help)
    for st in _tempos(ctx):
        if all(p == 0 for p in st.phases):
            yield diagnostic(
                "P303", f"`tempo {tempo_text(st)}` takes no time: every phase is 0 s",
                _phases_span(st), "give the phases their seconds, such as `tempo 3-0-1`, or "
                "remove `tempo`")


def _tempos(ctx: Context) -> Iterator[n.Tempo]:
    for st in of_type(ctx, n.Tempo):
        if st.phases:
            yield st


def tempo_text(st: n.Tempo) -> str:
    """A tempo's phases as written, `3-0-x-1`."""
    return "-".join(str(p) for p in st.phases)


def _phases_span(st: n.Tempo) -> n.Span:
    if not st.phase_spans:
        return st.span
    return st.phase_spans[0].to(st.phase_spans[-1])


# --- P304 ---------------------------------------------------------------------------------


@register(
    "P304", "implausible amount",
    per_exercise=True,
    explanation="""
An amount far beyond what a home or clinic exercise protocol uses is probably a slip of the
unit or a digit: a hold over 5 min, a duration over 60 min, more than 100 reps (in any set of a
reps list, or `reps max up to`), 20 sets or 50 breaths, a rest over 10 min, a load over 200 kg
on a load that names its equipment (a barbell, a machine) or over 50 kg on one that does not, a
load over 100 %1rm (more than the one-repetition maximum) or over 100 rm, a distance per set
over 42.2 km (a marathon), a `tempo` whose rep lasts over 5 min, more than 84 sessions a week
(12 a day) in a `schedule` or a `frequency`, judged at the upper end of a range, or fewer
than one session in 4 weeks (`every 30 days`), judged at the lower end (`as needed` never),
or more than 104 weeks. A load set per patient (`rm`, `%1rm`) is never judged in
kilograms. The cap of an `increase` is judged like the amount it increases. When the amount is
intended, `allow P304 "reason"` silences the warning.
""",
    bad='protocol demo\n  schedule 3 times weekly\n  exercise plank\n    hold 30 min\n',
    good='protocol demo\n  schedule 3 times weekly\n  exercise plank\n    hold 30 s\n',
)
def check_plausible(ctx: Context) -> Iterator[Diagnostic]:
    """P304: amounts above the plausible maximum (upper ends), and implausible rates."""
    loads = _LoadIndex(ctx.protocol)
    for a in _amounts_of(ctx):
        found = _implausible(loads, a)
        if found is not None:
            yield found
    for st in _rates(ctx.protocol):
        yield from _implausible_rate(st)
    for st in _tempos(ctx):
        if tempo_sum(st) > PLAUSIBLE["tempo"]:
            yield diagnostic(
                "P304", f"`tempo {tempo_text(st)}` is implausible: one rep lasts "
                f"{tempo_sum(st)} s, over {PLAUSIBLE_TEXT['tempo']}", _phases_span(st),
                P304_HELP)
    for st in n.every(ctx.protocol.body, n.Schedule):
        if st.weeks is not None and st.weeks > MAX_WEEKS and st.weeks_span is not None:
            yield diagnostic(
                "P304", f"{number(st.weeks)} weeks is implausible: over {MAX_WEEKS}",
                st.weeks_span, P304_HELP)


P304_HELP = 'check the number and its unit; if it is intended, add `allow P304 "reason"`'


def _load_limit(st: n.Load | None) -> tuple[float, str]:
    """The plausible maximum of a load in kilograms: higher when it names its equipment."""
    if st is not None and st.equipment is not None:
        return MAX_LOAD_WITH_EQUIPMENT, f"{MAX_LOAD_WITH_EQUIPMENT} kg on named equipment"
    return PLAUSIBLE["load"], PLAUSIBLE_TEXT["load"]


def _implausible(loads: _LoadIndex, a: Amount) -> Diagnostic | None:
    q = a.quantity
    what = a.increase.what if a.increase is not None else (a.key or a.label)
    if what not in PLAUSIBLE or (a.increase is not None and q is a.increase.by):
        return None
    if unit_fault(q, a.kind) is not None or number_fault(q) is not None:
        return None
    if relative(q):
        return None if a.increase is not None else _implausible_relative(q)
    limit, limit_text = PLAUSIBLE[what], PLAUSIBLE_TEXT[what]
    if what == "load":
        load = loads.load_of(a)
        if load is not None and relative(load.amount):
            return None  # an `increase load` that cannot ramp a relative load (P309)
        limit, limit_text = _load_limit(load)
    if sane(q.high):
        v = value(q, a.kind)
        if v is None or v[1] <= limit:
            return None
    if a.increase is not None:
        message = f"the cap `{q.text}` of `increase {what}` is implausible: over {limit_text}"
    elif a.kind == COUNT:
        message = f"`{a.label} {q.text}` is implausible: over {limit_text}"
    elif a.kind == DISTANCE:
        message = f"a distance of `{q.text}` per set is implausible: over {limit_text}"
    else:
        message = f"a {a.label} of `{q.text}` is implausible: over {limit_text}"
    return diagnostic("P304", message, q.span, P304_HELP)


def _implausible_relative(q: n.Quantity) -> Diagnostic | None:
    """P304 for a load set per patient: over 100 %1rm, or over 100 rm (never in kilograms)."""
    if q.unit == "%1rm":
        limit, limit_text = MAX_PERCENT_1RM, "100 %1rm, the one-repetition maximum itself"
    else:
        limit, limit_text = MAX_RM, f"{MAX_RM} rm"
    if sane(q.high) and q.high <= limit:
        return None
    return diagnostic("P304", f"a load of `{q.text}` is implausible: over {limit_text}",
                      q.span, P304_HELP)


class _LoadIndex:
    """Which `load` statement each amount belongs to, found in one pass over the protocol."""

    def __init__(self, protocol: n.Protocol) -> None:
        # Keyed by identity: the statements stay alive with ``protocol`` while this is used.
        self._by_amount: dict[int, n.Load] = {}
        self._by_increase: dict[int, n.Load | None] = {}
        for ex in protocol.exercises:
            for lv in ex.levels:
                loads = n.every(lv.body, n.Load)
                for st in loads:
                    self._by_amount.setdefault(id(st.amount), st)
                single = loads[0] if len(loads) == 1 else None
                for st in lv.body:
                    self._by_increase.setdefault(id(st), single)

    def load_of(self, a: Amount) -> n.Load | None:
        """The `load` statement an amount belongs to: the load itself, or the single load that
        an `increase load` ramps (None when there is not exactly one)."""
        found = self._by_amount.get(id(a.quantity))
        if found is not None or a.increase is None:
            return found
        return self._by_increase.get(id(a.increase))


def _rates(protocol: n.Protocol) -> Iterator[n.Schedule | n.Frequency]:
    """Every `schedule` and `frequency` statement, in file order."""
    yield from n.every(protocol.body, n.Schedule)
    for ex in protocol.exercises:
        yield from n.every(ex.body, n.Frequency)
        for lv in ex.levels:
            yield from n.every(lv.body, n.Frequency)


def _implausible_rate(st: n.Schedule | n.Frequency) -> Iterator[Diagnostic]:
    """P304 for more than 84 sessions a week, judged at the upper end, or fewer than one
    session in 4 weeks, judged at the lower end (`as needed` never)."""
    rate = st.rate
    if rate.form not in ("times", "every") or rate.low is None or rate.high is None:
        return
    pw = per_week(rate)
    if pw is not None and 0 < pw.low < MIN_SESSIONS_PER_WEEK:
        days = rate.high if rate.form == "every" else None
        shown = f"a session every {_days_text(days)} days" if days is not None else (
            f"{per_week_text(pw.low)} sessions a week")
        yield diagnostic(
            "P304", f"{shown} is implausible: less than one session in 4 weeks",
            rate.count_span or rate.span, P304_HELP)
        return
    if pw is None or pw.high is None or pw.high <= MAX_SESSIONS_PER_WEEK:
        return
    shown = per_week_text(pw.high)
    yield diagnostic(
        "P304", f"{shown} sessions a week is implausible: over {MAX_SESSIONS_PER_WEEK} "
        "(12 a day)", rate.count_span or rate.span, P304_HELP)


def _days_text(days: object) -> str:
    """A count of days as written; a whole number is never turned into a float (which
    overflows past 10^308)."""
    return str(days) if isinstance(days, int) else number(float(days))  # type: ignore[arg-type]


def sessions_per_week(st: n.Schedule | n.Frequency) -> float | None:
    """Sessions a week of a schedule or frequency at the upper end of its range (None when a
    count is zero or missing, or for `as needed`)."""
    pw = per_week(st.rate)
    if pw is None or pw.high is None:
        return None
    return number(float(pw.high))


# --- P305 ---------------------------------------------------------------------------------


@register(
    "P305", "contradictory statements",
    per_exercise=True,
    explanation="""
Some statements cannot stand together. `starting left|right` (or `starting
affected|unaffected`, the patient's sides relative to the problem) picks the first side of
`sides each` or `sides alternating`; with `left`, `right`, `both`, `affected` or `unaffected`
there is no first side. `duration` is continuous work and `distance` is covered, not repeated,
so neither goes with `reps` (in any form: `reps 10`, `reps 12, 10, 8`, `reps max`) or `hold`,
also when one of them comes from the level that this one `extends`. (`duration` and `distance`
go together: the duration gives the time.) The later statement is reported.
""",
    bad='protocol demo\n  schedule 3 times weekly\n  exercise lunge\n    reps 10\n'
        '    sides left starting left\n',
    good='protocol demo\n  schedule 3 times weekly\n  exercise lunge\n    reps 10\n'
         '    sides each starting left\n',
)
def check_contradictions(ctx: Context) -> Iterator[Diagnostic]:
    """P305: `starting` without two sides; `duration` or `distance` with reps or `hold`."""
    for ex in ctx.protocol.exercises:
        effective = effective_levels(ex)
        for lv in ex.levels:
            yield from _starting(lv)
            eff = effective.get(lv.number)
            eff = eff if eff is not None and eff.level is lv else None
            yield from _work_conflict(lv, eff, n.Duration, "duration",
                                      "`duration` is continuous work")
            yield from _work_conflict(lv, eff, n.Distance, "distance",
                                      "`distance` is covered, not repeated")


TWO_SIDES = ("each", "alternating")


def _starting(lv: n.Level) -> Iterator[Diagnostic]:
    sides = n.first(lv.body, n.Sides)
    if sides is None or sides.starting is None or sides.starting_span is None:
        return
    if sides.starting not in STARTING_SIDES:
        yield diagnostic(
            "P305", f"`starting {sides.starting}` names no first side", sides.starting_span,
            "write `starting left`, `starting right`, `starting affected` or "
            "`starting unaffected`")
    elif sides.value not in TWO_SIDES:
        what = "works both sides together" if sides.value == "both" else "works one side"
        yield diagnostic(
            "P305", f"`starting {sides.starting}` contradicts `sides {sides.value}`, which "
            f"{what}", sides.starting_span,
            f"remove `starting {sides.starting}`, or use `sides each` or `sides alternating`")


REPS_FORMS = (n.Reps, n.RepsList, n.RepsMax)


def _own_work(lv: n.Level) -> list[n.Statement]:
    """A level's own reps (in any form) and hold: the work that is counted in reps."""
    reps = next((st for st in lv.body if isinstance(st, REPS_FORMS)), None)
    return [st for st in (reps, n.first(lv.body, n.Hold)) if st is not None]


def _work_conflict(lv: n.Level, eff: Effective | None, cls: type[n.Duration] | type[n.Distance],
                   word: str, why: str) -> Iterator[Diagnostic]:
    """P305: `duration` or `distance` with reps or a hold, own or inherited."""
    own = n.first(lv.body, cls)
    own_work = _own_work(lv)
    help = f"{why}; a level has either `{word}` or `reps`/`hold`"
    if own is not None and own_work:
        later = max([own, *own_work], key=lambda st: (st.span.line, st.span.column))
        words = " and ".join(f"`{st.keyword}`" for st in own_work)
        yield diagnostic("P305", f"`{word}` cannot be combined with {words}", later.span,
                         help)
        return
    if eff is None or lv.extends is None:
        return
    parent = f"level {lv.extends}"
    help += f"; do not extend {parent}, or give the level its own dosage"
    if own is not None:
        reps = eff.reps or eff.reps_list or eff.reps_max
        inherited = [st for st in (reps, eff.hold) if st is not None]
        if inherited:
            words = " and ".join(f"`{st.keyword}`" for st in inherited)
            yield diagnostic(
                "P305", f"`{word}` cannot be combined with {words} inherited from {parent}",
                own.span, help)
    elif own_work and getattr(eff, word) is not None:
        later = max(own_work, key=lambda st: (st.span.line, st.span.column))
        yield diagnostic(
            "P305", f"`{later.keyword}` cannot be combined with `{word}` inherited from "
            f"{parent}", later.span, help)


# --- P306 ---------------------------------------------------------------------------------


@register(
    "P306", "`total` disagrees with the dosage",
    per_exercise=True,
    explanation="""
`total` asserts the reps of a level: reps x side count x sets, where the side count is 2 for
`each` and `alternating` and 1 otherwise, sets default to 1 and reps to 1 when a `hold` is given.
Ranges multiply end to end (`reps 8-12`, `sets 2-3`, `sides each` give `total 32-72`). A reps
list gives every set's reps: `total` is then the list's sum x side count (`reps 12, 10, 8` with
`sides each` gives `total 60`). `reps max up to N` counts 1 to N reps a set; `reps max` without
`up to`, or a list with a `max` set, has no fixed count, so a `total` cannot hold. The values
are the level's effective ones, after `extends`.
""",
    bad='protocol demo\n  schedule 3 times weekly\n  exercise lunge\n    reps 10\n'
        '    sides each\n    total 10\n',
    good='protocol demo\n  schedule 3 times weekly\n  exercise lunge\n    reps 10\n'
         '    sides each\n    total 20\n',
)
def check_total(ctx: Context) -> Iterator[Diagnostic]:
    """P306: a level's `total` that is not reps x side count x sets (a reps list: its sum x
    side count)."""
    for ex, lv, eff in _levels(ctx.protocol):
        total = n.first(lv.body, n.Total)
        if total is None or not sound(total.amount, COUNT):
            continue
        sides = eff.side_count
        given = (total.amount.low, total.amount.high)
        if eff.reps_list is not None:
            items = eff.reps_list.items
            if not items or not all(isinstance(x, int) and 0 < x and sane(x) for x in items
                                    if x != "max"):
                continue  # the list's own diagnostics come first
            shown = ", ".join(str(x) for x in items)
            if "max" in items:
                yield _uncountable(total, f"`reps {shown}` has a `max` set")
                continue
            reps_sum = sum(int(x) for x in items)
            expected = (reps_sum * sides, reps_sum * sides)
            if expected != given:
                yield diagnostic(
                    "P306", f"`total {total.amount.text}` does not match the reps list's sum x "
                    f"sides = {reps_sum} x {sides} = {show(expected)}", total.amount.span,
                    f"write `total {show(expected)}`, or correct the reps or sides")
            continue
        if eff.reps_max is not None:
            up_to = eff.reps_max.up_to
            if up_to is None:
                yield _uncountable(total, "`reps max` has no upper end")
                continue
            if up_to <= 0 or not sane(up_to):
                continue  # P303, or far too large to count (P304)
            reps: tuple[float, float] = (1, up_to)
        elif eff.reps is not None:
            if not sound(eff.reps.amount, COUNT):
                continue
            reps = (eff.reps.amount.low, eff.reps.amount.high)
        elif eff.hold is not None:
            reps = (1, 1)
        else:
            yield diagnostic(
                "P306", f"`total {total.amount.text}` counts reps, but {_where(ex, lv)} has "
                "no reps", total.amount.span, "give the level `reps`, or remove `total`")
            continue
        if eff.sets is not None:
            if not sound(eff.sets.amount, COUNT):
                continue
            sets = (eff.sets.amount.low, eff.sets.amount.high)
        else:
            sets = (1, 1)
        expected = (reps[0] * sides * sets[0], reps[1] * sides * sets[1])
        if expected == given:
            continue
        yield diagnostic(
            "P306", f"`total {total.amount.text}` does not match reps x sides x sets = "
            f"{show(reps)} x {sides} x {show(sets)} = {show(expected)}", total.amount.span,
            f"write `total {show(expected)}`, or correct the reps, sides or sets")


def _uncountable(total: n.Total, why: str) -> Diagnostic:
    """P306: a `total` for reps that have no fixed count."""
    return diagnostic(
        "P306", f"`total {total.amount.text}` counts reps, but {why}: as many reps as "
        "possible have no fixed count", total.amount.span,
        "remove `total`, or give the reps a count")


# --- P307 ---------------------------------------------------------------------------------


@register(
    "P307", "rest that never happens",
    per_exercise=True,
    explanation="""
`rest ... between sets` needs more than one set: with `sets 1` (or no `sets`, which means 1)
there is no rest between sets, unless an `increase sets` adds sets. A reps list gives the sets
(`reps 12, 10` is 2 sets; `reps 12` written as a list of one is 1). `rest ... between sides`
needs two sides (`sides each`, `sides alternating`).
""",
    bad='protocol demo\n  schedule 3 times weekly\n  exercise squat\n    reps 10\n'
        '    rest 60 s between sets\n',
    good='protocol demo\n  schedule 3 times weekly\n  exercise squat\n    reps 10\n'
         '    sets 3\n    rest 60 s between sets\n',
)
def check_useless_rest(ctx: Context) -> Iterator[Diagnostic]:
    """P307: a level's own rest between sets with one set, or between sides with one side."""
    for ex, lv, eff in _levels(ctx.protocol):
        rest_sets = n.rest_of(lv.body, "sets")
        if rest_sets is not None:
            grows = any(inc.what == "sets" for inc in n.every(lv.body, n.Increase))
            if eff.reps_list is not None:
                most: float | None = len(eff.reps_list.items) or None
                grows = False  # the list's length is the sets (`increase sets` is P309)
            elif eff.sets is None:
                most = 1
            elif sound(eff.sets.amount, COUNT):
                most = eff.sets.amount.high
            else:
                most = None
            if most is not None and most <= 1 and not grows:
                yield diagnostic(
                    "P307", f"rest between sets, but {_where(ex, lv)} has only 1 set",
                    rest_sets.span, "remove the rest, or give more sets (`sets 3`)"
                    if eff.reps_list is None else
                    "remove the rest, or give the reps list more sets (`reps 12, 10`)")
        rest_sides = n.rest_of(lv.body, "sides")
        if rest_sides is not None and eff.side_count == 1:
            word = eff.side_word
            how = "both sides together" if word == "both" else f"only the {word} side"
            default = " (the default)" if eff.sides is None else ""
            yield diagnostic(
                "P307", f"rest between sides, but `sides {word}`{default} works {how}",
                rest_sides.span, "remove the rest, or use `sides each`")


# --- P308 ---------------------------------------------------------------------------------


@register(
    "P308", "level without dosage",
    per_exercise=True,
    explanation="""
Every level says how much to do: a `hold`, `duration`, `reps` (a count, a list of counts per set
such as `reps 12, 10, 8`, or `reps max`), `breaths` or `distance`, its own or from the level it
`extends`. It is reported at the level header (for a single-level exercise, at the
exercise header). A level whose `extends` names a missing level (P203) or a level that is not
lower (P408) is not reported again.
""",
    bad='protocol demo\n  schedule 3 times weekly\n  exercise squat\n    sets 3\n',
    good='protocol demo\n  schedule 3 times weekly\n  exercise squat\n    reps 10\n    sets 3\n',
)
def check_dosage(ctx: Context) -> Iterator[Diagnostic]:
    """P308: a level with no hold, duration, reps (any form), breaths or distance after
    `extends`."""
    for ex in ctx.protocol.exercises:
        effective = effective_levels(ex)
        for number_, eff in sorted(effective.items()):
            lv = eff.level
            if lv.extends is not None and not (lv.extends < number_ and lv.extends in effective):
                continue
            if eff.has_dosage:
                continue
            what = f"exercise `{ex.name}`" if lv.implicit else f"level {number_} of `{ex.name}`"
            help = "give it a `hold`, `duration`, `reps`, `breaths` or `distance`"
            if not lv.implicit and lv.extends is None and number_ > 1:
                help += f", or `extends level {number_ - 1}`"
            yield diagnostic("P308", f"{what} has no dosage", lv.span, help)


# --- P309 ---------------------------------------------------------------------------------


@register(
    "P309", "bad increase",
    per_exercise=True,
    explanation="""
`increase WHAT by STEP every week|session up to CAP` ramps one value of the level from its
starting value to the cap. The level must have that value (its own or from `extends`; reps
default to 1 with a `hold`, sets to 1), and `increase load` needs exactly one `load` in the
level. The starting value, the step and the cap are single values, not ranges; the step and cap
are the same kind of quantity as the value (a duration for `hold` and `duration`, a plain count
for `reps` and `sets`, a weight for `load`, a distance for `distance`); the cap is above the
start; and each value is increased at most once per level. An `every session` increase needs a
number of sessions: under a frequency (or schedule) of `as needed` it cannot ramp. Some values
cannot ramp at all: a load set per patient (`rm`, `%1rm`), whose kilograms are not known; the
reps of a reps list (`reps 12, 10, 8`) or of `reps max`; and the sets of a reps list, which are
the list's length.
""",
    bad='protocol demo\n  schedule 3 times weekly\n  exercise plank\n    hold 30 s\n'
        '    increase hold by 5 every week up to 60 s\n',
    good='protocol demo\n  schedule 3 times weekly\n  exercise plank\n    hold 30 s\n'
         '    increase hold by 5 s every week up to 60 s\n',
)
def check_increases(ctx: Context) -> Iterator[Diagnostic]:
    """P309: one diagnostic for each increase that cannot ramp as written."""
    for ex, lv, eff in _levels(ctx.protocol):
        seen: dict[str, int] = {}
        for inc in n.every(lv.body, n.Increase):
            if inc.what not in KIND_OF_INCREASE:
                continue
            if inc.what in seen:
                yield diagnostic(
                    "P309", f"`{inc.what}` is already increased on line {seen[inc.what]}",
                    inc.what_span, "keep one `increase` for each value of a level")
                continue
            seen[inc.what] = inc.span.line
            found = _increase_fault(ex, lv, eff, inc)
            if found is None and inc.every == "session":
                found = _session_without_sessions(ctx.protocol, ex, eff, inc)
            if found is not None:
                yield found


def _session_without_sessions(protocol: n.Protocol, ex: n.Exercise, eff: Effective,
                              inc: n.Increase) -> Diagnostic | None:
    """P309: an `every session` increase where the level is done `as needed` (8.1)."""
    freq = frequency(protocol, ex, eff)
    if freq.rate is None or freq.rate.form != "as_needed":
        return None
    if freq.own and freq.statement is not None:
        source = f"its `frequency` on line {freq.statement.span.line}"
    else:
        source = "the schedule"
    return diagnostic(
        "P309", f"`increase {inc.what} ... every session` cannot ramp: the level is done "
        f"`as needed` ({source}), which has no count of sessions", inc.every_span,
        "increase it `every week`, or give the level a `frequency` with a number of sessions")


def _cannot_ramp(eff: Effective, inc: n.Increase) -> Diagnostic | None:
    """P309: `increase reps` on a reps list or `reps max`, `increase sets` on a reps list."""
    if inc.what == "reps" and eff.reps_list is not None:
        return diagnostic(
            "P309", f"`increase reps` cannot ramp a reps list (`reps "
            f"{_list_text(eff.reps_list)}`, line {eff.reps_list.span.line})", inc.what_span,
            "give each set its reps in the list of a higher level, or ramp a single `reps N`")
    if inc.what == "reps" and eff.reps_max is not None:
        return diagnostic(
            "P309", f"`increase reps` cannot ramp `reps max` (line {eff.reps_max.span.line}): "
            "as many reps as possible has no count to raise", inc.what_span,
            "remove the increase, or ramp a single `reps N`")
    if inc.what == "sets" and eff.reps_list is not None:
        return diagnostic(
            "P309", f"`increase sets` cannot ramp the sets of a reps list (`reps "
            f"{_list_text(eff.reps_list)}`, line {eff.reps_list.span.line}): the list's length "
            "is the number of sets", inc.what_span,
            "add a set to the list in a higher level, or remove the increase")
    return None


def _list_text(st: n.RepsList) -> str:
    return ", ".join(str(x) for x in st.items)


def _start(lv: n.Level, eff: Effective, what: str) -> tuple[n.Quantity | None, str | None]:
    """The starting amount of an increase (None for a default of 1), or why there is none."""
    if what == "load":
        loads = n.every(lv.body, n.Load)
        if len(loads) == 1:
            return loads[0].amount, None
        return None, (f"the level has {len(loads)} loads" if loads
                      else "the level has no `load`")
    st = getattr(eff, what)
    if st is not None:
        return st.amount, None
    if what == "sets" or (what == "reps" and eff.hold is not None):
        return None, None
    return None, f"the level has no `{what}`"


def _increase_fault(ex: n.Exercise, lv: n.Level, eff: Effective, inc: n.Increase
                    ) -> Diagnostic | None:
    kind = KIND_OF_INCREASE[inc.what]
    fixed = _cannot_ramp(eff, inc)
    if fixed is not None:
        return fixed
    start, missing = _start(lv, eff, inc.what)
    if missing is not None:
        help = ("`increase load` needs exactly one `load` in the level" if inc.what == "load"
                else f"give the level a `{inc.what}` to start from, or remove the increase")
        return diagnostic("P309", f"nothing to increase: {missing}", inc.what_span, help)
    if inc.what == "load" and relative(start):
        assert start is not None
        return diagnostic(
            "P309", f"`increase load` cannot ramp `{start.text}`: its kilograms are set per "
            "patient", inc.what_span, "give the load in `kg` or `lb` to ramp it, or change "
            f"the `{start.unit}` in a higher level")
    for a in amounts(inc):
        q = a.quantity
        fault = unit_fault(q, kind)
        if fault == "P300" or number_fault(q) is not None:
            return None  # reported by P300, P302 or P303
        if not (sane(q.low) and sane(q.high)):
            return None  # far too large to ramp (and P304 for a cap)
        if fault == "P301" or (kind == LOAD and relative(q)):
            return _kind_diagnostic("P309", a)
    for q, part in ((inc.by, "step"), (inc.up_to, "cap")):
        if q.low != q.high:
            single = number(q.low if part == "step" else q.high)
            unit = f" {q.unit}" if q.unit else ""
            return diagnostic(
                "P309", f"the {part} of `increase {inc.what}` is a range: `{q.text}`", q.span,
                f"give a single {part}, such as `{single}{unit}`")
    if start is None:
        start_value: tuple[float, float] | None = (1, 1)
        start_text = "1 (the default)"
    else:
        if not sound(start, kind):
            return None  # the starting value has its own diagnostic
        start_value = value(start, kind)
        start_text = f"`{start.text}`"
        if start.low != start.high:
            return diagnostic(
                "P309", f"the starting {inc.what} {start_text} is a range: an increase needs "
                "a single starting value", inc.what_span,
                f"give the level a single `{inc.what}` to ramp from")
    cap = value(inc.up_to, kind)
    if start_value is None or cap is None:
        return None
    if cap[1] <= start_value[1]:
        return diagnostic(
            "P309", f"the cap `{inc.up_to.text}` is not above the starting {inc.what} "
            f"{start_text}", inc.up_to.span,
            f"the cap is where the increase stops: give one above {start_text}")
    return None
