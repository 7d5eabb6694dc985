"""A Chinese tokenizer that normalises messy news text before segmenting it.

Real articles arrive in traditional script, with pinyin after characters, with
radical look-alikes and stray punctuation. Normalising inside the tokenizer means
``nlp(raw_text)`` works on anything a user passes, while ``doc._.source`` keeps the
original text and the offset map so every span can be reported in the user's text.
"""

from __future__ import annotations

from typing import Any

from spacy.lang.zh import ChineseTokenizer
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from zh_invest_ner import extensions
from zh_invest_ner.text.normalizer import normalize


class NormalizingTokenizer(ChineseTokenizer):
    """spaCy's ``ChineseTokenizer`` (char, jieba or pkuseg) behind our normaliser."""

    def __init__(self, vocab: Vocab, segmenter: str = "char", t2s: bool = True) -> None:
        super().__init__(vocab, segmenter=segmenter)
        self.t2s = t2s

    def __call__(self, text: str) -> Doc:
        source = normalize(text, t2s=self.t2s)
        doc = super().__call__(source.text)
        doc._.source = source
        return doc

    def _get_config(self) -> dict[str, Any]:
        return {**super()._get_config(), "t2s": self.t2s}

    def _set_config(self, config: dict[str, Any] | None = None) -> None:
        """Settings saved with a pipeline (``tokenizer/cfg``), which must agree with its config.

        spaCy lets the saved ``segmenter`` silently win over the one in ``config.cfg``, so a
        config edited to ``segmenter = "jieba"`` would go on segmenting by character. The NER
        was trained on the saved segmentation, so a different one is refused, not applied.
        """
        config = config or {}
        configured = str(getattr(self.segmenter, "value", self.segmenter))
        saved = str(config.get("segmenter", "char"))
        if saved != configured:
            raise ValueError(f"the config names segmenter {configured!r}, but this pipeline's tokenizer was "
                             f"saved with {saved!r} (tokenizer/cfg), and its NER was trained on that: set "
                             f"segmenter = {saved!r} in [nlp.tokenizer], or retrain with the segmenter you want")
        super()._set_config(config)
        self.t2s = config.get("t2s", self.t2s)


@registry.tokenizers("zh_invest_ner.NormalizingTokenizer.v1")
def create_normalizing_tokenizer(segmenter: str = "char", t2s: bool = True):
    """Config entry point: ``[nlp.tokenizer] @tokenizers = "zh_invest_ner.NormalizingTokenizer.v1"``."""
    extensions.register()

    def factory(nlp) -> NormalizingTokenizer:
        return NormalizingTokenizer(nlp.vocab, segmenter=segmenter, t2s=t2s)

    return factory
