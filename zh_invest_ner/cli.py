"""Command line: ``zh-invest-ner extract`` and ``zh-invest-ner train``."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

FORMATS = ("jsonl", "csv", "table")
TABLES = ("meetings", "triples", "entities")


def _extract(a: argparse.Namespace) -> int:
    from zh_invest_ner.api import extract
    from zh_invest_ner.pipeline import load

    nlp = load(a.model) if a.model else None
    paths = [Path(p) for p in a.files]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # errors are printed below, once each
        result = extract(paths, nlp=nlp, keep_docs=False)
    # CLI users and scripts see the path exactly as they typed it.
    given = {str(p): f for p, f in zip(paths, a.files, strict=True)}
    frame = getattr(result, a.table).copy()
    if a.table == "meetings" and a.participation == "principal":
        frame = frame[frame["participation"] == "principal"]
    frame["doc_id"] = frame["doc_id"].map(lambda d: given.get(d, d))
    out = sys.stdout
    if a.format == "jsonl":
        for row in frame.rename(columns={"doc_id": "doc"}).to_dict(orient="records"):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif a.format == "csv":
        if "topics" in frame:
            frame["topics"] = frame["topics"].map("; ".join)
        frame.to_csv(out, index=False)
    else:
        if "topics" in frame:
            frame["topics"] = frame["topics"].map("、".join)
        cols = [c for c in frame.columns if c not in ("sentence", "evidence", "start", "end")]
        import pandas as pd

        with pd.option_context("display.unicode.east_asian_width", True, "display.max_colwidth", 40):
            out.write(frame[cols].to_string(index=False) + "\n")
    for doc_id, message in result.errors.itertuples(index=False):
        print(f"zh-invest-ner: {given.get(doc_id, doc_id)}: {message}", file=sys.stderr)
    return 2 if len(result.errors) else 0


def _train(a: argparse.Namespace) -> int:
    from zh_invest_ner.training import TrainingDataError, train

    try:
        train(a.data, a.output, seed=a.seed, max_steps=a.max_steps)
    except TrainingDataError as e:
        print(f"zh-invest-ner train: {e}", file=sys.stderr)
        return 1
    print(f"saved the pipeline to {a.output}")
    return 0


def _evaluate(a: argparse.Namespace) -> int:
    from zh_invest_ner.pipeline import load
    from zh_invest_ner.training import TrainingDataError, evaluate, format_scores, held_out_examples

    nlp = load(a.model) if a.model else load()
    try:
        examples = held_out_examples(nlp, a.data, seed=a.seed, everything=a.all)
    except TrainingDataError as e:
        print(f"zh-invest-ner evaluate: {e}", file=sys.stderr)
        return 1
    print(f"{len(examples)} articles ({'all' if a.all else 'held-out split, seed ' + str(a.seed)})")
    print(format_scores(evaluate(nlp, examples)))
    return 0


def _refresh(a: argparse.Namespace) -> int:
    from zh_invest_ner.pipeline import refresh_rules

    nlp = refresh_rules(a.model, a.output)
    print(f"rebuilt {', '.join(n for n in nlp.pipe_names if n.startswith('zh_'))} in {a.output or a.model}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from zh_invest_ner.pipeline import model_path

    ap = argparse.ArgumentParser(prog="zh-invest-ner", description="Find official–executive meetings in Chinese news.")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract meetings from article files (any common Chinese encoding)")
    ex.add_argument("files", nargs="+", help="article files or folders of *.txt files")
    ex.add_argument("--format", choices=FORMATS, default="table")
    ex.add_argument("--table", choices=TABLES, default="meetings", help="which frame to print (default: meetings)")
    ex.add_argument("--model", help="a saved pipeline to use instead of the shipped one")
    ex.add_argument("--participation", choices=("all", "principal"), default="all",
                    help="keep accompanying people (陪同, 参加, 出席: the default) or only those who led or hosted")
    ex.set_defaults(func=_extract)
    tr = sub.add_parser("train", help="retrain the NER on annotated articles and save the pipeline")
    tr.add_argument("--data", default="training_data", help="folder of doccano JSONL files (default: training_data)")
    tr.add_argument("--output", default=str(model_path()), help="where to save (default: the shipped model)")
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    tr.set_defaults(func=_train)
    ev = sub.add_parser("evaluate", help="entity P/R/F per label and meeting P/R/F on annotated articles")
    ev.add_argument("--data", default="training_data", help="folder or JSONL file of annotated articles")
    ev.add_argument("--model", default=None, help="a saved pipeline (default: the shipped one)")
    ev.add_argument("--seed", type=int, default=0, help="the split seed used in training")
    ev.add_argument("--all", action="store_true", help="score every article, not only the held-out split")
    ev.set_defaults(func=_evaluate)
    rf = sub.add_parser("refresh-rules", help="rebuild a saved pipeline's rule components from the current data files")
    rf.add_argument("--model", default=str(model_path()), help="the saved pipeline (default: the shipped model)")
    rf.add_argument("--output", default=None, help="where to save (default: in place)")
    rf.set_defaults(func=_refresh)
    return ap


def main(argv: list[str] | None = None) -> int:
    a = build_parser().parse_args(argv)
    return a.func(a)


if __name__ == "__main__":
    sys.exit(main())
