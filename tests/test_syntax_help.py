"""Messages for the syntax mistakes found by writing real protocols: each points at the word at
fault and says how to write it (issue: clearer messages)."""

from __future__ import annotations

import pytest

from protodsl.analysis import analyze_text


def first(text: str) -> tuple[str, int, int, str, str | None]:
    d = next(d for d in analyze_text(text).diagnostics if d.code.startswith("P1"))
    return d.code, d.span.line, d.span.column, d.message, d.help


def in_level(line: str) -> str:
    return f"protocol demo\n  exercise squat\n    level 1\n      reps 5\n      {line}\n"


@pytest.mark.parametrize("line, word, column", [
    ('equipment step "A step"', "step", 13),
    ('condition hold stability "x"', "hold", 13),
    ('measure reps strength "Reps done"', "reps", 11),
    ("exercise load", "load", 12),
])
def test_a_reserved_word_as_a_name(line: str, word: str, column: int) -> None:
    assert first(f"protocol demo\n  {line}\n") == (
        "P100", 2, column, f"`{word}` is a reserved word and cannot be a name",
        f"choose another name, such as `{word}_1` or `my_{word}`")


def test_a_reserved_word_in_an_expression() -> None:
    assert first(in_level("requires step"))[3] == "`step` is a reserved word and cannot be a name"


FORMS = ("how often is written `daily`, `N times daily`, `N times weekly`, `every N days`, "
         "`twice daily` or `as needed`")


@pytest.mark.parametrize("line, column, message, help", [
    ("schedule 7 days a week", 14, "expected `times`, found `days`",
     "did you mean `7 times weekly`? " + FORMS),
    ("schedule 3 times a week", 20, "expected `daily` or `weekly`, found `a`",
     "did you mean `3 times weekly`? " + FORMS),
    ("schedule 2 per day", 14, "expected `times`, found `per`",
     "did you mean `2 times daily`? " + FORMS),
    ("schedule every other day", 18, "expected a number of days, found `other`",
     "did you mean `every 2 days`? " + FORMS),
    ("schedule thrice weekly", 12, "expected how often: a number of times, `once`, `twice`, "
     "`daily` or `as needed`, found `thrice`", "did you mean `twice`?"),
    ("schedule daily for 6 weeks please", 30, "expected the end of the line, found `please`",
     FORMS),
    ("schedule 3 days weekly", 14, "expected `times`, found `days`",
     "did you mean `3 times weekly`? " + FORMS),
])
def test_schedule_forms_point_at_the_word(line: str, column: int, message: str,
                                          help: str) -> None:
    assert first(f"protocol demo\n  {line}\n") == ("P100", 2, column, message, help)


def test_frequency_forms_point_at_the_word_too() -> None:
    assert first(in_level("frequency 3 times a week"))[1:4] == (
        5, 25, "expected `daily` or `weekly`, found `a`")


@pytest.mark.parametrize("line, column, message, help", [
    ("sets 3 x 15", 14, "expected the end of the line, found `x`",
     "write them as two statements: `sets 3` and `reps 15`"),
    ("sets 2 in week 1", 14, "expected the end of the line, found `in`",
     "a level's dose is the same in every week; to change it by week, write levels with week "
     "windows (`during weeks 1-2`) or an `increase ... every week`"),
])
def test_a_word_after_a_count_is_pointed_at(line: str, column: int, message: str,
                                            help: str) -> None:
    text = f"protocol demo\n  exercise squat\n    level 1\n      {line}\n"
    assert first(text) == ("P100", 4, column, message, help)


def test_reps_then_sets_in_one_statement() -> None:
    text = "protocol demo\n  exercise squat\n    level 1\n      breaths 10 x 3\n"
    assert first(text)[3:] == ("expected the end of the line, found `x`",
                               "write them as two statements: `breaths 10` and `sets 3`")


@pytest.mark.parametrize("word", ["decrease", "reduce", "lower"])
def test_never_suggest_a_word_of_opposite_meaning(word: str) -> None:
    code, line, column, message, help = first(in_level(f"{word} reps by 2 every week up to 4"))
    assert (code, message) == ("P104", f"unknown keyword `{word}`")
    assert help is not None and "increase" not in help
    assert f"there is no `{word}`" in help and "regress to level N when" in help


def test_an_unknown_word_with_no_close_keyword_points_to_cue_and_note() -> None:
    assert first(in_level("cadence 60"))[3:] == (
        "unknown keyword `cadence`",
        'the language has no such statement: write it as text for the patient, `cue "..."` or '
        '`note "..."`, or use the closest statement')


@pytest.mark.parametrize("word, guess", [("rpe8", "rpe"), ("tempo3", "tempo"),
                                         ("frequncy", "frequency"), ("undo", None)])
def test_an_unknown_word_close_to_a_keyword(word: str, guess: str | None) -> None:
    help = first(in_level(f"{word} 3"))[4]
    if guess is None:
        assert help is not None and "did you mean" not in help
    else:
        assert help == f"did you mean `{guess}`?"


def test_following_p405s_help_into_a_contradiction_is_never_all_clear() -> None:
    """P405 says to add the requirement to the `when`; when the `when` already holds its
    opposite, the result can never be true: P410 (and P401) say so instead of silence."""
    text = """protocol demo
  schedule 3 times weekly
  condition steady stability "Steady"
  condition pain symptom "Pain"
  stop if pain
  exercise squat
    kind strength
    level 1
      reps 10
      advance to level 2 when steady and pain
    level 2
      requires not pain
      reps 12
"""
    before = [(d.code, d.span.line, d.help) for d in analyze_text(text).diagnostics]
    assert ("P405", 12, "add the requirement to the `when` of line 10, or drop it from the "
            "level") in before
    followed = text.replace("when steady and pain\n", "when steady and pain and not pain\n")
    after = [(d.code, d.span.line, d.message) for d in analyze_text(followed).diagnostics]
    assert after == [
        ("P410", 10, "this `advance` criterion can never be true: `pain` and `not pain` cannot "
                     "both hold"),
        ("P401", 11, "level 2 of `squat` cannot be reached from level 1")]
