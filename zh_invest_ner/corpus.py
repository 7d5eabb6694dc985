"""A corpus on disk that grows: extract only what is new, link everything.

Researchers add articles in batches (a new crawl every week). :class:`Corpus` keeps the
frames of every batch as Parquet parts, runs the pipeline only on documents whose
``doc_id`` it has not stored yet, and re-links the whole corpus after each batch from the
stored frames alone (linking is cheap; the NLP is what costs)::

    corpus = Corpus("panel/")
    corpus.add("crawl-2025-05/")          # extracts, appends, links
    corpus.add("crawl-2025-06/")          # only the new doc_ids go through the pipeline
    corpus.meetings_unique                # one row per real meeting, with every source

Layout: ``parts/<table>/part-00001.parquet`` … for meetings, entities and documents (one
part per :meth:`Corpus.add`), and ``linked/<table>.parquet`` for the linked tables. Every
file is written to a temporary name and renamed into place, so an interrupted add leaves
the previous state readable. Needs pyarrow.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from zh_invest_ner.api import collect, process
from zh_invest_ner.output.linking import Linked, link

__all__ = ["Corpus"]

_PARTS = ("meetings", "entities", "documents")
_LINKED = ("meetings", "people", "companies", "meetings_unique")


def _write(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` atomically: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def _lists_back(frame: pd.DataFrame) -> pd.DataFrame:
    """Parquet gives list cells back as numpy arrays: make them lists again, as the frames hold them."""
    for column in frame.columns:
        if frame[column].dtype == object and any(hasattr(v, "tolist") and not isinstance(v, str)
                                                 for v in frame[column].head(50)):
            frame[column] = [v.tolist() if hasattr(v, "tolist") else v for v in frame[column]]
    return frame


def _read(path: Path) -> pd.DataFrame:
    return _lists_back(pd.read_parquet(path))


class Corpus:
    """Meetings, entities and documents of many batches on disk, linked across all of them."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._cache: dict[str, pd.DataFrame] = {}

    # -- reading ----------------------------------------------------------------------------
    def _parts(self, table: str) -> list[Path]:
        return sorted((self.path / "parts" / table).glob("part-*.parquet"))

    def _stored(self, table: str) -> pd.DataFrame:
        """The concatenated parts of one table (empty when nothing is stored)."""
        if table not in self._cache:
            frames = [_read(p) for p in self._parts(table)]
            self._cache[table] = (pd.concat(frames, ignore_index=True) if frames
                                  else pd.DataFrame(columns=["doc_id"]))
        return self._cache[table]

    def _linked(self, table: str) -> pd.DataFrame:
        key = f"linked/{table}"
        if key not in self._cache:
            path = self.path / "linked" / f"{table}.parquet"
            self._cache[key] = _read(path) if path.exists() else pd.DataFrame()
        return self._cache[key]

    @property
    def documents(self) -> pd.DataFrame:
        """One row per stored document, with its ``fingerprint``."""
        return self._stored("documents")

    @property
    def entities(self) -> pd.DataFrame:
        return self._stored("entities")

    @property
    def meetings(self) -> pd.DataFrame:
        """The stored meeting rows with ``official_id``, ``executive_id``, ``company_id``, ``meeting_id``."""
        return self._linked("meetings")

    @property
    def people(self) -> pd.DataFrame:
        return self._linked("people")

    @property
    def companies(self) -> pd.DataFrame:
        return self._linked("companies")

    @property
    def meetings_unique(self) -> pd.DataFrame:
        return self._linked("meetings_unique")

    def doc_ids(self) -> set[str]:
        return set(self.documents["doc_id"].astype(str).tolist())

    def __len__(self) -> int:
        return len(self.documents)

    def __repr__(self) -> str:
        return f"Corpus({str(self.path)!r}: {len(self)} documents, {len(self.meetings_unique)} meetings)"

    # -- writing ----------------------------------------------------------------------------
    def add(self, inputs: Any, nlp: Any = None, **extract_kwargs: Any) -> int:
        """Extract the documents of ``inputs`` not stored yet, store them, re-link; return how many were new.

        ``extract_kwargs`` go to the pipeline as in :func:`zh_invest_ner.extract`
        (``batch_size``, ``n_process``, ``text_column``, ``id_column``, ``html``). Each
        document's ``fingerprint`` comes with its documents row from the pipeline.
        """
        known = self.doc_ids()
        extract_kwargs.pop("keep_docs", None)
        fresh = []
        # documents rows carry their fingerprint from process(); no Doc is kept
        for r in process(inputs, nlp=nlp, skip=known, **extract_kwargs):
            if r.doc_id in known:  # the same id twice in one batch: the first one stays
                continue
            known.add(r.doc_id)
            fresh.append(r)
        if not fresh:
            return 0
        # linked once, over the whole store, by relink() below; not the batch alone first
        result = collect(fresh, keep_docs=False, link=False)
        number = len(self._parts("documents")) + 1
        # documents last: a part counts as stored once its documents are, so an add
        # interrupted before that is simply redone (the orphan parts are overwritten)
        for table in ("meetings", "entities", "documents"):
            _write(getattr(result, table), self.path / "parts" / table / f"part-{number:05d}.parquet")
        self._cache.clear()
        self.relink()
        return len(fresh)

    def relink(self) -> Linked:
        """Link the stored frames again (no NLP) and store the linked tables."""
        meetings = self._stored("meetings")
        if "official" not in meetings.columns:  # nothing stored yet
            from zh_invest_ner.output.frames import frame

            meetings = frame("meetings", [])
        entities = self._stored("entities")
        linked = link(meetings, self.documents, entities if "label" in entities.columns else None)
        for table in _LINKED:
            _write(getattr(linked, table), self.path / "linked" / f"{table}.parquet")
        self._cache = {k: v for k, v in self._cache.items() if not k.startswith("linked/")}
        return linked
