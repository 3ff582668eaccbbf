"""protodsl.lexer.lex yields exactly the tokens of Lark's own basic lexer, positions included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import protocols

from protodsl._lark_parser import LexerState, TextSlice, Token, UnexpectedCharacters
from protodsl.lexer import lex, lex_text
from protodsl.parser import get_parser

FILES = sorted((Path(__file__).parent / "conformance").rglob("*.protocol"))
LEXER = get_parser().lexer


def _tokens(text: str, ours: bool) -> list[tuple[Any, ...]]:
    state = LexerState(TextSlice.cast_from(text))
    stream = lex(LEXER, state) if ours else LEXER.lex(state, None)
    return [(type(t), t.type, t.value, t.start_pos, t.line, t.column, t.end_line, t.end_column,
             t.end_pos) for t in stream]


def assert_same_tokens(text: str) -> None:
    ours = _tokens(text, True)
    assert ours == _tokens(text, False)
    assert all(t[0] is Token for t in ours)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_conformance_files(path: Path) -> None:
    assert_same_tokens(path.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("text", [
    "",
    "\n",
    "protocol p\n  reps 10\n",
    "protocol p\r\n  exercise e\r\n\r\n    # c\n    reps 1-2 # t\n",
    'protocol p\n  note """a\n  b"""\n  note "x\n  cue "\\"y\\""\n',
    'protocol p\n  note """never closed\n\n',
    "protocol p\n\tsets 3\x0c\n  level\u00e9 1 \u2028 x\r y",
    "protocol   levels level_1 leveler protocols reps_max",
])
def test_edge_cases(text: str) -> None:
    assert_same_tokens(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list('ab19 .-"#\n\r\t\\(),%\u00e9') + [
    "protocol", "level", "reps", "not", "and", "1rm", '"""']), max_size=60).map("".join))
def test_any_text(text: str) -> None:
    assert_same_tokens(text)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(protocols())
def test_generated_protocols(text: str) -> None:
    assert_same_tokens(text)


def test_the_position_may_be_moved_between_tokens() -> None:
    text = "protocol p\n  reps 10 skipped words\n  sets 3\n"
    state = LexerState(TextSlice.cast_from(text))
    stream = lex(LEXER, state)
    seen = []
    for tok in stream:
        seen.append(tok.value)
        if tok.value == "10":
            skip = text.index("\n", tok.end_pos)
            state.line_ctr.char_pos = skip
            state.line_ctr.column = skip - state.line_ctr.line_start_pos + 1
    assert seen == ["protocol", "p", "\n  ", "reps", "10", "\n  ", "sets", "3", "\n"]


def test_a_character_of_no_token_is_lark_s_own_error() -> None:
    # The grammar has a catch-all terminal; without one, Lark's error is raised as is.
    state = LexerState(TextSlice.cast_from("x"))
    lexer = get_parser().lexer
    saved = lexer.scanner._mres
    try:
        import re

        lexer.scanner._mres = [re.compile(r"(?P<NUMBER>[0-9]+)")]
        with pytest.raises(UnexpectedCharacters):
            list(lex(lexer, state))
    finally:
        lexer.scanner._mres = saved


@pytest.mark.parametrize("path", FILES[::10], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lex_text_is_lark_s_lex_of_a_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    lark = get_parser()

    def spans(stream: Any) -> list[tuple[Any, ...]]:
        return [(t.type, t.value, t.start_pos, t.line, t.column, t.end_line, t.end_column,
                 t.end_pos) for t in stream]

    assert spans(lex_text(lark, text)) == spans(lark.lex(text))
