"""Schedule: P500-P502."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from protodsl import nodes as n
from protodsl import timing
from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.dosage import (
    Effective,
    at_caps,
    effective_levels,
    estimate,
    number,
    seconds,
    values_of,
)
from protodsl.rules.registry import register
from protodsl.rules.values import DURATION, sane, sound

if TYPE_CHECKING:
    from protodsl.context import Context


@register(
    "P500", "no schedule",
    per_exercise=True,
    explanation="""
A protocol says how often it is done: `schedule daily`, `schedule 3 times weekly`, `schedule 2
times daily` or `schedule every 2 days`, each optionally `for N weeks`. Without it the compiled
output has no week table. Reported at the protocol header.
""",
    bad='protocol demo\n  exercise squat\n    reps 10\n',
    good='protocol demo\n  schedule 3 times weekly for 6 weeks\n  exercise squat\n    reps 10\n',
)
def check_schedule_present(ctx: Context) -> Iterator[Diagnostic]:
    """P500: the protocol has no `schedule`, at its header."""
    if n.first(ctx.protocol.body, n.Schedule) is None:
        yield diagnostic(
            "P500", f"protocol `{ctx.protocol.name}` has no schedule", ctx.protocol.span,
            "add a `schedule`, such as `schedule 3 times weekly for 6 weeks`")


@register(
    "P501", "zero in a schedule or frequency",
    per_exercise=True,
    explanation="""
A schedule or frequency with zero times (`0 times weekly`, `0-2 times daily`), zero days
(`every 0 days`) or a schedule of zero weeks (`for 0 weeks`) never takes place. Reported at the
zero. (`as needed` is the way to say that there are no fixed sessions.)
""",
    bad='protocol demo\n  schedule 3 times weekly for 0 weeks\n  exercise squat\n    reps 10\n',
    good='protocol demo\n  schedule 3 times weekly for 6 weeks\n  exercise squat\n    reps 10\n',
)
def check_schedule_zeros(ctx: Context) -> Iterator[Diagnostic]:
    """P501: a zero count of times or days in a schedule or frequency, or zero weeks."""
    for st in rate_statements(ctx.protocol):
        rate = st.rate
        if rate.form not in ("times", "every") or rate.count_span is None:
            continue
        if rate.low != 0 and rate.high != 0:
            continue
        what = "days" if rate.form == "every" else "times"
        if rate.is_range:
            message = (f"`{_count_text(rate)}` includes zero: the {what} of a {st.keyword} "
                       "must be more than zero")
        elif rate.form == "every":
            message = f"`every 0 days` is no {st.keyword}: the days must be more than zero"
        else:
            message = (f"`0 times {rate.per}` is no {st.keyword}: the times must be more than "
                       "zero")
        if rate.form == "every":
            help = f"use `{st.keyword} daily` for every day, or `every 2 days`"
        else:
            help = f"give how many times, such as `3 times {rate.per or 'weekly'}`"
        yield diagnostic("P501", message, rate.count_span, help)
    for sched in n.every(ctx.protocol.body, n.Schedule):
        if sched.weeks == 0 and sched.weeks_span is not None:
            yield diagnostic("P501", "a schedule `for 0 weeks` never takes place",
                             sched.weeks_span,
                             "give the number of weeks, or remove `for 0 weeks` for no end")


def _count_text(rate: n.Rate) -> str:
    count = f"{number(rate.low or 0)}-{number(rate.high or 0)}"
    return f"every {count} days" if rate.form == "every" else f"{count} times {rate.per}"


def rate_statements(protocol: n.Protocol) -> Iterator[n.Schedule | n.Frequency]:
    """Every `schedule` and `frequency` statement, in file order."""
    yield from n.every(protocol.body, n.Schedule)
    for ex in protocol.exercises:
        yield from n.every(ex.body, n.Frequency)
        for lv in ex.levels:
            yield from n.every(lv.body, n.Frequency)


@register(
    "P502", "session longer than the session limit",
    explanation="""
`session limit` bounds the time of one session of the schedule. The worst case is estimated:
each exercise of the session at its longest level, with every increase at its cap, timed as in
the compiled `estimated_time_s` (per set, for each side, reps x hold, or 3 s a rep without a
hold, or the duration, plus 5 s a breath; plus a rest between sides where there are two sides;
times the sets, plus the rests between sets), using the upper end of every range. An exercise
with a frequency of its own is its own bout and not part of the session; with week windows, the
session is judged in the week where the exercises and levels listed add up to the most. When
that exceeds the limit, the warning is reported at `session limit`.
""",
    bad='protocol demo\n  schedule 3 times weekly\n  session limit 5 min\n'
        '  exercise plank\n    hold 60 s\n    reps 3\n    sets 2\n'
        '    rest 60 s between sets\n',
    good='protocol demo\n  schedule 3 times weekly\n  session limit 10 min\n'
         '  exercise plank\n    hold 60 s\n    reps 3\n    sets 2\n'
         '    rest 60 s between sets\n',
)
def check_session_limit(ctx: Context) -> Iterator[Diagnostic]:
    """P502: the worst-case session time exceeds `session limit`, at the limit."""
    limit_st = n.first(ctx.protocol.body, n.SessionLimit)
    if limit_st is None or not sound(limit_st.amount, DURATION):
        return
    limit = seconds(limit_st.amount)
    if limit is None:
        return
    total, longest, week = worst_session(ctx.protocol, ctx.exercise_cache)
    if total <= limit[1]:
        return
    parts = ", ".join(f"`{name}` {duration_text(t)}" for name, t in longest if t > 0)
    when = "" if week is None else f" (in week {week})"
    yield diagnostic(
        "P502", f"the longest session is estimated at {duration_text(total)}{when}, over the "
        f"session limit of {duration_text(limit[1])}", limit_st.span,
        f"at their longest levels and capped increases: {parts}; shorten the dosage or raise "
        "the `session limit`")


_DOSES = ("hold", "duration", "reps", "sets", "breaths", "rest_sets", "rest_sides")


def _longest(eff: Effective) -> float | None:
    """A level's worst-case time: its upper end with every increase at its cap (None when an
    amount is too large to compute with: P304 reports it)."""
    doses = [getattr(eff, name) for name in _DOSES]
    if not all(_sane(st.amount) for st in doses if st is not None):
        return None
    increases = [inc for inc in n.every(eff.level.body, n.Increase) if _sane(inc.up_to)]
    return estimate(at_caps(values_of(eff), increases))[1]


def worst_case(protocol: n.Protocol) -> tuple[float, list[tuple[str, float]]]:
    """The worst-case session time in seconds, and each exercise's share of it."""
    total, shares, _ = worst_session(protocol)
    return total, shares


def worst_session(protocol: n.Protocol, cache: Callable[..., Any] | None = None
                  ) -> tuple[float, list[tuple[str, float]], int | None]:
    """The worst case of the schedule's session (8.1): in the week where the exercises listed
    add up to the most, each exercise at its longest level listed that week, every increase at
    its cap. Returns the time in seconds, each exercise's share, and that week (None when no
    exercise of the session has a week window, so every week is the same). ``cache`` is a
    ``Context.exercise_cache``, to keep each exercise's times."""
    exercises = timing.session_exercises(protocol)
    weeks = timing.schedule_weeks(protocol)
    per_exercise = []
    windowed = False
    for ex in exercises:
        if cache is None:
            ex_windowed, levels = _exercise_times(ex, weeks)
        else:
            ex_windowed, levels = cache(("P502", weeks), ex,
                                        lambda ex: _exercise_times(ex, weeks))
        windowed = windowed or ex_windowed
        per_exercise.append((ex.name, levels))
    best: tuple[float, list[tuple[str, float]], int | None] = (0.0, [(name, 0.0) for name, _ in
                                                                  per_exercise], None)
    for week in timing.breakpoints(exercises, weeks) if windowed else [None]:
        shares = []
        for name, levels in per_exercise:
            times = [t for where, t in levels
                     if week is None or (where is not None and where.holds(week))]
            shares.append((name, max(times, default=0.0)))
        total = sum(t for _, t in shares)
        if week is None or total > best[0]:
            best = (total, shares, week)
    return best


def _exercise_times(ex: n.Exercise, weeks: int | None
                    ) -> tuple[bool, list[tuple[timing.Weeks | None, float]]]:
    """Whether an exercise or one of its levels has a week window, and each level's weeks
    listed and worst-case time."""
    listed = timing.listed_weeks(ex, weeks)
    windowed = timing.own_window(ex) is not None or any(
        timing.own_window(lv) is not None for lv in ex.levels)
    levels = []
    for number_, eff in sorted(effective_levels(ex).items()):
        t = _longest(eff)
        if t is not None:
            levels.append((listed.get(number_), t))
    return windowed, levels


def _sane(q: n.Quantity) -> bool:
    return sane(q.low) and sane(q.high)


def duration_text(secs: float) -> str:
    """Seconds as a reader says them: `45 s`, `12 min`, `12 min 30 s`."""
    whole = round(secs)
    if whole < 60:
        return f"{number(secs)} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min" if rest == 0 else f"{minutes} min {rest} s"
