"""Measures and comparisons: P310, P311 (LANGUAGE.md 8.2).

A measure's definition is judged here too: an unknown `in` unit is P300 and a scale that runs
backwards is P302, as for any amount; a scale of one value (`scale 5-5`) is P310. A measure whose
definition is unsound has no domain (``logic.domain_of``): comparisons on it are then neither
judged here nor reasoned about by the logic, so one fault gives one diagnostic.
"""

from __future__ import annotations

from collections.abc import Iterator

from protodsl import logic
from protodsl import nodes as n
from protodsl.context import Context
from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.rules.names import of_type, used_names
from protodsl.rules.registry import register
from protodsl.rules.values import rpe_fault
from protodsl.vocabulary import MEASURE_UNITS, NORMAL_UNIT, closest

QUANTITY_WORDS = {"duration": "a duration", "load": "a load", "angle": "an angle",
                  "distance": "a distance"}
EXAMPLE_UNITS = {"duration": "s", "load": "kg", "angle": "deg", "distance": "cm"}


def _quantity(unit: str | None) -> str | None:
    """The quantity of a measure's normalized unit (None for a count or score)."""
    for quantity, normal in NORMAL_UNIT.items():
        if normal == unit:
            return quantity
    return None


def _unit_help(word: str, quantity: str | None) -> str:
    """Help for an unknown unit: the closest unit of the quantity wanted, or of any."""
    wanted = sorted(u for u, q in MEASURE_UNITS.items() if quantity is None or q == quantity)
    guess = closest(word, wanted) or closest(word, sorted(MEASURE_UNITS))
    if guess is not None:
        return f"did you mean `{guess}`?"
    if quantity is None:
        return ("use a duration, load, angle or distance unit (such as `s`, `kg`, `deg`, "
                "`cm`), or no unit for a count or score")
    return "use one of " + ", ".join(f"`{u}`" for u in wanted)


@register(
    "P310", "a comparison's or `rpe`'s value outside its domain, or of the wrong unit",
    per_exercise=True,
    explanation="""
A comparison `NAME OP NUMBER [UNIT]` is read in its measure's unit and domain: the measure's
scale, else zero and up, except degrees, which may be negative. A value outside the domain
(`pain <= 12` on a 0-10 scale, `stance_time >= -5 s`), a unit of another quantity
(`knee_flexion >= 90 s` on a measure in degrees), a unit on a count or score, or a bare number on
a measure that has a unit (`knee_flexion >= 90`) is an error. Values at the ends of the domain
are fine (`pain = 0`). Reported at the comparison. A measure whose scale has one value only
(`scale 5-5`) measures nothing and is reported at its scale. (An unknown unit is P300, a scale
that runs backwards P302.)

`rpe A[-B]` is a target effort on the 0-10 Borg CR10 scale: a value outside 0-10 (`rpe 12`, or a
range reaching past 10 such as `rpe 8-12`) or any unit after it is an error too, reported at the
`rpe`. `rpe 0` (no effort) is allowed; a range that runs backwards is P302.
""",
    bad='''protocol demo
  schedule 3 times weekly
  measure pain symptom "Pain at the knee" scale 0-10
  stop if pain > 12
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
def check_comparison_values(ctx: Context) -> Iterator[Diagnostic]:
    """P310 (and P300, P302 for a measure's own unit and scale): every comparison's value and
    unit fit its measure; every measure's scale spans more than one value; every `rpe` lies in
    0-10 without a unit."""
    for m in n.every(ctx.protocol.body, n.Measure):
        yield from _definition(m)
    for node in used_names(ctx):
        if isinstance(node, n.Compare):
            d = _judge(ctx, node)
            if d is not None:
                yield d
    for st in of_type(ctx, n.Rpe):
        found = rpe_fault(st)
        if found is not None and found.code == "P310":
            yield found


def _definition(m: n.Measure) -> Iterator[Diagnostic]:
    if m.unit is not None and m.unit not in MEASURE_UNITS:
        yield diagnostic("P300", f"unknown unit `{m.unit}`", m.unit_span or m.span,
                         _unit_help(m.unit, None))
    scale = m.scale
    if scale is None:
        return
    low, high = logic.exact(scale.low), logic.exact(scale.high)
    if low is None or high is None:
        return
    lo, hi = logic.number_text(scale.low), logic.number_text(scale.high)
    if low > high:
        yield diagnostic(
            "P302", f"the range `{scale.text}` runs backwards: {lo} is above {hi}", scale.span,
            f"write the lower end first: `{hi}-{lo}`")
    elif low == high:
        yield diagnostic(
            "P310", f"the scale of `{m.name}` has a single value, {lo}", scale.span,
            "give the scale's lowest and highest values, such as `scale 0-10`")


def _judge(ctx: Context, c: n.Compare) -> Diagnostic | None:
    """What is wrong with one comparison's value or unit, if anything."""
    measure = ctx.measures.get(c.name)
    domain = ctx.domains.get(c.name)
    if measure is None or domain is None:
        return None  # not a measure (P201, P311), or its definition is unsound (P300, P302...)
    shown = logic.show_compare(c)
    value = logic.number_text(c.value)
    quantity = _quantity(domain.unit)
    if c.unit is not None and c.unit not in MEASURE_UNITS:
        return diagnostic("P300", f"unknown unit `{c.unit}`", c.unit_span or c.span,
                          _unit_help(c.unit, quantity))
    exact = logic.value_of(c, domain)
    if exact is None:
        if logic.exact(c.value) is None:
            return diagnostic("P310", f"`{c.name}` is compared with a number too large to use",
                              c.span, "compare it with a value within its domain")
        if c.unit is None:
            return diagnostic(
                "P310", f"`{shown}` has no unit: `{c.name}` is measured in {measure.unit}",
                c.span, f"write the unit: `{c.name} {c.op} {value} {measure.unit}`")
        if quantity is None:
            what = "a score" if measure.scale is not None else "a count or score"
            return diagnostic(
                "P310", f"`{shown}` has a unit, but `{c.name}` is {what}", c.span,
                f"write the number alone: `{c.name} {c.op} {value}`")
        return diagnostic(
            "P310", f"`{c.unit}` is {QUANTITY_WORDS[MEASURE_UNITS[c.unit]]} unit, but "
            f"`{c.name}` is measured in {measure.unit}", c.span,
            f"compare it in {QUANTITY_WORDS[quantity]} unit, such as "
            f"`{c.name} {c.op} {value} {EXAMPLE_UNITS[quantity]}`")
    if logic.in_domain(exact, domain):
        return None
    if domain.high is not None and domain.low is not None:
        ends = f"{logic.number_text(domain.low)}-{logic.number_text(domain.high)}"
        return diagnostic(
            "P310", f"`{shown}` is outside the scale of `{c.name}`, {ends}", c.span,
            f"compare `{c.name}` with a value from {logic.number_text(domain.low)} to "
            f"{logic.number_text(domain.high)}")
    return diagnostic(
        "P310", f"`{shown}` is outside the domain of `{c.name}`: it cannot be negative",
        c.span, f"compare `{c.name}` with a value of 0 or more")


@register(
    "P311", "a comparison on a condition, or a measure used as a condition",
    per_exercise=True,
    explanation="""
Conditions and measures share their names but not their use: a `condition` is true or false and
is named on its own (`requires steady`), a `measure` has a value and is compared
(`stop if pain > 5`). Comparing a condition (`steady >= 3`), or naming a measure on its own
(`stop if pain`), is an error. Reported at the comparison or the name.
""",
    bad='''protocol demo
  schedule 3 times weekly
  measure pain symptom "Pain at the knee" scale 0-10
  stop if pain
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
def check_measure_use(ctx: Context) -> Iterator[Diagnostic]:
    """P311: every comparison on a condition and every measure named bare as a condition."""
    for node in used_names(ctx):
        if node.name in ctx.conditions and node.name in ctx.measures:
            continue  # both at once: P200 reports the clash
        if isinstance(node, n.Compare) and node.name in ctx.conditions:
            yield diagnostic(
                "P311", f"`{node.name}` is a condition, not a measure: it cannot be "
                "compared", node.span,
                f"name the condition on its own (`{node.name}`), or define a measure "
                f'to compare: `measure NAME KIND "text" [in UNIT | scale A-B]`')
        elif isinstance(node, n.Ref) and node.name in ctx.measures:
            measure = ctx.measures[node.name]
            unit = f" {measure.unit}" if measure.unit else ""
            yield diagnostic(
                "P311", f"measure `{node.name}` is used as a condition", node.span,
                f"compare it with a value: `{node.name} OP NUMBER{unit}`, OP one of "
                "`<`, `<=`, `>`, `>=`, `=`")
