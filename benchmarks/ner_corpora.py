"""How the shipped NER generalises beyond our own training data, on public Chinese NER test sets.

Why this exists: our model is trained on a couple of hundred investment-promotion
articles, and its held-out score only says how well it does on more of the same. The
public test sets in ``../shared/corpora`` (CLUENER2020 dev, MSRA, People's Daily 1998,
Resume) are other people's news and resumes with other people's annotation guidelines,
so their scores show how far the model travels. They are evaluation data only: this
script reads them from outside the repository and never copies their text anywhere.

Each corpus has its own label set, so we map it onto ours and score in the corpus's
label space: gold labels with no counterpart are dropped, and so are our predictions
whose label has no counterpart (e.g. TOPIC everywhere, TITLE on MSRA). Where a corpus
has one ORG class covering companies, government bodies and other organisations, our
COMPANY, GOV and ORG predictions all count as ORG.

Offsets: the pipeline's tokenizer normalises the text (NFKC turns full-width digits and
letters half-width, traditional becomes simplified, pinyin annotations go), so
``doc.text`` can differ from the sentence we passed in. Predicted spans are mapped back
with ``span._.original_offsets`` before they are compared with the gold offsets.

Only the components that produce entities run (everything up to ``ner``, then
``zh_entity_cleaner`` and ``zh_name_finder``), so the scores are those of the entities
users get, without paying for the relation components.

Usage::

    python benchmarks/ner_corpora.py                 # the shipped model, all sentences
    python benchmarks/ner_corpora.py --limit 500 --json /tmp/ner_corpora.json
    python benchmarks/ner_corpora.py --model /path/to/pipeline --only cluener resume
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora"

# Components whose output is entities; everything after ``ner`` that is not listed here
# (topics, roles, meetings) is switched off for scoring.
ENTITY_COMPONENTS = ("zh_entity_cleaner", "zh_name_finder")

Entity = tuple[int, int, str]  # (start, end) in the original sentence, corpus label


@dataclass
class Sentence:
    """One test sentence and its gold entities, already restricted to the mapped labels."""

    text: str
    gold: set[Entity]


Reader = Callable[[Path, frozenset[str]], list[Sentence]]


@dataclass(frozen=True)
class Corpus:
    """A test set and how its labels relate to ours.

    ``pred_map`` sends each of our labels that has a counterpart to the corpus label it
    is scored as; the corpus labels scored are exactly its values.
    """

    key: str
    title: str
    folder: str
    filename: str
    reader: Reader
    pred_map: Mapping[str, str]
    # Published F1 (percent) per corpus label and "overall", by reference model name.
    references: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        """Corpus labels scored, in a stable order (first appearance in ``pred_map``)."""
        return list(dict.fromkeys(self.pred_map.values()))

    def ours_for(self, label: str) -> str:
        """Our labels counted as ``label``, e.g. ``ORG+COMPANY+GOV``."""
        ours = [o for o, c in self.pred_map.items() if c == label]
        ours.sort(key=lambda o: (o != label, o))  # the namesake first: ORG+COMPANY+GOV
        return "+".join(ours)


# ---------------------------------------------------------------------------
# Readers


def read_cluener(path: Path, keep: frozenset[str]) -> list[Sentence]:
    """CLUENER JSON lines: ``{"text", "label": {type: {mention: [[start, end_inclusive], ...]}}}``."""
    sentences = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            gold = {
                (start, end + 1, label)
                for label, mentions in (record.get("label") or {}).items()
                if label in keep
                for spans in mentions.values()
                for start, end in spans
            }
            sentences.append(Sentence(record["text"], gold))
    return sentences


def decode_tags(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entity spans from per-character BIO or BMES tags.

    ``B``/``S`` open an entity, ``I``/``M``/``E`` continue it, ``E``/``S`` close it. A
    continuation tag whose type differs from the open entity, or with no entity open,
    opens a new one (lenient, as conlleval does), so malformed sequences still score.
    """
    spans: set[tuple[int, int, str]] = set()
    start, label = -1, ""

    def close(end: int) -> None:
        nonlocal start, label
        if start >= 0:
            spans.add((start, end, label))
        start, label = -1, ""

    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        if prefix == "O" or not kind:
            close(i)
            continue
        if prefix in ("B", "S") or start < 0 or kind != label:
            close(i)
            start, label = i, kind
        if prefix in ("E", "S"):
            close(i + 1)
    close(len(tags))
    return spans


def char_tagged_reader(separator: str) -> Reader:
    """A reader for one ``char<separator>tag`` a line, blank line between sentences."""

    def read(path: Path, keep: frozenset[str]) -> list[Sentence]:
        sentences: list[Sentence] = []
        chars: list[str] = []
        tags: list[str] = []

        def flush() -> None:
            if chars:
                gold = {e for e in decode_tags(tags) if e[2] in keep}
                sentences.append(Sentence("".join(chars), gold))
            chars.clear()
            tags.clear()

        with path.open(encoding="utf-8") as f:
            for lineno, raw in enumerate(f, 1):
                line = raw.rstrip("\r\n")
                if not line.strip():
                    flush()
                    continue
                char, sep, tag = line.rpartition(separator)
                if not sep or len(char) != 1:
                    raise ValueError(f"{path}:{lineno}: expected one character, {separator!r} and a tag")
                chars.append(char)
                tags.append(tag)
        flush()
        return sentences

    return read


_ORG_ALL = {"ORG": "ORG", "COMPANY": "ORG", "GOV": "ORG"}

CORPORA: tuple[Corpus, ...] = (
    Corpus(
        key="cluener",
        title="CLUENER2020 dev",
        folder="cluener2020",
        filename="dev.json",
        reader=read_cluener,
        pred_map={"PERSON": "name", "COMPANY": "company", "GOV": "government", "TITLE": "position",
                  "ORG": "organization", "GPE": "address"},
        # From the corpora README: models trained on CLUENER's own training set.
        references={
            "BiLSTM-CRF": {"overall": 70.00, "name": 74.04, "company": 72.27, "government": 77.25,
                           "position": 70.16},
            "BERT-base": {"overall": 78.82, "name": 88.75, "company": 81.42, "government": 87.03,
                          "position": 78.89},
        },
    ),
    Corpus(
        key="msra",
        title="MSRA test",
        folder="msra_ner",
        filename="test.bio",
        reader=char_tagged_reader("\t"),
        pred_map={"PERSON": "PER", **_ORG_ALL, "GPE": "LOC"},
    ),
    Corpus(
        key="peoples_daily",
        title="People's Daily 1998 test",
        folder="peoples_daily_1998_ner",
        filename="test.bio",
        reader=char_tagged_reader(" "),
        pred_map={"PERSON": "PER", **_ORG_ALL, "GPE": "LOC"},
    ),
    Corpus(
        key="resume",
        title="Resume test",
        folder="resume_ner",
        filename="test.char.bmes",
        reader=char_tagged_reader(" "),
        pred_map={"PERSON": "NAME", **_ORG_ALL, "TITLE": "TITLE", "GPE": "LOC"},
    ),
)


# ---------------------------------------------------------------------------
# Scoring


@dataclass
class Counts:
    """True positives, false positives and false negatives of exact-span matching."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def pred(self) -> int:
        return self.tp + self.fp

    @property
    def p(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def add(self, gold: set[Entity], pred: set[Entity]) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def as_dict(self) -> dict[str, float | int]:
        return {"gold": self.gold, "pred": self.pred, "tp": self.tp,
                "p": round(self.p, 4), "r": round(self.r, 4), "f": round(self.f, 4)}


@dataclass
class Tally:
    """What happened to the predictions besides their scores."""

    dropped: Counter[str] = field(default_factory=Counter)  # ours with no counterpart, by our label
    changed: int = 0  # sentences whose normalised text differs from the input
    failed: list[str] = field(default_factory=list)  # errors of sentences the pipeline raised on


@dataclass
class CorpusResult:
    """Scores and cost of one corpus run."""

    corpus: Corpus
    sentences: int
    chars: int
    seconds: float
    per_label: dict[str, Counts]
    micro: Counts
    tally: Tally

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.corpus.title,
            "sentences": self.sentences,
            "chars": self.chars,
            "seconds": round(self.seconds, 2),
            "chars_per_second": round(self.chars / self.seconds) if self.seconds else None,
            "label_map": {label: self.corpus.ours_for(label) for label in self.corpus.labels},
            "labels": {label: c.as_dict() for label, c in self.per_label.items()},
            "micro": self.micro.as_dict(),
            "dropped_predictions": dict(self.tally.dropped),
            "sentences_changed_by_normalisation": self.tally.changed,
            "sentences_failed": len(self.tally.failed),
            "failures": self.tally.failed[:20],
            "published_reference_f1": {k: dict(v) for k, v in self.corpus.references.items()},
        }


def entity_pipes(pipe_names: list[str]) -> list[str]:
    """Components to run: those up to and including ``ner``, plus the entity repairers."""
    if "ner" not in pipe_names:
        raise SystemExit(f"the pipeline has no 'ner' component (it has: {', '.join(pipe_names)})")
    head = pipe_names[: pipe_names.index("ner") + 1]
    return head + [n for n in pipe_names if n in ENTITY_COMPONENTS and n not in head]


def _docs(nlp: Any, texts: list[str], batch_size: int, tally: Tally) -> Iterator[Any]:
    """``nlp.pipe`` a batch at a time; a batch that raises is redone one sentence at a time.

    A sentence the pipeline cannot process yields ``None`` (no predictions, so its gold
    entities count as missed) and its error is kept, as ``extract()`` does for documents:
    one bad sentence must not stop the benchmark or hide the rest of the corpus.
    """
    for i in range(0, len(texts), batch_size):
        batch = texts[i : i + batch_size]
        try:
            yield from list(nlp.pipe(batch, batch_size=batch_size))
            continue
        except Exception:  # noqa: BLE001 - isolate the failing sentence below
            pass
        for text in batch:
            try:
                yield nlp(text)
            except Exception as e:  # noqa: BLE001 - reported in the output
                tally.failed.append(f"{type(e).__name__}: {e}"[:200])
                yield None


def predicted_entities(nlp: Any, texts: list[str], pred_map: Mapping[str, str], batch_size: int,
                       tally: Tally) -> Iterator[set[Entity]]:
    """Our entities per sentence, in original-text offsets and corpus labels."""
    for text, doc in zip(texts, _docs(nlp, texts, batch_size, tally), strict=True):
        found: set[Entity] = set()
        if doc is None:
            yield found
            continue
        source = doc._.source
        if source is not None and source.original != text:
            raise RuntimeError("doc._.source.original is not the sentence passed in: offsets cannot be mapped")
        if doc.text != text:
            tally.changed += 1
        for ent in doc.ents:
            label = pred_map.get(ent.label_)
            if label is None:
                tally.dropped[ent.label_] += 1
                continue
            start, end = ent._.original_offsets
            found.add((start, end, label))
        yield found


def evaluate(nlp: Any, corpus: Corpus, sentences: list[Sentence], batch_size: int) -> CorpusResult:
    """Run the entity components over the sentences and score exact spans."""
    labels = corpus.labels
    per_label = {label: Counts() for label in labels}
    micro = Counts()
    tally = Tally()
    texts = [s.text for s in sentences]
    started = time.perf_counter()
    for sentence, pred in zip(sentences, predicted_entities(nlp, texts, corpus.pred_map, batch_size, tally),
                              strict=True):
        micro.add(sentence.gold, pred)
        for label in labels:
            per_label[label].add({e for e in sentence.gold if e[2] == label}, {e for e in pred if e[2] == label})
    seconds = time.perf_counter() - started
    return CorpusResult(corpus, len(sentences), sum(map(len, texts)), seconds, per_label, micro, tally)


# ---------------------------------------------------------------------------
# Output


def _pct(x: float) -> str:
    return f"{100 * x:6.2f}"


def format_table(results: list[CorpusResult]) -> str:
    """Corpus, label (and which of ours it is scored against), gold count, P, R, F."""
    rows = [f"{'corpus':<25} {'label (scored from ours)':<32} {'gold':>6} {'pred':>6} "
            f"{'P':>6} {'R':>6} {'F1':>6}"]
    rows.append("-" * len(rows[0]))
    for res in results:
        for label, c in res.per_label.items():
            name = f"{label} <- {res.corpus.ours_for(label)}"
            rows.append(f"{res.corpus.title:<25} {name:<32} {c.gold:>6} {c.pred:>6} "
                        f"{_pct(c.p)} {_pct(c.r)} {_pct(c.f)}")
        m = res.micro
        rows.append(f"{res.corpus.title:<25} {'micro (mapped labels)':<32} {m.gold:>6} {m.pred:>6} "
                    f"{_pct(m.p)} {_pct(m.r)} {_pct(m.f)}")
        rows.append("")
    return "\n".join(rows).rstrip()


def format_references(res: CorpusResult) -> str:
    """Our F1 beside the published ones, with the caveats that make them not like for like."""
    refs = res.corpus.references
    names = list(refs)
    head = f"{'label':<32} {'ours F1':>8}" + "".join(f" {n:>11}" for n in names)
    rows = [f"{res.corpus.title}: ours vs published reference F1", head, "-" * len(head)]
    for label, c in res.per_label.items():
        cells = "".join(f" {refs[n][label]:>11.2f}" if label in refs[n] else f" {'-':>11}" for n in names)
        rows.append(f"{label + ' <- ' + res.corpus.ours_for(label):<32} {100 * c.f:>8.2f}{cells}")
    cells = "".join(f" {refs[n]['overall']:>11.2f}" if "overall" in refs[n] else f" {'-':>11}" for n in names)
    rows.append(f"{'overall':<32} {100 * res.micro.f:>7.2f}*{cells}")
    rows.append("  The references were trained on CLUENER's own training set (same source, same guidelines);")
    rows.append("  ours never saw any CLUENER data. * ours: micro F1 over the 6 mapped labels only; the")
    rows.append("  references' overall covers all 10 CLUENER labels (incl. game, book, movie, scene).")
    return "\n".join(rows)


def format_costs(results: list[CorpusResult], total: float) -> str:
    """What each corpus cost, and which of our predictions had nothing to be scored against."""
    rows = [f"{'corpus':<25} {'sentences':>9} {'chars':>8} {'seconds':>8} {'chars/s':>8} "
            f"{'normalised':>10} {'failed':>6}  dropped predictions (no counterpart)"]
    rows.append("-" * len(rows[0]))
    for res in results:
        rate = res.chars / res.seconds if res.seconds else 0.0
        dropped = ", ".join(f"{k} {v}" for k, v in sorted(res.tally.dropped.items())) or "-"
        rows.append(f"{res.corpus.title:<25} {res.sentences:>9} {res.chars:>8} {res.seconds:>8.1f} {rate:>8.0f} "
                    f"{res.tally.changed:>10} {len(res.tally.failed):>6}  {dropped}")
    rows.append(f"{'total':<25} {sum(r.sentences for r in results):>9} {sum(r.chars for r in results):>8} "
                f"{total:>8.1f}")
    rows.append("  normalised = sentences whose doc.text differs from the input (offsets mapped back);")
    rows.append("  failed = sentences the pipeline raised on (scored as no predictions).")
    for res in results:
        for error in dict.fromkeys(res.tally.failed[:3]):
            rows.append(f"  {res.corpus.title} failure: {error}")
    return "\n".join(rows)


# ---------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA,
                        help=f"folder with the corpora (default: {DEFAULT_CORPORA})")
    parser.add_argument("--model", type=Path, default=None,
                        help="a saved pipeline to evaluate instead of the shipped one")
    parser.add_argument("--limit", type=int, default=None, help="first N sentences of each corpus (default: all)")
    parser.add_argument("--only", nargs="+", choices=[c.key for c in CORPORA], default=None,
                        help="run only these corpora")
    parser.add_argument("--batch-size", type=int, default=64, help="nlp.pipe batch size (default: 64)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    import zh_invest_ner  # after argument parsing, so --help is instant

    model = str(args.model) if args.model else str(zh_invest_ner.model_path())
    try:
        nlp = zh_invest_ner.load(args.model)
    except OSError as e:
        raise SystemExit(f"cannot load the pipeline: {e} (or pass --model PATH)") from e
    loaded = time.perf_counter() - began
    enabled = entity_pipes(nlp.pipe_names)
    missing = [n for n in ENTITY_COMPONENTS if n not in nlp.pipe_names]
    own = (nlp.meta.get("performance") or {}).get("ents_f")
    print(f"model: {model} (loaded in {loaded:.1f}s)"
          + (f"; its held-out entity F1 on our own articles: {100 * own:.2f}" if own is not None else ""))
    print(f"components run: {', '.join(enabled)}"
          + (f"  [absent from this model: {', '.join(missing)}]" if missing else ""))
    print(f"disabled: {', '.join(n for n in nlp.pipe_names if n not in enabled) or '-'}")
    print(f"corpora: {args.corpora}   limit: {args.limit or 'all'} sentences per corpus")
    print()

    results: list[CorpusResult] = []
    skipped: dict[str, str] = {}
    with nlp.select_pipes(enable=enabled):
        for corpus in CORPORA:
            if args.only and corpus.key not in args.only:
                continue
            path = args.corpora / corpus.folder / corpus.filename
            if not path.exists():
                skipped[corpus.key] = f"{path} not found"
                print(f"skipping {corpus.title}: {path} not found")
                continue
            sentences = corpus.reader(path, frozenset(corpus.labels))
            if args.limit is not None:
                sentences = sentences[: args.limit]
            res = evaluate(nlp, corpus, sentences, args.batch_size)
            print(f"{corpus.title}: {res.sentences} sentences, {res.chars} chars in {res.seconds:.1f}s", flush=True)
            results.append(res)
    total = time.perf_counter() - began
    print()
    if not results:
        print("no corpus found: nothing to score")
        return 0
    print("Exact-span entity scores (percent); gold labels without a counterpart in ours are ignored,")
    print("and predictions of ours without a counterpart are dropped before scoring.")
    print()
    print(format_table(results))
    for res in results:
        if res.corpus.references:
            print()
            print(format_references(res))
    print()
    print(format_costs(results, sum(r.seconds for r in results)))
    print()
    print(f"wall time incl. loading the model and reading the corpora: {total:.1f}s")
    if args.json:
        payload = {
            "model": model,
            "components": enabled,
            "limit": args.limit,
            "seconds_total": round(total, 2),
            "corpora": {r.corpus.key: r.as_dict() for r in results},
            "skipped": skipped,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
