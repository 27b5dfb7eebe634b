"""Record: the base of cfglint's small value classes (spans, findings, settings, fixes, rules).

Why not dataclasses or typing.NamedTuple: defining one costs 0.1 to 0.5 ms at import on Python
3.11 (they generate and compile code, or evaluate every annotation), and `cfglint check` defines
about twenty of them: a tenth of its start-up on one file, which is what a pre-commit hook pays.
A record lists all its fields in its own __slots__ (records do not subclass each other) and
sets them in a plain __init__; equality, hashing and repr come from those slots. Records are
never changed after they are built: build a new one with `replace`.
"""

from __future__ import annotations

from typing import Any, TypeVar

R = TypeVar("R", bound="Record")


class Record:
    __slots__ = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def replace(self: R, **changes: Any) -> R:
        """A copy with some fields changed."""
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return type(self)(**values)
