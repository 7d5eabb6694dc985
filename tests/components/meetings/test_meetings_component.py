"""``zh_meetings`` as a component: what it writes on a doc, how records travel, saving and loading."""

from __future__ import annotations

import json

import pytest
import spacy
from conftest import component_pipeline, marked_doc
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from zh_invest_ner import lexicons
from zh_invest_ner.records import Meeting

NAME = "zh_meetings"
MEETING = ("⟦区长|TITLE⟧⟦鲍立新|PERSON⟧会见了⟦青禾生物科技有限公司|COMPANY⟧⟦董事长|TITLE⟧⟦申海鸥|PERSON⟧，"
           "双方就生物医药、光伏等领域合作进行了深入交流。")


def pipeline(config: dict | None = None, *, roles: bool = True) -> Language:
    """The shipped tokenizer, the sentencizer, zh_roles (which zh_meetings reads) and zh_meetings.

    The entities come from ``marked_doc``, so these tests see the relation rules alone.
    """
    return component_pipeline(*(["zh_roles"] if roles else []), NAME, config=config)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return pipeline()


def keys(doc) -> set[tuple]:
    return {m.key() for m in doc._.meetings}


def test_an_official_meets_an_executive_on_topics(nlp):
    doc = marked_doc(nlp, MEETING)
    assert doc._.meetings == [Meeting(
        official="鲍立新", official_title="区长", executive="申海鸥", executive_title="董事长",
        company="青禾生物科技有限公司", topics=["生物医药", "光伏"],
        sentence="区长鲍立新会见了青禾生物科技有限公司董事长申海鸥，双方就生物医药、光伏等领域合作进行了深入交流。",
        start=0, end=48, official_affiliation=None, participation="principal",
    )]


def test_a_planned_meeting_is_no_meeting(nlp):
    doc = marked_doc(nlp, "⟦区长|TITLE⟧⟦鲍立新|PERSON⟧将于下周会见⟦青禾生物科技有限公司|COMPANY⟧"
                          "⟦董事长|TITLE⟧⟦申海鸥|PERSON⟧。")
    assert doc._.meetings == []
    assert doc._.meeting_records == []


def test_a_company_visited_without_a_named_person(nlp):
    doc = marked_doc(nlp, "⟦区长|TITLE⟧⟦鲍立新|PERSON⟧走访了⟦青禾生物科技有限公司|COMPANY⟧。")
    assert keys(doc) == {("鲍立新", None, "青禾生物科技有限公司")}


def test_an_attendee_joins_the_meeting_before_as_accompanying(nlp):
    doc = marked_doc(nlp, "滨江要闻\n" + MEETING + "⟦副区长|TITLE⟧⟦欧阳明哲|PERSON⟧参加会见。")
    got = {(m.official, m.executive, m.company): (m.participation, m.start, m.end) for m in doc._.meetings}
    assert got == {
        ("鲍立新", "申海鸥", "青禾生物科技有限公司"): ("principal", 5, 53),
        ("欧阳明哲", "申海鸥", "青禾生物科技有限公司"): ("accompanying", 53, 65),
    }


def test_offsets_point_into_the_text_the_user_gave(rules_nlp):
    text = "濱江要聞\n區長鮑立新會見了青禾生物科技有限公司董事長申海鷗。"
    doc = rules_nlp(text)
    (m,) = doc._.meetings
    assert m.key() == ("鲍立新", "申海鸥", "青禾生物科技有限公司")
    assert m.sentence == "区长鲍立新会见了青禾生物科技有限公司董事长申海鸥。"  # normalised
    assert text[m.start : m.end] == "區長鮑立新會見了青禾生物科技有限公司董事長申海鷗。"  # original


def test_it_needs_zh_roles_before_it():
    nlp = pipeline(roles=False)
    with pytest.raises(ValueError, match="zh_meetings needs the zh_roles component"):
        marked_doc(nlp, MEETING)


def test_typed_meetings_and_plain_records_agree(nlp):
    doc = marked_doc(nlp, "滨江要闻\n" + MEETING + "⟦副区长|TITLE⟧⟦欧阳明哲|PERSON⟧参加会见。")
    records = doc._.meeting_records
    meetings = doc._.meetings
    assert len(records) == len(meetings) == 2
    assert all(type(r) is dict for r in records) and all(isinstance(m, Meeting) for m in meetings)
    assert [m.to_dict() for m in meetings] == records
    assert [Meeting.from_dict(r) for r in records] == meetings
    assert json.loads(json.dumps(records, ensure_ascii=False)) == records  # plain data only
    # a view: changing a Meeting changes nothing stored until it is assigned back
    meetings[0].topics.append("储能")
    assert records[0]["topics"] == ["生物医药", "光伏"]
    doc._.meetings = meetings
    assert doc._.meeting_records[0]["topics"] == ["生物医药", "光伏", "储能"]


def test_doc_to_bytes_keeps_the_meetings_and_the_people(nlp):
    doc = marked_doc(nlp, "滨江要闻\n" + MEETING + "⟦副区长|TITLE⟧⟦欧阳明哲|PERSON⟧参加会见。")
    restored = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert restored.text == doc.text
    assert restored._.meeting_records == doc._.meeting_records
    assert restored._.meetings == doc._.meetings
    assert {m.key() for m in restored._.meetings} == {("鲍立新", "申海鸥", "青禾生物科技有限公司"),
                                                     ("欧阳明哲", "申海鸥", "青禾生物科技有限公司")}
    assert restored._.people == doc._.people
    assert restored._.people["欧阳明哲"].title == "副区长"


def test_score_compares_with_gold_triples(nlp):
    doc = marked_doc(nlp, MEETING)
    reference = nlp.make_doc(doc.text)
    reference._.gold_meetings = [["鲍立新", "申海鸥", "青禾生物科技有限公司"], ["鲍立新", "葛振川", "远拓物流"]]
    scores = nlp.get_pipe(NAME).score([Example(doc, reference)])
    assert scores == {"meetings_p": 1.0, "meetings_r": 0.5, "meetings_f": pytest.approx(2 / 3)}


def test_factory_meta(nlp):
    meta = nlp.get_pipe_meta(NAME)
    assert meta.default_score_weights == {"meetings_f": 1.0, "meetings_p": 0.0, "meetings_r": 0.0}
    assert {"meeting_verbs", "planned_markers", "join_markers"} <= set(meta.default_config)


def test_factory_declares_what_it_reads_and_writes(nlp):
    meta = nlp.get_pipe_meta(NAME)
    assert "doc.sents" in meta.requires
    assert "doc._.meeting_records" in meta.assigns or "doc._.meetings" in meta.assigns


def test_round_trip_keeps_a_custom_verb_list(tmp_path):
    verbs = [*lexicons.cues()["meeting_verbs"], "品茶"]
    nlp = pipeline({"meeting_verbs": verbs})
    text = "⟦区长|TITLE⟧⟦鲍立新|PERSON⟧与⟦青禾生物科技有限公司|COMPANY⟧⟦董事长|TITLE⟧⟦申海鸥|PERSON⟧在茶室品茶。"
    expected = marked_doc(nlp, text)._.meeting_records
    assert [(r["official"], r["executive"], r["company"]) for r in expected] == [
        ("鲍立新", "申海鸥", "青禾生物科技有限公司")]

    nlp.to_disk(tmp_path / "p")
    assert (tmp_path / "p" / NAME / "relations.json").exists()
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == ["sentencizer", "zh_roles", NAME]
    assert loaded.get_pipe(NAME).data["meeting_verbs"] == verbs
    assert loaded.get_pipe(NAME).data == nlp.get_pipe(NAME).data
    assert marked_doc(loaded, text)._.meeting_records == expected

    fresh = pipeline()  # the package's verbs: 品茶 is no meeting
    assert marked_doc(fresh, text)._.meetings == []
    fresh.from_bytes(nlp.to_bytes())
    assert fresh.get_pipe(NAME).data["meeting_verbs"] == verbs
    assert marked_doc(fresh, text)._.meeting_records == expected
