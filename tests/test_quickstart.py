"""The README's Quick start: its test command is the one CI runs, and it tests `src/`.

The second Quick start command installs the package in editable mode, so the test run imports
`src/protodsl` of this checkout: an edit (or a deliberate break) there is what the tests see.
"""

from __future__ import annotations

import re
from pathlib import Path

import protodsl

ROOT = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    """The commands of the README's Quick start section, in order."""
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```\n(.*?)```", section, re.S)]


def test_quick_start_has_exactly_two_commands_the_second_editable() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[1] == ('python3 -m venv .venv && .venv/bin/pip install -e ".[test]" '
                           "&& .venv/bin/python -m pytest -q")


def test_ci_runs_the_readme_test_command() -> None:
    lines = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert quick_start_commands()[1] in lines


def test_the_test_run_imports_the_package_from_src() -> None:
    # A deliberate break in src/ is seen only if this is where the package comes from.
    assert Path(protodsl.__file__).resolve() == ROOT / "src" / "protodsl" / "__init__.py"


def test_the_environment_itself_imports_from_src(tmp_path: Path) -> None:
    # From another folder, without PYTHONPATH: the installation is editable (not a copy), so
    # the console script and `python -m protodsl` run the code in src/ too.
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run([sys.executable, "-c", "import protodsl.render.concise as m; "
                           "print(m.__file__)"], cwd=tmp_path, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).resolve() == ROOT / "src" / "protodsl" / "render" / \
        "concise.py"
