"""`protodsl schema`: print the JSON Schema (draft 2020-12) of compiled documents."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`schema` takes no arguments."""


def run(args: argparse.Namespace) -> int:
    """Print the shipped schema, byte for byte; returns 0."""
    from protodsl.output import schema_text

    data = schema_text().encode("utf-8")
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write(data)
        buffer.flush()
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0
