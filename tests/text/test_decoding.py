"""Tests for zh_invest_ner.text.decoding: encodings users actually send us."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zh_invest_ner.text.decoding import DecodedText, DecodingError, decode_bytes, read_text_file

SIMPLIFIED = (
    "3月15日，市委书记张伟率队前往深圳，与远帆新能源有限公司董事长梁华、鹏程电子公司总裁"
    "刘炽平等企业负责人座谈，就加强新能源汽车、人工智能等领域合作进行深入交流。张伟表示，"
    "欢迎企业来我市投资兴业，市委市政府将全力做好服务保障。双方签署了战略合作框架协议，"
    "项目总投资约120亿元。副市长李明、市发展改革委主任王强参加会见。"
)
TRADITIONAL = (
    "3月15日，市委書記張偉率隊前往深圳，與華為技術有限公司董事長梁華、騰訊公司總裁"
    "劉熾平等企業負責人座談，就加強新能源汽車、人工智慧等領域合作進行深入交流。張偉表示，"
    "歡迎企業來本市投資興業，市政府將全力做好服務保障。雙方簽署了戰略合作框架協議，"
    "項目總投資約120億元。副市長李明、經濟發展局局長王強參加會見。"
)


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (SIMPLIFIED, "gbk", "gb18030"),
        (SIMPLIFIED, "gb2312", "gb18030"),
        (SIMPLIFIED, "gb18030", "gb18030"),
        (TRADITIONAL, "big5", "big5"),
        (TRADITIONAL, "big5hkscs", "big5"),
        (SIMPLIFIED, "utf-8", "utf-8"),
        (TRADITIONAL, "utf-8", "utf-8"),
    ],
)
def test_paragraph_round_trip(text: str, codec: str, expected: str) -> None:
    assert decode_bytes(text.encode(codec)) == DecodedText(text, expected)


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL])
def test_bom_encodings(text: str) -> None:
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")) == DecodedText(text, "utf-8-sig")
    for codec in ("utf-16", "utf-16-le", "utf-16-be"):
        data = text.encode(codec)
        if codec != "utf-16":  # the -le/-be codecs write no BOM themselves
            bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
            data = bom + data
        assert decode_bytes(data) == DecodedText(text, "utf-16")


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [(SIMPLIFIED, "gbk", "gb18030"), (TRADITIONAL, "big5", "big5")],
)
def test_short_windows(text: str, codec: str, expected: str) -> None:
    """Every ~10-character snippet (headlines, captions) picks the right codec."""
    for size in (10, 12):
        for start in range(len(text) - size + 1):
            snippet = text[start : start + size]
            data = snippet.encode(codec)
            if data.isascii():
                continue
            assert decode_bytes(data) == DecodedText(snippet, expected), snippet


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        ("市长会见企业家代表", "gbk", "gb18030"),
        ("省委書記會見企業家代表", "big5", "big5"),
        ("港府官員與集團主席會面", "big5", "big5"),
        ("董事长率团访问", "gb18030", "gb18030"),
    ],
)
def test_short_headlines(text: str, codec: str, expected: str) -> None:
    assert decode_bytes(text.encode(codec)) == DecodedText(text, expected)


def test_gb18030_only_characters() -> None:
    # Four-byte GB18030 sequences (Euro sign, ext-B ideograph) are not GBK.
    text = "投资€100万，项目位于𠀾地区。"
    assert decode_bytes(text.encode("gb18030")) == DecodedText(text, "gb18030")


def test_hkscs_characters_decode_as_big5() -> None:
    text = "香港特區政府官員表示，呢個項目㗎啦。"
    assert decode_bytes(text.encode("big5hkscs")) == DecodedText(text, "big5")


def test_empty_and_ascii() -> None:
    assert decode_bytes(b"") == DecodedText("", "utf-8")
    assert decode_bytes(b"Huawei (CEO)") == DecodedText("Huawei (CEO)", "utf-8")


def test_undecodable_bytes_name_source_and_offset() -> None:
    data = "市长会见".encode() + b"\n\xff\xfe\xff"
    with pytest.raises(DecodingError) as info:
        decode_bytes(data, source="news/0001.txt")
    err = info.value
    assert isinstance(err, ValueError)
    assert err.source == "news/0001.txt"
    assert err.offset == 13
    message = str(err)
    assert "news/0001.txt" in message
    assert "byte offset 13" in message
    assert "line 2" in message
    assert "UTF-8" in message


def test_read_text_file(tmp_path: Path) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    assert read_text_file(path) == DecodedText(TRADITIONAL, "big5")
    assert read_text_file(str(path)) == DecodedText(TRADITIONAL, "big5")


def test_read_text_file_error_names_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(b"abc\x80\xff")
    with pytest.raises(DecodingError, match="broken.txt") as info:
        read_text_file(path)
    assert info.value.source == str(path)
    assert "byte offset 3" in str(info.value)


@settings(max_examples=100, deadline=None)
@given(st.text().filter(lambda t: not t.startswith("\ufeff")))
def test_any_utf8_round_trips(text: str) -> None:
    # A leading U+FEFF would be read as a BOM, by design.
    result = decode_bytes(text.encode("utf-8"))
    assert result.text == text
    assert result.encoding == "utf-8"


JAPANESE = "横浜市の新しい工場は来年から稼働する予定で、社長は記者会見で投資の拡大を発表しました。"
KOREAN = "부산시는 새로운 공장을 건설한다고 발표했습니다. 사장은 기자회견에서 투자를 늘린다고 말했습니다."


@pytest.mark.parametrize(("text", "codec", "language"), [
    (JAPANESE, "shift_jis", "Japanese"), (JAPANESE, "euc_jp", "Japanese"), (KOREAN, "euc_kr", "Korean"),
])
def test_japanese_and_korean_are_recognised_and_reported_not_misread(text: str, codec: str, language: str) -> None:
    decoded = decode_bytes(text.encode(codec))
    assert decoded.text == text
    assert decoded.warning is not None and f"a {language} encoding" in decoded.warning


@pytest.mark.parametrize(("text", "codec"), [(SIMPLIFIED, "gbk"), (TRADITIONAL, "big5")])
def test_chinese_is_never_taken_for_japanese_or_korean(text: str, codec: str) -> None:
    data = text.encode(codec)
    for size in (12, 40, len(data)):
        piece = data[:size].decode(codec, errors="ignore").encode(codec)
        decoded = decode_bytes(piece)
        assert decoded.warning is None and decoded.encoding in ("gb18030", "big5")


@pytest.mark.parametrize("codec", ["utf-8", "gbk"])
def test_a_few_corrupt_bytes_become_replacement_characters_with_a_warning(codec: str) -> None:
    data = SIMPLIFIED.encode(codec)
    cut = len(data) // 2
    while data[cut] >= 0x80 and codec == "utf-8" and (data[cut] & 0xC0) == 0x80:
        cut += 1  # between characters, so only the inserted bytes are bad
    if codec == "gbk":
        cut = len(SIMPLIFIED[: len(SIMPLIFIED) // 2].encode(codec))
    corrupt = data[:cut] + b"\xff\xff\xff" + data[cut:]
    decoded = decode_bytes(corrupt, source="a.txt")
    assert decoded.text.replace("\ufffd", "") == SIMPLIFIED
    assert decoded.warning.startswith("3 undecodable bytes replaced by U+FFFD")
    assert f"byte {cut} (line 1" in decoded.warning


def test_many_corrupt_bytes_and_binary_files_are_errors() -> None:
    with pytest.raises(DecodingError, match="a binary file, not text"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, source="logo.png")
    noise = bytes((i * 7919) % 256 for i in range(4000) if (i * 7919) % 256 >= 0x80)
    with pytest.raises(DecodingError):
        decode_bytes(noise)
