"""The documentation stands alone: links resolve inside the repository, and the reference, the
command-line page and the configuration page cover what the program has."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from protodsl import config, vocabulary
from protodsl.commands import check, explain, fmt

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
LINK = re.compile(r"\]\(([^)\s]+)\)|^\[[^\]]+\]:\s*(\S+)", re.M)


def links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text("utf-8"), flags=re.S)
    return [a or b for a, b in LINK.findall(text)]


def anchors(path: Path) -> set[str]:
    out = set()
    for heading in re.findall(r"^#+ (.*)$", path.read_text("utf-8"), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        out.add(slug)
    return out


@pytest.mark.parametrize("page", [ROOT / "README.md", *DOCS], ids=lambda p: p.name)
def test_links_point_at_files_of_the_repository(page: Path) -> None:
    found = links(page)
    assert found or page.name not in ("README.md", "reference.md")
    for target in found:
        assert not re.match(r"[a-z]+:", target), f"{page.name} links outside: {target}"
        file, _, anchor = target.partition("#")
        where = (page.parent / file).resolve() if file else page
        assert where.is_file() and where.is_relative_to(ROOT), f"{page.name}: {target}"
        if anchor and where.suffix == ".md":
            assert anchor in anchors(where), f"{page.name}: {target}"


def test_reference_covers_every_statement_kind_and_unit() -> None:
    text = (ROOT / "docs" / "reference.md").read_text("utf-8")
    headings = " ".join(re.findall(r"^#+ (.*)$", text, re.M))
    for keyword in vocabulary.STATEMENT_KEYWORDS:
        if keyword in ("protocol", "optional"):  # the header line and a load's modifier
            assert f"`{keyword}" in text
        else:
            assert f"`{keyword}" in headings, keyword
    words = [*vocabulary.CONDITION_KINDS, *vocabulary.EXERCISE_KINDS, *vocabulary.SIDES,
             *vocabulary.CONTRACTIONS, *vocabulary.SUPPORTS, *vocabulary.EYES,
             *vocabulary.INTENSITIES, *vocabulary.RELATIVE_LOAD_UNITS]
    for word in words:
        assert f"`{word}`" in text, word
    units = [*vocabulary.DURATION_UNITS, *vocabulary.LOAD_UNITS, *vocabulary.ANGLE_UNITS,
             *vocabulary.DISTANCE_UNITS, *vocabulary.MEASURE_UNITS]
    for unit in units:
        assert re.search(rf"(?<![\w%]){re.escape(unit)}(?!\w)", text), unit
    assert "## The command line" in text and "(configuration.md)" in text


def options(module: object) -> set[str]:
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)  # type: ignore[attr-defined]
    return {o for action in parser._actions for o in action.option_strings
            if o.startswith("--") and o != "--help"}


def test_cli_page_names_every_option() -> None:
    text = (ROOT / "docs" / "cli.md").read_text("utf-8")
    for module in (check, fmt, explain):
        for option in options(module):
            assert f"`{option}" in text, option


def test_configuration_page_names_every_key() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text("utf-8")
    for key in config.KEYS:
        assert f"| `{key}` |" in text, key
