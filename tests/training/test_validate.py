"""The checks: every problem of every file, reported together, and training refusing to start."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from zh_invest_ner.training import TrainingDataError, read_dir, read_jsonl, train
from zh_invest_ner.training.formats import Problem, Record
from zh_invest_ner.training.validate import MAX_LISTED, load_training_data, read_training_data, validate

TEXT = "临江市市长周德远会见云帆新材料有限公司董事长沈若岚。"  # invented names


def ent(eid, s, t, label) -> dict:
    return {"id": eid, "label": label, "start_offset": s, "end_offset": t}


def rec(rid="r", entities=(), relations=(), where="f.jsonl:1", text=TEXT) -> Record:
    return Record(rid, text, list(entities), list(relations), where)


def jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def messages(records: list[Record]) -> list[str]:
    return [p.message for p in validate(records)]


def test_problem_prints_as_file_line_message():
    assert str(Problem("a.jsonl:3", "no 'text' string")) == "a.jsonl:3: no 'text' string"


def test_good_records_have_no_problems():
    good = rec(entities=[ent(1, 5, 8, "PERSON"), ent(2, 10, 19, "COMPANY"), ent(3, 22, 25, "PERSON")],
               relations=[{"id": 1, "from_id": 1, "to_id": 3, "type": "met_with"},
                          {"id": 2, "from_id": 3, "to_id": 2, "type": "of_company"}])
    assert validate([good]) == []


def test_offsets_that_are_not_a_span():
    got = messages([rec(entities=[ent(1, 5, 99, "PERSON"), ent(2, 8, 5, "PERSON"), ent(3, "5", 8, "PERSON"),
                                  ent(4, -1, 2, "GPE"), ent(5, 3.0, 5, "TITLE")])])
    assert got == [
        "entity 1 (PERSON) at 5-99: offsets outside the text (26 characters)",
        "entity 2 (PERSON) at 8-5: start is not before end",
        "entity 3 (PERSON) at 5-8: offsets are not whole numbers",
        "entity 4 (GPE) at -1-2: offsets outside the text (26 characters)",
        "entity 5 (TITLE) at 3.0-5: offsets are not whole numbers",
    ]


def test_span_text_must_match_the_text_at_its_offsets():
    e = {**ent("a", 5, 8, "PERSON"), "text": "周德"}
    assert messages([rec(entities=[e])]) == [
        "entity a '周德远' (PERSON) at 5-8: the span text '周德' is not the text at its offsets"]
    assert messages([rec(entities=[{**e, "text": "周德远"}])]) == []


def test_overlaps_name_both_spans():
    got = messages([rec(entities=[ent(1, 10, 19, "COMPANY"), ent(2, 10, 12, "ORG"), ent(3, 22, 25, "PERSON")])])
    assert got == ["entity 1 '云帆新材料有限公司' (COMPANY) at 10-19 overlaps entity 2 '云帆' (ORG) at 10-12"]


def test_unknown_labels_list_the_known_ones():
    (msg,) = messages([rec(entities=[ent(1, 5, 8, "NAME")])])
    assert msg == ("entity 1 '周德远' (NAME) at 5-8: unknown label 'NAME' "
                   "(known: PERSON, TITLE, COMPANY, GOV, ORG, GPE, TOPIC)")


def test_relations_of_unknown_type_or_to_missing_entities():
    got = messages([rec(entities=[ent(1, 5, 8, "PERSON"), ent(2, 22, 25, "PERSON")],
                        relations=[{"id": 1, "from_id": 1, "to_id": 2, "type": "knows"},
                                   {"id": 2, "from_id": 1, "to_id": 9, "type": "met_with"}])])
    assert got == ["relation 1: unknown relation type 'knows' (known: met_with, of_company, on_topic)",
                   "relation 2: to_id 9 is not the id of an entity of the record"]


def test_duplicate_entity_ids_and_record_ids():
    a = rec("x", [ent(1, 5, 8, "PERSON"), ent(1, 22, 25, "PERSON")], where="a.jsonl:4")
    b = rec("x", where="b.json:7")
    assert [str(p) for p in validate([a, b])] == ["a.jsonl:4: duplicate entity id 1",
                                                  "b.json:7: duplicate record id 'x', first used at a.jsonl:4"]


def test_white_space_spans_are_no_entities():
    assert messages([rec(text="周德远 会见", entities=[ent(1, 3, 4, "PERSON")])]) == [
        "entity 1 ' ' (PERSON) at 3-4: the span is only white space"]


def test_every_problem_of_every_file_is_reported_together(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "notes.txt").write_text("not training data", encoding="utf-8")
    jsonl(data / "a.jsonl", [
        {"id": "a1", "text": TEXT, "entities": [ent(1, 5, 8, "PERSON")]},
        "{broken",
        {"id": "a3", "text": TEXT, "entities": [ent(1, 5, 30, "PERSON")]},
    ])
    ls = [{"id": "a1", "data": {"text": TEXT}, "annotations": [{"result": [
        {"id": "p", "type": "labels", "value": {"start": 5, "end": 8, "text": "周德远", "labels": ["OFFICIAL"]}}]}]},
        {"id": 9, "data": {"text": TEXT}, "annotations": [{"was_cancelled": True, "result": []}]}]
    first = json.dumps(ls[0], ensure_ascii=False, indent=1)
    (data / "b.json").write_text(f"[\n{first},\n{json.dumps(ls[1])}\n]", encoding="utf-8")
    jsonl(data / "c.jsonl", [{"id": "c1", "entities": []}, ["not", "an", "object"]])
    records, problems = read_training_data(data)
    assert [r.id for r in records] == ["a1", "a3", "a1", "9"]
    lines = [str(p) for p in problems]
    b_second = 2 + first.count("\n") + 1  # the line the second task starts on
    assert lines == [
        f"{data}/a.jsonl:2: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        f"{data}/a.jsonl:3: entity 1 (PERSON) at 5-30: offsets outside the text (26 characters)",
        f"{data}/b.json:2: duplicate record id 'a1', first used at {data}/a.jsonl:1",
        f"{data}/b.json:2: entity p '周德远' (OFFICIAL) at 5-8: unknown label 'OFFICIAL' "
        "(known: PERSON, TITLE, COMPANY, GOV, ORG, GPE, TOPIC)",
        f"{data}/b.json:{b_second}: all 1 annotations of the task were cancelled",
        f"{data}/c.jsonl:1: no 'text' string",
        f"{data}/c.jsonl:2: not an object but an array",
    ]
    with pytest.raises(TrainingDataError) as err:
        load_training_data(data)
    assert str(err.value) == "7 problems in the training data; training did not start:\n" + "\n".join(lines)
    assert err.value.problems == problems
    with pytest.raises(TrainingDataError, match=r"^7 problems in the training data:\n"):
        read_dir(data)  # the old readers check the same way


def test_several_paths_and_missing_ones(tmp_path):
    a = jsonl(tmp_path / "a.jsonl", [{"id": "same", "text": "甲"}])
    b = jsonl(tmp_path / "b.jsonl", [{"id": "same", "text": "乙"}])
    empty = tmp_path / "empty"
    empty.mkdir()
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n", encoding="utf-8")
    records, problems = read_training_data([a, b, blank, empty, tmp_path / "gone.jsonl"])
    assert len(records) == 2
    assert [str(p) for p in problems] == [
        f"{b}:1: duplicate record id 'same', first used at {a}:1",
        f"{blank}: no annotated articles in the file",
        f"{empty}: no *.jsonl or *.json files with annotated articles",
        f"{tmp_path / 'gone.jsonl'}: no such file or folder"]
    assert read_training_data([]) == ([], [Problem("(no path)", "no training data given")])


def test_the_listing_is_capped(tmp_path):
    rows = [{"id": f"r{i}", "text": "甲乙", "entities": [ent(1, 0, 9, "PERSON")]} for i in range(MAX_LISTED + 5)]
    with pytest.raises(TrainingDataError) as err:
        read_jsonl(jsonl(tmp_path / "a.jsonl", rows))
    lines = str(err.value).splitlines()
    assert lines[0] == f"{MAX_LISTED + 5} problems in the training data:"
    assert len(lines) == MAX_LISTED + 2 and lines[-1] == "… and 5 more"
    one = jsonl(tmp_path / "one.jsonl", rows[:1])
    assert str(TrainingDataError.of(read_training_data(one)[1])).startswith(
        "1 problem in the training data; training did not start:\n")


def test_training_refuses_to_start_and_writes_nothing(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    jsonl(data / "a.jsonl", [{"id": "a", "text": TEXT, "entities": [ent(1, 5, 8, "NAME")]}])
    jsonl(data / "b.jsonl", [{"id": "b", "text": TEXT, "entities": [ent(1, 5, 8, "PERSON")],
                              "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "met_with"}]}])
    out = tmp_path / "model"
    started = time.monotonic()
    with pytest.raises(TrainingDataError) as err:
        train(data, out, max_steps=1, log=lambda *_: None)
    assert time.monotonic() - started < 30
    assert str(err.value).startswith("2 problems in the training data; training did not start:\n")
    assert f"{data}/a.jsonl:1: entity 1 '周德远' (NAME)" in str(err.value)
    assert f"{data}/b.jsonl:1: relation 1: to_id 2 is not the id" in str(err.value)
    assert not out.exists()


def test_our_training_data_has_no_problems():
    records, problems = read_training_data(Path(__file__).resolve().parents[2] / "training_data")
    assert len(records) >= 1000
    assert problems == [], "\n".join(map(str, problems[:20]))
