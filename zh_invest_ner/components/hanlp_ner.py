"""``hanlp_ner``: entities from a HanLP NER model, as a spaCy component (the ``hanlp`` extra).

Why this exists: HanLP ships NER architectures (BiLSTM-CRF, transformers) that our
spaCy NER does not have, and its pretrained models use other label sets. This
component runs any model ``hanlp.load()`` accepts (a folder, or a pretrained
identifier) on the characters of our docs and maps its labels onto ours, so the rule
components downstream see ``doc.ents`` exactly as they would from the statistical
``ner``: in its place (``mode = "replace"``) or beside it (``mode = "merge"``: HanLP's
spans are added where they overlap no entity found before).

Why the imports are inside functions: ``import zh_invest_ner`` must not pull in torch
(seconds of import and hundreds of MB) for users of the spaCy model; hanlp and torch
are imported when a model is first loaded.

Serialisation: ``to_disk`` copies the HanLP model folder into the pipeline folder
(``hanlp_ner/model``), ``from_disk`` loads it from there, so a saved pipeline is
self-contained; ``model`` in the config only says where a fresh component loads from
(``null``: the copy inside the pipeline folder, as trained pipelines have).

HanLP 2.1's ``RNNTaggingModel`` passes its CRF constraints where the CRF expects
``batch_first``, so the CRF reads batch-first emissions as time-first: with more than
one sentence in a batch, training and decoding mix the sentences up. ``fix_crf`` sets
``batch_first`` on every such model this component loads, and
:data:`BatchFirstRNNRecognizer` (built on first use, see ``__getattr__``) is the
recognizer ``zh_invest_ner.training.hanlp_train`` trains, with the fix built in.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import ensure_path, filter_spans, minibatch

from zh_invest_ner.labels import LABELS

#: Label maps of the usual HanLP models onto ours; a label a map leaves out is dropped.
LABEL_MAPS: dict[str, dict[str, str]] = {
    # PKU / People's Daily POS-style NER tags (HanLP's PKU models, 1998 People's Daily)
    "pku": {"nr": "PERSON", "nrf": "PERSON", "nrj": "PERSON", "ns": "GPE", "nt": "ORG"},
    # MSRA: the three classic classes (also as NR/NS/NT and PER/LOC/ORG in older corpora)
    "msra": {"PERSON": "PERSON", "LOCATION": "GPE", "ORGANIZATION": "ORG", "NR": "PERSON", "NS": "GPE",
             "NT": "ORG", "PER": "PERSON", "LOC": "GPE"},
    # OntoNotes 5 (HanLP's OntoNotes and multi-task models): the classes we have counterparts for
    "ontonotes": {"PERSON": "PERSON", "GPE": "GPE", "LOC": "GPE", "ORG": "ORG"},
    # models trained on our own data (zh-invest-ner train --backend hanlp)
    "ours": {label: label for label in LABELS},
}
#: ``label_scheme = "auto"``: every map at once (they never disagree on a label).
LABEL_MAPS["auto"] = {k: v for m in LABEL_MAPS.values() for k, v in m.items()}

MODES = ("replace", "merge")
#: What a whitespace token (a line break) is given to HanLP as: HanLP's TSV files cannot hold it.
SPACE_TOKEN = "<sp>"
#: The HanLP model folder inside the component's folder of a saved pipeline.
MODEL_DIR = "model"


def build_label_map(scheme: str = "auto", overrides: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The HanLP-label → our-label map: a preset, then ``overrides`` (``None``/``""`` drops a label)."""
    if scheme not in LABEL_MAPS:
        raise ValueError(f"unknown label_scheme {scheme!r}: choose one of {', '.join(LABEL_MAPS)}")
    mapping = dict(LABEL_MAPS[scheme])
    for source, target in (overrides or {}).items():
        if not target:
            mapping.pop(source, None)
        elif target not in LABELS:
            raise ValueError(f"label_map sends {source!r} to {target!r}, which is not one of {', '.join(LABELS)}")
        else:
            mapping[source] = target
    return mapping


def token_text(text: str) -> str:
    """What HanLP sees of one of our tokens (a character; whitespace as :data:`SPACE_TOKEN`)."""
    return SPACE_TOKEN if not text or text.isspace() else text


def fix_crf(component: Any) -> Any:
    """Make the CRF of a HanLP RNN tagger read its (batch-first) emissions batch-first.

    HanLP 2.1 builds it as ``CRF(n_out, crf_constraints)``, which sets ``batch_first=None``;
    the BiLSTM's output is batch-first, so decoding a batch of several sentences without this
    transposes it. Other models (transformers build ``CRF(n)``, batch-first) are left as they are.
    """
    model = getattr(component, "model", None)
    crf = getattr(model, "crf", None)
    if crf is not None and type(model).__name__ == "RNNTaggingModel" and hasattr(crf, "batch_first"):
        crf.batch_first = True
    return component


def lenient_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """``(begin, end, label)`` from IOBES or BIO tags, read as a greedy decoder would (``decode_biluo``)."""
    from zh_invest_ner.components.biluo_entities import decode_biluo

    moves = {"E": "L", "S": "U", "M": "I"}
    return decode_biluo([f"{moves.get(t[:1], t[:1])}{t[1:]}" if t != "O" else t for t in tags])


@lru_cache(maxsize=1)
def _batch_first_recognizer() -> type:
    """HanLP's ``RNNNamedEntityRecognizer`` whose model has the CRF fixed from the start."""
    from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer
    from hanlp.components.taggers.rnn_tagger import RNNTagger

    class BatchFirstRNNRecognizer(RNNNamedEntityRecognizer):
        """A BiLSTM-CRF recognizer whose CRF is batch-first, in training and after ``hanlp.load``.

        Its predictions are read leniently: the CRF has no transition constraints, and HanLP's
        strict IOBES reader raises on the first ``I-X`` without ``B-X`` it meets.
        """

        def build_model(self, **kwargs: Any) -> Any:
            model = super().build_model(**kwargs)
            if model.crf is not None:
                model.crf.batch_first = True
            return model

        def predict_data(self, data: list[list[str]], batch_size: int, **kwargs: Any) -> list[Any]:
            tagged = RNNTagger.predict_data(self, data, batch_size)  # tags, without the strict span reader
            return [[("".join(tokens[b:e]), label, b, e) for b, e, label in lenient_spans(tags)]
                    for tokens, tags in zip(data, tagged, strict=True)]

    # the classpath a saved model's config.json names, resolved by __getattr__ below
    BatchFirstRNNRecognizer.__module__ = __name__
    return BatchFirstRNNRecognizer


def __getattr__(name: str) -> Any:
    """``BatchFirstRNNRecognizer`` built on first access: a saved model's classpath, without importing
    torch when this module is imported."""
    if name == "BatchFirstRNNRecognizer":
        return _batch_first_recognizer()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_hanlp(model: str | Path) -> Any:
    """``hanlp.load(model)`` (a folder or a pretrained identifier) with the RNN CRF fixed."""
    try:
        import hanlp
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError('the hanlp_ner component needs HanLP: pip install "zh-invest-ner[hanlp]"') from e
    return fix_crf(hanlp.load(str(model), verbose=False))


def model_folder(model: str | Path) -> Path:
    """The local folder of a model: the path itself, or a pretrained identifier's cached download."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    import hanlp
    from hanlp.utils.io_util import get_resource

    return Path(get_resource(hanlp.pretrained.ALL.get(str(model), str(model))))


def entity_tuples(output: Any, task: str | None = None) -> list[tuple[str, int, int]]:
    """``(label, begin, end)`` token spans of one sentence's HanLP output.

    NER components give ``[(text, label, begin, end), ...]``; multi-task models give a
    ``Document`` (a dict) whose ``ner*`` entry (``task``, or the first) holds that list.
    """
    if isinstance(output, Mapping):
        keys = [task] if task else sorted(k for k in output if k.startswith("ner"))
        if not keys or keys[0] not in output:
            raise ValueError(f"the HanLP model's output has no NER task {task or 'ner*'}: {sorted(output)}")
        output = output[keys[0]]
    return [(str(item[1]), int(item[2]), int(item[3])) for item in output]


class HanlpNer:
    """Sets (or adds to) ``doc.ents`` from a HanLP NER model run over each sentence's characters."""

    def __init__(self, nlp: Language, name: str, *, model: str | None, mode: str, label_scheme: str,
                 label_map: dict[str, str | None], batch_size: int, task: str | None) -> None:
        if mode not in MODES:
            raise ValueError(f"hanlp_ner mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.name = name
        self.model = model
        self.mode = mode
        self.batch_size = batch_size
        self.task = task
        self.labels = build_label_map(label_scheme, label_map)
        self._source: Path | str | None = model  # where the HanLP model is loaded from
        self._hanlp: Any = None

    # -- the model ---------------------------------------------------------------------------

    def use(self, model: str | Path, *, loaded: Any = None) -> HanlpNer:
        """Run ``model`` (a folder or identifier) from now on; ``loaded``: it, already loaded."""
        self._source = model
        self._hanlp = fix_crf(loaded) if loaded is not None else None
        return self

    @property
    def hanlp(self) -> Any:
        """The HanLP component, loaded on first use."""
        if self._hanlp is None:
            if self._source is None:
                raise ValueError(f"{self.name} has no HanLP model: set `model` in its config, or load a saved "
                                 "pipeline that holds one")
            self._hanlp = load_hanlp(self._source)
        return self._hanlp

    # -- running -----------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Docs in batches: all their sentences go to HanLP in one call, which it batches by length."""
        for batch in minibatch(docs, size=batch_size or 32):
            spans = [self._sentences(doc) for doc in batch]
            inputs = [[token_text(t.text) for t in sent] for sents in spans for sent in sents]
            outputs = iter(self._predict(inputs))
            for doc, sents in zip(batch, spans, strict=True):
                found = [self._span(sent, out) for sent in sents for out in entity_tuples(next(outputs), self.task)]
                self._set(doc, [s for s in found if s is not None])
                yield doc

    def _predict(self, inputs: list[list[str]]) -> list[Any]:
        if not inputs:
            return []
        return self.hanlp(inputs, batch_size=self.batch_size)

    @staticmethod
    def _sentences(doc: Doc) -> list[Span]:
        """The doc's sentences (the whole doc without a sentencizer), without empty ones."""
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        return [s for s in sents if len(s) and not all(t.is_space for t in s)]

    def _span(self, sent: Span, found: tuple[str, int, int]) -> Span | None:
        label, begin, end = found
        ours = self.labels.get(label)
        if ours is None or not 0 <= begin < end <= len(sent):
            return None
        return Span(sent.doc, sent.start + begin, sent.start + end, label=ours)

    def _set(self, doc: Doc, spans: list[Span]) -> None:
        if self.mode == "replace":
            doc.set_ents(filter_spans(spans), default="outside")
            return
        taken = {i for e in doc.ents for i in range(e.start, e.end)}
        new = [s for s in filter_spans(spans) if not taken.intersection(range(s.start, s.end))]
        doc.set_ents(sorted([*doc.ents, *new], key=lambda s: s.start))

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        from spacy.scorer import get_ner_prf

        return get_ner_prf(examples, **kwargs)

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        """Nothing to learn: HanLP models are trained with HanLP (``training/hanlp_train.py``)."""

    # -- serialisation -----------------------------------------------------------------------

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """The model folder copied to ``path/model`` (written by HanLP where it has no folder)."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        target = path / MODEL_DIR
        source = model_folder(self._source) if self._source is not None else None
        if source is not None and source.resolve() == target.resolve():
            pass  # saving a pipeline onto the folder it was loaded from: the model is there
        elif source is not None and source.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target)
        elif self._hanlp is not None:
            self._hanlp.save(str(target))
        else:
            raise ValueError(f"{self.name} has no HanLP model to save")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> HanlpNer:
        """Load the model copied into the pipeline folder (the config's ``model`` when there is none)."""
        folder = ensure_path(path) / MODEL_DIR
        if folder.is_dir():
            self.use(folder)
        _ = self.hanlp  # fail at load time, not at the first document
        return self


@Language.factory(
    "hanlp_ner",
    default_config={"model": None, "mode": "replace", "label_scheme": "auto", "label_map": {}, "batch_size": 64,
                    "task": None},
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_hanlp_ner(nlp: Language, name: str, model: str | None, mode: str, label_scheme: str,
                   label_map: dict[str, str | None], batch_size: int, task: str | None) -> HanlpNer:
    """``model``: a HanLP model folder or pretrained identifier (``null``: the pipeline folder's copy);
    ``mode``: ``replace`` or ``merge``; ``label_scheme``: ``auto``/``pku``/``msra``/``ontonotes``/``ours``,
    with ``label_map`` overriding single labels (``null`` drops one); ``task``: a multi-task model's NER key."""
    return HanlpNer(nlp, name, model=model, mode=mode, label_scheme=label_scheme, label_map=label_map,
                    batch_size=batch_size, task=task)
