"""Shared fixtures: a rules-only pipeline, the shipped pipeline, the real-article set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import zh_invest_ner

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT.parent / "shared" / "eval"
RULES = ["sentencizer", "zh_entity_cleaner", "zh_name_finder", "zh_topic_ruler", "zh_roles", "zh_meetings",
         "zh_meeting_details"]
_MARK = re.compile(r"⟦([^⟦⟧|]+)\|([A-Z]+)⟧")


TOKENIZER = {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1", "segmenter": "char"}


def component_pipeline(*names: str, config: dict | None = None) -> Language:
    """The shipped tokenizer, the sentencizer and ``names``, initialised; ``config`` goes to the last."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": TOKENIZER}})
    nlp.add_pipe("sentencizer", config={"punct_chars": ["。", "！", "？", "；", "\n"]})
    for name in names[:-1]:
        nlp.add_pipe(name)
    nlp.add_pipe(names[-1], config=config or {})
    nlp.initialize()
    return nlp


def rules_pipeline() -> Language:
    """The shipped pipeline's tokenizer and rule components, without the statistical NER."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {
        "@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1", "segmenter": "char"}}})
    nlp.add_pipe("sentencizer", config={"punct_chars": ["。", "！", "？", "；", "\n"]})
    for name in RULES[1:]:
        nlp.add_pipe(name)
    nlp.initialize()  # the word lists come through initialize, as in spaCy's SpanRuler
    return nlp


@pytest.fixture(scope="session")
def rules_nlp() -> Language:
    return rules_pipeline()


def marked_doc(nlp: Language, marked: str) -> Doc:
    """Run the rule components over text whose entities are given as ``⟦text|LABEL⟧``.

    This isolates the relation rules from the statistical NER: the test says which
    entities exist and checks what the rules make of them.
    """
    plain, spans, pos, last = [], [], 0, 0
    for m in _MARK.finditer(marked):
        plain.append(marked[last : m.start()])
        pos += m.start() - last
        spans.append((pos, pos + len(m.group(1)), m.group(2)))
        plain.append(m.group(1))
        pos += len(m.group(1))
        last = m.end()
    plain.append(marked[last:])
    doc = nlp.make_doc("".join(plain))
    doc.ents = [doc.char_span(s, e, label=label) for s, e, label in spans]
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


@pytest.fixture(scope="session")
def shipped_nlp() -> Language:
    try:
        return zh_invest_ner.load()
    except OSError as e:  # pragma: no cover - only before the first training
        pytest.skip(str(e))


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not (EVAL_DIR / "gold.jsonl").exists():
        pytest.skip("../shared/eval is not present")
    return EVAL_DIR


def triples(doc: Doc) -> set[tuple]:
    """(official, executive, company) of every meeting the rules found."""
    return {(m.official, m.executive, m.company) for m in doc._.meetings}
