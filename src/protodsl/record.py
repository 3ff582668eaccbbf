"""Frozen record classes: typed, immutable, slotted and compared by value.

This is what the AST and the other value types are made of. It replaces attrs on purpose:
defining protodsl's ~60 classes with attrs cost about 40 ms of every cold start (16 ms to import
attrs, the rest generating and compiling methods per class), which alone put a cold
`protodsl check` at twice the cost of `import lark` (the target is 1.5). Here every method is an
ordinary function shared by all records and reading a per-class field tuple, so defining a class
costs a few microseconds. Type checkers see the decorator as a dataclass transform.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover - Python 3.10

    def dataclass_transform(**_: Any) -> Callable[[T], T]:
        return lambda f: f


_MISSING: Any = object()


class FrozenInstanceError(AttributeError):
    """Raised on an attempt to change a record."""


class Factory:
    """A default made fresh for every instance (``Factory(list)``)."""

    __slots__ = ("factory",)

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory


class Field:
    """One field of a record class: its name and default (``MISSING`` when required)."""

    __slots__ = ("name", "default")

    def __init__(self, name: str, default: Any) -> None:
        self.name = name
        self.default = default

    def __repr__(self) -> str:
        return f"Field({self.name!r})"


MISSING = _MISSING


def _is_classvar(annotation: Any) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(("ClassVar", "typing.ClassVar"))


def _collect(cls: type) -> tuple[list[Field], dict[str, Any]]:
    """The fields of ``cls`` (inherited first) and the class namespace without field defaults."""
    inherited: list[Field] = []
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get("__record_fields__", ()):
            inherited = [g for g in inherited if g.name != f.name] + [f]
    namespace = dict(cls.__dict__)
    own: list[Field] = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if _is_classvar(annotation):
            continue
        own.append(Field(name, namespace.pop(name, _MISSING)))
    names = {f.name for f in own}
    fields = [f for f in inherited if f.name not in names] + own
    seen_default = False
    for f in fields:
        if f.default is not _MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"{cls.__name__}: field {f.name!r} without a default follows one "
                            "with a default")
    namespace["__slots__"] = tuple(f.name for f in own if not any(
        f.name in getattr(b, "__slots__", ()) for b in cls.__mro__[1:]))
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    return fields, namespace


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    """The constructor of a record class until it has built ``COMPILE_AFTER`` records; then
    the class gets its own compiled ``__init__``.

    The generic constructor reading the field tuple costs about 3 us a record, a tenth of the
    analysis of a large file; a compiled one with the fields as parameters, 1.3 us. Compiling
    only for classes that build many records keeps defining a class, and a cold start on a
    small file, cheap.
    """
    owner = type(self)
    if owner.__dict__.get("__init__") is not _init:  # a plain subclass of a record class
        owner = next(c for c in owner.__mro__ if c.__dict__.get("__init__") is _init)
    built = _BUILT.get(owner, 0) + 1
    if built < COMPILE_AFTER:
        _BUILT[owner] = built
        _generic_init(self, *args, **kwargs)
        return
    init = _compile_init(owner)
    type.__setattr__(owner, "__init__", init)
    init(self, *args, **kwargs)


# Records built with the generic constructor per class, before its own is compiled (0.2 ms):
# a cold check of a small file builds most classes a few times only.
COMPILE_AFTER = 50
_BUILT: dict[type, int] = {}


def _compile_init(cls: type) -> Callable[..., None]:
    """An ``__init__`` for ``cls`` whose parameters are its fields, in order, with defaults."""
    fields = cls.__dict__["__record_fields__"]
    names = {f.name for f in fields}
    if "self" in names or any(name.startswith("__r_") for name in names):
        return _generic_init  # pragma: no cover - no record has such a field
    namespace: dict[str, Any] = {"__r_set": object.__setattr__, "__r_missing": _MISSING}
    params = ["self"]
    lines = []
    for i, f in enumerate(fields):
        if f.default is _MISSING:
            params.append(f.name)
        elif isinstance(f.default, Factory):
            namespace[f"__r_f{i}"] = f.default.factory
            params.append(f"{f.name}=__r_missing")
            lines.append(f"    if {f.name} is __r_missing:\n        {f.name} = __r_f{i}()")
        else:
            namespace[f"__r_d{i}"] = f.default
            params.append(f"{f.name}=__r_d{i}")
        lines.append(f"    __r_set(self, {f.name!r}, {f.name})")
    source = f"def __init__({', '.join(params)}):\n" + "\n".join(lines or ["    pass"]) + "\n"
    exec(source, namespace)  # noqa: S102 - built from the class's field names only
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _generic_init(self: Any, *args: Any, **kwargs: Any) -> None:
    fields = self.__record_fields__
    if len(args) > len(fields):
        raise TypeError(f"{type(self).__name__}() takes {len(fields)} arguments, "
                        f"{len(args)} given")
    setter = object.__setattr__
    for i, f in enumerate(fields):
        if i < len(args):
            value = args[i]
            if f.name in kwargs:
                raise TypeError(f"{type(self).__name__}() got {f.name!r} twice")
        elif f.name in kwargs:
            value = kwargs.pop(f.name)
        elif f.default is _MISSING:
            raise TypeError(f"{type(self).__name__}() missing argument {f.name!r}")
        elif isinstance(f.default, Factory):
            value = f.default.factory()
        else:
            value = f.default
        setter(self, f.name, value)
    unknown = set(kwargs) - {f.name for f in fields}
    if unknown:
        raise TypeError(f"{type(self).__name__}() got unexpected arguments {sorted(unknown)}")


def _values(self: Any) -> tuple[Any, ...]:
    return tuple([getattr(self, f.name) for f in self.__record_fields__])


def _repr(self: Any) -> str:
    inner = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self.__record_fields__)
    return f"{type(self).__name__}({inner})"


def _eq(self: Any, other: Any) -> Any:
    if type(other) is not type(self):
        return NotImplemented
    return _values(self) == _values(other)


def _ne(self: Any, other: Any) -> Any:
    result = _eq(self, other)
    return result if result is NotImplemented else not result


def _hash(self: Any) -> int:
    return hash((type(self).__qualname__, _values(self)))


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}: {type(self).__name__} is frozen")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}: {type(self).__name__} is frozen")


def _reduce(self: Any) -> tuple[Any, ...]:
    return (type(self), _values(self))


def _order(op: Callable[[tuple[Any, ...], tuple[Any, ...]], bool]) -> Callable[[Any, Any], Any]:
    def compare(self: Any, other: Any) -> Any:
        if type(other) is not type(self):
            return NotImplemented
        return op(_values(self), _values(other))

    return compare


_ORDER = {
    "__lt__": _order(lambda a, b: a < b),
    "__le__": _order(lambda a, b: a <= b),
    "__gt__": _order(lambda a, b: a > b),
    "__ge__": _order(lambda a, b: a >= b),
}


def _build(cls: type, *, frozen: bool, eq: bool, order: bool) -> type:
    fields, namespace = _collect(cls)
    namespace["__record_fields__"] = tuple(fields)
    namespace["__match_args__"] = tuple(f.name for f in fields)
    namespace["__init__"] = _init
    namespace.setdefault("__repr__", _repr)
    if eq:
        namespace["__eq__"] = _eq
        namespace["__ne__"] = _ne
        namespace["__hash__"] = _hash if frozen else None
    if order:
        namespace.update(_ORDER)
    if frozen:
        namespace["__setattr__"] = _frozen_setattr
        namespace["__delattr__"] = _frozen_delattr
        namespace["__reduce__"] = _reduce
    return type(cls)(cls.__name__, cls.__bases__, namespace)


@dataclass_transform(frozen_default=True, field_specifiers=(Factory,))
def frozen(cls: type[T] | None = None, *, order: bool = False) -> Any:
    """Class decorator: an immutable record compared and hashed by value."""

    def wrap(c: type[T]) -> type[T]:
        return _build(c, frozen=True, eq=True, order=order)  # type: ignore[return-value]

    return wrap if cls is None else wrap(cls)


@dataclass_transform(field_specifiers=(Factory,))
def mutable(cls: type[T] | None = None, *, eq: bool = False) -> Any:
    """Class decorator: a mutable record (compared by identity unless ``eq``)."""

    def wrap(c: type[T]) -> type[T]:
        return _build(c, frozen=False, eq=eq, order=False)  # type: ignore[return-value]

    return wrap if cls is None else wrap(cls)


def fields(cls: type) -> tuple[Field, ...]:
    """The fields of a record class, inherited ones first."""
    return cls.__dict__["__record_fields__"]  # type: ignore[no-any-return]


def evolve(inst: T, **changes: Any) -> T:
    """A copy of the record ``inst`` with some fields changed."""
    values = {f.name: getattr(inst, f.name) for f in fields(type(inst))}
    values.update(changes)
    return type(inst)(**values)


def has(cls: type) -> bool:
    """Whether ``cls`` is a record class."""
    return "__record_fields__" in getattr(cls, "__dict__", {})
