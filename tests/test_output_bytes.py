"""The fast JSON writer (protodsl.output) gives exactly the bytes of the standard encoder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import protocols

import protodsl
from protodsl.output import dump_bytes, dumps
from protodsl.shared import Shared

VALID = sorted((Path(__file__).parent / "conformance" / "valid").glob("*.protocol"))


def reference(document: Any) -> bytes:
    """The bytes the compiler wrote before the fast writer."""
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2,
                       allow_nan=False) + "\n").encode("utf-8")


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_conformance_documents(path: Path) -> None:
    document = protodsl.compile_text(path.read_text(encoding="utf-8"))
    assert dump_bytes(document) == reference(document)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(protocols())
def test_generated_protocols(text: str) -> None:
    document = protodsl.compile_text(text)
    assert dump_bytes(document) == reference(document)


SCALARS = (st.none() | st.booleans() | st.integers() | st.text()
           | st.floats(allow_nan=False, allow_infinity=False))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_generated_values(value: Any) -> None:
    assert dump_bytes(value) == reference(value)


@pytest.mark.parametrize("value", [
    {1: "a", 2: "b"},  # keys that are not strings: the standard encoder's own rules
    {"a": {2.5: None, 1: [1, 2], True: 0}},
    {"x": 10**30, "y": -0.0, "z": 1e16, "w": 1e-7, "s": "\u00e9\u2028\x00\"\\"},
])
def test_unusual_values(value: Any) -> None:
    assert dumps(value).encode("utf-8") == reference(value)


@pytest.mark.parametrize("value", [{"a": float("nan")}, [float("inf")], {"b": [-float("inf")]}])
def test_not_json_numbers_are_refused(value: Any) -> None:
    with pytest.raises(ValueError):
        dumps(value)
    with pytest.raises(ValueError):
        reference(value)


def test_other_types_are_refused_like_the_standard_encoder() -> None:
    with pytest.raises(TypeError):
        dumps({"a": {1, 2}})


def test_long_lists_nested() -> None:
    """Lists long enough to be encoded item by item, inside each other and inside dicts."""
    value = {"weeks": [{"week": w, "rows": [{"n": i, "xs": list(range(w + i)), "e": []}
                                            for i in range(35)]} for w in range(40)],
             "z": [[]] * 33, "a": {"long": ["é"] * 50}}
    assert dump_bytes(value) == reference(value)
    assert dumps(value).encode("utf-8") == reference(value)


def test_shared_objects_at_several_depths() -> None:
    """An object held in several places (as the compiler shares a level's dosage between its
    ramp and the week table) is written the same wherever it stands."""
    shared = {f"k{i:02d}": {"min": i, "max": [i, {"x": "a\\nb"}]} for i in range(14)}
    shared["list"] = [shared["k01"]] * 40
    value = {"a": shared, "b": [shared, [shared, {"c": shared}]], "d": [shared] * 40,
             "e": {"f": {"g": [shared, shared]}}}
    assert dump_bytes(value) == reference(value)
    assert dumps(value).encode("utf-8") == reference(value)


def test_shared_dicts_written_once_at_every_depth() -> None:
    """A ``Shared`` dict is encoded once and its text copied, re-indented, wherever it appears
    again: deeper, shallower, inside another shared dict, in long lists, at the top."""
    inner = Shared({"min": 1, "max": {"text": "line\nbreak \u00e9", "n": [1.5, None, True]}})
    outer = Shared({"z": inner, "a": [inner, {"deep": {"deeper": inner}}], "e": Shared()})
    value = {"weeks": [{"row": outer, "i": i} for i in range(40)], "first": inner,
             "b": [[[[outer]]]], "c": {"d": outer, "inner": inner}, "list": [outer] * 35}
    assert dump_bytes(value) == reference(value)
    assert dumps(value).encode("utf-8") == reference(value)
    assert dump_bytes(outer) == reference(outer)
    assert dumps([inner, {"x": inner}]).encode("utf-8") == reference([inner, {"x": inner}])


@settings(max_examples=200, deadline=None)
@given(VALUES, st.lists(st.integers(0, 5), min_size=1, max_size=6))
def test_generated_shared_values(value: Any, depths: list[int]) -> None:
    """A shared value placed at generated depths gives the standard encoder's bytes."""
    shared = Shared({"v": value, "w": [value]})
    document: Any = {"top": shared}
    for depth in depths:
        place: Any = shared
        for level in range(depth):
            place = [place] if level % 2 else {"k": place}
        document = {"next": document, "here": place}
    assert dump_bytes(document) == reference(document)
