"""``sarif``: a SARIF 2.1.0 log with one run, every rule of the registry, and one result per
diagnostic (for GitHub code scanning and other static-analysis viewers).

Columns are characters, so the run declares ``columnKind: unicodeCodePoints``; ``endColumn`` is
exclusive, as in SARIF. Artifact URIs are relative to the repository root (the nearest folder
holding ``.git`` above the current one, else the current folder), declared as the base id
``REPO_ROOT`` in ``originalUriBaseIds``; a file outside it gets an absolute ``file://`` URI.

Each result has ``partialFingerprints``: ``protodsl/v1`` is a hash of the code, the file, the
text of the diagnostic's first line (without indentation) and how many results before it in
the file share those, so a result keeps its fingerprint when lines are added above it. Each
rule has a ``helpUri`` to its section of docs/rules.md in the project's repository.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from protodsl.diagnostics import FileReport
from protodsl.render import ordered

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
REPOSITORY = "https://github.com/protodsl/protodsl"  # [project.urls] Repository in pyproject
INFORMATION_URI = f"{REPOSITORY}/blob/main/README.md"
RULES_URI = f"{REPOSITORY}/blob/main/docs/rules.md"
BASE_ID = "REPO_ROOT"


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
    root = repository_root()
    results = []
    seen: dict[tuple[str, str, str], int] = {}
    lines_of: dict[int, list[str]] = {}
    for report, d in ordered(reports):
        if d.code not in index:  # a code without a registry entry still gets a valid ruleIndex
            index[d.code] = len(rules)
            rules.append(_rule(d.code, SEVERITIES.get(d.code, d.severity), d.code, None, None,
                               None))
        s = d.span
        text = d.message if not d.help else f"{d.message}\nhelp: {d.help}"
        lines = lines_of.get(id(report))
        if lines is None:
            lines = lines_of[id(report)] = (report.text or "").split("\n")
        location = artifact(report.path, root)
        line = lines[s.line - 1].strip() if 0 < s.line <= len(lines) else ""
        key = (d.code, location["uri"], line)
        seen[key] = seen.get(key, 0) + 1
        results.append({
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _level(d.severity),
            "message": {"text": text},
            "locations": [{"physicalLocation": {
                "artifactLocation": location,
                "region": {"startLine": s.line, "startColumn": s.column,
                           "endLine": s.end_line, "endColumn": s.end_column},
            }}],
            "partialFingerprints": {"protodsl/v1": fingerprint(*key, seen[key])},
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
            "originalUriBaseIds": {BASE_ID: {
                "uri": _directory_uri(root),
                "description": {"text": "The root of the repository (or the folder checked "
                                        "from, outside a repository)."}}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def repository_root(start: str | None = None) -> str:
    """The nearest folder holding ``.git`` at or above ``start`` (default: the current folder),
    else ``start`` itself; absolute."""
    here = os.path.abspath(start or os.getcwd())
    folder = here
    while not os.path.exists(os.path.join(folder, ".git")):
        parent = os.path.dirname(folder)
        if parent == folder:
            return here
        folder = parent
    return folder


def artifact(path: str, root: str) -> dict[str, str]:
    """The artifactLocation of ``path``: relative to ``root`` with the base id, if inside it."""
    full = os.path.abspath(path)
    try:
        rel: str | None = os.path.relpath(full, root)
    except ValueError:  # another drive (Windows)
        rel = None
    if rel is None or rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return {"uri": uri(full)}
    return {"uri": uri(rel), "uriBaseId": BASE_ID}


def fingerprint(code: str, uri_text: str, line: str, occurrence: int) -> str:
    """A stable hash of a result (see the module's docstring), as hex."""
    import hashlib

    data = "\0".join((code, uri_text, line, str(occurrence))).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:32]


def _directory_uri(root: str) -> str:
    from pathlib import Path

    text = Path(root).as_uri()
    return text if text.endswith("/") else text + "/"


def uri(path: str) -> str:
    """A URI reference for ``path``: relative as given (forward slashes), absolute as file://."""
    from urllib.parse import quote

    if os.path.isabs(path):
        from pathlib import Path

        return Path(path).as_uri()
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    # The name's bytes (a name that is not UTF-8 keeps them, percent-encoded).
    return quote(os.fsencode(path), safe="/")


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
        "helpUri": f"{RULES_URI}#{code.lower()}",
        "shortDescription": {"text": summary},
        "fullDescription": {"text": explanation or summary},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": _level(severity)},
    }


def _indent(example: str) -> str:
    return "\n".join("    " + line if line else "" for line in example.rstrip("\n").split("\n"))
