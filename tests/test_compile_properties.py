"""Properties of compiled output over generated valid protocols (tests/strategies.py)."""

from __future__ import annotations

import math
from fractions import Fraction
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


def _exact_sessions_per_week(text: str) -> Fraction:
    line = next(x.split() for x in text.splitlines() if x.strip().startswith("schedule "))
    if line[1] == "daily":
        return Fraction(7)
    if line[1] == "every":
        return Fraction(7, int(line[2]))
    return Fraction(int(line[1])) * (7 if line[3] == "daily" else 1)


def compiles_and_validates(text: str, doc: dict[str, Any]) -> None:
    assert [e.message for e in VALIDATOR.iter_errors(doc)] == []
    assert dumps(protodsl.compile_text(text)) == dumps(doc)  # deterministic


def estimates_and_totals(text: str, doc: dict[str, Any]) -> None:
    low = high = 0.0
    for ex in doc["exercises"]:
        first = ex["levels"][0]
        assert first["level"] == 1
        low += first["estimated_time_s"]["min"]
        high += first["estimated_time_s"]["max"]
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
    if sched["weeks"] is None:
        assert doc["weeks"] == []
        return
    weeks = doc["weeks"]
    assert [w["week"] for w in weeks] == list(range(1, sched["weeks"] + 1))
    total = sum(w["sessions"] for w in weeks)
    assert total == math.floor(sched["weeks"] * _exact_sessions_per_week(text))
    assert round(float(_exact_sessions_per_week(text)), 3) == sched["sessions_per_week"]
    for e, ex in enumerate(doc["exercises"]):
        for i, lv in enumerate(ex["levels"]):
            rows = [w["exercises"][e]["levels"][i] for w in weeks]
            assert all(r["level"] == lv["level"] for r in rows)
            # week 1 is the level as written
            assert rows[0]["dosage"] == lv["dosage"]
            assert rows[0]["loads_kg"] == [load["kg"] for load in lv["loads"]]
            increased = {inc["what"]: inc for inc in lv["increases"]}
            for key, dose_key in FIELDS.items():
                values = [r["dosage"][dose_key] for r in rows]
                if key not in increased:
                    assert values == [lv["dosage"][dose_key]] * len(rows)
                    continue
                inc = increased[key]
                mins = [v["min"] for v in values]
                assert mins == sorted(mins)  # never decreases
                assert max(mins) <= inc["up_to"]  # never above the cap
                if inc["every"] == "week" and len(rows) > 1:
                    assert math.isclose(mins[1], min(mins[0] + inc["by"], inc["up_to"]),
                                        abs_tol=0.002)
            if "kg" in increased:
                kgs = [r["loads_kg"][0]["min"] for r in rows]
                assert kgs == sorted(kgs) and max(kgs) <= increased["kg"]["up_to"]
            else:
                assert all(r["loads_kg"] == rows[0]["loads_kg"] for r in rows)
