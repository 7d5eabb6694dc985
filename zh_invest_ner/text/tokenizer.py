"""A Chinese tokenizer that normalises messy news text before segmenting it.

Real articles arrive in traditional script, with pinyin after characters, with
radical look-alikes and stray punctuation. Normalising inside the tokenizer means
``nlp(raw_text)`` works on anything a user passes, while ``doc._.source`` keeps the
original text and the offset map so every span can be reported in the user's text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import srsly
from spacy.lang.zh import ChineseTokenizer
from spacy.tokens import Doc
from spacy.util import ensure_path, registry
from spacy.vocab import Vocab

from zh_invest_ner import extensions
from zh_invest_ner.text.normalizer import normalize


class NormalizingTokenizer(ChineseTokenizer):
    """spaCy's ``ChineseTokenizer`` (char, jieba or pkuseg) behind our normaliser.

    pkuseg needs a model: spaCy's way is ``[initialize.tokenizer] pkuseg_model`` (and
    ``pkuseg_user_dict``), read by ``nlp.initialize()``; ``nlp.to_disk`` then saves the model
    inside the pipeline and ``spacy.load`` restores it from there. ``pkuseg_model`` and
    ``pkuseg_user_dict`` may also be given here (``[nlp.tokenizer]``): they are loaded on first
    use when nothing initialised or loaded a model, which is what a tokenizer built without
    ``initialize`` needs (``train_config`` segments the training data with a blank pipeline).
    """

    def __init__(self, vocab: Vocab, segmenter: str = "char", t2s: bool = True, *,
                 pkuseg_model: str | None = None, pkuseg_user_dict: str | None = "default") -> None:
        super().__init__(vocab, segmenter=segmenter)
        self.t2s = t2s
        self.pkuseg_model = pkuseg_model
        self.pkuseg_user_dict = pkuseg_user_dict

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Any = None,
        pkuseg_model: str | None = None,
        pkuseg_user_dict: str | None = "default",
    ) -> None:
        """Load the pkuseg model: ``[initialize.tokenizer]``'s, else ``[nlp.tokenizer]``'s, else keep a loaded one.

        The model and its dictionary go together: ``pkuseg_user_dict`` applies to the
        ``pkuseg_model`` given beside it. ``pkuseg_user_dict = null`` means no dictionary.
        Errors name the missing extra, the setting and the path (``text.segmenters``).
        """
        if self.segmenter != "pkuseg":
            return
        from zh_invest_ner.text.segmenters import load_pkuseg

        if pkuseg_model is not None:
            self.pkuseg_seg = load_pkuseg(pkuseg_model, pkuseg_user_dict, key="[initialize.tokenizer]")
        elif self.pkuseg_model is not None:
            self.pkuseg_seg = load_pkuseg(self.pkuseg_model, self.pkuseg_user_dict, key="[nlp.tokenizer]")
        elif self.pkuseg_seg is None:
            load_pkuseg(None, key="[initialize.tokenizer]")  # raises: which setting is missing

    def __call__(self, text: str) -> Doc:
        source = normalize(text, t2s=self.t2s)
        if self.segmenter == "pkuseg" and self.pkuseg_seg is None:
            self._load_configured_pkuseg()
        doc = super().__call__(source.text)
        doc._.source = source
        return doc

    def _load_configured_pkuseg(self) -> None:
        """The ``[nlp.tokenizer]`` model on first use, or an error saying where to name one."""
        from zh_invest_ner.text.segmenters import load_pkuseg

        if self.pkuseg_model is None:
            raise ValueError('this tokenizer has segmenter = "pkuseg" but no pkuseg model: set [initialize.tokenizer] '
                             'pkuseg_model = "/path/to/model" and call nlp.initialize(), or set pkuseg_model in '
                             "[nlp.tokenizer], or load a pipeline saved with its model")
        self.pkuseg_seg = load_pkuseg(self.pkuseg_model, self.pkuseg_user_dict, key="[nlp.tokenizer]")

    def from_disk(self, path: Any, **kwargs: Any) -> NormalizingTokenizer:
        """spaCy's loading, after checking that a pkuseg pipeline can be loaded here at all.

        Without spacy-pkuseg spaCy's own message asks for ``spacy-pkuseg<0.1``, which is not
        what this package needs; ours names the extra.
        """
        cfg = ensure_path(path) / "cfg"
        if cfg.exists() and srsly.read_json(cfg).get("segmenter") == "pkuseg":
            from zh_invest_ner.text.segmenters import import_pkuseg

            import_pkuseg(f"this pipeline's tokenizer ({path}) segments with pkuseg and")
        super().from_disk(path, **kwargs)
        return self

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
def create_normalizing_tokenizer(segmenter: str = "char", t2s: bool = True, pkuseg_model: str | None = None,
                                 pkuseg_user_dict: str | None = "default"):
    """Config entry point: ``[nlp.tokenizer] @tokenizers = "zh_invest_ner.NormalizingTokenizer.v1"``.

    ``pkuseg_model``/``pkuseg_user_dict`` are optional (see :class:`NormalizingTokenizer`);
    a saved pipeline never reads them: its model is inside it.
    """
    extensions.register()

    def factory(nlp) -> NormalizingTokenizer:
        return NormalizingTokenizer(nlp.vocab, segmenter=segmenter, t2s=t2s, pkuseg_model=pkuseg_model,
                                    pkuseg_user_dict=pkuseg_user_dict)

    return factory
