"""Tree positions recorded by the parser are exactly those of Lark's propagate_positions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import protocols

from protodsl._lark_parser import Lark_StandAlone, Tree
from protodsl.parser import _Driver, _positioned, get_parser, tree_span

FILES = sorted((Path(__file__).parent / "conformance").rglob("*.protocol"))


def _lark_positions() -> Any:
    lark = Lark_StandAlone(propagate_positions=True)
    lark.lexer = lark._build_lexer()
    return lark


REFERENCE = _lark_positions()


def _pairs(ours: Any, theirs: Any) -> list[tuple[Any, Any]]:
    out = []
    stack = [(ours, theirs)]
    while stack:
        a, b = stack.pop()
        if isinstance(a, Tree):
            assert isinstance(b, Tree) and a.data == b.data
            assert len(a.children) == len(b.children)
            out.append((a, b))
            stack.extend(zip(a.children, b.children))
    return out


def _wrapped_positions() -> Any:
    # Every rule through the generic wrapper that the parser keeps for callback chains of a
    # shape it does not know.
    lark = Lark_StandAlone(propagate_positions=False)
    callbacks = lark.parser.parser.parser.callbacks
    for rule, callback in list(callbacks.items()):
        callbacks[rule] = _positioned(callback)
    lark.lexer = lark._build_lexer()
    return lark


WRAPPED = _wrapped_positions()


def assert_same_positions(text: str, parser: Any = None) -> None:
    ours = _Driver(parser or get_parser(), text).run()
    theirs = _Driver(REFERENCE, text).run()
    assert ours.diagnostics == theirs.diagnostics
    if theirs.tree is None:
        assert ours.tree is None
        return
    for a, b in _pairs(ours.tree, theirs.tree):
        m = b.meta
        if m.empty:
            assert "_s" not in a.__dict__
            continue
        assert tree_span(a) == (m.line, m.column, m.end_line, m.end_column, m.start_pos,
                                m.end_pos), (a.data, text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_conformance_files(path: Path) -> None:
    assert_same_positions(path.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("path", FILES[::7], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_generic_wrapper(path: Path) -> None:
    assert_same_positions(path.read_text(encoding="utf-8", errors="replace"), WRAPPED)


@pytest.mark.parametrize("text", [
    "",
    "protocol p\n",
    "protocol p\n  exercise e\n    level 1 extends level\n      reps 10\n",
    "protocol p\n  exercise e\n    load 2-10 kg on band requires (a and (not b or c))\n",
    "protocol p\n  exercise e\n    reps ((10\n    stop if ((((a))))\n",
    "protocol p\n  exercize e\n    reps 10\n  exercise f \"x\" extends\n",
    "protocol p\n\tschedule 3 times weekly\n  load 70 % 1rm\n",
])
def test_broken_and_nested_lines(text: str) -> None:
    assert_same_positions(text)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(protocols())
def test_generated_protocols(text: str) -> None:
    assert_same_positions(text)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([p for p in FILES if p.parent.name == "valid"]), st.integers(0, 10**6),
       st.integers(0, 40), st.text("()\n \"#-,", max_size=3))
def test_damaged_files(path: Path, where: int, length: int, insert: str) -> None:
    """Broken lines (a slice cut out, a few characters put in) recover with the same trees."""
    text = path.read_text(encoding="utf-8")
    at = where % (len(text) + 1)
    assert_same_positions(text[:at] + insert + text[at + length:])
