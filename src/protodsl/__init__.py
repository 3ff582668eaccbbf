"""protodsl: a language, checker and compiler for exercise protocols.

The Python API (see ``protodsl.api``) is imported on first use, so ``import protodsl`` stays
cheap for the command line.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = ("check_text", "check_file", "compile_text", "compile_file", "load", "schema",
        "ProtocolError")


def __getattr__(name: str) -> Any:
    if name in _API:
        from protodsl import api

        return getattr(api, name)
    raise AttributeError(f"module 'protodsl' has no attribute {name!r}")


__all__ = ["__version__", *_API]
