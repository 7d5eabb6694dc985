"""pkuseg as the tokenizer's segmenter: a user's model and dictionary, saved inside the pipeline.

A tiny pkuseg model is trained here on a dozen invented, hand-segmented news lines (about a
second), so nothing is downloaded and no research-use model is needed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import spacy

spacy_pkuseg = pytest.importorskip("spacy_pkuseg")

from zh_invest_ner.text.segmenters import (  # noqa: E402 - after the skip
    WordSegmenter,
    check_pkuseg_model,
    covering_words,
    load_pkuseg,
)

#: Invented names and companies, segmented by hand (PKU style, spaces between words).
TRAIN = """\
市长 陶建业 会见 了 澄川 新能源 董事长 范启明 一行 。
双方 就 光伏 产业 合作 进行 了 深入 交流 。
区委 书记 林海涛 会见 华拓 储能 科技 有限公司 总经理 周文斌 。
副县长 许明 陪同 会见 。
陶建业 表示 ， 欢迎 企业 来 我 市 投资 兴业 。
范启明 介绍 了 公司 在 新能源 汽车 零部件 领域 的 发展 情况 。
市委 副书记 王立群 会见 了 远景 智能 装备 集团 董事长 陈晓东 。
双方 围绕 智能 制造 项目 落地 等 事宜 进行 座谈 。
林海涛 指出 ， 我 区 将 全力 做好 服务 保障 。
周文斌 表示 ， 公司 将 加大 在 本地 的 投资 力度 。
市 商务局 局长 赵永刚 参加 会见 。
会见 前 ， 客人 一行 参观 了 产业园 。
"""
TEST = "县长 孙立 会见 了 澄川 新能源 总经理 范启明 。\n双方 就 储能 项目 进行 了 交流 。\n"
TEXT = "市長(zhǎng)陶建業會見了澄川新能源董事長范啓明一行。"


def train_tiny_model(folder: Path) -> Path:
    """A pkuseg model folder trained on :data:`TRAIN` (5 iterations, well under a second)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "train.txt").write_text(TRAIN, encoding="utf-8")
    (folder / "test.txt").write_text(TEST, encoding="utf-8")
    spacy_pkuseg.train(str(folder / "train.txt"), str(folder / "test.txt"), str(folder / "model"), train_iter=5)
    return folder / "model"


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    return train_tiny_model(tmp_path_factory.mktemp("pkuseg"))


@pytest.fixture()
def user_dict(tmp_path) -> Path:
    path = tmp_path / "dict.txt"
    path.write_text("澄川新能源\n陶建业\n", encoding="utf-8")  # simplified script: the dictionary sees normalised text
    return path


def pkuseg_nlp(model: Path, user_dict: Path | str | None = "default", **tokenizer):
    config = {
        "nlp": {"tokenizer": {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1", "segmenter": "pkuseg",
                              **tokenizer}},
        "initialize": {"tokenizer": {"pkuseg_model": str(model), "pkuseg_user_dict": user_dict}},
    }
    return spacy.blank("zh", config=config)


def test_the_configured_model_and_dictionary_segment_and_keep_the_offset_map(model, user_dict):
    nlp = pkuseg_nlp(model, str(user_dict))
    nlp.initialize()
    doc = nlp(TEXT)
    words = [t.text for t in doc]
    assert "澄川新能源" in words and "陶建业" in words  # the user dictionary keeps them whole
    assert "".join(words) == doc.text == "市长陶建业会见了澄川新能源董事长范启明一行。"
    source = doc._.source
    assert source.original == TEXT
    word = next(t for t in doc if t.text == "陶建业")
    start, end = source.to_original(word.idx, word.idx + len(word))
    assert TEXT[start:end] == "陶建業"


def test_a_saved_pipeline_carries_its_model_and_dictionary(model, user_dict, tmp_path):
    copy = shutil.copytree(model, tmp_path / "model")
    nlp = pkuseg_nlp(copy, str(user_dict))
    nlp.initialize()
    expected = [t.text for t in nlp(TEXT)]
    nlp.to_disk(tmp_path / "pipeline")
    shutil.rmtree(copy)
    user_dict.unlink()  # neither the model folder nor the dictionary is read again
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.tokenizer.segmenter == "pkuseg"
    assert [t.text for t in loaded(TEXT)] == expected
    assert loaded(TEXT)._.source.original == TEXT
    again = spacy.blank("zh", config=loaded.config).from_bytes(loaded.to_bytes())
    assert [t.text for t in again(TEXT)] == expected


def test_a_pipeline_without_user_dictionary_saves_too(model, tmp_path):
    """spaCy's ChineseTokenizer.to_disk fails on spacy-pkuseg's dictionary-less postprocessor; ours does not."""
    nlp = pkuseg_nlp(model, None)
    nlp.initialize()
    expected = [t.text for t in nlp(TEXT)]
    nlp.to_disk(tmp_path / "p")
    assert [t.text for t in spacy.load(tmp_path / "p")(TEXT)] == expected


def test_the_saved_segmenter_still_wins_over_no_config_silently(model, tmp_path):
    nlp = pkuseg_nlp(model)
    nlp.initialize()
    nlp.to_disk(tmp_path / "p")
    with pytest.raises(ValueError, match="saved with 'pkuseg'"):
        spacy.load(tmp_path / "p", config={"nlp": {"tokenizer": {"segmenter": "char"}}})


def test_missing_model_settings_and_paths_are_named(model, tmp_path):
    nlp = pkuseg_nlp(model)  # not initialised, no [nlp.tokenizer] model
    with pytest.raises(ValueError, match=r"pkuseg_model"):
        nlp("会见")
    with pytest.raises(ValueError, match=r"\[initialize\.tokenizer\] pkuseg_model"):
        load_pkuseg(None)
    with pytest.raises(FileNotFoundError, match="no such pkuseg model folder"):
        check_pkuseg_model(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="weights.npz"):
        check_pkuseg_model(tmp_path / "empty")
    with pytest.raises(FileNotFoundError, match=r"pkuseg_user_dict = .*missing\.txt"):
        load_pkuseg(model, tmp_path / "missing.txt")
    bad = pkuseg_nlp(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match=r"\[initialize\.tokenizer\] pkuseg_model = .*nowhere"):
        bad.initialize()


def test_a_model_named_in_nlp_tokenizer_loads_on_first_use(model):
    """What ``train_config``'s blank pipeline needs: it segments the data before anything is initialised."""
    tokenizer = {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1", "segmenter": "pkuseg",
                 "pkuseg_model": str(model), "pkuseg_user_dict": None}
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": tokenizer}})
    assert "".join(t.text for t in nlp(TEXT)) == "市长陶建业会见了澄川新能源董事长范启明一行。"


def test_word_segmenter_covers_the_text_and_round_trips(model):
    seg = WordSegmenter("pkuseg", pkuseg_model=str(model), pkuseg_user_dict=None)
    text = "市长陶建业会见了 范启明一行。\n双方交流"
    pieces = seg.cut(text)
    assert "".join(pieces) == text
    assert " " in pieces and "\n" in pieces
    restored = WordSegmenter("pkuseg").from_bytes(seg.to_bytes())
    assert restored.cut(text) == pieces
    with pytest.raises(ValueError, match="unknown segmenter"):
        WordSegmenter("thulac")


def test_covering_words_refuses_words_that_are_not_the_text():
    assert list(covering_words(" a b ", ["a", "b"])) == [" ", "a", " ", "b", " "]
    with pytest.raises(ValueError, match="not the text at offset"):
        list(covering_words("abc", ["a", "x"]))
