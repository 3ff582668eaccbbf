"""The semantic checker: runs every registered rule on a protocol's AST.

Each rule is a small function registered in ``protodsl.rules`` with its code. A rule that fails
with an exception becomes one P900 diagnostic for the file; the other rules still run.
``allow CODE "reason"`` statements silence warnings (P209 when they name an error or an unknown
code).
"""

from __future__ import annotations

from collections.abc import Iterable

from protodsl import nodes as n
from protodsl.context import Context
from protodsl.diagnostics import ERROR, Diagnostic, diagnostic
from protodsl.rules.registry import SEVERITIES, all_rules


def run_rules(ctx: Context) -> list[Diagnostic]:
    """Every diagnostic of every semantic rule, with failures turned into P900."""
    out: list[Diagnostic] = []
    for code, rule in all_rules().items():
        if rule.check is None:
            continue
        try:
            out.extend(rule.check(ctx))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not stop the others
            out.append(diagnostic(
                "P900", f"internal error in rule {code}: {type(exc).__name__}: {exc}",
                ctx.protocol.span,
                "please report this, with the file, at the protodsl issue tracker"))
    return out


def check_allows(protocol: n.Protocol) -> list[Diagnostic]:
    """P209 for every `allow` that names an error code or a code that does not exist."""
    out = []
    for st in n.every(protocol.body, n.Allow):
        severity = SEVERITIES.get(st.code)
        if severity is None:
            out.append(diagnostic(
                "P209", f"`allow` names `{st.code}`, a code that does not exist", st.code_span,
                "`protodsl explain CODE` lists what each code means"))
        elif severity == ERROR:
            out.append(diagnostic(
                "P209", f"`allow` cannot silence `{st.code}`: it is an error", st.code_span,
                "only warnings can be allowed; fix the error instead"))
    return out


def apply_allows(protocol: n.Protocol, diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Drop the warnings that the file's valid `allow` statements silence."""
    allowed = {st.code for st in n.every(protocol.body, n.Allow)
               if SEVERITIES.get(st.code) == "warning"}
    return [d for d in diags if not (d.severity == "warning" and d.code in allowed)]
