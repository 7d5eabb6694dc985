"""Industry and cooperation topics from a lexicon, added where the NER found none.

Topic phrases are open-ended (``年产10万吨锂电材料项目``); the statistical model learns
their shapes, and this lexicon makes sure the common industry names are never missed.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from zh_invest_ner import lexicons
from zh_invest_ner.components.base import DataComponent
from zh_invest_ner.components.spans import merge_ents, text_of


class TopicRuler(DataComponent):
    """Labels lexicon topics as TOPIC where they do not overlap other entities."""

    filename = "topics.json"

    def _compile(self) -> None:
        words = sorted(self.data["topics"], key=len, reverse=True)
        self._re = re.compile("|".join(map(re.escape, words))) if words else None

    def __call__(self, doc: Doc) -> Doc:
        if self._re is None:
            return doc
        spans = [doc.char_span(m.start(), m.end(), label="TOPIC") for m in self._re.finditer(text_of(doc))]
        spans = [s for s in spans if s is not None]
        exact = {(s.start, s.end) for s in spans}
        # 光伏 read as a place: a lexicon topic standing alone is a topic
        wrong = [e for e in doc.ents if (e.start, e.end) in exact and e.label_ in ("GPE", "ORG", "GOV")]
        merge_ents(doc, spans, replace=wrong)
        return doc


@Language.factory(
    "zh_topic_ruler", default_config={"topics": None}, assigns=["doc.ents", "token.ent_iob", "token.ent_type"]
)
def make_topic_ruler(nlp: Language, name: str, topics: list[str] | None) -> TopicRuler:
    """``topics: null`` in the config takes the package's ``data/topics.txt``."""
    return TopicRuler(nlp, name, settings={"topics": topics}, defaults=lambda: {"topics": lexicons.topics()})
