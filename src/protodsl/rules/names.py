"""Names and references: P200-P205.

Name resolution is independent of order: a condition, measure or equipment may be used before
the line that defines it. Conditions and measures share one namespace (LANGUAGE.md 8.2);
equipment has its own.

Also home of the walkers that the other rule modules share (every statement with its exercise
and level, every expression and the condition references and comparisons in it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, TypeVar

from protodsl import nodes as n
from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.rules.registry import register
from protodsl.vocabulary import closest

if TYPE_CHECKING:
    from protodsl.context import Context

A = TypeVar("A", n.Ref, n.Compare)
S = TypeVar("S", bound=n.Statement)

# --- shared walkers -----------------------------------------------------------------------

def statements(protocol: n.Protocol) -> Iterator[tuple[n.Statement, n.Exercise | None,
                                                       n.Level | None]]:
    """Every statement of the protocol with the exercise and level it stands in."""
    for st in protocol.body:
        yield st, None, None
    for ex in protocol.exercises:
        for st in ex.body:
            yield st, ex, None
        for lv in ex.levels:
            for st in lv.body:
                yield st, ex, lv


def expressions(st: n.Statement) -> list[n.Expr]:
    """The expressions a statement holds (requires, stop if, load requires, when, range
    until)."""
    if isinstance(st, (n.Requires, n.StopIf, n.RangeUntil)):
        return [st.expr]
    if isinstance(st, n.Load):
        return [st.requires]
    if isinstance(st, (n.Advance, n.Regress)):
        return [st.when]
    if isinstance(st, n.Modification) and st.when is not None:
        return [st.when]
    return []


def _atoms(expr: n.Expr, cls: type[A]) -> Iterator[A]:
    """Every atom of type ``cls`` in an expression, left to right."""
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, cls):
            yield e
        elif isinstance(e, n.Not):
            stack.append(e.operand)
        elif isinstance(e, (n.AllOf, n.AnyOf)):
            stack.extend(reversed(e.operands))


def refs(expr: n.Expr) -> Iterator[n.Ref]:
    """Every condition reference in an expression, left to right."""
    return _atoms(expr, n.Ref)


def compares(expr: n.Expr) -> Iterator[n.Compare]:
    """Every comparison in an expression, left to right."""
    return _atoms(expr, n.Compare)


def names_in(expr: n.Expr) -> Iterator[n.Ref | n.Compare]:
    """Every name an expression uses (references and comparisons), left to right."""
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, (n.Ref, n.Compare)):
            yield e
        elif isinstance(e, n.Not):
            stack.append(e.operand)
        elif isinstance(e, (n.AllOf, n.AnyOf)):
            stack.extend(reversed(e.operands))


def of_type(ctx: Context, cls: type[S]) -> list[S]:
    """Every statement of exactly type ``cls`` in the protocol, in file order (the grouping is
    made once per check and shared by the rules)."""
    groups = ctx.shared("statements by type",
                        lambda: n.by_type(st for st, _, _ in statements(ctx.protocol)))
    return groups.get(cls, [])  # type: ignore[return-value]


def used_names(ctx: Context) -> list[n.Ref | n.Compare]:
    """Every name the protocol's expressions use, in file order (``names_in`` of every
    expression of every statement, made once per check and shared by the rules)."""
    return ctx.shared("used names", lambda: [
        node for st, _, _ in statements(ctx.protocol) for expr in expressions(st)
        for node in names_in(expr)])


def condition_refs(protocol: n.Protocol) -> Iterator[n.Ref]:
    """Every condition reference in the protocol."""
    for st, _, _ in statements(protocol):
        for expr in expressions(st):
            yield from refs(expr)


def measure_refs(protocol: n.Protocol) -> Iterator[n.Compare]:
    """Every comparison in the protocol."""
    for st, _, _ in statements(protocol):
        for expr in expressions(st):
            yield from compares(expr)


def equipment_refs(protocol: n.Protocol) -> Iterator[n.NameRef]:
    """Every equipment reference in the protocol (`uses` and `load`)."""
    for st, _, _ in statements(protocol):
        if isinstance(st, n.Uses):
            yield from st.names
        elif isinstance(st, n.Load) and st.equipment is not None:
            yield st.equipment


def level_numbers(exercise: n.Exercise) -> set[int]:
    """The known level numbers of an exercise (levels recovered after syntax errors left out)."""
    return {lv.number for lv in exercise.levels if lv.number >= 0}


def missing_levels(exercise: n.Exercise) -> list[tuple[int, int]]:
    """The gaps below the highest level number, as (first, last) missing numbers.

    Ranges rather than lists, so that `level 1000000` costs nothing.
    """
    gaps = []
    previous = 0
    for number in sorted(level_numbers(exercise)):
        if number > previous + 1:
            gaps.append((previous + 1, number - 1))
        previous = max(previous, number)
    return gaps


def in_gap(number: int, gaps: list[tuple[int, int]]) -> bool:
    """Whether ``number`` is one of the missing level numbers."""
    return any(first <= number <= last for first, last in gaps)


def gap_text(gaps: list[tuple[int, int]]) -> str:
    """`level 2 is missing`, `levels 2 and 4 are missing`, `levels 2 to 9 are missing`."""
    words: list[str] = []
    count = 0
    for first, last in gaps:
        count += last - first + 1
        if first == last:
            words.append(str(first))
        elif last == first + 1:
            words.extend((str(first), str(last)))
        else:
            words.append(f"{first} to {last}")
    if count == 1:
        return f"level {words[0]} is missing"
    return f"levels {_and(words)} are missing"


def _suggest(word: str, defined: Iterable[str], define: str) -> str:
    guess = closest(word, sorted(defined))
    if guess is not None:
        return f"did you mean `{guess}`?"
    return f"define it in the protocol block with `{define}`"


# --- P200 ---------------------------------------------------------------------------------


@register(
    "P200", "duplicate definition",
    explanation="""
A condition, a measure, a piece of equipment or an exercise is defined twice, or an exercise has
two levels with the same number. Every reference would be ambiguous, so the second definition is
reported, at its name. Conditions and measures share their names (a condition and a measure
called the same are a duplicate); equipment is separate: a condition and a piece of equipment
may share a name.
""",
    bad='protocol demo\n  schedule 3 times weekly\n  stop if pain\n'
        '  condition pain symptom "Pain in the knee"\n'
        '  condition pain symptom "Sharp pain"\n'
        '  exercise squat\n    reps 10\n',
    good='protocol demo\n  schedule 3 times weekly\n  stop if pain or sharp_pain\n'
         '  condition pain symptom "Pain in the knee"\n'
         '  condition sharp_pain symptom "Sharp pain"\n'
         '  exercise squat\n    reps 10\n',
)
def check_duplicates(ctx: Context) -> Iterator[Diagnostic]:
    """P200: the second definition of a condition, equipment, exercise or level number."""
    protocol = ctx.protocol
    yield from _observations(protocol)
    yield from _duplicates(
        ((st.name, st.name_span, st.span.line) for st in n.every(protocol.body, n.Equipment)),
        "equipment `{}` is defined twice")
    yield from _duplicates(
        ((ex.name, ex.name_span, ex.span.line) for ex in protocol.exercises if ex.name),
        "exercise `{}` is defined twice")
    for ex in protocol.exercises:
        yield from _duplicates(
            ((lv.number, lv.number_span, lv.span.line) for lv in ex.levels
             if lv.number >= 0 and not lv.implicit),
            "level {} is defined twice in exercise `" + ex.name + "`")


def _observations(protocol: n.Protocol) -> Iterator[Diagnostic]:
    """P200 among conditions and measures, which share one namespace."""
    defs: list[n.Condition | n.Measure] = sorted(
        [*n.every(protocol.body, n.Condition), *n.every(protocol.body, n.Measure)],
        key=lambda st: (st.name_span.line, st.name_span.column))
    first: dict[str, n.Condition | n.Measure] = {}
    for st in defs:
        earlier = first.get(st.name)
        if earlier is None:
            first[st.name] = st
            continue
        what, was = _what(st), _what(earlier)
        if what == was:
            message = f"{what} `{st.name}` is defined twice"
            help = (f"the first definition is on line {earlier.span.line}; rename or remove "
                    "one of them")
        else:
            message = f"{what} `{st.name}` has the name of the {was} on line {earlier.span.line}"
            help = ("conditions and measures share their names: rename or remove one of "
                    "them")
        yield diagnostic("P200", message, st.name_span, help)


def _what(st: n.Condition | n.Measure) -> str:
    return "measure" if isinstance(st, n.Measure) else "condition"


def _duplicates(items: Iterable[tuple[object, n.Span, int]], message: str
                ) -> Iterator[Diagnostic]:
    first: dict[object, int] = {}
    for key, span, line in sorted(items, key=lambda t: (t[1].line, t[1].column)):
        if key in first:
            yield diagnostic(
                "P200", message.format(key), span,
                f"the first definition is on line {first[key]}; rename or remove one of them")
        else:
            first[key] = line


# --- P201, P202 ---------------------------------------------------------------------------


@register(
    "P201", "undefined condition",
    per_exercise=True,
    explanation="""
An expression (`requires`, `stop if`, a load's `requires`, `advance`/`regress ... when`,
`modification ... when`) names a condition that no `condition` statement defines, or compares a
name that is defined as nothing (no `measure`, no `condition`). The help names the closest
defined condition, or for a comparison the closest measure. Conditions and measures may be
defined anywhere in the protocol block, before or after their use. (A comparison on a condition,
or a measure used bare as a condition, is P311.)
""",
    bad='protocol demo\n  schedule 3 times weekly\n  stop if sharp_pian\n'
        '  condition sharp_pain symptom "Sharp pain"\n'
        '  exercise squat\n    reps 10\n',
    good='protocol demo\n  schedule 3 times weekly\n  stop if sharp_pain\n'
         '  condition sharp_pain symptom "Sharp pain"\n'
         '  exercise squat\n    reps 10\n',
)
def check_undefined_conditions(ctx: Context) -> Iterator[Diagnostic]:
    """P201: every reference to a condition that is not defined, at the name."""
    defined = ctx.conditions
    measures = ctx.measures
    for node in used_names(ctx):
        if node.name in defined or node.name in measures:
            continue  # a measure used bare, or a condition compared, is P311
        if isinstance(node, n.Ref):
            yield diagnostic(
                "P201", f"undefined condition `{node.name}`", node.span,
                _suggest(node.name, defined, f'condition {node.name} KIND "text"'))
        else:
            yield diagnostic(
                "P201", f"undefined measure `{node.name}`", node.name_span,
                _suggest(node.name, measures,
                         f'measure {node.name} KIND "text" [in UNIT | scale A-B]'))


@register(
    "P202", "undefined equipment",
    per_exercise=True,
    explanation="""
A `uses` statement or a `load` names equipment that no `equipment` statement defines. The help
names the closest defined equipment.
""",
    bad='protocol demo\n  schedule 3 times weekly\n  equipment mat "Exercise mat"\n'
        '  exercise bridge\n    uses matt\n    reps 10\n',
    good='protocol demo\n  schedule 3 times weekly\n  equipment mat "Exercise mat"\n'
         '  exercise bridge\n    uses mat\n    reps 10\n',
)
def check_undefined_equipment(ctx: Context) -> Iterator[Diagnostic]:
    """P202: every reference to equipment that is not defined, at the name."""
    defined = ctx.equipment
    for ref in equipment_refs(ctx.protocol):
        if ref.name not in defined:
            yield diagnostic(
                "P202", f"undefined equipment `{ref.name}`", ref.span,
                _suggest(ref.name, defined, f'equipment {ref.name} "text"'))


# --- P203, P204 ---------------------------------------------------------------------------


@register(
    "P203", "reference to a level that does not exist",
    per_exercise=True,
    explanation="""
`advance to level N`, `regress to level N` and `extends level N` must name a level of the same
exercise. A single-level exercise written without `level` headers has only level 1. (A number
that P204 already reports as a gap in the numbering is not reported again.)
""",
    bad='protocol demo\n  schedule 3 times weekly\n  stop if pain\n'
        '  condition pain symptom "Pain"\n  condition easy skill "Easy"\n'
        '  exercise squat\n    level 1\n      reps 10\n      advance to level 3 when easy\n'
        '    level 2\n      reps 15\n',
    good='protocol demo\n  schedule 3 times weekly\n  stop if pain\n'
         '  condition pain symptom "Pain"\n  condition easy skill "Easy"\n'
         '  exercise squat\n    level 1\n      reps 10\n      advance to level 2 when easy\n'
         '    level 2\n      reps 15\n',
)
def check_level_refs(ctx: Context) -> Iterator[Diagnostic]:
    """P203: advance/regress targets and `extends` that name no level of the exercise."""
    for ex in ctx.protocol.exercises:
        numbers = level_numbers(ex)
        gaps = missing_levels(ex)
        known = _and([str(k) for k in sorted(numbers)])
        help = (f"exercise `{ex.name}` has level{'s' if len(numbers) != 1 else ''} {known}"
                if numbers else None)
        for lv in ex.levels:
            targets: list[tuple[int, n.Span, str]] = []
            if lv.extends is not None and lv.extends_span is not None:
                targets.append((lv.extends, lv.extends_span, "extends"))
            for st in lv.body:
                if isinstance(st, (n.Advance, n.Regress)):
                    verb = "advances to" if isinstance(st, n.Advance) else "regresses to"
                    targets.append((st.to, st.to_span, verb))
            for number, span, verb in targets:
                if number in numbers or in_gap(number, gaps):
                    continue
                where = "this level" if lv.implicit else f"level {lv.number}"
                if lv.number < 0:
                    where = "a level"
                yield diagnostic(
                    "P203",
                    f"{where} {verb} level {number}, which does not exist in `{ex.name}`",
                    span, help)


@register(
    "P204", "levels not numbered 1..n",
    per_exercise=True,
    explanation="""
The levels of an exercise are numbered 1, 2, 3, ... without gaps (in any order in the file).
The first level whose number breaks the sequence is reported, at its number: a missing level 1,
a level 0, or the level after a gap.
""",
    bad='protocol demo\n  schedule 3 times weekly\n  stop if pain\n'
        '  condition pain symptom "Pain"\n  condition easy skill "Easy"\n'
        '  exercise squat\n    level 1\n      reps 10\n      advance to level 3 when easy\n'
        '    level 3\n      reps 15\n',
    good='protocol demo\n  schedule 3 times weekly\n  stop if pain\n'
         '  condition pain symptom "Pain"\n  condition easy skill "Easy"\n'
         '  exercise squat\n    level 1\n      reps 10\n      advance to level 2 when easy\n'
         '    level 2\n      reps 15\n',
)
def check_numbering(ctx: Context) -> Iterator[Diagnostic]:
    """P204: one diagnostic per exercise whose level numbers are not 1..n."""
    for ex in ctx.protocol.exercises:
        by_number: dict[int, n.Level] = {}
        for lv in ex.levels:
            if lv.number >= 0:
                by_number.setdefault(lv.number, lv)
        if not by_number:
            continue
        ordered = sorted(by_number)
        n_levels = len(ordered)
        help = (f"number the levels of `{ex.name}` 1 to {n_levels} without gaps, and their "
                "`advance`, `regress` and `extends` to match")
        for index, number in enumerate(ordered, 1):
            if number == index:
                continue
            lv = by_number[number]
            if number == 0:
                message = "levels are numbered from 1, not 0"
            else:
                missing = gap_text(missing_levels(ex))
                message = f"level {number} comes after a gap in the numbering: {missing}"
                if index == 1:
                    message = f"the levels of `{ex.name}` start at {number}: {missing}"
            yield diagnostic("P204", message, lv.number_span, help)
            break


def _and(words: list[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


# --- P205 ---------------------------------------------------------------------------------


@register(
    "P205", "defined but never used",
    explanation="""
A condition or a measure that no expression names, or equipment that no `uses` or `load` names,
is probably a leftover or a misspelling of a use. It is reported at its definition.
""",
    bad='protocol demo\n  schedule 3 times weekly\n  equipment mat "Exercise mat"\n'
        '  exercise bridge\n    reps 10\n',
    good='protocol demo\n  schedule 3 times weekly\n  equipment mat "Exercise mat"\n'
         '  exercise bridge\n    uses mat\n    reps 10\n',
)
def check_unused(ctx: Context) -> Iterator[Diagnostic]:
    """P205: each condition and equipment that nothing refers to, at its (first) definition."""
    protocol = ctx.protocol
    # A misspelt use is reported by P201/P202 with the defined name as its help: the
    # definition it was meant for is not reported as unused too.
    names, equipment = _uses([protocol.body])
    for ex in protocol.exercises:  # each exercise's uses kept (the language server edits one)
        ex_names, ex_equipment = ctx.exercise_cache("P205", ex, _exercise_uses)
        names += ex_names
        equipment += ex_equipment
    # A name used at all counts as used, bare or compared: P311 reports the wrong way of use.
    used_conditions = _used([r for r in names if r.name in ctx.conditions or (
        isinstance(r, n.Ref) and r.name not in ctx.measures)], ctx.conditions)
    used_measures = _used([r for r in names if r.name in ctx.measures or (
        isinstance(r, n.Compare) and r.name not in ctx.conditions)], ctx.measures)
    # A condition and a measure of the same name (P200) are one name: a use of it uses both.
    shared = (used_conditions | used_measures) & ctx.conditions.keys() & ctx.measures.keys()
    used_conditions |= shared
    used_measures |= shared
    used_equipment = _used(equipment, ctx.equipment)
    for name, st in ctx.conditions.items():
        if name not in used_conditions:
            yield diagnostic(
                "P205", f"condition `{name}` is defined but never used", st.name_span,
                "use it in a `requires`, `stop if` or `when`, or remove it")
    for name, m in ctx.measures.items():
        if name not in used_measures:
            yield diagnostic(
                "P205", f"measure `{name}` is defined but never used", m.name_span,
                f"compare it in a `requires`, `stop if` or `when` (`{name} <= ...`), or "
                "remove it")
    for name, eq in ctx.equipment.items():
        if name not in used_equipment:
            yield diagnostic(
                "P205", f"equipment `{name}` is defined but never used", eq.name_span,
                "name it in a `uses` or `load`, or remove it")


def _uses(bodies: Iterable[tuple[n.Statement, ...]]
          ) -> tuple[list[n.Ref | n.Compare], list[n.NameRef]]:
    """The names the expressions of some blocks use, and the equipment they name."""
    names: list[n.Ref | n.Compare] = []
    equipment: list[n.NameRef] = []
    for body in bodies:
        for st in body:
            for expr in expressions(st):
                names.extend(names_in(expr))
            if isinstance(st, n.Uses):
                equipment.extend(st.names)
            elif isinstance(st, n.Load) and st.equipment is not None:
                equipment.append(st.equipment)
    return names, equipment


def _exercise_uses(ex: n.Exercise) -> tuple[list[n.Ref | n.Compare], list[n.NameRef]]:
    return _uses([ex.body, *(lv.body for lv in ex.levels)])


def _used(names: Iterable[n.Ref | n.Compare | n.NameRef], defined: Mapping[str, object]
          ) -> set[str]:
    used = set()
    for ref in names:
        if ref.name in defined:
            used.add(ref.name)
        else:
            guess = closest(ref.name, sorted(defined))
            if guess is not None:
                used.add(guess)
    return used
