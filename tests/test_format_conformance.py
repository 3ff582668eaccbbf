"""The formatter's golden pairs: `format/NAME.input.protocol` -> `NAME.output.protocol`."""

from __future__ import annotations

from pathlib import Path

import pytest

from protodsl.fmt import format_source

FOLDER = Path(__file__).parent / "conformance" / "format"
INPUTS = sorted(FOLDER.glob("*.input.protocol"))


def _output_of(path: Path) -> Path:
    return path.with_name(path.name.replace(".input.protocol", ".output.protocol"))


def test_there_are_pairs() -> None:
    assert len(INPUTS) >= 5


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name.split(".")[0])
def test_input_formats_to_its_output(path: Path, request: pytest.FixtureRequest) -> None:
    expected = _output_of(path)
    result = format_source(path.read_bytes())
    assert result.errors == () and result.internal is None
    assert result.text is not None
    if request.config.getoption("--update-golden"):
        expected.write_bytes(result.text.encode("utf-8"))
    assert expected.is_file(), f"{path.name} has no {expected.name}"
    assert result.text.encode("utf-8") == expected.read_bytes()


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name.split(".")[0])
def test_output_is_a_fixed_point(path: Path) -> None:
    data = _output_of(path).read_bytes()
    result = format_source(data)
    assert result.text is not None and result.text.encode("utf-8") == data


def test_no_orphan_or_unknown_files() -> None:
    problems = []
    for f in sorted(FOLDER.iterdir()):
        name = f.name
        if name.endswith(".input.protocol"):
            if not _output_of(f).is_file():
                problems.append(f"{name} has no output")
        elif name.endswith(".output.protocol"):
            source = f.with_name(name.replace(".output.protocol", ".input.protocol"))
            if not source.is_file():
                problems.append(f"orphan output {name}")
        else:
            problems.append(f"unknown file {name}")
    assert problems == []
