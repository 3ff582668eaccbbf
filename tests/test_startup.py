"""Start-up stays lean: what a cold `protodsl check` imports, checked in a fresh interpreter.

These are no timings (the benchmarks time start-up); they pin the modules that a check never
needs, each of which once cost a few milliseconds of every run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent

# The lark package itself (protodsl runs the generated stand-alone parser), and the standard
# modules that Lark's stand-alone runtime imported at module level (logging, dataclasses and
# inspect, copy and weakref, pickle, zlib, base64) or that other commands use (json, pathlib,
# shutil, subprocess, tempfile, process pools, the configuration's TOML reader).
NEVER_IMPORTED = ("lark", "logging", "dataclasses", "inspect", "copy", "weakref", "pickle",
                  "zlib", "base64", "json", "pathlib", "shutil", "subprocess", "tempfile",
                  "concurrent", "multiprocessing", "tomllib")

SCRIPT = """
import sys
before = set(sys.modules)
from protodsl.cli import main
code = main(sys.argv[2:])
avoided = set(sys.argv[1].split(","))
print(code, sorted(m for m in set(sys.modules) - before if m.split(".")[0] in avoided))
"""


def check_imports(cwd: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", SCRIPT, ",".join(NEVER_IMPORTED), *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.stderr == ""
    return done.stdout


def test_a_clean_file_is_checked_without_the_modules_it_never_needs(tmp_path: Path) -> None:
    shutil.copy(ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol", tmp_path)
    assert check_imports(tmp_path, "check", "heel_raises.protocol") == (
        "All checks passed!\n0 []\n")


def test_files_with_problems_are_reported_without_them_either(tmp_path: Path) -> None:
    (tmp_path / "one.protocol").write_text(
        "protocol one\n  exercise y\n    sets 3\n    reps 10\n  bogus line here\n",
        encoding="utf-8")
    (tmp_path / "two.protocol").write_text(
        "protocol two\n  exercise y\n    sets 3\n    reps 10\n    reps 0\n", encoding="utf-8")
    for fmt in ("full", "concise"):
        out = check_imports(tmp_path, "check", "--output-format", fmt, "one.protocol",
                            "two.protocol")
        assert out.endswith("\n1 []\n")
    assert out == (
        "one.protocol:5:3: error[P104] unknown keyword `bogus`\n"
        "two.protocol:1:1: warning[P500] protocol `two` has no schedule\n"
        "two.protocol:5:5: error[P206] `reps` appears twice in exercise `y`\n"
        "1 []\n")
