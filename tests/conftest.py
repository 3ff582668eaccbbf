"""Shared test configuration."""

from __future__ import annotations


def pytest_addoption(parser):  # type: ignore[no-untyped-def]
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden outputs (expected JSON) for review instead of comparing")
