"""Version 2's statement forms in the grammar and the AST (LANGUAGE.md 8.1-8.3): frequency,
week windows, measures, comparisons, contextual keywords; exact values, spans and messages."""

from __future__ import annotations

import pytest

from protodsl import nodes as n
from protodsl.analysis import analyze_text
from test_grammar import S, expr, level_stmt, module, proto_stmt


def diags(text: str) -> list[tuple[str, int, int, str, str | None]]:
    return [(d.code, d.span.line, d.span.column, d.message, d.help)
            for d in analyze_text(text).diagnostics if d.code.startswith("P1")]


# --- frequency -------------------------------------------------------------------------------


@pytest.mark.parametrize("line, form, low, high, per, word", [
    ("frequency daily", "daily", None, None, None, None),
    ("frequency 3 times weekly", "times", 3, 3, "weekly", None),
    ("frequency 6-8 times daily", "times", 6, 8, "daily", None),
    ("frequency twice daily", "times", 2, 2, "daily", "twice"),
    ("frequency once weekly", "times", 1, 1, "weekly", "once"),
    ("frequency every 2-3 days", "every", 2, 3, None, None),
    ("frequency every 1 day", "every", 1, 1, None, None),
    ("frequency as needed", "as_needed", None, None, None, None),
])
def test_frequency_forms(line: str, form: str, low: int | None, high: int | None,
                         per: str | None, word: str | None) -> None:
    st = level_stmt(line)
    assert isinstance(st, n.Frequency)
    r = st.rate
    assert (r.form, r.low, r.high, r.per, r.word) == (form, low, high, per, word)
    assert st.span == S(4, 7, 4, 7 + len(line))
    assert r.span == S(4, 17, 4, 7 + len(line))


def test_frequency_stands_in_an_exercise_block_too() -> None:
    (proto,) = module("protocol p\n  exercise e\n    frequency 3 times weekly\n"
                      "    level 1\n      reps 3\n").body
    (ex,) = proto.body
    assert isinstance(ex.body[0], n.Frequency)


# --- week windows ------------------------------------------------------------------------------


@pytest.mark.parametrize("line, form, first, last, numbers", [
    ("during week 3", "during", 3, 3, S(4, 19, 4, 20)),
    ("during weeks 3-5", "during", 3, 5, S(4, 20, 4, 23)),
    ("during weeks 3 to 5", "during", 3, 5, S(4, 20, 4, 26)),
    ("during weeks 2 - 4", "during", 2, 4, S(4, 20, 4, 25)),
    ("from week 3", "from", 3, None, S(4, 17, 4, 18)),
])
def test_window_forms(line: str, form: str, first: int, last: int | None,
                      numbers: n.Span) -> None:
    st = level_stmt(line)
    assert isinstance(st, n.Window)
    assert (st.form, st.first, st.last) == (form, first, last)
    assert st.weeks_span == numbers
    assert st.span == S(4, 7, 4, 7 + len(line))


# --- measures ----------------------------------------------------------------------------------


def test_measure_with_a_scale() -> None:
    st = proto_stmt('measure pain symptom "Pain during the exercise" scale 0-10')
    assert isinstance(st, n.Measure)
    assert (st.name, st.kind, st.text, st.unit) == ("pain", "symptom",
                                                    "Pain during the exercise", None)
    assert st.scale is not None and (st.scale.low, st.scale.high) == (0, 10)
    assert st.name_span == S(2, 11, 2, 15)
    assert st.kind_span == S(2, 16, 2, 23)


@pytest.mark.parametrize("unit", ["deg", "degrees", "s", "cm", "km", "kg", "lb"])
def test_measure_with_a_unit(unit: str) -> None:
    st = proto_stmt(f'measure m mobility "x" in {unit}')
    assert isinstance(st, n.Measure)
    assert (st.unit, st.scale) == (unit, None)
    assert st.unit_span == S(2, 29, 2, 29 + len(unit))


def test_measure_without_unit_or_scale_is_a_count() -> None:
    st = proto_stmt('measure stance_time stability "Seconds on one leg"')
    assert isinstance(st, n.Measure)
    assert (st.unit, st.scale) == (None, None)


def test_measure_kinds_include_the_new_condition_kinds() -> None:
    for kind in ("form", "response", "clearance"):
        assert proto_stmt(f'measure m {kind} "x"').kind == kind
        assert proto_stmt(f'condition c {kind} "x"').kind == kind


def test_measure_scale_must_be_a_range() -> None:
    text = 'protocol p\n  measure pain symptom "x" scale 10\n'
    assert diags(text) == [("P100", 2, 34, "expected a range for the scale, such as `0-10`",
                            "write the scale's lowest and highest values: `scale 0-10`")]


# --- comparisons -------------------------------------------------------------------------------


@pytest.mark.parametrize("written, op, value, unit", [
    ("pain <= 5", "<=", 5, None),
    ("pain < 5", "<", 5, None),
    ("pain>5", ">", 5, None),
    ("pain >= 2.5", ">=", 2.5, None),
    ("pain = 0", "=", 0, None),
    ("knee_flexion >= 90 deg", ">=", 90, "deg"),
    ("knee_extension >= -5 deg", ">=", -5, "deg"),
    ("stance_time >= 30s", ">=", 30, "s"),
])
def test_comparison(written: str, op: str, value: float, unit: str | None) -> None:
    e = expr(written)
    assert isinstance(e, n.Compare)
    assert (e.op, e.value, e.unit) == (op, value, unit)
    assert e.span == S(4, 16, 4, 16 + len(written))
    assert e.name_span == S(4, 16, 4, 16 + len(e.name))


def test_comparison_binds_tighter_than_not_and_or() -> None:
    e = expr("not pain > 5 and heel_control or pain = 0")
    assert isinstance(e, n.AnyOf)
    first, second = e.operands
    assert isinstance(first, n.AllOf)
    assert isinstance(first.operands[0], n.Not)
    assert isinstance(first.operands[0].operand, n.Compare)
    assert isinstance(first.operands[1], n.Ref)
    assert isinstance(second, n.Compare) and second.value == 0


def test_a_range_in_a_comparison_is_p100() -> None:
    text = "protocol p\n  stop if pain <= 3-5\n"
    assert diags(text) == [
        ("P100", 2, 20, "expected `and`, `or`, a unit or the end of the line, found `-`",
         "a comparison takes a single value, such as `pain <= 2`")]


def test_a_number_without_a_comparison_is_p100_with_help() -> None:
    text = "protocol p\n  stop if pain 5\n"
    assert diags(text) == [
        ("P100", 2, 16, "expected `and`, `or` or the end of the line, found `5`",
         "compare a measure with `<`, `<=`, `>`, `>=` or `=`, such as `pain <= 2`")]


# --- contextual keywords -----------------------------------------------------------------------


def test_new_words_stay_usable_as_names() -> None:
    text = ('protocol p\n'
            '  condition from stability "x"\n'
            '  condition frequency strength "y"\n'
            '  condition measure skill "z"\n'
            '  equipment during "a bench"\n'
            '  exercise for\n'
            '    uses during\n'
            '    reps 3\n'
            '    requires from and frequency and measure\n')
    (proto,) = module(text).body
    names = [getattr(st, "name", None) for st in proto.body]
    assert names == ["from", "frequency", "measure", "during", "for"]
    ex = proto.body[-1]
    assert isinstance(ex.body[1], n.Reps)
    assert [r.name for r in ex.body[2].expr.operands] == ["from", "frequency", "measure"]


def test_a_misspelt_for_gets_a_suggestion() -> None:
    text = "protocol p\n  schedule 3 times weekly fro 6 weeks\n"
    assert diags(text) == [("P100", 2, 27, "expected `for` or the end of the line, found `fro`",
                            "did you mean `for`?")]


def test_a_misspelt_frequency_is_an_unknown_keyword() -> None:
    text = "protocol p\n  exercise e\n    frequncy daily\n    reps 3\n"
    assert diags(text) == [("P104", 3, 5, "unknown keyword `frequncy`",
                            "did you mean `frequency`?")]


def test_an_unknown_rate_word() -> None:
    text = "protocol p\n  exercise e\n    frequency thrice daily\n    reps 3\n"
    assert diags(text) == [(
        "P100", 3, 15, "expected how often: a number of times, `once`, `twice`, `daily` or "
        "`as needed`, found `thrice`", "did you mean `twice`?")]


# --- placement and repetition --------------------------------------------------------------


def test_placement_of_the_new_statements() -> None:
    text = ('protocol p\n'
            '  frequency daily\n'
            '  from week 2\n'
            '  exercise e\n'
            '    measure pain symptom "x" scale 0-10\n'
            '    reps 3\n')
    found = [(d.code, d.span.line, d.message) for d in analyze_text(text).diagnostics
             if d.code == "P105"]
    assert found == [
        ("P105", 2, "`frequency` is not allowed in the protocol block"),
        ("P105", 3, "`from` is not allowed in the protocol block"),
        ("P105", 5, "`measure` is not allowed in exercise `e`"),
    ]


def test_a_second_window_or_frequency_in_a_block_is_p206() -> None:
    text = ('protocol p\n'
            '  exercise e\n'
            '    frequency daily\n'
            '    during weeks 1-2\n'
            '    from week 3\n'
            '    frequency twice daily\n'
            '    reps 3\n')
    found = [(d.code, d.span.line, d.message, d.help) for d in analyze_text(text).diagnostics
             if d.code == "P206"]
    assert found == [
        ("P206", 5, "a second week window (`during` or `from`) in exercise `e`",
         "the first one is on line 4; a block has one window: keep one of them"),
        ("P206", 6, "`frequency` appears twice in exercise `e`",
         "the first one is on line 3; keep one of them"),
    ]
