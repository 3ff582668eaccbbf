"""`protodsl explain CODE`: what a rule checks, why, and a failing and a passing example.

``protodsl explain --list`` lists every code with its severity and summary.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `explain`."""
    parser.add_argument("code", metavar="CODE", nargs="?", help="a diagnostic code such as P201")
    parser.add_argument("--list", action="store_true",
                        help="list every code with its severity and summary")


def normalize(code: str) -> str:
    """``p201``, `` P201 `` and ``201`` all name P201."""
    code = code.strip().upper()
    return "P" + code if code.isdigit() else code


def text(code: str) -> str | None:
    """The explanation of ``code`` as printed, or None if no rule has that code."""
    from protodsl.rules.registry import all_rules

    rule = all_rules().get(normalize(code))
    if rule is None:
        return None
    out = [f"{rule.code} ({rule.severity}): {rule.summary}", "", rule.explanation.strip(), "",
           "Failing example:", "", _indent(rule.bad), "", "Passing example:", "",
           _indent(rule.good)]
    if rule.severity == "warning":
        out += ["", f'This warning can be silenced in a file with `allow {rule.code} "reason"`.']
    return "\n".join(out) + "\n"


def closest_code(wanted: str, codes: list[str]) -> str | None:
    """The code nearest to ``wanted``: in the same hundred (P2xx) first, then by number."""
    if not codes:
        return None
    digits = wanted[1:] if wanted.startswith("P") else wanted
    if not digits.isdigit():
        from protodsl.vocabulary import closest

        guess = closest(wanted.lower(), [c.lower() for c in codes], always=True)
        return guess.upper() if guess else None
    target = int(digits)
    return min(codes, key=lambda c: (int(c[1:]) // 100 != target // 100,
                                     abs(int(c[1:]) - target), c))


def run(args: argparse.Namespace) -> int:
    """Print the explanation of a code (or the list of codes); 2 if the code does not exist."""
    if args.list:
        if args.code is not None:
            print("protodsl explain: error: give a CODE or --list, not both", file=sys.stderr)
            return 2
        sys.stdout.write(listing())
        return 0
    if args.code is None:
        print("protodsl explain: error: give a CODE (such as P201) or --list", file=sys.stderr)
        return 2
    explained = text(args.code)
    if explained is None:
        from protodsl.rules.registry import all_rules

        guess = closest_code(normalize(args.code), list(all_rules()))
        hint = f"; the closest code is `{guess}`" if guess else ""
        print(f"protodsl explain: error: unknown code `{args.code.strip()}`{hint}",
              file=sys.stderr)
        return 2
    sys.stdout.write(explained)
    return 0


def listing() -> str:
    """Every code, one a line: ``P100  error    summary``, in code order."""
    from protodsl.rules.registry import all_rules

    rules = all_rules()
    return "".join(f"{code}  {rules[code].severity:<7}  {rules[code].summary}\n"
                   for code in sorted(rules))


def _indent(example: str) -> str:
    return "\n".join("    " + line if line else "" for line in example.rstrip("\n").split("\n"))
