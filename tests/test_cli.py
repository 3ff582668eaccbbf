"""`protodsl check` and `protodsl explain`: paths, formats, exit codes, messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from protodsl import files
from protodsl.cli import main
from protodsl.commands.explain import closest_code
from protodsl.rules.registry import SEVERITIES, all_rules

from cli_run import run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol").read_text("utf-8")
# Two broken lines: a misspelt keyword (line 31) and an unterminated string (line 47).
BROKEN = (EXAMPLE.replace('      step "Stand facing', '      stpe "Stand facing')
          .replace('cue "Keep the knee straight and the ankle from rolling out."',
                   'cue "Keep the knee straight'))
BROKEN_CONCISE = (
    "heel_raises.protocol:31:7: error[P104] unknown keyword `stpe`\n"
    "heel_raises.protocol:47:11: error[P102] unterminated string\n"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- check: results and exit codes --------------------------------------------------------


def test_clean_file_passes(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(work / "heel_raises.protocol", EXAMPLE)
    assert run(capsys, "check", "heel_raises.protocol") == (0, "All checks passed!\n", "")
    assert run(capsys, "check", "--output-format", "json", "heel_raises.protocol") == \
        (0, "[]\n", "")
    assert run(capsys, "check", "--output-format", "concise", "heel_raises.protocol") == \
        (0, "", "")


def test_broken_lines_are_all_reported_and_exit_1(work: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    write(work / "heel_raises.protocol", BROKEN)
    code, out, err = run(capsys, "check", "--output-format", "concise", "heel_raises.protocol")
    assert (code, out, err) == (1, BROKEN_CONCISE, "")
    code, out, _ = run(capsys, "check", "heel_raises.protocol")
    assert code == 1
    assert ("error[P104]: unknown keyword `stpe`\n"
            "  --> heel_raises.protocol:31:7\n"
            "   |\n"
            '31 |       stpe "Stand facing the wall with both hands on it."\n'
            "   |       ^^^^\n"
            "   |\n"
            "   = help: did you mean `step`?\n") in out
    assert out.endswith("\nFound 2 errors.\n")


def test_semantic_error_position_in_json(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(work / "heel_raises.protocol",
          EXAMPLE.replace("regress to level 2 when sharp_pain", "regress to level 2 when sharp_pian"))
    code, out, _ = run(capsys, "check", "--output-format", "json", "heel_raises.protocol")
    assert code == 1
    (item,) = json.loads(out)
    assert (item["path"], item["code"], item["severity"], item["line"], item["column"],
            item["end_line"], item["end_column"]) == \
        ("heel_raises.protocol", "P201", "error", 49, 31, 49, 41)
    assert "`sharp_pian`" in item["message"]


def test_warnings_pass_unless_strict(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(work / "calf.protocol", EXAMPLE)  # P208: file name differs from the protocol name
    code, out, _ = run(capsys, "check", "--output-format", "concise", "calf.protocol")
    assert (code, out) == (0, "calf.protocol:2:10: warning[P208] the file is named `calf` but "
                              "the protocol is `heel_raises`\n")
    assert run(capsys, "check", "calf.protocol")[1].endswith("\nFound 1 warning.\n")
    assert run(capsys, "check", "--strict", "calf.protocol")[0] == 1
    write(work / "heel_raises.protocol", EXAMPLE)
    assert run(capsys, "check", "--strict", "heel_raises.protocol")[0] == 0


# --- check: output format selection -------------------------------------------------------


def test_format_from_environment_and_flag_wins(work: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    write(work / "heel_raises.protocol", BROKEN)
    monkeypatch.setenv("PROTODSL_OUTPUT_FORMAT", "concise")
    assert run(capsys, "check", "heel_raises.protocol") == (1, BROKEN_CONCISE, "")
    code, out, _ = run(capsys, "check", "--output-format", "json", "heel_raises.protocol")
    assert [d["code"] for d in json.loads(out)] == ["P104", "P102"]
    monkeypatch.setenv("PROTODSL_OUTPUT_FORMAT", " GitHub ")
    assert run(capsys, "check", "heel_raises.protocol")[1].startswith("::error file=")
    monkeypatch.setenv("PROTODSL_OUTPUT_FORMAT", "xml")
    assert run(capsys, "check", "heel_raises.protocol") == (
        2, "", "protodsl check: error: PROTODSL_OUTPUT_FORMAT is `xml`, not one of full, "
               "concise, json, github, sarif\n")
    assert run(capsys, "check", "--output-format", "concise", "heel_raises.protocol") == \
        (1, BROKEN_CONCISE, "")


def test_bad_format_flag_is_a_usage_error(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(work / "heel_raises.protocol", EXAMPLE)
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--output-format", "xml", "heel_raises.protocol"])
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "invalid choice: 'xml'" in err


def test_every_format_renders_the_same_diagnostics(work: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    write(work / "heel_raises.protocol", BROKEN)
    outputs = {fmt: run(capsys, "check", "--output-format", fmt, "heel_raises.protocol")
               for fmt in ("full", "concise", "json", "github", "sarif")}
    assert {code for code, _, _ in outputs.values()} == {1}
    sarif = json.loads(outputs["sarif"][1])
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in sarif["runs"][0]["results"]] == [("P104", 31), ("P102", 47)]
    assert [line.split("::")[1].split(",")[1] for line in outputs["github"][1].splitlines()] == \
        ["line=31", "line=47"]


# --- check: paths -------------------------------------------------------------------------


def test_missing_path_exits_2_before_checking(work: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    write(work / "heel_raises.protocol", BROKEN)
    assert run(capsys, "check", "heel_raises.protocol", "nope.protocol", "gone/") == (
        2, "", "protodsl check: error: path `nope.protocol` does not exist\n"
               "protodsl check: error: path `gone/` does not exist\n")


def test_folders_are_searched_recursively_in_sorted_order(
        work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for rel in ("lib/b.protocol", "lib/a/z.protocol", "lib/a-b.protocol", "lib/.hidden/h.protocol",
                "lib/notes.txt", "lib/a/deep/er/y.protocol", "other/c.protocol"):
        write(work / rel, "protocol wrong_name\n  exercise e\n    reps 1\n")
    code, out, err = run(capsys, "check", "--output-format", "concise", "other", "lib/",
                         "lib/b.protocol", "./lib/../lib/a/z.protocol")
    assert (code, err) == (0, "")
    paths = [line.split(":")[0] for line in out.splitlines() if "[P208]" in line]
    assert paths == ["lib/a/deep/er/y.protocol", "lib/a/z.protocol", "lib/a-b.protocol",
                     "lib/b.protocol", "other/c.protocol"]


def test_default_path_is_the_current_folder(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(work / "heel_raises.protocol", BROKEN)
    write(work / "sub" / "heel_raises.protocol", EXAMPLE)
    code, out, _ = run(capsys, "check", "--output-format", "concise")
    assert (code, out) == (1, BROKEN_CONCISE)
    code, out, _ = run(capsys, "check", "--output-format", "json")
    assert {d["path"] for d in json.loads(out)} == {"heel_raises.protocol"}


def test_a_file_named_explicitly_is_checked_whatever_its_extension(
        work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(work / "draft.txt", BROKEN)
    code, out, _ = run(capsys, "check", "--output-format", "concise", "draft.txt")
    assert (code, out) == (1, BROKEN_CONCISE.replace("heel_raises.protocol", "draft.txt"))


def test_a_folder_without_protocols_passes_with_a_warning(
        work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "empty").mkdir()
    assert run(capsys, "check", "--output-format", "json", "empty") == (
        0, "[]\n", "protodsl check: warning: no .protocol files found in `empty`\n")


def test_unreadable_files_are_reported_and_the_others_checked(
        work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(work / "lib" / "heel_raises.protocol", BROKEN)
    os.symlink(work / "lib" / "missing-target", work / "lib" / "dangling.protocol")
    code, out, err = run(capsys, "check", "--output-format", "concise", "lib")
    assert code == 2
    assert out == BROKEN_CONCISE.replace("heel_raises.protocol", "lib/heel_raises.protocol")
    assert err == ("protodsl check: error: cannot read `lib/dangling.protocol`: the file does not "
                   "exist (a broken link?)\n")


def test_permission_denied_is_a_clear_message(work: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    write(work / "heel_raises.protocol", EXAMPLE)

    def refuse(path: str, mode: str = "r") -> None:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(files, "open", refuse, raising=False)
    assert run(capsys, "check", "heel_raises.protocol") == (
        2, "No file was checked.\n",
        "protodsl check: error: cannot read `heel_raises.protocol`: permission denied\n")


def test_unsearchable_folder_is_reported(work: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (work / "locked").mkdir()
    real_walk = os.walk

    def walk(top: str, onerror=None, **kwargs):  # type: ignore[no-untyped-def]
        onerror(PermissionError(13, "Permission denied", "locked"))
        return real_walk(top, onerror=onerror, **kwargs)

    monkeypatch.setattr(files.os, "walk", walk)
    assert run(capsys, "check", "locked") == (
        2, "No file was checked.\n",
        "protodsl check: error: cannot search folder `locked`: permission denied\n")


def test_read_bytes_messages(tmp_path: Path) -> None:
    folder = tmp_path / "x.protocol"
    folder.mkdir()
    with pytest.raises(files.ReadError, match=r"^cannot read `.*x\.protocol`: it is a directory$"):
        files.read_bytes(str(folder))
    found = files.discover([str(tmp_path)])
    assert found.files == [] and found.missing == [] and found.unreadable == []


def test_same_file_twice_is_checked_once(work: Path) -> None:
    write(work / "a" / "p.protocol", EXAMPLE)
    os.symlink(work / "a" / "p.protocol", work / "a" / "q.protocol")
    assert files.discover(["a", "a/p.protocol", "./a/p.protocol"]).files == ["a/p.protocol"]


def test_non_utf8_and_huge_files_give_diagnostics_not_tracebacks(
        work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "heel_raises.protocol").write_bytes(
        EXAMPLE.encode().replace(b"Calf strength", b"Calf str\xe9ngth"))
    code, out, err = run(capsys, "check", "heel_raises.protocol")
    assert (code, err) == (1, "")
    assert "error[P103]: the file is not UTF-8 text: invalid byte 0xE9" in out
    assert "1 | # Calf str\ufffdngth after an ankle sprain." in out
    (work / "big.protocol").write_bytes(b"#" * (9 * 1024 * 1024))
    code, out, err = run(capsys, "check", "--output-format", "concise", "big.protocol")
    assert (code, out, err) == (
        1, "big.protocol:1:1: error[P106] the file is too large to check (9.0 MiB)\n", "")


def test_python_dash_m_is_the_same_program(work: Path) -> None:
    write(work / "heel_raises.protocol", BROKEN)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("PROTODSL_OUTPUT_FORMAT", None)
    done = subprocess.run([sys.executable, "-m", "protodsl", "check", "--output-format",
                           "concise", "heel_raises.protocol"], cwd=work, env=env,
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (1, BROKEN_CONCISE, "")


# --- explain ------------------------------------------------------------------------------


def test_explain_prints_what_why_and_both_examples(capsys: pytest.CaptureFixture[str]) -> None:
    rule = all_rules()["P104"]
    code, out, err = run(capsys, "explain", "P104")
    assert (code, err) == (0, "")
    assert out.startswith(f"P104 (error): {rule.summary}\n\n{rule.explanation}\n\n"
                          "Failing example:\n\n")
    assert "    hodl 30 s\n" in out
    assert out.endswith("Passing example:\n\n    protocol demo\n      exercise squat\n"
                        "        hold 30 s\n")


def test_explain_is_case_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, "explain", "P104")
    assert run(capsys, "explain", "p104") == first
    assert run(capsys, "explain", "104") == first


def test_explain_warning_says_how_to_allow_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "P205")
    assert code == 0 and out.startswith("P205 (warning): ")
    assert out.endswith('silenced in a file with `allow P205 "reason"`.\n')


@pytest.mark.parametrize("code", sorted(SEVERITIES))
def test_explain_knows_every_code(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    rule = all_rules().get(code)
    assert rule is not None, f"{code} has no registry entry"
    status, out, _ = run(capsys, "explain", code.lower())
    assert status == 0
    assert out.startswith(f"{code} ({SEVERITIES[code]}): {rule.summary}\n")
    assert rule.summary and rule.explanation and rule.bad and rule.good
    assert "Failing example:" in out and "Passing example:" in out


def test_explain_unknown_code_names_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "explain", "P2O1") == (
        2, "", "protodsl explain: error: unknown code `P2O1`; the closest code is `P201`\n")
    assert run(capsys, "explain", "P999") == (
        2, "", "protodsl explain: error: unknown code `P999`; the closest code is `P900`\n")


def test_closest_code_prefers_the_same_hundred() -> None:
    codes = ["P100", "P104", "P209", "P300", "P900"]
    assert closest_code("P105", codes) == "P104"
    assert closest_code("P250", codes) == "P209"
    assert closest_code("P990", codes) == "P900"
    assert closest_code("P700", codes) == "P900"
    assert closest_code("P600", ["P500", "P700"]) == "P500"
