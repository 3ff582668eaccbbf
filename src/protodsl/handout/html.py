"""The handout as one self-contained HTML5 page: inline CSS with a print stylesheet (A4 and
Letter alike), inline SVG diagrams, no scripts and no external resources."""

from __future__ import annotations

from html import escape

from protodsl.handout import svg
from protodsl.handout.model import Block, Callout, Diagram, Items, Para, Section, Table

# Colours (text on its background, WCAG AA at least 4.5:1): see PALETTE.
TEXT, PAGE, MUTED = "#1a1a1a", "#ffffff", "#4a4a4a"
STOP_TEXT, STOP_FILL, STOP_LINE = "#7a0010", "#fff3f3", "#b00020"
HEAD_FILL = "#e8eef5"
PALETTE = [(TEXT, PAGE), (MUTED, PAGE), (STOP_TEXT, STOP_FILL), (TEXT, STOP_FILL),
           (TEXT, HEAD_FILL)]

CSS = f"""
*, *::before, *::after {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; }}
body {{ margin: 0 auto; max-width: 46rem; padding: 1.25rem;
  font: 11pt/1.45 "DejaVu Sans", Verdana, Arial, sans-serif; color: {TEXT}; background: {PAGE};
  overflow-wrap: anywhere; }}
h1 {{ font-size: 1.6em; line-height: 1.2; margin: 0 0 .5rem; }}
h2 {{ font-size: 1.3em; line-height: 1.25; margin: 1.6rem 0 .5rem;
  border-bottom: 2px solid #1f4e79; padding-bottom: .15rem; }}
h3 {{ font-size: 1.1em; margin: 1.1rem 0 .4rem; }}
p {{ margin: .35rem 0; }}
ul, ol {{ margin: .25rem 0 .5rem; padding-left: 1.5rem; }}
li {{ margin: .1rem 0; }}
.label {{ font-weight: bold; margin-bottom: .1rem; }}
.stop {{ border: 3px solid {STOP_LINE}; background: {STOP_FILL}; border-radius: 6px;
  padding: .4rem .8rem; margin: .6rem 0; }}
.stop p {{ color: {STOP_TEXT}; font-weight: bold; font-size: 1.05em; margin: 0 0 .2rem; }}
.stop ul {{ margin-bottom: .1rem; }}
table {{ width: 100%; border-collapse: collapse; table-layout: fixed; margin: .4rem 0 .8rem; }}
caption {{ text-align: left; font-weight: bold; padding: .2rem 0; }}
th, td {{ border: 1px solid #8a8a8a; padding: .25rem .4rem; text-align: left;
  vertical-align: top; }}
th {{ background: {HEAD_FILL}; }}
figure {{ margin: .6rem 0 1rem; }}
figcaption {{ color: {MUTED}; font-size: .9em; }}
svg.diagram {{ display: block; width: auto; height: auto; max-width: 100%; max-height: 220mm; }}
@page {{ margin: 14mm 14mm 16mm; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 10pt; }}
  h1, h2, h3, .label {{ break-after: avoid; page-break-after: avoid; }}
  .stop, figure, tr, li {{ break-inside: avoid; page-break-inside: avoid; }}
  thead {{ display: table-header-group; }}
}}
""".strip()


def render(root: Section) -> bytes:
    """The page of the section tree ``root`` as UTF-8 bytes."""
    body: list[str] = []
    _section(root, body)
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(root.title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n"
            "<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n")
    return page.encode("utf-8")


def _section(sec: Section, out: list[str]) -> None:
    tag = f"h{sec.depth}"
    if sec.depth > 1:
        out.append(f'<section aria-labelledby="{sec.anchor}">')
    out.append(f'<{tag} id="{sec.anchor}">{escape(sec.title)}</{tag}>')
    for block in sec.blocks:
        out.append(_block(block, sec.anchor))
    for child in sec.children:
        _section(child, out)
    if sec.depth > 1:
        out.append("</section>")


def column_widths(table: Table) -> list[int]:
    """Whole percentages for the columns, by the mean length of their texts (at least their
    longest word): the table's width is fixed, so that nothing can push it past the page."""
    weights = []
    for i, head in enumerate(table.head):
        cells = [head] + [row[i] for row in table.rows]
        mean = sum(len(c) for c in cells) / len(cells)
        longest = max(len(word) for c in cells for word in (c.split() or [""]))
        weights.append(max(mean, min(longest, 16) + 2, 10.0))
    shares = [int(100 * w / sum(weights)) for w in weights]
    shares[shares.index(max(shares))] += 100 - sum(shares)
    return shares


def _label(label: str) -> str:
    return f'<p class="label">{escape(label)}</p>' if label else ""


def _block(block: Block, anchor: str) -> str:
    if isinstance(block, Para):
        if block.label:
            return f"<p><strong>{escape(block.label)}:</strong> {escape(block.text)}</p>"
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Items):
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{escape(t)}</li>" for t in block.items)
        return f"{_label(block.label)}<{tag}>{items}</{tag}>"
    if isinstance(block, Callout):
        items = "".join(f"<li>{escape(t)}</li>" for t in block.items)
        return (f'<div class="{block.role}" role="note"><p>{escape(block.title)}:</p>'
                f"<ul>{items}</ul></div>")
    if isinstance(block, Table):
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.head)
        rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                       for row in block.rows)
        cols = "".join(f'<col style="width: {w}%">' for w in column_widths(block))
        return (f"<table><caption>{escape(block.caption)}</caption><colgroup>{cols}</colgroup>"
                f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    if isinstance(block, Diagram):
        return (f"<figure>{svg.render(block, anchor)}<figcaption>{escape(block.title)}. "
                "Solid arrows down: move up a level; dashed arrows up: go back a level; "
                "a square marks a weight, an increase, a change or a gate."
                "</figcaption></figure>")
    raise TypeError(f"unknown block {block!r}")  # pragma: no cover
