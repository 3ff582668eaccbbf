"""Version 2's movement, side and scope forms in the grammar and the AST (LANGUAGE.md
8.4-8.6): tempo, contraction, reps per set, reps max, rpe, distance, relative and optional
loads, support, eyes, range until, affected sides, allow in every block."""

from __future__ import annotations

import pytest

from protodsl import nodes as n
from protodsl.analysis import analyze_text
from test_grammar import S, level_stmt, module


def syntax(text: str) -> list[tuple[str, int, int, str, str | None]]:
    return [(d.code, d.span.line, d.span.column, d.message, d.help)
            for d in analyze_text(text).diagnostics if d.code.startswith("P1")]


@pytest.mark.parametrize("line, phases", [
    ("tempo 3-0-1", (3, 0, 1)),
    ("tempo 4-1-2-0", (4, 1, 2, 0)),
    ("tempo 3-0-x", (3, 0, "x")),
    ("tempo x-x-x-x", ("x", "x", "x", "x")),
])
def test_tempo(line: str, phases: tuple[int | str, ...]) -> None:
    st = level_stmt(line)
    assert isinstance(st, n.Tempo)
    assert st.phases == phases
    assert st.phase_spans[0] == S(4, 13, 4, 14)


def test_tempo_needs_three_or_four_phases_and_whole_seconds() -> None:
    base = "protocol p\n  exercise e\n    level 1\n      reps 5\n      "
    assert [d[:3] for d in syntax(base + "tempo 3-1\n")] == [("P100", 5, 16)]
    assert [d[:3] for d in syntax(base + "tempo 3-1-1-1-1\n")] == [("P100", 5, 20)]
    assert syntax(base + "tempo 3-y-1\n") == [(
        "P100", 5, 15, "expected seconds or `x` (as fast as possible): `x`, found `y`",
        "did you mean `x`?")]
    assert [d[:4] for d in syntax(base + "tempo 1.5-0-1\n")] == [
        ("P100", 5, 13, "expected a whole number for a tempo phase, found `1.5`")]


@pytest.mark.parametrize("line, cls, value", [
    ("contraction eccentric", n.Contraction, "eccentric"),
    ("contraction isometric", n.Contraction, "isometric"),
    ("support both_hands", n.Support, "both_hands"),
    ("support none", n.Support, "none"),
    ("eyes closed", n.Eyes, "closed"),
])
def test_word_statements(line: str, cls: type, value: str) -> None:
    st = level_stmt(line)
    assert isinstance(st, cls)
    assert st.value == value
    assert st.value_span == S(4, 8 + len(line.split()[0]), 4, 7 + len(line))


def test_a_misspelt_support_word() -> None:
    text = "protocol p\n  exercise e\n    level 1\n      reps 5\n      support one_hnd\n"
    assert syntax(text) == [(
        "P100", 5, 15, "expected a support: `both_hands`, `one_hand`, `fingertip` or `none`, "
        "found `one_hnd`", "did you mean `one_hand`?")]


def test_reps_per_set() -> None:
    st = level_stmt("reps 12, 10, 8")
    assert isinstance(st, n.RepsList)
    assert st.items == (12, 10, 8)
    assert st.item_spans == (S(4, 12, 4, 14), S(4, 16, 4, 18), S(4, 20, 4, 21))
    assert level_stmt("reps 10, max").items == (10, "max")


def test_reps_max() -> None:
    st = level_stmt("reps max up to 20")
    assert isinstance(st, n.RepsMax)
    assert (st.up_to, st.up_to_span) == (20, S(4, 22, 4, 24))
    bare = level_stmt("reps max")
    assert isinstance(bare, n.RepsMax) and bare.up_to is None


def test_reps_written_twice_in_any_form_is_p206() -> None:
    text = "protocol p\n  exercise e\n    level 1\n      reps 10\n      reps max\n"
    found = [(d.code, d.span.line, d.message) for d in analyze_text(text).diagnostics
             if d.code == "P206"]
    assert found == [("P206", 5, "`reps` appears twice in level 1")]


@pytest.mark.parametrize("line, cls, low, high, unit", [
    ("rpe 7", n.Rpe, 7, 7, None),
    ("rpe 6-8", n.Rpe, 6, 8, None),
    ("distance 400 m", n.Distance, 400, 400, "m"),
    ("distance 1.5 km", n.Distance, 1.5, 1.5, "km"),
])
def test_rpe_and_distance(line: str, cls: type, low: float, high: float,
                          unit: str | None) -> None:
    st = level_stmt(line)
    assert isinstance(st, cls)
    assert (st.amount.low, st.amount.high, st.amount.unit) == (low, high, unit)


@pytest.mark.parametrize("line, optional, low, high, unit, text, equipment", [
    ("load 8-10 rm requires steady", False, 8, 10, "rm", "8-10 rm", None),
    ("load 8-10 rm bar requires steady", False, 8, 10, "rm", "8-10 rm", "bar"),
    ("load 70 %1rm requires steady", False, 70, 70, "%1rm", "70 %1rm", None),
    ("load 60-70 % 1rm bar requires steady", False, 60, 70, "%1rm", "60-70 % 1rm", "bar"),
    ("optional load 2 kg requires steady", True, 2, 2, "kg", "2 kg", None),
    ("optional load 2 kg bell on \"the hand\" requires steady", True, 2, 2, "kg", "2 kg",
     "bell"),
])
def test_relative_and_optional_loads(line: str, optional: bool, low: float, high: float,
                                     unit: str, text: str, equipment: str | None) -> None:
    st = level_stmt(line)
    assert isinstance(st, n.Load)
    assert st.optional is optional
    assert (st.amount.low, st.amount.high, st.amount.unit, st.amount.text) == (
        low, high, unit, text)
    assert (st.equipment.name if st.equipment else None) == equipment


def test_a_percentage_of_something_else_is_p100() -> None:
    text = ("protocol p\n  exercise e\n    level 1\n      reps 5\n"
            "      load 70 % 2rm requires steady\n")
    assert syntax(text) == [(
        "P100", 5, 15, "expected `% 1rm`, found `% 2rm`",
        "a percentage load is written `70 % 1rm` or `70 %1rm` (of the one-repetition maximum)")]


def test_range_until() -> None:
    st = level_stmt("range until spine_arching or knee_flexion >= 90 deg")
    assert isinstance(st, n.RangeUntil)
    assert isinstance(st.expr, n.AnyOf)
    assert isinstance(st.expr.operands[1], n.Compare)


def test_affected_sides() -> None:
    st = level_stmt("sides each starting affected")
    assert isinstance(st, n.Sides)
    assert (st.value, st.starting) == ("each", "affected")
    assert level_stmt("sides unaffected").value == "unaffected"


def test_new_words_stay_names_elsewhere() -> None:
    text = ('protocol p\n'
            '  condition tempo stability "x"\n'
            '  condition range skill "y"\n'
            '  equipment optional "a chair"\n'
            '  exercise support\n'
            '    uses optional\n'
            '    reps 3\n'
            '    requires tempo and range\n')
    (proto,) = module(text).body
    assert [getattr(st, "name", None) for st in proto.body] == [
        "tempo", "range", "optional", "support"]


def test_allow_stands_in_exercise_and_level_blocks() -> None:
    text = ('protocol p\n'
            '  exercise e\n'
            '    allow P304 "a machine"\n'
            '    level 1\n'
            '      allow P307 "why not"\n'
            '      reps 3\n')
    (proto,) = module(text).body
    assert [d.code for d in analyze_text(text).diagnostics if d.code == "P105"] == []
    (ex,) = proto.body
    assert isinstance(ex.body[0], n.Allow)
    assert isinstance(ex.body[1].body[0], n.Allow)
