"""The options of `check` for editors and CI (stdin, statistics, quiet, exit-zero, colour), and
`explain --list`, `fmt --check --diff`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from protodsl.rules.registry import all_rules

from cli_run import run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol").read_text("utf-8")
BROKEN = EXAMPLE.replace('      step "Stand facing', '      stpe "Stand facing')
P104 = "heel_raises.protocol:31:7: error[P104] unknown keyword `stpe`\n"
P208 = ("misnamed.protocol:2:10: warning[P208] the file is named `misnamed` but the protocol "
        "is `heel_raises`\n")


@pytest.fixture
def work(work: Path) -> Path:
    (work / "heel_raises.protocol").write_text(BROKEN, encoding="utf-8")
    (work / "misnamed.protocol").write_text(EXAMPLE, encoding="utf-8")
    return work


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


def test_check_stdin_with_and_without_a_name(work: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    stdin(monkeypatch, BROKEN)
    assert run(capsys, "check", "--output-format", "concise", "-") == \
        (1, "-" + P104[len("heel_raises.protocol"):], "")
    stdin(monkeypatch, EXAMPLE)
    # the name is used in the report and for the file-name rule (P208)
    assert run(capsys, "check", "--output-format", "concise", "--stdin-filename",
               "misnamed.protocol", "-") == (0, P208, "")
    stdin(monkeypatch, EXAMPLE)
    assert run(capsys, "check", "--stdin-filename", "heel_raises.protocol", "-") == \
        (0, "All checks passed!\n", "")


def test_stdin_filename_finds_the_configuration(work: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (work / "sub").mkdir()
    (work / "sub" / "protodsl.toml").write_text('ignore = ["P208"]\n', encoding="utf-8")
    stdin(monkeypatch, EXAMPLE)
    assert run(capsys, "check", "--output-format", "concise", "--stdin-filename",
               "sub/misnamed.protocol", "-") == (0, "", "")


def test_stdin_filename_without_dash_is_a_usage_error(
        work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--output-format", "json", "--stdin-filename", "x",
                         "misnamed.protocol")
    assert (code, out, err) == (2, "[]\n", "protodsl check: error: --stdin-filename needs `-` "
                                           "among the paths\n")


def test_statistics(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "b").mkdir()
    (work / "b" / "heel_raises.protocol").write_text(BROKEN, encoding="utf-8")
    summary104, summary208 = all_rules()["P104"].summary, all_rules()["P208"].summary
    assert run(capsys, "check", "--statistics") == (
        1, f"2  P104  error    {summary104}\n1  P208  warning  {summary208}\n", "")
    code, out, _ = run(capsys, "check", "--statistics", "--output-format", "json")
    assert (code, json.loads(out)) == (1, [
        {"code": "P104", "count": 2, "severity": "error", "summary": summary104},
        {"code": "P208", "count": 1, "severity": "warning", "summary": summary208}])
    assert run(capsys, "check", "--statistics", "misnamed.protocol", "--ignore", "P208") == \
        (0, "", "")


def test_quiet_prints_only_the_diagnostics(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "misnamed.protocol")
    assert out.endswith("\nFound 1 warning.\n")
    assert run(capsys, "check", "-q", "misnamed.protocol") == \
        (0, out[:-len("\nFound 1 warning.\n")], "")
    (work / "good").mkdir()
    (work / "good" / "heel_raises.protocol").write_text(EXAMPLE, encoding="utf-8")
    assert run(capsys, "check", "--quiet", "good") == (0, "", "")
    (work / "empty").mkdir()
    assert run(capsys, "check", "--quiet", "empty") == (0, "", "")
    assert run(capsys, "check", "empty")[2] == \
        "protodsl check: warning: no .protocol files found in `empty`\n"


def test_exit_zero(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "--output-format", "concise", "--exit-zero") == \
        (0, P104 + P208, "")
    assert run(capsys, "check", "--output-format", "concise", "--exit-zero", "--strict",
               "misnamed.protocol") == (0, P208, "")
    # a usage problem is still 2
    assert run(capsys, "check", "--exit-zero", "nowhere")[0] == 2


def test_color(work: Path, capsys: pytest.CaptureFixture[str],
               monkeypatch: pytest.MonkeyPatch) -> None:
    red = "\x1b[1;31merror[P104]\x1b[0m"
    assert red in run(capsys, "check", "--color", "always", "heel_raises.protocol")[1]
    plain = run(capsys, "check", "heel_raises.protocol")[1]  # auto, not a terminal
    assert "\x1b[" not in plain and plain.startswith("error[P104]: unknown keyword `stpe`\n")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert red in run(capsys, "check", "heel_raises.protocol")[1]
    assert run(capsys, "check", "--color", "never", "heel_raises.protocol")[1] == plain
    monkeypatch.setenv("NO_COLOR", "1")
    assert run(capsys, "check", "heel_raises.protocol")[1] == plain
    assert red in run(capsys, "check", "--color", "always", "heel_raises.protocol")[1]
    # colour is for the full format only
    assert "\x1b[" not in run(capsys, "check", "--color", "always", "--output-format",
                              "concise", "heel_raises.protocol")[1]
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "0")
    assert run(capsys, "check", "heel_raises.protocol")[1] == plain


def test_missing_path_gives_an_empty_log(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = "protodsl check: error: path `nowhere` does not exist\n"
    assert run(capsys, "check", "--output-format", "json", "nowhere") == (2, "[]\n", err)
    code, out, got = run(capsys, "check", "--output-format", "sarif", "nowhere")
    assert (code, got) == (2, err)
    log = json.loads(out)
    assert log["version"] == "2.1.0" and log["runs"][0]["results"] == []
    for fmt in ("full", "concise", "github"):
        assert run(capsys, "check", "--output-format", fmt, "nowhere") == (2, "", err)


def test_explain_list(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "--list")
    rules = all_rules()
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"{c}  {rules[c].severity:<7}  {rules[c].summary}"
                                for c in sorted(rules)]
    assert "P104  error    unknown keyword" in out
    assert run(capsys, "explain") == (
        2, "", "protodsl explain: error: give a CODE (such as P201) or --list\n")
    assert run(capsys, "explain", "--list", "P104") == (
        2, "", "protodsl explain: error: give a CODE or --list, not both\n")


def test_fmt_check_and_diff_together(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messy = EXAMPLE.replace("protocol heel_raises", "protocol   heel_raises", 1)
    path = work / "good" / "heel_raises.protocol"
    path.parent.mkdir()
    path.write_text(messy, encoding="utf-8")
    code, out, err = run(capsys, "fmt", "--check", "--diff", "good")
    assert code == 1
    assert out.startswith("--- good/heel_raises.protocol (original)\n"
                          "+++ good/heel_raises.protocol (formatted)\n")
    assert "\n-protocol   heel_raises \"Heel Raise Progression\"\n+protocol heel_raises \"Heel " \
           "Raise Progression\"\n" in out
    assert err == "1 file would be reformatted, 0 files already formatted\n"
    assert path.read_text(encoding="utf-8") == messy
    assert run(capsys, "fmt", "--diff", "good") == (code, out, err)
    assert run(capsys, "fmt", "--check", "good") == (1, "good/heel_raises.protocol\n", err)
