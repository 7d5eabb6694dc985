"""Entities from per-character BILUO tags: the output half of a tagger-based NER.

Why this exists: spaCy's transition-based NER decides one action per character with a
state machine and a hidden layer over the current state, which costs far more than the
tok2vec it reads; a ``tagger`` that predicts one BILUO tag per character (``B-PERSON``,
``L-GOV``, ``U-TITLE``, ``O``) from the same tok2vec is a single softmax per token. This
component turns those tags into ``doc.ents``, so the rest of the pipeline and spaCy's
NER scorer see the same thing whichever kind of NER ran (``benchmarks/ner_shapes.py``
compares the two).

The tagger writes ``token.tag_``. Tags that do not form a well-formed sequence are read
leniently, as a greedy decoder would: an ``I``/``L`` without its ``B`` starts an entity,
and a ``B``/``I`` that is not closed ends the entity where the label changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example, offsets_to_biluo_tags

from zh_invest_ner.components.base import DataComponent


def decode_biluo(tags: list[str]) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` token spans from BILUO tags, ends exclusive."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate(tags):
        move, _, tag_label = tag.partition("-")
        if not tag_label or move not in ("B", "I", "L", "U"):
            if start >= 0:
                spans.append((start, i, label))
            start, label = -1, ""
            continue
        if start >= 0 and (move in "BU" or tag_label != label):
            spans.append((start, i, label))
            start = -1
        if move == "U":
            spans.append((i, i + 1, tag_label))
        elif move == "L":
            spans.append((i if start < 0 else start, i + 1, tag_label))
            start, label = -1, ""
        elif start < 0:
            start, label = i, tag_label
    if start >= 0:
        spans.append((start, len(tags), label))
    return spans


def biluo_tags(doc: Doc) -> list[str]:
    """The BILUO tag of each token of ``doc`` from its entities (the tagger's gold)."""
    return offsets_to_biluo_tags(doc, [(e.start_char, e.end_char, e.label_) for e in doc.ents])


class BiluoEntities(DataComponent):
    """Sets ``doc.ents`` from the BILUO tags a ``tagger`` wrote into ``token.tag_``."""

    def _compile(self) -> None:
        self.labels = frozenset(self.data.get("labels") or [])

    def initialize(self, get_examples=None, *, nlp: Language | None = None, labels: Iterable[str] | None = None):
        """Learn the entity labels from the training examples (or take ``labels``)."""
        found = set(labels or [])
        if not found and get_examples is not None:
            for eg in get_examples():
                found.update(e.label_ for e in eg.reference.ents)
        self.data = {"labels": sorted(found)}
        self._compile()

    def __call__(self, doc: Doc) -> Doc:
        tags = [t.tag_ for t in doc]
        spans = [Span(doc, s, e, label=label) for s, e, label in decode_biluo(tags)
                 if not self.labels or label in self.labels]
        doc.set_ents(spans, default="outside")
        return doc

    def score(self, examples: Iterable[Example], **kwargs) -> dict:
        from spacy.scorer import get_ner_prf

        return get_ner_prf(examples, **kwargs)


@Language.factory(
    "zh_biluo_entities",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    requires=["token.tag"],
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_biluo_entities(nlp: Language, name: str) -> BiluoEntities:
    return BiluoEntities(nlp, name, {"labels": []})
