"""The rule registry: one entry per diagnostic code.

Each entry carries the code, its severity, a one-line summary, an explanation and a failing and a
passing example. ``protodsl explain`` and ``docs/rules.md`` are generated from it. Rules that the
semantic checker runs also carry their check function; syntax codes are raised by the parser and
have none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from protodsl import record

if TYPE_CHECKING:
    from protodsl.diagnostics import Diagnostic

Check = Callable[[Any], Iterable["Diagnostic"]]


@record.frozen
class Rule:
    """A diagnostic code and everything said about it."""

    code: str
    severity: str
    summary: str
    explanation: str
    bad: str
    good: str
    check: Check | None = None
    # Whether the rule reports on a protocol exactly the union of what it reports on each copy
    # of the protocol that keeps a single exercise (the language server re-runs such a rule
    # only for the exercises an edit touched; see protodsl.incremental).
    per_exercise: bool = False


RULES: dict[str, Rule] = {}

# Severities of every code, known without importing the rule modules (used on the hot path).
SEVERITIES: dict[str, str] = {
    "P100": "error", "P101": "error", "P102": "error", "P103": "error", "P104": "error",
    "P105": "error", "P106": "error", "P200": "error", "P201": "error", "P202": "error", "P203": "error",
    "P204": "error", "P205": "warning", "P206": "error", "P207": "error", "P208": "warning",
    "P209": "error", "P300": "error", "P301": "error", "P302": "error", "P303": "error",
    "P304": "warning", "P305": "error", "P306": "error", "P307": "warning", "P308": "error",
    "P309": "error", "P400": "error", "P401": "error", "P402": "error", "P403": "warning",
    "P404": "error", "P405": "warning", "P406": "warning", "P407": "warning", "P408": "error",
    "P500": "warning", "P501": "error", "P502": "warning", "P900": "error",
    # Version 2 (LANGUAGE.md 8.7)
    "P210": "warning", "P310": "error", "P311": "error", "P312": "error", "P313": "warning",
    "P409": "warning", "P410": "error", "P411": "error", "P412": "warning", "P510": "error",
    # What compiling needs too: an output of bounded size, an exercise
    "P107": "error", "P211": "error",
}


def severity_of(code: str) -> str:
    """The severity of a code."""
    return SEVERITIES[code]


def register(
    code: str, summary: str, *, explanation: str, bad: str, good: str,
    per_exercise: bool = False,
) -> Callable[[Check], Check]:
    """Decorator: register ``check`` as the rule for ``code`` (``per_exercise``: see Rule)."""

    def wrap(check: Check) -> Check:
        _add(Rule(code, SEVERITIES[code], summary, explanation.strip(), bad, good, check,
                  per_exercise))
        return check

    return wrap


def describe(code: str, summary: str, *, explanation: str, bad: str, good: str) -> None:
    """Register a code that has no check function of its own (raised by the parser or driver)."""
    _add(Rule(code, SEVERITIES[code], summary, explanation.strip(), bad, good, None))


def _add(rule: Rule) -> None:
    if rule.code in RULES:
        raise ValueError(f"rule {rule.code} registered twice")
    RULES[rule.code] = rule


def all_rules() -> dict[str, Rule]:
    """Every registered rule, by code, after importing every rule module."""
    from protodsl.rules import load_all

    load_all()
    return dict(sorted(RULES.items()))
