"""The Pygments lexer: registered as an entry point, no error token on any valid file."""

from __future__ import annotations

from pathlib import Path

import pytest

pygments = pytest.importorskip("pygments")

from pygments.lexers import get_lexer_by_name, get_lexer_for_filename  # noqa: E402
from pygments.token import Error, Keyword, Number, String  # noqa: E402

from protodsl.pygments_lexer import ProtodslLexer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "protocols").glob("*.protocol")) + sorted(
    (ROOT / "tests" / "conformance" / "valid").glob("*.protocol"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_error_tokens(path: Path):
    text = path.read_text(encoding="utf-8")
    tokens = list(ProtodslLexer().get_tokens(text))
    errors = [value for kind, value in tokens if kind in Error]
    assert errors == []


def test_registered_as_entry_point():
    assert isinstance(get_lexer_by_name("protodsl"), ProtodslLexer)
    assert isinstance(get_lexer_for_filename("knee.protocol"), ProtodslLexer)


def test_token_kinds():
    text = ('protocol demo\n  measure pain symptom "Pain \\"sharp\\" on {side}" scale 0-10\n'
            '  stop if pain > 5  # comment\n  exercise squat\n    hold 30 s\n')
    tokens = [(k, v) for k, v in ProtodslLexer().get_tokens(text) if v.strip()]
    assert (Keyword, "protocol") in tokens
    assert (String.Escape, '\\"') in tokens
    assert (String.Interpol, "{side}") in tokens
    assert (Number, "30") in tokens and (Keyword.Type, "s") in tokens
    assert any(k in pygments.token.Comment for k, _ in tokens)
