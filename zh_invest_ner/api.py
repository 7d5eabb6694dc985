"""``extract()``: articles in, DataFrames out.

Accepts what users have at hand: file paths, folders, raw bytes in any of the usual
Chinese encodings, or text. A document that cannot be read or processed is reported
in ``result.errors`` and never stops the batch.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from .decoding import DecodingError, decode_bytes, read_text_file
from .export import entities_frame, meetings_frame, triples_frame
from .pipeline import default_pipeline

Source = str | bytes | os.PathLike


@dataclass
class ExtractionResult:
    """What :func:`extract` found: three DataFrames, the documents and any errors."""

    meetings: pd.DataFrame
    triples: pd.DataFrame
    entities: pd.DataFrame
    documents: pd.DataFrame
    errors: pd.DataFrame
    docs: list[Doc] = field(default_factory=list, repr=False)

    def __len__(self) -> int:
        return len(self.meetings)

    def __repr__(self) -> str:
        return (f"ExtractionResult({len(self.documents)} documents, {len(self.meetings)} meetings, "
                f"{len(self.entities)} entities, {len(self.errors)} errors)")

    # -- display and export (for notebooks and hand-off to other tools) ------------------
    # Frames written by to_csv / to_parquet / to_excel: the three users analyse.
    _EXPORTED = ("meetings", "triples", "entities")
    _TABLES = ("meetings", "triples", "entities", "documents", "errors")
    # Rows shown by _repr_html_: enough to see what came out, small enough for a notebook.
    _HTML_ROWS = 20

    @staticmethod
    def _display_value(value: Any) -> Any:
        """A cell as a reader wants it: lists joined with 、, newlines visible, no NaN."""
        if isinstance(value, list | tuple) or type(value).__name__ == "ndarray":
            return "、".join(str(v) for v in value)
        if isinstance(value, str):
            return value.replace("\r\n", "↵").replace("\n", "↵")
        if value is None or (isinstance(value, float) and value != value):  # None / NaN
            return ""
        return value

    def readable(self, table: str = "meetings", offsets: bool = False) -> pd.DataFrame:
        """A copy of one frame made for reading: lists as text, offsets hidden unless asked.

        The frames themselves keep ``topics`` as lists and ``start``/``end`` offsets because
        code needs them; people reading a table in a notebook do not. ``table`` is one of
        ``meetings``, ``triples``, ``entities``, ``documents`` or ``errors``.
        """
        if table not in self._TABLES:
            raise ValueError(f"table must be one of {', '.join(self._TABLES)}, not {table!r}")
        frame = getattr(self, table).copy()
        if not offsets:
            frame = frame.drop(columns=[c for c in ("start", "end") if c in frame.columns])
        for column in frame.columns:
            if not pd.api.types.is_numeric_dtype(frame[column]):
                frame[column] = frame[column].map(self._display_value).astype(object)
        return frame

    def _repr_html_(self) -> str:
        """Jupyter's view of a result: the counts, then the meetings as a readable table."""
        import html

        counts = [(len(self.documents), "documents"), (len(self.meetings), "meetings"),
                  (len(self.triples), "triples"), (len(self.entities), "entities"),
                  (len(self.errors), "errors")]
        parts = ['<div class="zh-invest-ner-result">',
                 "<p><b>ExtractionResult</b>: " + " · ".join(f"{n} {what}" for n, what in counts) + "</p>"]
        if len(self.meetings):
            table = self.readable("meetings").drop(columns=["sentence"], errors="ignore")
            parts.append(table.head(self._HTML_ROWS).to_html(index=False, escape=True, border=0))
            if len(table) > self._HTML_ROWS:
                parts.append(f"<p>… {len(table) - self._HTML_ROWS} more meetings: "
                             "see <code>result.meetings</code> or <code>result.readable()</code></p>")
        else:
            parts.append("<p>No meetings found.</p>")
        if len(self.errors):
            parts.append("<p><b>Errors</b> (documents skipped):</p>")
            parts.append(self.errors.to_html(index=False, escape=True, border=0))
        parts.append(f"<!-- {html.escape(repr(self))} --></div>")
        return "\n".join(parts)

    def _as_text(self, name: str) -> pd.DataFrame:
        """A frame with list cells as JSON text: what CSV and Excel can hold and parse back."""
        import json

        frame = getattr(self, name).copy()
        for column in frame.columns:
            if frame[column].map(lambda v: isinstance(v, list | tuple)).any():
                frame[column] = frame[column].map(
                    lambda v: json.dumps(list(v), ensure_ascii=False) if isinstance(v, list | tuple) else v
                )
        return frame

    def to_csv(self, folder: str | os.PathLike) -> dict[str, Path]:
        """Write meetings.csv, triples.csv and entities.csv into ``folder``; return their paths.

        Lists (``topics``) become JSON text, so ``json.loads`` restores them exactly. The
        files are UTF-8 with a byte-order mark: Excel then opens Chinese text correctly,
        and pandas' ``read_csv`` skips the mark.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = {}
        for name in self._EXPORTED:
            path = folder / f"{name}.csv"
            self._as_text(name).to_csv(path, index=False, encoding="utf-8-sig")
            written[name] = path
        return written

    def to_parquet(self, folder: str | os.PathLike) -> dict[str, Path]:
        """Write meetings.parquet, triples.parquet and entities.parquet; lists stay lists.

        Parquet keeps types (``topics`` as a list column, offsets as integers), which makes
        it the format to hand results to another pandas, Polars or DuckDB session.
        Needs pyarrow (the ``viz``/``dev`` extras).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = {}
        for name in self._EXPORTED:
            path = folder / f"{name}.parquet"
            try:
                getattr(self, name).to_parquet(path, index=False)
            except ImportError as e:
                raise ImportError('Parquet export needs pyarrow: pip install "zh-invest-ner[viz]"') from e
            written[name] = path
        return written

    def to_excel(self, path: str | os.PathLike) -> Path:
        """Write one workbook with a sheet per frame (meetings, triples, entities).

        Lists become JSON text as in :meth:`to_csv`. Control characters that Excel refuses
        (they can survive in ``original_text``) are dropped rather than failing the export.
        Needs openpyxl (the ``viz``/``dev`` extras).
        """
        try:
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        except ImportError as e:
            raise ImportError('Excel export needs openpyxl: pip install "zh-invest-ner[viz]"') from e
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name in self._EXPORTED:
                frame = self._as_text(name)
                for column in frame.columns:
                    if not pd.api.types.is_numeric_dtype(frame[column]):
                        frame[column] = frame[column].map(
                            lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                        )
                frame.to_excel(writer, sheet_name=name, index=False)
        return path


def _looks_like_path(s: str) -> bool:
    return len(s) < 1024 and "\n" not in s and os.path.exists(s)


def _expand(items: Iterable[Any]) -> Iterable[tuple[str, Any]]:
    """(doc_id, source) pairs; folders become their ``*.txt`` files."""
    for i, item in enumerate(items):
        if isinstance(item, tuple) and len(item) == 2:
            yield str(item[0]), item[1]
        elif isinstance(item, os.PathLike) or (isinstance(item, str) and _looks_like_path(item)):
            p = Path(item)
            if p.is_dir():
                for f in sorted(p.glob("*.txt")):
                    yield str(f), f
            else:
                yield str(item), p
        else:
            yield f"doc-{i}", item


def _read(doc_id: str, source: Any) -> tuple[str, str | None]:
    """Text and encoding (``None`` for text given as ``str``)."""
    if isinstance(source, Path):
        decoded = read_text_file(source)
        return decoded.text, decoded.encoding
    if isinstance(source, bytes | bytearray):
        decoded = decode_bytes(bytes(source), source=doc_id)
        return decoded.text, decoded.encoding
    if isinstance(source, str):
        return source, None
    raise TypeError(f"expected text, bytes or a path, got {type(source).__name__}")


def extract(
    texts_or_paths: Source | Iterable[Source] | Mapping[str, Source],
    *,
    nlp: Language | None = None,
    batch_size: int = 32,
    keep_docs: bool = True,
) -> ExtractionResult:
    """Run the pipeline over articles and collect meetings, triples and entities.

    ``texts_or_paths`` may be one item or many: a path (file or folder of ``*.txt``),
    bytes, text, ``(doc_id, text)`` pairs, or a mapping of doc_id to any of these.
    """
    if isinstance(texts_or_paths, str | bytes | os.PathLike):
        items: Iterable[Any] = [texts_or_paths]
    elif isinstance(texts_or_paths, Mapping):
        items = list(texts_or_paths.items())
    else:
        items = texts_or_paths
    nlp = nlp or default_pipeline()
    errors: list[tuple[str, str]] = []
    inputs: list[tuple[str, dict[str, Any]]] = []
    for doc_id, source in _expand(items):
        try:
            text, encoding = _read(doc_id, source)
        except (OSError, DecodingError, TypeError) as e:
            errors.append((doc_id, str(e)))
            continue
        inputs.append((text, {"doc_id": doc_id, "encoding": encoding}))
    docs = _run(nlp, inputs, batch_size, errors)
    for doc_id, message in errors:
        warnings.warn(f"{doc_id}: {message}", stacklevel=2)
    meetings = meetings_frame(docs)
    documents = pd.DataFrame(
        [(d._.doc_id, d._.encoding, len(d._.source.original if d._.source else d.text),
          len(d._.meetings or [])) for d in docs],
        columns=["doc_id", "encoding", "chars", "meetings"],
    )
    return ExtractionResult(
        meetings=meetings,
        triples=triples_frame(meetings),
        entities=entities_frame(docs),
        documents=documents,
        errors=pd.DataFrame(errors, columns=["doc_id", "error"]),
        docs=docs if keep_docs else [],
    )


def _run(nlp: Language, inputs: list[tuple[str, dict]], batch_size: int, errors: list) -> list[Doc]:
    """``nlp.pipe`` over the batch; on a failure, redo it one by one so only bad docs drop."""
    def tag(doc: Doc, ctx: dict) -> Doc:
        doc._.doc_id = ctx["doc_id"]
        doc._.encoding = ctx["encoding"]
        return doc

    try:
        return [tag(d, c) for d, c in nlp.pipe(inputs, as_tuples=True, batch_size=batch_size)]
    except Exception:  # noqa: BLE001 - isolate the failing document below
        pass
    docs = []
    for text, ctx in inputs:
        try:
            docs.append(tag(nlp(text), ctx))
        except Exception as e:  # noqa: BLE001 - reported, never silently lost
            errors.append((ctx["doc_id"], f"pipeline failed: {type(e).__name__}: {e}"))
    return docs
