"""Determinism: the same input gives the same bytes, in one process, across runs and across
hash seeds; the text is canonical (sorted keys, 2-space indent, final newline, UTF-8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import protodsl
from protodsl.output import dump_bytes, dumps

TESTS = Path(__file__).parent
REPO = TESTS.parent
VALID = TESTS / "conformance" / "valid"
HEEL_RAISES = VALID / "heel_raises.protocol"


def _compile_all(out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "PYTHONHASHSEED": seed}
    env.pop("PROTODSL_OUTPUT_FORMAT", None)
    result = subprocess.run(
        [sys.executable, "-m", "protodsl", "compile", str(VALID), str(REPO / "protocols"),
         "-o", str(out)], capture_output=True, env=env, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_identical_bytes_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    runs = [_compile_all(tmp_path / f"run{i}", seed)
            for i, seed in enumerate(("0", "1", "4242", "random"))]
    assert len(runs[0]) == len(list(VALID.glob("*.protocol"))) + len(
        list((REPO / "protocols").glob("*.protocol")))
    for other in runs[1:]:
        assert other == runs[0]
    # and the command line writes exactly the golden bytes
    for golden in VALID.glob("*.json"):
        assert runs[0][golden.name] == golden.read_bytes()


def test_identical_bytes_within_one_process() -> None:
    first = dump_bytes(protodsl.load(HEEL_RAISES))
    for _ in range(3):
        assert dump_bytes(protodsl.load(HEEL_RAISES)) == first


def test_stdout_is_the_same_document_as_the_written_file(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    single = subprocess.run([sys.executable, "-m", "protodsl", "compile", str(HEEL_RAISES)],
                            capture_output=True, env=env, cwd=REPO, timeout=120)
    assert (single.returncode, single.stderr) == (0, b"")
    assert single.stdout == HEEL_RAISES.with_suffix(".json").read_bytes()


def test_canonical_text() -> None:
    text = dumps({"b": [1, 2.5], "a": {"é": "ü", "z": None}})
    assert text == ('{\n  "a": {\n    "z": null,\n    "é": "ü"\n  },\n'
                    '  "b": [\n    1,\n    2.5\n  ]\n}\n')
    assert dump_bytes({"a": "é"}) == '{\n  "a": "é"\n}\n'.encode()


def test_golden_files_are_canonical() -> None:
    for path in VALID.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert text.endswith("}\n") and not text.endswith("\n\n")
        assert dumps(json.loads(text)) == text, path.name


def test_not_a_number_is_refused() -> None:
    with pytest.raises(ValueError):
        dumps({"x": float("nan")})


def test_line_endings_and_byte_order_mark_do_not_change_the_output() -> None:
    text = HEEL_RAISES.read_text(encoding="utf-8")
    lf = dump_bytes(protodsl.compile_text(text))
    assert dump_bytes(protodsl.compile_text(text.replace("\n", "\r\n"))) == lf
    assert dump_bytes(protodsl.compile_text("\ufeff" + text)) == lf
    assert lf == HEEL_RAISES.with_suffix(".json").read_bytes()
