"""Time structure (LANGUAGE.md 8.1): frequencies, week windows, bouts, listing and starts.

Shared by the checker (P304, P309, P406, P412, P501, P502, P510) and the compiler, so that both
read time the same way. Sessions a week are exact fractions (`every 3 days` is 7/3); a rate with
a range gives a range (`every 2-3 days` is 7/3 to 7/2); `as needed` has no fixed sessions: its
lower end is 0 and its upper end is None.

Week windows are `Weeks` intervals of protocol weeks, 1-based, with an open end for `from week
N`. Every level is listed in at most one interval of weeks (its window, or from the first week in
which a level that advances into it is listed), so the week table changes only at a handful of
weeks, and nothing here iterates over weeks one by one.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction
from typing import NamedTuple

from protodsl import nodes as n
from protodsl.dosage import Effective, effective_levels, levels_by_number

WEEK = Fraction(7)


def _exact(x: int | float) -> Fraction:
    """A count as an exact fraction (a float by its shortest decimal)."""
    if isinstance(x, float):
        return Fraction(repr(x)) if math.isfinite(x) else Fraction(10**18)
    return Fraction(x)


# --- sessions a week ----------------------------------------------------------------------


class PerWeek(NamedTuple):
    """Sessions a week as an exact range; ``high`` is None for `as needed` (no fixed upper end)."""

    low: Fraction
    high: Fraction | None

    @property
    def fixed(self) -> bool:
        """Whether the rate gives one exact number of sessions a week."""
        return self.high is not None and self.low == self.high


def per_week(rate: n.Rate | None) -> PerWeek | None:
    """The sessions a week of a rate, exact (None without a rate, or when a count is zero,
    negative or missing: P501 reports that)."""
    if rate is None:
        return None
    if rate.form == "daily":
        return PerWeek(WEEK, WEEK)
    if rate.form == "as_needed":
        return PerWeek(Fraction(0), None)
    if rate.low is None or rate.high is None:
        return None
    low, high = _exact(rate.low), _exact(rate.high)
    if low <= 0 or high <= 0:
        return None
    if low > high:  # a backwards range (P302): read end to end anyway
        low, high = high, low
    if rate.form == "every":
        return PerWeek(WEEK / high, WEEK / low)
    if rate.per == "daily":
        return PerWeek(low * 7, high * 7)
    return PerWeek(low, high)


def per_week_text(x: Fraction) -> str:
    """Sessions a week as a message says them: `14`, `2.333`, or `more than a million`."""
    if x > 10**6:
        return "more than a million"
    r = round(x, 3)
    return str(int(r)) if r == int(r) else str(float(r))


def sessions_in_week(week: int, rate: Fraction) -> int:
    """The sessions of protocol week ``week`` at ``rate`` a week: those numbered
    floor((k-1) x s) + 1 to floor(k x s) (section 6)."""
    return math.floor(week * rate) - math.floor((week - 1) * rate)


def sessions_range(week: int, pw: PerWeek) -> tuple[int, int | None]:
    """The sessions in week ``week`` as a range: the count at the lower rate and at the upper
    rate, lower first (`as needed`: 0 to None)."""
    if pw.high is None:
        return 0, None
    a, b = sessions_in_week(week, pw.low), sessions_in_week(week, pw.high)
    return min(a, b), max(a, b)


# --- effective frequency ------------------------------------------------------------------


class Freq(NamedTuple):
    """A level's effective frequency: its rate, the statement that gives it (a `frequency`,
    or the protocol's `schedule`), and whether it is the exercise's own (not the schedule's)."""

    rate: n.Rate | None
    statement: n.Frequency | n.Schedule | None
    own: bool

    @property
    def per_week(self) -> PerWeek | None:
        """Sessions a week of this frequency (None when unknown)."""
        return per_week(self.rate)


def schedule_of(protocol: n.Protocol) -> n.Schedule | None:
    """The protocol's `schedule` (the first)."""
    return n.first(protocol.body, n.Schedule)


def schedule_weeks(protocol: n.Protocol) -> int | None:
    """The number of protocol weeks (a fraction of a week counts as a week; None without
    `for W weeks`, or for zero weeks)."""
    sched = schedule_of(protocol)
    if sched is None or sched.weeks is None or not sched.weeks > 0:
        return None
    if isinstance(sched.weeks, float) and not math.isfinite(sched.weeks):
        return None
    return math.ceil(sched.weeks)


def frequency(protocol: n.Protocol, exercise: n.Exercise, eff: Effective | None) -> Freq:
    """The effective frequency of a level: its own or the one `extends` copies, else the
    exercise's, else the schedule's (8.1). ``eff`` None asks for the exercise's."""
    if eff is not None and eff.frequency is not None:
        return Freq(eff.frequency.rate, eff.frequency, True)
    own = n.first(exercise.body, n.Frequency)
    if own is not None:
        return Freq(own.rate, own, True)
    sched = schedule_of(protocol)
    return Freq(None if sched is None else sched.rate, sched, False)


def exercise_frequency(protocol: n.Protocol, exercise: n.Exercise) -> Freq:
    """The exercise's frequency: its own `frequency`, else the schedule's."""
    return frequency(protocol, exercise, None)


def is_bout(exercise: n.Exercise, level1: Effective | None = None) -> bool:
    """Whether the exercise is its own bout: its level 1 has a frequency of its own (stated in
    the level, copied, or the exercise's), even one equal to the schedule (8.1).

    Level 1 extends no level (`extends` names a lower one), so its effective frequency is its
    own statement, or the one given in ``level1``.
    """
    if n.first(exercise.body, n.Frequency) is not None:
        return True
    if level1 is not None:
        return level1.frequency is not None
    one = levels_by_number(exercise).get(1)
    return one is not None and n.first(one.body, n.Frequency) is not None


# --- week windows -------------------------------------------------------------------------


class Weeks(NamedTuple):
    """An interval of protocol weeks, 1-based; ``last`` None is open-ended (`from week N`)."""

    first: int
    last: int | None

    @property
    def empty(self) -> bool:
        """Whether no week lies in the interval."""
        return self.last is not None and self.last < self.first

    def __and__(self, other: Weeks) -> Weeks:  # type: ignore[override]
        """The overlap of two intervals (possibly empty)."""
        ends = [x for x in (self.last, other.last) if x is not None]
        return Weeks(max(self.first, other.first), min(ends) if ends else None)

    def covers(self, other: Weeks) -> bool:
        """Whether every week of ``other`` lies in this interval."""
        if other.empty:
            return True
        if other.first < self.first:
            return False
        if self.last is None:
            return True
        return other.last is not None and other.last <= self.last

    def holds(self, week: int) -> bool:
        """Whether protocol week ``week`` lies in the interval."""
        return week >= self.first and (self.last is None or week <= self.last)


EVERY_WEEK = Weeks(1, None)


def weeks_of(st: n.Window | None) -> Weeks | None:
    """The weeks of a window statement (None without one)."""
    if st is None:
        return None
    return Weeks(st.first, st.first if st.form == "during" and st.last is None else st.last)


def own_window(block: n.Exercise | n.Level) -> n.Window | None:
    """The block's own window statement (the first)."""
    return n.first(block.body, n.Window)


def level_window(exercise: n.Exercise, level: n.Level) -> Weeks | None:
    """A level's window: the overlap of its own and its exercise's (None without either; it
    may be empty). A window is not copied by `extends`."""
    own, outer = weeks_of(own_window(level)), weeks_of(own_window(exercise))
    if own is None:
        return outer
    return own if outer is None else own & outer


# --- listing and starts -------------------------------------------------------------------


def advances_into(exercise: n.Exercise) -> dict[int, list[int]]:
    """For each level number, the lower levels whose `advance` leads into it."""
    into: dict[int, list[int]] = {}
    for number, lv in levels_by_number(exercise).items():
        for st in n.every(lv.body, n.Advance):
            if st.to > number:
                into.setdefault(st.to, []).append(number)
    return into


def listed_weeks(exercise: n.Exercise, weeks: int | None) -> dict[int, Weeks | None]:
    """The weeks that list each level (None: never listed), clipped to ``weeks`` protocol weeks.

    A level's own window, within its exercise's; a level without a window of its own is listed
    from the earliest week in which a level that advances into it is listed (level 1: week 1),
    within its exercise's window.
    """
    levels = levels_by_number(exercise)
    into = advances_into(exercise)
    outer = weeks_of(own_window(exercise)) or EVERY_WEEK
    bound = EVERY_WEEK if weeks is None else Weeks(1, weeks)
    out: dict[int, Weeks | None] = {}
    for number in sorted(levels):
        own = weeks_of(own_window(levels[number]))
        if own is not None:
            base: Weeks | None = own
        elif number == 1:
            base = EVERY_WEEK
        else:
            firsts = [w.first for m in into.get(number, ()) if (w := out.get(m)) is not None]
            base = Weeks(min(firsts), None) if firsts else None
        if base is None:
            out[number] = None
            continue
        listed = base & outer & bound
        out[number] = None if listed.empty or listed.first < 1 else listed
    return out


def known_start(exercise: n.Exercise) -> dict[int, bool]:
    """Whether each level's start is known: level 1, and a level with a window of its own and
    no `advance` into it (it starts in its first listed week). Every other level starts when an
    advance criterion is met (`by_criterion`)."""
    into = {st.to for lv in exercise.levels for st in n.every(lv.body, n.Advance)}
    return {number: number == 1 or (own_window(lv) is not None and number not in into)
            for number, lv in levels_by_number(exercise).items()}


def exercise_weeks(exercise: n.Exercise, weeks: int | None) -> list[Weeks]:
    """The weeks in which any level of the exercise is listed, as sorted disjoint intervals."""
    spans = sorted((w for w in listed_weeks(exercise, weeks).values() if w is not None),
                   key=lambda w: w.first)
    merged: list[Weeks] = []
    for w in spans:
        if merged:
            last = merged[-1]
            if last.last is None or w.first <= last.last + 1:
                end = None if last.last is None or w.last is None else max(last.last, w.last)
                merged[-1] = Weeks(last.first, end)
                continue
        merged.append(w)
    return merged


def covers(outer: list[Weeks], inner: list[Weeks]) -> bool:
    """Whether the weeks ``outer`` include every week of ``inner`` (both merged intervals)."""
    return all(any(o.covers(i) for o in outer) for i in inner)


def breakpoints(exercises: list[n.Exercise], weeks: int | None) -> list[int]:
    """The weeks at which the set of listed levels can change: week 1 and every first week and
    week after a last week of a listing (within the protocol's weeks)."""
    points = {1}
    for ex in exercises:
        for w in listed_weeks(ex, weeks).values():
            if w is None:
                continue
            points.add(w.first)
            if w.last is not None:
                points.add(w.last + 1)
    return sorted(p for p in points if p >= 1 and (weeks is None or p <= weeks))


def session_exercises(protocol: n.Protocol) -> list[n.Exercise]:
    """The exercises of the schedule's session (every exercise that is not its own bout)."""
    return [ex for ex in protocol.exercises if not is_bout(ex)]


def session_of(protocol: n.Protocol, exercise: n.Exercise) -> list[n.Exercise]:
    """The exercises done in the same session or bout as ``exercise``, in file order."""
    if is_bout(exercise):
        return [exercise]
    return session_exercises(protocol)


def has_warmup_before(protocol: n.Protocol, exercise: n.Exercise, warm_kinds: object) -> bool:
    """P406's test: an exercise of a kind in ``warm_kinds`` comes before ``exercise`` in the
    same session or bout, and is listed in every week in which ``exercise`` is (8.9). A bout
    is one exercise, so a stretch done as its own bout has no warm-up before it."""
    if is_bout(exercise):
        return False
    weeks = schedule_weeks(protocol)
    need: list[Weeks] | None = None
    for other in protocol.exercises:
        if other is exercise:
            return False
        kind = n.first(other.body, n.Kind)
        if kind is None or kind.value not in warm_kinds or is_bout(other):  # type: ignore[operator]
            continue
        if need is None:
            need = exercise_weeks(exercise, weeks)
        if covers(exercise_weeks(other, weeks), need):
            return True
    return False


# --- ramps --------------------------------------------------------------------------------


def increases(level: n.Level) -> list[n.Increase]:
    """The level's own increases (increases are not copied by `extends`)."""
    return n.every(level.body, n.Increase)


def steps_taken(every: str, week: int, rate: Fraction | None) -> int:
    """How many steps an increase has taken in week ``week`` of its level (1-based): k - 1 for
    `every week`, floor((k - 1) x sessions a week) for `every session` (0 when the sessions are
    unknown)."""
    if every == "session":
        return 0 if rate is None else math.floor((week - 1) * rate)
    return week - 1


def week_reaching(every: str, steps: int, rate: Fraction | None) -> int | None:
    """The first week of the level in which an increase has taken ``steps`` steps (None: never,
    when its sessions a week are unknown or zero)."""
    if steps <= 0:
        return 1
    if every != "session":
        return steps + 1
    if rate is None or rate <= 0:
        return None
    return math.ceil(steps / rate) + 1


def iter_levels(exercise: n.Exercise) -> Iterator[tuple[int, Effective]]:
    """An exercise's effective levels by number."""
    yield from sorted(effective_levels(exercise).items())
