"""Configuration: ``[tool.protodsl]`` in ``pyproject.toml``, or a ``protodsl.toml``.

The file is found by walking up from the first checked path (or the current folder): in each
folder, ``protodsl.toml`` first (its keys at the top level), then a ``pyproject.toml`` that has a
``[tool.protodsl]`` table; the first found is used, and none is an empty configuration. Keys
(all optional):

- ``exclude``: gitignore-style patterns, relative to the configuration's folder, of files and
  folders not to search (default: none beyond hidden files and folders).
- ``extend-exclude``: more patterns, added to ``exclude``.
- ``respect-gitignore``: skip what ``.gitignore`` files ignore (default true).
- ``strict``: warnings make the exit code 1 (default false).
- ``select``: the warnings to report, as codes or code prefixes (``P2`` is every ``P2xx``);
  errors are always reported.
- ``ignore``: warnings not to report (codes or prefixes). Naming an error is a configuration
  error: errors cannot be ignored.
- ``output-format``: ``full``, ``concise``, ``json``, ``github`` or ``sarif``.

Command-line flags override the file; ``PROTODSL_OUTPUT_FORMAT`` overrides ``output-format``.
The language server applies the configuration of each document's folder: ``select`` and
``ignore`` drop warnings (``strict`` changes exit codes only, so it does not apply there).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from protodsl import record

if TYPE_CHECKING:
    from protodsl.diagnostics import Diagnostic
    from protodsl.files import Filters

FILE_NAMES = ("protodsl.toml", "pyproject.toml")
FORMATS = ("full", "concise", "json", "github", "sarif")
KEYS = ("exclude", "extend-exclude", "respect-gitignore", "strict", "select", "ignore",
        "output-format")


class ConfigError(Exception):
    """A configuration that cannot be used; ``str(error)`` is the message for the user."""


@record.frozen
class Config:
    """The settings in force; ``path`` is the file they come from (None: defaults)."""

    path: str | None = None
    exclude: list[str] = record.Factory(list)
    extend_exclude: list[str] = record.Factory(list)
    respect_gitignore: bool = True
    strict: bool = False
    select: list[str] | None = None
    ignore: list[str] = record.Factory(list)
    output_format: str | None = None

    @property
    def root(self) -> str:
        """The folder exclude patterns are relative to: the file's folder, else the current."""
        return os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()

    def reports(self, code: str, severity: str) -> bool:
        """Whether a diagnostic of ``code`` is reported under ``select`` and ``ignore``."""
        if severity == "error":
            return True
        if self.select is not None and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)

    def filter(self, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics that are reported (errors always are)."""
        return [d for d in diagnostics if self.reports(d.code, d.severity)]


def find(start: str | None = None) -> str | None:
    """The configuration file for ``start`` (a file or folder; default the current folder)."""
    here = os.path.abspath(start or ".")
    if not os.path.isdir(here):
        here = os.path.dirname(here)
    while True:
        for name in FILE_NAMES:
            candidate = os.path.join(here, name)
            if os.path.isfile(candidate) and (name != "pyproject.toml"
                                              or _has_tool_table(candidate)):
                return candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def load(start: str | None = None, path: str | None = None) -> Config:
    """The configuration for ``start`` (found by walking up), or read from ``path``."""
    path = path or find(start)
    if path is None:
        return Config()
    return read(path)


def filters(config: Config, force_exclude: bool = False) -> Filters:
    """What a folder search skips under ``config``: its exclusions and, if asked, .gitignore."""
    from protodsl.files import Filters
    from protodsl.ignore import parse

    exclude = config.exclude + config.extend_exclude
    return Filters(parse(exclude, config.root) if exclude else None, config.respect_gitignore,
                   force_exclude)


_CACHE: dict[str, tuple[tuple[int, int], Config]] = {}


def for_path(path: str) -> Config:
    """The configuration for the file ``path``, re-read only when its file changes (for the
    language server, which asks on every edit)."""
    found = find(path)
    if found is None:
        return Config()
    try:
        info = os.stat(found)
        stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        return Config()
    cached = _CACHE.get(found)
    if cached is None or cached[0] != stamp:
        cached = _CACHE[found] = (stamp, read(found))
    return cached[1]


def read(path: str) -> Config:
    """The configuration in file ``path``; raises ConfigError with a clear message."""
    try:
        with open(path, "rb") as f:
            data = _toml().load(f)
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ConfigError(f"cannot read configuration `{path}`: {reason}") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ConfigError(f"`{path}` is not valid TOML: {exc}") from None
    if os.path.basename(path) == "pyproject.toml":
        table = data.get("tool", {}).get("protodsl", {})
        where = f"{path}: [tool.protodsl]"
    else:
        table = data
        where = path
    return from_table(table, path, where)


def from_table(table: dict[str, Any], path: str | None, where: str) -> Config:
    """A Config from the keys of ``table``; ``where`` names the place in messages."""
    for key in table:
        if key not in KEYS:
            from protodsl.vocabulary import closest

            guess = closest(key, list(KEYS), always=True)
            hint = f"; did you mean `{guess}`?" if guess else ""
            raise ConfigError(f"{where}: unknown key `{key}`{hint}")
    fields: dict[str, Any] = {}
    for key in ("exclude", "extend-exclude", "select", "ignore"):
        if key in table:
            value = table[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: `{key}` must be a list of strings")
            fields[key.replace("-", "_")] = list(value)
    for key in ("respect-gitignore", "strict"):
        if key in table:
            if not isinstance(table[key], bool):
                raise ConfigError(f"{where}: `{key}` must be true or false")
            fields[key.replace("-", "_")] = table[key]
    if "output-format" in table:
        value = table["output-format"]
        if value not in FORMATS:
            raise ConfigError(f"{where}: `output-format` is `{value}`, not one of "
                              f"{', '.join(FORMATS)}")
        fields["output_format"] = value
    for key in ("select", "ignore"):
        if key in fields:
            fields[key] = check_codes(fields[key], key, where)
    return Config(path=path, **fields)


def check_codes(codes: list[str], key: str, where: str) -> list[str]:
    """``codes`` normalized (``p2`` is ``P2``); raises ConfigError for a code no rule has, and
    for ``ignore``, for one that names an error."""
    from protodsl.rules.registry import SEVERITIES

    out = []
    for raw in codes:
        code = raw.strip().upper()
        if code.isdigit():
            code = "P" + code
        matching = [c for c in SEVERITIES if c.startswith(code)] if code else []
        if not matching:
            raise ConfigError(f"{where}: `{key}` names `{raw}`, which is no rule's code")
        errors = sorted(c for c in matching if SEVERITIES[c] == "error")
        if key == "ignore" and errors:
            shown = ", ".join(f"`{c}`" for c in errors[:5]) + (", ..." if len(errors) > 5 else "")
            raise ConfigError(f"{where}: `ignore` names `{raw}`, which includes the error "
                              f"{shown}: only warnings can be ignored (errors always fail)")
        out.append(code)
    return out


def _has_tool_table(path: str) -> bool:
    # A cheap look before parsing: most pyproject.toml files have no [tool.protodsl].
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return False
    if "protodsl" not in text:
        return False
    try:
        data = _toml().loads(text)
    except ValueError:
        return True  # reading it will report the error
    tool = data.get("tool")
    return isinstance(tool, dict) and "protodsl" in tool


def _toml() -> Any:
    import tomllib

    return tomllib
