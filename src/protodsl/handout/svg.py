"""The progression diagram of one exercise as inline SVG.

Levels are boxes stacked top to bottom (title, dose, and marked lines for loads, increases,
support changes and level gates); between two boxes, a solid arrow down on the right is an
advance and a dashed arrow up on the left a regress, with the criterion in words in the gap.
A move that skips a level runs along an outer lane. Text is wrapped here from estimated glyph
widths (no measuring is possible without a browser), with a margin the browser tests check.
The output has no random ids and no dates: the same diagram always gives the same bytes.
"""

from __future__ import annotations

from html import escape
from typing import Any

from protodsl.handout.model import Diagram

WIDTH = 680
BOX_LEFT, BOX_RIGHT = 64, 616
PAD = 10
LABEL_LEFT, LABEL_RIGHT = BOX_LEFT + 46, BOX_RIGHT - 46
HEAD_SIZE, TEXT_SIZE, LABEL_SIZE = 14, 13, 12.5
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"

# Colours (text on its background is at least 4.5:1, WCAG AA): see PALETTE.
BOX_FILL, BOX_STROKE, BOX_TEXT = "#eef4fb", "#1f4e79", "#102a43"
MARK_TEXT = "#5b2a86"
ADVANCE, REGRESS = "#1d5e2c", "#8a4500"
PALETTE = [(BOX_TEXT, BOX_FILL), (MARK_TEXT, BOX_FILL), (ADVANCE, "#ffffff"),
           (REGRESS, "#ffffff"), (BOX_STROKE, BOX_FILL)]

# Approximate advance widths in em of DejaVu Sans (the widest of the fonts asked for).
_NARROW = set("ijl.,:;'!|")
_SMALL = set("frt()[]{}/\\\"- ")
_WIDE = set("mwMW@%")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The estimated width of ``text`` in px at font size ``size``."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.32
        elif ch in _SMALL:
            em += 0.42
        elif ch in _WIDE:
            em += 0.98
        elif ch.isupper():
            em += 0.76
        elif ch.isdigit():
            em += 0.64
        else:
            em += 0.62
    return em * size * (1.1 if bold else 1.0)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (a longer word is cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while text_width(word, size, bold) > width:
            cut = len(word)
            while cut > 1 and text_width(word[:cut], size, bold) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def _lh(size: float) -> float:
    return round(size * 1.4, 1)


def _f(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(x: float, y: float, text: str, size: float, fill: str, bold: bool = False,
          cls: str = "") -> str:
    weight = ' font-weight="bold"' if bold else ""
    klass = f' class="{cls}"' if cls else ""
    return (f'<text x="{_f(x)}" y="{_f(y)}" font-size="{_f(size)}" fill="{fill}"{weight}'
            f"{klass}>{escape(text)}</text>")


def render(diagram: Diagram, anchor: str) -> str:
    """The ``<svg>`` element of ``diagram``; its ids start with ``anchor``."""
    boxes: list[dict[str, Any]] = list(diagram.levels)
    index = {b["level"]: i for i, b in enumerate(boxes)}
    inner = BOX_RIGHT - BOX_LEFT - 2 * PAD
    laid: list[list[tuple[str, float, str, bool, float]]] = []
    heights: list[float] = []
    for b in boxes:
        lines = [(t, HEAD_SIZE, BOX_TEXT, True, 0.0) for t in wrap(b["head"], inner, HEAD_SIZE,
                                                                    True)]
        lines += [(t, TEXT_SIZE, BOX_TEXT, False, 0.0) for t in wrap(b["dose"], inner,
                                                                     TEXT_SIZE)]
        for mark in b["marks"]:
            for j, t in enumerate(wrap(mark, inner - 16, TEXT_SIZE)):
                lines.append((t, TEXT_SIZE, MARK_TEXT, False, 16.0 if j else -16.0))
        laid.append(lines)
        heights.append(2 * PAD + sum(_lh(s) for _, s, _, _, _ in lines))

    gaps: list[list[tuple[dict[str, Any], list[str]]]] = [[] for _ in boxes[1:]]
    for e in diagram.edges:
        s, t = index[e["from"]], index[e["to"]]
        if s == t:
            continue
        gap = s if t > s else s - 1
        verb = "Move up" if e["kind"] == "advance" else "Go back"
        where = "" if abs(t - s) == 1 else f" to level {e['to']}"
        label = f"{verb}{where} when: {e['text']}"
        gaps[gap].append((e, wrap(label, LABEL_RIGHT - LABEL_LEFT, LABEL_SIZE)))
    gap_h = [max(40.0, 16 + sum(len(ls) * _lh(LABEL_SIZE) + 6 for _, ls in g)) for g in gaps]

    tops: list[float] = []
    y = 8.0
    for i, h in enumerate(heights):
        tops.append(y)
        y += h + (gap_h[i] if i < len(gap_h) else 0)
    height = y + 8

    title_id, desc_id = f"{anchor}-diagram-title", f"{anchor}-diagram-desc"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" '
           f'viewBox="0 0 {WIDTH} {_f(height)}" width="{WIDTH}" height="{_f(height)}" '
           f'role="img" aria-labelledby="{title_id} {desc_id}" font-family="{FONT}">',
           f'<title id="{title_id}">{escape(diagram.title)}</title>',
           f'<desc id="{desc_id}">{escape(diagram.description)}</desc>']
    for i, b in enumerate(boxes):
        top = tops[i]
        out.append(f'<g class="level" data-level="{b["level"]}">')
        out.append(f'<rect class="level-box" x="{BOX_LEFT}" y="{_f(top)}" '
                   f'width="{BOX_RIGHT - BOX_LEFT}" height="{_f(heights[i])}" rx="8" '
                   f'fill="{BOX_FILL}" stroke="{BOX_STROKE}" stroke-width="2"/>')
        y = top + PAD
        for text, size, fill, bold, indent in laid[i]:
            y += _lh(size)
            x = BOX_LEFT + PAD + abs(indent)
            if indent < 0:  # the first line of a marked entry: a square marker before it
                out.append(f'<rect x="{BOX_LEFT + PAD + 2}" y="{_f(y - size * 0.72)}" '
                           f'width="8" height="8" fill="{MARK_TEXT}"/>')
            out.append(_text(x, y - size * 0.3, text, size, fill, bold))
        out.append("</g>")

    lanes = {"right": 0, "left": 0}
    for g, entries in enumerate(gaps):
        y0, y1 = tops[g] + heights[g], tops[g + 1]
        y = y0 + 8
        drawn: set[str] = set()
        for e, lines in entries:
            s, t = index[e["from"]], index[e["to"]]
            colour = ADVANCE if e["kind"] == "advance" else REGRESS
            dash = ' stroke-dasharray="7 4"' if e["kind"] == "regress" else ""
            out.append(f'<g class="edge {e["kind"]}" data-from="{e["from"]}" '
                       f'data-to="{e["to"]}">')
            down = t > s
            if abs(t - s) == 1:
                key = "down" if down else "up"
                if key not in drawn:
                    drawn.add(key)
                    x = BOX_RIGHT - 24 if down else BOX_LEFT + 24
                    a, b_ = (y0 + 2, y1 - 2) if down else (y1 - 2, y0 + 2)
                    tip = b_
                    back = tip - 9 if down else tip + 9
                    out.append(f'<path d="M{_f(x)} {_f(a)} L{_f(x)} {_f(back)}" '
                               f'stroke="{colour}" stroke-width="2.5" fill="none"{dash}/>')
                    out.append(f'<polygon points="{_f(x - 6)},{_f(back)} {_f(x + 6)},'
                               f'{_f(back)} {_f(x)},{_f(tip)}" fill="{colour}"/>')
            else:
                side = "right" if down else "left"
                lane = lanes[side]
                lanes[side] += 1
                ys = tops[s] + heights[s] / 2
                yt = tops[t] + heights[t] / 2 + (6 if down else -6)
                edge_x = BOX_RIGHT if down else BOX_LEFT
                lx = edge_x + (14 + 10 * lane) * (1 if down else -1)
                tip_x = edge_x + (2 if down else -2)
                back_x = tip_x + (9 if down else -9)
                out.append(f'<path d="M{_f(edge_x)} {_f(ys)} L{_f(lx)} {_f(ys)} '
                           f'L{_f(lx)} {_f(yt)} L{_f(back_x)} {_f(yt)}" stroke="{colour}" '
                           f'stroke-width="2.5" fill="none"{dash}/>')
                out.append(f'<polygon points="{_f(back_x)},{_f(yt - 6)} {_f(back_x)},'
                           f'{_f(yt + 6)} {_f(tip_x)},{_f(yt)}" fill="{colour}"/>')
            for line in lines:
                y += _lh(LABEL_SIZE)
                out.append(_text(LABEL_LEFT, y - LABEL_SIZE * 0.3, line, LABEL_SIZE, colour))
            y += 6
            out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
