"""Boolean logic on expressions, checked against brute-force truth tables."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protodsl import logic
from protodsl import nodes as n

SPAN = n.Span(1, 1, 1, 2)


def ref(name: str) -> n.Ref:
    return n.Ref(name, SPAN)


def text(words: str, column: int = 1) -> n.Inline:
    return n.Inline(words, n.Span(1, column, 1, column + len(words) + 2))


def all_of(*ops: n.Expr) -> n.AllOf:
    return n.AllOf(tuple(ops), SPAN)


def any_of(*ops: n.Expr) -> n.AnyOf:
    return n.AnyOf(tuple(ops), SPAN)


def not_(op: n.Expr) -> n.Not:
    return n.Not(op, SPAN)


def holds(f: logic.Formula, values: Mapping[logic.Atom, bool]) -> bool:
    """Brute-force truth of an NNF formula."""
    if isinstance(f, bool):
        return f
    if f[0] == "lit":
        return values[f[1]] == f[2]
    results = [holds(sub, values) for sub in f[1]]
    return all(results) if f[0] == "and" else any(results)


def assignments(atoms: set[logic.Atom]):  # type: ignore[no-untyped-def]
    ordered = sorted(atoms)
    for bits in itertools.product((False, True), repeat=len(ordered)):
        yield dict(zip(ordered, bits))


# Four named conditions and inline texts at three positions (two of them with equal words).
leaf = st.one_of(
    st.sampled_from("abcd").map(ref),
    st.sampled_from([("calm", 1), ("calm", 40), ("steady", 80)]).map(lambda p: text(*p)),
)
exprs = st.recursive(
    leaf,
    lambda inner: st.one_of(
        inner.map(not_),
        st.lists(inner, min_size=2, max_size=4).map(lambda ops: all_of(*ops)),
        st.lists(inner, min_size=2, max_size=4).map(lambda ops: any_of(*ops)),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(exprs)
def test_nnf_has_the_truth_table_of_the_expression(e: n.Expr) -> None:
    f, g = logic.nnf(e), logic.nnf(e, negate=True)
    for values in assignments(logic.atoms(e)):
        assert holds(f, values) == logic.evaluate(e, values)
        assert holds(g, values) == (not logic.evaluate(e, values))


def _nnf_has_no_not(f: logic.Formula) -> bool:
    if f[0] == "lit":
        return True
    return f[0] in ("and", "or") and all(_nnf_has_no_not(s) for s in f[1])


@settings(max_examples=100, deadline=None)
@given(exprs)
def test_nnf_is_made_of_literals_and_connectives(e: n.Expr) -> None:
    assert _nnf_has_no_not(logic.nnf(e))


@settings(max_examples=300, deadline=None)
@given(exprs)
def test_dnf_has_the_truth_table_of_the_expression(e: n.Expr) -> None:
    terms = logic.dnf(e)
    for values in assignments(logic.atoms(e)):
        met = any(all(values[a] == pol for a, pol in t) for t in terms)
        assert met == logic.evaluate(e, values)
    for t in terms:  # no contradictory term, no term absorbed by another
        assert not any((a, not pol) in t for a, pol in t)
        assert not any(o < t for o in terms)


@settings(max_examples=300, deadline=None)
@given(exprs)
def test_satisfiable_and_models_agree_with_truth_table(e: n.Expr) -> None:
    f = logic.nnf(e)
    truth = any(logic.evaluate(e, v) for v in assignments(logic.atoms(e)))
    assert logic.satisfiable(f) == truth
    model = logic.find_model(f)
    assert (model is not None) == truth
    if model is not None:  # a partial model: every completion makes the expression true
        free = logic.atoms(e) - set(model)
        for rest in assignments(free):
            assert logic.evaluate(e, {**model, **rest})


@settings(max_examples=400, deadline=None)
@given(exprs, exprs)
def test_implies_agrees_with_truth_table(a: n.Expr, b: n.Expr) -> None:
    atoms = logic.atoms(a) | logic.atoms(b)
    truth = all(not logic.evaluate(a, v) or logic.evaluate(b, v) for v in assignments(atoms))
    assert logic.implies(a, b) is truth


@settings(max_examples=200, deadline=None)
@given(exprs)
def test_leaves_polarity_matches_nnf_literals(e: n.Expr) -> None:
    from_leaves = sorted((logic.atom_of(node), pol) for node, pol in logic.leaves(e))
    lits: list[tuple[logic.Atom, bool]] = []

    def collect(f: logic.Formula) -> None:
        if f[0] == "lit":
            lits.append((f[1], f[2]))
        else:
            for s in f[1]:
                collect(s)

    collect(logic.nnf(e))
    assert from_leaves == sorted(lits)


# --- worked examples ------------------------------------------------------------------------


def test_redundant_disjunction_guarantees_its_common_condition() -> None:
    calm, ribs = ref("calm"), ref("ribs_open")
    assert logic.implies(any_of(all_of(calm, ribs), calm), calm) is True
    assert logic.implies(any_of(all_of(calm, ribs), calm), ribs) is False


def test_conjunction_guarantees_each_part_but_disjunction_does_not() -> None:
    a, b = ref("a"), ref("b")
    assert logic.implies(all_of(a, b), a) is True
    assert logic.implies(any_of(a, b), a) is False
    assert logic.implies(a, any_of(a, b)) is True


def test_contradiction_implies_anything_and_anything_implies_tautology() -> None:
    a, b = ref("a"), ref("b")
    assert logic.implies(all_of(a, not_(a)), b) is True
    assert logic.implies(b, any_of(a, not_(a))) is True


def test_inline_texts_are_independent_even_with_equal_words() -> None:
    first, second = text("knee straight", 10), text("knee straight", 50)
    assert logic.implies(first, second) is False
    assert logic.implies(first, first) is True
    assert logic.atoms(all_of(first, second)) == {
        ("text", "knee straight", 1, 10), ("text", "knee straight", 1, 50)}


def test_double_negation_and_de_morgan() -> None:
    a, b = ref("a"), ref("b")
    assert logic.dnf(not_(not_(a))) == {frozenset({(("ref", "a"), True)})}
    assert logic.dnf(not_(any_of(a, b))) == {
        frozenset({(("ref", "a"), False), (("ref", "b"), False)})}
    assert logic.dnf(not_(all_of(a, b))) == {
        frozenset({(("ref", "a"), False)}), frozenset({(("ref", "b"), False)})}


def test_dnf_drops_contradictions_and_absorbs() -> None:
    a, b = ref("a"), ref("b")
    assert logic.dnf(all_of(a, not_(a))) == frozenset()
    assert logic.dnf(any_of(a, all_of(a, b))) == {frozenset({(("ref", "a"), True)})}


def test_render_term_is_stable_and_quotes_texts() -> None:
    term = frozenset({(("ref", "b"), False), (("ref", "a"), True),
                      (("text", 'say "ok"', 1, 5), True)})
    assert logic.render_term(term) == 'a and not b and "say \\"ok\\""'


# --- bounds ---------------------------------------------------------------------------------


def _pairs(count: int, prefix: str = "") -> n.AllOf:
    """(x1 or y1) and (x2 or y2) and ...: 2**count DNF terms."""
    return all_of(*(any_of(ref(f"{prefix}x{i}"), ref(f"{prefix}y{i}")) for i in range(count)))


def test_dnf_past_the_term_limit_raises_too_complex() -> None:
    with pytest.raises(logic.TooComplex):
        logic.dnf(_pairs(9))  # 512 terms > 256
    assert len(logic.dnf(_pairs(8))) == 256


def test_implies_past_the_step_budget_is_undecided() -> None:
    assert logic.implies(_pairs(6), ref("x0"), steps=10) is None
    assert logic.implies(_pairs(6), ref("x0")) is False


def test_large_implication_is_decided_within_the_default_budget() -> None:
    # 2**40 DNF terms: decided by the search, not by expanding the DNF.
    big = _pairs(40)
    assert logic.implies(big, any_of(ref("x0"), ref("y0"))) is True
    assert logic.implies(big, ref("x39")) is False


def test_very_wide_expression_is_undecided_not_a_crash() -> None:
    wide = _pairs(1000)
    assert logic.implies(wide, _pairs(1000, "z")) is None
    with pytest.raises(logic.TooComplex):
        logic.find_model(logic.nnf(wide))


def test_a_shared_budget_bounds_many_questions() -> None:
    shared = logic.Budget(200)
    assert logic.implies(_pairs(6), ref("x0"), budget=shared) is False
    used = 200 - shared.left
    assert 0 < used < 200
    while shared.left >= used:  # spend the rest on the same question
        assert logic.implies(_pairs(6), ref("x0"), budget=shared) is False
    assert logic.implies(_pairs(6), ref("x0"), budget=shared) is None  # out of steps
    assert logic.implies(ref("a"), ref("a"), budget=logic.Budget(0)) is None
    assert logic.implies(ref("a"), ref("a"), budget=logic.Budget(10)) is True
    with pytest.raises(logic.TooComplex):
        logic.dnf(_pairs(6), budget=logic.Budget(5))
