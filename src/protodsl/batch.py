"""Checking or compiling many files: a process pool for a large batch, in the order of the
serial run.

A batch of at least ``MIN_PARALLEL`` files, on a machine where this process may run on more
than one core, is analysed (or compiled) by a pool of processes (one per usable core, at most
``PROTODSL_JOBS`` when that variable is set; ``PROTODSL_JOBS=1`` keeps every run serial). The
results come back in the order of the files, so the report is byte-identical to the serial
run's. A smaller batch is checked in this process: starting a pool costs more than it saves.
On a terminal, a large batch shows its progress on stderr (erased when done).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

from protodsl import record
from protodsl.diagnostics import Diagnostic

MIN_PARALLEL = 16  # files: below this, the batch is checked in this process
MIN_PROGRESS = 200  # files: from this many, a terminal shows the progress
T = TypeVar("T")


@record.frozen
class Checked:
    """What the report needs of one analysed file (the analysis without its AST)."""

    text: str
    diagnostics: tuple[Diagnostic, ...]


@record.frozen
class Job:
    """One file of a batch, analysed: its bytes (None when they stayed in a worker process),
    its analysis (an ``Analysis``, or ``Checked`` from a worker), or why it could not be read."""

    path: str
    piped: bool
    data: bytes | None
    analysis: object | None
    failure: str | None = None


def workers(count: int) -> int:
    """How many processes to check ``count`` files with (1: in this process)."""
    if count < MIN_PARALLEL:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    wanted = os.environ.get("PROTODSL_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        cores = min(cores, int(wanted))
    return max(1, min(cores, count // 4))


def analyze_jobs(jobs: list[tuple[str, bytes | None]], whole: bool = False) -> Iterator[Job]:
    """Analyse each (path, bytes or None to read the file) in order.

    With ``whole``, every analysis is a full ``Analysis`` (with its AST) made in this process;
    otherwise a large batch of files is analysed by a pool of processes.
    """
    files = [path for path, data in jobs if data is None]
    n = 1 if whole else workers(len(files))
    progress = _Progress(len(jobs)) if len(jobs) >= MIN_PROGRESS and _is_tty() else None
    results = _pooled(files, n) if n > 1 else None
    try:
        for path, data in jobs:
            if data is not None or results is None:
                job = _analyze_here(path, data)
            else:
                text, diagnostics, failure = next(results)
                job = Job(path, False, None,
                          None if failure is not None else Checked(text, diagnostics), failure)
            if progress is not None and (whole or job.failure is not None):
                progress.clear()  # the caller may write to stderr
            yield job
            if progress is not None:
                progress.step()
    finally:
        if progress is not None:
            progress.clear()
        if results is not None:
            results.close()


def _analyze_here(path: str, data: bytes | None) -> Job:
    from protodsl.analysis import analyze_bytes
    from protodsl.files import ReadError, read_bytes

    piped = data is not None  # stdin: never written back
    if data is None:
        try:
            data = read_bytes(path)
        except ReadError as exc:
            return Job(path, piped, None, None, str(exc))
    return Job(path, piped, data, analyze_bytes(data, path))


def check_file(path: str) -> tuple[str, tuple[Diagnostic, ...], str | None]:
    """In a worker: read and analyse one file; its text, diagnostics, or why it was not read."""
    job = _analyze_here(path, None)
    if job.failure is not None:
        return "", (), job.failure
    analysis = job.analysis
    return analysis.text, analysis.diagnostics, None  # type: ignore[attr-defined]


def in_order(files: list[str], work: Callable[[str], T]) -> Iterator[T]:
    """``work`` (a picklable function) of each file, in the order of ``files``: by a pool of
    processes for a large batch (see ``workers``), else in this process."""
    n = workers(len(files))
    return map(work, files) if n == 1 else _pooled(files, n, work)


def _pooled(files: list[str], n: int, work: Callable[[str], T] = check_file  # type: ignore[assignment]
            ) -> Iterator[T]:
    import multiprocessing

    chunk = max(1, min(32, len(files) // (n * 8)))
    with multiprocessing.get_context(_start_method()).Pool(n, _worker_signals) as pool:
        yield from pool.imap(work, files, chunk)


def _worker_signals() -> None:
    """In a worker: the default SIGTERM (the pool ends its workers with it, and a fork would
    inherit the command line's handler) and no Ctrl-C (the parent handles it and ends the pool)."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_method() -> str:
    import multiprocessing

    # fork: the workers start with protodsl already imported (where the platform has it).
    return "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != (
        "darwin") else "spawn"


def _is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Progress:
    """``checked K/N files`` on one line of stderr, redrawn in place."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.shown = False
        self.every = max(1, total // 100)

    def step(self) -> None:
        """One more file done: redraw now and then."""
        self.done += 1
        if self.done % self.every == 0 and self.done < self.total:
            sys.stderr.write(f"\rchecked {self.done}/{self.total} files")
            sys.stderr.flush()
            self.shown = True

    def clear(self) -> None:
        """Erase the line (before anything else is written to stderr)."""
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False
