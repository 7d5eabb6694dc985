"""Small helpers for working with character spans on char-segmented Chinese docs."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from zh_invest_ner.extensions import text_of  # noqa: F401 - the rules' cached Doc.text
from zh_invest_ner.text.chars import is_hanzi  # noqa: F401 - re-exported for the rules

#: Last characters no Chinese name ends with, and the label a span ending so has instead:
#: 某某网 is a company, 某某馆 an organisation, 某某区 a place.
NOT_NAME_ENDS = {**dict.fromkeys("网厂店司团", "COMPANY"), **dict.fromkeys("院所馆", "ORG"),
                 **dict.fromkeys("局委", "GOV"), **dict.fromkeys("区县市省", "GPE")}


def overlapping(ents: Sequence[Span], span: Span) -> list[Span]:
    """The entities of ``ents`` (sorted, non-overlapping, as ``doc.ents``) that overlap ``span``.

    A binary search instead of a scan: the cleaners ask this once per repaired entity.
    """
    j = bisect_left(ents, span.end, key=lambda e: e.start)
    out = []
    while j > 0 and ents[j - 1].end > span.start:
        j -= 1
        out.append(ents[j])
    return out[::-1]


def between(ents: Sequence[Span], start: int, end: int) -> Sequence[Span]:
    """The entities of ``ents`` (sorted, non-overlapping) lying within characters ``[start, end)``."""
    lo = bisect_left(ents, start, key=lambda e: e.start_char)
    hi = bisect_right(ents, end, key=lambda e: e.end_char)
    return ents[lo:hi] if lo < hi else ()


def char_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    """A span over ``doc.text[start:end]``, snapped outward to token boundaries."""
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def merge_ents(doc: Doc, new: Iterable[Span], *, replace: Iterable[Span] = ()) -> None:
    """Add ``new`` spans to ``doc.ents``; existing ents win overlaps unless listed in ``replace``."""
    dropped = {(s.start, s.end, s.label_) for s in replace}
    kept = [e for e in doc.ents if (e.start, e.end, e.label_) not in dropped]
    taken = set()
    for e in kept:
        taken.update(range(e.start, e.end))
    added = [s for s in filter_spans(list(new)) if not taken.intersection(range(s.start, s.end))]
    doc.ents = sorted(kept + added, key=lambda s: s.start)
