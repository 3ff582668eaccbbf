"""`protodsl lsp`: the language server on stdio (needs ``pip install "protodsl[lsp]"``)."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `lsp` (``--stdio`` is accepted, as editors pass it)."""
    parser.add_argument("--stdio", action="store_true", help="talk on stdin/stdout (the default)")


def run(args: argparse.Namespace) -> int:
    """Start the server; exit code 2 when the `lsp` extra is not installed."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        print('protodsl lsp: error: the language server needs the `lsp` extra: '
              'pip install "protodsl[lsp]"', file=sys.stderr)
        return 2
    from protodsl.lsp.server import main

    return main()
