"""The indentation post-lexer: turns line breaks into _NL, _INDENT and _DEDENT tokens.

Lark's basic lexer produces one ``_NL`` token per run of line breaks, blank lines and comment
lines, carrying the indentation of the next line. This post-lexer keeps a stack of open
indentation widths, as Python's tokenizer does, and yields ``_INDENT``/``_DEDENT`` tokens
positioned at the first token of the line they open or close. It never raises: a tab in
indentation or a dedent that matches no open block is yielded as a ``BAD_INDENT`` token (which
the parser driver turns into P101 and does not feed to the parser), and parsing goes on with
the nearest sensible width. Comments are collected on the side for the formatter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs
from lark import Token

_COMMENT = re.compile(r"#[^\r\n]*")


@attrs.frozen
class Comment:
    """A comment as written, with its line and whether code precedes it on that line."""

    line: int
    column: int
    text: str
    trailing: bool


class IndentPostLexer:
    """Indentation post-lexer over ``text``; one instance per parse (it collects comments)."""

    always_accept = ("_NL",)
    _HEADERS = frozenset({"PROTOCOL", "EXERCISE", "LEVEL"})

    def __init__(self, text: str) -> None:
        self.text = text
        self.comments: list[Comment] = []

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        """Yield the tokens of ``stream`` with indentation made explicit."""
        # Open widths; None is the width of a block opened by a tab-indented line, fixed by the
        # next line indented with spaces.
        stack: list[int | None] = []
        pending: Token | None = None  # the last _NL, whose indentation applies to the next token
        at_line_start = True
        last_line_code = 0  # the last line that had a token other than _NL
        prev_header = False  # whether the previous line opened a block
        for tok in stream:
            if tok.type == "_NL":
                self._collect_comments(tok, last_line_code)
                pending = tok
                at_line_start = True
                continue
            if at_line_start:
                if pending is not None:
                    yield pending
                    pending = None
                if not stack:
                    width, has_tab = self._indent_of(tok)
                    if has_tab or width:
                        yield _marker(tok, "tab in indentation" if has_tab
                                      else "unexpected indentation before the first statement")
                    stack.append(width)
                else:
                    yield from self._indent(stack, tok, prev_header)
                prev_header = tok.type in self._HEADERS
                at_line_start = False
            last_line_code = tok.end_line if tok.end_line is not None else tok.line
            yield tok
        # End of input: finish the last line and close every open block.
        if stack:
            if pending is not None and "\n" in pending.value:
                yield pending
            else:
                yield Token("_NL", "", len(self.text), last_line_code, 1, last_line_code, 1,
                            len(self.text))
            for _ in stack[1:]:
                yield Token("_DEDENT", "", len(self.text), last_line_code + 1, 1,
                            last_line_code + 1, 1, len(self.text))

    def _indent(self, stack: list[int | None], tok: Token, prev_header: bool) -> Iterator[Token]:
        width, has_tab = self._indent_of(tok)
        if has_tab:
            yield _marker(tok, "tab in indentation")
            # Assume the author meant the obvious: the first line of a new block, or a line of
            # the current one.
            if prev_header:
                stack.append(None)
                yield _at(tok, "_INDENT")
            return
        if stack[-1] is None:
            outer = stack[-2]
            assert outer is not None
            if width > outer:
                stack[-1] = width
                return
            stack.pop()
            yield _at(tok, "_DEDENT")
        top = stack[-1]
        assert top is not None
        if width > top:
            stack.append(width)
            yield _at(tok, "_INDENT")
            return
        while len(stack) > 1 and width < (stack[-1] or 0):
            stack.pop()
            yield _at(tok, "_DEDENT")
        if width != stack[-1]:
            # A dedent to a column of no open block: the line stays in the block it fell into,
            # so the rest of the file is still checked.
            yield _marker(tok, "dedent does not match any outer indentation level")

    def _indent_of(self, tok: Token) -> tuple[int, bool]:
        """The indentation width (in characters) of ``tok``'s line and whether it holds a tab."""
        start = tok.start_pos or 0
        ws = self.text[self.text.rfind("\n", 0, start) + 1 : start]
        return len(ws), "\t" in ws

    def _collect_comments(self, nl: Token, last_line_code: int) -> None:
        for m in _COMMENT.finditer(nl.value):
            before = nl.value[: m.start()]
            line = nl.line + before.count("\n")
            if "\n" in before:
                column = m.start() - before.rindex("\n")
            else:
                column = nl.column + m.start()
            self.comments.append(
                Comment(line, column, m.group(), trailing=line == last_line_code)
            )


def _at(tok: Token, type_: str) -> Token:
    return Token(type_, "", tok.start_pos, tok.line, tok.column, tok.line, tok.column, tok.start_pos)


def _marker(tok: Token, message: str) -> Token:
    return Token("BAD_INDENT", message, tok.start_pos, tok.line, 1, tok.line, tok.column, tok.start_pos)
