"""The parser: the LALR parser and a driver that recovers at the next line.

The parser tables are analysed from ``grammar/protodsl.lark`` once, at development time, into
``protodsl/_lark_parser.py`` (Lark's own stand-alone generator: its LALR runtime and our
tables), so a cold start pays neither for grammar analysis nor for importing all of Lark.
``python -m protodsl.parsergen`` regenerates it; a test fails when it is older than the grammar.

The driver lexes the text with the terminals of Lark's basic lexer (``protodsl.lexer.lex``, the
same tokens in one loop), runs the indentation post-lexer, and feeds the tokens to Lark's
interactive LALR parser one at a time. Version 2's contextual keywords (``frequency``,
``measure``, ``during``, ``from``, and the ``for`` of a schedule) are decided on demand from the
parser's state, as Lark's contextual lexer decides: a NAME token with such a word becomes the
keyword exactly where the current state accepts the keyword, and stays a name everywhere else
(so ``exercise from`` or ``condition during ...`` still work). Before the first token of each
statement it takes a checkpoint of the parser's stacks. When a token is rejected, it reports one
diagnostic for that line, restores the checkpoint, skips the rest of the line and goes on, so
every broken line of a file is reported in one run. A broken block header is replaced by a
minimal header of the same kind, so its body is still checked in the right block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache, partial
from operator import itemgetter
from typing import Any

from protodsl import record, syntax_help
from protodsl._lark_parser import (
    ChildFilterLALR_NoPlaceholders,
    ExpandSingleChild,
    Lark_StandAlone,
    Token,
    Tree,
    UnexpectedInput,
)
from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.lexer import Comment, IndentPostLexer, lex_text, lexer_state
from protodsl.nodes import Span
from protodsl.vocabulary import CONTEXTUAL_KEYWORDS, HEADER_KEYWORDS, closest


# How deeply parentheses and `not` may nest on one line before the line is refused: deeper
# nesting is never meant, and would exhaust the recursion of later stages.
MAX_NESTING = 64
# How many tokens one statement may hold. Real statements hold a few dozen; a longer one is
# refused as a whole and the rest of its line is skipped without being lexed token by token, so
# a line of megabytes (`stop if a or a or ...`) costs time and memory for this many tokens only.
MAX_STATEMENT_TOKENS = 10_000
# The rest of a refused line: anything but a line break, a comment or a `"""` string (those are
# lexed as usual, so line numbers and comments stay right).
_REST_OF_LINE = re.compile(r'(?:[^"\r\n#]++|"(?!"")(?:[^"\\\r\n]|\\[^\r\n])*+")*+')

@lru_cache(maxsize=1)
def get_parser() -> Any:
    """The parser, made once per process from the pre-generated tables.

    Lark's own position propagation is off (it made every tree a ``Meta`` object filled from a
    dozen attribute lookups, a third of the parse); each rule's callback is replaced by one
    function (``_builder``) that builds the tree as Lark's chain of callbacks does and records
    the tokens its positions come from (``tree_span``).
    """
    lark = Lark_StandAlone(propagate_positions=False)
    callbacks = lark.parser.parser.parser.callbacks
    for rule, callback in list(callbacks.items()):
        callbacks[rule] = _builder(rule, callback)
    if not hasattr(lark, "lexer"):
        # The stand-alone parser would build its lexer again on every `lex` call (~7 ms).
        lark.lexer = lark._build_lexer()
    return lark


# Positions. Every tree the parser builds records, exactly as Lark's ``propagate_positions``
# does, ``_s``/``_e``: the first and last token of the tree's own text (absent when it has no
# token at all), and ``_cs``/``_ce``: those of its container (None without a token; the same as
# ``_s``/``_e`` except for a tree that a `?rule` passed up: its container also covers the
# rule's dropped tokens). A tree starts at its first child's container start or token,
# skipping children without position, and ends likewise at its last.


_TREE = Tree  # the generated module's, whatever ``Tree`` is made to name here


def _builder(rule: Any, callback: Any) -> Any:
    """One function for ``rule`` doing what Lark's chain of callbacks ``callback`` does (pick
    and inline children, pass up a single child of a `?rule`, build the tree), recording
    positions; for a chain of a shape it does not know, ``callback`` wrapped by
    ``_positioned``."""
    shape = _shape(callback)
    if shape is None:
        return _positioned(callback)
    include, expand1, name = shape
    terms = [s.is_term for s in rule.expansion]
    size = len(terms)
    if include is None and size == 1:
        if expand1:
            # The child itself, whose own positions are those of its container here.
            return itemgetter(0)
        return _one_child(name, terms[0])
    pick = None
    if include is not None and not any(expand for _, expand in include):
        indices = [i for i, _ in include]
        pick = _picker(indices)
        include = None
    head = _scan_order(terms, range(size))
    tail = _scan_order(terms, range(size - 1, -1, -1))

    def build(children: list[Any]) -> Any:
        if include is not None:
            filtered: list[Any] = []
            for i, expand in include:
                if not expand:
                    filtered.append(children[i])
                elif filtered:
                    filtered += children[i].children
                else:
                    filtered = children[i].children  # shared, as Lark does
        elif pick is not None:
            filtered = pick(children)
        else:
            filtered = children
        if expand1 and len(filtered) == 1:
            return _place(filtered[0], children)
        tree = _TREE(name, filtered)
        first = None
        for j in head:
            c = children[j]
            first = c._cs if type(c) is _TREE else c
            if first is not None:
                break
        if first is None:
            tree._cs = tree._ce = None
            return tree
        last = None
        for j in tail:
            c = children[j]
            last = c._ce if type(c) is _TREE else c
            if last is not None:
                break
        tree._s = tree._cs = first
        tree._e = tree._ce = last
        return tree

    return build


def _picker(indices: list[int]) -> Any:
    """A new list of the children at ``indices``."""
    if not indices:
        return lambda children: []
    getter = itemgetter(*indices)
    if len(indices) == 1:
        return lambda children: [getter(children)]
    return lambda children: list(getter(children))


def _one_child(name: str, terminal: bool) -> Any:
    """The builder of a rule of one symbol that keeps it."""
    if terminal:
        def build(children: list[Any]) -> Any:
            tree = _TREE(name, children)
            tree._s = tree._e = tree._cs = tree._ce = children[0]
            return tree
        return build

    def build_tree(children: list[Any]) -> Any:
        tree = _TREE(name, children)
        c = children[0]
        if type(c) is not _TREE:
            tree._s = tree._e = tree._cs = tree._ce = c
        elif c._cs is None:
            tree._cs = tree._ce = None
        else:
            tree._s = tree._cs = c._cs
            tree._e = tree._ce = c._ce
        return tree

    return build_tree


def _scan_order(terms: list[bool], order: range) -> tuple[int, ...]:
    """The children to look at, in ``order``, for the first one with a position: up to the
    first terminal, which always has one."""
    out = []
    for j in order:
        out.append(j)
        if terms[j]:
            break
    return tuple(out)


def _shape(callback: Any) -> tuple[list[tuple[int, bool]] | None, bool, str] | None:
    """Lark's chain of callbacks of a rule as (children to keep and whether each is inlined,
    or None for all; whether a single child is passed up; the tree's name), or None for a
    chain of any other shape."""
    include = None
    if type(callback) is ChildFilterLALR_NoPlaceholders:
        include = [(i, bool(expand)) for i, expand in callback.to_include]
        callback = callback.node_builder
    expand1 = type(callback) is ExpandSingleChild
    if expand1:
        callback = callback.node_builder
    if (type(callback) is not partial or callback.func is not _TREE or len(callback.args) != 1
            or callback.keywords):
        return None
    return include, expand1, callback.args[0]


def _place(res: Any, children: list[Any]) -> Any:
    """Record the positions of ``res``, built from ``children`` (or passed up from them)."""
    if type(res) is not _TREE:
        return res
    first = None
    for c in children:
        if type(c) is _TREE:
            first = c._cs
            if first is not None:
                break
        elif isinstance(c, Token):
            first = c
            break
    d = res.__dict__
    if first is None:  # no child has a position: neither has the tree
        if "_cs" not in d:
            d["_cs"] = d["_ce"] = None
        return res
    last = None
    i = len(children) - 1
    while last is None:  # ends at the latest at the child that gave ``first``
        c = children[i]
        if type(c) is _TREE:
            last = c._ce
        elif isinstance(c, Token):
            last = c
        i -= 1
    if "_s" not in d:
        d["_s"] = first
        d["_e"] = last
    d["_cs"] = first
    d["_ce"] = last
    return res


def _positioned(callback: Any) -> Any:
    """``callback`` (a rule's tree builder), recording positions of each tree it returns."""

    def build(children: list[Any]) -> Any:
        return _place(callback(children), children)

    return build


def tree_span(tree: Tree) -> tuple[int, int, int, int, int, int]:
    """Where a parse tree stands: line, column, end line, end column, start and end offsets."""
    s, e = tree._s, tree._e
    return s.line, s.column, e.end_line, e.end_column, s.start_pos, e.end_pos


@record.frozen
class ParseResult:
    """A parse tree (None only if the text could not be parsed at all), syntax diagnostics
    and the comments of the file."""

    tree: Tree | None
    diagnostics: tuple[Diagnostic, ...]
    comments: tuple[Comment, ...]
    # Lines of statements indented under a line that could not be read (so read in the
    # enclosing block instead): where they stand is a guess.
    orphan_lines: frozenset[int] = frozenset()


def parse(text: str) -> ParseResult:
    """Parse ``text`` into a Lark tree, recovering from every broken line."""
    return _Driver(get_parser(), text).run()


# --- the driver ---------------------------------------------------------------------------

_LAYOUT = frozenset({"_NL", "_INDENT", "_DEDENT"})
_UNTERMINATED = frozenset({"UNTERMINATED_STRING", "UNTERMINATED_LONG_STRING"})


def _span(tok: Token) -> Span:
    line = tok.line or 1
    column = tok.column or 1
    end_line = tok.end_line if tok.end_line is not None else line
    end_column = tok.end_column if tok.end_column is not None else column
    if (end_line, end_column) <= (line, column):
        end_line, end_column = line, column + 1
    return Span(line, column, end_line, end_column)


class _Driver:
    def __init__(self, lark: Any, text: str) -> None:
        self.lark = lark
        self.text = text
        self.diags: list[Diagnostic] = []
        self.post = IndentPostLexer(text)
        self.pushback: list[Token] = []
        self.orphans: set[int] = set()
        self.lexer_state = lexer_state(text)  # moved by ``_fast_forward``

    def _tokens(self) -> Iterator[Token]:
        stream = self.post.process(lex_text(self.lark, self.text, self.lexer_state))
        while True:
            if self.pushback:
                yield self.pushback.pop()
                continue
            tok = next(stream, None)
            if tok is None:
                return
            yield tok

    def run(self) -> ParseResult:
        ip = self.lark.parse_interactive("")
        state = ip.parser_state
        snap = _snapshot(state)
        line: list[Token] = []  # tokens of the current statement fed so far
        indents: list[bool] = []  # per open _INDENT: whether it was dropped
        broken_line = 0  # the line of the last broken statement
        nesting = _Nesting()
        tokens = self._tokens()
        table = _table(state)
        stack = state.state_stack
        values = state.value_stack
        for tok in tokens:
            kind = tok.type
            if kind == "BAD_INDENT":
                self._report("P101", tok.value, tok)
                continue
            if kind == "_INDENT":
                indents.append(False)
            elif kind == "_DEDENT" and indents and indents.pop():
                continue  # closes an indentation that was dropped
            if not line and kind not in _LAYOUT:
                snap = _snapshot(state)
                nesting = _Nesting()
                if True in indents:
                    self.orphans.add(tok.line or 0)
            if kind == "NAME" and tok.value in CONTEXTUAL_KEYWORDS:
                tok = _contextual(state, tok)
                kind = tok.type
            try:
                if kind in _NESTING_KINDS and nesting.push(kind) > MAX_NESTING:
                    raise _TooDeep
                if len(line) >= MAX_STATEMENT_TOKENS and kind not in _LAYOUT:
                    raise _TooLong
                # Lark's ``feed_token``, over the table made by ``_table``.
                while table is not None:
                    action = table[stack[-1]].get(kind)
                    if action is None:
                        state.feed_token(tok)  # raises Lark's own error for the token
                        break  # pragma: no cover - the token was accepted after all
                    if type(action) is int:  # shift
                        stack.append(action)
                        values.append(tok)
                        break
                    size, build, origin = action
                    if size:
                        children = values[-size:]
                        del stack[-size:]
                        del values[-size:]
                    else:
                        children = []
                    values.append(build(children))
                    stack.append(table[stack[-1]][origin])
                else:
                    state.feed_token(tok)
            except Exception as exc:  # noqa: BLE001 - narrowed on the next line
                if not isinstance(exc, (UnexpectedInput, _TooDeep, _TooLong)):
                    raise
                if kind == "_INDENT":
                    indents[-1] = True
                    if tok.line != broken_line + 1:
                        self._report("P101", "unexpected indentation", tok,
                                     "indent only the statements of a block under its header")
                    continue
                if kind == "_DEDENT":
                    continue
                first = line[0] if line else tok
                too_long = isinstance(exc, _TooLong)
                rest = self._skip_line(tok, tokens, fast=too_long)
                if too_long:
                    self._report("P100", f"statement too long: more than {MAX_STATEMENT_TOKENS}"
                                 " words, numbers and symbols", first,
                                 "write it shorter: no statement needs this many terms (for "
                                 "example, `stop if a or b` can be two `stop if` lines)")
                else:
                    self._report_line(first, tok, line, rest, isinstance(exc, _TooDeep))
                broken_line = (rest[-1] if rest else tok).line or 0
                after = (line + [tok] + rest)[1:]
                _restore(state, snap)
                line = []
                nesting = _Nesting()
                self._synthesize_header(state, first, after, tokens)
                continue
            if kind == "_NL":
                line = []
            elif kind not in _LAYOUT:
                line.append(tok)
        tree: Tree | None
        try:
            tree = state.feed_token(Token("$END", "", len(self.text), 1, 1), True)
        except UnexpectedInput as exc:  # pragma: no cover - the post-lexer balances blocks
            self._report("P100", "unexpected end of file", getattr(exc, "token", None)
                         or Token("$END", "", 0, 1, 1))
            tree = None
        return ParseResult(tree, tuple(self.diags), tuple(self.post.comments),
                           frozenset(self.orphans))

    def _skip_line(self, tok: Token, tokens: Iterator[Token], fast: bool = False
                   ) -> list[Token]:
        """Consume the tokens after ``tok`` up to and including the line's _NL; ``fast``
        moves the lexer past plain text of the line without making tokens of it."""
        rest: list[Token] = []
        if tok.type == "_NL":
            return rest
        while True:
            if fast:
                self._fast_forward()
            nxt = next(tokens, None)
            if nxt is None:
                break
            if nxt.type == "_NL":
                rest.append(nxt)
                break
            if nxt.type in ("_INDENT", "_DEDENT", "BAD_INDENT"):
                self.pushback.append(nxt)
                break
            rest.append(nxt)
        return rest

    def _fast_forward(self) -> None:
        """Move the lexer to the next line break, comment or long string of the line."""
        counter = self.lexer_state.line_ctr
        end = _REST_OF_LINE.match(self.text, counter.char_pos).end()
        counter.char_pos = end
        counter.column = end - counter.line_start_pos + 1

    def _synthesize_header(self, state, first: Token, after: list[Token],
                           tokens: Iterator[Token]) -> None:
        """Feed a minimal header for a broken block header, so its body stays in its block."""
        keyword = first.type
        if keyword not in HEADER_KEYWORDS.values():
            if first.type not in ("NAME", "BADWORD"):
                return
            guess = closest(first.value.lower(), list(HEADER_KEYWORDS))
            # Only when an indented body follows is a misspelt header worth guessing.
            nxt = next(tokens, None)
            if nxt is not None:
                self.pushback.append(nxt)
            if guess is None or nxt is None or nxt.type != "_INDENT":
                return
            keyword = HEADER_KEYWORDS[guess]
        want = "NUMBER" if keyword == "LEVEL" else "NAME"
        arg = after[0] if after and after[0].type == want else None
        if arg is None or (want == "NUMBER" and not arg.value.isdigit()):
            arg = Token(want, "", first.start_pos, first.line, first.column,
                        first.end_line, first.end_column, first.end_pos)
        nl = Token("_NL", "\n", first.end_pos, first.line, first.end_column,
                   first.line, first.end_column, first.end_pos)
        for t in (Token(keyword, first.value, first.start_pos, first.line, first.column,
                        first.end_line, first.end_column, first.end_pos), arg, nl):
            state.feed_token(t)

    def _report(self, code: str, message: str, tok: Token, help: str | None = None) -> None:
        self.diags.append(diagnostic(code, message, _span(tok), help))

    def _report_line(self, first: Token, tok: Token, fed: list[Token], rest: list[Token],
                     too_deep: bool) -> None:
        """Report the one diagnostic of a broken statement line."""
        for t in fed + [tok] + rest:
            if t.type in _UNTERMINATED:
                quote = '"""' if t.type == "UNTERMINATED_LONG_STRING" else '"'
                help = ('close it with `"` on the same line, or use `"""` for text over '
                        'several lines' if quote == '"' else 'close it with `"""`')
                end = Span(t.line or 1, t.column or 1, t.line or 1,
                           (t.column or 1) + len(t.value.split("\n", 1)[0]))
                self.diags.append(diagnostic("P102", "unterminated string", end, help))
                return
        if too_deep:
            self._report("P100", f"expression nested more than {MAX_NESTING} levels deep",
                         tok, "split the condition into named conditions")
            return
        if tok is first and tok.type in ("NAME", "BADWORD"):
            self._report("P104", f"unknown keyword `{tok.value}`", tok,
                         syntax_help.unknown_keyword(tok.value))
            return
        if first.type in ("SCHEDULE", "FREQUENCY"):
            fault = syntax_help.rate_fault((fed + [tok] + rest)[1:])
            if fault is not None:
                at, expected_word, help = fault
                self._report("P100", f"expected {expected_word}, found {_describe(at)}", at,
                             help)
                return
        late = syntax_help.unit_read_too_late(fed, tok)
        if late is not None:
            at, help = late
            self._report("P100", f"expected the end of the line, found {_describe(at)}", at,
                         help)
            return
        accepted = self._expected(fed)
        reserved = syntax_help.reserved_as_name(tok, accepted)
        if reserved is not None:
            self._report("P100", reserved[0], tok, reserved[1])
            return
        expected = _expected_words(accepted, fed)
        found = _describe(tok)
        self._report("P100", f"expected {expected}, found {found}", tok,
                     _hint(tok, accepted, fed))

    def _expected(self, prefix: list[Token]) -> set[str]:
        """The terminals that would have let the statement go on after ``prefix``.

        The statement is replayed alone on a fresh parser (every statement may start a file as
        far as the grammar is concerned), so the check is cheap whatever the file's size.
        """
        ip = self.lark.parse_interactive("")
        try:
            for t in prefix:
                ip.feed_token(t)
            return set(ip.accepts())
        except UnexpectedInput:  # pragma: no cover - the prefix was accepted once already
            return set()


def _table(state: Any) -> dict[Any, dict[str, Any]] | None:
    """The parse table of ``state`` for the driver's loop, one per table of Lark's: per state
    and terminal or rule name, the next state of a shift (an int) or, for a reduction, the
    rule's size, its tree builder and its name. Each state's row is made when the parser first
    reaches it (a small file reaches few). None (use Lark's ``feed_token``) for a table whose
    states are not numbered, or with callbacks on terminals or none at all."""
    conf = state.parse_conf
    cached = _TABLES.get(id(conf.states))
    if cached is not None and cached[0] is conf.states and cached[1] is conf.callbacks:
        return cached[2]
    table: _Rows | None = _Rows(conf.states, conf.callbacks)
    if (not conf.callbacks or any(isinstance(key, str) for key in conf.callbacks)
            or not all(type(number) is int for number in conf.states)):
        table = None
    _TABLES[id(conf.states)] = (conf.states, conf.callbacks, table)
    return table


class _Rows(dict):  # type: ignore[type-arg]
    """The rows of ``_table``, made from Lark's on first use."""

    __slots__ = ("states", "callbacks")

    def __init__(self, states: dict[int, dict[str, Any]], callbacks: dict[Any, Any]) -> None:
        super().__init__()
        self.states = states
        self.callbacks = callbacks

    def __missing__(self, number: int) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name, (_, arg) in self.states[number].items():
            if hasattr(arg, "expansion"):  # a rule: reduce
                row[name] = (len(arg.expansion), self.callbacks[arg], arg.origin.name)
            else:  # a state: shift
                row[name] = arg
        self[number] = row
        return row


# Tables made by ``_table``, by the identity of Lark's (kept alive here).
_TABLES: dict[int, tuple[Any, Any, Any]] = {}


class _TooDeep(Exception):
    pass


class _TooLong(Exception):
    pass


def _contextual(state, tok: Token) -> Token:
    """``tok`` (a NAME spelling a contextual keyword) as that keyword where the parser's
    current state accepts the keyword; else unchanged."""
    keyword = CONTEXTUAL_KEYWORDS[tok.value]
    if keyword in state.parse_conf.states[state.position]:
        return Token.new_borrow_pos(keyword, tok.value, tok)
    return tok


_NESTING_KINDS = frozenset({"LPAR", "RPAR", "NOT", "AND", "OR"})  # what _Nesting counts


class _Nesting:
    """How deeply the expression being read nests: open parentheses, and the `not`s still open
    at each level (an `and`/`or` ends the operands of the `not`s before it)."""

    def __init__(self) -> None:
        self.nots = [0]

    def push(self, kind: str) -> int:
        """Account for a token; the nesting after it."""
        if kind == "LPAR":
            self.nots.append(0)
        elif kind == "RPAR":
            if len(self.nots) > 1:
                self.nots.pop()
        elif kind == "NOT":
            self.nots[-1] += 1
        elif kind in ("AND", "OR"):
            self.nots[-1] = 0
        else:
            return 0
        return len(self.nots) - 1 + sum(self.nots)


def _snapshot(state) -> tuple[list, list, list]:
    trees = [(v, len(v.children)) for v in state.value_stack if isinstance(v, Tree)]
    return list(state.state_stack), list(state.value_stack), trees


def _restore(state, snap) -> None:
    states, values, trees = snap
    state.state_stack[:] = states
    state.value_stack[:] = values
    # Lark extends the child list of a left-recursive tree in place; undo what was added.
    for tree, n in trees:
        del tree.children[n:]


_TOKEN_WORDS = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": "a string",
    "LONG_STRING": "a string",
    "CODE": "a rule code such as `P205`",
    "_NL": "the end of the line",
    "_INDENT": "an indented block",
    "_DEDENT": "the end of the block",
    "$END": "the end of the file",
    "MINUS": "`-`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "COMMA": "`,`",
    "BADWORD": "a unit",
    "CMP": "a comparison (`<`, `<=`, `>`, `>=` or `=`)",
}


_EXPR_KEYWORDS = frozenset({"IF", "REQUIRES", "WHEN", "AND", "OR", "NOT", "LPAR"})


def _name_word(fed: list[Token]) -> str:
    """What a NAME token would be at the end of the statement prefix ``fed``, in words."""
    if not fed:
        return "a name"
    kw = fed[0].type
    last = fed[-1].type
    n = len(fed)
    if any(t.type in _EXPR_KEYWORDS for t in fed[1:]):
        if last == "NUMBER" and any(t.type == "CMP" for t in fed[-3:]):
            return "a unit"
        return "a condition name"
    if kw == "SCHEDULE":
        if n == 1:
            return "`daily`"
        if last == "NUMBER":
            if n == 2:
                return "`times`"
            return "`days`" if n == 3 and fed[1].type == "EVERY" else "`weeks`"
        if n == 3 and fed[1].type == "NUMBER":
            return "`daily` or `weekly`"
        return "`for`"
    if last == "NUMBER":
        return "a unit, an equipment name" if kw == "LOAD" else "a unit"
    if kw == "REPS":
        return "`max`" if n == 1 else "`up`"
    return {
        "REST": "`between`",
        "LOAD": "an equipment name",
        "CONDITION": "a condition kind" if n == 2 else "a name",
        "KIND": "an exercise kind",
        "SIDES": ("a side", "`starting`",
                  "`left`, `right`, `affected` or `unaffected`")[min(n, 3) - 1],
        "INTENSITY": "`light`, `moderate` or `vigorous`",
        "USES": "an equipment name",
        "INCREASE": "`week`",
    }.get(kw, "a name")


def _expected_words(expected: set[str], fed: list[Token] | None = None) -> str:
    """The terminals of ``expected`` in words, as the end of "expected ...".

    ``fed`` (the statement so far) tells what a name would be there.
    """
    names: list[str] = []
    expected = set(expected)
    if fed and fed[0].type == "REST" and fed[-1].type in ("NAME", "BADWORD") and (
            {"SETS", "SIDES"} <= expected):
        # `rest 30 s ...`: the grammar cannot yet tell a unit from `between`; the author can.
        if fed[-1].value == "between":
            return "`sets` or `sides`"
        return "`between sets` or `between sides`"
    if {"NOT", "LPAR", "NAME"} <= expected:
        # The start of a condition expression.
        names.append("a condition")
        expected -= {"NOT", "LPAR", "NAME", "STRING", "LONG_STRING"}
    if "NUMBER" in expected:
        expected.discard("MINUS")  # a `-` there would only start a negative number
    if len(expected) > 1:
        expected.discard("CMP")  # after a name in a condition: only a measure takes one
    keywords = [t for t in expected if t.isupper() and t not in _TOKEN_WORDS
                and not t.startswith(("UNTERMINATED", "BAD", "__"))]
    if len(keywords) > 6:
        names.append("a statement")
        expected -= {"_NL", "_DEDENT", "$END"}  # blank lines and the end go without saying
    else:
        names.extend(f"`{t.lower()}`" for t in sorted(keywords))
    for t in ("NAME", "NUMBER", "STRING", "LONG_STRING", "CODE", "LPAR", "MINUS", "COMMA",
              "RPAR", "_INDENT", "_NL", "_DEDENT", "$END"):
        if t in expected:
            word = _name_word(fed or []) if t == "NAME" else _TOKEN_WORDS[t]
            if word not in names:
                names.append(word)
    if "the end of the line" in names and len(names) > 1:
        names.remove("the end of the line")
        names.append("the end of the line")
    if not names:
        return "something else"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _describe(tok: Token) -> str:
    if tok.type == "_NL":
        return "the end of the line"
    if tok.type == "_INDENT":
        return "an indented line"
    if tok.type == "_DEDENT":
        return "the end of the block"
    if tok.type == "$END":
        return "the end of the file"
    if tok.type in ("STRING", "LONG_STRING"):
        return "a string"
    if tok.type == "BAD_CHAR":
        ch = tok.value
        if ch == "\r":
            return "a carriage return without a line feed"
        if ch.isprintable() and not ch.isspace():
            return f"`{ch}`"
        import unicodedata

        name = unicodedata.name(ch, "").lower()
        return f"the character U+{ord(ch):04X}" + (f" ({name})" if name else "")
    value = tok.value if len(tok.value) <= 40 else tok.value[:37] + "..."
    return f"`{value}`"


def _hint(tok: Token, expected: set[str], fed: list[Token]) -> str | None:
    """A help line for a P100, where one helps."""
    if tok.type == "BADWORD":
        return "names and words of the language are lowercase letters, digits and `_`, " \
               "starting with a letter"
    if tok.type == "BAD_CHAR" and tok.value in "'\u2018\u2019\u201c\u201d":
        return 'write text between straight double quotes: "..."'
    if {"NOT", "LPAR", "NAME"} <= expected:
        return 'a condition is a name or a "text", combined with `not`, `and`, `or` and ' \
               'parentheses'
    if "STRING" in expected and len(expected - {"STRING", "LONG_STRING"}) == 0:
        return 'write the text between double quotes: "..."'
    if tok.type == "NUMBER" and fed and fed[-1].type == "NUMBER":
        return "a range is written `A-B` or `A to B`"
    if tok.type == "NUMBER" and "CMP" in expected:
        return "compare a measure with `<`, `<=`, `>`, `>=` or `=`, such as `pain <= 2`"
    if tok.type == "MINUS" and len(fed) >= 2 and fed[-2].type == "CMP":
        return "a comparison takes a single value, such as `pain <= 2`"
    if tok.type in ("NAME", "BADWORD"):
        words = [w for w, t in CONTEXTUAL_KEYWORDS.items() if t in expected]
        guess = closest(tok.value.lower(), words) if words else None
        if guess is not None:
            return f"did you mean `{guess}`?"
    return None
