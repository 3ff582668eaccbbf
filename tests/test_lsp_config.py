"""The language server applies the configuration of the document's folder, as `check` does."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pygls")

from protodsl.analysis import analyze_text  # noqa: E402
from protodsl.lsp import server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol").read_text("utf-8")
BROKEN = EXAMPLE.replace('      step "Stand facing', '      stpe "Stand facing')


def published(path: Path, text: str) -> list[tuple[str, int]]:
    analysis = analyze_text(text, str(path))
    return [(d.code, int(d.severity)) for d in server.to_lsp(analysis, path.as_uri())]


def test_select_and_ignore_apply_to_the_document(tmp_path: Path) -> None:
    doc = tmp_path / "sub" / "misnamed.protocol"
    doc.parent.mkdir()
    error, warning = 1, 2  # DiagnosticSeverity
    assert published(doc, EXAMPLE) == [("P208", warning)]
    (tmp_path / "protodsl.toml").write_text('ignore = ["P208"]\n', encoding="utf-8")
    assert published(doc, EXAMPLE) == []
    assert published(doc, BROKEN) == [("P104", error)]
    (tmp_path / "protodsl.toml").write_text('select = ["P5"]\n', encoding="utf-8")
    assert published(doc, EXAMPLE) == []
    (tmp_path / "protodsl.toml").write_text("strict = true\n", encoding="utf-8")
    assert published(doc, EXAMPLE) == [("P208", warning)]  # strict: exit codes only
    # (the configuration is read again when its file changes; sizes differ here, so the
    # test does not depend on the file system's time resolution)
    # an invalid configuration is logged and the defaults are used
    (tmp_path / "protodsl.toml").write_text("strict = 3\n", encoding="utf-8")
    assert published(doc, EXAMPLE) == [("P208", warning)]
