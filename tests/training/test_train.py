"""Retraining: reading annotated articles, actionable errors, a reproducible run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from zh_invest_ner.training import TrainingDataError, make_example, read_dir, read_jsonl, split, train

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training_data"


def write(tmp_path: Path, rows: list) -> Path:
    p = tmp_path / "a.jsonl"
    p.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                 encoding="utf-8")
    return p


def test_errors_name_file_and_line(tmp_path):
    ok = {"id": "x", "text": "市长王强", "entities": []}
    p = write(tmp_path, [ok, "{not json"])
    with pytest.raises(TrainingDataError, match=r"a\.jsonl:2: not valid JSON"):
        read_jsonl(p)
    bad = {"text": "市长王强", "entities": [{"start_offset": 2, "end_offset": 9, "label": "PERSON"}]}
    p = write(tmp_path, [ok, bad])
    with pytest.raises(TrainingDataError, match=r"a\.jsonl:2: entity \(PERSON\) at 2-9: offsets outside the text"):
        read_jsonl(p)
    p = write(tmp_path, [{"text": "市长王强", "entities": [{"start_offset": 2, "end_offset": 4, "label": "NAME"}]}])
    with pytest.raises(TrainingDataError, match="unknown label 'NAME'"):
        read_jsonl(p)


def test_offsets_in_traditional_pinyin_text_carry_through(tmp_path):
    text = "市長(zhǎng)王強會見了董事長李華"
    rec = {"id": "t", "text": text, "entities": [
        {"id": 1, "start_offset": 0, "end_offset": 9, "label": "TITLE"},
        {"id": 2, "start_offset": 9, "end_offset": 11, "label": "PERSON"},
        {"id": 3, "start_offset": 17, "end_offset": 19, "label": "PERSON"}]}
    tokenizer = {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1"}
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": tokenizer}})
    (r,) = read_jsonl(write(tmp_path, [rec]))
    eg = make_example(nlp, r)
    got = [(e.text, e.label_) for e in eg.reference.ents]
    assert got == [("市长", "TITLE"), ("王强", "PERSON"), ("李华", "PERSON")]


def test_split_is_reproducible_and_disjoint():
    records = read_dir(DATA)
    a_train, a_dev = split(records, seed=0)
    b_train, b_dev = split(list(reversed(records)), seed=0)
    assert [r.id for r in a_dev] == [r.id for r in b_dev]
    assert not {r.id for r in a_train} & {r.id for r in a_dev}


def test_training_is_reproducible_and_saves_a_working_pipeline(tmp_path):
    records = [json.loads(line) for line in (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:12]]
    data = write(tmp_path, records)
    lines: list[str] = []
    scores = train(data, tmp_path / "a", seed=1, max_steps=6, log=lines.append)
    train(data, tmp_path / "b", seed=1, max_steps=6, log=lambda *_: None)
    table = lines[-1]
    assert table.startswith("label      precision  recall    F1")
    assert "ALL" in table and "MEETINGS" in table
    assert set(scores["ents_per_type"]) <= {"PERSON", "TITLE", "COMPANY", "GOV", "ORG", "GPE", "TOPIC"}
    # same data, same seed: the same weights, byte for byte
    assert (tmp_path / "a" / "ner" / "model").read_bytes() == (tmp_path / "b" / "ner" / "model").read_bytes()
    nlp = spacy.load(tmp_path / "a")
    assert nlp.pipe_names[-1] == "zh_meeting_details"
