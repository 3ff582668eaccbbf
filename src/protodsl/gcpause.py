"""The cyclic garbage collector paused around one pass of the pipeline.

A parse builds hundreds of thousands of small objects that all stay alive until the pass ends
(tokens, trees, AST records). CPython's collector is triggered by allocations, and each of its
generation-2 collections walks every tracked object alive, so over a large file the passes
walked an ever larger graph again and again: about half of the time went to collections that
found nothing to free. The pipeline creates no reference cycles that must be freed while it
runs, so it runs with the collector off; the previous state is restored afterwards, so a
long-lived process (the language server) collects as usual between passes.
"""

from __future__ import annotations

import gc
from typing import Any


class paused:  # noqa: N801 - used like a function: ``with paused():``
    """Disable the cyclic collector for a ``with`` block; restore its state after (nests)."""

    __slots__ = ("_was_enabled",)

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: Any) -> None:
        if self._was_enabled:
            if not gc.get_freeze_count():
                # Everything the pass made is still in the youngest generation: the first
                # collection after it would walk all of it (about 7 % of a large check). Moved
                # to the oldest generation as it is, it waits for the next full collection.
                gc.freeze()
                gc.unfreeze()
            gc.enable()
