"""Syntax and structure diagnostics (P100-P106, P206-P209) and recovery from broken lines."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from protodsl import lexer as lexer_module
from protodsl import nodes as n
from protodsl import parser as parser_module
from protodsl.analysis import analyze_bytes, analyze_text
from protodsl.diagnostics import Diagnostic
from protodsl.lexer import MAX_BLOCKS
from protodsl.parser import MAX_NESTING, MAX_STATEMENT_TOKENS, parse
from protodsl.source import MAX_BYTES


def diags(text: str, path: str | None = None) -> tuple[Diagnostic, ...]:
    return analyze_text(text, path).diagnostics


def pairs(text: str, path: str | None = None) -> list[tuple[str, int]]:
    return [(d.code, d.span.line) for d in diags(text, path)]


def one(text: str, path: str | None = None) -> Diagnostic:
    (d,) = diags(text, path)
    return d


CLEAN = ('protocol demo\n'
         '  schedule 3 times weekly for 4 weeks\n'
         '  condition steady stability "Keeps the knee over the foot"\n'
         '  condition pain symptom "Sharp pain"\n'
         '  stop if pain\n'
         '  exercise squat "Squat"\n'
         '    kind strength\n'
         '    level 1\n'
         '      reps 10\n'
         '      sets 2\n'
         '      advance to level 2 when steady\n'
         '    level 2\n'
         '      reps 12\n')


def test_the_clean_base_file_is_clean() -> None:
    assert diags(CLEAN) == ()


def with_line(number: int, text: str) -> str:
    """CLEAN with line ``number`` replaced by ``text``."""
    lines = CLEAN.split("\n")
    lines[number - 1] = text
    return "\n".join(lines)


# --- recovery ------------------------------------------------------------------------------


def test_three_broken_lines_give_three_diagnostics_in_one_run() -> None:
    text = ('protocol demo\n'
            '  exercise squat\n'
            '    reps ten\n'
            '    hodl 30 s\n'
            '    sets 2 3\n'
            '    rest 30 s between sets\n')
    assert pairs(text) == [("P100", 3), ("P104", 4), ("P100", 5)]


def test_semantic_checks_still_run_after_syntax_errors() -> None:
    text = ('protocol demo\n'
            '  exercise squat\n'
            '    reps ten\n'
            '    hold 30 parsecs\n'
            '    stop if (pain\n'
            '    sets 2\n'
            '    sets 3\n'
            '    uses mat,\n')
    assert pairs(text) == [("P100", 3), ("P300", 4), ("P100", 5), ("P206", 7), ("P100", 8)]


def test_broken_block_header_keeps_its_body_in_its_block() -> None:
    text = ('protocol demo\n'
            '  exercise squat "Squat" extra\n'
            '    reps 10\n'
            '    reps 12\n'
            '  exercise lunge\n'
            '    level two\n'
            '      hold 3 s\n'
            '      hold 4 s\n')
    a = analyze_text(text)
    assert [(d.code, d.span.line) for d in a.diagnostics] == [
        ("P100", 2), ("P206", 4), ("P100", 6), ("P206", 8)]
    squat, lunge = a.protocol.exercises
    assert squat.name == "squat" and squat.levels[0].body[0].amount.low == 10
    assert lunge.name == "lunge" and lunge.levels[0].number == -1


def test_misspelt_header_keyword_with_a_body_is_read_as_the_header() -> None:
    text = 'protocol demo\n  exercize squat\n    reps 10\n    reps 12\n'
    a = analyze_text(text)
    assert [(d.code, d.span.line) for d in a.diagnostics] == [("P104", 2), ("P206", 4)]
    d = a.diagnostics[0]
    assert d.help == "did you mean `exercise`?"


def test_broken_last_line_of_a_block() -> None:
    assert pairs("protocol demo\n  exercise squat\n    reps 3\n    stop if (((a\n") == [
        ("P100", 4)]
    assert pairs("protocol demo\n  exercise squat\n    reps 3\n    stop if (((a") == [
        ("P100", 4)]


def test_broken_line_after_a_header_with_an_indented_body() -> None:
    text = 'protocol demo\n  exercise squat\n    reps (\n    sets 2\n    sets 3\n'
    assert pairs(text) == [("P100", 3), ("P206", 5)]


# --- P100 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("line, message", [
    ("reps ten", "expected a number or `max`, found `ten`"),
    ("reps", "expected `max` or a number, found the end of the line"),
    ("hold 30 s extra", "expected the end of the line, found `extra`"),
    ("reps 3 5", "expected `to`, a unit, `-`, `,` or the end of the line, found `5`"),
    ("advance to 2 when steady", "expected `level`, found `2`"),
    ("advance to level 2", "expected `when`, found the end of the line"),
    ("stop steady", "expected `if`, found `steady`"),
    ("stop if", "expected a condition, found the end of the line"),
    ("requires steady and", "expected a condition, found the end of the line"),
    ("requires steady pain", "expected `and`, `or` or the end of the line, found `pain`"),
    ("requires (steady", "expected `and`, `or` or `)`, found the end of the line"),
    ("step Stand", "expected a string, found `Stand`"),
    ("step 'Stand'", "expected a string, found `'`"),
    ("load 5 kg dumbbell", "expected `on` or `requires`, found the end of the line"),
    ("uses", "expected an equipment name, found the end of the line"),
    ("rest 30 s", "expected `between sets` or `between sides`, found the end of the line"),
    ("rest 30 s between reps", "expected `sets` or `sides`, found `reps`"),
    ("sides each starting", "expected `left`, `right`, `affected` or `unaffected`, found the "
                            "end of the line"),
    ("kind", "expected an exercise kind, found the end of the line"),
    ("increase weight by 1 kg every week up to 5 kg",
     "expected `distance`, `duration`, `hold`, `load`, `reps` or `sets`, found `weight`"),
    ("increase reps by 1 every", "expected `session` or `week`, found the end of the line"),
    ("error \"Knee in\"", "expected `fix`, found the end of the line"),
    ("reps 10 \x00", "expected `to`, a unit, `-`, `,` or the end of the line, found the character "
                     "U+0000"),
    ("reps 10 \u00a0", "expected `to`, a unit, `-`, `,` or the end of the line, found the character "
                        "U+00A0 (no-break space)"),
])
def test_p100_says_what_was_found_and_expected(line: str, message: str) -> None:
    d = one(f"protocol demo\n  exercise squat\n    level 1\n      {line}\n")
    assert (d.code, d.severity, d.span.line, d.message) == ("P100", "error", 4, message)


@pytest.mark.parametrize("line, message, help", [
    ("schedule dayly", "expected `daily`, found `dayly`", "did you mean `daily`?"),
    ("schedule 3 time weekly", "expected `times`, found `time`", "did you mean `times`?"),
    ("schedule 3 times weakly", "expected `daily` or `weekly`, found `weakly`",
     "did you mean `weekly`?"),
    ("schedule every 2 dys", "expected `days`, found `dys`", "did you mean `days`?"),
    ("schedule daily for 3 wks", "expected `weeks` or `week`, found `wks`",
     "use `weeks` or `week`"),
    ("schedule 1.5 times weekly",
     "expected a whole number for the number of times, found `1.5`", None),
    ('condition c stabilty "x"', "expected a condition kind: `stability`, `strength`, "
     "`mobility`, `symptom`, `skill`, `form`, `response` or `clearance`, found `stabilty`", "did you mean `stability`?"),
])
def test_p100_for_contextual_words_in_the_protocol(line: str, message: str,
                                                   help: str | None) -> None:
    d = one(f"protocol demo\n  {line}\n  exercise squat\n    reps 3\n")
    assert (d.code, d.span.line, d.message, d.help) == ("P100", 2, message, help)


@pytest.mark.parametrize("line, message, help, column", [
    ("kind warmpu", "expected an exercise kind: `warmup`, `foam_roll`, `mobility`, "
     "`static_stretch`, `dynamic_stretch`, `strength`, `release`, `breathing`, `balance` or `aerobic`, found "
     "`warmpu`", "did you mean `warmup`?", 10),
    ("sides eech", "expected a side: `left`, `right`, `both`, `each`, `alternating`, `affected` or "
     "`unaffected`, found "
     "`eech`", "did you mean `each`?", 11),
    ("intensity hard", "expected an intensity: `light`, `moderate` or `vigorous`, found `hard`",
     "use `light`, `moderate` or `vigorous`", 15),
    ("rest 30 s betwen sets", "expected `between`, found `betwen`", "did you mean `between`?",
     15),
    ("increase reps by 1 every sesion up to 9",
     "expected `week` or `session`, found `sesion`", "did you mean `session`?", 30),
    ("level 1.5", "expected a whole number for the level, found `1.5`", None, 11),
])
def test_p100_for_contextual_words_in_an_exercise(line: str, message: str, help: str | None,
                                                  column: int) -> None:
    d = one(f"protocol demo\n  exercise squat\n    {line}\n      reps 3\n"
            if line.startswith("level") else f"protocol demo\n  exercise squat\n    {line}\n")
    assert (d.code, d.span.line, d.span.column, d.message, d.help) == (
        "P100", 3, column, message, help)


def test_p100_for_capitalised_names_explains_names() -> None:
    d = one("protocol demo\n  exercise Squat\n    reps 3\n")
    assert (d.code, d.span, d.message) == ("P100", n.Span(2, 12, 2, 17),
                                           "expected a name, found `Squat`")
    assert "lowercase" in d.help


def test_p100_for_curly_quotes_suggests_straight_ones() -> None:
    d = one("protocol demo\n  exercise squat\n    step \u201cStand\u201d\n")
    assert d.message == "expected a string, found `\u201c`"
    assert d.help == 'write text between straight double quotes: "..."'


def test_p100_for_a_reserved_keyword_used_as_a_name() -> None:
    d = one('protocol demo\n  condition level stability "x"\n')
    assert (d.code, d.span.line, d.span.column, d.message, d.help) == (
        "P100", 2, 13, "`level` is a reserved word and cannot be a name",
        "choose another name, such as `level_1` or `my_level`")
    d = one('protocol demo\n  equipment step "A step"\n')
    assert (d.span.column, d.message) == (13, "`step` is a reserved word and cannot be a name")


def test_p100_for_a_line_of_garbage_at_column_one_keeps_the_block() -> None:
    text = "protocol demo\n  exercise squat\n    reps 10\n!!\n    sets 2\n    sets 3\n"
    assert pairs(text) == [("P100", 4), ("P206", 6)]


# --- P101 ----------------------------------------------------------------------------------


def test_p101_tab_on_every_line_that_has_one() -> None:
    text = "protocol demo\n  exercise squat\n\treps 10\n\tsets 2\n    hold 3 s\n"
    ds = diags(text)
    assert [(d.code, d.span, d.message) for d in ds] == [
        ("P101", n.Span(3, 1, 3, 2), "tab in indentation"),
        ("P101", n.Span(4, 1, 4, 2), "tab in indentation"),
    ]


def test_p101_tab_lines_are_read_into_the_obvious_block() -> None:
    text = "protocol demo\n  exercise squat\n\treps 10\n    reps 12\n"
    assert pairs(text) == [("P101", 3), ("P206", 4)]
    text = "protocol demo\n\texercise a\n\t\treps 3\n\texercise b\n\t\treps 4\n\t\treps 5\n"
    a = analyze_text(text)
    assert [(d.code, d.span.line) for d in a.diagnostics] == [
        ("P101", 2), ("P101", 3), ("P101", 4), ("P101", 5), ("P101", 6)]
    assert [ex.name for ex in a.protocol.exercises] == ["a", "b"]


def test_p101_dedent_to_no_open_block() -> None:
    text = "protocol demo\n  exercise squat\n    reps 10\n   sets 2\n    sets 3\n"
    ds = diags(text)
    assert [(d.code, d.span, d.message) for d in ds] == [
        ("P101", n.Span(4, 1, 4, 4), "dedent does not match any outer indentation level"),
        ("P206", n.Span(5, 5, 5, 11), "`sets` appears twice in exercise `squat`"),
    ]


def test_p101_misaligned_header_closes_the_block() -> None:
    text = ("protocol demo\n  exercise squat\n    level 1\n      reps 3\n     level 2\n"
            "      reps 4\n")
    a = analyze_text(text)
    assert [(d.code, d.span.line) for d in a.diagnostics] == [("P101", 5)]
    assert [lv.number for lv in a.protocol.exercises[0].levels] == [1, 2]


def test_p101_unexpected_indentation() -> None:
    text = "protocol demo\n  exercise squat\n    reps 10\n      sets 2\n      sets 3\n"
    ds = diags(text)
    assert [(d.code, d.span.line, d.message) for d in ds] == [
        ("P101", 4, "unexpected indentation"), ("P206", 5, ds[1].message)]
    assert ds[1].code == "P206"


def test_p101_indented_first_line() -> None:
    d = one("  protocol demo\n    exercise squat\n      reps 3\n")
    assert (d.code, d.span.line, d.message) == (
        "P101", 1, "unexpected indentation before the first statement")


def test_p101_too_deep_indentation_never_recurses() -> None:
    lines = ["protocol demo", "  exercise a"]
    lines += ["  " * (i + 2) + f"level {i + 1}" for i in range(500)]
    a = analyze_text("\n".join(lines))
    assert any(d.code == "P101" and d.message == "indented too deeply" for d in a.diagnostics)
    assert a.has_errors
    assert MAX_BLOCKS >= 4


# --- P102 ----------------------------------------------------------------------------------


def test_p102_single_quote_string() -> None:
    text = 'protocol demo\n  source "Physio handbook\n  exercise squat\n    reps 3\n    reps 4\n'
    ds = diags(text)
    assert [(d.code, d.span, d.message) for d in ds] == [
        ("P102", n.Span(2, 10, 2, 26), "unterminated string"), ("P206", n.Span(5, 5, 5, 11),
                                                                ds[1].message)]
    assert ds[0].help.startswith('close it with `"` on the same line')


def test_p102_triple_quote_string() -> None:
    d = one('protocol demo\n  purpose """Why\n  and more\n  exercise squat\n    reps 3\n')
    assert (d.code, d.span, d.help) == ("P102", n.Span(2, 11, 2, 17), 'close it with `"""`')


def test_p102_escaped_quote_at_the_end() -> None:
    d = one('protocol demo\n  note "ends with \\"\n')
    assert (d.code, d.span.line) == ("P102", 2)


# --- P103 ----------------------------------------------------------------------------------


def test_p103_invalid_bytes_position_and_rest_still_checked() -> None:
    data = (b'protocol demo\n  exercise squat\n    note "caf\xe9"\n    hodl 3 s\n'
            b'    note "\xff\xfe"\n')
    a = analyze_bytes(data, "demo.protocol")
    assert [(d.code, d.span.line, d.span.column) for d in a.diagnostics] == [
        ("P103", 3, 14), ("P104", 4, 5), ("P103", 5, 11)]
    assert a.diagnostics[0].message == "the file is not UTF-8 text: invalid byte 0xE9"


def test_p103_for_a_binary_file_never_raises() -> None:
    a = analyze_bytes(bytes(range(256)) * 4, "x.protocol")
    assert a.has_errors and "P103" in {d.code for d in a.diagnostics}


def test_utf16_file_is_p103() -> None:
    a = analyze_bytes("protocol demo\n".encode("utf-16"), "demo.protocol")
    assert a.diagnostics[0].code == "P103"


# --- P104 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("word, guess", [
    ("hodl", "hold"), ("rep", "reps"), ("Reps", "reps"), ("stpe", "step"),
    ("condtion", "condition"), ("equipement", "equipment"), ("sids", "sides"),
    ("modifcation", "modification"), ("advanse", "advance"),
])
def test_p104_names_the_closest_keyword(word: str, guess: str) -> None:
    d = one(f"protocol demo\n  exercise squat\n    reps 3\n    {word} 3\n")
    assert (d.code, d.span, d.message, d.help) == (
        "P104", n.Span(4, 5, 4, 5 + len(word)), f"unknown keyword `{word}`",
        f"did you mean `{guess}`?")


def test_p104_without_a_close_keyword() -> None:
    d = one("protocol demo\n  exercise squat\n    reps 3\n    xyzzy 3\n")
    assert d.code == "P104"
    assert d.help == ('the language has no such statement: write it as text for the patient, '
                      '`cue "..."` or `note "..."`, or use the closest statement')


def test_p104_misspelt_protocol_header() -> None:
    d = one("protocl demo\n  exercise squat\n    reps 3\n")
    assert (d.code, d.span.line, d.help) == ("P104", 1, "did you mean `protocol`?")


# --- P105 ----------------------------------------------------------------------------------


def test_p105_statement_in_the_wrong_block() -> None:
    text = ('protocol demo\n  hold 30 s\n  exercise squat\n    level 1\n'
            '      schedule daily\n      kind strength\n      reps 3\n    reps 4\n')
    ds = diags(text)
    assert [(d.code, d.span) for d in ds] == [
        ("P105", n.Span(2, 3, 2, 12)), ("P105", n.Span(5, 7, 5, 21)),
        ("P105", n.Span(6, 7, 6, 20)), ("P105", n.Span(8, 5, 8, 11))]
    assert ds[0].message == "`hold` is not allowed in the protocol block"
    assert ds[1].message == "`schedule` is not allowed in level 1 of `squat`"
    assert ds[3].message == "`reps` is not allowed in an exercise that has `level` blocks"


def test_p105_misplaced_definitions_are_still_used() -> None:
    text = ('protocol demo\n  schedule daily\n  exercise squat\n'
            '    condition steady stability "x"\n    requires steady\n    reps 3\n')
    a = analyze_text(text)
    assert [(d.code, d.span.line) for d in a.diagnostics] == [("P105", 4)]
    assert [c.name for c in n.every(a.protocol.body, n.Condition)] == ["steady"]


def test_p105_statement_after_the_protocol_block() -> None:
    assert pairs(CLEAN + 'note "x"\n') == [("P105", 14)]


# --- P106 ----------------------------------------------------------------------------------


def test_p106_huge_file_is_refused_without_parsing() -> None:
    a = analyze_bytes(b"protocol demo\n" + b"#" * MAX_BYTES)
    (d,) = a.diagnostics
    assert (d.code, d.severity, d.span) == ("P106", "error", n.Span(1, 1, 1, 2))
    assert d.message == "the file is too large to check (8.0 MiB)"
    assert d.help == "split it: one protocol file may hold at most 8 MiB"
    d = analyze_bytes(b"#" * (9 * 1024 * 1024)).diagnostics[0]
    assert d.message == "the file is too large to check (9.0 MiB)"
    assert analyze_text("x" * (MAX_BYTES + 1)).diagnostics[0].code == "P106"


def test_many_lines_are_checked() -> None:
    line = b"  note \"" + b"x" * 60 + b"\"\n"
    body = line * (1024 * 1024 // len(line))
    a = analyze_bytes(b"protocol demo\n" + body + b"  hodl\n")
    assert [(d.code, d.span.line) for d in a.diagnostics if d.code.startswith("P1")] == [
        ("P104", body.count(b"\n") + 2)]


def test_one_huge_line_is_checked() -> None:
    a = analyze_bytes(b"protocol demo\n  note \"" + b"x" * (MAX_BYTES - 100) + b"\" x\n")
    assert len(a.text) > 8_000_000
    assert [(d.code, d.span.line) for d in a.diagnostics] == [("P100", 2)]


# --- nesting, odd characters, empty files --------------------------------------------------


def test_deep_parentheses_and_not_never_recurse() -> None:
    for opener, closer in (("(", ")"), ("not ", "")):
        ok = "protocol demo\n  stop if " + opener * MAX_NESTING + "a" + closer * MAX_NESTING
        assert [d.code for d in diags(ok) if d.code.startswith("P1")] == []
        deep = 5000
        text = "protocol demo\n  stop if " + opener * deep + "a" + closer * deep + "\n"
        d = one(text)
        assert (d.code, d.span.line) == ("P100", 2)
        assert d.message == f"expression nested more than {MAX_NESTING} levels deep"


def test_long_flat_chains_are_fine() -> None:
    names = [f"c{i}" for i in range(3000)]
    text = "protocol demo\n  stop if " + " and ".join(names) + "\n  note \"x\"\n  hodl\n"
    assert [(d.code, d.span.line) for d in diags(text) if d.code.startswith("P1")] == [
        ("P104", 4)]


def _or_chain(terms: int) -> str:
    return " or ".join(["steady"] * terms)


def test_a_statement_at_the_token_limit_is_read() -> None:
    # `stop if not` and 4,999 terms joined by 4,998 `or`: exactly the limit
    terms = 4999
    assert 3 + terms + terms - 1 == MAX_STATEMENT_TOKENS
    text = with_line(5, "  stop if not " + _or_chain(terms))
    assert [d.code for d in diags(text) if d.code.startswith("P1")] == []
    longer = with_line(5, "  stop if not " + _or_chain(terms + 1))
    assert [d.code for d in diags(longer) if d.code.startswith("P1")] == ["P100"]


def test_a_statement_over_the_token_limit_is_one_p100_at_its_keyword() -> None:
    text = with_line(5, "  stop if " + _or_chain(MAX_STATEMENT_TOKENS) + "  # why")
    d = one(text)
    assert (d.code, d.severity, d.span) == ("P100", "error", n.Span(5, 3, 5, 7))
    assert d.message == (f"statement too long: more than {MAX_STATEMENT_TOKENS} words, numbers "
                         "and symbols")
    assert d.help == ("write it shorter: no statement needs this many terms (for example, "
                      "`stop if a or b` can be two `stop if` lines)")
    # the rest of the file is still read, with its line numbers; the line's comment is kept
    assert pairs(text + "    hodl\n") == [("P100", 5), ("P104", 14)]
    assert [(c.line, c.text, c.trailing) for c in parse(text).comments] == [(5, "# why", True)]


def test_a_skipped_line_keeps_its_long_string_and_what_follows() -> None:
    long_line = "  stop if " + _or_chain(MAX_STATEMENT_TOKENS) + ' """a\n# b""" or "c" steady'
    text = with_line(5, long_line) + "    hodl\n"
    assert pairs(text) == [("P100", 5), ("P104", 15)]
    assert parse(text).comments == ()  # `# b` is inside the string


def test_a_megabyte_line_costs_only_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # a 7 MB `stop if a or a or ...` line: refused after 10,000 tokens, the rest never tokenized
    text = with_line(5, "  stop if " + _or_chain(700_000))
    assert len(text) > 7_000_000
    made = []
    real = lexer_module.lex

    def counted(*args: Any) -> Iterator[Any]:
        for tok in real(*args):
            made.append(1)
            yield tok

    monkeypatch.setattr(lexer_module, "lex", counted)
    assert pairs(text) == [("P100", 5)]
    # the file's other 12 lines hold 45 tokens and line breaks
    assert MAX_STATEMENT_TOKENS < len(made) < MAX_STATEMENT_TOKENS + 60


def test_nul_bytes() -> None:
    assert pairs("protocol demo\n  exercise squat\n    reps 10\x00\n    reps 3\n") == [
        ("P100", 3)]
    assert pairs("\x00") == [("P100", 1)]


def test_lone_carriage_return_is_not_a_line_ending() -> None:
    d = one("protocol demo\n  exercise squat\n    reps 10\r    sets 2\n")
    assert (d.code, d.span.line, d.message) == (
        "P100", 3, "expected `to`, a unit, `-`, `,` or the end of the line, "
                   "found a carriage return without a line feed")


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# only\n# comments", "\ufeff"])
def test_empty_or_comment_only_file_is_p207(text: str) -> None:
    d = one(text)
    assert (d.code, d.span.line, d.message) == (
        "P207", 1, "the file does not start with a `protocol` header")


# --- P206 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("first, second", [
    ("reps 10", "reps 12"), ("hold 3 s", "hold 4 s"), ("sets 2", "sets 3"),
    ("sides each", "sides left"), ("rest 30 s between sets", "rest 20 s between sets"),
    ("intensity light", "intensity moderate"), ("total 20", "total 20"),
    ("requires steady", "requires pain"), ("breaths 5", "breaths 6"),
    ("duration 1 min", "duration 2 min"),
])
def test_p206_twice_in_a_level(first: str, second: str) -> None:
    text = f"protocol demo\n  exercise squat\n    level 1\n      {first}\n      {second}\n"
    ds = [d for d in diags(text) if d.code == "P206"]
    assert [(d.span, d.help) for d in ds] == [
        (n.Span(5, 7, 5, 7 + len(second)), "the first one is on line 4; keep one of them")]


def test_rest_between_sets_and_sides_are_different_statements() -> None:
    text = ("protocol demo\n  exercise squat\n    level 1\n      rest 30 s between sets\n"
            "      rest 30 s between sides\n")
    assert [d for d in diags(text) if d.code == "P206"] == []


@pytest.mark.parametrize("first, second", [
    ('source "a"', 'source "b"'), ("schedule daily", "schedule 3 times weekly"),
    ("session limit 20 min", "session limit 30 min"), ('author "a"', 'author "b"'),
    ('version "1"', 'version "2"'), ('purpose "a"', 'purpose """b"""'),
])
def test_p206_twice_in_the_protocol(first: str, second: str) -> None:
    text = f"protocol demo\n  {first}\n  {second}\n  exercise squat\n    reps 3\n"
    d = one(text) if "schedule" in first else [x for x in diags(text) if x.code == "P206"][0]
    assert (d.code, d.span.line, d.message) == (
        "P206", 3, f"`{first.split()[0] if 'session' not in first else 'session limit'}` "
                   "appears twice in the protocol block")


def test_p206_kind_twice_in_an_exercise() -> None:
    text = "protocol demo\n  exercise squat\n    kind strength\n    kind warmup\n    reps 3\n"
    ds = [d for d in diags(text) if d.code == "P206"]
    assert [(d.span.line, d.message) for d in ds] == [
        (4, "`kind` appears twice in exercise `squat`")]


# --- P207 ----------------------------------------------------------------------------------


def test_p207_missing_header() -> None:
    text = "# a comment\n\nexercise squat\n  reps 3\n"
    d = one(text)
    assert (d.code, d.span, d.help) == ("P207", n.Span(3, 1, 3, 15),
                                        'start the file with `protocol NAME "Title"`')


def test_p207_second_header() -> None:
    text = CLEAN + 'protocol other\n  source "x"\n'
    ds = diags(text)
    assert [(d.code, d.span.line, d.message) for d in ds] == [
        ("P207", 14, "a second `protocol` header")]
    assert ds[0].help == "one file holds one protocol; `demo` starts on line 1"


def test_p207_second_header_nested() -> None:
    text = with_line(13, "      reps 12\n  protocol other")
    assert pairs(text) == [("P207", 14)]


# --- P208 ----------------------------------------------------------------------------------


def test_p208_file_name_differs() -> None:
    d = one(CLEAN, "/some/where/squats.protocol")
    assert (d.code, d.severity, d.span) == ("P208", "warning", n.Span(1, 10, 1, 14))
    assert d.message == "the file is named `squats` but the protocol is `demo`"
    assert diags(CLEAN, "/some/where/demo.protocol") == ()
    assert diags(CLEAN, None) == ()


def test_p208_can_be_allowed() -> None:
    text = with_line(2, '  schedule 3 times weekly for 4 weeks\n  allow P208 "shared name"')
    assert diags(text, "other.protocol") == ()


# --- P209 ----------------------------------------------------------------------------------


def test_p209_error_code_and_unknown_code() -> None:
    text = with_line(2, '  schedule 3 times weekly for 4 weeks\n  allow P201 "later"\n'
                        '  allow P999 "typo"\n  allow P205 "fine"')
    ds = diags(text)
    assert [(d.code, d.span) for d in ds] == [
        ("P209", n.Span(3, 9, 3, 13)), ("P209", n.Span(4, 9, 4, 13)),
        ("P210", n.Span(5, 3, 5, 20))]  # version 2: the P205 allow silences nothing
    assert ds[0].message == "`allow` cannot silence `P201`: it is an error"
    assert ds[1].message == "`allow` names `P999`, a code that does not exist"


def test_allow_with_a_malformed_code_is_p100() -> None:
    d = one(with_line(2, '  schedule 3 times weekly for 4 weeks\n  allow 205 "x"'))
    assert (d.code, d.span.line, d.message) == (
        "P100", 3, "expected a rule code such as `P205`, found `205`")


# --- cascades ------------------------------------------------------------------------------


def test_broken_definition_does_not_cascade_into_undefined_references() -> None:
    text = with_line(3, '  condition steady stabilty "Keeps the knee over the foot"')
    assert pairs(text) == [("P100", 3)]
    text = with_line(4, '  condition pain symptom Sharp pain')
    assert pairs(text) == [("P100", 4)]


def test_broken_dosage_does_not_cascade_into_missing_dosage() -> None:
    assert pairs(with_line(9, "      reps ten")) == [("P100", 9)]
    assert pairs(with_line(9, "      reps (10)")) == [("P100", 9)]


def test_broken_stop_rule_does_not_cascade_into_an_unguarded_load() -> None:
    text = with_line(5, "  stop if pain or") + "      load 5 kg requires steady\n"
    assert pairs(text) == [("P100", 5)]


def test_body_of_an_unreadable_header_is_not_reported_as_misplaced() -> None:
    text = ("protocol demo\n  exercise squat\n    lvl 1\n      reps 10\n      kind warmup\n"
            "    level 2\n      reps 3\n      reps 4\n")
    assert pairs(text) == [("P104", 3), ("P206", 8)]


def _gate(expr: str) -> list[tuple[str, int]]:
    text = ("protocol p\n  schedule daily\n  condition a stability \"a\"\n"
            f"  exercise e\n    reps 5\n    requires {expr}\n")
    return [(d.code, d.span.line) for d in analyze_text(text).diagnostics
            if d.code.startswith("P1")]


def test_nesting_limit_counts_depth_not_parentheses() -> None:
    many_groups = " and ".join(["(a or a)"] * 100)
    assert _gate(many_groups) == []
    many_nots = " and ".join(["not a"] * 100)
    assert _gate(many_nots) == []
    assert _gate("(" * 64 + "a" + ")" * 64) == []
    assert _gate("(" * 65 + "a" + ")" * 65) == [("P100", 6)]
    assert _gate("not " * 65 + "a") == [("P100", 6)]
    assert _gate("not (" * 33 + "a" + ")" * 33) == [("P100", 6)]


def test_the_driver_s_own_table_parses_as_lark_s_feed_token(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    text = ("protocol demo\n  schedule 3 times weekly\n  exercise squat\n    reps 10 kg kg\n"
            "    levle 2\n      reps 5\n    stop if (a and not (b or c))\n")
    ours = parse(text)
    monkeypatch.setattr(parser_module, "_table", lambda state: None)  # Lark's feed_token
    theirs = parse(text)
    assert ours.diagnostics == theirs.diagnostics and len(ours.diagnostics) == 2
    assert ours.tree == theirs.tree
    # A table with callbacks on terminals is left to Lark.
    conf = SimpleNamespace(states={0: {}}, callbacks={"NAME": str})
    assert parser_module._table(SimpleNamespace(parse_conf=conf)) is None
