"""The command line as the README and the scoring tool use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "examples/article_01.txt"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zh_invest_ner.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def jsonl_lines(shipped_nlp) -> list[dict]:
    out = run("extract", EXAMPLE, "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_jsonl_has_the_fields_the_scorer_reads(jsonl_lines):
    assert jsonl_lines
    for row in jsonl_lines:
        assert row["doc"] == EXAMPLE  # the path exactly as given
        for key in ("official", "official_title", "executive", "executive_title", "company", "sentence"):
            assert key in row
        assert isinstance(row["topics"], list)
        assert isinstance(row["start"], int) and row["end"] > row["start"]


def test_csv_and_table_formats(shipped_nlp):
    csv = run("extract", EXAMPLE, "--format", "csv")
    assert csv.returncode == 0 and csv.stdout.startswith("doc_id,official,")
    table = run("extract", EXAMPLE, "--format", "table")
    assert table.returncode == 0 and "陶建业" in table.stdout


def test_entities_table(shipped_nlp):
    out = run("extract", EXAMPLE, "--format", "jsonl", "--table", "entities")
    labels = {json.loads(line)["label"] for line in out.stdout.splitlines()}
    assert {"PERSON", "COMPANY", "TITLE"} <= labels


def test_unreadable_file_is_reported_and_the_rest_still_printed(shipped_nlp, tmp_path):
    bad = tmp_path / "nope.txt"
    out = run("extract", EXAMPLE, str(bad), "--format", "jsonl")
    assert out.returncode == 2
    assert "nope.txt" in out.stderr
    assert any(json.loads(line)["doc"] == EXAMPLE for line in out.stdout.splitlines())


def test_participation_filter(tmp_path, shipped_nlp):
    article = tmp_path / "a.txt"
    article.write_text("市长陶建业会见了澄川新能源科技有限公司董事长范启明，副市长贺云舟参加会见。", encoding="utf-8")
    every = [json.loads(x) for x in run("extract", str(article), "--format", "jsonl").stdout.splitlines()]
    assert {(r["official"], r["participation"]) for r in every} == {("陶建业", "principal"), ("贺云舟", "accompanying")}
    principal = run("extract", str(article), "--format", "jsonl", "--participation", "principal").stdout
    assert [json.loads(x)["official"] for x in principal.splitlines()] == ["陶建业"]
