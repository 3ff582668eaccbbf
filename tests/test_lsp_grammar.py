"""The VS Code extension: its manifest, and the TextMate grammar's assertion files, run with
vscode-tmgrammar-test (installed by `.ci/run` with `npm ci` in editors/vscode; skipped when
node or the package is missing)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

VSCODE = Path(__file__).resolve().parent.parent / "editors" / "vscode"
RUNNER = VSCODE / "node_modules" / ".bin" / "vscode-tmgrammar-test"


def test_manifest_points_at_its_files():
    manifest = json.loads((VSCODE / "package.json").read_text())
    language = manifest["contributes"]["languages"][0]
    grammar = manifest["contributes"]["grammars"][0]
    assert language["extensions"] == [".protocol"]
    assert (VSCODE / language["configuration"]).is_file()
    assert json.loads((VSCODE / grammar["path"]).read_text())["scopeName"] == grammar["scopeName"]
    config = json.loads((VSCODE / "language-configuration.json").read_text())
    assert config["comments"]["lineComment"] == "#"
    assert (VSCODE / manifest["main"]).is_file()


def test_assertion_files_are_up_to_date(tmp_path: Path):
    import runpy

    committed = {p.name: p.read_text() for p in (VSCODE / "test" / "grammar").glob("*.protocol")}
    runpy.run_path(str(VSCODE / "test" / "make_assertions.py"))["main"](tmp_path)
    generated = {p.name: p.read_text() for p in tmp_path.glob("*.protocol")}
    assert committed == generated


@pytest.mark.skipif(shutil.which("node") is None or not RUNNER.exists(),
                    reason="node or vscode-tmgrammar-test missing (npm ci in editors/vscode)")
def test_textmate_grammar_assertions():
    result = subprocess.run(
        [str(RUNNER), "-g", "syntaxes/protodsl.tmLanguage.json", "test/grammar/*.protocol"],
        cwd=VSCODE, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "run successfuly" in result.stdout
