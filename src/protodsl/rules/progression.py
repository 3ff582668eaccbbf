"""Progression and safety rules (P400-P408).

Levels numbered -1 (a header broken by a syntax error) are left out of every rule. Where
another code already explains a fault, these rules stay silent rather than cascade:
- a reference to an undefined condition (P201) has no kind: a load whose `requires` names one is
  not judged by P400, and P407 judges only defined conditions;
- P401 is not computed in an exercise whose levels are not numbered 1..n (P204) or which has an
  `advance` or `regress` to a level that does not exist (P203);
- P402 and P408 judge only targets that exist (a missing level is P203), and P405 judges only
  the advances that go up (one that does not is P402).
"""

from __future__ import annotations

from collections.abc import Iterator

from protodsl import logic
from protodsl import nodes as n
from protodsl.context import Context
from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.dosage import effective_levels, levels_by_number
from protodsl.rules.registry import describe, register

WARM_KINDS = ("warmup", "foam_roll", "mobility", "dynamic_stretch")


def _levels(exercise: n.Exercise) -> list[n.Level]:
    """The exercise's levels whose number is known."""
    return [lv for lv in exercise.levels if lv.number >= 0]


def _header(level: n.Level, exercise: n.Exercise) -> n.Span:
    """Where a level's header is: the exercise header for an implicit level."""
    return exercise.span if level.implicit else level.span


def _where(level: n.Level, exercise: n.Exercise) -> str:
    return f"level {level.number} of `{exercise.name}`"


def _kind(ctx: Context, name: str) -> str | None:
    cond = ctx.conditions.get(name)
    return cond.kind if cond is not None else None


# --- P400 ----------------------------------------------------------------------------------


def _undefined(expr: n.Expr, ctx: Context) -> bool:
    """Whether ``expr`` names a condition that is not defined (P201 reports it)."""
    return any(isinstance(node, n.Ref) and node.name not in ctx.conditions
               for node, _ in logic.leaves(expr))


@register(
    "P400", "a load not gated by stability",
    explanation="""
An added weight is safe only once the joint is controlled, so every `load` names a `requires`
gate, and every way of meeting that gate must include a stability condition that is not negated.
Put another way: in disjunctive normal form, after pushing `not` inward, each conjunction must
contain a positive condition of kind `stability`. Inline texts ("...") have no kind and never count.
`requires pelvis_stable or pain_free` fails, because `pain_free` alone would allow the weight;
`requires not pelvis_stable` fails too. Reported at the load.
""",
    bad='''protocol demo
  condition pelvis_stable stability "Pelvis stays level"
  condition easy_ten strength "Ten easy reps"
  condition back_pain symptom "Pain in the lower back"
  exercise bridge
    reps 10
    stop if back_pain
    load 2 kg on "the hips" requires pelvis_stable or easy_ten
''',
    good='''protocol demo
  condition pelvis_stable stability "Pelvis stays level"
  condition easy_ten strength "Ten easy reps"
  condition back_pain symptom "Pain in the lower back"
  exercise bridge
    reps 10
    stop if back_pain
    load 2 kg on "the hips" requires pelvis_stable and easy_ten
''',
)
def check_load_gated(ctx: Context) -> Iterator[Diagnostic]:
    """P400: every way of meeting a load's `requires` includes a positive stability condition."""
    stable = [name for name, c in ctx.conditions.items() if c.kind == "stability"]
    budget = logic.Budget(logic.MAX_FILE_STEPS)
    for ex in ctx.protocol.exercises:
        for lv in _levels(ex):
            for load in n.every(lv.body, n.Load):
                if _undefined(load.requires, ctx):
                    continue  # P201 explains the undefined name first
                d = _ungated(load, stable, ctx, budget)
                if d is not None:
                    yield d


def _ungated(load: n.Load, stable: list[str], ctx: Context, budget: logic.Budget
             ) -> Diagnostic | None:
    if stable:
        help = ("make every alternative of `requires` include a stability condition ("
                + ", ".join(f"`{s}`" for s in stable[:3]) + (", ..." if len(stable) > 3 else "")
                + ")")
    else:
        help = ('define a stability condition (`condition NAME stability "..."`) and make '
                "the load require it")
    everything_unstable = {("ref", s): False for s in stable}
    try:
        formula = logic.conjoin(logic.nnf(load.requires), *(
            ("lit", atom, False) for atom in everything_unstable))
        if not logic.satisfiable(formula, budget=budget):
            return None
    except logic.TooComplex:
        return diagnostic(
            "P400", "cannot prove that this load is gated by stability: its `requires` is too "
            "large to check", load.span, "simplify the `requires` expression; " + help)
    try:
        terms = logic.dnf(load.requires, budget=budget)
    except logic.TooComplex:
        terms = frozenset()
    bad = sorted((t for t in terms
                  if not any(atom[0] == "ref" and _kind(ctx, atom[1]) == "stability" and pos
                             for atom, pos in t)),
                 key=lambda t: (len(t), logic.render_term(t)))
    if bad:
        what = f"`{logic.render_term(bad[0])}` alone would allow the weight"
    else:
        what = "its `requires` can be met without any stability condition"
    return diagnostic("P400", f"load not gated by stability: {what}", load.span, help)


# --- P401, P402, P403 -----------------------------------------------------------------------


@register(
    "P401", "a level cannot be reached",
    explanation="""
Patients start at level 1 and move up only by `advance` steps. A level that no chain of
`advance` statements leads to from level 1 can never be done. Reported at the level header.
(Not reported while the levels are not numbered 1..n, P204, or an `advance` or `regress` names a
level that does not exist, P203: fix those first.)
""",
    bad='''protocol demo
  condition easy_ten strength "Ten easy reps"
  exercise squat
    level 1
      reps 10
      advance to level 3 when easy_ten
    level 2
      reps 12
      advance to level 3 when easy_ten
    level 3
      reps 15
''',
    good='''protocol demo
  condition easy_ten strength "Ten easy reps"
  exercise squat
    level 1
      reps 10
      advance to level 2 when easy_ten
    level 2
      reps 12
      advance to level 3 when easy_ten
    level 3
      reps 15
''',
)
def check_reachable(ctx: Context) -> Iterator[Diagnostic]:
    """P401: every level is reachable from level 1 by `advance` steps."""
    for ex in ctx.protocol.exercises:
        levels = _levels(ex)
        numbers = {lv.number for lv in levels}
        # Numbered 1..n without gaps (else P204 explains it); no range is built, so a huge
        # level number costs nothing.
        if not numbers or min(numbers) != 1 or max(numbers) != len(numbers):
            continue
        moves = [st for lv in levels for st in lv.body if isinstance(st, (n.Advance, n.Regress))]
        if any(st.to not in numbers for st in moves):
            continue
        edges: dict[int, set[int]] = {}
        for lv in levels:
            for st in n.every(lv.body, n.Advance):
                edges.setdefault(lv.number, set()).add(st.to)
        reached, todo = {1}, [1]
        while todo:
            for nxt in sorted(edges.get(todo.pop(), ())):
                if nxt not in reached:
                    reached.add(nxt)
                    todo.append(nxt)
        for lv in levels:
            if lv.number not in reached:
                lower = [m for m in sorted(numbers) if m < lv.number and m in reached]
                yield diagnostic(
                    "P401", f"level {lv.number} of `{ex.name}` cannot be reached from level 1",
                    _header(lv, ex),
                    f"add `advance to level {lv.number} when ...` to level {lower[-1]}"
                    if lower else "add an `advance` that leads to it")


@register(
    "P402", "advance that does not go up or regress that does not go down",
    explanation="""
`advance to level N` moves to a harder level, so N must be higher than the level it is written
in; `regress to level N` moves back, so N must be lower. Reported at the statement.
""",
    bad='''protocol demo
  condition easy_ten strength "Ten easy reps"
  exercise squat
    level 1
      reps 10
      advance to level 2 when easy_ten
    level 2
      reps 15
      advance to level 1 when easy_ten
''',
    good='''protocol demo
  condition easy_ten strength "Ten easy reps"
  condition knee_pain symptom "Pain at the knee"
  exercise squat
    level 1
      reps 10
      advance to level 2 when easy_ten
    level 2
      reps 15
      regress to level 1 when knee_pain
''',
)
def check_direction(ctx: Context) -> Iterator[Diagnostic]:
    """P402: `advance` goes to a higher level, `regress` to a lower one."""
    for ex in ctx.protocol.exercises:
        levels = _levels(ex)
        numbers = {lv.number for lv in levels}
        for lv in levels:
            for st in lv.body:
                if isinstance(st, n.Advance) and st.to in numbers and st.to <= lv.number:
                    yield diagnostic(
                        "P402", f"`advance` to level {st.to} from level {lv.number}: "
                        "an advance must go to a higher level", st.span,
                        "to move back to an easier level, write "
                        f"`regress to level {st.to} when ...`" if st.to < lv.number else
                        "advance to a higher level, or remove this statement")
                elif isinstance(st, n.Regress) and st.to in numbers and st.to >= lv.number:
                    yield diagnostic(
                        "P402", f"`regress` to level {st.to} from level {lv.number}: "
                        "a regress must go to a lower level", st.span,
                        "to move on to a harder level, write "
                        f"`advance to level {st.to} when ...`" if st.to > lv.number else
                        "regress to a lower level, or remove this statement")


@register(
    "P403", "a level below the highest has no advance",
    explanation="""
Every level except the highest needs at least one `advance to level N when ...`: without one,
nobody can progress from it. Reported at the level header.
""",
    bad='''protocol demo
  condition easy_ten strength "Ten easy reps"
  condition easy_twenty strength "Twenty easy reps"
  exercise squat
    level 1
      reps 10
      advance to level 2 when easy_ten
      advance to level 3 when easy_twenty
    level 2
      reps 12
    level 3
      reps 15
''',
    good='''protocol demo
  condition easy_ten strength "Ten easy reps"
  exercise squat
    level 1
      reps 10
      advance to level 2 when easy_ten
    level 2
      reps 12
      advance to level 3 when easy_ten
    level 3
      reps 15
''',
)
def check_has_advance(ctx: Context) -> Iterator[Diagnostic]:
    """P403: every level below the highest has an `advance`."""
    for ex in ctx.protocol.exercises:
        levels = levels_by_number(ex)
        if not levels:
            continue
        top = max(levels)
        for number, lv in sorted(levels.items()):
            if number < top and n.first(lv.body, n.Advance) is None:
                yield diagnostic(
                    "P403", f"level {number} of `{ex.name}` has no `advance`: nobody can "
                    "progress from it", _header(lv, ex),
                    f"add `advance to level {number + 1} when ...` with the criterion for "
                    "moving on")


# --- P404 ----------------------------------------------------------------------------------


@register(
    "P404", "a loaded level without a stop condition",
    explanation="""
A level that adds a weight must say when to stop: a `stop if` of its own, one inherited through
`extends`, one of its exercise or one of the protocol. Reported at the first load of the level.
""",
    bad='''protocol demo
  condition pelvis_stable stability "Pelvis stays level"
  exercise bridge
    reps 10
    load 2 kg requires pelvis_stable
''',
    good='''protocol demo
  condition pelvis_stable stability "Pelvis stays level"
  condition back_pain symptom "Pain in the lower back"
  exercise bridge
    reps 10
    load 2 kg requires pelvis_stable
    stop if back_pain
''',
)
def check_load_has_stop(ctx: Context) -> Iterator[Diagnostic]:
    """P404: a level with a load has a stop condition in force."""
    if n.first(ctx.protocol.body, n.StopIf) is not None:
        return
    for ex in ctx.protocol.exercises:
        if n.first(ex.body, n.StopIf) is not None:
            continue
        effective = effective_levels(ex)
        for lv in _levels(ex):
            load = n.first(lv.body, n.Load)
            if load is None:
                continue
            eff = effective.get(lv.number)
            stops = eff.stop_if if eff is not None and eff.level is lv else n.every(
                lv.body, n.StopIf)
            if not stops:
                yield diagnostic(
                    "P404", f"{_where(lv, ex)} adds a load but has no stop condition",
                    load.span, "add `stop if ...` (for example a pain symptom) to the level, "
                    "its exercise or the protocol")


# --- P405 ----------------------------------------------------------------------------------


@register(
    "P405", "a level's requirement is not guaranteed by the advance into it",
    explanation="""
When a level has its own `requires`, each `advance ... when` that leads into it should guarantee
that requirement: otherwise the criterion can be met while the requirement is not, and the
patient is sent to a level they may not start. Each advance is judged on its own, exactly (by
boolean logic, so `(calm and ribs_open) or calm` guarantees `calm`); the exercise's `requires`
is not part of it. Inline texts are independent of each other, even with equal words. Reported
at the `requires`, once for each advance that does not guarantee it.
""",
    bad='''protocol demo
  condition easy_ten strength "Ten easy reps"
  condition balance stability "Balances on one leg for 30 s"
  exercise squat
    level 1
      reps 10
      advance to level 2 when easy_ten
    level 2
      requires balance
      reps 8
''',
    good='''protocol demo
  condition easy_ten strength "Ten easy reps"
  condition balance stability "Balances on one leg for 30 s"
  exercise squat
    level 1
      reps 10
      advance to level 2 when easy_ten and balance
    level 2
      requires balance
      reps 8
''',
)
def check_requires_guaranteed(ctx: Context) -> Iterator[Diagnostic]:
    """P405: every advance into a level guarantees the level's own `requires`."""
    budget = logic.Budget(logic.MAX_FILE_STEPS)
    for ex in ctx.protocol.exercises:
        levels = _levels(ex)
        for target in levels:
            req = n.first(target.body, n.Requires)
            if req is None or _undefined(req.expr, ctx):
                continue  # no requirement, or P201 explains an undefined name first
            for lv in levels:
                if lv.number >= target.number:
                    continue  # an advance that does not go up is P402
                for adv in n.every(lv.body, n.Advance):
                    if adv.to != target.number or _undefined(adv.when, ctx):
                        continue  # P201 explains an undefined name first
                    verdict = logic.implies(adv.when, req.expr, budget=budget)
                    if verdict:
                        continue
                    where = f"the advance from level {lv.number} (line {adv.span.line})"
                    if verdict is None:
                        msg = (f"cannot prove that {where} guarantees this requirement: the "
                               "expressions are too large to check")
                    else:
                        msg = (f"{where} does not guarantee this requirement: its `when` "
                               "can be true while the `requires` is false")
                    yield diagnostic(
                        "P405", msg, req.span,
                        f"add the requirement to the `when` of line {adv.span.line}, or "
                        "drop it from the level")


# --- P406 ----------------------------------------------------------------------------------


@register(
    "P406", "a static stretch without a warm-up before it",
    explanation="""
Static stretching wants warm tissue: a `static_stretch` exercise should come after a `warmup`,
`foam_roll`, `mobility` or `dynamic_stretch` exercise in the session. Reported once, at the first
static stretch that has none before it (including when the session has none at all).
""",
    bad='''protocol demo
  exercise calf_stretch
    kind static_stretch
    hold 30 s
''',
    good='''protocol demo
  exercise ankle_circles
    kind warmup
    reps 10
  exercise calf_stretch
    kind static_stretch
    hold 30 s
''',
)
def check_warmup_first(ctx: Context) -> Iterator[Diagnostic]:
    """P406: the first static stretch comes after a warm-up exercise."""
    for ex in ctx.protocol.exercises:
        kind = n.first(ex.body, n.Kind)
        value = kind.value if kind is not None else None
        if value in WARM_KINDS:
            return
        if value == "static_stretch":
            yield diagnostic(
                "P406", f"static stretch `{ex.name}` has no warm-up before it", ex.span,
                "put a `warmup`, `foam_roll`, `mobility` or `dynamic_stretch` exercise before "
                "it in the session")
            return


# --- P407 ----------------------------------------------------------------------------------


@register(
    "P407", "a condition used against its kind",
    explanation="""
A `symptom` is something to avoid: a `requires` (of an exercise, a level or a load) or an
`advance ... when` that needs a symptom to be present, rather than absent, is upside down. The
other kinds (stability, strength, mobility, skill) are abilities: a `stop if` that stops when an
ability is present is upside down too. "Not negated" is judged after pushing `not` inward, so
`not (pain or swelling)` negates both. `regress ... when` and `modification ... when` may name
either kind (regressing or easing off when a symptom appears is right). Reported at the name.
""",
    bad='''protocol demo
  condition knee_pain symptom "Pain at the knee"
  exercise squat
    requires knee_pain
    reps 10
''',
    good='''protocol demo
  condition knee_pain symptom "Pain at the knee"
  exercise squat
    requires not knee_pain
    reps 10
''',
)
def check_condition_kinds(ctx: Context) -> Iterator[Diagnostic]:
    """P407: symptoms are negated in gates and criteria; abilities are negated in stops."""
    for st in n.every(ctx.protocol.body, n.StopIf):
        yield from _stop_misuse(ctx, st.expr)
    for ex in ctx.protocol.exercises:
        for st in ex.body:
            if isinstance(st, n.Requires):
                yield from _gate_misuse(ctx, st.expr, "`requires`")
            elif isinstance(st, n.StopIf):
                yield from _stop_misuse(ctx, st.expr)
        for lv in _levels(ex):
            for st in lv.body:
                if isinstance(st, n.Requires):
                    yield from _gate_misuse(ctx, st.expr, "`requires`")
                elif isinstance(st, n.Load):
                    yield from _gate_misuse(ctx, st.requires, "the `requires` of a load")
                elif isinstance(st, n.Advance):
                    yield from _gate_misuse(ctx, st.when, "an `advance` criterion")
                elif isinstance(st, n.StopIf):
                    yield from _stop_misuse(ctx, st.expr)


def _gate_misuse(ctx: Context, expr: n.Expr, where: str) -> Iterator[Diagnostic]:
    for node, positive in logic.leaves(expr):
        if positive and isinstance(node, n.Ref) and _kind(ctx, node.name) == "symptom":
            yield diagnostic(
                "P407", f"symptom `{node.name}` is not negated in {where}", node.span,
                f"a symptom should be absent: write `not {node.name}`, or move it to a "
                "`stop if` or a `regress ... when`")


def _stop_misuse(ctx: Context, expr: n.Expr) -> Iterator[Diagnostic]:
    for node, positive in logic.leaves(expr):
        if not positive or not isinstance(node, n.Ref):
            continue
        kind = _kind(ctx, node.name)
        if kind is not None and kind != "symptom":
            yield diagnostic(
                "P407", f"{kind} condition `{node.name}` is not negated in `stop if`", node.span,
                f"`stop if` names what goes wrong: write `not {node.name}` to stop when it is "
                "lost, or stop on a symptom")


# --- P408 ----------------------------------------------------------------------------------


@register(
    "P408", "extends a level that is not lower",
    explanation="""
`level N extends level M` copies M's dosage into N, so M must be a lower level (M < N). A level
that extends itself or a higher level is an error, and so any cycle in the `extends` chain is
reported (at the `extends` that is not lower; every cycle has one).
""",
    bad='''protocol demo
  condition easy_ten strength "Ten easy reps"
  exercise squat
    level 1
      reps 10
      advance to level 2 when easy_ten
    level 2 extends level 2
      sets 2
''',
    good='''protocol demo
  condition easy_ten strength "Ten easy reps"
  exercise squat
    level 1
      reps 10
      advance to level 2 when easy_ten
    level 2 extends level 1
      sets 2
''',
)
def check_extends(ctx: Context) -> Iterator[Diagnostic]:
    """P408: `extends` names a lower, existing level; cycles are named where they close."""
    for ex in ctx.protocol.exercises:
        levels = levels_by_number(ex)
        for lv in _levels(ex):
            m = lv.extends
            if m is None or m not in levels or m < lv.number:
                continue
            span = lv.extends_span or lv.span
            if m == lv.number:
                msg = f"level {m} extends itself"
            else:
                msg = f"level {lv.number} extends level {m}, which is not lower"
                chain = _chain(levels, m, lv.number)
                if chain:
                    msg += ": the chain " + " -> ".join(
                        str(x) for x in [lv.number, *chain]) + " is a cycle"
            if lv.number > 2:
                help = f"extend a lower level (1 to {lv.number - 1}), or remove `extends`"
            elif lv.number == 2:
                help = "extend level 1, or remove `extends`"
            else:
                help = "level 1 cannot extend another level: remove `extends`"
            yield diagnostic("P408", msg, span, help)


def _chain(levels: dict[int, n.Level], start: int, back_to: int) -> list[int] | None:
    """The `extends` chain from ``start`` if it comes back to ``back_to``, else None."""
    seen: list[int] = []
    cur: int | None = start
    while cur is not None and cur in levels and cur not in seen:
        seen.append(cur)
        if cur == back_to:
            return seen
        cur = levels[cur].extends
    return None


# --- P900 ----------------------------------------------------------------------------------

describe(
    "P900", "internal error",
    explanation="""
protodsl never shows a traceback. When one of its own rules fails on a file, the failure becomes
this diagnostic, with a request to report it; the other rules still run and the other files are
still checked. No protocol is at fault: please report the file at the protodsl issue tracker.
""",
    bad="(any file checked while one of protodsl's rules is broken)",
    good="(the same file once the rule is fixed)",
)
