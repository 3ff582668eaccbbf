"""The fhir export read back with `fhir.resources` (R5 models, strict validation).

The PlanDefinition's actions and each ActivityDefinition's dose are compared with the compiled
JSON, read through the FHIR models only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("fhir.resources")

from fhir.resources import __fhir_version__  # noqa: E402
from fhir.resources.activitydefinition import ActivityDefinition  # noqa: E402
from fhir.resources.bundle import Bundle  # noqa: E402
from fhir.resources.plandefinition import PlanDefinition  # noqa: E402

import protodsl  # noqa: E402
from protodsl.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "protocols").glob("*.protocol")) + sorted(
    (ROOT / "tests" / "conformance" / "valid").glob("*.protocol"))
IDS = [f"{p.parent.name}/{p.stem}" for p in FILES]
EXT = "urn:protodsl:fhir:"


def export_fhir(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> Bundle:
    code = main(["export", "--to", "fhir", *extra, str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return Bundle.model_validate_json(out, strict=True)


def ext(element: object, url: str) -> list:
    return [e for e in (getattr(element, "extension", None) or []) if e.url == url]


def rng(value_range: object) -> dict:
    return {"min": value_range.low.value,
            "max": None if value_range.high is None else value_range.high.value}


def as_number(x: object) -> float | None:
    return None if x is None else float(x)


def test_models_are_r5() -> None:
    assert __fhir_version__.startswith("5.")


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_fhir_bundle_matches_the_document(path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    document = protodsl.load(path)
    bundle = export_fhir(capsys, path)
    assert bundle.type == "collection"
    resources = [e.resource for e in bundle.entry]
    plans = [r for r in resources if isinstance(r, PlanDefinition)]
    activities = [r for r in resources if isinstance(r, ActivityDefinition)]
    assert len(plans) == 1
    plan = plans[0]
    levels = [(ex, lv) for ex in document["exercises"] for lv in ex["levels"]]
    assert len(activities) == len(levels)
    by_url = {a.url: a for a in activities}

    # the PlanDefinition: the session's exercises in order, then the bouts; levels inside
    session = [ex for ex in document["exercises"] if ex["bout"] is None]
    bouts = [ex for ex in document["exercises"] if ex["bout"] is not None]
    actions = list(plan.action or [])
    if session:
        top = actions.pop(0)
        assert [a.title for a in top.action] == [ex["title"] or ex["name"] for ex in session]
        freq = document["schedule"]["frequency"] if document["schedule"] else None
        if freq is not None and freq["form"] != "as_needed":
            repeat = top.timingTiming.repeat
            per = {"d": 7, "wk": 1}[repeat.periodUnit]
            assert float(repeat.frequency) * per / float(repeat.period) == pytest.approx(
                freq["sessions_per_week"]["max" if freq["form"] == "every_days" else "min"],
                rel=1e-3)
            if document["schedule"]["weeks"]:
                assert float(repeat.boundsDuration.value) == document["schedule"]["weeks"]
        stops = [c for c in top.condition or [] if c.kind == "stop"]
        assert [json.loads(c.expression.expression) for c in stops] == document["stop_if"]
        for i, a in enumerate(top.action[1:]):
            assert a.relatedAction[0].targetId == top.action[i].id
        exercise_actions = list(zip(session, top.action)) + list(zip(bouts, actions))
    else:
        exercise_actions = list(zip(bouts, actions))
    assert len(exercise_actions) == len(document["exercises"])
    for ex, action in exercise_actions:
        if ex["bout"] is not None:
            assert action.timingTiming is not None
        assert [a.definitionCanonical for a in action.action] == [
            f"urn:protodsl:{document['protocol']['name']}:{ex['name']}:level-{lv['level']}"
            for lv in ex["levels"]]
        ids = {lv["level"]: a.id for lv, a in zip(ex["levels"], action.action)}
        for lv, la in zip(ex["levels"], action.action):
            conditions = la.condition or []
            stop = [json.loads(c.expression.expression) for c in conditions if c.kind == "stop"]
            assert stop == lv["stop_if"]
            start = [json.loads(c.expression.expression) for c in conditions
                     if c.kind == "start" and c.expression.description.startswith("advance")]
            into = [(o["level"], a["when"]) for o in ex["levels"] for a in o["advance"]
                    if a["to"] == lv["level"]]
            assert start == [w for _, w in into]
            assert [r.targetId for r in la.relatedAction or []] == [ids[k] for k, _ in into]
            assert ("only when the criterion is met" in la.textEquivalent) == lv["by_criterion"]
            if lv["by_criterion"]:
                assert la.timingTiming is None  # never a dated dose

    # each ActivityDefinition's dose
    for ex, lv in levels:
        url = f"urn:protodsl:{document['protocol']['name']}:{ex['name']}:level-{lv['level']}"
        ad = by_url[url]
        d = lv["dosage"]
        (dose,) = ext(ad, EXT + "dosage")
        values = {e.url: e for e in dose.extension}
        for key in ("sets", "reps", "total_reps", "hold_s", "duration_s", "breaths",
                    "distance_m", "rest_between_sets_s", "rest_between_sides_s", "rpe"):
            if d[key] is None:
                assert key not in values
            else:
                got = rng(values[key].valueRange)
                assert {k: as_number(v) for k, v in got.items()} == {
                    k: as_number(v) for k, v in d[key].items()}, key
        assert [e.valueCode for e in dose.extension if e.url == "side_order"] == d["side_order"]
        (dosage,) = ad.dosage
        if d["reps"] is not None:
            assert float(dosage.doseAndRate[0].doseRange.low.value) == d["reps"]["min"]
        assert dosage.text
        loads = ext(ad, EXT + "load")
        assert len(loads) == len(lv["loads"])
        for fl, ld in zip(loads, lv["loads"]):
            parts = {e.url: e for e in fl.extension}
            if ld["kg"] is None:
                assert "kg" not in parts
            else:
                assert float(parts["kg"].valueRange.low.value) == ld["kg"]["min"]
                assert float(parts["kg"].valueRange.high.value) == ld["kg"]["max"]
                assert parts["kg"].valueRange.low.code == "kg"
            if ld["requires"] is not None:
                assert json.loads(parts["requires"].valueExpression.expression) == \
                    ld["requires"]
            assert parts["optional"].valueBoolean == ld["optional"]
        (crit,) = ext(ad, EXT + "by_criterion")
        assert crit.valueBoolean == lv["by_criterion"]


def test_side_binds_affected(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "tests" / "conformance" / "valid" / "achilles_eccentric.protocol"
    bundle = export_fhir(capsys, path, "--side", "right")
    ad = next(e.resource for e in bundle.entry if isinstance(e.resource, ActivityDefinition))
    assert "right foot" in ad.usage and "left leg" in ad.usage
