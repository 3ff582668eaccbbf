"""Property-based tests of the formatter: round trips over generated ASTs and grammar input."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ast_strategies import modules
from protodsl import fmt as fmt_module
from protodsl import nodes as n
from protodsl import printer
from protodsl.fmt import format_source, format_text, parse_for_format, print_module

CANONICAL = {"sec": "s", "secs": "s", "second": "s", "seconds": "s", "mins": "min",
             "minute": "min", "minutes": "min", "kgs": "kg", "kilogram": "kg",
             "kilograms": "kg", "lbs": "lb", "pound": "lb", "pounds": "lb",
             "degree": "deg", "degrees": "deg"}


def strip(node: Any) -> Any:
    """The AST without positions, quantities by value with canonical units (independent of
    protodsl.fmt.ast_key on purpose)."""
    if isinstance(node, n.Quantity):
        return ("Q", node.low, node.high, CANONICAL.get(node.unit, node.unit), node.is_range)
    if isinstance(node, tuple):
        return tuple(strip(x) for x in node)
    cls = type(node)
    declared = getattr(cls, "__record_fields__", None)
    if declared is None:
        declared = getattr(cls, "__attrs_attrs__", None)
    if declared is not None:
        fields = {f.name: strip(getattr(node, f.name)) for f in declared
                  if f.name != "span" and not f.name.endswith(("_span", "_spans"))}
        if isinstance(fields.get("unit"), str):  # a comparison's or a measure's unit
            fields["unit"] = CANONICAL.get(fields["unit"], fields["unit"])
        return (type(node).__name__, tuple(sorted(fields.items())))
    return node


def parsed(text: str) -> n.Module:
    result = parse_for_format(text)
    assert result.errors == (), [(d.code, d.span.line, d.message) for d in result.errors]
    assert result.module is not None
    return result.module


SETTINGS = settings(max_examples=150, deadline=None,
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


def _meaning(text: str) -> Any:
    """The diagnostic codes and the compiled document without lines and written loads."""
    from protodsl.analysis import analyze_text
    from protodsl.compiler import compile_analysis

    analysis = analyze_text(text, "t.protocol")
    doc = compile_analysis(analysis).document

    def drop(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: drop(v) for k, v in x.items() if k not in ("line", "written")}
        if isinstance(x, list):
            return [drop(v) for v in x]
        return x

    return sorted(d.code for d in analysis.diagnostics), drop(doc)


@SETTINGS
@given(modules(), st.sampled_from([" ", "   ", "    ", "        "]))
def test_any_layout_formats_to_the_canonical_one(module: n.Module, width: str) -> None:
    """The AST printed with another indentation width and its quantities as written (units
    in any spelling, glued or spaced, ranges with `-`, ` - ` or `to`) formats to exactly the
    canonical text, with the same diagnostics and compiled document."""
    with mock.patch.object(fmt_module, "INDENT", width), \
            mock.patch.object(printer, "quantity", lambda q: q.text):
        messy = print_module(module)
    canonical = print_module(module)
    assert format_text(messy) == canonical
    assert _meaning(canonical) == _meaning(messy)


@lru_cache(maxsize=1)
def _grammar_text() -> st.SearchStrategy[str]:
    from hypothesis.extra.lark import from_lark

    from protodsl.parsergen import build_parser

    from protodsl.vocabulary import CONTEXTUAL_KEYWORDS

    layout = {"_INDENT": st.just(""), "_DEDENT": st.just("")}
    # Contextual keywords are declared terminals without a pattern: they are their word.
    words = {terminal: st.just(word) for word, terminal in CONTEXTUAL_KEYWORDS.items()}
    return from_lark(build_parser(), explicit={**layout, **words})


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
