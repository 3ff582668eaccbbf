"""The protocol library (`protocols/`): it checks clean, compiles to the committed golden JSON,
every dosage, gate, side and ordering the articles give is in the compiled output, every value
they do not give is marked as chosen in a compiled note, and docs/library.md's tables trace every
fact of an article to a statement that is still in its protocol."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
LIBRARY = REPO / "protocols"
LIBRARY_DOC = REPO / "docs" / "library.md"
GOLDEN = Path(__file__).parent / "library_golden"
PROTOCOLS = sorted(LIBRARY.glob("*.protocol"))
NAMES = [p.stem for p in PROTOCOLS]

LB = 0.45359237

# The five articles, and what each protocol's `source` must cite: title (or, for the untitled
# compilation, what it is) and author or publisher.
COMPILATION = ("Untitled compilation of paragraphs from web articles on hip, low back and sciatic "
               "pain")
SOURCES: dict[str, tuple[str, ...]] = {
    "hip_flexor_stretch_back_sciatic_pain": ('"Hip Flexor Stretch for Back or Sciatic Pain"',
                                             "fixingyou.com"),
    "hip_rotation_moves": (COMPILATION,),
    "hip_and_low_back_stretches": (COMPILATION,),
    "hip_support_strength": (COMPILATION,),
    "seated_hip_flexor_stretch": ('"Hip Flexor Stretching – Part 1"', "Patch"),
    "hip_flexor_stretches_relieve_back_pain": (
        '"3 Hip Flexors Stretches to Help Relieve Back Pain"', "Rick Kaselj"),
    "stretch_tight_hip_flexors_lower_back_pain": (
        '"How To Stretch Tight Hip Flexors To Relieve Lower Back Pain"',),
}


def _protodsl(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
    env.pop("PROTODSL_OUTPUT_FORMAT", None)
    return subprocess.run([sys.executable, "-m", "protodsl", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The library compiled with the README's main-job command into a fresh folder, and what
    the command printed."""
    out = tmp_path_factory.mktemp("build")
    result = _protodsl("compile", "protocols/", "-o", str(out))
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    return out, result.stdout


@pytest.fixture(scope="module")
def build(compiled: tuple[Path, str]) -> Path:
    return compiled[0]


@pytest.fixture(scope="module")
def docs(build: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in build.glob("*.json")}


def test_library_holds_seven_protocols() -> None:
    assert NAMES == sorted(SOURCES)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_source_cites_its_article(name: str, docs: dict[str, dict[str, Any]]) -> None:
    source = docs[name]["protocol"]["source"]
    for part in SOURCES[name]:
        assert part in source, source


# Nothing in the library refers to a file or folder outside the repository: the source articles'
# folder or files, or the brief's folder. (A fuzzer's seed corpus or `--seed` is not one.)
OUTSIDE = re.compile(r"s[e]eds/|s[e]ed (?:file|article)s?\b|sh[a]red/|/w[o]rk/"
                     r"|\b\d{3}_[0-9a-f]{16}\.txt", re.IGNORECASE)


@pytest.mark.parametrize("path", [*PROTOCOLS, *sorted((REPO / "docs").glob("*.md")),
                                  REPO / "README.md", Path(__file__)],
                         ids=lambda p: p.name)
def test_no_reference_outside_the_repository(path: Path) -> None:
    found = [(number, line.strip()) for number, line in
             enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if OUTSIDE.search(line)]
    assert found == []


def test_check_strict_is_clean() -> None:
    result = _protodsl("check", "--strict", "--output-format", "concise", "protocols/")
    assert (result.returncode, result.stderr) == (0, "")
    assert "warning" not in result.stdout and "error" not in result.stdout


def test_compile_writes_one_document_per_protocol(build: Path) -> None:
    assert sorted(p.name for p in build.iterdir()) == sorted(f"{n}.json" for n in NAMES)


def test_compile_prints_one_summary_line_per_protocol(compiled: tuple[Path, str],
                                                      docs: dict[str, dict[str, Any]]) -> None:
    lines = compiled[1].splitlines()
    assert len(lines) == len(NAMES)
    for name, line in zip(NAMES, lines):
        doc = docs[name]
        exercises = len(doc["exercises"])
        levels = sum(len(e["levels"]) for e in doc["exercises"])
        assert line.startswith(f"{name}: {exercises} exercise{'s' * (exercises != 1)}, "
                               f"{levels} level{'s' * (levels != 1)}, session "), line


@pytest.mark.parametrize("name", NAMES)
def test_compiled_matches_golden(name: str, build: Path, request: pytest.FixtureRequest) -> None:
    produced = (build / f"{name}.json").read_bytes()
    golden = GOLDEN / f"{name}.json"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_bytes(produced)
    assert golden.is_file(), f"no golden output for {name}: run pytest --update-golden"
    assert produced == golden.read_bytes()


def test_no_orphan_golden_files() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*")) == NAMES


@pytest.mark.parametrize("path", PROTOCOLS, ids=lambda p: p.stem)
def test_protocol_is_named_after_its_file(path: Path) -> None:
    first = next(line for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.lstrip().startswith("#"))
    assert first.split()[:2] == ["protocol", path.stem]


# ---------------------------------------------------------------------------------------------
# The articles' numbers, gates, limits and sides, looked up in the compiled JSON.


def _exercise(doc: dict[str, Any], name: str) -> dict[str, Any]:
    found = [e for e in doc["exercises"] if e["name"] == name]
    assert len(found) == 1, f"exercise {name} not found once"
    return found[0]


def _lookup(doc: dict[str, Any], exercise: str, level: int, key: str) -> Any:
    """``key`` (dotted, list indexes as numbers) in the level, or in the exercise for level 0."""
    found = _exercise(doc, exercise)
    value: Any = found if level == 0 else {lv["level"]: lv for lv in found["levels"]}[level]
    for part in key.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def r(low: float, high: float | None = None) -> dict[str, float]:
    return {"min": low, "max": low if high is None else high}


def c(name: str) -> dict[str, str]:
    return {"condition": name}


def anyof(*names: str) -> dict[str, list[dict[str, str]]]:
    return {"any": [c(name) for name in names]}


def kg(pounds: float) -> float:
    return round(pounds * LB, 3)


RIGHT_LEFT = ["right", "left"]
AFFECTED_FIRST = ["affected", "unaffected"]
SCIATIC = "hip_flexor_stretch_back_sciatic_pain"
STRETCHES = "hip_and_low_back_stretches"
STRENGTH = "hip_support_strength"
KASELJ = "hip_flexor_stretches_relieve_back_pain"
TIGHT = "stretch_tight_hip_flexors_lower_back_pain"
# The last article's stretch options, each done only when its position seems realistic and only
# as far as it comes without pushing.
TIGHT_OPTIONS = ["half_kneeling_hip_flexor_stretch", "assisted_half_kneeling_hip_flexor_stretch",
                 "foam_roller_psoas_stretch", "bent_knee_to_low_lunge", "static_low_lunge"]

# (protocol, exercise, level (0: the exercise itself), key, expected value) for every number,
# gate, limit and side an article gives, as it gives it (values the articles do not give are
# CHOSEN_VALUES below; docs/library.md lists both).
ARTICLE_VALUES: list[tuple[str, str, int, str, Any]] = [
    # "Hip Flexor Stretch for Back or Sciatic Pain" (fixingyou.com)
    (SCIATIC, "hip_flexor_stretch", 1, "dosage.hold_s", r(30, 60)),
    (SCIATIC, "hip_flexor_stretch", 1, "dosage.sides", "each"),
    (SCIATIC, "hip_flexor_stretch", 1, "dosage.side_order", RIGHT_LEFT),
    (SCIATIC, "hip_flexor_stretch", 1, "dosage.range_until",
     anyof("spine_arching", "pelvis_rotating", "knee_pain")),
    (SCIATIC, "hip_flexor_stretch", 1, "loads.0.kg", r(kg(5), kg(10))),
    (SCIATIC, "hip_flexor_stretch", 1, "loads.0.written", "5-10 lb"),
    (SCIATIC, "hip_flexor_stretch", 1, "loads.0.optional", True),
    (SCIATIC, "hip_flexor_stretch", 1, "loads.0.equipment", "thigh_weight"),
    (SCIATIC, "hip_flexor_stretch", 1, "loads.0.requires",
     {"all": [c("pelvis_stable"), {"not": c("spine_arching")}]}),
    (SCIATIC, "hip_flexor_stretch", 1, "sequence.1.texts.placements",
     ["the left thigh, close to the knee"]),
    (SCIATIC, "hip_flexor_stretch", 1, "advance.0.to", 2),
    (SCIATIC, "hip_flexor_stretch", 1, "advance.0.when",
     {"any": [c("abdominals_stabilize"),
              {"all": [c("leg_flat_spine_flat"), c("no_front_thigh_stretch")]}]}),
    (SCIATIC, "hip_flexor_stretch", 2, "extends", 1),
    (SCIATIC, "hip_flexor_stretch", 2, "dosage.hold_s", r(30, 60)),
    (SCIATIC, "hip_flexor_stretch", 2, "dosage.side_order", RIGHT_LEFT),
    (SCIATIC, "hip_flexor_stretch", 2, "dosage.range_until",
     anyof("spine_arching", "pelvis_rotating", "knee_pain")),
    (SCIATIC, "hip_flexor_stretch", 2, "loads.0.kg", r(kg(1), kg(5))),
    (SCIATIC, "hip_flexor_stretch", 2, "loads.0.written", "1-5 lb"),
    (SCIATIC, "hip_flexor_stretch", 2, "loads.0.optional", True),
    (SCIATIC, "hip_flexor_stretch", 2, "loads.0.equipment", "ankle_weight"),
    (SCIATIC, "hip_flexor_stretch", 2, "loads.0.requires", c("pelvis_spine_stable")),
    (SCIATIC, "hip_flexor_stretch", 2, "regress.0.to", 1),
    (SCIATIC, "hip_flexor_stretch", 2, "regress.0.when", {"not": c("lumbar_spine_stable")}),
    (SCIATIC, "hip_flexor_stretch", 2, "modifications.1.when", {"not": c("keeps_back_flat")}),
    (SCIATIC, "hip_flexor_stretch", 2, "modifications.1.text",
     "Lightly rest the {side} foot on a stool or other object at the point where you can feel "
     "the stretch in the front of the leg but the back stays flat"),
    (SCIATIC, "hip_flexor_stretch", 2, "stop_if", [c("nerve_symptoms")]),
    (SCIATIC, "hip_flexor_stretch", 0, "uses", ["table"]),
    (SCIATIC, "sidelying_release", 1, "dosage.reps", r(3, 10)),
    (SCIATIC, "sidelying_release", 1, "dosage.sides", "each"),
    (SCIATIC, "sidelying_release", 1, "dosage.side_order", AFFECTED_FIRST),
    (SCIATIC, "sidelying_release", 1, "sequence.0.texts.steps.0",
     "Lie on your unaffected side with your head resting on your unaffected arm, if "
     "comfortable, or on a pillow. Bend your hips and knees to 90 degrees."),
    (SCIATIC, "sidelying_release", 0, "uses", []),
    (SCIATIC, "side_trunk_stretch", 1, "dosage.breaths", r(2, 3)),
    (SCIATIC, "side_trunk_stretch", 1, "dosage.sides", "affected"),
    (SCIATIC, "side_trunk_stretch", 1, "dosage.side_order", ["affected"]),
    # The compilation: the two "How to:" moves
    ("hip_rotation_moves", "diagonal_lunge_twist", 1, "dosage.reps", r(8)),
    ("hip_rotation_moves", "diagonal_lunge_twist", 1, "dosage.sides", "each"),
    ("hip_rotation_moves", "diagonal_lunge_twist", 1, "dosage.sets", r(3, 4)),
    ("hip_rotation_moves", "diagonal_lunge_twist", 1, "dosage.rest_between_sets_s", r(30)),
    ("hip_rotation_moves", "diagonal_lunge_twist", 1, "dosage.total_reps", r(48, 64)),
    ("hip_rotation_moves", "squat_rotating_step_back", 1, "dosage.reps", r(8)),
    ("hip_rotation_moves", "squat_rotating_step_back", 1, "dosage.sides", "each"),
    ("hip_rotation_moves", "squat_rotating_step_back", 1, "dosage.sets", r(3, 4)),
    ("hip_rotation_moves", "squat_rotating_step_back", 1, "dosage.rest_between_sets_s", r(30)),
    # The compilation: hip and low back stretches
    (STRETCHES, "cross_legged_twist", 1, "dosage.hold_s", r(30, 40)),
    (STRETCHES, "cross_legged_twist", 1, "dosage.side_order", RIGHT_LEFT),
    (STRETCHES, "cross_legged_twist", 0, "requires", c("specialist_consulted")),
    (STRETCHES, "cross_legged_twist", 1, "dosage.range_until", c("beyond_comfort")),
    (STRETCHES, "pigeon_pose", 1, "dosage.hold_s", r(30)),
    (STRETCHES, "pigeon_pose", 1, "dosage.side_order", RIGHT_LEFT),
    (STRETCHES, "pigeon_pose", 1, "dosage.intensity", "moderate"),
    (STRETCHES, "pigeon_pose", 0, "requires", c("specialist_consulted")),
    (STRETCHES, "pigeon_pose", 1, "dosage.range_until", c("beyond_comfort")),
    (STRETCHES, "pigeon_pose", 1, "modifications.0.when",
     anyof("pose_hurts_knees", "too_uncomfortable")),
    (STRETCHES, "pigeon_pose", 0, "uses", []),
    (STRETCHES, "kneeling_back_bend", 1, "dosage.hold_s", r(30)),
    (STRETCHES, "kneeling_back_bend", 1, "dosage.side_order", ["both"]),
    (STRETCHES, "kneeling_back_bend", 1, "modifications.0.when", {"not": c("reaches_heels")}),
    (STRETCHES, "kneeling_back_bend", 0, "requires", None),
    (STRETCHES, "lunge_knee_out", 1, "dosage.hold_s", r(10)),
    (STRETCHES, "lunge_knee_out", 1, "dosage.side_order", RIGHT_LEFT),
    (STRETCHES, "resting_squat", 1, "modifications.0.when", c("falling_backwards")),
    (STRETCHES, "resting_squat", 0, "requires", None),
    (STRETCHES, "wall_back_bend", 0, "uses", ["wall"]),
    (STRETCHES, "wall_back_bend", 0, "requires", None),
    # The compilation: strength
    (STRENGTH, "hamstring_squeeze", 0, "uses", ["hamstring_machine"]),
    (STRENGTH, "hamstring_squeeze", 1, "dosage.range_until", c("heels_near_buttocks")),
    (STRENGTH, "hamstring_squeeze", 1, "loads", []),
    (STRENGTH, "squat", 1, "dosage.range_until", anyof("bending_forward", "losing_balance")),
    (STRENGTH, "squat", 1, "loads", []),
    (STRENGTH, "squat", 0, "uses", []),
    # "Hip Flexor Stretching – Part 1" (Patch): Hip Flexor Stretch #1
    ("seated_hip_flexor_stretch", "seated_hip_flexor_stretch", 1, "dosage.sides", "each"),
    ("seated_hip_flexor_stretch", "seated_hip_flexor_stretch", 1, "dosage.side_order",
     RIGHT_LEFT),
    ("seated_hip_flexor_stretch", "seated_hip_flexor_stretch", 1, "dosage.intensity", "light"),
    # "3 Hip Flexors Stretches to Help Relieve Back Pain" (Rick Kaselj)
    (KASELJ, "ninety_ninety_stretch", 1, "dosage.sets", r(1)),
    (KASELJ, "ninety_ninety_stretch", 1, "dosage.reps", r(2)),
    (KASELJ, "ninety_ninety_stretch", 1, "dosage.sides", "alternating"),
    (KASELJ, "ninety_ninety_stretch", 1, "dosage.hold_s", r(20)),
    (KASELJ, "ninety_ninety_stretch", 1, "dosage.intensity", "light"),
    (KASELJ, "ninety_ninety_stretch", 1, "dosage.total_reps", r(4)),
    (KASELJ, "ninety_ninety_stretch", 1, "dosage.frequency.form", "as_needed"),
    (KASELJ, "ninety_ninety_stretch", 1, "sequence",
     [{"side": s, "reps": r(1), "hold_s": r(20), "duration_s": None, "breaths": None,
       "texts": {"steps": [
           "Put the front and back leg in the 90-90 position regarding the hip, knee, and ankle.",
           "Tighten the abdominal area, bringing the hips forward and your arms overhead while "
           "stretching out the front of the hip."],
           "cues": ["Look for a light stretch."], "errors": [], "modifications": [],
           "placements": []}}
      for s in ("right", "left", "right", "left")]),
    (KASELJ, "ninety_ninety_side_bend", 1, "dosage.sets", r(1)),
    (KASELJ, "ninety_ninety_side_bend", 1, "dosage.reps", r(2)),
    (KASELJ, "ninety_ninety_side_bend", 1, "dosage.sides", "alternating"),
    (KASELJ, "ninety_ninety_side_bend", 1, "dosage.hold_s", r(20)),
    (KASELJ, "knee_drops", 1, "dosage.sets", r(1)),
    (KASELJ, "knee_drops", 1, "dosage.reps", r(10)),
    (KASELJ, "knee_drops", 1, "dosage.total_reps", r(10)),
    (KASELJ, "knee_drops", 1, "dosage.hold_s", r(2, 3)),
    (KASELJ, "knee_drops", 1, "dosage.intensity", "light"),
    # "How To Stretch Tight Hip Flexors To Relieve Lower Back Pain"
    (TIGHT, "foam_roll_quadriceps", 1, "dosage.duration_s", r(120)),
    (TIGHT, "foam_roll_quadriceps", 1, "dosage.sides", "each"),
    (TIGHT, "foam_roll_quadriceps", 0, "kind", "foam_roll"),
    (TIGHT, "foam_roll_quadriceps", 0, "requires", None),
    (TIGHT, "half_kneeling_hip_flexor_stretch", 1, "dosage.hold_s", r(30)),
    (TIGHT, "assisted_half_kneeling_hip_flexor_stretch", 1, "dosage.hold_s", r(30)),
    (TIGHT, "assisted_half_kneeling_hip_flexor_stretch", 0, "uses", ["support"]),
    (TIGHT, "foam_roller_psoas_stretch", 1, "dosage.hold_s", r(30)),
    (TIGHT, "bent_knee_to_low_lunge", 1, "dosage.reps", r(5)),
    (TIGHT, "bent_knee_to_low_lunge", 1, "dosage.total_reps", r(10)),
    (TIGHT, "static_low_lunge", 1, "dosage.hold_s", r(20)),
    *[(TIGHT, option, 1, "dosage.sides", "each") for option in TIGHT_OPTIONS],
    *[(TIGHT, option, 0, "requires", c("position_realistic")) for option in TIGHT_OPTIONS],
    *[(TIGHT, option, 1, "dosage.range_until", c("pushing_into_position"))
      for option in TIGHT_OPTIONS],
    *[(TIGHT, option, 1, "stop_if", [c("nerve_symptoms")]) for option in TIGHT_OPTIONS],
]

# Values the articles do not give: each is chosen, with its reason, in a compiled note of its
# exercise that says "Chosen".
CHOSEN_VALUES: list[tuple[str, str, int, str, Any]] = [
    (SCIATIC, "hip_flexor_stretch", 2, "dosage.hold_s", r(30, 60)),
    (STRETCHES, "warm_up", 1, "dosage.duration_s", r(180)),
    (STRETCHES, "resting_squat", 1, "dosage.breaths", r(5)),
    (STRETCHES, "wall_back_bend", 1, "dosage.hold_s", r(20)),
    (STRENGTH, "hamstring_squeeze", 1, "dosage.reps", r(10)),
    (STRENGTH, "hamstring_squeeze", 1, "dosage.sets", r(1)),
    (STRENGTH, "squat", 1, "dosage.reps", r(8)),
    (STRENGTH, "squat", 1, "dosage.sets", r(2)),
    (STRENGTH, "squat", 1, "dosage.rest_between_sets_s", r(60)),
    ("seated_hip_flexor_stretch", "seated_hip_flexor_stretch", 1, "dosage.hold_s", r(30)),
    (TIGHT, "bent_knee_to_low_lunge", 1, "dosage.hold_s", r(3)),
]


@pytest.mark.parametrize("entry", ARTICLE_VALUES + CHOSEN_VALUES,
                         ids=lambda e: f"{e[0]}.{e[1]}.{e[2]}.{e[3]}")
def test_value_in_compiled_output(entry: tuple[str, str, int, str, Any],
                                  docs: dict[str, dict[str, Any]]) -> None:
    protocol, exercise, level, key, expected = entry
    assert _lookup(docs[protocol], exercise, level, key) == expected


def _notes(doc: dict[str, Any], exercise: str) -> list[str]:
    """The compiled notes of an exercise and of its levels."""
    found = _exercise(doc, exercise)
    return found["notes"] + [note for level in found["levels"] for note in level["notes"]]


@pytest.mark.parametrize("entry", CHOSEN_VALUES, ids=lambda e: f"{e[0]}.{e[1]}.{e[2]}.{e[3]}")
def test_every_chosen_value_is_noted(entry: tuple[str, str, int, str, Any],
                                     docs: dict[str, dict[str, Any]]) -> None:
    protocol, exercise, _level, _key, _value = entry
    assert any(note.startswith("Chosen") for note in _notes(docs[protocol], exercise))


# No article gives a schedule except "after a workout or anytime you need relief from pain":
# every other schedule is chosen, in a compiled protocol note.
def _weekly(times: int) -> dict[str, Any]:
    return {"sessions_per_week": times, "weeks": 4, "session_limit_s": None,
            "frequency": {"form": "times_weekly", "count": r(times),
                          "sessions_per_week": r(times)}}


SCHEDULES = {name: _weekly(3) for name in NAMES}
SCHEDULES[STRENGTH] = _weekly(2)
SCHEDULES[KASELJ] = {"sessions_per_week": None, "weeks": None, "session_limit_s": None,
                     "frequency": {"form": "as_needed", "count": None,
                                   "sessions_per_week": {"min": 0, "max": None}}}


@pytest.mark.parametrize("name", NAMES)
def test_schedule_is_the_articles_or_a_noted_choice(name: str,
                                                    docs: dict[str, dict[str, Any]]) -> None:
    doc = docs[name]
    assert doc["schedule"] == SCHEDULES[name]
    notes = doc["protocol"]["notes"]
    if name == KASELJ:
        assert doc["weeks"] == []
        assert any("any time you need relief from pain" in note for note in notes)
    else:
        assert len(doc["weeks"]) == 4
        assert any(note.startswith("Chosen") and "no schedule" in note for note in notes)


# Every protocol is for back or sciatic pain, so every one stops on nerve symptoms; where its
# article does not say so, a compiled note marks the rule as a clinician's addition.
@pytest.mark.parametrize("name", NAMES)
def test_stops_on_nerve_symptoms(name: str, docs: dict[str, dict[str, Any]]) -> None:
    doc = docs[name]
    assert c("nerve_symptoms") in doc["stop_if"]
    condition = next(cond for cond in doc["conditions"] if cond["name"] == "nerve_symptoms")
    assert condition["kind"] == "symptom"
    for words in ("Numbness", "tingling", "spreading down the leg"):
        assert words in condition["text"]
    assert any(note.startswith("Added by a clinician") or "Added by a clinician" in note
               for note in doc["protocol"]["notes"])


# The compilation's cautions (red flags, severe pain after four to six weeks) in its three
# protocols, and nowhere else; its clearance on its two piriformis stretches only.
COMPILATION_PROTOCOLS = ["hip_and_low_back_stretches", "hip_rotation_moves", STRENGTH]


@pytest.mark.parametrize("name", NAMES)
def test_compilation_cautions_where_it_applies_them(name: str,
                                                    docs: dict[str, dict[str, Any]]) -> None:
    stops = docs[name]["stop_if"]
    compilation = name in COMPILATION_PROTOCOLS
    assert (c("severe_pain_persists") in stops) == compilation
    assert (c("pain_worsens") in stops) == compilation
    cleared = sorted(e["name"] for e in docs[name]["exercises"]
                     if e["requires"] == c("specialist_consulted"))
    assert cleared == (["cross_legged_twist", "pigeon_pose"] if name == STRETCHES else [])


# The articles' orderings: the session order of the exercises.
ORDERS: dict[str, list[str]] = {
    SCIATIC: ["hip_flexor_stretch", "sidelying_release", "side_trunk_stretch"],
    "hip_rotation_moves": ["diagonal_lunge_twist", "squat_rotating_step_back"],
    STRETCHES: ["warm_up", "cross_legged_twist", "resting_squat", "pigeon_pose",
                "kneeling_back_bend", "lunge_knee_out", "wall_back_bend"],
    STRENGTH: ["hamstring_squeeze", "squat"],
    "seated_hip_flexor_stretch": ["seated_hip_flexor_stretch"],
    KASELJ: ["ninety_ninety_stretch", "ninety_ninety_side_bend", "knee_drops"],
    # warm-up (foam rolling) before static stretching, then in order of flexibility required.
    TIGHT: ["foam_roll_quadriceps", *TIGHT_OPTIONS],
}


def test_orders_cover_the_library() -> None:
    assert sorted(ORDERS) == NAMES


@pytest.mark.parametrize("protocol", sorted(ORDERS))
def test_exercise_order(protocol: str, docs: dict[str, dict[str, Any]]) -> None:
    assert [e["name"] for e in docs[protocol]["exercises"]] == ORDERS[protocol]


@pytest.mark.parametrize("protocol, warmup", [
    (STRETCHES, "warm_up"),
    (TIGHT, "foam_roll_quadriceps"),
])
def test_warm_up_comes_before_static_stretching(protocol: str, warmup: str,
                                                docs: dict[str, dict[str, Any]]) -> None:
    kinds = [(e["name"], e["kind"]) for e in docs[protocol]["exercises"]]
    first_static = next(i for i, (_, kind) in enumerate(kinds) if kind == "static_stretch")
    assert kinds[0][0] == warmup and kinds[0][1] in {"warmup", "foam_roll"}
    assert first_static == 1


def _conditions(expr: dict[str, Any]) -> list[str]:
    if "condition" in expr:
        return [expr["condition"]]
    if "not" in expr:
        return _conditions(expr["not"])
    return [name for sub in expr.get("all", expr.get("any", [])) for name in _conditions(sub)]


def test_loads_are_the_articles_optional_weights(docs: dict[str, dict[str, Any]]) -> None:
    """The only loads are the two the fixingyou.com article adds: optional, gated and under a
    stop rule. No load is encoded where no article gives an amount."""
    loads = []
    for name, doc in sorted(docs.items()):
        for exercise in doc["exercises"]:
            for level in exercise["levels"]:
                for load in level["loads"]:
                    assert level["stop_if"], f"{exercise['name']} loads without a stop rule"
                    assert load["optional"] and load["requires"]
                    loads.append((name, exercise["name"], level["level"], load["written"]))
    assert loads == [
        (SCIATIC, "hip_flexor_stretch", 1, "5-10 lb"),
        (SCIATIC, "hip_flexor_stretch", 2, "1-5 lb"),
    ]


@pytest.mark.parametrize("name", NAMES)
def test_stop_rules_end_the_exercise_and_faults_limit_the_range(
        name: str, docs: dict[str, dict[str, Any]]) -> None:
    """A stop rule stops on a symptom; a technique fault (`form`) is never a stop rule but an
    end of range."""
    doc = docs[name]
    kinds = {cond["name"]: cond["kind"] for cond in doc["conditions"]}
    stops = list(doc["stop_if"])
    for exercise in doc["exercises"]:
        stops += exercise["stop_if"]
        for level in exercise["levels"]:
            stops += level["stop_if"]
            if level["dosage"]["range_until"]:
                for cond in _conditions(level["dosage"]["range_until"]):
                    assert kinds[cond] in {"form", "symptom", "stability"}
    for rule in stops:
        for cond in _conditions(rule):
            assert kinds[cond] == "symptom", (cond, kinds[cond])


# ---------------------------------------------------------------------------------------------
# docs/library.md: each protocol's table traces every fact of its article to a statement.

HEADER = "| fact in the article | type | exercise | level | statement | basis |"
TYPES = {"source", "schedule", "order", "exercise", "dose", "side", "gate", "range", "stop",
         "progression", "regression", "load", "caution", "error", "modification", "equipment"}
BASES = ("article", "implied by the article", "chosen", "added by a clinician")
# Statements that must each be listed in the table of their protocol.
TRACED = ("exercise ", "level ", "schedule ", "stop if ", "range until ", "requires ", "advance ",
          "regress ", "load ", "optional load ", "hold ", "duration ", "reps ", "sets ",
          "breaths ", "rest ", "sides ", "total ", "intensity ", "error ", "modification ")


def _tables() -> dict[str, list[dict[str, str]]]:
    """The rows of each protocol's table: {protocol: [{fact, type, exercise, level, statement,
    basis}]}."""
    tables: dict[str, list[dict[str, str]]] = {}
    current: str | None = None
    lines = LIBRARY_DOC.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        heading = re.fullmatch(r"#{2,3} (?:`([a-z][a-z0-9_]*)`|.*)", line)
        if heading:
            current = heading.group(1)
            continue
        if current is None or line != HEADER:
            continue
        assert lines[number + 1] == "|---|---|---|---|---|---|", f"line {number + 2}"
        rows = tables.setdefault(current, [])
        for row in lines[number + 2:]:
            if not row.startswith("|"):
                break
            cells = row[1:-1].split(" | ")
            assert row.endswith(" |") and len(cells) == 6, row
            fact, kind, exercise, level, statement, basis = (cell.strip() for cell in cells)
            assert statement.startswith("`") and statement.endswith("`"), row
            rows.append({"fact": fact, "type": kind, "exercise": exercise.strip("`"),
                         "level": level, "statement": statement[1:-1], "basis": basis})
    return tables


def _statements(path: Path) -> list[tuple[str, str, str]]:
    """(exercise or "-", level or "-", statement without indentation) for every statement of a
    protocol; a level's header belongs to its level."""
    found = []
    exercise = level = "-"
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        indent = len(line) - len(line.lstrip())
        if not text or text.startswith("#") or indent == 0:
            continue
        if indent == 2:
            exercise = text.split()[1] if text.startswith("exercise ") else "-"
            level = "-"
        elif indent == 4:
            level = text.split()[1] if text.startswith("level ") else "-"
        found.append((exercise, level, text))
    return found


TABLES = _tables()


def test_every_protocol_has_a_table() -> None:
    assert sorted(TABLES) == NAMES
    assert all(TABLES.values())


@pytest.mark.parametrize("name", NAMES)
def test_table_rows_are_well_formed(name: str) -> None:
    for row in TABLES[name]:
        assert row["type"] in TYPES, row
        assert row["basis"].startswith(BASES), row
        assert row["fact"], row


@pytest.mark.parametrize("name", NAMES)
def test_every_listed_statement_is_in_its_protocol(name: str) -> None:
    """The traceability cannot rot: a statement listed for an article's fact is still in the
    protocol, in the exercise and level the table names."""
    statements = _statements(LIBRARY / f"{name}.protocol")
    for row in TABLES[name]:
        assert (row["exercise"], row["level"], row["statement"]) in statements, row


@pytest.mark.parametrize("name", NAMES)
def test_every_traced_statement_is_listed(name: str) -> None:
    """Every dose, side, gate, range, stop, progression, load, error and modification of a
    protocol is listed against the fact it encodes."""
    listed = {(row["exercise"], row["level"], row["statement"]) for row in TABLES[name]}
    missing = [entry for entry in _statements(LIBRARY / f"{name}.protocol")
               if entry[2].startswith(TRACED) and entry not in listed]
    assert missing == []


@pytest.mark.parametrize("name", NAMES)
def test_every_choice_and_addition_is_noted(name: str) -> None:
    """A statement listed as chosen, or as a clinician's addition, has a note that says so in
    its exercise (its levels included) or, for a protocol statement, in the protocol."""
    statements = _statements(LIBRARY / f"{name}.protocol")
    marks = {"chosen": "Chosen", "added by a clinician": "Added by a clinician"}
    for row in TABLES[name]:
        mark = next((marks[b] for b in marks if row["basis"].startswith(b)), None)
        if mark is None:
            continue
        notes = [text for exercise, level, text in statements
                 if exercise == row["exercise"] and (row["exercise"] != "-" or level == "-")
                 and text.startswith("note ")]
        assert any(mark in note for note in notes), row
