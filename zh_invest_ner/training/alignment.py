"""Gold entities laid onto the tokens of a word segmenter, with nothing lost unreported.

Why this exists: with the ``char`` segmenter every entity falls on token boundaries. With
pkuseg or jieba an annotated name can sit inside a word (``陶建业会见`` as one word, or
``澄川新能源`` cut as ``澄川新 能源`` against the annotation ``澄川``); spaCy then either
drops the entity with warning W030 (``offsets_to_biluo_tags``) or, with
``char_span(..., alignment_mode="expand")``, widens it without a word. Here every entity is
widened to the words it touches and *reported* (:class:`AlignmentWarning`, one per record,
naming ``file:line`` and each span), and two entities that widen into the same word —
which no token-level NER can represent — are left *missing* in the reference (the NER is
not taught that the word is no entity either) and reported by name as well. An entity
that covers no character, or that overlaps another in the annotation itself, is an
error of the data (:class:`TrainingDataError`), as with the ``char`` segmenter.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from zh_invest_ner.training.validate import TrainingDataError


class AlignmentWarning(UserWarning):
    """Gold entities that the segmentation made wider, or left unlearnable."""


@dataclass(frozen=True)
class GoldEntity:
    """An annotated entity in the normalised text: characters ``start``–``end``."""

    start: int
    end: int
    label: str


@dataclass
class Alignment:
    """The entities as token spans, the token spans left missing, and what changed."""

    spans: list[Span] = field(default_factory=list)
    missing: list[Span] = field(default_factory=list)
    expanded: list[tuple[GoldEntity, Span]] = field(default_factory=list)
    conflicts: list[tuple[list[GoldEntity], Span]] = field(default_factory=list)

    def messages(self, where: str, text: str) -> list[str]:
        """One line per changed entity, naming ``where`` and the spans (empty: nothing changed)."""
        lines = [f"{where}: {_describe(e, text)} lies inside a word; trained as {_describe_span(s)}"
                 for e, s in self.expanded]
        lines += [f"{where}: {' and '.join(_describe(e, text) for e in group)} fall into the same word(s) "
                  f"{_describe_span(s, label=False)}; left unannotated (missing) in training"
                  for group, s in self.conflicts]
        return lines


def _describe(e: GoldEntity, text: str) -> str:
    return f"{e.label} {text[e.start:e.end]!r} [{e.start}:{e.end}]"


def _describe_span(span: Span, *, label: bool = True) -> str:
    head = f"{span.label_} " if label else ""
    return f"{head}{span.text!r} [{span.start_char}:{span.end_char}]"


def align_entities(doc: Doc, entities: Iterable[GoldEntity], where: str) -> Alignment:
    """Token spans of ``doc`` for ``entities`` (character offsets into ``doc.text``).

    Raises :class:`TrainingDataError` (naming ``where``) for an entity on no character and
    for entities that overlap as annotated; every other entity is kept, widened or reported.
    """
    ordered = sorted(entities, key=lambda e: (e.start, e.end))
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start < a.end:
            raise TrainingDataError(f"{where}: overlapping entities {_describe(a, doc.text)} and "
                                    f"{_describe(b, doc.text)}")
    result = Alignment()
    groups: list[tuple[list[GoldEntity], Span]] = []
    for e in ordered:
        span = doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
        if span is None or not span.text.strip():
            raise TrainingDataError(f"{where}: entity {_describe(e, doc.text)} does not fall on characters")
        if groups and span.start < groups[-1][1].end:  # widened into the previous entity's words
            group, previous = groups[-1]
            groups[-1] = ([*group, e], doc[previous.start : max(previous.end, span.end)])
        else:
            groups.append(([e], span))
    for group, span in groups:
        if len(group) > 1:
            result.conflicts.append((group, span))
            result.missing.append(span)
            continue
        result.spans.append(span)
        e = group[0]
        if span.start_char < e.start or span.end_char > e.end:  # trimmed whitespace is no change
            result.expanded.append((e, span))
    return result


def align_or_warn(doc: Doc, entities: Iterable[GoldEntity], where: str, *, stacklevel: int = 3) -> Alignment:
    """:func:`align_entities`, and one :class:`AlignmentWarning` listing what it changed."""
    result = align_entities(doc, entities, where)
    lines = result.messages(where, doc.text)
    if lines:
        n = len(lines)
        warnings.warn(f"{n} gold entit{'y' if n == 1 else 'ies'} realigned to the word segmentation:\n"
                      + "\n".join(lines), AlignmentWarning, stacklevel=stacklevel)
    return result
