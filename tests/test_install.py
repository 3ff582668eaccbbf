"""A fresh, non-editable install works from another folder (grammar shipped, console script).

One virtual environment per test session: ``pip install <repo>`` (a normal, non-editable
install, dependencies from the package index), then the installed program is run from a
folder outside the repository with a clean environment (no PYTHONPATH).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol"
BIN = "Scripts" if os.name == "nt" else "bin"


@pytest.fixture(scope="session")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("install") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True)
    python = home / BIN / "python"
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         str(ROOT)], env=clean_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return home


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PROTODSL_OUTPUT_FORMAT")}
    env.update(extra)
    return env


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder outside the repository holding a clean and a broken copy of the example."""
    work = tmp_path / "elsewhere"
    (work / "broken").mkdir(parents=True)
    shutil.copyfile(EXAMPLE, work / "heel_raises.protocol")
    text = EXAMPLE.read_text("utf-8")
    (work / "broken" / "heel_raises.protocol").write_text(
        text.replace('      step "Stand facing', '      stpe "Stand facing'), encoding="utf-8")
    return work


def run(cmd: list[str], cwd: Path) -> tuple[int, str, str]:
    done = subprocess.run(cmd, cwd=cwd, env=clean_env(), capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def test_console_script_checks_from_another_folder(venv: Path, elsewhere: Path,
                                                   tmp_path: Path) -> None:
    protodsl = str(venv / BIN / "protodsl")
    expected_broken = (1, "broken/heel_raises.protocol:31:7: error[P104] unknown keyword "
                          "`stpe`\n", "")
    assert run([protodsl, "check", "heel_raises.protocol"], elsewhere) == \
        (0, "All checks passed!\n", "")
    assert run([protodsl, "check", "--output-format", "concise", "broken"], elsewhere) == \
        expected_broken


def test_python_dash_m_from_another_folder(venv: Path, elsewhere: Path, tmp_path: Path) -> None:
    python = str(venv / BIN / "python")
    code, out, err = run([python, "-m", "protodsl", "check", "--output-format", "json", "."],
                         elsewhere)
    assert (code, err) == (1, "")
    assert '"path": "broken/heel_raises.protocol"' in out and '"code": "P104"' in out
    assert run([python, "-m", "protodsl", "--version"], elsewhere) == \
        (0, "protodsl 0.1.0\n", "")


def test_installed_package_ships_the_grammar_and_the_rules(venv: Path, elsewhere: Path,
                                                          tmp_path: Path) -> None:
    python = str(venv / BIN / "python")
    code, out, err = run([python, "-c", (
        "import protodsl, protodsl.parsergen as p, pathlib;"
        "from protodsl import _lark_parser, parsergen;"
        "here = pathlib.Path(protodsl.__file__).parent;"
        "print(here);"
        "print((here / 'grammar' / 'protodsl.lark').read_text('utf-8') == p.grammar_text()"
        " and _lark_parser.GRAMMAR_SHA256 == parsergen.grammar_sha256())")],
        elsewhere)
    assert (code, err) == (0, "")
    location, same = out.splitlines()
    assert Path(location).is_relative_to(venv) and same == "True"
    assert (Path(location) / "grammar" / "protodsl.lark").read_bytes() == \
        (ROOT / "grammar" / "protodsl.lark").read_bytes()
    code, out, _ = run([str(venv / BIN / "protodsl"), "explain", "p201"], elsewhere)
    assert code == 0 and out.startswith("P201 (error): ")
