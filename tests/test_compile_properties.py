"""Properties of compiled output over generated valid protocols (tests/strategies.py)."""

from __future__ import annotations

import math
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from strategies import protocols

import protodsl
from protodsl.output import dumps

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
VALIDATOR = jsonschema.Draft202012Validator(protodsl.schema())
FIELDS = {"hold_s": "hold_s", "duration_s": "duration_s", "reps": "reps", "sets": "sets",
          "distance_m": "distance_m"}


def _compile(text: str) -> dict[str, Any]:
    errors = [(d.code, d.span.line, d.message) for d in protodsl.check_text(text)
              if d.severity == "error"]
    assert errors == [], text
    return protodsl.compile_text(text)


@SETTINGS
@given(protocols())
def test_generated_protocols(text: str) -> None:
    """Generated valid protocols compile, validate, and keep every invariant of section 6."""
    doc = _compile(text)
    compiles_and_validates(text, doc)
    estimates_and_totals(text, doc)
    lines_point_at_their_statements(text, doc)
    week_table(text, doc)
    filled_texts(doc)


def compiles_and_validates(text: str, doc: dict[str, Any]) -> None:
    assert [e.message for e in VALIDATOR.iter_errors(doc)] == []
    assert dumps(protodsl.compile_text(text)) == dumps(doc)  # deterministic


def _times(a: float | None, b: float) -> float | None:
    return None if a is None else a * b


def _plus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b


def estimates_and_totals(text: str, doc: dict[str, Any]) -> None:
    low = 0.0
    high: float | None = 0.0
    for ex in doc["exercises"]:
        first = ex["levels"][0]
        assert first["level"] == 1
        if ex["bout"] is None:  # the schedule's session (8.1)
            low += first["estimated_time_s"]["min"]
            high = _plus(high, first["estimated_time_s"]["max"])
        else:
            assert ex["bout"]["estimated_s"] == first["estimated_time_s"]
            assert ex["bout"]["frequency"] == first["dosage"]["frequency"]
        for lv in ex["levels"]:
            dose = lv["dosage"]
            sides = 2 if dose["sides"] in ("each", "alternating") else 1
            assert len(dose["side_order"]) == sides
            per_set = dose["reps_per_set"]
            sets = dose["sets"]
            if dose["reps"] is None:
                assert dose["total_reps"] is None and per_set is None
            elif per_set is not None and sets["min"] == sets["max"]:
                # reps per set (8.4): the sum of the sets' reps x the side count
                assert len(per_set) == sets["min"]
                total_max: float | None = 0
                for entry in per_set:
                    total_max = _plus(total_max, entry["reps"]["max"])
                assert dose["total_reps"] == {
                    "min": sum(e["reps"]["min"] for e in per_set) * sides,
                    "max": _times(total_max, sides)}
            else:
                assert dose["total_reps"] == {
                    "min": dose["reps"]["min"] * sides * sets["min"],
                    "max": _times(dose["reps"]["max"], sides * sets["max"])}
            first_set = dose["reps"] if per_set is None else per_set[0]["reps"]
            if dose["sides"] == "alternating" and dose["reps"] is not None:
                assert len(lv["sequence"]) == 2 * math.floor(first_set["min"])
            else:
                assert [s["side"] for s in lv["sequence"]] == dose["side_order"]
                assert all(s["reps"] == first_set for s in lv["sequence"])
            est = lv["estimated_time_s"]
            assert est["max"] is None or est["min"] <= est["max"]
            # the maximum is unknown exactly for `reps max` without `up to` (a `max` element)
            # and a distance without a duration (8.4)
            unknown = (dose["duration_s"] is None and (
                dose["distance_m"] is not None
                or (dose["reps"] is not None and dose["reps"]["max"] is None)))
            assert (est["max"] is None) is unknown
    est = doc["estimated_session_s"]
    assert math.isclose(est["min"], low, abs_tol=0.002)
    if high is None:
        assert est["max"] is None
    else:
        assert math.isclose(est["max"], high, abs_tol=0.002)
    week = doc["estimated_week_s"]
    rates = [ex["levels"][0]["dosage"]["frequency"] for ex in doc["exercises"]]
    if any(r is None for r in rates):
        assert week is None
        return
    assert week is not None and week["min"] >= 0
    if any(r["sessions_per_week"]["max"] is None for r in rates) or any(
            ex["levels"][0]["estimated_time_s"]["max"] is None for ex in doc["exercises"]):
        assert week["max"] is None
    else:
        assert week["max"] >= week["min"]


def lines_point_at_their_statements(text: str, doc: dict[str, Any]) -> None:
    lines = text.replace("\r\n", "\n").split("\n")

    def at(line: int) -> str:
        return lines[line - 1].strip()

    for ex in doc["exercises"]:
        assert at(ex["line"]).startswith(f"exercise {ex['name']}")
        for lv in ex["levels"]:
            header = at(lv["line"])
            assert header.startswith(f"level {lv['level']}") or header == at(ex["line"])
            for load in lv["loads"]:
                written = f"load {load['written']}"
                assert at(load["line"]).startswith(
                    f"optional {written}" if load["optional"] else written)
            for inc in lv["increases"]:
                assert at(inc["line"]).startswith("increase ")
            for key in ("advance", "regress"):
                for p in lv[key]:
                    assert at(p["line"]).startswith(f"{key} to level {p['to']} when")
            for e in lv["errors"]:
                assert at(e["line"]).startswith("error ")
            for m in lv["modifications"]:
                assert at(m["line"]).startswith("modification ")


def week_table(text: str, doc: dict[str, Any]) -> None:
    sched = doc["schedule"]
    for ex in doc["exercises"]:
        for lv in ex["levels"]:
            ramp_invariants(lv, sched["weeks"])
    if sched["weeks"] is None:
        assert doc["weeks"] == []
        return
    weeks = doc["weeks"]
    assert [w["week"] for w in weeks] == list(range(1, sched["weeks"] + 1))
    per_week = sched["frequency"]["sessions_per_week"]
    if per_week["max"] is not None and per_week["min"] == per_week["max"]:
        # a single rate: the sessions of the weeks add up to floor(weeks x rate)
        assert round(float(per_week["min"]), 3) == sched["sessions_per_week"]
        total = sum(w["sessions"] for w in weeks)
        assert abs(total - sched["weeks"] * per_week["min"]) < 1 + 0.001 * sched["weeks"]
    else:
        assert sched["sessions_per_week"] is None
        assert all(w["sessions"] is None for w in weeks)
    levels = {(ex["name"], lv["level"]): lv for ex in doc["exercises"] for lv in ex["levels"]}
    first_week: dict[tuple[str, int], int] = {}
    for w in weeks:
        names = [e["name"] for e in w["exercises"]]
        assert names == [ex["name"] for ex in doc["exercises"] if ex["name"] in names]
        for e in w["exercises"]:
            assert e["levels"], "an exercise is listed only with a level listed"
            for row in e["levels"]:
                lv = levels[(e["name"], row["level"])]
                window = lv["window"]
                if window is not None:
                    assert window["first_week"] <= w["week"]
                    assert window["last_week"] is None or w["week"] <= window["last_week"]
                assert row["by_criterion"] is lv["by_criterion"]
                if row["by_criterion"]:
                    # no calendar values for a level reached by criterion
                    assert (row["dosage"], row["loads_kg"], row["level_week"]) == (
                        None, None, None)
                    continue
                key = (e["name"], row["level"])
                first_week.setdefault(key, w["week"])
                j = w["week"] - first_week[key] + 1
                assert row["level_week"] == j
                entry = lv["ramp"][min(j, len(lv["ramp"])) - 1]
                assert (row["dosage"], row["loads_kg"]) == (entry["dosage"], entry["loads_kg"])


def filled_texts(doc: dict[str, Any]) -> None:
    """Every sequence entry carries its level's texts, with `{side}` and `{other side}` filled
    in for a one-sided entry and as written for `both` (8.5); the exercise's texts come first
    in every level (8.6)."""
    other = {"left": "right", "right": "left", "affected": "unaffected",
             "unaffected": "affected"}
    for ex in doc["exercises"]:
        for lv in ex["levels"]:
            for key in ("steps", "cues", "errors", "modifications"):
                assert lv[key][:len(ex[key])] == ex[key]
            shown = {"steps": lv["steps"], "cues": lv["cues"],
                     "errors": [{"error": e["error"], "fix": e["fix"]} for e in lv["errors"]],
                     "modifications": [m["text"] for m in lv["modifications"]],
                     "placements": [load["placement"] for load in lv["loads"]]}
            for entry in lv["sequence"]:
                side = entry["side"]
                if side == "both":
                    assert entry["texts"] == shown
                    continue

                def fill(t: str | None, side: str = side) -> str | None:
                    return None if t is None else _fill(t, side, other[side])

                assert entry["texts"] == {
                    "steps": [fill(x) for x in shown["steps"]],
                    "cues": [fill(x) for x in shown["cues"]],
                    "errors": [{"error": fill(e["error"]), "fix": fill(e["fix"])}
                               for e in shown["errors"]],
                    "modifications": [fill(x) for x in shown["modifications"]],
                    "placements": [fill(x) for x in shown["placements"]]}


def _fill(text: str, side: str, other: str) -> str:
    """Fill the placeholders left to right (a filled word never makes a new placeholder)."""
    out, i = [], 0
    while i < len(text):
        if text.startswith("{side}", i):
            out.append(side)
            i += len("{side}")
        elif text.startswith("{other side}", i):
            out.append(other)
            i += len("{other side}")
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def ramp_invariants(lv: dict[str, Any], weeks: int | None) -> None:
    ramp = lv["ramp"]
    assert [x["level_week"] for x in ramp] == list(range(1, len(ramp) + 1))
    if weeks is not None:
        assert len(ramp) <= weeks
    # week 1 of the level is the level as written
    assert ramp[0]["dosage"] == lv["dosage"]
    assert ramp[0]["loads_kg"] == [load["kg"] for load in lv["loads"]]
    if not lv["increases"]:
        assert len(ramp) == 1
    increased = {inc["what"]: inc for inc in lv["increases"]}
    for key, dose_key in FIELDS.items():
        values = [x["dosage"][dose_key] for x in ramp]
        if key not in increased:
            assert values == [lv["dosage"][dose_key]] * len(ramp)
            continue
        inc = increased[key]
        mins = [v["min"] for v in values]
        assert mins == sorted(mins)  # never decreases
        assert max(mins) <= inc["up_to"]  # never above the cap
        if inc["every"] == "week" and len(ramp) > 1:
            assert math.isclose(mins[1], min(mins[0] + inc["by"], inc["up_to"]),
                                abs_tol=0.002)
    if "kg" in increased:
        kgs = [x["loads_kg"][0]["min"] for x in ramp]
        assert kgs == sorted(kgs) and max(kgs) <= increased["kg"]["up_to"]
    else:
        assert all(x["loads_kg"] == ramp[0]["loads_kg"] for x in ramp)
