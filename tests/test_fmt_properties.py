"""Property-based tests of the formatter: round trips over generated ASTs and grammar input."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ast_strategies import modules
from protodsl import nodes as n
from protodsl.fmt import format_source, format_text, parse_for_format, print_module

CANONICAL = {"sec": "s", "secs": "s", "second": "s", "seconds": "s", "mins": "min",
             "minute": "min", "minutes": "min", "kgs": "kg", "kilogram": "kg",
             "kilograms": "kg", "lbs": "lb", "pound": "lb", "pounds": "lb"}


def strip(node: Any) -> Any:
    """The AST without positions, quantities by value with canonical units (independent of
    protodsl.fmt.ast_key on purpose)."""
    if isinstance(node, n.Quantity):
        return ("Q", node.low, node.high, CANONICAL.get(node.unit, node.unit), node.is_range)
    if isinstance(node, tuple):
        return tuple(strip(x) for x in node)
    if attrs.has(type(node)):
        fields = {f.name: strip(getattr(node, f.name)) for f in attrs.fields(type(node))
                  if f.name != "span" and not f.name.endswith("_span")}
        return (type(node).__name__, tuple(sorted(fields.items())))
    return node


def parsed(text: str) -> n.Module:
    result = parse_for_format(text)
    assert result.errors == (), [(d.code, d.span.line, d.message) for d in result.errors]
    assert result.module is not None
    return result.module


SETTINGS = settings(max_examples=150, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(modules())
def test_parse_of_printed_ast_is_the_ast(module: n.Module) -> None:
    text = print_module(module)
    assert strip(parsed(text)) == strip(module)


@SETTINGS
@given(modules())
def test_format_is_idempotent_on_printed_asts(module: n.Module) -> None:
    text = print_module(module)
    once = format_text(text)
    assert once == text
    assert format_text(once) == once


def _statement_lines(module: n.Module) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []

    def walk(body: tuple[n.Statement, ...]) -> None:
        for st_ in body:
            starts.append(st_.span.line)
            ends.append(st_.span.end_line)
            if isinstance(st_, (n.Protocol, n.Exercise, n.Level)):
                walk(st_.body)

    walk(module.body)
    return starts, ends


@SETTINGS
@given(modules(), st.data())
def test_comments_and_blank_lines_survive(module: n.Module, data: st.DataObject) -> None:
    """Own-line and trailing comments and blank lines inserted anywhere between statements
    are all kept, in order, and the statements do not change."""
    text = print_module(module)
    lines = text.split("\n")
    starts, ends = _statement_lines(parsed(text))
    extra_before: dict[int, list[str]] = {}
    trailing: dict[int, str] = {}
    for line in data.draw(st.lists(st.sampled_from(starts), max_size=6), label="before"):
        indent = data.draw(st.integers(0, 8))
        what = data.draw(st.sampled_from(["", "#", "# note", "#  x y  ", "## é \"q\""]))
        extra_before.setdefault(line, []).append(" " * indent + what if what else "")
    for line in data.draw(st.lists(st.sampled_from(ends), max_size=4, unique=True), label="t"):
        trailing[line] = data.draw(st.sampled_from(["# t", "#t #u", "# \"x\""]))
    out: list[str] = []
    for number, line in enumerate(lines, 1):
        out.extend(extra_before.get(number, []))
        out.append(line + ("   " + trailing[number] if number in trailing else ""))
    messy = "\n".join(out)
    formatted = format_text(messy)
    assert format_text(formatted) == formatted
    assert strip(parsed(formatted)) == strip(module)
    comments = [c.text.rstrip() for c in parse_for_format(messy).comments]
    assert [c.text for c in parse_for_format(formatted).comments] == comments
    assert not formatted.startswith("\n")
    if '"""' not in formatted:  # (text over several lines may hold blank lines and spaces)
        assert "\n\n\n" not in formatted
        assert all(line == line.rstrip() for line in formatted.split("\n"))


@lru_cache(maxsize=1)
def _grammar_text() -> st.SearchStrategy[str]:
    from hypothesis.extra.lark import from_lark

    from protodsl.parser import build_parser

    layout = {"_INDENT": st.just(""), "_DEDENT": st.just("")}
    return from_lark(build_parser(), explicit=layout)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_grammar_generated_input_never_crashes(data: st.DataObject) -> None:
    text = data.draw(_grammar_text())
    result = format_source(text)
    assert result.internal is None, result.internal
    if result.text is not None:
        again = format_source(result.text)
        assert again.internal is None and again.text == result.text
    else:
        assert result.errors


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_arbitrary_input_never_crashes(data: bytes | str) -> None:
    result = format_source(data)
    assert result.internal is None, result.internal
    if result.text is not None:
        assert format_source(result.text).text == result.text
