"""Character classes: the one definition of "a hanzi" the whole package uses."""

from __future__ import annotations

#: CJK Unified Ideographs and Extension A: the characters of names, companies and places.
HANZI_RANGES = "\u4e00-\u9fff\u3400-\u4dbf"


def is_hanzi(ch: str) -> bool:
    """Whether ``ch`` is one CJK ideograph (basic block or Extension A)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
