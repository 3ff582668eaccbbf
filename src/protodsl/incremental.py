"""Incremental analysis for the language server: after an edit, only what changed is redone.

The result is always the one ``analysis.analyze_text`` gives for the same text (the same
diagnostics in the same order, an equal protocol and equal comments); where that cannot be
guaranteed, the engine runs ``analyze_text`` itself. How:

1. **Chunks.** The text is cut by lines into chunks: chunk 0 is the protocol header with the
   protocol-level lines before the first exercise; every later chunk starts at an `exercise`
   header written at the indentation of the protocol's body and runs to the next one (so it
   holds one exercise and any protocol-level statements written after it). Spans are lines and
   columns only, so a chunk's parse does not depend on the lines around it. A later chunk is
   parsed as a small file: as many blank lines as put its first line at its place, a
   `protocol x` header, then the chunk. Each parse is kept, keyed by the chunk's text and first
   line; an edit re-parses only the chunks it touched. The chunks' statements are spliced into
   one protocol, which the structure pass (with each exercise's result kept) turns into the
   checked protocol.
2. **Rules.** A rule registered ``per_exercise`` reports on a protocol exactly the union of
   what it reports on each copy of the protocol that keeps one exercise (tests check it on
   every protocol of the repository). Those copies' diagnostics are kept per exercise and
   protocol-level part; the other rules (duplicates across exercises, unused definitions, the
   warm-up order, the session limit) run on the whole protocol every time. Every diagnostic
   list is a set in effect (the report drops duplicates and sorts by position, code and
   message), so the union is the same report. `allow`, P210 and the filters after syntax
   errors then run on the whole list, as in ``analyze_text``.

Fallbacks (to ``analyze_text``): a byte-order mark, a tab or a carriage return not followed by
a line feed anywhere, a text over the size limit, no `protocol` header at column 1 of the first
line of code, a line of code left of the protocol's body, a chunk whose parse has a diagnostic
outside its lines or an unterminated string in a chunk with `\"\"\"` in it (a long string may
run past the chunk, and a chunk cut inside a long string always has one), a chunk that is not
one protocol block, a P900 from any rule, a rule whose exercises together give 1,000
diagnostics or more (the whole file's run keeps only the first 1,000), logic budgets
(``Context.file_budget``) whose steps add up to more than one file's budget (where the whole
file's run could have run out where each exercise's did not), and any failure inside the
engine (logged).
"""

from __future__ import annotations

import logging
from typing import Any

from protodsl import logic
from protodsl import nodes as n
from protodsl import record
from protodsl.analysis import Analysis, _file_name, analyze_text, finish
from protodsl.checker import KEPT_PER_RULE, _bounded
from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.lexer import Comment
from protodsl.structure import _Structurer

_HEADER = "protocol x\n"
log = logging.getLogger("protodsl.incremental")


@record.frozen
class Chunk:
    """The parse of one chunk: its statements (the protocol block itself for chunk 0), the
    diagnostics of parser and transformer, its comments and its orphan lines."""

    statements: tuple[n.Statement, ...]
    diagnostics: tuple[Diagnostic, ...]
    comments: tuple[Comment, ...]
    orphan_lines: frozenset[int]


def split(lines: list[str]) -> list[int] | None:
    """The 0-based first line of each chunk (0 first), or None when the layout is not one the
    engine can cut safely."""
    starts = [0]
    header = False
    body_indent = 0
    in_long = False
    for i, line in enumerate(lines):
        if in_long:
            if line.count('"""') % 2:
                in_long = False
            continue
        stripped = line.lstrip(" ").rstrip("\r")  # a CRLF line break leaves its \r
        if not stripped or stripped[0] == "#":
            continue
        indent = len(line) - len(line.lstrip(" "))
        if line.count('"""') % 2:
            in_long = True  # the lines up to the closing quotes never start a chunk
        if not header:
            if indent or not (stripped.startswith("protocol ") or stripped == "protocol"):
                return None
            header = True
            continue
        if not body_indent:
            if not indent:
                return None
            body_indent = indent
        if indent < body_indent:
            return None
        if indent == body_indent and (stripped.startswith("exercise ")
                                      or stripped == "exercise"):
            starts.append(i)
    return starts if header else None


def parse_chunk(lines: list[str], first: int, last: int) -> Chunk | None:
    """Parse lines ``first`` to ``last`` (0-based, exclusive) where they stand; None when the
    chunk cannot stand for those lines of the whole file."""
    from protodsl.parser import parse
    from protodsl.transformer import Builder

    body = "\n".join(lines[first:last]) + "\n"
    text = body if first == 0 else "\n" * (first - 1) + _HEADER + body
    result = parse(text)
    if result.tree is None:
        return None
    low, high = first + 1, last
    long_strings = '"""' in body
    for d in result.diagnostics:
        # An unterminated long string runs to the end of the file, past the chunk.
        if (d.code == "P102" and long_strings) or not (low <= d.span.line
                                                       and d.span.end_line <= high):
            return None
    builder = Builder(text)
    module = builder.module(result.tree)
    if len(module.body) != 1 or not isinstance(module.body[0], n.Protocol):
        return None
    protocol = module.body[0]
    statements = (protocol,) if first == 0 else protocol.body
    if first and protocol.span.line != first:
        return None
    return Chunk(statements, tuple(result.diagnostics) + tuple(builder.diags),
                 tuple(result.comments), result.orphan_lines)


class _Structure(_Structurer):
    """The structure pass, keeping each exercise's result (with what it hoisted and reported)
    by the identity of the parsed exercise, so an unchanged exercise is the same object."""

    def __init__(self, kept: dict[int, tuple[Any, ...]], used: dict[int, tuple[Any, ...]]
                 ) -> None:
        super().__init__()
        self.kept = kept
        self.used = used

    def exercise(self, ex: n.Exercise) -> n.Exercise:
        hit = self.kept.get(id(ex))
        if hit is None or hit[0] is not ex:
            marks = (len(self.diags), len(self.hoisted_protocol), len(self.hoisted_exercises))
            done = super().exercise(ex)
            hit = (ex, done, self.diags[marks[0]:], self.hoisted_protocol[marks[1]:],
                   self.hoisted_exercises[marks[2]:])
        else:
            self.diags.extend(hit[2])
            self.hoisted_protocol.extend(hit[3])
            self.hoisted_exercises.extend(hit[4])
        self.used[id(ex)] = hit
        return hit[1]


class Engine:
    """The incremental analysis of one document: ``analyze`` its successive texts."""

    def __init__(self) -> None:
        self.chunks: dict[tuple[int, str], Chunk | None] = {}
        self.structured: dict[int, tuple[Any, ...]] = {}
        self.rules: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.exercise_store: dict[tuple[object, int], tuple[n.Exercise, Any]] = {}
        self.fallbacks = 0  # how many analyses were full ones (for the benchmark)

    def analyze(self, text: str, path: str | None = None) -> Analysis:
        """The analysis of ``text``, equal to ``analyze_text(text, path)``."""
        from protodsl.gcpause import paused

        try:
            with paused():
                found = self._analyze(text, path)
        except Exception:  # noqa: BLE001 - the full analysis reports any failure itself
            log.warning("incremental analysis failed; analysing the whole text", exc_info=True)
            found = None
        if found is None:
            self.fallbacks += 1
            return analyze_text(text, path)
        return found

    def _analyze(self, text: str, path: str | None) -> Analysis | None:
        from protodsl.source import MAX_BYTES

        lone_cr = "\r" in text and "\r" in text.replace("\r\n", "")
        if not text or text[0] == "\ufeff" or "\t" in text or lone_cr or len(text) * 4 > MAX_BYTES:
            return None
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()  # the final line break ends the last line
        starts = split(lines)
        if starts is None:
            return None
        ends = starts[1:] + [len(lines)]
        chunks: dict[tuple[int, str], Chunk | None] = {}
        parsed: list[Chunk] = []
        for first, last in zip(starts, ends):
            key = (first, "\n".join(lines[first:last]))
            chunk = self.chunks[key] if key in self.chunks else parse_chunk(lines, first, last)
            chunks[key] = chunk
            if chunk is None:  # keep what was kept too: the next edit may well repair this
                self.chunks.update(chunks)
                return None
            parsed.append(chunk)
        self.chunks = chunks
        head = parsed[0].statements[0]
        assert isinstance(head, n.Protocol)
        body = head.body + tuple(st for c in parsed[1:] for st in c.statements)
        module = n.Module((record.evolve(head, body=body),))
        used: dict[int, tuple[Any, ...]] = {}
        s = _Structure(self.structured, used)
        protocol = s.module(module)
        self.structured = used
        diags = [d for c in parsed for d in c.diagnostics] + s.diags
        if protocol is not None:
            semantic = self._semantic(protocol, path)
            if semantic is None:
                return None
            diags.extend(semantic)
        orphans = frozenset().union(*(c.orphan_lines for c in parsed))
        comments = tuple(cm for c in parsed for cm in c.comments)
        return finish(text, path, protocol, diags, orphans, comments)

    def _semantic(self, protocol: n.Protocol, path: str | None) -> list[Diagnostic] | None:
        from protodsl.checker import apply_allows, check_allows

        diags = check_allows(protocol)
        diags.extend(_file_name(protocol, path))
        ruled = self._rules(protocol, path)
        if ruled is None:
            return None
        diags.extend(ruled)
        return apply_allows(protocol, diags)

    def _rules(self, protocol: n.Protocol, path: str | None) -> list[Diagnostic] | None:
        """What ``checker.run_rules`` reports, the per-exercise rules' part kept per exercise."""
        from protodsl.dosage import caching

        with caching():  # effective_levels worked out once per exercise in this pass
            return self._rules_cached(protocol, path)

    def _rules_cached(self, protocol: n.Protocol, path: str | None) -> list[Diagnostic] | None:
        from protodsl.context import Context
        from protodsl.rules.registry import all_rules

        rules = all_rules()
        whole = [(code, r) for code, r in rules.items()
                 if r.check is not None and not (r.per_exercise and protocol.exercises)]
        scoped = [(code, r) for code, r in rules.items()
                  if r.check is not None and r.per_exercise and protocol.exercises]
        ctx = Context(protocol, path)
        live = set(map(id, protocol.exercises))
        ctx.exercise_store = self.exercise_store = {
            k: v for k, v in self.exercise_store.items() if id(v[0]) in live}
        out, _ = _run(ctx, whole)
        spent = _spent(ctx)
        counts: dict[str, int] = {}
        head = (path, protocol.span, protocol.name, protocol.name_span, protocol.title,
                tuple(map(id, protocol.body)))
        kept: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        for ex in protocol.exercises:
            key = head + (id(ex),)
            hit = self.rules.get(key)  # its objects alive, so the ids name these very objects
            if hit is None:
                one = Context(record.evolve(protocol, exercises=(ex,)), path)
                hit = (ex, protocol.body, *_run(one, scoped), _spent(one))
            kept[key] = hit
            out.extend(hit[2])
            for code, count in hit[3].items():
                counts[code] = counts.get(code, 0) + count
            spent += hit[4]
        self.rules = kept
        # A rule's output on the whole file is cut after KEPT_PER_RULE diagnostics: equal only
        # while the exercises' runs together stay below it (which is never fewer).
        if (spent >= logic.MAX_FILE_STEPS or any(d.code == "P900" for d in out)
                or any(count >= KEPT_PER_RULE for count in counts.values())):
            return None
        return out


def _run(ctx: Any, rules: list[tuple[str, Any]]) -> tuple[list[Diagnostic], dict[str, int]]:
    """``checker.run_rules`` for some of the rules, and how many diagnostics each kept."""
    out: list[Diagnostic] = []
    counts: dict[str, int] = {}
    for code, rule in rules:
        try:
            found = _bounded(rule.check(ctx), code)
        except Exception as exc:  # noqa: BLE001 - one broken rule must not stop the others
            found = [diagnostic(
                "P900", f"internal error in rule {code}: {type(exc).__name__}: {exc}",
                ctx.protocol.span,
                "please report this, with the file, at the protodsl issue tracker")]
        counts[code] = len(found)
        out.extend(found)
    return out, counts


def _spent(ctx: Any) -> int:
    """The logic steps the rules spent on ``ctx``'s file budgets."""
    return sum(logic.MAX_FILE_STEPS - b.left for b in ctx.budgets)
