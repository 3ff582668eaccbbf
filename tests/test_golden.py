"""Golden outputs: every valid conformance file compiles to its committed `.json`, byte for byte.

`pytest --update-golden` rewrites the `.json` files from the current compiler, for review with
`git diff` (the test then passes, reporting what it rewrote).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from protodsl.analysis import analyze_bytes
from protodsl.compiler import compile_analysis
from protodsl.output import dump_bytes

VALID = sorted((Path(__file__).parent / "conformance" / "valid").glob("*.protocol"))


def compiled_bytes(path: Path) -> bytes:
    """What `protodsl compile PATH` prints for a valid file."""
    result = compile_analysis(analyze_bytes(path.read_bytes(), str(path)))
    assert result.document is not None, [(d.code, d.span.line, d.message)
                                         for d in result.diagnostics]
    return dump_bytes(result.document)


def test_every_valid_file_has_a_golden_output(request: pytest.FixtureRequest) -> None:
    assert VALID, "the conformance suite has no valid file"
    if request.config.getoption("--update-golden"):
        for path in VALID:
            if not path.with_suffix(".json").is_file():
                path.with_suffix(".json").write_bytes(compiled_bytes(path))
    missing = [p.name for p in VALID if not p.with_suffix(".json").is_file()]
    assert missing == [], "run `pytest tests/test_golden.py --update-golden` and review"


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_golden_output(path: Path, request: pytest.FixtureRequest) -> None:
    actual = compiled_bytes(path)
    golden = path.with_suffix(".json")
    if request.config.getoption("--update-golden"):
        if not golden.is_file() or golden.read_bytes() != actual:
            golden.write_bytes(actual)
        return
    assert golden.is_file(), f"{golden.name} is missing: run pytest with --update-golden"
    assert actual == golden.read_bytes()
