"""The Dask engine on a real two-process cluster gives exactly the local results."""

from __future__ import annotations

import pandas as pd
import pytest

import zh_invest_ner

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")

ARTICLES = [
    "市委书记吴承泽会见了远帆新能源集团总裁祁志远一行，双方就储能电池项目交换意见。",
    "区长鲍立新在区政府会见了青禾生物科技有限公司董事长申海鸥，就生物医药产业合作深入交流。",
    "",  # an empty row: an error row in documents, on both engines
    "县委副书记、县长孔庆山率队赴杭州，拜访了云启智能装备股份有限公司总经理Kevin Hart。",
    "副市长梁文博会见了澄川电子有限公司董事长何启航，双方就半导体封装测试项目落地进行了洽谈。",
]


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("doc_id", "start", "end", "subject", "relation", "object", "official", "executive", "text")
            if c in frame.columns]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def test_dask_on_a_local_cluster_equals_the_local_run():
    from zh_invest_ner.dask import extract_dask

    articles = pd.DataFrame({"id": [f"n{i}" for i in range(len(ARTICLES))], "text": ARTICLES,
                             "url": [f"https://example.org/{i}" for i in range(len(ARTICLES))]})
    local = zh_invest_ner.extract(articles, keep_docs=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        tables = extract_dask(dd.from_pandas(articles, npartitions=3))
        meetings, triples, entities, documents = client.compute(list(tables), sync=True)
    assert len(local.meetings) >= 3
    # the per-document tables are equal; linking (ids, people, meetings_unique) is a corpus step,
    # run on the computed frames: zh_invest_ner.output.linking.link(meetings, documents)
    ids = ["official_id", "executive_id", "company_id", "meeting_id"]
    for name, remote in (("meetings", meetings), ("triples", triples), ("entities", entities),
                         ("documents", documents)):
        here = getattr(local, name).drop(columns=ids, errors="ignore")
        pd.testing.assert_frame_equal(_sorted(remote), _sorted(here), check_dtype=False, obj=name)
    from zh_invest_ner.output.linking import link

    assert link(meetings, documents).meetings_unique["meeting_id"].tolist() == \
        local.meetings_unique["meeting_id"].tolist()
    assert documents.set_index("doc_id").loc["n2", "status"] == "error"
    assert set(documents["url"]) == set(articles["url"])
