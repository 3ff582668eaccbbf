"""Configuration ([tool.protodsl] / protodsl.toml), .gitignore, and the options of `check`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from protodsl import config, ignore

from cli_run import run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol").read_text("utf-8")
# Saved under another name, the example has one warning: P208 (the file name).
P208 = "misnamed.protocol:2:10: warning[P208] the file is named `misnamed` but the protocol " \
       "is `heel_raises`\n"
BROKEN = EXAMPLE.replace('      step "Stand facing', '      stpe "Stand facing')
P104 = "heel_raises.protocol:31:7: error[P104] unknown keyword `stpe`\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def tree(work: Path) -> None:
    """good/heel_raises.protocol (clean), bad/heel_raises.protocol (P104), misnamed (P208)."""
    write(work / "good" / "heel_raises.protocol", EXAMPLE)
    write(work / "bad" / "heel_raises.protocol", BROKEN)
    write(work / "misnamed.protocol", EXAMPLE)


def concise(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run(capsys, "check", "--output-format", "concise", *argv)


# --- discovery of the configuration -----------------------------------------------------------


def test_no_configuration_is_the_defaults(work: Path) -> None:
    assert config.find(str(work)) is None
    assert config.load(str(work)) == config.Config()


def test_found_by_walking_up_from_the_checked_path(work: Path) -> None:
    write(work / "protodsl.toml", "strict = true\n")
    deep = work / "a" / "b" / "x.protocol"
    write(deep, EXAMPLE)
    assert config.find(str(deep)) == str(work / "protodsl.toml")
    assert config.load(str(work / "a")).strict is True


def test_pyproject_without_the_table_is_passed_over(work: Path) -> None:
    write(work / "pyproject.toml", '[tool.protodsl]\nignore = ["P208"]\n')
    write(work / "sub" / "pyproject.toml", '[project]\nname = "x"\n# protodsl\n')
    assert config.find(str(work / "sub")) == str(work / "pyproject.toml")
    write(work / "sub" / "pyproject.toml", '[tool.protodsl]\nstrict = true\n')
    assert config.find(str(work / "sub")) == str(work / "sub" / "pyproject.toml")


def test_protodsl_toml_comes_before_pyproject_in_the_same_folder(work: Path) -> None:
    write(work / "pyproject.toml", '[tool.protodsl]\nstrict = true\n')
    write(work / "protodsl.toml", 'strict = false\n')
    assert config.find(str(work)) == str(work / "protodsl.toml")
    assert config.load(str(work)).strict is False


def test_nearest_configuration_wins(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work)
    write(work / "protodsl.toml", "strict = true\n")
    write(work / "good" / "protodsl.toml", "strict = false\n")
    write(work / "good" / "misnamed.protocol", EXAMPLE)
    assert concise(capsys, "good")[0] == 0  # good/protodsl.toml: not strict
    assert concise(capsys, "misnamed.protocol")[0] == 1  # ./protodsl.toml: strict


def test_configuration_errors_exit_2_with_a_clear_message(
        work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work)
    cases = {
        "strictt = true\n": "protodsl.toml: unknown key `strictt`; did you mean `strict`?",
        "strict = 1\n": "protodsl.toml: `strict` must be true or false",
        "exclude = \"a\"\n": "protodsl.toml: `exclude` must be a list of strings",
        'output-format = "xml"\n': "protodsl.toml: `output-format` is `xml`, not one of full, "
                                   "concise, json, github, sarif",
        'ignore = ["P104"]\n': "protodsl.toml: `ignore` names `P104`, which includes the error "
                               "`P104`: only warnings can be ignored (errors always fail)",
        'select = ["P999"]\n': "protodsl.toml: `select` names `P999`, which is no rule's code",
    }
    for text, message in cases.items():
        write(work / "protodsl.toml", text)
        code, out, err = run(capsys, "check", "misnamed.protocol")
        assert (code, out) == (2, ""), text
        assert err == f"protodsl check: error: {work / message}\n", text
    write(work / "protodsl.toml", "strict = [\n")
    code, out, err = run(capsys, "check", "--output-format", "sarif", "misnamed.protocol")
    assert code == 2 and "is not valid TOML" in err
    assert json.loads(out)["runs"][0]["results"] == []


def test_ignoring_a_prefix_that_holds_errors_is_refused(
        work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work)
    code, out, err = concise(capsys, "--ignore", "P2", "misnamed.protocol")
    assert (code, out) == (2, "")
    assert err.startswith("protodsl check: error: --ignore: `ignore` names `P2`, which includes "
                          "the error `P200`, ")


# --- the settings -------------------------------------------------------------------------------


def test_ignore_and_select_warnings(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work)
    assert concise(capsys, "misnamed.protocol") == (0, P208, "")
    write(work / "protodsl.toml", 'ignore = ["P208"]\nstrict = true\n')
    assert concise(capsys, "misnamed.protocol") == (0, "", "")
    write(work / "protodsl.toml", 'select = ["P5"]\nstrict = true\n')
    assert concise(capsys, "misnamed.protocol") == (0, "", "")
    write(work / "protodsl.toml", 'select = ["p2"]\nstrict = true\n')
    assert concise(capsys, "misnamed.protocol") == (1, P208, "")
    # errors are reported whatever select says
    assert concise(capsys, "bad")[1] == "bad/" + P104
    # the command line: --ignore adds to the file's list, --select replaces it
    assert concise(capsys, "--ignore", "P208", "misnamed.protocol") == (0, "", "")
    assert concise(capsys, "--select", "P500,P501", "misnamed.protocol") == (0, "", "")


def test_strict_from_the_file_and_overridden(work: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    tree(work)
    write(work / "pyproject.toml", "[tool.protodsl]\nstrict = true\n")
    assert concise(capsys, "misnamed.protocol") == (1, P208, "")
    assert concise(capsys, "--no-strict", "misnamed.protocol") == (0, P208, "")
    write(work / "pyproject.toml", "[tool.protodsl]\nstrict = false\n")
    assert concise(capsys, "--strict", "misnamed.protocol") == (1, P208, "")


def test_output_format_from_the_file_then_env_then_flag(
        work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    tree(work)
    write(work / "protodsl.toml", 'output-format = "concise"\n')
    assert run(capsys, "check", "misnamed.protocol") == (0, P208, "")
    monkeypatch.setenv("PROTODSL_OUTPUT_FORMAT", "json")
    assert json.loads(run(capsys, "check", "misnamed.protocol")[1])[0]["code"] == "P208"
    assert run(capsys, "check", "--output-format", "github", "misnamed.protocol")[1] \
        .startswith("::warning file=misnamed.protocol,line=2,")


def test_config_and_isolated_flags(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work)
    write(work / "protodsl.toml", 'ignore = ["P208"]\n')
    write(work / "other.toml", "strict = true\n")
    assert concise(capsys, "misnamed.protocol") == (0, "", "")
    assert concise(capsys, "--isolated", "misnamed.protocol") == (0, P208, "")
    assert concise(capsys, "--config", "other.toml", "misnamed.protocol") == (1, P208, "")


def test_exclude_and_extend_exclude(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work)
    assert concise(capsys)[1] == "bad/" + P104 + P208
    write(work / "protodsl.toml", 'exclude = ["bad/"]\n')
    assert concise(capsys) == (0, P208, "")
    write(work / "protodsl.toml", 'exclude = ["bad/"]\nextend-exclude = ["misnamed.*"]\n')
    assert concise(capsys) == (0, "", "")
    # a folder given by name is searched (unless --force-exclude); patterns are relative to
    # the configuration's folder, wherever the check starts
    assert concise(capsys, "bad") == (1, "bad/" + P104, "")
    assert concise(capsys, "--force-exclude", "bad", "good") == (0, "", "")
    write(work / "good" / "bad" / "heel_raises.protocol", BROKEN)
    assert concise(capsys, "good") == (0, "", "")  # `bad/` is not anchored: good/bad/ too
    write(work / "protodsl.toml", 'exclude = ["/bad/"]\n')
    assert concise(capsys, "good")[1] == "good/bad/" + P104
    write(work / "protodsl.toml", 'exclude = ["/bad/", "/good/bad"]\n')
    assert concise(capsys, "good") == (0, "", "")
    write(work / "protodsl.toml", 'exclude = ["bad/"]\nextend-exclude = ["misnamed.*"]\n')
    # the command line: --exclude replaces the file's exclude, --extend-exclude adds
    assert concise(capsys, "--exclude", "good/") == (1, "bad/" + P104, "")
    assert concise(capsys, "--exclude", "good/", "--extend-exclude", "bad") == (
        0, "", "protodsl check: warning: no .protocol files found in `.`\n")


def test_a_file_given_by_name_is_checked_unless_force_exclude(
        work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work)
    write(work / "protodsl.toml", 'exclude = ["bad/", "misnamed.protocol"]\n')
    assert concise(capsys, "bad/heel_raises.protocol")[1] == "bad/" + P104
    assert concise(capsys, "--force-exclude", "bad/heel_raises.protocol",
                   "misnamed.protocol", "good/heel_raises.protocol") == (0, "", "")


def test_gitignore_is_respected_in_a_repository(work: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    tree(work)
    write(work / ".gitignore", "# generated\nbad/\n*.protocol\n!heel_raises.protocol\n")
    # outside a repository, .gitignore files mean nothing (as for git)
    assert concise(capsys)[1] == "bad/" + P104 + P208
    (work / ".git").mkdir()
    assert concise(capsys) == (0, "", "")
    assert concise(capsys, "--no-respect-gitignore")[1] == "bad/" + P104 + P208
    write(work / "protodsl.toml", "respect-gitignore = false\n")
    assert concise(capsys)[1] == "bad/" + P104 + P208
    assert concise(capsys, "--respect-gitignore") == (0, "", "")


def test_a_deeper_gitignore_and_a_parent_one(work: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    tree(work)
    (work / ".git").mkdir()
    write(work / ".gitignore", "misnamed.protocol\n")
    write(work / "good" / ".gitignore", "/heel_raises.protocol\n")
    write(work / "good" / "sub" / "heel_raises.protocol", BROKEN)
    code, out, _ = concise(capsys)
    assert out == "bad/" + P104 + "good/sub/" + P104  # anchored: good/sub/ is not ignored
    # the root's .gitignore applies when only a subfolder is checked
    write(work / "sub" / "misnamed.protocol", EXAMPLE)
    assert concise(capsys, "sub") == (
        0, "", "protodsl check: warning: no .protocol files found in `sub`\n")
    write(work / "sub" / ".gitignore", "!misnamed.protocol\n")
    assert concise(capsys, "sub") == (0, "sub/" + P208, "")


@pytest.mark.parametrize(("pattern", "matches", "misses"), [
    ("*.protocol", ["a.protocol", "x/y/a.protocol"], ["a.protocolx"]),
    ("/top.protocol", ["top.protocol"], ["x/top.protocol"]),
    ("x/*.protocol", ["x/a.protocol"], ["y/x/a.protocol", "x/y/a.protocol"]),
    ("**/fixtures/*", ["fixtures/a", "x/y/fixtures/a"], ["fixtures"]),
    ("a/**/b", ["a/b", "a/x/y/b"], ["x/a/b"]),
    ("a/**", ["a/x", "a/x/y"], ["a"]),
    ("t?st[0-9].p", ["test1.p", "tast9.p"], ["tst1.p", "test.p", "t/st1.p"]),
    ("[!a]*", ["b", "x/b"], ["a", "x/a"]),
    ("\\#hash", ["#hash"], []),
    ("\\!bang", ["!bang"], []),
    ("trailing\\ ", ["trailing "], ["trailing"]),
    ("spaces   ", ["spaces"], ["spaces   "]),
])
def test_gitignore_patterns(tmp_path: Path, pattern: str, matches: list[str],
                            misses: list[str]) -> None:
    base = str(tmp_path)
    patterns = ignore.parse([pattern], base)
    for rel in matches:
        assert patterns.match(os.path.join(base, rel), False) is True, rel
    for rel in misses:
        assert patterns.match(os.path.join(base, rel), False) is None, rel


def test_gitignore_rules_order_negation_and_folders(tmp_path: Path) -> None:
    base = str(tmp_path)
    patterns = ignore.parse(["# comment", "", "build/", "*.p", "!keep.p"], base)
    assert patterns.match(os.path.join(base, "build"), True) is True
    assert patterns.match(os.path.join(base, "build"), False) is None  # folders only
    assert patterns.match(os.path.join(base, "x.p"), False) is True
    assert patterns.match(os.path.join(base, "keep.p"), False) is False
    assert ignore.ignored([patterns], os.path.join(base, "keep.p"), False) is False
    deeper = ignore.parse(["keep.p"], os.path.join(base, "d"))
    assert ignore.ignored([patterns, deeper], os.path.join(base, "d", "keep.p"), False) is True


def test_the_repository_is_clean_with_its_own_configuration() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PROTODSL_OUTPUT_FORMAT"}
    done = subprocess.run([sys.executable, "-m", "protodsl", "check"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "All checks passed!\n", "")


def test_fmt_searches_folders_with_the_same_exclusions(
        work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messy = EXAMPLE.replace("protocol heel_raises", "protocol   heel_raises", 1)
    for folder in ("keep", "skip", "ignored"):
        write(work / folder / "heel_raises.protocol", messy)
    (work / ".git").mkdir()
    write(work / ".gitignore", "ignored/\n")
    write(work / "protodsl.toml", 'exclude = ["skip/"]\n')
    assert run(capsys, "fmt", "--check") == (
        1, "keep/heel_raises.protocol\n",
        "1 file would be reformatted, 0 files already formatted\n")
    write(work / "protodsl.toml", "exclude = 3\n")
    assert run(capsys, "fmt", "--check") == (
        2, "", f"protodsl fmt: error: {work / 'protodsl.toml'}: `exclude` must be a list of "
               "strings\n")


@pytest.mark.parametrize("command", ["compile", "export", "handout"])
def test_compile_export_and_handout_search_folders_with_the_same_exclusions(
        work: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    tree(work)  # good/ (clean), bad/ (P104), misnamed.protocol (P208, same protocol name)
    (work / ".git").mkdir()
    write(work / ".gitignore", "misnamed.protocol\n")
    write(work / "protodsl.toml", 'exclude = ["bad/"]\n')
    extra = ["--to", "fhir"] if command == "export" else []
    ext = {"compile": "json", "export": "json", "handout": "html"}[command]
    status, out, err = run(capsys, command, *extra, ".", "-o", "out")
    assert (status, err) == (0, "")
    assert out.endswith(f" -> out/heel_raises.{ext}\n") and out.count("\n") == 1
    # a file named on the command line is read, excluded or not
    status, out, err = run(capsys, command, *extra, "bad/heel_raises.protocol", "-o", "out")
    assert (status, out, err) == (1, "", P104.replace("heel_raises", "bad/heel_raises", 1))
    write(work / "protodsl.toml", "exclude = 3\n")
    assert run(capsys, command, *extra, ".", "-o", "out") == (
        2, "", f"protodsl {command}: error: {work / 'protodsl.toml'}: `exclude` must be a list "
               "of strings\n")
