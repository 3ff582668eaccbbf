"""Performance benchmark for protodsl (a script, not a test: it never asserts).

Prints, in one run, every ratio of the performance targets:

- size: CPU time of `protodsl check` on a protocol of ``--large`` exercises over one of
  ``--small`` exercises (the three-level template of ``bench_startup.py``), target <= 10.5 for 10x;
- front end: MB/s of the `check` pipeline against bare Lark LALR (built from
  ``grammar/protodsl.lark`` with the ``lark`` package, no position propagation) on the same
  large file, under the same collector settings, target >= 60 %;
- compile / check CPU (target <= 1.3) and the peak memory of each command per input byte
  (target <= 150 for compile), on a file of ``--compile`` exercises: the compiled output is
  capped (P107, 32 MiB), which about 300 exercises of the template reach, so the large file is
  refused, not compiled. Memory is the peak resident size (ru_maxrss) less the resident size
  before the measured command (after the warm-up, with protodsl imported), over the input's
  size; the whole process's peak is printed too;
- `fmt --check` / `check` CPU on the large file (target <= 1.4);
- `check DIR` of ``--files`` small files, wall time on one core over two (``taskset``),
  target >= 1.7, and whether both outputs are byte-identical;
- cold `protodsl check` against ``python -c "import lark"`` (``bench_startup.cold``), target
  <= 1.25.

The machine may be shared: every figure is CPU time (user + system, measured inside a fresh
process around the command alone, after a warm-up on a small file) except the parallel one,
which is wall time by nature. The commands compared alternate (``--runs`` pairs) and medians
are compared. Run from the repository:
``PYTHONPATH=src .venv/bin/python benchmarks/bench_perf.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_startup import cold, environment, generate_exercises  # noqa: E402

SMALL_TEMPLATE = """\
protocol {name}
  schedule 3 times weekly for 4 weeks
  stop if sharp_pain
  condition steady stability "Keeps the joint steady"
  condition sharp_pain symptom "Sharp pain"
  exercise bridge "Bridge"
    kind strength
    level 1
      reps 10
      sets 2
      rest 60 s between sets
      increase reps by 2 every week up to 16
      advance to level 2 when steady
    level 2 extends level 1
      reps 12
      regress to level 1 when sharp_pain
"""


# --- the worker: one measurement in a fresh process ------------------------------------------


def _cpu() -> float:
    return time.process_time()


def _maxrss_bytes() -> int:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def _rss_bytes() -> int:
    """The resident size of this process now (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _run_cli(argv: list[str]) -> int:
    from protodsl.cli import main

    out = sys.stdout
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    try:
        return main(argv)
    finally:
        sys.stdout.close()
        sys.stdout = out


def _collector():  # type: ignore[no-untyped-def]
    """The collector settings protodsl runs its pipeline under (none before they existed)."""
    try:
        from protodsl.gcpause import paused
    except ImportError:
        from contextlib import nullcontext

        return nullcontext()
    return paused()


def _bare_lark(path: str) -> float:
    """CPU seconds of bare Lark LALR (no positions) parsing ``path``, built untimed."""
    from lark import Lark

    from protodsl.lexer import IndentPostLexer
    from protodsl.parsergen import grammar_text
    from protodsl.vocabulary import CONTEXTUAL_KEYWORDS

    class Post:
        # The benchmark's protocol uses the contextual words only as keywords, so a NAME
        # spelling one is always that keyword (the project's driver decides it per state).
        always_accept = ("_NL",)
        text = ""

        def process(self, stream):  # type: ignore[no-untyped-def]
            for tok in IndentPostLexer(self.text).process(stream):
                if tok.type == "NAME" and tok.value in CONTEXTUAL_KEYWORDS:
                    tok.type = CONTEXTUAL_KEYWORDS[tok.value]
                yield tok

    post = Post()
    lark = Lark(grammar_text(), parser="lalr", lexer="basic", propagate_positions=False,
                maybe_placeholders=False, postlex=post)
    post.text = "protocol warm\n"
    lark.parse(post.text)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    post.text = text
    with _collector():
        start = _cpu()
        lark.parse(text)
        return _cpu() - start


def worker(task: str, path: str, warm: str) -> None:
    """Measure one task on ``path`` (after the same task on ``warm``) and print JSON."""
    out: dict[str, float] = {}
    if task == "bare":
        out["cpu"] = _bare_lark(path)
    else:
        argv = {"check": ["check", "{}"], "fmt": ["fmt", "--check", "{}"],
                "compile": ["compile", "{}", "-o", tempfile.mkdtemp(prefix="bench-perf-")]}[task]
        _run_cli([a.format(warm) for a in argv])
        out["rss_before"] = _rss_bytes()
        start = _cpu()
        code = _run_cli([a.format(path) for a in argv])
        out["cpu"] = _cpu() - start
        out["code"] = code
        if task == "compile":
            shutil.rmtree(argv[-1], ignore_errors=True)
    out["maxrss"] = _maxrss_bytes()
    print(json.dumps(out))


# --- the driver ------------------------------------------------------------------------------


def measure(task: str, path: Path, warm: Path) -> dict[str, float]:
    """Run one worker process and read its figures."""
    done = subprocess.run([sys.executable, __file__, "--worker", task, str(path), str(warm)],
                          env=environment(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"worker {task} {path} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def paired(tasks: list[tuple[str, Path]], warm: Path, runs: int) -> list[list[dict[str, float]]]:
    """``runs`` measurements of each (task, file), alternating the order run by run."""
    results: list[list[dict[str, float]]] = [[] for _ in tasks]
    order = list(range(len(tasks)))
    for i in range(runs):
        for k in (order if i % 2 == 0 else list(reversed(order))):
            results[k].append(measure(tasks[k][0], tasks[k][1], warm))
    return results


def med(results: list[dict[str, float]], key: str = "cpu") -> float:
    """The median of one figure over runs."""
    return statistics.median(r[key] for r in results)


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def control(runs: int) -> float:
    """The machine's own parallel speed-up: a pure-Python loop twice in one process, over
    the same loop in two processes (near 2 on two idle cores; near 1 when they are busy)."""
    import multiprocessing

    n = 10_000_000
    serial, pooled = [], []
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_spin, [1, 1])
        for _ in range(runs):
            start = time.perf_counter()
            _spin(n)
            _spin(n)
            serial.append(time.perf_counter() - start)
            start = time.perf_counter()
            pool.map(_spin, [n, n], 1)
            pooled.append(time.perf_counter() - start)
    return statistics.median(serial) / statistics.median(pooled)


def parallel(folder: Path, runs: int) -> tuple[float, float, bool]:
    """Median wall seconds of `check FOLDER` on one core and on two, and output identity."""
    cmd = [sys.executable, "-m", "protodsl", "check", str(folder)]
    env = environment()
    times: dict[str, list[float]] = {"0": [], "0,1": []}
    outputs: dict[str, set[bytes]] = {"0": set(), "0,1": set()}
    for i in range(runs):
        for cores in (("0", "0,1") if i % 2 == 0 else ("0,1", "0")):
            start = time.perf_counter()
            done = subprocess.run(["taskset", "-c", cores, *cmd], env=env, capture_output=True,
                                  check=False)
            times[cores].append(time.perf_counter() - start)
            outputs[cores].add(done.stdout)
    same = len(outputs["0"] | outputs["0,1"]) == 1
    return statistics.median(times["0"]), statistics.median(times["0,1"]), same


def main(argv: list[str] | None = None) -> int:
    """Generate the inputs, run every measurement and print the ratios."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", type=int, default=1000, help="exercises of the small file")
    ap.add_argument("--large", type=int, default=10000, help="exercises of the large file")
    ap.add_argument("--compile", type=int, default=250,
                    help="exercises of the file compiled (its output stays under the cap)")
    ap.add_argument("--files", type=int, default=2000, help="files of the parallel batch")
    ap.add_argument("--runs", type=int, default=3, help="paired runs of each measurement")
    ap.add_argument("--cold-runs", type=int, default=20, help="cold start runs of each command")
    ap.add_argument("--skip", action="append", default=[],
                    choices=["size", "lark", "compile", "fmt", "parallel", "cold"])
    ap.add_argument("--worker", nargs=3, metavar=("TASK", "FILE", "WARM"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0

    work = Path(tempfile.mkdtemp(prefix="protodsl-perf-"))
    try:
        small = work / "small.protocol"
        large = work / "large.protocol"
        warm = work / "warm.protocol"
        small.write_text(generate_exercises(args.small, "small"), encoding="utf-8")
        large.write_text(generate_exercises(args.large, "large"), encoding="utf-8")
        warm.write_text(generate_exercises(3, "warm"), encoding="utf-8")
        compiled = work / "compiled.protocol"
        compiled.write_text(generate_exercises(args.compile, "compiled"), encoding="utf-8")
        size = large.stat().st_size
        print(f"files: {args.small} exercises ({small.stat().st_size / 1e6:.2f} MB), "
              f"{args.large} exercises ({size / 1e6:.2f} MB); {args.runs} paired runs, medians "
              "of CPU time")
        check_large: list[dict[str, float]] | None = None
        if "size" not in args.skip:
            s, check_large = paired([("check", small), ("check", large)], warm, args.runs)
            ratio = med(check_large) / med(s)
            print(f"size: check {args.small} ex {med(s):.2f} s, {args.large} ex "
                  f"{med(check_large):.2f} s: x{ratio:.2f} for x{args.large / args.small:g} "
                  f"(target <= 10.5 for x10)")
        if "lark" not in args.skip:
            c, b = paired([("check", large), ("bare", large)], warm, args.runs)
            check_large = check_large or c
            ours, bare = size / 1e6 / med(c), size / 1e6 / med(b)
            print(f"front end: check pipeline {ours:.3f} MB/s, bare Lark LALR {bare:.3f} MB/s: "
                  f"{100 * ours / bare:.0f} % (target >= 60 %)")
        if "compile" not in args.skip:
            csize = compiled.stat().st_size
            c, k = paired([("check", compiled), ("compile", compiled)], warm, args.runs)
            if any(r["code"] != 0 for r in k):
                print(f"compile: the {args.compile}-exercise file did not compile (P107?)")
            print(f"compile ({args.compile} ex, {csize / 1e6:.2f} MB): {med(k):.2f} s, check "
                  f"{med(c):.2f} s: x{med(k) / med(c):.2f} (target <= 1.3)")
            for r in c + k:
                r["added"] = max(0, r["maxrss"] - r["rss_before"])
            print(f"peak memory per input byte: compile {med(k, 'added') / csize:.0f} "
                  f"(target <= 150), check {med(c, 'added') / csize:.0f} (whole process: "
                  f"{med(k, 'maxrss') / 2**20:.0f} / {med(c, 'maxrss') / 2**20:.0f} MiB)")
        if "fmt" not in args.skip:
            c, f = paired([("check", large), ("fmt", large)], warm, args.runs)
            print(f"fmt --check: {med(f):.2f} s, check {med(c):.2f} s: x{med(f) / med(c):.2f} "
                  f"(target <= 1.4)")
        if "parallel" not in args.skip:
            folder = work / "batch"
            folder.mkdir()
            for i in range(args.files):
                name = f"p{i:05d}"
                (folder / f"{name}.protocol").write_text(SMALL_TEMPLATE.format(name=name),
                                                         encoding="utf-8")
            before = control(args.runs)
            one, two, same = parallel(folder, args.runs)
            after = control(args.runs)
            print(f"parallel: check of {args.files} files, 1 core {one:.2f} s, 2 cores "
                  f"{two:.2f} s (wall): x{one / two:.2f} (target >= 1.7); outputs "
                  f"{'identical' if same else 'DIFFER'}; the machine's own speed-up on two "
                  f"processes, before and after: x{before:.2f}, x{after:.2f}")
        if "cold" not in args.skip:
            example = ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol"
            c = cold(sys.executable, example, args.cold_runs, False)
            print(f"cold: check {c['cpu_check_median_ms']:.1f} ms CPU, import lark "
                  f"{c['cpu_lark_median_ms']:.1f} ms: x{c['cpu_ratio']:.2f} (target <= 1.25; "
                  f"wall x{c['ratio']:.2f})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
