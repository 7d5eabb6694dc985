"""Splitting overlong sentences: scraped pages without punctuation must not become one sentence.

Why this exists: the relation rules pair every official with every executive of a
sentence and search each sentence for verbs and topic frames, which is cheap for a news
sentence of 50–150 characters and ruinous for a 100,000-character page whose
punctuation was lost in scraping (one "sentence", thousands of people, millions of
pairs). No real sentence runs past a few hundred characters, so a sentence longer than
``max_chars`` is cut, at the last soft break (``，、：,; `` or a space) before the limit
when there is one, else at the limit.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

#: Where an overlong sentence is best cut, in order of preference.
SOFT_BREAKS = "，,、：:；; \u3000"


def cut_points(text: str, start: int, end: int, max_chars: int) -> list[int]:
    """Character offsets at which ``text[start:end]`` is cut into pieces of at most ``max_chars``."""
    cuts = []
    while end - start > max_chars:
        limit = start + max_chars
        window = text[start + max_chars // 2 : limit]
        at = max(window.rfind(ch) for ch in SOFT_BREAKS)
        cut = start + max_chars // 2 + at + 1 if at >= 0 else limit
        cuts.append(cut)
        start = cut
    return cuts


class LongSentenceSplitter:
    """Marks extra sentence starts inside sentences longer than ``max_chars`` characters."""

    def __init__(self, nlp: Language, name: str, max_chars: int = 500) -> None:
        self.name = name
        self.max_chars = max_chars

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        if len(text) <= self.max_chars:
            return doc
        starts = [s.start_char for s in doc.sents] + [len(text)]
        cuts = [c for a, b in zip(starts, starts[1:], strict=False) if b - a > self.max_chars
                for c in cut_points(text, a, b, self.max_chars)]
        for cut in cuts:
            token = doc.char_span(cut, cut + 1, alignment_mode="expand")
            if token is not None and token.start > 0:
                doc[token.start].is_sent_start = True
        return doc

    # nothing to save: the limit lives in the config
    def to_bytes(self, *, exclude: tuple = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: tuple = ()) -> LongSentenceSplitter:
        return self

    def to_disk(self, path, *, exclude: tuple = ()) -> None:
        return None

    def from_disk(self, path, *, exclude: tuple = ()) -> LongSentenceSplitter:
        return self


@Language.factory(
    "zh_long_sentences",
    default_config={"max_chars": 500},
    assigns=["token.is_sent_start"],
    requires=["token.is_sent_start"],
)
def make_long_sentences(nlp: Language, name: str, max_chars: int) -> LongSentenceSplitter:
    return LongSentenceSplitter(nlp, name, max_chars)
