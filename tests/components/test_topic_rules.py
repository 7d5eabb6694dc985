"""What a meeting was about: frames, items and the filler around them."""

from __future__ import annotations

from zh_invest_ner.components.topic_rules import clean_topic, frame_topics, merge_topics


def test_items_of_a_jiu_frame_without_filler():
    assert frame_topics("双方就储能电池、智能制造等领域合作进行了深入交流。") == ["储能电池", "智能制造"]


def test_weirao_frame_closed_by_deng_fangmian_needs_no_verb():
    got = frame_topics("双方将围绕“双千兆”网络建设、城市数字化转型等方面持续加大投入。")
    assert got == ["双千兆网络建设", "城市数字化转型"]


def test_people_and_places_are_not_topics():
    got = frame_topics("双方就在滨江合作建设锂电材料项目进行了商谈。", places=["滨江"])
    assert got == ["锂电材料项目"]
    assert frame_topics("就副市长罗文彬提出的问题进行交流", names=["罗文彬"]) == []


def test_clean_topic_drops_filler_time_and_bodies():
    assert clean_topic("土地片区开发等领域全方位") == "土地片区开发"
    assert clean_topic("某某网的商业模式") == "商业模式"
    assert clean_topic("2015年") is None
    assert clean_topic("市金融办") is None
    assert clean_topic("合作") is None
    assert clean_topic("听取了工作汇报") is None


def test_merge_keeps_the_longer_item():
    assert merge_topics(["储能", "光伏"], ["储能电池"]) == ["光伏", "储能电池"]


def test_zhendui_wenti_frame_names_the_issue():
    assert frame_topics("针对企业提出的用地指标问题，区政府将专题研究。") == ["用地指标"]
    assert frame_topics("针对用地指标问题，区政府将专题研究。") == ["用地指标"]


def test_amounts_and_capacities_are_no_topics():
    assert clean_topic("年产30000吨") is None
    assert clean_topic("10亿元") is None
    assert clean_topic("5G基站") == "5G基站"
    assert clean_topic("30万吨锂电材料项目") == "30万吨锂电材料项目"
    assert clean_topic("创新创业等多个领域") == "创新创业"
