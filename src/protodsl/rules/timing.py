"""Time structure: P510 (bad week window), P412 (vigorous strength more than once a day).

LANGUAGE.md 8.1 and 8.9. Windows, frequencies and effective values are read through
``protodsl.timing``, as the compiler reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from protodsl import nodes as n
from protodsl import timing as t
from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.dosage import Effective, effective_levels
from protodsl.rules.registry import register

if TYPE_CHECKING:
    from protodsl.context import Context


# --- P510 ---------------------------------------------------------------------------------


def _window_text(st: n.Window) -> str:
    if st.form == "from":
        return f"from week {st.first}"
    if st.last is None or st.last == st.first:
        return f"during week {st.first}"
    return f"during weeks {st.first}-{st.last}"


@register(
    "P510", "bad week window",
    per_exercise=True,
    explanation="""
`during week N`, `during weeks A-B` and `from week N` name protocol weeks, numbered from 1. A
window is wrong when it starts below week 1; when the schedule says `for W weeks` and the window
does not lie wholly within weeks 1-W; when a level's window has no week in common with its
exercise's window (the level could never be done); and when a higher level's window starts
before a lower level's (levels go up over time). Reported at the window statement (for two
levels in the wrong order, at the higher level's).
""",
    bad='protocol demo\n  schedule 3 times weekly for 6 weeks\n  exercise walk\n'
        '    from week 8\n    duration 20 min\n',
    good='protocol demo\n  schedule 3 times weekly for 6 weeks\n  exercise walk\n'
         '    from week 3\n    duration 20 min\n',
)
def check_windows(ctx: Context) -> Iterator[Diagnostic]:
    """P510: a window below week 1, beyond the schedule's weeks, outside its exercise's
    window, or starting before a lower level's window."""
    weeks = t.schedule_weeks(ctx.protocol)
    sched = t.schedule_of(ctx.protocol)
    if sched is not None and sched.weeks is not None and not sched.weeks > 0:
        weeks = None  # `for 0 weeks` is P501
    for ex in ctx.protocol.exercises:
        outer = t.own_window(ex)
        outer_fault = _fault(outer, weeks) if outer is not None else None
        if outer is not None and outer_fault is not None:
            yield diagnostic("P510", outer_fault[0], outer.span, outer_fault[1])
        lower: list[tuple[int, n.Window]] = []
        for lv in sorted((lv for lv in ex.levels if lv.number >= 1), key=lambda x: x.number):
            own = t.own_window(lv)
            if own is None:
                continue
            fault = _fault(own, weeks)
            if fault is None and outer is not None and outer_fault is None:
                fault = _outside(own, outer)
            if fault is None:
                fault = _before_lower(lv, own, lower)
            if fault is not None:
                yield diagnostic("P510", fault[0], own.span, fault[1])
            if not _backwards(own) and own.first >= 1:
                lower.append((lv.number, own))


def _backwards(st: n.Window) -> bool:
    """Whether `during weeks A-B` runs backwards (P302 reports it)."""
    return st.last is not None and st.last < st.first


def _fault(st: n.Window, weeks: int | None) -> tuple[str, str] | None:
    """What is wrong with a window on its own: below week 1, or beyond the schedule's weeks."""
    if _backwards(st):
        return None
    text = _window_text(st)
    if st.first < 1:
        return (f"`{text}` starts before week 1",
                "weeks are numbered from 1: the protocol's first week is week 1")
    if weeks is None:
        return None
    last = st.first if st.last is None else st.last
    if last > weeks or st.first > weeks:
        plural = "week" if weeks == 1 else "weeks"
        return (f"`{text}` lies outside the schedule's {weeks} {plural}",
                f"the schedule runs for weeks 1-{weeks}: move the window inside them, or "
                "lengthen the schedule" if weeks > 1 else
                "the schedule runs for week 1 only: move the window, or lengthen the schedule")
    return None


def _outside(own: n.Window, outer: n.Window) -> tuple[str, str] | None:
    """A level window with no week in common with its exercise's window."""
    a, b = t.weeks_of(own), t.weeks_of(outer)
    if a is None or b is None or not (a & b).empty:
        return None
    return (f"`{_window_text(own)}` has no week in common with the exercise's "
            f"`{_window_text(outer)}` (line {outer.span.line})",
            "a level is done only in its exercise's weeks: move one of the windows")


def _before_lower(lv: n.Level, own: n.Window, lower: list[tuple[int, n.Window]]
                  ) -> tuple[str, str] | None:
    """A level window that starts before the window of a lower level."""
    later = [(st.first, number, st) for number, st in lower if st.first > own.first]
    if not later:
        return None
    first, number, st = max(later, key=lambda x: (x[0], -x[1]))
    return (f"level {lv.number} starts in week {own.first}, before level {number} "
            f"(`{_window_text(st)}`, line {st.span.line})",
            f"a higher level comes later: start level {lv.number} in week {first} or after")


# --- P412 ---------------------------------------------------------------------------------

# What makes a level vigorous (8.9): each sign reads a level's effective values and returns the
# statement that shows it, or None.
VigorousSign = Callable[[Effective], "n.Statement | None"]
VIGOROUS_RPE = 8  # an `rpe` whose upper end is 8 or more (8.9)


def _vigorous_intensity(eff: Effective) -> n.Statement | None:
    if eff.intensity is not None and eff.intensity.value == "vigorous":
        return eff.intensity
    return None


def _vigorous_rpe(eff: Effective) -> n.Statement | None:
    """An `rpe` reaching 8 or more (one outside 0-10 or without a unit of its own is P310, and
    not judged here)."""
    if eff.rpe is None:
        return None
    q = eff.rpe.amount
    if q.unit is not None or not (0 <= q.low <= q.high <= 10):
        return None
    return eff.rpe if q.high >= VIGOROUS_RPE else None


def _eccentric_to_failure(eff: Effective) -> n.Statement | None:
    """`contraction eccentric` with `reps max`: eccentric work to failure."""
    if (eff.contraction is not None and eff.contraction.value == "eccentric"
            and eff.reps_max is not None):
        return eff.contraction
    return None


VIGOROUS_SIGNS: list[VigorousSign] = [_vigorous_intensity, _vigorous_rpe, _eccentric_to_failure]
MAX_VIGOROUS_PER_WEEK = 7  # once a day


def vigorous(eff: Effective) -> n.Statement | None:
    """The statement that makes a level vigorous, or None."""
    for sign in VIGOROUS_SIGNS:
        found = sign(eff)
        if found is not None:
            return found
    return None


@register(
    "P412", "vigorous strength work more than once a day",
    per_exercise=True,
    explanation="""
Vigorous strength work needs recovery between sessions: a level of a `strength` exercise that is
vigorous (`intensity vigorous`, an `rpe` whose upper end is 8 or more, or `contraction
eccentric` with `reps max`) should not be done more than once a day. The level's effective
frequency (its own, copied by `extends`, the exercise's, or the schedule's) is judged at the
upper end of a range (more than 7 sessions a week); `as needed` is not judged. Reported once per
exercise, at the statement that gives the frequency (the exercise header when it is the
schedule's).
""",
    bad='protocol demo\n  schedule 2 times daily\n  exercise squat\n    kind strength\n'
        '    intensity vigorous\n    reps 8\n',
    good='protocol demo\n  schedule 2 times daily\n  exercise squat\n    kind strength\n'
         '    frequency 3 times weekly\n    intensity vigorous\n    reps 8\n',
)
def check_vigorous_frequency(ctx: Context) -> Iterator[Diagnostic]:
    """P412: a vigorous level of a strength exercise done more than 7 times a week."""
    for ex in ctx.protocol.exercises:
        kind = n.first(ex.body, n.Kind)
        if kind is None or kind.value != "strength":
            continue
        for number_, eff in sorted(effective_levels(ex).items()):
            sign = vigorous(eff)
            if sign is None:
                continue
            freq = t.frequency(ctx.protocol, ex, eff)
            pw = freq.per_week
            if pw is None or pw.high is None or pw.high <= MAX_VIGOROUS_PER_WEEK:
                continue
            where = f"`{ex.name}`" if eff.level.implicit else f"level {number_} of `{ex.name}`"
            sessions = t.per_week_text(pw.high)
            if freq.own and freq.statement is not None:
                span = freq.statement.span
                help = "give it a `frequency` of at most once a day, such as `frequency daily`"
            else:
                span = ex.span
                help = ("give the exercise a `frequency` of its own, at most once a day, such "
                        "as `frequency 3 times weekly`")
            yield diagnostic(
                "P412", f"{where} is vigorous strength work (line {sign.span.line}) done up to "
                f"{sessions} times a week: more than once a day", span, help)
            break
