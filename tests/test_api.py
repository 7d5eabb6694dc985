"""The library as users call it: extract() over texts, bytes, files and folders."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import zh_invest_ner
from zh_invest_ner.output.frames import ENTITY_COLUMNS, MEETING_COLUMNS, TRIPLE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "article_01.txt"

SIMPLE = "4月2日，市长陶建业会见了苏州澄川新能源科技股份有限公司董事长范立明一行，双方就储能电池项目进行了交流。"


def test_extract_example_article(shipped_nlp):
    result = zh_invest_ner.extract([EXAMPLE], nlp=shipped_nlp)
    ids = ["official_id", "executive_id", "company_id", "meeting_id"]
    assert list(result.meetings.columns) == [*MEETING_COLUMNS, *ids]
    assert list(result.triples.columns) == TRIPLE_COLUMNS
    assert list(result.entities.columns) == ENTITY_COLUMNS
    got = set(zip(result.meetings.official, result.meetings.executive, strict=True))
    assert ("陶建业", "范启明") in got
    assert ("陶建业", "邵文涛") in got
    reporters = {"梅若溪", "柏小川", "钱雨桐"}
    assert not reporters & (set(result.meetings.official) | set(result.meetings.executive))
    assert result.documents.loc[0, "encoding"] == "utf-8"


def test_offsets_point_into_the_text_the_user_gave(shipped_nlp):
    text = EXAMPLE.read_text(encoding="utf-8")
    result = zh_invest_ner.extract([("ex", text)], nlp=shipped_nlp)
    for row in result.entities.itertuples():
        assert text[row.start : row.end] == row.original_text
    for row in result.meetings.itertuples():
        assert text[row.start : row.end].strip() == row.sentence


def test_traditional_pinyin_input_maps_back(shipped_nlp):
    original = "市長(zhǎng)陶建業會(huì)見了蘇州澄川新能源科技股份有限公司董事長范啓明一行。"
    result = zh_invest_ner.extract([("t", original)], nlp=shipped_nlp)
    row = result.meetings.iloc[0]
    assert (row.official, row.executive) == ("陶建业", "范启明")
    persons = result.entities[result.entities.label == "PERSON"]
    assert "陶建業" in set(persons.original_text)
    assert original[row.start : row.end].startswith("市長(zhǎng)陶建業")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "big5", "utf-8-sig"])
def test_bytes_in_any_common_encoding(shipped_nlp, encoding):
    text = SIMPLE
    if encoding == "big5":
        import opencc

        text = opencc.OpenCC("s2t").convert(SIMPLE)
    result = zh_invest_ner.extract([text.encode(encoding)], nlp=shipped_nlp)
    reported = result.documents.loc[0, "encoding"]
    assert reported == ("gb18030" if encoding == "gbk" else encoding)
    assert ("陶建业", "范立明") in set(zip(result.meetings.official, result.meetings.executive, strict=True))


def test_bad_input_is_reported_and_never_stops_the_batch(shipped_nlp, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(SIMPLE, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    with pytest.warns(UserWarning, match="missing.txt"):
        result = zh_invest_ner.extract([good, missing, b"\xff\xfe\xfa\x00\x81", 42], nlp=shipped_nlp)
    # every input is accounted for, in order: one documents row each
    assert list(result.documents.doc_id) == [str(good), str(missing), "doc-2", "doc-3"]
    assert list(result.documents.status) == ["ok", "error", "error", "error"]
    assert len(result.errors) == 3
    assert str(missing) in set(result.errors.doc_id)
    assert len(result.meetings) >= 1


def test_folder_and_mapping_inputs(shipped_nlp, tmp_path):
    (tmp_path / "a.txt").write_text(SIMPLE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(SIMPLE.encode("gbk"))
    result = zh_invest_ner.extract(tmp_path, nlp=shipped_nlp)
    assert sorted(Path(d).name for d in result.documents.doc_id) == ["a.txt", "b.txt"]
    by_id = zh_invest_ner.extract({"x": SIMPLE}, nlp=shipped_nlp)
    assert set(by_id.meetings.doc_id) == {"x"}


def test_triples_follow_the_meetings(shipped_nlp):
    result = zh_invest_ner.extract([SIMPLE], nlp=shipped_nlp)
    t = result.triples
    assert ((t.relation == "met_with") & (t.subject == "陶建业") & (t.object == "范立明")).any()
    assert ((t.relation == "of_company") & (t.subject == "范立明")).any()
    assert ((t.relation == "on_topic") & (t.subject == "范立明")).any()
    assert isinstance(result.meetings.topics.iloc[0], list)
    assert pd.api.types.is_integer_dtype(result.meetings.start)


def test_meeting_dates_from_the_text_a_hint_or_the_corpus_row(shipped_nlp):
    import pandas as pd

    text = "3月18日，市长王建国会见了华宇智能装备有限公司董事长李明德。"
    dated = zh_invest_ner.extract("发布时间：2024-03-20 10:00\n" + text, nlp=shipped_nlp).meetings
    assert str(dated["date"].iloc[0].date()) == "2024-03-18" and dated["date_text"].iloc[0] == "3月18日"
    undated = zh_invest_ner.extract(text, nlp=shipped_nlp).meetings
    assert undated["date"].isna().all()  # never guessed from today
    assert str(zh_invest_ner.extract(text, nlp=shipped_nlp, date=2023).meetings["date"].iloc[0].date()) == "2023-03-18"
    row = pd.DataFrame({"text": ["昨天，" + text[6:]], "date": ["2023-06-02 10:00"]})
    assert str(zh_invest_ner.extract(row, nlp=shipped_nlp).meetings["date"].iloc[0].date()) == "2023-06-01"
    with pytest.raises(ValueError, match="not a year or a date"):
        zh_invest_ner.extract(text, nlp=shipped_nlp, date="next week")
