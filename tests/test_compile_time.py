"""The compiler's version 2 time structure (LANGUAGE.md 8.1, 8.2, 8.8), value by value against
numbers worked out by hand: frequencies, windows, bouts, ramps, the week table, estimates,
measures and comparisons."""

from __future__ import annotations

from typing import Any

import pytest

import protodsl
from protodsl.api import ProtocolError
from protodsl.compiler import MAX_RAMP

LANGUAGE_8_10 = '''\
# Eccentric heel drops for Achilles tendinopathy.
protocol achilles_eccentric "Eccentric heel drops"
  source "Alfredson H et al. Am J Sports Med 1998;26(3):360-366"
  schedule 2 times daily for 12 weeks
  note "Pain up to 5 out of 10 during the exercise is acceptable if it settles by the next morning."
  measure pain symptom "Achilles pain during the exercise" scale 0-10
  measure morning_pain symptom "Achilles pain the next morning, above the usual" scale 0-10
  condition heel_control stability "Lowers the heel smoothly through the whole range"
  condition cleared clearance "The diagnosis is confirmed by a clinician"
  equipment stair "A step or stair"
  equipment backpack "A backpack with added weight"
  stop if pain > 5 or morning_pain > 3

  exercise heel_drop "Heel drops, knee straight"
    kind strength
    requires cleared
    uses stair
    step "Stand on the ball of the {side} foot on the edge of the step."
    step "Lower the heel slowly below the step, knee straight."
    step "Return to the top on the {other side} leg."
    level 1
      sides affected
      reps 15
      sets 3
      tempo 3-0-1
      contraction eccentric
      advance to level 2 when pain <= 2 and heel_control
    level 2 "With a backpack" extends level 1
      requires heel_control
      load 5 kg backpack on "the back" requires heel_control and pain = 0
      increase load by 5 kg every week up to 20 kg
      regress to level 1 when pain > 3

  exercise walk "Walking"
    kind aerobic
    frequency 3 times weekly
    from week 3
    duration 20-30 min
'''

# The example without the statements of later sections (exercise-level steps 8.6; sides,
# tempo and contraction 8.4-8.5): everything of 8.1-8.3 is still in it.
LATER = ("    step ", "      sides affected", "      tempo ", "      contraction ")
ACHILLES_8_1 = "".join(line for line in LANGUAGE_8_10.splitlines(keepends=True)
                       if not line.startswith(LATER))


def r(low: float, high: float | None = None) -> dict[str, Any]:
    return {"min": low, "max": low if high is None else high}


def ex(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(e for e in doc["exercises"] if e["name"] == name)


def lv(doc: dict[str, Any], name: str, number: int) -> dict[str, Any]:
    return next(x for x in ex(doc, name)["levels"] if x["level"] == number)


def week_level(week: dict[str, Any], name: str, number: int) -> dict[str, Any] | None:
    for e in week["exercises"]:
        if e["name"] == name:
            return next((x for x in e["levels"] if x["level"] == number), None)
    return None


def compile_text(text: str) -> dict[str, Any]:
    return protodsl.compile_text(text)


# --- the brief's example (8.10) -----------------------------------------------------------


@pytest.fixture(scope="module")
def achilles() -> dict[str, Any]:
    return compile_text(ACHILLES_8_1)


def test_achilles_header_measures_and_notes(achilles: dict[str, Any]) -> None:
    assert achilles["schema_version"] == 2
    assert achilles["protocol"]["notes"] == [
        "Pain up to 5 out of 10 during the exercise is acceptable if it settles by the next "
        "morning."]
    assert achilles["measures"] == [
        {"name": "pain", "kind": "symptom", "text": "Achilles pain during the exercise",
         "unit": None, "scale": r(0, 10)},
        {"name": "morning_pain", "kind": "symptom",
         "text": "Achilles pain the next morning, above the usual", "unit": None,
         "scale": r(0, 10)}]
    assert achilles["conditions"][1] == {"name": "cleared", "kind": "clearance",
                                         "text": "The diagnosis is confirmed by a clinician"}
    assert achilles["stop_if"] == [{"any": [{"measure": "pain", "op": ">", "value": 5},
                                            {"measure": "morning_pain", "op": ">", "value": 3}]}]
    twice_daily = {"form": "times_daily", "count": r(2), "sessions_per_week": r(14)}
    assert achilles["schedule"] == {"sessions_per_week": 14, "weeks": 12,
                                    "session_limit_s": None, "frequency": twice_daily}


def test_achilles_levels(achilles: dict[str, Any]) -> None:
    one, two = lv(achilles, "heel_drop", 1), lv(achilles, "heel_drop", 2)
    assert one["by_criterion"] is False and two["by_criterion"] is True
    assert one["window"] is None and two["window"] is None
    assert one["advance"][0]["when"] == {"all": [{"measure": "pain", "op": "<=", "value": 2},
                                                 {"condition": "heel_control"}]}
    assert two["loads"][0]["requires"] == {"all": [{"condition": "heel_control"},
                                                   {"measure": "pain", "op": "=", "value": 0}]}
    # the schedule's frequency when nothing else applies
    assert one["dosage"]["frequency"] == achilles["schedule"]["frequency"]
    assert ex(achilles, "heel_drop")["frequency"] is None
    assert ex(achilles, "heel_drop")["bout"] is None


def test_achilles_level_2_ramp_counts_from_its_own_start(achilles: dict[str, Any]) -> None:
    ramp = lv(achilles, "heel_drop", 2)["ramp"]
    assert [(x["level_week"], x["loads_kg"]) for x in ramp] == [
        (1, [r(5)]), (2, [r(10)]), (3, [r(15)]), (4, [r(20)])]
    assert all(x["dosage"] == lv(achilles, "heel_drop", 2)["dosage"] for x in ramp)
    assert lv(achilles, "heel_drop", 1)["ramp"] == [
        {"level_week": 1, "dosage": lv(achilles, "heel_drop", 1)["dosage"], "loads_kg": []}]


def test_achilles_no_backpack_load_in_any_calendar_week(achilles: dict[str, Any]) -> None:
    weeks = achilles["weeks"]
    assert [w["week"] for w in weeks] == list(range(1, 13))
    assert [w["sessions"] for w in weeks] == [14] * 12
    for k, w in enumerate(weeks, 1):
        two = week_level(w, "heel_drop", 2)
        assert two == {"level": 2, "by_criterion": True, "level_week": None,
                       "sessions": r(14), "dosage": None, "loads_kg": None}
        one = week_level(w, "heel_drop", 1)
        assert one is not None and one["level_week"] == k and one["loads_kg"] == []


def test_achilles_walk_is_its_own_bout_listed_from_week_3(achilles: dict[str, Any]) -> None:
    walk = ex(achilles, "walk")
    weekly = {"form": "times_weekly", "count": r(3), "sessions_per_week": r(3)}
    assert walk["frequency"] == weekly
    assert walk["window"] == {"first_week": 3, "last_week": None}
    assert walk["bout"] == {"frequency": weekly, "estimated_s": r(1200, 1800)}
    assert lv(achilles, "walk", 1)["window"] == {"first_week": 3, "last_week": None}
    listed = [w["week"] for w in achilles["weeks"] if week_level(w, "walk", 1) is not None]
    assert listed == list(range(3, 13))
    third = next(e for e in achilles["weeks"][2]["exercises"] if e["name"] == "walk")
    assert third["sessions"] == r(3)
    assert third["levels"][0]["level_week"] == 1


def test_achilles_estimates(achilles: dict[str, Any]) -> None:
    one = lv(achilles, "heel_drop", 1)["estimated_time_s"]
    # the walk is its own bout: the session is the heel drops' level 1 alone
    assert achilles["estimated_session_s"] == one
    # level 1 x 14 a week + the walk's 20-30 min x 3 a week
    assert achilles["estimated_week_s"] == r(one["min"] * 14 + 3600, one["max"] * 14 + 5400)


def test_language_8_10_example_exactly() -> None:
    doc = compile_text(LANGUAGE_8_10)
    assert lv(doc, "heel_drop", 1)["estimated_time_s"] == r(180)  # 15 x 4 s x 3, one side
    assert doc["estimated_session_s"] == r(180)
    assert [x["loads_kg"] for x in lv(doc, "heel_drop", 2)["ramp"]] == [
        [r(5)], [r(10)], [r(15)], [r(20)]]
    assert all(week_level(w, "heel_drop", 2)["loads_kg"] is None  # type: ignore[index]
               for w in doc["weeks"])


# --- windows and the week table -----------------------------------------------------------

WINDOWS = '''\
protocol windows
  schedule 3 times weekly for 8 weeks
  stop if pain
  condition pain symptom "Pain"
  condition ok stability "Ok"
  exercise squat
    kind strength
    level 1
      during weeks 1-3
      reps 10
      increase reps by 2 every week up to 14
    level 2
      from week 4
      reps 8
      increase reps by 1 every week up to 20
      advance to level 3 when ok
    level 3 extends level 2
      load 2 kg requires ok
      increase load by 1 kg every week up to 4 kg
  exercise step_up
    during weeks 3-6
    level 1
      reps 6
      advance to level 2 when ok
    level 2
      during week 5
      reps 8
'''


@pytest.fixture(scope="module")
def windows() -> dict[str, Any]:
    return compile_text(WINDOWS)


def test_windows_on_exercises_and_levels(windows: dict[str, Any]) -> None:
    assert ex(windows, "squat")["window"] is None
    assert ex(windows, "step_up")["window"] == {"first_week": 3, "last_week": 6}
    assert [lv(windows, "squat", k)["window"] for k in (1, 2, 3)] == [
        {"first_week": 1, "last_week": 3}, {"first_week": 4, "last_week": None}, None]
    # a level's window is the overlap of its own and its exercise's
    assert lv(windows, "step_up", 1)["window"] == {"first_week": 3, "last_week": 6}
    assert lv(windows, "step_up", 2)["window"] == {"first_week": 5, "last_week": 5}
    assert [lv(windows, "squat", k)["by_criterion"] for k in (1, 2, 3)] == [False, False, True]
    # a window with an advance into it: the level still starts by criterion
    assert lv(windows, "step_up", 2)["by_criterion"] is True


def test_a_level_reached_by_time_ramps_from_its_first_week(windows: dict[str, Any]) -> None:
    # level 2 starts in week 4; its ramp is cut at the protocol's 5 remaining weeks (8 - 4 + 1)
    ramp = lv(windows, "squat", 2)["ramp"]
    assert [(x["level_week"], x["dosage"]["reps"]) for x in ramp] == [
        (1, r(8)), (2, r(9)), (3, r(10)), (4, r(11)), (5, r(12))]
    rows = [(w["week"], week_level(w, "squat", 2)) for w in windows["weeks"]]
    assert [(k, x["level_week"], x["dosage"]["reps"]) for k, x in rows if x is not None] == [
        (4, 1, r(8)), (5, 2, r(9)), (6, 3, r(10)), (7, 4, r(11)), (8, 5, r(12))]
    # level 1's ramp reaches its cap in its week 3: 10, 12, 14
    assert [x["dosage"]["reps"] for x in lv(windows, "squat", 1)["ramp"]] == [
        r(10), r(12), r(14)]


def test_the_week_table_lists_what_each_week_holds(windows: dict[str, Any]) -> None:
    listing = [[(e["name"], [x["level"] for x in e["levels"]]) for e in w["exercises"]]
               for w in windows["weeks"]]
    assert listing == [
        [("squat", [1])], [("squat", [1])], [("squat", [1]), ("step_up", [1])],
        [("squat", [2, 3]), ("step_up", [1])], [("squat", [2, 3]), ("step_up", [1, 2])],
        [("squat", [2, 3]), ("step_up", [1])], [("squat", [2, 3])], [("squat", [2, 3])]]
    for w in windows["weeks"]:
        three = week_level(w, "squat", 3)
        if three is not None:  # reached by criterion: no calendar load
            assert (three["dosage"], three["loads_kg"], three["level_week"]) == (None, None, None)
    # the criterion level's load ramps from its own start
    assert [x["loads_kg"] for x in lv(windows, "squat", 3)["ramp"]] == [[r(2)], [r(3)], [r(4)]]


# --- rates --------------------------------------------------------------------------------


def _one(schedule: str, body: str = "    reps 5\n") -> dict[str, Any]:
    return compile_text(f'protocol p\n  schedule {schedule}\n  stop if pain\n'
                        f'  condition pain symptom "Pain"\n  exercise a\n{body}')


@pytest.mark.parametrize(("schedule", "frequency", "per_week"), [
    ("daily", {"form": "daily", "count": None, "sessions_per_week": r(7)}, 7),
    ("twice daily", {"form": "times_daily", "count": r(2), "sessions_per_week": r(14)}, 14),
    ("once weekly", {"form": "times_weekly", "count": r(1), "sessions_per_week": r(1)}, 1),
    ("6-8 times daily", {"form": "times_daily", "count": r(6, 8),
                         "sessions_per_week": r(42, 56)}, None),
    ("3-4 times weekly", {"form": "times_weekly", "count": r(3, 4),
                          "sessions_per_week": r(3, 4)}, None),
    ("every 3 days", {"form": "every_days", "count": r(3),
                      "sessions_per_week": r(2.333)}, 2.333),
    ("every 2-3 days", {"form": "every_days", "count": r(2, 3),
                        "sessions_per_week": r(2.333, 3.5)}, None),
    ("as needed", {"form": "as_needed", "count": None,
                   "sessions_per_week": {"min": 0, "max": None}}, None),
])
def test_schedule_rates(schedule: str, frequency: dict[str, Any], per_week: float | None
                        ) -> None:
    doc = _one(schedule)
    assert doc["schedule"]["frequency"] == frequency
    assert doc["schedule"]["sessions_per_week"] == per_week
    assert lv(doc, "a", 1)["dosage"]["frequency"] == frequency


def test_a_range_of_rates_in_the_week_table() -> None:
    doc = _one("every 2-3 days for 4 weeks",
               "    duration 10 min\n    increase duration by 1 min every session up to 20 min\n")
    # 7/3 a week gives 2, 2, 3, 2 sessions; 7/2 gives 3, 4, 3, 4
    assert [w["sessions"] for w in doc["weeks"]] == [None] * 4
    assert [w["exercises"][0]["sessions"] for w in doc["weeks"]] == [
        r(2, 3), r(2, 4), r(3, 3), r(2, 4)]
    # steps before week k: floor((k-1) x 7/3) = 0, 2, 4, 7 and floor((k-1) x 7/2) = 0, 3, 7, 10
    assert [x["dosage"]["duration_s"] for x in lv(doc, "a", 1)["ramp"]] == [
        r(600), r(720, 780), r(840, 1020), r(1020, 1200)]
    assert doc["estimated_week_s"] == r(1400, 2100)  # 600 s x 7/3 .. 7/2


def test_as_needed_has_no_fixed_sessions() -> None:
    doc = _one("as needed for 2 weeks", "    hold 10 s\n    reps 3\n"
               "    increase reps by 1 every week up to 5\n")
    assert [w["sessions"] for w in doc["weeks"]] == [None, None]
    assert [w["exercises"][0]["sessions"] for w in doc["weeks"]] == [
        {"min": 0, "max": None}] * 2
    assert doc["estimated_session_s"] == r(30)
    assert doc["estimated_week_s"] == {"min": 0, "max": None}
    # the ramp is cut at the protocol's 2 weeks
    assert [x["dosage"]["reps"] for x in lv(doc, "a", 1)["ramp"]] == [r(3), r(4)]


# --- bouts and estimates ------------------------------------------------------------------

BOUTS = '''\
protocol bouts
  schedule daily for 1 week
  stop if pain
  condition pain symptom "Pain"
  condition ok stability "Ok"
  exercise march
    kind warmup
    duration 2 min
  exercise walk
    frequency daily
    duration 30 min
  exercise tilt
    level 1
      frequency 3 times daily
      reps 10
      advance to level 2 when ok
    level 2 extends level 1
      reps 20
  exercise lunge
    level 1
      reps 10
      advance to level 2 when ok
    level 2
      frequency every 2 days
      reps 12
  exercise relax
    frequency as needed
    breaths 6
'''


def test_bouts_and_estimates() -> None:
    doc = compile_text(BOUTS)
    bouts = {e["name"]: e["bout"] for e in doc["exercises"]}
    assert bouts["march"] is None and bouts["lunge"] is None  # level 2's frequency: no bout
    assert bouts["walk"] == {"frequency": {"form": "daily", "count": None,
                                           "sessions_per_week": r(7)},
                             "estimated_s": r(1800)}
    assert bouts["tilt"]["estimated_s"] == r(30)  # type: ignore[index]
    assert bouts["tilt"]["frequency"]["sessions_per_week"] == r(21)  # type: ignore[index]
    assert bouts["relax"]["estimated_s"] == r(30)  # type: ignore[index]
    # the schedule's session: march 120 s + lunge level 1 30 s
    assert doc["estimated_session_s"] == r(150)
    # 120 x 7 + 1800 x 7 + 30 x 21 + 30 x 7 + 30 x (0 .. null)
    assert doc["estimated_week_s"] == {"min": 840 + 12600 + 630 + 210, "max": None}
    # level 2 of the tilt copies level 1's frequency; level 2 of the lunge has its own
    assert lv(doc, "tilt", 2)["dosage"]["frequency"]["sessions_per_week"] == r(21)
    assert lv(doc, "lunge", 2)["dosage"]["frequency"]["form"] == "every_days"
    assert lv(doc, "lunge", 1)["dosage"]["frequency"]["form"] == "daily"
    week = doc["weeks"][0]
    lunge = next(e for e in week["exercises"] if e["name"] == "lunge")
    assert lunge["sessions"] == r(7)  # the exercise's: the schedule's
    assert [x["sessions"] for x in lunge["levels"]] == [r(7), r(3)]  # 7/2: floor(3.5) = 3


def test_no_schedule_no_frequency_no_week_estimate() -> None:
    doc = compile_text('protocol p\n  exercise a\n    frequency daily\n    reps 5\n'
                       '  exercise b\n    reps 5\n')
    assert doc["estimated_week_s"] is None
    assert doc["estimated_session_s"] == r(15)  # b alone: a is its own bout
    assert doc["weeks"] == []
    assert lv(doc, "b", 1)["dosage"]["frequency"] is None


# --- ramps --------------------------------------------------------------------------------


def test_ramp_without_schedule_weeks_runs_to_the_caps() -> None:
    doc = _one("3 times weekly", "    hold 10 s\n    increase hold by 10 s every week up to 1 min\n"
               "    sets 1\n    increase sets by 1 every session up to 4\n")
    ramp = lv(doc, "a", 1)["ramp"]
    # hold: 10 .. 60 s in 6 weeks; sets: 3 steps, floor((j-1) x 3) >= 3 at j = 2
    assert [(x["dosage"]["hold_s"]["min"], x["dosage"]["sets"]["min"]) for x in ramp] == [
        (10, 1), (20, 4), (30, 4), (40, 4), (50, 4), (60, 4)]


def test_ramp_of_a_session_increase_without_any_sessions_stays_at_its_start() -> None:
    doc = compile_text('protocol p\n  exercise a\n    reps 5\n'
                       '    increase reps by 1 every session up to 10\n')
    assert [x["dosage"]["reps"] for x in lv(doc, "a", 1)["ramp"]] == [r(5)]


def test_a_ramp_too_long_to_spell_out_is_a_compile_error() -> None:
    with pytest.raises(ProtocolError) as info:
        compile_text('protocol p\n  schedule daily\n  exercise a\n    hold 1 s\n'
                     '    increase hold by 0.01 s every week up to 5 min\n')
    [d] = info.value.errors
    assert (d.code, d.span.line) == ("P107", 5)  # found by `check` too
    assert d.message == f"the ramp of level 1 of `a` would have 29901 weeks, over {MAX_RAMP}"


def test_a_long_protocol_bounds_the_ramp() -> None:
    doc = _one("daily for 3 weeks", "    hold 1 s\n    increase hold by 0.01 s every week "
               "up to 5 min\n")
    assert [x["dosage"]["hold_s"] for x in lv(doc, "a", 1)["ramp"]] == [
        r(1), r(1.01), r(1.02)]


# --- measures and comparisons -------------------------------------------------------------

MEASURES = '''\
protocol measures
  schedule daily
  measure knee_flexion mobility "Knee flexion" in degrees
  measure stance stability "Single-leg stance" in min
  measure bell strength "Heaviest bell lifted" in lb
  measure reach mobility "Reach" in cm
  measure pain symptom "Pain" scale 0-10
  measure steps skill "Steps walked"
  exercise a
    requires knee_flexion >= 90 deg and stance >= 30 s and bell >= 10 lb and reach > 5 cm
    stop if pain > 5 or steps >= 10000
    reps 5
'''


def test_measures_and_comparisons_in_normalized_units() -> None:
    doc = compile_text(MEASURES)
    assert [(m["name"], m["unit"], m["scale"]) for m in doc["measures"]] == [
        ("knee_flexion", "deg", None), ("stance", "s", None), ("bell", "kg", None),
        ("reach", "m", None), ("pain", None, r(0, 10)), ("steps", None, None)]
    assert ex(doc, "a")["requires"] == {"all": [
        {"measure": "knee_flexion", "op": ">=", "value": 90},
        {"measure": "stance", "op": ">=", "value": 30},
        {"measure": "bell", "op": ">=", "value": 4.536},
        {"measure": "reach", "op": ">", "value": 0.05}]}
    assert ex(doc, "a")["stop_if"] == [{"any": [
        {"measure": "pain", "op": ">", "value": 5},
        {"measure": "steps", "op": ">=", "value": 10000}]}]
