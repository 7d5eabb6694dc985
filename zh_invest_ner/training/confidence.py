"""Fit the meeting confidence on the held-out split of the training data.

The pipeline runs over the articles ``train`` held out (the model never learned them);
each meeting it finds is labelled right or wrong against the gold meetings, and a
logistic regression over :data:`~zh_invest_ner.components.meetings.confidence.FEATURES`
is fitted to those labels (Newton's method with a small L2 penalty: a dozen features and a
few hundred records need nothing heavier). The weights go to ``data/confidence.json``,
which ``zh_meeting_details`` reads on ``initialize`` (``zh-invest-ner refresh-rules``
puts them into a saved pipeline).

    python -m zh_invest_ner.training.confidence training_data [--model PATH] [--output FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy

from zh_invest_ner.components.meetings.confidence import FEATURES, WORD_LISTS, article_context, features


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(ch in chars for ch in short)


def same_company(predicted: str | None, gold: str | None) -> bool:
    """Equal, or one the other's short form: 数衡科技 for 上海数衡信息科技有限公司 (its characters in order).

    The gold names the company as annotated, once; the pipeline reports the fullest name
    the article gives, or the short one it met. Both are the same company.
    """
    if predicted is None or gold is None:
        return predicted == gold
    short, long = sorted((predicted, gold), key=len)
    return predicted == gold or (len(short) >= 2 and _subsequence(short, long))


def is_right(record: dict[str, Any], gold: Sequence[Sequence[Any]]) -> bool:
    """Whether a predicted record is one of the article's gold meetings (official, executive, company)."""
    return any(record["official"] == g[0] and (g[1] is None or record.get("executive") == g[1])
               and same_company(record.get("company"), g[2]) for g in gold)


def labelled_features(examples: Sequence[Any], names: Sequence[str],
                      word_lists: dict[str, Sequence[str]]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Feature rows and right/wrong labels of every meeting predicted on ``examples``."""
    rows, labels = [], []
    for eg in examples:
        records = eg.predicted._.meeting_records or []
        context = article_context(records, word_lists)
        gold = eg.reference._.gold_meetings or []
        for record in records:
            rows.append(features(record, context, names))
            labels.append(float(is_right(record, gold)))
    return numpy.asarray(rows, dtype=float).reshape(-1, len(names)), numpy.asarray(labels)


def fit_logistic(x: numpy.ndarray, y: numpy.ndarray, l2: float = 1.0, steps: int = 50) -> tuple[numpy.ndarray, float]:
    """Weights and bias of an L2-penalised logistic regression, by Newton's method."""
    design = numpy.hstack([numpy.ones((len(x), 1)), x])
    theta = numpy.zeros(design.shape[1])
    penalty = numpy.full(design.shape[1], l2)
    penalty[0] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1.0 / (1.0 + numpy.exp(-design @ theta))
        gradient = design.T @ (p - y) + penalty * theta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + numpy.diag(penalty)
        step = numpy.linalg.solve(hessian, gradient)
        theta -= step
        if numpy.abs(step).max() < 1e-8:
            break
    return theta[1:], float(theta[0])


def expected_calibration_error(p: Sequence[float], y: Sequence[float], bins: int = 10) -> float:
    """The mean gap between confidence and accuracy over equal-width bins, weighted by their size."""
    p, y = numpy.asarray(p, dtype=float), numpy.asarray(y, dtype=float)
    if not len(p):
        return 0.0
    which = numpy.minimum((p * bins).astype(int), bins - 1)
    return float(sum(abs(p[which == b].mean() - y[which == b].mean()) * (which == b).sum()
                     for b in range(bins) if (which == b).any()) / len(p))


def halves_precision(p: Sequence[float], y: Sequence[float]) -> tuple[float, float]:
    """Precision of the more confident half of the records, and of the less confident half."""
    order = numpy.argsort(-numpy.asarray(p, dtype=float), kind="stable")
    y = numpy.asarray(y, dtype=float)[order]
    half = len(y) // 2
    return (float(y[:half].mean()) if half else 0.0), (float(y[half:].mean()) if len(y) > half else 0.0)


#: The features fitted. Left out: ``has_executive`` (the same as ``executive_titled`` on our
#: data) and ``company_registered``: on our own articles an unregistered company name is
#: mostly an NER guess, on real news mostly a brand (中联重科, 某某网), and with it the
#: confidence was far too low on real articles (benchmarks/confidence.py: calibration error
#: 0.24 on ../shared/eval with it, 0.13 without).
FITTED = tuple(name for name in FEATURES if name not in ("has_executive", "company_registered"))


def fit(nlp: Any, data: str | Path, *, seed: int = 0, names: Sequence[str] = FITTED) -> dict[str, Any]:
    """The confidence model fitted on the held-out articles of ``data`` (the split ``train`` made)."""
    from zh_invest_ner import lexicons
    from zh_invest_ner.training.train import held_out_examples

    names = list(names)
    current = lexicons.confidence_model()
    word_lists = {k: list(current.get(k) or ()) for k in WORD_LISTS}
    examples = held_out_examples(nlp, data, seed=seed)
    predicted = list(nlp.pipe(eg.reference.text for eg in examples))
    for eg, doc in zip(examples, predicted, strict=True):
        eg.predicted = doc
    x, y = labelled_features(examples, names, word_lists)
    weights, bias = fit_logistic(x, y)
    p = 1.0 / (1.0 + numpy.exp(-(x @ weights + bias)))
    top, bottom = halves_precision(p, y)
    return {"features": names, "weights": [round(float(w), 4) for w in weights], "bias": round(bias, 4),
            **word_lists,
            "fitted_on": {"records": len(y), "right": int(y.sum()), "articles": len(examples), "seed": seed,
                          "ece": round(expected_calibration_error(p, y), 4),
                          "precision_top_half": round(top, 4), "precision_bottom_half": round(bottom, 4)}}


def write(model: dict[str, Any], path: str | Path) -> None:
    """Write the model as JSON beside the target, then rename it into place."""
    path = Path(path)
    model = {"_comment": json.loads(path.read_text("utf-8")).get("_comment", "") if path.exists() else "", **model}
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(model, f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    import zh_invest_ner

    ap = argparse.ArgumentParser(prog="python -m zh_invest_ner.training.confidence", description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="folder or file of annotated articles (training_data)")
    ap.add_argument("--model", default=None, help="the pipeline whose meetings are scored (default: the shipped one)")
    ap.add_argument("--output", default=str(resources.files("zh_invest_ner").joinpath("data", "confidence.json")))
    ap.add_argument("--seed", type=int, default=0, help="the split seed used in training")
    a = ap.parse_args(argv)
    model = fit(zh_invest_ner.load(a.model), a.data, seed=a.seed)
    write(model, a.output)
    print(json.dumps(model["fitted_on"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
