"""The readers: doccano (both shapes) and Label Studio (JSON, JSON-MIN) read into the same records."""

from __future__ import annotations

import json
from pathlib import Path

from zh_invest_ner.training import gold_meetings
from zh_invest_ner.training.formats import Problem, detect_container, read_file, record_format

# invented: 临江市 mayor 周德远 meets 沈若岚, chair of 云帆新材料有限公司, about 储能
TEXT = "临江市市长周德远会见云帆新材料有限公司董事长沈若岚，双方就储能项目交流。"
SPANS = {  # label: (start, end)
    "GPE": (0, 3), "TITLE": (3, 5), "P1": (5, 8), "COMPANY": (10, 19), "TITLE2": (19, 22), "P2": (22, 25),
    "TOPIC": (29, 31),
}


def span(key: str) -> tuple[int, int]:
    return SPANS[key]


def test_spans_are_what_they_say():
    expected = ["临江市", "市长", "周德远", "云帆新材料有限公司", "董事长", "沈若岚", "储能"]
    assert [TEXT[s:t] for s, t in SPANS.values()] == expected


def doccano_relations() -> dict:
    ents = [("GPE", "GPE"), ("TITLE", "TITLE"), ("P1", "PERSON"), ("COMPANY", "COMPANY"), ("TITLE2", "TITLE"),
            ("P2", "PERSON")]
    return {"id": "d-1", "text": TEXT,
            "entities": [{"id": i + 1, "label": lab, "start_offset": span(k)[0], "end_offset": span(k)[1]}
                         for i, (k, lab) in enumerate(ents)],
            "relations": [{"id": 1, "from_id": 3, "to_id": 6, "type": "met_with"},
                          {"id": 2, "from_id": 6, "to_id": 4, "type": "of_company"}],
            "meta": {"kind": "test"}}


def ls_result(rid: str, key: str, label: str) -> dict:
    s, t = span(key)
    return {"id": rid, "type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": s, "end": t, "text": TEXT[s:t], "labels": [label]}}


def ls_task(tid: int, annotations: list[dict]) -> dict:
    return {"id": tid, "data": {"text": TEXT}, "annotations": annotations,
            "predictions": [{"result": [ls_result("pred", "GPE", "ORG")]}]}


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def test_doccano_jsonl_with_relations(tmp_path):
    p = write(tmp_path / "a.jsonl", "\n" + json.dumps(doccano_relations(), ensure_ascii=False) + "\n")
    (rec,), problems = read_file(p)
    assert problems == []
    assert rec.id == "d-1" and rec.where == f"{p}:2" and rec.text == TEXT
    assert [(e["id"], e["label"]) for e in rec.entities][2:4] == [(3, "PERSON"), (4, "COMPANY")]
    assert gold_meetings(rec) == [["周德远", "沈若岚", "云帆新材料有限公司"]]


def test_doccano_sequence_labeling_shape_and_data_field(tmp_path):
    rows = [{"id": 7, "data": TEXT, "label": [[5, 8, "PERSON"], [10, 19, "COMPANY"]]},
            {"text": "今日无会见。", "label": []}]
    p = write(tmp_path / "seq.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    (a, b), problems = read_file(p)
    assert problems == []
    assert a.id == "7" and a.relations == []
    assert [(e["start_offset"], e["end_offset"], e["label"]) for e in a.entities] == [(5, 8, "PERSON"),
                                                                                      (10, 19, "COMPANY")]
    assert b.id == "seq-2" and b.where.endswith("seq.jsonl:2") and b.entities == []


def test_doccano_objects_in_a_json_array_know_their_lines(tmp_path):
    first, second = doccano_relations(), {**doccano_relations(), "id": "d-2"}
    content = "[\n  " + json.dumps(first, ensure_ascii=False, indent=2).replace("\n", "\n  ") + ",\n  " + \
        json.dumps(second, ensure_ascii=False) + "\n]\n"
    p = write(tmp_path / "arr.json", content)
    (a, b), problems = read_file(p)
    assert problems == []
    assert a.where == f"{p}:2"
    assert b.where == f"{p}:{content.splitlines().index('  ' + json.dumps(second, ensure_ascii=False)) + 1}"
    assert record_format(first) == "doccano" and detect_container(content) == "json"


def ls_export() -> list[dict]:
    good = {"id": 11, "was_cancelled": False, "updated_at": "2024-05-02T09:00:00Z", "result": [
        ls_result("p1", "P1", "PERSON"), ls_result("c1", "COMPANY", "COMPANY"), ls_result("p2", "P2", "PERSON"),
        ls_result("t1", "TOPIC", "TOPIC"),
        {"type": "relation", "from_id": "p1", "to_id": "p2", "direction": "right", "labels": ["met_with"]},
        {"type": "relation", "from_id": "c1", "to_id": "p2", "direction": "left", "labels": ["of_company"]},
    ]}
    older = {"id": 10, "was_cancelled": False, "updated_at": "2024-05-01T09:00:00Z",
             "result": [ls_result("x", "GPE", "GPE")]}
    newer_cancelled = {"id": 12, "was_cancelled": True, "updated_at": "2024-05-03T09:00:00Z", "result": []}
    return [ls_task(1, [older, good, newer_cancelled])]


def test_label_studio_export_takes_the_latest_annotation_not_cancelled(tmp_path):
    p = write(tmp_path / "ls.json", json.dumps(ls_export(), ensure_ascii=False, indent=2))
    (rec,), problems = read_file(p)
    assert problems == []
    assert rec.id == "1" and rec.where == f"{p}:2"
    assert [(e["id"], e["label"], e["text"]) for e in rec.entities] == [
        ("p1", "PERSON", "周德远"), ("c1", "COMPANY", "云帆新材料有限公司"), ("p2", "PERSON", "沈若岚"),
        ("t1", "TOPIC", "储能")]
    # direction "left" points from to_id to from_id
    assert [(r["from_id"], r["to_id"], r["type"]) for r in rec.relations] == [("p1", "p2", "met_with"),
                                                                             ("p2", "c1", "of_company")]
    assert gold_meetings(rec) == [["周德远", "沈若岚", "云帆新材料有限公司"]]  # string ids work downstream


def test_label_studio_all_cancelled_or_unannotated_is_a_problem(tmp_path):
    cancelled = [ls_task(1, [{"id": 1, "was_cancelled": True, "result": [ls_result("a", "P1", "PERSON")]}]),
                 ls_task(2, [])]
    p = write(tmp_path / "ls.json", json.dumps(cancelled, ensure_ascii=False))
    records, problems = read_file(p)
    assert [(r.id, r.entities) for r in records] == [("1", []), ("2", [])]
    assert [str(x) for x in problems] == [f"{p}:1: all 1 annotations of the task were cancelled",
                                          f"{p}:1: task has no annotations (predictions are not used)"]


def test_label_studio_text_key_is_the_only_string(tmp_path):
    task = ls_task(3, [{"id": 1, "result": [ls_result("a", "P1", "PERSON")]}])
    task["data"] = {"article": TEXT, "views": 12}
    two = {**task, "id": 4, "data": {"article": TEXT, "title": "会见"}}
    p = write(tmp_path / "ls.json", json.dumps([task, two], ensure_ascii=False))
    (rec,), problems = read_file(p)
    assert rec.text == TEXT and rec.entities[0]["text"] == "周德远"
    assert [x.message for x in problems] == ["task data has several string fields (article, title), none called 'text'"]


def test_label_studio_min_has_spans_and_no_relations(tmp_path):
    rows = [{"id": 21, "text": TEXT, "annotator": 3, "created_at": "2024-05-01T09:00:00Z",
             "label": [{"start": 5, "end": 8, "text": "周德远", "labels": ["PERSON"]},
                       {"start": 22, "end": 25, "text": "沈若岚", "labels": ["PERSON"]}]},
            {"id": 22, "text": "今日无会见。", "annotator": 3}]
    p = write(tmp_path / "min.json", "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]")
    (a, b), problems = read_file(p)
    assert problems == []
    assert record_format(rows[0]) == "label-studio-min"
    assert (a.id, a.where, a.relations) == ("21", f"{p}:2", [])
    assert [(e["start_offset"], e["end_offset"], e["label"]) for e in a.entities] == [(5, 8, "PERSON"),
                                                                                      (22, 25, "PERSON")]
    assert (b.id, b.where, b.entities) == ("22", f"{p}:3", [])


def test_utf16_offsets_of_label_studio_are_converted_when_the_span_text_shows_it():
    from zh_invest_ner.training.formats import read_label_studio

    text = "𠮷田科技董事长郑嘉禾"  # 𠮷 lies beyond the BMP: JavaScript counts it twice
    res = {"id": "a", "type": "labels", "value": {"start": 8, "end": 11, "text": "郑嘉禾", "labels": ["PERSON"]}}
    problems: list[Problem] = []
    rec = read_label_studio({"id": 1, "data": {"text": text}, "annotations": [{"result": [res]}]}, "x:1", "x", problems)
    assert problems == [] and (rec.entities[0]["start_offset"], rec.entities[0]["end_offset"]) == (7, 10)


def test_bad_json_is_reported_with_line_and_column(tmp_path):
    p = write(tmp_path / "a.jsonl", json.dumps(doccano_relations(), ensure_ascii=False) + "\n{oops\n[1]\n")
    records, problems = read_file(p)
    assert len(records) == 1
    assert [str(x) for x in problems] == [
        f"{p}:2: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        f"{p}:3: not an object but an array"]
    p = write(tmp_path / "b.json", '[\n{"text": "甲"},\n{"text": "乙",,}\n]')
    records, problems = read_file(p)
    assert [r.text for r in records] == ["甲"]
    assert [str(x) for x in problems] == [f"{p}:3: not valid JSON (Expecting property name enclosed in double "
                                          "quotes at column 14); the rest of the file was not read"]


def test_a_pretty_printed_single_object_is_one_record(tmp_path):
    p = write(tmp_path / "one.json", json.dumps(doccano_relations(), ensure_ascii=False, indent=2))
    (rec,), problems = read_file(p)
    assert problems == [] and rec.id == "d-1" and rec.where == f"{p}:1"
