"""Property tests: ``extract`` on whatever text arrives never fails and never points outside it.

Real pages carry mixed scripts, control and zero-width characters, pinyin, stray markup;
hypothesis draws such texts and checks what users rely on: no exception, one documents
row per input, offsets inside the text, every entity's ``original_text`` exactly the slice
of the given text at its offsets, and every meeting's people and company among the
entities found.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zh_invest_ner
from zh_invest_ner.text.sources import looks_like_path

# Pieces news text is made of, and the debris that comes with it.
_WORDS = ["市长", "副县长", "区委书记", "会见", "会见了", "董事长", "总经理", "有限公司", "集团", "科技",
          "王建国", "李晓梅", "周", "一行", "座谈", "双方就", "光伏", "项目", "进行交流", "。", "，", "、",
          "（", "）", "《", "》", "市長", "會見", "董事長", "率隊(duì)", "zhǎng", "\n", "\r\n", " ", "\t"]
_DEBRIS = ["\u200b", "\u200d", "\ufeff", "\u00ad", "\x00", "\x07", "\x1b", "\ufffd", "\u3000", "&nbsp;",
           "&amp;", "<", ">", "<br>", "<p>", "</p>", "<script>x=1</script>", "😀", "ｱ", "Ⅻ", "\u2028"]
_PIECES = st.one_of(st.sampled_from(_WORDS), st.sampled_from(_DEBRIS), st.text(max_size=6),
                    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=6))
_TEXTS = st.lists(_PIECES, max_size=40).map("".join)


def _check(result, texts: list[str]) -> None:
    assert len(result.documents) == len(texts)
    for text, status in zip(texts, result.documents["status"], strict=True):
        # a one-line string that names a file is read as a path; a missing one is an error row
        assert status in ("ok", "warning") or looks_like_path(text)
    _check_rows(result, dict(zip(result.documents["doc_id"], texts, strict=True)))


def _check_rows(result, by_id: dict[str, str]) -> None:
    for row in result.entities.itertuples(index=False):
        text = by_id[row.doc_id]
        assert 0 <= row.start < row.end <= len(text)
        assert row.original_text == text[row.start:row.end]
        assert row.text and row.text.strip()
    names = {(r.doc_id, r.text) for r in result.entities.itertuples(index=False)}
    for m in result.meetings.itertuples(index=False):
        text = by_id[m.doc_id]
        assert 0 <= m.start < m.end <= len(text)
        for name in (m.official, m.executive, m.company):
            if isinstance(name, str):
                assert (m.doc_id, name) in names


@pytest.fixture(scope="module")
def nlp(shipped_nlp):
    return shipped_nlp


_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}


_TAGS = ["<p>", "</p>", "<div class='nav'>", "</div>", "<b>", "</b>", "<br>", "<h1>", "</h1>", "&amp;", "&lt;",
         "&#x534E;", "<!-- c -->", "<script>var x = '<p>';</script>", "<td>", "<tr>", "<a href='/'>", "</a>"]
_PAGES = st.lists(st.one_of(_PIECES, st.sampled_from(_TAGS)), max_size=40).map(
    lambda parts: "<!DOCTYPE html><html><body>" + "".join(parts) + "</body></html>")


@pytest.mark.filterwarnings("ignore::UserWarning")
@settings(max_examples=60, **_SETTINGS)
@given(texts=st.lists(_TEXTS.filter(lambda t: not looks_like_path(t)), min_size=1, max_size=4))
def test_extract_on_news_like_debris(nlp, texts: list[str]) -> None:
    _check(zh_invest_ner.extract(texts, nlp=nlp), texts)


@pytest.mark.filterwarnings("ignore::UserWarning")
@settings(max_examples=40, **_SETTINGS)
@given(texts=st.lists(_PAGES, min_size=1, max_size=3))
def test_extract_on_html_pages_points_into_the_html(nlp, texts: list[str]) -> None:
    _check(zh_invest_ner.extract(texts, nlp=nlp), texts)


@pytest.mark.filterwarnings("ignore::UserWarning")
@settings(max_examples=30, **_SETTINGS)
@given(texts=st.lists(st.text(max_size=300), min_size=1, max_size=3))
def test_extract_on_any_unicode_in_a_corpus_column(nlp, texts: list[str]) -> None:
    import pandas as pd

    # corpus rows are always text, never paths; a blank row is an error row of its own
    result = zh_invest_ner.extract(pd.DataFrame({"text": texts}), nlp=nlp)
    blank = [not t.strip() for t in texts]
    assert [s == "error" for s in result.documents["status"]] == blank
    kept = [t for t, b in zip(texts, blank, strict=True) if not b]
    ok = result.documents["status"] != "error"
    _check_rows(result, dict(zip(result.documents.loc[ok, "doc_id"], kept, strict=True)))


@pytest.mark.filterwarnings("ignore::UserWarning")
@settings(max_examples=30, **_SETTINGS)
@given(text=st.text(alphabet=st.sampled_from("ab/*?[]~.\\\x00 -_中文"), min_size=1, max_size=12))
def test_path_like_junk_never_raises(nlp, tmp_path_factory, text: str) -> None:
    # in an empty folder: a drawn "**" must not read the whole checkout (or CI's venv in it),
    # and "~" is an empty home: a drawn "~/**" must not read the user's home folder
    here, home = os.getcwd(), os.environ.get("HOME")
    empty = tmp_path_factory.mktemp("empty")
    os.chdir(empty)
    os.environ["HOME"] = str(empty)
    try:
        result = zh_invest_ner.extract([text], nlp=nlp)
    finally:
        os.chdir(here)
        if home is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = home
    assert len(result.documents) >= 1
    assert set(result.documents["status"]) <= {"ok", "warning", "error"}
