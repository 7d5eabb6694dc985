"""Gold entities on word tokens: widened and reported, or left missing and reported, never dropped."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from zh_invest_ner.training import TrainingDataError, make_example, read_jsonl
from zh_invest_ner.training.alignment import AlignmentWarning, GoldEntity, align_entities, align_or_warn

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training_data" / "articles.jsonl"

#: Invented news lines segmented by hand, for a tiny pkuseg model (see tests/text/test_segmenters.py).
SEGMENTED = """\
市长 陶建业 会见 了 澄川 新能源 董事长 范启明 一行 。
区委 书记 林海涛 会见 华拓 储能 科技 有限公司 总经理 周文斌 。
双方 就 光伏 产业 合作 进行 了 深入 交流 。
副县长 许明 陪同 会见 。
市委 副书记 王立群 会见 了 远景 智能 装备 集团 董事长 陈晓东 。
会见 前 ， 客人 一行 参观 了 产业园 。
陶建业 表示 ， 欢迎 企业 来 我 市 投资 兴业 。
范启明 介绍 了 公司 在 新能源 汽车 零部件 领域 的 发展 情况 。
双方 围绕 智能 制造 项目 落地 等 事宜 进行 座谈 。
林海涛 指出 ， 我 区 将 全力 做好 服务 保障 。
周文斌 表示 ， 公司 将 加大 在 本地 的 投资 力度 。
市 商务局 局长 赵永刚 参加 会见 。
"""  # spacy_pkuseg.train needs at least 10 lines (fewer: ZeroDivisionError in its optimiser)


def doc_of(*words: str) -> Doc:
    return Doc(Vocab(), words=list(words), spaces=[False] * len(words))


def test_an_entity_inside_a_word_is_widened_and_reported():
    doc = doc_of("市长", "陶建业会", "见了")  # a segmenter glued 会 to the name
    with pytest.warns(AlignmentWarning, match=r"a\.jsonl:3: PERSON '陶建业' \[2:5\] lies inside a word; "
                                              r"trained as PERSON '陶建业会' \[2:6\]"):
        result = align_or_warn(doc, [GoldEntity(0, 2, "TITLE"), GoldEntity(2, 5, "PERSON")], "a.jsonl:3")
    assert [(s.text, s.label_) for s in result.spans] == [("市长", "TITLE"), ("陶建业会", "PERSON")]
    assert not result.missing


def test_two_entities_in_one_word_are_left_missing_and_named():
    doc = doc_of("会见", "董事长范启明", "。")
    entities = [GoldEntity(2, 5, "TITLE"), GoldEntity(5, 8, "PERSON")]
    with pytest.warns(AlignmentWarning, match=r"a\.jsonl:7: TITLE '董事长' \[2:5\] and PERSON '范启明' \[5:8\] "
                                              r"fall into the same word\(s\) '董事长范启明'"):
        result = align_or_warn(doc, entities, "a.jsonl:7")
    assert not result.spans and [s.text for s in result.missing] == ["董事长范启明"]
    doc.set_ents(result.spans, missing=result.missing, default="outside")
    assert [t.ent_iob_ for t in doc] == ["O", "", "O"]  # unknown, not "no entity"


def test_annotation_errors_still_raise_with_the_record():
    doc = doc_of("市长", "陶建业")
    with pytest.raises(TrainingDataError, match=r"a\.jsonl:2: overlapping entities TITLE '市长' \[0:2\] and "):
        align_entities(doc, [GoldEntity(0, 2, "TITLE"), GoldEntity(1, 3, "PERSON")], "a.jsonl:2")
    spaced = Doc(Vocab(), words=["市长", " ", "陶"], spaces=[False, False, False])
    with pytest.raises(TrainingDataError, match=r"a\.jsonl:2: entity PERSON ' ' \[2:3\] does not fall on characters"):
        align_entities(spaced, [GoldEntity(2, 3, "PERSON")], "a.jsonl:2")


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_character_tokens_change_nothing_and_warn_nothing(tmp_path):
    rec = {"id": "c", "text": "市長(zhǎng)陶建業會見了董事長范啓明", "entities": [
        {"id": 1, "start_offset": 0, "end_offset": 9, "label": "TITLE"},
        {"id": 2, "start_offset": 9, "end_offset": 12, "label": "PERSON"},
        {"id": 3, "start_offset": 15, "end_offset": 18, "label": "TITLE"},
        {"id": 4, "start_offset": 18, "end_offset": 21, "label": "PERSON"}]}
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1"}}})
    (r,) = read_jsonl(write(tmp_path / "a.jsonl", [rec]))
    with warnings.catch_warnings():
        warnings.simplefilter("error", AlignmentWarning)
        eg = make_example(nlp, r)
    assert [e.text for e in eg.reference.ents] == ["市长", "陶建业", "董事长", "范启明"]


@pytest.fixture(scope="module")
def pkuseg_model(tmp_path_factory) -> Path:
    spacy_pkuseg = pytest.importorskip("spacy_pkuseg")
    folder = tmp_path_factory.mktemp("pkuseg")
    (folder / "train.txt").write_text(SEGMENTED, encoding="utf-8")
    (folder / "test.txt").write_text(SEGMENTED.splitlines()[0] + "\n", encoding="utf-8")
    spacy_pkuseg.train(str(folder / "train.txt"), str(folder / "test.txt"), str(folder / "model"), train_iter=5)
    return folder / "model"


def pkuseg_tokenizer(model: Path) -> dict:
    return {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1", "segmenter": "pkuseg",
            "pkuseg_model": str(model), "pkuseg_user_dict": None}


def test_make_example_on_pkuseg_words_reports_what_it_widened(pkuseg_model, tmp_path):
    text = "市长陶建业会见了澄川新能源董事长范启明一行。"
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": pkuseg_tokenizer(pkuseg_model)}})
    words = [t.text for t in nlp(text)]
    # annotate a name *inside* one of the model's words, so the alignment has work to do
    # (how the tiny model cuts the words depends on its training: take its longest word)
    word = max(words, key=len)
    assert len(word) >= 2, words
    start = text.index(word)
    rec = {"id": "p", "text": text, "entities": [{"id": 1, "start_offset": start + 1, "end_offset": start + 2,
                                                   "label": "ORG"}]}
    (r,) = read_jsonl(write(tmp_path / "p.jsonl", [rec]))
    with pytest.warns(AlignmentWarning, match=rf"p\.jsonl:1: ORG '{text[start + 1:start + 2]}' .*lies inside a word"):
        eg = make_example(nlp, r)
    (ent,) = eg.reference.ents
    assert ent.start_char <= start + 1 and ent.end_char >= start + 2 and ent.label_ == "ORG"


def test_a_pkuseg_pipeline_trains_saves_loads_and_extracts(pkuseg_model, tmp_path):
    from spacy.util import load_config_from_str

    import zh_invest_ner
    from zh_invest_ner.training import base_config, train_config

    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()[:8]]
    data = write(tmp_path / "data.jsonl", rows)
    model = shutil.copytree(pkuseg_model, tmp_path / "model")
    config = load_config_from_str(base_config())
    config["nlp"]["tokenizer"].update(pkuseg_tokenizer(model))  # the blank pipeline that segments the data
    config["initialize"]["tokenizer"] = {"pkuseg_model": str(model), "pkuseg_user_dict": None}  # init_nlp
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scores = train_config(data, tmp_path / "out", config.to_str(), max_steps=4, quiet=True, log=lambda *_: None)
    assert "ents_f" in scores
    realigned = [str(w.message) for w in caught if issubclass(w.category, AlignmentWarning)]
    assert realigned and all("data.jsonl:" in m for m in realigned)  # a tiny model cuts through names
    shutil.rmtree(model)  # the saved pipeline holds its own copy
    nlp = zh_invest_ner.load(tmp_path / "out")
    assert nlp.tokenizer.segmenter == "pkuseg" and nlp.tokenizer.pkuseg_seg is not None
    result = zh_invest_ner.extract("市长陶建业会见了澄川新能源董事长范启明一行。", nlp=nlp)
    assert list(result.documents["status"]) == ["ok"]
