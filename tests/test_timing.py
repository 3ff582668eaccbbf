"""protodsl.timing: sessions a week, effective frequency, windows, bouts, listing and starts
(LANGUAGE.md 8.1), against values worked out by hand."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from protodsl import nodes as n
from protodsl import timing as t
from protodsl.analysis import analyze_text
from protodsl.dosage import effective_levels

S = n.NO_SPAN


def rate(form: str, low: int | None = None, high: int | None = None,
         per: str | None = None) -> n.Rate:
    return n.Rate(form, low, low if high is None else high, per, S, S)


def parse(text: str) -> n.Protocol:
    analysis = analyze_text(text)
    assert analysis.protocol is not None
    return analysis.protocol


def exercise(protocol: n.Protocol, name: str) -> n.Exercise:
    return next(ex for ex in protocol.exercises if ex.name == name)


# --- sessions a week ----------------------------------------------------------------------


@pytest.mark.parametrize(("r", "low", "high"), [
    (rate("daily"), F(7), F(7)),
    (rate("times", 2, per="daily"), F(14), F(14)),
    (rate("times", 6, 8, "daily"), F(42), F(56)),
    (rate("times", 3, per="weekly"), F(3), F(3)),
    (rate("times", 3, 4, "weekly"), F(3), F(4)),
    (rate("every", 3), F(7, 3), F(7, 3)),
    (rate("every", 2, 3), F(7, 3), F(7, 2)),
    (rate("as_needed"), F(0), None),
])
def test_sessions_a_week_are_exact_ranges(r: n.Rate, low: F, high: F | None) -> None:
    assert t.per_week(r) == t.PerWeek(low, high)


def test_sessions_a_week_of_nothing_or_zero_are_unknown() -> None:
    assert t.per_week(None) is None
    assert t.per_week(rate("times", 0, per="weekly")) is None
    assert t.per_week(rate("every", 0, 2)) is None
    assert t.per_week(rate("times", 1, per="weekly")).fixed  # type: ignore[union-attr]
    assert not t.per_week(rate("every", 2, 3)).fixed  # type: ignore[union-attr]
    assert not t.per_week(rate("as_needed")).fixed  # type: ignore[union-attr]


def test_sessions_in_a_week_at_a_range_of_rates() -> None:
    # every 2-3 days: 7/3 gives 2, 2, 3, 2 ...; 7/2 gives 3, 4, 3, 4 ...
    pw = t.PerWeek(F(7, 3), F(7, 2))
    assert [t.sessions_range(k, pw) for k in range(1, 5)] == [(2, 3), (2, 4), (3, 3), (2, 4)]
    # a range whose ends cross in a week is still written lower end first
    assert t.sessions_range(3, t.PerWeek(F(12, 5), F(5, 2))) == (2, 3)
    assert t.sessions_range(1, t.PerWeek(F(0), None)) == (0, None)


# --- steps and ramps ----------------------------------------------------------------------


def test_steps_count_from_the_levels_own_start() -> None:
    assert [t.steps_taken("week", j, None) for j in (1, 2, 5)] == [0, 1, 4]
    assert [t.steps_taken("session", j, F(7, 3)) for j in (1, 2, 3, 4)] == [0, 2, 4, 7]
    assert t.steps_taken("session", 3, None) == 0  # no sessions a week: no steps


def test_week_reaching_a_number_of_steps() -> None:
    assert t.week_reaching("week", 0, None) == 1
    assert t.week_reaching("week", 3, None) == 4
    # 5 steps at 7/3 a week: floor((j-1) x 7/3) >= 5 first at j - 1 = 3
    assert t.week_reaching("session", 5, F(7, 3)) == 4
    assert t.steps_taken("session", 4, F(7, 3)) >= 5 > t.steps_taken("session", 3, F(7, 3))
    assert t.week_reaching("session", 14, F(14)) == 2
    assert t.week_reaching("session", 1, None) is None
    assert t.week_reaching("session", 1, F(0)) is None


# --- windows ------------------------------------------------------------------------------


def test_week_intervals() -> None:
    a, b = t.Weeks(3, None), t.Weeks(1, 4)
    assert a & b == t.Weeks(3, 4)
    assert (t.Weeks(1, 2) & t.Weeks(5, None)).empty
    assert t.Weeks(1, None).covers(t.Weeks(4, 9)) and not t.Weeks(2, 6).covers(t.Weeks(4, 9))
    assert not t.Weeks(2, 6).covers(t.Weeks(4, None)) and t.Weeks(1, 6).covers(t.Weeks(2, 6))
    assert t.Weeks(3, 4).holds(3) and not t.Weeks(3, 4).holds(5) and t.Weeks(3, None).holds(99)
    assert t.covers([t.Weeks(1, 2), t.Weeks(4, None)], [t.Weeks(5, 7)])
    assert not t.covers([t.Weeks(1, 2), t.Weeks(4, None)], [t.Weeks(2, 4)])


WINDOWS = '''\
protocol windows
  schedule 3 times weekly for 10 weeks
  condition ok stability "Ok"
  exercise a
    from week 2
    level 1
      reps 5
      advance to level 2 when ok
    level 2
      reps 6
      advance to level 4 when ok
    level 3
      during weeks 4-12
      reps 7
    level 4
      reps 8
  exercise b
    during weeks 3-5
    reps 5
  exercise c
    level 1
      during week 2
      reps 5
    level 2
      from week 6
      reps 6
    level 3
      reps 7
'''


def test_listing_follows_windows_and_advances() -> None:
    protocol = parse(WINDOWS)
    a, b, c = (exercise(protocol, x) for x in "abc")
    assert t.listed_weeks(a, 10) == {
        1: t.Weeks(2, 10), 2: t.Weeks(2, 10),  # from level 1's first week
        3: t.Weeks(4, 10),  # its own window, clipped to the schedule
        4: t.Weeks(2, 10)}  # from level 2's first week
    assert t.listed_weeks(a, None)[3] == t.Weeks(4, 12)
    assert t.listed_weeks(b, 10) == {1: t.Weeks(3, 5)}
    # level 3 of c has no window and nothing advances into it: never listed
    assert t.listed_weeks(c, 10) == {1: t.Weeks(2, 2), 2: t.Weeks(6, 10), 3: None}
    assert t.exercise_weeks(c, 10) == [t.Weeks(2, 2), t.Weeks(6, 10)]
    assert t.exercise_weeks(a, 10) == [t.Weeks(2, 10)]


def test_known_starts_and_levels_by_criterion() -> None:
    protocol = parse(WINDOWS)
    a, c = exercise(protocol, "a"), exercise(protocol, "c")
    assert t.known_start(a) == {1: True, 2: False, 3: True, 4: False}
    assert t.known_start(c) == {1: True, 2: True, 3: False}


def test_level_window_is_the_overlap_with_the_exercise_and_not_copied() -> None:
    protocol = parse(WINDOWS)
    a, b = exercise(protocol, "a"), exercise(protocol, "b")
    levels = {lv.number: lv for lv in a.levels}
    assert t.level_window(a, levels[1]) == t.Weeks(2, None)
    assert t.level_window(a, levels[3]) == t.Weeks(4, 12)
    assert t.level_window(b, b.levels[0]) == t.Weeks(3, 5)
    text = ("protocol p\n  exercise a\n    level 1\n      during weeks 2-3\n      reps 5\n"
            "    level 2 extends level 1\n      sets 2\n")
    ex = parse(text).exercises[0]
    assert t.level_window(ex, ex.levels[1]) is None
    assert t.listed_weeks(ex, None)[2] is None  # no window, nothing advances into it


def test_breakpoints() -> None:
    protocol = parse(WINDOWS)
    assert t.breakpoints(list(protocol.exercises), 10) == [1, 2, 3, 4, 6]
    assert t.breakpoints(list(protocol.exercises), 4) == [1, 2, 3, 4]


# --- frequency and bouts ------------------------------------------------------------------


FREQUENCIES = '''\
protocol f
  schedule 2 times daily
  condition ok stability "Ok"
  exercise plain
    reps 5
  exercise own
    frequency 3 times weekly
    reps 5
  exercise levels
    level 1
      frequency 2 times daily
      reps 5
      advance to level 2 when ok
    level 2 extends level 1
      reps 6
      advance to level 3 when ok
    level 3
      reps 7
  exercise later
    level 1
      reps 5
      advance to level 2 when ok
    level 2
      frequency daily
      reps 6
'''


def test_effective_frequency_own_copied_exercise_schedule() -> None:
    protocol = parse(FREQUENCIES)
    sched = protocol.body[0]
    plain, own, levels, later = protocol.exercises

    def freq(ex: n.Exercise, number: int) -> t.Freq:
        return t.frequency(protocol, ex, effective_levels(ex)[number])

    assert freq(plain, 1) == t.Freq(sched.rate, sched, False)  # type: ignore[attr-defined]
    own_st = n.first(own.body, n.Frequency)
    assert freq(own, 1) == t.Freq(own_st.rate, own_st, True)  # type: ignore[union-attr]
    level1_st = n.first(levels.levels[0].body, n.Frequency)
    assert freq(levels, 2).statement is level1_st  # copied by extends
    assert freq(levels, 3).statement is sched  # level 3 extends nothing
    assert t.exercise_frequency(protocol, own).statement is own_st
    assert [t.is_bout(ex) for ex in protocol.exercises] == [False, True, True, False]
    assert t.session_exercises(protocol) == [plain, later]
    assert t.session_of(protocol, own) == [own]


def test_a_frequency_equal_to_the_schedule_still_makes_a_bout() -> None:
    protocol = parse("protocol p\n  schedule daily\n  exercise a\n    frequency daily\n"
                     "    reps 5\n")
    assert t.is_bout(protocol.exercises[0])


def test_no_schedule_and_no_frequency() -> None:
    protocol = parse("protocol p\n  exercise a\n    reps 5\n")
    ex = protocol.exercises[0]
    assert t.frequency(protocol, ex, None) == t.Freq(None, None, False)
    assert t.frequency(protocol, ex, None).per_week is None
    assert t.schedule_weeks(protocol) is None


@pytest.mark.parametrize(("schedule", "weeks"), [
    ("daily for 6 weeks", 6), ("daily", None), ("daily for 1 week", 1),
    ("as needed for 3 weeks", 3)])
def test_schedule_weeks(schedule: str, weeks: int | None) -> None:
    assert t.schedule_weeks(parse(f"protocol p\n  schedule {schedule}\n  exercise a\n"
                                  "    reps 5\n")) == weeks


# --- P406's warm-ups ----------------------------------------------------------------------


@pytest.mark.parametrize(("warmup", "stretch", "warm"), [
    ("", "", True),
    ("    during weeks 1-3\n", "", False),  # weeks 4-6 have no warm-up
    ("    during weeks 1-3\n", "    during weeks 2-3\n", True),
    ("    from week 2\n", "    from week 3\n", True),
    ("    frequency daily\n", "", False),  # the warm-up is its own bout
    ("", "    frequency daily\n", False),  # the stretch is its own bout
])
def test_warmup_in_the_same_session_and_weeks(warmup: str, stretch: str, warm: bool) -> None:
    protocol = parse("protocol p\n  schedule 3 times weekly for 6 weeks\n"
                     f"  exercise w\n    kind warmup\n{warmup}    reps 5\n"
                     f"  exercise s\n    kind static_stretch\n{stretch}    hold 30 s\n")
    kinds = ("warmup",)
    assert t.has_warmup_before(protocol, protocol.exercises[1], kinds) is warm
    assert t.has_warmup_before(protocol, protocol.exercises[0], kinds) is False
