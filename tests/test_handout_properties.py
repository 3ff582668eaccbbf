"""Every generated valid protocol (tests/strategies.py `protocols()`) gives a handout: strict
HTML5 with one diagram per exercise and one box per level, Markdown with the same headings, and
every step and stop condition shown."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import protocols
from test_handout import SVG, XHTML, html_headings, markdown_headings, parse_strict

import protodsl
from protodsl.handout import render

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(protocols(), st.sampled_from([None, "left", "right"]))
def test_generated_protocols_give_valid_handouts(text: str, side: str | None) -> None:
    document = protodsl.compile_text(text)
    page = render(document, "html", side)
    tree = parse_strict(page)
    svgs = list(tree.iter(f"{SVG}svg"))
    assert len(svgs) == len(document["exercises"])
    for svg, ex in zip(svgs, document["exercises"]):
        boxes = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "level-box"]
        assert len(boxes) == len(ex["levels"])
    assert markdown_headings(render(document, "md", side)) == html_headings(tree)
    body = " ".join("".join(tree.find(f"{XHTML}body").itertext()).split())
    conditions = {c["name"]: c["text"] for c in document["conditions"]}
    for rule in document["stop_if"]:
        for part in rule.get("any", [rule]):
            if "condition" in part:
                assert " ".join(conditions[part["condition"]].split()) in body
    for ex in document["exercises"]:
        for lv in ex["levels"]:
            if side is None:
                for step in lv["sequence"][0]["texts"]["steps"]:
                    assert " ".join(step.split()) in body
    assert render(document, "html", side) == page
