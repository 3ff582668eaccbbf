"""Start-up and throughput benchmark for protodsl (a script, not a test: it never asserts).

Cold start: ``protodsl check FILE`` in a fresh process each run, against ``python -c "import
lark"`` (the reference the target is stated in; protodsl runs Lark's generated stand-alone
parser, not the lark package), the two alternating so that machine load hits both alike.
Reports medians and their ratio (target: at most 1.25, in CPU time).

Warm throughput: ``protodsl.parser.parse`` and the whole ``protodsl.analysis.analyze_text`` on a
generated protocol of about ``--size-mb`` MB, in this process after a warm-up, best of
``--repeat`` runs, in MB/s (1 MB = 10^6 bytes of UTF-8).

Run from the repository with the package importable, e.g.
``PYTHONPATH=src .venv/bin/python benchmarks/bench_startup.py`` (cold runs then use
``python -m protodsl`` with the same PYTHONPATH), or with an installed package, where the
``protodsl`` console script next to the interpreter is used.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol"


def check_command(python: str, module: bool) -> list[str]:
    """The command that runs protodsl: the console script beside ``python``, or ``-m``."""
    script = Path(python).parent / ("protodsl.exe" if os.name == "nt" else "protodsl")
    if not module and script.is_file():
        return [str(script)]
    return [python, "-m", "protodsl"]


def environment() -> dict[str, str]:
    """This process's environment with PYTHONPATH made absolute (the runs use another cwd).

    PYTHONDONTWRITEBYTECODE is dropped: without cached bytecode every run of a source checkout
    would compile protodsl from source, while lark (installed) starts from bytecode.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if env.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.pathsep.join(
            os.path.abspath(p) for p in env["PYTHONPATH"].split(os.pathsep) if p)
    return env


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:  # not POSIX: CPU time of children is not available
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of ``cmd`` (output discarded)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - start, _children_cpu() - cpu


def verify(cmd: list[str], cwd: str, env: dict[str, str]) -> None:
    """Run ``cmd`` once and stop the benchmark if it did not run (exit code other than 0/1)."""
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"`{' '.join(cmd)}` failed with exit code {done.returncode}:\n{done.stderr}")


def cold(python: str, file: Path, runs: int, module: bool) -> dict[str, float]:
    """Median cold times of `protodsl check FILE` and `python -c "import lark"`."""
    work = tempfile.mkdtemp(prefix="protodsl-bench-")
    try:
        target = Path(work) / file.name
        shutil.copyfile(file, target)
        check = [*check_command(python, module), "check", target.name]
        lark = [python, "-c", "import lark"]
        env = environment()
        for cmd in (check, lark):  # warm the OS file cache
            verify(cmd, work, env)
        checks, larks = [], []
        for i in range(runs):
            pair = [(check, checks), (lark, larks)]
            for cmd, out in pair if i % 2 == 0 else reversed(pair):
                out.append(timed(cmd, work, env))
        print(f"command: {' '.join(check)}  (in {work})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = {}
    for label, index in (("", 0), ("cpu_", 1)):
        c = [t[index] for t in checks]
        k = [t[index] for t in larks]
        out.update({
            f"{label}check_median_ms": 1e3 * statistics.median(c),
            f"{label}check_min_ms": 1e3 * min(c),
            f"{label}lark_median_ms": 1e3 * statistics.median(k),
            f"{label}lark_min_ms": 1e3 * min(k),
            f"{label}ratio": statistics.median(c) / max(statistics.median(k), 1e-9),
        })
    return out


HEAD = "\n".join([
    "protocol generated \"Generated for the benchmark\"",
    "  source \"benchmarks/bench_startup.py\"",
    "  schedule 3 times weekly for 6 weeks",
    "  stop if sharp_pain",
    "  condition steady stability \"Keeps the joint steady\"",
    "  condition strong strength \"Completes 20 easy reps\"",
    "  condition sharp_pain symptom \"Sharp pain\"",
    "  equipment band \"Resistance band\"",
    "  exercise warm_up \"Warm-up\"",
    "    kind warmup",
    "    duration 5 min",
    "",
]) + "\n"
# One three-level exercise of the generated protocols ({i}: its number).
BLOCK = """\
  exercise ex_{i} "Exercise {i}"
    kind strength
    uses band
    stop if sharp_pain or "dizziness"
    level 1 "Two legs"
      step "Stand tall with the feet hip-width apart."
      step "Lower slowly, then rise."
      reps 10
      sets 2-3
      rest 60 s between sets
      increase reps by 2 every week up to 20
      advance to level 2 when strong and steady
    level 2 "One leg" extends level 1
      requires steady
      reps 8-15
      sides each starting left
      advance to level 3 when steady and strong
    level 3 "One leg, loaded" extends level 2
      load 2-10 kg on "the hand of the working side" requires steady and not sharp_pain
      cue "Keep the knee over the toes."
      error "Knee caves in" fix "Go back to level 2."
      regress to level 2 when sharp_pain

"""


def generate(size_mb: float) -> str:
    """A clean-looking protocol of about ``size_mb`` MB: many three-level exercises."""
    text = HEAD + "\n"
    size = int(size_mb * 1_000_000)
    parts = [text]
    total = len(text.encode())
    i = 0
    while total < size:
        chunk = BLOCK.format(i=i)
        parts.append(chunk)
        total += len(chunk.encode())
        i += 1
    return "".join(parts)


def generate_exercises(count: int, name: str = "generated") -> str:
    """The same protocol with exactly ``count`` three-level exercises, named ``name``."""
    head = HEAD.replace("protocol generated", f"protocol {name}", 1)
    return head + "\n" + "".join(BLOCK.format(i=i) for i in range(count))


def throughput(size_mb: float, repeat: int) -> dict[str, float]:
    """Warm MB/s of parse and of analyze_text on a generated protocol."""
    from protodsl.analysis import analyze_text
    from protodsl.parser import get_parser, parse

    text = generate(size_mb)
    mb = len(text.encode()) / 1e6
    get_parser()
    parse("protocol warm_up\n")

    def best(fn) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times)

    parse_s = best(lambda: parse(text))
    analysis = analyze_text(text, "generated.protocol")
    analyze_s = best(lambda: analyze_text(text, "generated.protocol"))
    return {"size_mb": mb, "exercises": float(len(analysis.protocol.exercises)
                                               if analysis.protocol else 0),
            "diagnostics": float(len(analysis.diagnostics)),
            "parse_mb_s": mb / parse_s, "analyze_mb_s": mb / analyze_s,
            "parse_s": parse_s, "analyze_s": analyze_s}


def main(argv: list[str] | None = None) -> int:
    """Run both benchmarks and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20, help="cold runs of each command (default 20)")
    ap.add_argument("--file", type=Path, default=EXAMPLE, help="the file to check cold")
    ap.add_argument("--python", default=sys.executable, help="the interpreter for cold runs")
    ap.add_argument("--module", action="store_true",
                    help="use `python -m protodsl` even where a console script exists")
    ap.add_argument("--size-mb", type=float, default=1.5, help="size of the generated protocol")
    ap.add_argument("--repeat", type=int, default=3, help="warm runs (the best is kept)")
    ap.add_argument("--skip-cold", action="store_true")
    ap.add_argument("--skip-warm", action="store_true")
    args = ap.parse_args(argv)
    if not args.skip_cold:
        c = cold(args.python, args.file, args.runs, args.module)
        print(f"cold `protodsl check {args.file.name}`: median {c['check_median_ms']:.1f} ms "
              f"(min {c['check_min_ms']:.1f})")
        print(f"cold `python -c \"import lark\"`:  median {c['lark_median_ms']:.1f} ms "
              f"(min {c['lark_min_ms']:.1f})")
        print(f"cold ratio (medians, {args.runs} runs each, alternating): {c['ratio']:.2f} "
              f"(target <= 1.25 in CPU time, below)")
        if c["cpu_lark_median_ms"]:
            print(f"cpu time (user+sys), medians: check {c['cpu_check_median_ms']:.1f} ms, "
                  f"lark {c['cpu_lark_median_ms']:.1f} ms, ratio {c['cpu_ratio']:.2f} "
                  "(less sensitive to a busy machine)")
    if not args.skip_warm:
        w = throughput(args.size_mb, args.repeat)
        print(f"warm input: {w['size_mb']:.2f} MB, {w['exercises']:.0f} exercises, "
              f"{w['diagnostics']:.0f} diagnostics")
        print(f"warm parse:        {w['parse_mb_s']:.2f} MB/s ({w['parse_s']:.2f} s)")
        print(f"warm analyze_text: {w['analyze_mb_s']:.2f} MB/s ({w['analyze_s']:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
