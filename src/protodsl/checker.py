"""The semantic checker: runs every registered rule on a protocol's AST.

Each rule is a small function registered in ``protodsl.rules`` with its code. A rule that fails
with an exception becomes one P900 diagnostic for the file; the other rules still run.
``allow CODE "reason"`` statements silence warnings in their block (P209 when they name an error
or an unknown code, P210 when they silence nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from protodsl import nodes as n
from protodsl.context import Context
from protodsl.diagnostics import ERROR, WARNING, Diagnostic, diagnostic
from protodsl.rules.registry import SEVERITIES, all_rules


def run_rules(ctx: Context) -> list[Diagnostic]:
    """Every diagnostic of every semantic rule, with failures turned into P900."""
    out: list[Diagnostic] = []
    for code, rule in all_rules().items():
        if rule.check is None:
            continue
        try:
            out.extend(_bounded(rule.check(ctx), code))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not stop the others
            out.append(diagnostic(
                "P900", f"internal error in rule {code}: {type(exc).__name__}: {exc}",
                ctx.protocol.span,
                "please report this, with the file, at the protodsl issue tracker"))
    return out


# A rule's diagnostics kept before sorting: far more than are shown (MAX_PER_CODE), so the first
# ones by position are among them; the rest are only counted, so a rule that fires a million
# times costs no memory for them.
KEPT_PER_RULE = 1000


def _bounded(found: Iterable[Diagnostic], code: str) -> list[Diagnostic]:
    """The first KEPT_PER_RULE diagnostics of a rule, then one `and N more` for the rest."""
    kept: list[Diagnostic] = []
    extra = 0
    first: Diagnostic | None = None
    for d in found:
        if len(kept) < KEPT_PER_RULE:
            kept.append(d)
        else:
            extra += 1
            first = first or d
    if first is not None:
        kind = "errors" if first.severity == ERROR else "warnings"
        kept.append(Diagnostic(first.code, first.severity,
                               f"and {extra} more {first.code} {kind} in this file",
                               first.span, first.help))
    return kept


def _allows(protocol: n.Protocol) -> Iterator[n.Allow]:
    """Every `allow` of the file: the protocol's, the exercises' and the levels'."""
    yield from n.every(protocol.body, n.Allow)
    for ex in protocol.exercises:
        yield from n.every(ex.body, n.Allow)
        for lv in ex.levels:
            yield from n.every(lv.body, n.Allow)


def check_allows(protocol: n.Protocol) -> list[Diagnostic]:
    """P209 for every `allow` that names an error code or a code that does not exist."""
    out = []
    for st in _allows(protocol):
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


class _Scope:
    """A block an `allow` can stand in: its lines (header and body), depth and allows."""

    __slots__ = ("first", "last", "depth", "allows", "where")

    def __init__(self, first: int, last: int, depth: int, allows: list[n.Allow],
                 where: str) -> None:
        self.first = first
        self.last = last
        self.depth = depth
        self.allows = [a for a in allows if SEVERITIES.get(a.code) == WARNING]
        self.where = where


def _last_line(block: n.Statement) -> int:
    """The last line of a block: its header's, or its last statement's."""
    last = block.span.end_line
    for st in getattr(block, "body", ()):
        last = max(last, _last_line(st))
    for lv in getattr(block, "levels", ()):
        last = max(last, _last_line(lv))
    return last


def _scopes(protocol: n.Protocol) -> list[_Scope]:
    """The file's scopes, innermost first for any line."""
    scopes = [_Scope(1, 1 << 62, 0, n.every(protocol.body, n.Allow), "the protocol")]
    # A block's last line is looked for only when it has an `allow` (the common case has none).
    for ex in protocol.exercises:
        allows = n.every(ex.body, n.Allow)
        if allows:
            scopes.append(_Scope(ex.span.line, _last_line(ex), 1, allows,
                                 f"exercise `{ex.name}`"))
        for lv in ex.levels:
            allows = n.every(lv.body, n.Allow)
            if allows and not lv.implicit:
                scopes.append(_Scope(lv.span.line, _last_line(lv), 2, allows,
                                     f"level {lv.number} of `{ex.name}`"))
    scopes.sort(key=lambda sc: -sc.depth)
    return [sc for sc in scopes if sc.allows]


def apply_allows(protocol: n.Protocol, diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Drop the warnings that `allow` statements silence, each only in its block (LANGUAGE.md
    8.6: the innermost matching `allow` silences), and report every `allow` that silences
    nothing (P210), which `allow P210` may silence in its turn."""
    scopes = _scopes(protocol)
    if not scopes:
        return list(diags)
    used: set[int] = set()
    kept = _silence(scopes, diags, used)
    unused = [diagnostic(
        "P210", f"`allow {a.code}` silences nothing in {sc.where}", a.span,
        f"no {a.code} is reported in its block: remove the `allow`")
        for sc in scopes for a in sc.allows if id(a) not in used and a.code != "P210"]
    kept.extend(_silence(scopes, unused, used))
    kept.extend(diagnostic(
        "P210", f"`allow {a.code}` silences nothing in {sc.where}", a.span,
        "no P210 is reported in its block: remove the `allow`")
        for sc in scopes for a in sc.allows if id(a) not in used and a.code == "P210")
    return kept


def _silence(scopes: list[_Scope], diags: Iterable[Diagnostic], used: set[int]
             ) -> list[Diagnostic]:
    kept = []
    for d in diags:
        allow = None
        if d.severity == WARNING:
            line = d.span.line
            allow = next((a for sc in scopes if sc.first <= line <= sc.last
                          for a in sc.allows if a.code == d.code), None)
        if allow is None:
            kept.append(d)
        else:
            used.add(id(allow))
    return kept
