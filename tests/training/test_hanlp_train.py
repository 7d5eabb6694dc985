"""Training HanLP's BiLSTM-CRF on our data: the CRF fix, the tags, and a pipeline that works end to end.

Needs the ``hanlp`` extra (torch, hanlp); skipped where it is absent.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("hanlp")

import spacy  # noqa: E402
import torch  # noqa: E402

import zh_invest_ner  # noqa: E402
from zh_invest_ner.components.hanlp_ner import fix_crf, lenient_spans  # noqa: E402
from zh_invest_ner.training import read_jsonl, split  # noqa: E402
from zh_invest_ner.training.hanlp_train import (  # noqa: E402
    convert_tags,
    fit_recognizer,
    sentence_bounds,
    train_hanlp,
    training_examples,
    write_tsv,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training_data"
TINY = {"embed": 32, "rnn_hidden": 32, "batch_size": 8}


def test_hanlp_rnn_crf_is_built_time_first_and_fix_crf_decodes_batches_right():
    from hanlp.components.taggers.rnn.rnntaggingmodel import RNNTaggingModel

    model = RNNTaggingModel(embed=4, rnn_input=None, rnn_hidden=2, n_out=3, crf=True)
    for p in (model.crf.start_transitions, model.crf.end_transitions, model.crf.transitions):
        torch.nn.init.zeros_(p)
    want = [[0, 1, 2, 1], [2, 0]]  # two sentences of different lengths, batch-first as the BiLSTM emits them
    emissions = torch.zeros(2, 4, 3)
    for b, tags in enumerate(want):
        for t, tag in enumerate(tags):
            emissions[b, t, tag] = 10.0
    mask = torch.tensor([[True] * 4, [True, True, False, False]])
    if not model.crf.batch_first:  # HanLP 2.1.x: read time-first, the batch comes out transposed
        assert model.crf.decode(emissions, mask) != want
    fix_crf(SimpleNamespace(model=model))
    assert model.crf.batch_first is True
    assert model.crf.decode(emissions, mask) == want
    # with transitions: 0 -> 1 forbidden, so the short sentence's weak 1 becomes the best other tag
    with torch.no_grad():
        model.crf.transitions[0, 1] = -100.0
    emissions[1, 0] = torch.tensor([5.0, 0.0, 0.0])
    emissions[1, 1] = torch.tensor([0.0, 3.0, 2.0])
    assert model.crf.decode(emissions, mask)[1] == [0, 2]


def toy_sentences(n: int = 60, seed: int = 0) -> list[tuple[list[str], list[str]]]:
    """Names among filler characters: learnable exactly, of many lengths."""
    rng = random.Random(seed)
    filler = "今天会见了我们一起来看"
    out = []
    for _ in range(n):
        name = rng.choice(["王强", "李华", "张伟", "刘洋", "陈静"])
        pre = "".join(rng.choice(filler) for _ in range(rng.randint(1, 8)))
        post = "".join(rng.choice(filler) for _ in range(rng.randint(1, 8)))
        out.append(([*pre, *name, *post], ["O"] * len(pre) + ["B-PERSON", "E-PERSON"] + ["O"] * len(post)))
    return out


def test_a_trivial_set_is_learnt_exactly_with_batches_of_several_sentences(tmp_path):
    sentences = toy_sentences()
    write_tsv(sentences, tmp_path / "toy.tsv")
    recognizer = fit_recognizer(tmp_path / "toy.tsv", tmp_path / "toy.tsv", tmp_path / "model", seed=0, epochs=30,
                                scheme="IOBES", lr=0.02, drop=0.0, anneal_factor=None, patience=100, **TINY)
    got = recognizer.predict([tokens for tokens, _ in sentences], batch_size=16)
    want = [[("".join(t[i:i + 2]), "PERSON", i, i + 2)] for t, tags in sentences for i in [tags.index("B-PERSON")]]
    assert got == want


def test_tags_and_sentences():
    assert convert_tags(["U-PERSON", "B-GOV", "I-GOV", "L-GOV", "O"]) == ["S-PERSON", "B-GOV", "I-GOV", "E-GOV", "O"]
    assert convert_tags(["U-PERSON", "B-GOV", "L-GOV"], "BIO") == ["B-PERSON", "B-GOV", "I-GOV"]
    assert lenient_spans(["I-GOV", "E-GOV", "B-TITLE", "O", "S-PERSON"]) == [(0, 2, "GOV"), (2, 3, "TITLE"),
                                                                            (4, 5, "PERSON")]
    tokens = list("市长王强。会见了苏州。市，政府")
    tags = ["O"] * len(tokens)
    tags[11:15] = ["B-GOV", "I-GOV", "I-GOV", "E-GOV"]  # 市，政府 is one entity: no cut inside it
    assert list(sentence_bounds(tokens, tags)) == [(0, 5), (5, 11), (11, 15)]
    long = list("一二三，四五六七")
    assert list(sentence_bounds(long, ["O"] * 8, max_len=6)) == [(0, 4), (4, 8)]


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, dict, Path]:
    tmp = tmp_path_factory.mktemp("hanlp")
    lines = (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:30]
    data = tmp / "a.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    logs: list[str] = []
    scores = train_hanlp(data, tmp / "pipeline", seed=1, epochs=1, augment_copies=0, log=logs.append, **TINY)
    assert logs[-1].startswith("label      precision  recall    F1")
    return tmp / "pipeline", scores, data


def test_training_uses_the_split_of_train(trained):
    _, scores, data = trained
    records = read_jsonl(data)
    _, dev_egs, dev_recs = training_examples(records, 1, 0.15, 0)
    assert [r.id for r in dev_recs] == [r.id for r in split(records, 1, 0.15)[1]]
    assert len(dev_egs) == len(dev_recs)
    assert set(scores["ents_per_type"]) <= {"PERSON", "TITLE", "COMPANY", "GOV", "ORG", "GPE", "TOPIC"}
    assert scores["epochs"] == 1 and scores["train_seconds"] > 0


def test_the_saved_pipeline_is_self_contained_and_extracts(trained, tmp_path, capsys):
    path, _, _ = trained
    config = (path / "config.cfg").read_text(encoding="utf-8")
    assert '"hanlp_ner"' in config and "[components.ner]" not in config
    assert (path / "hanlp_ner" / "model" / "model.pt").exists()  # the HanLP model inside the pipeline
    nlp = zh_invest_ner.load(path)
    assert "hanlp_ner" in nlp.pipe_names and nlp.pipe_names[-1] == "zh_meeting_details"
    text = "市長(zhǎng)陶建業會見了澄川新能源董事長范啓明一行。"
    result = zh_invest_ner.extract(text, nlp=nlp)
    assert list(result.documents["status"]) == ["ok"]
    assert all(0 <= s < e <= len(text) for s, e in zip(result.entities["start"], result.entities["end"], strict=True))
    # round trip: to_disk elsewhere, spacy.load, the same entities
    nlp.to_disk(tmp_path / "copy")
    again = spacy.load(tmp_path / "copy")
    doc_a, doc_b = nlp(text), again(text)
    assert [(e.start, e.end, e.label_) for e in doc_a.ents] == [(e.start, e.end, e.label_) for e in doc_b.ents]
    # the command line with --model (in-process: the factory's entry point is the package's)
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    from zh_invest_ner.cli import main

    assert main(["extract", "--format", "jsonl", "--no-progress", "--model", str(path), str(article)]) == 0
    for line in capsys.readouterr().out.splitlines():
        assert json.loads(line)["doc"] == str(article)


def test_training_refuses_an_existing_model_without_overwrite(trained):
    from zh_invest_ner.pipeline import ModelError

    path, _, data = trained
    with pytest.raises(ModelError, match="already holds a model"):
        train_hanlp(data, path, epochs=1, log=lambda *_: None)
