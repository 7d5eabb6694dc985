"""``zh_long_sentences``: overlong sentences (scraped pages without punctuation) are cut."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import load_model_from_config

from zh_invest_ner.components.long_sentences import cut_points

TOKENIZER = {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1", "segmenter": "char"}
NAME = "zh_long_sentences"


def pipeline(max_chars: int | None = None) -> Language:
    """The shipped tokenizer and sentencizer, then the splitter."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": TOKENIZER}})
    nlp.add_pipe("sentencizer", config={"punct_chars": ["。", "！", "？", "；", "\n"]})
    nlp.add_pipe(NAME, config={} if max_chars is None else {"max_chars": max_chars})
    nlp.initialize()
    return nlp


def unpunctuated(n: int) -> str:
    """``n`` distinct-looking hanzi with no punctuation or space at all."""
    return "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(n))


def sentences(doc) -> list[str]:
    return [s.text for s in doc.sents]


def test_a_2000_character_page_without_punctuation_is_cut_at_the_limit():
    nlp = pipeline(max_chars=120)
    text = unpunctuated(2000)
    doc = nlp(text)
    lengths = [len(s) for s in sentences(doc)]
    assert lengths == [120] * 16 + [80]  # no soft break anywhere: hard cuts every 120 characters
    assert len(doc.text) == len(text) == 2000
    assert "".join(sentences(doc)) == doc.text  # nothing lost or moved


def test_the_default_limit_is_500():
    nlp = pipeline()
    assert nlp.get_pipe(NAME).max_chars == 500
    assert [len(s) for s in sentences(nlp(unpunctuated(2000)))] == [500] * 4


def test_a_comma_in_the_second_half_of_the_window_is_preferred():
    nlp = pipeline(max_chars=100)
    doc = nlp("甲" * 70 + "，" + "乙" * 60 + "。")
    assert sentences(doc) == ["甲" * 70 + "，", "乙" * 60 + "。"]


def test_a_space_is_a_soft_break_too():
    nlp = pipeline(max_chars=100)
    doc = nlp("甲" * 80 + " " + "乙" * 60 + "。")
    assert [s.start_char for s in doc.sents] == [0, 81]
    assert sentences(doc)[1] == "乙" * 60 + "。"


def test_a_break_too_early_in_the_window_is_not_used():
    # a comma at 30 would leave a 30-character piece: cut at the limit instead
    nlp = pipeline(max_chars=100)
    doc = nlp("甲" * 30 + "，" + "乙" * 120)
    assert [len(s) for s in sentences(doc)] == [100, 51]


def test_short_sentences_and_their_own_boundaries_are_left_alone():
    nlp = pipeline(max_chars=100)
    text = "区长鲍立新会见了申海鸥。双方进行了交流。"
    assert sentences(nlp(text)) == ["区长鲍立新会见了申海鸥。", "双方进行了交流。"]
    # only the overlong sentence is cut; the short one after it keeps its boundary
    doc = nlp("甲" * 150 + "。短句。")
    assert sentences(doc) == ["甲" * 100, "甲" * 50 + "。", "短句。"]


def test_cut_points_prefer_the_last_soft_break():
    text = "甲" * 60 + "、" + "乙" * 10 + "，" + "丙" * 50
    assert cut_points(text, 0, len(text), 100) == [72]  # after the comma at 71, not the 、 at 60
    assert cut_points("甲" * 250, 0, 250, 100) == [100, 200]
    assert cut_points("甲" * 100, 0, 100, 100) == []


def test_a_doc_of_multi_character_tokens_is_cut_by_characters():
    nlp = pipeline(max_chars=500)
    doc = Doc(nlp.vocab, words=["甲乙"] * 300, spaces=[False] * 300)  # 300 tokens, 600 characters
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    assert max(len(s) for s in sentences(doc)) <= 500


def test_factory_meta():
    meta = pipeline().get_pipe_meta(NAME)
    assert meta.assigns == ["token.is_sent_start"]
    assert meta.requires == ["token.is_sent_start"]  # after a sentencizer
    assert meta.default_config == {"max_chars": 500}


def test_round_trip_keeps_the_limit(tmp_path):
    nlp = pipeline(max_chars=80)
    text = unpunctuated(300) + "。后来的一句。"
    expected = [80, 80, 80, 61, 6]
    assert [len(s) for s in sentences(nlp(text))] == expected

    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == ["sentencizer", NAME]
    assert loaded.get_pipe(NAME).max_chars == 80
    assert sentences(loaded(text)) == sentences(nlp(text))

    # the limit lives in the config: a fresh pipeline is built from it, then takes the bytes
    fresh = load_model_from_config(nlp.config, auto_fill=True)
    fresh.from_bytes(nlp.to_bytes())
    assert fresh.get_pipe(NAME).max_chars == 80
    assert sentences(fresh(text)) == sentences(nlp(text))
