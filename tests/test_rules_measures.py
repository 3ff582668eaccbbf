"""Measures and comparisons (LANGUAGE.md 8.2): P310, P311, and the name rules P200, P201, P205
for measures, with exact positions, messages and help lines."""

from __future__ import annotations

import pytest

from protodsl.analysis import analyze_text
from protodsl.diagnostics import Diagnostic

OWN = {"P200", "P201", "P205", "P300", "P302", "P310", "P311", "P409", "P410"}

HEAD = '''protocol demo
  schedule 3 times weekly
  measure pain symptom "Pain at the knee" scale 0-10
  measure knee_flexion mobility "Knee bend" in deg
  measure stance_time stability "Single-leg stance" in s
  measure lifted strength "Heaviest lift" in kg
  measure hops skill "Hops in a row"
  condition steady stability "Steady"
'''  # line 9 is the first line added


def diags(text: str, codes: set[str] = OWN) -> list[Diagnostic]:
    return [d for d in analyze_text(text).diagnostics if d.code in codes]


def found(text: str, codes: set[str] = OWN) -> list[tuple[str, int, int, int, str]]:
    """(code, line, column, end column, message) of the diagnostics of ``codes``."""
    return [(d.code, d.span.line, d.span.column, d.span.end_column, d.message)
            for d in diags(text, codes)]


def stop(expr: str) -> str:
    """HEAD with `stop if EXPR` on line 9, every measure used, and one exercise."""
    return (HEAD + f"  stop if {expr}\n"
            "  exercise squat\n    requires steady and pain <= 5 and knee_flexion >= 0 deg "
            "and stance_time >= 0 s and lifted >= 0 kg and hops >= 0\n"
            "    reps 10\n")


def test_clean_comparisons_give_nothing() -> None:
    text = stop("pain > 5 or knee_flexion < -10 deg or stance_time < 1 min "
                "or lifted > 10 lb or hops = 0 or pain = 10")
    assert found(text) == []


# --- P310 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("expr", "message", "help"), [
    ("pain > 12", "`pain > 12` is outside the scale of `pain`, 0-10",
     "compare `pain` with a value from 0 to 10"),
    ("pain <= 10.5", "`pain <= 10.5` is outside the scale of `pain`, 0-10",
     "compare `pain` with a value from 0 to 10"),
    ("pain >= -1", "`pain >= -1` is outside the scale of `pain`, 0-10",
     "compare `pain` with a value from 0 to 10"),
    ("stance_time < -5 s", "`stance_time < -5 s` is outside the domain of `stance_time`: it "
     "cannot be negative", "compare `stance_time` with a value of 0 or more"),
    ("hops > -1", "`hops > -1` is outside the domain of `hops`: it cannot be negative",
     "compare `hops` with a value of 0 or more"),
    ("knee_flexion >= 90", "`knee_flexion >= 90` has no unit: `knee_flexion` is measured in deg",
     "write the unit: `knee_flexion >= 90 deg`"),
    ("knee_flexion >= 90 s", "`s` is a duration unit, but `knee_flexion` is measured in deg",
     "compare it in an angle unit, such as `knee_flexion >= 90 deg`"),
    ("lifted > 3 min", "`min` is a duration unit, but `lifted` is measured in kg",
     "compare it in a load unit, such as `lifted > 3 kg`"),
    ("stance_time >= 2 cm", "`cm` is a distance unit, but `stance_time` is measured in s",
     "compare it in a duration unit, such as `stance_time >= 2 s`"),
    ("pain <= 5 kg", "`pain <= 5 kg` has a unit, but `pain` is a score",
     "write the number alone: `pain <= 5`"),
    ("hops >= 3 s", "`hops >= 3 s` has a unit, but `hops` is a count or score",
     "write the number alone: `hops >= 3`"),
])
def test_p310_value_or_unit_does_not_fit(expr: str, message: str, help: str) -> None:
    [d] = diags(stop(expr))
    assert (d.code, d.severity, d.span.line, d.span.column, d.span.end_column) == (
        "P310", "error", 9, 11, 11 + len(expr))
    assert (d.message, d.help) == (message, help)


def test_p310_values_at_the_ends_of_the_domain_are_fine() -> None:
    assert found(stop("pain = 0 or pain >= 10 or stance_time <= 0 s or knee_flexion < -180 deg"
                      " or knee_flexion > 720 deg"), {"P310"}) == []


def test_p310_alone_for_a_value_outside_the_domain_not_p410() -> None:
    # `pain > 12` can never be true, but P310 says why; P409/P407 judge it no further
    assert [d.code for d in diags(stop("pain > 12 and pain >= 6"))] == ["P310"]
    assert [d.code for d in diags(stop("stance_time < -1 s"))] == ["P310"]


def test_p310_every_bad_comparison_of_an_expression() -> None:
    assert [(c, col) for c, _, col, *_ in found(stop("pain > 11 or hops > 2 kg"))] == [
        ("P310", 11), ("P310", 24)]


def test_unknown_unit_in_a_comparison_is_p300() -> None:
    [d] = diags(stop("knee_flexion >= 90 degs"))
    assert (d.code, d.span.line, d.span.column, d.span.end_column) == ("P300", 9, 30, 34)
    assert d.message == "unknown unit `degs`"
    assert d.help == "did you mean `deg`?"


def test_measure_definitions_unknown_unit_backwards_and_single_value_scales() -> None:
    text = ('protocol demo\n  schedule 3 times weekly\n'
            '  measure a symptom "A" in dgrees\n'
            '  measure b symptom "B" scale 10-0\n'
            '  measure c symptom "C" scale 5-5\n'
            '  stop if a > 1 or b > 1 or c > 1\n'
            '  exercise squat\n    reps 10\n')
    got = [(d.code, d.span.line, d.span.column, d.message, d.help) for d in diags(text)]
    assert got == [
        ("P300", 3, 28, "unknown unit `dgrees`", "did you mean `degrees`?"),
        ("P302", 4, 31, "the range `10-0` runs backwards: 10 is above 0",
         "write the lower end first: `0-10`"),
        ("P310", 5, 31, "the scale of `c` has a single value, 5",
         "give the scale's lowest and highest values, such as `scale 0-10`"),
    ]  # and nothing about the comparisons on these unsound measures


def test_a_measure_may_have_a_negative_scale() -> None:
    text = ('protocol demo\n  schedule 3 times weekly\n'
            '  measure mood response "Mood" scale -5-5\n'
            '  advance_placeholder\n')
    text = text.replace("  advance_placeholder\n",
                        '  exercise squat\n    requires mood >= -2\n    reps 10\n')
    assert found(text) == []
    assert [d.code for d in diags(text.replace("mood >= -2", "mood >= -6"))] == ["P310"]


# --- P311 ----------------------------------------------------------------------------------


def test_p311_a_measure_used_as_a_condition() -> None:
    [d] = diags(stop("pain"))
    assert (d.code, d.severity, d.span.line, d.span.column, d.span.end_column) == (
        "P311", "error", 9, 11, 15)
    assert d.message == "measure `pain` is used as a condition"
    assert d.help == ("compare it with a value: `pain OP NUMBER`, OP one of `<`, `<=`, `>`, "
                      "`>=`, `=`")
    [d] = diags(stop("not knee_flexion"))
    assert d.help == ("compare it with a value: `knee_flexion OP NUMBER deg`, OP one of `<`, "
                      "`<=`, `>`, `>=`, `=`")


def test_p311_a_comparison_on_a_condition() -> None:
    [d] = diags(stop("steady < 3"))
    assert (d.code, d.span.line, d.span.column, d.span.end_column) == ("P311", 9, 11, 21)
    assert d.message == "`steady` is a condition, not a measure: it cannot be compared"
    assert d.help == ('name the condition on its own (`steady`), or define a measure to '
                      'compare: `measure NAME KIND "text" [in UNIT | scale A-B]`')


def test_p311_in_every_place_and_nothing_else_judges_it() -> None:
    text = (HEAD + "  stop if pain > 5\n  exercise squat\n"
            "    requires knee_flexion >= 0 deg and stance_time >= 0 s and lifted >= 0 kg\n"
            "    level 1\n      reps 10\n      advance to level 2 when hops and steady\n"
            "      modification \"Smaller\" when steady = 1\n"
            "    level 2\n      reps 12\n      load 2 kg requires stance_time\n"
            "      stop if pain\n")
    assert [(d.code, d.span.line) for d in analyze_text(text).diagnostics
            if d.code.startswith(("P2", "P3", "P4"))] == [
        ("P311", 14), ("P311", 15), ("P311", 18), ("P311", 19)]


def test_p311_silent_when_the_name_is_both_a_condition_and_a_measure() -> None:
    text = stop("hops = 1 or clash or clash > 2").replace(
        '  condition steady', '  condition clash skill "C"\n  measure clash skill "C"\n'
        '  condition steady')
    assert [(d.code, d.span.line) for d in diags(text)] == [("P200", 9)]


# --- names: P200, P201, P205 ----------------------------------------------------------------


def test_p200_measures_share_the_namespace_of_conditions() -> None:
    text = stop("pain > 5").replace(
        "  condition steady", '  condition pain symptom "Pain"\n  measure hops skill "Hops"\n'
                              "  condition steady")
    got = [(d.code, d.span.line, d.span.column, d.message, d.help) for d in diags(text)]
    assert got == [
        ("P200", 8, 13, "condition `pain` has the name of the measure on line 3",
         "conditions and measures share their names: rename or remove one of them"),
        ("P200", 9, 11, "measure `hops` is defined twice",
         "the first definition is on line 7; rename or remove one of them"),
    ]


def test_p200_a_measure_after_a_condition_of_the_same_name() -> None:
    text = ('protocol demo\n  schedule 3 times weekly\n  condition pain symptom "Pain"\n'
            '  measure pain symptom "Pain" scale 0-10\n  stop if pain\n'
            '  exercise squat\n    reps 10\n')
    assert found(text) == [
        ("P200", 4, 11, 15, "measure `pain` has the name of the condition on line 3")]


def test_p201_a_comparison_on_a_name_defined_as_nothing() -> None:
    [d] = diags(stop("pian > 5"))
    assert (d.code, d.span.line, d.span.column, d.span.end_column) == ("P201", 9, 11, 15)
    assert d.message == "undefined measure `pian`"
    assert d.help == "did you mean `pain`?"
    [d] = diags(stop("dizziness > 5"))
    assert d.help == ('define it in the protocol block with '
                      '`measure dizziness KIND "text" [in UNIT | scale A-B]`')


def test_p201_help_for_a_comparison_names_measures_not_conditions() -> None:
    [d] = diags(stop("steadyy > 5"))
    assert d.message == "undefined measure `steadyy`"
    assert d.help.startswith("define it")
    [d] = diags(stop("stance_tme > 5 s"))
    assert d.help == "did you mean `stance_time`?"


def test_p205_unused_measure() -> None:
    text = (HEAD + "  stop if pain > 5\n  exercise squat\n"
            "    requires steady and knee_flexion >= 0 deg and lifted >= 0 kg\n    reps 10\n")
    got = [(d.code, d.severity, d.span.line, d.span.column, d.message, d.help)
           for d in diags(text)]
    assert got == [
        ("P205", "warning", 5, 11, "measure `stance_time` is defined but never used",
         "compare it in a `requires`, `stop if` or `when` (`stance_time <= ...`), or remove it"),
        ("P205", "warning", 7, 11, "measure `hops` is defined but never used",
         "compare it in a `requires`, `stop if` or `when` (`hops <= ...`), or remove it"),
    ]


def test_p205_a_misspelt_or_bare_use_counts_as_a_use() -> None:
    text = (HEAD + "  stop if pain > 5 or stance_tme > 3 s or hops\n  exercise squat\n"
            "    requires steady and knee_flexion >= 0 deg and lifted >= 0 kg\n    reps 10\n")
    assert [d.code for d in diags(text)] == ["P201", "P311"]


def test_p205_comparisons_in_range_until_and_modification_count() -> None:
    text = (HEAD + "  stop if pain > 5\n  exercise squat\n"
            "    requires steady and lifted >= 0 kg and hops >= 0\n"
            "    range until knee_flexion >= 90 deg\n"
            '    modification "Hold on" when stance_time < 10 s\n    reps 10\n')
    assert found(text) == []


def test_measure_rules_examples_and_no_crash_on_odd_numbers() -> None:
    huge = "9" * 400 + ".5"
    for expr in (f"pain > {huge}", f"stance_time > {huge} s", "pain > 0.0000001",
                 f"knee_flexion >= -{huge} deg"):
        codes = [d.code for d in analyze_text(stop(expr)).diagnostics]
        assert "P900" not in codes, (expr, codes)


# --- no input crashes the measure rules -------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_names = st.sampled_from(["pain", "knee_flexion", "stance_time", "lifted", "hops", "steady",
                          "nothing"])
_units = st.sampled_from(["", " deg", " s", " min", " kg", " lb", " cm", " dgr"])
_values = st.sampled_from(["0", "3", "10", "10.5", "-5", "0.45359237", "120"])
_atom = st.one_of(
    _names,
    st.builds(lambda name, op, v, u: f"{name} {op} {v}{u}", _names,
              st.sampled_from(["<", "<=", ">", ">=", "="]), _values, _units),
    st.just('"warm"'),
)
_expr = st.recursive(_atom, lambda inner: st.one_of(
    inner.map(lambda e: f"not {e}"),
    st.lists(inner, min_size=2, max_size=3).map(lambda es: "(" + " and ".join(es) + ")"),
    st.lists(inner, min_size=2, max_size=3).map(lambda es: "(" + " or ".join(es) + ")"),
), max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(_expr, _expr, _expr, _expr)
def test_any_expression_in_any_place_gives_diagnostics_not_a_crash(
        a: str, b: str, c: str, d: str) -> None:
    text = (HEAD + f"  stop if {a}\n  exercise squat\n    range until {d}\n"
            f"    level 1\n      reps 10\n      requires {b}\n      advance to level 2 when {c}\n"
            f"    level 2\n      reps 12\n      load 2 kg requires {b} or {c}\n"
            f"      regress to level 1 when {d}\n      stop if {a} and {d}\n")
    first = analyze_text(text).diagnostics
    assert "P900" not in [x.code for x in first]
    assert analyze_text(text).diagnostics == first
