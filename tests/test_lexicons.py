"""The package's data files: validated on reading, read by initialize() only."""

from __future__ import annotations

import pytest
import spacy

import zh_invest_ner
from zh_invest_ner import lexicons


def test_data_files_pass_their_schemas():
    assert lexicons.validate(lexicons.cues(), lexicons.SCHEMAS["cues.json"], "cues.json")
    assert lexicons.augment_pools()["places"]


def test_a_missing_key_names_the_file_and_the_key():
    broken = {k: v for k, v in lexicons.cues().items() if k != "meeting_verbs"}
    with pytest.raises(lexicons.DataFileError, match=r"data/cues\.json: missing key 'meeting_verbs'"):
        lexicons.validate(broken, lexicons.SCHEMAS["cues.json"], "data/cues.json")
    with pytest.raises(lexicons.DataFileError, match="'visit_verbs' must be a list, not str"):
        lexicons.validate({**lexicons.cues(), "visit_verbs": "拜访"}, lexicons.SCHEMAS["cues.json"], "cues.json")


def test_loading_a_saved_pipeline_reads_no_package_data(monkeypatch):
    """Word lists live in the saved pipeline: loading and running it never touches zh_invest_ner/data."""
    def refuse(*args, **kwargs):
        raise AssertionError("a package data file was read while loading or running a saved pipeline")

    for name in ("cues", "titles", "surnames", "topics", "company_suffixes", "augment_pools", "name_starts"):
        getattr(lexicons, name).cache_clear()
        monkeypatch.setattr(lexicons, name, refuse)
    monkeypatch.setattr(lexicons, "_data_lines", refuse)
    monkeypatch.setattr(lexicons, "_data_json", refuse)
    nlp = spacy.load(zh_invest_ner.model_path())
    doc = nlp("市委书记吴承泽会见了远帆新能源集团总裁祁志远一行。")
    assert [(m.official, m.executive) for m in doc._.meetings] == [("吴承泽", "祁志远")]


def test_word_lists_come_through_initialize():
    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe("zh_topic_ruler")
    with pytest.raises(ValueError, match="call nlp.initialize"):
        nlp("双方就低空经济合作交换意见。")
    ruler.initialize(lexicons={"topics": ["低空经济"]})
    assert [e.text for e in nlp("双方就低空经济合作交换意见。").ents] == ["低空经济"]
    nlp.initialize()  # null in the config: the package's topic list
    assert "低空经济" not in ruler.data["topics"] or len(ruler.data["topics"]) > 1
    assert len(ruler.data["topics"]) == len(lexicons.topics())
