"""``zh_roles``: official, executive, other or reporter, with the title and the body it belongs to."""

from __future__ import annotations

import pytest
import spacy
from conftest import marked_doc
from spacy.language import Language

from zh_invest_ner.records import PersonInfo

TOKENIZER = {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1", "segmenter": "char"}
NAME = "zh_roles"


def pipeline(lexicons: dict | None = None) -> Language:
    """A blank pipeline (the shipped tokenizer) with only the role tagger.

    ``lexicons`` go to ``initialize`` through the config, as ``[initialize.components.zh_roles]``.
    """
    config: dict = {"nlp": {"tokenizer": TOKENIZER}}
    if lexicons is not None:
        config["initialize"] = {"components": {NAME: {"lexicons": lexicons}}}
    nlp = spacy.blank("zh", config=config)
    nlp.add_pipe("sentencizer", config={"punct_chars": ["。", "！", "？", "；", "\n"]})
    nlp.add_pipe(NAME)
    nlp.initialize()
    return nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return pipeline()


def people(doc) -> dict[str, tuple]:
    return {n: (p.role, p.title, p.affiliation, p.affiliation_label) for n, p in doc._.people.items()}


def mentions(doc) -> list[tuple]:
    return [(e.text, e._.role, e._.title, e._.affiliation) for e in doc.ents if e.label_ == "PERSON"]


def test_official_and_executive_with_their_bodies(nlp):
    doc = marked_doc(nlp, "⟦滨江区|GPE⟧⟦区长|TITLE⟧⟦鲍立新|PERSON⟧会见了⟦青禾生物科技有限公司|COMPANY⟧"
                          "⟦董事长|TITLE⟧⟦申海鸥|PERSON⟧。⟦申海鸥|PERSON⟧表示感谢。")
    assert people(doc) == {
        "鲍立新": ("official", "区长", "滨江区", "GPE"),
        "申海鸥": ("executive", "董事长", "青禾生物科技有限公司", "COMPANY"),
    }
    # every mention carries the role, the bare second one too
    assert mentions(doc) == [
        ("鲍立新", "official", "区长", "滨江区"),
        ("申海鸥", "executive", "董事长", "青禾生物科技有限公司"),
        ("申海鸥", "executive", "董事长", "青禾生物科技有限公司"),
    ]
    assert all(isinstance(p, PersonInfo) for p in doc._.people.values())
    assert doc._.person_records["鲍立新"] == {"name": "鲍立新", "role": "official", "title": "区长",
                                              "affiliation": "滨江区", "affiliation_label": "GPE"}


def test_whose_party_secretary_decides_the_role(nlp):
    doc = marked_doc(nlp, "⟦青禾生物|COMPANY⟧⟦党委书记|TITLE⟧⟦申海鸥|PERSON⟧、⟦市委|GOV⟧⟦书记|TITLE⟧⟦葛振川|PERSON⟧")
    assert people(doc) == {
        "申海鸥": ("executive", "党委书记", "青禾生物", "COMPANY"),
        "葛振川": ("official", "书记", "市委", "GOV"),
    }


def test_an_association_head_is_neither(nlp):
    doc = marked_doc(nlp, "⟦滨江商会|ORG⟧⟦会长|TITLE⟧⟦谭一帆|PERSON⟧致辞。")
    assert people(doc) == {"谭一帆": ("other", "会长", "滨江商会", "ORG")}


def test_reporters(nlp):
    doc = marked_doc(nlp, "本报记者⟦韦晓彤|PERSON⟧报道。")
    assert people(doc) == {"韦晓彤": ("reporter", None, None, None)}


def test_company_anaphora_is_a_reference_to_resolve_later(nlp):
    doc = marked_doc(nlp, "该公司⟦总经理|TITLE⟧⟦邵文涛|PERSON⟧介绍了情况。")
    assert people(doc) == {"邵文涛": ("executive", "总经理", "该公司", "COMPANY_REF")}


def test_short_references_point_at_the_full_name(nlp):
    doc = marked_doc(nlp, "⟦滨江区|GPE⟧⟦区长|TITLE⟧⟦鲍立新|PERSON⟧出席。⟦鲍区长|PERSON⟧说，⟦申书记|PERSON⟧也说。")
    assert doc._.people["鲍区长"].name == "鲍立新"
    assert doc._.people["鲍区长"].role == "official"
    # nobody of surname 申 was introduced: a mention, never an official
    assert people(doc)["申书记"] == ("other", "书记", None, None)


def test_factory_meta(nlp):
    meta = nlp.get_pipe_meta(NAME)
    assert meta.factory == NAME
    assert {"titles", "reporter_cues", "company_anaphora"} <= set(meta.default_config)


def test_factory_declares_what_it_reads_and_writes(nlp):
    meta = nlp.get_pipe_meta(NAME)
    assert "doc.ents" in meta.requires
    assert "span._.role" in meta.assigns


def test_round_trip_keeps_lists_given_to_initialize(tmp_path):
    nlp = pipeline({"reporter_cues": ["特派员"]})
    assert nlp.get_pipe(NAME).data["reporter_cues"] == ["特派员"]
    text = "本报特派员⟦韦晓彤|PERSON⟧报道，记者⟦申海鸥|PERSON⟧摄影。"
    expected = {"韦晓彤": ("reporter", None, None, None), "申海鸥": ("other", None, None, None)}
    assert people(marked_doc(nlp, text)) == expected

    nlp.to_disk(tmp_path / "p")
    assert (tmp_path / "p" / NAME / "roles.json").exists()
    loaded = spacy.load(tmp_path / "p")  # initialize does not run on load: the lists come from disk
    assert loaded.pipe_names == ["sentencizer", NAME]
    assert loaded.get_pipe(NAME).data == nlp.get_pipe(NAME).data
    assert people(marked_doc(loaded, text)) == expected

    fresh = pipeline()  # the package's cues: 记者 is a reporter, 特派员 is not
    assert people(marked_doc(fresh, text)) == {"韦晓彤": ("other", None, None, None),
                                               "申海鸥": ("reporter", None, None, None)}
    fresh.from_bytes(nlp.to_bytes())
    assert fresh.get_pipe(NAME).data["reporter_cues"] == ["特派员"]
    assert people(marked_doc(fresh, text)) == expected
