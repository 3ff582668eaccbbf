"""The patient handout of a compiled protocol: `protodsl handout`.

Reads the compiled document (schema version 2), never the AST. ``render(document, "html")``
is a self-contained printable page with an SVG progression diagram per exercise;
``render(document, "md")`` the same sections as Markdown. Output is deterministic.
"""

from __future__ import annotations

from typing import Any

FORMATS = {"html": "html", "md": "md"}  # format -> file extension


def render(document: dict[str, Any], fmt: str = "html", side: str | None = None) -> bytes:
    """The handout of ``document`` in ``fmt`` ("html" or "md"); ``side`` ("left"/"right")
    names the patient's affected side."""
    from protodsl.handout.build import build

    root = build(document, side)
    if fmt == "html":
        from protodsl.handout.html import render as page
    elif fmt == "md":
        from protodsl.handout.markdown import render as page
    else:
        raise ValueError(f"unknown handout format `{fmt}`")
    return page(root)
