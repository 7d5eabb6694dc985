"""Speed of NER shapes side by side, in one run: what each costs per character.

Why this exists: ``ner_shapes.py`` trains its variants one after another for an hour or
more, so their chars/s are measured at different times on a shared machine and differ by
the load as much as by the shape. Speed does not depend on the weights, so this script
builds each shape untrained (the same config ``ner_shapes.py`` trains, same labels) and
times them interleaved over the same articles, several rounds, quoting medians and ratios
to the shipped shape. Pair it with the accuracy columns of ``ner_shapes.py``.

Usage::

    python benchmarks/ner_speed.py                 # 3 rounds over 150 of our articles
    python benchmarks/ner_speed.py --rounds 5 --articles 300
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ner_shapes  # noqa: E402  (the sibling benchmark: the variants and their configs)

LABELS = ("PERSON", "TITLE", "COMPANY", "GOV", "ORG", "GPE", "TOPIC")
SHIPPED = "c2"


def untrained(variant: ner_shapes.Variant) -> Any:
    """The variant's statistical pipeline (features + NER), initialised with random weights."""
    import spacy

    from zh_invest_ner.training import statistical_config

    nlp = spacy.util.load_model_from_config(statistical_config(ner_shapes.variant_config(variant)), auto_fill=True)
    if variant.kind == "tagger":
        tagger = nlp.get_pipe("ner_tagger")
        for label in LABELS:
            for move in "BILU":
                tagger.add_label(f"{move}-{label}")
        tagger.add_label("O")
    else:
        for label in LABELS:
            nlp.get_pipe("ner").add_label(label)
    nlp.initialize()
    return nlp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--only", nargs="+", default=None, help="variant keys (default: all of ner_shapes.py)")
    args = parser.parse_args(argv)
    with (ROOT / "training_data" / "articles.jsonl").open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()][: args.articles]
    chars = sum(map(len, texts))
    variants = [v for v in ner_shapes.VARIANTS if not args.only or v.key in args.only]
    pipelines = {v.key: untrained(v) for v in variants}
    times: dict[str, list[float]] = {k: [] for k in pipelines}
    for nlp in pipelines.values():
        list(nlp.pipe(texts[:5]))
    for _ in range(args.rounds):
        for key, nlp in pipelines.items():
            began = time.perf_counter()
            for _doc in nlp.pipe(texts, batch_size=64):
                pass
            times[key].append(time.perf_counter() - began)
    base = statistics.median(times[SHIPPED]) if SHIPPED in times else None
    print(f"{len(texts)} articles, {chars:,} chars, {args.rounds} interleaved rounds (tokenizer + features + NER)")
    print(f"{'variant':<46} {'chars/s':>9} {'vs ' + SHIPPED:>7}")
    for v in variants:
        median = statistics.median(times[v.key])
        ratio = f"{base / median:.2f}x" if base else "-"
        print(f"{v.title:<46} {chars / median:>9,.0f} {ratio:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
