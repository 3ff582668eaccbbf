"""Schedule: P500-P502 (positions, messages, the worst-case session estimate)."""

from __future__ import annotations

import pytest

from protodsl import nodes as n
from protodsl.analysis import analyze_text
from protodsl.diagnostics import Diagnostic
from protodsl.rules.registry import all_rules
from protodsl.rules.schedule import duration_text, worst_case, worst_session

OWN = {"P200", "P201", "P202", "P203", "P204", "P205", "P300", "P301", "P302", "P303", "P304",
       "P305", "P306", "P307", "P308", "P309", "P500", "P501", "P502"}

TAIL = ('  stop if pain\n  condition pain symptom "Pain"\n  condition easy skill "Easy"\n'
        '  allow P205 "not every test uses every condition"\n')


def diags(text: str) -> list[Diagnostic]:
    """The diagnostics of this engineer's codes, in report order."""
    return [d for d in analyze_text(text).diagnostics if d.code in OWN]


def protocol(schedule: str, exercises: str, limit: str | None = None) -> str:
    """A protocol: the schedule on line 2, the session limit (if any) on line 3."""
    head = "protocol demo\n" + (f"  schedule {schedule}\n" if schedule else "")
    if limit is not None:
        head += f"  session limit {limit}\n"
    return head + TAIL + exercises


SQUAT = "  exercise squat\n    reps 10\n"


# --- P500 ---------------------------------------------------------------------------------


def test_no_schedule_is_a_warning_at_the_protocol_header() -> None:
    text = 'protocol demo "Demo"\n' + TAIL + SQUAT
    [d] = diags(text)
    assert (d.code, d.severity, d.span) == ("P500", "warning", n.Span(1, 1, 1, 21))
    assert d.message == "protocol `demo` has no schedule"
    assert d.help == "add a `schedule`, such as `schedule 3 times weekly for 6 weeks`"


@pytest.mark.parametrize("schedule", [
    "daily", "daily for 1 week", "2 times daily", "3 times weekly for 6 weeks",
    "every 2 days", "every 1 day for 2 weeks", "twice daily", "once weekly for 4 weeks",
    "6-8 times daily", "every 2-3 days for 3 weeks", "as needed", "as needed for 2 weeks",
])
def test_every_schedule_form_is_a_schedule(schedule: str) -> None:
    assert diags(protocol(schedule, SQUAT)) == []


def test_allow_p500() -> None:
    text = 'protocol demo\n  allow P500 "done when needed"\n' + TAIL + SQUAT
    assert diags(text) == []


# --- P501 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("schedule", "span", "message"), [
    ("0 times weekly", n.Span(2, 12, 2, 13),
     "`0 times weekly` is no schedule: the times must be more than zero"),
    ("0 times daily for 4 weeks", n.Span(2, 12, 2, 13),
     "`0 times daily` is no schedule: the times must be more than zero"),
    ("every 0 days", n.Span(2, 18, 2, 19),
     "`every 0 days` is no schedule: the days must be more than zero"),
    ("3 times weekly for 0 weeks", n.Span(2, 31, 2, 32),
     "a schedule `for 0 weeks` never takes place"),
])
def test_zero_in_a_schedule(schedule: str, span: n.Span, message: str) -> None:
    [d] = diags(protocol(schedule, SQUAT))
    assert (d.code, d.severity, d.span, d.message) == ("P501", "error", span, message)


@pytest.mark.parametrize(("line", "span", "message", "help"), [
    ("    frequency 0 times daily\n", (8, 15, 8, 16),
     "`0 times daily` is no frequency: the times must be more than zero",
     "give how many times, such as `3 times daily`"),
    ("    frequency every 0 days\n", (8, 21, 8, 22),
     "`every 0 days` is no frequency: the days must be more than zero",
     "use `frequency daily` for every day, or `every 2 days`"),
    ("    frequency 0-3 times weekly\n", (8, 15, 8, 18),
     "`0-3 times weekly` includes zero: the times of a frequency must be more than zero",
     "give how many times, such as `3 times weekly`"),
])
def test_zero_in_a_frequency(line: str, span: tuple[int, int, int, int], message: str,
                             help: str) -> None:
    text = protocol("daily", "") + "  exercise squat\n" + line + "    reps 10\n"
    [d] = diags(text)
    assert (d.code, d.span, d.message, d.help) == ("P501", n.Span(*span), message, help)


def test_zero_in_a_schedule_range() -> None:
    [d] = diags(protocol("every 0-2 days", SQUAT))
    assert (d.code, d.span, d.message) == (
        "P501", n.Span(2, 18, 2, 21),
        "`every 0-2 days` includes zero: the days of a schedule must be more than zero")


def test_zero_times_and_zero_weeks_are_two_faults() -> None:
    found = diags(protocol("every 0 days for 0 weeks", SQUAT))
    assert [(d.code, d.span.column) for d in found] == [("P501", 18), ("P501", 29)]


def test_schedule_zero_is_not_p303_or_p304() -> None:
    codes = [d.code for d in analyze_text(protocol("0 times daily for 0 weeks", SQUAT)).diagnostics]
    assert codes == ["P501", "P501"]


# --- P502 ---------------------------------------------------------------------------------

PLANK = ("  exercise plank\n    hold 60 s\n    reps 3\n    sets 2\n"
         "    rest 60 s between sets\n")  # 60 x 3 x 2 + 60 = 420 s


def test_session_over_the_limit_at_session_limit() -> None:
    [d] = diags(protocol("daily", PLANK, "5 min"))
    assert (d.code, d.severity, d.span) == ("P502", "warning", n.Span(3, 3, 3, 22))
    assert d.message == ("the longest session is estimated at 7 min, over the session limit "
                         "of 5 min")
    assert d.help == ("at their longest levels and capped increases: `plank` 7 min; shorten "
                      "the dosage or raise the `session limit`")


def test_session_exactly_at_the_limit_is_fine() -> None:
    assert diags(protocol("daily", PLANK, "7 min")) == []
    assert diags(protocol("daily", PLANK, "419 s"))[0].code == "P502"


def test_without_session_limit_there_is_no_p502() -> None:
    exercise = PLANK + "    increase hold by 1 min every week up to 5 min\n"
    assert diags(protocol("daily", exercise)) == []


def test_increases_are_counted_at_their_caps() -> None:
    exercise = ("  exercise plank\n    hold 30 s\n    reps 3\n    sets 2\n"
                "    rest 30 s between sets\n"
                "    increase hold by 10 s every week up to 1 min\n")  # 210 s, 390 s capped
    [d] = diags(protocol("daily", exercise, "5 min"))
    assert d.message.startswith("the longest session is estimated at 6 min 30 s")
    assert diags(protocol("daily", exercise, "6.5 min")) == []


def test_each_exercise_counts_at_its_longest_level() -> None:
    exercise = ("  exercise squat\n    level 1\n      reps 10\n"
                "      advance to level 2 when easy\n"
                "    level 2\n      reps 10\n      sets 2-4\n      sides each\n"
                "      rest 30 s between sets\n      rest 15 s between sides\n"
                "  exercise breathe\n    breaths 5\n")
    # level 2 at its upper ends: (10 x 3 x 2 + 15) x 4 + 30 x 3 = 390 s; breathe 25 s
    [d] = diags(protocol("daily", exercise, "6 min"))
    assert d.message == ("the longest session is estimated at 6 min 55 s, over the session "
                         "limit of 6 min")
    assert "`squat` 6 min 30 s, `breathe` 25 s" in (d.help or "")


def test_a_faulty_session_limit_gives_no_p502() -> None:
    found = diags(protocol("daily", PLANK, "5 kg"))
    assert [d.code for d in found] == ["P301"]


def test_worst_case_and_duration_text() -> None:
    text = protocol("daily", PLANK + "  exercise walk\n    duration 2 min\n"
                    "    increase duration by 1 min every week up to 4 min\n")
    proto = analyze_text(text).protocol
    assert proto is not None
    assert worst_case(proto) == (660, [("plank", 420), ("walk", 240)])
    assert [duration_text(s) for s in (0, 45, 60, 90, 3600, 12.5)] == [
        "0 s", "45 s", "1 min", "1 min 30 s", "60 min", "12.5 s"]


def test_a_bout_is_not_part_of_the_session() -> None:
    walk = "  exercise walk\n    frequency daily\n    duration 30 min\n"
    assert diags(protocol("daily", PLANK + walk, "7 min")) == []
    # the same walk without a frequency of its own is in the session
    [d] = diags(protocol("daily", PLANK + walk.replace("    frequency daily\n", ""), "7 min"))
    assert d.message == ("the longest session is estimated at 37 min, over the session "
                         "limit of 7 min")


def test_a_level_with_its_own_frequency_in_level_1_makes_a_bout() -> None:
    walk = "  exercise walk\n    level 1\n      frequency 3 times weekly\n      duration 30 min\n"
    assert diags(protocol("daily", PLANK + walk, "7 min")) == []


WINDOWED = ("  exercise plank\n    during weeks 1-2\n    hold 60 s\n    reps 3\n"  # 180 s
            "  exercise walk\n    from week 3\n    duration 4 min\n"  # 240 s
            "  exercise bike\n    duration 2 min\n")  # 120 s


def test_the_session_is_judged_in_its_fullest_week() -> None:
    # weeks 1-2: 180 + 120 = 300 s; from week 3: 240 + 120 = 360 s
    [d] = diags(protocol("daily for 4 weeks", WINDOWED, "5 min"))
    assert d.message == ("the longest session is estimated at 6 min (in week 3), over the "
                         "session limit of 5 min")
    assert d.help == ("at their longest levels and capped increases: `walk` 4 min, `bike` 2 min; "
                      "shorten the dosage or raise the `session limit`")
    assert diags(protocol("daily for 4 weeks", WINDOWED, "6 min")) == []
    # the walk's weeks lie beyond a 2-week schedule (P510): it is never listed, so 300 s
    found = [d.code for d in analyze_text(protocol("daily for 2 weeks", WINDOWED, "5 min"))
             .diagnostics]
    assert "P502" not in found


def test_levels_are_judged_in_the_weeks_that_list_them() -> None:
    exercise = ("  exercise squat\n    level 1\n      during weeks 1-2\n      reps 10\n"
                "    level 2\n      from week 3\n      reps 40\n"  # 120 s
                "  exercise plank\n    during weeks 1-2\n    hold 60 s\n    reps 2\n")  # 120 s
    proto = analyze_text(protocol("daily for 4 weeks", exercise)).protocol
    assert proto is not None
    # week 1: 30 + 120 = 150; week 3: 120 + 0 = 120
    assert worst_session(proto) == (150, [("squat", 30), ("plank", 120)], 1)


def test_worst_session_without_windows_has_no_week() -> None:
    proto = analyze_text(protocol("daily", PLANK)).protocol
    assert proto is not None
    assert worst_session(proto) == (420, [("plank", 420)], None)


# --- examples -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["P500", "P501", "P502"])
def test_registered_examples_fail_and_pass(code: str) -> None:
    rule = all_rules()[code]
    assert code in {d.code for d in analyze_text(rule.bad).diagnostics}
    assert analyze_text(rule.good).diagnostics == ()
