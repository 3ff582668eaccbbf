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


# --- comparisons on measures: intervals (LANGUAGE.md 8.2) -----------------------------------

from fractions import Fraction  # noqa: E402

DOMAINS = {
    "pain": logic.Domain(Fraction(0), Fraction(10), None),  # scale 0-10
    "reps_done": logic.Domain(Fraction(0), None, None),  # a count
    "knee": logic.Domain(None, None, "deg"),  # degrees: any real
    "stance": logic.Domain(Fraction(0), None, "s"),
    "weight": logic.Domain(Fraction(0), None, "kg"),
    "reach": logic.Domain(Fraction(0), None, "m"),
}


def cmp(name: str, op: str, value: float, unit: str | None = None) -> n.Compare:
    return n.Compare(name, SPAN, op, value, unit, SPAN if unit else None, SPAN)


def implies(a: n.Expr, b: n.Expr) -> bool | None:
    return logic.implies(a, b, domains=DOMAINS)


def sat(e: n.Expr) -> bool:
    return logic.satisfiable(logic.nnf(e, domains=DOMAINS))


def equivalent(a: n.Expr, b: n.Expr) -> bool:
    return implies(a, b) is True and implies(b, a) is True


def test_a_stronger_bound_implies_a_weaker_one() -> None:
    assert implies(cmp("knee", ">=", 120, "deg"), cmp("knee", ">=", 90, "deg")) is True
    assert implies(cmp("knee", ">=", 90, "deg"), cmp("knee", ">=", 120, "deg")) is False
    assert implies(cmp("pain", "<=", 2), cmp("pain", "<", 5)) is True
    assert implies(cmp("pain", "<", 5), cmp("pain", "<=", 2)) is False


def test_strict_and_non_strict_differ_on_real_values() -> None:
    assert implies(cmp("pain", "<", 3), cmp("pain", "<=", 2)) is False  # 2.5
    assert implies(cmp("pain", "<", 3), cmp("pain", "<=", 3)) is True
    assert implies(cmp("pain", "<=", 3), cmp("pain", "<", 3)) is False  # 3 itself
    assert implies(cmp("pain", ">", 3), cmp("pain", ">=", 3)) is True
    assert sat(all_of(cmp("pain", ">=", 3), cmp("pain", "<=", 3))) is True
    assert sat(all_of(cmp("pain", ">", 3), cmp("pain", "<=", 3))) is False
    assert sat(all_of(cmp("pain", ">=", 3), cmp("pain", "<", 3))) is False


def test_not_is_the_complementary_comparison() -> None:
    assert equivalent(not_(cmp("pain", ">", 5)), cmp("pain", "<=", 5))
    assert equivalent(not_(cmp("pain", ">=", 5)), cmp("pain", "<", 5))
    assert equivalent(not_(cmp("pain", "<", 5)), cmp("pain", ">=", 5))
    assert equivalent(not_(cmp("pain", "<=", 5)), cmp("pain", ">", 5))
    assert logic.nnf(not_(cmp("pain", ">", 5)), domains=DOMAINS) == logic.nnf(
        cmp("pain", "<=", 5), domains=DOMAINS)


def test_equality_is_a_point() -> None:
    three = cmp("pain", "=", 3)
    assert implies(three, all_of(cmp("pain", ">=", 3), cmp("pain", "<=", 3))) is True
    assert implies(all_of(cmp("pain", ">=", 3), cmp("pain", "<=", 3)), three) is True
    assert implies(three, cmp("pain", "<", 3)) is False
    assert sat(all_of(three, cmp("pain", "=", 4))) is False
    assert sat(all_of(three, cmp("pain", "=", 3.0))) is True
    # not (pain = 3) removes one point: nothing is left of [3, 3], much is left of [3, 4)
    assert sat(all_of(cmp("pain", ">=", 3), cmp("pain", "<=", 3), not_(three))) is False
    assert sat(all_of(cmp("pain", ">=", 3), cmp("pain", "<", 4), not_(three))) is True
    assert sat(all_of(not_(cmp("pain", "=", 0)), cmp("pain", "<=", 0))) is False


def test_scale_bounds_make_comparisons_beyond_them_unsatisfiable() -> None:
    assert sat(cmp("pain", ">", 10)) is False
    assert sat(cmp("pain", ">=", 10)) is True
    assert sat(cmp("pain", "<", 0)) is False
    assert sat(cmp("pain", "=", 0)) is True
    assert sat(cmp("pain", "=", 11)) is False
    assert implies(ref("a"), cmp("pain", "<=", 10)) is True  # always true on its scale
    assert sat(all_of(cmp("pain", "<=", 3), cmp("pain", ">", 5))) is False


def test_measures_without_a_scale_start_at_zero_except_degrees() -> None:
    assert sat(cmp("stance", "<", 0, "s")) is False
    assert sat(cmp("stance", "<=", 0, "s")) is True
    assert sat(cmp("reps_done", "<", 0)) is False
    assert sat(cmp("reps_done", ">", 10 ** 9)) is True  # no upper end
    assert sat(cmp("knee", "<=", -5, "deg")) is True  # a flexion deficit
    assert sat(all_of(cmp("knee", "<", -10, "deg"), cmp("knee", ">", -20, "deg"))) is True
    assert implies(cmp("knee", "<", -10, "deg"), cmp("knee", "<", 0, "deg")) is True


def test_values_are_converted_exactly_between_units() -> None:
    ten_lb = cmp("weight", ">=", 10, "lb")
    assert equivalent(ten_lb, cmp("weight", ">=", 4.5359237, "kg"))
    # rounded to 3 decimals, 10 lb would be 4.536 kg and imply this; exactly, it does not
    assert implies(ten_lb, cmp("weight", ">=", 4.536, "kg")) is False
    assert implies(ten_lb, cmp("weight", ">", 4.535, "kg")) is True
    assert equivalent(cmp("stance", ">=", 1, "min"), cmp("stance", ">=", 60, "s"))
    assert implies(cmp("reach", ">=", 150, "cm"), cmp("reach", ">=", 1.5, "m")) is True
    assert implies(cmp("reach", ">=", 1, "mi"), cmp("reach", ">", 1609.343, "m")) is True
    assert implies(cmp("reach", ">=", 1, "mi"), cmp("reach", ">", 1609.344, "m")) is False
    assert equivalent(cmp("pain", "<=", 0.1), cmp("pain", "<=", 0.10))
    assert sat(all_of(cmp("reach", "<", 0.3, "m"), cmp("reach", ">=", 1, "ft"))) is False
    assert sat(all_of(cmp("reach", "<=", 0.3048, "m"), cmp("reach", ">=", 1, "ft"))) is True


def test_canonical_atoms_carry_exact_values_in_the_normalized_unit() -> None:
    atom = logic.atom_of(cmp("weight", ">", 5, "lb"), DOMAINS)
    assert atom == ("cmp", "weight", "le", Fraction("2.26796185"), DOMAINS["weight"])
    assert logic.nnf(cmp("weight", ">", 5, "lb"), domains=DOMAINS) == ("lit", atom, False)
    assert logic.render_literal((atom, False)) == "weight > 2.26796185 kg"
    assert logic.render_literal((atom, True)) == "weight <= 2.26796185 kg"
    eq = logic.atom_of(cmp("pain", "=", 0), DOMAINS)
    assert logic.render_literal((eq, False)) == "not pain = 0"


def test_comparisons_that_cannot_be_read_are_opaque_atoms() -> None:
    # no domains at all (the v1 call sites), an unknown measure, a unit that does not fit
    assert logic.atom_of(cmp("knee", ">=", 90, "deg")) == ("raw", "knee", ">=", "90", "deg")
    assert logic.implies(cmp("knee", ">=", 120, "deg"), cmp("knee", ">=", 90, "deg")) is False
    assert logic.atom_of(cmp("nothing", ">", 1), DOMAINS) == ("raw", "nothing", ">", "1", "")
    assert logic.atom_of(cmp("knee", ">=", 90), DOMAINS)[0] == "raw"  # bare number, degrees
    assert logic.atom_of(cmp("knee", ">=", 90, "s"), DOMAINS)[0] == "raw"  # wrong quantity
    assert logic.atom_of(cmp("pain", ">=", 9, "kg"), DOMAINS)[0] == "raw"  # unit on a score
    assert logic.atom_of(cmp("knee", ">=", 9, "dgr"), DOMAINS)[0] == "raw"  # unknown unit
    raw = cmp("nothing", ">", 1)
    assert sat(all_of(raw, not_(raw))) is False  # still a proposition of its own
    assert implies(raw, raw) is True
    assert logic.render_literal((logic.atom_of(raw, DOMAINS), False)) == "not nothing > 1"


def test_dnf_drops_conjunctions_whose_intervals_do_not_meet() -> None:
    assert logic.dnf(all_of(cmp("pain", "<=", 3), cmp("pain", ">", 5)), domains=DOMAINS) == set()
    assert logic.dnf(cmp("pain", ">", 10), domains=DOMAINS) == set()
    terms = logic.dnf(all_of(any_of(cmp("pain", "<=", 3), ref("easy")), cmp("pain", ">", 5)),
                      domains=DOMAINS)
    assert {logic.render_term(t) for t in terms} == {"easy and pain > 5"}


def test_consistent_checks_each_measure_on_its_own() -> None:
    lit = logic.nnf(cmp("pain", "<", 3), domains=DOMAINS)
    other = logic.nnf(cmp("stance", ">", 3, "s"), domains=DOMAINS)
    assert logic.consistent([(lit[1], lit[2]), (other[1], other[2])]) is True
    assert logic.consistent([(lit[1], lit[2]), (lit[1], not lit[2])]) is False
    assert logic.consistent([(("ref", "a"), True), (("ref", "a"), False)]) is True  # not its job


@pytest.mark.parametrize(("op", "value", "positive", "present"), [
    ("<", 3, True, False), ("<=", 2, True, False), (">", 5, True, True), (">=", 5, True, True),
    ("=", 0, True, False), ("=", 4, True, True),
    ("<=", 2, False, True), (">", 5, False, False), ("=", 0, False, True), ("=", 4, False, False),
])
def test_how_comparisons_read(op: str, value: int, positive: bool, present: bool) -> None:
    c = cmp("pain", op, value)
    assert logic.reads_present(c, positive, DOMAINS) is present
    atom, pol = logic.nnf(c, negate=not positive, domains=DOMAINS)[1:]
    assert logic.literal_present((atom, pol)) is present


def test_equality_reads_as_presence_on_degrees_which_have_no_minimum() -> None:
    assert logic.reads_present(cmp("knee", "=", 0, "deg"), True, DOMAINS) is True
    assert logic.reads_present(cmp("nothing", "=", 0), True, DOMAINS) is None


def test_domain_of_measures() -> None:
    def measure(unit: str | None = None, scale: tuple[float, float] | None = None) -> n.Measure:
        q = n.Quantity(scale[0], scale[1], None, "x", SPAN) if scale else None
        return n.Measure(SPAN, "m", SPAN, "symptom", SPAN, "text", unit, None, q)

    assert logic.domain_of(measure()) == logic.Domain(Fraction(0), None, None)
    assert logic.domain_of(measure(scale=(0, 10))) == logic.Domain(0, 10, None)
    assert logic.domain_of(measure(scale=(-5, 5))) == logic.Domain(-5, 5, None)
    assert logic.domain_of(measure("degrees")) == logic.Domain(None, None, "deg")
    assert logic.domain_of(measure("lbs")) == logic.Domain(0, None, "kg")
    assert logic.domain_of(measure("mins")) == logic.Domain(0, None, "s")
    assert logic.domain_of(measure("yd")) == logic.Domain(0, None, "m")
    for unsound in (measure("dgr"), measure(scale=(5, 5)), measure(scale=(10, 0))):
        assert logic.domain_of(unsound) is None


def test_number_text_is_exact_for_decimals() -> None:
    assert logic.number_text(Fraction("2.26796185")) == "2.26796185"
    assert logic.number_text(Fraction(-5, 2)) == "-2.5"
    assert logic.number_text(Fraction(1, 3)) == "0.333333"
    assert logic.number_text(7) == "7"
    assert logic.number_text(0.1) == "0.1"
    assert logic.number_text(float("inf")) == "a number too large to show"
    assert logic.number_text(10 ** 5000) == "a number too long to show"


# Random expressions over comparisons on one scale and one unbounded measure, and conditions,
# against the truth at sample points: every threshold, points between and beyond them.
THRESHOLDS = (0, 2, 3, 5, 10)
cmp_leaf = st.one_of(
    st.builds(cmp, st.just("pain"), st.sampled_from(["<", "<=", ">", ">=", "="]),
              st.sampled_from(THRESHOLDS)),
    st.builds(cmp, st.just("knee"), st.sampled_from(["<", "<=", ">", ">=", "="]),
              st.sampled_from([-10, 0, 90]), st.just("deg")),
    st.sampled_from("ab").map(ref),
)
cmp_exprs = st.recursive(
    cmp_leaf,
    lambda inner: st.one_of(
        inner.map(not_),
        st.lists(inner, min_size=2, max_size=3).map(lambda ops: all_of(*ops)),
        st.lists(inner, min_size=2, max_size=3).map(lambda ops: any_of(*ops)),
    ),
    max_leaves=8,
)
PAIN_POINTS = [Fraction(x) for x in (0, 1, 2, Fraction(5, 2), 3, 4, 5, 7, 10)]
KNEE_POINTS = [Fraction(x) for x in (-20, -10, -5, 0, 45, 90, 100)]
OPS = {"<": Fraction.__lt__, "<=": Fraction.__le__, ">": Fraction.__gt__,
       ">=": Fraction.__ge__, "=": Fraction.__eq__}


def truth(e: n.Expr, point: dict[str, Fraction], flags: dict[str, bool]) -> bool:
    if isinstance(e, n.Compare):
        return OPS[e.op](point[e.name], Fraction(e.value))
    if isinstance(e, n.Ref):
        return flags[e.name]
    if isinstance(e, n.Not):
        return not truth(e.operand, point, flags)
    results = [truth(op, point, flags) for op in e.operands]
    return all(results) if isinstance(e, n.AllOf) else any(results)


def worlds():  # type: ignore[no-untyped-def]
    for pain, knee, a, b in itertools.product(PAIN_POINTS, KNEE_POINTS, (False, True),
                                              (False, True)):
        yield {"pain": pain, "knee": knee}, {"a": a, "b": b}


@settings(max_examples=300, deadline=None)
@given(cmp_exprs)
def test_interval_satisfiability_agrees_with_sample_points(e: n.Expr) -> None:
    truth_somewhere = any(truth(e, p, f) for p, f in worlds())
    assert sat(e) is truth_somewhere
    assert (logic.dnf(e, domains=DOMAINS) != frozenset()) is truth_somewhere


@settings(max_examples=300, deadline=None)
@given(cmp_exprs, cmp_exprs)
def test_interval_implication_agrees_with_sample_points(a: n.Expr, b: n.Expr) -> None:
    expected = all(not truth(a, p, f) or truth(b, p, f) for p, f in worlds())
    assert implies(a, b) is expected


def test_huge_interval_expressions_stay_bounded() -> None:
    import time

    start = time.monotonic()
    many = all_of(*(cmp("pain", ">", i / 1000) for i in range(5000)))
    assert sat(many) is True  # one interval check over 5000 unit literals
    assert sat(all_of(many, cmp("pain", "<=", 4.999))) is False
    with pytest.raises(logic.TooComplex):
        logic.find_model(logic.nnf(many, domains=DOMAINS), steps=1000)
    wide = all_of(*(any_of(cmp("pain", "<", i / 100), cmp("knee", ">", i, "deg"))
                    for i in range(1000)))
    assert logic.implies(wide, cmp("pain", "<", 3), domains=DOMAINS) is None
    with pytest.raises(logic.TooComplex):
        logic.dnf(wide, domains=DOMAINS)
    assert time.monotonic() - start < 20
    # a moderate one is decided
    ladder = all_of(*(cmp("pain", ">", i) for i in range(9)))
    assert implies(ladder, cmp("pain", ">", 8)) is True
    assert sat(all_of(ladder, cmp("pain", "<=", 8))) is False
