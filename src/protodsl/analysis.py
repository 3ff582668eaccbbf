"""The front of the pipeline: bytes -> text -> parse tree -> typed AST -> diagnostics."""

from __future__ import annotations

import os


from protodsl import nodes as n
from protodsl import record
from protodsl.diagnostics import Diagnostic, diagnostic, sort_diagnostics
from protodsl.lexer import Comment

# Codes that leave a statement out of the AST (P105: a misplaced statement that is not a
# definition; P207: the header).
SYNTAX_CODES = frozenset({"P100", "P101", "P102", "P103", "P104", "P105", "P207"})
# Codes of a line that could not be read as written.
LINE_CODES = frozenset({"P100", "P101", "P102", "P103", "P104"})
# Diagnostics that a statement left out elsewhere can cause: a broken `condition` makes its
# uses undefined (P201) and its kind unknown (P400, P407); a broken `reps` leaves a level
# without dosage (P308) or disagreeing with its `total` (P306); a broken `stop if` leaves a
# load unguarded (P404); a broken `kind` hides a warm-up (P406); a broken `condition` or
# `measure` changes how a name reads in its place (P409); a broken `sets` or reps list
# changes what the other says (P312); a broken `sides` leaves a level working both sides
# (P313); a broken `frequency` can hide that a vigorous level is done less often (P412);
# a broken `condition`, `requires` or `support` line changes a level's stability gate
# or what it takes away (P411); a broken `exercise` header leaves none (P211)... They are left out while the
# file has syntax errors and come back once it parses. Diagnostics about a statement on its
# own (units, amounts, duplicates, placement, `allow`, contradictions) are always reported.
CASCADE_CODES = frozenset({
    "P201", "P202", "P203", "P204", "P205", "P306", "P307", "P308", "P309",
    "P400", "P401", "P403", "P404", "P405", "P406", "P407", "P500", "P502", "P210",
    "P409", "P312", "P313", "P411", "P412", "P211",
})


@record.frozen
class Analysis:
    """One file, analysed: its text, its protocol (None if it has none) and its diagnostics."""

    path: str | None
    text: str
    protocol: n.Protocol | None
    diagnostics: tuple[Diagnostic, ...]
    comments: tuple[Comment, ...] = ()

    @property
    def has_errors(self) -> bool:
        """Whether any diagnostic is an error."""
        return any(d.severity == "error" for d in self.diagnostics)


def _internal_error(path: str | None, text: str, exc: BaseException) -> Analysis:
    """An analysis that failed inside protodsl: one P900 for the file, never a traceback."""
    from protodsl.nodes import Span

    return Analysis(path, text, None, (diagnostic(
        "P900", f"internal error: {type(exc).__name__}: {exc}", Span(1, 1, 1, 2),
        "please report this, with the file, at the protodsl issue tracker"),))


def analyze_bytes(data: bytes, path: str | None = None) -> Analysis:
    """Decode and analyse the bytes of a protocol file (a failure inside becomes P900)."""
    from protodsl.gcpause import paused

    try:
        with paused():
            return _analyze_bytes(data, path)
    except Exception as exc:  # noqa: BLE001 - the other files must still be checked
        return _internal_error(path, "", exc)


def _analyze_bytes(data: bytes, path: str | None) -> Analysis:
    from protodsl.source import decode

    decoded = decode(data)
    if decoded.diagnostics and not decoded.text:
        return Analysis(path, "", None, decoded.diagnostics)
    return _analyze_text(decoded.text, path, decoded.diagnostics, decoded.bad_lines)


def analyze_text(text: str, path: str | None = None, prior: tuple[Diagnostic, ...] = (),
                 bad_lines: frozenset[int] = frozenset()) -> Analysis:
    """Analyse the text of a protocol file: every diagnostic, sorted by position.

    A failure inside protodsl becomes one P900 diagnostic for the file, never a traceback.
    """
    from protodsl.gcpause import paused

    try:
        with paused():
            return _analyze_text(text, path, prior, bad_lines)
    except Exception as exc:  # noqa: BLE001 - the other files must still be checked
        return _internal_error(path, text, exc)


def _analyze_text(text: str, path: str | None, prior: tuple[Diagnostic, ...],
                  bad_lines: frozenset[int]) -> Analysis:
    from protodsl.parser import parse
    from protodsl.source import MAX_BYTES, strip_bom, too_large
    from protodsl.structure import structure
    from protodsl.transformer import Builder

    text = strip_bom(text)
    if len(text) > MAX_BYTES:  # more characters than that is certainly more bytes
        return Analysis(path, "", None, (too_large(len(text.encode("utf-8", "replace"))),))
    result = parse(text)
    diags: list[Diagnostic] = list(prior) + list(result.diagnostics)
    tree, orphan_lines, comments = result.tree, result.orphan_lines, tuple(result.comments)
    del result  # the parse tree is dropped as soon as the AST holds what it says
    protocol = None
    if tree is not None:
        builder = Builder(text)
        module = builder.module(tree)
        del tree
        diags.extend(builder.diags)
        protocol, structural = structure(module)
        del module
        diags.extend(structural)
    if protocol is not None:
        diags.extend(_semantic(protocol, path))
    if bad_lines:
        # A line with bytes that are not UTF-8 has its P103; nothing else is said about it.
        diags = [d for d in diags if d.code == "P103" or d.span.line not in bad_lines]
    return finish(text, path, protocol, diags, orphan_lines, comments)


def finish(text: str, path: str | None, protocol: n.Protocol | None, diags: list[Diagnostic],
           orphan_lines: frozenset[int], comments: tuple[Comment, ...]) -> Analysis:
    """The end of an analysis: the filters after syntax errors, then the diagnostics sorted."""
    if any(d.code in SYNTAX_CODES for d in diags):
        diags = [d for d in diags if d.code not in CASCADE_CODES]
    # A broken line (or one read into a block by a guess after its bad indentation) has its
    # syntax diagnostic only: what else is said about it is a consequence of the guess.
    broken_lines = {d.span.line for d in diags if d.code in LINE_CODES}
    if orphan_lines:
        # Statements under a broken header were read in the enclosing block: not misplaced.
        diags = [d for d in diags if d.code != "P105" or d.span.line not in orphan_lines]
    if broken_lines:
        diags = [d for d in diags if d.code in LINE_CODES or d.span.line not in broken_lines]
    return Analysis(path, text, protocol, sort_diagnostics(diags), comments)


def _semantic(protocol: n.Protocol, path: str | None) -> list[Diagnostic]:
    from protodsl.checker import apply_allows, check_allows, run_rules
    from protodsl.context import Context

    from protodsl.dosage import caching

    diags = check_allows(protocol)
    diags.extend(_file_name(protocol, path))
    with caching():
        diags.extend(run_rules(Context(protocol, path)))
    return apply_allows(protocol, diags)


def _file_name(protocol: n.Protocol, path: str | None) -> list[Diagnostic]:
    """P208: the file's name (without `.protocol`) differs from the protocol's name."""
    if not path or not protocol.name or not path.endswith(".protocol"):
        return []
    stem = os.path.basename(path)[: -len(".protocol")]
    if stem == protocol.name:
        return []
    return [diagnostic(
        "P208", f"the file is named `{stem}` but the protocol is `{protocol.name}`",
        protocol.name_span,
        f"rename the file to `{protocol.name}.protocol` or the protocol to `{stem}`")]
