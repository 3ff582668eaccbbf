"""The Python API gives the command line's diagnostics and documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import protodsl
from protodsl import api
from protodsl.api import ProtocolError
from protodsl.output import dump_bytes

TESTS = Path(__file__).parent
REPO = TESTS.parent
HEEL_RAISES = TESTS / "conformance" / "valid" / "heel_raises.protocol"
BROKEN = ("protocol broken\n"
          "  exercise a\n"
          "    hold 3 kg\n"
          "    reps 2 s\n")


def _cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("PROTODSL_OUTPUT_FORMAT", None)
    return subprocess.run([sys.executable, "-m", "protodsl", *args], capture_output=True,
                          env=env, cwd=REPO, timeout=120)


def _as_cli_json(path: str, diags: list[api.Diagnostic]) -> list[dict[str, object]]:
    return [{"path": path, "line": d.span.line, "column": d.span.column,
             "end_line": d.span.end_line, "end_column": d.span.end_column,
             "severity": d.severity, "code": d.code, "message": d.message, "help": d.help}
            for d in diags]


def test_package_exports_the_api() -> None:
    for name in ("check_text", "check_file", "compile_text", "compile_file", "load", "schema"):
        assert getattr(protodsl, name) is getattr(api, name)
        assert getattr(api, name).__doc__


def test_check_gives_the_command_lines_diagnostics(tmp_path: Path) -> None:
    path = tmp_path / "broken.protocol"
    path.write_text(BROKEN, encoding="utf-8")
    cli = _cli("check", "--output-format", "json", str(path))
    assert cli.returncode == 1
    expected = json.loads(cli.stdout)
    assert [(d["code"], d["line"]) for d in expected] == [("P500", 1), ("P301", 3),
                                                          ("P301", 4)]
    assert _as_cli_json(str(path), protodsl.check_file(path)) == expected
    assert _as_cli_json(str(path), protodsl.check_text(BROKEN, str(path))) == expected


def test_check_text_without_a_path_skips_the_file_name_check() -> None:
    text = HEEL_RAISES.read_text(encoding="utf-8")
    assert protodsl.check_text(text) == []
    assert [d.code for d in protodsl.check_text(text, "other.protocol")] == ["P208"]


def test_check_file_reads_bytes(tmp_path: Path) -> None:
    path = tmp_path / "latin1.protocol"
    path.write_bytes("protocol latin1 \"Caf\xe9\"\n".encode("latin-1"))
    assert "P103" in [d.code for d in protodsl.check_file(path)]


def test_compile_gives_the_command_lines_document() -> None:
    cli = _cli("compile", str(HEEL_RAISES))
    assert cli.returncode == 0
    doc = protodsl.compile_file(HEEL_RAISES)
    assert dump_bytes(doc) == cli.stdout
    assert protodsl.load(str(HEEL_RAISES)) == doc
    assert protodsl.compile_text(HEEL_RAISES.read_text(encoding="utf-8")) == doc


def test_a_compiled_document_holds_no_part_twice() -> None:
    # The compiler shares equal parts (a level's dosage is its first week-table row); the API
    # gives plain dicts and lists that a caller may change without changing another part.
    from protodsl.compiler import compile_analysis
    from protodsl.analysis import analyze_text

    text = HEEL_RAISES.read_text(encoding="utf-8")
    internal = compile_analysis(analyze_text(text)).document

    def parts(value: object, seen: list[object]) -> list[object]:
        if isinstance(value, (dict, list)):
            seen.append(value)
            for item in (value.values() if isinstance(value, dict) else value):
                parts(item, seen)
        return seen

    shared = parts(internal, [])
    assert len({id(p) for p in shared}) < len(shared)  # else this test proves nothing
    doc = protodsl.compile_text(text)
    mine = parts(doc, [])
    assert len({id(p) for p in mine}) == len(mine)
    assert {type(p) for p in mine} == {dict, list}
    assert doc == internal and dump_bytes(doc) == dump_bytes(internal)


def test_compile_errors_raise_protocol_error() -> None:
    with pytest.raises(ProtocolError) as info:
        protodsl.compile_text(BROKEN, "broken.protocol")
    error = info.value
    assert isinstance(error, ValueError)
    assert error.path == "broken.protocol"
    assert [(d.code, d.severity) for d in error.diagnostics] == [
        ("P500", "warning"), ("P301", "error"), ("P301", "error")]
    assert [d.span.line for d in error.errors] == [3, 4]
    assert str(error).startswith("the protocol has 2 errors: broken.protocol:3:12: P301 ")


def test_compile_file_with_errors_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "broken.protocol"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(ProtocolError) as info:
        protodsl.load(path)
    assert info.value.path == str(path)
    with pytest.raises(FileNotFoundError):
        protodsl.load(tmp_path / "missing.protocol")
    with pytest.raises(FileNotFoundError):
        protodsl.check_file(tmp_path / "missing.protocol")


def test_warnings_do_not_stop_compilation() -> None:
    text = HEEL_RAISES.read_text(encoding="utf-8").replace(
        "  schedule 3 times weekly for 6 weeks\n", "")
    assert [d.code for d in protodsl.check_text(text)] == ["P500"]
    doc = protodsl.compile_text(text)
    assert doc["schedule"]["sessions_per_week"] is None and doc["weeks"] == []


def test_schema_is_a_fresh_dict() -> None:
    first = protodsl.schema()
    first["title"] = "changed"
    assert protodsl.schema()["title"] == "protodsl compiled protocol"


def test_import_is_lazy() -> None:
    code = ("import sys, protodsl; heavy = [m for m in ('lark', 'protodsl.api', "
            "'protodsl.compiler', 'json') if m in sys.modules]; print(heavy)")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.stdout == "[]\n"
