"""Values and units: P300-P309 (positions, messages, help lines, cascades)."""

from __future__ import annotations

import pytest

from protodsl import nodes as n
from protodsl.analysis import analyze_text
from protodsl.diagnostics import Diagnostic
from protodsl.rules.registry import all_rules
from protodsl.rules.values import (
    COUNT,
    DURATION,
    LOAD,
    number_fault,
    sessions_per_week,
    show,
    unit_fault,
)

OWN = {"P200", "P201", "P202", "P203", "P204", "P205", "P300", "P301", "P302", "P303", "P304",
       "P305", "P306", "P307", "P308", "P309", "P500", "P501", "P502"}

HEAD = ('protocol demo\n  schedule 3 times weekly\n  stop if pain\n'
        '  condition pain symptom "Pain"\n  condition steady stability "Steady"\n'
        '  condition easy skill "Easy"\n  allow P205 "not every test uses every condition"\n')
EX = HEAD + "  exercise e\n"  # the exercise header is line 8, its first statement line 9


def diags(text: str) -> list[Diagnostic]:
    """The diagnostics of this engineer's codes, in report order."""
    return [d for d in analyze_text(text).diagnostics if d.code in OWN]


def one(body: str) -> Diagnostic:
    """The single diagnostic of a single-level exercise with this body."""
    found = diags(EX + body)
    assert len(found) == 1, found
    return found[0]


def codes(body: str) -> list[tuple[str, int]]:
    return [(d.code, d.span.line) for d in diags(EX + body)]


def q(low: float, high: float, unit: str | None = None, is_range: bool = False) -> n.Quantity:
    return n.Quantity(low, high, unit, "", n.NO_SPAN, None, is_range)


# --- helpers ------------------------------------------------------------------------------


def test_unit_fault() -> None:
    assert unit_fault(q(30, 30, "s"), DURATION) is None
    assert unit_fault(q(30, 30, "kg"), DURATION) == "P301"
    assert unit_fault(q(30, 30), DURATION) == "P301"
    assert unit_fault(q(30, 30, "secnds"), DURATION) == "P300"
    assert unit_fault(q(5, 5, "lbs"), LOAD) is None
    assert unit_fault(q(5, 5, "min"), LOAD) == "P301"
    assert unit_fault(q(10, 10), COUNT) is None
    assert unit_fault(q(10, 10, "s"), COUNT) == "P301"
    assert unit_fault(q(10, 10, "whatever"), COUNT) == "P301"
    assert unit_fault(q(2.5, 2.5), COUNT) == "P301"
    assert unit_fault(q(2.0, 3), COUNT) is None


def test_number_fault() -> None:
    assert number_fault(q(1, 2)) is None
    assert number_fault(q(2, 2)) is None
    assert number_fault(q(3, 2)) == "P302"
    assert number_fault(q(0, 2)) == "P303"
    assert number_fault(q(5, -3)) == "P303"
    assert number_fault(q(-1, -1)) == "P303"


def test_show_and_sessions_per_week() -> None:
    assert show((8, 15)) == "8-15" and show((8, 8)) == "8" and show((1.5, 2.0)) == "1.5-2"
    per_week = [sessions_per_week(n.Schedule(n.NO_SPAN, n.Rate(form, lo, hi, per, n.NO_SPAN),
                                             None))
                for form, lo, hi, per in (
                    ("daily", None, None, None), ("times", 3, 3, "daily"),
                    ("times", 4, 4, "weekly"), ("every", 2, 2, None), ("every", 0, 0, None),
                    ("times", 6, 8, "daily"), ("every", 2, 3, None),
                    ("as_needed", None, None, None))]
    assert per_week == [7, 21, 4, 3.5, None, 56, 3.5, None]


# --- P300 ---------------------------------------------------------------------------------


def test_unknown_unit_at_the_unit_with_the_closest_unit_of_the_right_kind() -> None:
    d = one("    hold 30 secnds\n")
    assert (d.code, d.span, d.message, d.help) == (
        "P300", n.Span(9, 13, 9, 19), "unknown unit `secnds`", "did you mean `seconds`?")


def test_unknown_unit_on_a_load_suggests_a_load_unit() -> None:
    d = one("    reps 5\n    load 5 kgz requires steady\n")
    assert (d.code, d.span.line, d.help) == ("P300", 10, "did you mean `kg`?")


def test_unknown_unit_far_from_every_unit_lists_the_units() -> None:
    d = one("    reps 5\n    sets 2\n    rest 1 hr between sets\n")
    assert d.code == "P300"
    assert d.help == ("use one of `min`, `mins`, `minute`, `minutes`, `s`, `sec`, `second`, "
                      "`seconds`, `secs`")


def test_unknown_unit_gives_p300_only() -> None:
    assert codes("    hold 30 sex\n    increase hold by 5 sex every week up to 60 s\n") == [
        ("P300", 9), ("P300", 10)]


def test_capitalised_unit_is_unknown() -> None:
    d = one("    hold 30 S\n")
    assert (d.code, d.help) == ("P300", "did you mean `s`?")


# --- P301 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "span", "message"), [
    ("    hold 30 kg\n", (9, 13, 15), "`hold` needs a duration, not a weight (`kg`)"),
    ("    duration 2 lb\n", (9, 16, 18), "`duration` needs a duration, not a weight (`lb`)"),
    ("    reps 3\n    sets 2\n    rest 30 kg between sets\n", (11, 13, 15),
     "`rest` needs a duration, not a weight (`kg`)"),
    ("    reps 3\n    load 5 min requires steady\n", (10, 12, 15),
     "`load` needs a weight, not a duration (`min`)"),
    ("    reps 10 s\n", (9, 13, 14),
     "`reps` is a count and takes no unit, but has a duration (`s`)"),
    ("    reps 10\n    sets 3 kg\n", (10, 12, 14),
     "`sets` is a count and takes no unit, but has a weight (`kg`)"),
    ("    breaths 5 deep\n", (9, 15, 19), "`breaths` is a count and takes no unit, but has `deep`"),
    ("    reps 4\n    total 4 x\n", (10, 13, 14),
     "`total` is a count and takes no unit, but has `x`"),
    ("    reps 10\n    sets 2.5\n", (10, 10, 13),
     "`sets` is a count: it must be a whole number, not `2.5`"),
    ("    hold 30\n", (9, 10, 12), "`hold` needs a duration, but `30` has no unit"),
    ("    reps 3\n    load 5 requires steady\n", (10, 10, 11),
     "`load` needs a weight, but `5` has no unit"),
    ("    reps 3\n    sides each\n    rest 20-30 between sides\n", (11, 10, 15),
     "`rest` needs a duration, but `20-30` has no unit"),
])
def test_wrong_kind_of_quantity(body: str, span: tuple[int, int, int], message: str) -> None:
    d = one(body)
    assert (d.code, d.span.line, d.span.column, d.span.end_column) == ("P301", *span)
    assert d.message == message


def test_bare_number_help_adds_a_unit() -> None:
    assert one("    hold 30\n").help == "add a unit: `30 s`"
    assert one("    reps 3\n    load 5 requires steady\n").help == "add a unit: `5 kg`"
    text = HEAD.replace("weekly\n", "weekly\n  session limit 20\n")
    d = diags(text + "  exercise e\n    reps 1\n")
    assert [(x.code, x.span, x.help) for x in d] == [
        ("P301", n.Span(3, 17, 3, 19), "add a unit: `20 min`")]


def test_unit_on_a_count_help_writes_the_number_alone() -> None:
    assert one("    reps 8-12 s\n").help == "write the number alone: `8-12`"


def test_session_limit_of_the_wrong_kind() -> None:
    text = (HEAD.replace("weekly\n", "weekly\n  session limit 20 kg\n")
            + "  exercise e\n    reps 1\n")
    assert [(d.code, d.span) for d in diags(text)] == [("P301", n.Span(3, 20, 3, 22))]


def test_increase_kind_mismatch_is_p309_not_p301() -> None:
    assert codes("    hold 30 s\n    increase hold by 5 every week up to 60 s\n") == [
        ("P309", 10)]


# --- P302, P303 ---------------------------------------------------------------------------


def test_backwards_range() -> None:
    d = one("    hold 60 to 30 s\n")
    assert (d.code, d.span) == ("P302", n.Span(9, 10, 9, 20))
    assert d.message == "the range `60 to 30 s` runs backwards: 60 is above 30"
    assert d.help == "write the lower end first: `30-60 s`"


def test_equal_ends_are_a_single_value() -> None:
    assert codes("    reps 10-10\n") == []


@pytest.mark.parametrize(("body", "line", "message"), [
    ("    reps 0\n", 9, "`reps` must be more than zero, not `0`"),
    ("    hold -30 s\n", 9, "`hold` must be more than zero, not `-30 s`"),
    ("    reps 10\n    sets 0-2\n", 10, "`sets` must be more than zero, not `0-2`"),
    ("    reps 10\n    load 0 kg requires steady\n", 10,
     "`load` must be more than zero, not `0 kg`"),
    ("    reps 10\n    increase reps by 0 every week up to 20\n", 10,
     "the step of `increase reps` must be more than zero, not `0`"),
    ("    reps 10\n    increase reps by 2 every week up to 0\n", 10,
     "the cap of `increase reps` must be more than zero, not `0`"),
])
def test_zero_or_negative(body: str, line: int, message: str) -> None:
    d = one(body)
    assert (d.code, d.span.line, d.message) == ("P303", line, message)


def test_zero_rest_help_says_to_remove_it() -> None:
    d = one("    reps 10\n    sets 3\n    rest 0 s between sets\n")
    assert (d.code, d.help) == ("P303", "for no rest, remove the `rest` statement")


def test_a_range_that_is_negative_and_backwards_gives_p303_only() -> None:
    assert codes("    reps 5--3\n") == [("P303", 9)]


def test_unit_and_number_faults_on_one_amount_are_both_reported() -> None:
    assert codes("    hold -5 kg\n") == [("P303", 9), ("P301", 9)]


# --- P304 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "message"), [
    ("    hold 301 s\n", "a hold of `301 s` is implausible: over 5 min"),
    ("    duration 1.5 min\n    duration 61 min\n", None),
    ("    duration 61 min\n", "a duration of `61 min` is implausible: over 60 min"),
    ("    reps 101\n", "`reps 101` is implausible: over 100"),
    ("    reps 1\n    sets 10-21\n", "`sets 10-21` is implausible: over 20"),
    ("    breaths 51\n", "`breaths 51` is implausible: over 50"),
    ("    reps 1\n    sets 2\n    rest 601 s between sets\n",
     "a rest of `601 s` is implausible: over 10 min"),
    ("    reps 1\n    load 111 lb requires steady\n",
     "a load of `111 lb` is implausible: over 50 kg"),
    ("    hold 10 s\n    increase hold by 1 min every week up to 6 min\n",
     "the cap `6 min` of `increase hold` is implausible: over 5 min"),
])
def test_implausible_amounts(body: str, message: str | None) -> None:
    found = [d for d in diags(EX + body) if d.code == "P304"]
    if message is None:  # a repeated statement (P206) is not judged twice
        assert [d.code for d in analyze_text(EX + body).diagnostics] == ["P206"]
        return
    [d] = found
    assert (d.severity, d.message) == ("warning", message)
    assert d.help == 'check the number and its unit; if it is intended, add `allow P304 "reason"`'


def test_amounts_at_the_limits_are_plausible() -> None:
    assert codes("    hold 5 min\n    reps 100\n    sets 20\n    breaths 50\n"
                 "    rest 10 min between sets\n    load 50 kg requires steady\n") == []
    assert codes("    reps 1\n    load 110 lb requires steady\n") == []  # 49.895 kg


@pytest.mark.parametrize(("schedule", "span", "message"), [
    ("13 times daily", n.Span(2, 12, 2, 14),
     "91 sessions a week is implausible: over 84 (12 a day)"),
    ("85 times weekly", n.Span(2, 12, 2, 14),
     "85 sessions a week is implausible: over 84 (12 a day)"),
    ("10-13 times daily", n.Span(2, 12, 2, 17),
     "91 sessions a week is implausible: over 84 (12 a day)"),
    ("daily for 105 weeks", n.Span(2, 22, 2, 25), "105 weeks is implausible: over 104"),
])
def test_implausible_schedules(schedule: str, span: n.Span, message: str) -> None:
    text = HEAD.replace("3 times weekly", schedule) + "  exercise e\n    reps 1\n"
    [d] = diags(text)
    assert (d.code, d.span, d.message) == ("P304", span, message)


def test_plausible_schedule_limits() -> None:
    for schedule in ("12 times daily for 104 weeks", "84 times weekly", "6-12 times daily",
                     "as needed for 104 weeks", "every 1 days"):
        text = (HEAD.replace("3 times weekly", schedule) + "  exercise e\n    reps 1\n")
        assert diags(text) == [], schedule


@pytest.mark.parametrize(("frequency", "line", "span", "message"), [
    ("    frequency 13 times daily\n", 9, (9, 15, 9, 17),
     "91 sessions a week is implausible: over 84 (12 a day)"),
    ("    level 1\n      frequency 8-100 times weekly\n      reps 1\n", 10, (10, 17, 10, 22),
     "100 sessions a week is implausible: over 84 (12 a day)"),
])
def test_implausible_frequencies(frequency: str, line: int, span: tuple[int, int, int, int],
                                 message: str) -> None:
    body = frequency if "level" in frequency else frequency + "    reps 1\n"
    [d] = diags(EX + body)
    assert (d.code, d.span, d.message) == ("P304", n.Span(*span), message)


def test_plausible_frequencies() -> None:
    assert codes("    frequency 12 times daily\n    reps 1\n") == []
    assert codes("    frequency as needed\n    reps 1\n") == []
    assert codes("    frequency every 1 days\n    reps 1\n") == []


def test_loads_on_named_equipment_may_be_heavier() -> None:
    head = HEAD.replace("  allow P205", '  equipment barbell "Barbell"\n  allow P205')
    text = head + "  exercise e\n    reps 1\n"
    assert diags(text + "    load 200 kg barbell requires steady\n") == []
    [d] = diags(text + "    load 201 kg barbell requires steady\n")
    assert (d.code, d.message) == (
        "P304", "a load of `201 kg` is implausible: over 200 kg on named equipment")
    [d] = diags(text + "    load 51 kg requires steady\n")
    assert (d.code, d.message) == ("P304", "a load of `51 kg` is implausible: over 50 kg")
    # the cap of `increase load` is judged like its load
    assert diags(text + "    load 100 kg barbell requires steady\n"
                 "    increase load by 5 kg every week up to 200 kg\n") == []
    [d] = diags(text + "    load 40 kg requires steady\n"
                "    increase load by 5 kg every week up to 60 kg\n")
    assert (d.code, d.span.line, d.message) == (
        "P304", 12, "the cap `60 kg` of `increase load` is implausible: over 50 kg")


def test_p304_is_silent_when_the_amount_has_another_fault() -> None:
    assert codes("    hold 10 kg\n") == [("P301", 9)]
    assert codes("    reps 500-200\n") == [("P302", 9)]


def test_allow_p304() -> None:
    text = HEAD + '  allow P304 "an endurance protocol"\n  exercise e\n    hold 6 min\n'
    assert diags(text) == []


# --- P305 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("sides", "message"), [
    ("left starting left", "`starting left` contradicts `sides left`, which works one side"),
    ("right starting left", "`starting left` contradicts `sides right`, which works one side"),
    ("both starting right",
     "`starting right` contradicts `sides both`, which works both sides together"),
    ("each starting both", "`starting both` names no first side"),
])
def test_starting_without_two_sides(sides: str, message: str) -> None:
    d = one(f"    reps 10\n    sides {sides}\n")
    start = 11 + len(sides.split()[0]) + 1
    assert (d.code, d.span.line, d.span.column, d.message) == ("P305", 10, start, message)


def test_starting_with_two_sides_is_fine() -> None:
    assert codes("    reps 10\n    sides each starting left\n") == []
    assert codes("    reps 10\n    sides alternating starting right\n") == []


def test_duration_with_reps_or_hold_at_the_later_statement() -> None:
    assert codes("    duration 1 min\n    reps 10\n") == [("P305", 10)]
    assert codes("    hold 30 s\n    duration 1 min\n") == [("P305", 10)]
    d = one("    reps 3\n    duration 1 min\n    hold 30 s\n")
    assert (d.span.line, d.message) == (11, "`duration` cannot be combined with `reps` and `hold`")


def test_duration_against_inherited_reps() -> None:
    body = ("    level 1\n      reps 10\n      advance to level 2 when easy\n"
            "    level 2 extends level 1\n      duration 2 min\n")
    d = one(body)
    assert (d.code, d.span.line) == ("P305", 13)
    assert d.message == "`duration` cannot be combined with `reps` inherited from level 1"


def test_reps_against_inherited_duration() -> None:
    body = ("    level 1\n      duration 2 min\n      advance to level 2 when easy\n"
            "    level 2 extends level 1\n      sets 2\n      hold 5 s\n")
    d = one(body)
    assert (d.code, d.span.line) == ("P305", 14)
    assert d.message == "`hold` cannot be combined with `duration` inherited from level 1"


# --- P306 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "message"), [
    ("    reps 10\n    sides each\n    total 10\n",
     "`total 10` does not match reps x sides x sets = 10 x 2 x 1 = 20"),
    ("    reps 8-12\n    sets 2-3\n    total 16-24\n",
     "`total 16-24` does not match reps x sides x sets = 8-12 x 1 x 2-3 = 16-36"),
    ("    hold 30 s\n    sides alternating\n    sets 2\n    total 2\n",
     "`total 2` does not match reps x sides x sets = 1 x 2 x 2 = 4"),
])
def test_total_mismatch(body: str, message: str) -> None:
    d = one(body)
    assert (d.code, d.message) == ("P306", message)
    total_line = body.count("\n") + 8
    assert d.span.line == total_line and d.span.column == 11


def test_matching_totals() -> None:
    assert codes("    reps 8-12\n    sets 2-3\n    sides each\n    total 32-72\n") == []
    assert codes("    hold 30 s\n    total 1\n") == []


def test_total_uses_effective_values_after_extends() -> None:
    body = ("    level 1\n      reps 10\n      sets 2\n      sides each\n      total 40\n"
            "      advance to level 2 when easy\n"
            "    level 2 extends level 1\n      reps 12\n      total 24\n")
    d = one(body)
    assert (d.code, d.span.line) == ("P306", 17)
    assert d.help == "write `total 48`, or correct the reps, sides or sets"


def test_total_without_reps() -> None:
    d = one("    duration 5 min\n    total 10\n")
    assert d.message == "`total 10` counts reps, but exercise `e` has no reps"


def test_total_is_not_checked_against_a_faulty_amount() -> None:
    assert codes("    reps 10 s\n    total 3\n") == [("P301", 9)]
    assert codes("    reps 10\n    sets 0\n    total 3\n") == [("P303", 10)]


# --- P307 ---------------------------------------------------------------------------------


def test_rest_between_sets_with_one_set() -> None:
    d = one("    reps 10\n    rest 60 s between sets\n")
    assert (d.code, d.severity, d.span) == ("P307", "warning", n.Span(10, 5, 10, 27))
    assert d.message == "rest between sets, but exercise `e` has only 1 set"
    assert codes("    reps 10\n    sets 1\n    rest 60 s between sets\n") == [("P307", 11)]


def test_rest_between_sets_with_more_sets_possible() -> None:
    assert codes("    reps 10\n    sets 1-2\n    rest 60 s between sets\n") == []
    assert codes("    reps 10\n    rest 60 s between sets\n"
                 "    increase sets by 1 every week up to 3\n") == []


def test_rest_between_sides_with_one_side() -> None:
    d = one("    reps 10\n    rest 20 s between sides\n")
    assert d.message == ("rest between sides, but `sides both` (the default) works both "
                         "sides together")
    d = one("    reps 10\n    sides right\n    rest 20 s between sides\n")
    assert (d.span.line, d.message) == (
        11, "rest between sides, but `sides right` works only the right side")
    assert codes("    reps 10\n    sides each\n    rest 20 s between sides\n") == []


def test_rest_with_sets_from_extends() -> None:
    body = ("    level 1\n      reps 10\n      sets 3\n      advance to level 2 when easy\n"
            "    level 2 extends level 1\n      rest 30 s between sets\n")
    assert codes(body) == []


# --- P308 ---------------------------------------------------------------------------------


def test_level_without_dosage_at_its_header() -> None:
    body = ("    level 1\n      reps 10\n      advance to level 2 when easy\n"
            "    level 2 \"Harder\"\n      sets 3\n")
    d = one(body)
    assert (d.code, d.span) == ("P308", n.Span(12, 5, 12, 21))
    assert d.message == "level 2 of `e` has no dosage"
    assert d.help == ("give it a `hold`, `duration`, `reps`, `breaths` or `distance`, or "
                      "`extends level 1`")


def test_single_level_without_dosage_at_the_exercise_header() -> None:
    d = one("    sets 3\n")
    assert (d.code, d.span, d.message) == (
        "P308", n.Span(8, 3, 8, 13), "exercise `e` has no dosage")


def test_dosage_through_extends_and_each_kind_of_dosage() -> None:
    body = ("    level 1\n      breaths 5\n      advance to level 2 when easy\n"
            "    level 2 extends level 1\n      sets 2\n")
    assert codes(body) == []
    for dose in ("hold 5 s", "duration 1 min", "reps 3", "breaths 4"):
        assert codes(f"    {dose}\n") == []


def test_extends_that_is_not_lower_gives_no_p308() -> None:
    body = ("    level 1\n      reps 10\n      advance to level 2 when easy\n"
            "    level 2 extends level 2\n      sets 3\n")
    assert [d.code for d in analyze_text(EX + body).diagnostics] == ["P408"]


# --- P309 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "span", "message"), [
    ("    reps 10\n    increase hold by 5 s every week up to 30 s\n", (10, 14, 18),
     "nothing to increase: the level has no `hold`"),
    ("    duration 1 min\n    increase reps by 1 every week up to 5\n", (10, 14, 18),
     "nothing to increase: the level has no `reps`"),
    ("    reps 10\n    increase load by 1 kg every week up to 5 kg\n", (10, 14, 18),
     "nothing to increase: the level has no `load`"),
    ("    reps 10\n    load 1 kg requires steady\n    load 1 kg requires steady\n"
     "    increase load by 1 kg every week up to 5 kg\n", (12, 14, 18),
     "nothing to increase: the level has 2 loads"),
    ("    reps 8-12\n    increase reps by 2 every week up to 20\n", (10, 14, 18),
     "the starting reps `8-12` is a range: an increase needs a single starting value"),
    ("    hold 30 s\n    increase hold by 5-10 s every week up to 60 s\n", (10, 22, 28),
     "the step of `increase hold` is a range: `5-10 s`"),
    ("    reps 10\n    increase reps by 2 every week up to 15-20\n", (10, 41, 46),
     "the cap of `increase reps` is a range: `15-20`"),
    ("    hold 1 min\n    increase hold by 5 s every week up to 45 s\n", (10, 43, 47),
     "the cap `45 s` is not above the starting hold `1 min`"),
    ("    hold 1 min\n    increase hold by 5 s every week up to 60 s\n", (10, 43, 47),
     "the cap `60 s` is not above the starting hold `1 min`"),
    ("    reps 3\n    increase sets by 1 every week up to 1\n", (10, 41, 42),
     "the cap `1` is not above the starting sets 1 (the default)"),
    ("    hold 30 s\n    increase hold by 5 every week up to 60 s\n", (10, 22, 23),
     "the step of `increase hold` needs a duration, but `5` has no unit"),
    ("    hold 30 s\n    increase hold by 5 s every week up to 2 kg\n", (10, 45, 47),
     "the cap of `increase hold` needs a duration, not a weight (`kg`)"),
    ("    reps 10\n    increase reps by 2 kg every week up to 20\n", (10, 24, 26),
     "the step of `increase reps` is a count and takes no unit, but has a weight (`kg`)"),
    ("    reps 10\n    increase reps by 1.5 every week up to 20\n", (10, 22, 25),
     "the step of `increase reps` is a count: it must be a whole number, not `1.5`"),
    ("    reps 10\n    load 2 kg requires steady\n"
     "    increase load by 1 kg every week up to 10 s\n", (11, 47, 48),
     "the cap of `increase load` needs a weight, not a duration (`s`)"),
    ("    reps 10\n    increase reps by 2 every week up to 20\n"
     "    increase reps by 1 every week up to 15\n", (11, 14, 18),
     "`reps` is already increased on line 10"),
])
def test_bad_increase(body: str, span: tuple[int, int, int], message: str) -> None:
    d = one(body)
    assert (d.code, d.span.line, d.span.column, d.span.end_column) == ("P309", *span)
    assert d.message == message


def test_good_increases() -> None:
    assert codes("    hold 30 s\n    increase hold by 10 s every week up to 1 min\n"
                 "    increase reps by 1 every session up to 3\n"
                 "    increase sets by 1 every week up to 2\n") == []
    assert codes("    reps 1\n    load 2 lb requires steady\n"
                 "    increase load by 1 lb every week up to 2 kg\n") == []
    body = ("    level 1\n      duration 5 min\n      advance to level 2 when easy\n"
            "    level 2 extends level 1\n"
            "      increase duration by 1 min every week up to 10 min\n")
    assert codes(body) == []


def test_increase_with_a_faulty_step_or_start_gives_one_diagnostic() -> None:
    assert codes("    hold 30 s\n    increase hold by 5 sex every week up to 60 s\n") == [
        ("P300", 10)]
    assert codes("    hold 30 kg\n    increase hold by 5 s every week up to 60 s\n") == [
        ("P301", 9)]
    assert codes("    reps 10\n    increase reps by 5 every week up to 20-15\n") == [
        ("P302", 10)]


# --- examples -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(c for c in OWN if c.startswith("P3")))
def test_registered_examples_fail_and_pass(code: str) -> None:
    rule = all_rules()[code]
    assert code in {d.code for d in analyze_text(rule.bad).diagnostics}
    assert analyze_text(rule.good).diagnostics == ()


# --- robustness ---------------------------------------------------------------------------


@pytest.mark.parametrize("big", ["9" * 400, "1" + "0" * 20, "1" + "0" * 14])
def test_huge_amounts_are_implausible_never_a_crash(big: str) -> None:
    body = (f"    reps {big}\n    sets {big}\n    hold {big} s\n"
            f"    load 1-{big} kg requires steady\n"
            f"    increase hold by 1 s every week up to {big} min\n"
            f"    total {big}\n    sides each\n    rest {big} s between sides\n")
    text = HEAD.replace("weekly\n", f"weekly for {big} weeks\n  session limit {big} min\n")
    found = analyze_text(text + "  exercise e\n" + body).diagnostics
    assert not [d for d in found if d.code == "P900" and "rule P" in d.message
                and d.message.split("rule ")[1][:4] in OWN]
    assert [d.span.line for d in found if d.code == "P304"] == [2, 10, 11, 12, 13, 14, 17]
