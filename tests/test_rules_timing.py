"""Time rules: P510 (bad week window), P412 (vigorous strength more than once a day), and the
time cases of P302 and P309 (positions, messages, help lines)."""

from __future__ import annotations

import pytest

from protodsl import nodes as n
from protodsl.analysis import analyze_text
from protodsl.diagnostics import Diagnostic
from protodsl.rules.registry import all_rules
from protodsl.rules.timing import VIGOROUS_SIGNS, vigorous

HEAD = ('protocol demo\n  schedule 3 times weekly for 6 weeks\n  stop if pain\n'
        '  condition pain symptom "Pain"\n  condition ok stability "Ok"\n'
        '  allow P205 "not every test uses every condition"\n')  # exercises from line 7


def diags(text: str, *codes: str) -> list[Diagnostic]:
    return [d for d in analyze_text(text).diagnostics if d.code in codes]


# --- P510 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("window", "message", "help"), [
    ("from week 0", "`from week 0` starts before week 1",
     "weeks are numbered from 1: the protocol's first week is week 1"),
    ("during weeks 0-2", "`during weeks 0-2` starts before week 1",
     "weeks are numbered from 1: the protocol's first week is week 1"),
    ("from week 7", "`from week 7` lies outside the schedule's 6 weeks",
     "the schedule runs for weeks 1-6: move the window inside them, or lengthen the schedule"),
    ("during week 9", "`during week 9` lies outside the schedule's 6 weeks",
     "the schedule runs for weeks 1-6: move the window inside them, or lengthen the schedule"),
    ("during weeks 5-7", "`during weeks 5-7` lies outside the schedule's 6 weeks",
     "the schedule runs for weeks 1-6: move the window inside them, or lengthen the schedule"),
])
def test_window_outside_the_protocol_weeks(window: str, message: str, help: str) -> None:
    text = HEAD + f"  exercise walk\n    {window}\n    duration 20 min\n"
    [d] = diags(text, "P510")
    assert (d.severity, d.span, d.message, d.help) == (
        "error", n.Span(8, 5, 8, 5 + len(window)), message, help)


@pytest.mark.parametrize("window", ["from week 6", "during weeks 1-6", "during week 1",
                                    "from week 1"])
def test_windows_within_the_schedule(window: str) -> None:
    text = HEAD + f"  exercise walk\n    {window}\n    duration 20 min\n"
    assert diags(text, "P510") == []


def test_without_schedule_weeks_only_week_numbers_are_judged() -> None:
    text = HEAD.replace(" for 6 weeks", "") + "  exercise walk\n    from week 50\n    reps 1\n"
    assert diags(text, "P510") == []
    text = text.replace("from week 50", "during weeks 0-50")
    assert [d.message for d in diags(text, "P510")] == ["`during weeks 0-50` starts before week 1"]


def test_a_one_week_schedule() -> None:
    text = (HEAD.replace("for 6 weeks", "for 1 week")
            + "  exercise walk\n    from week 2\n    reps 1\n")
    [d] = diags(text, "P510")
    assert (d.message, d.help) == (
        "`from week 2` lies outside the schedule's 1 week",
        "the schedule runs for week 1 only: move the window, or lengthen the schedule")


def test_higher_level_starting_before_a_lower_one() -> None:
    text = HEAD + ("  exercise bridge\n"
                   "    level 1\n      from week 2\n      reps 10\n"
                   "    level 2\n      during weeks 4-6\n      reps 12\n"
                   "    level 3\n      during week 3\n      reps 15\n")
    [d] = diags(text, "P510")
    assert (d.span, d.message, d.help) == (
        n.Span(15, 7, 15, 20),
        "level 3 starts in week 3, before level 2 (`during weeks 4-6`, line 12)",
        "a higher level comes later: start level 3 in week 4 or after")


def test_levels_in_the_same_week_or_without_windows_are_fine() -> None:
    text = HEAD + ("  exercise bridge\n"
                   "    level 1\n      from week 2\n      reps 10\n"
                   "      advance to level 2 when ok\n"
                   "    level 2\n      reps 12\n      advance to level 3 when ok\n"
                   "    level 3\n      from week 2\n      reps 15\n")
    assert diags(text, "P510") == []


def test_level_window_outside_its_exercise_window() -> None:
    text = HEAD + ("  exercise bridge\n    during weeks 1-2\n"
                   "    level 1\n      reps 10\n"
                   "    level 2\n      during week 4\n      reps 12\n")
    [d] = diags(text, "P510")
    assert (d.span.line, d.message, d.help) == (
        12, "`during week 4` has no week in common with the exercise's `during weeks 1-2` "
        "(line 8)", "a level is done only in its exercise's weeks: move one of the windows")
    # an overlap of one week is enough
    assert diags(text.replace("during week 4", "during weeks 2-4"), "P510") == []


def test_one_window_one_diagnostic() -> None:
    # below week 1 and beyond the schedule: reported once
    text = HEAD + "  exercise walk\n    during weeks 0-9\n    reps 1\n"
    assert [d.message for d in diags(text, "P510")] == ["`during weeks 0-9` starts before week 1"]
    # a faulty exercise window is not blamed again on its levels
    text = HEAD + ("  exercise bridge\n    from week 9\n"
                   "    level 1\n      from week 2\n      reps 10\n")
    assert [d.span.line for d in diags(text, "P510")] == [8]


def test_backwards_window_is_p302_not_p510() -> None:
    text = HEAD + "  exercise walk\n    during weeks 5-2\n    reps 1\n"
    found = diags(text, "P302", "P510")
    assert [(d.code, d.span, d.message, d.help) for d in found] == [
        ("P302", n.Span(8, 18, 8, 21), "the range `5-2` runs backwards: 5 is above 2",
         "write the lower end first: `2-5`")]


def test_backwards_rate_is_p302() -> None:
    text = HEAD.replace("3 times weekly", "every 3-2 days") + (
        "  exercise walk\n    frequency 5-2 times daily\n    reps 1\n")
    assert [(d.code, d.span.line, d.message) for d in diags(text, "P302", "P304", "P501")] == [
        ("P302", 2, "the range `3-2` runs backwards: 3 is above 2"),
        ("P302", 8, "the range `5-2` runs backwards: 5 is above 2")]


# --- P412 ---------------------------------------------------------------------------------


def test_vigorous_strength_twice_daily() -> None:
    text = HEAD + ("  exercise squat\n    kind strength\n    frequency twice daily\n"
                   "    intensity vigorous\n    reps 8\n")
    [d] = diags(text, "P412")
    assert (d.severity, d.span, d.message, d.help) == (
        "warning", n.Span(9, 5, 9, 26),
        "`squat` is vigorous strength work (line 10) done up to 14 times a week: more than "
        "once a day",
        "give it a `frequency` of at most once a day, such as `frequency daily`")


def test_vigorous_on_the_schedules_rate_is_reported_at_the_exercise_header() -> None:
    text = (HEAD.replace("3 times weekly", "8-10 times weekly")
            + "  exercise squat\n    kind strength\n"
            + "    level 1\n      reps 8\n      advance to level 2 when ok\n"
            + "    level 2 extends level 1\n      intensity vigorous\n"
            + "      advance to level 3 when ok\n"
            + "    level 3 extends level 2\n      sets 2\n")
    [d] = diags(text, "P412")  # once per exercise, for level 2 (level 3 copies it)
    assert (d.span, d.message) == (
        n.Span(7, 3, 7, 17), "level 2 of `squat` is vigorous strength work (line 13) done up "
        "to 10 times a week: more than once a day")
    assert d.help == ("give the exercise a `frequency` of its own, at most once a day, such "
                      "as `frequency 3 times weekly`")


def test_vigorous_frequency_copied_by_extends_is_reported_where_it_is_written() -> None:
    text = HEAD + ("  exercise squat\n    kind strength\n"
                   "    level 1\n      frequency 2 times daily\n      reps 8\n"
                   "      advance to level 2 when ok\n"
                   "    level 2 extends level 1\n      intensity vigorous\n")
    [d] = diags(text, "P412")
    assert d.span.line == 10


@pytest.mark.parametrize(("schedule", "body"), [
    ("daily", "    intensity vigorous\n"),  # 7 a week: once a day
    ("2 times daily", "    intensity moderate\n"),  # not vigorous
    ("2 times daily", "    intensity vigorous\n    frequency as needed\n"),  # not judged
    ("2 times daily", "    intensity vigorous\n    frequency 4-7 times weekly\n"),
])
def test_not_p412(schedule: str, body: str) -> None:
    text = (HEAD.replace("3 times weekly", schedule)
            + "  exercise squat\n    kind strength\n" + body + "    reps 8\n")
    assert diags(text, "P412") == []


def test_only_strength_exercises() -> None:
    text = (HEAD.replace("3 times weekly", "2 times daily")
            + "  exercise run\n    kind aerobic\n    intensity vigorous\n    duration 20 min\n"
            + "  exercise squat\n    intensity vigorous\n    reps 8\n")
    assert diags(text, "P412") == []


def test_vigorous_signs_are_a_list_to_extend() -> None:
    text = HEAD + "  exercise squat\n    kind strength\n    intensity vigorous\n    reps 8\n"
    proto = analyze_text(text).protocol
    assert proto is not None
    from protodsl.dosage import effective_levels

    eff = effective_levels(proto.exercises[0])[1]
    assert vigorous(eff) is eff.intensity
    assert len(VIGOROUS_SIGNS) >= 1


# --- P309 under `as needed` ---------------------------------------------------------------


def test_every_session_increase_as_needed() -> None:
    text = (HEAD.replace("3 times weekly", "as needed")
            + "  exercise neck\n    reps 5\n    increase reps by 1 every session up to 10\n")
    [d] = diags(text, "P309")
    assert (d.span, d.message, d.help) == (
        n.Span(9, 30, 9, 37),
        "`increase reps ... every session` cannot ramp: the level is done `as needed` (the "
        "schedule), which has no count of sessions",
        "increase it `every week`, or give the level a `frequency` with a number of sessions")
    # `every week` ramps as needed too; a frequency of its own gives sessions to count
    assert diags(text.replace("every session", "every week"), "P309") == []
    assert diags(text.replace("    reps 5\n", "    frequency daily\n    reps 5\n"), "P309") == []


# --- examples -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["P412", "P510"])
def test_registered_examples_fail_and_pass(code: str) -> None:
    rule = all_rules()[code]
    assert code in {d.code for d in analyze_text(rule.bad).diagnostics}
    assert analyze_text(rule.good).diagnostics == ()


# --- robustness ---------------------------------------------------------------------------


@pytest.mark.parametrize("big", ["9" * 30, "9" * 400])
def test_huge_rates_and_weeks_never_crash(big: str) -> None:
    text = (f"protocol demo\n  schedule {big} times daily for {big} weeks\n"
            '  condition ok stability "Ok"\n'
            f"  exercise a\n    frequency every {big} days\n    from week {big}\n    reps 5\n"
            "    increase reps by 1 every session up to 50\n"
            f"  exercise b\n    kind strength\n"
            f"    level 1\n      intensity vigorous\n      during weeks 1-{big}\n      hold 1 s\n"
            "      advance to level 2 when ok\n"
            f"    level 2\n      frequency {big} times weekly\n      reps 3\n")
    found = analyze_text(text).diagnostics
    assert [d for d in found if d.code == "P900"] == []
    assert [(d.code, d.span.line) for d in found if d.code in ("P304", "P412", "P510")] == [
        ("P304", 2), ("P304", 2), ("P304", 5), ("P412", 9), ("P304", 17)]
    # every 10^30 days (line 5): less than one session in 4 weeks, implausibly sparse
    [sparse] = [d for d in found if d.code == "P304" and d.span.line == 5]
    assert sparse.message == (
        f"a session every {big} days is implausible: less than one session in 4 weeks")
    assert "more than a million sessions a week" in found[0].message


def test_p412_is_held_back_while_a_broken_frequency_may_have_hidden_the_real_one() -> None:
    text = """protocol demo
  schedule 2 times daily
  exercise squat
    kind strength
    frequency 3 times wekly
    intensity vigorous
    reps 10
"""
    assert [d.code for d in analyze_text(text).diagnostics] == ["P100"]
    fixed = text.replace("wekly", "weekly")
    assert [d.code for d in analyze_text(fixed).diagnostics] == []
