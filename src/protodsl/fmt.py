"""The formatter: a protocol file in one canonical layout, losing nothing.

Works on the parsed file as written (``nodes.Module``, before the structure pass), so every
statement stays in the block and the order it was written in, even a repeated one (P206).
Layout rules (statements themselves: see ``protodsl.printer``):

- 2 spaces of indentation per block level; LF line ends (CRLF kept when the file's first line
  ends with CRLF); no trailing whitespace; one final newline; no byte order mark;
- an own-line comment belongs to the next statement and is printed just above it at its
  indentation; a comment indented deeper than that statement, after the end of a block, stays
  at the end of that block; a trailing comment stays on its statement's line, after two spaces;
  comments are kept as written (trailing spaces removed);
- one blank line before and after every ``exercise`` and ``level`` block; elsewhere, one blank
  line where the author left one or more; never a blank line at the start of a block or file.

A file with a syntax error (P100-P106) is not formatted. After formatting, the result is parsed
again and must give the same statements (modulo positions and unit spelling) and the same
comments; if not, nothing is written and the failure is reported as an internal error.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any, NamedTuple

from protodsl import nodes as n
from protodsl import record
from protodsl.diagnostics import Diagnostic
from protodsl.lexer import Comment
from protodsl.printer import INDENT, canonical_unit, statement

SYNTAX_CODES = frozenset({"P100", "P101", "P102", "P103", "P104", "P105", "P106"})


class FormatError(Exception):
    """The formatter could not keep the file's meaning (a bug): nothing may be written."""


class Parsed(NamedTuple):
    """A file parsed for formatting: its statements as written, comments and syntax errors."""

    module: n.Module | None
    comments: tuple[Comment, ...]
    errors: tuple[Diagnostic, ...]


class Formatted(NamedTuple):
    """The outcome for one file. ``text`` is None when the file was not formatted: then
    ``errors`` holds its syntax errors, or ``internal`` says what went wrong."""

    original: str
    text: str | None
    errors: tuple[Diagnostic, ...] = ()
    internal: str | None = None

    @property
    def changed(self) -> bool:
        """Whether formatting changes the file."""
        return self.text is not None and self.text != self.original


def parse_for_format(text: str) -> Parsed:
    """Parse ``text`` into its statements as written, with comments and syntax errors."""
    from protodsl.parser import parse
    from protodsl.structure import structure
    from protodsl.transformer import Builder

    result = parse(text)
    errors = [d for d in result.diagnostics if d.code in SYNTAX_CODES]
    tree, comments = result.tree, result.comments
    del result  # the parse tree is dropped as soon as the statements are built
    module = None
    if tree is not None:
        builder = Builder(text)
        module = builder.module(tree)
        del tree
        errors.extend(d for d in builder.diags if d.code in SYNTAX_CODES)
        _, structural = structure(module)
        errors.extend(d for d in structural if d.code in SYNTAX_CODES)
    errors.sort(key=lambda d: d.sort_key)
    return Parsed(module, comments, tuple(errors))


def format_text(text: str) -> str:
    """The canonical layout of ``text`` (LF line ends).

    Raises ValueError when the text has syntax errors and FormatError when the result would
    not mean the same as the input.
    """
    from protodsl.source import strip_bom

    from protodsl.gcpause import paused

    text = strip_bom(text)
    with paused():
        parsed = parse_for_format(text)
        if parsed.errors or parsed.module is None:
            raise ValueError("the text has syntax errors")
        out = layout(parsed.module, parsed.comments, text)
        verify(parsed, out, text)
    return out


def format_source(data: bytes | str) -> Formatted:
    """Format the content of a file; never raises for any input."""
    from protodsl.source import decode

    if isinstance(data, bytes):
        decoded = decode(data)
        original = data.decode("utf-8", errors="replace")
        if decoded.diagnostics:
            return Formatted(original, None, decoded.diagnostics)
        text = decoded.text
    else:
        original = data
        text = data.removeprefix("\ufeff")
    from protodsl.gcpause import paused

    try:
        with paused():
            parsed = parse_for_format(text)
            if parsed.errors:
                return Formatted(original, None, parsed.errors)
            if parsed.module is None:  # pragma: no cover - the parser always gives a tree
                return Formatted(original, None, internal="the file could not be parsed")
            out = layout(parsed.module, parsed.comments, text)
            verify(parsed, out, text)
    except FormatError as exc:
        return Formatted(original, None, internal=str(exc))
    except Exception as exc:  # a bug must never become a traceback or a damaged file
        return Formatted(original, None, internal=f"{type(exc).__name__}: {exc}")
    if _first_line_end(text) == "\r\n":
        out = out.replace("\n", "\r\n")
    return Formatted(original, out)


def _first_line_end(text: str) -> str:
    i = text.find("\n")
    return "\r\n" if i > 0 and text[i - 1] == "\r" else "\n"


# --- the safety check ---------------------------------------------------------------------


def verify(before: Parsed, out: str, text: str | None = None) -> None:
    """Raise FormatError unless ``out`` parses to the same statements and comments.

    When ``out`` is ``text``, the text ``before`` was parsed from, there is nothing to check:
    it is the same text, so it parses the same (an already formatted file, the usual case of
    ``fmt --check``, is not parsed twice).
    """
    if text is not None and (out == text or _same_tokens(text, out, before)):
        return
    after = parse_for_format(out)
    if after.errors or after.module is None:
        first = after.errors[0] if after.errors else None
        where = f" ({first.code} at line {first.span.line}: {first.message})" if first else ""
        raise FormatError(f"the formatted text does not parse{where}")
    if ast_key(after.module) != ast_key(before.module):
        raise FormatError("the formatted text does not have the same statements")
    if [_comment_text(c) for c in after.comments] != [_comment_text(c) for c in before.comments]:
        raise FormatError("the formatted text does not have the same comments")


def _same_tokens(text: str, out: str, before: Parsed) -> bool:
    """Whether ``out`` reads as the same tokens as ``text`` (kinds and words; line breaks and
    indentation by kind only) with the same comments: then it parses the same, since the
    parser sees nothing else. Cheaper than a parse; when False, ``verify`` parses ``out``."""
    from itertools import zip_longest

    from protodsl.lexer import IndentPostLexer, lex_text
    from protodsl.parser import get_parser

    lark = get_parser()
    layout_kinds = ("_NL", "_INDENT", "_DEDENT")
    post_in, post_out = IndentPostLexer(text), IndentPostLexer(out)
    for a, b in zip_longest(post_in.process(lex_text(lark, text)),
                            post_out.process(lex_text(lark, out))):
        if a is None or b is None or a.type != b.type or a.type == "BAD_INDENT":
            return False
        if a.type not in layout_kinds and a.value != b.value:
            return False
    return ([_comment_text(c) for c in post_out.comments]
            == [_comment_text(c) for c in before.comments])


def node_fields(node: Any) -> tuple[str, ...] | None:
    """The field names of an AST node, or None for other values."""
    if not record.has(type(node)):
        return None
    return tuple(f.name for f in record.fields(type(node)))


def ast_key(node: Any) -> Any:
    """A comparable form of an AST: positions left out, units in canonical spelling and
    quantities by value (their source text left out)."""
    if isinstance(node, n.Quantity):
        return ("Quantity", node.low, node.high, canonical_unit(node.unit), node.is_range)
    names = node_fields(node)
    if names is not None:
        return (type(node).__name__,) + tuple(
            canonical_unit(getattr(node, name)) if name == "unit" else ast_key(getattr(node, name))
            for name in names if name != "span" and not name.endswith(("_span", "_spans")))
    if isinstance(node, (tuple, list)):
        return tuple(ast_key(x) for x in node)
    return node


def _comment_text(c: Comment) -> str:
    return c.text.rstrip()


# --- layout -------------------------------------------------------------------------------


class _Item:
    """A statement in its block, with the comments that belong to it."""

    __slots__ = ("stmt", "parent", "children", "leading", "trailing", "closing")

    def __init__(self, stmt: n.Statement | None, parent: _Item | None) -> None:
        self.stmt = stmt  # None: the file itself
        self.parent = parent
        self.children: list[_Item] = []
        self.leading: list[Comment] = []
        self.trailing: list[Comment] = []
        self.closing: list[Comment] = []  # comments at the end of the block

    @property
    def is_block(self) -> bool:
        return self.stmt is None or isinstance(self.stmt, (n.Protocol, n.Exercise, n.Level))

    @property
    def column(self) -> int:
        return 1 if self.stmt is None else self.stmt.span.column

    def body_column(self) -> int:
        """The column where this block's statements start in the source."""
        if self.stmt is None:
            return 1
        if self.children:
            return self.children[0].column
        return self.column + 1


def _tree(module: n.Module) -> tuple[_Item, list[_Item]]:
    root = _Item(None, None)
    flat: list[_Item] = []

    def add(parent: _Item, body: Sequence[n.Statement]) -> None:
        for st in body:
            item = _Item(st, parent)
            parent.children.append(item)
            flat.append(item)
            if isinstance(st, (n.Protocol, n.Exercise, n.Level)):
                add(item, st.body)

    add(root, module.body)
    return root, flat


def _attach(root: _Item, flat: list[_Item], comments: Sequence[Comment]) -> None:
    starts = [item.stmt.span.line for item in flat if item.stmt is not None]
    ends: dict[int, _Item] = {}
    for item in flat:
        assert item.stmt is not None
        ends.setdefault(item.stmt.span.end_line, item)
    # Within one gap between statements, comments stay in order: once one goes to an outer
    # block (or to the next statement), the ones after it cannot go back inside.
    gap = -1
    floor = 0
    for c in comments:
        if c.trailing and c.line in ends:
            ends[c.line].trailing.append(c)
            continue
        i = bisect.bisect_right(starts, c.line)
        if i != gap:
            gap, floor = i, 0
        nxt = flat[i] if i < len(flat) else None
        prev = flat[i - 1] if i > 0 else None
        chain: list[_Item] = []  # the blocks that end in this gap, innermost first
        ancestors = set()
        walk = nxt.parent if nxt is not None else None
        while walk is not None:
            ancestors.add(id(walk))
            walk = walk.parent
        walk = prev
        while walk is not None and id(walk) not in ancestors:
            if walk.is_block:
                chain.append(walk)
            walk = walk.parent
        pos = len(chain)  # the next statement
        if nxt is None or (prev is not None and c.column > nxt.column):
            pos = next((k for k, b in enumerate(chain) if c.column >= b.body_column()), pos)
        pos = max(pos, floor)
        floor = pos
        if pos < len(chain):
            chain[pos].closing.append(c)
        elif nxt is not None:
            nxt.leading.append(c)
        else:
            root.closing.append(c)


class _Printer:
    def __init__(self, text: str) -> None:
        self.lines: list[str] = []
        self.last = 0  # the source line of the last thing printed
        blank = [0]
        for line in text.replace("\r\n", "\n").split("\n"):
            blank.append(blank[-1] + (0 if line.strip(" \t\f") else 1))
        self.blank = blank  # blank[k]: how many of lines 1..k are blank

    def _author_blank(self, start: int) -> bool:
        a, b = self.last, start - 1
        return b > a and self.blank[min(b, len(self.blank) - 1)] > self.blank[
            min(a, len(self.blank) - 1)]

    def _gap(self, start: int, first: bool, force: bool) -> None:
        if first:
            return
        if force or self._author_blank(start):
            self.lines.append("")

    def comment(self, c: Comment, depth: int, first: bool, force: bool = False) -> None:
        self._gap(c.line, first, force)
        self.lines.append(INDENT * depth + c.text.rstrip())
        self.last = c.line

    def block(self, item: _Item, depth: int) -> None:
        """Print the statements of ``item`` at ``depth``, then its closing comments."""
        first = True
        prev_block = False
        for child in item.children:
            st = child.stmt
            assert st is not None
            force = child.is_block or prev_block
            for c in child.leading:
                self.comment(c, depth, first, force)
                first = force = False
            self._gap(st.span.line, first, force)
            first = False
            indent = INDENT * depth
            text = indent + statement(st, indent)
            if child.trailing:
                text += "  " + "  ".join(c.text.rstrip() for c in child.trailing)
            self.lines.append(text)
            self.last = st.span.end_line
            if child.is_block:
                self.block(child, depth + 1)
            prev_block = child.is_block
        for c in item.closing:
            self.comment(c, depth, first)
            first = False


def layout(module: n.Module, comments: Sequence[Comment], text: str) -> str:
    """The canonical text of a parsed file with its comments (LF line ends)."""
    root, flat = _tree(module)
    _attach(root, flat, comments)
    printer = _Printer(text)
    printer.block(root, 0)
    if not printer.lines:
        return ""
    return "\n".join(printer.lines) + "\n"


def print_module(module: n.Module) -> str:
    """The canonical text of an AST without comments (for tools that build protocols)."""
    return layout(module, (), "")
