"""Parts of a compiled document held at several places of it.

A level's `dosage` is the same object as its ramp's first week, and a ramp week's is the same as
the week table's row for that week of the level: the compiler makes each once. ``Shared`` marks
such a part so that ``protodsl.output`` writes its JSON once and copies the text wherever the
part appears again (re-indented), instead of encoding it again.
"""

from __future__ import annotations

from typing import Any


class Shared(dict):  # type: ignore[type-arg]
    """A dict that a document may hold at several places: equal to (and used like) a plain
    dict with the same items. Treat the document as read-only: a change to a shared part
    shows everywhere it is held (copy the document first, e.g. with ``copy.deepcopy``)."""

    __slots__ = ()


def unshared(value: Any) -> Any:
    """``value`` with every dict and list copied into a plain one: nothing is held twice, so a
    caller may change any part (what the Python API returns)."""
    kind = type(value)
    if kind is dict or kind is Shared:
        return {key: unshared(item) for key, item in value.items()}
    if kind is list:
        return [unshared(item) for item in value]
    return value
