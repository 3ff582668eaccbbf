"""The language server: ``protodsl lsp`` speaks the Language Server Protocol on stdio.

Diagnostics come from the same checker as ``protodsl check`` (``analysis.analyze_text``), with
the same codes, messages and ranges (converted to 0-based lines and UTF-16 columns). Every
request is guarded: a failure is logged and answered with an empty result, never a crash.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from typing import Any, Callable
from urllib.parse import unquote, urlparse

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer

from protodsl import __version__
from protodsl import nodes as n
from protodsl.lsp import index as ix
from protodsl.vocabulary import (CONDITION_KINDS, DURATION_UNITS, EXERCISE_KINDS, LOAD_UNITS,
                                 MEASURE_UNITS, STATEMENT_KEYWORDS)

log = logging.getLogger("protodsl.lsp")

EXPLAIN_URL = "https://github.com/protodsl/protodsl/blob/main/docs/rules.md#{code}"

KEYWORDS = {
    "protocol": "`protocol NAME [\"title\"]`: the file's one top-level block.",
    "exercise": "`exercise NAME [\"title\"]`: an exercise block inside the protocol.",
    "level": "`level N [\"title\"] [extends level M]`: a level of an exercise; `extends` copies the dosage of level M.",
    "extends": "`extends level M`: this level starts from level M's effective dosage.",
    "schedule": "`schedule RATE [for W weeks]`: how often sessions happen, and for how long.",
    "condition": "`condition NAME KIND \"text\"`: a named criterion used in expressions.",
    "measure": "`measure NAME KIND \"text\" [in UNIT | scale A-B]`: a measured criterion, compared in expressions (`pain <= 2`).",
    "equipment": "`equipment NAME \"text\"`: equipment used by `uses` and `load`.",
    "stop": "`stop if EXPR`: stop the exercise when the expression holds.",
    "allow": "`allow CODE \"reason\"`: accept a warning in this block, with a reason.",
    "kind": "`kind KIND`: the kind of exercise (" + ", ".join(EXERCISE_KINDS) + ").",
    "requires": "`requires EXPR`: what must hold before the block (or the load) may be done.",
    "uses": "`uses NAME, ...`: the equipment the exercise needs.",
    "reps": "`reps N[-M]`, `reps A, B, C` or `reps max [up to N]`: repetitions per set.",
    "sets": "`sets N[-M]`: the number of sets.",
    "hold": "`hold AMOUNT`: how long each rep is held.",
    "duration": "`duration AMOUNT`: how long each set lasts.",
    "rest": "`rest AMOUNT between sets|sides`: the rest between sets or sides.",
    "breaths": "`breaths N`: breaths per set (5 s each in the estimate).",
    "sides": "`sides left|right|both|each|alternating|affected|unaffected [starting SIDE]`.",
    "total": "`total N`: the total reps, checked against reps x sets.",
    "intensity": "`intensity light|moderate|vigorous`.",
    "load": "`[optional] load AMOUNT [EQUIPMENT] [on \"placement\"] requires EXPR`: added weight, gated by a stability condition.",
    "advance": "`advance to level N when EXPR`: the criterion to move up a level.",
    "regress": "`regress to level N when EXPR`: the criterion to move back a level.",
    "increase": "`increase WHAT by AMOUNT every week|session up to AMOUNT`: progressive overload.",
    "frequency": "`frequency RATE`: how often this exercise or level is done (its own bout).",
    "during": "`during week N` / `during weeks A-B`: the weeks the block is done.",
    "from": "`from week N`: the block starts in week N.",
    "tempo": "`tempo A-B-C[-D]`: seconds lowering, pausing, lifting[, pausing]; `x` is as fast as possible.",
    "contraction": "`contraction eccentric|concentric|isometric`.",
    "rpe": "`rpe A[-B]`: target effort on the 0-10 Borg CR10 scale.",
    "distance": "`distance AMOUNT`: distance per set.",
    "support": "`support both_hands|one_hand|fingertip|none`: balance support.",
    "eyes": "`eyes open|closed`: for balance work.",
    "range": "`range until EXPR`: the end of the movement's range (not a stop rule).",
    "optional": "`optional load ...`: a load the patient may leave out.",
    "cue": "`cue \"text\"`: a coaching cue.",
    "step": "`step \"text\"`: one step of the instructions.",
    "note": "`note \"text\"`: a note.",
    "source": "`source \"text\"`: where the protocol comes from.",
    "purpose": "`purpose \"text\"`: what the protocol is for.",
    "author": "`author \"text\"`.",
    "version": "`version \"text\"`.",
    "session": "`session limit AMOUNT`: the longest a session may take.",
    "error": "`error \"mistake\" fix \"correction\"`: a common error and its fix.",
    "modification": "`modification \"text\" [when EXPR]`: a way to adapt the exercise.",
}

# Statements allowed in each block (as completion offers them).
BLOCK_KEYWORDS = {
    "top": ["protocol"],
    "protocol": ["schedule", "condition", "measure", "equipment", "stop if", "allow", "source",
                 "purpose", "author", "version", "session limit", "note", "exercise"],
    "exercise": ["kind", "requires", "uses", "cue", "step", "note", "error", "modification",
                 "stop if", "allow", "frequency", "during", "from", "level", "hold", "duration",
                 "reps", "sets", "breaths", "rest", "sides", "total", "intensity", "load",
                 "tempo", "contraction", "rpe", "distance", "support", "eyes", "range until",
                 "increase", "optional load"],
    "level": ["reps", "sets", "hold", "duration", "breaths", "rest", "sides", "total",
              "intensity", "load", "optional load", "advance to level", "regress to level",
              "increase", "requires", "uses", "cue", "step", "note", "stop if", "allow",
              "frequency", "during", "from", "tempo", "contraction", "rpe", "distance",
              "support", "eyes", "range until", "error", "modification"],
}
EXPRESSION_AFTER = re.compile(r"\b(requires|when|if|until|or|and|not|\()\s*[A-Za-z_]*$")
AMOUNT_BEFORE = re.compile(r"\b\d+(\.\d+)?(\s*-\s*\d+(\.\d+)?)?\s+[A-Za-z]*$")
LEVEL_AFTER = re.compile(r"\b(to level|extends level)\s+\d*$")
KIND_AFTER = re.compile(r"^\s*kind\s+[A-Za-z_]*$")
CONDITION_KIND_AFTER = re.compile(r"^\s*(condition|measure)\s+[A-Za-z_]\w*\s+[A-Za-z_]*$")

TOKEN_TYPES = ["keyword", "variable", "number", "string", "comment", "type", "operator",
               "namespace", "function"]
TOKEN_MODIFIERS = ["declaration"]
# Possessive loops: a string of megabytes on one line is matched without a backtracking stack.
_LEX = re.compile(r'(?P<comment>#.*)|(?P<string>"(?:[^"\\]++|\\.)*+"?)|'
                  r"(?P<number>\d+(?:\.\d+)?)|(?P<word>[A-Za-z_%][A-Za-z0-9_]*)|"
                  r"(?P<op><=|>=|[<>=])")
ALL_UNITS = sorted(set(MEASURE_UNITS) | {"rm", "%1rm", "weeks", "week", "days"})


class _Indexes(dict):  # type: ignore[type-arg]
    """The name index of each document's last analysis, built when a request first needs it
    (an edit only invalidates it, so typing does not pay for it)."""

    def __init__(self, analyses: dict[str, Any]) -> None:
        super().__init__()
        self.analyses = analyses

    def __missing__(self, uri: str) -> ix.Index:
        index = self[uri] = ix.build(self.analyses[uri].protocol)
        return index


class State:
    """The last analysis of each open document, its name index and its incremental engine."""

    def __init__(self) -> None:
        self.analyses: dict[str, Any] = {}
        self.indexes: dict[str, ix.Index] = _Indexes(self.analyses)
        self.engines: dict[str, Any] = {}


server = LanguageServer("protodsl", __version__)
state = State()


def guarded(default: Callable[[], Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Answer ``default()`` and log when a handler fails: never crash, never stop answering."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception:  # noqa: BLE001
                log.exception("protodsl lsp: %s failed", fn.__name__)
                return default()
        return inner
    return wrap


def _path(uri: str) -> str | None:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else None


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _pos(lines: list[str], line: int, column: int) -> t.Position:
    """A 1-based line and column (characters) as an LSP position (0-based, UTF-16)."""
    li = line - 1
    text = lines[li] if 0 <= li < len(lines) else ""
    text = text.rstrip("\r")
    return t.Position(max(li, 0), ix.utf16_column(text, max(column - 1, 0)))


def _range(lines: list[str], span: n.Span) -> t.Range:
    return t.Range(_pos(lines, span.line, span.column), _pos(lines, span.end_line, span.end_column))


def _cursor(server_text: str, pos: t.Position) -> tuple[list[str], int, int]:
    """(lines, 1-based line, 1-based character column) of an LSP position."""
    lines = _lines(server_text)
    text = lines[pos.line] if pos.line < len(lines) else ""
    return lines, pos.line + 1, ix.char_column(text, pos.character) + 1


@server.feature(t.INITIALIZED)
@guarded(lambda: None)
def initialized(ls: LanguageServer, params: t.InitializedParams) -> None:
    encoding = str(getattr(server.workspace, "position_encoding", None) or "utf-16")
    ix.ENCODING[0] = encoding if encoding in ("utf-8", "utf-16", "utf-32") else "utf-16"


def analyze(uri: str) -> Any:
    """Analyse the document's current text: incrementally (``protodsl.incremental``: only the
    exercises an edit touched are parsed and checked again), always equal to ``analyze_text``.
    With PROTODSL_LSP_INCREMENTAL=0 in the environment, every analysis is a full one."""
    from protodsl.incremental import Engine

    doc = server.workspace.get_text_document(uri)
    if os.environ.get("PROTODSL_LSP_INCREMENTAL") == "0":
        from protodsl.analysis import analyze_text

        analysis = analyze_text(doc.source, _path(uri))
    else:
        engine = state.engines.get(uri)
        if engine is None:
            engine = state.engines[uri] = Engine()
        analysis = engine.analyze(doc.source, _path(uri))
    state.analyses[uri] = analysis
    state.indexes.pop(uri, None)
    return analysis


def _analysis(uri: str) -> Any:
    analysis = state.analyses.get(uri)
    doc = server.workspace.get_text_document(uri)
    if analysis is None or analysis.text != doc.source.removeprefix("\ufeff"):
        analysis = analyze(uri)
    return analysis


def _related(analysis: Any, d: Any, lines: list[str], uri: str) -> list[t.DiagnosticRelatedInformation] | None:
    """For a duplicate or a conflict, point at the other statement it names (`line N`)."""
    related = []
    for m in re.finditer(r"line (\d+)", (d.message or "") + " " + (d.help or "")):
        line = int(m.group(1))
        if 1 <= line <= len(lines) and line != d.span.line:
            text = lines[line - 1].rstrip("\r")
            start = len(text) - len(text.lstrip())
            related.append(t.DiagnosticRelatedInformation(
                t.Location(uri, t.Range(t.Position(line - 1, ix.utf16_column(text, start)),
                                        t.Position(line - 1, ix.utf16_column(text, len(text))))),
                "the other statement"))
    return related or None


def _config(uri: str) -> Any:
    """The configuration of `protodsl check` for the document (defaults if none or invalid)."""
    from protodsl.config import Config, ConfigError, for_path

    path = _path(uri)
    try:
        return for_path(path) if path else Config()
    except ConfigError as exc:
        log.warning("protodsl lsp: %s", exc)
        return Config()


def to_lsp(analysis: Any, uri: str) -> list[t.Diagnostic]:
    lines = _lines(analysis.text)
    out = []
    config = _config(uri)  # select/ignore drop warnings (strict only changes exit codes)
    for d in analysis.diagnostics:
        if not config.reports(d.code, d.severity):
            continue
        message = d.message + (f"\nhelp: {d.help}" if d.help else "")
        out.append(t.Diagnostic(
            range=_range(lines, d.span), message=message, code=d.code, source="protodsl",
            severity=(t.DiagnosticSeverity.Error if d.severity == "error"
                      else t.DiagnosticSeverity.Warning),
            code_description=t.CodeDescription(EXPLAIN_URL.format(code=d.code.lower())),
            related_information=_related(analysis, d, lines, uri),
            data={"help": d.help, "message": d.message}))
    return out


def publish(uri: str) -> None:
    try:
        analysis = analyze(uri)
        diags = to_lsp(analysis, uri)
    except Exception:  # noqa: BLE001
        log.exception("protodsl lsp: diagnostics failed for %s", uri)
        diags = []
    doc = server.workspace.get_text_document(uri)
    server.text_document_publish_diagnostics(
        t.PublishDiagnosticsParams(uri=uri, diagnostics=diags, version=doc.version))


@server.feature(t.TEXT_DOCUMENT_DID_OPEN)
@guarded(lambda: None)
def did_open(ls: LanguageServer, params: t.DidOpenTextDocumentParams) -> None:
    publish(params.text_document.uri)


@server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
@guarded(lambda: None)
def did_change(ls: LanguageServer, params: t.DidChangeTextDocumentParams) -> None:
    publish(params.text_document.uri)


@server.feature(t.TEXT_DOCUMENT_DID_SAVE)
@guarded(lambda: None)
def did_save(ls: LanguageServer, params: t.DidSaveTextDocumentParams) -> None:
    publish(params.text_document.uri)


@server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
@guarded(lambda: None)
def did_close(ls: LanguageServer, params: t.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    state.analyses.pop(uri, None)
    state.indexes.pop(uri, None)
    state.engines.pop(uri, None)
    server.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


# --- hover -------------------------------------------------------------------------------


def _fmt_amount(st: Any) -> str:
    amount = getattr(st, "amount", None)
    return amount.text if amount is not None else ""


def level_hover(protocol: n.Protocol, exercise: n.Exercise, number: int) -> str | None:
    from protodsl.dosage import effective_levels, estimate, values_of

    eff = effective_levels(exercise).get(number)
    if eff is None:
        return None
    parts = []
    for name in ("reps", "sets", "hold", "duration", "breaths", "rest_sets", "rest_sides",
                 "rpe", "distance"):
        st = getattr(eff, name)
        if st is not None:
            label = {"rest_sets": "rest between sets", "rest_sides": "rest between sides"}.get(
                name, name)
            parts.append(f"- {label}: {_fmt_amount(st)}")
    if eff.reps_list is not None:
        parts.append("- reps: " + ", ".join(str(x) for x in eff.reps_list.items))
    if eff.reps_max is not None:
        parts.append("- reps: max" + (f" up to {eff.reps_max.up_to}" if eff.reps_max.up_to else ""))
    for name in ("sides", "intensity", "contraction", "support", "eyes"):
        st = getattr(eff, name)
        if st is not None:
            parts.append(f"- {name}: {st.value}")
    if eff.tempo is not None:
        parts.append("- tempo: " + "-".join(str(p) for p in eff.tempo.phases))
    values = values_of(eff)
    low, high = estimate(values)
    est = f"{_secs(low)}" if low == high else f"{_secs(low)} to {_secs(high)}"
    if values.open_ended:
        est = f"at least {_secs(low)}"
    head = f"**{exercise.name}, level {number}** (effective dosage after `extends`)"
    return "\n".join([head, "", *parts, "", f"Estimated time: {est}"])


def _secs(x: float) -> str:
    x = round(float(x))
    return f"{x // 60} min {x % 60} s" if x >= 60 else f"{x} s"


def hover_text(analysis: Any, index: ix.Index, lines: list[str], line: int, col: int) -> str | None:
    occ = index.at(line, col)
    protocol = analysis.protocol
    if occ is not None:
        if occ.kind == "condition" and occ.name in index.conditions:
            c = index.conditions[occ.name]
            return f"**condition `{c.name}`** ({c.kind})\n\n{c.text}"
        if occ.kind == "measure" and occ.name in index.measures:
            m = index.measures[occ.name]
            extra = f", in {m.unit}" if m.unit else (f", scale {m.scale.text}" if m.scale else "")
            return f"**measure `{m.name}`** ({m.kind}{extra})\n\n{m.text}"
        if occ.kind == "equipment" and occ.name in index.equipment:
            e = index.equipment[occ.name]
            return f"**equipment `{e.name}`**\n\n{e.text}"
        if occ.kind == "level" and protocol is not None:
            ex = next((e for e in protocol.exercises if e.name == occ.scope), None)
            if ex is not None:
                return level_hover(protocol, ex, int(occ.name))
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    found = ix.word_at(text, col - 1)
    if found is None:
        return None
    word = found[0]
    if word == "level" and protocol is not None:
        ex = ix.exercise_at(protocol, line)
        if ex is not None:
            lv = next((lv for lv in ex.levels if lv.span.line == line), None)
            if lv is not None:
                return level_hover(protocol, ex, lv.number)
    if word == "exercise" and protocol is not None:
        ex = ix.exercise_at(protocol, line)
        if ex is not None and ex.span.line == line and ex.levels:
            parts = [level_hover(protocol, ex, lv.number) or "" for lv in ex.levels]
            return "\n\n---\n\n".join(parts)
    if word in KEYWORDS and text[: found[1]].strip() in ("", "stop", "session", "optional",
                                                          "range") or word in ("extends",):
        return KEYWORDS.get(word)
    return None


@server.feature(t.TEXT_DOCUMENT_HOVER)
@guarded(lambda: None)
def hover(ls: LanguageServer, params: t.HoverParams) -> t.Hover | None:
    uri = params.text_document.uri
    analysis = _analysis(uri)
    lines, line, col = _cursor(analysis.text, params.position)
    value = hover_text(analysis, state.indexes[uri], lines, line, col)
    if not value:
        return None
    return t.Hover(contents=t.MarkupContent(t.MarkupKind.Markdown, value))


# --- completion ----------------------------------------------------------------------------


def _block_of(lines: list[str], line: int) -> str:
    """The block the 0-based ``line`` is in, from the headers above with less indentation."""
    current = lines[line] if line < len(lines) else ""
    indent = len(current) - len(current.lstrip(" "))
    for i in range(line - 1, -1, -1):
        text = lines[i]
        stripped = text.lstrip(" ")
        if not stripped.strip() or stripped.startswith("#"):
            continue
        depth = len(text) - len(stripped)
        if depth < indent:
            word = stripped.split(None, 1)[0] if stripped.split() else ""
            if word in ("protocol", "exercise", "level"):
                return word
            indent = depth
    return "top"


def completions(analysis: Any, index: ix.Index, lines: list[str], line0: int, col0: int) -> list[t.CompletionItem]:
    text = lines[line0] if line0 < len(lines) else ""
    before = text[:col0]
    items: list[t.CompletionItem] = []
    if "#" in before or before.count('"') % 2 == 1:
        return items
    if LEVEL_AFTER.search(before):
        ex = ix.exercise_at(analysis.protocol, line0 + 1)
        numbers = sorted({lv.number for lv in ex.levels}) if ex is not None else []
        return [t.CompletionItem(str(x), kind=t.CompletionItemKind.EnumMember) for x in numbers]
    if KIND_AFTER.search(before):
        return [t.CompletionItem(k, kind=t.CompletionItemKind.EnumMember) for k in EXERCISE_KINDS]
    if CONDITION_KIND_AFTER.search(before):
        return [t.CompletionItem(k, kind=t.CompletionItemKind.EnumMember) for k in CONDITION_KINDS]
    if AMOUNT_BEFORE.search(before) and not EXPRESSION_AFTER.search(before):
        return [t.CompletionItem(u, kind=t.CompletionItemKind.Unit) for u in ALL_UNITS]
    if EXPRESSION_AFTER.search(before):
        for name, c in index.conditions.items():
            items.append(t.CompletionItem(name, kind=t.CompletionItemKind.Variable,
                                          detail=f"condition ({c.kind})", documentation=c.text))
        for name, m in index.measures.items():
            items.append(t.CompletionItem(name, kind=t.CompletionItemKind.Field,
                                          detail=f"measure ({m.kind})", documentation=m.text))
        return items
    if before.strip() == "" or re.fullmatch(r"\s*[a-z_]+", before):
        block = _block_of(lines, line0)
        if before.strip() == "" and not before and block != "top":
            block = "top"
        for kw in BLOCK_KEYWORDS[block]:
            first = kw.split()[0]
            items.append(t.CompletionItem(kw, kind=t.CompletionItemKind.Keyword,
                                          documentation=KEYWORDS.get(first)))
    return items


@server.feature(t.TEXT_DOCUMENT_COMPLETION,
                t.CompletionOptions(trigger_characters=[" "]))
@guarded(lambda: t.CompletionList(is_incomplete=False, items=[]))
def completion(ls: LanguageServer, params: t.CompletionParams) -> t.CompletionList:
    uri = params.text_document.uri
    analysis = _analysis(uri)
    doc = server.workspace.get_text_document(uri)
    lines = _lines(doc.source)
    text = lines[params.position.line] if params.position.line < len(lines) else ""
    col0 = ix.char_column(text, params.position.character)
    items = completions(analysis, state.indexes[uri], lines, params.position.line, col0)
    return t.CompletionList(is_incomplete=False, items=items)


# --- definition, references, rename -----------------------------------------------------------


def _occurrence(uri: str, pos: t.Position) -> tuple[Any, ix.Index, list[str], ix.Occurrence | None]:
    analysis = _analysis(uri)
    lines, line, col = _cursor(analysis.text, pos)
    index = state.indexes[uri]
    return analysis, index, lines, index.at(line, col)


@server.feature(t.TEXT_DOCUMENT_DEFINITION)
@guarded(lambda: None)
def definition(ls: LanguageServer, params: t.DefinitionParams) -> list[t.Location] | None:
    uri = params.text_document.uri
    _, index, lines, occ = _occurrence(uri, params.position)
    if occ is None:
        return None
    defs = [o for o in index.of(occ) if o.definition]
    return [t.Location(uri, _range(lines, o.span)) for o in defs[:1]] or None


@server.feature(t.TEXT_DOCUMENT_REFERENCES)
@guarded(lambda: None)
def references(ls: LanguageServer, params: t.ReferenceParams) -> list[t.Location] | None:
    uri = params.text_document.uri
    _, index, lines, occ = _occurrence(uri, params.position)
    if occ is None:
        return None
    include = params.context.include_declaration if params.context else True
    return [t.Location(uri, _range(lines, o.span)) for o in index.of(occ)
            if include or not o.definition]


NAME = re.compile(r"[a-z][a-z0-9_]*")


@server.feature(t.TEXT_DOCUMENT_PREPARE_RENAME)
@guarded(lambda: None)
def prepare_rename(ls: LanguageServer, params: t.PrepareRenameParams) -> t.Range | None:
    uri = params.text_document.uri
    _, _, lines, occ = _occurrence(uri, params.position)
    if occ is None:
        return None
    return _range(lines, occ.span)


LEVEL_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@server.feature(t.TEXT_DOCUMENT_RENAME)
@guarded(lambda: None)
def rename(ls: LanguageServer, params: t.RenameParams) -> t.WorkspaceEdit | None:
    """Rename a condition, measure or equipment; renumber a level (its header, `extends level`,
    `advance`/`regress to level` in its exercise), never onto a number the exercise uses."""
    uri = params.text_document.uri
    _, index, lines, occ = _occurrence(uri, params.position)
    if occ is None:
        return None
    new = params.new_name
    if occ.kind == "level":
        if not LEVEL_NUMBER.fullmatch(new) or (
                new != occ.name and (occ.scope, int(new)) in index.levels):
            return None
    elif not NAME.fullmatch(new):
        return None
    edits = [t.TextEdit(_range(lines, o.span), new) for o in index.of(occ)]
    return t.WorkspaceEdit(changes={uri: edits})


# --- symbols, folding -----------------------------------------------------------------------


def _block_range(lines: list[str], st: n.Statement) -> t.Range:
    end = ix.block_end(st)
    last = lines[end - 1].rstrip("\r") if 0 < end <= len(lines) else ""
    return t.Range(_pos(lines, st.span.line, st.span.column),
                   t.Position(end - 1, ix.utf16_column(last, len(last))))


def symbols_of(analysis: Any) -> list[t.DocumentSymbol]:
    protocol = analysis.protocol
    if protocol is None:
        return []
    lines = _lines(analysis.text)
    children = []
    for st in protocol.body:
        if isinstance(st, (n.Condition, n.Measure, n.Equipment)):
            kind = {n.Condition: t.SymbolKind.Boolean, n.Measure: t.SymbolKind.Number,
                    n.Equipment: t.SymbolKind.Object}[type(st)]
            children.append(t.DocumentSymbol(st.name, kind, _range(lines, st.span),
                                             _range(lines, st.name_span), detail=st.keyword))
    for ex in protocol.exercises:
        levels = [t.DocumentSymbol(f"level {lv.number}", t.SymbolKind.Class,
                                   _block_range(lines, lv), _range(lines, lv.number_span),
                                   detail=lv.title or None)
                  for lv in ex.levels if not lv.implicit]
        children.append(t.DocumentSymbol(ex.name, t.SymbolKind.Function, _block_range(lines, ex),
                                         _range(lines, ex.name_span), detail=ex.title or None,
                                         children=levels))
    return [t.DocumentSymbol(protocol.name or "protocol", t.SymbolKind.Module,
                             _block_range(lines, protocol), _range(lines, protocol.name_span),
                             detail=protocol.title or None, children=children)]


@server.feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@guarded(list)
def document_symbol(ls: LanguageServer, params: t.DocumentSymbolParams) -> list[t.DocumentSymbol]:
    return symbols_of(_analysis(params.text_document.uri))


@server.feature(t.TEXT_DOCUMENT_FOLDING_RANGE)
@guarded(list)
def folding_range(ls: LanguageServer, params: t.FoldingRangeParams) -> list[t.FoldingRange]:
    protocol = _analysis(params.text_document.uri).protocol
    if protocol is None:
        return []
    blocks: list[n.Statement] = [protocol]
    for ex in protocol.exercises:
        blocks.append(ex)
        blocks.extend(lv for lv in ex.levels if not lv.implicit)
    out = []
    for b in blocks:
        end = ix.block_end(b)
        if end > b.span.line:
            out.append(t.FoldingRange(b.span.line - 1, end - 1, kind=t.FoldingRangeKind.Region))
    return out


# --- formatting -------------------------------------------------------------------------------


@server.feature(t.TEXT_DOCUMENT_FORMATTING)
@guarded(list)
def formatting(ls: LanguageServer, params: t.DocumentFormattingParams) -> list[t.TextEdit]:
    from protodsl.fmt import format_source

    doc = server.workspace.get_text_document(params.text_document.uri)
    result = format_source(doc.source)
    if result.text is None or not result.changed:
        return []
    lines = _lines(doc.source)
    last = lines[-1]
    end = t.Position(len(lines) - 1, ix.utf16_column(last, len(last)))
    return [t.TextEdit(t.Range(t.Position(0, 0), end), result.text)]


# --- code actions ------------------------------------------------------------------------------


def actions_for(analysis: Any, uri: str, diag: t.Diagnostic) -> list[t.CodeAction]:
    """The quick fixes of a published diagnostic: those of the shared fix engine
    (``protodsl.fixes``, as `check --fix` applies them) for the same code and range."""
    from protodsl.fixes import fixes_for

    lines = _lines(analysis.text)
    out = []
    for d in analysis.diagnostics:
        if d.code != diag.code or _range(lines, d.span) != diag.range:
            continue
        for fix in fixes_for(analysis, d):
            edits = [t.TextEdit(_range(lines, e.span), e.new) for e in fix.edits]
            out.append(t.CodeAction(fix.title, kind=t.CodeActionKind.QuickFix,
                                    diagnostics=[diag], is_preferred=fix.preferred,
                                    edit=t.WorkspaceEdit(changes={uri: edits})))
        break
    return out


@server.feature(t.TEXT_DOCUMENT_CODE_ACTION,
                t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]))
@guarded(list)
def code_action(ls: LanguageServer, params: t.CodeActionParams) -> list[t.CodeAction]:
    uri = params.text_document.uri
    analysis = _analysis(uri)
    out: list[t.CodeAction] = []
    for diag in params.context.diagnostics:
        if diag.source in (None, "protodsl"):
            out.extend(actions_for(analysis, uri, diag))
    return out


# --- semantic tokens ---------------------------------------------------------------------------


def semantic_data(analysis: Any, index: ix.Index) -> list[int]:
    keywords = set(STATEMENT_KEYWORDS) | {"if", "and", "or", "not", "to", "when", "between",
                                          "by", "every", "up", "on", "for", "extends", "limit",
                                          "in", "scale", "fix", "until", "starting", "weeks",
                                          "week", "times", "weekly", "daily", "as", "needed"}
    units = set(DURATION_UNITS) | set(LOAD_UNITS) | set(MEASURE_UNITS) | {"rm", "%1rm"}
    names = set(index.conditions) | set(index.measures) | set(index.equipment)
    kinds = set(CONDITION_KINDS) | set(EXERCISE_KINDS)
    data: list[int] = []
    prev_line = prev_col = 0
    for li, raw in enumerate(_lines(analysis.text)):
        line = raw.rstrip("\r")
        for m in _LEX.finditer(line):
            group = m.lastgroup
            word = m.group()
            modifier = 0
            if group == "comment":
                kind = 4
            elif group == "string":
                kind = 3
            elif group == "number":
                kind = 2
            elif group == "op":
                kind = 6
            elif word in names:
                kind = 1
            elif word in units:
                kind = 5
            elif word in kinds:
                kind = 7
            elif word in keywords:
                kind = 0
            else:
                continue
            start = ix.utf16_column(line, m.start())
            length = ix.utf16_column(line, m.end()) - start
            delta_line = li - prev_line
            delta_col = start - prev_col if delta_line == 0 else start
            data.extend([delta_line, delta_col, length, kind, modifier])
            prev_line, prev_col = li, start
    return data


@server.feature(t.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL,
                t.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS))
@guarded(lambda: t.SemanticTokens(data=[]))
def semantic_tokens(ls: LanguageServer, params: t.SemanticTokensParams) -> t.SemanticTokens:
    uri = params.text_document.uri
    analysis = _analysis(uri)
    return t.SemanticTokens(data=semantic_data(analysis, state.indexes[uri]))


def main() -> int:
    """Serve on stdio until the client exits."""
    logging.basicConfig(level=logging.WARNING)
    server.start_io()
    return 0
