"""The compiler's fast arithmetic gives exactly the numbers of all-fraction arithmetic.

The compiler keeps whole numbers as ints (exact, and much cheaper than fractions), works a
level's ramp out week by week with what does not change made once (``ramp_weeks``), and makes
one `dosage` object for levels and weeks that dose alike. The reference here is the compiler
with all three undone: every number a ``Fraction``, each ramp week from ``at_week``, a new
dosage object everywhere. Both must write the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import protocols

from protodsl import compiler as c
from protodsl.analysis import analyze_text
from protodsl.output import dump_bytes

ROOT = Path(__file__).parent.parent
FILES = sorted((ROOT / "tests" / "conformance" / "valid").glob("*.protocol")) + sorted(
    (ROOT / "protocols").glob("*.protocol"))


def _old_exact(x: Any, span: Any = None) -> Fraction:
    """Every number as a fraction, as the compiler did before ints."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        if not math.isfinite(x):
            raise c.CompileError("a number is too large to compile", span or c.n.NO_SPAN,
                                 "write a smaller amount")
        return Fraction(repr(x))
    return Fraction(x)


def _old_ints(pair: Any) -> Any:
    return None if pair is None else (Fraction(pair[0]), Fraction(pair[1]))


def _old_ramp(eff: Any, values: Any, length: int, pw: Any) -> tuple[Any, ...]:
    return tuple(c.at_week(eff, values, j, pw) for j in range(1, length + 1))


def _old_dosage(self: Any, plan: Any, values: Any) -> Any:
    return c.dosage(plan.eff, values, plan.freq)


def _old_exact_values(eff: Any) -> Any:
    """``exact_values`` with every number a fraction."""
    values = _EXACT_VALUES(eff)
    changes = {}
    for field in ("hold", "duration", "reps", "sets", "breaths", "rest_sets", "rest_sides",
                  "rep", "distance"):
        pair = getattr(values, field)
        if pair is not None:
            changes[field] = (Fraction(pair[0]), Fraction(pair[1]))
    if values.per_set is not None:
        changes["per_set"] = tuple((Fraction(a), Fraction(b)) for a, b in values.per_set)
    return c.record.evolve(values, **changes)


_EXACT_VALUES = c._exact_values


@contextmanager
def reference() -> Iterator[None]:
    """The compiler with fractions everywhere, ramps week by week and no shared dosages."""
    with mock.patch.multiple(c, exact=_old_exact, _exact_ints=_old_ints, ramp_weeks=_old_ramp,
                             exact_values=_old_exact_values,
                             decimal=lambda text: Fraction(text)), \
            mock.patch.object(c._Compiler, "_dosage", _old_dosage):
        yield


def both(text: str) -> tuple[bytes | None, bytes | None]:
    analysis = analyze_text(text, "t.protocol")
    fast = c.compile_analysis(analysis).document
    with reference():
        slow = c.compile_analysis(analysis).document
    return (None if fast is None else dump_bytes(fast)), (None if slow is None else
                                                          dump_bytes(slow))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_files_compile_as_with_fractions(path: Path) -> None:
    fast, slow = both(path.read_text(encoding="utf-8"))
    assert fast is not None and fast == slow


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(protocols())
def test_generated_protocols_compile_as_with_fractions(text: str) -> None:
    fast, slow = both(text)
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 12), st.integers(0, 40), st.integers(1, 30), st.integers(1, 60),
       st.sampled_from(["week", "session"]), st.sampled_from(["reps", "sets", "hold", "load"]),
       st.integers(1, 8), st.booleans())
def test_ramps_with_every_rate(weeks: int, start: int, step: int, gap: int, every: str,
                               what: str, days: int, more: bool) -> None:
    """Ramps of every cadence under `every N days` (fractional sessions a week), with whole
    and decimal steps, against the reference."""
    unit = {"hold": " s", "load": " kg"}.get(what, "")
    amount = {"reps": f"reps {start + 1}", "sets": f"sets {start % 5 + 1}",
              "hold": f"hold {start + 1}.5 s",
              "load": f'load {start}.25 kg on "the hand" requires steady'}[what]
    extra = "" if what == "reps" else "\n      reps 8"
    if more and what != "reps":  # a second ramp, every session
        extra += "\n      increase reps by 1 every session up to 12"
    by = step if what in ("reps", "sets") else step / 4
    cap = start + 2 + gap  # above every start
    text = (f'protocol ramp "Ramp"\n  schedule every {days} days for {weeks} weeks\n'
            '  stop if sharp_pain\n  condition steady stability "Steady"\n'
            '  condition sharp_pain symptom "Sharp pain"\n'
            f'  exercise one "One"\n    level 1 "First"\n      {amount}{extra}\n'
            f'      increase {what} by {by}{unit} every {every} up to {cap}{unit}\n')
    fast, slow = both(text)
    assert fast is not None, text
    assert fast == slow


@settings(max_examples=500, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**20, 10**20))
def test_exact_is_the_written_number(x: float) -> None:
    """An int where the number is whole (the same value as its fraction), else the fraction
    of its shortest decimal; and ``num`` gives the same output for both."""
    got = c.exact(x)
    want = _old_exact(x)
    assert got == want
    whole = type(x) is int or (want.denominator == 1 and abs(x) < 1e15)
    assert type(got) is (int if whole else Fraction)
    assert c.num(got) == c.num(want) and type(c.num(got)) is type(c.num(want))


def test_exact_refuses_what_is_not_finite() -> None:
    for x in (math.inf, -math.inf, math.nan):
        with pytest.raises(c.CompileError):
            c.exact(x)


def test_levels_that_dose_alike_share_one_dosage() -> None:
    """Two exercises written alike and a level's capped weeks share their dosage objects."""
    block = ('  exercise {n} "{n}"\n    level 1 "A"\n      reps 10\n'
             '      increase reps by 5 every week up to 20\n')
    text = ('protocol twins "Twins"\n  schedule 3 times weekly for 5 weeks\n'
            + block.format(n="left_one") + block.format(n="right_one"))
    doc = c.compile_analysis(analyze_text(text, "twins.protocol")).document
    assert doc is not None
    a, b = (ex["levels"][0] for ex in doc["exercises"])
    assert a["dosage"] is b["dosage"] is a["ramp"][0]["dosage"]
    assert [w["dosage"]["reps"]["min"] for w in a["ramp"]] == [10, 15, 20]
    assert a["ramp"][2]["dosage"] is b["ramp"][2]["dosage"]
    rows = [row["exercises"][0]["levels"][0]["dosage"] for row in doc["weeks"]]
    assert rows[2] is rows[3] is rows[4] is a["ramp"][2]["dosage"]
    fast, slow = both(text)
    assert fast == slow


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_compiled_in_the_analysis_pass(path: Path) -> None:
    """Analysed and compiled inside one ``dosage.caching`` block (the effective levels and
    exact values of the analysis reused), a file compiles to the same bytes and diagnostics."""
    from protodsl.dosage import caching

    text = path.read_text(encoding="utf-8")
    alone = c.compile_analysis(analyze_text(text, path.name))
    with caching():
        shared = c.compile_analysis(analyze_text(text, path.name))
    assert alone.diagnostics == shared.diagnostics
    assert alone.document is not None and shared.document is not None
    assert dump_bytes(alone.document) == dump_bytes(shared.document)
