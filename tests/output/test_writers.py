"""Streaming table writers: JSONL, CSV, TSV and Parquet, appendable and interrupt-safe."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zh_invest_ner.output.frames import COLUMNS, DOCUMENT_COLUMNS, MEETING_COLUMNS
from zh_invest_ner.output.writers import OutputError, TableWriter, format_of, written_doc_ids


def no_nan(name: str):
    raise AssertionError(f"JSONL holds {name}, which is not JSON")


def read_jsonl(path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line, parse_constant=no_nan) for line in lines]


def meeting(doc_id: str, n: int = 0, **changes) -> dict:
    row = {"doc_id": doc_id, "official": "吴承泽", "official_title": "市委书记", "executive": "祁志远",
           "executive_title": "总裁", "company": "远帆新能源集团", "topics": ["储能电池", "新能源"],
           "participation": "principal", "sentence": "市委书记吴承泽会见了远帆新能源集团总裁祁志远一行。",
           "start": 10 * n, "end": 10 * n + 25}
    row.update(changes)
    return row


def document(doc_id: str, **changes) -> dict:
    row = {"doc_id": doc_id, "source": f"news.jsonl:{doc_id}", "status": "ok", "message": None,
           "encoding": "utf-8", "chars": 40, "meetings": 1}
    row.update(changes)
    return row


ROWS = [
    meeting("a1", 0),
    meeting("a1", 1, executive=None, executive_title=float("nan"), topics=[], participation="accompanying"),
    meeting("b2", 0, company=pd.NA, start=np.int64(3), end=np.int32(9), official_title=np.float32("nan")),
]


# -- formats ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "fmt"), [("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.json", "jsonl"),
                                           ("a.csv", "csv"), ("A.TSV", "tsv"), ("a.parquet", "parquet")])
def test_format_follows_the_suffix(name, fmt):
    assert format_of(name) == fmt


@pytest.mark.parametrize("name", ["out.xlsx", "out"])
def test_an_unknown_suffix_is_refused(name, tmp_path):
    with pytest.raises(OutputError, match="unknown output format"):
        TableWriter(tmp_path / name, MEETING_COLUMNS)


def test_parquet_cannot_go_to_standard_output():
    with pytest.raises(OutputError, match="standard output"):
        TableWriter("-", MEETING_COLUMNS, fmt="parquet")


# -- JSONL -----------------------------------------------------------------------------------

def test_jsonl_round_trip_with_null_never_nan(tmp_path):
    path = tmp_path / "sub" / "meetings.jsonl"  # missing folders are made
    with TableWriter(path, MEETING_COLUMNS) as w:
        w.write(ROWS[:2])
        w.write([])  # a document without meetings
        w.write(ROWS[2:])
    assert w.rows_written == 3
    rows = read_jsonl(path)  # parse_constant raises on NaN / Infinity
    assert [r["doc_id"] for r in rows] == ["a1", "a1", "b2"]
    assert list(rows[0]) == MEETING_COLUMNS
    assert rows[0]["topics"] == ["储能电池", "新能源"] and rows[1]["topics"] == []
    assert rows[1]["executive"] is None and rows[1]["executive_title"] is None
    assert rows[2]["company"] is None and rows[2]["official_title"] is None
    assert rows[2]["start"] == 3 and rows[2]["end"] == 9 and isinstance(rows[2]["start"], int)
    assert rows[0]["official"] == "吴承泽"  # not \\u escapes
    assert "吴承泽" in path.read_text(encoding="utf-8")
    frame = pd.read_json(path, lines=True)
    assert list(frame["doc_id"]) == ["a1", "a1", "b2"]


def test_jsonl_holds_infinities_numpy_values_and_timestamps_as_json(tmp_path):
    path = tmp_path / "documents.jsonl"
    with TableWriter(path, DOCUMENT_COLUMNS) as w:
        w.write([document("d1", chars=np.int64(12), meetings=pd.NA, score=float("inf"), rank=np.float64("-inf"),
                          date=pd.Timestamp("2024-03-05"), missing=pd.NaT, flag=np.bool_(True),
                          tags=np.array(["招商", "签约"]))])
    (row,) = read_jsonl(path)
    assert row["chars"] == 12 and row["meetings"] is None
    assert row["score"] is None and row["rank"] is None and row["missing"] is None
    assert row["date"].startswith("2024-03-05") and row["flag"] is True
    assert row["tags"] == ["招商", "签约"]


def test_jsonl_keeps_extra_columns_after_the_tables_own(tmp_path):
    path = tmp_path / "documents.jsonl"
    with TableWriter(path, DOCUMENT_COLUMNS) as w:
        w.write([document("d1", url="http://example.cn/1", date="2024-01-02")])
    (row,) = read_jsonl(path)
    assert list(row) == [*DOCUMENT_COLUMNS, "url", "date"]
    assert row["url"] == "http://example.cn/1"


def test_jsonl_append_continues_the_file(tmp_path):
    path = tmp_path / "m.jsonl"
    with TableWriter(path, MEETING_COLUMNS) as w:
        w.write(ROWS[:1])
    with TableWriter(path, MEETING_COLUMNS, append=True) as w:
        w.write([meeting("b2"), meeting("b2", 1)])
    assert [r["doc_id"] for r in read_jsonl(path)] == ["a1", "b2", "b2"]
    with TableWriter(path, MEETING_COLUMNS) as w:  # without append: a new file
        w.write(ROWS[1:2])
    assert [r["doc_id"] for r in read_jsonl(path)] == ["a1"]


def test_jsonl_append_to_a_missing_or_empty_file_starts_it(tmp_path):
    path = tmp_path / "m.jsonl"
    with TableWriter(path, MEETING_COLUMNS, append=True) as w:
        w.write(ROWS[:1])
    path.write_bytes(b"")
    with TableWriter(path, MEETING_COLUMNS, append=True) as w:
        w.write([meeting("b2")])
    assert [r["doc_id"] for r in read_jsonl(path)] == ["b2"]


def test_a_jsonl_line_cut_mid_write_is_repaired_on_append(tmp_path):
    path = tmp_path / "documents.jsonl"
    with TableWriter(path, DOCUMENT_COLUMNS) as w:
        w.write([document("d1")])
        w.write([document("d2")])
    whole = path.read_bytes()
    path.write_bytes(whole + json.dumps(document("d3"), ensure_ascii=False).encode()[:-9])  # killed mid-line
    assert written_doc_ids(path) == {"d1", "d2"}
    with TableWriter(path, DOCUMENT_COLUMNS, append=True) as w:
        w.write([document("d3")])
    assert [r["doc_id"] for r in read_jsonl(path)] == ["d1", "d2", "d3"]


def test_a_complete_record_without_its_newline_counts_as_cut(tmp_path):
    # appending cuts an unterminated last line, so resuming must not count it as written
    path = tmp_path / "documents.jsonl"
    path.write_text(json.dumps(document("d1")) + "\n" + json.dumps(document("d2")), encoding="utf-8")
    assert written_doc_ids(path) == {"d1"}
    with TableWriter(path, DOCUMENT_COLUMNS, append=True) as w:
        w.write([document("d2")])
    assert [r["doc_id"] for r in read_jsonl(path)] == ["d1", "d2"]


def test_a_long_partial_line_is_cut_across_read_chunks(tmp_path):
    path = tmp_path / "documents.jsonl"
    first = json.dumps(document("d1"), ensure_ascii=False) + "\n"
    partial = json.dumps(document("d2", message="很长" * 6000), ensure_ascii=False)[:-100]
    assert len(partial.encode()) > 3 * 4096
    path.write_text(first + partial, encoding="utf-8")
    with TableWriter(path, DOCUMENT_COLUMNS, append=True) as w:
        w.write([document("d2")])
    assert [r["doc_id"] for r in read_jsonl(path)] == ["d1", "d2"]


def test_a_file_holding_only_a_partial_line_is_emptied(tmp_path):
    path = tmp_path / "documents.jsonl"
    path.write_text('{"doc_id": "d1", "sta' * 500, encoding="utf-8")
    with TableWriter(path, DOCUMENT_COLUMNS, append=True) as w:
        w.write([document("d9")])
    assert [r["doc_id"] for r in read_jsonl(path)] == ["d9"]


def test_standard_output_is_written_and_left_open(capsys):
    w = TableWriter("-", MEETING_COLUMNS, fmt="jsonl")
    w.write(ROWS[:1])
    w.close()
    w.close()
    print("still open")
    out = capsys.readouterr().out.splitlines()
    assert json.loads(out[0])["doc_id"] == "a1" and out[1] == "still open"


# -- CSV and TSV -----------------------------------------------------------------------------

@pytest.mark.parametrize(("suffix", "sep"), [(".csv", ","), (".tsv", "\t")])
def test_csv_and_tsv_round_trip_with_topics_as_json_text(tmp_path, suffix, sep):
    path = tmp_path / f"meetings{suffix}"
    rows = [*ROWS, meeting("c3", sentence='第一行，"引号"\n第二行\t制表。')]
    with TableWriter(path, MEETING_COLUMNS) as w:
        w.write(rows[:2])
        w.write(rows[2:])
    frame = pd.read_csv(path, sep=sep, keep_default_na=False, dtype=str)
    assert list(frame.columns) == MEETING_COLUMNS
    assert list(frame["doc_id"]) == ["a1", "a1", "b2", "c3"]
    assert [json.loads(t) for t in frame["topics"]] == [["储能电池", "新能源"], [], ["储能电池", "新能源"],
                                                         ["储能电池", "新能源"]]
    assert frame["executive"][1] == "" and frame["executive_title"][1] == ""  # None and NaN: empty
    assert frame["company"][2] == "" and frame["official_title"][2] == ""  # NA and float32 NaN
    assert frame["start"][2] == "3"
    assert frame["sentence"][3] == '第一行，"引号"\n第二行\t制表。'


def test_csv_header_takes_extra_columns_from_the_first_rows(tmp_path):
    path = tmp_path / "documents.csv"
    with TableWriter(path, DOCUMENT_COLUMNS) as w:
        w.write([document("d1", url="http://example.cn/1", tags=["会见", "签约"], extra={"k": 1})])
        w.write([document("d2", url="http://example.cn/2")])
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(frame.columns) == [*DOCUMENT_COLUMNS, "url", "tags", "extra"]
    assert list(frame["url"]) == ["http://example.cn/1", "http://example.cn/2"]
    assert json.loads(frame["tags"][0]) == ["会见", "签约"] and json.loads(frame["extra"][0]) == {"k": 1}
    assert frame["tags"][1] == ""


def test_a_csv_without_rows_still_has_its_header(tmp_path):
    path = tmp_path / "meetings.csv"
    with TableWriter(path, MEETING_COLUMNS) as w:
        w.write([])
    assert path.read_text(encoding="utf-8").strip() == ",".join(MEETING_COLUMNS)


def test_csv_append_keeps_one_header_and_the_files_column_order(tmp_path):
    path = tmp_path / "documents.csv"
    reordered = list(reversed(DOCUMENT_COLUMNS))
    with TableWriter(path, reordered) as w:
        w.write([document("d1")])
    with TableWriter(path, DOCUMENT_COLUMNS, append=True) as w:
        w.write([document("d2", chars=7)])
    with open(path, encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    assert records[0] == reordered
    assert len(records) == 3
    again = pd.read_csv(path, dtype=str)
    assert list(again["doc_id"]) == ["d1", "d2"] and list(again["chars"]) == ["40", "7"]


def test_a_csv_row_cut_mid_write_is_dropped_on_append(tmp_path):
    path = tmp_path / "documents.csv"
    with TableWriter(path, DOCUMENT_COLUMNS) as w:
        w.write([document("77")])
    with open(path, "a", encoding="utf-8") as f:
        f.write("12345,news.jsonl")  # killed mid-row: the doc_id "12345" may be cut from a longer one
    assert written_doc_ids(path) == {"77"}
    with TableWriter(path, DOCUMENT_COLUMNS, append=True) as w:
        w.write([document("123456")])
    assert list(pd.read_csv(path, dtype=str)["doc_id"]) == ["77", "123456"]


def test_a_csv_cut_inside_its_header_is_started_again(tmp_path):
    path = tmp_path / "documents.csv"
    path.write_text("doc_id,sou", encoding="utf-8")
    with TableWriter(path, DOCUMENT_COLUMNS, append=True) as w:
        w.write([document("d1")])
    frame = pd.read_csv(path, dtype=str)
    assert list(frame.columns) == DOCUMENT_COLUMNS and list(frame["doc_id"]) == ["d1"]


# -- Parquet ---------------------------------------------------------------------------------

def test_parquet_round_trip_with_lists_integers_and_nulls(tmp_path):
    path = tmp_path / "meetings.parquet"
    with TableWriter(path, MEETING_COLUMNS) as w:
        w.write(ROWS[:2])
        assert not path.exists()  # written under a temporary name until the footer is on
        w.write(ROWS[2:])
    assert not (tmp_path / "meetings.parquet.part").exists()
    table = pq.read_table(path)
    assert table.column_names == MEETING_COLUMNS
    assert table.schema.field("topics").type == pa.list_(pa.string())
    assert table.schema.field("start").type == pa.int64()
    rows = table.to_pylist()
    assert [r["doc_id"] for r in rows] == ["a1", "a1", "b2"]
    assert rows[0]["topics"] == ["储能电池", "新能源"] and rows[1]["topics"] == []
    assert rows[1]["executive"] is None and rows[1]["executive_title"] is None
    assert rows[2]["company"] is None and rows[2]["start"] == 3
    assert list(pd.read_parquet(path)["official"]) == ["吴承泽"] * 3


def test_parquet_documents_keep_corpus_columns(tmp_path):
    path = tmp_path / "documents.parquet"
    with TableWriter(path, DOCUMENT_COLUMNS) as w:
        w.write([document("d1", url="http://example.cn/1", year=2024)])
        w.write([document("d2", status="error", message="d2: no text", chars=None, meetings=None, url=None)])
    table = pq.read_table(path)
    assert table.column_names == [*DOCUMENT_COLUMNS, "url", "year"]
    rows = table.to_pylist()
    assert rows[0]["url"] == "http://example.cn/1" and rows[0]["year"] == 2024
    assert rows[1]["chars"] is None and rows[1]["message"] == "d2: no text"


def test_an_empty_parquet_file_is_valid(tmp_path):
    path = tmp_path / "triples.parquet"
    TableWriter(path, COLUMNS["triples"]).close()
    table = pq.read_table(path)
    assert table.num_rows == 0 and table.column_names == COLUMNS["triples"]
    assert written_doc_ids(path) == set()


def test_parquet_over_many_row_groups_keeps_every_row_in_order(tmp_path):
    path = tmp_path / "entities.parquet"
    with TableWriter(path, COLUMNS["entities"]) as w:
        for i in range(900):
            w.write([{"doc_id": f"d{i}", "text": "吴承泽", "label": "PERSON", "start": k, "end": k + 3}
                     for k in range(5)])
    file = pq.ParquetFile(path)
    assert file.num_row_groups >= 2 and file.metadata.num_rows == 4500
    ids = pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist()
    assert ids[::5] == [f"d{i}" for i in range(900)]


def test_parquet_append_keeps_the_old_rows(tmp_path):
    path = tmp_path / "documents.parquet"
    with TableWriter(path, DOCUMENT_COLUMNS) as w:
        w.write([document("d1"), document("d2")])
    with TableWriter(path, DOCUMENT_COLUMNS, append=True) as w:
        w.write([document("d3", unexpected="dropped: the file's schema rules")])
    table = pq.read_table(path)
    assert table.column("doc_id").to_pylist() == ["d1", "d2", "d3"]
    assert table.column_names == DOCUMENT_COLUMNS
    with TableWriter(path, DOCUMENT_COLUMNS, append=True):
        pass  # appending nothing keeps the file as it was
    assert pq.read_table(path).num_rows == 3


def test_closing_twice_is_harmless(tmp_path):
    for name in ("m.parquet", "m.jsonl", "m.csv"):
        w = TableWriter(tmp_path / name, MEETING_COLUMNS)
        w.write(ROWS[:1])
        w.close()
        w.close()
    assert pq.read_table(tmp_path / "m.parquet").num_rows == 1
    assert len(read_jsonl(tmp_path / "m.jsonl")) == 1


# -- what --resume skips ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ["documents.jsonl", "documents.csv", "documents.tsv", "documents.parquet"])
def test_written_doc_ids_in_each_format(tmp_path, name):
    path = tmp_path / name
    assert written_doc_ids(path) == set()  # no file yet
    with TableWriter(path, DOCUMENT_COLUMNS) as w:
        w.write([document("d1")])
        w.write([document("n-2", status="error", message="n-2: no such file")])
        w.write([document("3")])
    assert written_doc_ids(path) == {"d1", "n-2", "3"}


def test_written_doc_ids_of_an_empty_file(tmp_path):
    path = tmp_path / "documents.jsonl"
    path.touch()
    assert written_doc_ids(path) == set()


def test_written_doc_ids_skips_lines_that_are_not_records(tmp_path):
    path = tmp_path / "documents.jsonl"
    path.write_text('{"doc_id": "d1"}\n[1, 2]\n"text"\n{"other": 1}\nnot json\n{"doc_id": 5}\n', encoding="utf-8")
    assert written_doc_ids(path) == {"d1", "5"}


def test_an_unfinished_parquet_file_cannot_be_resumed_from(tmp_path):
    path = tmp_path / "documents.parquet"
    with TableWriter(path, DOCUMENT_COLUMNS) as w:
        w.write([document("d1")])
    path.write_bytes(path.read_bytes()[:-20])  # the footer is gone
    with pytest.raises(OutputError, match="not a complete Parquet file"):
        written_doc_ids(path)


def test_nan_check_helper_catches_nan():
    with pytest.raises(AssertionError):
        json.loads('{"a": NaN}', parse_constant=no_nan)
    assert math.isnan(float("nan"))
