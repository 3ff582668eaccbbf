"""The shipped JSON Schema: valid draft 2020-12, strict, and satisfied by every compiled output."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import protodsl
from protodsl.output import dumps

TESTS = Path(__file__).parent
REPO = TESTS.parent
SCHEMA_FILE = REPO / "src" / "protodsl" / "schema.json"
HEEL_RAISES = TESTS / "conformance" / "valid" / "heel_raises.protocol"

# Every protocol of the test suite that compiles: the conformance suite's valid files, the
# library, and the texts of the compiler tests.
COMPILED_FILES = sorted((TESTS / "conformance" / "valid").glob("*.protocol")) + sorted(
    (REPO / "protocols").glob("*.protocol"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = protodsl.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator: jsonschema.Draft202012Validator, doc: Any) -> list[str]:
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(doc))


def test_schema_is_draft_2020_12() -> None:
    schema = protodsl.schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_file_is_in_the_package_and_canonical() -> None:
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    assert dumps(json.loads(text)) == text
    assert protodsl.schema() == json.loads(text)


def test_schema_command_prints_the_shipped_file() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run([sys.executable, "-m", "protodsl", "schema"], capture_output=True,
                            env=env, cwd=REPO, timeout=120)
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout == SCHEMA_FILE.read_bytes()


@pytest.mark.parametrize("path", COMPILED_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_compiled_file_validates(path: Path,
                                 validator: jsonschema.Draft202012Validator) -> None:
    assert errors(validator, protodsl.load(path)) == []


@pytest.mark.parametrize("path", sorted((TESTS / "conformance" / "valid").glob("*.json")),
                         ids=lambda p: p.stem)
def test_golden_output_validates(path: Path,
                                 validator: jsonschema.Draft202012Validator) -> None:
    assert errors(validator, json.loads(path.read_text(encoding="utf-8"))) == []


def test_compiler_test_texts_validate(validator: jsonschema.Draft202012Validator) -> None:
    import test_compile
    import test_compile_time as v2

    for text in (test_compile.RAMPS, v2.ACHILLES_8_1, v2.WINDOWS, v2.BOUTS, v2.MEASURES):
        assert errors(validator, protodsl.compile_text(text)) == []


@pytest.mark.parametrize("schedule", ["daily", "twice daily for 2 weeks", "6-8 times daily",
                                      "every 2-3 days for 3 weeks", "as needed for 2 weeks",
                                      "once weekly for 1 week"])
def test_every_rate_validates(schedule: str,
                              validator: jsonschema.Draft202012Validator) -> None:
    doc = protodsl.compile_text(f"protocol p\n  schedule {schedule}\n  exercise a\n"
                                "    frequency as needed\n    reps 5\n  exercise b\n"
                                "    reps 5\n")
    assert errors(validator, doc) == []


# --- version 2's keys: strict, described ----------------------------------------------------


@pytest.fixture(scope="module")
def achilles() -> dict[str, Any]:
    import test_compile_time as v2

    return protodsl.compile_text(v2.ACHILLES_8_1)


def _targets(doc: dict[str, Any]) -> dict[str, Any]:
    drop = doc["exercises"][0]
    walk = doc["exercises"][1]
    week = doc["weeks"][3]
    return {
        "measure": doc["measures"][0], "scale": doc["measures"][0]["scale"],
        "frequency": doc["schedule"]["frequency"],
        "count": doc["schedule"]["frequency"]["count"],
        "sessions_per_week": doc["schedule"]["frequency"]["sessions_per_week"],
        "window": walk["window"], "bout": walk["bout"],
        "ramp_entry": drop["levels"][1]["ramp"][0],
        "comparison": doc["stop_if"][0]["any"][0],
        "week_exercise": week["exercises"][0],
        "week_level": week["exercises"][0]["levels"][0],
        "criterion_week_level": week["exercises"][0]["levels"][1],
        "estimated_week_s": doc["estimated_week_s"],
    }


@pytest.mark.parametrize("where", ["measure", "scale", "frequency", "count",
                                   "sessions_per_week", "window", "bout", "ramp_entry",
                                   "comparison", "week_exercise", "week_level",
                                   "criterion_week_level", "estimated_week_s"])
def test_unknown_keys_in_version_2_objects_are_rejected(
        where: str, achilles: dict[str, Any],
        validator: jsonschema.Draft202012Validator) -> None:
    doc = copy.deepcopy(achilles)
    _targets(doc)[where]["surprise"] = 1
    assert errors(validator, achilles) == []
    assert errors(validator, doc) != []


@pytest.mark.parametrize(("path", "value"), [
    (("measures", 0, "unit"), "degrees"),
    (("measures", 0, "kind"), "feeling"),
    (("schedule", "frequency", "form"), "weekly"),
    (("schedule", "frequency", "count", "min"), 0),
    (("schedule", "frequency", "sessions_per_week", "min"), None),
    (("exercises", 1, "window", "first_week"), 0),
    (("exercises", 1, "window", "last_week"), 2.5),
    (("exercises", 0, "levels", 1, "by_criterion"), None),
    (("exercises", 0, "levels", 1, "ramp"), []),
    (("exercises", 0, "levels", 1, "ramp", 0, "level_week"), 0),
    (("stop_if", 0, "any", 0, "op"), "=="),
    (("stop_if", 0, "any", 0, "value"), "5"),
    # a criterion level carries no calendar values; a timed one carries them
    (("weeks", 3, "exercises", 0, "levels", 1, "loads_kg"), [{"min": 5, "max": 5}]),
    (("weeks", 3, "exercises", 0, "levels", 1, "level_week"), 4),
    (("weeks", 3, "exercises", 0, "levels", 0, "dosage"), None),
    (("weeks", 3, "exercises", 0, "levels", 0, "level_week"), None),
    (("weeks", 0, "sessions"), 14.5),
    (("estimated_week_s",), {"min": None, "max": None}),
])
def test_wrong_version_2_values_are_rejected(path: tuple[Any, ...], value: Any,
                                             achilles: dict[str, Any],
                                             validator: jsonschema.Draft202012Validator
                                             ) -> None:
    doc = copy.deepcopy(achilles)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert errors(validator, doc) != []


def test_version_2_keys_are_required_and_described(
        achilles: dict[str, Any], validator: jsonschema.Draft202012Validator) -> None:
    schema = protodsl.schema()
    assert schema["properties"]["schema_version"] == {"const": 2}
    for key in ("measures", "estimated_week_s"):
        doc = copy.deepcopy(achilles)
        del doc[key]
        assert errors(validator, doc) == [f": '{key}' is a required property"]
    defs = schema["$defs"]
    for name in ("frequency", "window", "ramp_entry", "scale", "measure", "open_range"):
        assert defs[name]["description"] and defs[name]["additionalProperties"] is False
    for name, obj in defs.items():
        for key, prop in obj.get("properties", {}).items():
            if key in ("frequency", "window", "bout", "by_criterion", "ramp", "level_week",
                       "sessions_per_week", "count", "first_week", "last_week", "unit",
                       "scale"):
                assert "description" in prop or "$ref" in prop, (name, key)


# --- strictness: the schema rejects what a consumer must not receive ----------------------


@pytest.fixture(scope="module")
def heel() -> dict[str, Any]:
    return protodsl.load(HEEL_RAISES)


def _level(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["exercises"][1]["levels"][2]  # heel_raise level 3: a load, inherited dosage


@pytest.mark.parametrize("where", [
    "top", "protocol", "schedule", "condition", "exercise", "level", "dosage", "sequence",
    "load", "advance", "increase", "week", "week_level", "range", "expression"])
def test_unknown_keys_are_rejected(where: str, heel: dict[str, Any],
                                   validator: jsonschema.Draft202012Validator) -> None:
    doc = copy.deepcopy(heel)
    level = _level(doc)
    target = {
        "top": doc, "protocol": doc["protocol"], "schedule": doc["schedule"],
        "condition": doc["conditions"][0], "exercise": doc["exercises"][0], "level": level,
        "dosage": level["dosage"], "sequence": level["sequence"][0], "load": level["loads"][0],
        "advance": doc["exercises"][1]["levels"][0]["advance"][0],
        "increase": doc["exercises"][1]["levels"][0]["increases"][0], "week": doc["weeks"][0],
        "week_level": doc["weeks"][0]["exercises"][0]["levels"][0],
        "range": level["dosage"]["reps"], "expression": doc["stop_if"][0],
    }[where]
    target["surprise"] = 1
    assert errors(validator, heel) == []
    assert errors(validator, doc) != []


@pytest.mark.parametrize(("path", "value"), [
    (("schema_version",), 1),
    (("protocol", "name"), "Heel Raises"),
    (("schedule", "weeks"), 1.5),
    (("conditions", 0, "kind"), "feeling"),
    (("exercises", 0, "kind"), "cardio"),
    (("exercises", 0, "line"), 0),
    (("exercises", 1, "levels", 0, "dosage", "sides"), "both_sides"),
    (("exercises", 1, "levels", 0, "dosage", "side_order"), ["left", "left"]),
    (("exercises", 1, "levels", 0, "dosage", "reps"), 10),
    (("exercises", 1, "levels", 0, "dosage", "sets"), None),
    (("exercises", 1, "levels", 0, "increases", 0, "what"), "load"),
    (("exercises", 1, "levels", 0, "increases", 0, "every"), "day"),
    (("exercises", 1, "levels", 0, "estimated_time_s", "min"), "120"),
    (("exercises", 1, "levels", 2, "loads", 0, "kg"), {"min": 2}),
    (("stop_if", 0), {"condition": "sharp_pain", "text": "Sharp pain"}),
    (("stop_if", 0), {"all": [{"condition": "sharp_pain"}]}),
    (("weeks", 0, "sessions"), 2.5),
    (("estimated_session_s",), None),
])
def test_wrong_values_are_rejected(path: tuple[Any, ...], value: Any, heel: dict[str, Any],
                                   validator: jsonschema.Draft202012Validator) -> None:
    doc = copy.deepcopy(heel)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert errors(validator, doc) != []


@pytest.mark.parametrize("key", ["schema_version", "protocol", "schedule", "conditions",
                                 "equipment", "stop_if", "exercises", "weeks",
                                 "estimated_session_s"])
def test_every_core_key_is_required(key: str, heel: dict[str, Any],
                                    validator: jsonschema.Draft202012Validator) -> None:
    doc = copy.deepcopy(heel)
    del doc[key]
    assert errors(validator, doc) == [f": '{key}' is a required property"]


def test_level_keys_are_required(heel: dict[str, Any],
                                 validator: jsonschema.Draft202012Validator) -> None:
    for key in list(_level(heel)):
        doc = copy.deepcopy(heel)
        del _level(doc)[key]
        assert errors(validator, doc) == [
            f"exercises/1/levels/2: '{key}' is a required property"]
