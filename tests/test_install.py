"""A fresh, non-editable install works from another folder (grammar shipped, console script).

One virtual environment per test session, made without the network: the wheel is built with
the build backend of this environment (`pip wheel --no-build-isolation`; hatchling is in the
test extra), installed with `--no-index`, and the runtime dependencies of this environment are
made visible to it through a `.pth` file (links to just those packages). Then the installed
program is run from a folder outside the repository with a clean environment (no PYTHONPATH).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol"
BIN = "Scripts" if os.name == "nt" else "bin"
RUNTIME_DEPENDENCIES = ("lark",)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
         "--no-build-isolation", "--no-deps", "--no-index", "-w", str(out), str(ROOT)],
        env=clean_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = out.glob("protodsl-*.whl")
    return built


@pytest.fixture(scope="session")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    base = tmp_path_factory.mktemp("install")
    home = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True)
    python = home / BIN / "python"
    deps = base / "deps"
    deps.mkdir()
    for name in RUNTIME_DEPENDENCIES:
        dist = metadata.distribution(name)
        site = Path(str(dist.locate_file("")))
        top = (dist.read_text("top_level.txt") or name).split()
        for entry in [*top, Path(str(dist._path)).name]:  # type: ignore[attr-defined]
            if (site / entry).exists():
                (deps / entry).symlink_to(site / entry)
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "protodsl-test-deps.pth").write_text(str(deps) + "\n", encoding="utf-8")
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-index", str(wheel)], env=clean_env(), capture_output=True, text=True)
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


def test_wheel_carries_both_licenses_and_py_typed(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        fields = z.read(info).decode("utf-8").split("\n\n", 1)[0].splitlines()
        licenses = {n.split(".dist-info/licenses/", 1)[1]: z.read(n) for n in names
                    if ".dist-info/licenses/" in n}
    assert "License-Expression: MIT AND MPL-2.0" in fields
    assert sorted(f for f in fields if f.startswith("License-File: ")) == [
        "License-File: LICENSE", "License-File: LICENSES/MPL-2.0.txt", "License-File: NOTICE"]
    assert licenses["LICENSE"] == (ROOT / "LICENSE").read_bytes()
    assert licenses["LICENSES/MPL-2.0.txt"].startswith(b"Mozilla Public License Version 2.0")
    assert b"_lark_parser.py" in licenses["NOTICE"]
    assert {"protodsl/py.typed", "protodsl/_lark_parser.py",
            "protodsl/grammar/protodsl.lark"} <= names


def test_sdist_carries_the_licenses_and_the_hook_files(tmp_path: Path) -> None:
    import tarfile

    done = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d",
                           str(tmp_path)], cwd=ROOT, env=clean_env(), capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = tmp_path.glob("protodsl-*.tar.gz")
    with tarfile.open(built) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
        info = tar.extractfile(next(m for m in tar.getmembers()
                                    if m.name.endswith("/PKG-INFO")))
        assert info is not None
        fields = info.read().decode("utf-8").split("\n\n", 1)[0].splitlines()
    assert {"LICENSE", "NOTICE", "LICENSES/MPL-2.0.txt", ".pre-commit-hooks.yaml", "action.yml",
            "src/protodsl/py.typed", "grammar/protodsl.lark"} <= names
    assert not [n for n in names if "node_modules" in n or n.startswith("editors/")]
    assert "License-Expression: MIT AND MPL-2.0" in fields
