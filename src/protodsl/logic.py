"""Boolean logic on condition expressions: NNF, DNF, satisfiability and implication.

Atoms are the named conditions (``Ref``, one atom per name) and the inline texts (``Inline``).
Two inline texts are independent atoms even when their texts are equal: an inline text is free
prose that the checker cannot compare, so each occurrence (identified by its position) stands
alone, as the language brief says.

The work is bounded. DNF stops at ``MAX_TERMS`` terms and the satisfiability search at a budget
of ``MAX_STEPS`` node visits per question; a ``Budget`` shared by the calls of one rule on one
file (``MAX_FILE_STEPS``) bounds a whole file. Past any bound the functions raise ``TooComplex``
(``implies`` returns None), and the rules report what they could not prove instead of hanging.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Union

from protodsl import nodes as n

MAX_TERMS = 256
MAX_STEPS = 100_000
MAX_FILE_STEPS = 1_000_000
MAX_DEPTH = 400  # nested decisions of the search (keeps it far from Python's recursion limit)

Atom = tuple[str, ...]  # ("ref", name) or ("text", text, line, column)
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


def atom_of(node: n.Ref | n.Inline) -> Atom:
    """The atom a condition reference or an inline text stands for."""
    if isinstance(node, n.Ref):
        return ("ref", node.name)
    return ("text", node.text, node.span.line, node.span.column)


def atoms(expr: n.Expr) -> set[Atom]:
    """Every atom of an expression."""
    return {atom_of(node) for node, _ in leaves(expr)}


def leaves(expr: n.Expr, positive: bool = True) -> Iterator[tuple[n.Ref | n.Inline, bool]]:
    """Every reference and inline text with its polarity after pushing `not` inward."""
    if isinstance(expr, (n.Ref, n.Inline)):
        yield expr, positive
    elif isinstance(expr, n.Not):
        yield from leaves(expr.operand, not positive)
    else:
        for op in expr.operands:
            yield from leaves(op, positive)


def evaluate(expr: n.Expr, values: Mapping[Atom, bool]) -> bool:
    """The truth of ``expr`` when each atom has the value ``values`` gives it."""
    if isinstance(expr, (n.Ref, n.Inline)):
        return values[atom_of(expr)]
    if isinstance(expr, n.Not):
        return not evaluate(expr.operand, values)
    if isinstance(expr, n.AllOf):
        return all(evaluate(op, values) for op in expr.operands)
    return any(evaluate(op, values) for op in expr.operands)


# --- negation normal form -------------------------------------------------------------------


def nnf(expr: n.Expr, negate: bool = False) -> Formula:
    """``expr`` (or its negation) with `not` pushed onto the atoms."""
    if isinstance(expr, (n.Ref, n.Inline)):
        return ("lit", atom_of(expr), not negate)
    if isinstance(expr, n.Not):
        return nnf(expr.operand, not negate)
    is_and = isinstance(expr, n.AllOf) != negate
    return ("and" if is_and else "or", tuple(nnf(op, negate) for op in expr.operands))


def conjoin(*formulas: Formula) -> Formula:
    """The conjunction of formulas."""
    return ("and", tuple(formulas))


# --- disjunctive normal form ----------------------------------------------------------------


def dnf(expr: n.Expr, limit: int | None = None, budget: Budget | None = None
        ) -> frozenset[Term]:
    """The disjunctive normal form of ``expr`` as a set of conjunctions of literals.

    Contradictory conjunctions (``a and not a``) are dropped and conjunctions that contain
    another one are absorbed, so the result is empty exactly when ``expr`` is unsatisfiable.
    Raises ``TooComplex`` when an intermediate result has more than ``limit`` terms (default
    ``MAX_TERMS``), or when the work exceeds ``budget``.
    """
    return _dnf(nnf(expr), MAX_TERMS if limit is None else limit,
                Budget(MAX_STEPS, budget))


def _dnf(f: Formula, limit: int, budget: Budget) -> frozenset[Term]:
    budget.spend()
    if f is True:
        return frozenset({frozenset()})
    if f is False:
        return frozenset()
    op = f[0]
    if op == "lit":
        return frozenset({frozenset({(f[1], f[2])})})
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
        acc = _absorb({t for t in product if not _contradictory(t)}, budget)
        if len(acc) > limit:
            raise TooComplex
    return acc


def _contradictory(term: Term) -> bool:
    return any((atom, not pol) in term for atom, pol in term)


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
    """Values of atoms that make ``f`` true (atoms left out may take any value), or None if
    ``f`` is unsatisfiable. Raises ``TooComplex`` past ``steps`` node visits (default
    ``MAX_STEPS``) or when ``budget`` runs out."""
    budget = Budget(MAX_STEPS if steps is None else steps, budget)
    unsat: set[Formula] = set()

    def solve(g: Formula, values: dict[Atom, bool], depth: int = 0
              ) -> dict[Atom, bool] | None:
        if depth > MAX_DEPTH:
            raise TooComplex
        g = _assign(g, values, budget)
        if g is True:
            return values
        if g is False or g in unsat:
            return None
        budget.spend(1)
        units = [g] if g[0] == "lit" else [s for s in g[1] if g[0] == "and" and s[0] == "lit"]
        if units:
            forced = dict(values)
            for u in units:
                if forced.get(u[1], u[2]) != u[2]:
                    unsat.add(g)
                    return None
                forced[u[1]] = u[2]
            found = solve(g, forced, depth + 1)
        else:
            atom = _first_atom(g)
            found = solve(g, {**values, atom: True}, depth + 1)
            if found is None:
                found = solve(g, {**values, atom: False}, depth + 1)
        if found is None:
            unsat.add(g)
        return found

    return solve(f, {})


def satisfiable(f: Formula, steps: int | None = None, budget: Budget | None = None) -> bool:
    """Whether some values of the atoms make ``f`` true (``TooComplex`` past the bounds)."""
    return find_model(f, steps, budget) is not None


def implies(a: n.Expr, b: n.Expr, steps: int | None = None, budget: Budget | None = None
            ) -> bool | None:
    """Whether ``a`` guarantees ``b`` (``a and not b`` is unsatisfiable), decided exactly;
    None when the expressions are too large to decide within ``steps`` or ``budget``."""
    try:
        return not satisfiable(conjoin(nnf(a), nnf(b, negate=True)), steps, budget)
    except TooComplex:
        return None


# --- rendering ------------------------------------------------------------------------------


def render_literal(lit: Lit) -> str:
    """A literal as it would be written: `name`, `not name`, `"text"`, `not "text"`."""
    atom, positive = lit
    word = atom[1] if atom[0] == "ref" else '"' + atom[1].replace("\\", "\\\\").replace(
        '"', '\\"') + '"'
    return word if positive else f"not {word}"


def render_term(term: Iterable[Lit]) -> str:
    """A conjunction of literals, in a stable order."""
    return " and ".join(render_literal(lit) for lit in sorted(term, key=_lit_key))


def _lit_key(lit: Lit) -> tuple:
    atom, positive = lit
    return (atom[0] != "ref", atom[1], atom[2:], not positive)
