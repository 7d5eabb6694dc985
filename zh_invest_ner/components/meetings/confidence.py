"""How sure a meeting record is: a logistic model over what the record's evidence looks like.

Why a model and not a rule: the signs of a wrong record (the executive found three
sentences away, a company without a legal form, no meeting verb, an accompanying official)
each cost some precision, and how much is measured, not guessed: the weights are fitted on
the held-out split of our training data (``python -m zh_invest_ner.training.confidence``)
and stored in ``data/confidence.json``. The features are small named functions of the
record and its article, so each can be read and tested alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

#: Meeting types that name a meeting outright (the others also describe visits and talks).
STRONG_TYPES = frozenset({"会见", "拜访", "座谈"})


def _in_sentence(record: dict[str, Any], field: str) -> float:
    value = record.get(field)
    return float(bool(value) and value in (record.get("sentence") or ""))


FEATURES: dict[str, Callable[[dict[str, Any], dict[str, Any]], float]] = {
    "principal": lambda r, c: float(r.get("participation") == "principal"),
    "has_executive": lambda r, c: float(r.get("executive") is not None),
    "official_in_sentence": lambda r, c: _in_sentence(r, "official"),
    "executive_in_sentence": lambda r, c: _in_sentence(r, "executive"),
    "company_in_sentence": lambda r, c: _in_sentence(r, "company"),
    "company_registered": lambda r, c: float(str(r.get("company") or "").endswith(c["registered_endings"])),
    # 某某区, 某某管委会, 某某项目 as the "company": a place, an office or a project, seldom a right record
    "company_place_ending": lambda r, c: float(str(r.get("company") or "").endswith(c["place_endings"])),
    "strong_type": lambda r, c: float(r.get("meeting_type") in STRONG_TYPES),
    "has_type": lambda r, c: float(r.get("meeting_type") is not None),
    "official_titled": lambda r, c: float(r.get("official_title") is not None),
    "executive_titled": lambda r, c: float(r.get("executive_title") is not None),
    "meetings_in_article": lambda r, c: math.log1p(c["meetings"]) / 3,
    "sentence_length": lambda r, c: math.log1p(len(r.get("sentence") or "")) / 5,
}


#: The word lists a model carries for its features (``data/confidence.json``).
WORD_LISTS = ("registered_endings", "place_endings")


def article_context(records: Sequence[dict[str, Any]], model: dict[str, Any]) -> dict[str, Any]:
    """What the features know of the article beyond one record: its count of records, the model's word lists."""
    return {"meetings": len(records), **{k: tuple(model.get(k) or ()) for k in WORD_LISTS}}


def features(record: dict[str, Any], context: dict[str, Any], names: Sequence[str]) -> list[float]:
    """The named features of one record; ``context`` holds the article's counts and word lists."""
    return [FEATURES[name](record, context) for name in names]


def probability(values: Sequence[float], weights: Sequence[float], bias: float) -> float:
    """The logistic model's probability that the record is right."""
    z = bias + sum(w * x for w, x in zip(weights, values, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def confidence(record: dict[str, Any], context: dict[str, Any], model: dict[str, Any]) -> float | None:
    """The record's confidence under ``model`` (``data/confidence.json``), rounded; None without a model."""
    names = model.get("features") or []
    if not names:
        return None
    return round(probability(features(record, context, names), model["weights"], model["bias"]), 4)
