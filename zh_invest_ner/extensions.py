"""Custom attributes the pipeline sets on ``Doc`` and ``Span``.

Registered once, on import, so that any pipeline loaded with ``spacy.load`` finds them.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

_DOC = {
    "source": None,  # NormalizedText: the original text and the map back to it
    "doc_id": None,  # the identifier the user gave (file path or index)
    "encoding": None,  # encoding the bytes were decoded with, when read from bytes
    "meetings": None,  # list[Meeting], set by the zh_meetings component
    "people": None,  # name -> PersonInfo, set by the zh_roles component
}
_SPAN = {
    "role": None,  # official | executive | other | reporter, for PERSON spans
    "title": None,  # the title word attached to the person
    "affiliation": None,  # the GOV/GPE/COMPANY/ORG text the title belongs to
}


def register() -> None:
    """Register the extensions (idempotent)."""
    for name, default in _DOC.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)  # never a shared mutable default
    for name, default in _SPAN.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Span.has_extension("original_offsets"):
        Span.set_extension("original_offsets", getter=original_offsets)


def original_offsets(span: Span) -> tuple[int, int]:
    """Character offsets of ``span`` in the text the user gave (not the normalised one)."""
    source = span.doc._.source
    if source is None:
        return span.start_char, span.end_char
    return source.to_original(span.start_char, span.end_char)


register()
