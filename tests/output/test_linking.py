"""Linking on hand-made frames: namesakes apart, aliases together, reprints one meeting, stable ids."""

from __future__ import annotations

import pandas as pd
import pytest

from zh_invest_ner.output.frames import frame
from zh_invest_ner.output.linking import company_form, is_generic, link, link_companies, region_of

TEXT_A = ("6月2日，镇江市市长邬明远会见了苏州澄川新能源科技股份有限公司董事长范启岚一行。\n"
          "双方围绕储能电池、光伏组件等领域的合作进行了深入交流，邬明远希望企业在镇江扩大投资。")
TEXT_A_REPRINT = "来源：镇江发布\n" + TEXT_A.split("\n")[1] + "\n" + TEXT_A.split("\n")[0] + "\n责任编辑：谷雨"
TEXT_B = ("7月9日，常州市市长邬明远会见了苏州华屹精密机械有限公司总经理邵文岑，双方就汽车零部件项目交换意见。\n"
          "邵文岑表示，公司看好常州的产业基础，将尽快启动项目可行性研究。")


def meeting(doc_id: str, official: str, company: str | None, executive: str | None = None, **extra) -> dict:
    row = {"doc_id": doc_id, "official": official, "official_title": extra.pop("title", "市长"),
           "executive": executive, "executive_title": "董事长" if executive else None, "company": company,
           "topics": extra.pop("topics", ["光伏"]), "participation": "principal", "sentence": "…", "start": 0,
           "end": 1}
    row.update(extra)
    return row


def documents(*doc_ids: str) -> pd.DataFrame:
    return frame("documents", [{"doc_id": d, "source": d, "status": "ok", "message": None, "encoding": "utf-8",
                                "chars": 10, "meetings": 1} for d in doc_ids])


def test_company_forms_merge_short_and_full_but_not_neighbours() -> None:
    forms = link_companies(["苏州澄川新能源科技股份有限公司", "澄川新能源", "澄川", "博朗德(中国)投资有限公司",
                            "博朗德", "苏州华屹精密机械有限公司", "苏州澄海新能源有限公司"])
    ids = {name: cid for name, (cid, _) in forms.items()}
    assert ids["苏州澄川新能源科技股份有限公司"] == ids["澄川新能源"] == ids["澄川"]
    assert ids["博朗德(中国)投资有限公司"] == ids["博朗德"]
    # a shared place prefix or industry word is not a shared company
    assert ids["苏州华屹精密机械有限公司"] != ids["苏州澄川新能源科技股份有限公司"]
    assert ids["苏州澄海新能源有限公司"] != ids["苏州澄川新能源科技股份有限公司"]
    assert forms["澄川"][1][0] == "苏州澄川新能源科技股份有限公司"  # the fullest name first


def test_a_short_form_between_two_companies_stays_apart() -> None:
    forms = link_companies(["澄川新能源科技有限公司", "澄川物流有限公司", "澄川"])
    assert len({cid for cid, _ in forms.values()}) == 3
    # one core in two cities: two companies, and the short form could be either
    forms = link_companies(["苏州澄川新能源有限公司", "无锡澄川新能源有限公司", "澄川新能源"])
    assert len({cid for cid, _ in forms.values()}) == 3


def test_company_form_and_regions() -> None:
    form = company_form("江苏苏州澄川新能源科技股份有限公司")
    assert (form.core, form.place, form.industries) == ("澄川", "苏州", frozenset({"新能源", "科技"}))
    assert is_generic("企业") and is_generic("该公司") and not is_generic("澄川")
    assert region_of("镇江市委") == "镇江" and region_of("江宁区政府") == "江宁"
    assert region_of("市委") is None and region_of("高新区管委会") is None and region_of(None) is None


def test_namesakes_in_two_regions_are_never_merged() -> None:
    rows = [
        meeting("d1", "邬明远", "澄川新能源", official_region="镇江市"),
        meeting("d2", "邬明远", "华屹精密", official_region="常州市"),
        meeting("d3", "邬明远", "远拓物流", official_region=None),   # which one? stays apart
        meeting("d4", "祁向晨", "远拓物流", official_region="扬州市"),
        meeting("d5", "祁向晨", "华屹精密", official_region=None),   # one region known: joins
    ]
    linked = link(frame("meetings", rows), documents("d1", "d2", "d3", "d4", "d5"))
    ids = linked.meetings["official_id"].tolist()
    assert len({ids[0], ids[1], ids[2]}) == 3
    assert ids[3] == ids[4]
    people = linked.people.set_index("person_id")
    assert people.at[ids[0], "region"] == "镇江" and people.at[ids[1], "region"] == "常州"
    assert people.at[ids[3], "doc_ids"] == ["d4", "d5"] and people.at[ids[3], "mentions"] == 2


def test_region_from_entities_when_the_frame_has_none() -> None:
    """Frames from before ``official_region``: the affiliation of the title tells the region."""
    rows = [meeting("d1", "邬明远", "澄川新能源"), meeting("d2", "邬明远", "华屹精密")]
    meetings = frame("meetings", rows).drop(columns=["official_region", "official_org"], errors="ignore")
    entities = frame("entities", [
        {"doc_id": "d1", "text": "邬明远", "label": "PERSON", "start": 0, "end": 3, "original_text": "邬明远",
         "role": "official", "title": "市长", "affiliation": "镇江"},
        {"doc_id": "d2", "text": "邬明远", "label": "PERSON", "start": 0, "end": 3, "original_text": "邬明远",
         "role": "official", "title": "市长", "affiliation": "常州市政府"},
    ])
    linked = link(meetings, documents("d1", "d2"), entities)
    assert linked.meetings["official_id"].nunique() == 2
    assert sorted(linked.people.query("role == 'official'")["region"]) == ["常州", "镇江"]
    assert linked.people.query("region == '常州'")["organisations"].iloc[0] == ["常州市政府"]


def test_reprints_are_one_meeting_with_all_sources() -> None:
    rows = [
        meeting("a", "邬明远", "苏州澄川新能源科技股份有限公司", "范启岚", official_region="镇江市"),
        meeting("a-copy", "邬明远", "苏州澄川新能源科技股份有限公司", "范启岚", official_region="镇江市",
                topics=["储能电池"]),
        meeting("b", "邬明远", "苏州华屹精密机械有限公司", "邵文岑", official_region="常州市"),
    ]
    texts = {"a": TEXT_A, "a-copy": TEXT_A_REPRINT, "b": TEXT_B}
    linked = link(frame("meetings", rows), documents(*texts), texts=texts)
    mids = linked.meetings["meeting_id"].tolist()
    assert mids[0] == mids[1] != mids[2]
    unique = linked.meetings_unique.set_index("meeting_id")
    assert unique.at[mids[0], "sources"] == ["a", "a-copy"] and unique.at[mids[0], "n_sources"] == 2
    assert unique.at[mids[0], "topics"] == ["光伏", "储能电池"]
    assert unique.at[mids[0], "company"] == "苏州澄川新能源科技股份有限公司"
    # without texts or fingerprints every document is its own group
    alone = link(frame("meetings", rows), documents(*texts))
    assert alone.meetings["meeting_id"].nunique() == 3


def test_same_official_company_and_date_across_articles_is_one_meeting() -> None:
    rows = [
        meeting("x", "邬明远", "澄川新能源", official_region="镇江市", date="2025-06-02"),
        meeting("y", "邬明远", "苏州澄川新能源科技股份有限公司", official_region="镇江市", date="2025-06-02"),
        meeting("z", "邬明远", "澄川新能源", official_region="镇江市", date="2025-09-15"),  # a second visit
    ]
    linked = link(frame("meetings", rows), documents("x", "y", "z"))
    mids = linked.meetings["meeting_id"].tolist()
    assert mids[0] == mids[1] != mids[2]
    assert len(linked.meetings_unique) == 2


def test_ids_are_stable_across_row_order_and_runs() -> None:
    rows = [
        meeting("a", "邬明远", "苏州澄川新能源科技股份有限公司", "范启岚", official_region="镇江市"),
        meeting("a-copy", "邬明远", "澄川新能源", "范启岚", official_region="镇江市"),
        meeting("b", "邬明远", "苏州华屹精密机械有限公司", "邵文岑", official_region="常州市"),
        meeting("c", "祁向晨", None, "邵文岑", official_region=None),
    ]
    texts = {"a": TEXT_A, "a-copy": TEXT_A_REPRINT, "b": TEXT_B, "c": TEXT_B + "\n另稿。"}

    def ids(order: list[int]) -> dict:
        linked = link(frame("meetings", [rows[i] for i in order]), documents(*[rows[i]["doc_id"] for i in order]),
                      texts=texts)
        m = linked.meetings
        return {d: tuple(r) for d, *r in m[["doc_id", "official_id", "executive_id", "company_id",
                                            "meeting_id"]].itertuples(index=False)}

    assert ids([0, 1, 2, 3]) == ids([3, 2, 1, 0]) == ids([1, 3, 0, 2])


def test_frames_use_extension_dtypes() -> None:
    linked = link(frame("meetings", [meeting("a", "邬明远", "澄川新能源", "范启岚")]), documents("a"))
    assert str(linked.meetings["meeting_id"].dtype) == "string"
    assert str(linked.meetings_unique["n_sources"].dtype) == "Int64"
    assert str(linked.people["mentions"].dtype) == "Int64"
    assert isinstance(linked.companies["aliases"].iloc[0], list)
    assert isinstance(linked.meetings_unique["sources"].iloc[0], list)


def test_empty_frames_link() -> None:
    linked = link(frame("meetings", []), documents())
    assert len(linked.meetings_unique) == 0 and len(linked.people) == 0
    assert list(linked.meetings.columns)[-4:] == ["official_id", "executive_id", "company_id", "meeting_id"]


@pytest.mark.parametrize("generic", ["企业", "该公司"])
def test_generic_company_words_get_no_id(generic: str) -> None:
    linked = link(frame("meetings", [meeting("a", "邬明远", generic), meeting("b", "邬明远", generic)]),
                  documents("a", "b"))
    assert linked.meetings["company_id"].isna().all()
