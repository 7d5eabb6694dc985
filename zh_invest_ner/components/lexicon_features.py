"""Lexicon features for the NER: what kind of word each character is part of.

Why this exists: the statistical NER embeds each character's NORM and SHAPE, so what it
learns about names, companies and government bodies is tied to the characters it saw in
our few hundred articles; on other people's news (CLUENER, MSRA) it finds few of them.
Whether a character begins a place name, ends a government-body word (局, 管委会) or a
company's legal form (有限公司), or is a surname, is knowledge that holds in any genre
and that the model cannot memorise from our articles alone. This component writes that
knowledge as one feature string per character token (``B-PLACE``, ``E-GOVSUF|S-ADMSUF``,
``S-SURN``…), and the NER's ``MultiHashEmbed`` embeds it as a third attribute.

Where the feature goes: ``MultiHashEmbed`` reads token attributes through
``Doc.to_array``, so only spaCy's built-in attributes are possible, not a ``Token._``
extension. ``TAG`` is a free string attribute: no component of this pipeline tags parts
of speech (the tokenizer's segmenters set none, nothing reads ``token.tag_``), so we can
own it. It is written with one ``Doc.from_array`` call per document, one C loop instead
of a Python property assignment (and string-store lookup) per token.

The feature is ``BIES-CATEGORY`` for every lexicon word that covers the character, joined
with ``|`` in category order when several do; ``0`` (the empty string) when none does.
Each category is one compiled regular expression built from a trie of its words, so
matching is one left-to-right pass over the text per category with the longest word
winning at each position, whatever the size of the lexicon.

The word lists come through ``initialize(lexicons=...)`` (the package's data files when
none are given, as ``SpanRuler.initialize(patterns=...)`` does) and are saved with the
pipeline, so loading a trained model never reads the package's current data files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy
from spacy.attrs import TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import ensure_path

from zh_invest_ner.components.base import DataComponent
from zh_invest_ner.components.spans import text_of
from zh_invest_ner.text.segmenters import SEGMENTERS, WordSegmenter

#: Feature categories, in the order their features are joined.
CATEGORIES = ("SURN", "TITLE", "CSUF", "CIND", "GOVSUF", "ORGSUF", "PLACE", "ADMSUF")


def _data_text(name: str) -> str:
    return resources.files("zh_invest_ner").joinpath("data", name).read_text(encoding="utf-8")


def _data_words(name: str) -> list[str]:
    """Whitespace-separated words of a data file, comment lines skipped."""
    return [w for line in _data_text(name).splitlines() if not line.startswith("#") for w in line.split()]


@lru_cache(maxsize=1)
def _default_lexicons() -> dict[str, tuple[str, ...]]:
    from zh_invest_ner import lexicons

    extra: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for lineno, line in enumerate(_data_text("feature_words.tsv").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        category, _, words = line.partition("\t")
        if category not in extra:
            raise ValueError(f"data/feature_words.tsv line {lineno}: unknown category {category!r}")
        extra[category].extend(words.split())
    extra["SURN"].extend(lexicons.surnames())
    extra["TITLE"].extend(lexicons.titles())
    extra["CSUF"].extend(lexicons.company_suffixes())
    extra["PLACE"].extend([*_data_words("places.txt"), *lexicons.places()])
    return {c: tuple(sorted(set(words))) for c, words in extra.items()}


def default_lexicons() -> dict[str, list[str]]:
    """The package's word lists per category (read from ``zh_invest_ner/data``)."""
    return {c: list(words) for c, words in _default_lexicons().items()}


def trie_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any of ``words``, longest first, in time linear in the text.

    A plain ``a|ab|abc`` alternation tries every word at every position; the trie form
    ``a(?:b(?:c)?)?`` tests one character per step and its greedy groups give the
    longest word that matches. ``None`` for an empty list.
    """
    trie: dict[str, Any] = {}
    for word in words:
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True
    if not trie:
        return None

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: what follows is optional (greedy: longest first)
            return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else "(?:" + body + ")?"
        return body

    # the top level has no end marker: every match has at least one character
    return re.compile(build(trie))


class LexiconFeatures(DataComponent):
    """Writes each character's lexicon feature string into ``token.tag_`` for the NER."""

    filename = "lexicon_features.json"

    pkuseg_file = "pkuseg.bin"

    def __init__(self, nlp: Language, name: str, segmenter: str | None = None, pkuseg_model: str | None = None,
                 pkuseg_user_dict: str | None = "default") -> None:
        if segmenter is not None and segmenter not in SEGMENTERS:
            raise ValueError(f"zh_lexicon_features: unknown segmenter {segmenter!r} (expected one of {SEGMENTERS})")
        self._segmenter = None if segmenter is None else WordSegmenter(
            segmenter, pkuseg_model=pkuseg_model, pkuseg_user_dict=pkuseg_user_dict)
        self._segment: Callable[[str], Iterable[str]] | None = None
        self._hashes: dict[str, int] = {}
        super().__init__(nlp, name, {"lexicons": {}, "segmenter": segmenter})

    def _compile(self) -> None:
        lexicons: dict[str, list[str]] = self.data["lexicons"]
        order = [c for c in CATEGORIES if c in lexicons] + sorted(c for c in lexicons if c not in CATEGORIES)
        self._patterns = [(c, p) for c in order if (p := trie_pattern(lexicons[c])) is not None]
        self._segment = None if self._segmenter is None else self._segmenter.cut
        self._hashes = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        lexicons: dict[str, list[str]] | None = None,
    ) -> None:
        """Take the word lists: ``lexicons`` (category -> words) or the package's data files.

        Given lexicons replace the defaults as a whole, so a test or a user gets exactly
        the categories given; category names are free (``CATEGORIES`` fixes the order of
        the known ones).
        """
        chosen = default_lexicons() if lexicons is None else lexicons
        self.data["lexicons"] = {c: sorted({w for w in words if w}) for c, words in chosen.items()}
        if self._segmenter is not None:  # now, so a missing model is an error of initialize, not of the first doc
            self._segmenter.load(key="[components.zh_lexicon_features]")
        self._compile()

    def to_disk(self, path, *, exclude: tuple = ()) -> None:
        """The word lists, and the pkuseg model when there is one (a loaded pipeline reads no model folder)."""
        super().to_disk(path, exclude=exclude)
        if self._segmenter is not None and self._segmenter.name == "pkuseg":
            (ensure_path(path) / self.pkuseg_file).write_bytes(self._segmenter.to_bytes())

    def from_disk(self, path, *, exclude: tuple = ()) -> LexiconFeatures:
        super().from_disk(path, exclude=exclude)
        file = ensure_path(path) / self.pkuseg_file
        if self._segmenter is not None and file.exists():
            self._segmenter.from_bytes(file.read_bytes())
        return self

    def char_features(self, text: str) -> list[list[str]]:
        """The features of each character of ``text`` (a list per character)."""
        feats: list[list[str]] = [[] for _ in text]
        for category, pattern in self._patterns:
            for m in pattern.finditer(text):
                _mark(feats, m.start(), m.end(), category)
        if self._segment is not None:
            pos = 0
            for word in self._segment(text):
                end = pos + len(word)
                if not word.isspace():
                    _mark(feats, pos, end, "W")
                pos = end
        return feats

    def __call__(self, doc: Doc) -> Doc:
        if not self._patterns and self._segment is None:
            return doc
        feats = self.char_features(text_of(doc))
        strings = doc.vocab.strings
        values = numpy.zeros((len(doc), 1), dtype="uint64")
        for i, token in enumerate(doc):
            start = token.idx
            if len(token) == 1:
                found = feats[start]
            else:  # a multi-character token (jieba/pkuseg tokenizer): its characters' features, once each
                found = list(dict.fromkeys(f for ch in feats[start : start + len(token)] for f in ch))
            if not found:
                continue
            key = "|".join(found)
            h = self._hashes.get(key)
            if h is None:
                h = self._hashes[key] = strings.add(key)
            values[i, 0] = h
        doc.from_array([TAG], values)
        return doc


def _mark(feats: list[list[str]], start: int, end: int, category: str) -> None:
    if end - start == 1:
        feats[start].append("S-" + category)
        return
    feats[start].append("B-" + category)
    for i in range(start + 1, end - 1):
        feats[i].append("I-" + category)
    feats[end - 1].append("E-" + category)


@Language.factory(
    "zh_lexicon_features",
    assigns=["token.tag"],
    default_config={"segmenter": None, "pkuseg_model": None, "pkuseg_user_dict": "default"},
)
def make_lexicon_features(nlp: Language, name: str, segmenter: str | None, pkuseg_model: str | None,
                          pkuseg_user_dict: str | None) -> LexiconFeatures:
    """Lexicon (and optionally word-boundary: jieba, pkuseg) features in ``token.tag`` for the NER."""
    return LexiconFeatures(nlp, name, segmenter=segmenter, pkuseg_model=pkuseg_model,
                           pkuseg_user_dict=pkuseg_user_dict)
