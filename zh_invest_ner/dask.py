"""Scaling out on Dask: a dask DataFrame of articles in, dask DataFrames of results out.

Why Dask: a corpus of millions of scraped pages is already a partitioned table (a folder
of Parquet or JSONL files), and Dask runs a pandas function per partition on every core
of a machine or of a cluster (``dask scheduler`` + ``dask worker``, dask-jobqueue on a
batch system, dask-kubernetes), with its own scheduling, retries and spilling. So this
module is small: each partition goes through :func:`zh_invest_ner.api.process`, exactly
as in a local run, and the pipeline is loaded once per worker process, not per partition.

    import dask.dataframe as dd
    from zh_invest_ner.dask import extract_dask

    articles = dd.read_parquet("corpus/*.parquet")            # columns: id, text, url, ...
    tables = extract_dask(articles, text_column="text", id_column="id")
    tables.meetings.to_parquet("out/meetings/")              # or dask.compute(*tables)

Needs the ``dask`` extra: ``pip install "zh-invest-ner[dask]"``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

import pandas as pd

from zh_invest_ner.api import collect, process
from zh_invest_ner.output.frames import COLUMNS, frame
from zh_invest_ner.text.sources import ID_COLUMNS, TEXT_COLUMNS

_TABLES = ("meetings", "triples", "entities")
_PAYLOAD = {table: f"_{table}" for table in _TABLES}


class DaskTables(NamedTuple):
    """The four result tables as dask DataFrames (compute them together: one pass over the corpus)."""

    meetings: Any
    triples: Any
    entities: Any
    documents: Any


@lru_cache(maxsize=2)
def _pipeline(model: str | None):
    """The pipeline of this worker process, loaded on its first partition."""
    from zh_invest_ner.pipeline import load

    return load(model)


def process_partition(part: pd.DataFrame, *, text_column: str, id_column: str | None, model: str | None,
                      batch_size: int) -> pd.DataFrame:
    """One partition of articles → one row per document, carrying its result rows as payload."""
    documents = frame("documents", [])
    if len(part):
        results = list(process(part, nlp=_pipeline(model), text_column=text_column, id_column=id_column,
                               batch_size=batch_size))
        documents = collect(results, keep_docs=False).documents
        for table, column in _PAYLOAD.items():
            documents[column] = [getattr(r, table) for r in results]
    else:
        for column in _PAYLOAD.values():
            documents[column] = pd.Series(dtype=object)
    return documents


def _table(processed: pd.DataFrame, table: str) -> pd.DataFrame:
    if table == "documents":
        return processed.drop(columns=list(_PAYLOAD.values()))
    return frame(table, [row for rows in processed[_PAYLOAD[table]] for row in rows])


def _columns(articles: Any, text_column: str | None, id_column: str | None) -> tuple[str, str | None, list[str]]:
    columns = [str(c) for c in articles.columns]
    text_column = text_column or next((c for c in TEXT_COLUMNS if c in columns), None)
    if text_column not in columns:
        raise ValueError(f"no text column {text_column!r} among {columns}; name it with text_column=")
    if id_column is None:
        id_column = next((c for c in ID_COLUMNS if c in columns), None)
    elif id_column not in columns:
        raise ValueError(f"no id column {id_column!r} among {columns}")
    return text_column, id_column, [c for c in columns if c not in (text_column, id_column)]


def extract_dask(articles: Any, *, text_column: str | None = None, id_column: str | None = None,
                 model: str | None = None, batch_size: int = 32) -> DaskTables:
    """Meetings, triples, entities and documents of a dask DataFrame of articles.

    ``text_column``/``id_column`` as in :func:`zh_invest_ner.extract` (defaults: ``text`` or
    ``content``; ``id``, else the index). ``model`` is a pipeline path every worker can
    read (default: the one shipped in the package installed on the workers).
    """
    text_column, id_column, meta_columns = _columns(articles, text_column, id_column)
    processed_meta = frame("documents", []).reindex(columns=[*COLUMNS["documents"], *meta_columns])
    processed_meta = processed_meta.astype({c: object for c in meta_columns})
    for column in _PAYLOAD.values():
        processed_meta[column] = pd.Series(dtype=object)
    processed = articles.map_partitions(process_partition, text_column=text_column, id_column=id_column,
                                        model=model, batch_size=batch_size, meta=processed_meta)
    tables = {}
    for table in (*_TABLES, "documents"):
        meta = _table(processed_meta, table)
        tables[table] = processed.map_partitions(_table, table, meta=meta)
    return DaskTables(**tables)
