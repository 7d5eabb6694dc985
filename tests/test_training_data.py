"""Our annotated articles: enough of them, varied, consistent, and free of evaluation names."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path

import pytest

from zh_invest_ner.markup import convert
from zh_invest_ner.training import gold_meetings, read_dir

ROOT = Path(__file__).resolve().parent.parent
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
