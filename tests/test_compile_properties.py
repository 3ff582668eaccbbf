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
FIELDS = {"hold_s": "hold_s", "duration_s": "duration_s", "reps": "reps", "sets": "sets"}


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


def compiles_and_validates(text: str, doc: dict[str, Any]) -> None:
    assert [e.message for e in VALIDATOR.iter_errors(doc)] == []
    assert dumps(protodsl.compile_text(text)) == dumps(doc)  # deterministic


def estimates_and_totals(text: str, doc: dict[str, Any]) -> None:
    low = high = 0.0
    for ex in doc["exercises"]:
        first = ex["levels"][0]
        assert first["level"] == 1
        if ex["bout"] is None:  # the schedule's session (8.1)
            low += first["estimated_time_s"]["min"]
            high += first["estimated_time_s"]["max"]
        else:
            assert ex["bout"]["estimated_s"] == first["estimated_time_s"]
            assert ex["bout"]["frequency"] == first["dosage"]["frequency"]
        for lv in ex["levels"]:
            dose = lv["dosage"]
            sides = 2 if dose["sides"] in ("each", "alternating") else 1
            assert len(dose["side_order"]) == sides
            if dose["reps"] is None:
                assert dose["total_reps"] is None
            else:
                assert dose["total_reps"] == {
                    "min": dose["reps"]["min"] * sides * dose["sets"]["min"],
                    "max": dose["reps"]["max"] * sides * dose["sets"]["max"]}
            if dose["sides"] == "alternating" and dose["reps"] is not None:
                assert len(lv["sequence"]) == 2 * math.floor(dose["reps"]["min"])
            else:
                assert [s["side"] for s in lv["sequence"]] == dose["side_order"]
            assert lv["estimated_time_s"]["min"] <= lv["estimated_time_s"]["max"]
    est = doc["estimated_session_s"]
    assert math.isclose(est["min"], low, abs_tol=0.002)
    assert math.isclose(est["max"], high, abs_tol=0.002)
    week = doc["estimated_week_s"]
    rates = [ex["levels"][0]["dosage"]["frequency"] for ex in doc["exercises"]]
    if any(r is None for r in rates):
        assert week is None
        return
    assert week is not None and week["min"] >= 0
    if any(r["sessions_per_week"]["max"] is None for r in rates):
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
                assert at(load["line"]).startswith(f"load {load['written']}")
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
