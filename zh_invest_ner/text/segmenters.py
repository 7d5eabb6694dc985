"""Word segmenters (pkuseg, jieba) as configurable, serialisable parts of the pipeline.

Why this exists: spaCy's ``ChineseTokenizer`` can segment with pkuseg, but it leaves the
sharp edges to the user. An unset ``pkuseg_model`` ends in a ``TypeError`` deep inside
spacy-pkuseg, a missing folder in a bare ``FileNotFoundError``, ``pkuseg_user_dict = null``
is taken as a *file name* equal to the model path, and spacy-pkuseg's ``cut`` drops the
whitespace between words, so its words cannot be laid back onto the text without
searching for them. This module does those steps once, with errors that name the
missing extra, the config key and the path:

* :func:`load_pkuseg` loads a user-supplied pkuseg model folder (``features.msgpack`` +
  ``weights.npz``, what ``spacy_pkuseg.train`` writes) and user dictionary;
* :func:`covering_words` turns any segmenter's words into pieces that cover the text
  exactly (whitespace included), which offset-based features need;
* :class:`WordSegmenter` is a segmenter a component can keep, call and save: a pkuseg
  model travels inside ``to_bytes`` (through spaCy's own pkuseg serialisation), so a
  saved pipeline never reads the model folder again.

The model and the user dictionary see the *normalised* text (simplified script, no pinyin
annotations), so a user dictionary should list words in simplified characters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

#: Segmenters whose words can be word-boundary features or tokens.
SEGMENTERS = ("jieba", "pkuseg")
#: A pkuseg model folder holds weights and features (``spacy_pkuseg.train`` writes msgpack; the
#: original pkuseg's models, e.g. its ``models/default``, are a pickle, which spacy-pkuseg also reads).
PKUSEG_WEIGHTS = "weights.npz"
PKUSEG_FEATURES = ("features.msgpack", "features.pkl", "features.json")
PKUSEG_HINT = 'pip install "zh-invest-ner[pkuseg]" (spacy-pkuseg)'
JIEBA_HINT = 'pip install "zh-invest-ner[jieba]"'


def import_pkuseg(what: str = "the pkuseg segmenter") -> Any:
    """The ``spacy_pkuseg`` module, or an ImportError that names the extra to install."""
    try:
        import spacy_pkuseg
    except ImportError as e:
        raise ImportError(f"{what} needs spacy-pkuseg, which is not installed: {PKUSEG_HINT}") from e
    return spacy_pkuseg


def import_jieba(what: str = "the jieba segmenter") -> Any:
    """The ``jieba`` module, or an ImportError that names the extra to install."""
    try:
        import jieba
    except ImportError as e:
        raise ImportError(f"{what} needs jieba, which is not installed: {JIEBA_HINT}") from e
    return jieba


def _downloadable_models() -> tuple[str, ...]:
    from spacy_pkuseg.config import config

    return tuple(config.available_models)


def check_pkuseg_model(model: str | Path | None, *, key: str = "[initialize.tokenizer] pkuseg_model") -> str:
    """The model as spacy-pkuseg takes it, or an error naming ``key`` and what is missing.

    A folder must hold :data:`PKUSEG_WEIGHTS` and one of :data:`PKUSEG_FEATURES`. The names of spacy-pkuseg's published
    models (``spacy_ontonotes``, ``news``…) are passed on: spacy-pkuseg then downloads the
    model into ``~/.pkuseg`` (``PKUSEG_HOME``), which needs the network once.
    """
    if model is None or str(model).strip() == "":
        raise ValueError(f'segmenter = "pkuseg" needs a pkuseg model: set {key} = "/path/to/model" '
                         f"(a folder with {PKUSEG_WEIGHTS} and {PKUSEG_FEATURES[0]}, as spacy_pkuseg.train writes)")
    name = str(model)
    path = Path(name).expanduser()
    if not path.exists() and name in _downloadable_models():
        return name
    if not path.is_dir():
        raise FileNotFoundError(f"{key} = {name!r}: no such pkuseg model folder")
    missing = [f for f in (PKUSEG_WEIGHTS,) if not (path / f).is_file()]
    if not any((path / f).is_file() for f in PKUSEG_FEATURES):
        missing.append(" or ".join(PKUSEG_FEATURES))
    if missing:
        raise FileNotFoundError(f"{key} = {name!r} is not a pkuseg model folder: {', '.join(missing)} missing")
    return str(path)


def check_user_dict(user_dict: str | Path | None, *,
                    key: str = "[initialize.tokenizer] pkuseg_user_dict") -> str | None:
    """``None`` (no dictionary), ``"default"`` (spacy-pkuseg's own) or an existing file's path."""
    if user_dict is None or str(user_dict) == "default":
        return None if user_dict is None else "default"
    path = Path(user_dict).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"{key} = {str(user_dict)!r}: no such file (one word a line, "
                                f'optionally a tab and a tag; or "default", or null for none)')
    return str(path)


def load_pkuseg(model: str | Path | None, user_dict: str | Path | None = "default", *,
                key: str = "[initialize.tokenizer]") -> Any:
    """A ``spacy_pkuseg.pkuseg`` segmenter from a model folder and a user dictionary.

    ``user_dict``: a file (one word a line, optionally ``word<TAB>tag``; words in it are
    always kept whole), ``"default"`` (spacy-pkuseg's merge dictionary only) or ``None``
    (neither: the model's own decisions). Unlike spaCy's ``ChineseTokenizer.initialize``,
    ``None`` really means no dictionary, not "a dictionary file named like the model".
    """
    spacy_pkuseg = import_pkuseg()
    name = check_pkuseg_model(model, key=f"{key} pkuseg_model")
    dictionary = check_user_dict(user_dict, key=f"{key} pkuseg_user_dict")
    seg = spacy_pkuseg.pkuseg(name, user_dict=dictionary)
    post = seg.postprocesser
    # without a dictionary spacy-pkuseg's Postprocesser has no word sets, and spaCy's
    # ChineseTokenizer.to_disk/to_bytes then fail on them: give it empty ones
    post.common_words = getattr(post, "common_words", set())
    post.other_words = getattr(post, "other_words", set())
    return seg


def covering_words(text: str, words: Iterable[str]) -> Iterator[str]:
    """``words`` of ``text`` with the whitespace between them: pieces whose concatenation is ``text``.

    pkuseg splits on whitespace and returns only the words; offset-based consumers (the
    lexicon features count characters) need every character accounted for. A word that
    is not the next non-whitespace text (a segmenter that rewrote it) raises, rather than
    shifting every later offset.
    """
    pos = 0
    for word in words:
        if not word:
            continue
        start = pos
        while start < len(text) and text[start].isspace() and not word[0].isspace():
            start += 1
        if text[start : start + len(word)] != word:
            raise ValueError(f"segmenter word {word!r} is not the text at offset {start}: {text[start:start + 20]!r}")
        if start > pos:
            yield text[pos:start]
        yield word
        pos = start + len(word)
    if pos < len(text):
        yield text[pos:]


class WordSegmenter:
    """A named segmenter a component can call (:meth:`cut`) and save (:meth:`to_bytes`).

    ``jieba``: jieba's own dictionary, without its HMM (so that unknown names are not glued
    to their neighbours differently from one run to the next); nothing to save.
    ``pkuseg``: a model folder and user dictionary (:func:`load_pkuseg`), loaded when first
    needed; once loaded, the model itself is what is saved.
    """

    def __init__(self, name: str, *, pkuseg_model: str | None = None,
                 pkuseg_user_dict: str | None = "default") -> None:
        if name not in SEGMENTERS:
            raise ValueError(f"unknown segmenter {name!r} (expected one of {SEGMENTERS})")
        self.name = name
        self.pkuseg_model = pkuseg_model
        self.pkuseg_user_dict = pkuseg_user_dict
        self._cut: Callable[[str], Iterable[str]] | None = None
        self._pkuseg: Any = None

    def load(self, key: str = "pkuseg_model") -> WordSegmenter:
        """Load the segmenter now (``key`` names the setting in errors)."""
        if self.name == "jieba":
            tokenizer = import_jieba().Tokenizer()
            self._cut = lambda text: tokenizer.cut(text, HMM=False)
        elif self._pkuseg is None:
            self._set_pkuseg(load_pkuseg(self.pkuseg_model, self.pkuseg_user_dict, key=key))
        return self

    def _set_pkuseg(self, seg: Any) -> None:
        self._pkuseg = seg
        self._cut = lambda text: covering_words(text, seg.cut(text))

    def cut(self, text: str) -> list[str]:
        """Pieces covering ``text`` exactly: its words and the whitespace between them."""
        if self._cut is None:
            self.load()
        return list(self._cut(text))  # type: ignore[misc]

    def to_bytes(self) -> bytes:
        """The pkuseg model and dictionaries (spaCy's format); empty for jieba."""
        if self.name != "pkuseg":
            return b""
        self.load()
        return _pkuseg_holder(self._pkuseg).to_bytes()

    def from_bytes(self, data: bytes) -> WordSegmenter:
        """Restore what :meth:`to_bytes` wrote; reads no model folder."""
        if self.name == "pkuseg" and data:
            import_pkuseg("loading a saved pkuseg segmenter")
            holder = _pkuseg_holder(None).from_bytes(data)
            self._set_pkuseg(holder.pkuseg_seg)
        return self


def _pkuseg_holder(seg: Any) -> Any:
    """A bare spaCy ``ChineseTokenizer`` holding ``seg``: its to/from_bytes serialise pkuseg models."""
    from spacy.lang.zh import ChineseTokenizer
    from spacy.vocab import Vocab

    holder = ChineseTokenizer(Vocab(), segmenter="pkuseg")
    holder.pkuseg_seg = seg
    return holder
