"""Garmin FIT workouts, written with `fit-tool`: one workout file per protocol session.

The schedule's session is one workout (``NAME.fit``); each exercise done as its own bout is a
workout of its own (``NAME-EXERCISE.fit``). Sport `training`, sub-sport `strength_training`.
For each exercise, the level chosen by ``--level`` (default 1; an exercise with fewer levels
gives its highest) becomes its steps: per set, one active step per side (reps, or a time, a
distance, or open), rest steps, and a repeat step for the sets; the weight target is the known
kilograms of its loads. Mappings and losses: docs/exports.md.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.exercise_title_message import ExerciseTitleMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    ExerciseCategory,
    FileType,
    FitBaseUnit,
    Intensity,
    Manufacturer,
    Sport,
    SubSport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from protodsl.export import Options
from protodsl.export import text as t

CREATED_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z: fixed, so output is deterministic
MAX_KG = 655.35  # exercise_weight is uint16 x 100
NAME_SIZE = 50
NOTES_SIZE = 200


def _cut(text: str, size: int) -> str:
    data = text.encode("utf-8")
    if len(data) < size:
        return text
    return data[: size - 4].decode("utf-8", "ignore") + "..."


def chosen_level(exercise: dict[str, Any], level: int) -> dict[str, Any]:
    """The level asked for, else the exercise's highest level below it."""
    levels = sorted(exercise["levels"], key=lambda lv: lv["level"])
    below = [lv for lv in levels if lv["level"] <= level]
    return below[-1] if below else levels[0]


class Step:
    """A workout step before it becomes a message (``repeat`` steps point back)."""

    def __init__(self, **fields: Any) -> None:
        self.fields = fields


def known_kg(level: dict[str, Any]) -> float | None:
    """The kilograms of the level's loads when all are known and fixed (optional left out)."""
    kgs = [ld["kg"] for ld in level["loads"] if not ld["optional"]]
    if not kgs or any(k is None for k in kgs):
        return None
    total = sum(k["min"] for k in kgs)
    return total if 0 < total <= MAX_KG else None


def active(d: dict[str, Any], reps: dict[str, Any] | None) -> dict[str, Any]:
    """The duration of one active step."""
    if reps is not None and reps["max"] is not None or (reps is not None and reps["min"] > 1):
        return {"duration_type": WorkoutStepDuration.REPS, "duration_reps": int(reps["min"])}
    if d.get("duration_s") is not None:
        return {"duration_type": WorkoutStepDuration.TIME,
                "duration_time": float(d["duration_s"]["min"])}
    if d.get("hold_s") is not None and reps is None:
        return {"duration_type": WorkoutStepDuration.TIME,
                "duration_time": float(d["hold_s"]["min"])}
    if d.get("distance_m") is not None:
        return {"duration_type": WorkoutStepDuration.DISTANCE,
                "duration_distance": float(d["distance_m"]["min"])}
    return {"duration_type": WorkoutStepDuration.OPEN}


def exercise_steps(document: dict[str, Any], exercise: dict[str, Any], level: dict[str, Any],
                   options: Options) -> list[Step]:
    """The steps of one exercise at one level."""
    d = level["dosage"]
    name = exercise["title"] or exercise["name"]
    notes = t.dosage(d, level["loads"], None, options.side, document)
    if level["by_criterion"]:
        notes = "Only once its criterion is met. " + notes
    kg = known_kg(level)
    sides = d.get("side_order") or ["both"]
    weight: dict[str, Any] = {}
    if kg is not None:
        weight = {"exercise_weight": float(kg), "weight_display_unit": FitBaseUnit.KILOGRAM.value}

    def side_steps(reps: dict[str, Any] | None) -> list[Step]:
        out: list[Step] = []
        for i, side in enumerate(sides):
            label = name if side == "both" else f"{name} ({t.bind_side(side, options.side)})"
            out.append(Step(workout_step_name=label, intensity=Intensity.ACTIVE,
                            notes=notes, target_type=WorkoutStepTarget.OPEN, **active(d, reps),
                            **weight))
            if i < len(sides) - 1 and d.get("rest_between_sides_s"):
                out.append(rest(d["rest_between_sides_s"]["min"], "Rest between sides"))
        return out

    sets = int(d["sets"]["min"])
    if d.get("reps_per_set"):  # a reps list: every set spelled out
        out: list[Step] = []
        for i, entry in enumerate(d["reps_per_set"][:max(sets, 1)]):
            out += side_steps(entry["reps"])
            if i < sets - 1 and d.get("rest_between_sets_s"):
                out.append(rest(d["rest_between_sets_s"]["min"], "Rest between sets"))
        return out
    block = side_steps(d.get("reps"))
    if d.get("rest_between_sets_s") and sets > 1:
        block.append(rest(d["rest_between_sets_s"]["min"], "Rest between sets"))
    if sets > 1:
        block.append(Step(repeat_of=len(block), sets=sets))
    return block


def rest(seconds: float, label: str) -> Step:
    return Step(workout_step_name=label, intensity=Intensity.REST,
                duration_type=WorkoutStepDuration.TIME, duration_time=float(seconds),
                target_type=WorkoutStepTarget.OPEN)


def workout(document: dict[str, Any], title: str, exercises: list[dict[str, Any]],
            options: Options) -> bytes:
    """One FIT workout file for the exercises, in order."""
    steps: list[Step] = []
    titles: list[tuple[int, str]] = []
    for ordinal, ex in enumerate(exercises):
        level = chosen_level(ex, options.level)
        mine = exercise_steps(document, ex, level, options)
        for step in mine:  # make repeat targets absolute
            if "repeat_of" in step.fields:
                step.fields["duration_step"] = len(steps) - step.fields.pop("repeat_of")
            if step.fields.get("intensity") == Intensity.ACTIVE:
                step.fields["exercise_name"] = ordinal
            steps.append(step)
        titles.append((ordinal, _cut(ex["title"] or ex["name"], NAME_SIZE)))
    name = document["protocol"]["name"]
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = CREATED_MS
    file_id.serial_number = int(hashlib.sha1(f"{name}:{title}".encode()).hexdigest()[:8], 16)
    wk = WorkoutMessage()
    wk.workout_name = _cut(title, NAME_SIZE)
    wk.sport = Sport.TRAINING
    wk.sub_sport = SubSport.STRENGTH_TRAINING
    wk.num_valid_steps = len(steps)
    messages: list[Any] = []
    for index, step in enumerate(steps):
        msg = WorkoutStepMessage()
        msg.message_index = index
        f = dict(step.fields)
        if "sets" in f:
            msg.workout_step_name = "Repeat for every set"
            msg.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
            msg.duration_step = f["duration_step"]
            msg.target_type = WorkoutStepTarget.OPEN
            msg.target_repeat_steps = f["sets"]
        else:
            for key, value in f.items():
                if key in ("workout_step_name", "notes"):
                    value = _cut(value, NAME_SIZE if key == "workout_step_name" else NOTES_SIZE)
                setattr(msg, key, value)
            if f.get("intensity") == Intensity.ACTIVE:
                msg.exercise_category = ExerciseCategory.UNKNOWN.value
        messages.append(msg)
    exercise_titles = []
    for ordinal, text in titles:
        et = ExerciseTitleMessage()
        et.message_index = ordinal
        et.exercise_category = ExerciseCategory.UNKNOWN.value
        et.exercise_name = ordinal
        et.workout_step_name = text
        exercise_titles.append(et)
    builder = FitFileBuilder(auto_define=True, min_string_size=NAME_SIZE)
    builder.add(file_id)
    builder.add(wk)
    builder.add_all(messages)
    builder.add_all(exercise_titles)
    return bytes(builder.build().to_bytes())


def files(document: dict[str, Any], options: Options) -> list[tuple[str, bytes]]:
    """The workouts: ("", session) and ("-EXERCISE", bout) for each bout, as FIT bytes."""
    title = document["protocol"]["title"] or document["protocol"]["name"]
    session = [ex for ex in document["exercises"] if ex["bout"] is None]
    out: list[tuple[str, bytes]] = []
    if session:
        out.append(("", workout(document, title, session, options)))
    for ex in document["exercises"]:
        if ex["bout"] is not None:
            out.append((f"-{ex['name']}",
                        workout(document, ex["title"] or ex["name"], [ex], options)))
    return out


def export(document: dict[str, Any], options: Options) -> list[tuple[str, bytes]]:
    return files(document, options)
