"""Scoped `allow` (LANGUAGE.md 8.6): an `allow` silences its warning only in its block (header
line and body), the innermost matching one silences, and one that silences nothing is P210."""

from __future__ import annotations

from protodsl.analysis import analyze_text

# Two exercises, each with a P304 (reps over 100) in level 1 and level 2.
BASE = """protocol demo
  schedule daily
{protocol_allow}  exercise squat
    kind strength
{exercise_allow}    level 1
{level_allow}      reps 150
      advance to level 2 when "easy"
    level 2
      reps 160
  exercise lunge
    kind strength
    reps 170
"""


def codes(protocol_allow: str = "", exercise_allow: str = "", level_allow: str = "") -> list:
    text = BASE.format(protocol_allow=protocol_allow, exercise_allow=exercise_allow,
                       level_allow=level_allow)
    return [(d.code, d.span.line) for d in analyze_text(text).diagnostics]


def test_without_allow_every_implausible_amount_is_reported() -> None:
    assert codes() == [("P304", 6), ("P304", 9), ("P304", 12)]


def test_a_level_allow_silences_its_level_only() -> None:
    # Lines shift by one: the allow is line 6, level 1's reps line 7.
    assert codes(level_allow='      allow P304 "a machine load"\n') == [
        ("P304", 10), ("P304", 13)]


def test_an_exercise_allow_silences_its_levels_not_the_next_exercise() -> None:
    assert codes(exercise_allow='    allow P304 "a machine"\n') == [("P304", 13)]


def test_a_protocol_allow_silences_the_whole_file() -> None:
    assert codes(protocol_allow='  allow P304 "all machines"\n') == []


def test_the_innermost_allow_silences_and_the_outer_one_silences_nothing_there() -> None:
    # Both match level 1's P304: the level's allow silences it. The exercise's allow still
    # silences level 2's, so neither is P210.
    assert codes(exercise_allow='    allow P304 "a"\n', level_allow='      allow P304 "b"\n') == [
        ("P304", 14)]


def test_an_outer_allow_that_only_matches_where_an_inner_one_silences_is_p210() -> None:
    text = """protocol demo
  schedule daily
  exercise squat
    kind strength
    allow P304 "outer"
    reps 150
    level 1
      allow P304 "inner"
"""
    # Level blocks and an implicit level cannot mix; use two levels instead.
    text = """protocol demo
  schedule daily
  exercise squat
    kind strength
    allow P304 "outer"
    level 1
      allow P304 "inner"
      reps 150
"""
    diags = analyze_text(text).diagnostics
    assert [(d.code, d.span.line, d.message) for d in diags] == [
        ("P210", 5, "`allow P304` silences nothing in exercise `squat`")]


def test_the_header_line_belongs_to_the_block() -> None:
    # P403 is located at a level's header: a level allow silences it.
    text = """protocol demo
  schedule daily
  exercise squat
    kind strength
    level 1
      allow P403 "the top level for now"
      reps 10
    level 2
      reps 12
"""
    assert [(d.code, d.span.line) for d in analyze_text(text).diagnostics] == [("P401", 8)]


def test_an_allow_that_silences_nothing_is_p210_and_allow_p210_silences_it() -> None:
    text = """protocol demo
  schedule daily
  exercise squat
    kind strength
    allow P307 "never happens"
    reps 10
"""
    diags = analyze_text(text).diagnostics
    assert [(d.code, d.severity, d.span.line, d.span.column, d.message, d.help)
            for d in diags] == [
        ("P210", "warning", 5, 5, "`allow P307` silences nothing in exercise `squat`",
         "no P307 is reported in its block: remove the `allow`")]
    silenced = text.replace('    kind strength\n', '    kind strength\n    allow P210 "kept"\n')
    assert analyze_text(silenced).diagnostics == ()


def test_an_allow_p210_that_silences_nothing_is_reported() -> None:
    text = 'protocol demo\n  schedule daily\n  allow P210 "x"\n  exercise e\n    reps 3\n'
    assert [(d.code, d.span.line, d.message) for d in analyze_text(text).diagnostics] == [
        ("P210", 3, "`allow P210` silences nothing in the protocol")]


def test_allows_are_not_copied_by_extends() -> None:
    text = """protocol demo
  schedule daily
  exercise squat
    kind strength
    level 1
      allow P304 "machine"
      reps 150
      advance to level 2 when "easy"
    level 2 extends level 1
"""
    # Level 2 inherits the 150 reps but not the allow; its P304 is at its own lines? No:
    # P304 is reported at the statement, which is level 1's, inside level 1's block.
    assert [(d.code, d.span.line) for d in analyze_text(text).diagnostics] == []


def test_p210_is_held_back_while_the_file_has_syntax_errors() -> None:
    text = """protocol demo
  schedule daily
  allow P205 "kept"
  condition spare skill "x"
  exercise squat
    reps ten
"""
    assert [d.code for d in analyze_text(text).diagnostics] == ["P100"]

