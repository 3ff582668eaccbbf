"""The handout as a neutral tree of sections and blocks, rendered to HTML or Markdown.

``protodsl.handout.words`` builds it from the compiled document; ``html`` and ``markdown`` only
lay it out, so both formats always carry the same sections and the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True)
class Para:
    """A paragraph; ``label`` (bold, before the text) may be empty."""
    text: str
    label: str = ""


@dataclass(frozen=True)
class Items:
    """A list of texts; ``ordered`` for steps."""
    items: tuple[str, ...]
    ordered: bool = False
    label: str = ""


@dataclass(frozen=True)
class Callout:
    """A box that must not be missed (stop rules): a title and its items."""
    title: str
    items: tuple[str, ...]
    role: str = "stop"


@dataclass(frozen=True)
class Table:
    """A table with a caption, a header row and body rows of texts."""
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Diagram:
    """The progression picture of one exercise (HTML only: SVG); ``levels`` are the boxes."""
    exercise: str  # the exercise's name (ids)
    title: str
    said: tuple[str, ...]  # the picture in words: one sentence per box and per move
    levels: tuple[dict[str, Any], ...]
    edges: tuple[dict[str, Any], ...]

    @property
    def description(self) -> str:
        """The picture in words, as one text (the SVG's ``desc``)."""
        return " ".join(self.said)


Block = Union[Para, Items, Callout, Table, Diagram]


@dataclass
class Section:
    """A heading (``depth`` 1-4) with its blocks and subsections; ``anchor`` is its id."""
    title: str
    depth: int
    anchor: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def headings(self) -> list[tuple[int, str]]:
        """(depth, title) of this section and every subsection, in document order."""
        out = [(self.depth, self.title)]
        for child in self.children:
            out.extend(child.headings())
        return out
