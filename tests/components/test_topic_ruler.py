"""``zh_topic_ruler``: lexicon industries labelled TOPIC where the NER found nothing."""

from __future__ import annotations

import pytest
import spacy
from conftest import component_pipeline, marked_doc
from spacy.language import Language

from zh_invest_ner import lexicons

NAME = "zh_topic_ruler"


def pipeline(config: dict | None = None) -> Language:
    """A blank pipeline (the shipped tokenizer) with only the topic ruler."""
    return component_pipeline(NAME, config=config)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return pipeline()


def ents(doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_listed_industries_become_topics(nlp):
    doc = marked_doc(nlp, "双方就新能源汽车、集成电路等领域进行了交流。")
    # the longest lexicon word wins: 新能源汽车, not 新能源
    assert ents(doc) == [("新能源汽车", "TOPIC"), ("集成电路", "TOPIC")]


def test_words_outside_the_lexicon_are_left_alone(nlp):
    assert ents(marked_doc(nlp, "双方就海水淡化进行了交流。")) == []


def test_a_lexicon_topic_read_as_a_place_becomes_a_topic(nlp):
    doc = marked_doc(nlp, "⟦光伏|GPE⟧产业发展迅速。")
    assert ents(doc) == [("光伏", "TOPIC")]


def test_other_entities_win_overlaps(nlp):
    # a company or a park whose name holds a topic word keeps its own label
    doc = marked_doc(nlp, "⟦光伏科技|COMPANY⟧入驻⟦储能产业园|GPE⟧，发展氢能。")
    assert ents(doc) == [("光伏科技", "COMPANY"), ("储能产业园", "GPE"), ("氢能", "TOPIC")]
    # a person's name is never a topic
    assert ents(marked_doc(nlp, "⟦光伏|PERSON⟧说")) == [("光伏", "PERSON")]


def test_default_list_is_the_packages_data_file(nlp):
    assert nlp.get_pipe(NAME).data["topics"] == lexicons.topics()
    assert "光伏" in lexicons.topics()


def test_a_custom_topic_list_replaces_the_default():
    nlp = pipeline({"topics": ["海水淡化", "低空经济"]})
    assert nlp.get_pipe(NAME).data == {"topics": ["海水淡化", "低空经济"]}
    doc = marked_doc(nlp, "推动海水淡化和低空经济，兼顾光伏。")
    assert ents(doc) == [("海水淡化", "TOPIC"), ("低空经济", "TOPIC")]


def test_an_empty_topic_list_stays_empty():
    # ``null`` takes the package's list; an empty list turns the lexicon off
    nlp = pipeline({"topics": []})
    assert nlp.get_pipe(NAME).data["topics"] == []
    assert ents(nlp("发展光伏产业")) == []


def test_factory_declares_that_it_writes_entities(nlp):
    assert "doc.ents" in nlp.get_pipe_meta(NAME).assigns


def test_round_trip_keeps_the_custom_list(tmp_path):
    topics = ["海水淡化", "低空经济"]
    nlp = pipeline({"topics": topics})
    text = "推动海水淡化和低空经济，兼顾光伏。"
    expected = [("海水淡化", "TOPIC"), ("低空经济", "TOPIC")]
    assert ents(nlp(text)) == expected

    nlp.to_disk(tmp_path / "p")
    assert (tmp_path / "p" / NAME / "topics.json").exists()
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == ["sentencizer", NAME]
    assert loaded.get_pipe(NAME).data == {"topics": topics}
    assert ents(loaded(text)) == expected

    # a pipeline built with the default list takes the saved one from the bytes
    fresh = pipeline()
    assert ("光伏", "TOPIC") in ents(fresh(text))
    fresh.from_bytes(nlp.to_bytes())
    assert fresh.get_pipe(NAME).data == {"topics": topics}
    assert ents(fresh(text)) == expected
