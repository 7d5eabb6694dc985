"""Cutting very long documents into paragraph-aligned pieces.

Why this exists: the statistical NER holds activations for the whole document at once,
so a 500,000-character page (a site's archive scraped as one text) costs memory in
proportion to it, and one such page can exhaust a worker. Articles are a few thousand
characters; cutting a longer text at line breaks into pieces of at most ``max_chars``
keeps memory flat and loses nothing an article spans. The pieces are cut from the text
as given, before normalisation, so each piece's offsets map back by adding its start.
"""

from __future__ import annotations

#: Where a piece may end, best first: a line break, then any sentence end.
_LINE_BREAK = "\n"
_SENTENCE_ENDS = ("。", "！", "？", "；")


def piece_bounds(text: str, max_chars: int) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces covering ``text``, each at most ``max_chars`` long.

    A piece ends after the last line break in its second half, else after the last
    sentence end there, else at ``max_chars`` (a text with no breaks at all).
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    if len(text) <= max_chars:
        return [(0, len(text))]
    bounds, start = [], 0
    while len(text) - start > max_chars:
        low, high = start + max_chars // 2, start + max_chars
        cut = text.rfind(_LINE_BREAK, low, high)
        if cut < 0:
            cut = max(text.rfind(mark, low, high) for mark in _SENTENCE_ENDS)
        end = cut + 1 if cut >= 0 else high
        bounds.append((start, end))
        start = end
    bounds.append((start, len(text)))
    return bounds
