"""The language server's incremental analysis equals the full one.

``protodsl.incremental.Engine`` re-parses and re-checks only what an edit touched. Whatever the
edits, its analysis must be the one ``analyze_text`` gives: the same diagnostics in the same
order, an equal protocol and equal comments. And every rule registered ``per_exercise`` must
report on a protocol exactly the union of what it reports on each one-exercise copy of it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protodsl import nodes as n
from protodsl import record
from protodsl.analysis import analyze_text
from protodsl.context import Context
from protodsl.incremental import Engine, split
from protodsl.rules.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*(ROOT / "tests" / "conformance" / "valid").glob("*.protocol"),
                *(ROOT / "tests" / "conformance" / "invalid").glob("*.protocol"),
                *(ROOT / "protocols").glob("*.protocol")])
TEXTS = {p.relative_to(ROOT).as_posix(): p.read_bytes().decode("utf-8", "replace")
         for p in FILES}
NAMES = sorted(TEXTS)


def same(engine: Engine, text: str, path: str | None = None) -> None:
    """The engine's analysis of ``text`` is the full analysis."""
    got = engine.analyze(text, path)
    want = analyze_text(text, path)
    assert got.diagnostics == want.diagnostics
    assert got.protocol == want.protocol
    assert got.comments == want.comments
    assert got.text == want.text


def test_files_exist() -> None:
    assert len(FILES) > 300


@pytest.mark.parametrize("name", NAMES)
def test_open_equals_full_analysis(name: str) -> None:
    engine = Engine()
    same(engine, TEXTS[name], name)
    same(engine, TEXTS[name], name)  # the second time from what it kept


def test_most_files_are_analysed_incrementally() -> None:
    """The fallback is the exception: tabs, carriage returns, byte-order marks, a missing or
    second header, syntax errors around the header or in files with long strings."""
    engine = Engine()
    for name in NAMES:
        engine.analyze(TEXTS[name], name)
    assert engine.fallbacks < len(NAMES) // 10


# --- edits ------------------------------------------------------------------------------------


def _edit(text: str, kind: str, at: int, pick: int) -> str:
    """One edit of ``kind`` to line ``at`` (modulo the line count); ``pick`` chooses within it."""
    lines = text.split("\n")
    i = at % len(lines)
    line = lines[i]
    if kind == "number":
        numbers = list(re.finditer(r"\d+(\.\d+)?", line))
        if not numbers:
            return text
        m = numbers[pick % len(numbers)]
        new = ["0", "1", "2", "5", "99", "1000", "2.5", "10-5"][pick % 8]
        lines[i] = line[:m.start()] + new + line[m.end():]
    elif kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, line)
    elif kind == "bad token":
        token = ["@", "foo", '"', '"""', "(", " and", "exercise", "level 2", "#", "Reps",
                 "\u00e9", "- 3"][pick % 12]
        col = pick % (len(line) + 1)
        lines[i] = line[:col] + token + line[col:]
    elif kind == "rename":
        names = re.findall(r"^\s*(?:condition|measure|equipment)\s+([a-z_][a-z0-9_]*)", text,
                           re.M)
        if not names:
            return text
        old = names[pick % len(names)]
        new = old + "_x"
        if pick % 2:  # everywhere, or only at the definition
            return re.sub(rf"\b{old}\b", new, text)
        return re.sub(rf"^(\s*(?:condition|measure|equipment)\s+){old}\b", rf"\g<1>{new}",
                      text, count=1, flags=re.M)
    elif kind == "indent":
        lines[i] = "  " + line if pick % 2 or not line.startswith(" ") else line[1:]
    elif kind == "new exercise":
        indent = " " * (2 * (pick % 3))
        lines.insert(i, f"{indent}exercise added_{pick % 5}")
        if pick % 2:
            lines.insert(i + 1, f"{indent}  reps 10")
    elif kind == "swap":
        j = (i + 1 + pick % 3) % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "final newline":
        return text[:-1] if text.endswith("\n") else text + "\n"
    elif kind == "crlf":  # every line break, or only this line's
        if pick % 2:
            return text.replace("\r\n", "\n").replace("\n", "\r\n")
        lines[i] = line + "\r"
    return "\n".join(lines)


KINDS = ["number", "delete", "duplicate", "bad token", "rename", "indent", "new exercise",
         "swap", "final newline", "crlf"]
EDITS = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 10_000), st.integers(0, 1000)),
                 min_size=1, max_size=6)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(name=st.sampled_from(NAMES), edits=EDITS)
def test_edits_equal_full_analysis(name: str, edits: list[tuple[str, int, int]]) -> None:
    engine = Engine()
    text = TEXTS[name]
    engine.analyze(text, name)
    for kind, at, pick in edits:
        text = _edit(text, kind, at, pick)
        same(engine, text, name)


def test_edits_of_the_largest_file() -> None:
    """Every kind of edit on every line of a protocol of the library, one after the other."""
    name = max((x for x in NAMES if x.startswith("protocols/")), key=lambda x: len(TEXTS[x]))
    engine = Engine()
    text = TEXTS[name]
    count = len(text.split("\n"))
    edits = 0
    for at in range(0, count, 3):
        for k, kind in enumerate(KINDS[:4]):
            edited = _edit(text, kind, at, at + k)
            same(engine, edited, name)
            edits += 1
    # Only a header made unreadable or a long string opened falls back.
    assert engine.fallbacks < edits // 4


def test_an_edit_reparses_one_chunk() -> None:
    """After an edit inside one exercise, every other chunk is the object kept before."""
    text = TEXTS["tests/conformance/valid/heel_raises.protocol"] if (
        "tests/conformance/valid/heel_raises.protocol" in TEXTS) else TEXTS[NAMES[0]]
    engine = Engine()
    engine.analyze(text)
    before = dict(engine.chunks)
    lines = text.split("\n")
    starts = split(lines[:-1] if lines[-1] == "" else lines)
    assert starts is not None and len(starts) >= 2
    edited = lines[:]
    edited[starts[1]] += "  # edited"
    same(engine, "\n".join(edited))
    kept = [key for key in engine.chunks if key in before]
    assert len(kept) == len(engine.chunks) - 1


def test_a_fallback_keeps_what_was_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit that needs the full analysis (a long string opened in an exercise) does not lose
    the chunks kept: undoing it parses nothing again."""
    import protodsl.incremental as inc

    name = max((x for x in NAMES if x.startswith("protocols/")), key=lambda x: len(TEXTS[x]))
    text = TEXTS[name]
    engine = Engine()
    engine.analyze(text, name)
    lines = text.split("\n")
    last = max(i for i, line in enumerate(lines) if line.startswith("  exercise "))
    broken = "\n".join(lines[:last + 1] + ['    note """'] + lines[last + 1:])
    same(engine, broken, name)
    assert engine.fallbacks == 1
    parsed: list[int] = []
    real = inc.parse_chunk
    monkeypatch.setattr(inc, "parse_chunk", lambda *a: parsed.append(a[1]) or real(*a))
    same(engine, text, name)
    assert engine.fallbacks == 1 and parsed == []


def test_a_rule_over_its_cut_falls_back() -> None:
    """A rule keeps its first 1,000 diagnostics of a file (then one `and N more`): where the
    exercises together reach that, the engine analyses the whole text."""
    from protodsl.checker import KEPT_PER_RULE

    refs = " and ".join(f"missing_{k}" for k in range(30))
    exercises = "".join(f"  exercise e{k}\n    requires {refs}\n    reps 10\n"
                        for k in range(KEPT_PER_RULE // 30 + 5))
    text = 'protocol p\n  schedule daily\n' + exercises
    engine = Engine()
    same(engine, text)
    assert engine.fallbacks == 1
    assert any(d.message.startswith("and ") for d in engine.analyze(text).diagnostics)


def test_split() -> None:
    lines = ["# a comment", "protocol p", "  condition a symptom \"A\"", "  exercise one",
             "    reps 10", "", "  # between", "  exercise two", '    note """', "  exercise x",
             '"""', "    reps 5", "  stop if a"]
    assert split(lines) == [0, 3, 7]
    assert split(["  protocol p"]) is None
    assert split(["protocol p", "  exercise e", "other"]) is None
    assert split(["exercise e"]) is None


# --- per-exercise rules -------------------------------------------------------------------------


def test_rules_marked_per_exercise() -> None:
    """The rules that look across exercises are run on the whole protocol."""
    scoped = {code for code, r in all_rules().items() if r.check is not None and r.per_exercise}
    whole = {code for code, r in all_rules().items() if r.check is not None
             and not r.per_exercise}
    assert {"P200", "P205", "P406", "P502"} <= whole  # a new rule is whole-protocol by default
    assert {"P201", "P308", "P400", "P410", "P411", "P510"} <= scoped
    assert len(scoped) > 30


@pytest.mark.parametrize("name", NAMES)
def test_per_exercise_rules_are_unions(name: str) -> None:
    """Each per-exercise rule's diagnostics on a protocol are the union of its diagnostics on
    the protocol reduced to each single exercise."""
    protocol = analyze_text(TEXTS[name], name).protocol
    if protocol is None or not protocol.exercises:
        return
    for code, rule in all_rules().items():
        if rule.check is None or not rule.per_exercise:
            continue
        whole = list(rule.check(Context(protocol, name)))
        parts: list[object] = []
        for ex in protocol.exercises:
            one = record.evolve(protocol, exercises=(ex,))
            parts += rule.check(Context(one, name))
        assert set(whole) == set(parts), code
        # Never more on the whole file than on its exercises together (the engine's test of
        # the 1,000-diagnostics cut of a rule relies on it).
        assert len(whole) <= len(parts), code


def test_a_rule_across_exercises_is_not_a_union() -> None:
    """The test above can fail: P200 (an exercise defined twice) is no union."""
    text = ('protocol p\n  schedule daily\n  exercise a\n    reps 10\n'
            '  exercise a\n    reps 12\n')
    protocol = analyze_text(text).protocol
    assert isinstance(protocol, n.Protocol)
    check = all_rules()["P200"].check
    assert check is not None
    whole = set(check(Context(protocol)))
    parts = set().union(*(set(check(Context(record.evolve(protocol, exercises=(ex,)))))
                          for ex in protocol.exercises))
    assert [d.code for d in whole] == ["P200"] and not parts
