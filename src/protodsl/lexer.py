"""The indentation post-lexer: turns line breaks into _NL, _INDENT and _DEDENT tokens.

Lark's basic lexer produces one ``_NL`` token per run of line breaks, blank lines and comment
lines, carrying the indentation of the next line. This post-lexer keeps a stack of open
indentation widths, as Python's tokenizer does, and yields ``_INDENT``/``_DEDENT`` tokens
positioned at the first token of the line they open or close. It never raises: a tab in
indentation or a dedent that matches no open block is yielded as a ``BAD_INDENT`` token (which
the parser driver turns into P101 and does not feed to the parser), and parsing goes on with
the nearest sensible width. Comments are collected on the side for the formatter.

``lex`` is the lexer itself: the tokens of Lark's basic lexer for the grammar's terminals,
exactly, made in one loop (about 2.5x faster than Lark's own).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from protodsl import record
from protodsl._lark_parser import Token

_COMMENT = re.compile(r"#[^\r\n]*")
# How many blocks may be open at once: the language nests three (protocol, exercise, level);
# deeper indentation is P101 rather than a recursion the later stages cannot afford.
MAX_BLOCKS = 16


@record.frozen
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
        # The indentation, as written, of the first line of each open block.
        self._raw: list[str] = []

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
                if stack and tok.type == "BAD_CHAR":
                    # A line that starts with a character of no token is broken whatever its
                    # indentation: it opens and closes nothing (the parser reports it).
                    pass
                elif not stack:
                    width, has_tab = self._indent_of(tok)
                    # An indented first line that is not the protocol header is the body of a
                    # missing header: P207 says so, and its indentation is no second fault.
                    if has_tab or (width and tok.type == "PROTOCOL"):
                        yield _marker(tok, "tab in indentation" if has_tab
                                      else "unexpected indentation before the first statement")
                    stack.append(width)
                    self._raw.append(self._raw_indent(tok))
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
        raw = self._raw_indent(tok)
        if has_tab:
            yield _marker(tok, "tab in indentation")
            # Assume the author meant the obvious: the first line of a new block, a line of an
            # open block indented exactly the same way, or a line of the current block.
            if prev_header and len(stack) <= MAX_BLOCKS:
                stack.append(None)
                self._raw.append(raw)
                yield _at(tok, "_INDENT")
            elif raw in self._raw[1:]:
                target = len(self._raw) - self._raw[::-1].index(raw)
                while len(stack) > target:
                    stack.pop()
                    self._raw.pop()
                    yield _at(tok, "_DEDENT")
            return
        while stack[-1] is None:
            # Blocks opened by tab-indented lines take the width of the next line indented with
            # spaces that is deeper than the block around them (stack[0] is always a width).
            outer = next(w for w in reversed(stack) if w is not None)
            if width > outer:
                for i in range(len(stack) - 1, -1, -1):
                    if stack[i] is not None:
                        break
                    stack[i] = width
                return
            stack.pop()
            self._raw.pop()
            yield _at(tok, "_DEDENT")
        top = stack[-1]
        if width > top:
            if len(stack) > MAX_BLOCKS:
                # Never meant (blocks nest three deep), and would exhaust later recursion.
                yield _marker(tok, "indented too deeply")
                return
            stack.append(width)
            self._raw.append(raw)
            yield _at(tok, "_INDENT")
            return
        if width in stack:
            while width < (stack[-1] or 0):
                stack.pop()
                self._raw.pop()
                yield _at(tok, "_DEDENT")
            return
        # A dedent to a column of no open block. A block header is read as closing the block it
        # fell into; any other line as a line of that block (it was only slightly misaligned).
        # Either way the rest of the file is still checked.
        yield _marker(tok, "dedent does not match any outer indentation level")
        while len(stack) > 1 and width < (stack[-2] or 0):
            stack.pop()
            self._raw.pop()
            yield _at(tok, "_DEDENT")
        if tok.type in self._HEADERS and len(stack) > 1:
            stack.pop()
            self._raw.pop()
            yield _at(tok, "_DEDENT")

    def _indent_of(self, tok: Token) -> tuple[int, bool]:
        """The indentation width (in characters) of ``tok``'s line and whether it holds a tab."""
        ws = self._raw_indent(tok)
        return len(ws), "\t" in ws

    def _raw_indent(self, tok: Token) -> str:
        start = tok.start_pos or 0
        return self.text[self.text.rfind("\n", 0, start) + 1 : start]

    def _collect_comments(self, nl: Token, last_line_code: int) -> None:
        # One pass: the line breaks are counted from the previous comment, not from the start.
        value = nl.value
        line, line_start, pos = nl.line, -1, 0
        for m in _COMMENT.finditer(value):
            breaks = value.count("\n", pos, m.start())
            if breaks:
                line += breaks
                line_start = value.rindex("\n", pos, m.start())
            pos = m.start()
            column = m.start() - line_start if line_start >= 0 else nl.column + m.start()
            self.comments.append(
                Comment(line, column, m.group(), trailing=line == last_line_code)
            )


def _at(tok: Token, type_: str) -> Token:
    return Token(type_, "", tok.start_pos, tok.line, tok.column, tok.line, tok.column, tok.start_pos)


def _marker(tok: Token, message: str) -> Token:
    return Token("BAD_INDENT", message, tok.start_pos, tok.line, 1, tok.line, tok.column, tok.start_pos)


def lex(lexer: Any, state: Any) -> Iterator[Token]:
    """The tokens of Lark's basic lexer ``lexer`` from ``state`` (a ``LexerState``), the very
    tokens its own ``lex`` yields, in one loop: the same compiled scanner, keywords told from
    names by a dictionary rather than a second regular expression, and tokens made without
    Lark's two-level constructor. The position is read from ``state.line_ctr`` before each
    token, so a caller may move it (to skip text) between tokens.

    Lark's own ``lex`` is used when its scanner is not one expression or has callbacks other
    than the keywords' (never with protodsl's grammar, but the generated parser could change).
    """
    scanner = lexer.scanner
    keywords = _keywords(lexer)
    if keywords is None or len(scanner._mres) != 1 or lexer.use_bytes:
        yield from lexer.lex(state, None)
        return
    match = scanner._mres[0].match
    text = state.text.text
    end = state.text.end
    ctr = state.line_ctr
    ignore = lexer.ignore_types
    newline_types = lexer.newline_types
    new = str.__new__
    while ctr.char_pos < end:
        pos = ctr.char_pos
        m = match(text, pos, end)
        if m is None:
            lexer.next_token(state, None)  # raises Lark's own error for the character
            return  # pragma: no cover - next_token matched where the scanner did not
        value = m.group()
        kind = m.lastgroup
        line = ctr.line
        column = ctr.column
        if kind in newline_types and "\n" in value:
            ctr.line = line + value.count("\n")
            ctr.line_start_pos = pos + value.rindex("\n") + 1
        end_pos = pos + len(value)
        ctr.char_pos = end_pos
        ctr.column = end_pos - ctr.line_start_pos + 1
        if kind in ignore:
            continue
        if kind == "NAME":
            kind = keywords.get(value, kind)
        t = new(Token, value)
        t.type = kind
        t.start_pos = pos
        t.value = value
        t.line = line
        t.column = column
        t.end_line = ctr.line
        t.end_column = ctr.column
        t.end_pos = end_pos
        state.last_token = t
        yield t


def _keywords(lexer: Any) -> dict[str, str] | None:
    """The keywords that Lark's lexer reads as NAME and then retypes (its only callback), by
    their text; None when its callbacks are anything else."""
    found = getattr(lexer, "_protodsl_keywords", False)
    if found is not False:
        return found  # type: ignore[no-any-return]
    from protodsl._lark_parser import PatternStr, UnlessCallback

    callbacks = lexer.callback
    found = None
    if set(callbacks) <= {"NAME"} and all(isinstance(c, UnlessCallback)
                                         for c in callbacks.values()):
        terminals = [t for c in callbacks.values() for t in c.scanner.terminals]
        if all(isinstance(t.pattern, PatternStr) and not t.pattern.flags for t in terminals):
            found = {}
            for t in terminals:
                found.setdefault(t.pattern.value, t.name)
    lexer._protodsl_keywords = found
    return found


def lex_text(lark: Any, text: str, state: Any = None) -> Iterator[Token]:
    """The tokens of ``text``: what ``lark.lex(text)`` yields (``lark`` a parser without a
    post-lexer, such as ``protodsl.parser.get_parser()``), through ``lex``; from ``state``
    (a ``lexer_state(text)`` the caller keeps to move the position) when given."""
    lexer = getattr(lark, "lexer", None) or lark._build_lexer()
    return lex(lexer, state if state is not None else lexer_state(text))


def lexer_state(text: str) -> Any:
    """A lexer position at the start of ``text`` (a ``LexerState``) for ``lex``."""
    from protodsl._lark_parser import LexerState, TextSlice

    return LexerState(TextSlice.cast_from(text))
