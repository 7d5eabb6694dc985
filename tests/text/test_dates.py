"""Dates of Chinese news text: finding them with offsets, the article's own date, resolving."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zh_invest_ner.text.dates import (
    DateMention,
    article_date,
    find_dates,
    parse_date_hint,
    resolve,
    resolve_all,
)

D = dt.date


def only(text: str) -> DateMention:
    """The one mention of ``text``, checked for offsets."""
    found = find_dates(text)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start : m.end] == m.text
    return m


def ymd(m: DateMention) -> tuple[int | None, int | None, int | None]:
    return m.year, m.month, m.day


# ---------------------------------------------------------------------------
# Formats


@pytest.mark.parametrize(
    ("sentence", "written", "expected"),
    [
        ("2024年3月18日，临川市市长柯明远会见了澜汐科技董事长。", "2024年3月18日", (2024, 3, 18)),
        ("2024年03月08日，双方签署合作协议。", "2024年03月08日", (2024, 3, 8)),
        ("二〇二四年三月十八日，省长会见客商。", "二〇二四年三月十八日", (2024, 3, 18)),
        ("二零二三年十二月三十一日晚，座谈会举行。", "二零二三年十二月三十一日晚", (2023, 12, 31)),
        ("二〇二四年十一月二十一日，项目落地。", "二〇二四年十一月二十一日", (2024, 11, 21)),
        ("二○二四年十月十日，会见在京举行。", "二○二四年十月十日", (2024, 10, 10)),
        ("会见于2024-03-18在市政府举行。", "2024-03-18", (2024, 3, 18)),
        ("签约日期为2024/3/18，地点在临川。", "2024/3/18", (2024, 3, 18)),
        ("签约日期为2024.03.18，地点在临川。", "2024.03.18", (2024, 3, 18)),
        ("更新于2024-03-18 09:41，编辑整理。", "2024-03-18 09:41", (2024, 3, 18)),
        ("3月18日，副市长韩启东会见了嘉禾集团客人。", "3月18日", (None, 3, 18)),
        ("三月十八日，双方举行工作会谈。", "三月十八日", (None, 3, 18)),
        ("18日，市委书记会见了远景资本一行。", "18日", (None, None, 18)),
        ("二十三日，市委书记会见了远景资本一行。", "二十三日", (None, None, 23)),
        ("3月18日上午，副省长会见客人。", "3月18日上午", (None, 3, 18)),
        ("3月18日下午，副省长会见客人。", "3月18日下午", (None, 3, 18)),
        ("3月18日晚，副省长会见客人。", "3月18日晚", (None, 3, 18)),
        ("3月18号，区长会见了企业代表。", "3月18号", (None, 3, 18)),
        ("2024年3月，全市签约项目四十个。", "2024年3月", (2024, 3, None)),
        ("２０２４年３月１８日，市长会见客商。", "２０２４年３月１８日", (2024, 3, 18)),
        ("会见于２０２４－０３－１８举行。", "２０２４－０３－１８", (2024, 3, 18)),
        ("去年12月28日，双方首次接触。", "去年12月28日", (None, 12, 28)),
        ("2024 年 3 月 18 日，座谈会召开。", "2024 年 3 月 18 日", (2024, 3, 18)),
        ("2024年3月18日（星期一），市长会见客人。", "2024年3月18日（星期一）", (2024, 3, 18)),
        ("3月18日上午9时，会谈开始。", "3月18日上午9时", (None, 3, 18)),
    ],
)
def test_formats(sentence, written, expected):
    m = only(sentence)
    assert m.text == written
    assert ymd(m) == expected
    assert m.end_day is None


def test_time_of_day_is_kept():
    assert only("3月18日下午，会谈开始。").time == "下午"
    assert only("更新于2024-03-18 09:41:00").time == "09:41:00"
    assert only("会见于3月18日举行。").time is None


def test_traditional_script():
    assert ymd(only("2024年3月18日，市長會見了企業家。")) == (2024, 3, 18)
    assert only("昨日，市長會見了企業家。").relative_days == -1
    assert only("當天，雙方簽約。").relative_days == 0
    assert ymd(only("3月18號，雙方簽約。")) == (None, 3, 18)
    date, m = article_date("市長會見企業家\n發布時間：2024年3月18日\n正文。")
    assert date == D(2024, 3, 18) and m.label == "發布時間"


def test_several_mentions_in_order_with_offsets():
    text = "2024年3月18日，市长会见了客人；19日，双方签约；3月20日至22日参观园区。"
    found = find_dates(text)
    assert [m.text for m in found] == ["2024年3月18日", "19日", "3月20日至22日"]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert [m.start for m in found] == sorted(m.start for m in found)


# ---------------------------------------------------------------------------
# Ranges


@pytest.mark.parametrize(
    ("sentence", "written", "start", "end"),
    [
        ("3月23日至25日，考察团在临川参观。", "3月23日至25日", (None, 3, 23), (None, 3, 25)),
        ("3月23日-25日，考察团在临川参观。", "3月23日-25日", (None, 3, 23), (None, 3, 25)),
        ("3月23—25日，考察团在临川参观。", "3月23—25日", (None, 3, 23), (None, 3, 25)),
        ("3月30日至4月2日，博览会举行。", "3月30日至4月2日", (None, 3, 30), (None, 4, 2)),
        ("2024年12月30日至2025年1月2日，年会举行。", "2024年12月30日至2025年1月2日", (2024, 12, 30), (2025, 1, 2)),
        ("2024年12月30日至1月2日，年会举行。", "2024年12月30日至1月2日", (2024, 12, 30), (2025, 1, 2)),
        ("23-25日，论坛在临川举办。", "23-25日", (None, None, 23), (None, None, 25)),
        ("三月二十三日至二十五日，论坛举办。", "三月二十三日至二十五日", (None, 3, 23), (None, 3, 25)),
    ],
)
def test_ranges(sentence, written, start, end):
    m = only(sentence)
    assert m.text == written and m.is_range
    assert ymd(m) == start
    assert (m.end_year, m.end_month, m.end_day) == end


def test_a_backwards_range_is_no_range():
    found = find_dates("3月25日至23日")
    assert [m.text for m in found] == ["3月25日", "23日"]
    assert not any(m.is_range for m in found)


# ---------------------------------------------------------------------------
# Relative days


@pytest.mark.parametrize(
    ("word", "days", "anchor"),
    [
        ("昨天", -1, "reference"),
        ("昨日", -1, "reference"),
        ("前天", -2, "reference"),
        ("今天", 0, "reference"),
        ("今日", 0, "reference"),
        ("明天", 1, "reference"),
        ("当天", 0, "previous"),
        ("当日", 0, "previous"),
        ("次日", 1, "previous"),
    ],
)
def test_relative_days(word, days, anchor):
    m = only(f"{word}，市长蒋文博会见了澜汐科技总裁。")
    assert m.text == word and m.kind == "relative"
    assert m.relative_days == days and m.anchor == anchor
    assert ymd(m) == (None, None, None)
    assert resolve(m, D(2024, 3, 18)) == (D(2024, 3, 18) + dt.timedelta(days=days), None)
    assert resolve(m, None) == (None, None)
    assert resolve(m, None, year=2024) == (None, None)


def test_relative_day_with_part_of_day():
    m = only("昨天下午，双方举行会谈。")
    assert m.text == "昨天下午" and m.time == "下午"


def test_weekdays_relative_to_the_reference_week():
    ref = D(2024, 3, 20)  # a Wednesday
    assert resolve(only("上周五，市长会见客人。"), ref)[0] == D(2024, 3, 15)
    assert resolve(only("本周三，市长会见客人。"), ref)[0] == D(2024, 3, 20)
    assert resolve(only("下周一，市长会见客人。"), ref)[0] == D(2024, 3, 25)
    assert resolve(only("上个星期日，双方签约。"), ref)[0] == D(2024, 3, 17)


def test_a_weekday_label_after_a_date_is_part_of_it():
    m = only("2024年3月18日　星期一")
    assert m.text == "2024年3月18日　星期一" and m.relative_days is None and m.weekday is None
    assert find_dates("工作时间为周一至周五。") == []


def test_anaphoric_words_follow_the_date_before_them():
    text = "3月23日至25日，考察团在临川参观。次日，双方签约。当天下午，市长会见客人。"
    found = find_dates(text)
    assert [m.text for m in found] == ["3月23日至25日", "次日", "当天下午"]
    dates = resolve_all(found, D(2024, 4, 1))
    assert dates == [(D(2024, 3, 23), D(2024, 3, 25)), (D(2024, 3, 26), None), (D(2024, 3, 26), None)]
    # without a date before it, 次日 counts from the reference
    assert resolve_all(find_dates("次日，双方签约。"), D(2024, 4, 1)) == [(D(2024, 4, 2), None)]


# ---------------------------------------------------------------------------
# Not dates


@pytest.mark.parametrize(
    "sentence",
    [
        "日前，市长会见了客人。",
        "近日，双方达成共识。",
        "连日来，工作组深入企业调研。",
        "节日期间，市场供应充足。",
        "董事长在生日当周赴任。",
        "日本企业代表团来访。",
        "日照市副市长出席活动。",
        "每日新增订单三百余份。",
        "3月份的营收同比增长12.5%。",
        "该项目投资18日元。",
        "第3日，考察团离开临川。",
        "连续3日举行座谈。",
        "历时18日的谈判结束。",
        "咨询电话010-6552-1234。",
        "热线0755-2345-6789全天开通。",
        "2024年度工作报告审议通过。",
        "公司2024年报显示营收增长。",
        "软件升级到1.2.3版本。",
        "股价报收12.5元。",
        "详见https://news.example.cn/2024-03-18/a.html页面。",
        "原文见http://example.cn/2024/03/18/b.shtml。",
        "链接 http://a.example.cn/?d=2024-03-18T09:41:00Z 已失效。",
        "2月30日，会见举行。",
        "2023年2月29日，会见举行。",
        "1900年3月5日，公司成立。",
        "2101年1月1日，合同到期。",
        "2024年13月5日，会见举行。",
        "今日头条报道了此事。",
        "一日游线路开通。",
        "三日内完成审批。",
        "今年一季度营收增长。",
    ],
)
def test_not_dates(sentence):
    assert find_dates(sentence) == []


def test_day_before_japan_is_still_a_day():
    # 18日本报讯: "18日" + "本报讯" (this paper reports), not 日本
    assert ymd(only("18日本报讯，市长会见客人。")) == (None, None, 18)


# ---------------------------------------------------------------------------
# The article's date


@pytest.mark.parametrize(
    ("article", "expected", "label"),
    [
        ("临川市长会见客商\n发布时间：2019-11-08 10:21\n11月7日，市长会见了客人。", D(2019, 11, 8), "发布时间"),
        ("标题\n发布日期：2024年3月18日\n昨天，市长会见客人。", D(2024, 3, 18), "发布日期"),
        ("标题\n时间：2024-03-18\n正文。", D(2024, 3, 18), "时间"),
        ("标题\n来源：临川日报　2024-03-18 09:41:00\n正文。", D(2024, 3, 18), "来源"),
        ("【发布时间：2024-03-18】【字号：大 中 小】\n正文。", D(2024, 3, 18), "发布时间"),
        ("2024-03-18 10:00 来源：临川日报\n正文。", D(2024, 3, 18), "来源"),
        ("市长会见客商\n2024年3月18日　星期一\n昨天，市长会见了客人。", D(2024, 3, 18), None),
        ("市长会见客商\n（2024年3月18日）\n正文。", D(2024, 3, 18), None),
        ("作者：林小满 2023年5月6日\n浏览次数：12\n正文。", D(2023, 5, 6), "作者"),
        ("标题\n[时间] 2024-06-19 17:02:45\n正文。", D(2024, 6, 19), "时间"),
        ("标题\n临川市青溪区人民政府　2024-11-25\n正文。", D(2024, 11, 25), None),
        ("二〇二四年十月十七日　文/品牌部　图/林小满\n正文。", D(2024, 10, 17), None),
    ],
)
def test_article_date(article, expected, label):
    date, m = article_date(article)
    assert date == expected
    assert m is not None and m.kind == "publish" and m.label == label
    assert article[m.start : m.end] == m.text


def test_an_explicit_label_wins_over_an_earlier_dateline():
    article = "2023年1月2日\n标题\n正文。\n发布时间：2024-03-18"
    assert article_date(article)[0] == D(2024, 3, 18)


def test_a_bare_time_label_counts_only_at_the_top():
    notice = "标题\n正文第一段。\n正文第二段。\n正文第三段。\n会议安排如下。\n时间：2024年3月20日\n地点：临川"
    assert article_date(notice) == (None, None)
    assert article_date("标题\n时间：2024年3月20日\n正文。")[0] == D(2024, 3, 20)


@pytest.mark.parametrize(
    "article",
    [
        "",
        "市长会见了客人，双方交流。",
        "市长2024年3月18日会见了客人，双方交流。",
        "会议时间：2024年3月20日至22日。市长3月18日会见客人。",
        "标题\n3月18日\n正文。",
        "2024-05-12　副区长林小满到公司调研，总经理陪同。\n正文。",
        "标题\n昨天\n正文。",
        "一\n二\n三\n四\n五\n六\n2024年3月18日\n正文。",
    ],
)
def test_no_article_date(article):
    assert article_date(article) == (None, None)


# ---------------------------------------------------------------------------
# Resolving


@pytest.mark.parametrize(
    ("written", "reference", "expected"),
    [
        ("2024年3月18日", D(2020, 1, 1), D(2024, 3, 18)),
        ("2024年3月18日", None, D(2024, 3, 18)),
        ("3月18日", D(2024, 3, 20), D(2024, 3, 18)),
        ("12月28日", D(2024, 1, 5), D(2023, 12, 28)),  # news of early January reports late December
        ("11月3日", D(2024, 2, 1), D(2023, 11, 3)),
        ("1月3日", D(2023, 12, 20), D(2024, 1, 3)),  # an announcement a fortnight ahead
        ("5月1日", D(2024, 3, 20), D(2024, 5, 1)),
        ("6月1日", D(2024, 3, 20), D(2023, 6, 1)),  # more than ~2 months ahead: last year's
        ("18日", D(2024, 3, 20), D(2024, 3, 18)),
        ("21日", D(2024, 3, 20), D(2024, 3, 21)),  # a day or two ahead: this month's
        ("28日", D(2024, 3, 5), D(2024, 2, 28)),
        ("31日", D(2024, 3, 5), D(2024, 1, 31)),  # no 2月31日: the month before
        ("28日", D(2024, 1, 5), D(2023, 12, 28)),
        ("去年12月28日", D(2024, 3, 5), D(2023, 12, 28)),
        ("2月29日", D(2024, 3, 5), D(2024, 2, 29)),
    ],
)
def test_resolve(written, reference, expected):
    assert resolve(only(written), reference) == (expected, None)


def test_resolve_ranges():
    ref = D(2024, 4, 10)
    assert resolve(only("3月23日至25日"), ref) == (D(2024, 3, 23), D(2024, 3, 25))
    assert resolve(only("3月30日至4月2日"), ref) == (D(2024, 3, 30), D(2024, 4, 2))
    assert resolve(only("12月30日至1月2日"), D(2024, 1, 10)) == (D(2023, 12, 30), D(2024, 1, 2))
    assert resolve(only("2024年12月30日至2025年1月2日"), None) == (D(2024, 12, 30), D(2025, 1, 2))
    assert resolve(only("30日至2日"), D(2024, 4, 10)) == (D(2024, 3, 30), D(2024, 4, 2))


def test_resolve_a_month_gives_its_first_and_last_day():
    assert resolve(only("2024年2月"), None) == (D(2024, 2, 1), D(2024, 2, 29))


def test_the_year_hint_fills_the_year_only_without_reference():
    m = only("3月18日")
    assert resolve(m, None) == (None, None)
    assert resolve(m, None, year=2022) == (D(2022, 3, 18), None)
    assert resolve(m, D(2024, 3, 20), year=2022) == (D(2024, 3, 18), None)
    assert resolve(only("18日"), None, year=2022) == (None, None)  # no month to put it in
    assert resolve(only("去年12月28日"), None, year=2024) == (D(2023, 12, 28), None)


def test_nothing_is_guessed_from_today():
    for text in ("3月18日", "18日", "昨天", "上周五", "2024年3月18日至20日"):
        m = only(text)
        start, _ = resolve(m, None)
        assert start is None or m.year is not None


# ---------------------------------------------------------------------------
# The user's hint


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("2024", 2024),
        (" 2024 ", 2024),
        ("2024-03-18", D(2024, 3, 18)),
        ("2024/3/18", D(2024, 3, 18)),
        ("20240318", D(2024, 3, 18)),
        ("2024年3月18日", D(2024, 3, 18)),
        (D(2024, 3, 18), D(2024, 3, 18)),
        (dt.datetime(2024, 3, 18, 9, 41), D(2024, 3, 18)),
    ],
)
def test_parse_date_hint(value, expected):
    assert parse_date_hint(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "3月18日", "2024-02-30", "1800", "2024-03-18至20日", "24"])
def test_parse_date_hint_rejects(value):
    with pytest.raises(ValueError):
        parse_date_hint(value)


# ---------------------------------------------------------------------------
# Robustness and speed


#: Characters that dates are made of, so that random strings come close to dates often.
DATE_ALPHABET = [*"0123456789２０１８年月日号至到-—/.:： \n", *"昨今明前当次周上下本十二三〇零一九", *"期来源发布时间"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(DATE_ALPHABET), max_size=80) | st.text(max_size=80))
def test_any_text(text):
    found = find_dates(text)
    previous_end = 0
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert m.start >= previous_end
        assert text[m.start : m.end] == m.text
        previous_end = m.end
        reference = D(2024, 3, 18)
        start, end = resolve(m, reference)
        assert end is None or start is not None and end >= start
    article_date(text)


def test_linear_time_on_a_long_date_free_text():
    paragraph = "临川市市长会见了澜汐科技集团董事长一行，双方就新能源项目交换了意见，日本客商也出席了活动。\n"
    text = paragraph * (5000 // len(paragraph))
    find_dates(text)
    best = min(_timed(text) for _ in range(5))
    assert best < 0.005  # typically ~0.2 ms; generous for a shared machine
    long = text * 40
    assert min(_timed(long) for _ in range(3)) < 100 * best + 0.05


def _timed(text: str) -> float:
    t0 = time.perf_counter()
    find_dates(text)
    return time.perf_counter() - t0
