"""Custom attributes the pipeline sets on ``Doc`` and ``Span``: plain data, typed views.

Why plain data: ``doc.to_bytes()``, ``DocBin(store_user_data=True)`` and
``nlp.pipe(n_process=2)`` all move a doc's ``user_data`` through msgpack, which takes
strings, numbers, lists, dicts and numpy arrays, never our classes. So what is *stored*
on a doc is only such values:

==========================  ==================================================
``Doc._.doc_id``            the identifier the user gave (path, row id, index)
``Doc._.encoding``          the encoding the bytes were decoded with, if any
``Doc._.meta``              other columns of a corpus row (url, date…), a dict
``Doc._.original_text``     the text the user gave, before normalisation
``Doc._.offset_starts``     int32 array: original index of each text character
``Doc._.offset_ends``       int32 array: exclusive original end of each, or None
``Doc._.meeting_records``   list of dicts, one per meeting (``zh_meetings``)
``Doc._.person_records``    dict name -> dict (``zh_roles``)
``Doc._.gold_meetings``     training only: gold ``[official, executive, company]``
``Span._.role/title/…``     strings
==========================  ==================================================

and the typed objects users and rules work with are views built from them on access:
``Doc._.source`` (:class:`NormalizedText`), ``Doc._.meetings`` (:class:`Meeting`),
``Doc._.people`` (:class:`PersonInfo`). Assigning a view stores its plain form.

Registered once, on import, so that any pipeline loaded with ``spacy.load`` finds them.
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.tokens import Doc, Span

from zh_invest_ner.records import Meeting, PersonInfo
from zh_invest_ner.text.normalizer import NormalizedText

_DOC = ("doc_id", "encoding", "meta", "original_text", "offset_starts", "offset_ends", "meeting_records",
        "person_records", "gold_meetings")
_SPAN = (
    "role",  # official | executive | other | reporter, for PERSON spans
    "title",  # the title word attached to the person
    "affiliation",  # the GOV/GPE/COMPANY/ORG text the title belongs to
)


def _int32(values: Any) -> numpy.ndarray | None:
    if values is None:
        return None
    if isinstance(values, numpy.ndarray):
        return values.astype(numpy.int32, copy=False)
    return numpy.frombuffer(values, dtype=numpy.int32).copy() if isinstance(values, bytes) else numpy.asarray(
        values, dtype=numpy.int32)


# spaCy builds ``Doc.text`` anew from every token on each access (O(n)); the rules read it
# per entity and per sentence, which made them quadratic in document length. The text of
# the last doc asked about is kept (with the doc, so the identity check cannot be fooled by
# a reused id); a doc's text never changes once tokenised.
_last_text: list[Any] = [None, ""]


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once per doc instead of once per access."""
    if _last_text[0] is not doc:
        _last_text[:] = [doc, doc.text]
    return _last_text[1]


_source_view: list[Any] = [None, None]


def get_source(doc: Doc) -> NormalizedText | None:
    """The original text and the map back to it, or None for a doc our tokenizer did not make."""
    original = doc._.original_text
    if original is None:
        return None
    starts = doc._.offset_starts
    view = _source_view[1]
    if _source_view[0] is not doc or view.offsets is not starts or view.original is not original:
        view = NormalizedText(original, text_of(doc), starts, doc._.offset_ends)
        _source_view[:] = [doc, view]
    return view


def set_source(doc: Doc, source: NormalizedText | None) -> None:
    if source is None:
        doc._.original_text = doc._.offset_starts = doc._.offset_ends = None
        return
    doc._.original_text = source.original
    doc._.offset_starts = _int32(source.offsets)
    doc._.offset_ends = _int32(source.ends)


def get_meetings(doc: Doc) -> list[Meeting] | None:
    records = doc._.meeting_records
    return None if records is None else [Meeting.from_dict(r) for r in records]


def set_meetings(doc: Doc, meetings: list[Meeting | dict] | None) -> None:
    doc._.meeting_records = None if meetings is None else [
        m.to_dict() if isinstance(m, Meeting) else dict(m) for m in meetings]


# The rules look people up once per mention: the view of the last records read is kept, so
# building it costs once per doc, not per lookup (a view is read-only; assign to change it).
_people_view: list[Any] = [None, None]


def get_people(doc: Doc) -> dict[str, PersonInfo] | None:
    records = doc._.person_records
    if records is None:
        return None
    if _people_view[0] is not records:
        _people_view[:] = [records, {name: PersonInfo.from_dict(r) for name, r in records.items()}]
    return _people_view[1]


def set_people(doc: Doc, people: dict[str, PersonInfo | dict] | None) -> None:
    doc._.person_records = None if people is None else {
        name: p.to_dict() if isinstance(p, PersonInfo) else dict(p) for name, p in people.items()}


def original_offsets(span: Span) -> tuple[int, int]:
    """Character offsets of ``span`` in the text the user gave (not the normalised one)."""
    source = span.doc._.source
    if source is None:
        return span.start_char, span.end_char
    return source.to_original(span.start_char, span.end_char)


def register() -> None:
    """Register the extensions (idempotent)."""
    for name in _DOC:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)  # never a shared mutable default
    for name, getter, setter in (("source", get_source, set_source), ("meetings", get_meetings, set_meetings),
                                 ("people", get_people, set_people)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, getter=getter, setter=setter)
    for name in _SPAN:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Span.has_extension("original_offsets"):
        Span.set_extension("original_offsets", getter=original_offsets)


register()
