"""``zh-invest-ner extract`` over corpora: output files, --resume, closed pipes, Ctrl-C, exit codes.

Each test runs the command in a subprocess, which loads the shipped model (~2 s), so the
runs are few and each checks several things.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from zh_invest_ner.output.frames import DOCUMENT_COLUMNS, ENTITY_COLUMNS, MEETING_COLUMNS, TRIPLE_COLUMNS

OFFICIALS = [("市委书记", "吴承泽"), ("副市长", "林慕白"), ("区委书记", "沈砚秋"), ("市长", "顾长庚"),
             ("县长", "许知远")]
EXECUTIVES = [("远帆新能源集团", "总裁", "祁志远"), ("青岚智能科技公司", "董事长", "韩竹青"),
              ("星河半导体有限公司", "总经理", "莫问舟"), ("泰和生物医药集团", "董事长", "苏晚晴"),
              ("云栖数据公司", "总裁", "邵启明")]
TOPICS = ["储能电池项目", "工业机器人产业园建设", "芯片封装测试项目", "创新药研发基地", "数据中心项目"]
TABLES = {"meetings": MEETING_COLUMNS, "triples": TRIPLE_COLUMNS, "entities": ENTITY_COLUMNS,
          "documents": DOCUMENT_COLUMNS}


def article(i: int) -> str:
    title, official = OFFICIALS[i % 5]
    company, role, executive = EXECUTIVES[(i // 5) % 5]
    return f"{title}{official}会见了{company}{role}{executive}一行，双方就{TOPICS[(i // 25) % 5]}交换意见。"


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zh_invest_ner.cli", "extract", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120)


def start(*args: str, cwd: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "zh_invest_ner.cli", "extract", *args], cwd=cwd, **kwargs)


def no_nan(name: str):
    raise AssertionError(f"{name} in JSONL")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line, parse_constant=no_nan) for line in path.read_text(encoding="utf-8").splitlines()]


def corpus(path: Path, n: int, *, start_at: int = 0) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(start_at, start_at + n):
            record = {"id": f"n{i}", "text": article(i), "url": f"http://example.cn/{i}",
                      "date": f"2024-03-{i % 28 + 1:02d}"}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="module")
def work(tmp_path_factory, shipped_nlp) -> Path:
    """A folder with a small JSONL corpus (12 articles) and a corpus of 2,000 for interrupting."""
    root = tmp_path_factory.mktemp("cli")
    corpus(root / "news.jsonl", 12)
    corpus(root / "big.jsonl", 2000)
    return root


def no_traceback(out: subprocess.CompletedProcess | str) -> None:
    err = out if isinstance(out, str) else out.stderr
    assert "Traceback" not in err, err


# -- output files ----------------------------------------------------------------------------

def test_output_jsonl_with_named_columns(work):
    path = work / "named.jsonl"
    path.write_text("".join(json.dumps({"key": f"k{i}", "body": article(i), "text": "不是正文"}, ensure_ascii=False)
                            + "\n" for i in range(3)), encoding="utf-8")
    out = run("named.jsonl", "--text-column", "body", "--id-column", "key", "--output", "m.jsonl", cwd=work)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""  # the table went to the file
    rows = read_jsonl(work / "m.jsonl")
    assert [r["doc_id"] for r in rows] == ["k0", "k1", "k2"]
    assert list(rows[0])[: len(MEETING_COLUMNS)] == MEETING_COLUMNS
    assert rows[0]["official"] == "吴承泽" and rows[0]["executive"] == "祁志远"
    assert isinstance(rows[0]["topics"], list)


def test_output_csv_of_documents_from_a_csv_corpus(work):
    path = work / "news.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "正文", "url"])
        w.writerow(["c1", f"{article(1)}\n{article(2)}", "http://example.cn/c1"])
        w.writerow(["c2", article(3), "http://example.cn/c2"])
        w.writerow(["c3", "", "http://example.cn/c3"])
    out = run("news.csv", "--text-column", "正文", "--id-column", "编号", "--table", "documents",
              "--output", "docs.csv", cwd=work)
    assert out.returncode == 2, out.stderr  # c3 has no text
    assert "c3" in out.stderr or "news.csv:5" in out.stderr
    no_traceback(out)
    frame = pd.read_csv(work / "docs.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns) == [*DOCUMENT_COLUMNS, "url"]
    assert list(frame["doc_id"]) == ["c1", "c2", "c3"]
    assert list(frame["status"]) == ["ok", "ok", "error"]
    assert list(frame["url"]) == ["http://example.cn/c1", "http://example.cn/c2", "http://example.cn/c3"]
    assert frame["meetings"][0] == "2" and frame["chars"][2] == ""


def test_output_parquet_of_entities_from_a_folder_and_a_glob(work):
    folder = work / "folder" / "sub"
    folder.mkdir(parents=True)
    (work / "folder" / "a.txt").write_text(article(4), encoding="gbk")
    (folder / "b.html").write_text(f"<p>{article(6)}</p>", encoding="utf-8")
    (folder / "skip.json").write_text("{}", encoding="utf-8")
    out = run("folder", "folder/**/*.txt", "--table", "entities", "--output", "ents.parquet", cwd=work)
    assert out.returncode == 0, out.stderr
    table = pq.read_table(work / "ents.parquet")
    assert table.column_names == ENTITY_COLUMNS
    assert set(table.column("doc_id").to_pylist()) == {"folder/a.txt", "folder/sub/b.html"}
    assert {"许知远", "韩竹青"} <= set(table.column("text").to_pylist())


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_output_dir_writes_all_four_tables(work, fmt):
    out = run("news.jsonl", "--output-dir", f"all-{fmt}", "--output-format", fmt, cwd=work)
    assert out.returncode == 0, out.stderr
    for table, columns in TABLES.items():
        path = work / f"all-{fmt}" / f"{table}.{fmt}"
        frame = pd.read_csv(path, dtype=str) if fmt == "csv" else pd.read_parquet(path)
        assert list(frame.columns)[: len(columns)] == columns
        assert len(frame) > 0
    documents = pd.read_csv(work / f"all-{fmt}" / f"documents.{fmt}", dtype=str) if fmt == "csv" else \
        pd.read_parquet(work / f"all-{fmt}" / "documents.parquet")
    assert list(documents["doc_id"]) == [f"n{i}" for i in range(12)]
    assert list(documents["url"]) == [f"http://example.cn/{i}" for i in range(12)]
    meetings = pd.read_csv(work / f"all-{fmt}" / f"meetings.{fmt}") if fmt == "csv" else \
        pd.read_parquet(work / f"all-{fmt}" / "meetings.parquet")
    topics = [json.loads(t) for t in meetings["topics"]] if fmt == "csv" else [list(t) for t in meetings["topics"]]
    assert all(isinstance(t, list) for t in topics)
    # and, over everything in the folder, the linked tables
    read = (lambda p: pd.read_csv(p, dtype=str)) if fmt == "csv" else pd.read_parquet
    unique = read(work / f"all-{fmt}" / f"meetings_unique.{fmt}")
    people = read(work / f"all-{fmt}" / f"people.{fmt}")
    assert 0 < len(unique) <= len(meetings) and set(unique["official"]) == set(meetings["official"])
    assert set(people["name"]) >= set(meetings["official"])
    assert not list((work / f"all-{fmt}").glob(".*"))  # no temporary files left


# -- --resume --------------------------------------------------------------------------------

def test_resume_after_an_interrupted_run_writes_each_document_once(work):
    out = run("news.jsonl", "--output-dir", "resume", cwd=work)
    assert out.returncode == 0, out.stderr
    documents = work / "resume" / "documents.jsonl"
    lines = documents.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == 12
    # an interrupted run: the last three documents missing, the one before them half-written
    documents.write_text("".join(lines[:8]) + lines[8][: len(lines[8]) // 2], encoding="utf-8")
    corpus(work / "more.jsonl", 3, start_at=12)
    out = run("news.jsonl", "more.jsonl", "--output-dir", "resume", "--resume", cwd=work)
    assert out.returncode == 0, out.stderr
    rows = read_jsonl(documents)  # every line parses: the half line was cut
    counts = Counter(r["doc_id"] for r in rows)
    assert sorted(counts, key=lambda d: int(d[1:])) == [f"n{i}" for i in range(15)]
    assert set(counts.values()) == {1}
    assert [r["doc_id"] for r in rows] == [f"n{i}" for i in range(15)]  # the redone ones follow the kept
    meetings = read_jsonl(work / "resume" / "meetings.jsonl")
    assert {f"n{i}" for i in range(15)} == {m["doc_id"] for m in meetings}


def test_resume_parquet_keeps_the_old_rows(work):
    corpus(work / "first.jsonl", 4)
    out = run("first.jsonl", "--output-dir", "resume-pq", "--output-format", "parquet", cwd=work)
    assert out.returncode == 0, out.stderr
    corpus(work / "second.jsonl", 6)  # the first four again, and two more
    out = run("second.jsonl", "--output-dir", "resume-pq", "--output-format", "parquet", "--resume", cwd=work)
    assert out.returncode == 0, out.stderr
    ids = pq.read_table(work / "resume-pq" / "documents.parquet").column("doc_id").to_pylist()
    assert ids == [f"n{i}" for i in range(6)]
    meetings = pq.read_table(work / "resume-pq" / "meetings.parquet").column("doc_id").to_pylist()
    assert Counter(meetings) == Counter({f"n{i}": 1 for i in range(6)})
    assert not list((work / "resume-pq").glob("*.part"))


# -- standard input, errors, exit codes ------------------------------------------------------

def test_json_lines_on_standard_input(work):
    lines = "".join(json.dumps({"id": f"s{i}", "text": article(i)}, ensure_ascii=False) + "\n" for i in range(3))
    out = run("-", "--format", "jsonl", "--table", "documents", cwd=work, stdin=lines)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["doc_id"] for r in rows] == ["s0", "s1", "s2"]
    assert all(r["status"] == "ok" and r["meetings"] >= 1 for r in rows)


def test_a_missing_input_is_one_line_naming_it_and_exit_status_2(work):
    out = run("news.jsonl", "nowhere/nope.txt", "missing", "--format", "jsonl", "--table", "documents", cwd=work)
    assert out.returncode == 2
    no_traceback(out)
    assert out.stderr.splitlines() == ["zh-invest-ner: nowhere/nope.txt: no such file or folder",
                                       "zh-invest-ner: missing: no such file or folder"]
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["doc_id"] for r in rows][-2:] == ["nowhere/nope.txt", "missing"]  # never read as text
    assert [r["status"] for r in rows] == ["ok"] * 12 + ["error"] * 2


def test_a_corpus_without_its_text_column_stops_with_one_line(work):
    (work / "headlines.jsonl").write_text('{"id": "h1", "headline": "会见"}\n', encoding="utf-8")
    out = run("news.jsonl", "headlines.jsonl", "--output", "h.jsonl", "--table", "documents", cwd=work)
    assert out.returncode == 1
    no_traceback(out)
    assert "headlines.jsonl" in out.stderr and "headline" in out.stderr
    assert len(read_jsonl(work / "h.jsonl")) == 12  # what came before is kept


# -- closed pipe and Ctrl-C ------------------------------------------------------------------

def test_a_closed_pipe_ends_quietly(work):
    proc = start("big.jsonl", "--format", "jsonl", cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()  # like `| head -1`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(60)
    assert json.loads(first)["doc_id"] == "n0"
    no_traceback(err)
    assert "Exception ignored" not in err and "BrokenPipe" not in err
    assert proc.returncode == 0


def _wait_for(path_glob: str, folder: Path, proc: subprocess.Popen, *, min_bytes: int = 1, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in folder.glob(path_glob) if p.stat().st_size >= min_bytes]
        if found:
            return
        assert proc.poll() is None, "the run ended before it could be interrupted"
        time.sleep(0.02)
    pytest.fail(f"no {path_glob} in {folder} after {timeout} s")


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child process")
@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_ctrl_c_leaves_valid_output_and_exit_status_130(work, fmt):
    folder = work / f"sigint-{fmt}"
    folder.mkdir()
    proc = start("big.jsonl", "--output-dir", folder.name, "--output-format", fmt, "--no-progress",
                 cwd=work, stderr=subprocess.PIPE)
    if fmt == "jsonl":
        _wait_for("documents.jsonl", folder, proc, min_bytes=2000)
    else:
        _wait_for("*.parquet.part", folder, proc)  # the first row group is out: the run is well under way
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=30)[1].decode()
    assert proc.returncode == 130, err
    no_traceback(err)
    assert "interrupted after" in err and "--resume" in err
    written: dict[str, list[str]] = {}
    for table, columns in TABLES.items():
        if fmt == "jsonl":
            rows = read_jsonl(folder / f"{table}.jsonl")  # every line parses
            assert all(list(r)[: len(columns)] == columns for r in rows)
        else:
            rows = pq.read_table(folder / f"{table}.parquet").to_pylist()  # the footer is there
        written[table] = [r["doc_id"] for r in rows]
    documents = written.pop("documents")
    assert 0 < len(documents) < 2000
    assert documents == [f"n{i}" for i in range(len(documents))]
    # every table stops at the same document: none has rows of a document the documents table lacks,
    # so --resume would neither repeat nor lose rows
    for table, doc_ids in written.items():
        assert set(doc_ids) <= set(documents), table
        assert doc_ids[-1] == documents[-1], table  # every article here has a meeting and entities
    assert not list(folder.glob("*.part"))
