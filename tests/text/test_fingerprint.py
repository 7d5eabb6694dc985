"""Near-duplicate fingerprints: reprints look alike, different articles do not, and the index is not n²."""

from __future__ import annotations

import random

import numpy as np
import pytest

from zh_invest_ner.text.fingerprint import (
    DuplicateIndex,
    duplicate_groups,
    fingerprint,
    minhash,
    shingle_hashes,
    similarity,
)

BODY = [
    "5月12日，湖州市市长钟启衡在市行政中心会见了杭州岚屹光电科技有限公司董事长秦昭远一行，双方就显示面板项目进行了深入交流。",
    "钟启衡表示，湖州正在加快建设长三角产业创新高地，将为企业提供全周期的服务保障，希望双方尽快形成合作清单。",
    "秦昭远介绍了企业在新型显示和光学膜材料方面的研发进展，表示公司看好湖州的营商环境，愿意扩大在当地的投资规模。",
    "市委常委、副市长倪思远，市投资促进局负责人参加会见。",
]
ORIGINAL = "\n".join(["湖州市长会见岚屹光电客人", *BODY, "（记者 桑若言）"])
REPRINT = "\n".join([
    "首页 > 新闻中心 > 招商动态",
    "钟启衡会见杭州岚屹光电科技有限公司董事长",
    "来源：湖州日报　发布时间：2025-05-13 09:00",
    BODY[2], BODY[0], BODY[3], BODY[1],
    "（记者 桑若言）",
    "责任编辑：祁文岚",
    "版权所有：湖州日报社　未经授权禁止转载",
])
OTHER = "\n".join([
    "惠州与瀚霖储能签约",
    "6月3日，惠州市委书记蓝德钧会见了深圳瀚霖储能股份有限公司总裁葛云帆，双方围绕储能电站和动力电池回收展开洽谈。",
    "蓝德钧指出，惠州石化和电子信息产业基础雄厚，真诚欢迎企业来惠州投资兴业，共同打造新能源产业集群。",
    "葛云帆表示，公司将加快在惠州布局第二生产基地，力争年内开工建设。",
])


def test_signature_is_compact_and_deterministic() -> None:
    fp = fingerprint(ORIGINAL)
    assert fp == fingerprint(ORIGINAL)
    assert 0 < len(fp) <= 128 and int(fp, 16) >= 0
    assert fingerprint("") == "" and fingerprint("　\n ") == ""


def test_reprint_with_headline_boilerplate_and_reordered_paragraphs_matches() -> None:
    assert similarity(fingerprint(ORIGINAL), fingerprint(REPRINT)) >= 0.9
    groups = duplicate_groups({"a": fingerprint(ORIGINAL), "b": fingerprint(REPRINT), "c": fingerprint(OTHER)})
    assert groups == {"a": "a", "b": "a", "c": "c"}


def test_full_width_copy_is_the_same_text() -> None:
    wide = ORIGINAL.replace("5月12日", "５月１２日")
    assert similarity(fingerprint(ORIGINAL), fingerprint(wide)) >= 0.9


def test_different_articles_differ() -> None:
    assert similarity(fingerprint(ORIGINAL), fingerprint(OTHER)) < 0.3


def _distinct_docs(n: int) -> list[str]:
    rng = random.Random(7)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    return ["\n".join("".join(rng.choices(chars, k=60)) + "。" for _ in range(4)) for _ in range(n)]


def test_lsh_candidates_are_far_below_all_pairs() -> None:
    docs = _distinct_docs(400)
    index = DuplicateIndex()
    for i, text in enumerate(docs):
        index.add(i, fingerprint(text))
    n = len(docs)
    assert len(index.candidate_pairs()) < 0.01 * n * (n - 1) / 2
    assert len(set(index.groups().values())) == n
    with pytest.raises(ValueError):
        index.add(0, fingerprint(docs[0]))


def test_groups_do_not_depend_on_insertion_order() -> None:
    items = [("z", fingerprint(ORIGINAL)), ("b", fingerprint(REPRINT)), ("m", fingerprint(OTHER))]
    assert duplicate_groups(items) == duplicate_groups(list(reversed(items))) == {"z": "b", "b": "b", "m": "m"}


def test_minhash_is_datasketch_affine32() -> None:
    """The same scheme and seeds as datasketch's MinHash, computed without its per-call array."""
    datasketch = pytest.importorskip("datasketch")
    hashes = shingle_hashes(ORIGINAL)
    reference = datasketch.MinHash(num_perm=64, seed=1, hashfunc=int)
    reference.update_batch(hashes.tolist())
    assert np.array_equal(reference.hashvalues, minhash(hashes))
