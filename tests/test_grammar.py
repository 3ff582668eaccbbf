"""The grammar and the AST: every statement form of LANGUAGE.md section 4, lexical rules of
section 3, exact values and spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from protodsl import nodes as n
from protodsl.analysis import analyze_bytes, analyze_text
from protodsl.parser import get_parser, parse
from protodsl.parsergen import build_parser
from protodsl.transformer import Builder


def module(text: str) -> n.Module:
    """Parse ``text``, which must have no syntax error, into its module."""
    result = parse(text)
    assert result.diagnostics == ()
    builder = Builder(text)
    mod = builder.module(result.tree)
    assert builder.diags == []
    return mod


def level_stmt(line: str) -> n.Statement:
    """The one statement ``line`` written in level 1 (it starts at line 4, column 7)."""
    mod = module(f"protocol p\n  exercise e\n    level 1\n      {line}\n")
    (proto,) = mod.body
    (ex,) = proto.body
    (lv,) = ex.body
    (st,) = lv.body
    return st


def proto_stmt(line: str) -> n.Statement:
    """The one statement ``line`` written in the protocol block (line 2, column 3)."""
    (proto,) = module(f"protocol p\n  {line}\n").body
    (st,) = proto.body
    return st


def codes(text: str) -> list[tuple[str, int]]:
    return [(d.code, d.span.line) for d in analyze_text(text).diagnostics]


def S(line: int, col: int, end_line: int, end_col: int) -> n.Span:
    return n.Span(line, col, end_line, end_col)


def at(stmt: str, word: str, start: int = 0) -> n.Span:
    """The span of ``word`` (found from index ``start``) in a ``level_stmt`` statement."""
    i = stmt.index(word, start)
    return S(4, 7 + i, 4, 7 + i + len(word))


# --- the parser itself ----------------------------------------------------------------------


def test_grammar_builds_strict_lalr_without_conflicts_or_collisions() -> None:
    parser = build_parser(strict=True)
    assert parser.options.parser == "lalr"


def test_parser_is_built_once_per_process() -> None:
    assert get_parser() is get_parser()


def _shape(node):  # type: ignore[no-untyped-def]
    """A parse tree as plain tuples, comparable across Lark and the generated parser."""
    if hasattr(node, "data"):
        return (str(node.data), tuple(_shape(c) for c in node.children))
    return (node.type, str(node), node.line, node.column)


def test_generated_parser_is_up_to_date_with_the_grammar() -> None:
    from protodsl import _lark_parser, parsergen

    assert _lark_parser.GRAMMAR_SHA256 == parsergen.grammar_sha256(), (
        "grammar/protodsl.lark changed: run `python -m protodsl.parsergen`")


CONFORMANCE = sorted((Path(__file__).parent / "conformance").glob("*/*.protocol"))


def test_generated_parser_agrees_with_lark_on_every_conformance_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import lark

    from protodsl import _lark_parser, parser
    from protodsl.parser import _Driver
    from protodsl.source import decode

    # The driver names the generated module's classes; let it recognise Lark's too.
    monkeypatch.setattr(parser, "UnexpectedInput",
                        (_lark_parser.UnexpectedInput, lark.exceptions.UnexpectedInput))
    monkeypatch.setattr(parser, "Tree", (_lark_parser.Tree, lark.Tree))

    built = build_parser()
    assert len(CONFORMANCE) > 100
    for path in CONFORMANCE:
        text = decode(path.read_bytes()).text
        ours = _Driver(get_parser(), text).run()
        theirs = _Driver(built, text).run()
        assert ours.diagnostics == theirs.diagnostics, path.name
        assert (ours.tree is None) == (theirs.tree is None), path.name
        if ours.tree is not None:
            assert _shape(ours.tree) == _shape(theirs.tree), path.name


def test_check_imports_neither_lark_nor_attrs(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    import protodsl

    source = Path(__file__).parent / "conformance" / "valid" / "heel_raises.protocol"
    code = ("import sys\nfrom protodsl.cli import main\n"
            f"rc = main(['check', {str(source)!r}])\n"
            "print(rc, sorted(m for m in sys.modules if m.split('.')[0] in ('lark', 'attr', 'attrs')))")
    env = dict(os.environ, PYTHONPATH=str(Path(protodsl.__file__).parent.parent))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "0 []"


# --- headers -------------------------------------------------------------------------------


def test_headers_with_and_without_titles() -> None:
    mod = module('protocol p\n  exercise e "Squat"\n    level 2 "Two" extends level 1\n'
                 '      reps 3\n    level 1\n      reps 2\n')
    (proto,) = mod.body
    assert (proto.name, proto.title, proto.span, proto.name_span) == (
        "p", None, S(1, 1, 1, 11), S(1, 10, 1, 11))
    (ex,) = proto.body
    assert (ex.name, ex.title, ex.span, ex.name_span) == ("e", "Squat", S(2, 3, 2, 21),
                                                          S(2, 12, 2, 13))
    lv2, lv1 = ex.body
    assert (lv2.number, lv2.title, lv2.extends) == (2, "Two", 1)
    assert lv2.span == S(3, 5, 3, 34)
    assert lv2.number_span == S(3, 11, 3, 12)
    assert lv2.extends_span == S(3, 19, 3, 34)
    assert (lv1.number, lv1.title, lv1.extends, lv1.extends_span) == (1, None, None, None)


def test_single_level_exercise_gets_implicit_level_one() -> None:
    a = analyze_text("protocol p\n  exercise e\n    kind warmup\n    reps 10\n")
    (ex,) = a.protocol.exercises
    (lv,) = ex.levels
    assert lv.implicit and lv.number == 1 and lv.span == ex.span
    assert [type(s) for s in ex.body] == [n.Kind]
    assert [type(s) for s in lv.body] == [n.Reps]


# --- text statements -----------------------------------------------------------------------


@pytest.mark.parametrize("keyword, cls", [
    ("source", n.Source), ("purpose", n.Purpose), ("author", n.Author),
    ("version", n.Version), ("note", n.Note),
])
def test_protocol_text_statements(keyword: str, cls: type) -> None:
    st = proto_stmt(f'{keyword} "Some text"')
    assert type(st) is cls
    assert st.text == "Some text"
    assert st.span == S(2, 3, 2, 3 + len(keyword) + 12)


@pytest.mark.parametrize("keyword, cls", [("step", n.Step), ("cue", n.Cue), ("note", n.Note)])
def test_level_text_statements(keyword: str, cls: type) -> None:
    st = level_stmt(f'{keyword} "Do it"')
    assert type(st) is cls and st.text == "Do it"
    assert st.span == S(4, 7, 4, 7 + len(keyword) + 8)


def test_escapes_in_strings() -> None:
    assert level_stmt(r'step "say \"hi\" to C:\\temp"').text == r'say "hi" to C:\temp'
    # Any other backslash is kept as written.
    assert level_stmt(r'step "a\nb\t"').text == "a\\nb\\t"
    assert level_stmt('step ""').text == ""
    assert level_stmt('step "# not a comment"').text == "# not a comment"
    assert level_stmt('step "café ✓"').text == "café ✓"


def test_long_string_dedent_rules() -> None:
    text = ('protocol p\n  purpose """\n    First line.\n      Indented more.\n\n'
            '    Last line.\n  """\n')
    (proto,) = module(text).body
    (st,) = proto.body
    assert st.text == "First line.\n  Indented more.\n\nLast line."
    assert st.span == S(2, 3, 7, 6)


def test_long_string_on_one_line_and_with_quotes_inside() -> None:
    assert proto_stmt('purpose """Short."""').text == "Short."
    assert proto_stmt('purpose """She said "stop" \\""" twice"""').text == \
        'She said "stop" """ twice'
    # The first line is kept when it has text; only a blank first/last line is dropped.
    assert proto_stmt('purpose """Begin\n    go on\n  """').text == "Begin\n    go on"


def test_long_string_with_crlf_is_dedented_to_lf() -> None:
    text = 'protocol p\r\n  purpose """\r\n    A\r\n      B\r\n  """\r\n'
    (proto,) = module(text).body
    assert proto.body[0].text == "A\n  B"


# --- protocol statements -------------------------------------------------------------------


@pytest.mark.parametrize("line, form, low, high, per, word, weeks", [
    ("schedule daily", "daily", None, None, None, None, None),
    ("schedule daily for 6 weeks", "daily", None, None, None, None, 6),
    ("schedule daily for 1 week", "daily", None, None, None, None, 1),
    ("schedule 2 times daily", "times", 2, 2, "daily", None, None),
    ("schedule 3 times weekly for 6 weeks", "times", 3, 3, "weekly", None, 6),
    ("schedule every 3 days", "every", 3, 3, None, None, None),
    ("schedule every 2 days for 4 weeks", "every", 2, 2, None, None, 4),
    ("schedule every 1 day", "every", 1, 1, None, None, None),
    # version 2: ranges, words and `as needed`
    ("schedule 6-8 times daily", "times", 6, 8, "daily", None, None),
    ("schedule 2 to 3 times weekly for 10 weeks", "times", 2, 3, "weekly", None, 10),
    ("schedule every 2-3 days", "every", 2, 3, None, None, None),
    ("schedule twice daily", "times", 2, 2, "daily", "twice", None),
    ("schedule once weekly for 1 week", "times", 1, 1, "weekly", "once", 1),
    ("schedule as needed", "as_needed", None, None, None, None, None),
    ("schedule as needed for 4 weeks", "as_needed", None, None, None, None, 4),
])
def test_schedule_forms(line: str, form: str, low: int | None, high: int | None,
                        per: str | None, word: str | None, weeks: int | None) -> None:
    st = proto_stmt(line)
    assert isinstance(st, n.Schedule)
    r = st.rate
    assert (r.form, r.low, r.high, r.per, r.word, st.weeks) == (form, low, high, per, word, weeks)
    assert st.span == S(2, 3, 2, 3 + len(line))
    assert r.span == S(2, 12, 2, 3 + len(line.split(" for ")[0]))


def test_schedule_spans_of_numbers() -> None:
    st = proto_stmt("schedule 3 times weekly for 12 weeks")
    assert st.rate.count_span == S(2, 12, 2, 13)
    assert st.weeks_span == S(2, 31, 2, 33)
    assert proto_stmt("schedule every 2-3 days").rate.count_span == S(2, 18, 2, 21)


def test_session_limit() -> None:
    st = proto_stmt("session limit 20 min")
    assert isinstance(st, n.SessionLimit)
    q = st.amount
    assert (q.low, q.high, q.unit, q.text, q.is_range) == (20, 20, "min", "20 min", False)
    assert q.span == S(2, 17, 2, 23) and q.unit_span == S(2, 20, 2, 23)


def test_condition_equipment_allow() -> None:
    c = proto_stmt('condition ankle_steady stability "Keeps the ankle steady"')
    assert (c.name, c.kind, c.text) == ("ankle_steady", "stability", "Keeps the ankle steady")
    assert c.name_span == S(2, 13, 2, 25) and c.kind_span == S(2, 26, 2, 35)
    e = proto_stmt('equipment wall "A wall"')
    assert (e.name, e.text, e.name_span) == ("wall", "A wall", S(2, 13, 2, 17))
    a = proto_stmt('allow P205 "kept for later"')
    assert (a.code, a.reason, a.code_span) == ("P205", "kept for later", S(2, 9, 2, 13))


@pytest.mark.parametrize("kind", ["stability", "strength", "mobility", "symptom", "skill"])
def test_every_condition_kind(kind: str) -> None:
    assert proto_stmt(f'condition c {kind} "x"').kind == kind


# --- exercise statements -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["warmup", "foam_roll", "mobility", "static_stretch",
                                  "dynamic_stretch", "strength", "release", "breathing"])
def test_every_exercise_kind(kind: str) -> None:
    st = level_stmt(f"kind {kind}")
    assert isinstance(st, n.Kind) and st.value == kind
    assert st.value_span == S(4, 12, 4, 12 + len(kind))


def test_uses_one_and_several() -> None:
    st = level_stmt("uses wall")
    assert [(r.name, r.span) for r in st.names] == [("wall", S(4, 12, 4, 16))]
    st = level_stmt("uses wall, band ,mat")
    assert [r.name for r in st.names] == ["wall", "band", "mat"]
    assert st.names[2].span == S(4, 24, 4, 27)


# --- dosage --------------------------------------------------------------------------------


@pytest.mark.parametrize("keyword, cls", [
    ("hold", n.Hold), ("duration", n.Duration), ("reps", n.Reps), ("sets", n.Sets),
    ("breaths", n.Breaths), ("total", n.Total),
])
def test_dose_statements(keyword: str, cls: type) -> None:
    st = level_stmt(f"{keyword} 12")
    assert type(st) is cls
    q = st.amount
    assert (q.low, q.high, q.unit, q.text, q.is_range) == (12, 12, None, "12", False)
    start = 7 + len(keyword) + 1
    assert q.span == S(4, start, 4, start + 2)
    assert st.span == S(4, 7, 4, start + 2)


@pytest.mark.parametrize("written, low, high, unit, is_range", [
    ("30s", 30, 30, "s", False),
    ("30 s", 30, 30, "s", False),
    ("1.5 min", 1.5, 1.5, "min", False),
    ("1.5min", 1.5, 1.5, "min", False),
    ("30-60 sec", 30, 60, "sec", True),
    ("30-60sec", 30, 60, "sec", True),
    ("30 - 60 seconds", 30, 60, "seconds", True),
    ("30 -60 secs", 30, 60, "secs", True),
    ("30 to 60 s", 30, 60, "s", True),
    ("5-10 lb", 5, 10, "lb", True),
    ("2 kg", 2, 2, "kg", False),
    ("2.5 kilograms", 2.5, 2.5, "kilograms", False),
    ("10-10", 10, 10, None, True),
    ("0.5", 0.5, 0.5, None, False),
])
def test_quantities_keep_numbers_and_units_as_written(written: str, low: float, high: float,
                                                      unit: str | None, is_range: bool) -> None:
    q = level_stmt(f"hold {written}").amount
    assert (q.low, q.high, q.unit, q.text, q.is_range) == (low, high, unit, written, is_range)
    assert type(q.low) is type(low) and type(q.high) is type(high)
    assert q.span == S(4, 12, 4, 12 + len(written))
    if unit is not None:
        assert q.unit_span == S(4, 12 + len(written) - len(unit), 4, 12 + len(written))


def test_negative_and_unknown_units_parse_for_the_checker() -> None:
    q = level_stmt("sets -2").amount
    assert (q.low, q.high) == (-2, -2)
    q = level_stmt("hold 30 parsecs").amount
    assert q.unit == "parsecs"
    q = level_stmt("hold 30 Sec").amount  # capitals: an unknown unit (P300), not a crash
    assert q.unit == "Sec"


def test_rest_between_sets_and_sides() -> None:
    st = level_stmt("rest 60 s between sets")
    assert isinstance(st, n.Rest) and st.between == "sets"
    assert (st.amount.low, st.amount.unit, st.amount.text) == (60, "s", "60 s")
    assert st.span == S(4, 7, 4, 29)
    st = level_stmt("rest 1-2min between sides")
    assert st.between == "sides" and (st.amount.low, st.amount.high) == (1, 2)
    st = level_stmt("rest 30 between sets")  # a bare number: P301 for the checker
    assert st.amount.unit is None and st.amount.text == "30"


@pytest.mark.parametrize("line, value, starting", [
    ("sides left", "left", None), ("sides right", "right", None), ("sides both", "both", None),
    ("sides each", "each", None), ("sides alternating", "alternating", None),
    ("sides each starting left", "each", "left"),
    ("sides alternating starting right", "alternating", "right"),
    ("sides both starting left", "both", "left"),  # P305 for the checker
])
def test_sides(line: str, value: str, starting: str | None) -> None:
    st = level_stmt(line)
    assert (st.value, st.starting) == (value, starting)
    assert st.value_span == S(4, 13, 4, 13 + len(value))
    if starting:
        assert st.starting_span == S(4, 14 + len(value), 4, 7 + len(line))


@pytest.mark.parametrize("word", ["light", "moderate", "vigorous"])
def test_intensity(word: str) -> None:
    st = level_stmt(f"intensity {word}")
    assert st.value == word and st.value_span == S(4, 17, 4, 17 + len(word))


# --- load ----------------------------------------------------------------------------------


def test_load_full_form() -> None:
    line = 'load 2-10 kg dumbbell on "the working hand" requires a and b'
    st = level_stmt(line)
    assert isinstance(st, n.Load)
    q = st.amount
    assert (q.low, q.high, q.unit, q.text) == (2, 10, "kg", "2-10 kg")
    assert q.span == at(line, "2-10 kg") and q.unit_span == at(line, "kg")
    assert st.equipment == n.NameRef("dumbbell", S(4, 20, 4, 28))
    assert st.placement == "the working hand"
    req = line.index("requires ") + 9
    assert st.requires == n.AllOf((n.Ref("a", at(line, "a", req)), n.Ref("b", at(line, "b", req))),
                                  at(line, "a and b"))
    assert st.span == S(4, 7, 4, 7 + len(line))


@pytest.mark.parametrize("line, unit, equipment", [
    ("load 5 kg requires a", "kg", None),
    ("load 5kg requires a", "kg", None),
    ("load 5 lbs requires a", "lbs", None),
    ("load 5 kgg requires a", "kgg", None),  # a misspelt unit stays a unit (P300)
    ("load 5 Kg requires a", "Kg", None),
    ("load 5 dumbbell requires a", None, "dumbbell"),  # no unit (P301), equipment kept
    ("load 5 kg band requires a", "kg", "band"),
    ("load 5 pounds kettlebell requires a", "pounds", "kettlebell"),
])
def test_load_unit_and_equipment(line: str, unit: str | None, equipment: str | None) -> None:
    st = level_stmt(line)
    assert st.amount.unit == unit
    assert (st.equipment.name if st.equipment else None) == equipment
    assert st.placement is None


def test_load_placement_without_equipment() -> None:
    st = level_stmt('load 3 lb on "left ankle" requires "no pain"')
    assert (st.amount.unit, st.equipment, st.placement) == ("lb", None, "left ankle")
    assert st.requires == n.Inline("no pain", S(4, 42, 4, 51))


# --- progression ---------------------------------------------------------------------------


def test_advance_and_regress() -> None:
    st = level_stmt("advance to level 2 when easy")
    assert isinstance(st, n.Advance)
    assert (st.to, st.to_span, st.when) == (2, S(4, 24, 4, 25), n.Ref("easy", S(4, 31, 4, 35)))
    st = level_stmt("regress to level 1 when not steady")
    assert isinstance(st, n.Regress) and st.to == 1
    assert st.when == n.Not(n.Ref("steady", S(4, 35, 4, 41)), S(4, 31, 4, 41))


@pytest.mark.parametrize("what", ["hold", "duration", "reps", "sets", "load"])
@pytest.mark.parametrize("every", ["week", "session"])
def test_increase_forms(what: str, every: str) -> None:
    line = f"increase {what} by 2 s every {every} up to 20 s"
    st = level_stmt(line)
    assert isinstance(st, n.Increase)
    assert (st.what, st.every) == (what, every)
    assert (st.by.low, st.by.unit, st.up_to.low, st.up_to.text) == (2, "s", 20, "20 s")
    assert st.what_span == S(4, 16, 4, 16 + len(what))
    assert st.every_span == at(line, every, line.index("every ") + 6)
    assert st.by.span == at(line, "2 s") and st.up_to.span == at(line, "20 s")
    assert st.span == S(4, 7, 4, 7 + len(line))


def test_error_fix_and_modification() -> None:
    st = level_stmt('error "Knee caves in" fix "Push the knee out"')
    assert isinstance(st, n.ErrorFix)
    assert (st.error, st.fix) == ("Knee caves in", "Push the knee out")
    st = level_stmt('modification "Hold a chair"')
    assert (st.text, st.when) == ("Hold a chair", None)
    st = level_stmt('modification "Hold a chair" when unsteady')
    assert st.when == n.Ref("unsteady", S(4, 40, 4, 48))


def test_requires_and_stop_if() -> None:
    st = level_stmt("requires steady")
    assert isinstance(st, n.Requires) and st.expr == n.Ref("steady", S(4, 16, 4, 22))
    st = proto_stmt("stop if pain or dizzy")
    assert isinstance(st, n.StopIf)
    assert st.expr == n.AnyOf((n.Ref("pain", S(2, 11, 2, 15)), n.Ref("dizzy", S(2, 19, 2, 24))),
                              S(2, 11, 2, 24))


# --- expressions ---------------------------------------------------------------------------


def expr(text: str) -> n.Expr:
    return level_stmt(f"requires {text}").expr


def shape(e: n.Expr) -> object:
    """The expression without spans."""
    if isinstance(e, n.Ref):
        return e.name
    if isinstance(e, n.Inline):
        return ("text", e.text)
    if isinstance(e, n.Not):
        return ("not", shape(e.operand))
    return ("all" if isinstance(e, n.AllOf) else "any", *[shape(o) for o in e.operands])


@pytest.mark.parametrize("written, expected", [
    ("a", "a"),
    ('"feels fine"', ("text", "feels fine")),
    ("not a", ("not", "a")),
    ("not not a", ("not", ("not", "a"))),
    ("a and b", ("all", "a", "b")),
    ("a or b", ("any", "a", "b")),
    ("a or b and c", ("any", "a", ("all", "b", "c"))),
    ("a and b or c", ("any", ("all", "a", "b"), "c")),
    ("not a and b", ("all", ("not", "a"), "b")),
    ("not (a and b)", ("not", ("all", "a", "b"))),
    ("(a or b) and c", ("all", ("any", "a", "b"), "c")),
    ("a and b and c", ("all", "a", "b", "c")),
    ("a and (b and c)", ("all", "a", "b", "c")),
    ("(a and b) and c", ("all", "a", "b", "c")),
    ("((a))", "a"),
    ("a or (b or c) or d", ("any", "a", "b", "c", "d")),
    ("a and (b or c)", ("all", "a", ("any", "b", "c"))),
    ('"x" and "x"', ("all", ("text", "x"), ("text", "x"))),
])
def test_expression_precedence_and_flattening(written: str, expected: object) -> None:
    assert shape(expr(written)) == expected


def test_flattened_chain_equals_written_chain() -> None:
    a = expr("a and (b and c)")
    b = expr("a and  b and c ")
    assert shape(a) == shape(b) == ("all", "a", "b", "c")
    assert a.span == S(4, 16, 4, 31)
    assert [o.span for o in a.operands] == [S(4, 16, 4, 17), S(4, 23, 4, 24), S(4, 29, 4, 30)]


# --- contextual words and reserved keywords ------------------------------------------------


def test_contextual_words_are_usable_as_names() -> None:
    text = ('protocol daily\n'
            '  condition left stability "x"\n'
            '  condition between symptom "y"\n'
            '  equipment kg "a kettlebell"\n'
            '  exercise s\n'
            '    load 2 kg kg requires left and not between\n'
            '  exercise week\n'
            '    uses kg\n'
            '    level 1 "weekly"\n'
            '      requires each\n'
            '      reps 3 times\n')
    (proto,) = module(text).body
    assert proto.name == "daily"
    left, between, kg, s, week = proto.body
    assert (left.name, between.name, kg.name, s.name, week.name) == (
        "left", "between", "kg", "s", "week")
    (load,) = s.body
    assert load.amount.unit == "kg" and load.equipment.name == "kg"
    assert shape(load.requires) == ("all", "left", ("not", "between"))
    assert week.body[0].names[0].name == "kg"
    assert shape(week.body[1].body[0].expr) == "each"


@pytest.mark.parametrize("keyword", ["level", "sets", "hold", "to", "and", "not", "session",
                                     "when", "up", "on", "fix", "every"])
def test_reserved_keywords_are_not_names(keyword: str) -> None:
    for text in (f"protocol p\n  exercise {keyword}\n    reps 1\n",
                 f'protocol p\n  condition {keyword} stability "x"\n'):
        diags = analyze_text(text).diagnostics
        assert [(d.code, d.span.line) for d in diags] == [("P100", 2)], text


# --- lexical rules -------------------------------------------------------------------------


HEEL = (Path(__file__).parent / "conformance" / "valid" / "heel_raises.protocol").read_text(
    encoding="utf-8")


def test_crlf_gives_the_same_ast_as_lf() -> None:
    lf = analyze_text(HEEL, "heel_raises.protocol")
    crlf = analyze_bytes(HEEL.replace("\n", "\r\n").encode(), "heel_raises.protocol")
    assert crlf.diagnostics == lf.diagnostics == ()
    assert crlf.protocol == lf.protocol


def test_bom_is_ignored_and_does_not_shift_columns() -> None:
    plain = analyze_bytes(HEEL.encode(), "heel_raises.protocol")
    bom = analyze_bytes(b"\xef\xbb\xbf" + HEEL.encode(), "heel_raises.protocol")
    assert bom.diagnostics == () and bom.protocol == plain.protocol
    bad = analyze_bytes(b"\xef\xbb\xbfprotocol p\n  exercise e\n    hodl 3 s\n")
    assert [(d.code, d.span.line, d.span.column) for d in bad.diagnostics] == [("P104", 3, 5)]


@pytest.mark.parametrize("ending", ["", "\n", "\r\n", "  ", "  # end"])
def test_last_line_without_newline(ending: str) -> None:
    text = HEEL.rstrip("\n") + ending
    assert analyze_text(text, "heel_raises.protocol").diagnostics == ()
    lf = analyze_text(HEEL, "heel_raises.protocol").protocol
    assert analyze_text(text, "heel_raises.protocol").protocol.exercises == lf.exercises


def test_last_line_without_newline_inside_nested_blocks() -> None:
    mod = module("protocol p\n  exercise e\n    level 1\n      reps 3")
    assert mod.body[0].body[0].body[0].body[0].amount.low == 3


def test_comments_own_line_and_trailing_are_collected() -> None:
    text = ("# head\nprotocol p  # trailing one\n  # inside\n\n  exercise e\n"
            '    step "a # b"   # after a string\n    reps 3#glued\n# last')
    result = parse(text)
    assert result.diagnostics == ()
    assert [(c.line, c.column, c.text, c.trailing) for c in result.comments] == [
        (1, 1, "# head", False),
        (2, 13, "# trailing one", True),
        (3, 3, "# inside", False),
        (6, 20, "# after a string", True),
        (7, 11, "#glued", True),
        (8, 1, "# last", False),
    ]
    step = module(text).body[0].body[0].body[0]
    assert step.text == "a # b"


def test_comment_lines_and_blank_lines_do_not_affect_indentation() -> None:
    text = ("protocol p\n  exercise e\n# flush left\n      # deep\n\n   \n    reps 3\n"
            "  exercise f\n    reps 4\n")
    (proto,) = module(text).body
    assert [ex.name for ex in proto.body] == ["e", "f"]


def test_any_consistent_indentation_width() -> None:
    text = "protocol p\n    exercise e\n       level 1\n        reps 3\n    exercise f\n reps 1"
    mod = parse(text)
    assert [d.code for d in mod.diagnostics] == ["P101"]  # ` reps 1` matches no block
    (proto,) = module(text.rsplit("\n", 1)[0]).body
    assert proto.body[0].body[0].body[0].amount.low == 3


def test_tabs_between_tokens_are_whitespace() -> None:
    st = level_stmt("hold\t30\ts")
    assert (st.amount.low, st.amount.unit) == (30, "s")
    assert st.amount.span == S(4, 12, 4, 16)


def test_columns_count_characters_not_bytes() -> None:
    diags = analyze_text('protocol p\n  note "ééé" hodl\n').diagnostics
    assert [(d.code, d.span.column, d.span.end_column) for d in diags] == [("P100", 14, 18)]
