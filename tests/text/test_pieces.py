"""Cutting long documents into paragraph-aligned pieces (``piece_bounds``)."""

from __future__ import annotations

import random

import pytest

from zh_invest_ner.text.pieces import piece_bounds

SENTENCE = "市委书记吴承泽会见了远帆新能源集团总裁祁志远一行，双方就储能电池项目交换意见。"


def assert_valid(text: str, bounds: list[tuple[int, int]], max_chars: int) -> None:
    """Consecutive pieces that cover the text, none longer than ``max_chars``."""
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    for (_, end), (start, _) in zip(bounds, bounds[1:], strict=False):
        assert end == start
    for start, end in bounds:
        assert 0 < end - start <= max_chars or (start == end == len(text) == 0)
    assert "".join(text[a:b] for a, b in bounds) == text


@pytest.mark.parametrize("text", ["", "短", SENTENCE])
def test_a_short_text_is_one_piece(text):
    assert piece_bounds(text, 1000) == [(0, len(text))]


def test_a_text_of_exactly_max_chars_is_one_piece():
    text = "甲" * 50
    assert piece_bounds(text, 50) == [(0, 50)]
    assert piece_bounds(text + "乙", 50) == [(0, 50), (50, 51)]


def test_pieces_end_after_a_line_break_in_their_second_half():
    paragraph = SENTENCE + "\n"
    assert len(paragraph) == 40
    text = paragraph * 10
    bounds = piece_bounds(text, 100)
    assert_valid(text, bounds, 100)
    for _, end in bounds[:-1]:
        assert text[end - 1] == "\n"  # every cut is right after a line break
    assert bounds[0] == (0, 80)  # the last line break before 100, not the first one (at 40)


def test_a_line_break_wins_over_a_later_sentence_end():
    text = "甲" * 60 + "\n" + "乙" * 20 + "。" + "丙" * 50
    assert piece_bounds(text, 100)[0] == (0, 61)


def test_without_line_breaks_the_last_sentence_end_of_any_kind_is_used():
    # "。" early in the second half, "！" later: the piece ends after the "！"
    text = "甲" * 55 + "。" + "乙" * 30 + "！" + "丙" * 40
    assert piece_bounds(text, 100)[0] == (0, 87)
    text = "甲" * 55 + "？" + "乙" * 30 + "；" + "丙" * 40
    assert piece_bounds(text, 100)[0] == (0, 87)


def test_a_break_in_the_first_half_is_not_used():
    # cutting after character 3 would make a tiny piece: cut hard at max_chars instead
    text = "甲乙。" + "丙" * 200
    bounds = piece_bounds(text, 100)
    assert bounds[0] == (0, 100)
    assert_valid(text, bounds, 100)


def test_a_text_without_breaks_is_cut_at_max_chars():
    text = "甲" * 250
    assert piece_bounds(text, 100) == [(0, 100), (100, 200), (200, 250)]


def test_max_chars_of_one_still_progresses():
    text = "甲。乙\n丙"
    assert piece_bounds(text, 1) == [(i, i + 1) for i in range(len(text))]


@pytest.mark.parametrize("max_chars", [0, -5])
def test_max_chars_below_one_is_refused(max_chars):
    with pytest.raises(ValueError, match="max_chars"):
        piece_bounds("甲乙丙", max_chars)


def test_random_texts_are_always_covered_exactly():
    rng = random.Random(7)
    alphabet = "甲乙丙丁戊己庚辛" * 6 + "\n。！？；，"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 600)))
        max_chars = rng.randint(1, 120)
        bounds = piece_bounds(text, max_chars)
        assert_valid(text, bounds, max_chars)
        for start, end in bounds[:-1]:  # a cut in the second half lands after a break
            if text[end - 1] not in "\n。！？；":
                window = text[start + max_chars // 2 : start + max_chars]
                assert not any(mark in window for mark in "\n。！？；")
