"""The handout in a real headless Chromium (Debian's `chromium`, driven over the DevTools pipe).

For every protocol in protocols/ (and a few richer ones): the page loads from a file without
console errors and without any other request, and for A4 and Letter paper, under print media at
the printable width, no element or line of text reaches past the page width or overflows its
box, every diagram fits on one page with its texts inside their boxes, and the page prints to a
PDF of that paper size holding every heading. Skipped, with the reason, only when no Chromium
can be found (.ci/run installs it).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import protodsl
from protodsl.handout import render

from handout_cdp import Chromium, Page, find_chromium
from test_handout import PROTOCOLS, ROOT, html_headings, parse_strict, skip_levels_file

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium found (install Debian's `chromium`: apt-get install "
                             "chromium); the browser tests of the handout cannot run")

MM = 96 / 25.4  # CSS px per millimetre
# Paper (mm) and the page margins of the handout's @page rule: 14 mm left and right, 14 top, 16
# bottom.
PAPERS = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
MARGIN_X, MARGIN_Y = 28.0, 30.0
RICH = [ROOT / "tests" / "conformance" / "valid" / f"{name}.protocol"
        for name in ("achilles_eccentric", "movement_support_and_eyes", "movement_reps_lists",
                     "movement_relative_loads")]
FILES = PROTOCOLS + RICH + ["skip_levels"]
IDS = [p if isinstance(p, str) else f"{p.parent.name}/{p.stem}" for p in FILES]

LAYOUT = """
(() => {
  const W = document.documentElement.clientWidth, H = %(height)f, bad = [];
  const where = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' +
    (el.textContent || '').trim().slice(0, 40) + '"';
  if (document.documentElement.scrollWidth > W)
    bad.push('page is ' + document.documentElement.scrollWidth + ' px wide, not ' + W);
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < -0.5 || r.right > W + 0.5) bad.push(where(el) + ' spans ' + r.left + '-' + r.right);
    if (getComputedStyle(el).display !== 'inline' && el.clientWidth > 0 &&
        el.scrollWidth > el.clientWidth + 1)
      bad.push(where(el) + ' overflows: ' + el.scrollWidth + ' > ' + el.clientWidth);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim() || node.parentElement.closest('svg')) continue;
    range.selectNodeContents(node);
    for (const r of range.getClientRects())
      if (r.left < -0.5 || r.right > W + 0.5)
        bad.push('text "' + node.textContent.trim().slice(0, 40) + '" spans ' + r.left + '-' + r.right);
  }
  const boxes = [];
  for (const svg of document.querySelectorAll('svg.diagram')) {
    const s = svg.getBoundingClientRect();
    if (s.height > H) bad.push('diagram ' + svg.getAttribute('aria-labelledby') + ' is ' + s.height + ' px high, the page ' + H);
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.left < s.left - 0.5 || r.right > s.right + 0.5) bad.push('diagram text "' + t.textContent + '" leaves its diagram');
    }
    const levelBoxes = [...svg.querySelectorAll('g.level')].map(g => {
      const b = g.querySelector('rect.level-box').getBoundingClientRect();
      for (const t of g.querySelectorAll('text')) {
        const r = t.getBoundingClientRect();
        if (r.left < b.left || r.right > b.right || r.top < b.top || r.bottom > b.bottom)
          bad.push('box text "' + t.textContent + '" leaves its box');
      }
      return b;
    });
    for (const t of svg.querySelectorAll('g.edge text')) {
      const r = t.getBoundingClientRect();
      for (const b of levelBoxes)
        if (r.bottom > b.top && r.top < b.bottom) bad.push('arrow label "' + t.textContent + '" overlaps a box');
    }
    boxes.push(levelBoxes.length);
  }
  return {bad, boxes};
})()
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    assert CHROMIUM is not None
    chromium = Chromium(CHROMIUM)
    try:
        yield chromium
    finally:
        chromium.close()


def _document(item: Path | str, folder: Path) -> dict[str, Any]:
    return protodsl.load(skip_levels_file(folder) if item == "skip_levels" else item)


def _load(browser: Chromium, data: bytes, folder: Path) -> tuple[Page, str]:
    path = folder / "handout.html"
    path.write_bytes(data)
    page = browser.page()
    url = path.as_uri()
    page.load(url)
    return page, url


def _pdf_texts(pdf: bytes) -> tuple[PdfReader, str, list[tuple[float, float, float, float]]]:
    """The reader, the whole text, and each text run's (x, y, page width, page height)."""
    reader = PdfReader(io.BytesIO(pdf))
    spots: list[tuple[float, float, float, float]] = []
    texts = []
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)

        def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                spots.append((x, y, width, height))  # noqa: B023 - used at once

        texts.append(page.extract_text(visitor_text=visit))
    return reader, "\n".join(texts), spots


@pytest.mark.parametrize("item", FILES, ids=IDS)
def test_handout_loads_prints_and_fits_a4_and_letter(browser: Chromium, item: Path | str,
                                                     tmp_path: Path) -> None:
    document = _document(item, tmp_path)
    data = render(document, "html")
    page, url = _load(browser, data, tmp_path)
    try:
        errors = [e["params"] for e in page.events("Runtime.exceptionThrown")]
        errors += [e["params"] for e in page.events("Runtime.consoleAPICalled")
                   if e["params"]["type"] in ("error", "assert", "warning")]
        errors += [e["params"] for e in page.events("Log.entryAdded")
                   if e["params"]["entry"]["level"] in ("error", "warning")]
        assert errors == []
        requests = [e["params"]["request"]["url"]
                    for e in page.events("Network.requestWillBeSent")]
        assert set(requests) <= {url}, "the page loads nothing but itself"
        assert page.evaluate("document.title") == (document["protocol"]["title"]
                                                   or document["protocol"]["name"])

        headings = [text for _, text in html_headings(parse_strict(data))]
        levels = [len(ex["levels"]) for ex in document["exercises"]]
        page.call("Emulation.setEmulatedMedia", {"media": "print"})
        for paper, (width_mm, height_mm) in PAPERS.items():
            width = int((width_mm - MARGIN_X) * MM)
            height = (height_mm - MARGIN_Y) * MM
            page.call("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": int(height), "deviceScaleFactor": 1, "mobile": False})
            assert page.evaluate("document.documentElement.clientWidth") == width
            layout = page.evaluate(LAYOUT % {"height": height})
            assert layout["bad"] == [], paper
            assert layout["boxes"] == levels, "one box per level in each exercise's diagram"

            pdf = page.pdf(width_mm / 25.4, height_mm / 25.4)
            reader, text, spots = _pdf_texts(pdf)
            for pdf_page in reader.pages:
                assert abs(float(pdf_page.mediabox.width) - width_mm / 25.4 * 72) < 1
                assert abs(float(pdf_page.mediabox.height) - height_mm / 25.4 * 72) < 1
            flat = "".join(unicodedata.normalize("NFKC", text).split())  # ligatures as letters
            for heading in headings:
                assert "".join(heading.split()) in flat, (paper, heading)
            assert spots, "the PDF has text"
            pt = 72 / 25.4  # PDF points per millimetre
            for x, y, w, h in spots:  # each run starts inside the page's margins (baselines)
                assert 14 * pt - 0.5 <= x < w - 14 * pt, (paper, x, y)
                assert 16 * pt - 0.5 <= y <= h - 14 * pt, (paper, x, y)
    finally:
        page.close()


def test_the_layout_check_finds_an_overflow(browser: Chromium, tmp_path: Path) -> None:
    """The check above is not vacuous: a line too wide for the page is reported."""
    html = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
            '</head><body><p style="white-space: nowrap">' + "wide " * 200 + "</p>"
            '<svg class="diagram" viewBox="0 0 100 50" width="100" height="50">'
            '<g class="level"><rect class="level-box" x="0" y="0" width="40" height="20"/>'
            '<text x="2" y="15">a text much longer than its box</text></g></svg></body></html>')
    page, _ = _load(browser, html.encode(), tmp_path)
    page.call("Emulation.setDeviceMetricsOverride", {"width": 600, "height": 900,
                                                     "deviceScaleFactor": 1, "mobile": False})
    layout = page.evaluate(LAYOUT % {"height": 900.0})
    page.close()
    assert any(b.startswith("page is ") for b in layout["bad"])
    assert 'p "wide wide wide wide wide wide wide wide " overflows: ' in "\n".join(layout["bad"])
    assert any(b.startswith('text "wide wide') and " spans 8-" in b for b in layout["bad"])
    assert any(b.startswith('box text "a text much longer') for b in layout["bad"])
    assert layout["boxes"] == [1]
