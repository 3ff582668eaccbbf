"""Safe writing: outputs appear whole or not at all, and a failing write leaves the old file."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from protodsl import writer
from protodsl.cli import main
from protodsl.writer import write_atomic

VALID = Path(__file__).parent / "conformance" / "valid"
HEEL_RAISES = VALID / "heel_raises.protocol"
BROKEN = "protocol broken\n  exercise a\n    hold 3 kg\n"


def test_writes_new_file_without_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_atomic(target, b'{"a": 1}\n')
    assert target.read_bytes() == b'{"a": 1}\n'
    assert os.listdir(tmp_path) == ["out.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_replaces_existing_file_keeping_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old contents that are longer than the new ones\n")
    target.chmod(0o640)
    write_atomic(str(target), b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["out.json"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failing_write_leaves_the_old_file_and_no_temporary(
        failing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old\n")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, failing, fail)
    with pytest.raises(OSError):
        write_atomic(target, b"new contents\n")
    monkeypatch.undo()
    assert target.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["out.json"]


def test_an_interrupted_write_leaves_nothing_partial(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "new.json"

    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(writer.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"x" * 1_000_000)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


# --- through the command line -------------------------------------------------------------


def test_cli_write_failure_keeps_previous_output(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "build"
    out.mkdir()
    previous = out / "heel_raises.json"
    previous.write_bytes(b'{"previous": true}\n')

    def fail(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "fsync", fail)
    assert main(["compile", str(HEEL_RAISES), "-o", str(out)]) == 1
    monkeypatch.undo()
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (f"protodsl compile: error: cannot write `{out}/heel_raises.json`: "
                            "no space left on device\n")
    assert previous.read_bytes() == b'{"previous": true}\n'
    assert os.listdir(out) == ["heel_raises.json"]


def test_cli_interrupted_run_leaves_complete_files_only(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("heel_raises", "p203_levels_in_any_order"):
        shutil.copy(VALID / f"{name}.protocol", src)
    out = tmp_path / "build"
    calls = []
    real_fsync = os.fsync

    def second_interrupts(fd: int) -> None:
        if stat.S_ISREG(os.fstat(fd).st_mode):  # the folder is synced too: not counted
            calls.append(fd)
            if len(calls) == 2:
                raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(writer.os, "fsync", second_interrupts)
    assert main(["compile", str(src), "-o", str(out)]) == 130
    monkeypatch.undo()
    capsys.readouterr()
    # the first file (in sorted order) is whole; the second was never created
    assert len(calls) == 2
    assert sorted(os.listdir(out)) == ["heel_raises.json"]
    assert (out / "heel_raises.json").read_bytes() == (VALID / "heel_raises.json").read_bytes()


def test_cli_file_with_errors_writes_nothing(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "broken.protocol").write_text(BROKEN, encoding="utf-8")
    shutil.copy(HEEL_RAISES, src)
    out = tmp_path / "build"
    out.mkdir()
    (out / "broken.json").write_bytes(b"from an earlier run\n")
    assert main(["compile", str(src), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"heel_raises: 3 exercises, 5 levels, session 5-6.5 min -> " \
                           f"{out}/heel_raises.json\n"
    # concise diagnostics on stderr (messages are the rules' business; positions are exact)
    assert [line.split(" ")[:2] for line in captured.err.splitlines()] == [
        [f"{src}/broken.protocol:1:1:", "warning[P500]"],
        [f"{src}/broken.protocol:3:12:", "error[P301]"]]
    assert sorted(os.listdir(out)) == ["broken.json", "heel_raises.json"]
    assert (out / "broken.json").read_bytes() == b"from an earlier run\n"
