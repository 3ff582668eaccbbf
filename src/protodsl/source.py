"""Source text: bytes to text, with P103 for bytes that are not UTF-8 and P106 for huge files."""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from protodsl import record
from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.nodes import Span

# Larger files are refused (P106) rather than parsed for minutes.
MAX_BYTES = 8 * 1024 * 1024
BOM = "\ufeff"


@record.frozen
class Decoded:
    """The text of a file (invalid bytes replaced by U+FFFD) and the diagnostics of decoding."""

    text: str
    diagnostics: tuple[Diagnostic, ...]
    bad_lines: frozenset[int]


class TooLarge(bytes):
    """What ``read_limited`` gives for an input over MAX_BYTES: no content, and the input's
    size where it is known (a regular file), else None (a stream, a device)."""

    size: int | None = None


def read_limited(f: BinaryIO) -> bytes:
    """The bytes of the binary stream ``f``, reading at most MAX_BYTES + 1 of them: an
    endless or huge input (``/dev/zero``, a 3 GB file) costs no more than the limit."""
    data = f.read(MAX_BYTES + 1)
    if len(data) <= MAX_BYTES:
        return data
    out = TooLarge()
    try:
        st = os.fstat(f.fileno())
        out.size = max(st.st_size, len(data)) if stat.S_ISREG(st.st_mode) else None
    except (OSError, ValueError, AttributeError):
        out.size = None
    return out


def read_path(path: str) -> bytes:
    """``read_limited`` on the file at ``path`` (raises OSError as ``open`` does)."""
    with open(path, "rb") as f:
        return read_limited(f)


def decode(data: bytes) -> Decoded:
    """Decode ``data`` as UTF-8, dropping a byte order mark; report every invalid line."""
    if isinstance(data, TooLarge):
        return Decoded("", (too_large(data.size),), frozenset())
    if len(data) > MAX_BYTES:
        return Decoded("", (too_large(len(data)),), frozenset())
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_with_errors(data)
    return Decoded(strip_bom(text), (), frozenset())


def too_large(size: int | None) -> Diagnostic:
    """P106 for a file of ``size`` bytes (more than MAX_BYTES; None: a stream of unknown size)."""
    shown = (f"{size / (1024 * 1024):.1f} MiB" if size is not None
             else f"more than {MAX_BYTES // (1024 * 1024)} MiB")
    return diagnostic(
        "P106", f"the file is too large to check ({shown})", Span(1, 1, 1, 2),
        f"split it: one protocol file may hold at most {MAX_BYTES // (1024 * 1024)} MiB")


def strip_bom(text: str) -> str:
    """``text`` without a leading byte order mark."""
    return text[1:] if text.startswith(BOM) else text


def _decode_with_errors(data: bytes) -> Decoded:
    diags: list[Diagnostic] = []
    bad: set[int] = set()
    pos = 0
    parts: list[str] = []
    line = 1
    col = 1
    while pos < len(data):
        try:
            chunk = data[pos:].decode("utf-8")
            parts.append(chunk)
            break
        except UnicodeDecodeError as exc:
            good = data[pos : pos + exc.start].decode("utf-8")
            parts.append(good)
            line += good.count("\n")
            col = (len(good) - good.rfind("\n")) if "\n" in good else col + len(good)
            n_bad = max(1, exc.end - exc.start)
            if line not in bad:
                byte = data[pos + exc.start]
                diags.append(diagnostic(
                    "P103", f"the file is not UTF-8 text: invalid byte 0x{byte:02X}",
                    Span(line, col, line, col + 1),
                    "save the file as UTF-8 (most editors offer it under 'Save with encoding')"))
                bad.add(line)
            parts.append("\ufffd")
            col += 1
            pos += exc.start + n_bad
    return Decoded(strip_bom("".join(parts)), tuple(diags), frozenset(bad))
