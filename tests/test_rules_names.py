"""Names and references: P200-P205 (positions, messages, help lines, cascades)."""

from __future__ import annotations

import pytest

from protodsl import nodes as n
from protodsl import record
from protodsl.analysis import analyze_text
from protodsl.diagnostics import Diagnostic
from protodsl.context import Context
from protodsl.rules.names import (
    check_level_refs,
    check_numbering,
    compares,
    condition_refs,
    measure_refs,
    missing_levels,
    names_in,
    refs,
)
from protodsl.rules.registry import all_rules

OWN = {"P200", "P201", "P202", "P203", "P204", "P205", "P300", "P301", "P302", "P303", "P304",
       "P305", "P306", "P307", "P308", "P309", "P500", "P501", "P502"}

HEAD = ('protocol demo\n  schedule 3 times weekly\n  stop if pain\n'
        '  condition pain symptom "Pain"\n')


def diags(text: str) -> list[Diagnostic]:
    """The diagnostics of this engineer's codes, in report order."""
    return [d for d in analyze_text(text).diagnostics if d.code in OWN]


def where(text: str) -> list[tuple[str, int, int, int]]:
    """(code, line, column, end column) of each diagnostic of our codes."""
    return [(d.code, d.span.line, d.span.column, d.span.end_column) for d in diags(text)]


# --- P200 ---------------------------------------------------------------------------------


def test_duplicate_condition_reported_at_second_name() -> None:
    text = HEAD + '  condition pain symptom "Again"\n  exercise squat\n    reps 10\n'
    [d] = diags(text)
    assert (d.code, d.severity, d.span) == ("P200", "error", n.Span(5, 13, 5, 17))
    assert d.message == "condition `pain` is defined twice"
    assert d.help == "the first definition is on line 4; rename or remove one of them"


def test_duplicate_equipment_exercise_and_level() -> None:
    text = (HEAD + '  condition easy skill "Easy"\n'
            '  equipment mat "Mat"\n  equipment mat "Mat 2"\n'
            '  exercise squat\n    uses mat\n'
            '    level 1\n      reps 10\n      advance to level 2 when easy\n'
            '    level 2\n      reps 12\n    level 2\n      reps 14\n'
            '  exercise squat\n    reps 10\n')
    got = [(d.code, d.span.line, d.span.column, d.message) for d in diags(text)]
    assert got == [
        ("P200", 7, 13, "equipment `mat` is defined twice"),
        ("P200", 15, 11, "level 2 is defined twice in exercise `squat`"),
        ("P200", 17, 12, "exercise `squat` is defined twice"),
    ]


def test_condition_and_equipment_are_separate_namespaces() -> None:
    text = (HEAD + '  condition band stability "Steady"\n  equipment band "Band"\n'
            '  exercise row\n    uses band\n    requires band\n    reps 10\n')
    assert diags(text) == []


def test_duplicate_definition_in_an_exercise_block_is_still_a_duplicate() -> None:
    # A condition written inside an exercise is misplaced (P105) but still defines it.
    text = HEAD + '  exercise squat\n    condition pain symptom "Again"\n    reps 10\n'
    assert [(d.code, d.span.line) for d in analyze_text(text).diagnostics] == [
        ("P105", 6), ("P200", 6)]


# --- P201 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("statement", [
    "    requires stiff\n",
    "    stop if stiff\n",
    '    load 2 kg requires steady and stiff\n',
    '    modification "Smaller range" when stiff\n',
    "    regress to level 1 when stiff\n",
])
def test_undefined_condition_in_every_position(statement: str) -> None:
    text = (HEAD + '  condition steady stability "Steady"\n  condition easy skill "Easy"\n'
            '  exercise squat\n    level 1\n      reps 10\n      requires steady\n'
            '      advance to level 2 when easy\n    level 2\n      reps 12\n'
            + "  " + statement)
    [d] = diags(text)
    assert d.code == "P201" and d.span.line == 14
    assert text.splitlines()[13][d.span.column - 1:d.span.end_column - 1] == "stiff"
    assert d.message == "undefined condition `stiff`"


def test_undefined_condition_help_names_the_closest_defined_one() -> None:
    text = HEAD.replace("stop if pain", "stop if pian") + '  exercise squat\n    reps 10\n'
    [d] = diags(text)
    assert (d.code, d.span) == ("P201", n.Span(3, 11, 3, 15))
    assert d.help == "did you mean `pain`?"


def test_undefined_condition_without_a_close_one_says_how_to_define_it() -> None:
    text = HEAD + '  exercise squat\n    stop if dizziness\n    reps 10\n'
    [d] = diags(text)
    assert d.help == 'define it in the protocol block with `condition dizziness KIND "text"`'


def test_every_use_of_an_undefined_condition_is_reported() -> None:
    text = (HEAD + '  exercise squat\n    requires stiff or not (stiff and "x")\n'
            '    reps 10\n')
    assert where(text) == [("P201", 6, 14, 19), ("P201", 6, 28, 33)]


def test_inline_conditions_are_not_references() -> None:
    text = HEAD + '  exercise squat\n    requires "warmed up" and not "tired"\n    reps 10\n'
    assert diags(text) == []


def test_conditions_resolve_regardless_of_order() -> None:
    text = ('protocol demo\n  schedule daily\n  stop if pain\n'
            '  exercise squat\n    requires steady\n    reps 10\n'
            '  condition steady stability "Steady"\n  condition pain symptom "Pain"\n')
    assert diags(text) == []


# --- P202 ---------------------------------------------------------------------------------


def test_undefined_equipment_in_uses_and_load() -> None:
    text = (HEAD + '  condition steady stability "Steady"\n'
            '  equipment dumbbell "Dumbbell"\n  equipment wall "Wall"\n'
            '  exercise squat\n    uses wall, wal\n    reps 10\n'
            '    load 2 kg dumbell requires steady\n')
    got = [(d.code, d.span, d.message, d.help) for d in diags(text)]
    assert got == [
        ("P202", n.Span(9, 16, 9, 19), "undefined equipment `wal`", "did you mean `wall`?"),
        ("P202", n.Span(11, 15, 11, 22), "undefined equipment `dumbell`",
         "did you mean `dumbbell`?"),
    ]


def test_undefined_equipment_without_a_close_one() -> None:
    text = HEAD + '  exercise squat\n    uses chair\n    reps 10\n'
    [d] = diags(text)
    assert d.help == 'define it in the protocol block with `equipment chair "text"`'


# --- P203 ---------------------------------------------------------------------------------

LEVELS = HEAD + '  condition easy skill "Easy"\n  exercise squat\n'


def test_missing_advance_regress_and_extends_targets() -> None:
    text = (LEVELS + '    level 1\n      reps 10\n      advance to level 2 when easy\n'
            '      advance to level 7 when easy\n'
            '    level 2 extends level 9\n      regress to level 0 when pain\n')
    got = [(d.code, d.span, d.message) for d in diags(text)]
    assert got == [
        ("P203", n.Span(10, 24, 10, 25),
         "level 1 advances to level 7, which does not exist in `squat`"),
        ("P203", n.Span(11, 13, 11, 28),
         "level 2 extends level 9, which does not exist in `squat`"),
        ("P203", n.Span(12, 24, 12, 25),
         "level 2 regresses to level 0, which does not exist in `squat`"),
    ]
    assert {d.help for d in diags(text)} == {"exercise `squat` has levels 1 and 2"}


def test_single_level_exercise_has_only_level_one() -> None:
    text = LEVELS + '    reps 10\n    advance to level 2 when easy\n'
    [d] = diags(text)
    assert d.code == "P203" and d.span.line == 8
    assert d.message == "this level advances to level 2, which does not exist in `squat`"
    assert d.help == "exercise `squat` has level 1"


def test_extends_to_a_missing_level_gives_p203_not_p308() -> None:
    text = (LEVELS + '    level 1\n      reps 10\n      advance to level 2 when easy\n'
            '    level 2 extends level 5\n      sets 2\n')
    assert [d.code for d in diags(text)] == ["P203"]


def test_a_gap_reported_by_p204_is_not_reported_again_by_p203() -> None:
    text = (LEVELS + '    level 1\n      reps 10\n      advance to level 2 when easy\n'
            '    level 3\n      reps 12\n')
    assert [d.code for d in diags(text)] == ["P204"]


# --- P204 ---------------------------------------------------------------------------------


def _levels(*numbers: int) -> str:
    return HEAD + "  exercise squat\n" + "".join(f"    level {k}\n      reps 10\n" for k in numbers)


@pytest.mark.parametrize(("numbers", "line", "message"), [
    ((1, 3), 8, "level 3 comes after a gap in the numbering: level 2 is missing"),
    ((1, 3, 5), 8, "level 3 comes after a gap in the numbering: levels 2 and 4 are missing"),
    ((2, 3), 6, "the levels of `squat` start at 2: level 1 is missing"),
    ((0, 1), 6, "levels are numbered from 1, not 0"),
    ((4, 1, 2), 6, "level 4 comes after a gap in the numbering: level 3 is missing"),
    ((1, 5, 7), 8, "level 5 comes after a gap in the numbering: levels 2 to 4 and 6 are missing"),
    ((1, 4), 8, "level 4 comes after a gap in the numbering: levels 2 and 3 are missing"),
])
def test_numbering_faults(numbers: tuple[int, ...], line: int, message: str) -> None:
    [d] = diags(_levels(*numbers))
    assert (d.code, d.span.line, d.span.column, d.message) == ("P204", line, 11, message)
    assert d.help.startswith(f"number the levels of `squat` 1 to {len(numbers)} without gaps")


def test_a_huge_level_number_is_one_gap() -> None:
    # Run the rules of this module alone: what others do with such a number is theirs.
    text = _levels(1, 10**30)
    protocol = analyze_text(text.replace(str(10**30), "2")).protocol
    assert protocol is not None
    ex = protocol.exercises[0]
    huge = record.evolve(ex.levels[1], number=10**30)
    protocol = record.evolve(protocol, exercises=(record.evolve(ex, levels=(ex.levels[0], huge)),))
    ctx = Context(protocol)
    [d] = list(check_numbering(ctx))
    assert list(check_level_refs(ctx)) == []
    assert d.message == (f"level {10**30} comes after a gap in the numbering: "
                         f"levels 2 to {10**30 - 1} are missing")


def test_levels_in_any_order_are_numbered_correctly() -> None:
    assert [d.code for d in diags(_levels(2, 3, 1))] == []


def test_a_duplicate_level_is_not_a_numbering_fault() -> None:
    assert [d.code for d in diags(_levels(1, 2, 2))] == ["P200"]


def test_missing_levels_and_refs_helpers() -> None:
    protocol = analyze_text(_levels(1, 4, 6)).protocol
    assert protocol is not None
    assert missing_levels(protocol.exercises[0]) == [(2, 3), (5, 5)]
    text = (HEAD + '  condition a skill "A"\n  condition b skill "B"\n'
            '  exercise e\n    requires a and not (b or "c" or a)\n    reps 1\n')
    protocol = analyze_text(text).protocol
    assert protocol is not None
    requires = n.first(protocol.exercises[0].body, n.Requires)
    assert requires is not None
    assert [r.name for r in refs(requires.expr)] == ["a", "b", "a"]
    assert [r.name for r in condition_refs(protocol)] == ["pain", "a", "b", "a"]


# --- P205 ---------------------------------------------------------------------------------


def test_unused_condition_and_equipment_are_warnings_at_their_names() -> None:
    text = (HEAD + '  condition steady stability "Steady"\n  equipment mat "Mat"\n'
            '  exercise squat\n    reps 10\n')
    got = [(d.code, d.severity, d.span, d.message) for d in diags(text)]
    assert got == [
        ("P205", "warning", n.Span(5, 13, 5, 19), "condition `steady` is defined but never used"),
        ("P205", "warning", n.Span(6, 13, 6, 16), "equipment `mat` is defined but never used"),
    ]


def test_a_misspelt_use_gives_p201_only_not_also_p205() -> None:
    text = (HEAD + '  condition steady stability "Steady"\n  equipment mat "Mat"\n'
            '  exercise squat\n    requires stedy\n    uses matt\n    reps 10\n')
    assert [d.code for d in diags(text)] == ["P201", "P202"]


def test_use_in_any_expression_counts() -> None:
    text = (HEAD + '  condition tired strength "Tired"\n  equipment chair "Chair"\n'
            '  exercise squat\n    reps 10\n'
            '    modification "Sit" when tired\n    uses chair\n')
    assert diags(text) == []


def test_allow_silences_p205() -> None:
    text = (HEAD + '  allow P205 "kept"\n  condition steady stability "S"\n'
            '  exercise e\n    reps 1\n')
    assert diags(text) == []


# --- examples -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["P200", "P201", "P202", "P203", "P204", "P205"])
def test_registered_examples_fail_and_pass(code: str) -> None:
    rule = all_rules()[code]
    assert code in {d.code for d in analyze_text(rule.bad).diagnostics}
    assert analyze_text(rule.good).diagnostics == ()


# --- measures (LANGUAGE.md 8.2) -------------------------------------------------------------


def test_walkers_see_comparisons() -> None:
    text = ('protocol demo\n  schedule daily\n  measure pain symptom "P" scale 0-10\n'
            '  condition steady stability "S"\n  stop if pain > 5\n'
            '  exercise squat\n    requires steady and not (pain <= 2 or stance >= 3 s)\n'
            '    range until steady or pain = 4\n    reps 10\n')
    protocol = analyze_text(text).protocol
    assert protocol is not None
    requires = protocol.exercises[0].body[0]
    assert isinstance(requires, n.Requires)
    assert [(c.name, c.op, c.value, c.unit) for c in compares(requires.expr)] == [
        ("pain", "<=", 2, None), ("stance", ">=", 3, "s")]
    assert [type(x).__name__ + ":" + x.name for x in names_in(requires.expr)] == [
        "Ref:steady", "Compare:pain", "Compare:stance"]
    assert [r.name for r in refs(requires.expr)] == ["steady"]  # conditions only
    assert [(c.name, c.name_span.line) for c in measure_refs(protocol)] == [
        ("pain", 5), ("pain", 7), ("stance", 7), ("pain", 8)]
    assert [r.name for r in condition_refs(protocol)] == ["steady", "steady"]
    assert [(d.code, d.span.line, d.message) for d in diags(text)] == [
        ("P201", 7, "undefined measure `stance`")]


def test_context_measures_and_domains() -> None:
    text = ('protocol demo\n  schedule daily\n  measure pain symptom "P" scale 0-10\n'
            '  measure pain symptom "Again" in deg\n  measure odd skill "O" in dgr\n'
            '  stop if pain > 5 or odd > 1\n  exercise squat\n    reps 10\n')
    protocol = analyze_text(text).protocol
    assert protocol is not None
    ctx = Context(protocol)
    assert [(name, m.span.line) for name, m in ctx.measures.items()] == [("pain", 3), ("odd", 5)]
    assert list(ctx.domains) == ["pain"]  # `odd` has an unknown unit: no domain
    assert (ctx.domains["pain"].low, ctx.domains["pain"].high) == (0, 10)
