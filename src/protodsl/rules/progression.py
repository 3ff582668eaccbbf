"""Progression and safety rules (P400-P410).

Comparisons on measures are reasoned about as intervals of the measures' domains (``logic``,
LANGUAGE.md 8.2). Levels numbered -1 (a header broken by a syntax error) are left out of every
rule. Where another code already explains a fault, these rules stay silent rather than cascade:
- an expression with a name that another code reports (an undefined name, P201; a measure used
  bare or a condition compared, P311; a comparison whose unit does not fit or whose value lies
  outside its measure's domain, P300/P310) is not judged by P400, P405 or P410, and P407/P409
  judge only the conditions and comparisons that are sound;
- an expression that can never be true (P410) is not judged by P407 or P409, a level's
  `requires` that P410 reports not by P405, and an advance that P410 reports reaches nothing
  (P401) but counts as written (P403);
- P401 is not computed in an exercise whose levels are not numbered 1..n (P204) or which has an
  `advance` or `regress` to a level that does not exist (P203);
- P402 and P408 judge only targets that exist (a missing level is P203), and P405 judges only
  the advances that go up (one that does not is P402).
"""

from __future__ import annotations

from collections.abc import Iterator

from protodsl import logic, record
from protodsl import nodes as n
from protodsl.context import Context
from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.dosage import effective_levels, levels_by_number
from protodsl.rules.registry import describe, register
from protodsl.vocabulary import BAD_KINDS, GOOD_KINDS

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


def _leaf_kind(ctx: Context, node: n.Ref | n.Inline | n.Compare) -> str | None:
    """The kind of a condition reference or of a comparison's measure (None: no kind)."""
    if isinstance(node, n.Ref):
        return _kind(ctx, node.name)
    if isinstance(node, n.Compare):
        measure = ctx.measures.get(node.name)
        return measure.kind if measure is not None else None
    return None


def _sound_compare(ctx: Context, node: n.Compare) -> bool:
    """Whether a comparison is on a sound measure, in a unit that fits, inside its domain."""
    domain = ctx.domains.get(node.name)
    if domain is None:
        return False
    value = logic.value_of(node, domain)
    return value is not None and logic.in_domain(value, domain)


def _undefined(expr: n.Expr, ctx: Context) -> bool:
    """Whether ``expr`` has a name or comparison that another code reports (P201 an undefined
    name, P311 a measure used bare or a condition compared, P300/P310 a comparison whose unit
    does not fit or whose value is outside the domain): such an expression is not judged."""
    for node, _ in logic.leaves(expr):
        if isinstance(node, n.Ref) and node.name not in ctx.conditions:
            return True
        if isinstance(node, n.Compare) and not _sound_compare(ctx, node):
            return True
    return False


def _reads_present(ctx: Context, node: n.Ref | n.Inline | n.Compare, positive: bool
                   ) -> bool | None:
    """Whether a leaf reads as present (8.9): a condition not negated, a comparison read as
    its measure's presence (8.2). None for an inline text or a comparison that is not sound."""
    if isinstance(node, n.Ref):
        return positive
    if isinstance(node, n.Compare) and _sound_compare(ctx, node):
        return logic.reads_present(node, positive, ctx.domains)
    return None


# --- P400 ----------------------------------------------------------------------------------


@register(
    "P400", "a load not gated by stability",
    per_exercise=True,
    explanation="""
An added weight is safe only once the joint is controlled, so every `load` names a `requires`
gate, and every way of meeting that gate must include a stability condition that is not negated.
Put another way: in disjunctive normal form, after pushing `not` inward, each conjunction must
contain a positive condition of kind `stability`. Inline texts ("...") have no kind and never count.
A comparison on a `stability` measure counts only when it reads as the measure's presence
(`stance_time >= 30 s`), not when it bounds it from above (`stance_time < 10 s`).
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
    stable = stability_names(ctx)
    budget = ctx.file_budget()
    for ex in ctx.protocol.exercises:
        for lv in _levels(ex):
            for load in n.every(lv.body, n.Load):
                if _undefined(load.requires, ctx):
                    continue  # P201 explains the undefined name first
                d = _ungated(load, stable, ctx, budget)
                if d is not None:
                    yield d


def stability_names(ctx: Context) -> list[str]:
    """The names of the stability conditions and measures, in definition order."""
    stable = [name for name, c in ctx.conditions.items() if c.kind == "stability"]
    stable += [name for name, m in ctx.measures.items()
               if m.kind == "stability" and name not in ctx.conditions]
    return stable


def stability_examples(ctx: Context, stable: list[str]) -> str:
    """How a help line names the stability conditions: `what (`a`, `b`, `c`, ...)`."""
    what = ("stability condition or measure" if any(name in ctx.measures for name in stable)
            else "stability condition")
    return (f"{what} (" + ", ".join(f"`{s}`" for s in stable[:3])
            + (", ..." if len(stable) > 3 else "") + ")")


def without_stability(ctx: Context, formula: logic.Formula, budget: logic.Budget
                      ) -> str | None:
    """The P400 test (also P411's): None when every way of meeting ``formula`` includes a
    positive stability condition, or a comparison on a stability measure read as presence
    (8.9); else the smallest way of meeting it without one, rendered (`easy_ten`), or "" when
    no such way could be listed. Raises ``logic.TooComplex`` when that cannot be decided."""
    def gates(atom: logic.Atom, positive: bool) -> bool:
        if atom[0] == "ref":
            return positive and _kind(ctx, atom[1]) == "stability"
        if atom[0] == "cmp":
            measure = ctx.measures.get(atom[1])
            return (measure is not None and measure.kind == "stability"
                    and logic.literal_present((atom, positive)) is True)
        return False

    # Some way of meeting the formula without any stability literal?
    if not logic.satisfiable(logic.replace_literals(formula, gates), budget=budget):
        return None
    try:
        terms = logic.dnf_of(formula, budget=budget)
    except logic.TooComplex:
        terms = frozenset()
    bad = sorted((t for t in terms if not any(gates(atom, pos) for atom, pos in t)),
                 key=lambda t: (len(t), logic.render_term(t)))
    return logic.render_term(bad[0]) if bad else ""


def _ungated(load: n.Load, stable: list[str], ctx: Context, budget: logic.Budget
             ) -> Diagnostic | None:
    if stable:
        help = ("make every alternative of `requires` include a "
                + stability_examples(ctx, stable))
    else:
        help = ('define a stability condition (`condition NAME stability "..."`) and make '
                "the load require it")
    formula = logic.nnf(load.requires, domains=ctx.domains)
    try:
        way = without_stability(ctx, formula, budget)
    except logic.TooComplex:
        return diagnostic(
            "P400", "cannot prove that this load is gated by stability: its `requires` is too "
            "large to check", load.span, "simplify the `requires` expression; " + help)
    if way is None:
        return None
    if way:
        what = f"`{way}` alone would allow the weight"
    else:
        what = "its `requires` can be met without any stability condition"
    return diagnostic("P400", f"load not gated by stability: {what}", load.span, help)


# --- P401, P402, P403 -----------------------------------------------------------------------


def _timed(exercise: n.Exercise) -> set[int]:
    """The levels reached by time (8.9): a week window of their own, no `advance` into them."""
    targets = {st.to for lv in exercise.levels for st in n.every(lv.body, n.Advance)}
    return {lv.number for lv in _levels(exercise)
            if not lv.implicit and n.first(lv.body, n.Window) is not None
            and lv.number not in targets}


@register(
    "P401", "a level cannot be reached",
    per_exercise=True,
    explanation="""
Patients start at level 1 and move up only by `advance` steps. A level that no chain of
`advance` statements leads to from level 1 can never be done. A level with a week window of its
own (`during` or `from`) and no `advance` into it is reached by time, and so are the levels it
advances to. An `advance` whose criterion can never be true (P410) leads nowhere. Reported at the
level header. (Not reported while the levels are not numbered 1..n, P204, or an `advance` or
`regress` names a level that does not exist, P203: fix those first.)
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
        never = _never_true(ctx)
        edges: dict[int, set[int]] = {}
        for lv in levels:
            for st in n.every(lv.body, n.Advance):
                if id(st.when) not in never:  # an advance that can never be taken leads nowhere
                    edges.setdefault(lv.number, set()).add(st.to)
        start = {1} | _timed(ex)
        reached, todo = set(start), sorted(start)
        while todo:
            for nxt in sorted(edges.get(todo.pop(), ())):
                if nxt not in reached:
                    reached.add(nxt)
                    todo.append(nxt)
        for lv in levels:
            if lv.number not in reached:
                lower = [m for m in sorted(numbers) if m < lv.number and m in reached]
                dead = [st for other in levels if other.number in reached
                        for st in n.every(other.body, n.Advance)
                        if st.to == lv.number and id(st.when) in never]
                if dead:
                    help = (f"the `advance` into it on line {dead[0].span.line} can never be "
                            "true: fix its criterion")
                elif lower:
                    help = f"add `advance to level {lv.number} when ...` to level {lower[-1]}"
                else:
                    help = "add an `advance` that leads to it"
                yield diagnostic(
                    "P401", f"level {lv.number} of `{ex.name}` cannot be reached from level 1",
                    _header(lv, ex), help)


@register(
    "P402", "advance that does not go up or regress that does not go down",
    per_exercise=True,
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
    per_exercise=True,
    explanation="""
Every level except the highest needs at least one `advance to level N when ...`: without one,
nobody can progress from it. The level just below a level that is reached by time (one with a
week window of its own and no `advance` into it) needs none. An `advance` counts as written,
even one whose criterion can never be true (P410 reports that). Reported at the level header.
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
    """P403: every level below the highest has an `advance` (the level just below a level
    reached by time needs none)."""
    for ex in ctx.protocol.exercises:
        levels = levels_by_number(ex)
        if not levels:
            continue
        top = max(levels)
        timed = _timed(ex)
        for number, lv in sorted(levels.items()):
            if number + 1 in timed:
                continue
            if number < top and n.first(lv.body, n.Advance) is None:
                yield diagnostic(
                    "P403", f"level {number} of `{ex.name}` has no `advance`: nobody can "
                    "progress from it", _header(lv, ex),
                    f"add `advance to level {number + 1} when ...` with the criterion for "
                    "moving on")


# --- P404 ----------------------------------------------------------------------------------


@register(
    "P404", "a loaded level without a stop condition",
    per_exercise=True,
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
    per_exercise=True,
    explanation="""
When a level has its own `requires`, each `advance ... when` that leads into it should guarantee
that requirement: otherwise the criterion can be met while the requirement is not, and the patient
is sent to a level they may not start. Each advance is judged on its own, exactly (by boolean logic,
so `(calm and ribs_open) or calm` guarantees `calm`; comparisons as intervals of their measure, so
`knee_flexion >= 120 deg` guarantees `knee_flexion >= 90 deg`, and `pain < 3` does not guarantee
`pain <= 2`); the exercise's `requires` is not part of it. Inline texts are independent of each
other, even with equal words. Reported at the `requires`, once for each advance that does not
guarantee it.
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
    budget = ctx.file_budget()
    for ex in ctx.protocol.exercises:
        levels = _levels(ex)
        for target in levels:
            req = n.first(target.body, n.Requires)
            if req is None or _undefined(req.expr, ctx) or id(req.expr) in _never_true(ctx):
                continue  # no requirement, or P201, P310, P311 or P410 explains it first
            for lv in levels:
                if lv.number >= target.number:
                    continue  # an advance that does not go up is P402
                for adv in n.every(lv.body, n.Advance):
                    if adv.to != target.number or _undefined(adv.when, ctx):
                        continue  # P201 explains an undefined name first
                    verdict = logic.implies(adv.when, req.expr, budget=budget,
                                            domains=ctx.domains)
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
`foam_roll`, `mobility` or `dynamic_stretch` exercise in the session. The warm-up counts only in
the same session or bout as the stretch (an exercise with a frequency of its own is its own bout)
and only when it is listed in every week in which the stretch is. Reported once, at the first
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
    """P406: the first static stretch comes after a warm-up exercise in the same session or
    bout, listed in every week in which the stretch is (8.9)."""
    from protodsl.timing import has_warmup_before

    for ex in ctx.protocol.exercises:
        kind = n.first(ex.body, n.Kind)
        value = kind.value if kind is not None else None
        if value == "static_stretch" and not has_warmup_before(ctx.protocol, ex, WARM_KINDS):
            yield diagnostic(
                "P406", f"static stretch `{ex.name}` has no warm-up before it", ex.span,
                "put a `warmup`, `foam_roll`, `mobility` or `dynamic_stretch` exercise before "
                "it in the session")
            return


# --- P407, P409, P410: what each expression means in its place -----------------------------

# Where each kind belongs (8.9): the diagnostic for a (place, good kind, present) reading.
GATE, STOP, REGRESS = "gate", "stop", "regress"
TABLE: dict[tuple[str, bool, bool], str | None] = {
    (GATE, True, True): None, (GATE, True, False): "P409",
    (GATE, False, True): "P407", (GATE, False, False): None,
    (STOP, True, True): "P407", (STOP, True, False): None,
    (STOP, False, True): None, (STOP, False, False): "P409",
    (REGRESS, True, True): "P409", (REGRESS, True, False): None,
    (REGRESS, False, True): None, (REGRESS, False, False): "P409",
}


@record.frozen
class Place:
    """An expression in a place where 8.9's table judges it."""

    expr: n.Expr
    role: str | None  # GATE, STOP or REGRESS; None where kinds are not judged (range until)
    where: str  # how messages name the place
    statement: n.Statement


def _places(ctx: Context) -> Iterator[Place]:
    """Every expression that P410 judges: requires, load gates, advance/regress criteria, stop
    if and range until (kinds are not judged in `range until`; `modification ... when` is not
    judged at all)."""
    for st in n.every(ctx.protocol.body, n.StopIf):
        yield Place(st.expr, STOP, "`stop if`", st)
    for ex in ctx.protocol.exercises:
        bodies = [ex.body] + [lv.body for lv in _levels(ex)]
        for body in bodies:
            for st in body:
                if isinstance(st, n.Requires):
                    yield Place(st.expr, GATE, "`requires`", st)
                elif isinstance(st, n.Load):
                    yield Place(st.requires, GATE, "the `requires` of a load", st)
                elif isinstance(st, n.Advance):
                    yield Place(st.when, GATE, "an `advance` criterion", st)
                elif isinstance(st, n.Regress):
                    yield Place(st.when, REGRESS, "a `regress` criterion", st)
                elif isinstance(st, n.StopIf):
                    yield Place(st.expr, STOP, "`stop if`", st)
                elif isinstance(st, n.RangeUntil):
                    yield Place(st.expr, None, "`range until`", st)


def _never_true(ctx: Context) -> dict[int, Diagnostic]:
    """The P410 diagnostic of every judged expression that can never be true, by the id of
    the expression (computed once per file and shared by P401, P405, P407, P409, P410)."""
    found = ctx.memo.get("P410")
    if found is None:
        found = {}
        budget = ctx.file_budget()
        for place in _places(ctx):
            if _undefined(place.expr, ctx):
                continue  # P201, P300, P310 or P311 explains it first
            try:
                formula = logic.nnf(place.expr, domains=ctx.domains)
                if logic.satisfiable(formula, budget=budget):
                    continue
            except logic.TooComplex:
                continue  # not proven: an error is reported only when it is certain
            found[id(place.expr)] = _unsatisfiable(ctx, place, formula)
        ctx.memo["P410"] = found
    return found  # type: ignore[return-value]


CONSEQUENCE = {
    n.Requires: "nobody can ever meet this requirement",
    n.Load: "the weight can never be added",
    n.Advance: "nobody can ever move on by this advance",
    n.Regress: "this regress never happens",
    n.StopIf: "this never stops anything",
    n.RangeUntil: "the movement's range has no end",
}


def _unsatisfiable(ctx: Context, place: Place, formula: logic.Formula) -> Diagnostic:
    reason = _conflict(formula)
    where = place.where.replace("an `advance` criterion", "this `advance` criterion").replace(
        "a `regress` criterion", "this `regress` criterion")
    if where.startswith("`"):
        where = "this " + where
    message = f"{where} can never be true" + (f": {reason}" if reason else "")
    help = (f"{CONSEQUENCE[type(place.statement)]}: check the comparisons and the `not`s, "
            "and remove the contradiction")
    return diagnostic("P410", message, place.expr.span, help)


def _conflict(formula: logic.Formula) -> str | None:
    """Why a conjunction of literals can never hold (`a` and `not a` cannot both hold), or
    None for anything else (the reason of a larger formula is not searched for)."""
    if formula is False or formula is True:
        return None
    lits: list[logic.Lit] = []
    parts = [formula] if formula[0] == "lit" else list(formula[1]) if formula[0] == "and" else []
    if not parts:
        return None
    for part in parts:
        if part is True or not isinstance(part, tuple) or part[0] != "lit":
            return None
        lits.append((part[1], part[2]))
        if len(lits) > 64:
            return None
    for i, lit in enumerate(lits):
        if not logic.consistent([lit]):
            atom = lit[0]
            domain = atom[4]
            if domain.low is not None and domain.high is not None:
                inside = (f"on the scale of `{atom[1]}`, {logic.number_text(domain.low)}-"
                          f"{logic.number_text(domain.high)}")
            elif domain.low is not None:
                inside = f"since `{atom[1]}` cannot be negative"
            else:
                inside = f"for `{atom[1]}`"
            return f"`{logic.render_literal(lit)}` cannot hold {inside}"
        for other in lits[:i]:
            clash = (other[0] == lit[0] and other[1] != lit[1]) or (
                lit[0][0] == "cmp" and other[0][0] == "cmp" and other[0][1] == lit[0][1]
                and not logic.consistent([other, lit]))
            if clash:
                return (f"`{logic.render_literal(other)}` and `{logic.render_literal(lit)}` "
                        "cannot both hold")
    return None


@register(
    "P410", "an expression that can never be true",
    per_exercise=True,
    explanation="""
A `requires`, an `advance ... when`, a `regress ... when`, a load's `requires`, a `stop if` or a
`range until` that no situation can make true is a slip: `x and not x`, or comparisons on one
measure whose intervals do not meet (`pain <= 3 and pain > 5`), or one that leaves its measure's
domain (`pain > 10` on a 0-10 scale). Comparisons are read exactly, as intervals of their measure,
with values converted between units without rounding. The whole expression is judged:
`sharp_pain or (pain <= 3 and pain > 5)` can be true. Reported at the expression. (A comparison
whose value itself lies outside its measure's domain, such as `pain > 12`, is P310 only. An
`advance` that can never be true leads nowhere for P401; P407 and P409 say nothing about an
expression reported here.)
""",
    bad='''protocol demo
  schedule 3 times weekly
  measure pain symptom "Pain at the knee" scale 0-10
  stop if pain <= 3 and pain > 5
  exercise squat
    reps 10
''',
    good='''protocol demo
  schedule 3 times weekly
  measure pain symptom "Pain at the knee" scale 0-10
  stop if pain > 5
  exercise squat
    reps 10
''',
)
def check_never_true(ctx: Context) -> Iterator[Diagnostic]:
    """P410: every judged expression that can never be true, at the expression."""
    yield from _never_true(ctx).values()


def _label(kind: str) -> str:
    """How a condition's kind names it: `symptom`, `stability condition`, ..."""
    return "symptom" if kind == "symptom" else f"{kind} condition"


@register(
    "P407", "a condition used against its kind",
    per_exercise=True,
    explanation="""
Kinds say where a condition belongs. `symptom` and `form` (a technique fault) are things to
avoid; `stability`, `strength`, `mobility`, `skill`, `response` (a favourable change) and
`clearance` (a professional's go-ahead) are wanted. A `requires` (of an exercise, a level or a
load) or an `advance ... when` that needs a symptom or a form fault to be present is upside down,
and so is a `stop if` that stops when something wanted is present. "Present" is judged after
pushing `not` inward, so `not (pain or swelling)` negates both; a comparison on a measure reads
as present unless it bounds the measure from above (`pain <= 2` reads as the pain's absence).
`regress ... when`, `modification ... when` and `range until` are not judged by this rule (see
P409 for a condition read backwards in its place). Reported at the name or comparison.
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
    """P407: bad kinds present in gates and criteria; good kinds present in stops."""
    yield from (d for d in _kind_readings(ctx) if d.code == "P407")


@register(
    "P409", "a condition or comparison read backwards in its place",
    per_exercise=True,
    explanation="""
A condition of the right kind for its place can still be read the wrong way round: a `requires`
or an `advance ... when` that passes when control is lost (`advance ... when not hip_control`),
a `stop if` that stops when the pain is absent (`stop if not sharp_pain`, `stop if pain <= 2`),
or a `regress ... when` that regresses when an ability is present or a symptom absent. "Present"
is a condition not negated (after pushing `not` inward) or a comparison read as its measure's
presence; a comparison that bounds its measure from above (`<`, `<=`, or `=` the lowest value)
reads as its absence. `modification ... when` and `range until` are not judged. Reported at the
name or comparison.
""",
    bad='''protocol demo
  schedule 3 times weekly
  condition sharp_pain symptom "Sharp pain at the knee"
  stop if not sharp_pain
  exercise squat
    reps 10
''',
    good='''protocol demo
  schedule 3 times weekly
  condition sharp_pain symptom "Sharp pain at the knee"
  stop if sharp_pain
  exercise squat
    reps 10
''',
)
def check_read_backwards(ctx: Context) -> Iterator[Diagnostic]:
    """P409: good kinds absent in gates and criteria, bad kinds absent in stops, and either
    read backwards in a regress criterion."""
    yield from (d for d in _kind_readings(ctx) if d.code == "P409")


def _kind_readings(ctx: Context) -> list[Diagnostic]:
    """P407 and P409 together, computed once per file: each condition and comparison of each
    judged expression, by its kind, its reading and its place (8.9's table)."""
    found = ctx.memo.get("P407/P409")
    if found is None:
        never = _never_true(ctx)
        found = []
        for place in _places(ctx):
            if place.role is None or id(place.expr) in never:
                continue  # not judged here, or P410 says it first
            for node, positive in logic.leaves(place.expr):
                kind = _leaf_kind(ctx, node)
                present = _reads_present(ctx, node, positive)
                if kind is None or present is None or (
                        kind not in GOOD_KINDS and kind not in BAD_KINDS):
                    continue
                code = TABLE[(place.role, kind in GOOD_KINDS, present)]
                if code is not None:
                    found.append(_misreading(ctx, code, place, node, positive, kind, present))
        ctx.memo["P407/P409"] = found
    return found  # type: ignore[return-value]


def _misreading(ctx: Context, code: str, place: Place, node: n.Ref | n.Compare,
                positive: bool, kind: str, present: bool) -> Diagnostic:
    """The P407 or P409 diagnostic of one condition or comparison."""
    good = kind in GOOD_KINDS
    where = place.where
    if isinstance(node, n.Ref):
        name, span = node.name, node.span
        message = f"{_label(kind)} `{name}` is {'not ' if present else ''}negated in {where}"
    else:
        name, span = node.name, node.span
        reading = "presence" if present else "absence"
        message = (f"`{logic.show_compare(node, positive)}` reads as the {reading} of "
                   f"{kind} measure `{name}` in {where}")
    compare = isinstance(node, n.Compare)
    if place.role == GATE and not good:  # P407: a symptom or form fault wanted present
        noun = "a symptom" if kind == "symptom" else "a form fault"
        fix = (f"bound it from above (`{name} <= ...`)" if compare else f"write `not {name}`")
        help = (f"{noun} should be absent: {fix}, or move it to a `stop if` or a "
                "`regress ... when`")
    elif place.role == GATE:  # P409: something wanted, asked for absent
        fix = (f"bound `{name}` from below (`{name} >= ...`)" if compare
               else f"name `{name}` without `not`")
        help = (f"{where} names what must hold before going on: {fix}, or move this to a "
                "`stop if` or a `regress ... when`")
    elif place.role == STOP and good:  # P407: stops when something wanted is present
        fix = (f"bound it from above (`{name} < ...`) to stop when it is lost" if compare
               else f"write `not {name}` to stop when it is lost")
        help = f"`stop if` names what goes wrong: {fix}, or stop on a symptom"
    elif place.role == STOP:  # P409: stops when a symptom is absent
        fix = (f"bound `{name}` from below (`{name} > ...`)" if compare
               else f"stop on `{name}` itself, without `not`")
        help = f"`stop if` names what goes wrong: {fix}"
    elif good:  # P409: regresses when something wanted is present
        help = (f"`regress ... when` names what goes wrong: regress when `{name}` is lost, or "
                "when a symptom appears")
    else:  # P409: regresses when a symptom is absent
        fix = (f"bound `{name}` from below (`{name} > ...`)" if compare
               else f"regress on `{name}` itself, without `not`")
        help = f"`regress ... when` names what goes wrong: {fix}"
    return diagnostic(code, message, span, help)


# --- P408 ----------------------------------------------------------------------------------


@register(
    "P408", "extends a level that is not lower",
    per_exercise=True,
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
    """P408: `extends` names a lower, existing level; a cycle is named once, at its lowest
    level (whose `extends` is necessarily not lower). Linear in the number of levels."""
    for ex in ctx.protocol.exercises:
        levels = levels_by_number(ex)
        cycles = _cycles(levels)
        for lv in _levels(ex):
            m = lv.extends
            if m is None or m not in levels or m < lv.number:
                continue
            span = lv.extends_span or lv.span
            if m == lv.number:
                msg = f"level {m} extends itself"
            else:
                msg = f"level {lv.number} extends level {m}, which is not lower"
                if lv.number in cycles:
                    msg += ": the chain " + _spelled(cycles[lv.number]) + " is a cycle"
            if lv.number > 2:
                help = f"extend a lower level (1 to {lv.number - 1}), or remove `extends`"
            elif lv.number == 2:
                help = "extend level 1, or remove `extends`"
            else:
                help = "level 1 cannot extend another level: remove `extends`"
            yield diagnostic("P408", msg, span, help)


# A longer cycle is shown by its first and last levels and its length.
CYCLE_SHOWN = 8


def _cycles(levels: dict[int, n.Level]) -> dict[int, list[int]]:
    """Every `extends` cycle of one exercise (longer than one level), keyed by its lowest
    level, as the chain from that level round to it. Each level is visited once."""
    state: dict[int, int] = {}  # level -> the walk that visited it
    found: dict[int, list[int]] = {}
    for walk, start in enumerate(sorted(levels)):
        path: list[int] = []
        cur: int | None = start
        while cur is not None and cur in levels and cur not in state:
            state[cur] = walk
            path.append(cur)
            cur = levels[cur].extends
        if cur is None or cur not in levels or state.get(cur) != walk:
            continue  # the chain ends, or joins a chain walked before
        loop = path[path.index(cur):]
        if len(loop) > 1:
            low = loop.index(min(loop))
            loop = loop[low:] + loop[:low]
            found[loop[0]] = [*loop, loop[0]]
    return found


def _spelled(chain: list[int]) -> str:
    """``1 -> 3 -> 2 -> 1``; a long chain as its ends and its length."""
    if len(chain) <= CYCLE_SHOWN + 1:
        return " -> ".join(str(x) for x in chain)
    head = " -> ".join(str(x) for x in chain[:3])
    tail = " -> ".join(str(x) for x in chain[-2:])
    return f"{head} -> ... -> {tail} ({len(chain) - 1} levels)"


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
