"""End-to-end tests of `protodsl lsp`: the real server over stdio, driven by pytest-lsp."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types as t  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONFORMANCE = ROOT / "tests" / "conformance"
PROTOCOLS = ROOT / "protocols"


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, "-m", "protodsl", "lsp", "--stdio"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(t.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=ROOT.as_uri()))
    yield
    await lsp_client.shutdown_session()


def utf16(line: str, column: int) -> int:
    return column + sum(1 for ch in line[:column] if ord(ch) > 0xFFFF)


def expected_from_cli(path: Path, text: str) -> list[tuple]:
    """The diagnostics of `protodsl check --output-format json`, as LSP ranges."""
    out = subprocess.run([sys.executable, "-m", "protodsl", "check", "--output-format", "json",
                          str(path)], capture_output=True, text=True, check=False).stdout
    lines = text.split("\n")
    items = []
    for d in json.loads(out):
        start = (d["line"] - 1, utf16(lines[d["line"] - 1], d["column"] - 1))
        end = (d["end_line"] - 1, utf16(lines[d["end_line"] - 1], d["end_column"] - 1))
        items.append((d["code"], d["message"], d["severity"], start, end))
    return sorted(items)


def received(client: LanguageClient, uri: str) -> list[tuple]:
    items = []
    for d in client.diagnostics[uri]:
        sev = "error" if d.severity == t.DiagnosticSeverity.Error else "warning"
        items.append((d.code, d.message.split("\nhelp: ")[0], sev,
                      (d.range.start.line, d.range.start.character),
                      (d.range.end.line, d.range.end.character)))
    return sorted(items)


async def open_file(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8") if text is None else text
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        t.TextDocumentItem(uri=uri, language_id="protodsl", version=1, text=text)))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


def position_of(text: str, needle: str, offset: int = 0) -> t.Position:
    """The LSP position of ``needle``'s first occurrence (plus ``offset`` characters)."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    col = index - (text.rfind("\n", 0, index) + 1)
    return t.Position(line, utf16(text.split("\n")[line], col))


FAULTY = sorted(p for p in (CONFORMANCE / "invalid").glob("*.protocol")
                if p.name.startswith(("p201_undefined_in_advance", "p208_name_differs",
                                      "p404_load_without_stop", "p104_misspelt_statement",
                                      "p200_duplicate_condition", "p100_unclosed")))


@pytest.mark.asyncio
@pytest.mark.parametrize("path", FAULTY, ids=lambda p: p.stem)
async def test_diagnostics_match_check(client: LanguageClient, path: Path):
    text = path.read_text(encoding="utf-8")
    uri = await open_file(client, path)
    assert received(client, uri) == expected_from_cli(path, text)
    assert received(client, uri), "the file has known faults"
    for d in client.diagnostics[uri]:
        assert d.source == "protodsl"
        assert d.code_description is not None and d.code.lower() in d.code_description.href


@pytest.mark.asyncio
async def test_valid_library_file_has_no_diagnostics(client: LanguageClient):
    path = sorted(PROTOCOLS.glob("*.protocol"))[0]
    uri = await open_file(client, path)
    assert received(client, uri) == expected_from_cli(path, path.read_text(encoding="utf-8"))


@pytest.mark.asyncio
async def test_non_bmp_characters_use_utf16_columns(client: LanguageClient, tmp_path: Path):
    src = (CONFORMANCE / "invalid" / "p201_undefined_in_advance_when.protocol").read_text()
    text = src.replace('"Sharp pain"', '"Sharp 😖 pain 😖"').replace(
        "advance to level 2 when", 'note "🦵🦵"\n      advance to level 2 when')
    text = text.replace("      note", "      cue \"🦵\"\n      note", 1)
    path = tmp_path / "p201_undefined_in_advance_when.protocol"
    path.write_text(text, encoding="utf-8")
    uri = await open_file(client, path, text)
    assert received(client, uri) == expected_from_cli(path, text)


@pytest.mark.asyncio
async def test_diagnostics_follow_edits(client: LanguageClient):
    path = CONFORMANCE / "valid" / "heel_raises.protocol"
    text = path.read_text(encoding="utf-8")
    uri = await open_file(client, path)
    assert not client.diagnostics[uri]
    # An incremental edit that breaks a reference, then a full replacement that fixes it.
    index = text.index("stop if ") + len("stop if ")
    name_end = index + len(text[index:].split()[0])
    start = position_of(text, text[index:name_end], 0)
    end = t.Position(start.line, start.character + (name_end - index))
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        t.VersionedTextDocumentIdentifier(uri=uri, version=2),
        [t.TextDocumentContentChangePartial(range=t.Range(start, end), text="no_such_thing")]))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.code for d in client.diagnostics[uri]] == ["P201"]
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        t.VersionedTextDocumentIdentifier(uri=uri, version=3),
        [t.TextDocumentContentChangeWholeDocument(text=text)]))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not client.diagnostics[uri]


@pytest.mark.asyncio
async def test_diagnostics_after_incremental_edits_match_check(client: LanguageClient,
                                                                tmp_path: Path):
    """Edits in different exercises one after the other (the server re-checks only what each
    one touched): after each, the diagnostics `protodsl check` gives for the same text."""
    source = max(PROTOCOLS.glob("*.protocol"), key=lambda p: p.stat().st_size)
    original = text = source.read_text(encoding="utf-8")
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    uri = await open_file(client, path, text)
    lines = text.split("\n")
    headers = [i for i, line in enumerate(lines) if line.startswith("  exercise ")]
    first, last = headers[0], headers[-1]
    kind = next(i for i in range(last, len(lines)) if lines[i].strip().startswith("kind "))
    typo = lines[kind].replace("kind", "kindd", 1)
    edits = [  # (start line, end line, whole lines replaced by): insertion, typo, fix, deletion
        (first + 1, first + 1, "    reps 0\n"),
        (kind + 1, kind + 2, typo + "\n"),
        (kind + 1, kind + 2, lines[kind] + "\n"),
        (first + 1, first + 2, ""),
    ]
    for version, (start, end, new) in enumerate(edits, 2):
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            t.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [t.TextDocumentContentChangePartial(
                range=t.Range(t.Position(start, 0), t.Position(end, 0)), text=new)]))
        current = text.split("\n")
        text = "\n".join(current[:start] + new.split("\n")[:-1] + current[end:])
        path.write_text(text, encoding="utf-8")
        await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        assert received(client, uri) == expected_from_cli(path, text)
        if version < 5:
            assert received(client, uri), "each edit but the last leaves a fault"
    assert text == original


@pytest.mark.asyncio
async def test_hover(client: LanguageClient):
    path = CONFORMANCE / "valid" / "heel_raises.protocol"
    text = path.read_text(encoding="utf-8")
    uri = await open_file(client, path)
    # A keyword's meaning.
    h = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(uri), position_of(text, "schedule", 1)))
    assert h is not None and "schedule RATE" in h.contents.value
    # A condition's definition, from a use.
    line = next(l for l in text.split("\n") if l.strip().startswith("stop if"))
    name = line.split()[2]
    h = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(uri), position_of(text, line, line.index(name) + 1)))
    assert h is not None and f"`{name}`" in h.contents.value
    # A level's effective dosage and its estimated time.
    h = await client.text_document_hover_async(t.HoverParams(
        t.TextDocumentIdentifier(uri), position_of(text, "    level 2", 5)))
    assert h is not None and "Estimated time" in h.contents.value and "reps" in h.contents.value


@pytest.mark.asyncio
async def test_completion_in_context(client: LanguageClient, tmp_path: Path):
    path = CONFORMANCE / "valid" / "heel_raises.protocol"
    text = path.read_text(encoding="utf-8")
    uri = await open_file(client, path)
    lines = text.split("\n")

    async def labels(line: int, character: int) -> set[str]:
        result = await client.text_document_completion_async(t.CompletionParams(
            t.TextDocumentIdentifier(uri), t.Position(line, character)))
        items = result.items if isinstance(result, t.CompletionList) else result
        return {i.label for i in items}

    # After `stop if `: the defined conditions.
    i = next(i for i, l in enumerate(lines) if l.strip().startswith("stop if"))
    got = await labels(i, lines[i].index("stop if") + len("stop if "))
    assert lines[i].split()[2] in got
    # After `to level `: level numbers.
    i = next(i for i, l in enumerate(lines) if "to level" in l)
    got = await labels(i, lines[i].index("to level") + len("to level "))
    assert "1" in got and "2" in got
    # After `hold 10 `: units.
    i = next(i for i, l in enumerate(lines) if l.strip().startswith(("hold", "rest")))
    parts = lines[i].split()
    col = lines[i].index(parts[1]) + len(parts[1]) + 1
    assert "s" in await labels(i, col)


@pytest.mark.asyncio
async def test_keyword_completion_by_block(client: LanguageClient, tmp_path: Path):
    text = ("protocol demo\n  schedule 3 times weekly for 4 weeks\n  \n"
            "  exercise bridge\n    kind strength\n    \n    level 1\n      reps 8\n      \n")
    path = tmp_path / "demo.protocol"
    path.write_text(text)
    uri = await open_file(client, path, text)

    async def labels(line: int, character: int) -> set[str]:
        result = await client.text_document_completion_async(t.CompletionParams(
            t.TextDocumentIdentifier(uri), t.Position(line, character)))
        return {i.label for i in result.items}

    protocol_words = await labels(2, 2)
    assert "condition" in protocol_words and "advance to level" not in protocol_words
    assert "kind" in await labels(5, 4)
    level_words = await labels(8, 6)
    assert "advance to level" in level_words and "condition" not in level_words
    kinds = await labels(4, len("    kind "))
    assert "strength" in kinds and "warmup" in kinds


@pytest.mark.asyncio
async def test_definition_references_rename(client: LanguageClient):
    path = CONFORMANCE / "valid" / "heel_raises.protocol"
    text = path.read_text(encoding="utf-8")
    uri = await open_file(client, path)
    line = next(l for l in text.split("\n") if l.strip().startswith("stop if"))
    name = line.split()[2]
    use = position_of(text, line, line.index(name) + 1)
    defs = await client.text_document_definition_async(t.DefinitionParams(
        t.TextDocumentIdentifier(uri), use))
    decl = position_of(text, f"condition {name}", len("condition "))
    assert defs[0].range.start == decl
    refs = await client.text_document_references_async(t.ReferenceParams(
        context=t.ReferenceContext(include_declaration=True),
        text_document=t.TextDocumentIdentifier(uri), position=use))
    count = sum(1 for w in text.replace("(", " ").replace(")", " ").split() if w == name)
    assert len(refs) == count >= 2
    edit = await client.text_document_rename_async(t.RenameParams(
        t.TextDocumentIdentifier(uri), use, "renamed_condition"))
    edits = edit.changes[uri]
    assert len(edits) == count and all(e.new_text == "renamed_condition" for e in edits)
    # Levels: `advance to level 2` goes to the level 2 header.
    adv = next(l for l in text.split("\n") if "to level 2" in l)
    defs = await client.text_document_definition_async(t.DefinitionParams(
        t.TextDocumentIdentifier(uri), position_of(text, adv, adv.index("to level 2") + 9)))
    assert defs[0].range.start == position_of(text, "    level 2", len("    level "))
    # Renumbering a level edits its header and every reference to it in its exercise.
    at = position_of(text, adv, adv.index("to level 2") + 9)
    prepared = await client.text_document_prepare_rename_async(t.PrepareRenameParams(
        t.TextDocumentIdentifier(uri), at))
    assert prepared is not None and prepared.start == at
    edit = await client.text_document_rename_async(t.RenameParams(
        t.TextDocumentIdentifier(uri), at, "7"))
    spans = sorted((e.range.start.line, e.range.start.character) for e in edit.changes[uri])
    lines = text.split("\n")
    assert all(e.new_text == "7" for e in edit.changes[uri])
    assert [lines[line][col:col + 1] for line, col in spans] == ["2"] * len(spans)
    assert len(spans) == sum(1 for l in lines if l.strip() in ("level 2", "advance to level 2")
                             or "to level 2 " in l or "extends level 2" in l) >= 2
    for taken in ("1", "0", "two", "02"):  # a level the exercise has, or not a level number
        assert await client.text_document_rename_async(t.RenameParams(
            t.TextDocumentIdentifier(uri), at, taken)) is None


@pytest.mark.asyncio
async def test_symbols_and_folding(client: LanguageClient):
    path = CONFORMANCE / "valid" / "heel_raises.protocol"
    text = path.read_text(encoding="utf-8")
    uri = await open_file(client, path)
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(
        t.TextDocumentIdentifier(uri)))
    assert len(symbols) == 1 and symbols[0].name == "heel_raises"
    exercises = [s for s in symbols[0].children if s.kind == t.SymbolKind.Function]
    assert exercises and any(s.children for s in exercises)
    assert any(c.name == "level 2" for s in exercises for c in s.children)
    folds = await client.text_document_folding_range_async(t.FoldingRangeParams(
        t.TextDocumentIdentifier(uri)))
    assert folds and folds[0].start_line == 1  # the protocol header (after a comment)


@pytest.mark.asyncio
async def test_formatting_uses_fmt(client: LanguageClient, tmp_path: Path):
    src = CONFORMANCE / "format" / "layout.input.protocol"
    text = src.read_text(encoding="utf-8")
    want = (CONFORMANCE / "format" / "layout.output.protocol").read_text(encoding="utf-8")
    uri = await open_file(client, tmp_path / "layout.protocol", text)
    edits = await client.text_document_formatting_async(t.DocumentFormattingParams(
        t.TextDocumentIdentifier(uri), t.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert len(edits) == 1 and edits[0].new_text == want


@pytest.mark.asyncio
async def test_quick_fixes(client: LanguageClient):
    for name, code, replacement in [
        ("p201_undefined_in_exercise_stop_if", "P201", "sharp_pain"),
        ("p208_name_differs", "P208", "p208_name_differs"),
        ("p104_misspelt_statement", "P104", "hold"),
        ("p404_load_without_stop", "P404", "  stop if back_pain\n"),
        ("p201_undefined_in_exercise_requires", "P201",
         '  condition hip_stable stability "TODO: describe hip_stable"\n'),
    ]:
        path = CONFORMANCE / "invalid" / f"{name}.protocol"
        uri = await open_file(client, path)
        diag = next(d for d in client.diagnostics[uri] if d.code == code)
        actions = await client.text_document_code_action_async(t.CodeActionParams(
            t.TextDocumentIdentifier(uri), diag.range,
            t.CodeActionContext(diagnostics=[diag])))
        assert actions, name
        texts = [e.new_text for a in actions for e in a.edit.changes[uri]]
        assert replacement in texts, (name, texts)


@pytest.mark.asyncio
async def test_semantic_tokens_and_garbage_never_crash(client: LanguageClient, tmp_path: Path):
    path = CONFORMANCE / "valid" / "heel_raises.protocol"
    uri = await open_file(client, path)
    tokens = await client.text_document_semantic_tokens_full_async(t.SemanticTokensParams(
        t.TextDocumentIdentifier(uri)))
    assert tokens.data and len(tokens.data) % 5 == 0
    garbage = 'protocol\n  exercise (((\n\t level "unterminated\n 😖 to level when \x00\n'
    uri = await open_file(client, tmp_path / "garbage.protocol", garbage)
    assert client.diagnostics[uri]
    for line in range(5):
        for ch in (0, 3, 40):
            pos = t.Position(line, ch)
            doc = t.TextDocumentIdentifier(uri)
            await client.text_document_hover_async(t.HoverParams(doc, pos))
            await client.text_document_completion_async(t.CompletionParams(doc, pos))
            await client.text_document_definition_async(t.DefinitionParams(doc, pos))
    await client.text_document_formatting_async(t.DocumentFormattingParams(
        t.TextDocumentIdentifier(uri), t.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(t.TextDocumentIdentifier(uri))) is not None


def test_lsp_without_the_extra_says_what_to_install():
    code = ("import sys, builtins\n"
            "real = builtins.__import__\n"
            "def fake(name, *a, **k):\n"
            "    if name.split('.')[0] in ('pygls', 'lsprotocol'):\n"
            "        raise ImportError(name)\n"
            "    return real(name, *a, **k)\n"
            "builtins.__import__ = fake\n"
            "from protodsl.cli import main\n"
            "sys.exit(main(['lsp']))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 2
    assert 'pip install "protodsl[lsp]"' in result.stderr


def test_check_does_not_import_the_language_server():
    path = CONFORMANCE / "valid" / "heel_raises.protocol"
    code = ("import sys\nfrom protodsl.cli import main\n"
            f"status = main(['check', {str(path)!r}])\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')"
            " or m.startswith('protodsl.lsp')]\n"
            "assert not bad, bad\nsys.exit(status)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, "-m", "protodsl", "lsp"]))
async def utf8_client(lsp_client: LanguageClient):
    capabilities = client_capabilities("visual-studio-code")
    capabilities.general = t.GeneralClientCapabilities(
        position_encodings=[t.PositionEncodingKind.Utf8, t.PositionEncodingKind.Utf16])
    result = await lsp_client.initialize_session(t.InitializeParams(capabilities=capabilities))
    assert result.capabilities.position_encoding == t.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_utf8_position_encoding(utf8_client: LanguageClient, tmp_path: Path):
    text = ('protocol p201_x\n  schedule 3 times weekly for 6 weeks\n'
            '  condition sharp_pain symptom "Sharp pain"\n'
            '  stop if sharp_pain\n  exercise squat\n'
            '    note "😖é"  # 😖\n    requires "é😖" and hip_stable\n    reps 10\n')
    path = tmp_path / "p201_x.protocol"
    path.write_text(text, encoding="utf-8")
    uri = await open_file(utf8_client, path, text)
    (diag,) = utf8_client.diagnostics[uri]
    line = text.split("\n")[6]
    start = len(line[: line.index("hip_stable")].encode("utf-8"))
    assert (diag.code, diag.range.start.line, diag.range.start.character) == ("P201", 6, start)
    assert diag.range.end.character == start + len("hip_stable")
    defs = await utf8_client.text_document_definition_async(t.DefinitionParams(
        t.TextDocumentIdentifier(uri), t.Position(3, len("  stop if sh"))))
    assert defs[0].range.start == t.Position(2, len("  condition "))


@pytest.mark.asyncio
async def test_related_information_points_at_the_other_statement(client: LanguageClient):
    path = CONFORMANCE / "invalid" / "p200_duplicate_condition.protocol"
    uri = await open_file(client, path)
    (diag,) = [d for d in client.diagnostics[uri] if d.code == "P200"]
    assert "line 5" in diag.message
    (related,) = diag.related_information
    assert related.location.uri == uri and related.location.range.start.line == 4
    assert path.read_text().split("\n")[4].strip().startswith("condition")


def test_semantic_tokens_of_a_megabyte_string_need_no_memory_per_character() -> None:
    # The editor colours a line holding a 6 MB string under a 300 MB address-space limit (a
    # backtracking string pattern once needed about 160 bytes per character there).
    script = """
import resource
resource.setrlimit(resource.RLIMIT_AS, (300 * 1024 * 1024,) * 2)
from protodsl.analysis import analyze_text
from protodsl.lsp import index, server
text = 'protocol p\\n  note "' + 'x' * 6_000_000 + '"\\n  exercise e\\n    reps 10\\n'
analysis = analyze_text(text)
data = server.semantic_data(analysis, index.build(analysis.protocol))
print(data[10:15])
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert (proc.returncode, proc.stderr) == (0, b"")
    # after `note`: the string, 5 columns on, 6,000,002 characters, type `string`, no modifier
    assert proc.stdout == b"[0, 5, 6000002, 3, 0]\n"
