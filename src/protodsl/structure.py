"""Block structure: which statement may stand in which block, and how often.

Turns the parsed ``Module`` into one ``Protocol`` whose exercises hold their levels, reporting
P105 (a statement in a block where it is not allowed), P206 (a once-only statement repeated)
and P207 (no protocol header first, or a second one). A misplaced definition is still used where
it belongs (a `condition` written inside an exercise still defines the condition), so one
mistake gives one diagnostic; other misplaced statements are left out.
"""

from __future__ import annotations


from protodsl import nodes as n
from protodsl import record
from protodsl.diagnostics import Diagnostic, diagnostic

PROTOCOL_ONLY = (n.Source, n.Purpose, n.Author, n.Version, n.Schedule, n.SessionLimit,
                 n.Condition, n.Measure, n.Equipment)
PROTOCOL_ALLOWED = PROTOCOL_ONLY + (n.StopIf, n.Note, n.Allow)
EXERCISE_ALLOWED = (n.Kind, n.Requires, n.Uses, n.StopIf, n.Note, n.Cue, n.Frequency, n.Window,
                    n.RangeUntil, n.Allow, n.Step, n.ErrorFix, n.Modification)
LEVEL_ALLOWED = (n.Step, n.Cue, n.Note, n.Hold, n.Duration, n.Reps, n.Sets, n.Breaths, n.Rest,
                 n.Sides, n.Total, n.Intensity, n.Uses, n.Requires, n.Load, n.StopIf, n.Advance,
                 n.Regress, n.Increase, n.ErrorFix, n.Modification, n.Frequency, n.Window,
                 n.RepsList, n.RepsMax, n.Rpe, n.Distance, n.Tempo, n.Contraction, n.Support,
                 n.Eyes, n.RangeUntil, n.Allow)
LEVEL_ONLY = tuple(c for c in LEVEL_ALLOWED if c not in EXERCISE_ALLOWED)

ONCE_PROTOCOL = (n.Source, n.Purpose, n.Author, n.Version, n.Schedule, n.SessionLimit)
ONCE_EXERCISE = (n.Kind, n.Requires, n.Frequency, n.Window, n.RangeUntil)
ONCE_LEVEL = (n.Hold, n.Duration, n.Reps, n.Sets, n.Breaths, n.Rest, n.Sides, n.Total,
              n.Intensity, n.Requires, n.Frequency, n.Window, n.RepsList, n.RepsMax, n.Rpe,
              n.Distance, n.Tempo, n.Contraction, n.Support, n.Eyes, n.RangeUntil)
# Statements that are one statement for "at most once" although written in several forms.
_SAME_STATEMENT = {n.RepsList: n.Reps, n.RepsMax: n.Reps}


def _once_key(st: n.Statement) -> object:
    # The two kinds of rest are separate statements.
    if isinstance(st, n.Rest):
        return ("rest", st.between)
    return _SAME_STATEMENT.get(type(st), type(st))


def _describe(st: n.Statement) -> str:
    if isinstance(st, n.Rest):
        return f"rest ... between {st.between}"
    if isinstance(st, n.Window):
        return "during" if st.form == "during" else "from"
    return st.keyword


class _Structurer:
    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []
        self.hoisted_protocol: list[n.Statement] = []
        self.hoisted_exercises: list[n.Exercise] = []

    def misplaced(self, st: n.Statement, where: str, help: str) -> None:
        self.diags.append(diagnostic(
            "P105", f"`{_describe(st)}` is not allowed {where}", st.span, help))

    def once(self, body: list[n.Statement], kinds: tuple[type, ...], where: str
             ) -> list[n.Statement]:
        """Keep the first of each once-only statement; report the others (P206)."""
        seen: dict[object, n.Statement] = {}
        kept = []
        for st in body:
            if isinstance(st, kinds):
                key = _once_key(st)
                if key in seen:
                    line = seen[key].span.line
                    if isinstance(st, n.Window):
                        message = f"a second week window (`during` or `from`) in {where}"
                        help = (f"the first one is on line {line}; a block has one window: "
                                "keep one of them")
                    else:
                        message = f"`{_describe(st)}` appears twice in {where}"
                        help = f"the first one is on line {line}; keep one of them"
                    self.diags.append(diagnostic("P206", message, st.span, help))
                    continue
                seen[key] = st
            kept.append(st)
        return kept

    # -- the file --------------------------------------------------------------------------

    def module(self, module: n.Module) -> n.Protocol | None:
        body = list(module.body)
        if not body:
            self.diags.append(diagnostic(
                "P207", "the file does not start with a `protocol` header", n.NO_SPAN,
                'start the file with `protocol NAME "Title"`'))
            return None
        protocols = [st for st in body if isinstance(st, n.Protocol)]
        if not isinstance(body[0], n.Protocol):
            self.diags.append(diagnostic(
                "P207", "the file does not start with a `protocol` header",
                body[0].span, 'start the file with `protocol NAME "Title"`'))
        if protocols:
            main = protocols[0]
        else:
            main = n.Protocol(body[0].span, "", body[0].span, None, ())
        adopted: list[n.Statement] = list(main.body)
        for st in body:
            if st is main:
                continue
            if isinstance(st, n.Protocol):
                self.diags.append(diagnostic(
                    "P207", "a second `protocol` header", st.span,
                    f"one file holds one protocol; `{main.name}` starts on line "
                    f"{main.span.line}"))
                # Its statements are still checked, as part of the first protocol; its
                # once-only statements only where the first protocol lacks them.
                adopted.extend(self._hoist_once(adopted, list(st.body), ONCE_PROTOCOL))
                continue
            if protocols and st.span.line > main.span.line:
                self.misplaced(st, "at the top level of the file",
                               "indent it under the `protocol` header")
            adopted.append(st)
        return self.protocol(record.evolve(main, body=tuple(adopted)))

    def protocol(self, proto: n.Protocol) -> n.Protocol:
        own: list[n.Statement] = []
        exercises: list[n.Exercise] = []
        for st in proto.body:
            if isinstance(st, n.Exercise):
                exercises.append(st)
            elif isinstance(st, PROTOCOL_ALLOWED):
                own.append(st)
            elif isinstance(st, n.Protocol):
                self._foreign(st, "in the protocol block")
            elif isinstance(st, n.Level):
                self.misplaced(st, "in the protocol block", "put levels inside an `exercise`")
            elif isinstance(st, n.Kind):
                self.misplaced(st, "in the protocol block", "put it inside an `exercise`")
            else:
                self.misplaced(st, "in the protocol block",
                               "put it inside an `exercise` or one of its levels")
        done = [self.exercise(ex) for ex in exercises]
        # Exercises written inside another block are still checked, in file order.
        done.extend(self.exercise(ex) for ex in self.hoisted_exercises)
        done.sort(key=lambda ex: (ex.span.line, ex.span.column))
        own.extend(self._hoist_once(own, self.hoisted_protocol, ONCE_PROTOCOL))
        own.sort(key=lambda st: (st.span.line, st.span.column))
        own = self.once(own, ONCE_PROTOCOL, "the protocol block")
        return record.evolve(proto, body=tuple(own), exercises=tuple(done))

    @staticmethod
    def _hoist_once(own: list[n.Statement], hoisted: list[n.Statement],
                    once: tuple[type, ...]) -> list[n.Statement]:
        # A misplaced once-only statement is used only if its block lacks one.
        present = {_once_key(st) for st in own if isinstance(st, once)}
        out = []
        for st in hoisted:
            if isinstance(st, once):
                if _once_key(st) in present:
                    continue
                present.add(_once_key(st))
            out.append(st)
        return out

    def _foreign(self, st: n.Statement, where: str) -> bool:
        """Handle a statement that belongs to an outer block; True if it was handled."""
        if isinstance(st, PROTOCOL_ONLY):
            self.misplaced(st, where, "move it to the `protocol` block")
            self.hoisted_protocol.append(st)
            return True
        if isinstance(st, n.Exercise):
            self.misplaced(st, where, "an `exercise` goes directly in the `protocol` block")
            self.hoisted_exercises.append(st)
            return True
        if isinstance(st, n.Protocol):
            self.diags.append(diagnostic(
                "P207", "a second `protocol` header", st.span,
                "one file holds one protocol"))
            # Its exercises and definitions are still checked, as part of the protocol.
            for inner in st.body:
                if isinstance(inner, n.Exercise):
                    self.hoisted_exercises.append(inner)
                elif isinstance(inner, PROTOCOL_ALLOWED):
                    self.hoisted_protocol.append(inner)
            return True
        return False

    def exercise(self, ex: n.Exercise) -> n.Exercise:
        own: list[n.Statement] = []
        levels: list[n.Level] = []
        level_stmts: list[n.Statement] = []
        has_levels = any(isinstance(st, n.Level) for st in ex.body)
        where = f"in exercise `{ex.name}`"
        for st in ex.body:
            if isinstance(st, n.Level):
                levels.append(st)
            elif isinstance(st, EXERCISE_ALLOWED):
                own.append(st)
            elif isinstance(st, LEVEL_ONLY):
                if has_levels:
                    self.misplaced(st, "in an exercise that has `level` blocks",
                                   "move it into the level it belongs to")
                else:
                    level_stmts.append(st)
            elif not self._foreign(st, where):  # pragma: no cover - every kind is placed
                self.misplaced(st, where, "remove it")
        own = self.once(own, ONCE_EXERCISE, f"exercise `{ex.name}`")
        self.hoisted_levels: list[n.Level] = []
        self.hoisted_exercise: list[n.Statement] = []
        done = [self.level(lv, ex) for lv in levels]
        done.extend(self.level(lv, ex) for lv in self.hoisted_levels)
        done.sort(key=lambda lv: (lv.span.line, lv.span.column))
        own.extend(self._hoist_once(own, self.hoisted_exercise, ONCE_EXERCISE))
        if not levels:
            body = tuple(self.once(level_stmts, ONCE_LEVEL, f"exercise `{ex.name}`"))
            done = [n.Level(ex.span, 1, ex.name_span, None, None, None, body, implicit=True)]
        return record.evolve(ex, body=tuple(own), levels=tuple(done))

    def level(self, lv: n.Level, ex: n.Exercise) -> n.Level:
        own: list[n.Statement] = []
        where = f"in level {lv.number} of `{ex.name}`"
        for st in lv.body:
            if isinstance(st, LEVEL_ALLOWED):
                own.append(st)
            elif isinstance(st, n.Kind):
                self.misplaced(st, where, "`kind` describes the whole exercise: move it there")
                self.hoisted_exercise.append(st)
            elif isinstance(st, n.Level):
                self.misplaced(st, where, "levels are not nested: dedent it to the exercise")
                self.hoisted_levels.append(self.level(st, ex))
            elif not self._foreign(st, where):  # pragma: no cover - every kind is placed
                self.misplaced(st, where, "remove it")
        own = self.once(own, ONCE_LEVEL, f"level {lv.number}")
        return record.evolve(lv, body=tuple(own))


def structure(module: n.Module) -> tuple[n.Protocol | None, list[Diagnostic]]:
    """Build the protocol of a parsed file and report structural problems."""
    s = _Structurer()
    proto = s.module(module)
    return proto, s.diags
