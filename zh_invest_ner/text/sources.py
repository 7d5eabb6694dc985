"""Where documents come from: files, folders, globs, standard input, corpus files, frames.

Why this exists: users hold their news as one JSONL, CSV or Parquet file of scraped
pages, as folders of ``.txt``/``.html`` files, or as a pandas frame, and each row or
file is one article. Everything is read lazily, one document at a time, so a corpus of
millions of rows streams through in flat memory. Each input gives exactly one
:class:`InputDoc`; one that cannot be read carries an ``error`` instead of text, so
nothing is lost silently and nothing stops the batch.

Corpus rows keep their other columns (url, date, site…) in ``meta``; they travel with
the document into the documents frame.
"""

from __future__ import annotations

import codecs
import csv
import glob
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zh_invest_ner.text.decoding import DecodingError, decode_bytes
from zh_invest_ner.text.html import extract_html, looks_like_html
from zh_invest_ner.text.normalizer import NormalizedText

#: Files a folder contributes, one article each.
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md")
#: Files read as corpora, one article per row.
CORPUS_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv", ".parquet")
#: Column names tried, in order, when the user names none.
TEXT_COLUMNS = ("text", "content", "body", "article")
ID_COLUMNS = ("id", "doc_id", "uuid")


@dataclass
class InputDoc:
    """One document as read: its id, where it came from, and its text or why there is none."""

    doc_id: str
    source: str
    text: str | None = None
    encoding: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    #: read, but with something to tell (bytes replaced by U+FFFD, a Japanese encoding…)
    warning: str | None = None
    #: for an HTML page: the article text, with the map back into the page (``text``)
    markup: NormalizedText | None = None

    @property
    def article(self) -> str | None:
        """The text the pipeline reads: the article of an HTML page, else the text as given."""
        return self.markup.text if self.markup is not None else self.text


class SourceError(ValueError):
    """A problem with how the corpus is given (a column that does not exist), not with one row."""


def _missing(value: Any) -> bool:
    """None, NaN (of any float type), pandas' NA and NaT."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):  # arrays and other values without a plain truth value
        return False


def _is_blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return _missing(value)


def _plain(value: Any) -> Any:
    """A meta value as plain JSON-able data.

    Numpy scalars become Python ones, timestamps ISO text, lists, arrays and mappings
    JSON text, and every kind of missing value ``None``.
    """
    if isinstance(value, str | bool | int):
        return value
    if _missing(value):
        return None
    if isinstance(value, float):
        return value
    if getattr(value, "ndim", 0) and hasattr(value, "tolist"):  # numpy / arrow arrays
        value = value.tolist()
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return _plain(value.item())
    return str(value)


class _Rows:
    """Turns corpus rows (dicts) into InputDocs, with the text and id columns chosen once."""

    def __init__(self, source: str, text_column: str | None, id_column: str | None) -> None:
        self.source = source
        self.text_column = text_column
        self.id_column = id_column
        self._chosen = False

    def _choose(self, columns: Iterable[str]) -> None:
        columns = list(columns)
        if self.text_column is None:
            self.text_column = next((c for c in TEXT_COLUMNS if c in columns), None)
            if self.text_column is None:
                raise SourceError(f"{self.source}: no text column among {columns}; name it with --text-column")
        elif self.text_column not in columns:
            raise SourceError(f"{self.source}: no column {self.text_column!r} (columns: {', '.join(columns)})")
        if self.id_column is None:
            self.id_column = next((c for c in ID_COLUMNS if c in columns), None)
        elif self.id_column not in columns:
            raise SourceError(f"{self.source}: no column {self.id_column!r} (columns: {', '.join(columns)})")
        self._chosen = True

    def doc(self, row: Mapping[str, Any], where: str, default_id: str) -> InputDoc:
        if not self._chosen:
            self._choose(row.keys())
        raw_id = row.get(self.id_column) if self.id_column else None
        doc_id = default_id if _is_blank(raw_id) else str(_plain(raw_id))
        meta = {k: _plain(v) for k, v in row.items() if k not in (self.text_column, self.id_column)}
        text = row.get(self.text_column)
        if isinstance(text, bytes):
            try:
                decoded = decode_bytes(text, source=where)
            except DecodingError as e:
                return InputDoc(doc_id, where, meta=meta, error=str(e))
            return InputDoc(doc_id, where, decoded.text, decoded.encoding, meta, warning=decoded.warning)
        if _is_blank(text):
            return InputDoc(doc_id, where, meta=meta, error=f"{where}: no text in column {self.text_column!r}")
        return InputDoc(doc_id, where, str(text), None, meta)


def _jsonl(path: Path, stream: io.BufferedIOBase, rows: _Rows) -> Iterator[InputDoc]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            yield InputDoc(where, where, error=f"{where}: not a JSON line ({e})")
            continue
        if not isinstance(record, dict):
            yield InputDoc(where, where, error=f"{where}: a JSON line must be an object, not {type(record).__name__}")
            continue
        yield rows.doc(record, where, where)


def _csv(path: Path, rows: _Rows) -> Iterator[InputDoc]:
    csv.field_size_limit(sys.maxsize)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with open(path, encoding="utf-8-sig", newline="", errors="replace") as f:
        reader = csv.DictReader(f, delimiter=delimiter)
        if reader.fieldnames is None:  # an empty file
            return
        while True:
            line = reader.line_num + 1  # where the record starts: quoted newlines span lines
            record = next(reader, None)
            if record is None:
                return
            where = f"{path}:{line}"
            yield rows.doc(record, where, where)


def _parquet(path: Path, rows: _Rows) -> Iterator[InputDoc]:
    try:
        import pyarrow.parquet as pq
    except ImportError as e:  # pragma: no cover - pyarrow comes with the dev/viz extras
        raise SourceError(f'{path}: reading Parquet needs pyarrow: pip install "zh-invest-ner[viz]"') from e
    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=512):
        for record in batch.to_pylist():
            number += 1
            where = f"{path}#{number}"
            yield rows.doc(record, where, where)


def read_corpus(path: Path, *, text_column: str | None = None, id_column: str | None = None) -> Iterator[InputDoc]:
    """The rows of a JSONL, CSV/TSV or Parquet corpus, one document each, read lazily."""
    rows = _Rows(str(path), text_column, id_column)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        with open(path, "rb") as f:
            yield from _jsonl(path, f, rows)
    elif suffix in (".csv", ".tsv"):
        yield from _csv(path, rows)
    else:
        yield from _parquet(path, rows)


def read_article(path: Path, doc_id: str | None = None) -> InputDoc:
    """One file, one article, in whatever encoding it came."""
    doc_id = doc_id or str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        return InputDoc(doc_id, str(path), error=f"{path}: cannot read: {e.strerror or e}")
    try:
        decoded = decode_bytes(data, source=str(path))
    except DecodingError as e:
        return InputDoc(doc_id, str(path), error=str(e))
    return InputDoc(doc_id, str(path), decoded.text, decoded.encoding, warning=decoded.warning)


def _has_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def looks_like_path(text: str) -> bool:
    """Whether a string names a file rather than being an article's text.

    An article has sentence punctuation or line breaks; a path is one short line with a
    separator, a known suffix, a glob or ``~``.
    """
    if text == "-":  # standard input
        return True
    if not text or len(text) > 1024 or "\n" in text or "\x00" in text:
        return False
    if os.path.exists(os.path.expanduser(text)):
        return True
    if any(p in text for p in "。，；！？"):
        return False
    lower = text.lower()
    return ("/" in text or "\\" in text or text.startswith("~") or _has_glob(text)
            or lower.endswith(ARTICLE_SUFFIXES + CORPUS_SUFFIXES))


def read_path(given: str | os.PathLike, *, text_column: str | None = None,
              id_column: str | None = None) -> Iterator[InputDoc]:
    """A file, folder (recursive), glob or ``-`` (standard input), as documents.

    A folder or pattern that cannot be listed (no permission, a name the system refuses)
    ends in an error row for it, after the documents read before the failure.
    """
    name = os.fspath(given)
    try:
        yield from _read_path(name, text_column, id_column)
    except (OSError, ValueError) as e:
        if isinstance(e, SourceError):
            raise
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        where = f" ({e.filename})" if isinstance(e, OSError) and e.filename else ""
        yield InputDoc(name, name, error=f"{name}: cannot read: {reason}{where}")


def _read_path(name: str, text_column: str | None, id_column: str | None) -> Iterator[InputDoc]:
    if name == "-":
        yield from read_stdin(text_column=text_column, id_column=id_column)
        return
    expanded = os.path.expanduser(name)
    path = Path(expanded)
    if path.is_dir():
        files = _folder_files(path)
        if not files:
            yield InputDoc(name, name, error=f"{name}: folder has no {'/'.join(ARTICLE_SUFFIXES)} files")
        for f in files:
            yield read_article(f)
    elif path.exists():  # a file, or a pipe such as bash's <(...)
        yield from _read_file(path, name, text_column, id_column)
    elif _has_glob(expanded):
        # a folder matched is read as a folder; a file matched twice (``**``) is read once
        seen: set[str] = set()
        for match in sorted(glob.glob(expanded, recursive=True)):
            found = Path(match)
            for f, given in ([(p, str(p)) for p in _folder_files(found)] if found.is_dir() else [(found, match)]):
                key = os.path.realpath(f)
                if key not in seen:
                    seen.add(key)
                    yield from _read_file(f, given, text_column, id_column)
        if not seen:
            yield InputDoc(name, name, error=f"{name}: no file matches this pattern")
    else:
        yield InputDoc(name, name, error=f"{name}: no such file or folder")


def _folder_files(path: Path) -> list[Path]:
    """The article files of a folder and its subfolders, in name order.

    A subfolder that cannot be listed raises (its documents would otherwise be lost
    without a word); symbolic links to folders are not followed, so a link loop cannot
    make the walk endless.
    """
    def fail(error: OSError) -> None:
        raise error

    files = []
    for folder, _dirs, names in os.walk(path, onerror=fail):
        files.extend(Path(folder, n) for n in names if n.lower().endswith(ARTICLE_SUFFIXES))
    return sorted(f for f in files if f.is_file())


def _read_file(path: Path, name: str, text_column: str | None, id_column: str | None) -> Iterator[InputDoc]:
    """A corpus file's rows, or one article named ``name`` as the user gave it."""
    if path.suffix.lower() in CORPUS_SUFFIXES:
        yield from read_corpus(path, text_column=text_column, id_column=id_column)
    else:
        yield read_article(path, name)


def read_stdin(*, text_column: str | None = None, id_column: str | None = None) -> Iterator[InputDoc]:
    """Standard input: JSON lines (one article per object) if it starts with ``{``, else one article."""
    stream = sys.stdin.buffer
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    if head.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"{"):
        yield from _jsonl(Path("<stdin>"), stream, _Rows("<stdin>", text_column, id_column))
        return
    data = stream.read()
    try:
        decoded = decode_bytes(data, source="<stdin>")
    except DecodingError as e:
        yield InputDoc("<stdin>", "<stdin>", error=str(e))
        return
    yield InputDoc("<stdin>", "<stdin>", decoded.text, decoded.encoding, warning=decoded.warning)


def _frame_docs(frame: Any, text_column: str | None, id_column: str | None) -> Iterator[InputDoc]:
    rows = _Rows("DataFrame", text_column, id_column)
    rows._choose([str(c) for c in frame.columns])
    use_index = rows.id_column is None
    columns = [str(c) for c in frame.columns]
    for index, values in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        record = dict(zip(columns, values, strict=True))
        yield rows.doc(record, f"DataFrame[{index!r}]", str(_plain(index)) if use_index else str(index))


def _one(item: Any, i: int, text_column: str | None, id_column: str | None) -> Iterator[InputDoc]:
    if isinstance(item, InputDoc):  # already read (the command line reads its arguments as paths)
        yield item
    elif isinstance(item, tuple) and len(item) == 2:
        doc_id, source = item
        for doc in _one(source, i, text_column, id_column):
            doc.doc_id = str(doc_id)
            yield doc
    elif isinstance(item, os.PathLike):
        yield from read_path(item, text_column=text_column, id_column=id_column)
    elif isinstance(item, str):
        if looks_like_path(item):
            yield from read_path(item, text_column=text_column, id_column=id_column)
        else:
            yield InputDoc(f"doc-{i}", "<text>", item)
    elif isinstance(item, bytes | bytearray):
        try:
            decoded = decode_bytes(bytes(item), source=f"doc-{i}")
        except DecodingError as e:
            yield InputDoc(f"doc-{i}", "<bytes>", error=str(e))
            return
        yield InputDoc(f"doc-{i}", "<bytes>", decoded.text, decoded.encoding, warning=decoded.warning)
    else:
        message = f"doc-{i}: expected text, bytes or a path, got {type(item).__name__}"
        yield InputDoc(f"doc-{i}", "<input>", error=message)


#: Suffixes whose files are HTML whatever they look like; other texts are sniffed.
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def with_markup(doc: InputDoc, html: bool | None = None) -> InputDoc:
    """``doc`` with its HTML page's article text extracted (``doc.markup``), if it is a page.

    ``html=None`` decides by the file's suffix or by the text itself (scraped corpora keep
    pages in a text column); ``True``/``False`` force it. The text as given stays in
    ``doc.text``: offsets reported to users point into it.
    """
    if doc.text is None or doc.markup is not None or html is False:
        return doc
    if html or doc.source.lower().endswith(HTML_SUFFIXES) or looks_like_html(doc.text):
        doc.markup = extract_html(doc.text)
    return doc


def iter_inputs(inputs: Any, *, text_column: str | None = None, id_column: str | None = None,
                html: bool | None = None) -> Iterator[InputDoc]:
    """Every document in ``inputs``, lazily, in order, HTML pages with their article extracted.

    ``inputs`` is one item or an iterable of items: text, bytes, a path (file, folder,
    glob, ``-``), an :class:`InputDoc` already read, a ``(doc_id, item)`` pair, a mapping of doc_id to item, a pandas
    Series (its index is the doc id) or DataFrame (the text column, the id column or the
    index, and the other columns as ``meta``).
    """
    for doc in _iter_inputs(inputs, text_column, id_column):
        yield with_markup(doc, html)


def _iter_inputs(inputs: Any, text_column: str | None, id_column: str | None) -> Iterator[InputDoc]:
    kind = type(inputs).__name__
    if kind == "DataFrame" and hasattr(inputs, "itertuples"):
        yield from _frame_docs(inputs, text_column, id_column)
        return
    if kind == "Series" and hasattr(inputs, "items"):
        for index, value in inputs.items():
            for doc in _one(value, 0, text_column, id_column):
                doc.doc_id = str(_plain(index))
                yield doc
        return
    if isinstance(inputs, str | bytes | bytearray | os.PathLike):
        inputs = [inputs]
    elif isinstance(inputs, Mapping):
        inputs = list(inputs.items())
    for i, item in enumerate(inputs):
        yield from _one(item, i, text_column, id_column)
