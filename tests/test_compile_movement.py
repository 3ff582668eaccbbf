"""The compiler's version 2 dosage and movement (LANGUAGE.md 8.4-8.6, 8.8), value by value
against numbers worked out by hand: tempo, contraction, reps per set, reps max, rpe, distance,
relative and optional loads, support, eyes, range until, the patient's sides with filled texts,
and exercise-level texts.

The documents are compiled from the analysed protocol directly (after asserting that the file
has no syntax or structure error), so that these tests pin the compiler's values whatever the
state of the checker's rules for the new forms.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

import protodsl
from protodsl.analysis import analyze_text
from protodsl.compiler import compile_protocol


def r(low: float, high: float | None = None) -> dict[str, float | None]:
    return {"min": low, "max": low if high is None else high}


def open_r(low: float) -> dict[str, float | None]:
    return {"min": low, "max": None}


def compiled(text: str) -> dict[str, Any]:
    """The compiled document of ``text``, which must parse and be well structured, and whose
    document must validate against the shipped schema."""
    analysis = analyze_text(text)
    structural = [(d.code, d.span.line, d.message) for d in analysis.diagnostics
                  if d.code[:2] in ("P1", "P2") and d.severity == "error"]
    assert structural == [] and analysis.protocol is not None
    doc = compile_protocol(analysis.protocol)
    validator = jsonschema.Draft202012Validator(protodsl.schema())
    assert [e.message for e in validator.iter_errors(doc)] == []
    return doc


def ex(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(e for e in doc["exercises"] if e["name"] == name)


def lv(doc: dict[str, Any], name: str, number: int = 1) -> dict[str, Any]:
    return next(x for x in ex(doc, name)["levels"] if x["level"] == number)


HEAD = "protocol p\n  schedule 3 times weekly for 4 weeks\n  condition ok stability \"Ok\"\n"


# --- tempo and contraction ----------------------------------------------------------------


def test_a_rep_lasts_the_tempo_sum() -> None:
    doc = compiled(HEAD + (
        "  exercise squat\n    level 1\n      reps 10\n      sets 2\n"
        "      rest 60 s between sets\n      tempo 3-0-1\n      contraction eccentric\n"
        "      advance to level 2 when ok\n"
        "    level 2 extends level 1\n      tempo 2-1-x-0\n"))
    one, two = lv(doc, "squat", 1), lv(doc, "squat", 2)
    assert one["dosage"]["tempo"] == {"phases": [3, 0, 1], "rep_s": 4}
    assert one["dosage"]["contraction"] == "eccentric"
    assert one["estimated_time_s"] == r(140)  # 10 x 4 s x 2 sets + 60 s
    # x counts 1 s: 2 + 1 + 1 + 0 = 4; the contraction is copied
    assert two["dosage"]["tempo"] == {"phases": [2, 1, "x", 0], "rep_s": 4}
    assert two["dosage"]["contraction"] == "eccentric"
    assert two["estimated_time_s"] == r(140)


def test_a_hold_outlasts_the_tempo_and_x_is_one_second() -> None:
    doc = compiled(HEAD + (
        "  exercise plank\n    hold 20 s\n    reps 2\n    tempo 5-0-5\n"
        "  exercise jump\n    reps 6\n    tempo x-0-x\n"))
    assert lv(doc, "plank")["estimated_time_s"] == r(40)  # the hold, not the tempo
    assert lv(doc, "jump")["dosage"]["tempo"] == {"phases": ["x", 0, "x"], "rep_s": 2}
    assert lv(doc, "jump")["estimated_time_s"] == r(12)
    assert doc["estimated_session_s"] == r(52)


# --- reps per set -------------------------------------------------------------------------


def test_reps_list_range_total_sets_and_estimate() -> None:
    doc = compiled(HEAD + (
        "  exercise press\n    reps 12, 10, 8\n    sets 3\n    total 30\n"
        "    rest 90 s between sets\n"))
    one = lv(doc, "press")
    d = one["dosage"]
    assert d["reps"] == r(8, 12) and d["sets"] == r(3) and d["total_reps"] == r(30)
    assert d["reps_per_set"] == [
        {"reps": r(12), "as_many_as_possible": False},
        {"reps": r(10), "as_many_as_possible": False},
        {"reps": r(8), "as_many_as_possible": False}]
    # set 1 spelled out
    assert [(e["side"], e["reps"]) for e in one["sequence"]] == [("both", r(12))]
    assert one["estimated_time_s"] == r(270)  # (12 + 10 + 8) x 3 s + 2 x 90 s


def test_reps_list_without_sets_gives_the_sets_and_each_side_counts_twice() -> None:
    doc = compiled(HEAD + (
        "  exercise lunge\n    reps 8, 6\n    sides each starting left\n"
        "    rest 20 s between sides\n"))
    one = lv(doc, "lunge")
    assert one["dosage"]["sets"] == r(2) and one["dosage"]["total_reps"] == r(28)
    assert [(e["side"], e["reps"]) for e in one["sequence"]] == [("left", r(8)),
                                                                 ("right", r(8))]
    # set 1: 8 x 3 x 2 + 20 = 68; set 2: 6 x 3 x 2 + 20 = 56
    assert one["estimated_time_s"] == r(124)


def test_reps_list_alternating_spells_out_set_one() -> None:
    doc = compiled(HEAD + "  exercise step_out\n    reps 3, 2\n    sides alternating\n")
    one = lv(doc, "step_out")
    assert [e["side"] for e in one["sequence"]] == ["right", "left"] * 3
    assert all(e["reps"] == r(1) for e in one["sequence"])
    assert one["dosage"]["total_reps"] == r(10)
    assert one["estimated_time_s"] == r(30)  # (3 + 2) x 3 s x 2 sides


def test_reps_list_with_max_has_no_upper_end() -> None:
    doc = compiled(HEAD + "  exercise push\n    reps 10, 10, max\n    tempo 2-0-1\n")
    d = lv(doc, "push")["dosage"]
    assert d["reps"] == open_r(1) and d["total_reps"] == open_r(21)
    assert d["reps_per_set"][2] == {"reps": open_r(1), "as_many_as_possible": True}
    assert lv(doc, "push")["sequence"][0]["reps"] == r(10)  # set 1 is 10 reps
    # (10 + 10 + 1) x 3 s at the least; no known most
    assert lv(doc, "push")["estimated_time_s"] == open_r(63)
    assert doc["estimated_session_s"] == open_r(63)
    assert doc["estimated_week_s"] == open_r(189)


def test_reps_list_is_copied_and_restated_reps_replace_it() -> None:
    doc = compiled(HEAD + (
        "  exercise press\n    level 1\n      reps 12, 10\n      advance to level 2 when ok\n"
        "      advance to level 3 when ok\n"
        "    level 2 extends level 1\n      tempo 1-0-1\n"
        "    level 3 extends level 1\n      reps 5\n      sets 2\n"))
    assert lv(doc, "press", 2)["dosage"]["reps_per_set"] == lv(
        doc, "press", 1)["dosage"]["reps_per_set"]
    assert lv(doc, "press", 2)["estimated_time_s"] == r(44)  # 22 x 2 s
    three = lv(doc, "press", 3)["dosage"]
    assert three["reps"] == r(5) and three["reps_per_set"] is None and three["sets"] == r(2)


# --- reps max -----------------------------------------------------------------------------


def test_reps_max_up_to_n() -> None:
    doc = compiled(HEAD + (
        "  exercise push\n    reps max up to 12\n    sets 2-3\n    rest 60 s between sets\n"))
    one = lv(doc, "push")
    d = one["dosage"]
    assert d["reps"] == r(1, 12) and d["total_reps"] == r(2, 36)
    assert d["reps_per_set"] == [{"reps": r(1, 12), "as_many_as_possible": True}] * 3
    assert one["sequence"][0]["reps"] == r(1, 12)
    assert one["estimated_time_s"] == r(66, 228)  # 2 x 1 x 3 + 60 .. 3 x 12 x 3 + 120


def test_reps_max_without_n_makes_the_maximum_unknown() -> None:
    doc = compiled(HEAD + (
        "  exercise push\n    reps max\n    sets 2\n"
        "  exercise curl\n    reps 10\n"))
    one = lv(doc, "push")
    assert one["dosage"]["reps"] == open_r(1) and one["dosage"]["total_reps"] == open_r(2)
    assert one["sequence"][0]["reps"] == open_r(1)
    assert one["estimated_time_s"] == open_r(6)
    assert doc["estimated_session_s"] == open_r(36)
    assert doc["estimated_week_s"] == open_r(108)
    assert lv(doc, "curl")["estimated_time_s"] == r(30)


def test_reps_max_bout_has_an_open_estimate() -> None:
    doc = compiled(HEAD + "  exercise push\n    frequency daily\n    reps max\n")
    assert ex(doc, "push")["bout"]["estimated_s"] == open_r(3)
    assert doc["estimated_session_s"] == r(0)
    assert doc["estimated_week_s"] == open_r(21)


# --- rpe ----------------------------------------------------------------------------------


def test_rpe_is_a_range_and_is_copied() -> None:
    doc = compiled(HEAD + (
        "  exercise lift\n    level 1\n      reps 8\n      rpe 6-7\n"
        "      advance to level 2 when ok\n    level 2 extends level 1\n      reps 6\n"
        "  exercise walk\n    duration 10 min\n    rpe 0\n"))
    assert lv(doc, "lift", 1)["dosage"]["rpe"] == r(6, 7)
    assert lv(doc, "lift", 2)["dosage"]["rpe"] == r(6, 7)
    assert lv(doc, "walk")["dosage"]["rpe"] == r(0)


# --- distance -----------------------------------------------------------------------------


def test_distance_in_metres_and_its_time() -> None:
    doc = compiled("protocol p\n  schedule 3 times weekly for 6 weeks\n" + (
        "  exercise walk\n    distance 400 m\n"
        "    increase distance by 200 m every week up to 1 km\n"
        "  exercise timed\n    distance 1.5 km\n    duration 20 min\n"
        "  exercise miles\n    distance 1-2 mi\n    sets 2\n    rest 5 min between sets\n"))
    walk = lv(doc, "walk")
    assert walk["dosage"]["distance_m"] == r(400)
    assert walk["estimated_time_s"] == open_r(0)
    assert walk["increases"] == [{"what": "distance_m", "by": 200, "every": "week",
                                  "up_to": 1000, "line": 5}]
    assert [x["dosage"]["distance_m"] for x in walk["ramp"]] == [r(400), r(600), r(800),
                                                                 r(1000)]
    assert [w["exercises"][0]["levels"][0]["dosage"]["distance_m"] for w in doc["weeks"]] == [
        r(400), r(600), r(800), r(1000), r(1000), r(1000)]
    timed = lv(doc, "timed")
    assert timed["dosage"]["distance_m"] == r(1500)
    assert timed["estimated_time_s"] == r(1200)  # the duration gives the time
    miles = lv(doc, "miles")
    assert miles["dosage"]["distance_m"] == r(1609.344, 3218.688)
    assert miles["estimated_time_s"] == open_r(300)  # only the rest between sets is known
    assert doc["estimated_session_s"] == open_r(1500)


# --- loads --------------------------------------------------------------------------------


def test_relative_and_optional_loads() -> None:
    doc = compiled(
        "protocol p\n  schedule 2 times weekly for 2 weeks\n  stop if pain\n"
        "  condition pain symptom \"Pain\"\n  condition braced stability \"Braced\"\n"
        "  equipment barbell \"Barbell\"\n"
        "  exercise squat\n    reps 8\n"
        "    load 8-10 rm barbell on \"the upper back\" requires braced\n"
        "    load 60-70 % 1rm requires braced\n"
        "    optional load 75%1rm requires braced\n"
        "    optional load 5 lb requires braced\n")
    one = lv(doc, "squat")
    common = {"equipment": None, "placement": None, "requires": {"condition": "braced"}}
    assert one["loads"] == [
        {**common, "kg": None, "rm": r(8, 10), "percent_1rm": None, "optional": False,
         "written": "8-10 rm", "equipment": "barbell", "placement": "the upper back",
         "line": 9},
        {**common, "kg": None, "rm": None, "percent_1rm": r(60, 70), "optional": False,
         "written": "60-70 % 1rm", "line": 10},
        {**common, "kg": None, "rm": None, "percent_1rm": r(75), "optional": True,
         "written": "75%1rm", "line": 11},
        {**common, "kg": r(2.268), "rm": None, "percent_1rm": None, "optional": True,
         "written": "5 lb", "line": 12}]
    assert one["ramp"][0]["loads_kg"] == [None, None, None, r(2.268)]
    assert doc["weeks"][1]["exercises"][0]["levels"][0]["loads_kg"] == [None, None, None,
                                                                        r(2.268)]


# --- support, eyes, range until -----------------------------------------------------------


def test_support_and_eyes_with_defaults_and_copies() -> None:
    doc = compiled(HEAD + (
        "  exercise stance\n    level 1\n      hold 30 s\n      support one_hand\n"
        "      advance to level 2 when ok\n"
        "    level 2 extends level 1\n      eyes closed\n      advance to level 3 when ok\n"
        "    level 3\n      hold 30 s\n"))
    assert (lv(doc, "stance", 1)["dosage"]["support"],
            lv(doc, "stance", 1)["dosage"]["eyes"]) == ("one_hand", "open")
    assert (lv(doc, "stance", 2)["dosage"]["support"],
            lv(doc, "stance", 2)["dosage"]["eyes"]) == ("one_hand", "closed")
    assert (lv(doc, "stance", 3)["dosage"]["support"],
            lv(doc, "stance", 3)["dosage"]["eyes"]) == (None, "open")


def test_range_until_of_the_exercise_and_the_levels() -> None:
    doc = compiled(
        "protocol p\n  schedule 3 times weekly for 2 weeks\n"
        "  measure flexion mobility \"Knee flexion\" in deg\n"
        "  condition heel_lift form \"Heel lifts\"\n  condition ok skill \"Ok\"\n"
        "  exercise squat\n    range until flexion >= 90 deg or heel_lift\n"
        "    level 1\n      reps 10\n      advance to level 2 when ok\n"
        "    level 2 extends level 1\n      range until flexion >= 120 deg\n"
        "      advance to level 3 when ok\n"
        "    level 3 extends level 2\n"
        "  exercise hinge\n    reps 8\n    range until \"the back rounds\"\n")
    squat = ex(doc, "squat")
    outer = {"any": [{"measure": "flexion", "op": ">=", "value": 90},
                     {"condition": "heel_lift"}]}
    deeper = {"measure": "flexion", "op": ">=", "value": 120}
    assert squat["range_until"] == outer
    assert [x["dosage"]["range_until"] for x in squat["levels"]] == [outer, deeper, deeper]
    # a single-level exercise's range belongs to the exercise and shows in level 1
    assert ex(doc, "hinge")["range_until"] == {"text": "the back rounds"}
    assert lv(doc, "hinge")["dosage"]["range_until"] == {"text": "the back rounds"}
    assert all(x["dosage"]["range_until"] is None for x in ex(doc, "hinge")["levels"][1:])


# --- sides and filled texts ---------------------------------------------------------------


SIDES = HEAD + '''\
  equipment cuff "Cuff"
  exercise lift
    step "Lie on the {other side} side."
    cue "Lift the {side} leg {up}."
    level 1
      sides affected
      reps 10
      error "The {side} hip rolls" fix "Stack the {side} hip over the {other side} one."
      modification "Bend the {other side} knee" when not ok
      advance to level 2 when ok
    level 2 extends level 1
      sides each starting affected
      load 1 kg cuff on "the {side} ankle" requires ok
  exercise swing
    sides alternating starting unaffected
    reps 1
    step "Swing the {side} leg."
  exercise bridge
    reps 5
    step "Keep the {side} foot flat."
'''


def test_affected_sides_as_written() -> None:
    doc = compiled(SIDES)
    one, two = lv(doc, "lift", 1), lv(doc, "lift", 2)
    assert one["dosage"]["sides"] == "affected"
    assert one["dosage"]["side_order"] == ["affected"]
    assert two["dosage"]["side_order"] == ["affected", "unaffected"]
    assert [e["side"] for e in two["sequence"]] == ["affected", "unaffected"]
    assert lv(doc, "swing")["dosage"]["side_order"] == ["unaffected", "affected"]
    assert [e["side"] for e in lv(doc, "swing")["sequence"]] == ["unaffected", "affected"]
    assert two["dosage"]["total_reps"] == r(20)
    assert two["estimated_time_s"] == r(60)


def test_texts_filled_per_side_and_kept_as_written() -> None:
    doc = compiled(SIDES)
    one = lv(doc, "lift", 1)
    # the texts themselves are kept as written, the exercise's first
    assert one["steps"] == ["Lie on the {other side} side."]
    assert one["cues"] == ["Lift the {side} leg {up}."]
    assert one["sequence"][0]["texts"] == {
        "steps": ["Lie on the unaffected side."],
        "cues": ["Lift the affected leg {up}."],  # other braces are plain text
        "errors": [{"error": "The affected hip rolls",
                    "fix": "Stack the affected hip over the unaffected one."}],
        "modifications": ["Bend the unaffected knee"],
        "placements": []}
    two = lv(doc, "lift", 2)
    assert two["loads"][0]["placement"] == "the {side} ankle"
    assert [e["texts"] for e in two["sequence"]] == [
        {"steps": ["Lie on the unaffected side."], "cues": ["Lift the affected leg {up}."],
         "errors": [], "modifications": [], "placements": ["the affected ankle"]},
        {"steps": ["Lie on the affected side."], "cues": ["Lift the unaffected leg {up}."],
         "errors": [], "modifications": [], "placements": ["the unaffected ankle"]}]
    assert [e["texts"]["steps"] for e in lv(doc, "swing")["sequence"]] == [
        ["Swing the unaffected leg."], ["Swing the affected leg."]]
    # `both` has no side to fill: the placeholders stay as written
    assert lv(doc, "bridge")["sequence"][0]["texts"]["steps"] == ["Keep the {side} foot flat."]


def test_left_and_right_fill_in_the_opposite_side() -> None:
    doc = compiled(HEAD + (
        "  exercise lunge\n    reps 5\n    sides each starting left\n"
        "    step \"Step forward with the {side} foot, {other side} knee down; "
        "{side} again.\"\n"))
    assert [e["texts"]["steps"][0] for e in lv(doc, "lunge")["sequence"]] == [
        "Step forward with the left foot, right knee down; left again.",
        "Step forward with the right foot, left knee down; right again."]


# --- exercise-level texts -----------------------------------------------------------------


def test_exercise_texts_come_first_and_are_not_copied() -> None:
    doc = compiled(HEAD + '''\
  exercise bridge
    step "Lie down."
    cue "Squeeze."
    error "Arching" fix "Brace first."
    modification "Smaller range"
    level 1
      reps 10
      step "Lift the hips."
      advance to level 2 when ok
    level 2 extends level 1
      cue "Keep level."
      error "A hip drops" fix "Slow down."
      modification "Hold still" when not ok
''')
    bridge = ex(doc, "bridge")
    assert bridge["steps"] == ["Lie down."] and bridge["cues"] == ["Squeeze."]
    assert bridge["errors"] == [{"error": "Arching", "fix": "Brace first.", "line": 7}]
    assert bridge["modifications"] == [{"text": "Smaller range", "when": None, "line": 8}]
    one, two = lv(doc, "bridge", 1), lv(doc, "bridge", 2)
    assert one["steps"] == ["Lie down.", "Lift the hips."]
    assert two["steps"] == ["Lie down."]  # level 1's own step is not copied
    assert two["cues"] == ["Squeeze.", "Keep level."]
    assert [x["line"] for x in two["errors"]] == [7, 15]
    assert [(x["text"], x["line"]) for x in two["modifications"]] == [
        ("Smaller range", 8), ("Hold still", 16)]
    assert two["modifications"][1]["when"] == {"not": {"condition": "ok"}}


def test_single_level_texts_belong_to_the_exercise_and_show_in_level_1() -> None:
    doc = compiled(HEAD + '''\
  exercise clam
    reps 12
    step "Lie on your side."
    cue "Feet together."
    note "A note stays with the exercise."
    error "Pelvis rolls" fix "Back to a wall."
    modification "Smaller range"
''')
    clam, one = ex(doc, "clam"), lv(doc, "clam")
    assert clam["steps"] == one["steps"] == ["Lie on your side."]
    assert clam["cues"] == one["cues"] == ["Feet together."]
    assert clam["errors"] == one["errors"] == [
        {"error": "Pelvis rolls", "fix": "Back to a wall.", "line": 9}]
    assert clam["modifications"] == one["modifications"]
    assert clam["notes"] == ["A note stays with the exercise."] and one["notes"] == []


# --- the shapes in the schema -------------------------------------------------------------


@pytest.mark.parametrize("path, bad", [
    (("tempo",), {"phases": [3, 0], "rep_s": 3}),
    (("tempo",), {"phases": [3, 0, "y"], "rep_s": 4}),
    (("reps_per_set",), []),
    (("reps_per_set",), [{"reps": r(10)}]),
    (("rpe",), r(6, 11)),
    (("eyes",), None),
    (("support",), "two_hands"),
    (("sides",), "other"),
])
def test_the_schema_rejects_bad_movement_values(path: tuple[str, ...], bad: Any) -> None:
    doc = compiled(HEAD + "  exercise squat\n    reps 10\n    tempo 3-0-1\n")
    dosage = lv(doc, "squat")["dosage"]
    dosage[path[0]] = bad
    validator = jsonschema.Draft202012Validator(protodsl.schema())
    assert list(validator.iter_errors(doc))
