"""The conformance suite: valid files, one-fault invalid files, and their expectations."""

from __future__ import annotations

from pathlib import Path

import pytest

from protodsl.analysis import analyze_bytes
from protodsl.rules.registry import SEVERITIES

ROOT = Path(__file__).parent / "conformance"
VALID = sorted((ROOT / "valid").glob("*.protocol"))
INVALID = sorted((ROOT / "invalid").glob("*.protocol"))


def _diagnostics(path: Path) -> list[tuple[str, int]]:
    analysis = analyze_bytes(path.read_bytes(), str(path))
    return sorted((d.code, d.span.line) for d in analysis.diagnostics)


def _expected(path: Path) -> list[tuple[str, int]]:
    pairs = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        code, number = line.split()
        pairs.append((code, int(number)))
    return sorted(pairs)


def test_suite_is_not_empty() -> None:
    assert len(VALID) >= 1 and len(INVALID) >= 1


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_file_has_no_diagnostic(path: Path) -> None:
    assert _diagnostics(path) == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_file_gives_its_expected_diagnostics(path: Path) -> None:
    expected = path.with_suffix(".expected")
    assert expected.is_file(), f"{path.name} has no .expected file"
    assert _diagnostics(path) == _expected(expected)


def test_no_orphan_or_unknown_files() -> None:
    problems = []
    for folder, allowed in (("valid", {".protocol", ".json"}),
                            ("invalid", {".protocol", ".expected"})):
        for f in sorted((ROOT / folder).iterdir()):
            if f.suffix not in allowed:
                problems.append(f"unknown file {folder}/{f.name}")
            elif f.suffix != ".protocol" and not f.with_suffix(".protocol").is_file():
                problems.append(f"orphan expectation {folder}/{f.name}")
    for f in INVALID:
        if not f.with_suffix(".expected").is_file():
            problems.append(f"invalid/{f.name} has no .expected")
    for f in VALID:
        if not f.with_suffix(".json").is_file():
            problems.append(f"valid/{f.name} has no expected .json")
    assert problems == []


def test_expectations_name_known_codes_and_real_lines() -> None:
    problems = []
    for f in INVALID:
        exp = f.with_suffix(".expected")
        if not exp.is_file():
            continue
        n_lines = len(f.read_text(encoding="utf-8", errors="replace").splitlines()) + 1
        for code, line in _expected(exp):
            if code not in SEVERITIES:
                problems.append(f"{exp.name}: unknown code {code}")
            if not 1 <= line <= n_lines:
                problems.append(f"{exp.name}: line {line} is outside the file")
    assert problems == []


def test_file_names_match_protocol_names() -> None:
    for f in VALID + INVALID:
        assert f.stem.islower() and f.stem.replace("_", "").isalnum(), f.name
