"""What the rules of the checker see: the protocol, its path and tables derived from it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from protodsl import logic
from protodsl import nodes as n

T = TypeVar("T")


class Context:
    """The protocol under check and lookups shared by the rules (computed once, lazily)."""

    def __init__(self, protocol: n.Protocol, path: str | None = None) -> None:
        self.protocol = protocol
        self.path = path
        self.budgets: list[logic.Budget] = []
        # Results of ``exercise_cache``; the language server passes one store from edit to edit.
        self.exercise_store: dict[tuple[object, int], tuple[n.Exercise, Any]] = {}

    def file_budget(self) -> logic.Budget:
        """A budget of ``logic.MAX_FILE_STEPS`` for one rule's questions about the whole file,
        kept in ``budgets`` so that what the rules spent can be read back."""
        budget = logic.Budget(logic.MAX_FILE_STEPS)
        self.budgets.append(budget)
        return budget

    def exercise_cache(self, key: object, exercise: n.Exercise,
                       compute: Callable[[n.Exercise], T]) -> T:
        """``compute(exercise)``, worked out once per ``key`` and exercise. ``compute`` must
        depend on nothing but the exercise and what ``key`` holds: the language server keeps
        the results from edit to edit for the exercises an edit left alone (the same objects),
        so a rule that looks across exercises can still re-do only the edited one's part."""
        hit = self.exercise_store.get((key, id(exercise)))
        if hit is None or hit[0] is not exercise:  # the store keeps the exercise's id alive
            hit = self.exercise_store[(key, id(exercise))] = (exercise, compute(exercise))
        return hit[1]  # type: ignore[no-any-return]

    @cached_property
    def conditions(self) -> dict[str, n.Condition]:
        """Defined conditions by name (the first definition of each)."""
        out: dict[str, n.Condition] = {}
        for st in n.every(self.protocol.body, n.Condition):
            out.setdefault(st.name, st)
        return out

    @cached_property
    def measures(self) -> dict[str, n.Measure]:
        """Defined measures by name (the first definition of each)."""
        out: dict[str, n.Measure] = {}
        for st in n.every(self.protocol.body, n.Measure):
            out.setdefault(st.name, st)
        return out

    @cached_property
    def domains(self) -> dict[str, logic.Domain]:
        """The domains of the soundly defined measures, by name (LANGUAGE.md 8.2)."""
        return logic.domains_of(self.measures.values())

    @cached_property
    def memo(self) -> dict[str, object]:
        """Results that several rules share (such as the expressions that P410 reports)."""
        return {}

    def shared(self, key: str, make: Callable[[], T]) -> T:
        """``make()``, made once per check under ``key`` in ``memo`` and shared by the rules."""
        memo = self.memo
        if key not in memo:
            memo[key] = make()
        return memo[key]  # type: ignore[return-value]

    @cached_property
    def equipment(self) -> dict[str, n.Equipment]:
        """Defined equipment by name (the first definition of each)."""
        out: dict[str, n.Equipment] = {}
        for st in n.every(self.protocol.body, n.Equipment):
            out.setdefault(st.name, st)
        return out
