"""How well pkuseg (and jieba) segment news, and how fast: the figures behind ``segmenter = "pkuseg"``.

Why this exists: the tokenizer can segment with pkuseg (``[nlp.tokenizer] segmenter``) and
word boundaries can feed the NER, but which segmenter is worth its dependency and its
time is a measurement, not a belief. This scores word segmentation on the SIGHAN 2005
PKU gold test set (``../shared/corpora/pku_seg/pku_test_gold.utf8``, evaluation data
only: read here, never copied or trained on) with the standard measure: a predicted
word is right when its character span is a gold word's span; precision, recall and F1
over all words of the corpus; and chars/s of the bare segmenter and of our
``NormalizingTokenizer`` with that segmenter (normalisation included).

pkuseg models are not shipped (spacy-pkuseg's own are research-use): give a folder with
``--model``, e.g. the original pkuseg's ``models/default`` from its sdist::

    pip download pkuseg==0.0.25 --no-deps --no-binary :all: -d /tmp/pkuseg  # needs numpy, wheel to build
    tar xzf /tmp/pkuseg/pkuseg-0.0.25.tar.gz -C /tmp/pkuseg
    python benchmarks/pkuseg_seg.py --model /tmp/pkuseg/pkuseg-0.0.25/pkuseg/models/default

``--model`` may be repeated; jieba (with and without its HMM) is scored when installed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "pku_seg" / "pku_test_gold.utf8"


def read_gold(path: Path, limit: int | None = None) -> list[list[str]]:
    """The gold words of each non-empty line (words are separated by spaces)."""
    lines = [line.split() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [words for words in lines if words]
    return lines[:limit] if limit else lines


def spans(words: Iterable[str]) -> set[tuple[int, int]]:
    """The character spans of consecutive ``words`` (whitespace pieces skipped)."""
    out, pos = set(), 0
    for word in words:
        if word and not word.isspace():
            out.add((pos, pos + len(word)))
        pos += len(word)
    return out


def best_seconds(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The fastest of ``repeat`` runs (the machine is shared: the slower runs measure other jobs) and its result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def score(gold: list[list[str]], cut: Callable[[str], list[str]], repeat: int = 3) -> dict[str, float]:
    """P/R/F1 of ``cut`` against ``gold`` and its chars/s (the cutting only, best of ``repeat``)."""
    texts = ["".join(words) for words in gold]
    seconds, predicted = best_seconds(lambda: [cut(text) for text in texts], repeat)
    n_gold = n_pred = n_right = 0
    for words, pred, text in zip(gold, predicted, texts, strict=True):
        if "".join(pred) != text:
            raise ValueError(f"segmenter changed the text: {text[:30]!r} -> {''.join(pred)[:30]!r}")
        g, p = spans(words), spans(pred)
        n_gold, n_pred, n_right = n_gold + len(g), n_pred + len(p), n_right + len(g & p)
    precision, recall = n_right / max(n_pred, 1), n_right / max(n_gold, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    chars = sum(map(len, texts))
    return {"p": precision, "r": recall, "f": f1, "chars_per_s": chars / seconds, "words": n_gold, "chars": chars}


def tokenizer_speed(texts: list[str], segmenter: str, model: str | None, user_dict: str | None,
                    repeat: int = 3) -> float:
    """chars/s of ``NormalizingTokenizer`` (normaliser + segmenter), the pipeline's first step (best of ``repeat``)."""
    import spacy

    tokenizer = {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1", "segmenter": segmenter}
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": tokenizer}})
    if segmenter == "pkuseg":
        nlp.tokenizer.initialize(pkuseg_model=model, pkuseg_user_dict=user_dict)
    seconds, _ = best_seconds(lambda: [nlp.make_doc(text) for text in texts], repeat)
    return sum(map(len, texts)) / seconds


def pkuseg_rows(models: list[str]) -> list[tuple[str, Callable[[str], list[str]], tuple]]:
    """(name, cut, tokenizer settings) for each model, with and without spacy-pkuseg's merge dictionary."""
    from zh_invest_ner.text.segmenters import covering_words, load_pkuseg

    rows = []
    for model in models:
        label = Path(model).name or model
        for user_dict in ("default", None):
            start = time.perf_counter()
            seg = load_pkuseg(model, user_dict, key="--model")
            load_s = time.perf_counter() - start
            dict_label = "default dict" if user_dict else "no dict"
            name = f"pkuseg {label} ({dict_label}; load {load_s:.1f} s)"
            rows.append((name, lambda t, seg=seg: list(covering_words(t, seg.cut(t))), ("pkuseg", model, user_dict)))
    return rows


def jieba_rows() -> list[tuple[str, Callable[[str], list[str]], tuple]]:
    """jieba's default cut (with its HMM for unknown words) and without (what zh_lexicon_features uses)."""
    try:
        import jieba
    except ImportError:
        print("jieba is not installed: skipped", file=sys.stderr)
        return []
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return [
        ("jieba 0.42 (HMM)", lambda t: list(tokenizer.cut(t, HMM=True)), ("jieba", None, None)),
        ("jieba 0.42 (no HMM)", lambda t: list(tokenizer.cut(t, HMM=False)), None),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", default=[], help="a pkuseg model folder (repeatable)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="only the first N lines")
    parser.add_argument("--no-tokenizer", action="store_true", help="skip the NormalizingTokenizer speed")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per row (the fastest counts)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus} not found (evaluation data, kept outside the repository)")
    gold = read_gold(args.corpus, args.limit)
    texts = ["".join(words) for words in gold]
    baseline = [("char (one word per character: the shipped tokenizer)", list, ("char", None, None))]
    rows = [*baseline, *pkuseg_rows(args.model), *jieba_rows()]
    if len(rows) == len(baseline):
        print("no pkuseg --model given and jieba not installed: only the char baseline", file=sys.stderr)
    print(f"{args.corpus.name}: {len(gold):,} lines, {sum(map(len, gold)):,} words, {sum(map(len, texts)):,} chars\n")
    print("| segmenter | P | R | F1 | chars/s (segmenter) | chars/s (NormalizingTokenizer) |")
    print("|---|---|---|---|---|---|")
    results = {}
    for name, cut, settings in rows:
        r = score(gold, cut, args.repeat)
        if settings is not None and not args.no_tokenizer:
            r["tokenizer_chars_per_s"] = tokenizer_speed(texts, *settings, repeat=args.repeat)
        tok = f"{r['tokenizer_chars_per_s']:,.0f}" if "tokenizer_chars_per_s" in r else ""
        print(f"| {name} | {r['p']:.3f} | {r['r']:.3f} | {r['f']:.3f} | {r['chars_per_s']:,.0f} | {tok} |", flush=True)
        results[name] = r
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
