"""The diagnostic renderers, each read back by its consumer's rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from protodsl.diagnostics import Diagnostic, FileReport
from protodsl.nodes import Span
from protodsl.render import FORMATS, render
from protodsl.render.github import escape_data, escape_property
from protodsl.rules.registry import all_rules

TEXT = 'protocol demo\n  exercise squat\n    hodl 30 s\n    reps 10\n'
HODL = Diagnostic("P104", "error", "unknown keyword `hodl`", Span(3, 5, 3, 9),
                  "did you mean `hold`?")
NAME = Diagnostic("P208", "warning", "the file is named `b` but the protocol is `demo`",
                  Span(1, 10, 1, 14), None)


def report(*diags: Diagnostic, text: str | None = TEXT, path: str = "b.protocol") -> FileReport:
    return FileReport(path, text, tuple(diags))


# --- full ---------------------------------------------------------------------------------


def test_full_is_rustc_style_with_source_caret_help_and_summary() -> None:
    out = render([report(NAME, HODL)], "full")
    assert out == (
        "warning[P208]: the file is named `b` but the protocol is `demo`\n"
        " --> b.protocol:1:10\n"
        "  |\n"
        "1 | protocol demo\n"
        "  |          ^^^^\n"
        "\n"
        "error[P104]: unknown keyword `hodl`\n"
        " --> b.protocol:3:5\n"
        "  |\n"
        "3 |     hodl 30 s\n"
        "  |     ^^^^\n"
        "  |\n"
        "  = help: did you mean `hold`?\n"
        "\n"
        "Found 1 error and 1 warning.\n"
    )


def test_full_gutter_widens_with_the_line_number() -> None:
    text = "\n" * 11 + "  stop if x\n"
    d = Diagnostic("P201", "error", "undefined condition `x`", Span(12, 11, 12, 12), None)
    assert render([report(d, text=text)], "full") == (
        "error[P201]: undefined condition `x`\n"
        "  --> b.protocol:12:11\n"
        "   |\n"
        "12 |   stop if x\n"
        "   |           ^\n"
        "\n"
        "Found 1 error.\n"
    )


def test_full_multiline_span_is_careted_to_the_end_of_its_first_line() -> None:
    text = 'protocol demo\n  purpose """\n    text\n  """\n'
    d = Diagnostic("P206", "error", "second `purpose`", Span(2, 3, 4, 6), None)
    lines = render([report(d, text=text)], "full").splitlines()
    assert lines[3:5] == ['2 |   purpose """', "  |   ^^^^^^^^^^^"]


def test_full_aligns_carets_under_tabs_wide_and_control_characters() -> None:
    text = 'protocol demo\n\tnote "日本" x\r\n'
    d = Diagnostic("P100", "error", "expected the end of the line, found `x`", Span(2, 12, 2, 13),
                   None)
    lines = render([report(d, text=text)], "full").splitlines()
    # tab = 4 columns, each CJK character 2 columns; the CR of CRLF is not shown
    assert lines[3] == '2 |     note "日本" x'
    assert lines[4] == "  | " + " " * 16 + "^"
    lone_cr = Diagnostic("P100", "error", "found a carriage return", Span(1, 5, 1, 6), None)
    lines = render([report(lone_cr, text="prot\rocol demo\n")], "full").splitlines()
    assert lines[3] == "1 | prot\u240docol demo"
    assert lines[4] == "  |     ^"


def test_full_caret_past_the_end_of_the_line_and_empty_span() -> None:
    d = Diagnostic("P100", "error", "expected a name, found the end of the line",
                   Span(2, 17, 2, 17), None)
    lines = render([report(d)], "full").splitlines()
    assert lines[3:5] == ["2 |   exercise squat", "  |                 ^"]


def test_full_without_source_text_or_line_shows_no_snippet() -> None:
    d = Diagnostic("P106", "error", "the file is too large to check (9.0 MiB)", Span(1, 1, 1, 2),
                   "split it")
    assert render([report(d, text="")], "full") == (
        "error[P106]: the file is too large to check (9.0 MiB)\n"
        " --> b.protocol:1:1\n"
        "  |\n"
        "  = help: split it\n"
        "\n"
        "Found 1 error.\n"
    )
    far = Diagnostic("P100", "error", "x", Span(40, 1, 40, 2), None)
    assert " --> b.protocol:40:1\n\nFound 1 error.\n" in render([report(far)], "full")


@pytest.mark.parametrize("diags, summary", [
    ((), "All checks passed!"),
    ((HODL,), "Found 1 error."),
    ((HODL, HODL.__class__("P100", "error", "y", Span(4, 5, 4, 9))), "Found 2 errors."),
    ((NAME,), "Found 1 warning."),
    ((NAME, NAME.__class__("P205", "warning", "z", Span(2, 3, 2, 11))), "Found 2 warnings."),
])
def test_full_summary_line(diags: tuple[Diagnostic, ...], summary: str) -> None:
    assert render([report(*diags)], "full").splitlines()[-1] == summary


def test_full_colour_only_when_asked() -> None:
    assert "\x1b[" not in render([report(HODL)], "full")
    coloured = render([report(HODL)], "full", color=True)
    assert "\x1b[1;31merror[P104]\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render([report(HODL)], "full")


# --- concise and json ---------------------------------------------------------------------


def test_concise_is_one_exact_line_per_diagnostic_sorted_by_position() -> None:
    a = report(HODL, NAME, path="a.protocol")
    b = report(HODL, path="sub/b.protocol")
    assert render([a, b], "concise") == (
        "a.protocol:1:10: warning[P208] the file is named `b` but the protocol is `demo`\n"
        "a.protocol:3:5: error[P104] unknown keyword `hodl`\n"
        "sub/b.protocol:3:5: error[P104] unknown keyword `hodl`\n"
    )
    assert render([report()], "concise") == ""


def test_concise_keeps_one_line_even_for_a_message_with_a_line_break() -> None:
    d = Diagnostic("P100", "error", "found\r\nthis", Span(1, 1, 1, 2), None)
    assert render([report(d)], "concise") == "b.protocol:1:1: error[P100] found\\r\\nthis\n"


def test_json_is_an_array_in_file_order_then_position() -> None:
    out = render([report(HODL, NAME, path="z.protocol"), report(HODL, path="a.protocol")], "json")
    data = json.loads(out)
    assert out.endswith("]\n")
    assert [list(item) for item in data] == [["path", "line", "column", "end_line", "end_column",
                                              "severity", "code", "message", "help"]] * 3
    assert [(i["path"], i["code"]) for i in data] == [
        ("z.protocol", "P208"), ("z.protocol", "P104"), ("a.protocol", "P104")]
    assert data[0] == {"path": "z.protocol", "line": 1, "column": 10, "end_line": 1,
                       "end_column": 14, "severity": "warning", "code": "P208",
                       "message": "the file is named `b` but the protocol is `demo`",
                       "help": None}
    assert data[1]["help"] == "did you mean `hold`?"


def test_json_is_valid_when_empty_and_keeps_non_ascii() -> None:
    assert render([], "json") == "[]\n"
    assert render([report()], "json") == "[]\n"
    d = Diagnostic("P201", "error", "undefined condition `café`", Span(1, 1, 1, 2), None)
    assert "`café`" in render([report(d)], "json")


# --- github -------------------------------------------------------------------------------


def _unescape(text: str, prop: bool) -> str:
    # The runner's ActionCommand unescaping, in its order.
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else [])
    for encoded, plain in pairs + [("%25", "%")]:
        text = text.replace(encoded, plain)
    return text


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse `::command k=v,k=v::data` as the Actions runner does (ActionCommand.TryParseV2)."""
    assert line.startswith("::")
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2:]
    command, _, props = info.partition(" ")
    properties = {}
    for pair in filter(None, props.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = _unescape(value, prop=True)
    return command, properties, _unescape(data, prop=False)


def test_github_annotations_round_trip_through_the_runners_parser() -> None:
    out = render([report(NAME, HODL)], "github")
    lines = out.splitlines()
    assert lines[1] == ("::error file=b.protocol,line=3,col=5,endLine=3,endColumn=9,"
                        "title=protodsl (P104)::unknown keyword `hodl`%0Ahelp: did you mean "
                        "`hold`?")
    command, props, message = parse_workflow_command(lines[0])
    assert command == "warning"
    assert props == {"file": "b.protocol", "line": "1", "col": "10", "endLine": "1",
                     "endColumn": "14", "title": "protodsl (P208)"}
    assert message == "the file is named `b` but the protocol is `demo`"


def test_github_escapes_data_and_properties_like_actions_core() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    tricky = Diagnostic("P100", "error", "found `::` and 50%, then\nmore", Span(2, 1, 2, 3),
                        "use `a, b`: done")
    path = "dir,with:odd%chars/x.protocol"
    (line,) = render([report(tricky, path=path)], "github").splitlines()
    command, props, message = parse_workflow_command(line)
    assert command == "error"
    assert props["file"] == path
    assert message == "found `::` and 50%, then\nmore\nhelp: use `a, b`: done"


def test_github_multiline_span_has_no_columns() -> None:
    d = Diagnostic("P206", "error", "second `purpose`", Span(2, 3, 4, 6), None)
    _, props, _ = parse_workflow_command(render([report(d)], "github").strip())
    assert props == {"file": "b.protocol", "line": "2", "endLine": "4",
                     "title": "protodsl (P206)"}
    assert render([report()], "github") == ""


# --- sarif --------------------------------------------------------------------------------

# The parts of the SARIF 2.1.0 schema (OASIS, sarif-schema-2.1.0.json) that our log uses.
SARIF_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"enum": ["2.1.0"]},
        "runs": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/run"}},
    },
    "definitions": {
        "message": {"type": "object", "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
                    "properties": {"text": {"type": "string"}}},
        "multiformatMessageString": {"type": "object", "required": ["text"],
                                     "properties": {"text": {"type": "string"}}},
        "run": {
            "type": "object", "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {
                    "driver": {"$ref": "#/definitions/toolComponent"}}},
                "results": {"type": "array", "items": {"$ref": "#/definitions/result"}},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
            },
        },
        "toolComponent": {
            "type": "object", "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "version": {"type": "string"},
                "informationUri": {"type": "string", "format": "uri"},
                "rules": {"type": "array", "uniqueItems": True,
                          "items": {"$ref": "#/definitions/reportingDescriptor"}},
            },
        },
        "reportingDescriptor": {
            "type": "object", "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "shortDescription": {"$ref": "#/definitions/multiformatMessageString"},
                "fullDescription": {"$ref": "#/definitions/multiformatMessageString"},
                "help": {"$ref": "#/definitions/multiformatMessageString"},
                "defaultConfiguration": {"type": "object", "properties": {
                    "level": {"enum": ["none", "note", "warning", "error"]}}},
            },
        },
        "result": {
            "type": "object", "required": ["message"],
            "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": -1},
                "level": {"enum": ["none", "note", "warning", "error"]},
                "message": {"$ref": "#/definitions/message"},
                "locations": {"type": "array", "items": {"type": "object", "properties": {
                    "physicalLocation": {"$ref": "#/definitions/physicalLocation"}}}},
            },
        },
        "physicalLocation": {
            "type": "object", "anyOf": [{"required": ["address"]},
                                        {"required": ["artifactLocation"]}],
            "properties": {
                "artifactLocation": {"type": "object", "properties": {
                    "uri": {"type": "string", "format": "uri-reference"}}},
                "region": {"type": "object", "properties": {
                    "startLine": {"type": "integer", "minimum": 1},
                    "startColumn": {"type": "integer", "minimum": 1},
                    "endLine": {"type": "integer", "minimum": 1},
                    "endColumn": {"type": "integer", "minimum": 1}}},
            },
        },
    },
}


def sarif(*reports: FileReport) -> dict:
    log = json.loads(render(list(reports), "sarif"))
    jsonschema.validate(log, SARIF_SCHEMA)
    return log


def test_sarif_log_lists_every_registered_rule() -> None:
    log = sarif()
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "protodsl"
    assert driver["version"] and driver["informationUri"].startswith("https://")
    rules = all_rules()
    assert [r["id"] for r in driver["rules"]] == list(rules)
    for r in driver["rules"]:
        rule = rules[r["id"]]
        assert r["shortDescription"]["text"] == rule.summary
        assert r["fullDescription"]["text"] == rule.explanation
        assert rule.explanation in r["help"]["text"]
        assert r["defaultConfiguration"]["level"] == rule.severity
    assert run["results"] == []
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_results_point_at_their_rules_and_regions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no repository: URIs are relative to the current folder
    log = sarif(report(NAME, HODL, path="sub/b.protocol"), report(HODL, path="my file.protocol"))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["P208", "P104", "P104"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    assert results[1] == {
        "ruleId": "P104", "ruleIndex": results[1]["ruleIndex"], "level": "error",
        "message": {"text": "unknown keyword `hodl`\nhelp: did you mean `hold`?"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "sub/b.protocol", "uriBaseId": "REPO_ROOT"},
            "region": {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 9}}}],
        "partialFingerprints": results[1]["partialFingerprints"],
    }
    assert results[0]["level"] == "warning"
    assert results[0]["message"] == {"text": "the file is named `b` but the protocol is `demo`"}
    assert results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "my%20file.protocol"


def test_sarif_absolute_path_becomes_a_file_uri() -> None:
    log = sarif(report(HODL, path="/srv/protocols/b.protocol"))
    loc = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "file:///srv/protocols/b.protocol"


def test_sarif_unregistered_code_still_gets_a_valid_rule_index() -> None:
    odd = Diagnostic("P999", "error", "made up", Span(1, 1, 1, 2), None)
    run = sarif(report(odd))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    (result,) = run["results"]
    assert rules[result["ruleIndex"]]["id"] == "P999"
    assert rules[result["ruleIndex"]]["defaultConfiguration"]["level"] == "error"


def test_render_rejects_an_unknown_format() -> None:
    assert FORMATS == ("full", "concise", "json", "github", "sarif")
    with pytest.raises(ValueError, match="unknown output format `xml`"):
        render([], "xml")
