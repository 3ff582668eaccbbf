"""What the performance work must not change: the collector's state after the pipeline, the
record constructor's contract, cached effective levels, the compiler's rounding."""

from __future__ import annotations

import gc
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protodsl.analysis import analyze_text
from protodsl.compiler import compile_analysis
from protodsl.fmt import format_source
from protodsl.gcpause import paused

TEXT = "protocol demo\n  schedule 3 times weekly for 2 weeks\n\n  exercise bridge\n    reps 10\n"


@pytest.mark.parametrize("enabled", [True, False])
def test_pipeline_restores_the_collector(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        analysis = analyze_text(TEXT, "demo.protocol")
        assert gc.isenabled() is enabled
        assert compile_analysis(analysis).document is not None
        assert gc.isenabled() is enabled
        assert format_source(TEXT).text == TEXT
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_paused_nests_and_restores_after_an_exception() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with paused():
            with paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
            raise ValueError
    assert gc.isenabled()


def test_what_a_pass_made_is_not_left_to_the_first_collection() -> None:
    assert gc.isenabled()
    with paused():
        made = [[] for _ in range(20_000)]
    # Moved to the oldest generation: the next young collection does not walk it.
    assert gc.get_count()[0] < 1_000
    assert len(made) == 20_000
    gc.freeze()  # objects a caller froze stay frozen
    try:
        frozen = gc.get_freeze_count()
        with paused():
            more = [[] for _ in range(100)]
        assert gc.get_freeze_count() == frozen > 0
        assert len(more) == 100
    finally:
        gc.unfreeze()


def test_record_constructor_keeps_the_dataclass_contract() -> None:
    from protodsl import record

    @record.frozen
    class Point:
        x: int
        y: int = 0
        tags: list[str] = record.Factory(list)

    class Named(Point):  # a plain subclass builds through the record's constructor
        pass

    assert Point(1) == Point(x=1, y=0, tags=[])
    assert Point(1).tags is not Point(1).tags
    assert Point(1, tags=["a"]).tags == ["a"]
    assert Named(2, 3).y == 3
    for i in range(record.COMPILE_AFTER + 2):  # generic constructor, then the compiled one
        assert Point(i, tags=["t"]) == Point(x=i, y=0, tags=["t"])
        assert Named(i).x == i
    with pytest.raises(TypeError):
        Point()
    with pytest.raises(TypeError):
        Point(1, 2, [], 4)
    with pytest.raises(TypeError):
        Point(1, z=2)
    assert Point.__init__ is not record._init  # compiled by now
    with pytest.raises(TypeError):
        Point()
    with pytest.raises(TypeError):
        Point(1, 2, [], 4)
    with pytest.raises(TypeError):
        Point(1, z=2)
    with pytest.raises(record.FrozenInstanceError):
        Point(1).x = 2  # type: ignore[misc]


def test_effective_levels_cached_within_a_pass_only() -> None:
    from protodsl import dosage

    text = ("protocol demo\n  schedule 3 times weekly\n\n  exercise squat\n    level 1\n"
            "      reps 10\n    level 2 extends level 1\n      sets 3\n")
    exercise = analyze_text(text, "demo.protocol").protocol.exercises[0]
    plain = dosage.effective_levels(exercise)
    with dosage.caching():
        first = dosage.effective_levels(exercise)
        with dosage.caching():
            second = dosage.effective_levels(exercise)
        assert first == second == plain and first is not second
        assert first[2] is second[2] and first[2] is not plain[2]  # worked out once
        first.clear()  # a caller's dict is its own
        assert dosage.effective_levels(exercise) == plain
    assert dosage._CACHE.levels is None
    assert plain[2].reps is not None and plain[2].sets is not None


def _num_by_fractions(x: Fraction) -> int | float:
    """The compiler's rounding as it was written with fractions."""
    import math

    rounded = Fraction(math.floor(abs(x) * 1000 + Fraction(1, 2)), 1000)
    if x < 0:
        rounded = -rounded
    return int(rounded) if rounded.denominator == 1 else float(rounded)


@settings(max_examples=500, deadline=None)
@given(st.fractions(), st.integers(-10**6, 10**6))
def test_num_rounds_as_the_fraction_arithmetic_did(x: Fraction, whole: int) -> None:
    from protodsl.compiler import num

    for value in (x, Fraction(whole), Fraction(whole, 1000), Fraction(2 * whole + 1, 2000)):
        got, want = num(value), _num_by_fractions(value)
        assert got == want and type(got) is type(want)
    assert num(whole) == whole and type(num(whole)) is int
