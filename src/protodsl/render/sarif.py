"""``sarif``: a SARIF 2.1.0 log with one run, every rule of the registry, and one result per
diagnostic (for GitHub code scanning and other static-analysis viewers).

Columns are characters, so the run declares ``columnKind: unicodeCodePoints``; ``endColumn`` is
exclusive, as in SARIF. Artifact URIs are the paths as given, with forward slashes and
percent-encoding (an absolute path becomes a ``file://`` URI).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from protodsl.diagnostics import FileReport
from protodsl.render import ordered

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/protodsl/"


def render(reports: Sequence[FileReport]) -> str:
    """The SARIF log as indented JSON."""
    from protodsl import __version__
    from protodsl.rules.registry import SEVERITIES, all_rules

    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for code, rule in all_rules().items():
        index[code] = len(rules)
        rules.append(_rule(code, rule.severity, rule.summary, rule.explanation, rule.bad,
                           rule.good))
    results = []
    for report, d in ordered(reports):
        if d.code not in index:  # a code without a registry entry still gets a valid ruleIndex
            index[d.code] = len(rules)
            rules.append(_rule(d.code, SEVERITIES.get(d.code, d.severity), d.code, None, None,
                               None))
        s = d.span
        text = d.message if not d.help else f"{d.message}\nhelp: {d.help}"
        results.append({
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _level(d.severity),
            "message": {"text": text},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri(report.path)},
                "region": {"startLine": s.line, "startColumn": s.column,
                           "endLine": s.end_line, "endColumn": s.end_column},
            }}],
        })
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "protodsl",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def uri(path: str) -> str:
    """A URI reference for ``path``: relative as given (forward slashes), absolute as file://."""
    from urllib.parse import quote

    if os.path.isabs(path):
        from pathlib import Path

        return Path(path).as_uri()
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    return quote(path, safe="/")


def _level(severity: str) -> str:
    return "error" if severity == "error" else "warning"


def _rule(code: str, severity: str, summary: str, explanation: str | None, bad: str | None,
          good: str | None) -> dict[str, Any]:
    help_text = f"Run `protodsl explain {code}` for details."
    if bad is not None and good is not None:
        help_text = (f"{explanation}\n\nFailing example:\n{_indent(bad)}\n\n"
                     f"Passing example:\n{_indent(good)}")
    return {
        "id": code,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": explanation or summary},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": _level(severity)},
    }


def _indent(example: str) -> str:
    return "\n".join("    " + line if line else "" for line in example.rstrip("\n").split("\n"))
