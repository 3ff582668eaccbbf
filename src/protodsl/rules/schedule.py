"""Schedule: P500-P502."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from protodsl import nodes as n
from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.dosage import at_caps, effective_levels, estimate, number, seconds, values_of
from protodsl.rules.registry import register
from protodsl.rules.values import DURATION, sane, sound

if TYPE_CHECKING:
    from protodsl.context import Context


@register(
    "P500", "no schedule",
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
    "P501", "zero in a schedule",
    explanation="""
A schedule with zero times (`0 times weekly`), zero days (`every 0 days`) or zero weeks (`for 0
weeks`) never takes place. Reported at the zero.
""",
    bad='protocol demo\n  schedule 3 times weekly for 0 weeks\n  exercise squat\n    reps 10\n',
    good='protocol demo\n  schedule 3 times weekly for 6 weeks\n  exercise squat\n    reps 10\n',
)
def check_schedule_zeros(ctx: Context) -> Iterator[Diagnostic]:
    """P501: a zero count of times or days, or zero weeks, at the zero."""
    for st in n.every(ctx.protocol.body, n.Schedule):
        if st.count == 0 and st.count_span is not None:
            if st.form == "every":
                yield diagnostic("P501", "`every 0 days` is no schedule: the days must be more "
                                 "than zero", st.count_span,
                                 "use `schedule daily` for every day, or `every 2 days`")
            else:
                yield diagnostic("P501", f"`0 times {st.per}` is no schedule: the times must "
                                 "be more than zero", st.count_span,
                                 f"give how many times, such as `3 times {st.per or 'weekly'}`")
        if st.weeks == 0 and st.weeks_span is not None:
            yield diagnostic("P501", "a schedule `for 0 weeks` never takes place",
                             st.weeks_span,
                             "give the number of weeks, or remove `for 0 weeks` for no end")


@register(
    "P502", "session longer than the session limit",
    explanation="""
`session limit` bounds the time of one session. The worst case is estimated: each exercise at
its longest level, with every increase at its cap, timed as in the compiled
`estimated_time_s` (per set, for each side, reps x hold, or 3 s a rep without a hold, or the
duration, plus 5 s a breath; plus a rest between sides where there are two sides; times the
sets, plus the rests between sets), using the upper end of every range. When that exceeds the
limit, the warning is reported at `session limit`.
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
    total, longest = worst_case(ctx.protocol)
    if total <= limit[1]:
        return
    parts = ", ".join(f"`{name}` {duration_text(t)}" for name, t in longest if t > 0)
    yield diagnostic(
        "P502", f"the longest session is estimated at {duration_text(total)}, over the "
        f"session limit of {duration_text(limit[1])}", limit_st.span,
        f"at their longest levels and capped increases: {parts}; shorten the dosage or raise "
        "the `session limit`")


_DOSES = ("hold", "duration", "reps", "sets", "breaths", "rest_sets", "rest_sides")


def worst_case(protocol: n.Protocol) -> tuple[float, list[tuple[str, float]]]:
    """The worst-case session time in seconds, and each exercise's share of it.

    Amounts too large to compute with (P304 reports them) are left out.
    """
    shares = []
    for ex in protocol.exercises:
        longest = 0.0
        for eff in effective_levels(ex).values():
            doses = [getattr(eff, name) for name in _DOSES]
            if not all(_sane(st.amount) for st in doses if st is not None):
                continue
            increases = [inc for inc in n.every(eff.level.body, n.Increase)
                         if _sane(inc.up_to)]
            longest = max(longest, estimate(at_caps(values_of(eff), increases))[1])
        shares.append((ex.name, longest))
    return sum(t for _, t in shares), shares


def _sane(q: n.Quantity) -> bool:
    return sane(q.low) and sane(q.high)


def duration_text(secs: float) -> str:
    """Seconds as a reader says them: `45 s`, `12 min`, `12 min 30 s`."""
    whole = round(secs)
    if whole < 60:
        return f"{number(secs)} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min" if rest == 0 else f"{minutes} min {rest} s"
