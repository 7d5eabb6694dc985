"""Is the meeting confidence calibrated on real articles it was not fitted on?

Runs the shipped pipeline over ``../shared/eval`` (real articles; evaluation only), marks
each predicted meeting right or wrong with the scorer's own matching rules
(``../shared/tools/score_meetings.py``: official, company up to legal form and aliases,
executive), and prints the expected calibration error (10 equal-width bins), a
reliability table, and the precision of the more and the less confident half.
Predictions matched only by a gold record marked ``required: false`` count as neither.

    python benchmarks/confidence.py [--eval ../shared/eval]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

import numpy

import zh_invest_ner
from zh_invest_ner.training.confidence import expected_calibration_error, halves_precision

ROOT = Path(__file__).resolve().parents[1]


def scorer_module(eval_dir: Path):
    path = eval_dir.parent / "tools" / "score_meetings.py"
    spec = importlib.util.spec_from_file_location("score_meetings", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labelled(eval_dir: Path) -> tuple[list[float], list[float]]:
    """(confidence, right) of every predicted meeting on the real articles."""
    scorer = scorer_module(eval_dir)
    gold = [json.loads(line) for line in (eval_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    files = [str(eval_dir / g["file"]) for g in gold]
    result = zh_invest_ner.extract(files)
    by_file = {str(eval_dir / g["file"]): g for g in gold}
    p, y = [], []
    meetings = result.meetings.astype(object)
    for row in meetings.where(meetings.notna(), None).to_dict(orient="records"):
        g = by_file[row["doc_id"]]
        record = row
        matches = [m for m in g["meetings"] if scorer.meeting_match(record, m)]
        if matches and not any(m.get("required", True) for m in matches):
            continue  # only optional gold records match: neither right nor wrong
        p.append(float(row["confidence"]))
        y.append(float(bool(matches)))
    return p, y


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    a = ap.parse_args()
    p, y = labelled(a.eval)
    pa, ya = numpy.asarray(p), numpy.asarray(y)
    top, bottom = halves_precision(p, y)
    print(f"{len(p)} predicted meetings on {a.eval} ({int(ya.sum())} right, precision {ya.mean():.3f})")
    print(f"expected calibration error (10 bins): {expected_calibration_error(p, y):.3f}")
    print(f"precision, more confident half: {top:.3f}; less confident half: {bottom:.3f}")
    # how much of that is the sample: the same figure over resamples of the records
    rng = numpy.random.default_rng(0)
    draws = [expected_calibration_error(pa[i], ya[i]) for i in rng.integers(0, len(pa), (1000, len(pa)))]
    lo, mid, hi = numpy.percentile(draws, [5, 50, 95])
    print(f"calibration error over 1,000 bootstrap resamples: median {mid:.3f}, 90 % interval {lo:.3f}–{hi:.3f}")
    print("\n| confidence | meetings | mean confidence | share right |\n|---|---|---|---|")
    which = numpy.minimum((pa * 10).astype(int), 9)
    for b in range(10):
        if (which == b).any():
            print(f"| {b / 10:.1f}–{(b + 1) / 10:.1f} | {(which == b).sum()} | {pa[which == b].mean():.3f} | "
                  f"{ya[which == b].mean():.3f} |")


if __name__ == "__main__":
    main()
