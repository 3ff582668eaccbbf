"""The checker framework: a failing rule becomes P900, the other rules and files still run;
`allow` silences warnings and P209 reports bad ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from protodsl import nodes as n
from protodsl import record
from protodsl.analysis import analyze_bytes, analyze_text
from protodsl.context import Context
from protodsl.diagnostics import Diagnostic
from protodsl.rules.registry import RULES, all_rules

# Two faults: an advance to a lower level (P402, line 12) and a stability condition that stops
# the exercise when it is met (P407, line 3).
TWO_FAULTS = """\
protocol {name}
  schedule daily
  stop if knee_pain or steady
  condition knee_pain symptom "Pain at the knee"
  condition steady stability "Knee over the foot"
  condition easy strength "Ten easy squats"
  exercise squat
    level 1
      reps 10
      advance to level 2 when easy
    level 2
      advance to level 1 when easy
      reps 12
"""


def _codes(diags: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[tuple[str, int]]:
    return [(d.code, d.span.line) for d in diags]


def _break(monkeypatch: pytest.MonkeyPatch, code: str, only: str | None = None) -> None:
    """Make the registered rule ``code`` raise (for every protocol, or only the one named)."""
    rule = all_rules()[code]
    original = rule.check
    assert original is not None

    def broken(ctx: Context) -> Iterator[Diagnostic]:
        if only is None or ctx.protocol.name == only:
            raise ZeroDivisionError("division by zero")
        yield from original(ctx)

    monkeypatch.setitem(RULES, code, record.evolve(rule, check=broken))


def test_faults_are_reported_when_no_rule_is_broken() -> None:
    analysis = analyze_text(TWO_FAULTS.format(name="demo"))
    assert _codes(analysis.diagnostics) == [("P407", 3), ("P402", 12)]


def test_a_failing_rule_becomes_p900_and_the_other_rules_still_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _break(monkeypatch, "P402")
    analysis = analyze_text(TWO_FAULTS.format(name="demo"))
    assert _codes(analysis.diagnostics) == [("P900", 1), ("P407", 3)]
    p900 = analysis.diagnostics[0]
    assert p900.severity == "error"
    assert p900.message == "internal error in rule P402: ZeroDivisionError: division by zero"
    assert p900.help == "please report this, with the file, at the protodsl issue tracker"
    assert p900.span == n.Span(1, 1, 1, 14)
    assert analysis.has_errors


def test_two_failing_rules_give_two_p900(monkeypatch: pytest.MonkeyPatch) -> None:
    _break(monkeypatch, "P402")
    _break(monkeypatch, "P407")
    diags = analyze_text(TWO_FAULTS.format(name="demo")).diagnostics
    assert [(d.code, d.message) for d in diags] == [
        ("P900", "internal error in rule P402: ZeroDivisionError: division by zero"),
        ("P900", "internal error in rule P407: ZeroDivisionError: division by zero"),
    ]


def test_a_rule_failing_after_yielding_still_gives_p900(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = all_rules()["P407"]
    original = rule.check
    assert original is not None

    def half(ctx: Context) -> Iterator[Diagnostic]:
        yield from original(ctx)
        raise KeyError("steady")

    monkeypatch.setitem(RULES, "P407", record.evolve(rule, check=half))
    diags = analyze_text(TWO_FAULTS.format(name="demo")).diagnostics
    assert ("P900", "internal error in rule P407: KeyError: 'steady'") in [
        (d.code, d.message) for d in diags]
    assert ("P402", 12) in _codes(diags)


def test_p900_cannot_be_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    _break(monkeypatch, "P402")
    text = TWO_FAULTS.format(name="demo").replace(
        "  schedule daily\n", '  schedule daily\n  allow P900 "known bug"\n')
    assert _codes(analyze_text(text).diagnostics) == [("P900", 1), ("P209", 3), ("P407", 4)]


def test_other_files_are_still_checked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The rule fails on the first file only: the second is checked in full, as if nothing
    # had happened.
    _break(monkeypatch, "P402", only="first")
    paths = []
    for name in ("first", "second"):
        path = tmp_path / f"{name}.protocol"
        path.write_text(TWO_FAULTS.format(name=name), encoding="utf-8")
        paths.append(path)
    first, second = (analyze_bytes(p.read_bytes(), str(p)) for p in paths)
    assert _codes(first.diagnostics) == [("P900", 1), ("P407", 3)]
    assert _codes(second.diagnostics) == [("P407", 3), ("P402", 12)]


def test_a_rule_failing_on_every_file_is_reported_for_each(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _break(monkeypatch, "P407")
    results = []
    for name in ("first", "second"):
        path = tmp_path / f"{name}.protocol"
        path.write_text(TWO_FAULTS.format(name=name), encoding="utf-8")
        results.append(_codes(analyze_bytes(path.read_bytes(), str(path)).diagnostics))
    assert results == [[("P900", 1), ("P402", 12)], [("P900", 1), ("P402", 12)]]


# --- allow and P209 --------------------------------------------------------------------------

STRETCH = """\
protocol demo
  schedule daily
{allow}  exercise calf_stretch
    kind static_stretch
    hold 30 s
"""


def test_allow_silences_a_warning() -> None:
    assert _codes(analyze_text(STRETCH.format(allow="")).diagnostics) == [("P406", 3)]
    text = STRETCH.format(allow='  allow P406 "stretches come after a walk to the clinic"\n')
    assert analyze_text(text).diagnostics == ()


def test_allow_for_a_warning_that_does_not_occur_is_p210() -> None:
    # Version 1 said nothing; version 2 reports an allow that silences nothing (8.6).
    text = STRETCH.format(allow='  allow P406 "walk first"\n  allow P403 "unused"\n')
    diags = analyze_text(text).diagnostics
    assert [(d.code, d.span.line, d.message, d.help) for d in diags] == [
        ("P210", 4, "`allow P403` silences nothing in the protocol",
         "no P403 is reported in its block: remove the `allow`")]


def test_allow_of_an_error_code_is_p209_and_does_not_silence_it() -> None:
    text = TWO_FAULTS.format(name="demo").replace(
        "  schedule daily\n", '  schedule daily\n  allow P402 "on purpose"\n')
    diags = analyze_text(text).diagnostics
    assert _codes(diags) == [("P209", 3), ("P407", 4), ("P402", 13)]
    assert diags[0].message == "`allow` cannot silence `P402`: it is an error"
    assert (diags[0].span.column, diags[0].span.end_column) == (9, 13)


def test_allow_of_an_unknown_code_is_p209() -> None:
    text = STRETCH.format(allow='  allow P999 "future"\n')
    diags = analyze_text(text).diagnostics
    assert _codes(diags) == [("P209", 3), ("P406", 4)]
    assert diags[0].message == "`allow` names `P999`, a code that does not exist"
    assert diags[0].help == "`protodsl explain CODE` lists what each code means"


def test_a_crash_outside_the_rules_is_p900_for_that_file_only(monkeypatch, tmp_path,  # type: ignore[no-untyped-def]
                                                               capsys) -> None:
    from protodsl import structure
    from protodsl.cli import main

    real = structure.structure

    def crash_on_first(module):  # type: ignore[no-untyped-def]
        if any(getattr(st, "name", "") == "first" for st in module.body):
            raise RuntimeError("boom")
        return real(module)

    monkeypatch.setattr(structure, "structure", crash_on_first)
    good = "protocol {0}\n  schedule daily\n  exercise e\n    reps 5\n"
    (tmp_path / "first.protocol").write_text(good.format("first"))
    (tmp_path / "second.protocol").write_text(good.format("second") + "    reps 6\n")
    analysis = analyze_text(good.format("first"), "first.protocol")
    assert [(d.code, d.span.line, d.message) for d in analysis.diagnostics] == [
        ("P900", 1, "internal error: RuntimeError: boom")]
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["check", "--output-format", "concise", "."]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "first.protocol:1:1: error[P900] internal error: RuntimeError: boom",
        "second.protocol:5:5: error[P206] `reps` appears twice in exercise `e`",
    ]
