"""The fuzz target (fuzz/target.py), run briefly: every seed, then a few hundred inputs.

At length: ``python fuzz/run.py --examples 20000`` (docs/reliability.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fuzz"))

import target  # noqa: E402


@pytest.mark.parametrize("index", range(len(target.seeds())))
def test_every_seed(index: int) -> None:
    target.one_input(target.seeds()[index])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.filter_too_much])
@given(target.strategy())
def test_fuzz_briefly(data: bytes) -> None:
    target.one_input(data)


def test_the_mutations_change_the_seeds() -> None:
    seed = target.seeds()[0]
    assert target._mutate(seed, [(0, 0, "0", b"")]) != seed
    assert target._mutate(seed, [(5, 3, "9" * 30, b"")]).count(b"9" * 30) == 1
    assert target._mutate(seed, [(8, 0, "0", b"\xff")]).startswith(b"\xff")
