"""Small generators of the inputs that once took unbounded time or memory, or failed inside.

Each function returns the bytes of one protocol file (a few KB to a few MB, never stored in
the repository). ``tests/test_reliability.py`` runs each through the command line in a
subprocess under a memory limit and a timeout; ``python tests/reproducers.py`` prints the time
and peak memory of each, for a look by hand.
"""

from __future__ import annotations

HEADER = "protocol big\n  schedule 3 times weekly for 4 weeks\n"


def extends_cycle(levels: int = 1500) -> bytes:
    """Levels that each extend the next one, the last extending level 1: one long cycle."""
    out = [HEADER, '  condition c stability "steady"\n  stop if not c\n  exercise e\n']
    for k in range(1, levels + 1):
        target = k + 1 if k < levels else 1
        out.append(f"    level {k} extends level {target}\n      reps 10\n")
        if k < levels:
            out.append(f"      advance to level {k + 1} when c\n")
    return "".join(out).encode()


def extends_chain(levels: int = 6000) -> bytes:
    """A long `extends` chain, each level adding a stop rule: inherited lists grow per level."""
    out = [HEADER, '  condition c stability "steady"\n  condition p symptom "pain"\n',
           "  exercise e\n"]
    for k in range(1, levels + 1):
        out.append(f"    level {k}" + (f" extends level {k - 1}" if k > 1 else "") + "\n")
        if k == 1:
            out.append("      reps 10\n")
        out.append("      stop if p\n")
        if k < levels:
            out.append(f"      advance to level {k + 1} when c\n")
    return "".join(out).encode()


def comment_lines(lines: int = 60000) -> bytes:
    """A small protocol followed by many comment lines."""
    body = HEADER + "  exercise e\n    reps 10\n"
    return (body + "  # a comment line\n" * lines).encode()


def alternating_reps(levels: int = 120, reps: int = 4999) -> bytes:
    """Levels with alternating sides and thousands of reps: a huge `sequence` each."""
    out = [HEADER, '  condition c stability "steady"\n  stop if not c\n  exercise e\n']
    for k in range(1, levels + 1):
        out.append(f"    level {k}\n      step \"Lift the {{side}} leg.\"\n"
                   f"      sides alternating\n      reps {reps}\n")
        if k < levels:
            out.append(f"      advance to level {k + 1} when c\n")
    return "".join(out).encode()


def long_schedule(weeks: int = 199_999) -> bytes:
    """A schedule of many weeks with one exercise: a week table just under the row limit."""
    return (f"protocol big\n  schedule 1 times weekly for {weeks} weeks\n"
            "  exercise e\n    reps 10\n").encode()


def huge_string(size: int = 8 * 1024 * 1024 - 200) -> bytes:
    """One note of ``size`` characters: just under the file size limit."""
    return (HEADER + '  note "' + "x" * size + '"\n  exercise e\n    reps 10\n').encode()


def long_or(terms: int = 1_000_000) -> bytes:
    """`stop if a or a or ...` on one line (5 MB by default): one stability condition used
    against its kind."""
    return (HEADER + '  condition a stability "steady"\n  stop if '
            + " or ".join(["a"] * terms) + "\n  exercise e\n    reps 10\n").encode()


def or_lines(size: int) -> bytes:
    """About ``size`` bytes of `stop if a or a or ...` lines, each as long as a statement may
    be (10,000 tokens): the most parse-tree nodes per byte of input that any file can hold."""
    line = "  stop if " + " or ".join(["a"] * 4999) + "\n"
    return (HEADER + '  condition a stability "steady"\n' + line * max(1, size // len(line))
            + "  exercise e\n    reps 10\n").encode()


def nines_hold(digits: int = 400) -> bytes:
    """A hold of ``digits`` nines and a decimal, in seconds: far beyond any float."""
    return (HEADER + "  exercise e\n    hold " + "9" * digits + ".9 s\n").encode()


def no_exercise() -> bytes:
    """A protocol with a header and a schedule but no exercise."""
    return HEADER.encode()


def sparse_schedule(days: int = 20000) -> bytes:
    """A schedule of one session every ``days`` days."""
    return f"protocol big\n  schedule every {days} days\n  exercise e\n    reps 10\n".encode()


def many_notes(size: int = 8 * 1024 * 1024 - 100) -> bytes:
    """Short statements filling a file up to ``size`` bytes: the most AST nodes per byte."""
    line = b'  note "x"\n'
    return HEADER.encode() + line * ((size - 100) // len(line)) + b"  exercise e\n    reps 10\n"


def comments_only() -> bytes:
    """A file of comments and blank lines only."""
    return b"# nothing here yet\n\n# still nothing\n"


# name -> (generator, the argv after `protodsl` with FILE standing for the file)
CASES = {
    "extends_cycle": (extends_cycle, ["check", "FILE"]),
    "extends_chain": (extends_chain, ["compile", "FILE"]),
    "comment_lines_check": (lambda: comment_lines(60000), ["check", "FILE"]),
    "comment_lines_fmt": (lambda: comment_lines(60000), ["fmt", "--check", "FILE"]),
    "alternating_reps": (alternating_reps, ["compile", "FILE"]),
    "long_schedule": (long_schedule, ["compile", "FILE"]),
    "huge_string": (huge_string, ["compile", "FILE"]),
    "long_or": (long_or, ["check", "FILE"]),
    "long_or_under_limit": (lambda: long_or(4000), ["check", "FILE"]),
    "nines_hold": (nines_hold, ["compile", "FILE"]),
    "no_exercise": (no_exercise, ["compile", "FILE"]),
    "sparse_schedule": (sparse_schedule, ["compile", "FILE"]),
    "comments_only": (comments_only, ["check", "--output-format", "json", "FILE"]),
}


def measure(argv: list[str], timeout: float, limit_mb: int | None = None
            ) -> tuple[int | None, float, float, bytes, bytes]:
    """Run ``argv`` with stdout and stderr in files: (exit code or None on timeout, seconds,
    peak resident MB, stdout, stderr). ``limit_mb`` caps the address space (RLIMIT_AS)."""
    import os
    import resource
    import subprocess
    import tempfile
    import time

    def limit() -> None:
        if limit_mb is not None:
            size = limit_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                preexec_fn=limit)
        code: int | None = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - start > timeout:
                proc.kill()
                _, _, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        proc.returncode = code if code is not None else -9
        took = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return code, took, usage.ru_maxrss / 1024, out.read(), err.read()


if __name__ == "__main__":  # pragma: no cover - a measuring aid, not a test
    import os
    import sys
    import tempfile

    names = sys.argv[1:] or list(CASES)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            make, argv = CASES[name]
            path = os.path.join(tmp, "big.protocol")
            data = make()
            with open(path, "wb") as f:
                f.write(data)
            cmd = [sys.executable, "-m", "protodsl", *[path if a == "FILE" else a for a in argv]]
            code, took, peak, out, err = measure(cmd, float(os.environ.get("TIMEOUT", "60")))
            print(f"{name}: {len(data) / 1024:.0f} KB in, exit {code}, {took:.1f} s, "
                  f"peak {peak:.0f} MB, stdout {len(out) / 1e6:.2f} MB, "
                  f"stderr {len(err) / 1e6:.2f} MB: {(err or out)[:150]!r}", flush=True)
