"""Benchmark (not a test): how long after an edit the diagnostics of a 1,000-line protocol
reach the client of `protodsl lsp`.

Starts the real server over stdio (``python -m protodsl lsp``), opens a generated protocol of
``--lines`` lines (default 1000: three-level exercises), then sends ``--edits`` incremental
``didChange`` notifications (each changes one `reps` count, alternately introducing and fixing
an error) and times each from the moment the notification is written until the
``publishDiagnostics`` for that document version is read. Prints the median, minimum, 90th
percentile and maximum in milliseconds (target: median under 50 ms), the server's CPU time per
edit (from /proc, so other processes on a busy machine do not count), and, in this process, the
wall and CPU time of a full ``analyze_text`` and of the incremental engine after an edit.

    .venv/bin/python benchmarks/bench_lsp.py [--lines 1000] [--edits 50] [--full]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def protocol(lines: int) -> str:
    out = ['protocol bench "Generated for the benchmark"',
           "  schedule 3 times weekly for 8 weeks",
           '  condition steady stability "Keeps the knee steady"',
           '  condition easy skill "Finds the level easy"',
           '  condition sharp_pain symptom "Sharp pain"',
           '  measure pain symptom "Pain" scale 0-10',
           "  stop if sharp_pain or pain > 5"]
    i = 0
    while len(out) < lines - 2:
        i += 1
        out += [f'  exercise ex_{i} "Exercise {i}"', "    kind strength",
                "    level 1", "      reps 10", "      sets 2", "      rest 60 s between sets",
                "      advance to level 2 when easy and steady and pain <= 2",
                "    level 2 extends level 1", "      requires steady", "      reps 12",
                "      advance to level 3 when easy and steady",
                "    level 3 extends level 2", "      reps 15",
                "      regress to level 2 when pain > 3"]
    return "\n".join(out[:lines]) + "\n"


def cpu_ms(pid: int) -> float | None:
    """The CPU time (user + system) a process has used so far, in ms (None off Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def timed(fn, repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of ``repeat`` calls of ``fn(k)``."""
    wall, cpu = [], []
    for k in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn(k)
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


class Server:
    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     env=env)
        self.next_id = 0

    def send(self, method: str, params: dict, request: bool = False) -> int | None:
        message: dict = {"jsonrpc": "2.0", "method": method, "params": params}
        rid = None
        if request:
            self.next_id += 1
            rid = message["id"] = self.next_id
        body = json.dumps(message).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()
        return rid

    def read(self) -> dict:
        assert self.proc.stdout is not None
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def wait(self, pred) -> dict:
        while True:
            message = self.read()
            if pred(message):
                return message


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--full", action="store_true",
                        help="the server analyses the whole text after every change "
                             "(PROTODSL_LSP_INCREMENTAL=0), for comparison")
    args = parser.parse_args()

    text = protocol(args.lines)
    lines = text.split("\n")
    reps_lines = [i for i, line in enumerate(lines) if line.strip() == "reps 10"]
    uri = Path("/tmp/bench.protocol").as_uri()
    env = dict(os.environ, PROTODSL_LSP_INCREMENTAL="0" if args.full else "1")
    server = Server([args.python, "-m", "protodsl", "lsp"], env)
    rid = server.send("initialize", {"processId": None, "rootUri": None, "capabilities": {}},
                      request=True)
    server.wait(lambda m: m.get("id") == rid)
    server.send("initialized", {})
    start = time.perf_counter()
    server.send("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "protodsl", "version": 1, "text": text}})
    first = server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    print(f"{len(lines) - 1} lines, {len(text.encode())} bytes; "
          f"{len(first['params']['diagnostics'])} diagnostics on open, after "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")
    cpu_before = cpu_ms(server.proc.pid)

    times = []
    for k in range(args.edits):
        line = reps_lines[(k // 2) % len(reps_lines)]  # break a line, then fix it
        new = "0" if k % 2 == 0 else "10"  # `reps 0` is an error; then put 10 back
        old_len = 2 if k % 2 == 0 else 1
        version = k + 2
        start = time.perf_counter()
        server.send("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 11},
                                          "end": {"line": line, "character": 11 + old_len}},
                                "text": new}]})
        message = server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                              and m["params"].get("version") == version)
        times.append((time.perf_counter() - start) * 1000)
        count = len(message["params"]["diagnostics"])
        if k < 2:
            print(f"edit {k + 1}: {count} diagnostics")

    cpu_after = cpu_ms(server.proc.pid)
    rid = server.send("shutdown", {}, request=True)
    server.wait(lambda m: m.get("id") == rid)
    server.send("exit", {})
    server.proc.wait(timeout=10)
    times.sort()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from protodsl.analysis import analyze_text
    from protodsl.incremental import Engine

    analyze_text(text)
    wall, cpu = timed(lambda k: analyze_text(text), 10)
    print(f"analyze_text alone on the same text, in this process: median "
          f"{statistics.median(wall):.1f} ms (CPU {statistics.median(cpu):.1f} ms), "
          f"min {min(wall):.1f} ms")
    engine = Engine()
    engine.analyze(text)

    def edit(k: int) -> None:  # break the `reps` of one exercise, then restore it
        changed = lines[:]
        line = reps_lines[(k // 2) % len(reps_lines)]
        changed[line] = changed[line].replace("reps 10", "reps 0" if k % 2 == 0 else "reps 10")
        engine.analyze("\n".join(changed))

    wall, cpu = timed(edit, 40)
    print(f"the incremental engine after an edit, in this process: median "
          f"{statistics.median(wall):.1f} ms (CPU {statistics.median(cpu):.1f} ms), "
          f"min {min(wall):.1f} ms; {engine.fallbacks} full analyses")
    print(f"diagnostics after an edit ({args.edits} edits): median {statistics.median(times):.1f} ms,"
          f" min {times[0]:.1f} ms, p90 {times[int(len(times) * 0.9) - 1]:.1f} ms,"
          f" max {times[-1]:.1f} ms")
    if cpu_before is not None and cpu_after is not None:
        print(f"server CPU time per edit (analysis, JSON-RPC and all): "
              f"{(cpu_after - cpu_before) / args.edits:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
