"""Readers of the annotation tools' exports: doccano JSONL/JSON and Label Studio JSON / JSON-MIN.

Annotators use whichever tool their team has, so the training data may hold any of these
side by side. Each reader turns its records into one :class:`Record` shape (entities as
``{"id", "label", "start_offset", "end_offset"}`` dicts, relations as ``{"id", "from_id",
"to_id", "type"}``) with ``where`` = ``"file:line"``, and reports what it cannot read as a
:class:`Problem` instead of raising, so that one run lists every problem of every file.

The container is detected from the content, not the suffix: a file whose first character
is ``[`` is a JSON array (Label Studio exports, doccano JSON), anything else is JSONL (one
object a line). Each object is then read by its shape, so a hand-made ``.json`` array of
doccano objects reads as well as a tool's export. Whether the offsets and labels make sense
is :mod:`zh_invest_ner.training.validate`'s business, not the readers'.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The record shapes the readers know, by the name problems and reports use.
FORMATS = ("doccano", "label-studio", "label-studio-min")
_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false",
               type(None): "null"}


@dataclass
class Record:
    """One annotated article, whatever tool wrote it.

    Entity and relation ids are whatever the tool uses (doccano: ints, Label Studio: the
    result ids, strings); downstream code only compares them with each other.
    """

    id: str
    text: str
    entities: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    where: str


@dataclass(frozen=True)
class Problem:
    """Something wrong in the training data, at ``where`` (``file:line``, or a file or folder)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def detect_container(content: str) -> str:
    """``"json"`` for a JSON array, else ``"jsonl"`` (a BOM or blank lines before ``[`` are fine)."""
    head = content.lstrip("\ufeff \t\r\n")
    return "json" if head.startswith("[") else "jsonl"


def record_format(obj: dict[str, Any]) -> str:
    """Which tool's shape an object has (one of :data:`FORMATS`)."""
    if isinstance(obj.get("data"), dict) or "annotations" in obj:
        return "label-studio"
    if any(_is_min_spans(v) for v in obj.values()):
        return "label-studio-min"
    return "doccano"


def _is_min_spans(value: Any) -> bool:
    """Whether a JSON-MIN value is a list of Label Studio spans (``{"start", "end", "labels"}``)."""
    return (isinstance(value, list) and bool(value)
            and all(isinstance(v, dict) and "labels" in v and "start" in v for v in value))


def read_file(path: str | Path) -> tuple[list[Record], list[Problem]]:
    """The records of one file in any known format, and the problems met reading them."""
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        return [], [Problem(str(path), f"cannot be read ({e})")]
    if detect_container(content) == "json":
        objects = _json_array(content, path)
    else:
        objects = _jsonl(content, path)
    records: list[Record] = []
    problems: list[Problem] = []
    for item in objects:
        if isinstance(item, Problem):
            problems.append(item)
            continue
        lineno, obj = item
        where = f"{path}:{lineno}"
        if not isinstance(obj, dict):
            problems.append(Problem(where, f"not an object but {_JSON_KINDS.get(type(obj), 'a value')}"))
            continue
        rec = _READERS[record_format(obj)](obj, where, f"{path.stem}-{lineno}", problems)
        if rec is not None:
            records.append(rec)
    if not records and not problems:
        problems.append(Problem(str(path), "no annotated articles in the file"))
    return records, problems


def _jsonl(content: str, path: Path) -> list[tuple[int, Any] | Problem]:
    """``(line, value)`` of each non-empty line, or a problem for a line that is not JSON."""
    items: list[tuple[int, Any] | Problem] = []
    for lineno, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append((lineno, json.loads(line)))
        except json.JSONDecodeError as e:
            items.append(Problem(f"{path}:{lineno}", f"not valid JSON ({e.msg} at column {e.colno})"))
    if any(isinstance(x, Problem) for x in items) and content.lstrip().startswith("{"):
        try:  # one object pretty-printed over several lines, not JSONL
            return [(1 + content[: len(content) - len(content.lstrip())].count("\n"), json.loads(content))]
        except json.JSONDecodeError:
            pass
    return items


def _json_array(content: str, path: Path) -> Iterator[tuple[int, Any] | Problem]:
    """``(line, element)`` of a JSON array, element by element, so that each knows its line.

    A syntax error ends the file (where the next element starts is then unknowable); the
    elements before it are still read.
    """
    decoder = json.JSONDecoder()
    i = content.index("[") + 1
    line, counted = 1, 0
    while True:
        i = _skip_space(content, i)
        if i < len(content) and content[i] == "]":
            return
        try:
            value, end = decoder.raw_decode(content, i)
        except json.JSONDecodeError as e:
            yield Problem(f"{path}:{e.lineno}", f"not valid JSON ({e.msg} at column {e.colno}); "
                                                "the rest of the file was not read")
            return
        line += content.count("\n", counted, i)
        counted = i
        yield line, value
        i = _skip_space(content, end)
        if i < len(content) and content[i] == ",":
            i += 1
        elif i >= len(content) or content[i] != "]":
            lineno = content.count("\n", 0, i) + 1
            col = i - content.rfind("\n", 0, i)
            yield Problem(f"{path}:{lineno}", f"not valid JSON (expecting ',' or ']' at column {col}); "
                                              "the rest of the file was not read")
            return


def _skip_space(content: str, i: int) -> int:
    while i < len(content) and content[i] in " \t\r\n":
        i += 1
    return i


# --- doccano ---------------------------------------------------------------------------


def read_doccano(obj: dict[str, Any], where: str, default_id: str, problems: list[Problem]) -> Record | None:
    """A doccano object: ``entities`` dicts with ``relations``, or the older ``label: [[s, e, L]]``."""
    text = obj.get("text", obj.get("data"))
    if not isinstance(text, str):
        problems.append(Problem(where, "no 'text' string"))
        return None
    spans = obj.get("entities", obj.get("label", obj.get("labels", [])))
    entities = []
    for e in spans if isinstance(spans, list) else [spans]:
        if isinstance(e, list) and len(e) == 3:  # [start, end, label]
            entities.append({"start_offset": e[0], "end_offset": e[1], "label": e[2]})
        elif isinstance(e, dict):
            entities.append(e)
        else:
            problems.append(Problem(where, f"entity {e!r} is neither an object nor [start, end, label]"))
    relations = obj.get("relations", [])
    if not isinstance(relations, list):
        problems.append(Problem(where, f"'relations' is not a list but {type(relations).__name__}"))
        relations = []
    kept = [r for r in relations if isinstance(r, dict)]
    if len(kept) < len(relations):
        problems.append(Problem(where, f"{len(relations) - len(kept)} relations are not objects"))
    return Record(str(obj.get("id", default_id)), text, entities, kept, where)


# --- Label Studio ------------------------------------------------------------------------


def read_label_studio(obj: dict[str, Any], where: str, default_id: str, problems: list[Problem]) -> Record | None:
    """A Label Studio task: the most recent annotation that was not cancelled.

    Predictions are a model's guesses, never gold, so they are ignored; a task with no
    usable annotation is a problem rather than an article without entities (an empty but
    submitted annotation is such an article).
    """
    text = _task_text(obj.get("data"), where, problems)
    if text is None:
        return None
    annotation = _latest_annotation(obj.get("annotations"), where, problems)
    rid = str(obj.get("id", default_id))
    if annotation is None:
        return Record(rid, text, [], [], where)
    entities, relations = [], []
    for res in annotation.get("result") or []:
        if not isinstance(res, dict):
            problems.append(Problem(where, f"annotation result {res!r} is not an object"))
        elif res.get("type") == "labels":
            entities.append(_ls_entity(res, text, where, problems))
        elif res.get("type") == "relation":
            relations.append(_ls_relation(res, where, problems))
    return Record(rid, text, entities, relations, where)


def _task_text(data: Any, where: str, problems: list[Problem]) -> str | None:
    """The text of a task's ``data``: ``text``, or its only string value (the config names the key)."""
    if not isinstance(data, dict):
        problems.append(Problem(where, "no 'data' object with the task's text"))
        return None
    if isinstance(data.get("text"), str):
        return data["text"]
    strings = [k for k, v in data.items() if isinstance(v, str)]
    if len(strings) == 1:
        return data[strings[0]]
    found = f"several string fields ({', '.join(strings)}), none called 'text'" if strings else "no string field"
    problems.append(Problem(where, f"task data has {found}"))
    return None


def _latest_annotation(annotations: Any, where: str, problems: list[Problem]) -> dict[str, Any] | None:
    """The most recently updated annotation that was not cancelled (skipped) by its annotator."""
    if not isinstance(annotations, list) or not annotations:
        problems.append(Problem(where, "task has no annotations (predictions are not used)"))
        return None
    usable = [(a.get("updated_at") or a.get("created_at") or "", i, a)
              for i, a in enumerate(annotations) if isinstance(a, dict) and not a.get("was_cancelled")]
    if not usable:
        problems.append(Problem(where, f"all {len(annotations)} annotations of the task were cancelled"))
        return None
    return max(usable, key=lambda x: (str(x[0]), x[1]))[2]


def _ls_entity(res: dict[str, Any], text: str, where: str, problems: list[Problem]) -> dict[str, Any]:
    """Our entity dict of a ``labels`` result; its span text is kept for the check."""
    value = res.get("value") if isinstance(res.get("value"), dict) else {}
    labels = value.get("labels") if isinstance(value.get("labels"), list) else []
    if len(labels) != 1:
        problems.append(Problem(where, f"span {res.get('id')!r} has {len(labels)} labels {labels}; one is expected"))
    start, end = _code_points(text, value.get("start"), value.get("end"), value.get("text"))
    entity = {"id": res.get("id"), "label": labels[0] if labels else None, "start_offset": start, "end_offset": end}
    if "text" in value:
        entity["text"] = value["text"]
    return entity


def _code_points(text: str, start: Any, end: Any, surface: Any) -> tuple[Any, Any]:
    """Offsets in characters, when the tool counted UTF-16 units (JavaScript) and the span shows it.

    Some Label Studio versions count characters beyond the BMP (rare hanzi of extension B,
    emoji) twice; only when the span text then matches are the offsets converted, so a
    genuinely wrong span is still reported by the validation.
    """
    if not (isinstance(start, int) and isinstance(end, int)) or not isinstance(surface, str):
        return start, end
    if text[start:end] == surface or all(ord(c) < 0x10000 for c in text):
        return start, end
    units = [0]  # units[i] = UTF-16 units before character i
    for c in text:
        units.append(units[-1] + (2 if ord(c) >= 0x10000 else 1))
    where = {u: i for i, u in enumerate(units)}
    s, t = where.get(start), where.get(end)
    if s is not None and t is not None and text[s:t] == surface:
        return s, t
    return start, end


def _ls_relation(res: dict[str, Any], where: str, problems: list[Problem]) -> dict[str, Any]:
    """Our relation dict of a ``relation`` result; ``direction: left`` points from ``to_id``."""
    labels = res.get("labels") or []
    a, b = res.get("from_id"), res.get("to_id")
    if res.get("direction") == "left":
        a, b = b, a
    if not labels:
        problems.append(Problem(where, f"relation {a}→{b} has no label (its type)"))
    return {"id": f"{a}>{b}", "from_id": a, "to_id": b, "type": labels[0] if labels else None}


def read_label_studio_min(obj: dict[str, Any], where: str, default_id: str,
                          problems: list[Problem]) -> Record | None:
    """A Label Studio JSON-MIN object: the data's keys and the spans flat, no relations."""
    text = obj.get("text")
    if not isinstance(text, str):
        problems.append(Problem(where, "no 'text' string"))
        return None
    entities = []
    for key, value in obj.items():
        if _is_min_spans(value):
            for i, span in enumerate(value):
                res = {"id": f"{key}-{i + 1}", "value": span}
                entities.append(_ls_entity(res, text, where, problems))
    return Record(str(obj.get("id", default_id)), text, entities, [], where)


_READERS = {"doccano": read_doccano, "label-studio": read_label_studio, "label-studio-min": read_label_studio_min}
