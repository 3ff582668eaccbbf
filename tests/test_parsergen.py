"""Parser generation is reproducible: the same bytes whatever the hash seed, and the committed
parser is exactly what the generator writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(target: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "protodsl.parsergen", str(target)], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"wrote {target}\n"
    return target.read_bytes()


def test_two_runs_under_different_hash_seeds_write_the_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = generate(tmp_path / "a" / "_lark_parser.py", "1")
    second = generate(tmp_path / "b" / "_lark_parser.py", "2")
    assert first == second
    assert first == (ROOT / "src" / "protodsl" / "_lark_parser.py").read_bytes()
    assert b"Mozilla Public License, v. 2.0" in first[:3000]
