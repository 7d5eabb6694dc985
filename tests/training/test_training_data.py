"""Our annotated articles: enough of them, varied, consistent, and free of evaluation names."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path

import pytest

from zh_invest_ner.training import gold_meetings, read_dir
from zh_invest_ner.training.markup import convert

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training_data"


def test_at_least_150_varied_articles():
    records = read_dir(DATA)
    assert len(records) >= 150
    assert len({r.id for r in records}) == len(records)
    kinds = collections.Counter(json.loads(line)["meta"]["kind"]
                                for line in (DATA / "articles.jsonl").read_text("utf-8").splitlines())
    assert kinds["negative"] >= 20 and kinds["company_report"] >= 10 and kinds["list_page"] >= 5
    scripts = collections.Counter(json.loads(line)["meta"]["script"]
                                  for line in (DATA / "articles.jsonl").read_text("utf-8").splitlines())
    assert scripts["traditional"] >= 10 and scripts["pinyin"] >= 5


def test_articles_jsonl_is_built_from_the_markup():
    built = convert(sorted((DATA / "markup").glob("*.md")))
    shipped = [json.loads(line) for line in (DATA / "articles.jsonl").read_text("utf-8").splitlines()]
    assert built == shipped


def test_meetings_name_marked_people():
    for r in read_dir(DATA):
        for official, executive, company in gold_meetings(r):
            assert official and company, r.where
            assert executive is None or executive != official, r.where


def test_no_evaluation_names_in_package_or_training_data():
    tool = ROOT.parent / "shared" / "tools" / "check_eval_leaks.py"
    if not tool.exists():
        pytest.skip("../shared/tools is not present")
    out = subprocess.run([sys.executable, str(tool)], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def _rec(id_, text, ents, rels=()):
    from zh_invest_ner.training import Record

    entities = [{"id": i + 1, "label": lab, "start_offset": s, "end_offset": t} for i, (s, t, lab) in enumerate(ents)]
    return Record(id_, text, entities, list(rels), f"x.jsonl:{id_}")


def test_consistency_check_finds_each_kind_of_slip():
    from zh_invest_ner.training.consistency import check, cut_words, duplicate_ids, label_conflicts, relation_labels

    a = _rec("a", "高新区管委会主任来访", [(0, 3, "GPE"), (6, 8, "TITLE")])
    b = _rec("b", "走访高新区企业", [(2, 5, "GOV")])
    assert label_conflicts([a, b]) and "高新区" in label_conflicts([a, b])[0]
    assert duplicate_ids([a, _rec("a", "x", [])])
    bad_rel = _rec("c", "王某会见李某", [(0, 2, "PERSON"), (4, 6, "PERSON")],
                   [{"id": 1, "from_id": 1, "to_id": 2, "type": "of_company"}])
    assert relation_labels([bad_rel]) and "of_company" in relation_labels([bad_rel])[0]
    cut = _rec("d", "双方就储能电池合作交流", [(3, 5, "TOPIC")])
    whole = _rec("e", "围绕储能电池座谈", [(2, 6, "TOPIC")])
    assert cut_words([cut, whole]) and "储能电池" in cut_words([cut, whole])[0]
    fine = _rec("f", "集团总裁王某", [(2, 4, "TITLE"), (4, 6, "PERSON")])
    assert check([fine], ["集团总裁"]) == []  # the body before a title is no cut


def test_training_data_is_consistent():
    from zh_invest_ner.training.consistency import check, default_lexicon

    problems = check(read_dir(DATA), default_lexicon())
    assert problems == [], "\n".join(problems[:20])


def test_thousand_articles_three_in_ten_negative_many_genres():
    rows = [json.loads(line) for line in (DATA / "articles.jsonl").read_text("utf-8").splitlines()]
    rows = [r for r in rows if r["meta"]["kind"] != "general"]  # short general news, for the NER only
    assert len(rows) >= 1000
    negatives = sum(r["meta"]["kind"] == "negative" for r in rows) / len(rows)
    assert 0.25 <= negatives <= 0.40, negatives
    genres = collections.Counter(r["meta"].get("genre") for r in rows)
    assert len([g for g in genres if g]) >= 10, genres
