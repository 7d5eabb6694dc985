"""Speed of the pipeline's pieces, measured side by side in one run.

Why this exists: the normalising tokenizer runs on every character users pass in, so it
must stay cheap next to the statistical NER; ``extract()`` wraps ``nlp.pipe`` with
decoding and DataFrame building, which must not dominate; and ``import zh_invest_ner``
must stay light (no torch, hanlp, matplotlib or networkx on the core path) because it is
what every notebook and CLI call pays first. Absolute figures depend on the machine, so
the script prints ratios between pieces measured in the same run, each repeated for
several rounds, with the rounds interleaved (A B A B …) so that load from other jobs hits
every piece alike; medians are quoted, with min and max to show the noise.

The corpus is synthetic, built from the repository's own texts (``examples/*.txt`` and
``training_data/articles.jsonl``): simplified script, repeated to about 1 MB, plus a
traditional-script version of it with pinyin readings after ~20% of the hanzi (built with
OpenCC ``s2t`` and pypinyin), which is the normaliser's worst realistic case.

Usage::

    python benchmarks/throughput.py                  # shipped model, 5 rounds
    python benchmarks/throughput.py --model /path/to/pipeline --rounds 3 --mb 0.5

This is a benchmark, not a test: nothing here asserts on timings. The exit status is 1
only if the import check finds a heavy module loaded by ``import zh_invest_ner``.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEAVY_MODULES = ("torch", "hanlp", "matplotlib", "networkx")
_HANZI_RE = re.compile("[\u4e00-\u9fff]")
# Pinyin readings already present in the source texts (lowercase, optionally toned),
# stripped so that the "simplified" corpus really is plain simplified text.
_EXISTING_PINYIN_RE = re.compile("(?<=[\u4e00-\u9fff])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê' ]{1,30}[)）]")


# ---------------------------------------------------------------------------
# Corpus


def source_texts() -> dict[str, str]:
    """The repository's own article texts by id: examples (any encoding) and the training articles."""
    from zh_invest_ner.text.decoding import read_text_file

    texts = {f"examples/{p.name}": read_text_file(p).text for p in sorted((ROOT / "examples").glob("*.txt"))}
    with (ROOT / "training_data" / "articles.jsonl").open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if line.strip():
                record = json.loads(line)
                texts[f"articles.jsonl:{record.get('id', lineno)}"] = record["text"]
    return {k: t for k, t in texts.items() if t.strip()}


def pipeline_failures(nlp: Any, texts: dict[str, str]) -> dict[str, str]:
    """Texts the pipeline raises on, by id, with the error.

    ``nlp.pipe`` stops at the first such text and ``extract()`` then falls back to one doc
    at a time, which would time the fallback instead of the pipeline; so they are found
    first, reported, and left out of (c).
    """
    failed = {}
    for key, text in texts.items():
        try:
            nlp(text)
        except Exception as e:  # noqa: BLE001 - reported, and excluded from the timing
            failed[key] = f"{type(e).__name__}: {e}"
    return failed


def simplify(texts: Sequence[str]) -> list[str]:
    """Plain simplified text: OpenCC t2s, and any pinyin readings already in the sources removed."""
    import opencc

    convert = opencc.OpenCC("t2s").convert
    return [_EXISTING_PINYIN_RE.sub("", convert(t)) for t in texts]


def repeat_to_size(texts: Sequence[str], target_bytes: int) -> list[str]:
    """The texts in order, repeated until their UTF-8 size reaches ``target_bytes``."""
    out: list[str] = []
    size = 0
    while size < target_bytes:
        for t in texts:
            out.append(t)
            size += len(t.encode("utf-8"))
            if size >= target_bytes:
                break
    return out


def traditional_with_pinyin(texts: Sequence[str], share: float, seed: int = 0) -> list[str]:
    """OpenCC s2t of each text, with a toned reading ``(zhōng)`` after ``share`` of the hanzi.

    Positions are drawn per text with a seeded RNG, so repeated texts get different
    annotations (no help from any cache keyed on the text) and runs are reproducible.
    """
    import opencc
    from pypinyin import Style, lazy_pinyin

    convert = opencc.OpenCC("s2t").convert
    rng = random.Random(seed)
    readings: dict[str, str] = {}

    def reading(ch: str) -> str:
        if ch not in readings:
            got = lazy_pinyin(ch, style=Style.TONE, errors="ignore")
            readings[ch] = got[0] if got and got[0].isalpha() else ""
        return readings[ch]

    out = []
    for text in texts:
        pieces = []
        for ch in convert(text):
            pieces.append(ch)
            if _HANZI_RE.match(ch) and rng.random() < share and (py := reading(ch)):
                pieces.append(f"({py})")
        out.append("".join(pieces))
    return out


# ---------------------------------------------------------------------------
# Timing


@dataclass
class Bench:
    """One measured piece: a callable over ``texts``, timed once per round."""

    label: str
    fn: Callable[[Sequence[str]], Any]
    texts: Sequence[str]
    times: list[float] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return sum(map(len, self.texts))

    @property
    def docs(self) -> int:
        return len(self.texts)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def rate(self, what: str = "chars") -> float:
        """Units per second at the median time."""
        return (self.chars if what == "chars" else self.docs) / self.median


def run_interleaved(benches: Sequence[Bench], rounds: int, warmup: int = 5) -> None:
    """Warm every piece up on a few texts, then time them in turn, ``rounds`` times."""
    for b in benches:
        b.fn(b.texts[:warmup])
    for _ in range(rounds):
        for b in benches:
            gc.collect()
            started = time.perf_counter()
            b.fn(b.texts)
            b.times.append(time.perf_counter() - started)


def format_rows(benches: Sequence[Bench]) -> list[str]:
    rows = []
    for b in benches:
        rows.append(f"{b.label:<50} {b.docs:>6} {b.chars:>8} {b.median:>8.3f} {min(b.times):>8.3f} "
                    f"{max(b.times):>8.3f} {b.rate('chars'):>11,.0f} {b.rate('docs'):>9,.1f}")
    return rows


TABLE_HEAD = (f"{'piece':<50} {'docs':>6} {'chars':>8} {'median s':>8} {'min s':>8} {'max s':>8} "
              f"{'chars/s':>11} {'docs/s':>9}")


# ---------------------------------------------------------------------------
# Import time, in fresh interpreters

_IMPORT_PROBE = """\
import json, sys, time
started = time.perf_counter()
import {module}
elapsed = time.perf_counter() - started
print(json.dumps({{"seconds": elapsed, "heavy": [m for m in {heavy!r} if m in sys.modules],
                  "modules": len(sys.modules), "top": sorted({{m.split(".")[0] for m in sys.modules}})}}))
"""


def import_probe(module: str) -> dict[str, Any]:
    """Time ``import module`` in a new interpreter and list the heavy modules it loaded."""
    code = _IMPORT_PROBE.format(module=module, heavy=HEAVY_MODULES)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# pkuseg (optional)


def pkuseg_model_dir(requested: str | None) -> tuple[Path | None, str]:
    """A local pkuseg model directory, or ``None`` and why there is none.

    Directories only: given a model *name*, spacy_pkuseg downloads it from GitHub, which
    this machine (and CI) cannot reach.
    """
    try:
        import spacy_pkuseg
    except ImportError:
        return None, ("spacy_pkuseg is not installed (optional extra: pip install 'zh-invest-ner[pkuseg]'); "
                      "its default model (spacy_ontonotes) would also have to be downloaded from GitHub, "
                      "which this machine cannot reach")
    import os

    if requested:
        path = Path(requested).expanduser()
        return (path, "") if path.is_dir() else (None, f"--pkuseg-model {requested} is not a directory")
    home = Path(os.path.expanduser(os.getenv("PKUSEG_HOME", "~/.pkuseg")))
    candidates = [home / "spacy_ontonotes", Path(spacy_pkuseg.__file__).parent / "models" / "default"]
    for path in candidates:
        if path.is_dir() and any(path.iterdir()):
            return path, ""
    return None, (f"spacy_pkuseg is installed but no model is on disk (looked in {', '.join(map(str, candidates))}); "
                  "the default model is downloaded on first use, which this machine cannot do: "
                  "pass --pkuseg-model DIR")


def pkuseg_benches(model_dir: Path, texts: Sequence[str]) -> list[Bench]:
    """spaCy's pkuseg tokenizer and ours with segmenter="pkuseg", on the same texts."""
    import spacy

    from zh_invest_ner.text.tokenizer import NormalizingTokenizer

    plain = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    plain.tokenizer.initialize(pkuseg_model=str(model_dir))
    ours = NormalizingTokenizer(plain.vocab, segmenter="pkuseg")
    ours.initialize(pkuseg_model=str(model_dir))
    return [
        Bench("(e) spaCy pkuseg tokenizer, simplified", lambda ts: [plain.tokenizer(t) for t in ts], texts),
        Bench("(e) NormalizingTokenizer(pkuseg), simplified", lambda ts: [ours(t) for t in ts], texts),
    ]


# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# (f)-(h): the corpus engine (issue 7): one process, two processes, the jieba peer


_PEER_VERBS = ("会见", "会晤", "接见", "拜访", "座谈", "会谈", "接待", "考察")


def jieba_peer(texts: Sequence[str]) -> list[tuple[str, str]]:
    """A hand-rolled extractor of the kind users write first: jieba.posseg and title words.

    Per sentence with a meeting verb, every ``nr`` (person) after an official title is
    paired with every ``nr`` after an executive title. It is the speed yardstick for the
    library (its accuracy is far lower), so it does just enough work to be a fair peer.
    """
    import jieba.posseg as pseg

    from zh_invest_ner import lexicons

    titles = lexicons.titles()
    pairs = []
    for text in texts:
        for sentence in re.split("[。！？；\n]", text):
            if not any(v in sentence for v in _PEER_VERBS):
                continue
            officials, executives, last_role = [], [], None
            for word, flag in pseg.cut(sentence):
                role = titles.get(word)
                if role is not None:
                    last_role = role
                elif flag == "nr":
                    (officials if last_role == "official" else executives).append(word)
            pairs.extend((o, x) for o in officials for x in executives)
    return pairs


def child_peak_mb(argv: list[str]) -> tuple[float, float]:
    """Run ``argv``; its wall seconds and peak resident memory (MB).

    The peak is the child's own ``VmHWM``, polled from ``/proc`` until it exits: the
    ``ru_maxrss`` that ``wait4`` reports counts the pages the child shared with this
    (large) process between fork and exec, and so reported this benchmark's own size.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_kb = 0
    status_file = Path(f"/proc/{proc.pid}/status")
    while proc.poll() is None:
        try:
            for line in status_file.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kb = max(peak_kb, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        err = proc.stderr.read().decode(errors="replace")[-500:] if proc.stderr else ""
        raise SystemExit(f"{' '.join(argv[:4])}… failed ({proc.returncode}): {err}")
    return seconds, peak_kb / 1024


def corpus_benches(nlp: Any, texts: list[str]) -> list[Bench]:
    import spacy

    blank = spacy.blank("zh")
    return [
        Bench('(f) spacy.blank("zh") tokenizer (the floor)', lambda ts: [blank.tokenizer(t) for t in ts], texts),
        Bench("(f) full pipeline, one process", lambda ts: list(nlp.pipe(ts, batch_size=32)), texts),
        Bench("(f) full pipeline, n_process=2", lambda ts: list(nlp.pipe(ts, batch_size=32, n_process=2)), texts),
        Bench("(f) jieba.posseg peer", jieba_peer, texts),
    ]


def corpus_section(args: argparse.Namespace, nlp: Any, working: list[str]) -> None:
    """(f) chars/s side by side on one ≥1M-character corpus, (g) peak memory, (h) CLI cold start."""
    import json as _json
    import tempfile

    texts = []
    while sum(map(len, texts)) < args.corpus_chars:
        texts.extend(working)
    texts = texts[: next(i for i in range(len(texts) + 1) if sum(map(len, texts[:i])) >= args.corpus_chars)]
    benches = corpus_benches(nlp, texts)
    run_interleaved(benches, args.corpus_rounds, warmup=2)
    floor, one, two, peer = benches
    print()
    print(f"(f) corpus: {len(texts)} of our own articles, {floor.chars:,} chars, {args.corpus_rounds} rounds")
    print(TABLE_HEAD)
    print("-" * len(TABLE_HEAD))
    for row in format_rows(benches):
        print(row)
    print(ratio_line("full pipeline, one process, vs the jieba.posseg peer (chars/s)", one.rate() / peer.rate()))
    print(ratio_line("full pipeline, n_process=2 vs one process (chars/s)", two.rate() / one.rate()))
    print(ratio_line("full pipeline, one process, vs the blank tokenizer (chars/s)", one.rate() / floor.rate()))
    print(f"  full pipeline, one process: {one.rate():,.0f} chars/s; n_process=2: {two.rate():,.0f} chars/s")

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as f:
            for i, t in enumerate(texts):
                f.write(_json.dumps({"id": f"a{i}", "text": t}, ensure_ascii=False) + "\n")
        cli = [sys.executable, "-m", "zh_invest_ner.cli"]
        model = ["--model", str(args.model)] if args.model else []
        seconds, peak = child_peak_mb([*cli, "extract", str(corpus), "--output", str(Path(tmp) / "m.jsonl"),
                                       "--no-progress", *model])
        print(f"(g) peak memory of `zh-invest-ner extract corpus.jsonl --output m.jsonl` (one process, "
              f"{len(texts)} articles): {peak:,.0f} MB ({seconds:.0f}s)")
        starts = [child_peak_mb([*cli, "extract", str(ROOT / "examples" / "article_01.txt"), "--format", "jsonl",
                                 *model])[0] for _ in range(3)]
        print(f"(h) CLI cold start (import, load, first article): median {statistics.median(starts):.2f}s "
              f"(min {min(starts):.2f}s, max {max(starts):.2f}s, 3 runs)")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=None, help="a saved pipeline instead of the shipped one")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per piece (default: 5)")
    parser.add_argument("--mb", type=float, default=1.0,
                        help="size of the simplified corpus in MB of UTF-8 (default: 1.0)")
    parser.add_argument("--pipeline-mb", type=float, default=0.25,
                        help="part of the corpus the full pipeline and extract() run on, in MB (default: 0.25; "
                             "the full pipeline is over 100x slower per char than the tokenizer)")
    parser.add_argument("--pinyin-share", type=float, default=0.2,
                        help="share of hanzi given a pinyin reading in the traditional corpus (default: 0.2)")
    parser.add_argument("--import-rounds", type=int, default=5, help="fresh interpreters per import (default: 5)")
    parser.add_argument("--pkuseg-model", default=None, help="a local spacy_pkuseg model directory for (e)")
    parser.add_argument("--corpus-chars", type=int, default=1_000_000,
                        help="size of the (f) corpus: one process, two processes, the jieba peer (default: 1,000,000)")
    parser.add_argument("--corpus-rounds", type=int, default=3, help="timed rounds in (f) (default: 3)")
    parser.add_argument("--skip-corpus", action="store_true", help="leave out (f)-(h)")
    return parser.parse_args(argv)


def ratio_line(label: str, value: float, note: str = "") -> str:
    return f"  {label:<72} {value:>7.2f}x" + (f"   {note}" if note else "")


def share_line(label: str, value: float) -> str:
    return f"  {label:<72} {100 * value:>7.1f}%"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()

    # (d) first, while this process has imported nothing heavy yet (it does not matter for
    # the fresh interpreters, but keeps the machine quiet before the big allocations).
    probes: dict[str, list[dict[str, Any]]] = {"spacy": [], "zh_invest_ner": []}
    for _ in range(args.import_rounds):
        for module in probes:
            probes[module].append(import_probe(module))

    import spacy

    import zh_invest_ner
    from zh_invest_ner.text.normalizer import normalize

    load_started = time.perf_counter()  # before the long measurements: a bad --model fails fast
    try:
        nlp = zh_invest_ner.load(args.model)
    except OSError as e:
        raise SystemExit(f"cannot load the pipeline: {e} (or pass --model PATH)") from e
    load_seconds = time.perf_counter() - load_started

    by_id = source_texts()
    sources = simplify(list(by_id.values()))
    simplified = repeat_to_size(sources, int(args.mb * 1_000_000))
    traditional = traditional_with_pinyin(simplified, args.pinyin_share)
    check_started = time.perf_counter()
    failed = pipeline_failures(nlp, dict(zip(by_id, sources, strict=True)))
    check_seconds = time.perf_counter() - check_started
    working = [t for key, t in zip(by_id, sources, strict=True) if key not in failed]
    pipeline_texts = repeat_to_size(working, int(args.pipeline_mb * 1_000_000))
    hanzi = sum(len(_HANZI_RE.findall(t)) for t in simplified)
    readings = sum(t.count("(") for t in traditional) - sum(t.count("(") for t in simplified)
    same_after = sum(normalize(a).text == normalize(b).text for a, b in zip(simplified, traditional, strict=True))

    print(f"corpus: {len(sources)} distinct texts from examples/ and training_data/articles.jsonl")
    print(f"  simplified:            {len(simplified)} docs, {sum(map(len, simplified)):,} chars, "
          f"{sum(len(t.encode()) for t in simplified) / 1e6:.2f} MB UTF-8, {hanzi:,} hanzi")
    print(f"  traditional + pinyin:  {len(traditional)} docs, {sum(map(len, traditional)):,} chars, "
          f"{readings:,} readings ({readings / hanzi:.0%} of hanzi)")
    print(f"  normalize(traditional+pinyin).text == normalize(simplified).text for "
          f"{same_after}/{len(simplified)} docs (s2t->t2s is not always a round trip)")
    print(f"  pipeline/extract subset: {len(pipeline_texts)} docs, {sum(map(len, pipeline_texts)):,} chars")
    print(f"  pipeline check over the {len(sources)} distinct texts ({check_seconds:.0f}s): "
          + (f"{len(failed)} raised, left out of (c):" if failed else "none raised"))
    for key, error in failed.items():
        print(f"    {key}: {error[:150]}")
    print(f"rounds: {args.rounds} (interleaved), medians quoted")
    print()

    # (a) normaliser and (b) tokenizers, interleaved in one loop.
    blank = spacy.blank("zh")
    ours = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1"}}})
    basic = [
        Bench("(a) normalize(), simplified", lambda ts: [normalize(t) for t in ts], simplified),
        Bench("(a) normalize(), traditional + pinyin", lambda ts: [normalize(t) for t in ts], traditional),
        Bench('(b) spacy.blank("zh") char tokenizer, simplified', lambda ts: [blank.tokenizer(t) for t in ts],
              simplified),
        Bench("(b) NormalizingTokenizer, simplified", lambda ts: [ours.tokenizer(t) for t in ts], simplified),
        Bench('(b) spacy.blank("zh") char tokenizer, trad + pinyin', lambda ts: [blank.tokenizer(t) for t in ts],
              traditional),
        Bench("(b) NormalizingTokenizer, traditional + pinyin", lambda ts: [ours.tokenizer(t) for t in ts],
              traditional),
    ]
    run_interleaved(basic, args.rounds)
    print(f"(a)+(b) done at {time.perf_counter() - began:.0f}s", flush=True)

    # (c) the full pipeline and extract(), on the same texts, interleaved.
    full = [
        Bench("(c) nlp.pipe, full pipeline", lambda ts: list(nlp.pipe(ts)), pipeline_texts),
        Bench("(c) zh_invest_ner.extract(texts)", lambda ts: zh_invest_ner.extract(list(ts), nlp=nlp),
              pipeline_texts),
    ]
    run_interleaved(full, args.rounds)
    print(f"(c) done at {time.perf_counter() - began:.0f}s", flush=True)

    # (e) pkuseg, when it can run here.
    model_dir, why_not = pkuseg_model_dir(args.pkuseg_model)
    seg: list[Bench] = []
    if model_dir is not None:
        try:
            seg = pkuseg_benches(model_dir, pipeline_texts)
            run_interleaved(seg, args.rounds)
        except Exception as e:  # noqa: BLE001 - an optional piece reports why it could not run
            seg, why_not = [], f"pkuseg model {model_dir} could not be used: {type(e).__name__}: {e}"

    print()
    print(TABLE_HEAD)
    print("-" * len(TABLE_HEAD))
    for row in format_rows(basic) + format_rows(full) + format_rows(seg):
        print(row)
    if not seg:
        print(f"(e) pkuseg segmenter: skipped: {why_not}")
    print()
    heavy_found = sorted({m for p in probes["zh_invest_ner"] for m in p["heavy"]})
    imp_head = f"{'import, fresh interpreter':<50} {'median s':>8} {'min s':>8} {'max s':>8} {'modules':>8}"
    print(imp_head)
    print("-" * len(imp_head))
    import_median = {}
    for module, runs in probes.items():
        secs = [p["seconds"] for p in runs]
        import_median[module] = statistics.median(secs)
        print(f"{'(d) import ' + module:<50} {import_median[module]:>8.3f} {min(secs):>8.3f} {max(secs):>8.3f} "
              f"{runs[-1]['modules']:>8}")
    extra = sorted(set(probes["zh_invest_ner"][-1]["top"]) - set(probes["spacy"][-1]["top"]) - {"zh_invest_ner"})
    public = [m for m in extra if not m.startswith("_")]
    print(f"(d) top-level packages import zh_invest_ner adds to import spacy: {', '.join(public) or '-'}")
    if heavy_found:
        print(f"(d) FAIL: import zh_invest_ner loaded {', '.join(heavy_found)} "
              f"(must stay off the core import path: {', '.join(HEAVY_MODULES)})")
    else:
        print(f"(d) OK: after import zh_invest_ner none of {', '.join(HEAVY_MODULES)} is in sys.modules")
    print()

    a_simp, a_trad, b_blank, b_ours, b_blank_trad, b_ours_trad = basic
    pipe, extract = full
    per_char = lambda b: b.median / b.chars  # noqa: E731 - seconds per character at the median
    print("ratios (medians of the same run)")
    print(ratio_line("normalize: traditional+pinyin vs simplified, time per char", per_char(a_trad) / per_char(a_simp)))
    print(ratio_line("NormalizingTokenizer vs spacy.blank('zh') char tokenizer, simplified",
                     b_ours.median / b_blank.median))
    print(ratio_line("NormalizingTokenizer vs spacy.blank('zh') char tokenizer, trad+pinyin",
                     b_ours_trad.median / b_blank_trad.median, "(per input char; ours also drops the readings)"))
    print(share_line("normalize() time as a share of NormalizingTokenizer time, simplified",
                     a_simp.median / b_ours.median))
    print(ratio_line("full pipeline vs NormalizingTokenizer, time per char", per_char(pipe) / per_char(b_ours)))
    print(share_line("NormalizingTokenizer as a share of full-pipeline time per char",
                     per_char(b_ours) / per_char(pipe)))
    # extract() adds little to nlp.pipe, less than the noise between rounds: the ratio of the
    # fastest rounds is the steadier estimate of that overhead, so both are printed.
    print(ratio_line("extract() vs nlp.pipe on the same texts", extract.median / pipe.median,
                     f"(overhead {100 * (extract.median / pipe.median - 1):+.1f}%; fastest rounds: "
                     f"{100 * (min(extract.times) / min(pipe.times) - 1):+.1f}%)"))
    print(ratio_line("import zh_invest_ner vs import spacy", import_median["zh_invest_ner"] / import_median["spacy"]))
    if seg:
        print(ratio_line("spaCy pkuseg tokenizer vs spacy.blank('zh') char tokenizer, time per char",
                         per_char(seg[0]) / per_char(b_blank)))
        print(ratio_line("NormalizingTokenizer(pkuseg) vs spaCy pkuseg tokenizer", seg[1].median / seg[0].median))
    if not args.skip_corpus:
        corpus_section(args, nlp, working)
    print()
    model = str(args.model) if args.model else str(zh_invest_ner.model_path())
    print(f"model: {model} ({', '.join(nlp.pipe_names)}), loaded in {load_seconds:.2f}s")
    print(f"total wall time: {time.perf_counter() - began:.0f}s")
    return 1 if heavy_found else 0


if __name__ == "__main__":
    sys.exit(main())
