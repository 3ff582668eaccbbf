"""Running the command line in-process, for the command-line tests."""

from __future__ import annotations

import pytest

from protodsl.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `protodsl ARGV` in this process: its exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
