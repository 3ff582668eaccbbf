"""Dosage and movement (LANGUAGE.md 8.4-8.6, 8.9): P312, P313, P411.

Every rule here reads a level's effective values (``dosage.effective_levels``: after `extends`,
with the exercise's `range until`), as the compiler does. Levels whose number is unknown (a
broken header) and the later of two levels with the same number (P200) are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from protodsl import logic
from protodsl import nodes as n
from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.dosage import Effective, effective_levels
from protodsl.rules.progression import (
    _never_true,
    _timed,
    _undefined,
    stability_examples,
    stability_names,
    without_stability,
)
from protodsl.rules.registry import register
from protodsl.rules.values import COUNT, show, sound
from protodsl.vocabulary import SUPPORTS

if TYPE_CHECKING:
    from protodsl.context import Context


def _where(ex: n.Exercise, lv: n.Level) -> str:
    return f"exercise `{ex.name}`" if lv.implicit else f"level {lv.number} of `{ex.name}`"


def _levels(ex: n.Exercise) -> list[tuple[n.Level, Effective]]:
    """An exercise's levels with their effective values, by number."""
    return [(eff.level, eff) for _, eff in sorted(effective_levels(ex).items())]


# --- P312 ---------------------------------------------------------------------------------


def _items(st: n.RepsList) -> str:
    return ", ".join(str(x) for x in st.items)


@register(
    "P312", "a reps list whose count differs from `sets`",
    per_exercise=True,
    explanation="""
`reps A, B, C` gives the reps of every set in order (`reps 12, 10, 8`: three sets, 12 reps in the
first), so the list's length is the number of sets. A `sets` that says otherwise contradicts it
(`sets 2` with three counts, or a range such as `sets 2-3`). Without `sets`, the list alone gives
the sets. The values are the level's effective ones: a level that restates its reps list or
`sets` is judged against the other one, its own or copied by `extends`. Reported at the `reps`
statement (at the `sets` when only the `sets` is the level's own).
""",
    bad='protocol demo\n  schedule 3 times weekly\n  exercise squat\n    reps 12, 10, 8\n'
        '    sets 2\n',
    good='protocol demo\n  schedule 3 times weekly\n  exercise squat\n    reps 12, 10, 8\n'
         '    sets 3\n',
)
def check_reps_list_sets(ctx: Context) -> Iterator[Diagnostic]:
    """P312: a reps list and a `sets` that give different numbers of sets."""
    for ex in ctx.protocol.exercises:
        for lv, eff in _levels(ex):
            found = _list_against_sets(ex, lv, eff)
            if found is not None:
                yield found


def _list_against_sets(ex: n.Exercise, lv: n.Level, eff: Effective) -> Diagnostic | None:
    listed, sets = eff.reps_list, eff.sets
    if listed is None or sets is None or not listed.items:
        return None
    own_list = any(st is listed for st in lv.body)
    own_sets = any(st is sets for st in lv.body)
    if not (own_list or own_sets) or not sound(sets.amount, COUNT):
        return None  # both copied (judged where they were written), or P301-P303 first
    count = len(listed.items)
    if (sets.amount.low, sets.amount.high) == (count, count):
        return None
    given = show((sets.amount.low, sets.amount.high))
    plural = "set" if count == 1 else "sets"
    if own_list:
        source = "" if own_sets else f" (from level {_level_of(ex, sets)}, line {sets.span.line})"
        message = (f"`reps {_items(listed)}` lists {count} {plural}, but `sets "
                   f"{sets.amount.text}`{source} says {given}")
        help = ("remove `sets`: the list's length gives the sets" if own_sets else
                f"write `sets {count}` in this level, or list one count for each of its sets")
        return diagnostic("P312", message, listed.span, help)
    message = (f"`sets {sets.amount.text}` says {given}, but the reps list `reps "
               f"{_items(listed)}` (from level {_level_of(ex, listed)}, line "
               f"{listed.span.line}) lists {count} {plural}")
    return diagnostic("P312", message, sets.span,
                      "remove `sets`, or give the level its own reps list with one count for "
                      "each set")


def _level_of(ex: n.Exercise, st: n.Statement) -> int:
    """The number of the level an inherited statement was written in."""
    return next(lv.number for lv in ex.levels if any(x is st for x in lv.body))


# --- P313 ---------------------------------------------------------------------------------

PLACEHOLDERS = ("{side}", "{other side}")


def _placeholder(st: n.Statement) -> tuple[str, str] | None:
    """The first placeholder in a statement's texts that 8.5 fills, and what holds it (`step`,
    `cue`, `error`, `fix`, `modification`, a load's placement)."""
    texts: list[tuple[str | None, str]] = []
    if isinstance(st, (n.Step, n.Cue)):
        texts = [(st.text, st.keyword)]
    elif isinstance(st, n.ErrorFix):
        texts = [(st.error, "error"), (st.fix, "fix")]
    elif isinstance(st, n.Modification):
        texts = [(st.text, "modification")]
    elif isinstance(st, n.Load):
        texts = [(st.placement, "load's placement")]
    for text, what in texts:
        if not text:
            continue
        at = [(text.find(p), p) for p in PLACEHOLDERS if p in text]
        if at:
            return min(at)[1], what
    return None


def _sides_text(eff: Effective) -> str:
    if eff.sides is None:
        return "has no `sides`, so it works both sides together"
    return f"has `sides both` (line {eff.sides.span.line})"


SIDES_HELP = ("give the level one side or two (`sides each`, `alternating`, `left`, `right`, "
              "`affected` or `unaffected`), or name the side in words")


@register(
    "P313", "a side placeholder with no side to fill",
    per_exercise=True,
    explanation="""
In `step`, `cue`, `error`, `fix` and `modification` texts and a load's `on "..."` placement,
`{side}` stands for the side being worked and `{other side}` for the other one; the compiler
fills them in for every side a level works. A level whose effective sides are `both` (stated, or
by default without `sides`) works both sides together, so there is no side to fill in. A text
of the exercise block is shown in every level: it is reported once, at the text, when any level
has sides `both`. Reported at the statement that holds the text.
""",
    bad='protocol demo\n  schedule 3 times weekly\n  exercise lunge\n'
        '    step "Step forward with the {side} leg."\n    reps 10\n',
    good='protocol demo\n  schedule 3 times weekly\n  exercise lunge\n'
         '    step "Step forward with the {side} leg."\n    reps 10\n    sides each\n',
)
def check_side_placeholders(ctx: Context) -> Iterator[Diagnostic]:
    """P313: `{side}` or `{other side}` in a text shown in a level whose sides are `both`."""
    for ex in ctx.protocol.exercises:
        levels = _levels(ex)
        both = [(lv, eff) for lv, eff in levels if eff.side_word == "both"]
        if not both:
            continue
        for st in ex.body:
            found = _placeholder(st)
            if found is not None:
                lv, eff = both[0]
                yield diagnostic(
                    "P313", f"`{found[0]}` in the exercise's {found[1]} has no side to fill: "
                    f"{_where(ex, lv)} {_sides_text(eff)}", st.span, SIDES_HELP)
        for lv, eff in both:
            for st in lv.body:
                found = _placeholder(st)
                if found is not None:
                    yield diagnostic(
                        "P313", f"`{found[0]}` in this {found[1]} has no side to fill: "
                        f"{_where(ex, lv)} {_sides_text(eff)}", st.span, SIDES_HELP)


# --- P411 ---------------------------------------------------------------------------------


def _support_rank(st: n.Support | None) -> int | None:
    """How much support a level gives: higher is more (both_hands 3 ... none 0)."""
    if st is None or st.value not in SUPPORTS:
        return None
    return len(SUPPORTS) - 1 - SUPPORTS.index(st.value)


def _harder(new: Effective, old: Effective, number: int) -> list[tuple[n.Statement, str]]:
    """What a level takes away from the level it is entered from (8.9): support (both stated)
    and sight (unstated eyes are open). Each with the statement that gives it and a phrase."""
    found: list[tuple[n.Statement, str]] = []
    new_rank, old_rank = _support_rank(new.support), _support_rank(old.support)
    if new.support is not None and old.support is not None and new_rank is not None \
            and old_rank is not None and new_rank < old_rank:
        found.append((new.support, f"takes support away (`support {new.support.value}` after "
                                   f"`{old.support.value}` in level {number})"))
    if new.eyes is not None and new.eyes_word == "closed" and old.eyes_word == "open":
        found.append((new.eyes, f"closes the eyes (`eyes closed` after open eyes in level "
                                f"{number})"))
    return found


@register(
    "P411", "support taken away or eyes closed without a stability gate",
    per_exercise=True,
    explanation="""
Taking support away (`support both_hands` > `one_hand` > `fingertip` > `none`) or closing the
eyes makes balance work harder and raises the risk of a fall, so a level that does either must be
entered only once the patient is stable, like a load (P400). The level's effective values are
compared with those of the level it is entered from (unstated support is not judged; unstated
eyes are open). For each `advance` into it, the advance's `when` and the level's own `requires`
taken together must include a stability condition that is not negated (or a comparison on a
stability measure read as its presence) in every way of meeting them. A level reached by time (a
week window and no `advance` into it) is entered from the level below, and its `requires` alone
must pass. Reported at the statement that gives the level its support or eyes, once for each
advance that does not pass.
""",
    bad='''protocol demo
  schedule 3 times weekly
  condition steady stability "Stands steady on one leg for 30 s"
  condition easy skill "Finds the exercise easy"
  exercise stance
    kind balance
    level 1
      hold 30 s
      support one_hand
      advance to level 2 when easy
    level 2 extends level 1
      support none
''',
    good='''protocol demo
  schedule 3 times weekly
  condition steady stability "Stands steady on one leg for 30 s"
  condition easy skill "Finds the exercise easy"
  exercise stance
    kind balance
    level 1
      hold 30 s
      support one_hand
      advance to level 2 when easy and steady
    level 2 extends level 1
      support none
''',
)
def check_balance_gated(ctx: Context) -> Iterator[Diagnostic]:
    """P411: a level that takes support away or closes the eyes is gated by stability."""
    budget = ctx.file_budget()
    stable = stability_names(ctx)
    for ex in ctx.protocol.exercises:
        effective = effective_levels(ex)
        timed = _timed(ex)
        into: dict[int, list[tuple[int, n.Advance | None]]] = {}
        for m, src in sorted(effective.items()):
            for adv in n.every(src.level.body, n.Advance):
                if adv.to > m:
                    into.setdefault(adv.to, []).append((m, adv))
        for number, target in sorted(effective.items()):
            entries = into.get(number, [])
            if not entries and number in timed and number - 1 in effective:
                entries = [(number - 1, None)]
            for m, adv in entries:
                yield from _entry(ctx, ex, target, effective[m], m, adv, stable, budget)


def _entry(ctx: Context, ex: n.Exercise, target: Effective, source: Effective, m: int,
           adv: n.Advance | None, stable: list[str], budget: logic.Budget
           ) -> Iterator[Diagnostic]:
    """P411 for one way into a level: from level ``m`` by ``adv`` (None: by time)."""
    changes = _harder(target, source, m)
    if not changes:
        return
    lv = target.level
    req = n.first(lv.body, n.Requires)
    parts = []
    if adv is not None:
        if id(adv.when) in _never_true(ctx) or _undefined(adv.when, ctx):
            return  # P410 or P201 first; an advance that is never taken enters nothing
        parts.append(adv.when)
    if req is not None:
        if _undefined(req.expr, ctx):
            return
        parts.append(req.expr)
    where = _where(ex, lv)
    if stable:
        wanted = "a " + stability_examples(ctx, stable)
    else:
        wanted = 'a stability condition (define one: `condition NAME stability "..."`)'
    if adv is not None:
        by = f"the advance on line {adv.span.line}" + (
            " and the level's `requires`" if req is not None else "")
        help = f"add {wanted} to the `when` of line {adv.span.line} or to the level's `requires`"
    else:
        by = "its `requires` (it is reached by time)"
        help = f"give the level a `requires` with {wanted}"
    if not parts:
        reason = "it is reached by time and has no `requires`"
    else:
        formula = logic.conjoin(*(logic.nnf(p, domains=ctx.domains) for p in parts))
        try:
            way = without_stability(ctx, formula, budget)
        except logic.TooComplex:
            for st, change in changes:
                yield diagnostic(
                    "P411", f"cannot prove that {where} is gated by stability: the "
                    f"expressions of {by} are too large to check", st.span, help)
            return
        if way is None:
            return
        if way:
            reason = f"`{way}` alone would let the patient in ({by})"
        else:
            reason = f"{by} can be met without any stability condition"
    for st, change in changes:
        yield diagnostic("P411", f"{where} {change} without a stability gate: {reason}",
                         st.span, help)
