"""Results as rows and pandas DataFrames: meetings, triples, entities and documents.

Rows are built per document (plain dicts), so a corpus can be written out as each
document finishes; the frames are the same rows collected. Offsets in every table point
into the text the user gave, not the normalised text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc

from zh_invest_ner.labels import LABELS, PERSON_ROLES, Participation

if TYPE_CHECKING:  # pandas is imported where a frame is built: `import zh_invest_ner` stays light
    import pandas as pd

MEETING_COLUMNS = [
    "doc_id", "official", "official_title", "executive", "executive_title", "company", "topics",
    "participation", "date", "date_end", "date_text", "place", "meeting_type", "official_org", "official_region",
    "confidence", "sentence", "start", "end",
]
TRIPLE_COLUMNS = ["doc_id", "subject", "relation", "object", "evidence", "start", "end"]
ENTITY_COLUMNS = [
    "doc_id", "text", "label", "start", "end", "original_text", "role", "title", "affiliation",
]
#: The documents table: one row per input, whatever happened to it; corpus columns follow.
DOCUMENT_COLUMNS = ["doc_id", "source", "status", "message", "encoding", "chars", "meetings", "fingerprint"]
COLUMNS = {"meetings": MEETING_COLUMNS, "triples": TRIPLE_COLUMNS, "entities": ENTITY_COLUMNS,
           "documents": DOCUMENT_COLUMNS}

#: Fixed categories, so that frames from different runs, partitions or workers concatenate
#: and compare equal.
CATEGORIES = {
    "participation": tuple(p.value for p in Participation),
    "relation": ("met_with", "of_company", "on_topic"),
    "label": LABELS,
    "role": PERSON_ROLES,
    "status": ("ok", "warning", "error"),
    "meeting_type": ("会见", "拜访", "座谈", "考察/调研", "签约", "洽谈"),
}
_INTEGERS = ("start", "end", "chars", "meetings")
_FLOATS = ("confidence",)
_DATES = ("date", "date_end")
_LISTS = ("topics",)


def column_dtype(column: str) -> Any:
    """The pandas dtype of a result column: the same under every pandas ≥ 2.0.

    ``string`` for text, ``Int64`` for offsets and counts, a fixed ``category`` for labels,
    roles, relations and statuses; missing values are ``<NA>`` in all of them. ``topics``
    stays a column of Python lists.
    """
    import pandas as pd

    if column in CATEGORIES:
        # object categories: pandas 3 would otherwise make them its NaN-based ``str``
        return pd.CategoricalDtype(pd.Index(list(CATEGORIES[column]), dtype=object))
    if column in _INTEGERS:
        return "Int64"
    if column in _FLOATS:
        return "Float64"
    if column in _DATES:
        return "datetime64[ns]"  # ISO text in rows and files; dates in frames, to filter by range
    if column in _LISTS:
        return object
    # the storage named: a bare "string" is Python-backed on pandas 2 and Arrow-backed on 3
    return pd.StringDtype("python")


def meeting_rows(doc: Doc) -> list[dict[str, Any]]:
    """One row per meeting of ``doc``; ``topics`` is a list of strings."""
    rows = []
    for record in doc._.meeting_records or []:
        row = {column: record.get(column) for column in MEETING_COLUMNS}
        row["doc_id"] = doc._.doc_id
        row["topics"] = list(record.get("topics") or [])
        rows.append(row)
    return rows


def triple_rows(meetings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Subject–relation–object triples: ``met_with``, ``of_company``, ``on_topic``.

    The party met is the executive, or the company where no person is named; topics
    hang on that party, so an official meeting two executives keeps their topics apart.
    A triple stated by several meetings is kept once, with its first evidence.
    """
    rows, seen = [], set()

    def add(doc_id: str, subject: str, relation: str, obj: str, m: dict[str, Any]) -> None:
        key = (doc_id, subject, relation, obj)
        if key not in seen:
            seen.add(key)
            rows.append({"doc_id": doc_id, "subject": subject, "relation": relation, "object": obj,
                         "evidence": m["sentence"], "start": m["start"], "end": m["end"]})

    for m in meetings:
        executive = m["executive"] if isinstance(m["executive"], str) else None
        company = m["company"] if isinstance(m["company"], str) else None
        party = executive or company
        if party is None:
            continue
        add(m["doc_id"], m["official"], "met_with", party, m)
        if executive and company:
            add(m["doc_id"], executive, "of_company", company, m)
        for topic in m["topics"]:
            add(m["doc_id"], party, "on_topic", topic, m)
    return rows


def entity_rows(doc: Doc) -> list[dict[str, Any]]:
    """One row per entity of ``doc``, with roles for people."""
    source = doc._.source
    original = source.original if source is not None else doc.text
    rows = []
    for e in doc.ents:
        start, end = source.to_original(e.start_char, e.end_char) if source is not None else (e.start_char, e.end_char)
        rows.append({"doc_id": doc._.doc_id, "text": e.text, "label": e.label_, "start": start, "end": end,
                     "original_text": original[start:end], "role": e._.role, "title": e._.title,
                     "affiliation": e._.affiliation})
    return rows


def frame(table: str, rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The rows of one table as a DataFrame with its columns in order (extra ones after)."""
    import pandas as pd

    columns = COLUMNS[table]
    rows = list(rows)
    extra = list(dict.fromkeys(k for row in rows for k in row if k not in columns))
    result = pd.DataFrame(rows, columns=[*columns, *extra])
    dtypes = {c: column_dtype(c) for c in columns}
    dtypes.update({c: extra_dtype(result[c]) for c in extra})
    return result.astype(dtypes)


def extra_dtype(values: pd.Series) -> Any:
    """The dtype of a column the corpus brought (url, date, views…), by what it holds.

    The nullable extension types as for our own columns, so that a corpus column has the
    same type under pandas 2 and 3; mixed or other values (lists) stay ``object``.
    """
    import pandas as pd

    kinds = {type(v) for v in values if v is not None and v is not pd.NA and not (isinstance(v, float) and v != v)}
    if kinds == {str}:
        return pd.StringDtype("python")
    if kinds == {bool}:
        return "boolean"
    if kinds and kinds <= {int}:
        return "Int64"
    if kinds and kinds <= {int, float}:
        return "Float64"
    return object


def meetings_frame(docs: Iterable[Doc]) -> pd.DataFrame:
    """One row per meeting; ``topics`` holds a list of strings."""
    return frame("meetings", (row for doc in docs for row in meeting_rows(doc)))


def triples_frame(meetings: pd.DataFrame) -> pd.DataFrame:
    """The triples of a meetings frame (see :func:`triple_rows`)."""
    return frame("triples", triple_rows(meetings.to_dict(orient="records")))


def entities_frame(docs: Iterable[Doc]) -> pd.DataFrame:
    """One row per entity, with roles for people."""
    return frame("entities", (row for doc in docs for row in entity_rows(doc)))
