"""Writing result tables as documents finish: JSONL, CSV and Parquet, appendable, interrupt-safe.

Why this exists: a corpus of millions of articles cannot be held as DataFrames until
the end. Each writer takes the rows of one document at a time, so memory stays flat,
and what is on disk is valid at every document boundary:

* JSONL and CSV are written a line at a time and flushed after every document; a
  run killed mid-line leaves a partial last line, which ``append`` cuts off again;
* Parquet is written in row groups, and ``close()`` (run on Ctrl-C too) writes the
  footer. Appending to Parquet rewrites the old row groups into a new file first,
  since Parquet files cannot grow in place.

Lists (``topics``) are JSON text in CSV, so ``json.loads`` restores them, and lists in
JSONL and Parquet. Missing values (and NaN, infinities, pandas' NA) are ``null`` in
JSONL, empty in CSV. Columns beyond the table's own (a corpus's url, date…) follow them,
as in the DataFrames: the CSV header and the Parquet schema take them from the first rows.
"""

from __future__ import annotations

import csv
import json
import math
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "tsv",
           ".parquet": "parquet"}


class OutputError(ValueError):
    """An output path the writers cannot use (unknown suffix, unreadable file to resume)."""


def format_of(path: str | os.PathLike) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f"{path}: unknown output format {suffix or '(no suffix)'}; "
                          f"use one of {', '.join(sorted(FORMATS))}")
    return FORMATS[suffix]


def _clean(value: Any) -> Any:
    """A value as JSON can hold it: NaN, infinities and pandas' NA become null, numpy scalars Python ones."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "item") and not isinstance(value, list | tuple | dict | str | bytes):
        try:
            return _clean(value.item())
        except (ValueError, TypeError):  # an array of several values
            return value.tolist() if hasattr(value, "tolist") else value
    return value


def _cell(value: Any) -> Any:
    """A CSV cell: lists and mappings as JSON text, missing as empty."""
    value = _clean(value)
    if isinstance(value, list | tuple | dict):
        return json.dumps(value if isinstance(value, dict) else list(value), ensure_ascii=False, default=str)
    return "" if value is None else value


def _cut_partial_line(path: Path) -> None:
    """Drop an unfinished last line (a run killed mid-write), so appending continues cleanly."""
    with open(path, "rb+") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        if size == 0:
            return
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return
        step, pos = 4096, size
        while pos > 0:
            pos = max(0, pos - step)
            f.seek(pos)
            chunk = f.read(min(step, size - pos))
            at = chunk.rfind(b"\n")
            if at >= 0:
                f.truncate(pos + at + 1)
                return
        f.truncate(0)


class TableWriter:
    """Writes the rows of one table to one file (or standard output for ``-``)."""

    def __init__(self, path: str | os.PathLike, columns: list[str], *, append: bool = False,
                 fmt: str | None = None) -> None:
        self.path = str(path)
        self.columns = list(columns)
        self.format = fmt or format_of(path)
        self.rows_written = 0
        self._stream: IO[str] | None = None
        self._csv: Any = None
        self._parquet: Any = None
        self._buffer: list[dict[str, Any]] = []
        self._schema: Any = None
        self._old_parquet: Path | None = None
        self._header_due = False  # a new CSV file's header waits for the first rows' extra columns
        self._closed = False
        if self.format == "parquet":
            self._open_parquet(append)
        else:
            self._open_text(append)

    # -- text formats ---------------------------------------------------------------------
    def _open_text(self, append: bool) -> None:
        if self.path == "-":
            self._stream = sys.stdout
            new = True
        else:
            target = Path(self.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            if append and target.exists():
                _cut_partial_line(target)
            new = not (append and target.exists() and target.stat().st_size > 0)
            if not new and self.format in ("csv", "tsv"):
                with open(target, encoding="utf-8-sig", newline="") as f:
                    header = next(csv.reader(f, delimiter="\t" if self.format == "tsv" else ","), None)
                if header:
                    self.columns = header  # keep the file's own column order
            self._stream = open(target, "a" if not new else "w", encoding="utf-8", newline="")  # noqa: SIM115
        if self.format in ("csv", "tsv"):
            self._csv = csv.writer(self._stream, delimiter="\t" if self.format == "tsv" else ",")
            self._header_due = new

    def _add_columns(self, rows: list[dict[str, Any]]) -> None:
        """Extra keys of ``rows`` (a corpus's own columns) as columns after the table's own."""
        for row in rows:
            for key in row:
                if isinstance(key, str) and key not in self.columns:
                    self.columns.append(key)

    def _write_header(self) -> None:
        if self._header_due:
            self._csv.writerow(self.columns)
            self._header_due = False

    # -- parquet --------------------------------------------------------------------------
    def _open_parquet(self, append: bool) -> None:
        if self.path == "-":
            raise OutputError("Parquet cannot be written to standard output; give a file name")
        try:
            import pyarrow  # noqa: F401
        except ImportError as e:  # pragma: no cover - pyarrow comes with the dev/viz extras
            raise OutputError('Parquet output needs pyarrow: pip install "zh-invest-ner[viz]"') from e
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if append and target.exists():
            self._old_parquet = target

    def _arrow_schema(self, rows: list[dict[str, Any]]) -> Any:
        import pyarrow as pa

        fields = []
        for column in self.columns:
            values = [r.get(column) for r in rows if _clean(r.get(column)) is not None]
            sample = values[0] if values else None
            if column == "topics" or isinstance(sample, list):
                kind = pa.list_(pa.string())
            elif column in ("start", "end", "chars", "meetings") or isinstance(sample, bool | int):
                kind = pa.bool_() if isinstance(sample, bool) else pa.int64()
            elif isinstance(sample, float):
                kind = pa.float64()
            else:
                kind = pa.string()
            fields.append(pa.field(column, kind))
        return pa.schema(fields)

    def _flush_parquet(self, final: bool = False) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._buffer and not final:
            return
        if self._parquet is None:
            if self._old_parquet is not None:
                old = pq.ParquetFile(self._old_parquet)
                self._schema = old.schema_arrow
                self.columns = list(self._schema.names)
            else:
                self._add_columns(self._buffer)
                self._schema = self._arrow_schema(self._buffer)
            self._tmp = Path(f"{self.path}.part")
            self._parquet = pq.ParquetWriter(self._tmp, self._schema)
            if self._old_parquet is not None:
                for i in range(old.num_row_groups):
                    self._parquet.write_table(old.read_row_group(i))
        if self._buffer:
            rows = [{c: self._typed(c, r.get(c)) for c in self.columns} for r in self._buffer]
            self._parquet.write_table(pa.Table.from_pylist(rows, schema=self._schema))
            self._buffer = []

    def _typed(self, column: str, value: Any) -> Any:
        value = _clean(value)
        if value is None:
            return None
        kind = str(self._schema.field(column).type)
        if kind == "string" and not isinstance(value, str):
            return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)
        return value

    # -- the interface --------------------------------------------------------------------
    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        """Append the rows of one document; they are on disk (or in a row group) after this."""
        rows = list(rows)
        self.rows_written += len(rows)
        if self.format == "parquet":
            self._buffer.extend(rows)
            if len(self._buffer) >= 2000:
                self._flush_parquet()
            return
        assert self._stream is not None
        if self.format == "jsonl":
            for row in rows:
                record = {c: _clean(row.get(c)) for c in self.columns}
                record.update({k: _clean(v) for k, v in row.items() if k not in record})
                self._stream.write(json.dumps(record, ensure_ascii=False, allow_nan=False, default=str) + "\n")
        elif rows:
            if self._header_due:
                self._add_columns(rows)
                self._write_header()
            for row in rows:
                self._csv.writerow([_cell(row.get(c)) for c in self.columns])
        self._stream.flush()

    def close(self) -> None:
        """Finish the file: the Parquet footer, the text stream closed (stdout is left open).

        Closing again does nothing.
        """
        if self._closed:
            return
        self._closed = True
        if self.format == "parquet":
            self._flush_parquet(final=True)
            if self._parquet is not None:
                self._parquet.close()
                os.replace(self._tmp, self.path)
            return
        if self._csv is not None and self._header_due:  # no rows at all: the header alone
            self._write_header()
            self._stream.flush()
        if self._stream is not None and self._stream is not sys.stdout:
            self._stream.close()
        self._stream = None

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def written_doc_ids(path: str | os.PathLike) -> set[str]:
    """The ``doc_id`` values already in an output file: what ``--resume`` skips."""
    target = Path(path)
    if not target.exists() or target.stat().st_size == 0:
        return set()
    fmt = format_of(target)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            column = pq.read_table(target, columns=["doc_id"]).column("doc_id")
        except Exception as e:  # noqa: BLE001 - an unfinished file: say so, in one line
            raise OutputError(f"{target}: cannot resume from this file, it is not a complete Parquet file "
                              f"({type(e).__name__}); move it away and run again") from e
        return {str(v) for v in column.to_pylist() if v is not None}
    ids = set()
    with open(target, encoding="utf-8-sig", newline="") as f:
        if fmt == "jsonl":
            for line in f:
                if not line.endswith("\n"):
                    continue  # the partial last line of an interrupted run, which appending cuts off
                try:
                    ids.add(str(json.loads(line)["doc_id"]))
                except (json.JSONDecodeError, KeyError, TypeError):
                    continue
        else:
            found = [row.get("doc_id") for row in csv.DictReader(f, delimiter="\t" if fmt == "tsv" else ",")]
            with open(target, "rb") as raw:
                raw.seek(-1, os.SEEK_END)
                if found and raw.read(1) != b"\n":
                    found.pop()  # a partial last row: its doc_id may be cut short too
            ids = {i for i in found if i}
    return ids


def read_table(path: str | os.PathLike, columns: list[str] | None = None) -> Any:
    """A table this module wrote, as a DataFrame: JSONL, CSV/TSV (lists back from their JSON text) or Parquet."""
    import pandas as pd

    target = Path(path)
    fmt = format_of(target)
    if fmt == "parquet":
        frame = pd.read_parquet(target, columns=columns)
    elif fmt == "jsonl":
        rows = []
        with open(target, encoding="utf-8") as f:
            for line in f:
                if line.endswith("\n") and line.strip():
                    rows.append(json.loads(line))
        frame = pd.DataFrame(rows)
    else:
        frame = pd.read_csv(target, sep="\t" if fmt == "tsv" else ",", dtype=str, keep_default_na=False,
                            na_values=[""], encoding="utf-8-sig")
        for column in ("topics",):
            if column in frame:
                frame[column] = frame[column].map(lambda v: json.loads(v) if isinstance(v, str) else [])
    return frame if columns is None else frame.reindex(columns=columns)
