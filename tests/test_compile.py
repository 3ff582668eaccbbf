"""The compiler, fact by fact against values computed by hand from LANGUAGE.md section 6."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import protodsl
from protodsl.api import ProtocolError
from protodsl.compiler import num, sessions_in_week, steps_taken
from protodsl.output import dumps

HEEL_RAISES = Path(__file__).parent / "conformance" / "valid" / "heel_raises.protocol"
WEEKLY_3 = {"form": "times_weekly", "count": {"min": 3, "max": 3},
            "sessions_per_week": {"min": 3, "max": 3}}
# A v1 level's dosage keys of 8.4-8.6: nothing stated (eyes open by default).
NO_MOVEMENT = {"tempo": None, "contraction": None, "reps_per_set": None, "rpe": None,
               "distance_m": None, "support": None, "eyes": "open", "range_until": None}
NO_TEXTS = {"steps": [], "cues": [], "errors": [], "modifications": [], "placements": []}


def r(low: float, high: float | None = None) -> dict[str, float]:
    return {"min": low, "max": low if high is None else high}


def ex(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(e for e in doc["exercises"] if e["name"] == name)


def lv(doc: dict[str, Any], name: str, number: int) -> dict[str, Any]:
    return next(x for x in ex(doc, name)["levels"] if x["level"] == number)


# --- the brief's example ------------------------------------------------------------------


@pytest.fixture(scope="module")
def heel() -> dict[str, Any]:
    return protodsl.load(HEEL_RAISES)


def test_heel_raises_top_level(heel: dict[str, Any]) -> None:
    assert sorted(heel) == ["conditions", "equipment", "estimated_session_s",
                            "estimated_week_s", "exercises", "measures", "protocol", "schedule",
                            "schema_version", "stop_if", "weeks"]
    assert heel["schema_version"] == 2
    assert heel["protocol"] == {
        "name": "heel_raises", "title": "Heel Raise Progression",
        "source": "Written for the protodsl language brief",
        "purpose": "Rebuild calf strength and ankle control after a sprain.\n"
                   "Progress only when the previous level is easy and pain-free.",
        "author": None, "version": None, "notes": []}
    assert heel["schedule"] == {"sessions_per_week": 3, "weeks": 6, "session_limit_s": 1200,
                                "frequency": WEEKLY_3}
    assert heel["measures"] == []
    assert heel["conditions"][0] == {"name": "ankle_steady", "kind": "stability",
                                     "text": "Keeps the ankle from rolling out for the whole set"}
    assert [c["name"] for c in heel["conditions"]] == [
        "ankle_steady", "single_leg_balance", "easy_twenty", "sharp_pain", "swelling"]
    assert heel["equipment"] == [{"name": "wall", "text": "A wall or a sturdy chair to hold"},
                                 {"name": "dumbbell", "text": "Dumbbell, 2-10 kg"}]
    assert heel["stop_if"] == [{"condition": "sharp_pain"}]
    assert [e["name"] for e in heel["exercises"]] == ["ankle_circles", "heel_raise",
                                                      "calf_stretch"]


def test_heel_raises_exercises(heel: dict[str, Any]) -> None:
    circles = ex(heel, "ankle_circles")
    assert {k: v for k, v in circles.items() if k != "levels"} == {
        "name": "ankle_circles", "title": "Ankle circles", "kind": "warmup", "requires": None,
        "uses": [], "stop_if": [], "notes": [], "cues": [], "line": 21, "frequency": None,
        "window": None, "bout": None, "steps": [], "errors": [], "modifications": [],
        "range_until": None}
    raise_ = ex(heel, "heel_raise")
    assert raise_["kind"] == "strength" and raise_["line"] == 26
    assert raise_["stop_if"] == [{"condition": "swelling"}]
    assert [x["level"] for x in raise_["levels"]] == [1, 2, 3]
    stretch = ex(heel, "calf_stretch")
    assert stretch["uses"] == ["wall"] and stretch["kind"] == "static_stretch"
    assert stretch["line"] == 51


def test_heel_raise_level_1(heel: dict[str, Any]) -> None:
    one = lv(heel, "heel_raise", 1)
    assert one["title"] == "Two legs, holding the wall"
    assert one["line"] == 30 and one["extends"] is None and one["requires"] is None
    assert one["steps"] == ["Stand facing the wall with both hands on it.",
                            "Rise onto the balls of both feet, then lower slowly."]
    assert one["dosage"] == {
        "sets": r(2, 3), "reps": r(10), "hold_s": None, "duration_s": None, "breaths": None,
        "rest_between_sets_s": r(60), "rest_between_sides_s": None, "sides": "both",
        "side_order": ["both"], "intensity": None, "total_reps": r(20, 30),
        "frequency": WEEKLY_3, **NO_MOVEMENT}
    assert one["window"] is None and one["by_criterion"] is False
    # increase reps by 2 every week up to 20: 10, 12, ..., 20 in weeks 1-6 of the level
    assert [(x["level_week"], x["dosage"]["reps"], x["loads_kg"]) for x in one["ramp"]] == [
        (j, r(8 + 2 * j), []) for j in range(1, 7)]
    assert one["sequence"] == [{"side": "both", "reps": r(10), "hold_s": None,
                                "duration_s": None, "breaths": None,
                                "texts": {**NO_TEXTS, "steps": one["steps"]}}]
    assert one["increases"] == [{"what": "reps", "by": 2, "every": "week", "up_to": 20,
                                 "line": 36}]
    assert one["advance"] == [{"to": 2, "line": 37, "when": {"all": [
        {"condition": "easy_twenty"}, {"condition": "single_leg_balance"}]}}]
    assert one["regress"] == [] and one["loads"] == []
    # own none, inherited none, exercise (swelling), protocol (sharp_pain)
    assert one["stop_if"] == [{"condition": "swelling"}, {"condition": "sharp_pain"}]
    # per set 10 reps x 3 s = 30 s; x (2..3) sets = 60..90; + 60 s x (1..2) rests
    assert one["estimated_time_s"] == r(120, 210)


def test_heel_raise_level_2_and_3_inherit(heel: dict[str, Any]) -> None:
    two = lv(heel, "heel_raise", 2)
    assert two["extends"] == 1 and two["line"] == 39
    assert two["requires"] == {"condition": "single_leg_balance"}
    assert two["steps"] == []  # steps are not inherited
    assert two["dosage"] == {
        "sets": r(2, 3), "reps": r(8, 15), "hold_s": None, "duration_s": None,
        "breaths": None, "rest_between_sets_s": r(60), "rest_between_sides_s": None,
        "sides": "each", "side_order": ["right", "left"], "intensity": None,
        "total_reps": r(32, 90), "frequency": WEEKLY_3, **NO_MOVEMENT}
    assert two["increases"] == []  # increases are not inherited
    assert two["by_criterion"] is True and two["window"] is None
    assert two["ramp"] == [{"level_week": 1, "dosage": two["dosage"], "loads_kg": []}]
    # per set (8..15) x 3 s x 2 sides = 48..90; x (2..3) = 96..270; + 60..120
    assert two["estimated_time_s"] == r(156, 390)
    three = lv(heel, "heel_raise", 3)
    assert three["extends"] == 2 and three["requires"] is None
    assert three["dosage"] == two["dosage"]
    three_texts = {**NO_TEXTS, "cues": three["cues"], "placements": [
        "the hand on the side of the working leg"], "errors": [
        {"error": "Ankle rolls outward", "fix": "Go back to level 2 until the ankle stays steady."}]}
    assert three["sequence"] == [
        {"side": "right", "reps": r(8, 15), "hold_s": None, "duration_s": None,
         "breaths": None, "texts": three_texts},
        {"side": "left", "reps": r(8, 15), "hold_s": None, "duration_s": None,
         "breaths": None, "texts": three_texts}]
    assert three["loads"] == [{
        "kg": r(2, 10), "rm": None, "percent_1rm": None, "optional": False,
        "written": "2-10 kg", "equipment": "dumbbell",
        "placement": "the hand on the side of the working leg",
        "requires": {"all": [{"condition": "ankle_steady"},
                             {"condition": "single_leg_balance"}]},
        "line": 46}]
    assert three["cues"] == ["Keep the knee straight and the ankle from rolling out."]
    assert three["errors"] == [{"error": "Ankle rolls outward",
                                "fix": "Go back to level 2 until the ankle stays steady.",
                                "line": 48}]
    assert three["regress"] == [{"to": 2, "when": {"condition": "sharp_pain"}, "line": 49}]
    assert three["advance"] == [] and three["modifications"] == []
    assert three["estimated_time_s"] == r(156, 390)
    assert three["by_criterion"] is True
    assert three["ramp"] == [{"level_week": 1, "dosage": three["dosage"], "loads_kg": [r(2, 10)]}]


def test_heel_raises_single_level_exercises(heel: dict[str, Any]) -> None:
    circles = lv(heel, "ankle_circles", 1)
    assert circles["title"] is None and circles["line"] == 21
    assert circles["dosage"]["side_order"] == ["left", "right"]
    assert circles["dosage"]["total_reps"] == r(20)
    assert [s["side"] for s in circles["sequence"]] == ["left", "right"]
    assert circles["estimated_time_s"] == r(60)  # 10 x 3 s x 2 sides
    assert circles["stop_if"] == [{"condition": "sharp_pain"}]
    stretch = lv(heel, "calf_stretch", 1)
    assert stretch["uses"] == []  # `uses` of a single-level exercise belongs to the exercise
    assert stretch["dosage"]["hold_s"] == r(30) and stretch["dosage"]["reps"] == r(2)
    assert stretch["dosage"]["total_reps"] == r(4)
    assert stretch["increases"] == [{"what": "hold_s", "by": 10, "every": "week",
                                     "up_to": 60, "line": 55}]
    assert stretch["estimated_time_s"] == r(120)  # 2 reps x 30 s x 2 sides


def test_heel_raises_session_estimate(heel: dict[str, Any]) -> None:
    # level 1 of each exercise: 60 + 120..210 + 120
    assert heel["estimated_session_s"] == r(300, 390)
    assert heel["estimated_week_s"] == r(900, 1170)  # x 3 sessions a week


def test_heel_raises_week_table(heel: dict[str, Any]) -> None:
    weeks = heel["weeks"]
    assert [w["week"] for w in weeks] == [1, 2, 3, 4, 5, 6]
    assert [w["sessions"] for w in weeks] == [3] * 6

    def level(week: dict[str, Any], name: str, number: int) -> dict[str, Any]:
        e = next(x for x in week["exercises"] if x["name"] == name)
        return next(x for x in e["levels"] if x["level"] == number)

    assert [level(w, "heel_raise", 1)["dosage"]["reps"] for w in weeks] == [
        r(10), r(12), r(14), r(16), r(18), r(20)]
    assert [level(w, "heel_raise", 1)["dosage"]["total_reps"] for w in weeks][-1] == r(40, 60)
    assert [level(w, "calf_stretch", 1)["dosage"]["hold_s"] for w in weeks] == [
        r(30), r(40), r(50), r(60), r(60), r(60)]
    for k, w in enumerate(weeks, 1):
        # levels 2 and 3 start when an advance criterion is met: no calendar values
        for number in (2, 3):
            assert level(w, "heel_raise", number) == {
                "level": number, "by_criterion": True, "level_week": None, "sessions": r(3),
                "dosage": None, "loads_kg": None}
        assert level(w, "ankle_circles", 1) == {
            "level": 1, "by_criterion": False, "level_week": k, "sessions": r(3),
            "dosage": lv(heel, "ankle_circles", 1)["dosage"], "loads_kg": []}
        assert [e["sessions"] for e in w["exercises"]] == [r(3)] * 3
        assert sorted(w) == ["exercises", "sessions", "week"]
        assert [e["name"] for e in w["exercises"]] == ["ankle_circles", "heel_raise",
                                                       "calf_stretch"]


# --- every 3 days, pounds, alternating sides, every session -------------------------------

RAMPS = '''\
protocol ramps "Ramps"
  author "A. Physio"
  version "2"
  schedule every 3 days for 4 weeks
  stop if pain

  condition pain symptom "Pain"
  condition steady stability "Steady"

  equipment band "Band"
  equipment kettlebell "Kettlebell"

  exercise march "March"
    kind warmup
    duration 1.5 min
    increase duration by 30 s every session up to 3 min

  exercise row "Row"
    kind strength
    uses band
    requires not pain
    note "Keep the back flat"
    level 1 "Light"
      reps 8-12
      sides alternating starting left
      hold 2 s
      rest 30 s between sides
      rest 1 min between sets
      sets 2
      intensity light
      advance to level 2 when steady and not pain
    level 2 "Loaded" extends level 1
      reps 10
      load 10 lb kettlebell on "the working hand" requires steady
      increase load by 5 lb every session up to 25 lb
      modification "Use a lighter bell" when "tired" or not steady
      regress to level 1 when pain
      stop if "dizzy"

  exercise breathe
    kind breathing
    breaths 6
    sides each
'''


@pytest.fixture(scope="module")
def ramps() -> dict[str, Any]:
    return protodsl.compile_text(RAMPS)


def test_ramps_schedule_and_metadata(ramps: dict[str, Any]) -> None:
    assert ramps["protocol"]["author"] == "A. Physio" and ramps["protocol"]["version"] == "2"
    assert ramps["schedule"] == {"sessions_per_week": 2.333, "weeks": 4,
                                 "session_limit_s": None, "frequency": {
                                     "form": "every_days", "count": r(3),
                                     "sessions_per_week": r(2.333)}}
    row = ex(ramps, "row")
    assert row["requires"] == {"not": {"condition": "pain"}}
    assert row["uses"] == ["band"] and row["notes"] == ["Keep the back flat"]
    assert ex(ramps, "breathe")["title"] is None


def test_alternating_sequence_and_rest_between_sides(ramps: dict[str, Any]) -> None:
    one = lv(ramps, "row", 1)
    assert one["dosage"] == {
        "sets": r(2), "reps": r(8, 12), "hold_s": r(2), "duration_s": None, "breaths": None,
        "rest_between_sets_s": r(60), "rest_between_sides_s": r(30), "sides": "alternating",
        "side_order": ["left", "right"], "intensity": "light", "total_reps": r(32, 48),
        "frequency": ramps["schedule"]["frequency"], **NO_MOVEMENT}
    # the lower end of 8-12: 8 reps a side, sides in turn, starting left
    assert one["sequence"] == [
        {"side": side, "reps": r(1), "hold_s": r(2), "duration_s": None, "breaths": None,
         "texts": NO_TEXTS}
        for _ in range(8) for side in ("left", "right")]
    # per side (8..12) x 2 s; x 2 sides = 32..48; + 30 between sides; x 2 sets; + 60
    assert one["estimated_time_s"] == r(184, 216)
    assert one["advance"] == [{"to": 2, "line": 31, "when": {"all": [
        {"condition": "steady"}, {"not": {"condition": "pain"}}]}}]


def test_pounds_inheritance_and_stops(ramps: dict[str, Any]) -> None:
    two = lv(ramps, "row", 2)
    assert two["dosage"]["reps"] == r(10) and two["dosage"]["hold_s"] == r(2)
    assert two["dosage"]["intensity"] == "light"  # inherited with the rest of the dosage
    assert two["dosage"]["side_order"] == ["left", "right"]  # `starting` is inherited too
    assert two["dosage"]["total_reps"] == r(40)
    assert len(two["sequence"]) == 20
    assert two["estimated_time_s"] == r(200)  # (10 x 2 s x 2 + 30) x 2 + 60
    assert two["loads"] == [{"kg": r(4.536), "rm": None, "percent_1rm": None, "optional": False,
                             "written": "10 lb", "equipment": "kettlebell",
                             "placement": "the working hand",
                             "requires": {"condition": "steady"}, "line": 34}]
    assert two["increases"] == [{"what": "kg", "by": 2.268, "every": "session",
                                 "up_to": 11.34, "line": 35}]
    assert two["modifications"] == [{"text": "Use a lighter bell", "line": 36, "when": {
        "any": [{"text": "tired"}, {"not": {"condition": "steady"}}]}}]
    assert two["stop_if"] == [{"text": "dizzy"}, {"condition": "pain"}]


def test_breaths_and_duration(ramps: dict[str, Any]) -> None:
    breathe = lv(ramps, "breathe", 1)
    assert breathe["dosage"]["reps"] is None and breathe["dosage"]["total_reps"] is None
    assert breathe["sequence"] == [
        {"side": "right", "reps": None, "hold_s": None, "duration_s": None, "breaths": r(6),
         "texts": NO_TEXTS},
        {"side": "left", "reps": None, "hold_s": None, "duration_s": None, "breaths": r(6),
         "texts": NO_TEXTS}]
    assert breathe["estimated_time_s"] == r(60)  # 6 breaths x 5 s x 2 sides
    march = lv(ramps, "march", 1)
    assert march["dosage"]["duration_s"] == r(90) and march["dosage"]["reps"] is None
    assert march["increases"] == [{"what": "duration_s", "by": 30, "every": "session",
                                   "up_to": 180, "line": 16}]
    assert march["estimated_time_s"] == r(90)
    assert ramps["estimated_session_s"] == r(334, 366)  # 90 + 184..216 + 60


def test_every_session_week_table(ramps: dict[str, Any]) -> None:
    weeks = ramps["weeks"]
    # sessions before week k: floor((k-1) x 7/3) = 0, 2, 4, 7
    assert [w["sessions"] for w in weeks] == [2, 2, 3, 2]
    march = [w["exercises"][0]["levels"][0]["dosage"]["duration_s"] for w in weeks]
    assert march == [r(90), r(150), r(180), r(180)]  # 90 + 30 x (0, 2, 4 -> cap, 7 -> cap)
    # level 2 of the row starts by criterion: its loads are in its ramp, from its own start
    assert all(w["exercises"][1]["levels"][1]["loads_kg"] is None for w in weeks)
    loads = [x["loads_kg"] for x in lv(ramps, "row", 2)["ramp"]]
    # 10 lb + 5 lb x (0, 2, 4) capped at 25 lb: 10, 20, 25 lb; the cap is reached in week 3
    assert loads == [[r(4.536)], [r(9.072)], [r(11.34)]]
    assert all(w["exercises"][1]["levels"][0]["loads_kg"] == [] for w in weeks)
    # the march's ramp: 90 + 30 x (0, 2, 4 -> cap): three weeks
    assert [x["dosage"]["duration_s"] for x in lv(ramps, "march", 1)["ramp"]] == [
        r(90), r(150), r(180)]


# --- schedules, defaults, units, expressions ----------------------------------------------

def _protocol(header: str, body: str) -> str:
    return (f"protocol p\n{header}"
            "  stop if pain\n"
            '  condition pain symptom "Pain"\n'
            '  condition steady stability "Steady"\n'
            f"{body}")


@pytest.mark.parametrize(("schedule", "per_week", "weeks", "sessions"), [
    ("schedule daily", 7, None, []),
    ("schedule daily for 2 weeks", 7, 2, [7, 7]),
    ("schedule 2 times daily for 1 week", 14, 1, [14]),
    ("schedule 3 times weekly", 3, None, []),
    ("schedule every 2 days for 3 weeks", 3.5, 3, [3, 4, 3]),
])
def test_schedules(schedule: str, per_week: float, weeks: int | None,
                   sessions: list[int]) -> None:
    doc = protodsl.compile_text(_protocol(
        f"  {schedule}\n", "  exercise a\n    kind warmup\n    reps 5\n"))
    assert {k: v for k, v in doc["schedule"].items() if k != "frequency"} == {
        "sessions_per_week": per_week, "weeks": weeks, "session_limit_s": None}
    assert [w["sessions"] for w in doc["weeks"]] == sessions


@pytest.mark.parametrize(("limit", "seconds"), [("1.5 min", 90), ("45s", 45),
                                                ("20-30 minutes", 1800)])
def test_no_schedule_and_session_limit(limit: str, seconds: int) -> None:
    doc = protodsl.compile_text(_protocol(
        f"  session limit {limit}\n", "  exercise a\n    kind warmup\n    reps 5\n"))
    # a limit written as a range is bounded by its upper end
    assert doc["schedule"] == {"sessions_per_week": None, "weeks": None,
                               "session_limit_s": seconds, "frequency": None}
    assert doc["weeks"] == []
    assert doc["estimated_week_s"] is None  # no sessions a week to multiply by
    assert lv(doc, "a", 1)["dosage"]["frequency"] is None


def test_defaults_hold_gives_one_rep_and_minutes_become_seconds() -> None:
    doc = protodsl.compile_text(_protocol("  schedule daily\n", (
        "  exercise a\n    kind warmup\n    reps 5\n"
        "  exercise b\n    kind static_stretch\n    hold 0.5 min\n    sides right\n")))
    b = lv(doc, "b", 1)
    assert b["dosage"]["hold_s"] == r(30) and isinstance(b["dosage"]["hold_s"]["min"], int)
    assert b["dosage"]["reps"] == r(1) and b["dosage"]["sets"] == r(1)
    assert b["dosage"]["total_reps"] == r(1)
    assert b["dosage"]["side_order"] == ["right"]
    assert b["sequence"] == [{"side": "right", "reps": r(1), "hold_s": r(30),
                              "duration_s": None, "breaths": None, "texts": NO_TEXTS}]
    assert b["estimated_time_s"] == r(30)


def test_pound_conversions_round_to_three_decimals() -> None:
    doc = protodsl.compile_text(_protocol("  schedule daily\n", (
        "  exercise a\n    kind strength\n    reps 5\n"
        "    load 2.5 lbs requires steady\n"
        "    load 1-3 pounds requires steady\n"
        "    load 1.25 kg requires steady\n")))
    loads = lv(doc, "a", 1)["loads"]
    assert [x["kg"] for x in loads] == [r(1.134), r(0.454, 1.361), r(1.25)]
    assert [x["written"] for x in loads] == ["2.5 lbs", "1-3 pounds", "1.25 kg"]
    assert [x["equipment"] for x in loads] == [None, None, None]
    assert [x["placement"] for x in loads] == [None, None, None]


def test_expressions_keep_their_shape() -> None:
    doc = protodsl.compile_text(_protocol("  schedule daily\n", (
        '  condition strong strength "Strong"\n'
        "  exercise a\n    kind warmup\n    reps 5\n"
        "    stop if pain and (steady and not strong)\n"
        '    stop if pain or "cramp" and not (steady or strong)\n'
        "    stop if (pain)\n")))
    stops = ex(doc, "a")["stop_if"]
    assert stops == [
        {"all": [{"condition": "pain"}, {"condition": "steady"},
                 {"not": {"condition": "strong"}}]},
        {"any": [{"condition": "pain"}, {"all": [
            {"text": "cramp"},
            {"not": {"any": [{"condition": "steady"}, {"condition": "strong"}]}}]}]},
        {"condition": "pain"},
    ]


def test_steps_keep_order_and_levels_are_listed_by_number() -> None:
    doc = protodsl.compile_text(_protocol("  schedule daily\n", (
        "  exercise a\n    kind warmup\n"
        "    level 2 extends level 1\n      reps 6\n"
        "      regress to level 1 when pain\n"
        '    level 1\n      step "first"\n      step "second"\n      step "third"\n'
        "      reps 5\n      advance to level 2 when steady\n")))
    levels = ex(doc, "a")["levels"]
    assert [x["level"] for x in levels] == [1, 2]
    assert levels[0]["steps"] == ["first", "second", "third"]
    assert levels[0]["line"] == 11 and levels[1]["line"] == 8


def test_unicode_is_written_unescaped() -> None:
    doc = protodsl.compile_text(_protocol("  schedule daily\n", (
        '  exercise a "Étirement du mollet \\"doux\\""\n    kind warmup\n    reps 5\n')))
    assert ex(doc, "a")["title"] == 'Étirement du mollet "doux"'
    text = dumps(doc)
    assert '"title": "Étirement du mollet \\"doux\\""' in text


def test_whole_numbers_are_integers_in_the_text() -> None:
    doc = protodsl.compile_text(_protocol("  schedule daily\n", (
        "  exercise a\n    kind static_stretch\n    hold 1.5 s\n    reps 2.0\n")))
    text = dumps(lv(doc, "a", 1)["dosage"])
    assert '"hold_s": {\n    "max": 1.5,\n    "min": 1.5\n  }' in text
    assert '"reps": {\n    "max": 2,\n    "min": 2\n  }' in text
    assert ".0," not in text and ".0\n" not in text


# --- errors -------------------------------------------------------------------------------


def test_a_file_with_errors_does_not_compile() -> None:
    with pytest.raises(ProtocolError) as info:
        protodsl.compile_text("protocol p\n  exercise a\n    hold 3 kg\n")
    assert [(d.code, d.span.line) for d in info.value.errors] == [("P301", 3)]


def test_compiler_guards_against_huge_spelled_out_output() -> None:
    with pytest.raises(ProtocolError) as info:
        protodsl.compile_text(_protocol("  schedule daily\n", (
            "  allow P304 \"a test\"\n"
            "  exercise a\n    kind warmup\n    reps 50000\n    sides alternating\n")))
    # Found by `check` too (P107), before anything is built.
    assert [(d.code, d.span.line) for d in info.value.errors] == [("P107", 7)]
    assert info.value.errors[0].message == (
        "the sequence of level 1 of `a` would have 100000 entries, over 10000")


# --- the helpers --------------------------------------------------------------------------


def test_numbers_round_half_up_to_three_decimals() -> None:
    assert num(30.0) == 30 and isinstance(num(30.0), int)
    assert num(2.0005) == 2.001 and num(0.0004) == 0 and num(Fraction(7, 3)) == 2.333
    assert num(10 ** 30) == 10 ** 30 and num(-1.5) == -1.5


def test_every_session_steps_use_exact_sessions_per_week() -> None:
    from protodsl import nodes as n

    span = n.Span(1, 1, 1, 2)
    q = n.Quantity(1, 1, None, "1", span)
    weekly = n.Increase(span, "reps", span, q, "week", span, q)
    per_session = n.Increase(span, "reps", span, q, "session", span, q)
    third = Fraction(7, 3)
    assert [steps_taken(weekly, k, third) for k in range(1, 5)] == [0, 1, 2, 3]
    assert [steps_taken(per_session, k, third) for k in range(1, 5)] == [0, 2, 4, 7]
    assert [sessions_in_week(k, third) for k in range(1, 7)] == [2, 2, 3, 2, 2, 3]
    assert [steps_taken(per_session, k, Fraction(7, 2)) for k in range(1, 4)] == [0, 3, 7]


# --- the command line ---------------------------------------------------------------------


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture()
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    from protodsl.cli import main

    monkeypatch.delenv("PROTODSL_OUTPUT_FORMAT", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["compile", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_cli_compiles_a_folder_with_summary_lines(tmp_path: Path, cli: Run) -> None:
    src = _tree(tmp_path / "src", {"heel_raises.protocol": HEEL_RAISES.read_text("utf-8"),
                                   "sub/ramps.protocol": RAMPS.replace("every session",
                                                                       "every week")})
    out = tmp_path / "build" / "nested"
    code, stdout, stderr = cli(str(src), "-o", str(out))
    assert (code, stderr) == (0, "")
    assert stdout == (
        f"heel_raises: 3 exercises, 5 levels, session 5-6.5 min -> {out}/heel_raises.json\n"
        f"ramps: 3 exercises, 4 levels, session 5.6-6.1 min -> {out}/ramps.json\n")
    assert sorted(os.listdir(out)) == ["heel_raises.json", "ramps.json"]
    assert (out / "heel_raises.json").read_bytes() == HEEL_RAISES.with_suffix(
        ".json").read_bytes()


def test_cli_single_file_goes_to_stdout(cli: Run) -> None:
    code, stdout, stderr = cli(str(HEEL_RAISES))
    assert (code, stderr) == (0, "")
    assert stdout == HEEL_RAISES.with_suffix(".json").read_text(encoding="utf-8")


def test_cli_several_files_need_an_output_folder(tmp_path: Path, cli: Run) -> None:
    src = _tree(tmp_path, {"a.protocol": "protocol a\n", "b.protocol": "protocol b\n"})
    code, stdout, stderr = cli(str(src))
    assert (code, stdout) == (2, "")
    assert stderr == ("protodsl compile: error: 2 protocol files found: several files need "
                      "`-o DIR`\n")


def test_cli_missing_path_and_output_that_is_a_file(tmp_path: Path, cli: Run) -> None:
    code, stdout, stderr = cli(str(tmp_path / "nope.protocol"))
    assert (code, stdout) == (2, "")
    assert stderr == f"protodsl compile: error: path `{tmp_path}/nope.protocol` does not exist\n"
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, stdout, stderr = cli(str(HEEL_RAISES), "-o", str(tmp_path / "file"))
    assert (code, stdout, stderr) == (
        2, "", f"protodsl compile: error: `{tmp_path}/file` is not a folder\n")


def test_cli_same_protocol_name_twice_writes_neither(tmp_path: Path, cli: Run) -> None:
    text = HEEL_RAISES.read_text(encoding="utf-8")
    src = _tree(tmp_path / "src", {"a/heel_raises.protocol": text,
                                   "b/heel_raises.protocol": text,
                                   "ramps.protocol": RAMPS.replace("every session",
                                                                   "every week")})
    out = tmp_path / "out"
    code, stdout, stderr = cli(str(src), "-o", str(out))
    assert code == 1
    assert stdout == f"ramps: 3 exercises, 4 levels, session 5.6-6.1 min -> {out}/ramps.json\n"
    assert stderr == (f"protodsl compile: error: `{src}/a/heel_raises.protocol`, "
                      f"`{src}/b/heel_raises.protocol` all define protocol `heel_raises`; "
                      "none of them is written (rename one protocol)\n")
    assert os.listdir(out) == ["ramps.json"]


def test_cli_warnings_are_shown_and_do_not_stop(tmp_path: Path, cli: Run) -> None:
    path = tmp_path / "other_name.protocol"
    path.write_text(HEEL_RAISES.read_text(encoding="utf-8"), encoding="utf-8")
    code, stdout, stderr = cli(str(path), "--output-format", "json")
    assert code == 0
    assert json.loads(stdout)["protocol"]["name"] == "heel_raises"
    assert [(d["code"], d["line"]) for d in json.loads(stderr)] == [("P208", 2)]
