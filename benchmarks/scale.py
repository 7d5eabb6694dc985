"""Does cost stay linear in the document and flat in the corpus? Long pages and big JSONL files.

Why this exists: a scraped site archive can arrive as one 500,000-character page, a page
whose punctuation was lost as one 150,000-character "sentence", and a corpus as one JSONL
file of hundreds of thousands of rows. Each used to stop a batch (quadratic rules, memory
growing with the text, results held until the end). This script measures, each case in a
fresh process so that its peak memory is its own (``wait4``'s ``ru_maxrss``):

(a) chars/s of ``extract()`` on ordinary articles, and on the same articles joined into one
    document of ``--long-chars`` characters; the ratio should be ≥ 0.7;
(b) a ``--flat-chars`` text with every punctuation mark and line break removed: it must
    finish, in time and memory like (a);
(c) ``zh-invest-ner extract corpus.jsonl --output out.jsonl`` on generated corpora of
    ``--small`` and ``--large`` articles: peak memory of the large run within 20 % of the
    small one means the stream holds nothing per document.

The texts are the repository's own (``training_data/articles.jsonl``); the generated
corpus rows are short articles built from its sentences. Usage::

    python benchmarks/scale.py                                   # everything, defaults below
    python benchmarks/scale.py --only stream --small 2000 --large 40000
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_PUNCT = re.compile(r"[\s，。、；：！？“”‘’（）《》【】,.;:!?()\"'—…·]")


def articles(limit: int | None = None) -> list[str]:
    with (ROOT / "training_data" / "articles.jsonl").open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    return texts[:limit] if limit else texts


def run_child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter; its JSON result plus wall seconds and peak MB."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().decode() if proc.stdout else ""
    if status != 0:
        raise SystemExit(f"child failed ({status}): {(proc.stderr.read().decode() if proc.stderr else '')[-800:]}")
    result = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
    return {**result, "wall": time.perf_counter() - started, "peak_mb": usage.ru_maxrss / 1024}


_EXTRACT = """
import json, sys, time, zh_invest_ner
texts = json.load(open(sys.argv[1], encoding="utf-8"))
nlp = zh_invest_ner.load()
nlp("预热。")
began = time.perf_counter()
result = zh_invest_ner.extract(texts, nlp=nlp, keep_docs=False)
seconds = time.perf_counter() - began
print(json.dumps({"seconds": seconds, "chars": sum(map(len, texts)), "meetings": len(result.meetings),
                  "errors": len(result.errors)}))
"""


def extract_case(texts: list[str], tmp: Path, name: str) -> dict:
    path = tmp / f"{name}.json"
    path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    r = run_child(_EXTRACT, str(path))
    r["chars_per_s"] = r["chars"] / r["seconds"]
    return r


def long_cases(args: argparse.Namespace, tmp: Path) -> None:
    texts, joined, pool = [], 0, articles()
    while joined < args.long_chars:  # our articles, repeated as needed to reach the size
        t = pool[len(texts) % len(pool)]
        texts.append(t)
        joined += len(t) + 1
    ordinary = extract_case(texts, tmp, "ordinary")
    long = extract_case(["\n".join(texts)], tmp, "long")
    flat_text = _PUNCT.sub("", "".join(texts))[: args.flat_chars]
    flat = extract_case([flat_text], tmp, "flat")
    print(f"{'case':<58} {'chars':>9} {'seconds':>8} {'chars/s':>9} {'peak MB':>8} {'meetings':>8}")
    for label, r in ((f"(a) {len(texts)} ordinary articles, one extract()", ordinary),
                     ("(a) the same articles as one document", long),
                     ("(b) no punctuation or line breaks at all, one document", flat)):
        print(f"{label:<58} {r['chars']:>9,} {r['seconds']:>8.1f} {r['chars_per_s']:>9,.0f} {r['peak_mb']:>8,.0f} "
              f"{r['meetings']:>8}")
    print(f"  one long document vs ordinary articles, chars/s: {long['chars_per_s'] / ordinary['chars_per_s']:.2f}x "
          "(target ≥ 0.7x)")
    print(f"  no-punctuation text vs ordinary articles, chars/s: {flat['chars_per_s'] / ordinary['chars_per_s']:.2f}x; "
          f"peak memory {flat['peak_mb'] / ordinary['peak_mb']:.2f}x")


def write_corpus(path: Path, n: int, sentences: list[str], per_article: int) -> int:
    """``n`` short articles of ``per_article`` of our own sentences each; returns the characters written."""
    chars = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            k = len(sentences)
            text = "".join(sentences[(i * 7 + j * 13) % k] for j in range(per_article))
            chars += len(text)
            f.write(json.dumps({"id": f"n{i}", "url": f"https://example.org/{i}", "text": text},
                               ensure_ascii=False) + "\n")
    return chars


def stream_cases(args: argparse.Namespace, tmp: Path) -> None:
    sentences = [s + "。" for t in articles(400) for s in t.split("。") if 12 <= len(s) <= 60]
    rows = []
    for n in (args.small, args.large):
        corpus = tmp / f"corpus_{n}.jsonl"
        chars = write_corpus(corpus, n, sentences, args.sentences)
        out = tmp / f"out_{n}.jsonl"
        code = ("import sys; from zh_invest_ner.cli import main; "
                "sys.exit(main(['extract', sys.argv[1], '--output', sys.argv[2], '--no-progress', "
                f"'--n-process', '{args.n_process}']) or 0)")
        r = run_child(code + "\n", str(corpus), str(out))
        with out.open(encoding="utf-8") as f:
            r["meetings"] = sum(1 for _ in f)
        rows.append((n, chars, r))
        corpus.unlink()
    print(f"{'generated corpus':<44} {'chars':>11} {'seconds':>8} {'docs/s':>8} {'peak MB':>8} {'meetings':>9}")
    for n, chars, r in rows:
        print(f"{f'(c) {n:,} articles, --output out.jsonl':<44} {chars:>11,} {r['wall']:>8.0f} {n / r['wall']:>8.0f} "
              f"{r['peak_mb']:>8,.0f} {r['meetings']:>9,}")
    (small_n, _, small), (large_n, _, large) = rows
    print(f"  peak memory, {large_n:,} vs {small_n:,} articles: {large['peak_mb'] / small['peak_mb']:.2f}x "
          "(target ≤ 1.20x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("long", "stream"), default=None)
    parser.add_argument("--long-chars", type=int, default=500_000)
    parser.add_argument("--flat-chars", type=int, default=150_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=200_000)
    parser.add_argument("--n-process", type=int, default=1, help="worker processes for (c) (default: 1)")
    parser.add_argument("--sentences", type=int, default=1, help="sentences per generated article in (c) (default: 1)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "long"):
            long_cases(args, Path(tmp))
        if args.only in (None, "stream"):
            stream_cases(args, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
