"""Deterministic JSON text: the same document always gives the same bytes.

UTF-8 with non-ASCII characters unescaped, keys sorted, 2-space indent, a final newline, and
no NaN or Infinity (they are not JSON).
"""

from __future__ import annotations

import json
from typing import Any


def dumps(document: Any) -> str:
    """The canonical JSON text of ``document``, ending with a newline."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2,
                      allow_nan=False) + "\n"


def dump_bytes(document: Any) -> bytes:
    """The canonical JSON of ``document`` as UTF-8 bytes."""
    from protodsl.gcpause import paused

    with paused():
        return dumps(document).encode("utf-8")


def schema_text() -> str:
    """The JSON Schema shipped in the package (``protodsl/schema.json``), as text."""
    from importlib.resources import files

    return files("protodsl").joinpath("schema.json").read_text(encoding="utf-8")
