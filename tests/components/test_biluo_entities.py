"""``zh_biluo_entities``: entities from the per-character BILUO tags a tagger wrote."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.training import Example

from zh_invest_ner.components.biluo_entities import biluo_tags, decode_biluo

TOKENIZER = {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1", "segmenter": "char"}
NAME = "zh_biluo_entities"


def pipeline(labels: list[str] | None = None) -> Language:
    """The shipped tokenizer and the decoder; ``labels`` go to ``initialize`` through the config."""
    config: dict = {"nlp": {"tokenizer": TOKENIZER}}
    if labels is not None:
        config["initialize"] = {"components": {NAME: {"labels": labels}}}
    nlp = spacy.blank("zh", config=config)
    nlp.add_pipe(NAME)
    nlp.initialize()
    return nlp


def tagged(nlp: Language, text: str, tags: list[str]):
    """Run the pipeline over ``text`` whose tokens carry ``tags`` (what a tagger would write)."""
    doc = nlp.make_doc(text)
    assert len(doc) == len(tags)
    for token, tag in zip(doc, tags, strict=True):
        token.tag_ = tag
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def ents(doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_well_formed_tags_become_spans():
    assert decode_biluo(["B-PERSON", "I-PERSON", "L-PERSON", "O", "U-TITLE"]) == [(0, 3, "PERSON"), (4, 5, "TITLE")]
    assert decode_biluo(["U-GPE", "U-GPE"]) == [(0, 1, "GPE"), (1, 2, "GPE")]
    assert decode_biluo(["O", "O"]) == []
    assert decode_biluo([]) == []


@pytest.mark.parametrize(("tags", "spans"), [
    (["I-PERSON", "L-PERSON"], [(0, 2, "PERSON")]),  # I/L without B starts an entity
    (["L-TITLE"], [(0, 1, "TITLE")]),
    (["I-PERSON", "I-PERSON"], [(0, 2, "PERSON")]),  # never closed: runs to the end
    (["B-PERSON", "I-PERSON", "O"], [(0, 2, "PERSON")]),  # not closed: ends before the O
    (["B-PERSON"], [(0, 1, "PERSON")]),
    (["B-PERSON", "I-GOV", "L-GOV"], [(0, 1, "PERSON"), (1, 3, "GOV")]),  # ends where the label changes
    (["B-PERSON", "B-PERSON", "L-PERSON"], [(0, 1, "PERSON"), (1, 3, "PERSON")]),  # a new B ends the open one
    (["B-PERSON", "U-TITLE"], [(0, 1, "PERSON"), (1, 2, "TITLE")]),
    (["B-PERSON", "", "L-PERSON"], [(0, 1, "PERSON"), (2, 3, "PERSON")]),  # an empty tag is outside
    (["X-PERSON", "O"], []),  # not a BILUO move
])
def test_ill_formed_sequences_are_read_leniently(tags, spans):
    assert decode_biluo(tags) == spans


def test_tags_whose_move_is_not_one_letter_are_outside():
    assert decode_biluo(["-PERSON"]) == []
    assert decode_biluo(["BI-PERSON", "O"]) == []


def test_the_component_sets_doc_ents_from_token_tags():
    nlp = pipeline()
    doc = tagged(nlp, "区长鲍立新", ["B-TITLE", "L-TITLE", "B-PERSON", "I-PERSON", "L-PERSON"])
    assert ents(doc) == [("区长", "TITLE"), ("鲍立新", "PERSON")]
    assert [t.ent_iob_ for t in doc] == ["B", "I", "B", "I", "I"]
    # the tags of the entities are what the decoder reads: the round trip of the tagger's gold
    assert biluo_tags(doc) == ["B-TITLE", "L-TITLE", "B-PERSON", "I-PERSON", "L-PERSON"]


def test_entities_already_on_the_doc_are_replaced():
    nlp = pipeline()
    doc = nlp.make_doc("鲍立新")
    doc.ents = [doc.char_span(0, 3, label="GPE")]
    for token, tag in zip(doc, ["U-PERSON", "O", "O"], strict=True):
        token.tag_ = tag
    doc = nlp.get_pipe(NAME)(doc)
    assert ents(doc) == [("鲍", "PERSON")]
    assert [t.ent_iob_ for t in doc] == ["B", "O", "O"]  # outside, not missing


def test_initialize_learns_the_labels_and_drops_others():
    nlp = pipeline()
    assert nlp.get_pipe(NAME).data == {"labels": []}  # no examples: every label is kept
    eg = Example.from_dict(nlp.make_doc("鲍立新在滨江"), {"entities": [(0, 3, "PERSON"), (4, 6, "GPE")]})
    nlp.initialize(lambda: [eg])
    assert nlp.get_pipe(NAME).data == {"labels": ["GPE", "PERSON"]}
    doc = tagged(nlp, "区长鲍立新", ["B-TITLE", "L-TITLE", "B-PERSON", "I-PERSON", "L-PERSON"])
    assert ents(doc) == [("鲍立新", "PERSON")]


def test_factory_meta():
    meta = pipeline().get_pipe_meta(NAME)
    assert meta.assigns == ["doc.ents", "token.ent_iob", "token.ent_type"]
    assert meta.requires == ["token.tag"]
    assert meta.default_score_weights["ents_f"] == 1.0


def test_round_trip_keeps_the_labels(tmp_path):
    nlp = pipeline(labels=["PERSON", "TITLE"])
    text = "滨江区区长鲍立新"
    tags = ["B-GPE", "I-GPE", "L-GPE", "B-TITLE", "L-TITLE", "B-PERSON", "I-PERSON", "L-PERSON"]
    expected = [("区长", "TITLE"), ("鲍立新", "PERSON")]  # GPE is no label of this decoder
    assert ents(tagged(nlp, text, tags)) == expected

    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == [NAME]
    assert loaded.get_pipe(NAME).data == {"labels": ["PERSON", "TITLE"]}
    assert ents(tagged(loaded, text, tags)) == expected

    fresh = pipeline()  # learnt no labels: keeps GPE
    assert ("滨江区", "GPE") in ents(tagged(fresh, text, tags))
    fresh.from_bytes(nlp.to_bytes())
    assert fresh.get_pipe(NAME).data == {"labels": ["PERSON", "TITLE"]}
    assert ents(tagged(fresh, text, tags)) == expected
