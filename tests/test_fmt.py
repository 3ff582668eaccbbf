"""The formatter: canonical layout, nothing lost, unchanged meaning, and `protodsl fmt`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from protodsl import fmt as fmt_module
from protodsl import printer
from protodsl.analysis import analyze_text
from protodsl.compiler import compile_analysis
from protodsl.fmt import format_source, format_text

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
CORPUS = sorted((ROOT / "protocols").glob("*.protocol")) + sorted(
    (ROOT / "tests" / "conformance").glob("*/*.protocol"))

HEADER = 'protocol t\n  condition ok stability "Ok"\n\n  exercise e\n'


def body(*lines: str) -> str:
    """A protocol whose single exercise has ``lines`` (indented 4) as its statements."""
    return HEADER + "".join(f"    {line}\n" for line in lines)


def fmt_lines(*lines: str) -> list[str]:
    """The formatted statements of ``body(*lines)``, without indentation."""
    out = format_text(body(*lines))
    assert out.startswith(HEADER)
    return [line.strip() for line in out[len(HEADER):].splitlines()]


# --- canonical spellings ------------------------------------------------------------------


@pytest.mark.parametrize(("written", "canonical"), [
    ("hold 30s", "hold 30 s"), ("hold 30 sec", "hold 30 s"), ("hold 30 secs", "hold 30 s"),
    ("hold 1 second", "hold 1 s"), ("hold 30 seconds", "hold 30 s"),
    ("hold 1.5 min", "hold 1.5 min"), ("hold 2 mins", "hold 2 min"),
    ("hold 1 minute", "hold 1 min"), ("hold 2 minutes", "hold 2 min"),
    ("hold 30-60 sec", "hold 30-60 s"), ("hold 30 to 60 s", "hold 30-60 s"),
    ("hold 30 - 60s", "hold 30-60 s"), ("reps 8 to 12", "reps 8-12"),
    ("reps 1.50", "reps 1.50"), ("reps 012", "reps 012"),
    ("hold 30 parsecs", "hold 30 parsecs"),  # an unknown unit (P300) is kept
    ("reps -5 to 3", "reps -5 to 3"), ("reps 5--3", "reps 5 to -3"), ("reps - 2", "reps -2"),
])
def test_quantities(written: str, canonical: str) -> None:
    assert fmt_lines(written) == [canonical]


@pytest.mark.parametrize(("written", "canonical"), [
    ("load 2kgs requires ok", "load 2 kg requires ok"),
    ("load 2 kilogram requires ok", "load 2 kg requires ok"),
    ("load 2  kilograms   requires ok", "load 2 kg requires ok"),
    ("load 5-10 lbs requires ok", "load 5-10 lb requires ok"),
    ("load 5 pound requires ok", "load 5 lb requires ok"),
    ("load 5 pounds requires ok", "load 5 lb requires ok"),
    ('load 5lb  on  "hand"  requires (ok)', 'load 5 lb on "hand" requires ok'),
])
def test_load_units(written: str, canonical: str) -> None:
    assert fmt_lines(written) == [canonical]


@pytest.mark.parametrize(("written", "canonical"), [
    ("schedule   daily", "schedule daily"),
    ("schedule daily for 1 weeks", "schedule daily for 1 week"),
    ("schedule 2 times daily for 3 week", "schedule 2 times daily for 3 weeks"),
    ("schedule 3 times weekly", "schedule 3 times weekly"),
    ("schedule every 1 days", "schedule every 1 day"),
    ("schedule every 2 day for 6 weeks", "schedule every 2 days for 6 weeks"),
    ("session limit 20mins", "session limit 20 min"),
    ("allow   P205   \"kept\"", 'allow P205 "kept"'),
])
def test_protocol_statements(written: str, canonical: str) -> None:
    out = format_text(f"protocol t\n  {written}\n")
    assert out == f"protocol t\n  {canonical}\n"


@pytest.mark.parametrize(("written", "canonical"), [
    ("sides each  starting  left", "sides each starting left"),
    ("rest 60seconds between sets", "rest 60 s between sets"),
    ("rest 10 between sides", "rest 10 between sides"),
    ("increase hold by 5 secs every week up to 1 minutes",
     "increase hold by 5 s every week up to 1 min"),
    ("increase reps by 1 every session up to 15", "increase reps by 1 every session up to 15"),
    ("uses a ,b,  c", "uses a, b, c"),
    ("advance  to  level  2  when  ok", "advance to level 2 when ok"),
    ('error "x"   fix "y"', 'error "x" fix "y"'),
    ('modification "m"   when   not ok', 'modification "m" when not ok'),
    ('modification "m"', 'modification "m"'),
    ("intensity   light", "intensity light"), ("kind   warmup", "kind warmup"),
])
def test_level_statements(written: str, canonical: str) -> None:
    assert fmt_lines(written) == [canonical]


@pytest.mark.parametrize(("written", "canonical"), [
    ("stop if (ok)", "stop if ok"),
    ("stop if ((a or b))", "stop if a or b"),
    ("stop if (a and b) or c", "stop if (a and b) or c"),
    ("stop if a and b or c", "stop if (a and b) or c"),
    ("stop if a or not b and c", "stop if a or (not b and c)"),
    ("stop if a and (b or c)", "stop if a and (b or c)"),
    ("stop if not (a and b)", "stop if not (a and b)"),
    ("stop if (not a) and b", "stop if not a and b"),
    ("stop if not not a", "stop if not not a"),
    ("stop if a and (b and c)", "stop if a and b and c"),
    ("stop if (a or b) and (c or d)", "stop if (a or b) and (c or d)"),
    ('stop if ("it \\"hurts\\"" or a)', 'stop if "it \\"hurts\\"" or a'),
])
def test_expressions_have_few_parentheses_and_keep_them_around_and_in_or(written: str, canonical: str) -> None:
    assert fmt_lines(written) == [canonical]


@pytest.mark.parametrize(("written", "canonical"), [
    ('"plain"', '"plain"'),
    ('"say \\"hi\\""', '"say \\"hi\\""'),
    ('"C:\\temp"', '"C:\\temp"'),  # a lone backslash is not an escape: kept as it is
    ('"a\\\\b"', '"a\\b"'),  # `\\b` is the two characters `\b`: written the short way
    ('"ends \\\\"', '"ends \\\\"'),  # a final backslash must stay escaped
    ('"\\\\\\""', '"\\\\\\""'),  # backslash then quote
    ('"""one line"""', '"one line"'),
    ('"""  padded  """', '"padded  "'),
])
def test_one_line_strings(written: str, canonical: str) -> None:
    assert fmt_lines(f"note {written}") == [f"note {canonical}"]


def test_text_over_several_lines_is_reindented() -> None:
    src = ('protocol t\n  purpose """\n           First line\n           second, "quoted"\n'
           '             deeper\n      \n           after a blank\n        """\n')
    assert format_text(src) == (
        'protocol t\n  purpose """\n    First line\n    second, "quoted"\n      deeper\n\n'
        '    after a blank\n  """\n')


def test_three_quotes_in_long_text_are_escaped() -> None:
    src = 'protocol t\n  purpose """\n    a \\"""b\n    c"\n  """\n'
    out = format_text(src)
    assert out == 'protocol t\n  purpose """\n    a \\"""b\n    c"\n  """\n'
    purpose = analyze_text(out).protocol.body[0]  # type: ignore[union-attr]
    assert purpose.text == 'a """b\nc"'


def test_titles() -> None:
    src = ('protocol t   """Long"""\n  exercise e   "E \\"x\\""\n'
           '    level 1   "L"   extends level 1\n')
    assert format_text(src) == (
        'protocol t "Long"\n  exercise e "E \\"x\\""\n    level 1 "L" extends level 1\n')


# --- layout, blank lines, comments --------------------------------------------------------


def test_indentation_is_two_spaces_per_block() -> None:
    src = "protocol t\n      exercise e\n             level 1\n                reps 1\n"
    assert format_text(src) == "protocol t\n  exercise e\n    level 1\n      reps 1\n"


def test_blank_lines() -> None:
    src = ("\n\nprotocol t\n\n\n  note \"a\"\n\n\n\n  note \"b\"\n  note \"c\"\n"
           "  exercise e\n\n    reps 1\n  exercise f\n    level 1\n      reps 1\n"
           "    level 2\n      reps 2\n    cue \"after\"\n\n\n")
    assert format_text(src) == (
        'protocol t\n  note "a"\n\n  note "b"\n  note "c"\n\n  exercise e\n    reps 1\n\n'
        '  exercise f\n    level 1\n      reps 1\n\n    level 2\n      reps 2\n\n'
        '    cue "after"\n')


def test_comments_keep_their_statements() -> None:
    src = ("# head\n\n# head 2\nprotocol t   # on header\n"
           "# leads the note, though at column 1\n"
           "  note \"n\"    # on note   \n"
           "  exercise e\n    level 1\n      reps 1\n        # end of level 1\n"
           "    # leads level 2\n    level 2\n      reps 2\n  # end of protocol\n"
           "# end of file\n")
    assert format_text(src) == (
        "# head\n\n# head 2\nprotocol t  # on header\n  # leads the note, though at column 1\n"
        '  note "n"  # on note\n\n  exercise e\n    level 1\n      reps 1\n'
        "      # end of level 1\n\n    # leads level 2\n    level 2\n      reps 2\n"
        "  # end of protocol\n# end of file\n")


def test_comment_after_a_long_string_stays_trailing() -> None:
    src = 'protocol t\n  purpose """\n    a\n    b\n  """   # about the purpose\n'
    assert format_text(src) == (
        'protocol t\n  purpose """\n    a\n    b\n  """  # about the purpose\n')


def test_comments_in_one_gap_keep_their_order() -> None:
    src = "protocol t\n  exercise e\n    reps 1\n# outer first\n    # then deeper\n"
    out = format_text(src)
    assert out == "protocol t\n  exercise e\n    reps 1\n# outer first\n# then deeper\n"
    assert format_text(out) == out


def test_empty_and_comment_only_files() -> None:
    assert format_text("") == ""
    assert format_text("\n\n") == ""
    assert format_text("   # only a comment   \n\n\n# another") == "# only a comment\n\n# another\n"


def test_statements_kept_even_when_repeated_or_before_the_header() -> None:
    # P206 (kind twice) and P207 (a statement before the header) are not syntax errors:
    # the formatter keeps every statement where it was written.
    src = ('note   "first"\nprotocol t\n  exercise e\n    kind warmup\n    kind   strength\n'
           '    reps 1\n')
    out = format_text(src)
    assert out == ('note "first"\n\nprotocol t\n  exercise e\n    kind warmup\n'
                   '    kind strength\n    reps 1\n')
    codes = sorted(d.code for d in analyze_text(out).diagnostics)
    assert codes == sorted(d.code for d in analyze_text(src).diagnostics)
    assert "P206" in codes and "P207" in codes


def test_crlf_is_kept_and_bom_dropped() -> None:
    result = format_source(b"\xef\xbb\xbfprotocol t\r\n    note   \"x\"\r\n")
    assert result.text == 'protocol t\r\n  note "x"\r\n'
    result = format_source(b"protocol t\n    note \"x\"\r\n")
    assert result.text == 'protocol t\n  note "x"\n'


# --- files that are not formatted ---------------------------------------------------------


@pytest.mark.parametrize(("data", "code"), [
    (b"protocol t\n  hold 3 s s\n", "P100"),
    (b"protocol t\n\texercise e\n", "P101"),
    (b'protocol t\n  note "open\n', "P102"),
    (b"protocol t\n  note \xff\n", "P103"),
    (b"protocol t\n  hodl 3 s\n", "P104"),
    (b"protocol t\n  hold 3 s\n", "P105"),
    (b"protocol t\n" + b"  note \"x\"\n" * 800_000, "P106"),
])
def test_syntax_errors_leave_the_file_alone(data: bytes, code: str) -> None:
    result = format_source(data)
    assert result.text is None and result.internal is None
    assert [d.code for d in result.errors] == [code]
    if code in ("P103", "P106"):  # found when decoding bytes
        return
    with pytest.raises(ValueError):
        format_text(data.decode("utf-8", errors="replace"))


def test_semantic_errors_do_not_stop_formatting() -> None:
    src = "protocol t\n  stop if   undefined_thing\n  exercise e\n    reps   0\n"
    assert {d.code for d in analyze_text(src).diagnostics} >= {"P201", "P303"}
    assert format_text(src) == "protocol t\n  stop if undefined_thing\n\n  exercise e\n    reps 0\n"


def test_safety_check_refuses_a_result_that_loses_a_statement(
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = printer.statement

    def lossy(st: Any, indent: str = "") -> str:
        text = real(st, indent)
        return text.replace("reps 2", "reps 3")

    monkeypatch.setattr(fmt_module, "statement", lossy)
    result = format_source(body("reps 2"))
    assert result.text is None
    assert result.internal == "the formatted text does not have the same statements"


# --- meaning and idempotence on the whole corpus ------------------------------------------


def _meaning(text: str, path: str) -> Any:
    """The compiled document without lines and written loads, or the diagnostic codes."""
    analysis = analyze_text(text, path)
    compiled = compile_analysis(analysis)
    codes = sorted(d.code for d in analysis.diagnostics)
    return codes, _strip_lines(compiled.document)


def _strip_lines(doc: Any) -> Any:
    if isinstance(doc, dict):
        return {k: _strip_lines(v) for k, v in doc.items() if k not in ("line", "written")}
    if isinstance(doc, list):
        return [_strip_lines(v) for v in doc]
    return doc


def test_corpus_is_there() -> None:
    assert len(CORPUS) > 20


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_corpus_formats_without_changing_meaning(path: Path) -> None:
    data = path.read_bytes()
    result = format_source(data)
    assert result.internal is None
    if result.text is None:
        assert result.errors and all(d.code in fmt_module.SYNTAX_CODES for d in result.errors)
        return
    assert format_source(result.text).text == result.text
    original = data.decode("utf-8")
    assert _meaning(result.text, path.name) == _meaning(original, path.name)


def test_compiled_json_equal_for_format_pairs() -> None:
    folder = ROOT / "tests" / "conformance" / "format"
    checked = 0
    for source in sorted(folder.glob("*.input.protocol")):
        out = source.with_name(source.name.replace(".input.", ".output."))
        before = _meaning(source.read_text(encoding="utf-8"), "x.protocol")
        assert _meaning(out.read_text(encoding="utf-8"), "x.protocol") == before, source.name
        checked += before[1] is not None
    assert checked >= 3  # at least three pairs compile, so documents are compared


# --- the command --------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    return subprocess.run([sys.executable, "-m", "protodsl", "fmt", *args], cwd=cwd, env=env,
                          input=stdin, capture_output=True, timeout=60)


MESSY = b'protocol messy\n    exercise e   "E"\n        reps   10  # ten\n'
CLEAN = b'protocol messy\n  exercise e "E"\n    reps 10  # ten\n'


def test_cli_check_flags_a_messy_file(tmp_path: Path) -> None:
    (tmp_path / "messy.protocol").write_bytes(MESSY)
    (tmp_path / "clean.protocol").write_bytes(CLEAN)
    res = run_cli("--check", ".", cwd=tmp_path)
    assert res.returncode == 1
    assert res.stdout == b"messy.protocol\n"
    assert b"1 file would be reformatted, 1 file already formatted" in res.stderr
    assert (tmp_path / "messy.protocol").read_bytes() == MESSY
    res = run_cli("--check", "clean.protocol", cwd=tmp_path)
    assert (res.returncode, res.stdout) == (0, b"")


def test_cli_diff_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "messy.protocol").write_bytes(MESSY)
    res = run_cli("--diff", "messy.protocol", cwd=tmp_path)
    assert res.returncode == 1
    assert res.stdout.decode() == (
        "--- messy.protocol (original)\n+++ messy.protocol (formatted)\n@@ -1,3 +1,3 @@\n"
        " protocol messy\n-    exercise e   \"E\"\n-        reps   10  # ten\n"
        "+  exercise e \"E\"\n+    reps 10  # ten\n")
    assert (tmp_path / "messy.protocol").read_bytes() == MESSY


def test_cli_rewrites_in_place_keeping_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "messy.protocol"
    path.write_bytes(MESSY)
    path.chmod(0o640)
    res = run_cli("messy.protocol", cwd=tmp_path)
    assert res.returncode == 0 and res.stderr == b"reformatted messy.protocol\n"
    assert path.read_bytes() == CLEAN
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["messy.protocol"]
    res = run_cli("messy.protocol", cwd=tmp_path)
    assert (res.returncode, res.stderr, path.read_bytes()) == (0, b"", CLEAN)


def test_cli_leaves_a_broken_file_untouched(tmp_path: Path) -> None:
    broken = b"protocol broken\n    hold 3 s s\n    exercise   e\n"
    (tmp_path / "broken.protocol").write_bytes(broken)
    (tmp_path / "messy.protocol").write_bytes(MESSY)
    res = run_cli(".", cwd=tmp_path)
    assert res.returncode == 1
    assert res.stderr.decode().splitlines() == [
        "broken.protocol:2:14: error[P100] expected the end of the line, found `s`",
        "protodsl fmt: error: `broken.protocol` was not formatted: fix its syntax error first",
        "reformatted messy.protocol",
    ]
    assert (tmp_path / "broken.protocol").read_bytes() == broken
    assert (tmp_path / "messy.protocol").read_bytes() == CLEAN


def test_cli_stdin_and_missing_path(tmp_path: Path) -> None:
    res = run_cli("-", cwd=tmp_path, stdin=MESSY)
    assert (res.returncode, res.stdout) == (0, CLEAN)
    res = run_cli("--check", "-", cwd=tmp_path, stdin=MESSY)
    assert (res.returncode, res.stdout) == (1, b"-\n")
    res = run_cli("nowhere.protocol", cwd=tmp_path)
    assert res.returncode == 2
    assert res.stderr == b"protodsl fmt: error: path `nowhere.protocol` does not exist\n"
