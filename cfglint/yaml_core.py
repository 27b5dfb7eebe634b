"""The YAML 1.2 core schema: the value a plain (unquoted, untagged) scalar stands for.

Shared by both YAML readers (cfglint.simple_yaml and cfglint.yaml_source) and by fixes, which
write a value plain only where it reads back as itself.
"""

from __future__ import annotations

import math
import re

from cfglint.document import PathElement

# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


def _infinity(text: str) -> float:
    return -math.inf if text.startswith("-") else math.inf


_IS_NULL = (_NULL, lambda text: None)
_IS_INT = (_INT, int)
_IS_FLOAT = (_FLOAT, float)
_IS_INF = (_INF, _infinity)
# The patterns a plain scalar can match, by its first character, in the core schema's order
# (null, bool, int, octal, hex, float, inf, nan): one dictionary lookup rules out the rest.
PATTERNS_BY_FIRST: dict[str, tuple] = {
    "": (_IS_NULL,),
    "~": (_IS_NULL,),
    "n": (_IS_NULL,),
    "N": (_IS_NULL,),
    "t": ((_TRUE, lambda text: True),),
    "T": ((_TRUE, lambda text: True),),
    "f": ((_FALSE, lambda text: False),),
    "F": ((_FALSE, lambda text: False),),
    "0": (_IS_INT, (_OCT, lambda text: int(text[2:], 8)), (_HEX, lambda text: int(text[2:], 16)), _IS_FLOAT),
    **{digit: (_IS_INT, _IS_FLOAT) for digit in "123456789"},
    "+": (_IS_INT, _IS_FLOAT, _IS_INF),
    "-": (_IS_INT, _IS_FLOAT, _IS_INF),
    ".": (_IS_FLOAT, _IS_INF, (_NAN, lambda text: math.nan)),
}


def resolve_plain(text: str) -> object:
    """The value a YAML 1.2 loader gives a plain (unquoted, untagged) scalar."""
    for pattern, value in PATTERNS_BY_FIRST.get(text[:1], ()):  # most scalars are words: none
        if pattern.match(text):
            return value(text)
    return text


def key_in_path(key: object) -> PathElement:
    """A mapping key as a key path writes it: integers stay integers, anything else is its text."""
    return key if isinstance(key, int) and not isinstance(key, bool) else str(key)
