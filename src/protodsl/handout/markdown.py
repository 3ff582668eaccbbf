"""The handout as Markdown (CommonMark with pipe tables): the same sections and words as the
HTML page; each diagram is said in words (its boxes and moves), as its SVG's description."""

from __future__ import annotations

import re

from protodsl.handout.model import Block, Callout, Diagram, Items, Para, Section, Table

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!])")
_LEADING = re.compile(r"^(\d+)([.)])")


def escape(text: str) -> str:
    """``text`` as literal Markdown on one line: punctuation that could format is escaped."""
    text = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    text = _LEADING.sub(r"\1\\\2", text)
    if text[:1] in ("-", "+", "="):
        text = "\\" + text
    return text


def render(root: Section) -> bytes:
    """The Markdown of the section tree ``root`` as UTF-8 bytes."""
    out: list[str] = []
    _section(root, out)
    return ("\n\n".join(out) + "\n").encode("utf-8")


def _section(sec: Section, out: list[str]) -> None:
    out.append("#" * sec.depth + " " + escape(sec.title))
    for block in sec.blocks:
        out.append(_block(block))
    for child in sec.children:
        _section(child, out)


def _block(block: Block) -> str:
    if isinstance(block, Para):
        return (f"**{escape(block.label)}:** " if block.label else "") + escape(block.text)
    if isinstance(block, Items):
        lines = [f"{i}. {escape(t)}" if block.ordered else f"- {escape(t)}"
                 for i, t in enumerate(block.items, 1)]
        return (f"**{escape(block.label)}**\n\n" if block.label else "") + "\n".join(lines)
    if isinstance(block, Callout):
        items = "\n".join(f"> - {escape(t)}" for t in block.items)
        return f"> **{escape(block.title)}:**\n>\n{items}"
    if isinstance(block, Table):
        head = "| " + " | ".join(escape(h) for h in block.head) + " |"
        rule = "|" + "|".join("---" for _ in block.head) + "|"
        rows = ["| " + " | ".join(escape(c) for c in row) + " |" for row in block.rows]
        return f"**{escape(block.caption)}**\n\n" + "\n".join([head, rule, *rows])
    if isinstance(block, Diagram):
        return f"**{escape(block.title)}**\n\n" + "\n".join(
            f"- {escape(line)}" for line in block.said)
    raise TypeError(f"unknown block {block!r}")  # pragma: no cover
