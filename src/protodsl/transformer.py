"""The transformer: Lark parse tree -> typed AST (protodsl.nodes).

It also checks the contextual words that the grammar reads as plain names (kinds, side words,
intensity words, schedule words), reporting P100 with the closest valid word; such a statement
is left out of the AST. Units are kept as written: the checker judges them (P300, P301).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from typing import Any

from protodsl._lark_parser import Token, Tree

from protodsl import nodes as n
from protodsl import syntax_help
from protodsl import vocabulary as v
from protodsl.diagnostics import Diagnostic, diagnostic


class _Skip(Exception):
    """Raised when a statement's words are invalid; its diagnostic is already recorded."""


def _tspan(tok: Token) -> n.Span:
    return n.Span(tok.line or 1, tok.column or 1, tok.end_line or tok.line or 1,
                  tok.end_column or (tok.column or 1) + 1)


def _mspan(tree: Tree) -> n.Span:
    # The first and last tokens of the tree, recorded by the parser (protodsl.parser).
    s, e = tree._s, tree._e
    return n.Span(s.line, s.column, e.end_line, e.end_column)


def _end(node: Token | Tree) -> tuple[int, int]:
    if isinstance(node, Token):
        return (node.end_line or 1, node.end_column or 1)
    e = node._e
    return (e.end_line, e.end_column)


def unescape(raw: str) -> str:
    """The value of a string token: quotes removed, escapes resolved, long strings dedented."""
    if raw.startswith('"""'):
        body = _unescape(raw[3:-3])
        lines = body.replace("\r\n", "\n").split("\n")
        if lines and not lines[0].strip():
            lines = lines[1:]
        if lines and not lines[-1].strip():
            lines = lines[:-1]
        return textwrap.dedent("\n".join(lines))
    return _unescape(raw[1:-1])


def _unescape(s: str) -> str:
    if "\\" not in s:
        return s
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] in '"\\':
            out.append(s[i + 1])
            i += 2
            continue
        out.append(c)  # an unknown escape is kept as written
        i += 1
    return "".join(out)


def _num(tok: Token) -> int | float:
    text = tok.value
    return int(text) if "." not in text else float(text)


class Builder:
    """Builds the AST of one file, collecting diagnostics about contextual words."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.diags: list[Diagnostic] = []

    # -- entry points ----------------------------------------------------------------------

    def module(self, tree: Tree) -> n.Module:
        """The top-level statements of the file."""
        return n.Module(tuple(self._statements(tree.children)))

    def _statements(self, children: Iterable[Any]) -> Iterable[n.Statement]:
        for child in children:
            if not isinstance(child, Tree):
                continue
            method: Callable[[Tree], n.Statement] | None = getattr(self, "s_" + child.data, None)
            if method is None:  # pragma: no cover - every statement rule has a method
                continue
            try:
                yield method(child)
            except _Skip:
                continue

    def _body(self, tree: Tree) -> tuple[n.Statement, ...]:
        for child in tree.children:
            if isinstance(child, Tree) and child.data == "body":
                return tuple(self._statements(child.children))
        return ()

    def _header_span(self, tree: Tree) -> n.Span:
        m = tree._s  # the header's first token
        last: Token | Tree | None = None
        for child in tree.children:
            if isinstance(child, Tree) and child.data == "body":
                break
            last = child
        if last is None:
            return n.Span(m.line, m.column, m.line, m.column + 1)
        end = _end(last)
        return n.Span(m.line, m.column, end[0], end[1])

    def _title(self, tree: Tree) -> str | None:
        for child in tree.children:
            if isinstance(child, Tree) and child.data == "title":
                return self._text(child.children[0])
        return None

    def _text(self, tree: Tree) -> str:
        return unescape(tree.children[0].value)

    def _word(self, tok: Token, allowed: tuple[str, ...], what: str | None = None) -> str:
        """Check a contextual word against the words allowed there (P100 if it is not one)."""
        if tok.value in allowed:
            return tok.value
        quoted = [f"`{w}`" for w in allowed]
        listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
        guess = v.closest(tok.value, allowed)
        help = f"did you mean `{guess}`?" if guess else f"use {listed}"
        expected = listed if what is None else f"{what}: {listed}"
        self.diags.append(diagnostic(
            "P100", f"expected {expected}, found `{tok.value}`", _tspan(tok), help))
        raise _Skip

    def _whole(self, tok: Token, what: str) -> int:
        if not tok.value or "." in tok.value:
            if tok.value:
                self.diags.append(diagnostic(
                    "P100", f"expected a whole number for {what}, found `{tok.value}`",
                    _tspan(tok)))
            raise _Skip
        return int(tok.value)

    # -- blocks ----------------------------------------------------------------------------

    def s_protocol_block(self, t: Tree) -> n.Protocol:
        name = t.children[0]
        return n.Protocol(self._header_span(t), name.value, _tspan(name), self._title(t),
                          self._body(t))

    def s_exercise_block(self, t: Tree) -> n.Exercise:
        name = t.children[0]
        return n.Exercise(self._header_span(t), name.value, _tspan(name), self._title(t),
                          self._body(t))

    def s_level_block(self, t: Tree) -> n.Level:
        num = t.children[0]
        if not num.value:
            number = -1  # a header the parser had to rebuild: its number is unknown
        elif "." in num.value:
            self.diags.append(diagnostic(
                "P100", f"expected a whole number for the level, found `{num.value}`",
                _tspan(num)))
            number = -1
        else:
            number = int(num.value)
        extends = None
        extends_span = None
        for child in t.children:
            if isinstance(child, Tree) and child.data == "extends":
                tok = child.children[0]
                try:
                    extends = self._whole(tok, "the level")
                except _Skip:
                    extends = None
                extends_span = _mspan(child)
        return n.Level(self._header_span(t), number, _tspan(num), self._title(t), extends,
                       extends_span, self._body(t))

    # -- text statements -------------------------------------------------------------------

    def _text_stmt(self, cls: type[n.TextStatement], t: Tree) -> n.TextStatement:
        return cls(_mspan(t), self._text(t.children[0]))

    def s_source(self, t: Tree) -> n.Statement:
        return self._text_stmt(n.Source, t)

    def s_purpose(self, t: Tree) -> n.Statement:
        return self._text_stmt(n.Purpose, t)

    def s_author(self, t: Tree) -> n.Statement:
        return self._text_stmt(n.Author, t)

    def s_version(self, t: Tree) -> n.Statement:
        return self._text_stmt(n.Version, t)

    def s_note(self, t: Tree) -> n.Statement:
        return self._text_stmt(n.Note, t)

    def s_cue(self, t: Tree) -> n.Statement:
        return self._text_stmt(n.Cue, t)

    def s_step(self, t: Tree) -> n.Statement:
        return self._text_stmt(n.Step, t)

    # -- protocol statements ---------------------------------------------------------------

    def s_schedule(self, t: Tree) -> n.Schedule:
        rate = self._rate(t.children[0])
        weeks = None
        weeks_span = None
        if len(t.children) > 1:
            _for, num, unit = t.children[1].children
            weeks = self._whole(num, "the number of weeks")
            weeks_span = _tspan(num)
            self._word(unit, ("weeks", "week"))
        return n.Schedule(_mspan(t), rate, weeks, weeks_span)

    def s_frequency(self, t: Tree) -> n.Frequency:
        return n.Frequency(_mspan(t), self._rate(t.children[1]))

    def _rate(self, t: Tree) -> n.Rate:
        """A schedule's or frequency's rate: how often (8.1)."""
        kids = t.children
        span = _mspan(t)
        if t.data == "rate_word":
            self._word(kids[0], ("daily",))
            return n.Rate("daily", None, None, None, span)
        if t.data == "rate_words":
            first, second = kids
            if first.value == "as":
                self._word(second, ("needed",))
                return n.Rate("as_needed", None, None, None, span)
            if first.value not in ("once", "twice"):
                guess = v.closest(first.value, ("once", "twice", "daily", "as"))
                self.diags.append(diagnostic(
                    "P100", "expected how often: a number of times, `once`, `twice`, `daily` "
                    f"or `as needed`, found `{first.value}`", _tspan(first),
                    f"did you mean `{'as needed' if guess == 'as' else guess}`?" if guess
                    else "write it as `3 times weekly`, `twice daily`, `every 2 days` or "
                    "`as needed`"))
                raise _Skip
            word = first.value
            count = 1 if word == "once" else 2
            per = self._word(second, ("daily", "weekly"))
            return n.Rate("times", count, count, per, span, _tspan(first), word)
        if t.data == "rate_times":
            amount, times, per_tok = kids
            low, high = self._whole_amount(amount, "the number of times")
            count = str(low) if low == high else f"{low}-{high}"
            said = f"{times.value} {per_tok.value}"
            self._rate_word(times, ("times",), "`times`", count, said)
            self._rate_word(per_tok, ("daily", "weekly"), "`daily` or `weekly`", count, said)
            return n.Rate("times", low, high, per_tok.value, span, _mspan(amount))
        amount, days = kids
        low, high = self._whole_amount(amount, "the number of days")
        self._rate_word(days, ("days", "day"), "`days`", None, days.value, every=True)
        return n.Rate("every", low, high, None, span, _mspan(amount))

    def _rate_word(self, tok: Token, allowed: tuple[str, ...], expected: str,
                   count: str | None, said: str, every: bool = False) -> None:
        if tok.value not in allowed:
            guess = v.closest(tok.value, allowed)
            help = (f"did you mean `{guess}`?" if guess is not None
                    else syntax_help.rate_help(count, said, every, tok.value))
            self.diags.append(diagnostic(
                "P100", f"expected {expected}, found `{tok.value}`", _tspan(tok), help))
            raise _Skip

    def _whole_amount(self, amount: Tree, what: str) -> tuple[int, int]:
        """The whole-number ends of a count or range of counts."""
        ends = []
        for number in amount.children:
            tok = number.children[0]
            if number.data == "negative":
                self.diags.append(diagnostic(
                    "P100", f"expected a whole number for {what}, found `-{tok.value}`",
                    _mspan(number)))
                raise _Skip
            ends.append(self._whole(tok, what))
        return ends[0], ends[-1]

    def s_during(self, t: Tree) -> n.Window:
        _during, week, amount = t.children
        self._word(week, ("week", "weeks"))
        first, last = self._whole_amount(amount, "the week")
        return n.Window(_mspan(t), "during", first, last, _mspan(amount))

    def s_from_week(self, t: Tree) -> n.Window:
        _from, week, num = t.children
        self._word(week, ("week",))
        return n.Window(_mspan(t), "from", self._whole(num, "the week"), None, _tspan(num))

    def s_measure(self, t: Tree) -> n.Measure:
        _measure, name, kind, text = t.children[:4]
        self._word(kind, v.CONDITION_KINDS, "a measure kind")
        unit = unit_span = scale = None
        if len(t.children) > 4:
            extra = t.children[4]
            word, value = extra.children
            if extra.data == "measure_in":
                self._word(word, ("in",))
                tok = value.children[0]
                unit, unit_span = tok.value, _tspan(tok)
            else:
                self._word(word, ("scale",))
                if value.data != "range":
                    self.diags.append(diagnostic(
                        "P100", "expected a range for the scale, such as `0-10`",
                        _mspan(value), "write the scale's lowest and highest values: "
                        "`scale 0-10`"))
                    raise _Skip
                scale = self._quantity_of(value, None)
        return n.Measure(_mspan(t), name.value, _tspan(name), kind.value, _tspan(kind),
                         self._text(text), unit, unit_span, scale)

    def s_session_limit(self, t: Tree) -> n.SessionLimit:
        return n.SessionLimit(_mspan(t), self._quantity(t.children[0]))

    def s_condition(self, t: Tree) -> n.Condition:
        name, kind, text = t.children
        self._word(kind, v.CONDITION_KINDS, "a condition kind")
        return n.Condition(_mspan(t), name.value, _tspan(name), kind.value, _tspan(kind),
                           self._text(text))

    def s_equipment(self, t: Tree) -> n.Equipment:
        name, text = t.children
        return n.Equipment(_mspan(t), name.value, _tspan(name), self._text(text))

    def s_stop_if(self, t: Tree) -> n.StopIf:
        return n.StopIf(_mspan(t), self._expr(t.children[0]))

    def s_allow(self, t: Tree) -> n.Allow:
        code, text = t.children
        return n.Allow(_mspan(t), code.value, _tspan(code), self._text(text))

    # -- exercise and level statements -----------------------------------------------------

    def s_kind(self, t: Tree) -> n.Kind:
        tok = t.children[0]
        return n.Kind(_mspan(t), self._word(tok, v.EXERCISE_KINDS, "an exercise kind"),
                      _tspan(tok))

    def s_requires(self, t: Tree) -> n.Requires:
        return n.Requires(_mspan(t), self._expr(t.children[0]))

    def s_uses(self, t: Tree) -> n.Uses:
        return n.Uses(_mspan(t), tuple(n.NameRef(tok.value, _tspan(tok)) for tok in t.children))

    def s_hold(self, t: Tree) -> n.Statement:
        return n.Hold(_mspan(t), self._quantity(t.children[0]))

    def s_duration(self, t: Tree) -> n.Statement:
        return n.Duration(_mspan(t), self._quantity(t.children[0]))

    def s_reps(self, t: Tree) -> n.Statement:
        return n.Reps(_mspan(t), self._quantity(t.children[0]))

    def _max(self, tok: Token) -> str:
        """The word `max` where reps are written (P100 for any other word)."""
        if tok.value != "max":
            help = ("did you mean `max`?" if v.closest(tok.value, ("max",)) else
                    "write the reps as a number (`reps 10`), or `max` for as many as possible")
            self.diags.append(diagnostic(
                "P100", f"expected a number or `max`, found `{tok.value}`", _tspan(tok), help))
            raise _Skip
        return "max"

    def s_reps_list(self, t: Tree) -> n.RepsList:
        items: list[int | str] = []
        spans: list[n.Span] = []
        for item in t.children:
            tok = item.children[0]
            if tok.type == "NAME":
                items.append(self._max(tok))
            else:
                items.append(self._whole(tok, "the reps of a set"))
            spans.append(_tspan(tok))
        return n.RepsList(_mspan(t), tuple(items), tuple(spans))

    def s_reps_max(self, t: Tree) -> n.RepsMax:
        self._max(t.children[0])
        if len(t.children) > 1:
            num = t.children[1]
            return n.RepsMax(_mspan(t), self._whole(num, "the most reps"), _tspan(num))
        return n.RepsMax(_mspan(t), None)

    def s_rpe(self, t: Tree) -> n.Statement:
        return n.Rpe(_mspan(t), self._quantity(t.children[1]))

    def s_distance(self, t: Tree) -> n.Statement:
        return n.Distance(_mspan(t), self._quantity(t.children[1]))

    def s_tempo(self, t: Tree) -> n.Tempo:
        phases: list[int | str] = []
        spans: list[n.Span] = []
        for phase in t.children[1:]:
            tok = phase.children[0]
            if tok.type == "NAME":
                phases.append(self._word(tok, ("x",), "seconds or `x` (as fast as possible)"))
            else:
                phases.append(self._whole(tok, "a tempo phase"))
            spans.append(_tspan(tok))
        return n.Tempo(_mspan(t), tuple(phases), tuple(spans))

    def _word_stmt(self, cls: type, t: Tree, allowed: tuple[str, ...], what: str) -> n.Statement:
        tok = t.children[1]
        return cls(_mspan(t), self._word(tok, allowed, what), _tspan(tok))

    def s_contraction(self, t: Tree) -> n.Statement:
        return self._word_stmt(n.Contraction, t, v.CONTRACTIONS, "a contraction")

    def s_support(self, t: Tree) -> n.Statement:
        return self._word_stmt(n.Support, t, v.SUPPORTS, "a support")

    def s_eyes(self, t: Tree) -> n.Statement:
        return self._word_stmt(n.Eyes, t, v.EYES, "`open` or `closed`")

    def s_range_until(self, t: Tree) -> n.RangeUntil:
        self._word(t.children[1], ("until",))
        return n.RangeUntil(_mspan(t), self._expr(t.children[2]))

    def s_sets(self, t: Tree) -> n.Statement:
        return n.Sets(_mspan(t), self._quantity(t.children[0]))

    def s_breaths(self, t: Tree) -> n.Statement:
        return n.Breaths(_mspan(t), self._quantity(t.children[0]))

    def s_total(self, t: Tree) -> n.Statement:
        return n.Total(_mspan(t), self._quantity(t.children[0]))

    def s_rest(self, t: Tree) -> n.Rest:
        amount = t.children[0]
        unit = t.children[1] if len(t.children) == 4 else None
        between, target = t.children[-2], t.children[-1]
        self._word(between, ("between",))
        return n.Rest(_mspan(t), self._quantity_of(amount, unit), target.children[0].value)

    def s_sides(self, t: Tree) -> n.Sides:
        kids = t.children
        value = self._word(kids[0], v.SIDES, "a side")
        starting = None
        starting_span = None
        if len(kids) == 3:
            self._word(kids[1], ("starting",))
            starting = self._word(kids[2], v.SIDES, "a side")
            starting_span = _tspan(kids[1]).to(_tspan(kids[2]))
        return n.Sides(_mspan(t), value, _tspan(kids[0]), starting, starting_span)

    def s_intensity(self, t: Tree) -> n.Intensity:
        tok = t.children[0]
        return n.Intensity(_mspan(t), self._word(tok, v.INTENSITIES, "an intensity"),
                           _tspan(tok))

    def s_load(self, t: Tree) -> n.Load:
        kids = list(t.children)
        optional = isinstance(kids[0], Token) and kids[0].type == "OPTIONAL"
        if optional:
            kids = kids[1:]
        amount = kids[0]
        unit: Token | None = None
        equipment: n.NameRef | None = None
        placement = None
        percent: Tree | None = None
        for child in kids[1:-1]:
            if child.data == "percent":
                percent = child
            elif child.data == "load_words":
                words = child.children
                if len(words) == 2:
                    unit, eq = words
                    equipment = n.NameRef(eq.value, _tspan(eq))
                elif percent is None and (
                    words[0].type == "BADWORD" or words[0].value in v.UNITS
                    or words[0].value in v.RELATIVE_LOAD_UNITS
                    or v.closest(words[0].value, list(v.UNITS)) is not None
                ):
                    unit = words[0]
                else:
                    equipment = n.NameRef(words[0].value, _tspan(words[0]))
            elif child.data == "placement":
                placement = self._text(child.children[0])
        if percent is not None:
            if unit is not None:  # `load 70 % 1rm kg ...`: a second unit where a name goes
                equipment = n.NameRef(unit.value, _tspan(unit))
            qty = self._percent(amount, percent)
        else:
            qty = self._quantity_of(amount, Tree("unit", [unit]) if unit is not None else None)
        return n.Load(_mspan(t), qty, equipment, placement, self._expr(kids[-1]), optional)

    def _percent(self, amount: Tree, percent: Tree) -> n.Quantity:
        """A load written ``A[-B] % 1rm``: the unit is ``%1rm`` however it was spaced."""
        sign, one, rm = percent.children
        if one.value != "1" or rm.value != "rm":
            self.diags.append(diagnostic(
                "P100", f"expected `% 1rm`, found `% {one.value}{rm.value}`",
                _tspan(sign).to(_tspan(rm)), "a percentage load is written `70 % 1rm` or "
                "`70 %1rm` (of the one-repetition maximum)"))
            raise _Skip
        qty = self._quantity_of(amount, None)
        start = amount._s.start_pos
        span = qty.span.to(_tspan(rm))
        return n.Quantity(qty.low, qty.high, "%1rm", self.text[start:rm.end_pos], span,
                          _tspan(sign).to(_tspan(rm)), qty.is_range)

    def _progression(self, cls: type, t: Tree) -> n.Statement:
        num, expr = t.children
        return cls(_mspan(t), self._whole(num, "the level"), _tspan(num), self._expr(expr))

    def s_advance(self, t: Tree) -> n.Statement:
        return self._progression(n.Advance, t)

    def s_regress(self, t: Tree) -> n.Statement:
        return self._progression(n.Regress, t)

    def s_increase(self, t: Tree) -> n.Increase:
        target, by, every_tree, up_to = t.children
        what_tok = target.children[0]
        every = every_tree.children[0]
        self._word(every, v.INCREASE_EVERY)
        return n.Increase(_mspan(t), what_tok.value, _tspan(what_tok), self._quantity(by),
                          every.value, _tspan(every), self._quantity(up_to))

    def s_error(self, t: Tree) -> n.ErrorFix:
        err, fix = t.children
        return n.ErrorFix(_mspan(t), self._text(err), self._text(fix))

    def s_modification(self, t: Tree) -> n.Modification:
        text = self._text(t.children[0])
        when = self._expr(t.children[1]) if len(t.children) > 1 else None
        return n.Modification(_mspan(t), text, when)

    # -- values ----------------------------------------------------------------------------

    def _quantity(self, t: Tree) -> n.Quantity:
        amount = t.children[0]
        unit = t.children[1] if len(t.children) > 1 else None
        return self._quantity_of(amount, unit)

    def _quantity_of(self, amount: Tree, unit: Tree | None) -> n.Quantity:
        numbers = [self._number(c) for c in amount.children]
        low = numbers[0]
        high = numbers[-1]
        span = _mspan(amount)
        unit_word = None
        unit_span = None
        if unit is not None:
            tok = unit.children[0]
            unit_word = tok.value
            unit_span = _tspan(tok)
            span = span.to(unit_span)
        start = amount._s.start_pos
        end = unit.children[0].end_pos if unit is not None else amount._e.end_pos
        return n.Quantity(low, high, unit_word, self.text[start:end], span, unit_span,
                          is_range=amount.data == "range")

    def _number(self, t: Tree) -> int | float:
        value = _num(t.children[0])
        return -value if t.data == "negative" else value

    # -- expressions -----------------------------------------------------------------------

    def _expr(self, t: Tree) -> n.Expr:
        if t.data == "expr":
            t = t.children[0]
        return self._expr_node(t)

    def _expr_node(self, t: Any) -> n.Expr:
        # Nesting is bounded by the parser (MAX_NESTING), so recursion is safe here.
        data = t.data
        if data == "ref":
            tok = t.children[0]
            return n.Ref(tok.value, _tspan(tok))
        if data == "inline":
            return n.Inline(self._text(t.children[0]), _mspan(t))
        if data == "compare":
            name, op, number = t.children[:3]
            unit = t.children[3].children[0] if len(t.children) > 3 else None
            return n.Compare(name.value, _tspan(name), op.value, self._number(number),
                             unit.value if unit is not None else None,
                             _tspan(unit) if unit is not None else None, _mspan(t))
        if data == "not_":
            return n.Not(self._expr_node(t.children[0]), _mspan(t))
        cls = n.AllOf if data == "all_of" else n.AnyOf
        operands: list[n.Expr] = []
        for child in t.children:
            node = self._expr_node(child)
            if type(node) is cls:  # a chain of one operator is one list
                operands.extend(node.operands)
            else:
                operands.append(node)
        return cls(tuple(operands), _mspan(t))
