"""The fit export read back with Garmin's `garmin-fit-sdk` Decoder (integrity and CRC checked).

Each workout's steps are compared with the compiled JSON: reps, durations, repeats and weights.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fit_tool")
garmin_fit_sdk = pytest.importorskip("garmin_fit_sdk")

import protodsl  # noqa: E402
from protodsl.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "protocols").glob("*.protocol")) + sorted(
    (ROOT / "tests" / "conformance" / "valid").glob("*.protocol"))
IDS = [f"{p.parent.name}/{p.stem}" for p in FILES]


def decode(path: Path) -> dict:
    data = path.read_bytes()
    stream = garmin_fit_sdk.Stream.from_byte_array(bytearray(data))
    decoder = garmin_fit_sdk.Decoder(stream)
    assert decoder.is_fit()
    assert decoder.check_integrity()  # the header and file CRCs
    decoder = garmin_fit_sdk.Decoder(garmin_fit_sdk.Stream.from_byte_array(bytearray(data)))
    messages, errors = decoder.read(apply_scale_and_offset=True, convert_types_to_strings=True,
                                    enable_crc_check=True, expand_sub_fields=True,
                                    expand_components=True, merge_heart_rates=False)
    assert errors == []
    return messages


def chosen(exercise: dict, level: int) -> dict:
    below = [lv for lv in exercise["levels"] if lv["level"] <= level]
    return max(below, key=lambda lv: lv["level"]) if below else exercise["levels"][0]


def expected_weight(level: dict) -> float | None:
    kgs = [ld["kg"] for ld in level["loads"] if not ld["optional"]]
    if not kgs or any(k is None for k in kgs):
        return None
    total = sum(k["min"] for k in kgs)
    return total if 0 < total <= 655.35 else None


def check_exercise(steps: list[dict], exercise: dict, level: dict) -> list[dict]:
    """Consume the exercise's steps from ``steps``; returns the rest."""
    d = level["dosage"]
    sides = d["side_order"] or ["both"]
    sets = d["sets"]["min"]
    per_set = ([e["reps"] for e in d["reps_per_set"][:max(sets, 1)]] if d["reps_per_set"]
               else None)
    rounds = per_set if per_set is not None else [d["reps"]]
    weight = expected_weight(level)
    for n, reps in enumerate(rounds):
        for i, _ in enumerate(sides):
            step = steps.pop(0)
            assert step["intensity"] == "active"
            assert step["wkt_step_name"].startswith((exercise["title"] or exercise["name"])[:40])
            if reps is not None and (reps["max"] is not None or reps["min"] > 1):
                assert step["duration_type"] == "reps"
                assert step["duration_reps"] == reps["min"]
            elif d["duration_s"] is not None:
                assert step["duration_type"] == "time"
                assert step["duration_time"] == pytest.approx(d["duration_s"]["min"])
            elif d["hold_s"] is not None and reps is None:
                assert step["duration_type"] == "time"
                assert step["duration_time"] == pytest.approx(d["hold_s"]["min"])
            elif d["distance_m"] is not None:
                assert step["duration_type"] == "distance"
                assert step["duration_distance"] == pytest.approx(d["distance_m"]["min"], abs=0.01)
            else:
                assert step["duration_type"] == "open"
            if weight is None:
                assert "exercise_weight" not in step
            else:
                assert step["exercise_weight"] == pytest.approx(weight, abs=0.01)
                assert step["weight_display_unit"] == "kilogram"
            if i < len(sides) - 1 and d["rest_between_sides_s"]:
                rest = steps.pop(0)
                assert rest["intensity"] == "rest"
                assert rest["duration_time"] == pytest.approx(d["rest_between_sides_s"]["min"])
        last = n == len(rounds) - 1
        if d["rest_between_sets_s"] and sets > 1 and (per_set is None or not last):
            rest = steps.pop(0)
            assert rest["intensity"] == "rest"
            assert rest["duration_time"] == pytest.approx(d["rest_between_sets_s"]["min"])
    if per_set is None and sets > 1:
        repeat = steps.pop(0)
        assert repeat["duration_type"] == "repeat_until_steps_cmplt"
        assert repeat["repeat_steps"] == sets
    return steps


@pytest.mark.parametrize("level", [1, 2])
@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_fit_workouts_match_the_document(path: Path, level: int, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    document = protodsl.load(path)
    code = main(["export", "--to", "fit", "--level", str(level), str(path), "-o",
                 str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 0, err
    name = document["protocol"]["name"]
    session = [ex for ex in document["exercises"] if ex["bout"] is None]
    workouts = ([(f"{name}.fit", session)] if session else []) + [
        (f"{name}-{ex['name']}.fit", [ex]) for ex in document["exercises"] if ex["bout"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(w for w, _ in workouts)
    for filename, exercises in workouts:
        messages = decode(tmp_path / filename)
        (workout,) = messages["workout_mesgs"]
        assert workout["sport"] == "training"
        assert workout["sub_sport"] == "strength_training"
        steps = messages["workout_step_mesgs"]
        assert workout["num_valid_steps"] == len(steps)
        for i, step in enumerate(steps):
            if step["duration_type"] == "repeat_until_steps_cmplt":
                assert 0 <= step["duration_step"] < i
        rest = list(steps)
        for ex in exercises:
            rest = check_exercise(rest, ex, chosen(ex, level))
        assert rest == []
        titles = [m["wkt_step_name"] for m in messages["exercise_title_mesgs"]]
        assert len(titles) == len(exercises)
        for got, ex in zip(titles, exercises):
            want = ex["title"] or ex["name"]
            assert got == want if len(want.encode()) < 50 else got.startswith(want[:40])


def test_fit_needs_an_output_folder(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol"
    assert main(["export", "--to", "fit", str(path)]) == 2
    assert "-o DIR" in capsys.readouterr().err
