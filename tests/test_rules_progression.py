"""Progression and safety rules P400-P410: exact codes, positions, messages and help."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent, indent

import pytest

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


def test_p408_long_cycle_reported_once_briefly() -> None:
    lines = ["protocol big", '  condition c stability "steady"', "  stop if not c", "  exercise e"]
    for k in range(1, 41):
        lines += [f"    level {k} extends level {k + 1 if k < 40 else 1}", "      reps 10"]
        if k < 40:
            lines.append(f"      advance to level {k + 1} when c")
    found = [d for d in analyze_text("\n".join(lines) + "\n").diagnostics if d.code == "P408"]
    assert len(found) == 39  # every `extends` that is not lower
    cycles = [d.message for d in found if "cycle" in d.message]
    assert cycles == ["level 1 extends level 2, which is not lower: the chain "
                      "1 -> 2 -> 3 -> ... -> 40 -> 1 (40 levels) is a cycle"]


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


# --- version 2: measures, new kinds, P409, P410, windows -------------------------------------

V2 = CONDITIONS + """\
  condition valgus form "Knee drifts inward"
  condition centralising response "Pain centralises"
  condition cleared clearance "Cleared by the surgeon"
  measure ache symptom "Ache" scale 0-10
  measure flexion mobility "Knee flexion" in deg
  measure stance stability "Single-leg stance" in s
  measure weight strength "Heaviest lift" in kg
"""  # 16 lines: one_level(body, V2) puts the body's statements on line 19


def v2(body: str) -> str:
    """A single-level exercise `lift` in the V2 protocol; its statements start on line 19."""
    return one_level(body, V2)


def col(text: str, line: int, needle: str) -> int:
    """The 1-based column of ``needle`` on ``line`` of ``text``."""
    return dedent(text).splitlines()[line - 1].index(needle) + 1


# P407 by 8.9's table, with the new kinds


def test_p407_form_is_bad_like_symptom_in_gates() -> None:
    text = v2("requires valgus")
    [d] = full(text, "P407")
    assert (d.span.line, d.span.column, d.span.end_column) == (19, 14, 20)
    assert d.message == "form condition `valgus` is not negated in `requires`"
    assert d.help == ("a form fault should be absent: write `not valgus`, or move it to a "
                      "`stop if` or a `regress ... when`")


def test_p407_response_and_clearance_are_good_kinds() -> None:
    assert diags(v2("requires cleared and centralising and not valgus")) == []
    assert diags(v2("stop if valgus or swelling")) == []
    assert diags(v2("stop if centralising or cleared")) == [
        ("P407", 19, 13, "response condition `centralising` is not negated in `stop if`"),
        ("P407", 19, 29, "clearance condition `cleared` is not negated in `stop if`"),
    ]


def test_p407_comparisons_by_how_they_read() -> None:
    text = V2 + block("""\
      exercise squat
        level 1
          reps 10
          advance to level 2 when ache > 3 and steady
          stop if flexion >= 90 deg
        level 2
          reps 12
    """)
    got = full(text, "P407")
    assert [(d.span.line, d.span.column, d.span.end_column, d.message, d.help) for d in got] == [
        (20, 31, 39, "`ache > 3` reads as the presence of symptom measure `ache` in an "
         "`advance` criterion", "a symptom should be absent: bound it from above "
         "(`ache <= ...`), or move it to a `stop if` or a `regress ... when`"),
        (21, 15, 32, "`flexion >= 90 deg` reads as the presence of mobility measure `flexion` "
         "in `stop if`", "`stop if` names what goes wrong: bound it from above "
         "(`flexion < ...`) to stop when it is lost, or stop on a symptom"),
    ]


def test_p407_and_p409_not_in_modification_or_range_until() -> None:
    text = v2('modification "Smaller range" when not steady or pain\n'
              "range until steady or not valgus or ache <= 2")
    assert diags(text) == []


# P409


def test_p409_ability_negated_in_a_gate() -> None:
    text = v2("requires not steady\nadvance to level 1 when not (easy or loose)")
    got = full(text, "P409")
    assert [(d.span.line, d.span.column, d.message) for d in got] == [
        (19, 18, "stability condition `steady` is negated in `requires`"),
        (20, 34, "strength condition `easy` is negated in an `advance` criterion"),
        (20, 42, "mobility condition `loose` is negated in an `advance` criterion"),
    ]
    assert got[0].severity == "warning"
    assert got[0].help == ("`requires` names what must hold before going on: name `steady` "
                           "without `not`, or move this to a `stop if` or a `regress ... when`")


def test_p409_stop_when_the_symptom_is_absent() -> None:
    text = v2("stop if not swelling or ache <= 2 or not (ache > 5) or not valgus")
    got = full(text, "P409")
    assert [(d.span.column, d.span.end_column, d.message, d.help) for d in got] == [
        (17, 25, "symptom `swelling` is negated in `stop if`",
         "`stop if` names what goes wrong: stop on `swelling` itself, without `not`"),
        (29, 38, "`ache <= 2` reads as the absence of symptom measure `ache` in `stop if`",
         "`stop if` names what goes wrong: bound `ache` from below (`ache > ...`)"),
        (47, 55, "`ache <= 5` reads as the absence of symptom measure `ache` in `stop if`",
         "`stop if` names what goes wrong: bound `ache` from below (`ache > ...`)"),
        (64, 70, "form condition `valgus` is negated in `stop if`",
         "`stop if` names what goes wrong: stop on `valgus` itself, without `not`"),
    ]


def test_p409_regress_reads_like_a_stop() -> None:
    text = V2 + block("""\
      exercise squat
        level 1
          reps 10
          advance to level 2 when steady
        level 2
          reps 12
          regress to level 1 when steady or not pain or stance >= 30 s or ache = 0
          regress to level 1 when not balance or swelling or ache > 3 or stance < 10 s
    """)
    got = full(text, "P409")
    assert [(d.span.line, d.span.column, d.message) for d in got] == [
        (23, 31, "stability condition `steady` is not negated in a `regress` criterion"),
        (23, 45, "symptom `pain` is negated in a `regress` criterion"),
        (23, 53, "`stance >= 30 s` reads as the presence of stability measure `stance` in a "
         "`regress` criterion"),
        (23, 71, "`ache = 0` reads as the absence of symptom measure `ache` in a `regress` "
         "criterion"),
    ]
    assert [d.help for d in got] == [
        "`regress ... when` names what goes wrong: regress when `steady` is lost, or when a "
        "symptom appears",
        "`regress ... when` names what goes wrong: regress on `pain` itself, without `not`",
        "`regress ... when` names what goes wrong: regress when `stance` is lost, or when a "
        "symptom appears",
        "`regress ... when` names what goes wrong: bound `ache` from below (`ache > ...`)",
    ]
    assert full(text, "P407") == []


def test_help_never_suggests_negating_a_kind_that_is_right_where_it_stands() -> None:
    # 8.3: P409 fires on a kind that is right in its place, read backwards: its help never
    # writes `not NAME`; P407 (a kind wrong in its place) may.
    text = V2 + block("""\
      exercise squat
        requires not steady and not centralising and not cleared
        stop if not pain and not valgus and ache < 3
        level 1
          reps 10
          advance to level 2 when not easy and flexion < 90 deg
        level 2
          reps 12
          regress to level 1 when steady and not swelling and cleared
    """)
    got = full(text, "P409")
    assert len(got) == 11
    for d in got:
        name = d.message.split("`")[1].split(" ")[0]
        assert f"`not {name}" not in d.help, d


def test_p409_equality_at_the_bottom_of_the_scale_reads_as_absence() -> None:
    assert diags(v2("load 2 kg requires steady and ache = 0")) == []
    assert diags(v2("advance to level 1 when ache = 1 and steady"), "P407") == [
        ("P407", 19, 29, "`ache = 1` reads as the presence of symptom measure `ache` in an "
         "`advance` criterion")]


# P410


@pytest.mark.parametrize(("statement", "start", "message", "help"), [
    ("requires steady and not steady", 14, "this `requires` can never be true: `steady` and "
     "`not steady` cannot both hold", "nobody can ever meet this requirement"),
    ("load 2 kg requires steady and ache > 3 and ache < 3", 24, "the `requires` of a load can "
     "never be true: `ache > 3` and `ache < 3` cannot both hold", "the weight can never be added"),
    ("advance to level 1 when ache > 10", 29, "this `advance` criterion can never be true: "
     "`ache > 10` cannot hold on the scale of `ache`, 0-10",
     "nobody can ever move on by this advance"),
    ("regress to level 1 when stance < 0 s", 29, "this `regress` criterion can never be true: "
     "`stance < 0 s` cannot hold since `stance` cannot be negative",
     "this regress never happens"),
    ("stop if weight >= 10 lb and weight < 4.5359237 kg", 13, "this `stop if` can never be "
     "true: `weight >= 4.5359237 kg` and `weight < 4.5359237 kg` cannot both hold",
     "this never stops anything"),
    ("range until flexion = 90 deg and flexion = 80 deg", 17, "this `range until` can never be "
     "true: `flexion = 90 deg` and `flexion = 80 deg` cannot both hold",
     "the movement's range has no end"),
    ("stop if (pain or ache > 4) and not pain and ache <= 4", 13,
     "this `stop if` can never be true", "this never stops anything"),
])
def test_p410_never_true(statement: str, start: int, message: str, help: str) -> None:
    text = v2(statement)
    [d] = full(text, "P410")
    line = dedent(text).splitlines()[18]
    assert (d.severity, d.span.line, d.span.column, d.span.end_column) == (
        "error", 19, start, len(line) + 1)
    assert d.message == message
    assert d.help == help + ": check the comparisons and the `not`s, and remove the contradiction"
    assert [c for c, *_ in diags(text) if c in ("P407", "P409")] == []


def test_p410_in_the_protocol_and_exercise_blocks() -> None:
    text = V2.replace("stop if pain", "stop if ache > 5 and ache < 5") + block("""\
      exercise squat
        requires "warm" and not "warm"
        stop if ache = 3 and ache = 4
        reps 10
    """)
    assert [(c, line, col) for c, line, col, _ in diags(text) if c == "P410"] == [
        ("P410", 3, 11), ("P410", 19, 13)]  # two inline texts are two conditions


def test_p410_silent_where_another_code_explains() -> None:
    for expr in ("stedy and not stedy", "ache > 12 and ache < 2", "flexion > 90 and flexion < 80",
                 "steady > 3 and steady < 2"):
        codes_found = [c for c, *_ in diags(v2(f"requires {expr}"), "P")]
        assert "P410" not in codes_found and codes_found, (expr, codes_found)


def test_p410_not_for_modification_when() -> None:
    assert diags(v2('modification "x" when steady and not steady')) == []


def test_p410_unproven_is_not_reported(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    text = v2("requires steady and not steady")
    assert [c for c, *_ in diags(text)] == ["P410"]
    monkeypatch.setattr(logic, "MAX_STEPS", 1)  # not proven: no error, and P409 judges it
    assert [c for c, *_ in diags(text)] == ["P409"]


def test_p410_and_p405_on_a_requirement_that_can_never_be_true() -> None:
    text = INTO_TWO.format(ex="", adv="advance to level 2 when easy",
                           req="balance and not balance")
    assert [(c, line) for c, line, *_ in diags(text)] == [("P410", 16)]


# P401, P403: unsatisfiable advances and windows


def test_p401_an_advance_that_can_never_be_true_reaches_nothing() -> None:
    text = THREE.format(one="advance to level 2 when easy and ache > 10",
                        two="advance to level 3 when easy").replace(CONDITIONS, V2)
    got = [(d.code, d.span.line, d.message, d.help) for d in analyze_text(dedent(text)).diagnostics
           if d.code.startswith("P4")]
    assert got == [
        ("P410", 20, "this `advance` criterion can never be true: `ache > 10` cannot hold on "
         "the scale of `ache`, 0-10", "nobody can ever move on by this advance: check the "
         "comparisons and the `not`s, and remove the contradiction"),
        ("P401", 21, "level 2 of `squat` cannot be reached from level 1",
         "the `advance` into it on line 20 can never be true: fix its criterion"),
        ("P401", 24, "level 3 of `squat` cannot be reached from level 1",
         "add `advance to level 3 when ...` to level 1"),
    ]  # the advance counts as written for P403


WINDOWED = CONDITIONS + """\
  exercise squat
    level 1
      reps 10
      {one}
    level 2
      {window}
      reps 12
      {two}
    level 3
      reps 15
"""


def test_a_level_with_a_window_and_no_advance_into_it_is_reached_by_time() -> None:
    text = WINDOWED.format(one="", window="from week 3", two="advance to level 3 when easy")
    assert diags(text) == []  # no P401 on levels 2 and 3, no P403 on level 1


def test_the_level_below_a_timed_level_needs_no_advance_but_others_do() -> None:
    text = WINDOWED.format(one="", window="during weeks 3-4", two="")
    assert [(c, line) for c, line, *_ in diags(text)] == [("P403", 14), ("P401", 18)]


def test_a_window_with_an_advance_into_it_is_reached_by_the_advance() -> None:
    text = WINDOWED.format(one="advance to level 2 when easy and not easy", window="from week 3",
                           two="advance to level 3 when easy")
    assert [(c, line) for c, line, *_ in diags(text)] == [
        ("P410", 13), ("P401", 14), ("P401", 18)]


def test_an_exercise_window_does_not_make_a_level_timed() -> None:
    text = WINDOWED.format(one="", window="", two="advance to level 3 when easy").replace(
        "  exercise squat\n", "  exercise squat\n    from week 2\n")
    assert [(c, line) for c, line, *_ in diags(text)] == [
        ("P403", 12), ("P401", 15), ("P401", 19)]


# P405 and P400 on intervals


@pytest.mark.parametrize(("adv", "req", "guaranteed"), [
    ("flexion >= 120 deg", "flexion >= 90 deg", True),
    ("flexion >= 90 deg", "flexion >= 120 deg", False),
    ("ache < 3", "ache <= 2", False),
    ("ache <= 2", "ache < 3", True),
    ("ache = 0 and steady", "not (ache > 0) and steady", True),
    ("weight >= 10 lb", "weight >= 4.5359237 kg", True),
    ("weight >= 10 lb", "weight >= 4.536 kg", False),
    ("stance >= 1 min", "stance > 59 s", True),
    ("ache <= 10", "not steady or steady", True),
])
def test_p405_with_comparisons(adv: str, req: str, guaranteed: bool) -> None:
    text = INTO_TWO.format(ex="", adv=f"advance to level 2 when {adv}", req=req).replace(
        CONDITIONS, V2)
    assert [c for c, *_ in diags(text, "P405")] == ([] if guaranteed else ["P405"])


@pytest.mark.parametrize(("expr", "message"), [
    ("stance >= 30 s", None),
    ("not (stance < 30 s) and ache <= 2", None),
    ("stance = 20 s", None),
    ("stance >= 30 s or easy", "`easy` alone would allow the weight"),
    ("stance < 10 s", "`stance < 10 s` alone would allow the weight"),
    ("ache <= 2 and easy", "`easy and ache <= 2` alone would allow the weight"),
    ("stance = 0 s or steady", "`stance = 0 s` alone would allow the weight"),
    ("weight >= 10 lb", "`weight >= 4.5359237 kg` alone would allow the weight"),
])
def test_p400_counts_a_stability_measure_only_when_it_reads_as_presence(
        expr: str, message: str | None) -> None:
    got = full(v2(f"load 2 kg requires {expr}"), "P400")
    assert [d.message for d in got] == (
        [] if message is None else [f"load not gated by stability: {message}"])
    if got:
        assert got[0].help == ("make every alternative of `requires` include a stability "
                               "condition or measure (`steady`, `balance`, `stance`)")
