"""`protodsl export`: the command, and the csv export read back with the standard `csv` module.

The exports are read back with the format's own reader, never with protodsl's code; the
expected values come from the compiled JSON (`protodsl.load`).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

import protodsl
from protodsl.cli import main

from cli_run import run

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "protocols").glob("*.protocol")) + sorted(
    (ROOT / "tests" / "conformance" / "valid").glob("*.protocol"))
IDS = [f"{p.parent.name}/{p.stem}" for p in FILES]


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def num(cell: str) -> float | None:
    return None if cell == "" else float(cell)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_csv_matches_the_week_table(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = protodsl.load(path)
    code, out, err = run(capsys, "export", "--to", "csv", str(path))
    assert code == 0, err
    rows = read_csv(out)
    week_rows = [r for r in rows if r["table"] == "week"]
    level_rows = [r for r in rows if r["table"] == "level"]
    expected = [(w["week"], e["name"], lv["level"]) for w in document["weeks"]
                for e in w["exercises"] for lv in e["levels"]]
    assert [(int(r["week"]), r["exercise"], int(r["level"])) for r in week_rows] == expected
    assert [(r["exercise"], int(r["level"])) for r in level_rows] == [
        (e["name"], lv["level"]) for e in document["exercises"] for lv in e["levels"]]
    # totals per week: sessions and reps
    for week in document["weeks"]:
        mine = [r for r in week_rows if int(r["week"]) == week["week"]]
        table = [lv for e in week["exercises"] for lv in e["levels"]]
        assert sum(num(r["sessions_min"]) or 0 for r in mine) == sum(
            lv["sessions"]["min"] for lv in table)
        want = sum(lv["dosage"]["total_reps"]["min"] * lv["sessions"]["min"] for lv in table
                   if lv["dosage"] is not None and lv["dosage"]["total_reps"] is not None)
        assert sum(num(r["week_total_reps_min"]) or 0 for r in mine) == want
    # every dosage column of every week row, and the criterion levels left empty
    flat = [lv for w in document["weeks"] for e in w["exercises"] for lv in e["levels"]]
    for row, lv in zip(week_rows, flat):
        assert row["by_criterion"] == ("true" if lv["by_criterion"] else "false")
        if lv["dosage"] is None:
            assert lv["by_criterion"]
            assert row["sets_min"] == row["reps_min"] == row["loads_kg_min"] == ""
            assert row["loads"] == ""
            continue
        for key in ("sets", "reps", "total_reps", "hold_s", "duration_s", "breaths",
                    "distance_m", "rest_between_sets_s", "rest_between_sides_s", "rpe"):
            value = lv["dosage"][key]
            assert num(row[f"{key}_min"]) == (None if value is None else value["min"]), key
            assert num(row[f"{key}_max"]) == (None if value is None else value["max"]), key
        assert row["sides"] == lv["dosage"]["sides"]
        assert row["eyes"] == lv["dosage"]["eyes"]
        kgs = [("" if k is None else k["min"]) for k in lv["loads_kg"]]
        assert [num(c) if c else "" for c in row["loads_kg_min"].split(";")] == (kgs or [""])
    # the static dosage of every level
    levels = [lv for e in document["exercises"] for lv in e["levels"]]
    for row, lv in zip(level_rows, levels):
        for key in ("sets", "reps", "hold_s", "duration_s"):
            value = lv["dosage"][key]
            assert num(row[f"{key}_min"]) == (None if value is None else value["min"])


def test_side_binds_affected(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "tests" / "conformance" / "valid" / "achilles_eccentric.protocol"
    code, out, _ = run(capsys, "export", "--to", "csv", "--side", "left", str(path))
    assert code == 0
    rows = read_csv(out)
    heel = [r for r in rows if r["exercise"] == "heel_drop" and r["sets_min"]]
    assert heel and {r["sides"] for r in heel} == {"left"}


def test_output_folder_is_written_atomically(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "--to", "csv", str(ROOT / "protocols"), "-o",
                         str(tmp_path / "out"))
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(protodsl.load(p)["protocol"]["name"] + ".csv"
                           for p in (ROOT / "protocols").glob("*.protocol"))
    assert out.count(" -> ") == len(names)


def test_file_with_errors_exports_nothing(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.protocol"
    bad.write_text("protocol bad\n  schedule 3 times weekly for 2 weeks\n  exercise x\n"
                   "    reps ten\n", encoding="utf-8")
    code, out, err = run(capsys, "export", "--to", "csv", str(bad), "-o", str(tmp_path / "o"))
    assert code == 1
    assert "error[" in err
    assert not (tmp_path / "o").exists()


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    protocols = str(ROOT / "protocols")
    assert run(capsys, "export", "--to", "csv", protocols)[0] == 2  # several without -o
    assert run(capsys, "export", "--to", "csv", str(tmp_path / "nope.protocol"))[0] == 2
    with pytest.raises(SystemExit) as exc:
        main(["export", "--to", "pdf", protocols])
    assert exc.value.code == 2


def test_missing_library_names_the_extra(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)
    path = ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol"
    code, out, err = run(capsys, "export", "--to", "ics", "--start", "2026-01-05", str(path))
    assert code == 2
    assert out == ""
    assert 'pip install "protodsl[export]"' in err


def test_check_does_not_import_the_export_libraries() -> None:
    code = ("import sys; from protodsl.cli import main; "
            "main(['check', sys.argv[1]]); "
            "bad = [m for m in ('icalendar', 'fhir', 'fit_tool', 'garmin_fit_sdk', "
            "'protodsl.export', 'pydantic') if m in sys.modules]; print(bad)")
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "protocols")],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("[]")


@pytest.mark.parametrize("fmt", ["csv", "ics", "fhir", "fit"])
def test_exports_are_deterministic_and_leave_no_temporary_files(
        fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if fmt != "csv":
        pytest.importorskip({"ics": "icalendar", "fhir": "fhir.resources", "fit": "fit_tool"}[fmt])
    path = ROOT / "tests" / "conformance" / "valid" / "achilles_eccentric.protocol"
    outputs = []
    for run_dir in ("a", "b"):
        code = main(["export", "--to", fmt, "--start", "2026-01-05", str(path), "-o",
                     str(tmp_path / run_dir)])
        assert code == 0, capsys.readouterr().err
        outputs.append({p.name: p.read_bytes() for p in (tmp_path / run_dir).iterdir()})
    capsys.readouterr()
    assert outputs[0] == outputs[1]
    assert all(not name.startswith(".") for name in outputs[0])
    ext = {"csv": "csv", "ics": "ics", "fhir": "json", "fit": "fit"}[fmt]
    assert f"achilles_eccentric.{ext}" in outputs[0]


def test_level_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol"
    assert main(["export", "--to", "csv", "--level", "0", str(path)]) == 2
    assert "--level" in capsys.readouterr().err
