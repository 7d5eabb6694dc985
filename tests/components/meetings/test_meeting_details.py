"""``zh_meeting_details``: each meeting's type, place, and the official's body and region."""

from __future__ import annotations

import re

import pytest
from conftest import component_pipeline, marked_doc
from spacy.language import Language

from zh_invest_ner.components.meetings.details import (
    home_region,
    org_from_title,
    split_affiliation,
    title_level,
    with_level,
)

REGION = re.compile(r"(?:[\u4e00-\u9fff]{2,8}?(?:自治州|开发区|省|市|州|县|区))+")
SUFFIXES = ("自治州", "开发区", "省", "市", "州", "县", "区")


@pytest.fixture(scope="module")
def nlp() -> Language:
    return component_pipeline("zh_roles", "zh_meetings", "zh_meeting_details")


def one(nlp, marked: str) -> dict:
    records = marked_doc(nlp, marked)._.meeting_records
    assert len(records) == 1, records
    return records[0]


@pytest.mark.parametrize(("affiliation", "label", "expected"), [
    ("肇庆市商务局", "GOV", ("肇庆市", "市商务局")),
    ("南京市江宁区政府", "GOV", ("南京市江宁区", "区政府")),
    ("市委", "GOV", (None, "市委")),
    ("常州", "GPE", ("常州", None)),
    ("中共宿迁市委", "GOV", ("宿迁市", "市委")),
    (None, None, (None, None)),
])
def test_split_affiliation(affiliation, label, expected):
    assert split_affiliation(affiliation, label, REGION) == expected


def test_levels_and_bodies_from_titles():
    prefixes = ("常务副", "副", "代")
    assert title_level("常务副市长", prefixes, "省市县区") == "市"
    assert title_level("董事长", prefixes, "省市县区") is None
    assert org_from_title("副区长", {"区长": "区政府"}, prefixes) == "区政府"
    # 常州 and 苏州 end in 州 as names: the level is added; 恩施州 and 江宁区 keep theirs
    assert with_level("常州", "市", SUFFIXES) == "常州市"
    assert with_level("江宁区", "区", SUFFIXES) == "江宁区"
    assert with_level("恩施州", "州", SUFFIXES) == "恩施州"


def test_home_region_prefers_the_officials_own_then_the_most_named():
    assert home_region(["常州"], ["苏州市", "苏州市", "常州"], "市", SUFFIXES) == "常州市"
    assert home_region([], ["嘉兴", "上海市", "嘉兴"], "市", SUFFIXES) == "上海市"
    assert home_region([], ["嘉兴", "嘉兴", "长三角"], "市", SUFFIXES) == "嘉兴市"
    assert home_region([], ["嘉兴"], None, SUFFIXES) is None


def test_a_meeting_at_home_with_a_relative_body(nlp):
    m = one(nlp, "⟦宿迁市|GPE⟧⟦市长|TITLE⟧⟦钟明远|PERSON⟧在市行政中心会见了⟦禾丰新材料有限公司|COMPANY⟧"
                 "⟦董事长|TITLE⟧⟦苗一凡|PERSON⟧。")
    assert m["meeting_type"] == "会见"
    assert (m["official_org"], m["official_region"]) == ("市政府", "宿迁市")
    assert m["place"] is None  # a venue, not a place


@pytest.mark.parametrize(("marked", "place", "kind"), [
    ("在⟦深圳|GPE⟧期间，⟦副县长|TITLE⟧⟦管若川|PERSON⟧拜访了⟦云图科技有限公司|COMPANY⟧⟦总经理|TITLE⟧⟦储欣|PERSON⟧。",
     "深圳", "拜访"),
    ("⟦区长|TITLE⟧⟦鲍立新|PERSON⟧在沪期间与⟦青禾生物科技有限公司|COMPANY⟧⟦董事长|TITLE⟧⟦申海鸥|PERSON⟧座谈。",
     "上海", "座谈"),
    ("⟦禾丰新材料有限公司|COMPANY⟧⟦董事长|TITLE⟧⟦苗一凡|PERSON⟧来我市考察，⟦市长|TITLE⟧⟦钟明远|PERSON⟧会见了⟦苗一凡|PERSON⟧。",
     None, "会见"),
])
def test_the_place_the_sentence_states(nlp, marked, place, kind):
    m = one(nlp, marked)
    assert (m["place"], m["meeting_type"]) == (place, kind)


def test_a_stated_place_needs_a_pause_or_a_meeting_verb_after_zai(nlp):
    m = one(nlp, "⟦市长|TITLE⟧⟦钟明远|PERSON⟧会见了⟦禾丰新材料有限公司|COMPANY⟧⟦董事长|TITLE⟧⟦苗一凡|PERSON⟧，"
                 "希望企业在⟦宿迁|GPE⟧布局生产基地。")
    assert m["place"] is None


def test_the_trip_of_an_earlier_paragraph_is_the_place(nlp):
    m = one(nlp, "⟦副市长|TITLE⟧⟦温启航|PERSON⟧率团抵港，开展招商推介。\n"
                 "⟦温启航|PERSON⟧拜会了⟦宝瀚物流有限公司|COMPANY⟧⟦主席|TITLE⟧⟦林兆基|PERSON⟧。")
    assert m["place"] == "香港"


def test_records_keep_their_details_through_to_bytes(nlp):
    from spacy.tokens import Doc

    doc = marked_doc(nlp, "⟦区长|TITLE⟧⟦鲍立新|PERSON⟧会见了⟦青禾生物科技有限公司|COMPANY⟧"
                          "⟦董事长|TITLE⟧⟦申海鸥|PERSON⟧。")
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert back._.meetings[0].meeting_type == "会见" and back._.meetings[0].official_org == "区政府"
