"""The relation rules on hand-marked sentences: each case the issue names."""

from __future__ import annotations

from conftest import marked_doc, triples


def test_official_meets_executive_with_topics(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦市委|GOV⟧⟦副书记|TITLE⟧、⟦市长|TITLE⟧⟦周立新|PERSON⟧会见了⟦华拓储能科技有限公司|COMPANY⟧"
        "⟦董事长|TITLE⟧⟦潘家豪|PERSON⟧一行，双方就⟦储能电池|TOPIC⟧等领域合作交换意见。",
    )
    (m,) = doc._.meetings
    assert (m.official, m.official_title, m.executive, m.executive_title) == ("周立新", "市长", "潘家豪", "董事长")
    assert m.company == "华拓储能科技有限公司"
    assert m.topics == ["储能电池"]


def test_several_officials_meet_together(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦市委|GOV⟧⟦书记|TITLE⟧⟦吴承泽|PERSON⟧、⟦市长|TITLE⟧⟦林晓岚|PERSON⟧会见了⟦远帆新能源集团|COMPANY⟧"
        "⟦总裁|TITLE⟧⟦祁志远|PERSON⟧。",
    )
    assert triples(doc) == {("吴承泽", "祁志远", "远帆新能源集团"), ("林晓岚", "祁志远", "远帆新能源集团")}


def test_one_official_meets_a_list_of_executives(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦副市长|TITLE⟧⟦韩雪松|PERSON⟧会见了⟦恒岳精密|COMPANY⟧⟦董事长|TITLE⟧⟦高明远|PERSON⟧、"
        "⟦青禾生物|COMPANY⟧⟦总经理|TITLE⟧⟦葛丽娜|PERSON⟧一行。",
    )
    assert triples(doc) == {("韩雪松", "高明远", "恒岳精密"), ("韩雪松", "葛丽娜", "青禾生物")}


def test_company_anaphora_points_back(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦区长|TITLE⟧⟦叶文博|PERSON⟧走访了⟦苏州华屹精密机械有限公司|COMPANY⟧。"
        "该公司⟦总经理|TITLE⟧⟦邵文涛|PERSON⟧介绍了企业情况，双方进行了深入交流。",
    )
    assert ("叶文博", "邵文涛", "苏州华屹精密机械有限公司") in triples(doc)
    assert ("叶文博", None, "苏州华屹精密机械有限公司") not in triples(doc)


def test_executive_introduced_before_the_meeting(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦澄川新能源|COMPANY⟧⟦董事长|TITLE⟧⟦范启明|PERSON⟧一行来我县考察。"
        "⟦县委|GOV⟧⟦书记|TITLE⟧⟦柯海鹏|PERSON⟧会见了⟦范启明|PERSON⟧。",
    )
    assert triples(doc) == {("柯海鹏", "范启明", "澄川新能源")}


def test_company_side_report(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦远拓物流集团|COMPANY⟧⟦董事局主席|TITLE⟧⟦顾以宁|PERSON⟧在总部热情接待了来访的"
        "⟦绍兴市|GPE⟧⟦副市长|TITLE⟧⟦蒋海峰|PERSON⟧一行。",
    )
    assert triples(doc) == {("蒋海峰", "顾以宁", "远拓物流集团")}


def test_planned_meetings_are_not_extracted(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦市长|TITLE⟧⟦陶建业|PERSON⟧将于下周赴深圳，拜访⟦鹏程电子|COMPANY⟧⟦董事长|TITLE⟧⟦何启航|PERSON⟧。"
        "⟦副市长|TITLE⟧⟦钱思远|PERSON⟧拟会见⟦云帆科技|COMPANY⟧⟦总经理|TITLE⟧⟦冯悦|PERSON⟧。",
    )
    assert doc._.meetings == []


def test_promises_after_a_meeting_do_not_make_it_planned(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦市长|TITLE⟧⟦陶建业|PERSON⟧会见了⟦鹏程电子|COMPANY⟧⟦董事长|TITLE⟧⟦何启航|PERSON⟧，"
        "双方表示将在更多领域加强合作。",
    )
    assert triples(doc) == {("陶建业", "何启航", "鹏程电子")}


def test_reporters_and_editors_never_take_part(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦市长|TITLE⟧⟦陶建业|PERSON⟧会见了⟦鹏程电子|COMPANY⟧⟦董事长|TITLE⟧⟦何启航|PERSON⟧。\n"
        "（记者 ⟦梅若溪|PERSON⟧　通讯员 ⟦柏小川|PERSON⟧）\n责任编辑：⟦钱雨桐|PERSON⟧",
    )
    people = {p for t in triples(doc) for p in t[:2]}
    assert people == {"陶建业", "何启航"}
    assert doc._.people["梅若溪"].role == "reporter"
    assert doc._.people["钱雨桐"].role == "reporter"


def test_official_meeting_official_is_not_a_meeting(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦市长|TITLE⟧⟦陶建业|PERSON⟧会见了⟦省发改委|GOV⟧⟦主任|TITLE⟧⟦蒋海峰|PERSON⟧一行。",
    )
    assert doc._.meetings == []


def test_offsets_point_into_the_original_text(rules_nlp):
    doc = marked_doc(rules_nlp, "⟦市長|TITLE⟧⟦陶建業|PERSON⟧會見了⟦鵬程電子|COMPANY⟧⟦董事長|TITLE⟧⟦何啓航|PERSON⟧。")
    (m,) = doc._.meetings
    assert m.official == "陶建业"  # names come out simplified
    assert doc._.source.original[m.start : m.end].startswith("市長陶建業")


def test_company_title_resolves_ambiguous_titles(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦市委|GOV⟧⟦书记|TITLE⟧⟦吴承泽|PERSON⟧会见了⟦远帆集团|COMPANY⟧⟦党委书记|TITLE⟧⟦祁志远|PERSON⟧。",
    )
    assert doc._.people["祁志远"].role == "executive"
    assert doc._.people["吴承泽"].role == "official"


def test_officials_on_the_guest_side_are_not_hosts(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦市长|TITLE⟧⟦陶建业|PERSON⟧与⟦浙江省政协|GOV⟧⟦副主席|TITLE⟧、⟦之江大学|ORG⟧⟦校长|TITLE⟧⟦柯海鹏|PERSON⟧，"
        "⟦远拓物流集团|COMPANY⟧⟦董事长|TITLE⟧⟦顾以宁|PERSON⟧等座谈交流。",
    )
    assert triples(doc) == {("陶建业", "顾以宁", "远拓物流集团")}


def test_company_written_without_entity_is_taken_from_the_words_before_the_title(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦市长|TITLE⟧⟦陶建业|PERSON⟧与⟦远拓物流集团|COMPANY⟧⟦董事长|TITLE⟧⟦顾以宁|PERSON⟧，"
        "⟦杭州|GPE⟧云栖建工⟦董事长|TITLE⟧⟦沈嘉树|PERSON⟧座谈交流。",
    )
    assert ("陶建业", "沈嘉树", "杭州云栖建工") in triples(doc)


def test_a_name_cut_short_by_the_model_is_completed(rules_nlp):
    doc = marked_doc(
        rules_nlp, "⟦副市长|TITLE⟧⟦陶建业|PERSON⟧会见了⟦远拓物流集团|COMPANY⟧⟦监事会主席|TITLE⟧⟦顾以|PERSON⟧宁一行。"
    )
    assert triples(doc) == {("陶建业", "顾以宁", "远拓物流集团")}


def test_company_self_reference_in_company_news(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦远拓物流集团|COMPANY⟧召开年度会议。⟦副市长|TITLE⟧⟦陶建业|PERSON⟧一行到访，我司⟦高级副总裁|TITLE⟧"
        "⟦顾以宁|PERSON⟧陪同参观。",
    )
    assert triples(doc) == {("陶建业", "顾以宁", "远拓物流集团")}


def test_leaders_attending_an_event_are_not_meetings(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦副市长|TITLE⟧⟦何立春|PERSON⟧、⟦县长|TITLE⟧⟦柯海鹏|PERSON⟧、⟦区长|TITLE⟧⟦叶文博|PERSON⟧，"
        "⟦远拓物流集团|COMPANY⟧⟦董事长|TITLE⟧⟦顾以宁|PERSON⟧等参加活动，共同见证项目签约。",
    )
    assert doc._.meetings == []


def test_city_name_run_into_the_title(rules_nlp):
    doc = marked_doc(rules_nlp, "⟦江海市|GPE⟧长蒋海峰会见了⟦远拓物流集团|COMPANY⟧⟦董事长|TITLE⟧⟦顾以宁|PERSON⟧。")
    assert triples(doc) == {("蒋海峰", "顾以宁", "远拓物流集团")}
    assert doc._.people["蒋海峰"].title == "市长"


def test_company_unit_before_the_title(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦远拓物流（中国）有限公司|COMPANY⟧战略与投资委员会⟦副主席|TITLE⟧⟦顾以宁|PERSON⟧会见了来访的"
        "⟦副市长|TITLE⟧⟦蒋海峰|PERSON⟧一行。",
    )
    assert triples(doc) == {("蒋海峰", "顾以宁", "远拓物流（中国）有限公司")}
