"""The shapes real articles take (issue 6), on hand-marked invented text.

Each test is one cause found in the error analysis of real articles: company-side
reports, 公司 meaning the article's company, titles after names and short references,
guests travelling with the officials, accompanying people, dated entries of list pages.
"""

from __future__ import annotations

from conftest import marked_doc, triples

from zh_invest_ner.components.entity_cleaner import merge_split_names
from zh_invest_ner.components.meetings import company_core, unnamed_post_companies
from zh_invest_ner.components.roles import short_reference


def participation(doc):
    return {(m.official, m.executive): m.participation for m in doc._.meetings}


def test_company_side_report_pairs_the_hosts_with_the_visitors(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦滨江市|GPE⟧⟦副市长|TITLE⟧⟦罗文彬|PERSON⟧一行莅临云图网调研\n"
        "6月9日，⟦滨江市|GPE⟧⟦副市长|TITLE⟧⟦罗文彬|PERSON⟧一行来到云图网进行考察。"
        "云图网⟦首席执行官|TITLE⟧⟦钟启衡|PERSON⟧、⟦执行副总裁|TITLE⟧⟦杜雨辰|PERSON⟧介绍了云图网的发展情况。",
    )
    assert triples(doc) == {("罗文彬", "钟启衡", "云图网"), ("罗文彬", "杜雨辰", "云图网")}


def test_gongsi_is_the_company_the_page_is_about(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "市领导赴公司调研\n"
        "近日，⟦市商务局|GOV⟧⟦局长|TITLE⟧⟦孔德明|PERSON⟧一行赴拓微检测所调研并座谈。"
        "公司⟦董事长|TITLE⟧⟦葛云飞|PERSON⟧参加座谈。\n拓微检测所成立于2009年，主要从事材料检测。",
    )
    assert ("孔德明", "葛云飞", "拓微检测所") in triples(doc)


def test_an_executive_travelling_with_the_officials_is_a_guest(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "5月3日，⟦区委|GOV⟧⟦书记|TITLE⟧⟦韦长青|PERSON⟧、⟦恒远咨询有限公司|COMPANY⟧⟦副总经理|TITLE⟧⟦马骁|PERSON⟧等一行"
        "莅临⟦澄川新能源科技有限公司|COMPANY⟧考察。公司⟦总经理|TITLE⟧⟦范启明|PERSON⟧接待了来宾。",
    )
    assert ("韦长青", "范启明", "澄川新能源科技有限公司") in triples(doc)
    assert not any(x == "马骁" for _, x, _ in triples(doc))
    assert not any(c == "恒远咨询有限公司" for _, _, c in triples(doc))


def test_short_references_resolve_or_never_meet(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦副市长|TITLE⟧⟦祁立新|PERSON⟧会见了⟦鼎岳精密机械股份有限公司|COMPANY⟧⟦总经理|TITLE⟧⟦王家栋|PERSON⟧。"
        "⟦祁副|PERSON⟧表示欢迎，⟦王总|PERSON⟧介绍了企业情况。",
    )
    assert triples(doc) == {("祁立新", "王家栋", "鼎岳精密机械股份有限公司")}
    alone = marked_doc(rules_nlp, "⟦申书记|PERSON⟧会见了⟦鼎岳精密机械股份有限公司|COMPANY⟧⟦鲍总|PERSON⟧。")
    assert alone._.meetings == []


def test_short_reference_shapes():
    titles = {"总", "副", "主任", "书记", "副市长"}
    surnames = {"王", "邱", "欧阳"}
    assert short_reference("王总", titles, surnames) == ("王", "总")
    assert short_reference("欧阳主任", titles, surnames) == ("欧阳", "主任")
    assert short_reference("王家栋", titles, surnames) is None


def test_titles_after_names_and_listed_colleagues(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦李晓东|PERSON⟧⟦副区长|TITLE⟧一行走访了⟦汇林数据中心|COMPANY⟧，⟦汇林数据中心|COMPANY⟧⟦总经理|TITLE⟧"
        "⟦周岚|PERSON⟧、⟦技术总监|TITLE⟧⟦白亦凡|PERSON⟧陪同参观并座谈。",
    )
    assert {("李晓东", "周岚", "汇林数据中心"), ("李晓东", "白亦凡", "汇林数据中心")} <= triples(doc)


def test_accompanying_officials_are_marked(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦市长|TITLE⟧⟦陶建业|PERSON⟧会见了⟦澄川新能源科技有限公司|COMPANY⟧⟦董事长|TITLE⟧⟦范启明|PERSON⟧，"
        "⟦副市长|TITLE⟧⟦贺云舟|PERSON⟧参加会见。",
    )
    assert participation(doc) == {("陶建业", "范启明"): "principal", ("贺云舟", "范启明"): "accompanying"}
    escorted = marked_doc(
        rules_nlp,
        "⟦省商务厅|GOV⟧⟦厅长|TITLE⟧⟦严和平|PERSON⟧在⟦副市长|TITLE⟧⟦贺云舟|PERSON⟧的陪同下考察了"
        "⟦澄川新能源科技有限公司|COMPANY⟧，与公司⟦董事长|TITLE⟧⟦范启明|PERSON⟧座谈。",
    )
    got = participation(escorted)
    assert got[("严和平", "范启明")] == "principal"
    assert got[("贺云舟", "范启明")] == "accompanying"


def test_dated_entries_of_a_chronicle_are_separate_events(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "2023年大事记\n"
        "4月2日，⟦市发改委|GOV⟧⟦主任|TITLE⟧⟦胡启明|PERSON⟧在⟦副主任|TITLE⟧⟦陈立|PERSON⟧的陪同下莅临集团考察，"
        "⟦鼎岳集团|COMPANY⟧⟦董事长|TITLE⟧⟦李成业|PERSON⟧接待了胡主任一行。\n"
        "9月8日，⟦镇长|TITLE⟧⟦程林|PERSON⟧到⟦鼎岳集团|COMPANY⟧调研，⟦鼎岳集团|COMPANY⟧⟦副总裁|TITLE⟧⟦梁锋|PERSON⟧陪同。\n",
    )
    met = triples(doc)
    assert ("程林", "梁锋", "鼎岳集团") in met
    assert not any(o in ("胡启明", "陈立") and x == "梁锋" for o, x, _ in met)


def test_latin_script_names_after_titles(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦市委|GOV⟧⟦书记|TITLE⟧⟦严和平|PERSON⟧会见了⟦美国韦森医疗集团|COMPANY⟧（Wessen Medical）"
        "⟦首席执行官|TITLE⟧Daniel Ross一行。",
    )
    assert ("严和平", "Daniel Ross", "美国韦森医疗集团") in triples(doc)


def test_unnamed_posts_name_the_company_met(rules_nlp):
    doc = marked_doc(rules_nlp, "⟦市委|GOV⟧⟦书记|TITLE⟧⟦严和平|PERSON⟧会见了青禾生物等企业的董事长。")
    (sent,) = list(doc.sents)
    assert unnamed_post_companies(sent, None) == ["青禾生物"]


def test_company_core_ignores_legal_form_and_country():
    suffixes = ("有限公司", "集团", "公司")
    assert company_core("美国韦森医疗集团", suffixes) == company_core("韦森医疗公司", suffixes)
    assert company_core(None, suffixes) == ""


def test_split_name_rejoins(rules_nlp):
    doc = rules_nlp.make_doc("总工程师赵明远博士介绍")
    doc.ents = [doc.char_span(4, 6, label="PERSON"), doc.char_span(6, 9, label="PERSON")]
    merge_split_names(doc, ("博士",))
    assert [e.text for e in doc.ents] == ["赵明远"]


def test_brand_plus_qiye_is_the_company_named_in_the_sentence(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦区长|TITLE⟧⟦韦长青|PERSON⟧走访了⟦鹤鸣科技集团|COMPANY⟧，与鹤鸣企业⟦董事长|TITLE⟧⟦葛云飞|PERSON⟧座谈。",
    )
    assert ("韦长青", "葛云飞", "鹤鸣科技集团") in triples(doc)


def test_joined_posts_and_a_name_misread_as_a_place(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦副部长|TITLE⟧⟦顾乐川|PERSON⟧考察了⟦鹤鸣科技集团|COMPANY⟧。⟦鹤鸣科技集团|COMPANY⟧⟦CTO&COO|TITLE⟧"
        "⟦庞一舟|PERSON⟧向⟦顾乐川|GPE⟧副部长介绍了企业情况。",
    )
    assert ("顾乐川", "庞一舟", "鹤鸣科技集团") in triples(doc)
    assert {e.label_ for e in doc.ents if e.text == "顾乐川"} == {"PERSON"}


def test_an_organisation_headed_by_an_executive_is_the_meeting_company(rules_nlp):
    # a trading centre run as a firm: its 总经理 met the official there, not the company named before
    doc = marked_doc(
        rules_nlp,
        "⟦副市长|TITLE⟧⟦秦立川|PERSON⟧主持座谈会。⟦远拓新材料有限公司|COMPANY⟧⟦总经理|TITLE⟧⟦钟启衡|PERSON⟧，"
        "⟦临川|GPE⟧有色金属交易中心⟦总经理|TITLE⟧⟦杜雨辰|PERSON⟧在会上发言。",
    )
    assert ("秦立川", "杜雨辰", "临川有色金属交易中心") in triples(doc)
    assert ("秦立川", "杜雨辰", "远拓新材料有限公司") not in triples(doc)


def test_a_visit_to_the_company_site_reports_the_company_named_in_full(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦副市长|TITLE⟧⟦秦立川|PERSON⟧调研⟦江海远拓锂能科技股份有限公司|COMPANY⟧。"
        "在⟦远拓锂能总部|COMPANY⟧，⟦秦立川|PERSON⟧与公司⟦董事长|TITLE⟧⟦钟启衡|PERSON⟧座谈。",
    )
    assert ("秦立川", "钟启衡", "江海远拓锂能科技股份有限公司") in triples(doc)
    assert not any(c == "远拓锂能总部" for _, _, c in triples(doc))


def test_no_executive_is_their_own_company(rules_nlp):
    # the model read the brand before 中国区总经理 as a person: that record is dropped, the real one kept
    doc = marked_doc(
        rules_nlp,
        "⟦市长|TITLE⟧⟦秦立川|PERSON⟧会见了⟦瑞士阿尔维水电集团|COMPANY⟧⟦总裁|TITLE⟧⟦Henrik Dahl|PERSON⟧。"
        "⟦阿尔维|PERSON⟧中国区⟦总经理|TITLE⟧⟦苏宏|PERSON⟧参加会见。",
    )
    assert all(x != c for _, x, c in triples(doc))
    assert ("秦立川", "Henrik Dahl", "瑞士阿尔维水电集团") in triples(doc)


def test_a_company_is_never_a_topic(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "⟦市长|TITLE⟧⟦秦立川|PERSON⟧会见了⟦云图网|COMPANY⟧⟦首席执行官|TITLE⟧⟦钟启衡|PERSON⟧，"
        "双方就⟦云图网创新|TOPIC⟧、⟦电子商务|TOPIC⟧进行了交流。",
    )
    (meeting,) = doc._.meetings
    assert meeting.topics == ["电子商务"]


def test_what_a_visitor_learnt_of_the_company_is_background_not_a_topic(rules_nlp):
    # the trip's stated field is the topic; 了解…情况 lists what the company showed
    doc = marked_doc(
        rules_nlp,
        "⟦市长|TITLE⟧⟦秦立川|PERSON⟧率队赴⟦江海|GPE⟧招商，在推进⟦生命健康产业|TOPIC⟧发展等项目上达成合作意向。\n"
        "⟦秦立川|PERSON⟧一行实地了解企业⟦科技创新|TOPIC⟧、⟦技术研发|TOPIC⟧等情况，"
        "并与⟦远拓集团|COMPANY⟧⟦董事长|TITLE⟧⟦钟启衡|PERSON⟧座谈交流。",
    )
    (meeting,) = doc._.meetings
    assert "科技创新" not in meeting.topics and "技术研发" not in meeting.topics
    assert meeting.topics == ["生命健康产业"]
