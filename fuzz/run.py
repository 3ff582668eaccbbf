"""Run the fuzz target at length: ``python fuzz/run.py [--examples N] [--seed S]``.

Hypothesis draws inputs from ``target.strategy()`` (mutated seeds of fuzz/corpus, generated
protocols, raw bytes) and shrinks any failure to a small input, printed with the invariant that
broke. Add a failing input to fuzz/corpus once it is fixed, so that it is tried every time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

import target  # noqa: E402


def main() -> int:
    """Fuzz; exit 0 when no invariant broke, 1 (with the shrunk input) otherwise."""
    parser = argparse.ArgumentParser(description="Fuzz protodsl's check, compile and fmt.")
    parser.add_argument("--examples", type=int, default=20_000, help="inputs to try")
    parser.add_argument("--seed", type=int, default=None, help="a fixed random seed")
    args = parser.parse_args()

    for data in target.seeds():
        target.one_input(data)

    @settings(max_examples=args.examples, deadline=None, database=None, print_blob=True,
              suppress_health_check=list(HealthCheck))
    @given(target.strategy())
    def fuzz(data: bytes) -> None:
        target.one_input(data)

    if args.seed is not None:
        fuzz = seed(args.seed)(fuzz)
    try:
        fuzz()
    except AssertionError as exc:
        print(f"invariant broken: {exc}", file=sys.stderr)
        return 1
    print(f"{args.examples} inputs, no invariant broken")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
