"""Hypothesis strategies for valid-by-construction protocol ASTs (the parsed, as-written form).

``modules()`` draws a ``nodes.Module`` holding one ``Protocol`` whose body mixes protocol
statements and exercises in any order; an exercise holds either ``level`` blocks or the
statements of its single level directly, as the language allows. Every statement stands in a
block where it is allowed and once-only statements appear once, so the printed text has no
syntax or structure error. Positions are all ``NO_SPAN`` (comparisons leave them out);
quantities carry their numbers as written in ``text``, units in any accepted spelling. Every form
of version 2 is drawn: measures and comparisons, rates, frequencies, windows, tempo, contraction,
reps lists and max, rpe, distance, relative and optional loads, support, eyes, range until,
affected sides, exercise-level texts and allows in every block.
"""

from __future__ import annotations

import textwrap

from hypothesis import strategies as st

from protodsl import nodes as n
from protodsl import vocabulary as v

S = n.NO_SPAN

names = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True).filter(
    lambda w: w not in v.RESERVED)

# One-line text: anything but line breaks (quotes and backslashes included on purpose).
_line_chars = st.characters(exclude_categories=("Cs",), exclude_characters="\r\n")
_tricky = st.sampled_from(['"', "\\", '"""', '\\"', "\\\\", "#", " ", "\t", "é", "\u2028"])
one_line = st.lists(st.one_of(st.text(_line_chars, max_size=6), _tricky), max_size=6).map("".join)


def _dedented(lines: list[str]) -> str:
    # A value a `"""` string can hold: whitespace-only lines are empty, common margin removed.
    return textwrap.dedent("\n".join(line if line.strip(" \t") else "" for line in lines))


multi_line = st.lists(one_line, min_size=2, max_size=5).map(_dedented)
texts = st.one_of(one_line, one_line, multi_line)


@st.composite
def numbers(draw: st.DrawFn, allow_negative: bool = True) -> tuple[str, int | float]:
    """A number as written and its value."""
    whole = draw(st.integers(0, 400))
    written = str(whole)
    if draw(st.booleans()):
        written += "." + draw(st.from_regex(r"[0-9]{1,2}", fullmatch=True))
    value: int | float = float(written) if "." in written else int(written)
    if allow_negative and draw(st.integers(0, 15)) == 0:
        return "-" + written, -value
    return written, value


DURATION_UNITS = tuple(v.DURATION_UNITS)
LOAD_UNITS = tuple(v.LOAD_UNITS)


@st.composite
def quantities(draw: st.DrawFn, units: tuple[str, ...] | None = None,
               unit_optional: bool = False) -> n.Quantity:
    """A number or range with a unit from ``units`` (none when ``units`` is None)."""
    low_text, low = draw(numbers())
    is_range = draw(st.booleans())
    high_text, high = draw(numbers()) if is_range else (low_text, low)
    unit = None
    if units is not None and not (unit_optional and draw(st.booleans())):
        unit = draw(st.sampled_from(units))
    sep = draw(st.sampled_from(["-", " - ", " to "]))
    amount = f"{low_text}{sep}{high_text}" if is_range else low_text
    text = amount if unit is None else amount + draw(st.sampled_from(["", " "])) + unit
    return n.Quantity(low, high, unit, text, S, S if unit else None, is_range)


durations = quantities(DURATION_UNITS)
counts = quantities(None)
loads = quantities(LOAD_UNITS)


MEASURE_UNITS = tuple(v.MEASURE_UNITS)


@st.composite
def _compare(draw: st.DrawFn, measure_names: list[str]) -> n.Expr:
    _, value = draw(numbers())
    unit = draw(st.none() | st.sampled_from(MEASURE_UNITS))
    return n.Compare(draw(st.sampled_from(measure_names)), S,
                     draw(st.sampled_from(v.COMPARISON_OPS)), value, unit,
                     S if unit else None, S)


def _leaf(cond_names: list[str], measure_names: list[str] | None = None
          ) -> st.SearchStrategy[n.Expr]:
    leaves = [st.sampled_from(cond_names).map(lambda w: n.Ref(w, S)),
              one_line.map(lambda t: n.Inline(t, S))]
    if measure_names:
        leaves.append(_compare(measure_names))
    return st.one_of(leaves)


def _extend(children: st.SearchStrategy[n.Expr]) -> st.SearchStrategy[n.Expr]:
    def chain(cls: type) -> st.SearchStrategy[n.Expr]:
        # Chains of one operator are flat in a parsed AST: no AllOf directly in an AllOf.
        operand = children.filter(lambda e: not isinstance(e, cls))
        return st.lists(operand, min_size=2, max_size=3).map(lambda ops: cls(tuple(ops), S))

    return st.one_of(children.map(lambda e: n.Not(e, S)), chain(n.AllOf), chain(n.AnyOf))


def expressions(cond_names: list[str], measure_names: list[str] | None = None
                ) -> st.SearchStrategy[n.Expr]:
    """Expressions over the given condition names, comparisons on the given measures and
    inline texts."""
    return st.recursive(_leaf(cond_names, measure_names), _extend, max_leaves=6)


@st.composite
def _window(draw: st.DrawFn) -> n.Window:
    first = draw(st.integers(0, 60))
    if draw(st.booleans()):
        return n.Window(S, "from", first, None, S)
    return n.Window(S, "during", first, draw(st.integers(0, 60)), S)


@st.composite
def _measure(draw: st.DrawFn, name: str) -> n.Measure:
    kind = draw(st.sampled_from(v.CONDITION_KINDS))
    form = draw(st.sampled_from(["unit", "scale", "none"]))
    if form == "unit":
        unit = draw(st.sampled_from(MEASURE_UNITS))
        return n.Measure(S, name, S, kind, S, draw(texts), unit, S)
    if form == "scale":
        scale = draw(counts.filter(lambda q: q.is_range))
        return n.Measure(S, name, S, kind, S, draw(texts), None, None, scale)
    return n.Measure(S, name, S, kind, S, draw(texts))


_phases = st.lists(st.integers(0, 9) | st.just("x"), min_size=3, max_size=4).map(tuple)
_reps_items = st.lists(st.integers(0, 30) | st.just("max"), min_size=2, max_size=5).map(tuple)


@st.composite
def _rate(draw: st.DrawFn) -> n.Rate:
    """A rate of any form (8.1): daily, N or A-B times daily|weekly, every N or A-B days, once
    or twice, as needed."""
    form = draw(st.sampled_from(["daily", "times", "every", "as_needed", "word"]))
    if form in ("daily", "as_needed"):
        return n.Rate(form, None, None, None, S)
    per = draw(st.sampled_from(["daily", "weekly"]))
    if form == "word":
        word = draw(st.sampled_from(["once", "twice"]))
        count = 1 if word == "once" else 2
        return n.Rate("times", count, count, per, S, S, word)
    low = draw(st.integers(0, 30))
    high = draw(st.integers(low, 30) | st.just(low))
    return n.Rate(form, low, high, per if form == "times" else None, S, S)


@st.composite
def _schedule(draw: st.DrawFn) -> n.Schedule:
    weeks = draw(st.none() | st.integers(0, 60))
    return n.Schedule(S, draw(_rate()), weeks, S if weeks is not None else None)


@st.composite
def _load(draw: st.DrawFn, cond_names: list[str], equipment: list[str],
          measure_names: list[str] | None = None) -> n.Load:
    amount = draw(quantities(LOAD_UNITS + v.RELATIVE_LOAD_UNITS, unit_optional=True))
    candidates = equipment
    if amount.unit is None:
        # One word after a bare amount is read as a unit when it looks like one.
        candidates = [e for e in equipment
                      if e not in v.UNITS and v.closest(e, list(v.UNITS)) is None]
    eq = None
    if candidates and draw(st.booleans()):
        eq = n.NameRef(draw(st.sampled_from(candidates)), S)
    placement = draw(st.none() | texts)
    return n.Load(S, amount, eq, placement, draw(expressions(cond_names, measure_names)),
                  draw(st.booleans()))


def _level_statements(draw: st.DrawFn, cond_names: list[str], equipment: list[str],
                      with_shared: bool, measure_names: list[str] | None = None
                      ) -> list[n.Statement]:
    """The statements of one level (``with_shared``: also the statements an exercise may hold:
    uses, requires, stop, note, cue, step, error, modification, frequency, window, range until,
    allow)."""
    e = expressions(cond_names, measure_names)
    once: list[st.SearchStrategy[n.Statement]] = [
        durations.map(lambda q: n.Hold(S, q)),
        durations.map(lambda q: n.Duration(S, q)),
        counts.map(lambda q: n.Sets(S, q)),
        counts.map(lambda q: n.Breaths(S, q)),
        durations.map(lambda q: n.Rest(S, q, "sets")),
        durations.map(lambda q: n.Rest(S, q, "sides")),
        st.builds(lambda side, start: n.Sides(S, side, S, start, S if start else None),
                  st.sampled_from(v.SIDES), st.none() | st.sampled_from(v.STARTING_SIDES)),
        counts.map(lambda q: n.Total(S, q)),
        st.sampled_from(v.INTENSITIES).map(lambda w: n.Intensity(S, w, S)),
        _phases.map(lambda p: n.Tempo(S, p, tuple(S for _ in p))),
        st.sampled_from(v.CONTRACTIONS).map(lambda w: n.Contraction(S, w, S)),
        counts.map(lambda q: n.Rpe(S, q)),
        quantities(tuple(v.DISTANCE_UNITS)).map(lambda q: n.Distance(S, q)),
        st.sampled_from(v.SUPPORTS).map(lambda w: n.Support(S, w, S)),
        st.sampled_from(v.EYES).map(lambda w: n.Eyes(S, w, S)),
    ]
    if with_shared:
        once += [e.map(lambda x: n.Requires(S, x)), _rate().map(lambda r: n.Frequency(S, r)),
                 _window(), e.map(lambda x: n.RangeUntil(S, x))]
    # Every level has a dosage: reps in any of its three forms.
    body: list[n.Statement] = [draw(st.one_of(
        counts.map(lambda q: n.Reps(S, q)),
        _reps_items.map(lambda items: n.RepsList(S, items, tuple(S for _ in items))),
        (st.none() | st.integers(0, 50)).map(lambda m: n.RepsMax(S, m, S if m else None))))]
    for strategy in once:
        if draw(st.integers(0, 3)) == 0:
            body.append(draw(strategy))
    many: list[st.SearchStrategy[n.Statement]] = [
        texts.map(lambda t: n.Step(S, t)),
        st.builds(lambda to, x: n.Advance(S, to, S, x), st.integers(1, 5), e),
        st.builds(lambda to, x: n.Regress(S, to, S, x), st.integers(1, 5), e),
        st.builds(lambda what, unit_q, cap: n.Increase(S, what, S, unit_q, "week", S, cap),
                  st.sampled_from(["hold", "duration"]), durations, durations),
        st.builds(lambda what, by, cap, every: n.Increase(S, what, S, by, every, S, cap),
                  st.sampled_from(["reps", "sets"]), counts, counts,
                  st.sampled_from(v.INCREASE_EVERY)),
        st.builds(lambda by, cap: n.Increase(S, "load", S, by, "session", S, cap),
                  loads, loads),
        st.builds(lambda by, cap: n.Increase(S, "distance", S, by, "week", S, cap),
                  quantities(tuple(v.DISTANCE_UNITS)), quantities(tuple(v.DISTANCE_UNITS))),
        st.builds(lambda a, b: n.ErrorFix(S, a, b), texts, texts),
        st.builds(lambda t, w: n.Modification(S, t, w), texts, st.none() | e),
        _load(cond_names, equipment, measure_names),
    ]
    if with_shared:
        many += [texts.map(lambda t: n.Cue(S, t)), texts.map(lambda t: n.Note(S, t)),
                 e.map(lambda x: n.StopIf(S, x)), _allow()]
        if equipment:
            many.append(_uses(equipment))
    for _ in range(draw(st.integers(0, 4))):
        body.append(draw(st.one_of(many)))
    return body


def _allow() -> st.SearchStrategy[n.Statement]:
    return st.builds(lambda k, r: n.Allow(S, f"P{k}", S, r), st.integers(100, 999), texts)


def _uses(equipment: list[str]) -> st.SearchStrategy[n.Statement]:
    return st.lists(st.sampled_from(equipment), min_size=1, max_size=3).map(
        lambda ws: n.Uses(S, tuple(n.NameRef(w, S) for w in ws)))


@st.composite
def exercises(draw: st.DrawFn, cond_names: list[str], equipment: list[str],
              measure_names: list[str] | None = None) -> n.Exercise:
    """An exercise with its own statements and either level blocks or one implicit level."""
    e = expressions(cond_names, measure_names)
    own: list[n.Statement] = []
    if draw(st.booleans()):
        own.append(n.Kind(S, draw(st.sampled_from(v.EXERCISE_KINDS)), S))
    if draw(st.booleans()):
        own.append(n.Requires(S, draw(e)))
    for strategy in (_rate().map(lambda r: n.Frequency(S, r)), _window(),
                     e.map(lambda x: n.RangeUntil(S, x))):
        if draw(st.integers(0, 3)) == 0:
            own.append(draw(strategy))
    many = [texts.map(lambda t: n.Cue(S, t)), texts.map(lambda t: n.Note(S, t)),
            e.map(lambda x: n.StopIf(S, x)), texts.map(lambda t: n.Step(S, t)),
            st.builds(lambda a, b: n.ErrorFix(S, a, b), texts, texts),
            st.builds(lambda t, w: n.Modification(S, t, w), texts, st.none() | e), _allow()]
    if equipment:
        many.append(_uses(equipment))
    for _ in range(draw(st.integers(0, 2))):
        own.append(draw(st.one_of(many)))
    if draw(st.booleans()):
        # A single level written in the exercise block: what both blocks allow belongs to the
        # exercise (drawn above), so the level part draws only level-only statements.
        body = own + _level_statements(draw, cond_names, equipment, with_shared=False,
                                       measure_names=measure_names)
    else:
        levels = []
        for number in range(1, draw(st.integers(1, 3)) + 1):
            extends = draw(st.none() | st.integers(1, 4))
            levels.append(n.Level(
                S, number, S, draw(st.none() | texts), extends, S if extends else None,
                tuple(draw(st.permutations(
                    _level_statements(draw, cond_names, equipment, with_shared=True,
                                      measure_names=measure_names))))))
        body = own + levels
    title = draw(st.none() | texts)
    return n.Exercise(S, draw(names), S, title, tuple(draw(st.permutations(body))))


@st.composite
def modules(draw: st.DrawFn) -> n.Module:
    """A whole file: one protocol with definitions, settings and one or more exercises."""
    cond_names = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    measure_names = draw(st.lists(names.filter(lambda w: w not in cond_names), max_size=2,
                                  unique=True))
    equipment = draw(st.lists(names, max_size=3, unique=True))
    body: list[n.Statement] = []
    for cls in (n.Source, n.Purpose, n.Author, n.Version):
        if draw(st.booleans()):
            body.append(cls(S, draw(texts)))
    if draw(st.booleans()):
        body.append(draw(_schedule()))
    if draw(st.booleans()):
        body.append(n.SessionLimit(S, draw(durations)))
    for w in cond_names:
        body.append(n.Condition(S, w, S, draw(st.sampled_from(v.CONDITION_KINDS)), S,
                                draw(texts)))
    for w in measure_names:
        body.append(draw(_measure(w)))
    for w in equipment:
        body.append(n.Equipment(S, w, S, draw(texts)))
    e = expressions(cond_names, measure_names)
    extra = [e.map(lambda x: n.StopIf(S, x)), texts.map(lambda t: n.Note(S, t)),
             st.builds(lambda k, r: n.Allow(S, f"P{k}", S, r), st.integers(100, 999), texts)]
    for _ in range(draw(st.integers(0, 3))):
        body.append(draw(st.one_of(extra)))
    for _ in range(draw(st.integers(1, 3))):
        body.append(draw(exercises(cond_names, equipment, measure_names)))
    protocol = n.Protocol(S, draw(names), S, draw(st.none() | texts),
                          tuple(draw(st.permutations(body))))
    return n.Module((protocol,))
