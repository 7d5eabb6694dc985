"""The NER's lexicon features: right characters, custom word lists, saving and loading."""

from __future__ import annotations

import re

import pytest
import spacy
from spacy.language import Language

from zh_invest_ner.components import lexicon_features  # noqa: F401  (registers the factory)
from zh_invest_ner.components.lexicon_features import CATEGORIES, default_lexicons, trie_pattern
from zh_invest_ner.training import base_config, statistical_config

TOKENIZER = {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1"}


def blank() -> Language:
    return spacy.blank("zh", config={"nlp": {"tokenizer": TOKENIZER}})


def tags(doc) -> dict[str, str]:
    return {f"{t.i}:{t.text}": t.tag_ for t in doc}


def test_trie_pattern_takes_the_longest_word_in_one_pass():
    p = trie_pattern(["有限公司", "公司", "股份有限公司", "集团", "集团公司"])
    text = "华拓股份有限公司和东方集团公司、集团"
    assert [m.group() for m in p.finditer(text)] == ["股份有限公司", "集团公司", "集团"]
    # same matches as the naive longest-first alternation, on text with overlaps and specials
    words = ["苏州", "苏州工业园", "州", "a.b", "(x)", "x"]
    naive = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    text = "苏州工业园区在苏州，州a.b(x)x"
    assert [m.span() for m in trie_pattern(words).finditer(text)] == [m.span() for m in naive.finditer(text)]
    assert trie_pattern([]) is None


def test_features_fall_on_the_right_characters():
    nlp = blank()
    comp = nlp.add_pipe("zh_lexicon_features")
    comp.initialize(lexicons={"PLACE": ["苏州", "江苏"], "ADMSUF": ["市", "省"], "GOVSUF": ["人民政府", "厅"],
                              "TITLE": ["副市长", "董事长"], "CSUF": ["有限公司"], "SURN": ["王", "李"]})
    doc = nlp("苏州市人民政府副市长王强会见董事长李华，江苏省商务厅")
    t = tags(doc)
    assert t["0:苏"] == "B-PLACE" and t["1:州"] == "E-PLACE" and t["2:市"] == "S-ADMSUF"
    assert [t[k] for k in ("3:人", "4:民", "5:政", "6:府")] == ["B-GOVSUF", "I-GOVSUF", "I-GOVSUF", "E-GOVSUF"]
    # several words over one character: all their features, in category order
    assert t["8:市"] == "I-TITLE|S-ADMSUF"
    assert t["10:王"] == "S-SURN" and t["11:强"] == ""
    assert t["12:会"] == ""
    assert t["25:厅"] == "S-GOVSUF"
    assert doc.has_annotation("TAG")
    # the pipeline's own categories are known
    assert set(default_lexicons()) == set(CATEGORIES)


def test_feature_hashes_are_what_multihashembed_reads():
    from spacy.attrs import TAG

    nlp = blank()
    comp = nlp.add_pipe("zh_lexicon_features")
    comp.initialize(lexicons={"PLACE": ["苏州"]})
    doc = nlp("去苏州")
    column = doc.to_array([TAG]).tolist()
    assert column == [0, nlp.vocab.strings["B-PLACE"], nlp.vocab.strings["E-PLACE"]]


def test_initialize_defaults_come_from_the_data_files():
    nlp = blank()
    comp = nlp.add_pipe("zh_lexicon_features")
    assert comp.data["lexicons"] == {}  # nothing read before initialize
    nlp.initialize()
    lex = comp.data["lexicons"]
    assert "有限公司" in lex["CSUF"] and "管委会" in lex["GOVSUF"] and "大学" in lex["ORGSUF"]
    assert "苏州" in lex["PLACE"] and "王" in lex["SURN"] and "董事长" in lex["TITLE"]
    doc = nlp("澄川新能源科技有限公司")
    assert doc[-1].tag_.endswith("E-CSUF") or "E-CSUF" in doc[-1].tag_.split("|")


def test_initialize_with_custom_lists_through_the_config():
    config = {"initialize": {"components": {"zh_lexicon_features": {"lexicons": {"FRUIT": ["苹果"]}}}}}
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": TOKENIZER}, **config})
    nlp.add_pipe("zh_lexicon_features")
    nlp.initialize()
    doc = nlp("苹果有限公司")
    assert [t.tag_ for t in doc] == ["B-FRUIT", "E-FRUIT", "", "", "", ""]


def test_round_trip_to_disk_and_bytes(tmp_path):
    nlp = blank()
    comp = nlp.add_pipe("zh_lexicon_features")
    comp.initialize(lexicons={"PLACE": ["苏州"], "SURN": ["王"]})
    comp.to_disk(tmp_path / "c")
    other = blank().add_pipe("zh_lexicon_features")
    other.from_disk(tmp_path / "c")
    assert other.data == comp.data
    third = blank().add_pipe("zh_lexicon_features").from_bytes(comp.to_bytes())
    assert [t.tag_ for t in third(third.nlp.make_doc("王去苏州"))] == ["S-SURN", "", "B-PLACE", "E-PLACE"]


def test_a_saved_pipeline_loads_with_its_own_lists(tmp_path, monkeypatch):
    nlp = blank()
    nlp.add_pipe("zh_lexicon_features")
    nlp.get_pipe("zh_lexicon_features").initialize(lexicons={"PLACE": ["澄川"]})
    nlp.to_disk(tmp_path / "p")
    # loading must not read the package's data files: break them and load
    monkeypatch.setattr(lexicon_features, "default_lexicons", lambda: pytest.fail("data files read at load time"))
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == ["zh_lexicon_features"]
    assert [t.tag_ for t in loaded("澄川")] == ["B-PLACE", "E-PLACE"]


def test_training_config_keeps_the_features_before_the_ner():
    from spacy.util import load_config_from_str

    config = statistical_config(load_config_from_str(base_config()))
    pipeline = config["nlp"]["pipeline"]
    assert "zh_lexicon_features" in pipeline
    assert pipeline.index("zh_lexicon_features") < pipeline.index("ner")
    assert config["training"]["annotating_components"] == ["zh_lexicon_features"]
    assert "TAG" in config["components"]["ner"]["model"]["tok2vec"]["embed"]["attrs"]


def test_a_trained_pipeline_with_the_features_saves_and_loads(tmp_path):
    from pathlib import Path

    from zh_invest_ner.training import train

    data = Path(__file__).resolve().parents[2] / "training_data" / "articles.jsonl"
    (tmp_path / "a.jsonl").write_text("".join(data.read_text(encoding="utf-8").splitlines(True)[:4]),
                                      encoding="utf-8")
    train(tmp_path / "a.jsonl", tmp_path / "m", max_steps=2, log=lambda *_: None)
    nlp = spacy.load(tmp_path / "m")
    assert nlp.pipe_names.index("zh_lexicon_features") < nlp.pipe_names.index("ner")
    assert "TAG" in nlp.config["components"]["ner"]["model"]["tok2vec"]["embed"]["attrs"]
    doc = nlp("苏州市副市长王强会见了澄川新能源科技有限公司董事长范启明。")
    assert doc[0].tag_ and "E-CSUF" in doc[doc.text.index("公司") + 1].tag_


def test_unknown_segmenter_is_refused():
    with pytest.raises(ValueError, match="unknown segmenter"):
        blank().add_pipe("zh_lexicon_features", config={"segmenter": "nope"})


def test_broad_augmentation_swaps_places_inside_bodies_and_titles_consistently():
    import random

    from zh_invest_ner.training import Record, _augment_pools, augment

    text = "盐城市商务局局长王强会见董事长李华，盐城市"
    ents = [{"start_offset": 0, "end_offset": 6, "label": "GOV"},
            {"start_offset": 6, "end_offset": 8, "label": "TITLE"},
            {"start_offset": 8, "end_offset": 10, "label": "PERSON"},
            {"start_offset": 12, "end_offset": 15, "label": "TITLE"},
            {"start_offset": 18, "end_offset": 21, "label": "GPE"}]
    rec = Record("x", text, ents, [], "test")
    pools = _augment_pools()
    out = augment(rec, random.Random(0), pools).text
    assert len(out) == len(text)
    assert out[2:6] == "市商务局" and out[18:21].endswith("市")
    assert out[0:2] == out[18:20] != "盐城"  # the same place, changed the same way in the body and alone
    assert out[6:8] in pools["titles"] and out[12:15] in pools["titles"]
    narrow = augment(rec, random.Random(0), _augment_pools(broad=False)).text
    assert narrow[0:6] == "盐城市商务局" and narrow[12:15] == "董事长"


def test_pipeline_round_trip_to_disk_and_bytes_keeps_the_given_lists(tmp_path):
    """The whole pipeline (tokenizer + features) saved and restored: the lists given to initialize survive."""
    lexicons = {"PLACE": ["澄川"], "CSUF": ["有限公司"], "SURN": ["范"]}
    config = {"initialize": {"components": {"zh_lexicon_features": {"lexicons": lexicons}}}}
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": TOKENIZER}, **config})
    nlp.add_pipe("zh_lexicon_features")
    nlp.initialize()
    text = "范启明在澄川有限公司"
    expected = ["S-SURN", "", "", "", "B-PLACE", "E-PLACE", "B-CSUF", "I-CSUF", "I-CSUF", "E-CSUF"]
    assert [t.tag_ for t in nlp(text)] == expected

    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.get_pipe("zh_lexicon_features").data == nlp.get_pipe("zh_lexicon_features").data
    assert [t.tag_ for t in loaded(text)] == expected

    fresh = blank()
    fresh.add_pipe("zh_lexicon_features")
    fresh.initialize()  # the package's lists: 澄川 is no place there
    assert [t.tag_ for t in fresh(text)] != expected
    fresh.from_bytes(nlp.to_bytes())
    assert fresh.get_pipe("zh_lexicon_features").data["lexicons"] == lexicons
    assert [t.tag_ for t in fresh(text)] == expected
