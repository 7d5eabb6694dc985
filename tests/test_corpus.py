"""Corpus: an on-disk store that extracts only new documents and links the union."""

from __future__ import annotations

import pandas as pd
import pytest

from zh_invest_ner.corpus import Corpus
from zh_invest_ner.output.linking import link

ARTICLES = {
    "hz-1": "5月12日，湖州市市长钟启衡会见了杭州岚屹光电科技有限公司董事长秦昭远一行，双方就显示面板项目进行了交流。",
    "hz-1-copy": "来源：湖州日报\n5月12日，湖州市市长钟启衡会见了杭州岚屹光电科技有限公司董事长秦昭远一行，"
                 "双方就显示面板项目进行了交流。\n责任编辑：祁文岚",
    "hz-2": "6月3日，惠州市委书记蓝德钧会见了深圳瀚霖储能股份有限公司总裁葛云帆，双方围绕储能电站展开洽谈。",
}


@pytest.fixture
def counted(shipped_nlp, monkeypatch):
    """The shipped pipeline, counting the texts ``process`` gives it (``(text, context)`` pairs;
    spaCy's ``pipe`` calls itself again for the texts alone, which are not counted twice)."""
    seen: list[str] = []
    pipe = shipped_nlp.pipe

    def counting_pipe(texts, *args, **kwargs):
        def feed():
            for item in texts:
                if isinstance(item, tuple):
                    seen.append(item[0])
                yield item
        return pipe(feed(), *args, **kwargs)

    monkeypatch.setattr(shipped_nlp, "pipe", counting_pipe)
    return shipped_nlp, seen


def _equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False,
                                  check_categorical=False)


def test_add_twice_extracts_only_new_documents(tmp_path, counted) -> None:
    nlp, seen = counted
    corpus = Corpus(tmp_path / "c")
    assert len(corpus) == 0 and len(corpus.meetings_unique) == 0
    assert corpus.add({"hz-1": ARTICLES["hz-1"], "hz-2": ARTICLES["hz-2"]}, nlp=nlp) == 2
    assert len(seen) == 2
    assert corpus.add(ARTICLES, nlp=nlp) == 1  # hz-1 and hz-2 are stored: only the copy runs
    assert len(seen) == 3 and seen[-1] == ARTICLES["hz-1-copy"]
    assert corpus.add(ARTICLES, nlp=nlp) == 0 and len(seen) == 3
    assert len(corpus) == 3 and sorted(corpus.documents["doc_id"]) == sorted(ARTICLES)
    assert corpus.documents["fingerprint"].str.len().gt(0).all()
    assert {p.name for p in (tmp_path / "c" / "parts" / "documents").iterdir()} == {
        "part-00001.parquet", "part-00002.parquet"}

    # the reprint is one meeting with both sources
    unique = corpus.meetings_unique
    hz1 = unique[unique["sources"].map(lambda s: "hz-1" in s)]
    assert len(hz1) == 1 and hz1["sources"].iloc[0] == ["hz-1", "hz-1-copy"]

    # reopening continues the same corpus and reads equal frames
    again = Corpus(tmp_path / "c")
    assert len(again) == 3
    for table in ("meetings", "documents", "entities", "people", "companies", "meetings_unique"):
        pd.testing.assert_frame_equal(getattr(corpus, table), getattr(again, table))

    # the stored tables are link() over the union of the stored frames
    linked = link(_raw(again, "meetings"), again.documents, again.entities)
    _equal(again.meetings, linked.meetings)
    _equal(again.people, linked.people)
    _equal(again.companies, linked.companies)
    _equal(again.meetings_unique, linked.meetings_unique)


def _raw(corpus: Corpus, table: str) -> pd.DataFrame:
    return pd.concat([pd.read_parquet(p) for p in sorted((corpus.path / "parts" / table).glob("*.parquet"))],
                     ignore_index=True)
