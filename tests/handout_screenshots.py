"""Make the handout screenshots of the README with headless Chromium.

    .venv/bin/python tests/handout_screenshots.py [OUT_DIR]   (default: docs/images)

Writes handout-page.png (the first A4 page of a protocol's handout, print media) and
handout-diagram.png (the progression diagram of its first exercise).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import protodsl
from protodsl.handout import render

from handout_cdp import Chromium, find_chromium

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = ROOT / "protocols" / "hip_flexor_stretch_back_sciatic_pain.protocol"
MM = 96 / 25.4


def main(out: Path) -> int:
    """Write the two screenshots to ``out``; 2 when no Chromium is found."""
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found: apt-get install chromium", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "handout.html"
        page_file.write_bytes(render(protodsl.load(PROTOCOL), "html"))
        browser = Chromium(chromium)
        try:
            page = browser.page()
            page.load(page_file.as_uri())
            page.call("Emulation.setEmulatedMedia", {"media": "print"})
            width, height = int((210 - 28) * MM), int((297 - 30) * MM)
            page.call("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
            (out / "handout-page.png").write_bytes(page.screenshot())
            box = page.evaluate("(() => { const r = document.querySelector('figure')"
                                ".getBoundingClientRect(); return [r.x, r.y + window.scrollY,"
                                " r.width, r.height]; })()")
            x, y, w, h = box
            (out / "handout-diagram.png").write_bytes(page.screenshot(
                {"x": x, "y": y, "width": w, "height": h}))
        finally:
            browser.close()
    print(f"wrote {out / 'handout-page.png'} and {out / 'handout-diagram.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images"))
