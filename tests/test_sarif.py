"""SARIF output against the full official SARIF 2.1.0 schema (tests/sarif/, source noted in its
README), with repository-relative URIs, fingerprints and links into the repository."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from protodsl.cli import main
from protodsl.render import sarif as sarif_render

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests" / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
EXAMPLE = (ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol").read_text("utf-8")
BROKEN = EXAMPLE.replace('      step "Stand facing', '      stpe "Stand facing')


def validate(log: dict) -> None:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)


def check_sarif(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, str]:
    code = main(["check", "--isolated", "--output-format", "sarif", *argv])
    out, err = capsys.readouterr()
    log = json.loads(out)
    validate(log)
    return code, log, err


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (a folder with .git) holding a clean and a broken protocol."""
    monkeypatch.delenv("PROTODSL_OUTPUT_FORMAT", raising=False)
    (tmp_path / ".git").mkdir()
    (tmp_path / "protocols" / "bad").mkdir(parents=True)
    (tmp_path / "protocols" / "heel_raises.protocol").write_text(EXAMPLE, encoding="utf-8")
    (tmp_path / "protocols" / "bad" / "heel_raises.protocol").write_text(BROKEN,
                                                                        encoding="utf-8")
    return tmp_path


def test_the_schema_fixture_is_the_official_one() -> None:
    assert SCHEMA["id"] == ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                            "sarif-schema-2.1.0.json")
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert {"run", "result", "reportingDescriptor", "artifactLocation"} <= set(
        SCHEMA["definitions"])
    with pytest.raises(jsonschema.ValidationError):  # the schema really constrains
        validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})


def test_uris_are_relative_to_the_repository_root(repo: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "protocols")
    code, log, err = check_sarif(capsys, ".")
    assert (code, err) == (1, "")
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["REPO_ROOT"]["uri"] == repo.as_uri() + "/"
    (result,) = run["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "protocols/bad/heel_raises.protocol", "uriBaseId": "REPO_ROOT"}
    # the same file named from elsewhere, or by an absolute path, has the same URI
    monkeypatch.chdir(repo)
    for given in ("protocols/bad", str(repo / "protocols" / "bad" / "heel_raises.protocol")):
        again = check_sarif(capsys, given)[1]["runs"][0]["results"][0]
        assert again["locations"] == result["locations"]
        assert again["partialFingerprints"] == result["partialFingerprints"]


def test_outside_a_repository_the_current_folder_is_the_root(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROTODSL_OUTPUT_FORMAT", raising=False)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "heel_raises.protocol").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "heel_raises.protocol").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "in")
    log = check_sarif(capsys, "heel_raises.protocol", "../out/heel_raises.protocol")[1]
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["REPO_ROOT"]["uri"] == (tmp_path / "in").as_uri() + "/"
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"]
                 for r in run["results"]]
    assert locations == [
        {"uri": (tmp_path / "out" / "heel_raises.protocol").as_uri()},
        {"uri": "heel_raises.protocol", "uriBaseId": "REPO_ROOT"}]


def test_fingerprints_survive_lines_added_above(repo: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    bad = repo / "protocols" / "bad" / "heel_raises.protocol"
    before = check_sarif(capsys, str(bad))[1]["runs"][0]["results"]
    bad.write_text("# a new first line\n" + BROKEN, encoding="utf-8")
    after = check_sarif(capsys, str(bad))[1]["runs"][0]["results"]
    assert before[0]["locations"] != after[0]["locations"]
    assert before[0]["partialFingerprints"] == after[0]["partialFingerprints"]
    assert re.fullmatch(r"[0-9a-f]{32}", before[0]["partialFingerprints"]["protodsl/v1"])
    # the same fault twice on identical lines: two different fingerprints
    bad.write_text(BROKEN.replace('      stpe "Stand facing a wall', '      stpe "Stand facing a '
                                  'wall') + "", encoding="utf-8")
    twice = BROKEN + ""
    lines = twice.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("      stpe "))
    lines.insert(index + 1, lines[index])
    bad.write_text("\n".join(lines), encoding="utf-8")
    results = check_sarif(capsys, str(bad))[1]["runs"][0]["results"]
    prints = [r["partialFingerprints"]["protodsl/v1"] for r in results if r["ruleId"] == "P104"]
    assert len(prints) == 2 and prints[0] != prints[1]


def test_rules_link_to_their_section_and_the_tool_to_the_repository(
        repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    driver = check_sarif(capsys, "protocols")[1]["runs"][0]["tool"]["driver"]
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    repository = re.search(r'^Repository = "([^"]+)"$', pyproject, re.M)
    assert repository is not None
    base = repository.group(1)
    assert driver["informationUri"] == f"{base}/blob/main/README.md"
    assert (ROOT / "README.md").is_file()
    # the sections of docs/rules.md as generated (tests/test_rules_doc.py keeps the file so)
    from protodsl.rules.doc import generate

    headings = set(re.findall(r"^## (P\d+)$", generate(), re.M))
    assert len(driver["rules"]) == len(headings)
    for rule in driver["rules"]:
        assert rule["helpUri"] == f"{base}/blob/main/docs/rules.md#{rule['id'].lower()}"
        assert rule["id"] in headings


def test_usage_errors_print_a_valid_empty_log(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROTODSL_OUTPUT_FORMAT", raising=False)
    code, log, err = check_sarif(capsys, "missing.protocol")
    assert (code, log["runs"][0]["results"], err) == (
        2, [], "protodsl check: error: path `missing.protocol` does not exist\n")
    code, log, err = check_sarif(capsys, "--ignore", "P100", ".")
    assert code == 2 and log["runs"][0]["results"] == [] and "only warnings" in err
    # a bad option: argparse's usage message on stderr, the empty log on stdout
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--output-format", "sarif", "--no-such-option"])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2 and "unrecognized arguments: --no-such-option" in err
    validate(json.loads(out))
    with pytest.raises(SystemExit):
        main(["check", "--output-format=json", "--color", "pink"])
    assert capsys.readouterr().out == "[]\n"
    monkeypatch.setenv("PROTODSL_OUTPUT_FORMAT", "json")
    with pytest.raises(SystemExit):
        main(["check", "--exit-zero=3"])
    assert capsys.readouterr().out == "[]\n"
    monkeypatch.delenv("PROTODSL_OUTPUT_FORMAT")
    # through the real command line too (stdout only holds the log)
    done = subprocess.run([sys.executable, "-m", "protodsl", "check", "--output-format",
                           "sarif", "missing.protocol"], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 2
    validate(json.loads(done.stdout))


def test_a_full_log_validates(repo: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    invalid = sorted((ROOT / "tests" / "conformance" / "invalid").glob("*.protocol"))
    code, log, _ = check_sarif(capsys, *map(str, invalid))
    assert code == 1 and len(log["runs"][0]["results"]) >= len(invalid)
    assert sarif_render.repository_root(str(repo / "protocols")) == str(repo)
