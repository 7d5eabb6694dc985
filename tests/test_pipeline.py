"""The pipeline as a spaCy user handles it: load, save, reload, configure."""

from __future__ import annotations

import spacy
from conftest import marked_doc
from spacy.training import Example

import zh_invest_ner


def test_shipped_pipeline_components(shipped_nlp):
    assert shipped_nlp.pipe_names == [
        "sentencizer", "zh_long_sentences", "zh_lexicon_features", "ner", "zh_entity_cleaner", "zh_name_finder",
        "zh_topic_ruler", "zh_roles", "zh_meetings",
    ]
    assert set(shipped_nlp.get_pipe("ner").labels) >= {"PERSON", "TITLE", "COMPANY", "GOV", "ORG", "GPE", "TOPIC"}
    assert shipped_nlp.config["nlp"]["tokenizer"]["segmenter"] == "char"


def test_shipped_model_is_small():
    total = sum(p.stat().st_size for p in zh_invest_ner.model_path().rglob("*") if p.is_file())
    assert total < 20 * 1024 * 1024


def test_to_disk_and_spacy_load_roundtrip(shipped_nlp, tmp_path):
    shipped_nlp.to_disk(tmp_path / "copy")
    again = spacy.load(tmp_path / "copy")
    text = "市委书记吴承泽会见了远帆新能源集团总裁祁志远一行。"
    a, b = shipped_nlp(text), again(text)
    assert [(e.text, e.label_) for e in a.ents] == [(e.text, e.label_) for e in b.ents]
    assert [m.to_dict() for m in a._.meetings] == [m.to_dict() for m in b._.meetings]


def test_rule_component_config_and_serialisation(tmp_path):
    nlp = spacy.blank("zh")
    nlp.add_pipe("zh_topic_ruler", config={"topics": ["低空经济"]})
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    doc = loaded("双方就低空经济合作交换意见。")
    assert [(e.text, e.label_) for e in doc.ents] == [("低空经济", "TOPIC")]


def test_meeting_component_scores_with_scorer(rules_nlp):
    marked = "⟦市长|TITLE⟧⟦陶建业|PERSON⟧会见了⟦鹏程电子|COMPANY⟧⟦董事长|TITLE⟧⟦何启航|PERSON⟧。"
    predicted = marked_doc(rules_nlp, marked)
    reference = predicted.copy()
    reference._.gold_meetings = [["陶建业", "何启航", "鹏程电子"], ["陶建业", "某某", "鹏程电子"]]
    scores = rules_nlp.get_pipe("zh_meetings").score([Example(predicted, reference)])
    assert scores["meetings_p"] == 1.0
    assert scores["meetings_r"] == 0.5


def test_normalising_tokenizer_keeps_the_original(shipped_nlp):
    doc = shipped_nlp("黨(dang) 委書(shu) 記陶建業")
    assert doc.text == "党委书记陶建业"
    assert doc._.source.original == "黨(dang) 委書(shu) 記陶建業"


def test_spacy_load_finds_the_components_through_entry_points(shipped_nlp, tmp_path):
    """A user who never imports zh_invest_ner can still spacy.load a saved pipeline."""
    import subprocess
    import sys

    shipped_nlp.to_disk(tmp_path / "p")
    code = (
        "import spacy, sys\n"
        f"nlp = spacy.load({str(tmp_path / 'p')!r})\n"
        "doc = nlp('市长陶建业会见了远拓物流集团董事长顾以宁。')\n"
        "print(len(doc._.meetings), nlp.pipe_names[-1])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "zh_meetings"]


def test_refresh_rules_keeps_the_ner_and_rebuilds_the_rules(shipped_nlp, tmp_path):
    from zh_invest_ner.pipeline import RULE_COMPONENTS, refresh_rules

    shipped_nlp.to_disk(tmp_path / "p")
    rules = tmp_path / "p" / "zh_meetings" / "relations.json"
    rules.write_text(rules.read_text("utf-8").replace('"会见"', '"不是会见"'), "utf-8")
    stale = spacy.load(tmp_path / "p")
    text = "市长陶建业会见了远拓物流集团董事长顾以宁。"
    assert stale(text)._.meetings == []
    fresh = refresh_rules(tmp_path / "p")
    assert [n for n in fresh.pipe_names if n in RULE_COMPONENTS] == list(RULE_COMPONENTS)
    assert len(spacy.load(tmp_path / "p")(text)._.meetings) == 1
