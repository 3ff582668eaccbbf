"""Effective dosage: `extends` resolved, values normalized, time estimated (section 6).

Shared by the checker (P306, P308, P404, P502, ...) and the compiler, so that both read a
level's dosage the same way.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from protodsl import nodes as n
from protodsl import record
from protodsl.vocabulary import DISTANCE_UNITS, DURATION_UNITS, LOAD_UNITS

Pair = tuple[float, float]
T = TypeVar("T")

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


class Inherited(Sequence[T]):
    """A level's own entries followed by its parent's effective ones, sharing the parent's
    sequence rather than copying it: a chain of n levels costs n entries, not n²/2."""

    __slots__ = ("own", "parent", "_len")

    def __init__(self, own: tuple[T, ...], parent: Sequence[T] = ()) -> None:
        self.own = own
        self.parent = parent if parent else None
        self._len = len(own) + len(parent)

    def __iter__(self) -> Iterator[T]:
        node: Sequence[T] | None = self
        while isinstance(node, Inherited):
            yield from node.own
            node = node.parent
        if node is not None:
            yield from node

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index: Any) -> Any:
        return tuple(self)[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Inherited({tuple(self)!r})"


@record.frozen
class Effective:
    """A level's dosage after `extends`: the statement that supplies each value.

    Each field is the level's own statement, else the one `extends` copies from the parent's
    effective level (LANGUAGE.md 4 and 8.6), else None. Inherited statements keep their own
    spans (they point at the level they were written in). ``uses`` and ``stop_if`` are the
    level's own followed by its parent's effective ones. Texts, loads, requires, increases,
    progressions, windows and allows are not copied: read them from ``level.body``.

    The reps are one statement written in three forms: at most one of ``reps`` (`reps N`),
    ``reps_list`` (`reps A, B, C`) and ``reps_max`` (`reps max [up to N]`) is set, and a level
    that states any form copies none of its parent's.
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
    """The level's own or copied `frequency` only; ``timing.frequency`` adds the exercise's
    and the schedule's fallbacks."""
    reps_list: n.RepsList | None = None
    """`reps A, B, C` (8.4): reps per set in set order; its length is the level's sets."""
    reps_max: n.RepsMax | None = None
    """`reps max [up to N]` (8.4): as many reps as possible, at most N when given."""
    tempo: n.Tempo | None = None
    """`tempo A-B-C[-D]` (8.4); ``tempo_seconds`` gives one rep's length."""
    contraction: n.Contraction | None = None
    """`contraction eccentric|concentric|isometric` (8.4)."""
    rpe: n.Rpe | None = None
    """`rpe A[-B]` (8.4): target effort, 0-10."""
    distance: n.Distance | None = None
    """`distance AMOUNT` (8.4): distance per set."""
    support: n.Support | None = None
    """`support both_hands|one_hand|fingertip|none` (8.4); None when unstated (not judged)."""
    eyes: n.Eyes | None = None
    """`eyes open|closed` (8.4); None when unstated, which reads as open (``eyes_word``)."""
    range_until: n.RangeUntil | None = None
    """`range until EXPR` (8.4, 8.6): the level's own, else the one `extends` copies, else
    the exercise's (a level's replaces the exercise's)."""
    uses: Sequence[n.NameRef] = ()
    stop_if: Sequence[n.StopIf] = ()

    @property
    def has_reps(self) -> bool:
        """Whether the level gives reps in any form (`reps N`, a list, or `reps max`)."""
        return any(x is not None for x in (self.reps, self.reps_list, self.reps_max))

    @property
    def has_dosage(self) -> bool:
        """Whether the level says how much: a hold, duration, reps (any form), breaths or a
        distance (P308)."""
        return self.has_reps or any(x is not None for x in (
            self.hold, self.duration, self.breaths, self.distance))

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
        """The sides in the order they are worked: `left`/`right`, or `affected`/`unaffected`
        as written (8.5); `each` and `alternating` start on the `starting` side, else right."""
        word = self.side_word
        if word in ("each", "alternating"):
            first = self.sides.starting if self.sides and self.sides.starting in (
                "left", "right", "affected", "unaffected") else "right"
            return [first, OTHER_SIDE[first]]
        return [word]

    @property
    def eyes_word(self) -> str:
        """The eyes statement's word, `open` by default."""
        return self.eyes.value if self.eyes is not None else "open"

    @property
    def tempo_seconds(self) -> int | None:
        """The tempo's sum in seconds, `x` counted as 1 s (None without a tempo)."""
        return None if self.tempo is None else tempo_sum(self.tempo)


OTHER_SIDE = {"left": "right", "right": "left", "affected": "unaffected",
              "unaffected": "affected"}
SECONDS_PER_FAST_PHASE = 1  # a tempo phase `x` (as fast as possible), in estimates


def tempo_sum(tempo: n.Tempo) -> int:
    """One rep's length under a tempo: the phases' sum, `x` counted as 1 s."""
    return sum(SECONDS_PER_FAST_PHASE if p == "x" else int(p) for p in tempo.phases)


_DOSE_FIELDS = {
    n.Hold: "hold", n.Duration: "duration", n.Reps: "reps", n.Sets: "sets",
    n.Breaths: "breaths", n.Sides: "sides", n.Intensity: "intensity",
    n.Frequency: "frequency", n.RepsList: "reps_list", n.RepsMax: "reps_max",
    n.Tempo: "tempo", n.Contraction: "contraction", n.Rpe: "rpe", n.Distance: "distance",
    n.Support: "support", n.Eyes: "eyes", n.RangeUntil: "range_until",
}

# The values that `extends` copies (section 4, LANGUAGE.md 8.6); the window is not one of them.
COPIED = ("hold", "duration", "reps", "sets", "breaths", "rest_sets", "rest_sides", "sides",
          "intensity", "frequency", "reps_list", "reps_max", "tempo", "contraction", "rpe",
          "distance", "support", "eyes", "range_until")
# The three forms of the one `reps` statement: a level that states one copies none.
REPS_FORMS = ("reps", "reps_list", "reps_max")
_copied_of = operator.attrgetter(*COPIED)  # an effective level's COPIED values, in order


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


class _Cache(threading.local):
    """Per thread: the effective levels computed in the current pass, by exercise identity
    (and what ``remember`` keeps, by kind and identity)."""

    levels: dict[Any, tuple[Any, Any]] | None = None


_CACHE = _Cache()


class caching:  # noqa: N801 - used like a function: ``with caching():``
    """Within the ``with`` block (one analysis or compilation), ``effective_levels`` works
    out each exercise once: the rules and the compiler ask for the same exercise many times.
    Nested blocks share the outermost block's cache, which is dropped when it ends: a file
    analysed and compiled inside one block is worked out once for both."""

    __slots__ = ("_outer",)

    def __enter__(self) -> None:
        self._outer = _CACHE.levels
        if self._outer is None:
            _CACHE.levels = {}

    def __exit__(self, *exc: object) -> None:
        _CACHE.levels = self._outer


def remembered(kind: str, owner: object) -> Any:
    """What ``remember`` kept for ``owner`` under ``kind`` in the current ``caching`` block
    (None outside one, or when nothing was kept)."""
    cache = _CACHE.levels
    if cache is None:
        return None
    hit = cache.get((kind, id(owner)))
    return hit[1] if hit is not None and hit[0] is owner else None


def remember(kind: str, owner: object, value: T) -> T:
    """Keep ``value``, worked out from ``owner`` alone (an immutable object), for the rest of
    the current ``caching`` block (nothing outside one); returns ``value``."""
    cache = _CACHE.levels
    if cache is not None:
        cache[(kind, id(owner))] = (owner, value)  # the owner keeps its id alive
    return value


def effective_levels(exercise: n.Exercise) -> dict[int, Effective]:
    """Every level's effective dosage. `extends` is followed only to a lower, existing level,
    so chains end and cycles (P408) cannot loop. A level without a `range until` of its own or
    copied takes the exercise's. (A new dict on every call; inside ``caching()`` the levels
    are worked out once per exercise.)"""
    cache = _CACHE.levels
    if cache is None:
        return _effective_levels(exercise)
    hit = cache.get(id(exercise))
    if hit is None or hit[0] is not exercise:
        hit = (exercise, _effective_levels(exercise))  # the exercise keeps its id alive
        cache[id(exercise)] = hit
    return dict(hit[1])


def _effective_levels(exercise: n.Exercise) -> dict[int, Effective]:
    levels = levels_by_number(exercise)
    outer_range = n.first(exercise.body, n.RangeUntil)
    done: dict[int, Effective] = {}

    # Levels in order: `extends` names a lower level, worked out before it. (No recursive
    # closure: it would make a reference cycle, left for the cyclic collector.)
    for number in sorted(levels):
        lv = levels[number]
        values = _own(lv)
        uses: Sequence[n.NameRef] = tuple(
            ref for st in n.every(lv.body, n.Uses) for ref in st.names)
        stops: Sequence[n.StopIf] = tuple(n.every(lv.body, n.StopIf))
        parent = lv.extends
        if parent is not None and parent < number and parent in levels:
            base = done[parent]
            copied = dict(zip(COPIED, _copied_of(base)))
            if any(f in values for f in REPS_FORMS):
                for field in REPS_FORMS:
                    del copied[field]
            if copied["range_until"] is outer_range:
                del copied["range_until"]  # the exercise's, not copied: taken below as such
            copied.update(values)  # the level's own statements first
            values = copied
            uses = Inherited(uses, base.uses)
            stops = Inherited(stops, base.stop_if)
        if values.get("range_until") is None and outer_range is not None:
            values["range_until"] = outer_range
        done[number] = Effective(lv, uses=uses, stop_if=stops, **values)  # type: ignore[arg-type]
    return done


# --- estimates ----------------------------------------------------------------------------


@record.frozen
class Values:
    """A level's dosage as numbers (seconds, counts, metres), for estimates and the week table.

    ``rep`` is one rep's seconds without a hold (the tempo's sum; None: 3 s). ``per_set`` holds
    the reps of each set for a reps list (8.4; a `max` element counts 1 to 1 there, with
    ``reps_open``); the list then gives the sets, and ``reps`` and ``sets`` its range and
    length. ``reps_open`` says the reps have no upper end (`reps max` without `up to`, or a
    `max` element); ``time_open`` that the work's time is unknown (a distance without a
    duration). Either makes the estimate's upper end unknown (``open_ended``).
    """

    hold: Pair | None
    duration: Pair | None
    reps: Pair | None
    sets: Pair
    breaths: Pair | None
    rest_sets: Pair | None
    rest_sides: Pair | None
    side_count: int
    rep: Pair | None = None
    per_set: tuple[Pair, ...] | None = None
    distance: Pair | None = None
    reps_open: bool = False
    time_open: bool = False

    @property
    def open_ended(self) -> bool:
        """Whether the estimate has no known upper end (8.4)."""
        if self.duration is not None:
            return False
        return self.time_open or (self.reps_open and self.reps is not None)


def metres(q: n.Quantity | None) -> Pair | None:
    """A distance in metres, or None if ``q`` is absent or not a distance."""
    if q is None or q.unit not in DISTANCE_UNITS:
        return None
    f = float(DISTANCE_UNITS[q.unit])
    return (q.low * f, q.high * f)


def reps_values(eff: Effective) -> tuple[Pair | None, tuple[Pair, ...] | None, bool]:
    """The reps of a level as a range, its per-set reps (a reps list only) and whether the
    reps have no upper end: `reps N`; `reps max [up to N]` is 1 to N (1 to unknown without
    N); `reps A, B, C` is its smallest to its largest element, a `max` element 1 to unknown."""
    if eff.reps_max is not None:
        up_to = eff.reps_max.up_to
        return ((1, up_to if up_to is not None else 1), None, up_to is None)
    if eff.reps_list is not None:
        items = eff.reps_list.items
        if not items:
            return None, None, False
        per_set = tuple((1, 1) if x == "max" else (int(x), int(x)) for x in items)
        return ((min(p[0] for p in per_set), max(p[1] for p in per_set)), per_set,
                "max" in items)
    return (count(eff.reps.amount) if eff.reps else None), None, False


def values_of(eff: Effective) -> Values:
    """The numbers of an effective level, with the defaults of section 6 applied."""
    hold = seconds(eff.hold.amount) if eff.hold else None
    reps, per_set, reps_open = reps_values(eff)
    if reps is None and hold is not None and not eff.has_reps:
        reps = (1, 1)
    sets = (count(eff.sets.amount) if eff.sets else None) or (1, 1)
    if per_set is not None:
        sets = (len(per_set), len(per_set))
    duration = seconds(eff.duration.amount) if eff.duration else None
    distance = metres(eff.distance.amount) if eff.distance else None
    tempo = eff.tempo_seconds
    return Values(
        hold=hold,
        duration=duration,
        reps=reps,
        sets=sets,
        breaths=count(eff.breaths.amount) if eff.breaths else None,
        rest_sets=seconds(eff.rest_sets.amount) if eff.rest_sets else None,
        rest_sides=seconds(eff.rest_sides.amount) if eff.rest_sides else None,
        side_count=eff.side_count,
        rep=None if tempo is None else (tempo, tempo),
        per_set=per_set,
        distance=distance,
        reps_open=reps_open,
        time_open=eff.distance is not None and eff.duration is None,
    )


def estimate(v: Values) -> Pair:
    """Estimated time of one level in seconds (section 6, 8.4), as a range.

    Per set, for each side: reps x (hold, else the tempo's sum, else 3 s a rep) or duration,
    plus 5 s a breath; plus one rest between sides where there are two sides; all times sets
    (each set with its own reps under a reps list), plus rest between sets x (sets - 1). A
    distance without a duration adds no known time. Where ``v.open_ended``, the upper end
    returned counts only what is known (the compiler writes it as unknown).
    """
    rep = v.hold if v.hold is not None else v.rep
    if rep is None:
        rep = (SECONDS_PER_REP, SECONDS_PER_REP)
    zero = (rep[0] * 0, rep[0] * 0)  # a zero of the values' number type

    def one_set(reps: Pair | None) -> Pair:
        if v.duration is not None:
            work = v.duration
        elif reps is not None:
            work = mul(reps, rep)
        else:
            work = zero
        if v.breaths is not None:
            work = add(work, mul(v.breaths, (SECONDS_PER_BREATH, SECONDS_PER_BREATH)))
        per_set = mul(work, (v.side_count, v.side_count))
        if v.side_count == 2 and v.rest_sides is not None:
            per_set = add(per_set, v.rest_sides)
        return per_set

    if v.per_set is not None and v.duration is None:
        total = zero
        for reps in v.per_set:
            total = add(total, one_set(reps))
    else:
        total = mul(one_set(v.reps), v.sets)
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
        elif inc.what == "distance" and v.distance is not None:
            cap = metres(inc.up_to)
            if cap is not None:
                changes["distance"] = (max(v.distance[0], cap[1]), max(v.distance[1], cap[1]))
        elif inc.what in ("reps", "sets") and v.per_set is None:
            cap = count(inc.up_to)
            cur = getattr(v, inc.what)
            if cap is not None and cur is not None:
                changes[inc.what] = (max(cur[0], cap[1]), max(cur[1], cap[1]))
    return record.evolve(v, **changes)  # type: ignore[arg-type]
