"""Shared test configuration."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser):  # type: ignore[no-untyped-def]
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden outputs (expected JSON) for review instead of comparing")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, made current, with no output-format or colour settings from
    the environment."""
    monkeypatch.chdir(tmp_path)
    for name in ("PROTODSL_OUTPUT_FORMAT", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path
