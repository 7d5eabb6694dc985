"""``extract()``: articles in, DataFrames out.

Accepts what users have at hand: file paths, folders, raw bytes in any of the usual
Chinese encodings, or text. A document that cannot be read or processed is reported
in ``result.errors`` and never stops the batch.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from zh_invest_ner.output.frames import entities_frame, meetings_frame, triples_frame
from zh_invest_ner.output.result import ExtractionResult
from zh_invest_ner.pipeline import default_pipeline
from zh_invest_ner.text.decoding import DecodingError, decode_bytes, read_text_file

Source = str | bytes | os.PathLike


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
