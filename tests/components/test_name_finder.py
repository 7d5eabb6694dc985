"""``zh_name_finder``: person names next to title words, and later bare mentions of them."""

from __future__ import annotations

import pytest
import spacy
from conftest import component_pipeline, marked_doc
from spacy.language import Language

NAME = "zh_name_finder"


def pipeline(config: dict | None = None) -> Language:
    """A blank pipeline (the shipped tokenizer) with only the name finder."""
    return component_pipeline(NAME, config=config)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return pipeline()


def ents(doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_name_after_a_title_and_before_one(nlp):
    doc = marked_doc(nlp, "区长鲍立新会见了申海鸥董事长。")
    assert ents(doc) == [("区长", "TITLE"), ("鲍立新", "PERSON"), ("申海鸥", "PERSON"), ("董事长", "TITLE")]


def test_a_chain_of_titles_gives_the_name_to_the_last_and_marks_them_all(nlp):
    doc = marked_doc(nlp, "市委副书记、市长葛振川出席。")
    assert ents(doc) == [("副书记", "TITLE"), ("市长", "TITLE"), ("葛振川", "PERSON")]


def test_compound_surnames_and_latin_names(nlp):
    assert ents(marked_doc(nlp, "副区长欧阳明哲主持。")) == [("副区长", "TITLE"), ("欧阳明哲", "PERSON")]
    assert ents(marked_doc(nlp, "首席执行官Daniel Ross表示")) == [("首席执行官", "TITLE"), ("Daniel Ross", "PERSON")]


def test_later_bare_mentions_of_a_found_name_are_labelled(nlp):
    doc = marked_doc(nlp, "总经理申海鸥介绍了项目。申海鸥表示，将扩大投资。")
    assert ents(doc) == [("总经理", "TITLE"), ("申海鸥", "PERSON"), ("申海鸥", "PERSON")]
    assert [e.start_char for e in doc.ents if e.label_ == "PERSON"] == [3, 12]


def test_a_place_run_into_the_title_gives_its_last_character_back(nlp):
    doc = marked_doc(nlp, "⟦江海市|GPE⟧长鲍立新说")
    assert ents(doc) == [("江海", "GPE"), ("市长", "TITLE"), ("鲍立新", "PERSON")]


def test_people_listed_right_after_a_company(nlp):
    doc = marked_doc(nlp, "听取了⟦青禾生物|COMPANY⟧申海鸥、葛振川等人的汇报。")
    assert ents(doc) == [("青禾生物", "COMPANY"), ("申海鸥", "PERSON"), ("葛振川", "PERSON")]


def test_no_name_without_a_title_or_inside_other_words(nlp):
    assert ents(marked_doc(nlp, "推动城市长远发展。")) == []
    assert ents(marked_doc(nlp, "记者韦晓彤报道。")) == []  # reporter titles take no names


def test_factory_meta(nlp):
    meta = nlp.get_pipe_meta(NAME)
    assert meta.factory == NAME
    assert set(meta.default_config) == {"titles", "surnames", "stop_chars", "non_names", "name_starts"}


def test_factory_declares_that_it_writes_entities(nlp):
    assert "doc.ents" in nlp.get_pipe_meta(NAME).assigns


def test_round_trip_keeps_a_custom_title_list(tmp_path):
    titles = {"首席联络官": "executive", "区长": "official"}
    nlp = pipeline({"titles": titles})
    text = "首席联络官申海鸥会见了区长鲍立新和董事长葛振川。"
    expected = [("首席联络官", "TITLE"), ("申海鸥", "PERSON"), ("区长", "TITLE"), ("鲍立新", "PERSON")]
    assert ents(nlp(text)) == expected  # 董事长 is not in the custom list

    nlp.to_disk(tmp_path / "p")
    assert (tmp_path / "p" / NAME / "names.json").exists()
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == ["sentencizer", NAME]
    assert loaded.get_pipe(NAME).data["titles"] == titles
    assert loaded.get_pipe(NAME).data == nlp.get_pipe(NAME).data
    assert ents(loaded(text)) == expected

    # a pipeline built with the package's titles takes the saved list from the bytes
    fresh = pipeline()
    assert ("董事长", "TITLE") in ents(fresh(text))
    fresh.from_bytes(nlp.to_bytes())
    assert fresh.get_pipe(NAME).data["titles"] == titles
    assert ents(fresh(text)) == expected


def test_a_two_character_name_does_not_take_the_word_after_it(nlp):
    # 关于 / 随同 begin the next phrase: 景禾|关于, not a three-character 景禾关
    assert ents(marked_doc(nlp, "听取了总经理景禾关于新厂的介绍。")) == [("总经理", "TITLE"), ("景禾", "PERSON")]
    assert ents(marked_doc(nlp, "⟦市长|TITLE⟧⟦鲍立|PERSON⟧随同调研。")) == [("市长", "TITLE"), ("鲍立", "PERSON")]
    # a third given-name character before a boundary still belongs to the name
    assert ents(marked_doc(nlp, "总经理景禾关说")) == [("总经理", "TITLE"), ("景禾关", "PERSON")]
