"""Progression and safety rules P400-P408: exact codes, positions, messages and help."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent, indent

from protodsl import logic
from protodsl.analysis import analyze_text

HEEL_RAISES = Path(__file__).parent / "conformance" / "valid" / "heel_raises.protocol"

CONDITIONS = """\
protocol demo
  schedule daily
  stop if pain
  condition pain symptom "Pain"
  condition swelling symptom "Swelling"
  condition steady stability "Steady"
  condition balance stability "Balance"
  condition easy strength "Easy"
  condition loose mobility "Loose"
"""


def diags(text: str, prefix: str = "P4") -> list[tuple[str, int, int, str]]:
    """(code, line, column, message) of the diagnostics whose code starts with ``prefix``."""
    return [(d.code, d.span.line, d.span.column, d.message)
            for d in analyze_text(dedent(text), None).diagnostics if d.code.startswith(prefix)]


def full(text: str, code: str) -> list:  # type: ignore[type-arg]
    return [d for d in analyze_text(dedent(text), None).diagnostics if d.code == code]


def codes(text: str) -> list[tuple[str, int]]:
    """(code, line) of every diagnostic but P205 (the shared conditions are not all used)."""
    return [(d.code, d.span.line) for d in analyze_text(dedent(text), None).diagnostics
            if d.code != "P205"]


def block(text: str) -> str:
    """An exercise written in a test, indented to sit in the protocol block."""
    return indent(dedent(text), "  ")


def one_level(body: str, conditions: str = CONDITIONS) -> str:
    """A protocol with one single-level exercise `lift` whose statements start on line 12."""
    lines = "".join(f"    {line}\n" for line in dedent(body).strip("\n").splitlines())
    return conditions + "  exercise lift\n    reps 10\n" + lines


def test_brief_example_is_clean() -> None:
    analysis = analyze_text(HEEL_RAISES.read_text(encoding="utf-8"), str(HEEL_RAISES))
    assert analysis.diagnostics == ()


# --- P400 ------------------------------------------------------------------------------------


def test_p400_disjunct_without_stability() -> None:
    text = one_level('load 2 kg requires steady or easy')
    [d] = full(text, "P400")
    assert (d.span.line, d.span.column, d.span.end_line, d.span.end_column) == (12, 5, 12, 38)
    assert d.severity == "error"
    assert d.message == "load not gated by stability: `easy` alone would allow the weight"
    assert d.help == ("make every alternative of `requires` include a stability condition "
                      "(`steady`, `balance`)")


def test_p400_negated_stability() -> None:
    assert diags(one_level('load 2 kg requires not steady'), "P400") == [
        ("P400", 12, 5, "load not gated by stability: `not steady` alone would allow the weight")]


def test_p400_not_pushed_inward_over_a_conjunction() -> None:
    # not (steady and balance) = not steady or not balance: neither has a positive stability
    assert diags(one_level('load 2 kg requires not (steady and balance)'), "P400") == [
        ("P400", 12, 5,
         "load not gated by stability: `not balance` alone would allow the weight")]


def test_p400_inline_text_has_no_kind() -> None:
    assert diags(one_level('load 2 kg requires "hips stay level"')) == [
        ("P400", 12, 5,
         'load not gated by stability: `"hips stay level"` alone would allow the weight')]


def test_p400_symptom_and_strength_do_not_gate() -> None:
    assert [c for c, *_ in diags(one_level('load 2 kg requires easy and not pain'))] == ["P400"]


def test_p400_silent_when_every_way_includes_stability() -> None:
    for expr in ("steady", "steady and easy", "(steady and easy) or (balance and not pain)",
                 'steady and "hips level"', "not (not steady or pain)",
                 "steady or (easy and not easy)", "(steady or balance) and easy"):
        assert diags(one_level(f'load 2 kg requires {expr}'), "P400") == [], expr


def test_p400_each_load_is_judged() -> None:
    text = one_level('load 2 kg requires steady\nload 1 kg requires easy\nload 3 kg requires easy')
    assert [(c, line) for c, line, *_ in diags(text)] == [("P400", 13), ("P400", 14)]


def test_p400_is_silent_on_an_undefined_name() -> None:
    assert codes(one_level('load 2 kg requires stedy or easy')) == [("P201", 12)]


def test_p400_help_without_any_stability_condition() -> None:
    conds = ('protocol demo\n  schedule daily\n  stop if pain\n  condition pain symptom "P"\n'
             '  condition easy strength "E"\n')
    [d] = full(conds + "  exercise lift\n    reps 10\n    load 2 kg requires easy\n", "P400")
    assert d.span.line == 8
    assert d.help == ('define a stability condition (`condition NAME stability "..."`) and make '
                      "the load require it")


def test_p400_large_requires_falls_back_to_a_general_message() -> None:
    names = [f"{c}{i}" for i in range(9) for c in "xy"]
    conds = "".join(f'  condition {name} strength "{name}"\n' for name in names)
    expr = " and ".join(f"(x{i} or y{i})" for i in range(9))  # 512 DNF terms
    [d] = full(one_level(f"load 2 kg requires {expr}", CONDITIONS + conds), "P400")
    assert d.message == ("load not gated by stability: its `requires` can be met without any "
                         "stability condition")


def test_p400_too_large_to_decide_is_reported_as_unproven(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    text = one_level("load 2 kg requires (steady or balance) and (easy or loose) and not pain")
    assert diags(text) == []
    monkeypatch.setattr(logic, "MAX_STEPS", 3)  # the search gives up: no proof, so reported
    [d] = full(text, "P400")
    assert d.span.line == 12
    assert d.message == ("cannot prove that this load is gated by stability: its `requires` is "
                         "too large to check")
    assert d.help.startswith("simplify the `requires` expression; make every alternative")


def test_p400_skips_a_level_whose_number_is_unknown() -> None:
    text = NO_STOP + """\
  exercise lift
    level 1
      reps 10
    level two
      reps 4
      load 2 kg requires easy or pain
"""
    assert [(c, line) for c, line, *_ in diags(text, "P")] == [("P100", 12)]


# --- P401 ------------------------------------------------------------------------------------

THREE = CONDITIONS + """\
  exercise squat
    level 1
      reps 10
      {one}
    level 2
      reps 12
      {two}
    level 3
      reps 15
"""


def test_p401_level_skipped_by_advances() -> None:
    text = THREE.format(one="advance to level 3 when easy", two="advance to level 3 when easy")
    [d] = full(text, "P401")
    assert (d.span.line, d.span.column) == (14, 5)
    assert d.message == "level 2 of `squat` cannot be reached from level 1"
    assert d.help == "add `advance to level 2 when ...` to level 1"


def test_p401_chain_reaches_every_level() -> None:
    text = THREE.format(one="advance to level 2 when easy", two="advance to level 3 when easy")
    assert diags(text) == []


def test_p401_regress_does_not_reach_a_level() -> None:
    text = CONDITIONS + block("""\
      exercise squat
        level 1
          reps 10
          advance to level 3 when easy
        level 2
          reps 12
          advance to level 3 when easy
        level 3
          reps 15
          regress to level 2 when pain
    """)
    assert diags(text) == [("P401", 14, 5, "level 2 of `squat` cannot be reached from level 1")]


def test_p401_unreachable_top_level_with_p403_below() -> None:
    text = THREE.format(one="advance to level 2 when easy", two="")
    assert [(c, line) for c, line, *_ in diags(text)] == [("P403", 14), ("P401", 17)]
    [d] = full(text, "P401")
    assert d.help == "add `advance to level 3 when ...` to level 2"


def test_p401_silent_while_levels_have_a_gap() -> None:
    text = CONDITIONS + block("""\
      exercise squat
        level 1
          reps 10
          advance to level 2 when easy
        level 3
          reps 12
    """)
    assert [c for c, _ in codes(text)] == ["P204"]


def test_p401_silent_when_an_advance_names_a_missing_level() -> None:
    text = THREE.format(one="advance to level 4 when easy", two="advance to level 3 when easy")
    assert [c for c, _ in codes(text)] == ["P203"]


def test_p401_single_level_is_reachable() -> None:
    assert diags(one_level("cue \"slow\"")) == []


# --- P402 ------------------------------------------------------------------------------------

TWO = CONDITIONS + """\
  exercise squat
    level 1
      reps 10
      {one}
    level 2
      reps 12
      {two}
"""


def test_p402_advance_to_a_lower_level() -> None:
    text = TWO.format(one="advance to level 2 when easy", two="advance to level 1 when easy")
    [d] = full(text, "P402")
    assert (d.span.line, d.span.column, d.span.end_column) == (16, 7, 35)
    assert d.message == "`advance` to level 1 from level 2: an advance must go to a higher level"
    assert d.help == "to move back to an easier level, write `regress to level 1 when ...`"


def test_p402_advance_to_the_same_level() -> None:
    text = TWO.format(one="advance to level 1 when easy", two="")
    [d] = full(text, "P402")
    assert (d.span.line, d.message) == (
        13, "`advance` to level 1 from level 1: an advance must go to a higher level")
    assert d.help == "advance to a higher level, or remove this statement"


def test_p402_regress_to_a_higher_level() -> None:
    text = TWO.format(one="advance to level 2 when easy\n      regress to level 2 when pain",
                      two="")
    [d] = full(text, "P402")
    assert (d.span.line, d.message) == (
        14, "`regress` to level 2 from level 1: a regress must go to a lower level")
    assert d.help == "to move on to a harder level, write `advance to level 2 when ...`"


def test_p402_regress_to_the_same_level() -> None:
    text = TWO.format(one="advance to level 2 when easy", two="regress to level 2 when pain")
    [d] = full(text, "P402")
    assert (d.span.line, d.help) == (16, "regress to a lower level, or remove this statement")


def test_p402_silent_for_good_moves_and_missing_targets() -> None:
    text = TWO.format(one="advance to level 2 when easy", two="regress to level 1 when pain")
    assert diags(text) == []
    text = TWO.format(one="advance to level 2 when easy", two="regress to level 7 when pain")
    assert [c for c, _ in codes(text)] == ["P203"]


# --- P403 ------------------------------------------------------------------------------------


def test_p403_level_below_the_highest_without_advance() -> None:
    text = CONDITIONS + block("""\
      exercise squat
        level 1
          reps 10
          advance to level 2 when easy
          advance to level 3 when steady
        level 2
          reps 12
        level 3
          reps 15
    """)
    [d] = full(text, "P403")
    assert (d.severity, d.span.line, d.span.column) == ("warning", 15, 5)
    assert d.message == "level 2 of `squat` has no `advance`: nobody can progress from it"
    assert d.help == "add `advance to level 3 when ...` with the criterion for moving on"
    assert [c for c, *_ in diags(text)] == ["P403"]


def test_p403_silent_for_the_top_level_and_single_levels() -> None:
    text = TWO.format(one="advance to level 2 when easy", two="")
    assert diags(text) == []
    assert diags(one_level("")) == []


def test_p403_an_advance_to_a_missing_level_is_still_an_advance() -> None:
    text = TWO.format(one="advance to level 5 when easy", two="")
    assert [c for c, _ in codes(text)] == ["P203"]


# --- P404 ------------------------------------------------------------------------------------

NO_STOP = CONDITIONS.replace("  stop if pain\n", "")


def test_p404_load_without_any_stop_condition() -> None:
    text = one_level("load 2 kg requires steady\nload 3 kg requires steady", NO_STOP)
    [d] = full(text, "P404")  # once per level, at its first load
    assert (d.span.line, d.span.column, d.span.end_column) == (11, 5, 30)
    assert d.message == "level 1 of `lift` adds a load but has no stop condition"
    assert d.help == ("add `stop if ...` (for example a pain symptom) to the level, its "
                      "exercise or the protocol")


def test_p404_stop_conditions_from_every_place_count() -> None:
    assert diags(one_level("load 2 kg requires steady")) == []  # the protocol's
    levels = NO_STOP + block("""\
      exercise squat
        {ex}
        level 1
          reps 10
          {one}
          advance to level 2 when easy
        level 2 extends level 1
          load 2 kg requires steady
    """)
    assert [c for c, *_ in diags(levels.format(ex="", one=""))] == ["P404"]
    assert diags(levels.format(ex="stop if pain", one="")) == []  # the exercise's
    assert diags(levels.format(ex="", one="stop if pain")) == []  # inherited via extends


def test_p404_own_stop_condition() -> None:
    assert diags(one_level("load 2 kg requires steady\nstop if swelling", NO_STOP)) == []


def test_p404_parent_level_stop_is_not_inherited_without_extends() -> None:
    text = NO_STOP + block("""\
      exercise squat
        level 1
          reps 10
          stop if pain
          advance to level 2 when easy
        level 2
          reps 10
          load 2 kg requires steady
    """)
    assert diags(text) == [
        ("P404", 16, 7, "level 2 of `squat` adds a load but has no stop condition")]


# --- P405 ------------------------------------------------------------------------------------

INTO_TWO = CONDITIONS + """\
  exercise squat
    {ex}
    level 1
      reps 10
      {adv}
    level 2
      requires {req}
      reps 12
"""


def test_p405_requirement_not_guaranteed() -> None:
    text = INTO_TWO.format(ex="", adv="advance to level 2 when easy", req="balance")
    [d] = full(text, "P405")
    assert (d.severity, d.span.line, d.span.column, d.span.end_column) == ("warning", 16, 7, 23)
    assert d.message == ("the advance from level 1 (line 14) does not guarantee this "
                         "requirement: its `when` can be true while the `requires` is false")
    assert d.help == "add the requirement to the `when` of line 14, or drop it from the level"


def test_p405_guaranteed_by_logic() -> None:
    for adv, req in (("easy and balance", "balance"),
                     ("(balance and steady) or balance", "balance"),
                     ("balance and steady", "steady or easy"),
                     ("not (pain or swelling) and balance", "not pain and balance"),
                     ("balance and not balance", "steady")):
        text = INTO_TWO.format(ex="", adv=f"advance to level 2 when {adv}", req=req)
        assert diags(text, "P405") == [], (adv, req)


def test_p405_disjunction_does_not_guarantee() -> None:
    text = INTO_TWO.format(ex="", adv="advance to level 2 when balance or easy", req="balance")
    assert [c for c, *_ in diags(text)] == ["P405"]


def test_p405_each_advance_is_judged_on_its_own() -> None:
    adv = "advance to level 2 when balance\n      advance to level 2 when easy"
    text = INTO_TWO.format(ex="", adv=adv, req="balance")
    assert diags(text) == [
        ("P405", 17, 7, "the advance from level 1 (line 15) does not guarantee this "
         "requirement: its `when` can be true while the `requires` is false")]


def test_p405_exercise_requires_is_not_part_of_it() -> None:
    text = INTO_TWO.format(ex="requires balance", adv="advance to level 2 when easy",
                           req="balance")
    assert [(c, line) for c, line, *_ in diags(text)] == [("P405", 16)]


def test_p405_inline_texts_are_independent() -> None:
    text = INTO_TWO.format(ex="", adv='advance to level 2 when "knee straight"',
                           req='"knee straight"')
    assert [(c, line) for c, line, *_ in diags(text)] == [("P405", 16)]


def test_p405_only_advances_that_go_up_are_judged() -> None:
    text = CONDITIONS + block("""\
      exercise squat
        level 1
          reps 10
          advance to level 2 when easy and balance
        level 2
          requires balance
          reps 12
          advance to level 3 when easy
          advance to level 2 when easy
        level 3
          reps 14
          regress to level 2 when pain
    """)
    assert [(c, line) for c, line, *_ in diags(text)] == [("P402", 18)]


def test_p405_load_requires_is_not_the_level_requirement() -> None:
    text = INTO_TWO.format(ex="", adv="advance to level 2 when easy and balance",
                           req="balance\n      load 2 kg requires steady")
    assert diags(text) == []


# --- P406 ------------------------------------------------------------------------------------


def _session(*kinds: str) -> str:
    out = "protocol demo\n  schedule daily\n"
    for i, kind in enumerate(kinds):
        out += f"  exercise e{i}\n    kind {kind}\n    hold 30 s\n"
    return out


def test_p406_no_warmup_at_all() -> None:
    [d] = full(_session("static_stretch"), "P406")
    assert (d.severity, d.span.line, d.span.column) == ("warning", 3, 3)
    assert d.message == "static stretch `e0` has no warm-up before it"
    assert d.help == ("put a `warmup`, `foam_roll`, `mobility` or `dynamic_stretch` exercise "
                      "before it in the session")


def test_p406_reported_once_at_the_first_static_stretch() -> None:
    assert [(c, line) for c, line, *_ in diags(_session(
        "strength", "static_stretch", "static_stretch", "warmup", "static_stretch"))] == [
        ("P406", 6)]


def test_p406_silent_after_any_warming_kind() -> None:
    for kind in ("warmup", "foam_roll", "mobility", "dynamic_stretch"):
        assert diags(_session("strength", kind, "static_stretch")) == [], kind
    assert diags(_session("strength", "breathing")) == []


# --- P407 ------------------------------------------------------------------------------------


def test_p407_symptom_needed_by_requires() -> None:
    text = one_level("requires steady and pain")
    [d] = full(text, "P407")
    assert (d.severity, d.span.line, d.span.column, d.span.end_column) == ("warning", 12, 25, 29)
    assert d.message == "symptom `pain` is not negated in `requires`"
    assert d.help == ("a symptom should be absent: write `not pain`, or move it to a `stop if` "
                      "or a `regress ... when`")


def test_p407_symptom_in_load_requires_and_advance() -> None:
    text = TWO.format(one="advance to level 2 when easy or swelling",
                      two="load 2 kg requires steady and not not pain")
    assert diags(text) == [
        ("P407", 13, 39, "symptom `swelling` is not negated in an `advance` criterion"),
        ("P407", 16, 45, "symptom `pain` is not negated in the `requires` of a load"),
    ]


def test_p407_symptom_negated_after_pushing_not_inward() -> None:
    assert diags(one_level("requires not (pain or swelling) and steady")) == []
    # not (steady and not pain) = not steady or pain
    assert diags(one_level("requires not (steady and not pain)")) == [
        ("P409", 12, 19, "stability condition `steady` is negated in `requires`"),
        ("P407", 12, 34, "symptom `pain` is not negated in `requires`")]


def test_p407_ability_in_stop_if() -> None:
    text = one_level("stop if swelling or steady")
    [d] = full(text, "P407")
    assert (d.span.line, d.span.column, d.span.end_column) == (12, 25, 31)
    assert d.message == "stability condition `steady` is not negated in `stop if`"
    assert d.help == ("`stop if` names what goes wrong: write `not steady` to stop when it is "
                      "lost, or stop on a symptom")


def test_p407_every_kind_other_than_symptom_in_stop_if() -> None:
    text = one_level("stop if easy or loose or not balance")
    assert diags(text) == [
        ("P407", 12, 13, "strength condition `easy` is not negated in `stop if`"),
        ("P407", 12, 21, "mobility condition `loose` is not negated in `stop if`"),
    ]


def test_p407_protocol_and_level_stops() -> None:
    text = CONDITIONS.replace("stop if pain", "stop if balance") + block("""\
      exercise squat
        level 1
          reps 10
          stop if steady
    """)
    assert [(c, line) for c, line, *_ in diags(text)] == [("P407", 3), ("P407", 13)]


def test_p407_regress_and_modification_may_name_either_kind() -> None:
    text = TWO.format(one='advance to level 2 when easy\n      modification "Half range" when pain',
                      two='regress to level 1 when pain or not steady\n      '
                          'modification "Use a chair" when not balance')
    assert diags(text) == []


def test_p407_ignores_inline_texts_and_undefined_names() -> None:
    assert diags(one_level('requires "no pain" and steady\nstop if "feels stable"')) == []
    assert [c for c, _ in codes(one_level("requires pian"))] == ["P201"]


# --- P408 ------------------------------------------------------------------------------------


def test_p408_extends_itself() -> None:
    text = TWO.format(one="advance to level 2 when easy", two="").replace(
        "level 2\n", "level 2 extends level 2\n")
    [d] = full(text, "P408")
    assert (d.span.line, d.span.column, d.span.end_column) == (14, 13, 28)
    assert d.message == "level 2 extends itself"
    assert d.help == "extend level 1, or remove `extends`"


def test_p408_extends_a_higher_level() -> None:
    text = THREE.format(one="advance to level 2 when easy",
                        two="advance to level 3 when easy").replace(
        "level 2\n", "level 2 extends level 3\n")
    assert diags(text) == [("P408", 14, 13, "level 2 extends level 3, which is not lower")]


def test_p408_cycle_is_reported_once_where_it_turns_back() -> None:
    text = CONDITIONS + block("""\
      exercise squat
        level 1 extends level 3
          reps 10
          advance to level 2 when easy
        level 2 extends level 1
          advance to level 3 when easy
        level 3 extends level 2
    """)
    [d] = full(text, "P408")
    assert (d.span.line, d.message) == (
        11, "level 1 extends level 3, which is not lower: the chain 1 -> 3 -> 2 -> 1 is a cycle")
    assert d.help == "level 1 cannot extend another level: remove `extends`"


def test_p408_silent_for_lower_and_missing_levels() -> None:
    base = THREE.format(one="advance to level 2 when easy", two="advance to level 3 when easy")
    assert diags(base.replace("level 3\n", "level 3 extends level 1\n")) == []
    assert [c for c, _ in codes(base.replace("level 2\n", "level 2 extends level 9\n"))] == [
        "P203"]


def test_p405_file_budget_exhausted_is_reported_as_unproven(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    adv = "advance to level 2 when balance\n      advance to level 2 when easy and balance"
    text = INTO_TWO.format(ex="", adv=adv, req="balance")
    assert diags(text) == []
    monkeypatch.setattr(logic, "MAX_FILE_STEPS", 0)
    assert diags(text) == [
        ("P405", 17, 7, f"cannot prove that the advance from level 1 (line {line}) guarantees "
         "this requirement: the expressions are too large to check") for line in (14, 15)]


def test_p401_with_a_huge_level_number_reports_only_the_gap() -> None:
    text = dedent("""\
        protocol demo
          schedule daily
          exercise a
            level 1
              reps 5
              advance to level 2 when "steady"
            level 1000000000000000000000000000000
              reps 5
        """)
    found = analyze_text(text).diagnostics
    assert [(d.code, d.span.line) for d in found] == [("P204", 7)]


def test_p405_is_silent_when_p201_explains_an_undefined_name() -> None:
    text = dedent("""\
        protocol demo
          schedule daily
          condition steady stability "Steady"
          exercise a
            level 1
              reps 5
              advance to level 2 when steadyy
            level 2
              requires steady
              reps 5
        """)
    found = analyze_text(text).diagnostics
    assert [(d.code, d.span.line) for d in found] == [("P201", 7)]
