"""Parser generation is reproducible: the same bytes whatever the hash seed, and the committed
parser is exactly what the generator writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def generate(target: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "protodsl.parsergen", str(target)], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"wrote {target}\n"
    return target.read_bytes()


def test_two_runs_under_different_hash_seeds_write_the_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = generate(tmp_path / "a" / "_lark_parser.py", "1")
    second = generate(tmp_path / "b" / "_lark_parser.py", "2")
    assert first == second
    assert first == (ROOT / "src" / "protodsl" / "_lark_parser.py").read_bytes()
    assert b"Mozilla Public License, v. 2.0" in first[:3000]


def test_the_stand_ins_behave_as_the_modules_they_replace(
        capsys: pytest.CaptureFixture[str]) -> None:
    import inspect
    import pickle

    from protodsl import _lark_parser as lp
    from protodsl.parser import get_parser

    text = lp.TextSlice("abcdef", -2, None)  # __post_init__ runs: negative start, no end
    assert (text.text, text.start, text.end) == ("abcdef", 4, 6)
    assert repr(text) == "TextSlice(text='abcdef', start=4, end=6)"
    assert text == lp.TextSlice(text="abcdef", start=4, end=6) != lp.TextSlice("abcdef", 4, 5)
    assert hash(text) == hash(("abcdef", 4, 6)) and len(text) == 2
    assert lp.TextSlice.__match_args__ == ("text", "start", "end")
    with pytest.raises(AttributeError, match="cannot assign to field 'start'"):
        text.start = 0
    with pytest.raises(TypeError):
        lp.TextSlice("abc", 0)
    with pytest.raises(TypeError):
        lp.TextSlice("abc", 0, 3, 4)

    nested = [[1], {"a": [2]}]
    shallow, deep = lp.copy(nested), lp.deepcopy(nested)
    assert shallow == deep == nested and shallow[0] is nested[0] and deep[0] is not nested[0]
    assert lp.getmro(lp.UnexpectedToken) == inspect.getmro(lp.UnexpectedToken)
    assert lp.getmembers(lp.Token) == inspect.getmembers(lp.Token)
    assert lp.pickle.HIGHEST_PROTOCOL == pickle.HIGHEST_PROTOCOL
    assert lp.logger.exception("never shown") is None
    assert capsys.readouterr() == ("", "")

    interactive = get_parser().parse_interactive("protocol x\n")
    for token in interactive.lexer_thread.lex(interactive.parser_state):
        interactive.feed_token(token)
    twin = interactive.copy()  # deep-copies the value stack
    assert twin.parser_state.state_stack == interactive.parser_state.state_stack
    assert twin.parser_state.value_stack == interactive.parser_state.value_stack
    assert twin.parser_state.value_stack is not interactive.parser_state.value_stack
