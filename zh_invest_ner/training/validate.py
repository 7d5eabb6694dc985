"""Checks of the training data, all at once, before a model learns from it.

Training on a broken span either crashes hours in or, worse, quietly teaches the model
the slip; raising on the first problem makes fixing an export a loop of one fix per run.
:func:`read_training_data` reads every file (any format :mod:`~zh_invest_ner.training.formats`
knows) and returns every problem; :func:`load_training_data` raises one
:class:`TrainingDataError` listing them all, which is what training calls.

These checks are about whether the data can be read as meant (offsets, labels, ids,
relations); whether it is annotated consistently is :mod:`~zh_invest_ner.training.consistency`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from zh_invest_ner.labels import LABELS
from zh_invest_ner.training.formats import Problem, Record, read_file

__all__ = ["MAX_LISTED", "Problem", "TrainingDataError", "load_training_data", "read_training_data",
           "relation_types", "training_files", "validate"]

#: Problems a :class:`TrainingDataError` lists before summing up the rest.
MAX_LISTED = 200
#: Suffixes of the files a folder's training data is read from.
SUFFIXES = (".jsonl", ".json")


class TrainingDataError(ValueError):
    """Problems in the annotated articles, each naming its file and line (``problems``)."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)

    @classmethod
    def of(cls, problems: Sequence[Problem], consequence: str | None = "training did not start") -> TrainingDataError:
        """One error for all ``problems``: a count, then one line each (the first :data:`MAX_LISTED`)."""
        n = len(problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the training data"
        lines = [str(p) for p in problems[:MAX_LISTED]]
        if n > MAX_LISTED:
            lines.append(f"… and {n - MAX_LISTED} more")
        return cls(f"{head}{'; ' + consequence if consequence else ''}:\n" + "\n".join(lines), problems)


def relation_types() -> tuple[str, ...]:
    """The relation types the data may use: those whose ends the consistency check knows."""
    from zh_invest_ner.training.consistency import RELATION_ENDS  # imported late: it imports the package

    return tuple(RELATION_ENDS)


def validate(records: Iterable[Record]) -> list[Problem]:
    """Every problem of ``records``, in their order; duplicate record ids across all of them."""
    types = relation_types()
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for rec in records:
        if rec.id in first:
            problems.append(Problem(rec.where, f"duplicate record id {rec.id!r}, first used at {first[rec.id]}"))
        else:
            first[rec.id] = rec.where
        problems.extend(Problem(rec.where, m) for m in _record_problems(rec, types))
    return problems


def _record_problems(rec: Record, types: Sequence[str]) -> list[str]:
    """What is wrong in one record's entities and relations."""
    out: list[str] = []
    spans: list[tuple[int, int, dict[str, Any]]] = []
    ids: set[Any] = set()
    for e in rec.entities:
        out.extend(_entity_problems(rec.text, e))
        s, t = e.get("start_offset"), e.get("end_offset")
        if _is_int(s) and _is_int(t) and 0 <= s < t <= len(rec.text):
            spans.append((s, t, e))
        eid = e.get("id")
        if eid is not None:
            if eid in ids:
                out.append(f"duplicate entity id {eid!r}")
            ids.add(eid)
    out.extend(_overlaps(rec.text, spans))
    for r in rec.relations:
        out.extend(_relation_problems(r, ids, types))
    return out


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _describe(text: str, e: dict[str, Any]) -> str:
    """``entity 3 'xx' (PERSON) at 5-7``: enough to find it in the tool."""
    s, t = e.get("start_offset"), e.get("end_offset")
    shown = f" {text[s:t]!r}" if _is_int(s) and _is_int(t) and 0 <= s < t <= len(text) else ""
    ident = f" {e['id']}" if e.get("id") is not None else ""
    return f"entity{ident}{shown} ({e.get('label')}) at {s}-{t}"


def _entity_problems(text: str, e: dict[str, Any]) -> list[str]:
    """Offsets that are not a span of the text, a label we do not train, span text that differs."""
    s, t, label = e.get("start_offset"), e.get("end_offset"), e.get("label")
    out = []
    if not (_is_int(s) and _is_int(t)):
        out.append(f"{_describe(text, e)}: offsets are not whole numbers")
    elif s >= t:
        out.append(f"{_describe(text, e)}: start is not before end")
    elif s < 0 or t > len(text):
        out.append(f"{_describe(text, e)}: offsets outside the text ({len(text)} characters)")
    elif not text[s:t].strip():
        out.append(f"{_describe(text, e)}: the span is only white space")
    elif isinstance(e.get("text"), str) and e["text"] != text[s:t]:
        out.append(f"{_describe(text, e)}: the span text {e['text']!r} is not the text at its offsets")
    if label not in LABELS:
        out.append(f"{_describe(text, e)}: unknown label {label!r} (known: {', '.join(LABELS)})")
    return out


def _overlaps(text: str, spans: list[tuple[int, int, dict[str, Any]]]) -> list[str]:
    """Spans that share characters, as pairs (the NER gives each character one entity)."""
    out = []
    widest: tuple[int, int, dict[str, Any]] | None = None  # the span reaching furthest so far
    for span in sorted(spans, key=lambda x: (x[0], -x[1])):
        if widest is not None and span[0] < widest[1]:
            out.append(f"{_describe(text, widest[2])} overlaps {_describe(text, span[2])}")
        if widest is None or span[1] > widest[1]:
            widest = span
    return out


def _relation_problems(r: dict[str, Any], ids: set[Any], types: Sequence[str]) -> list[str]:
    """A relation of a type we do not know, or one whose ends are not entities of the record."""
    out = []
    name = f"relation {r['id']}" if r.get("id") is not None else "relation"
    if r.get("type") not in types:
        out.append(f"{name}: unknown relation type {r.get('type')!r} (known: {', '.join(types)})")
    for end in ("from_id", "to_id"):
        if r.get(end) not in ids:
            out.append(f"{name}: {end} {r.get(end)!r} is not the id of an entity of the record")
    return out


def training_files(path: str | Path) -> tuple[list[Path], list[Problem]]:
    """The files of ``path``: itself, or a folder's ``*.jsonl`` and ``*.json`` in name order."""
    path = Path(path)
    if path.is_dir():
        files = sorted((p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file()), key=lambda p: p.name)
        if not files:
            return [], [Problem(str(path), "no *.jsonl or *.json files with annotated articles")]
        return files, []
    if not path.exists():
        return [], [Problem(str(path), "no such file or folder")]
    return [path], []


def read_training_data(path_or_paths: str | Path | Iterable[str | Path]) -> tuple[list[Record], list[Problem]]:
    """All records of the files and folders given, and every problem in them, file by file.

    Nothing stops at a problem: a record the readers could read is returned even when it
    has problems, so the caller decides (training refuses any, see :func:`load_training_data`).
    """
    paths = [path_or_paths] if isinstance(path_or_paths, str | Path) else list(path_or_paths)
    if not paths:
        return [], [Problem("(no path)", "no training data given")]
    records: list[Record] = []
    problems: list[Problem] = []
    order: dict[str, int] = {}  # files and folders in reading order, to list problems in that order
    for path in paths:
        files, missing = training_files(path)
        problems.extend(missing)
        order.setdefault(str(path), len(order))
        for f in files:
            order.setdefault(str(f), len(order))
            recs, read_problems = read_file(f)
            records.extend(recs)
            problems.extend(read_problems)
    problems.extend(validate(records))
    return records, sorted(problems, key=lambda p: _position(p, order))


def _position(p: Problem, order: dict[str, int]) -> tuple[int, int]:
    """Sort key of a problem: its file in the reading order, then its line."""
    file, _, line = p.where.rpartition(":")
    if not line.isdigit():
        return order.get(p.where, -1), 0
    return order.get(file, -1), int(line)


def load_training_data(path_or_paths: str | Path | Iterable[str | Path],
                       consequence: str | None = "training did not start") -> list[Record]:
    """The records, or a :class:`TrainingDataError` listing every problem (``consequence`` says what stops)."""
    records, problems = read_training_data(path_or_paths)
    if problems:
        raise TrainingDataError.of(problems, consequence)
    return records
