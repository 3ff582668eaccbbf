"""Options shared by the commands that print diagnostics (check, compile)."""

from __future__ import annotations

import os

ENV_FORMAT = "PROTODSL_OUTPUT_FORMAT"
FORMATS = ("full", "concise", "json", "github", "sarif")  # as protodsl.render.FORMATS


def resolve_format(flag: str | None, default: str) -> str:
    """The output format: the flag, else ``PROTODSL_OUTPUT_FORMAT``, else ``default``.

    The variable's case and surrounding spaces are ignored; an unknown value raises ValueError
    with the message for the user.
    """
    if flag:
        return flag
    value = os.environ.get(ENV_FORMAT, "").strip()
    if not value:
        return default
    if value.lower() in FORMATS:
        return value.lower()
    raise ValueError(f"{ENV_FORMAT} is `{value}`, not one of {', '.join(FORMATS)}")
