"""Tests for zh_invest_ner.text.normalizer: normalised text and its offset map."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zh_invest_ner.text import normalizer
from zh_invest_ner.text.normalizer import NormalizedText, normalize

# ---------------------------------------------------------------------------
# a. pinyin annotations


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("率隊(duì)前往", "率队前往"),
        ("中國(guó)企業", "中国企业"),
        ("市長(zhǎng)會見", "市长会见"),
        ("市長（zhǎng）會見", "市长会见"),
        ("綠(lǜ)色", "绿色"),
        ("女(nǚ)士", "女士"),
        ("旅(lǚ)遊(yóu)", "旅游"),
        ("略(lvè)", "略"),
        ("中國(zhōngguó)人", "中国人"),
        ("西安(xī'ān)市", "西安市"),
        ("黨(dang) 委書(shu) 記", "党委书记"),
        ("黨(dang)委(wei)書(shu)記(ji)", "党委书记"),
        ("黨(dǎng)委(wei)", "党委"),
        ("綠(lü) 色", "绿色"),
        ("黨(dang)\n委", "党\n委"),
    ],
)
def test_pinyin_annotations_removed(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    "raw",
    [
        "遠帆(中國)有限公司",
        "(記者 梅若溪)",
        "張偉(右二)與企業家交流",
        "公司(ABC)",
        "成立於(2023)年",
        "海尔(天津)",
        "董事長(CEO) 會見",
        "集团(Group) 总部",
        "方案(an)是",  # toneless, no space after, no run: could be anything
        "型号(Ma) 为",  # capitalised: a name or a code, not an annotation
        "分为(a) 和(b) 两类",
        "现金(cash) 流",
        "中国 (zhōng)",  # not directly after a hanzi
    ],
)
def test_real_parentheses_untouched(raw: str) -> None:
    expected = normalize(raw.replace("(", "[").replace(")", "]")).text
    assert normalize(raw).text == expected.replace("[", "(").replace("]", ")")


def test_annotation_excluded_from_span_end() -> None:
    norm = normalize("市長(zhǎng)會見企業家")
    assert norm.text == "市长会见企业家"
    assert norm.to_original(0, 2) == (0, 2)
    assert norm.original_span_text(0, 2) == "市長"
    assert norm.original_span_text(1, 3) == "長(zhǎng)會"
    assert norm.original_span_text(2, 4) == "會見"


def test_toneless_run_span() -> None:
    norm = normalize("黨(dang) 委書(shu) 記會見")
    assert norm.text == "党委书记会见"
    assert norm.original_span_text(0, 4) == "黨(dang) 委書(shu) 記"
    assert norm.original_span_text(1, 2) == "委"


# ---------------------------------------------------------------------------
# b. radicals, c. NFKC, d. t2s, e. clean-up


def test_radical_lookalikes() -> None:
    raw = "⽅⻓⻔⻋⻅⻢⻜⻛⻩⻄"
    norm = normalize(raw)
    assert norm.text == "方长门车见马飞风黄西"
    assert list(norm.offsets) == list(range(len(raw) + 1))


def test_nfkc_keeps_chinese_punctuation() -> None:
    raw = "ＡＢＣ公司１２３億元，同比增長：５％！（完）【新聞】「好」、……——"
    assert normalize(raw).text == "ABC公司123亿元，同比增长：5%！（完）【新闻】「好」、……——"


def test_nfkc_expansion_maps_to_source() -> None:
    norm = normalize("本田㈱會長")
    assert norm.text == "本田(株)会长"
    for i in range(2, 5):
        assert norm.to_original(i, i + 1) == (2, 3)
    assert norm.original_span_text(2, 5) == "㈱"
    assert norm.original_span_text(5, 7) == "會長"


def test_t2s_switch() -> None:
    raw = "國務院總理會見騰訊董事會主席"
    assert normalize(raw).text == "国务院总理会见腾讯董事会主席"
    assert normalize(raw, t2s=False).text == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("好,,,,很好", "好,很好"),
        ("好，，，很好", "好，很好"),
        ("结束。。。。", "结束。"),
        ("好!!!!", "好!"),
        ("好！！？？", "好！？"),
        ("等等……还有——对", "等等……还有——对"),
        ("共3...5个", "共3...5个"),
        ("a  \t b", "a b"),
        ("a\tb", "a b"),
        ("一\r\n二\r三\n", "一\n二\n三\n"),
        ("会\u200b见\ufeff\u200d", "会见"),
        ("会\x00见\x07\x1b[0m", "会见[0m"),
        ("，\u200b，", "，"),
        ("", ""),
    ],
)
def test_clean_up(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


def test_collapsed_runs_map_to_whole_run() -> None:
    norm = normalize("好，，，很\r\n好")
    assert norm.text == "好，很\n好"
    assert norm.to_original(1, 2) == (1, 4)
    assert norm.original_span_text(3, 4) == "\r\n"


def test_empty_and_bad_spans() -> None:
    norm = normalize("市長(zhǎng)會見")
    assert norm.to_original(0, 0) == (0, 0)
    assert norm.to_original(2, 2) == (9, 9)
    assert norm.to_original(4, 4) == (11, 11)
    assert norm.original_span_text(2, 2) == ""
    for span in [(-1, 1), (2, 1), (0, 5)]:
        with pytest.raises(IndexError):
            norm.to_original(*span)
    assert normalize("").to_original(0, 0) == (0, 0)


def test_three_field_construction() -> None:
    norm = NormalizedText("ab", "ab", (0, 1, 2))
    assert norm.to_original(0, 2) == (0, 2)
    assert norm.original_span_text(1, 2) == "b"


def test_offsets_are_compact_with_sentinel() -> None:
    norm = normalize("率隊(duì)")
    assert isinstance(norm.offsets, array)
    assert list(norm.offsets) == [0, 1, 7]


# ---------------------------------------------------------------------------
# OpenCC fallback when a conversion changes length (none in OpenCC 1.1's t2s
# tables, so we fake a converter that has some).


def _fake_t2s(text: str) -> str:
    return text.replace("國家", "国").replace("國", "国").replace("囍", "喜喜")


def test_length_changing_conversion_keeps_exact_map(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(normalizer, "_opencc_t2s", lambda: _fake_t2s)
    raw = "我國家好。中國人。\n囍事"
    norm = normalize(raw)
    # First sentence changes length -> per-character conversion ("國家" kept
    # as two characters); second sentence converts as a whole.
    assert norm.text == "我国家好。中国人。\n喜喜事"
    assert norm.original_span_text(0, 3) == "我國家"
    assert norm.original_span_text(5, 8) == "中國人"
    assert norm.to_original(10, 11) == (10, 11)
    assert norm.to_original(11, 12) == (10, 11)
    assert norm.original_span_text(12, 13) == "事"


# ---------------------------------------------------------------------------
# Property tests for the offset map

# Hanzi whose t2s conversion does not depend on context (no OpenCC phrase is
# made only of these), so spans can be re-normalised on their own.
_SIMPLIFIED = "市委书记长会见率队投资项目企业公司董事省人民政府经济合作集团总裁副主任的和在了是中张王华为深圳"
_TRADITIONAL = "國團張書會業濟爲發簽經總華見訊記資車長隊項騰黨"
_HANZI = _SIMPLIFIED + _TRADITIONAL
_OTHER_TOKENS = [
    *"ABCXYZ0123456789bcdfkpqstxz-/.:",
    *",，。！？!?、：；…—",
    ",,,", "，，", "。。。", "!!!", "……", "——",
    " ", "  ", "\t", "\n", "\r\n", "\r", "\u3000", "\u200b", "\ufeff", "\x07",
    "(中國)", "（右二）", "(ABC)", "(2023)", "(CEO)", "(Group)", "(記者 梅若溪)", "(",
    ")", "（", "）",
    "ＡＢ", "１２", "㈱", "⻓", "⽅", "％",
]  # fmt: skip
_TONED = ["(duì)", "(guó)", "（zhǎng）", "(lǜ)", "(nǚ)", "(zhōngguó)", "( shū )", "(XIÀ)"]
_TONELESS = ["(dang) ", "(shu) ", "(wei)\t", "(lv) "]

_token = st.one_of(st.sampled_from(_HANZI), st.sampled_from(_OTHER_TOKENS))


@st.composite
def _annotated(draw: st.DrawFn) -> tuple[str, str]:
    """(text with pinyin annotations, same text without them)."""
    tokens = draw(st.lists(_token, max_size=30))
    plain = "".join(tokens)
    pieces: list[str] = []
    for i, ch in enumerate(plain):
        pieces.append(ch)
        if ch not in _HANZI:
            continue
        choice = draw(st.integers(0, 3))
        if choice == 1:
            pieces.append(draw(st.sampled_from(_TONED)))
        elif choice == 2 and i + 1 < len(plain) and plain[i + 1] in _HANZI:
            # Toneless readings come with a stray space before the next hanzi.
            pieces.append(draw(st.sampled_from(_TONELESS)))
    return "".join(pieces), plain


def _check_map(norm: NormalizedText) -> None:
    original, text, offsets, ends = norm.original, norm.text, norm.offsets, norm.ends
    assert ends is not None
    assert len(offsets) == len(text) + 1
    assert len(ends) == len(text)
    assert offsets[len(text)] == len(original)
    for i in range(len(text)):
        assert 0 <= offsets[i] < ends[i] <= len(original)
        assert offsets[i] <= offsets[i + 1]
        if i:
            assert ends[i - 1] <= ends[i]
        source = original[offsets[i] : ends[i]]
        if len(source) == 1 and normalize(source).text == source:
            # Characters that normalisation leaves alone map back to themselves.
            assert text[i] == source


@settings(max_examples=200, deadline=None)
@given(_annotated())
def test_offset_map_is_consistent(sample: tuple[str, str]) -> None:
    annotated, plain = sample
    norm = normalize(annotated)
    _check_map(norm)
    assert norm.text == normalize(plain).text


@settings(max_examples=200, deadline=None)
@given(_annotated(), st.data())
def test_spans_round_trip(sample: tuple[str, str], data: st.DataObject) -> None:
    norm = normalize(sample[0])
    n = len(norm.text)
    start = data.draw(st.integers(0, n), label="start")
    end = data.draw(st.integers(start, n), label="end")
    orig_start, orig_end = norm.to_original(start, end)
    assert 0 <= orig_start <= orig_end <= len(norm.original)
    offsets = norm.offsets
    # Characters produced together by one source character (㈱ -> (株))
    # share a start offset; a span cutting through such a group is skipped.
    cuts_group = (0 < start < n and offsets[start - 1] == offsets[start]) or (
        0 < end < n and offsets[end - 1] == offsets[end]
    )
    if not cuts_group:
        assert normalize(norm.original[orig_start:orig_end]).text == norm.text[start:end]
