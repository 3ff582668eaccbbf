"""Robustness: no input ever raises; every problem is a well-formed, sorted diagnostic."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from protodsl.analysis import Analysis, analyze_bytes, analyze_text

VALID_DIR = Path(__file__).parent / "conformance" / "valid"
VALID_FILES = sorted(VALID_DIR.glob("*.protocol"))
# Valid files as text, read once; the heel_raises example of the brief is always among them.
VALID_TEXTS = [p.read_bytes().decode("utf-8-sig") for p in VALID_FILES]

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Characters that matter to the lexer, mixed with arbitrary text.
LEXICAL = st.sampled_from(list(' \t\r\n"#\\()-,.0123456789azAZ_') + [
    '"""', "\r\n", "  ", "\x00", "\ufeff", "é", "protocol ", "exercise ", "level ", "not ",
    " and ", " or ", "reps ", "hold ", " s", " to ", "requires ", "stop if ", "\n  ",
])


def _well_formed(a: Analysis) -> None:
    """Every diagnostic is sorted, inside the text, and errors are reported as such."""
    lines = a.text.split("\n")
    n_lines = max(1, len(lines))
    keys = [d.sort_key for d in a.diagnostics]
    assert keys == sorted(keys)
    for d in a.diagnostics:
        s = d.span
        assert d.severity in ("error", "warning"), d
        assert d.code.startswith("P") and d.code[1:].isdigit(), d
        assert d.message and d.message == d.message.rstrip("."), d
        assert d.message[0] == d.message[0].lower(), d
        assert 1 <= s.line <= s.end_line <= n_lines + 1, (d, n_lines)
        assert s.column >= 1 and s.end_column >= 1, d
        if s.line == s.end_line:
            assert s.end_column >= s.column, d
        if s.line <= len(lines):
            assert s.column <= len(lines[s.line - 1]) + 2, (d, lines[s.line - 1])


@SETTINGS
@given(st.text(max_size=400))
def test_random_text_never_raises(text: str) -> None:
    _well_formed(analyze_text(text, "random.protocol"))


@SETTINGS
@given(st.lists(LEXICAL | st.text(max_size=5), max_size=80).map("".join))
def test_lexical_soup_never_raises(text: str) -> None:
    _well_formed(analyze_text("protocol soup\n  " + text, "soup.protocol"))


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    a = analyze_bytes(data, "bytes.protocol")
    _well_formed(a)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assert any(d.code == "P103" for d in a.diagnostics)


def _mutate(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        op = draw(st.sampled_from(
            ["delete", "duplicate", "swap", "insert", "indent", "dedent", "tab", "truncate"]))
        line = lines[i] if lines else ""
        if op == "delete" and lines:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "swap" and len(lines) > 1:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            at = draw(st.integers(0, len(line)))
            junk = draw(st.text(min_size=1, max_size=4) | LEXICAL)
            lines[i:i + 1] = [line[:at] + junk + line[at:]]
        elif op == "indent":
            lines[i:i + 1] = [" " * draw(st.integers(1, 3)) + line]
        elif op == "dedent":
            lines[i:i + 1] = [line[draw(st.integers(1, 3)):]]
        elif op == "tab":
            lines[i:i + 1] = ["\t" + line.lstrip(" ")]
        elif op == "truncate":
            lines[i:i + 1] = [line[: draw(st.integers(0, len(line)))]]
    return "\n".join(lines)


@st.composite
def mutated_valid_file(draw: st.DrawFn) -> str:
    return _mutate(draw, draw(st.sampled_from(VALID_TEXTS)))


@SETTINGS
@given(mutated_valid_file())
def test_mutated_valid_files_never_raise(text: str) -> None:
    a = analyze_text(text, "mutant.protocol")
    _well_formed(a)


@SETTINGS
@given(mutated_valid_file(), st.sampled_from(["\r\n", "\n"]), st.booleans())
def test_line_endings_and_bom_do_not_change_diagnostics(text: str, eol: str, bom: bool) -> None:
    assume("\r" not in text and "\ufeff" not in text)
    base = analyze_text(text, "mutant.protocol")
    data = ("\ufeff" if bom else "") + text.replace("\n", eol)
    other = analyze_bytes(data.encode("utf-8"), "mutant.protocol")
    assert [(d.code, d.span.line, d.span.column) for d in other.diagnostics] == \
        [(d.code, d.span.line, d.span.column) for d in base.diagnostics]


def test_a_broken_line_always_gives_an_error() -> None:
    for text in VALID_TEXTS:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            inside_long_string = "\n".join(lines[:i]).count('"""') % 2 == 1
            if not line.strip() or "#" in line or '"""' in line or inside_long_string:
                continue
            broken = "\n".join(lines[:i] + [line + " )"] + lines[i + 1:])
            a = analyze_text(broken, "broken.protocol")
            assert a.has_errors, (i + 1, line)
            assert any(d.code == "P100" and d.span.line == i + 1 for d in a.diagnostics)
