"""What the rules of the checker see: the protocol, its path and tables derived from it."""

from __future__ import annotations

from functools import cached_property

from protodsl import nodes as n


class Context:
    """The protocol under check and lookups shared by the rules (computed once, lazily)."""

    def __init__(self, protocol: n.Protocol, path: str | None = None) -> None:
        self.protocol = protocol
        self.path = path

    @cached_property
    def conditions(self) -> dict[str, n.Condition]:
        """Defined conditions by name (the first definition of each)."""
        out: dict[str, n.Condition] = {}
        for st in n.every(self.protocol.body, n.Condition):
            out.setdefault(st.name, st)
        return out

    @cached_property
    def equipment(self) -> dict[str, n.Equipment]:
        """Defined equipment by name (the first definition of each)."""
        out: dict[str, n.Equipment] = {}
        for st in n.every(self.protocol.body, n.Equipment):
            out.setdefault(st.name, st)
        return out
