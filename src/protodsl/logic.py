"""Boolean logic on condition expressions: NNF, DNF, satisfiability and implication.

Atoms are the named conditions (``Ref``, one atom per name), the inline texts (``Inline``) and
the comparisons on measures (``Compare``). Two inline texts are independent atoms even when their
texts are equal: an inline text is free prose that the checker cannot compare, so each
occurrence (identified by its position) stands alone, as the language brief says.

Comparisons (LANGUAGE.md 8.2) are reasoned about as intervals of their measure's domain. Given
the measures' ``Domains``, a comparison whose unit fits its measure becomes a canonical atom
``("cmp", name, kind, value, domain)`` with the value exact (a ``Fraction``) in the measure's
normalized unit, and ``kind`` one of:

- ``"lt"``: ``m < v`` (its negation is ``m >= v``),
- ``"le"``: ``m <= v`` (its negation is ``m > v``),
- ``"eq"``: ``m = v`` (its negation is ``m`` anything but ``v``).

So ``not (m OP v)`` is the complementary comparison by construction. A conjunction of literals
is true only if, for each measure, the intervals its literals allow meet inside the domain (the
"theory" check, a per-measure interval intersection). A comparison that cannot be read that way
(no domains given, a name that is not a sound measure, a unit that does not fit) is an opaque
atom ``("raw", name, op, value, unit)``: a proposition of its own, like a condition.

The work is bounded. DNF stops at ``MAX_TERMS`` terms and the satisfiability search at a budget
of ``MAX_STEPS`` node visits per question; a ``Budget`` shared by the calls of one rule on one
file (``MAX_FILE_STEPS``) bounds a whole file. Past any bound the functions raise ``TooComplex``
(``implies`` returns None), and the rules report what they could not prove instead of hanging.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from typing import Any, NamedTuple, Union

from protodsl import nodes as n
from protodsl.vocabulary import MEASURE_UNITS, NORMAL_UNIT, unit_factor

MAX_TERMS = 256
MAX_STEPS = 100_000
MAX_FILE_STEPS = 1_000_000
MAX_DEPTH = 400  # nested decisions of the search (keeps it far from Python's recursion limit)

# ("ref", name), ("text", text, line, column), ("cmp", name, kind, value, domain) or
# ("raw", name, op, value as written, unit or "").
Atom = tuple[Any, ...]
Lit = tuple[Atom, bool]  # an atom and its polarity (True: not negated)
Term = frozenset[Lit]  # a conjunction of literals
# A formula in negation normal form: True, False, ("lit", atom, polarity),
# ("and", (formula, ...)) or ("or", (formula, ...)).
Formula = Union[bool, tuple]


class TooComplex(Exception):
    """The expression is too large to decide within the bounds."""


class Budget:
    """A number of steps of work; spending past it raises ``TooComplex``. A budget made with a
    ``parent`` spends the parent's steps too, so one budget can bound many questions."""

    def __init__(self, steps: int, parent: Budget | None = None) -> None:
        self.left = steps
        self.parent = parent

    def spend(self, steps: int = 1) -> None:
        """Use ``steps`` steps."""
        self.left -= steps
        if self.left < 0:
            raise TooComplex
        if self.parent is not None:
            self.parent.spend(steps)


# --- measures -------------------------------------------------------------------------------


class Domain(NamedTuple):
    """The values a measure can take: from ``low`` to ``high`` inclusive (None: unbounded), in
    its normalized ``unit`` (``s``, ``kg``, ``deg``, ``m``; None for a count or a score)."""

    low: Fraction | None
    high: Fraction | None
    unit: str | None


Domains = Mapping[str, Domain]

# The comparison operators by canonical kind and polarity, and back.
_OPS = {("lt", True): "<", ("lt", False): ">=", ("le", True): "<=", ("le", False): ">",
        ("eq", True): "="}
_KIND = {"<": ("lt", True), ">=": ("lt", False), "<=": ("le", True), ">": ("le", False),
         "=": ("eq", True)}
COMPLEMENT = {"<": ">=", ">=": "<", "<=": ">", ">": "<=", "=": "!="}


def exact(value: int | float) -> Fraction | None:
    """A number as written, exactly (``0.1`` is one tenth); None for an infinite float."""
    if isinstance(value, int):
        return Fraction(value)
    if not math.isfinite(value):
        return None
    return Fraction(repr(value))


def domain_of(measure: n.Measure) -> Domain | None:
    """The domain of a measure (8.2): its scale, else [0, infinity) in its unit, any real for
    degrees. None when the definition is unsound (an unknown unit, a scale that does not run
    from a lower to a higher value): its comparisons are then not reasoned about."""
    if measure.scale is not None:
        low, high = exact(measure.scale.low), exact(measure.scale.high)
        if measure.unit is not None or low is None or high is None or low >= high:
            return None
        return Domain(low, high, None)
    if measure.unit is None:
        return Domain(Fraction(0), None, None)
    quantity = MEASURE_UNITS.get(measure.unit)
    if quantity is None:
        return None
    if quantity == "angle":
        return Domain(None, None, NORMAL_UNIT[quantity])
    return Domain(Fraction(0), None, NORMAL_UNIT[quantity])


def domains_of(measures: Iterable[n.Measure]) -> dict[str, Domain]:
    """The domains of the sound measures, by name (the first definition of each name)."""
    out: dict[str, Domain] = {}
    seen: set[str] = set()
    for m in measures:
        if m.name in seen:
            continue
        seen.add(m.name)
        d = domain_of(m)
        if d is not None:
            out[m.name] = d
    return out


def value_of(compare: n.Compare, domain: Domain) -> Fraction | None:
    """The comparison's value exactly, in its measure's normalized unit; None when its unit
    does not fit the measure (a unit of another quantity, a unit on a count or score, a bare
    number on a measure that has a unit, an unknown unit)."""
    value = exact(compare.value)
    if value is None:
        return None
    if compare.unit is None:
        return value if domain.unit is None else None
    quantity = MEASURE_UNITS.get(compare.unit)
    if domain.unit is None or quantity is None or NORMAL_UNIT[quantity] != domain.unit:
        return None
    return value * Fraction(unit_factor(compare.unit))


def in_domain(value: Fraction, domain: Domain) -> bool:
    """Whether ``value`` lies in ``domain`` (its ends included)."""
    return ((domain.low is None or value >= domain.low)
            and (domain.high is None or value <= domain.high))


def reads_present(compare: n.Compare, positive: bool, domains: Domains | None) -> bool | None:
    """How a comparison reads (8.2) once `not` is pushed inward (``positive`` False: negated):
    True for the measure's presence, False for its absence. A comparison that bounds its measure
    from above (`<`, `<=`, or `=` the domain's minimum) reads as absence. None when the
    comparison is not on a sound measure or its unit does not fit."""
    domain = domains.get(compare.name) if domains is not None else None
    if domain is None:
        return None
    value = value_of(compare, domain)
    if value is None:
        return None
    if compare.op in ("<", "<="):
        absent = True
    elif compare.op == "=":
        absent = domain.low is not None and value == domain.low
    else:
        absent = False
    return absent != positive


# --- atoms ----------------------------------------------------------------------------------


def atom_of(node: n.Ref | n.Inline | n.Compare, domains: Domains | None = None) -> Atom:
    """The atom a condition reference, an inline text or a comparison stands for."""
    if isinstance(node, n.Ref):
        return ("ref", node.name)
    if isinstance(node, n.Inline):
        return ("text", node.text, node.span.line, node.span.column)
    return _compare_lit(node, domains)[0]


def _compare_lit(node: n.Compare, domains: Domains | None) -> Lit:
    """A comparison as a literal: a canonical interval atom and its polarity, or a raw atom."""
    domain = domains.get(node.name) if domains is not None else None
    if domain is not None and node.op in _KIND:
        value = value_of(node, domain)
        if value is not None:
            kind, positive = _KIND[node.op]
            return ("cmp", node.name, kind, value, domain), positive
    return ("raw", node.name, node.op, number_text(node.value), node.unit or ""), True


def atoms(expr: n.Expr, domains: Domains | None = None) -> set[Atom]:
    """Every atom of an expression."""
    return {atom_of(node, domains) for node, _ in leaves(expr)}


def leaves(expr: n.Expr, positive: bool = True
           ) -> Iterator[tuple[n.Ref | n.Inline | n.Compare, bool]]:
    """Every reference, inline text and comparison with its polarity after pushing `not`
    inward."""
    if isinstance(expr, (n.Ref, n.Inline, n.Compare)):
        yield expr, positive
    elif isinstance(expr, n.Not):
        yield from leaves(expr.operand, not positive)
    else:
        for op in expr.operands:
            yield from leaves(op, positive)


def evaluate(expr: n.Expr, values: Mapping[Atom, bool], domains: Domains | None = None) -> bool:
    """The truth of ``expr`` when each atom has the value ``values`` gives it."""
    if isinstance(expr, (n.Ref, n.Inline)):
        return values[atom_of(expr)]
    if isinstance(expr, n.Compare):
        atom, positive = _compare_lit(expr, domains)
        return values[atom] == positive
    if isinstance(expr, n.Not):
        return not evaluate(expr.operand, values, domains)
    if isinstance(expr, n.AllOf):
        return all(evaluate(op, values, domains) for op in expr.operands)
    return any(evaluate(op, values, domains) for op in expr.operands)


# --- the theory of intervals ----------------------------------------------------------------


def consistent(lits: Iterable[Lit]) -> bool:
    """Whether the interval literals among ``lits`` can hold together: for each measure, the
    intervals they allow meet inside its domain (other literals are not looked at)."""
    by_measure: dict[str, list[Lit]] = {}
    for lit in lits:
        if lit[0][0] == "cmp":
            by_measure.setdefault(lit[0][1], []).append(lit)
    return all(_meets(group) for group in by_measure.values())


def _meets(lits: list[Lit]) -> bool:
    """Whether some value satisfies every comparison literal of one measure."""
    domain: Domain = lits[0][0][4]
    # Bounds as (value, strict); None is unbounded.
    low: tuple[Fraction, bool] | None = None if domain.low is None else (domain.low, False)
    high: tuple[Fraction, bool] | None = None if domain.high is None else (domain.high, False)
    excluded: set[Fraction] = set()
    for (_, _, kind, value, _), positive in lits:
        if kind == "eq" and not positive:
            excluded.add(value)
            continue
        if kind == "eq" or not positive:
            bound = (value, kind == "le")  # m >= v, m > v, m = v: a lower bound
            if low is None or bound[0] > low[0] or (bound[0] == low[0] and bound[1]):
                low = bound
        if kind == "eq" or positive:
            bound = (value, kind == "lt")  # m < v, m <= v, m = v: an upper bound
            if high is None or bound[0] < high[0] or (bound[0] == high[0] and bound[1]):
                high = bound
    if low is None or high is None or low[0] < high[0]:
        return True  # a stretch of reals: finitely many excluded points cannot cover it
    if low[0] > high[0] or low[1] or high[1]:
        return False
    return low[0] not in excluded


def _cmp_count(lits: Iterable[Lit]) -> int:
    return sum(1 for atom, _ in lits if atom[0] == "cmp")


# --- negation normal form -------------------------------------------------------------------


def nnf(expr: n.Expr, negate: bool = False, domains: Domains | None = None) -> Formula:
    """``expr`` (or its negation) with `not` pushed onto the atoms; comparisons are read as
    intervals of the ``domains`` of their measures."""
    if isinstance(expr, (n.Ref, n.Inline)):
        return ("lit", atom_of(expr), not negate)
    if isinstance(expr, n.Compare):
        atom, positive = _compare_lit(expr, domains)
        return ("lit", atom, positive != negate)
    if isinstance(expr, n.Not):
        return nnf(expr.operand, not negate, domains)
    is_and = isinstance(expr, n.AllOf) != negate
    return ("and" if is_and else "or", tuple(nnf(op, negate, domains) for op in expr.operands))


def conjoin(*formulas: Formula) -> Formula:
    """The conjunction of formulas."""
    return ("and", tuple(formulas))


def replace_literals(f: Formula, drop: Any) -> Formula:
    """``f`` with every literal for which ``drop(atom, polarity)`` is true replaced by False."""
    if isinstance(f, bool):
        return f
    if f[0] == "lit":
        return False if drop(f[1], f[2]) else f
    return (f[0], tuple(replace_literals(sub, drop) for sub in f[1]))


# --- disjunctive normal form ----------------------------------------------------------------


def dnf(expr: n.Expr, limit: int | None = None, budget: Budget | None = None,
        domains: Domains | None = None) -> frozenset[Term]:
    """The disjunctive normal form of ``expr`` as a set of conjunctions of literals.

    Contradictory conjunctions (``a and not a``, ``pain <= 3 and pain > 5``) are dropped and
    conjunctions that contain another one are absorbed, so the result is empty exactly when
    ``expr`` is unsatisfiable. Raises ``TooComplex`` when an intermediate result has more than
    ``limit`` terms (default ``MAX_TERMS``), or when the work exceeds ``budget``.
    """
    return dnf_of(nnf(expr, domains=domains), limit, budget)


def dnf_of(f: Formula, limit: int | None = None, budget: Budget | None = None
           ) -> frozenset[Term]:
    """The disjunctive normal form of a formula in negation normal form (see ``dnf``)."""
    return _dnf(f, MAX_TERMS if limit is None else limit, Budget(MAX_STEPS, budget))


def _dnf(f: Formula, limit: int, budget: Budget) -> frozenset[Term]:
    budget.spend()
    if f is True:
        return frozenset({frozenset()})
    if f is False:
        return frozenset()
    op = f[0]
    if op == "lit":
        lit = (f[1], f[2])
        return frozenset({frozenset({lit})}) if consistent((lit,)) else frozenset()
    parts = [_dnf(sub, limit, budget) for sub in f[1]]
    if op == "or":
        terms: set[Term] = set()
        for p in parts:
            terms |= p
            if len(terms) > limit:
                raise TooComplex
        return _absorb(terms, budget)
    acc: frozenset[Term] = frozenset({frozenset()})
    for p in parts:
        if len(acc) * len(p) > limit * 2:
            raise TooComplex
        budget.spend(len(acc) * len(p))
        product = {a | b for a in acc for b in p}
        acc = _absorb({t for t in product if not _contradictory(t, budget)}, budget)
        if len(acc) > limit:
            raise TooComplex
    return acc


def _contradictory(term: Term, budget: Budget) -> bool:
    if any((atom, not pol) in term for atom, pol in term):
        return True
    count = _cmp_count(term)
    if not count:
        return False
    budget.spend(count)
    return not consistent(term)


def _absorb(terms: Iterable[Term], budget: Budget) -> frozenset[Term]:
    ordered = sorted(terms, key=len)
    kept: list[Term] = []
    for t in ordered:
        budget.spend(len(kept) + 1)
        if not any(k <= t for k in kept):
            kept.append(t)
    return frozenset(kept)


# --- satisfiability -------------------------------------------------------------------------


def _assign(f: Formula, values: Mapping[Atom, bool], budget: Budget) -> Formula:
    """``f`` with the atoms of ``values`` replaced by their values, simplified."""
    budget.spend()
    if isinstance(f, bool):
        return f
    op = f[0]
    if op == "lit":
        if f[1] in values:
            return values[f[1]] == f[2]
        return f
    is_and = op == "and"
    kept: list[Formula] = []
    for sub in f[1]:
        s = _assign(sub, values, budget)
        if s is (not is_and):
            return not is_and  # False in a conjunction, True in a disjunction
        if s is is_and:
            continue
        if isinstance(s, tuple) and s[0] == op:
            kept.extend(s[1])
        else:
            kept.append(s)
    if not kept:
        return is_and
    if len(kept) == 1:
        return kept[0]
    return (op, tuple(kept))


def _first_atom(f: Formula) -> Atom:
    while f[0] != "lit":
        f = f[1][0]
    return f[1]


def find_model(f: Formula, steps: int | None = None, budget: Budget | None = None
               ) -> dict[Atom, bool] | None:
    """Values of atoms that make ``f`` true, or None if ``f`` is unsatisfiable. Atoms left out
    may take any value (that the measures' intervals allow); the interval literals of the model
    hold together. Raises ``TooComplex`` past ``steps`` node visits (default ``MAX_STEPS``) or
    when ``budget`` runs out."""
    budget = Budget(MAX_STEPS if steps is None else steps, budget)
    # Residual formulas known to be unsatisfiable, with the interval literals assigned when
    # that was found (a residual formula's truth depends on them, not on the other values).
    unsat: set[tuple[Formula, frozenset[Lit]]] = set()

    def solve(g: Formula, values: dict[Atom, bool], depth: int = 0
              ) -> dict[Atom, bool] | None:
        if depth > MAX_DEPTH:
            raise TooComplex
        theory = frozenset((a, v) for a, v in values.items() if a[0] == "cmp")
        if theory:
            budget.spend(len(theory))
            if not consistent(theory):
                return None
        g = _assign(g, values, budget)
        if g is True:
            return values
        key = (g, theory)
        if g is False or key in unsat:
            return None
        budget.spend(1)
        units = [g] if g[0] == "lit" else [s for s in g[1] if g[0] == "and" and s[0] == "lit"]
        if units:
            forced = dict(values)
            for u in units:
                if forced.get(u[1], u[2]) != u[2]:
                    unsat.add(key)
                    return None
                forced[u[1]] = u[2]
            found = solve(g, forced, depth + 1)
        else:
            atom = _first_atom(g)
            found = solve(g, {**values, atom: True}, depth + 1)
            if found is None:
                found = solve(g, {**values, atom: False}, depth + 1)
        if found is None:
            unsat.add(key)
        return found

    return solve(f, {})


def satisfiable(f: Formula, steps: int | None = None, budget: Budget | None = None) -> bool:
    """Whether some values of the atoms make ``f`` true (``TooComplex`` past the bounds)."""
    return find_model(f, steps, budget) is not None


def implies(a: n.Expr, b: n.Expr, steps: int | None = None, budget: Budget | None = None,
            domains: Domains | None = None) -> bool | None:
    """Whether ``a`` guarantees ``b`` (``a and not b`` is unsatisfiable), decided exactly, with
    comparisons read as intervals of the ``domains`` of their measures; None when the
    expressions are too large to decide within ``steps`` or ``budget``."""
    try:
        return not satisfiable(conjoin(nnf(a, domains=domains),
                                       nnf(b, negate=True, domains=domains)), steps, budget)
    except TooComplex:
        return None


# --- rendering ------------------------------------------------------------------------------


def number_text(value: int | float | Fraction) -> str:
    """A number as a reader writes it (`5`, `2.5`, `2.26796185`), exact for decimals."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return "a number too large to show"
        value = Fraction(repr(value))
    if isinstance(value, int):
        value = Fraction(value)
    num, den = value.numerator, value.denominator
    if max(abs(num), den).bit_length() > 3000:
        return "a number too long to show"
    twos = fives = 0
    d = den
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:  # not a decimal: never made from a number as written, shown to 6 digits
        return f"{float(value):.6g}"
    places = max(twos, fives)
    scaled = abs(num) * 10 ** places // den
    digits = str(scaled).rjust(places + 1, "0")
    whole, frac = (digits[:-places], digits[-places:]) if places else (digits, "")
    text = whole + ("." + frac.rstrip("0") if frac.rstrip("0") else "")
    return ("-" if num < 0 else "") + text


def render_literal(lit: Lit) -> str:
    """A literal as it would be written: `name`, `not name`, `"text"`, `not "text"`,
    `pain <= 5`, `pain > 5`, `not pain = 0` (comparisons in the measure's normalized unit)."""
    atom, positive = lit
    if atom[0] == "cmp":
        _, name, kind, value, domain = atom
        unit = f" {domain.unit}" if domain.unit else ""
        if kind == "eq" and not positive:
            return f"not {name} = {number_text(value)}{unit}"
        return f"{name} {_OPS[(kind, positive)]} {number_text(value)}{unit}"
    if atom[0] == "raw":
        _, name, op, value, unit = atom
        word = f"{name} {op} {value}" + (f" {unit}" if unit else "")
    elif atom[0] == "ref":
        word = atom[1]
    else:
        word = '"' + atom[1].replace("\\", "\\\\").replace('"', '\\"') + '"'
    return word if positive else f"not {word}"


def render_term(term: Iterable[Lit]) -> str:
    """A conjunction of literals, in a stable order."""
    return " and ".join(render_literal(lit) for lit in sorted(term, key=_lit_key))


_RANK = {"ref": 0, "cmp": 1, "raw": 2, "text": 3}


def _lit_key(lit: Lit) -> tuple:
    atom, positive = lit
    if atom[0] == "cmp":  # by measure, then value
        return (1, atom[1], atom[3], atom[2], not positive)
    return (_RANK[atom[0]], atom[1], atom[2:], not positive)


def show_compare(compare: n.Compare, positive: bool = True) -> str:
    """A comparison as written (`knee_flexion >= 90 deg`), or its complement when negated
    (`pain <= 5` for `not (pain > 5)`, `not pain = 0` for `not (pain = 0)`)."""
    unit = f" {compare.unit}" if compare.unit else ""
    value = number_text(compare.value)
    if positive:
        return f"{compare.name} {compare.op} {value}{unit}"
    if compare.op == "=":
        return f"not {compare.name} = {value}{unit}"
    return f"{compare.name} {COMPLEMENT.get(compare.op, compare.op)} {value}{unit}"


def literal_present(lit: Lit) -> bool | None:
    """How an interval literal reads (8.2): True for its measure's presence, False for its
    absence (`<`, `<=`, `=` the domain's minimum, and the complements of presence); None for a
    literal that is not on an interval atom."""
    atom, positive = lit
    if atom[0] != "cmp":
        return None
    _, _, kind, value, domain = atom
    if kind == "eq":
        absent = domain.low is not None and value == domain.low
    else:
        absent = True  # m < v, m <= v
    return absent != positive
