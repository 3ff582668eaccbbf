"""The fuzz target: one input through every stage, with the invariants that must always hold.

``one_input(data)`` decodes, checks, compiles, formats and renders ``data`` in every output
format, and fails (raises AssertionError) when an invariant breaks:

- nothing raises; no diagnostic is P900 (an internal error);
- every diagnostic is well formed: a known code, its registered severity, a lowercase message
  without a final period, a span of at least one character inside the text;
- at most ``MAX_PER_CODE`` diagnostics of a code, plus one closing count;
- a file that `check` passes (no error) compiles, and its document validates against the
  shipped JSON Schema; the document is deterministic (the same bytes twice);
- `fmt` either refuses (a syntax error) or gives text that formats to itself and that checks
  to the same codes.

Inputs come from hypothesis (``strategy()``): the seed corpus in ``fuzz/corpus`` mutated line by
line and byte by byte, generated valid protocols, and raw bytes. ``tests/test_fuzz.py`` runs it
briefly; ``python fuzz/run.py`` runs it at length (docs/reliability.md).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"

# Replacements that reach the limits: huge and tiny numbers, long repeats, odd bytes.
EXTREMES = ["0", "1", "99999", "9" * 30, "9" * 400 + ".5", "0.0001", "20000", "199999",
            " or a" * 50, "\t", "\r", "\x00", "\ufeff", "é", '"""', '"', "#", "(" * 70,
            "level 1 extends level 1", "sides alternating", "reps 5000", "every 28 days"]


@cache
def seeds() -> list[bytes]:
    """The seed corpus: every file in fuzz/corpus, sorted by name."""
    return [p.read_bytes() for p in sorted(CORPUS.iterdir()) if p.is_file()]


@cache
def _validator() -> Any:
    import jsonschema

    import protodsl

    return jsonschema.Draft202012Validator(protodsl.schema())


def one_input(data: bytes) -> None:
    """Run ``data`` through check, compile, fmt and every renderer; assert the invariants."""
    from protodsl.analysis import analyze_bytes
    from protodsl.compiler import compile_analysis
    from protodsl.diagnostics import FileReport
    from protodsl.output import dump_bytes
    from protodsl.render import FORMATS, render

    analysis = analyze_bytes(data, "fuzz.protocol")
    _well_formed(analysis)
    for fmt in FORMATS:
        render([FileReport("fuzz.protocol", analysis.text, analysis.diagnostics)], fmt)
    compiled = compile_analysis(analysis)
    if not analysis.has_errors:
        assert compiled.document is not None, [d.message for d in compiled.diagnostics]
        errors = list(_validator().iter_errors(compiled.document))
        assert not errors, errors[0].message
        again = compile_analysis(analyze_bytes(data, "fuzz.protocol"))
        assert dump_bytes(again.document) == dump_bytes(compiled.document)
    else:
        assert compiled.document is None
    _formats(data, analysis)


def _well_formed(analysis: Any) -> None:
    from protodsl.diagnostics import MAX_PER_CODE
    from protodsl.rules.registry import SEVERITIES

    lines = analysis.text.split("\n")
    per_code: dict[str, int] = {}
    for d in analysis.diagnostics:
        assert d.code != "P900", d
        assert SEVERITIES.get(d.code) == d.severity, d
        assert d.message and d.message[0] == d.message[0].lower(), d
        assert not d.message.endswith("."), d
        s = d.span
        assert 1 <= s.line <= max(1, len(lines)) + 1, d
        assert (s.end_line, s.end_column) > (s.line, s.column), d  # at least one character
        per_code[d.code] = per_code.get(d.code, 0) + 1
    assert max(per_code.values(), default=0) <= MAX_PER_CODE + 1


def _formats(data: bytes, analysis: Any) -> None:
    from protodsl.fmt import format_source

    result = format_source(data)
    assert result.internal is None, result.internal
    if result.text is None:
        return
    again = format_source(result.text.encode("utf-8"))
    assert again.text == result.text, "fmt is not idempotent"
    from protodsl.analysis import analyze_text

    before = sorted({d.code for d in analysis.diagnostics} - {"P208"})
    after = sorted({d.code for d in analyze_text(result.text, "fuzz.protocol").diagnostics}
                   - {"P208"})
    assert before == after, (before, after)


def strategy() -> Any:
    """Inputs: mutated seeds, generated protocols (when the test helpers are importable) and
    raw bytes."""
    from hypothesis import strategies as st

    mutated = st.builds(_mutate, st.sampled_from(seeds()), st.lists(st.tuples(
        st.integers(0, 9), st.integers(0, 10 ** 6), st.sampled_from(EXTREMES),
        st.binary(max_size=8)), max_size=6))
    options = [mutated, mutated, st.binary(max_size=300)]
    tests = str(HERE.parent / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    try:
        from strategies import protocols
    except ImportError:  # pragma: no cover - outside the repository's checkout
        pass
    else:
        options.append(protocols().map(lambda text: text.encode("utf-8")))
    return st.one_of(options)


def _mutate(seed: bytes, edits: list[tuple[int, int, str, bytes]]) -> bytes:
    """``seed`` with each edit applied: a line deleted, duplicated, swapped or indented; a
    word replaced by an extreme; bytes inserted or a span deleted."""
    data = seed
    for op, where, extreme, raw in edits:
        lines = data.split(b"\n")
        i = where % max(1, len(lines))
        if op == 0 and len(lines) > 1:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            j = (where // 7) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            lines[i] = b"  " + lines[i]
        elif op == 4:
            lines[i] = lines[i][2:]
        elif op in (5, 6):
            words = lines[i].split(b" ")
            k = (where // 11) % len(words)
            words[k] = extreme.encode("utf-8")
            lines[i] = b" ".join(words)
        elif op == 7:
            lines[i] = lines[i] + b" " + extreme.encode("utf-8")
        data = b"\n".join(lines)
        if op == 8:
            k = where % (len(data) + 1)
            data = data[:k] + raw + data[k:]
        elif op == 9 and data:
            k = where % len(data)
            data = data[:k] + data[k + 1 + where % 5:]
    return data
