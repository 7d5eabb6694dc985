"""Where documents come from: files, folders, globs, standard input, corpora, frames."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import zh_invest_ner
from zh_invest_ner.text.sources import (
    InputDoc,
    SourceError,
    iter_inputs,
    looks_like_path,
    read_corpus,
    read_path,
)

A1 = "市委书记吴承泽会见了远帆新能源集团总裁祁志远一行，双方就储能电池项目交换意见。"
A2 = "副市长林慕白会见了青岚智能科技公司董事长韩竹青，双方就工业机器人产业园建设深入交流。"
A3 = "区委书记沈砚秋会见星河半导体有限公司总经理莫问舟一行，就芯片封装测试项目落地进行洽谈。"
A4 = "市长顾长庚会见了泰和生物医药集团董事长苏晚晴，双方就创新药研发基地项目达成共识。"


def docs(inputs, **kwargs) -> list[InputDoc]:
    return list(iter_inputs(inputs, **kwargs))


def ids(inputs, **kwargs) -> list[str]:
    return [d.doc_id for d in iter_inputs(inputs, **kwargs)]


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def stdin(monkeypatch):
    """Give standard input these bytes (a buffered binary stream, as a pipe gives)."""

    def feed(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))

    return feed


# -- files, folders, globs -------------------------------------------------------------------

def test_a_file_is_one_document_named_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(A1, encoding="utf-8")
    (doc,) = docs("a.txt")
    assert (doc.doc_id, doc.source, doc.text, doc.encoding, doc.error) == ("a.txt", "a.txt", A1, "utf-8", None)
    (doc,) = docs(Path("a.txt"))
    assert doc.doc_id == "a.txt" and doc.text == A1


@pytest.mark.parametrize("codec", ["gbk", "gb18030", "big5", "utf-16"])
def test_files_in_chinese_encodings_are_decoded(tmp_path, codec):
    text = A4 if codec != "big5" else "市長顧長庚會見了泰和生物醫藥集團董事長蘇晚晴，雙方就創新藥研發基地項目達成共識。"
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(text.encode(codec))
    (doc,) = docs(path)
    assert doc.text == text and doc.error is None
    assert codecs.lookup(doc.encoding).name == codecs.lookup(codec).name or codec == "gbk"


def test_a_folder_is_read_recursively_taking_article_files_only(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "b.txt").write_text(A2, encoding="utf-8")
    (tmp_path / "a.HTML").write_text(f"<p>{A1}</p>", encoding="utf-8")
    (tmp_path / "sub" / "c.md").write_text(A3, encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "d.htm").write_text(A4, encoding="utf-8")
    for ignored in ("notes.json", "scan.pdf", "corpus.jsonl", "rows.csv", "README"):
        (tmp_path / "sub" / ignored).write_text('{"text": "不读"}', encoding="utf-8")
    found = docs(tmp_path)
    assert [Path(d.doc_id).relative_to(tmp_path).as_posix() for d in found] == [
        "a.HTML", "b.txt", "sub/c.md", "sub/deeper/d.htm"]
    assert all(d.error is None for d in found)
    assert [d.text for d in found][1:] == [A2, A3, A4]


@pytest.mark.parametrize("content", [None, "image.png"])
def test_a_folder_without_articles_is_one_error_document(tmp_path, content):
    folder = tmp_path / "empty"
    folder.mkdir()
    if content:
        (folder / content).write_bytes(b"\x89PNG")
    (doc,) = docs(str(folder))
    assert doc.text is None and doc.doc_id == str(folder)
    assert str(folder) in doc.error and "folder has no" in doc.error


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "news" / "2024" / "03").mkdir(parents=True)
    (tmp_path / "news" / "a.txt").write_text(A1, encoding="utf-8")
    (tmp_path / "news" / "b.md").write_text(A2, encoding="utf-8")
    (tmp_path / "news" / "2024" / "c.txt").write_text(A3, encoding="utf-8")
    (tmp_path / "news" / "2024" / "03" / "d.txt").write_text(A4, encoding="utf-8")
    write_jsonl(tmp_path / "news" / "rows.jsonl", [{"id": "r1", "text": A1}])
    return tmp_path


def test_a_glob_matches_files(tree):
    assert ids("news/*.txt") == ["news/a.txt"]
    assert ids("news/[ab].*") == ["news/a.txt", "news/b.md"]
    assert ids("news/**/*.txt") == ["news/2024/03/d.txt", "news/2024/c.txt", "news/a.txt"]


def test_a_glob_matching_a_corpus_reads_its_rows(tree):
    (doc,) = docs("news/*.jsonl")
    assert doc.doc_id == "r1" and doc.text == A1


def test_a_double_star_glob_reads_each_file_once(tree):
    found = ids("news/**")
    assert len(found) == len(set(found))
    assert sorted(found) == ["news/2024/03/d.txt", "news/2024/c.txt", "news/a.txt", "news/b.md", "r1"]
    assert ids("news/*") == ["news/2024/03/d.txt", "news/2024/c.txt", "news/a.txt", "news/b.md", "r1"]


def test_a_glob_matching_nothing_is_one_error_document(tree):
    (doc,) = docs("news/*.html")
    assert doc.doc_id == "news/*.html" and "no file matches" in doc.error and doc.text is None


def test_tilde_paths_and_globs_are_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(A1, encoding="utf-8")
    (doc,) = docs("~/articles/a.txt")
    assert doc.doc_id == "~/articles/a.txt" and doc.text == A1
    (doc,) = docs("~/articles/*.txt")
    assert doc.text == A1 and doc.error is None
    (doc,) = docs(Path("~/articles"))
    assert doc.text == A1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_read_like_a_file(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(A2.encode("gbk")))
    writer.start()
    try:
        (doc,) = docs(str(fifo))
    finally:
        writer.join(5)
    assert doc.text == A2 and doc.error is None


# -- missing paths and plain text ------------------------------------------------------------

@pytest.mark.parametrize("given", ["missing.txt", "no/such/folder", "~/definitely-missing-4242.jsonl",
                                   "./nope", Path("nowhere"), Path("nowhere.csv")])
def test_a_missing_path_is_an_error_document_never_text(given, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (doc,) = docs(given)
    name = os.fspath(given)
    assert doc.text is None and doc.doc_id == name
    assert doc.error == f"{name}: no such file or folder"


def test_read_path_treats_anything_as_a_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (doc,) = read_path("nope")  # no suffix, no separator: still a path here
    assert doc.error == "nope: no such file or folder"


@pytest.mark.parametrize("text", [A1, "吴承泽会见祁志远", "会见\n祁志远", "x" * 2000])
def test_a_sentence_is_text(text):
    assert not looks_like_path(text)
    (doc,) = docs(text)
    assert (doc.doc_id, doc.source, doc.text, doc.error) == ("doc-0", "<text>", text, None)


@pytest.mark.parametrize("text", ["-", "a.txt", "news/a", "news\\a", "~/x", "*.md", "data?.csv", "x.PARQUET"])
def test_path_like_strings(text):
    assert looks_like_path(text)


def test_an_existing_file_is_a_path_even_with_sentence_punctuation(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("会议纪要，第一期").write_text(A3, encoding="utf-8")
    assert looks_like_path("会议纪要，第一期")
    (doc,) = docs("会议纪要，第一期")
    assert doc.text == A3


@pytest.mark.parametrize("codec", ["gbk", "big5", "utf-8"])
def test_bytes_in_chinese_encodings_are_decoded(codec):
    text = A1 if codec != "big5" else "市委書記吳承澤會見了遠帆新能源集團總裁祁志遠一行，雙方就儲能電池項目交換意見。"
    (doc,) = docs(text.encode(codec))
    assert doc.text == text and doc.source == "<bytes>" and doc.error is None


def test_many_items_keep_their_order_and_positions(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(A2, encoding="utf-8")
    found = docs([A1, path, A3.encode("gbk"), 42, ("mine", A4)])
    assert [d.doc_id for d in found] == ["doc-0", str(path), "doc-2", "doc-3", "mine"]
    assert [d.text for d in found] == [A1, A2, A3, None, A4]
    assert "expected text, bytes or a path, got int" in found[3].error


def test_a_mapping_names_its_documents():
    found = docs({"x1": A1, "x2": A2.encode("gb18030")})
    assert [(d.doc_id, d.text) for d in found] == [("x1", A1), ("x2", A2)]


def test_documents_already_read_pass_through():
    item = InputDoc("k9", "elsewhere", A1, "utf-8", {"url": "u"})
    assert docs([item]) == [item]


def test_inputs_are_read_lazily():
    taken = []

    def source():
        for text in (A1, A2, A3):
            taken.append(text)
            yield text

    first = next(iter_inputs(source()))
    assert first.text == A1 and taken == [A1]


# -- standard input --------------------------------------------------------------------------

def test_dash_is_standard_input_as_one_document(stdin):
    stdin(A1.encode("gbk"))
    (doc,) = docs("-")
    assert (doc.doc_id, doc.source, doc.text) == ("<stdin>", "<stdin>", A1)
    assert doc.encoding in ("gb18030", "gbk")


def test_json_lines_on_standard_input_are_one_document_each(stdin):
    lines = [{"id": "s1", "text": A1}, {"text": A2, "url": "http://example.cn/2"}]
    stdin(b"\n" + "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines).encode())
    found = docs(["-"])
    assert [d.doc_id for d in found] == ["s1", "<stdin>:3"]
    assert [d.text for d in found] == [A1, A2] and found[1].meta == {"url": "http://example.cn/2"}


def test_json_lines_with_a_byte_order_mark_on_standard_input(stdin):
    stdin(codecs.BOM_UTF8 + json.dumps({"content": A3}, ensure_ascii=False).encode() + b"\n")
    (doc,) = docs("-")
    assert doc.text == A3 and doc.doc_id == "<stdin>:1"


# -- JSONL corpora ---------------------------------------------------------------------------

def test_jsonl_corpus_with_the_default_columns(tmp_path):
    path = write_jsonl(tmp_path / "news.jsonl", [
        {"id": 101, "text": A1, "url": "http://example.cn/101", "date": "2024-03-01"},
        {"id": "n102", "text": A2, "tags": ["招商", "签约"], "site": {"name": "日报"}},
        {"text": A3},
    ])
    found = docs(path)
    assert [d.doc_id for d in found] == ["101", "n102", f"{path}:3"]
    assert [d.source for d in found] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    assert [d.text for d in found] == [A1, A2, A3]
    assert found[0].meta == {"url": "http://example.cn/101", "date": "2024-03-01"}
    assert json.loads(found[1].meta["tags"]) == ["招商", "签约"]  # lists and objects: JSON text
    assert json.loads(found[1].meta["site"]) == {"name": "日报"}


def test_jsonl_content_column_and_ndjson_suffix(tmp_path):
    path = write_jsonl(tmp_path / "news.ndjson", [{"doc_id": "d1", "content": A4}])
    (doc,) = docs(path)
    assert (doc.doc_id, doc.text, doc.meta) == ("d1", A4, {})


def test_jsonl_named_text_and_id_columns(tmp_path):
    path = write_jsonl(tmp_path / "news.jsonl", [
        {"key": "k1", "body_text": A1, "text": "不是正文", "id": "not-this"},
        {"key": "k2", "body_text": A2, "text": "也不是", "id": "nor-this"},
    ])
    found = docs(path, text_column="body_text", id_column="key")
    assert [(d.doc_id, d.text) for d in found] == [("k1", A1), ("k2", A2)]
    assert found[0].meta == {"text": "不是正文", "id": "not-this"}


def test_a_bad_json_line_is_an_error_naming_file_and_line(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": A1}, ensure_ascii=False) + "\n"
        + '{"id": "b", "text": "被截断\n'
        + "\n"
        + "[1, 2]\n"
        + json.dumps({"id": "c", "text": A2}, ensure_ascii=False) + "\n"
        + '{"id": "d", "text": "   "}\n'
        + '{"id": "e", "text": null}\n', encoding="utf-8")
    found = docs(path)
    assert [d.doc_id for d in found] == ["a", f"{path}:2", f"{path}:4", "c", "d", "e"]
    assert [d.text for d in found] == [A1, None, None, A2, None, None]
    assert found[1].error.startswith(f"{path}:2: not a JSON line")
    assert found[2].error == f"{path}:4: a JSON line must be an object, not list"
    assert found[4].error == f"{path}:6: no text in column 'text'"


def test_a_jsonl_corpus_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + json.dumps({"id": "b1", "text": A3}, ensure_ascii=False).encode() + b"\n")
    (doc,) = docs(path)
    assert doc.doc_id == "b1" and doc.text == A3


def test_a_corpus_without_its_text_column_names_file_and_columns(tmp_path):
    path = write_jsonl(tmp_path / "news.jsonl", [{"id": "a", "headline": A1, "url": "u"}])
    with pytest.raises(SourceError) as e:
        docs(path)
    assert str(path) in str(e.value) and "headline" in str(e.value) and "url" in str(e.value)
    with pytest.raises(SourceError, match=r"no column 'body'.*headline"):
        docs(path, text_column="body")
    with pytest.raises(SourceError, match=r"no column 'key'"):
        docs(path, text_column="headline", id_column="key")


# -- CSV, TSV, Parquet corpora ---------------------------------------------------------------

def test_csv_corpus_with_a_header_and_quoted_newlines(tmp_path):
    path = tmp_path / "news.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:  # with the BOM spreadsheets write
        w = csv.writer(f)
        w.writerow(["id", "title", "text", "url"])
        w.writerow(["c1", "会见", f"{A1}\n{A2}", "http://example.cn/c1"])
        w.writerow(["", "洽谈", A3, ""])
        w.writerow(["c3", "空", "", "http://example.cn/c3"])
    found = docs(path)
    assert [d.doc_id for d in found] == ["c1", f"{path}:4", "c3"]
    assert [d.source for d in found] == [f"{path}:2", f"{path}:4", f"{path}:5"]  # where each record starts
    assert found[0].text == f"{A1}\n{A2}"
    assert found[0].meta == {"title": "会见", "url": "http://example.cn/c1"}
    assert found[2].error == f"{path}:5: no text in column 'text'"


def test_tsv_corpus_with_named_columns(tmp_path):
    path = tmp_path / "news.tsv"
    path.write_text(f"编号\t正文\t日期\nt1\t{A4}\t2024-05-06\nt2\t{A1}\t2024-05-07\n", encoding="utf-8")
    found = docs(path, text_column="正文", id_column="编号")
    assert [(d.doc_id, d.text, d.meta) for d in found] == [
        ("t1", A4, {"日期": "2024-05-06"}), ("t2", A1, {"日期": "2024-05-07"})]


def test_an_empty_csv_corpus_has_no_documents(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("", encoding="utf-8")
    assert docs(path) == []


def test_parquet_corpus(tmp_path):
    path = tmp_path / "news.parquet"
    table = pa.table({
        "id": pa.array([7, 8, 9], pa.int64()),
        "content": [A1, A2, None],
        "published": pa.array([pd.Timestamp("2024-01-02 08:30"), None, pd.Timestamp("2024-01-04")],
                              pa.timestamp("s")),
        "tags": [["会见"], [], None],
    })
    pq.write_table(table, path, row_group_size=2)
    found = list(read_corpus(path))
    assert [d.doc_id for d in found] == ["7", "8", "9"]
    assert [d.source for d in found] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert [d.text for d in found] == [A1, A2, None]
    assert found[0].meta == {"published": "2024-01-02T08:30:00", "tags": '["会见"]'}
    assert found[1].meta == {"published": None, "tags": "[]"}
    assert "no text in column 'content'" in found[2].error


# -- pandas ----------------------------------------------------------------------------------

def test_a_dataframe_uses_its_index_without_an_id_column():
    frame = pd.DataFrame({"text": [A1, A2], "url": ["u1", "u2"]}, index=[10, 20])
    found = docs(frame)
    assert [(d.doc_id, d.text, d.meta) for d in found] == [("10", A1, {"url": "u1"}), ("20", A2, {"url": "u2"})]
    assert found[0].source == "DataFrame[10]"


def test_a_dataframe_uses_its_id_column():
    frame = pd.DataFrame({"doc_id": ["x", None], "content": [A3, A4], "date": ["2024-02-01", "2024-02-02"]})
    found = docs(frame)
    assert [d.doc_id for d in found] == ["x", "1"]  # a blank id falls back to the index
    assert [d.meta for d in found] == [{"date": "2024-02-01"}, {"date": "2024-02-02"}]
    found = docs(frame, text_column="content", id_column="date")
    assert [d.doc_id for d in found] == ["2024-02-01", "2024-02-02"]


def test_a_dataframe_with_missing_values_and_array_cells():
    frame = pd.DataFrame({
        "text": pd.array([A1, None, A2], dtype="string"),
        "date": [pd.Timestamp("2024-01-01"), pd.NaT, pd.Timestamp("2024-01-03")],
        "views": pd.array([5, None, 7], dtype="Int64"),
        "score": [np.float32("nan"), np.float32(1.5), np.float32(2.0)],
        "tags": [np.array(["招商", "会见"]), np.array([], dtype=str), np.array(["签约"])],
    })
    found = docs(frame)
    assert found[0].text == A1
    assert found[0].meta == {"date": "2024-01-01T00:00:00", "views": 5, "score": None, "tags": '["招商", "会见"]'}
    assert found[1].text is None and "no text in column 'text'" in found[1].error  # NA is not the text "<NA>"
    assert found[1].meta["date"] is None and found[1].meta["views"] is None
    assert found[2].meta["score"] == 2.0


def test_a_dataframe_without_a_text_column():
    with pytest.raises(SourceError, match=r"DataFrame: no text column among \['title', 'url'\]"):
        docs(pd.DataFrame({"title": [A1], "url": ["u"]}))


def test_a_series_uses_its_index_as_doc_id():
    series = pd.Series([A1, A2.encode("gbk"), None], index=["s1", "s2", "s3"])
    found = docs(series)
    assert [d.doc_id for d in found] == ["s1", "s2", "s3"]
    assert [d.text for d in found] == [A1, A2, None]
    assert found[2].error is not None


# -- into the documents frame ----------------------------------------------------------------

def test_corpus_columns_travel_into_the_documents_frame(shipped_nlp, tmp_path):
    path = write_jsonl(tmp_path / "news.jsonl", [
        {"id": "m1", "text": A1, "url": "http://example.cn/m1", "date": "2024-03-01"},
        {"id": "m2", "text": A3, "url": "http://example.cn/m2", "date": "2024-03-02"},
        {"id": "m3", "title": "没有正文", "url": "http://example.cn/m3", "text": ""},
    ])
    with pytest.warns(UserWarning, match="no text"):
        result = zh_invest_ner.extract(path, nlp=shipped_nlp)
    documents = result.documents
    assert list(documents["doc_id"]) == ["m1", "m2", "m3"]
    assert list(documents["url"]) == ["http://example.cn/m1", "http://example.cn/m2", "http://example.cn/m3"]
    assert list(documents["status"]) == ["ok", "ok", "error"]
    assert set(result.meetings["doc_id"]) == {"m1", "m2"}
    frame = pd.DataFrame({"text": [A2, A4], "site": ["日报", "晚报"]}, index=["f1", "f2"])
    result = zh_invest_ner.extract(frame, nlp=shipped_nlp)
    assert list(result.documents["doc_id"]) == ["f1", "f2"]
    assert list(result.documents["site"]) == ["日报", "晚报"]
    assert set(result.meetings["doc_id"]) <= {"f1", "f2"} and len(result.meetings)
