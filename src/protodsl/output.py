"""Deterministic JSON text: the same document always gives the same bytes.

UTF-8 with non-ASCII characters unescaped, keys sorted, 2-space indent, a final newline, and
no NaN or Infinity (they are not JSON).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from protodsl.shared import Shared


def dumps(document: Any) -> str:
    """The canonical JSON text of ``document``, ending with a newline.

    The same text as ``json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2,
    allow_nan=False)`` (a test pins the bytes), written by ``_encode``: with an indent, the
    standard library runs its generator-based pure-Python encoder, several times slower on a
    large compiled document. Anything ``_encode`` does not handle exactly (keys that are not
    strings, values other than dicts, lists, tuples, strings, numbers, booleans and None) goes
    through ``json.dumps`` itself.
    """
    out: list[str] = []
    try:
        _encode(document, out, "\n", None, {})
    except _Unusual:
        return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2,
                          allow_nan=False) + "\n"
    out.append("\n")
    return "".join(out)


class _Unusual(Exception):
    """A value the fast encoder leaves to ``json.dumps``."""


_STRING = json.encoder.encode_basestring  # the C function where available
_INT_REPR = int.__repr__
_FLOAT_REPR = float.__repr__
_INF = float("inf")
_LONG = 32  # items of a list whose items are joined one by one
_MAX_LAYOUTS = 4096
# A dict's layout by its keys (in their order) and indent: its keys sorted, each with the text
# that comes before its value (the separator, line break and indent, the key's JSON).
_LAYOUTS: dict[tuple[tuple[str, ...], str], tuple[tuple[tuple[str, str], ...], str]] = {}


def _layout(keys: tuple[str, ...], newline: str
            ) -> tuple[tuple[tuple[str, str], ...], str]:
    """The sorted (key, text before its value) of a dict with ``keys``, and its inner indent.
    Raises ``_Unusual`` for keys that are not all strings."""
    for key in keys:
        if type(key) is not str:
            raise _Unusual
    inner = newline + "  "
    heads = []
    start = "{" + inner
    for key in sorted(keys):
        heads.append((key, start + _STRING(key) + ": "))
        start = "," + inner
    layout = (tuple(heads), inner)
    if len(_LAYOUTS) < _MAX_LAYOUTS:
        _LAYOUTS[(keys, newline)] = layout
    return layout


def _encode(o: Any, out: list[str], newline: str,
            sink: Callable[[list[str]], None] | None = None,
            memo: dict[int, tuple[str, str]] | None = None) -> None:
    """Append the JSON of ``o`` to ``out``; ``newline`` is a line break and the current indent.

    ``sink``, when given, is called with ``out`` after each item of a long list: it may take
    the text so far out of ``out`` (``dump_bytes`` encodes it as it goes). ``memo``, when
    given, holds the text of each ``Shared`` dict already written (with the line break and
    indent it was written at): a shared dict met again is copied from there.
    """
    kind = type(o)
    if kind is str:
        out.append(_STRING(o))
    elif kind is dict or kind is Shared:
        if not o:
            out.append("{}")
            return
        whole = out
        if kind is Shared and memo is not None:
            hit = memo.get(id(o))
            if hit is not None:  # every line break of the text is followed by its indent
                text, at = hit
                out.append(text if at == newline else text.replace(at, newline))
                return
            out, sink = [], None  # written apart, then kept in the memo
        keys = tuple(o)
        layout = _LAYOUTS.get((keys, newline))
        if layout is None:
            layout = _layout(keys, newline)
        heads, inner = layout
        for key, head in heads:
            value = o[key]
            vkind = type(value)
            # The common leaves written here, without a call per value.
            if vkind is str:
                out.append(head + _STRING(value))
            elif value is None:
                out.append(head + "null")
            elif vkind is int:
                out.append(head + _INT_REPR(value))
            elif value is True:
                out.append(head + "true")
            elif value is False:
                out.append(head + "false")
            elif not value and (vkind is list or vkind is dict or vkind is tuple):
                out.append(head + ("{}" if vkind is dict else "[]"))
            elif vkind is Shared and memo is not None and id(value) in memo:
                text, at = memo[id(value)]  # as in the Shared branch below, without a call
                out.append(head + (text if at == inner else text.replace(at, inner)))
            else:
                out.append(head)
                _encode(value, out, inner, sink, memo)
        out.append(newline + "}")
        if out is not whole:
            text = "".join(out)
            memo[id(o)] = (text, newline)  # type: ignore[index]
            whole.append(text)
    elif kind is list or kind is tuple:
        if not o:
            out.append("[]")
            return
        inner = newline + "  "
        start = "[" + inner
        if len(o) < _LONG:
            for item in o:
                ikind = type(item)
                if ikind is str:
                    out.append(start + _STRING(item))
                elif ikind is int:
                    out.append(start + _INT_REPR(item))
                elif ikind is Shared and memo is not None and id(item) in memo:
                    text, at = memo[id(item)]
                    out.append(start + (text if at == inner else text.replace(at, inner)))
                else:
                    out.append(start)
                    _encode(item, out, inner, sink, memo)
                start = "," + inner
        else:  # each item joined at once: no list of millions of small strings at the end
            for item in o:
                part = [start]
                _encode(item, part, inner, None, memo)
                out.append("".join(part))
                if sink is not None:
                    sink(out)
                start = "," + inner
        out.append(newline + "]")
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif kind is int:
        out.append(_INT_REPR(o))
    elif kind is float:
        if o != o or o == _INF or o == -_INF:
            raise ValueError("Out of range float values are not JSON compliant")
        out.append(_FLOAT_REPR(o))
    else:
        raise _Unusual


def dump_bytes(document: Any) -> bytes:
    """The canonical JSON of ``document`` as UTF-8 bytes (``dumps``, encoded).

    The text is encoded piece by piece into one buffer, so a large document's text and its
    bytes are never both held whole.
    """
    import io

    from protodsl.gcpause import paused

    buffer = io.BytesIO()

    def sink(out: list[str]) -> None:
        buffer.write("".join(out).encode("utf-8"))
        out.clear()

    with paused():
        out: list[str] = []
        try:
            _encode(document, out, "\n", sink, {})
        except _Unusual:
            return dumps(document).encode("utf-8")
        out.append("\n")
        sink(out)
        return buffer.getvalue()


def schema_text() -> str:
    """The JSON Schema shipped in the package (``protodsl/schema.json``), as text."""
    from importlib.resources import files

    return files("protodsl").joinpath("schema.json").read_text(encoding="utf-8")
