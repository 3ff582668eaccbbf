"""docs/rules.md matches the registry, and every rule's examples do what they claim."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from protodsl import record
from protodsl.analysis import Analysis, analyze_bytes, analyze_text
from protodsl.rules.doc import generate
from protodsl.rules.registry import RULES, SEVERITIES, all_rules

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "rules.md"
CODES = sorted(SEVERITIES)


def test_docs_rules_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == generate(), (
        "docs/rules.md drifted from the registry: run "
        "`python -m protodsl.rules.doc > docs/rules.md`")


def test_doc_module_runs_as_a_script() -> None:
    env_path = str(ROOT / "src")
    out = subprocess.run([sys.executable, "-m", "protodsl.rules.doc"], capture_output=True,
                         check=True, env={"PYTHONPATH": env_path, "PATH": ""})
    assert out.stdout.decode("utf-8") == generate()


def test_every_code_is_registered_once_with_its_severity() -> None:
    rules = all_rules()
    assert sorted(rules) == CODES
    for code, rule in rules.items():
        assert rule.code == code and rule.severity == SEVERITIES[code]
        assert rule.summary and rule.summary == rule.summary.strip()
        assert not rule.summary.endswith("."), code
        assert rule.explanation and rule.bad and rule.good
        assert rule.bad != rule.good


def test_generated_doc_has_one_section_per_code_in_order() -> None:
    text = generate()
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == CODES
    for code in CODES:
        rule = all_rules()[code]
        assert f"**{rule.summary}** ({rule.severity})" in text
        assert rule.bad.rstrip("\n") in text and rule.good.rstrip("\n") in text


# --- every example gives (bad) or does not give (good) its code ------------------------------


def _examples(code: str, which: str) -> list[Analysis]:
    """The analyses of a rule's example; examples that are not plain text are built here."""
    rule = all_rules()[code]
    example = rule.bad if which == "bad" else rule.good
    if code == "P103":
        if which == "bad":  # the example shows the Latin-1 byte 0xE9 as `\xe9`
            assert "caf\\xe9" in example
            return [analyze_bytes(b'protocol demo\n  note "caf\xe9"\n', None)]
        return [analyze_bytes(example.encode("utf-8"), None)]
    if code == "P106":
        from protodsl.source import MAX_BYTES

        if which == "bad":
            assert example == "(a file of 9 MiB)"
            filler = b"# " + b"x" * 1000 + b"\n"
            data = b"protocol demo\n" + filler * (9 * 1024 * 1024 // len(filler) + 1)
            assert len(data) > MAX_BYTES
            return [analyze_bytes(data, None)]
        assert example == "(a file of a few kilobytes)"
        return [analyze_bytes(b"protocol demo\n" + b"# " + b"x" * 4000 + b"\n", None)]
    if code == "P208":  # "(in NAME.protocol)" then the file's text
        first, _, rest = example.partition("\n")
        assert first.startswith("(in ") and first.endswith(".protocol)")
        return [analyze_text(rest, first[4:-1])]
    assert not example.startswith("("), f"{code} {which} example is not a protocol file"
    return [analyze_text(example, None)]


@pytest.mark.parametrize("code", [c for c in CODES if c != "P900"])
def test_bad_example_gives_its_code(code: str) -> None:
    for analysis in _examples(code, "bad"):
        assert code in [d.code for d in analysis.diagnostics]


@pytest.mark.parametrize("code", [c for c in CODES if c != "P900"])
def test_good_example_does_not_give_its_code(code: str) -> None:
    for analysis in _examples(code, "good"):
        assert code not in [d.code for d in analysis.diagnostics]


@pytest.mark.parametrize("code", [c for c in CODES if c not in ("P103", "P106", "P207", "P208",
                                                                "P900")])
def test_examples_are_protocols_named_demo(code: str) -> None:
    for which in ("bad", "good"):
        [analysis] = _examples(code, which)
        assert analysis.protocol is not None and analysis.protocol.name == "demo", (code, which)


def test_p900_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    # P900 has no input of its own: "any file checked while a rule is broken" gives it, and the
    # same file with the rule working does not.
    rule = all_rules()["P900"]
    assert rule.check is None
    assert rule.bad == "(any file checked while one of protodsl's rules is broken)"
    assert rule.good == "(the same file once the rule is fixed)"
    text = all_rules()["P400"].good
    assert "P900" not in [d.code for d in analyze_text(text, None).diagnostics]

    def broken(ctx: object) -> list[object]:
        raise RuntimeError("broken")

    monkeypatch.setitem(RULES, "P404", record.evolve(RULES["P404"], check=broken))
    assert "P900" in [d.code for d in analyze_text(text, None).diagnostics]
