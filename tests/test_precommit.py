"""The pre-commit hooks (.pre-commit-hooks.yaml) run with `pre-commit try-repo`, and the GitHub
Action (action.yml) is well formed.

`try-repo` needs a git repository with a commit: the repository's working tree (tracked and
new files, as they are now) is copied into a temporary repository and committed there, so
the test sees uncommitted edits and never touches this repository's own index. pre-commit
installs the package from that copy into its own environment (from the package index: the
only network this needs), under a temporary PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol").read_text("utf-8")
BROKEN = EXAMPLE.replace('      step "Stand facing', '      stpe "Stand facing')
MESSY = EXAMPLE.replace("protocol heel_raises", "protocol   heel_raises", 1)

if shutil.which("git") is None:  # pragma: no cover - git is part of every development setup
    pytest.skip("git is not installed", allow_module_level=True)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True,
                   capture_output=True)


def env(home: Path) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items()
           if k not in ("PROTODSL_OUTPUT_FORMAT", "VIRTUAL_ENV", "PYTHONPATH", "NO_COLOR",
                        "FORCE_COLOR") and not k.startswith("GIT_")}
    out["PRE_COMMIT_HOME"] = str(home)
    out["PRE_COMMIT_COLOR"] = "never"
    return out


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of the repository's working tree."""
    copy = tmp_path_factory.mktemp("hooks") / "protodsl"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, check=True,
                            capture_output=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "working tree")
    return copy


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def scratch(tmp_path: Path, files: dict[str, str]) -> Path:
    work = tmp_path / "scratch"
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text, encoding="utf-8")
    git(work, "init", "-q")
    git(work, "add", "-A")
    return work


def try_repo(work: Path, hooks_repo: Path, home: Path, *args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hooks_repo),
                           *args, "--all-files"], cwd=work, env=env(home),
                          capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def test_check_hook_passes_a_good_protocol_and_fails_a_bad_one(
        tmp_path: Path, hooks_repo: Path, home: Path) -> None:
    work = scratch(tmp_path, {"heel_raises.protocol": EXAMPLE,
                              "bad/heel_raises.protocol": BROKEN, "notes.txt": "stpe\n"})
    code, out = try_repo(work, hooks_repo, home, "protodsl-check")
    assert code == 1, out
    assert "protodsl check" in out and "Failed" in out
    assert "error[P104]: unknown keyword `stpe`" in out
    assert "--> bad/heel_raises.protocol:31:7" in out
    assert "Found 1 error." in out
    (work / "bad" / "heel_raises.protocol").unlink()
    git(work, "add", "-A")
    code, out = try_repo(work, hooks_repo, home, "protodsl-check")
    assert code == 0, out
    assert "Passed" in out


def test_both_hooks_and_the_fmt_hook_rewrites(tmp_path: Path, hooks_repo: Path,
                                              home: Path) -> None:
    work = scratch(tmp_path, {"heel_raises.protocol": MESSY})
    code, out = try_repo(work, hooks_repo, home)  # every hook of the repository
    assert code == 1, out
    lines = [line for line in out.splitlines() if line.startswith("protodsl ")]
    assert len(lines) == 2 and lines[0].startswith("protodsl check") and \
        lines[0].endswith("Passed") and lines[1].startswith("protodsl fmt") and \
        lines[1].endswith("Failed"), out
    assert "files were modified by this hook" in out
    assert (work / "heel_raises.protocol").read_text("utf-8") == EXAMPLE
    git(work, "add", "-A")
    code, out = try_repo(work, hooks_repo, home)
    assert code == 0, out


def test_hook_and_action_definitions() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert [(h["id"], h["entry"], h["language"], h["files"]) for h in hooks] == [
        ("protodsl-check", "protodsl check --force-exclude", "python", r"\.protocol$"),
        ("protodsl-fmt", "protodsl fmt", "python", r"\.protocol$")]
    action = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "protodsl check --output-format github" in runs
    assert "--output-format sarif" in runs
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") and
               "inputs.sarif == 'true'" in s.get("if", "") for s in steps)
    assert set(action["inputs"]) == {"paths", "args", "version", "python-version", "sarif"}
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash" and "${{" not in step["run"]  # inputs via env only
