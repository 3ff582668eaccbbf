"""Effective dosage: `extends` resolved, values normalized, time estimated (section 6).

Shared by the checker (P306, P308, P404, P502, ...) and the compiler, so that both read a
level's dosage the same way.
"""

from __future__ import annotations


from protodsl import nodes as n
from protodsl import record
from protodsl.vocabulary import DURATION_UNITS, LOAD_UNITS

Pair = tuple[float, float]

SECONDS_PER_REP = 3  # a rep without a hold, in estimates
SECONDS_PER_BREATH = 5


# --- values -------------------------------------------------------------------------------


def seconds(q: n.Quantity | None) -> Pair | None:
    """A duration in seconds, or None if ``q`` is absent or not a duration."""
    if q is None or q.unit not in DURATION_UNITS:
        return None
    f = DURATION_UNITS[q.unit]
    return (q.low * f, q.high * f)


def kilograms(q: n.Quantity | None) -> Pair | None:
    """A load in kilograms (3 decimals), or None if ``q`` is absent or not a load."""
    if q is None or q.unit not in LOAD_UNITS:
        return None
    f = LOAD_UNITS[q.unit]
    return (round(q.low * f, 3), round(q.high * f, 3))


def count(q: n.Quantity | None) -> Pair | None:
    """A plain count, or None if ``q`` is absent or carries a unit."""
    if q is None or q.unit is not None:
        return None
    return (q.low, q.high)


def number(x: float) -> int | float:
    """A number as written in output: whole numbers as ints, others to 3 decimals."""
    r = round(x, 3)
    if r == 0:
        return 0
    return int(r) if r == int(r) else r


def mul(a: Pair, b: Pair) -> Pair:
    """Multiply two ranges end to end (lower with lower)."""
    return (a[0] * b[0], a[1] * b[1])


def add(a: Pair, b: Pair) -> Pair:
    """Add two ranges end to end."""
    return (a[0] + b[0], a[1] + b[1])


# --- effective levels ---------------------------------------------------------------------


@record.frozen
class Effective:
    """A level's dosage after `extends`: the statement that supplies each value.

    Inherited statements keep their own spans (they point at the level they were written in).
    ``uses`` and ``stop_if`` are the level's own followed by its parent's effective ones.
    """

    level: n.Level
    hold: n.Hold | None = None
    duration: n.Duration | None = None
    reps: n.Reps | None = None
    sets: n.Sets | None = None
    breaths: n.Breaths | None = None
    rest_sets: n.Rest | None = None
    rest_sides: n.Rest | None = None
    sides: n.Sides | None = None
    intensity: n.Intensity | None = None
    frequency: n.Frequency | None = None
    uses: tuple[n.NameRef, ...] = ()
    stop_if: tuple[n.StopIf, ...] = ()

    @property
    def has_dosage(self) -> bool:
        """Whether the level says how much: a hold, duration, reps or breaths."""
        return any(x is not None for x in (self.hold, self.duration, self.reps, self.breaths))

    @property
    def side_word(self) -> str:
        """The sides statement's word, `both` by default."""
        return self.sides.value if self.sides is not None else "both"

    @property
    def side_count(self) -> int:
        """2 for `each` and `alternating`, else 1."""
        return 2 if self.side_word in ("each", "alternating") else 1

    @property
    def side_order(self) -> list[str]:
        """The sides in the order they are worked."""
        word = self.side_word
        if word in ("each", "alternating"):
            first = self.sides.starting if self.sides and self.sides.starting in (
                "left", "right") else "right"
            return [first, "left" if first == "right" else "right"]
        return [word]


_DOSE_FIELDS = {
    n.Hold: "hold", n.Duration: "duration", n.Reps: "reps", n.Sets: "sets",
    n.Breaths: "breaths", n.Sides: "sides", n.Intensity: "intensity",
    n.Frequency: "frequency",
}

# The values that `extends` copies (section 4, LANGUAGE.md 8.6); the window is not one of them.
COPIED = ("hold", "duration", "reps", "sets", "breaths", "rest_sets", "rest_sides", "sides",
          "intensity", "frequency")


def _own(level: n.Level) -> dict[str, object]:
    values: dict[str, object] = {}
    for st in level.body:
        field = _DOSE_FIELDS.get(type(st))
        if field is not None:
            values.setdefault(field, st)
        elif isinstance(st, n.Rest):
            values.setdefault("rest_sets" if st.between == "sets" else "rest_sides", st)
    return values


def levels_by_number(exercise: n.Exercise) -> dict[int, n.Level]:
    """An exercise's levels by number (the first of duplicates; unknown numbers left out)."""
    out: dict[int, n.Level] = {}
    for lv in exercise.levels:
        if lv.number >= 0:
            out.setdefault(lv.number, lv)
    return out


def effective_levels(exercise: n.Exercise) -> dict[int, Effective]:
    """Every level's effective dosage. `extends` is followed only to a lower, existing level,
    so chains end and cycles (P408) cannot loop."""
    levels = levels_by_number(exercise)
    done: dict[int, Effective] = {}

    def resolve(number: int) -> Effective:
        if number in done:
            return done[number]
        lv = levels[number]
        values = _own(lv)
        uses = tuple(ref for st in n.every(lv.body, n.Uses) for ref in st.names)
        stops = tuple(n.every(lv.body, n.StopIf))
        parent = lv.extends
        if parent is not None and parent < number and parent in levels:
            base = resolve(parent)
            for field in COPIED:
                values.setdefault(field, getattr(base, field))
            uses += base.uses
            stops += base.stop_if
        eff = Effective(lv, uses=uses, stop_if=stops, **values)  # type: ignore[arg-type]
        done[number] = eff
        return eff

    for number in sorted(levels):
        resolve(number)
    return done


# --- estimates ----------------------------------------------------------------------------


@record.frozen
class Values:
    """A level's dosage as numbers (seconds, counts), for estimates and the week table."""

    hold: Pair | None
    duration: Pair | None
    reps: Pair | None
    sets: Pair
    breaths: Pair | None
    rest_sets: Pair | None
    rest_sides: Pair | None
    side_count: int


def values_of(eff: Effective) -> Values:
    """The numbers of an effective level, with the defaults of section 6 applied."""
    hold = seconds(eff.hold.amount) if eff.hold else None
    reps = count(eff.reps.amount) if eff.reps else None
    if reps is None and hold is not None and eff.reps is None:
        reps = (1, 1)
    return Values(
        hold=hold,
        duration=seconds(eff.duration.amount) if eff.duration else None,
        reps=reps,
        sets=(count(eff.sets.amount) if eff.sets else None) or (1, 1),
        breaths=count(eff.breaths.amount) if eff.breaths else None,
        rest_sets=seconds(eff.rest_sets.amount) if eff.rest_sets else None,
        rest_sides=seconds(eff.rest_sides.amount) if eff.rest_sides else None,
        side_count=eff.side_count,
    )


def estimate(v: Values) -> Pair:
    """Estimated time of one level in seconds (section 6), as a range.

    Per set, for each side: reps x (hold, or 3 s a rep without a hold) or duration, plus 5 s a
    breath; plus one rest between sides where there are two sides; all times sets, plus rest
    between sets x (sets - 1).
    """
    if v.duration is not None:
        work = v.duration
    elif v.reps is not None:
        work = mul(v.reps, v.hold if v.hold is not None else (SECONDS_PER_REP, SECONDS_PER_REP))
    else:
        work = (0.0, 0.0)
    if v.breaths is not None:
        work = add(work, mul(v.breaths, (SECONDS_PER_BREATH, SECONDS_PER_BREATH)))
    per_set = mul(work, (v.side_count, v.side_count))
    if v.side_count == 2 and v.rest_sides is not None:
        per_set = add(per_set, v.rest_sides)
    total = mul(per_set, v.sets)
    if v.rest_sets is not None:
        total = add(total, mul(v.rest_sets, (v.sets[0] - 1, v.sets[1] - 1)))
    return total


def at_caps(v: Values, increases: list[n.Increase]) -> Values:
    """The values with every increase at its cap (the worst case of P502)."""
    changes: dict[str, Pair] = {}
    for inc in increases:
        if inc.what == "hold" and v.hold is not None:
            cap = seconds(inc.up_to)
            if cap is not None:
                changes["hold"] = (max(v.hold[0], cap[1]), max(v.hold[1], cap[1]))
        elif inc.what == "duration" and v.duration is not None:
            cap = seconds(inc.up_to)
            if cap is not None:
                changes["duration"] = (max(v.duration[0], cap[1]), max(v.duration[1], cap[1]))
        elif inc.what in ("reps", "sets"):
            cap = count(inc.up_to)
            cur = getattr(v, inc.what)
            if cap is not None and cur is not None:
                changes[inc.what] = (max(cur[0], cap[1]), max(cur[1], cap[1]))
    return record.evolve(v, **changes)  # type: ignore[arg-type]
