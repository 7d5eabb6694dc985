"""``extract()`` and ``process()``: articles in, rows and DataFrames out.

Accepts what users have at hand (see :func:`zh_invest_ner.text.sources.iter_inputs`):
text, bytes in any of the usual Chinese encodings, files, folders, globs, JSONL/CSV/
Parquet corpora, pandas Series and DataFrames. A document that cannot be read or
processed gets a ``documents`` row with ``status == "error"`` and never stops the batch.

``process()`` is the engine: it streams one :class:`DocumentResult` per input, in input
order, with memory flat in the number of documents, which is what the CLI writes from.
``extract()`` collects the stream into an :class:`ExtractionResult` of DataFrames.
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from zh_invest_ner.output.frames import entity_rows, frame, meeting_rows, triple_rows
from zh_invest_ner.output.result import ExtractionResult
from zh_invest_ner.pipeline import default_pipeline
from zh_invest_ner.text.fingerprint import fingerprint
from zh_invest_ner.text.pieces import piece_bounds
from zh_invest_ner.text.sources import InputDoc, SourceError, iter_inputs

Source = str | bytes | os.PathLike


@dataclass
class DocumentResult:
    """What one input document gave: its documents row and its rows of each table."""

    document: dict[str, Any]
    meetings: list[dict[str, Any]] = field(default_factory=list)
    triples: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    doc: Doc | None = None

    @property
    def doc_id(self) -> str:
        return self.document["doc_id"]

    @property
    def ok(self) -> bool:
        return self.document["status"] != "error"


def _document_row(item: InputDoc, status: str, message: str | None, meetings: int | None) -> dict[str, Any]:
    if status == "ok" and item.warning:  # read with something to tell: processed, and said so
        status, message = "warning", "; ".join(m for m in (item.warning, message) if m)
    elif status == "ok" and item.article is not None and not item.article.strip():
        status, message = "warning", "no text: the document is empty or only whitespace"
    row = {"doc_id": item.doc_id, "source": item.source, "status": status, "message": message,
           "encoding": item.encoding, "chars": None if item.text is None else len(item.text), "meetings": meetings,
           # near-duplicate signature of the article: reprints across sites and runs share one meeting_id
           "fingerprint": fingerprint(item.article) if meetings is not None and item.article else None}
    # a corpus's own columns follow; one named like ours (a news corpus's `source`) becomes corpus_<name>
    row.update({(f"corpus_{k}" if k in row else k): v for k, v in item.meta.items()})
    return row


def _failed(item: InputDoc, message: str) -> DocumentResult:
    return DocumentResult(_document_row(item, "error", message, None))


def _into_page(item: InputDoc, doc: Doc) -> None:
    """Point ``doc``'s offsets and meeting records into the HTML page as given, not its article."""
    markup = item.markup
    if markup is None:
        return
    source = doc._.source
    if source is not None:
        doc._.source = source.through(markup)
    records = doc._.meeting_records or []
    for record in records:
        record["start"], record["end"] = markup.to_original(record["start"], record["end"])
    doc._.meeting_records = records


#: Corpus columns that give an article's date, the reference for days written without a year.
DATE_COLUMNS = ("date", "publish_date", "pub_date", "pubdate", "published", "publish_time", "pubtime", "time")


def _reference(item: InputDoc, hint: Any) -> Any:
    """The date an article's year-less days are placed by: its corpus row's date, else the user's hint."""
    from zh_invest_ner.text.dates import parse_date_hint

    for column in DATE_COLUMNS:
        value = item.meta.get(column) if item.meta else None
        if isinstance(value, str) and value.strip():
            try:
                return parse_date_hint(value.strip()[:10])
            except ValueError:
                continue
    return hint


def _placed(item: InputDoc, doc: Doc, hint: Any) -> None:
    """Days the article left without a year (or 昨天 without a publish date), placed by the reference."""
    records = doc._.meeting_records
    reference = _reference(item, hint) if records else None
    if reference is not None:
        from zh_invest_ner.components.meetings.details import date_with_hint

        for record in records:
            date_with_hint(record, reference)
        doc._.meeting_records = records


def _succeeded(item: InputDoc, doc: Doc, keep_doc: bool, hint: Any = None) -> DocumentResult:
    _into_page(item, doc)
    _placed(item, doc, hint)
    doc._.doc_id = item.doc_id
    doc._.encoding = item.encoding
    doc._.meta = item.meta or None
    meetings = meeting_rows(doc)
    return DocumentResult(_document_row(item, "ok", None, len(meetings)), meetings, triple_rows(meetings),
                          entity_rows(doc), doc if keep_doc else None)


class _ErrorLog:
    """spaCy's per-component error handler: remembers why a document was dropped."""

    def __init__(self) -> None:
        self.messages: dict[int, str] = {}

    def __call__(self, name: str, component: Any, docs: list[Doc], error: Exception) -> None:
        for doc in docs:
            seq = (getattr(doc, "_context", None) or {}).get("seq")
            if seq is not None:
                self.messages[seq] = f"pipeline failed in {name}: {type(error).__name__}: {error}"


def _shifted(rows: list[dict[str, Any]], offset: int) -> list[dict[str, Any]]:
    if offset:
        for row in rows:
            row["start"] += offset
            row["end"] += offset
    return rows


def _joined(item: InputDoc, docs: list[Doc], offsets: list[int]) -> Doc:
    """One doc from the pieces of a long document, with the offset map and records joined."""
    import numpy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # W101: doc-level extensions are set below, not merged
        whole = Doc.from_docs(docs, ensure_whitespace=False)
    starts, ends, meetings, people = [], [], [], {}
    for doc, offset in zip(docs, offsets, strict=True):
        piece_starts = numpy.asarray(doc._.offset_starts, dtype=numpy.int32)
        piece_ends = doc._.offset_ends
        starts.append(piece_starts[:-1] + offset)
        ends.append((piece_starts[:-1] + 1 if piece_ends is None else numpy.asarray(piece_ends)) + offset)
        meetings.extend(_shifted([dict(m) for m in doc._.meeting_records or []], offset))
        for name, person in (doc._.person_records or {}).items():
            people.setdefault(name, person)
    whole._.original_text = item.article
    whole._.offset_starts = numpy.concatenate([*starts, numpy.array([len(item.article)], dtype=numpy.int32)])
    whole._.offset_ends = numpy.concatenate(ends).astype(numpy.int32)
    whole._.meeting_records = meetings
    whole._.person_records = people
    return whole


def _pieces_result(item: InputDoc, docs: list[Doc], offsets: list[int], keep_doc: bool,
                   hint: Any = None) -> DocumentResult:
    """The result of a long document processed in pieces: rows shifted into the whole text."""
    meetings, entities = [], []
    for doc, offset in zip(docs, offsets, strict=True):
        _placed(item, doc, hint)
        doc._.doc_id = item.doc_id
        meetings.extend(_shifted(meeting_rows(doc), offset))
        entities.extend(_shifted(entity_rows(doc), offset))
    if item.markup is not None:  # offsets into the article so far: into the page now
        for row in [*meetings, *entities]:
            row["start"], row["end"] = item.markup.to_original(row["start"], row["end"])
        for row in entities:
            row["original_text"] = item.text[row["start"]:row["end"]]
    whole = None
    if keep_doc:
        whole = _joined(item, docs, offsets)
        _into_page(item, whole)
        whole._.doc_id, whole._.encoding, whole._.meta = item.doc_id, item.encoding, item.meta or None
    message = f"processed in {len(docs)} pieces of at most {MAX_PIECE_CHARS} characters, cut at line breaks"
    return DocumentResult(_document_row(item, "ok", message, len(meetings)), meetings, triple_rows(meetings),
                          entities, whole)


def _run_alone(nlp: Language, item: InputDoc, keep_docs: bool, hint: Any = None) -> DocumentResult:
    try:
        text = item.article
        bounds = piece_bounds(text, MAX_PIECE_CHARS)
        if len(bounds) == 1:
            return _succeeded(item, nlp(text), keep_docs, hint)
        docs = [nlp(text[a:b]) for a, b in bounds]
        return _pieces_result(item, docs, [a for a, _ in bounds], keep_docs, hint)
    except Exception as e:  # noqa: BLE001 - reported in the documents table, never lost
        return _failed(item, f"pipeline failed: {type(e).__name__}: {e}")


#: Longer documents are processed in paragraph-aligned pieces of at most this many characters.
MAX_PIECE_CHARS = 20_000
_UNREAD = -1  # a pending input that could not be read
_ALONE = -2  # a pending long document, processed piece by piece when its turn comes


def _apply_error_log(nlp: Language, log: _ErrorLog) -> None:
    for _name, proc in nlp.pipeline:
        try:
            proc.set_error_handler(log)
        except AttributeError:  # spaCy's Cython parsers cannot take one: their errors stop the stream,
            pass  # and the documents in flight are then redone one by one (process)


def process(
    inputs: Any,
    *,
    nlp: Language | None = None,
    batch_size: int = 32,
    n_process: int = 1,
    text_column: str | None = None,
    id_column: str | None = None,
    skip: Iterable[str] = (),
    keep_docs: bool = False,
    html: bool | None = None,
    date: Any = None,
) -> Iterator[DocumentResult]:
    """Stream one :class:`DocumentResult` per input document, in input order.

    ``skip`` holds doc ids not to process again (``--resume``); they yield nothing.
    ``n_process`` > 1 runs the pipeline in that many worker processes (spaCy's
    ``nlp.pipe``); the results are the same as in one process. Documents longer than
    :data:`MAX_PIECE_CHARS` go through in paragraph-aligned pieces, so memory stays
    bounded; their offsets still point into the whole text. HTML pages (by suffix, or
    by their text when ``html`` is None; ``True``/``False`` force it) are read for their
    article text, and their offsets point into the page as given. ``date`` (a year such as
    ``2024`` or a date ``"2024-03-18"``) places the days an article writes without a year
    when it has no publish line and its corpus row no date column; it is never today.
    """
    from zh_invest_ner.text.dates import parse_date_hint

    hint = parse_date_hint(date)  # a typo is an error now, not a silently undated corpus
    nlp = nlp or default_pipeline()
    skip = frozenset(skip)
    log = _ErrorLog()
    _apply_error_log(nlp, log)
    todo = (item for item in iter_inputs(inputs, text_column=text_column, id_column=id_column, html=html)
            if item.doc_id not in skip)
    stream = _Stream(nlp, log, keep_docs, hint)
    while True:
        try:
            for doc, context in nlp.pipe(stream.feed(todo), as_tuples=True, batch_size=batch_size,
                                         n_process=n_process):
                yield from stream.returned(doc, context)
            yield from stream.failures_before(None)
            return
        except SourceError:
            raise  # how the corpus is given is wrong (a missing column): the user's to fix, not a document's
        except Exception:  # noqa: BLE001 - the tokenizer failed on some document in flight
            if not stream.pending:
                raise  # nothing was in flight: the pipeline itself cannot run
            # the stream stopped: redo what was in flight one by one, then go on with the rest
            yield from stream.redo_in_flight()


class _Stream:
    """The bookkeeping of :func:`process`: what was fed to ``nlp.pipe`` and is not back yet.

    ``nlp.pipe`` returns docs in input order, but drops a doc a component failed on, so
    a doc that comes back tells that every doc fed before it and not returned failed.
    Unreadable inputs (``_UNREAD``) and long pages (``_ALONE``) are never fed: they wait in
    ``pending`` for their turn, so results stay in input order.
    """

    def __init__(self, nlp: Language, log: _ErrorLog, keep_docs: bool, hint: Any = None) -> None:
        self.nlp = nlp
        self.log = log
        self.keep_docs = keep_docs
        self.hint = hint
        self.counter = itertools.count()
        self.pending: deque[tuple[int, InputDoc]] = deque()  # (seq, item)

    def feed(self, todo: Iterator[InputDoc]) -> Iterator[tuple[str, dict[str, int]]]:
        for item in todo:
            if item.error is not None:
                self.pending.append((_UNREAD, item))
            elif len(item.article) > MAX_PIECE_CHARS:
                # a long page goes through piece by piece on its own when its turn comes: fed
                # with the rest, all its pieces would share one batch, and memory would grow
                # with the page instead of with the piece
                self.pending.append((_ALONE, item))
            else:
                seq = next(self.counter)
                self.pending.append((seq, item))
                yield item.article, {"seq": seq}

    def _settle(self, seq: int, item: InputDoc) -> DocumentResult:
        """The result of an input that did not come back from ``nlp.pipe``."""
        if seq == _ALONE:
            return _run_alone(self.nlp, item, self.keep_docs, self.hint)
        if seq == _UNREAD:
            return _failed(item, item.error or "unreadable")
        return _failed(item, self.log.messages.pop(seq, "pipeline failed (in a worker process)"))

    def failures_before(self, seq: int | None) -> Iterator[DocumentResult]:
        while self.pending and (seq is None or self.pending[0][0] != seq):
            yield self._settle(*self.pending.popleft())

    def returned(self, doc: Doc, context: dict[str, int]) -> Iterator[DocumentResult]:
        yield from self.failures_before(context["seq"])
        _, item = self.pending.popleft()
        yield _succeeded(item, doc, self.keep_docs, self.hint)

    def redo_in_flight(self) -> Iterator[DocumentResult]:
        while self.pending:
            seq, item = self.pending.popleft()
            yield _run_alone(self.nlp, item, self.keep_docs, self.hint) if seq >= 0 else self._settle(seq, item)


def collect(results: Iterable[DocumentResult], *, keep_docs: bool = True, link: bool = True) -> ExtractionResult:
    """The DataFrames of a stream of results; ``link=False`` leaves out the cross-document tables
    (for callers that link a larger corpus themselves, or only print the rows)."""
    tables: dict[str, list[dict[str, Any]]] = {"meetings": [], "triples": [], "entities": [], "documents": []}
    docs = []
    for r in results:
        tables["meetings"].extend(r.meetings)
        tables["triples"].extend(r.triples)
        tables["entities"].extend(r.entities)
        tables["documents"].append(r.document)
        if keep_docs and r.doc is not None:
            docs.append(r.doc)
    documents = frame("documents", tables["documents"])
    errors = documents.loc[documents["status"] == "error", ["doc_id", "message"]].rename(columns={"message": "error"})
    return ExtractionResult(
        meetings=frame("meetings", tables["meetings"]),
        triples=frame("triples", tables["triples"]),
        entities=frame("entities", tables["entities"]),
        documents=documents,
        errors=errors.reset_index(drop=True),
        docs=docs,
        link_now=link,
    )


def extract(
    texts_or_paths: Any,
    *,
    nlp: Language | None = None,
    batch_size: int = 32,
    n_process: int = 1,
    keep_docs: bool = True,
    text_column: str | None = None,
    id_column: str | None = None,
    html: bool | None = None,
    date: Any = None,
) -> ExtractionResult:
    """Run the pipeline over articles and collect meetings, triples, entities and documents.

    ``texts_or_paths`` may be one item or many: text, bytes, a path (file, folder, glob,
    corpus file), ``(doc_id, item)`` pairs, a mapping of doc_id to any of these, or a
    pandas Series / DataFrame (the index is the doc id unless ``id_column`` names one).
    HTML pages are read for their article (``html``: see :func:`process`).
    Each unreadable or failing document is warned about once and listed in ``errors``; one read
    with a warning (corrupt bytes, an empty page) is warned about and processed.
    """
    result = collect(process(texts_or_paths, nlp=nlp, batch_size=batch_size, n_process=n_process,
                             text_column=text_column, id_column=id_column, keep_docs=keep_docs, html=html,
                             date=date),
                     keep_docs=keep_docs)
    told = result.documents.loc[result.documents["status"] != "ok", ["doc_id", "message"]]
    for doc_id, message in told.itertuples(index=False):
        warnings.warn(message if str(message).startswith(str(doc_id)) else f"{doc_id}: {message}", stacklevel=2)
    return result


__all__ = ["DocumentResult", "collect", "extract", "process"]
