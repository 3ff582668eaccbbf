"""Generate docs/rules.md from the rule registry.

Run as ``python -m protodsl.rules.doc > docs/rules.md``; tests/test_rules_doc.py fails when the
file drifts from the registry.
"""

from __future__ import annotations

import re
import sys

from protodsl.rules.registry import Rule, all_rules

HEADER = """\
# Rules

Every diagnostic protodsl reports, by code. This file is generated from the rule registry by
`python -m protodsl.rules.doc > docs/rules.md`: do not edit it by hand. `protodsl explain CODE`
prints the same text for one code.

Warnings can be silenced in a file with `allow CODE "reason"`; errors cannot.
"""


def _fence(example: str) -> str:
    """A fenced code block longer than any run of backticks in ``example``."""
    longest = max((len(m) for m in re.findall(r"`+", example)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{example.rstrip(chr(10))}\n{fence}"


def _cell(text: str) -> str:
    """Text that can stand in a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _section(rule: Rule) -> str:
    parts = [
        f"## {rule.code}",
        "",
        f"**{rule.summary}** ({rule.severity})",
        "",
        rule.explanation.strip(),
        "",
        "Failing example:",
        "",
        _fence(rule.bad),
        "",
        "Passing example:",
        "",
        _fence(rule.good),
    ]
    return "\n".join(parts)


def generate() -> str:
    """The text of docs/rules.md: an index, then one section per code."""
    rules = all_rules()
    index = ["| code | severity | summary |", "|---|---|---|"]
    index += [f"| [{r.code}](#{r.code.lower()}) | {r.severity} | {_cell(r.summary)} |"
              for r in rules.values()]
    sections = [_section(r) for r in rules.values()]
    return "\n\n".join([HEADER.rstrip("\n"), "\n".join(index), *sections]) + "\n"


def main() -> int:
    """Write the generated document to stdout as UTF-8."""
    sys.stdout.buffer.write(generate().encode("utf-8"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
