"""Dosage and movement (LANGUAGE.md 8.4-8.6, 8.9): the new quantities in P300-P310, P312, P313,
P411, P412's new signs, and `range until` in P407/P409/P410 (codes, positions, messages, help
lines)."""

from __future__ import annotations

import pytest

from protodsl import nodes as n
from protodsl.analysis import analyze_text
from protodsl.diagnostics import Diagnostic
from protodsl.rules.registry import all_rules
from protodsl.rules.values import LOAD, unit_fault

HEAD = ('protocol demo\n  schedule 3 times weekly for 6 weeks\n  stop if pain\n'
        '  condition pain symptom "Pain"\n  condition steady stability "Steady"\n'
        '  condition easy skill "Easy"\n'
        '  measure stance_time stability "Single-leg stance time" in s\n')
EX = HEAD + "  exercise e\n"  # the exercise header is line 8, its first statement line 9
P304_HELP = 'check the number and its unit; if it is intended, add `allow P304 "reason"`'


def diags(text: str) -> list[Diagnostic]:
    """Every diagnostic but P205 (the head defines more than each test uses)."""
    return [d for d in analyze_text(text).diagnostics if d.code != "P205"]


def full(body: str) -> list[tuple[object, ...]]:
    """(code, line, column, end column, message, help) of a single-level exercise's body."""
    return [(d.code, d.span.line, d.span.column, d.span.end_column, d.message, d.help)
            for d in diags(EX + body)]


def codes(text: str) -> list[tuple[str, int]]:
    return [(d.code, d.span.line) for d in diags(text)]


def body_codes(body: str) -> list[tuple[str, int]]:
    return codes(EX + body)


# --- P300, P301: the new units ------------------------------------------------------------


def test_relative_load_units_are_load_units_of_their_own() -> None:
    q = n.Quantity(8, 10, "rm", "8-10 rm", n.NO_SPAN)
    assert unit_fault(q, LOAD) is None
    assert unit_fault(n.Quantity(70, 70, "%1rm", "70 %1rm", n.NO_SPAN), LOAD) is None
    assert unit_fault(n.Quantity(8.5, 8.5, "rm", "8.5 rm", n.NO_SPAN), LOAD) == "P301"
    for body in ("    reps 5\n    load 8-10 rm requires steady\n",
                 "    reps 5\n    optional load 70 %1rm requires steady\n",
                 "    reps 5\n    load 70 % 1rm requires steady\n"):
        assert full(body) == []


def test_unknown_distance_unit_suggests_a_distance_unit() -> None:
    assert full("    distance 5 kms\n") == [
        ("P300", 9, 16, 19, "unknown unit `kms`", "did you mean `km`?")]


@pytest.mark.parametrize(("body", "expected"), [
    ("    distance 400\n", (9, 14, 17, "`distance` needs a distance, but `400` has no unit",
                           "add a unit: `400 m`")),
    ("    distance 5 min\n", (9, 16, 19, "`distance` needs a distance, not a duration (`min`)",
                             "use a unit of distance: `m` or `km`")),
    ("    hold 30 m\n", (9, 13, 14, "`hold` needs a duration, not a distance (`m`)",
                        "use a unit of duration: `s` or `min`")),
    ("    reps 5 m\n", (9, 12, 13,
                       "`reps` is a count and takes no unit, but has a distance (`m`)",
                       "write the number alone: `5`")),
    ("    reps 5\n    sets 2\n    rest 30 rm between sets\n", (
        11, 13, 15, "`rest` needs a duration, not a load set per patient (`rm`)",
        "use a unit of duration: `s` or `min`")),
    ("    reps 5\n    load 8.5 rm requires steady\n", (
        10, 10, 16, "`load 8.5 rm` counts repetitions: an `rm` is a whole number",
        "an `rm` counts whole repetitions, such as `8 rm` or `8-10 rm`")),
])
def test_wrong_kind_of_quantity(body: str, expected: tuple[object, ...]) -> None:
    assert full(body) == [("P301", *expected)]


def test_every_distance_unit_is_a_distance() -> None:
    for unit in ("cm", "m", "km", "ft", "yd", "mi"):
        assert full(f"    distance 1 {unit}\n") == [], unit


# --- P302, P303 ---------------------------------------------------------------------------


def test_backwards_rpe_and_distance() -> None:
    assert full("    reps 5\n    rpe 9-7\n") == [
        ("P302", 10, 9, 12, "the range `9-7` runs backwards: 9 is above 7",
         "write the lower end first: `7-9`")]
    assert full("    distance 5-3 km\n") == [
        ("P302", 9, 14, 20, "the range `5-3 km` runs backwards: 5 is above 3",
         "write the lower end first: `3-5 km`")]


def test_tempo_whose_sum_is_zero_at_its_phases() -> None:
    assert full("    tempo 0-0-0\n    reps 5\n") == [
        ("P303", 9, 11, 16, "`tempo 0-0-0` takes no time: every phase is 0 s",
         "give the phases their seconds, such as `tempo 3-0-1`, or remove `tempo`")]
    assert full("    tempo 0-0-0-0\n    reps 5\n")[0][:4] == ("P303", 9, 11, 18)


def test_zero_phases_and_rpe_zero_are_fine() -> None:
    assert full("    tempo 0-0-x\n    reps 5\n    rpe 0\n") == []
    assert full("    tempo 3-0-1-0\n    reps 5\n    rpe 0-2\n") == []


@pytest.mark.parametrize(("body", "expected"), [
    ("    distance 0 m\n", (9, 14, 17, "`distance` must be more than zero, not `0 m`",
                           "give an amount above zero, or remove the `distance` statement")),
    ("    reps 10, 0, 5\n", (9, 14, 15, "`reps` must be more than zero, not `0`",
                            "give every set of the list at least one rep")),
    ("    reps max up to 0\n", (9, 20, 21, "`reps max up to` must be more than zero, not `0`",
                               "give a number above zero, or remove `up to 0`")),
    ("    reps 5\n    load 0 %1rm requires steady\n", (
        10, 10, 16, "`load` must be more than zero, not `0 %1rm`",
        "give an amount above zero, or remove the `load` statement")),
])
def test_zero_amounts(body: str, expected: tuple[object, ...]) -> None:
    assert full(body) == [("P303", *expected)]


# --- P304 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "expected"), [
    ("    reps 5\n    load 120 %1rm requires steady\n", (
        10, 10, 18, "a load of `120 %1rm` is implausible: over 100 %1rm, the one-repetition "
        "maximum itself")),
    ("    reps 5\n    load 60-150 rm requires steady\n", (
        10, 10, 19, "a load of `60-150 rm` is implausible: over 100 rm")),
    ("    distance 43 km\n", (
        9, 14, 19, "a distance of `43 km` per set is implausible: over 42.2 km (a marathon)")),
    ("    distance 40 km\n    increase distance by 1 km every week up to 50 km\n", (
        10, 48, 53, "the cap `50 km` of `increase distance` is implausible: over 42.2 km (a "
        "marathon)")),
    ("    tempo 100-100-101\n    reps 5\n", (
        9, 11, 22, "`tempo 100-100-101` is implausible: one rep lasts 301 s, over 5 min a rep")),
    ("    reps 101, 5\n", (9, 10, 13, "`reps 101` is implausible: over 100")),
    ("    reps max up to 101\n", (9, 20, 23, "`reps max up to 101` is implausible: over 100")),
])
def test_implausible_amounts(body: str, expected: tuple[object, ...]) -> None:
    assert full(body) == [("P304", *expected, P304_HELP)]


@pytest.mark.parametrize("body", [
    "    reps 5\n    load 100 %1rm requires steady\n",
    "    reps 5\n    load 100 rm requires steady\n",
    # relative loads are never judged in kilograms, with or without equipment
    "    reps 5\n    load 80-95 % 1rm requires steady\n",
    "    distance 42.195 km\n",
    "    distance 26.2 mi\n",
    "    distance 400 m\n    increase distance by 100 m every week up to 5 km\n",
    "    tempo 100-100-100\n    reps 5\n",
    "    reps 100, 100\n",
    "    reps max up to 100\n",
])
def test_plausible_amounts_at_the_limits(body: str) -> None:
    assert full(body) == []


# --- P305 ---------------------------------------------------------------------------------

COVERED = ("`distance` is covered, not repeated; a level has either `distance` or "
           "`reps`/`hold`")


def test_distance_with_reps_or_hold_at_the_later_statement() -> None:
    assert full("    distance 400 m\n    reps 5\n") == [
        ("P305", 10, 5, 11, "`distance` cannot be combined with `reps`", COVERED)]
    assert body_codes("    hold 30 s\n    distance 400 m\n") == [("P305", 10)]
    assert body_codes("    reps 12, 10\n    distance 400 m\n") == [("P305", 10)]
    assert body_codes("    distance 400 m\n    reps max\n") == [("P305", 10)]


def test_distance_with_duration_is_fine() -> None:
    assert full("    distance 400 m\n    duration 5 min\n") == []


def test_duration_with_a_reps_list_or_reps_max() -> None:
    assert body_codes("    duration 5 min\n    reps 12, 10\n") == [("P305", 10)]
    assert body_codes("    reps max\n    duration 5 min\n") == [("P305", 10)]


def test_distance_against_inherited_reps() -> None:
    body = ("    level 1\n      reps max up to 20\n      advance to level 2 when easy\n"
            "    level 2 extends level 1\n      distance 400 m\n")
    assert full(body) == [
        ("P305", 13, 7, 21, "`distance` cannot be combined with `reps` inherited from level 1",
         COVERED + "; do not extend level 1, or give the level its own dosage")]
    body = ("    level 1\n      distance 400 m\n      advance to level 2 when easy\n"
            "    level 2 extends level 1\n      reps 12, 10\n")
    assert [d.message for d in diags(EX + body)] == [
        "`reps` cannot be combined with `distance` inherited from level 1"]


def test_starting_affected_or_unaffected_with_two_sides() -> None:
    for sides in ("each starting affected", "alternating starting unaffected",
                  "each starting left"):
        assert full(f"    reps 10\n    sides {sides}\n") == [], sides


@pytest.mark.parametrize(("sides", "message"), [
    ("affected starting affected",
     "`starting affected` contradicts `sides affected`, which works one side"),
    ("both starting unaffected",
     "`starting unaffected` contradicts `sides both`, which works both sides together"),
    ("left starting affected", "`starting affected` contradicts `sides left`, which works one side"),
])
def test_starting_affected_without_two_sides(sides: str, message: str) -> None:
    [d] = diags(EX + f"    reps 10\n    sides {sides}\n")
    assert (d.code, d.span.line, d.message) == ("P305", 10, message)


# --- P306, P307, P308 ---------------------------------------------------------------------


def test_total_against_a_reps_list() -> None:
    assert full("    reps 12, 10, 8\n    sides each\n    total 60\n") == []
    assert full("    reps 12, 10, 8\n    total 31\n") == [
        ("P306", 10, 11, 13, "`total 31` does not match the reps list's sum x sides = 30 x 1 = 30",
         "write `total 30`, or correct the reps or sides")]


def test_total_against_reps_max() -> None:
    assert full("    reps max up to 10\n    sets 3\n    sides each\n    total 6-60\n") == []
    assert full("    reps max\n    total 10\n") == [
        ("P306", 10, 11, 13, "`total 10` counts reps, but `reps max` has no upper end: as many "
         "reps as possible have no fixed count", "remove `total`, or give the reps a count")]
    [d] = diags(EX + "    reps 10, max\n    total 20\n")
    assert (d.code, d.message) == (
        "P306", "`total 20` counts reps, but `reps 10, max` has a `max` set: as many reps as "
        "possible have no fixed count")


def test_rest_between_sets_sees_the_sets_of_a_reps_list() -> None:
    assert full("    reps 12, 10\n    rest 60 s between sets\n") == []
    # `reps 12` is a single count, not a list: one set by default
    assert body_codes("    reps 12\n    rest 60 s between sets\n") == [("P307", 10)]
    [d] = diags(EX + "    reps 12, max\n    sets 1\n    rest 60 s between sets\n")
    assert d.code == "P312"  # the list's 2 sets, not `sets 1`: no P307


def test_a_reps_list_of_one_set_has_no_rest_between_sets() -> None:
    text = EX.replace("  exercise e\n", "  exercise e\n    level 1\n      reps 10, 8\n"
                      "      advance to level 2 when easy\n    level 2 extends level 1\n"
                      "      reps max\n      rest 30 s between sets\n")
    [d] = diags(text)
    assert (d.code, d.span.line, d.message) == (
        "P307", 14, "rest between sets, but level 2 of `e` has only 1 set")


def test_distance_and_every_reps_form_are_dosage() -> None:
    for body in ("    distance 400 m\n", "    reps max\n", "    reps 12, 10\n",
                 "    reps max up to 12\n"):
        assert full(body) == [], body


# --- P309 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "expected"), [
    ("    reps 5\n    load 8-10 rm requires steady\n"
     "    increase load by 1 kg every week up to 5 kg\n", (
         11, 14, 18, "`increase load` cannot ramp `8-10 rm`: its kilograms are set per patient",
         "give the load in `kg` or `lb` to ramp it, or change the `rm` in a higher level")),
    ("    reps 5\n    load 70 %1rm requires steady\n"
     "    increase load by 5 kg every week up to 90 kg\n", (
         11, 14, 18, "`increase load` cannot ramp `70 %1rm`: its kilograms are set per patient",
         "give the load in `kg` or `lb` to ramp it, or change the `%1rm` in a higher level")),
    ("    reps 12, 10, 8\n    increase reps by 1 every week up to 15\n", (
        10, 14, 18, "`increase reps` cannot ramp a reps list (`reps 12, 10, 8`, line 9)",
        "give each set its reps in the list of a higher level, or ramp a single `reps N`")),
    ("    hold 5 s\n    reps max\n    increase reps by 1 every week up to 15\n", (
        11, 14, 18, "`increase reps` cannot ramp `reps max` (line 10): as many reps as possible "
        "has no count to raise", "remove the increase, or ramp a single `reps N`")),
    ("    reps 12, 10\n    increase sets by 1 every week up to 3\n", (
        10, 14, 18, "`increase sets` cannot ramp the sets of a reps list (`reps 12, 10`, line "
        "9): the list's length is the number of sets",
        "add a set to the list in a higher level, or remove the increase")),
    ("    reps 5\n    load 20 kg requires steady\n"
     "    increase load by 1 rm every week up to 25 kg\n", (
         11, 24, 26, "the step of `increase load` needs a weight, not a load set per patient "
         "(`rm`)", "use a unit of weight: `kg` or `lb`")),
    ("    duration 10 min\n    increase distance by 100 m every week up to 1 km\n", (
        10, 14, 22, "nothing to increase: the level has no `distance`",
        "give the level a `distance` to start from, or remove the increase")),
    ("    distance 400 m\n    increase distance by 1 min every week up to 1 km\n", (
        10, 28, 31, "the step of `increase distance` needs a distance, not a duration (`min`)",
        "use a unit of distance: `m` or `km`")),
    ("    distance 2 km\n    increase distance by 100 m every week up to 1 mi\n", (
        10, 49, 53, "the cap `1 mi` is not above the starting distance `2 km`",
        "the cap is where the increase stops: give one above `2 km`")),
    ("    distance 1-2 km\n    increase distance by 100 m every week up to 3 km\n", (
        10, 14, 22, "the starting distance `1-2 km` is a range: an increase needs a single "
        "starting value", "give the level a single `distance` to ramp from")),
])
def test_bad_increases(body: str, expected: tuple[object, ...]) -> None:
    assert full(body) == [("P309", *expected)]


def test_increases_that_ramp() -> None:
    assert full("    distance 400 m\n    increase distance by 100 m every week up to 1 km\n"
                ) == []
    assert full("    distance 1 mi\n    duration 20 min\n"
                "    increase distance by 0.25 mi every week up to 2 mi\n") == []
    assert full("    reps max\n    increase sets by 1 every week up to 3\n") == []


def test_increase_load_of_a_relative_load_is_not_judged_in_kilograms() -> None:
    # the cap of 90 kg would be P304 on a load in kg; here the increase is P309 alone
    assert body_codes("    reps 5\n    load 70 %1rm requires steady\n"
                      "    increase load by 5 kg every week up to 90 kg\n") == [("P309", 11)]


# --- P310: rpe ----------------------------------------------------------------------------

RPE_HELP = "give an effort from 0 to 10 on the Borg CR10 scale, such as `rpe 7`"


@pytest.mark.parametrize(("rpe", "expected"), [
    ("11", (10, 5, 11, "`rpe 11` is outside the 0-10 scale", RPE_HELP)),
    ("8-12", (10, 5, 13, "`rpe 8-12` reaches past 10, the top of the 0-10 scale", RPE_HELP)),
    ("11-12", (10, 5, 14, "`rpe 11-12` is outside the 0-10 scale", RPE_HELP)),
    ("8 kg", (10, 11, 13, "`rpe` is a score on the 0-10 scale and takes no unit, but has `kg`",
              "write the number alone: `rpe 8`")),
    ("8 points", (10, 11, 17,
                  "`rpe` is a score on the 0-10 scale and takes no unit, but has `points`",
                  "write the number alone: `rpe 8`")),
])
def test_rpe_outside_its_scale_or_with_a_unit(rpe: str, expected: tuple[object, ...]) -> None:
    assert full(f"    reps 5\n    rpe {rpe}\n") == [("P310", *expected)]


@pytest.mark.parametrize("rpe", ["0", "10", "0-10", "0.5", "6.5-7"])
def test_rpe_within_its_scale(rpe: str) -> None:
    assert full(f"    reps 5\n    rpe {rpe}\n") == []


# --- P312 ---------------------------------------------------------------------------------


def test_reps_list_against_its_own_sets_at_the_reps() -> None:
    assert full("    reps 12, 10, 8\n    sets 2\n") == [
        ("P312", 9, 5, 19, "`reps 12, 10, 8` lists 3 sets, but `sets 2` says 2",
         "remove `sets`: the list's length gives the sets")]
    [d] = diags(EX + "    sets 2-3\n    reps 12, 10, 8\n")
    assert (d.code, d.span.line, d.message) == (
        "P312", 10, "`reps 12, 10, 8` lists 3 sets, but `sets 2-3` says 2-3")
    [d] = diags(EX + "    reps 12, 10\n    sets 1\n")
    assert d.message == "`reps 12, 10` lists 2 sets, but `sets 1` says 1"


def test_reps_list_with_matching_or_no_sets() -> None:
    assert full("    reps 12, 10, 8\n    sets 3\n") == []
    assert full("    reps 12, 10, max\n") == []
    assert full("    reps 15\n    sets 3\n") == []


LEVELS = ("    level 1\n      {one}\n      advance to level 2 when easy\n"
          "    level 2 extends level 1\n      {two}\n")


def test_reps_list_against_inherited_sets() -> None:
    [d] = diags(EX + LEVELS.format(one="reps 10\n      sets 3", two="reps 12, 10"))
    assert (d.code, d.span.line, d.span.column, d.message, d.help) == (
        "P312", 14, 7, "`reps 12, 10` lists 2 sets, but `sets 3` (from level 1, line 11) says 3",
        "write `sets 2` in this level, or list one count for each of its sets")


def test_inherited_reps_list_against_own_sets_at_the_sets() -> None:
    [d] = diags(EX + LEVELS.format(one="reps 12, 10, 8", two="sets 4"))
    assert (d.code, d.span.line, d.message, d.help) == (
        "P312", 13, "`sets 4` says 4, but the reps list `reps 12, 10, 8` (from level 1, line "
        "10) lists 3 sets",
        "remove `sets`, or give the level its own reps list with one count for each set")


def test_a_mismatch_copied_whole_is_reported_once() -> None:
    text = EX + LEVELS.format(one="reps 12, 10, 8\n      sets 2", two="rest 30 s between sets")
    assert codes(text) == [("P312", 10)]


def test_a_bad_sets_is_not_compared() -> None:
    assert body_codes("    reps 12, 10\n    sets 0\n") == [("P303", 10)]


# --- P313 ---------------------------------------------------------------------------------

SIDES_HELP = ("give the level one side or two (`sides each`, `alternating`, `left`, `right`, "
              "`affected` or `unaffected`), or name the side in words")


def test_placeholder_in_a_level_text_without_sides() -> None:
    assert full('    step "Stand on the {side} leg."\n    reps 10\n') == [
        ("P313", 9, 5, 36, "`{side}` in the exercise's step has no side to fill: exercise `e` "
         "has no `sides`, so it works both sides together", SIDES_HELP)]


def test_placeholder_in_a_level_with_sides_both() -> None:
    body = ("    level 1\n      reps 10\n      sides both\n"
            '      cue "Keep the {other side} hip level."\n'
            '      error "The knee caves in" fix "Push the {side} knee out."\n'
            '      modification "Hold on with the {other side} hand." when easy\n'
            '      note "A {side} in a note is plain text."\n'
            '      step "Braces {like this} and {sides} are plain text."\n')
    assert [(d.code, d.span.line, d.message) for d in diags(EX + body)] == [
        ("P313", 12, "`{other side}` in this cue has no side to fill: level 1 of `e` has "
         "`sides both` (line 11)"),
        ("P313", 13, "`{side}` in this fix has no side to fill: level 1 of `e` has `sides "
         "both` (line 11)"),
        ("P313", 14, "`{other side}` in this modification has no side to fill: level 1 of `e` "
         "has `sides both` (line 11)"),
    ]


def test_placeholder_in_a_load_placement() -> None:
    [d] = diags(EX + '    reps 10\n    load 2 kg on "the {side} hand" requires steady\n')
    assert (d.code, d.span.line, d.span.column, d.message) == (
        "P313", 10, 5, "`{side}` in this load's placement has no side to fill: exercise `e` "
        "has no `sides`, so it works both sides together")


@pytest.mark.parametrize("sides", ["each", "alternating starting affected", "left", "right",
                                   "affected", "unaffected"])
def test_placeholders_with_a_side_to_fill(sides: str) -> None:
    body = (f'    step "Stand on the {{side}} leg."\n    reps 10\n    sides {sides}\n'
            '    load 2 kg on "the {other side} hand" requires steady\n')
    assert full(body) == []


def test_exercise_text_is_reported_once_at_the_text() -> None:
    body = ('    step "Lunge onto the {side} leg."\n    cue "Keep the {side} knee out."\n'
            "    level 1\n      reps 10\n      advance to level 2 when easy\n"
            "    level 2 extends level 1\n      sets 2\n"
            "      advance to level 3 when easy\n    level 3\n      reps 10\n      sides each\n")
    assert [(d.code, d.span.line, d.message) for d in diags(EX + body)] == [
        ("P313", 9, "`{side}` in the exercise's step has no side to fill: level 1 of `e` has "
         "no `sides`, so it works both sides together"),
        ("P313", 10, "`{side}` in the exercise's cue has no side to fill: level 1 of `e` has "
         "no `sides`, so it works both sides together"),
    ]


def test_exercise_text_shown_only_in_levels_with_sides() -> None:
    body = ('    step "Lunge onto the {side} leg."\n'
            "    level 1\n      reps 10\n      sides each\n      advance to level 2 when easy\n"
            "    level 2 extends level 1\n      sets 2\n")
    assert full(body) == []
    # level 2 restates `sides both`: the exercise's text is shown there with no side
    [d] = diags(EX + body + "      sides both\n")
    assert (d.code, d.span.line, d.message) == (
        "P313", 9, "`{side}` in the exercise's step has no side to fill: level 2 of `e` has "
        "`sides both` (line 16)")


def test_inherited_sides_fill_the_placeholders() -> None:
    body = ("    level 1\n      reps 10\n      sides affected\n      advance to level 2 when easy\n"
            '    level 2 extends level 1\n      step "Kneel on the {other side} knee."\n')
    assert full(body) == []


def test_p313_is_a_warning_that_allow_silences() -> None:
    body = '    allow P313 "read aloud"\n    step "Stand on the {side} leg."\n    reps 10\n'
    assert full(body) == []


# --- P411 ---------------------------------------------------------------------------------

BALANCE = ("    kind balance\n    level 1\n      hold 30 s\n      {one}\n"
           "      advance to level 2 when {when}\n    level 2 extends level 1\n      {two}\n")
STEADY_HELP = ("add a stability condition or measure (`steady`, `stance_time`) to the `when` of "
               "line 13 or to the level's `requires`")


def balance(one: str, two: str, when: str = "easy") -> str:
    return EX + BALANCE.format(one=one, two=two, when=when)


def test_support_taken_away_without_a_stability_gate() -> None:
    [d] = diags(balance("support both_hands", "support fingertip"))
    assert (d.code, d.severity, d.span, d.message, d.help) == (
        "P411", "error", n.Span(15, 7, 15, 24),
        "level 2 of `e` takes support away (`support fingertip` after `both_hands` in level 1) "
        "without a stability gate: `easy` alone would let the patient in (the advance on line "
        "13)", STEADY_HELP)


def test_eyes_closed_without_a_stability_gate() -> None:
    [d] = diags(balance("support none", "eyes closed"))
    assert (d.code, d.span, d.message) == (
        "P411", n.Span(15, 7, 15, 18),
        "level 2 of `e` closes the eyes (`eyes closed` after open eyes in level 1) without a "
        "stability gate: `easy` alone would let the patient in (the advance on line 13)")


def test_both_taken_away_gives_one_diagnostic_each() -> None:
    text = balance("support one_hand", "support none\n      eyes closed")
    assert codes(text) == [("P411", 15), ("P411", 16)]


@pytest.mark.parametrize(("when", "two"), [
    ("easy and steady", "support none"),
    ("steady or stance_time >= 30 s", "support none"),
    ("easy", "requires steady\n      support none"),
    ("stance_time >= 30 s", "eyes closed"),
])
def test_gated_by_the_advance_or_the_requires(when: str, two: str) -> None:
    # (a `requires` that the advance does not guarantee is P405's to say)
    text = EX + BALANCE.format(one="support one_hand", two=two, when=when)
    assert [d for d in diags(text) if d.code == "P411"] == []


def test_requires_and_when_together() -> None:
    text = balance("support both_hands", "requires easy\n      support one_hand", when="easy")
    [d] = diags(text)
    assert d.message.endswith("`easy` alone would let the patient in (the advance on line 13 "
                              "and the level's `requires`)")


def test_a_stability_measure_counts_only_read_as_presence() -> None:
    text = balance("support one_hand", "support none", when="easy and stance_time < 10 s")
    [d] = [d for d in diags(text) if d.code == "P411"]
    assert d.code == "P411" and "`easy and stance_time < 10 s` alone" in d.message


@pytest.mark.parametrize(("one", "two"), [
    ("support one_hand", "support one_hand"),
    ("support none", "support fingertip"),  # more support: easier
    ("eyes open", "support none"),  # unstated support is not judged
    ("support none", "eyes open"),
    ("eyes closed", "sets 2"),  # closed in both
])
def test_nothing_taken_away(one: str, two: str) -> None:
    assert full(BALANCE.format(one=one, two=two, when="easy")) == []


def test_inherited_values_are_compared() -> None:
    body = ("    level 1\n      hold 30 s\n      support both_hands\n"
            "      advance to level 2 when easy\n"
            "    level 2 extends level 1\n      support none\n      requires steady\n"
            "      advance to level 3 when easy\n"
            "    level 3 extends level 2\n      eyes closed\n")
    # level 3 keeps level 2's `support none` and closes the eyes, entered by `easy` alone
    assert [c for c in body_codes(body) if c[0] == "P411"] == [("P411", 18)]


def test_every_advance_is_judged_and_named() -> None:
    body = ("    level 1\n      hold 30 s\n      support both_hands\n"
            "      advance to level 2 when easy and steady\n"
            "      advance to level 3 when easy\n"
            "    level 2 extends level 1\n      support one_hand\n"
            "      advance to level 3 when steady\n"
            "    level 3 extends level 2\n      support none\n")
    [d] = diags(EX + body)
    assert (d.span.line, d.message) == (
        18, "level 3 of `e` takes support away (`support none` after `both_hands` in level 1) "
        "without a stability gate: `easy` alone would let the patient in (the advance on line 13)")


def test_a_level_reached_by_time() -> None:
    body = ("    level 1\n      hold 30 s\n      support both_hands\n"
            "    level 2 extends level 1\n      from week 3\n      support one_hand\n")
    [d] = diags(EX + body)
    assert (d.code, d.span.line, d.message, d.help) == (
        "P411", 14, "level 2 of `e` takes support away (`support one_hand` after `both_hands` in "
        "level 1) without a stability gate: it is reached by time and has no `requires`",
        "give the level a `requires` with a stability condition or measure (`steady`, "
        "`stance_time`)")
    assert diags(EX + body.replace("from week 3\n", "from week 3\n      requires easy\n"))[
        0].message.endswith("`easy` alone would let the patient in (its `requires` (it is "
                            "reached by time))")
    assert full(body.replace("from week 3\n", "from week 3\n      requires steady\n")) == []


def test_advances_that_p201_or_p410_explain_are_not_judged() -> None:
    text = balance("support one_hand", "support none", when="eassy")
    assert [d.code for d in diags(text)] == ["P201"]
    text = balance("support one_hand", "support none", when="easy and not easy")
    assert [d.code for d in diags(text)] == ["P410", "P401"]


def test_without_stability_conditions_the_help_says_to_define_one() -> None:
    text = (EX + BALANCE.format(one="support one_hand", two="support none", when="easy")).replace(
        '  condition steady stability "Steady"\n', "").replace(
        '  measure stance_time stability "Single-leg stance time" in s\n', "")
    [d] = diags(text)
    assert d.help == ('add a stability condition (define one: `condition NAME stability "..."`) '
                      "to the `when` of line 11 or to the level's `requires`")


# --- P412: the new vigorous signs ---------------------------------------------------------

STRENGTH = ("protocol demo\n  schedule 2 times daily\n  stop if pain\n"
            '  condition pain symptom "Pain"\n  exercise squat\n    kind strength\n')


@pytest.mark.parametrize("body", ["    reps 8\n    rpe 8\n", "    reps 8\n    rpe 6-8\n",
                                  "    reps max\n    contraction eccentric\n",
                                  "    reps max up to 15\n    contraction eccentric\n"])
def test_vigorous_signs(body: str) -> None:
    [d] = [d for d in diags(STRENGTH + body) if d.code == "P412"]
    assert (d.span.line, d.message) == (
        5, "`squat` is vigorous strength work (line 8) done up to 14 times a week: more than "
        "once a day")


@pytest.mark.parametrize("body", ["    reps 8\n    rpe 7\n", "    reps 8\n    rpe 5-7.5\n",
                                  "    reps 15\n    contraction eccentric\n",
                                  "    reps max\n    contraction concentric\n",
                                  "    reps 8\n    rpe 12\n"])
def test_not_vigorous(body: str) -> None:
    assert [d for d in diags(STRENGTH + body) if d.code == "P412"] == []


def test_an_inherited_rpe_is_vigorous() -> None:
    body = ("    level 1\n      reps 8\n      rpe 8\n      frequency daily\n"
            "      advance to level 2 when \"easy\"\n"
            "    level 2 extends level 1\n      frequency twice daily\n")
    [d] = [d for d in diags(STRENGTH + body) if d.code == "P412"]
    assert (d.span.line, d.message.split(" is ")[0]) == (13, "level 2 of `squat`")


# --- range until: P410 judges it, P407 and P409 do not -------------------------------------


def test_range_until_is_judged_by_p410_only() -> None:
    assert full("    reps 10\n    range until steady\n") == []
    assert full("    reps 10\n    range until not pain\n") == []
    assert full("    reps 10\n    range until stance_time <= 5 s\n") == []
    [d] = diags(EX + "    reps 10\n    range until pain and not pain\n")
    assert (d.code, d.span.line, d.span.column, d.message) == (
        "P410", 10, 17, "this `range until` can never be true: `pain` and `not pain` cannot "
        "both hold")


def test_range_until_of_the_exercise_and_a_level() -> None:
    body = ("    range until steady and not steady\n    level 1\n      reps 10\n"
            "      range until pain\n")
    assert body_codes(body) == [("P410", 9)]


# --- cascades -----------------------------------------------------------------------------


def test_new_codes_wait_for_syntax_errors_elsewhere() -> None:
    body = ('    step "Stand on the {side} leg."\n    reps 12, 10\n    sets 3\n'
            "    bogus words here\n")
    assert [d.code for d in diags(EX + body)] == ["P104"]
    text = balance("support one_hand", "support none") + "    bogus words\n"
    assert [d.code for d in diags(text)] == ["P104"]


def test_every_new_rule_is_registered_with_examples() -> None:
    rules = all_rules()
    for code in ("P312", "P313", "P411"):
        assert rules[code].check is not None
