"""`check --fix` / `--fix --diff` and the shared fix engine (also the language server's)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from protodsl import fixes
from protodsl.analysis import analyze_text
from protodsl.cli import main

from cli_run import run

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "tests" / "conformance" / "invalid"


def copy(work: Path, name: str) -> Path:
    target = work / f"{name}.protocol"
    target.write_bytes((INVALID / f"{name}.protocol").read_bytes())
    return target


@pytest.mark.parametrize(("name", "before", "after"), [
    ("p104_misspelt_statement", "    hodl 30 s\n", "    hold 30 s\n"),
    ("p201_undefined_in_exercise_stop_if", "    stop if sharp_pian  # expect P201\n",
     "    stop if sharp_pain  # expect P201\n"),
    ("p201_undefined_in_exercise_requires",
     '  condition knee_stable stability "Knee stays over the foot"\n',
     '  condition knee_stable stability "Knee stays over the foot"\n'
     '  condition hip_stable stability "TODO: describe hip_stable"\n'),
    ("p404_load_without_stop", '  condition back_pain symptom "Pain in the lower back"\n',
     '  condition back_pain symptom "Pain in the lower back"\n  stop if back_pain\n'),
])
def test_each_mechanical_fix(work: Path, capsys: pytest.CaptureFixture[str], name: str,
                             before: str, after: str) -> None:
    path = copy(work, name)
    original = path.read_text("utf-8")
    assert before in original
    code, out, err = run(capsys, "check", "--fix", "--isolated", path.name)
    assert (code, out, err) == (0, "All checks passed!\n",
                                "protodsl check: applied 1 fix to 1 file\n")
    assert path.read_text("utf-8") == original.replace(before, after, 1)
    assert sorted(p.name for p in work.iterdir()) == [path.name]  # no temporary file left


def test_protocol_renamed_to_the_file(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy(work, "p208_name_differs")
    original = path.read_text("utf-8")
    assert run(capsys, "check", "--fix", "--isolated", "-q", path.name) == (0, "", "")
    assert path.read_text("utf-8") == original.replace(
        "protocol heel_raises", "protocol p208_name_differs", 1)


def test_fixed_point_over_several_rounds(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Two undefined conditions want a definition at the same place: one per round.
    text = (INVALID / "p201_undefined_in_exercise_requires.protocol").read_text("utf-8")
    text = text.replace("requires knee_stable and hip_stable",
                        "requires knee_stable and hip_stable and core_set")
    result = fixes.fix_text(text, "p201_undefined_in_exercise_requires.protocol")
    assert result.applied == ("P201", "P201") and result.diagnostics == ()
    assert ('  condition hip_stable stability "TODO: describe hip_stable"\n'
            '  condition core_set stability "TODO: describe core_set"\n') in result.text


def test_diff_writes_nothing(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy(work, "p104_misspelt_statement")
    original = path.read_bytes()
    code, out, err = run(capsys, "check", "--fix", "--diff", "--isolated", path.name)
    assert code == 1 and path.read_bytes() == original
    assert out == (
        "--- p104_misspelt_statement.protocol (original)\n"
        "+++ p104_misspelt_statement.protocol (fixed)\n"
        "@@ -4,4 +4,4 @@\n"
        '   condition sharp_pain symptom "Sharp pain"\n'
        "   exercise squat\n"
        "     reps 10\n"
        "-    hodl 30 s\n"
        "+    hold 30 s\n")
    assert err == "protodsl check: 1 fix would be applied to 1 file\n"
    path.write_bytes(original.replace(b"hodl", b"hold"))
    assert run(capsys, "check", "--fix", "--diff", "--isolated", path.name) == \
        (0, "", "protodsl check: 0 fixes would be applied to 0 files\n")
    assert run(capsys, "check", "--diff", path.name) == \
        (2, "", "protodsl check: error: --diff needs --fix\n")


def test_a_file_with_a_syntax_error_is_not_touched(work: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = copy(work, "p104_unknown_word")  # an unknown word with no close keyword
    text = path.read_text("utf-8") + "  exercise bridge\n    kind strenght\n"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "check", "--fix", "--isolated", "--output-format", "concise",
                         path.name)
    assert code == 1 and path.read_text("utf-8") == text
    assert err == ("protodsl check: warning: `p104_unknown_word.protocol` was not fixed: it has "
                   "a syntax error that --fix cannot repair\n")
    assert "error[P104] unknown keyword `repeat`" in out


def test_fix_follows_select_and_ignore(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy(work, "p208_name_differs")
    original = path.read_text("utf-8")
    assert run(capsys, "check", "--fix", "--isolated", "--ignore", "P208", path.name) == \
        (0, "All checks passed!\n", "")
    assert path.read_text("utf-8") == original


def test_fix_stdin_prints_the_fixed_text(work: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    text = (INVALID / "p104_misspelt_statement.protocol").read_text("utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    code = main(["check", "--fix", "--isolated", "--stdin-filename",
                 "p104_misspelt_statement.protocol", "-"])
    out, err = capsys.readouterr()
    assert (code, out) == (0, text.replace("hodl", "hold"))
    assert err == "protodsl check: applied 1 fix to 1 file\nAll checks passed!\n"
    assert list(work.iterdir()) == []  # the stdin name is never written to


def test_crlf_and_bom_are_kept(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy(work, "p201_undefined_in_exercise_requires")
    text = path.read_text("utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert run(capsys, "check", "--fix", "--isolated", "-q", path.name) == (0, "", "")
    fixed = path.read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf") and b"\n" not in fixed.replace(b"\r\n", b"")
    assert b'  condition hip_stable stability "TODO: describe hip_stable"\r\n' in fixed


def test_language_server_quick_fixes_are_the_engines() -> None:
    pytest.importorskip("pygls")
    from protodsl.lsp import server

    for name in ("p104_misspelt_statement", "p201_undefined_in_exercise_stop_if",
                 "p404_load_without_stop", "p208_name_differs"):
        path = INVALID / f"{name}.protocol"
        analysis = analyze_text(path.read_text("utf-8"), str(path))
        uri = path.as_uri()
        published = server.to_lsp(analysis, uri)
        for diag, d in zip(published, analysis.diagnostics):
            engine = fixes.fixes_for(analysis, d)
            actions = server.actions_for(analysis, uri, diag)
            assert [a.title for a in actions] == [f.title for f in engine]
            assert [[e.new_text for e in a.edit.changes[uri]] for a in actions] == \
                [[e.new for e in f.edits] for f in engine]
        assert any(server.actions_for(analysis, uri, diag) for diag in published), name


def test_fixing_the_conformance_files_adds_nothing_and_is_idempotent() -> None:
    from collections import Counter

    fixed = 0
    for path in sorted((ROOT / "tests" / "conformance").glob("*/*.protocol")):
        text = path.read_text("utf-8", errors="replace")
        before = Counter(d.code for d in analyze_text(text, str(path)).diagnostics)
        result = fixes.fix_text(text, str(path))
        if result.refused is not None:
            assert result.text == text and result.applied == ()
            continue
        after = Counter(d.code for d in result.diagnostics)
        assert not after - before, (path.name, after - before)
        for code in result.applied:
            assert after[code] < before[code], (path.name, code)
        assert fixes.fix_text(result.text, str(path)).applied == (), path.name
        fixed += bool(result.applied)
    assert fixed >= 20
