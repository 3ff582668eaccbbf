"""A large batch is checked by a pool of processes with the serial run's output, byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from protodsl import batch

CONFORMANCE = Path(__file__).parent / "conformance"


def _folder(tmp_path: Path) -> Path:
    """A folder of clean files, files with warnings and errors, and bytes that are not UTF-8."""
    folder = tmp_path / "batch"
    folder.mkdir()
    sources = sorted((CONFORMANCE / "valid").glob("*.protocol"))[:20]
    sources += sorted((CONFORMANCE / "invalid").glob("*.protocol"))[:40]
    for i, src in enumerate(sources):
        (folder / f"f{i:03d}_{src.name}").write_bytes(src.read_bytes())
    (folder / "latin1.protocol").write_bytes("protocol caf\xe9\n".encode("latin-1"))
    (folder / "empty.protocol").write_bytes(b"")
    return folder


def _run(folder: Path, jobs: str, *extra: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PROTODSL_JOBS=jobs)
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "protodsl", "check", *extra, str(folder)],
                          env=env, capture_output=True, check=False)


@pytest.mark.parametrize("extra", [(), ("--output-format", "json")])
def test_pool_output_is_the_serial_output(tmp_path: Path, extra: tuple[str, ...]) -> None:
    folder = _folder(tmp_path)
    serial = _run(folder, "1", *extra)
    pooled = _run(folder, "2", *extra)
    assert serial.returncode == pooled.returncode == 1
    assert serial.stdout == pooled.stdout
    assert serial.stderr == pooled.stderr
    assert b"latin1.protocol" in serial.stdout


def test_pooled_results_are_in_order(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    files = sorted(str(p) for p in folder.iterdir()) + [str(folder / "missing.protocol")]
    here = [batch.check_file(f) for f in files]
    assert list(batch._pooled(files, 2)) == here
    assert here[-1][2] is not None and "missing.protocol" in here[-1][2]


def test_small_batches_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROTODSL_JOBS", raising=False)
    assert batch.workers(batch.MIN_PARALLEL - 1) == 1
    monkeypatch.setenv("PROTODSL_JOBS", "1")
    assert batch.workers(10_000) == 1


def _compile(folder: Path, out: Path, jobs: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PROTODSL_JOBS=jobs)
    return subprocess.run([sys.executable, "-m", "protodsl", "compile", str(folder), "-o",
                           str(out)], env=env, capture_output=True, check=False)


def test_pooled_compile_writes_what_the_serial_compile_writes(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    for i, src in enumerate(sorted((CONFORMANCE / "valid").glob("*.protocol"))[:3]):
        (folder / f"g{i:03d}_{src.name}").write_bytes(src.read_bytes())  # names clash
    serial = _compile(folder, tmp_path / "serial", "1")
    pooled = _compile(folder, tmp_path / "pooled", "2")
    assert serial.returncode == pooled.returncode == 1
    assert serial.stdout.replace(b"/serial/", b"/pooled/") == pooled.stdout
    assert serial.stderr == pooled.stderr
    assert b"all define protocol" in serial.stderr
    written = sorted(p.name for p in (tmp_path / "serial").iterdir())
    assert len(written) > 10 and written == sorted(p.name for p in (tmp_path / "pooled").iterdir())
    for name in written:
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "pooled" / name).read_bytes()


def test_pooled_compile_results_are_in_order(tmp_path: Path) -> None:
    from functools import partial

    from protodsl.commands.compile import as_json, compile_file

    folder = _folder(tmp_path)
    files = sorted(str(p) for p in folder.iterdir()) + [str(folder / "missing.protocol")]
    work = partial(compile_file, keep=as_json)
    here = [work(f) for f in files]
    assert list(batch._pooled(files, 2, work)) == here
    assert sum(1 for r in here if r[2] is not None) >= 15  # compiled: name, line, JSON
    assert here[-1][4] is not None and "missing.protocol" in here[-1][4]
