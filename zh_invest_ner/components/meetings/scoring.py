"""Scoring meetings as spaCy's ``Scorer`` does for entities: P/R/F over (official, executive, company)."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.scorer import PRFScore
from spacy.training import Example
from spacy.util import registry

from zh_invest_ner.records import Meeting


def _key(m: Meeting | list) -> tuple:
    """(official, executive, company) of a record or of a gold triple stored as a list."""
    return m.key() if isinstance(m, Meeting) else tuple(m)


def meeting_prf(examples: Iterable[Example]) -> dict[str, float]:
    """Meeting P/R/F of predicted ``doc._.meetings`` against gold ``reference._.gold_meetings``."""
    prf = PRFScore()
    for eg in examples:
        gold = {_key(m) for m in (eg.reference._.gold_meetings or [])}
        pred = {_key(m) for m in (eg.predicted._.meetings or [])}
        prf.tp += len(gold & pred)
        prf.fp += len(pred - gold)
        prf.fn += len(gold - pred)
    return {"meetings_p": prf.precision, "meetings_r": prf.recall, "meetings_f": prf.fscore}


@registry.scorers("zh_invest_ner.meetings_scorer.v1")
def make_meetings_scorer():
    """The ``zh_meetings`` component's scorer, named in its config: ``{"@scorers": ...}``."""
    return meeting_prf
