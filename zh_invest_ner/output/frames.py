"""Results as pandas DataFrames: meetings, triples and entities.

Offsets in every frame point into the text the user gave, not the normalised text.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from spacy.tokens import Doc

MEETING_COLUMNS = [
    "doc_id", "official", "official_title", "executive", "executive_title", "company", "topics",
    "participation", "sentence", "start", "end",
]
TRIPLE_COLUMNS = ["doc_id", "subject", "relation", "object", "evidence", "start", "end"]
ENTITY_COLUMNS = [
    "doc_id", "text", "label", "start", "end", "original_text", "role", "title", "affiliation",
]


def meetings_frame(docs: Iterable[Doc]) -> pd.DataFrame:
    """One row per meeting; ``topics`` holds a list of strings."""
    rows = []
    for doc in docs:
        for m in doc._.meetings or []:
            row = m.to_dict()
            row["doc_id"] = doc._.doc_id
            rows.append(row)
    frame = pd.DataFrame(rows, columns=MEETING_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64"})


def triples_frame(meetings: pd.DataFrame) -> pd.DataFrame:
    """Subject–relation–object triples: ``met_with``, ``of_company``, ``on_topic``.

    The party met is the executive, or the company where no person is named; topics
    hang on that party, so an official meeting two executives keeps their topics apart.
    """
    rows = []
    for m in meetings.itertuples(index=False):
        ev = (m.sentence, m.start, m.end)
        party = m.executive if isinstance(m.executive, str) else m.company
        if not isinstance(party, str):
            continue
        rows.append((m.doc_id, m.official, "met_with", party, *ev))
        if isinstance(m.executive, str) and isinstance(m.company, str):
            rows.append((m.doc_id, m.executive, "of_company", m.company, *ev))
        for topic in m.topics:
            rows.append((m.doc_id, party, "on_topic", topic, *ev))
    frame = pd.DataFrame(rows, columns=TRIPLE_COLUMNS).drop_duplicates(
        subset=["doc_id", "subject", "relation", "object"]
    )
    return frame.reset_index(drop=True).astype({"start": "int64", "end": "int64"})


def entities_frame(docs: Iterable[Doc]) -> pd.DataFrame:
    """One row per entity, with roles for people."""
    rows = []
    for doc in docs:
        original = doc._.source.original if doc._.source is not None else doc.text
        for e in doc.ents:
            start, end = e._.original_offsets
            rows.append((doc._.doc_id, e.text, e.label_, start, end, original[start:end],
                         e._.role, e._.title, e._.affiliation))
    return pd.DataFrame(rows, columns=ENTITY_COLUMNS).astype({"start": "int64", "end": "int64"})
