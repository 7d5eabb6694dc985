"""Which NER shape to ship: train variants on the same data and compare them in one table.

Why this exists: the NER learned our own articles, not the genre (CLUENER2020 dev F1 under
0.45 for every label), and ``zh-invest-ner train`` must stay under 20 minutes on 2 cores
when the training data grows to ~1,000 articles (+2 augmented copies each). Lexicon
features (``zh_lexicon_features``) and a smaller tok2vec pull in opposite directions on
these two goals, so each variant is trained exactly as ``zh-invest-ner train`` trains
(same split, seed 0, same augmentation and checkpoint choice) for a fixed, reduced number
of steps, and then scored on

* the held-out articles (entity F1 of the whole pipeline, rules included, per label),
* CLUENER2020 dev (``benchmarks/ner_corpora.py``'s mapping: name, company, government,
  position), evaluation data only, read from ``../shared/corpora``,
* speed: chars/s of the entity components on CLUENER, and training minutes.

``est.full`` extrapolates a variant's training time to the config's ``max_steps`` and
~1,000 articles (``--target-articles``): the steps' time scales with the characters the
batch schedule feeds them (batches grow from 300 to 2,000 characters), the checkpoint
evaluations with the held-out characters, and the rest (reading the data, initialising,
the final evaluation) with the number of articles. Times are CPU seconds of this process:
training is single-threaded, and the wall clock also counts other people's jobs.

The training data is snapshotted once at the start (other people rebuild
``training_data/articles.jsonl`` while this runs), so every variant sees the same articles.

Usage::

    python benchmarks/ner_shapes.py                       # all variants, 1200 steps each
    python benchmarks/ner_shapes.py --steps 600 --only a b --json /tmp/ner_shapes.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ner_corpora  # noqa: E402  (the sibling benchmark: corpora, label maps, scoring)

CLUENER_LABELS = ("name", "company", "government", "position")
LABELS = ("PERSON", "TITLE", "COMPANY", "GOV", "ORG", "GPE", "TOPIC")


@dataclass(frozen=True)
class Variant:
    """A named change to ``data/pipeline.cfg``: tok2vec width and depth, features on or off."""

    key: str
    width: int
    depth: int
    features: bool
    segmenter: str | None = None
    window: int = 1
    broad_augment: bool = False  # copies also substitute places inside GOV/ORG and titles
    kind: str = "parser"  # "parser": spaCy's transition-based ner; "tagger": BILUO tags + zh_biluo_entities
    attrs: tuple[str, ...] = ("NORM", "SHAPE")  # embedded token attributes (TAG is added with the features)

    @property
    def title(self) -> str:
        attrs = "+".join(self.attrs) + ("+lex" if self.features else "")
        attrs += f"+{self.segmenter}" if self.segmenter else ""
        window = f" win{self.window}" if self.window != 1 else ""
        aug = " +aug" if self.broad_augment else ""
        return f"{self.key}: {self.kind} w{self.width} d{self.depth}{window} {attrs}{aug}"


VARIANTS = (
    Variant("a", 128, 6, features=False),
    Variant("b", 128, 6, features=True),
    Variant("c", 96, 4, features=True),
    Variant("e", 96, 4, features=True, broad_augment=True),
    Variant("c2", 64, 2, features=True, window=2),
    Variant("f", 64, 2, features=True, window=2, broad_augment=True),
    Variant("d", 96, 4, features=True, segmenter="jieba"),
    # issue 7: the tagger-based NER and the embedded attributes, beside the shipped shape (c2)
    Variant("t2", 64, 2, features=True, window=2, kind="tagger"),
    Variant("t4", 96, 4, features=True, kind="tagger"),
    Variant("t6", 128, 6, features=True, kind="tagger"),
    Variant("n2", 64, 2, features=True, window=2, attrs=("NORM",)),
    Variant("tn2", 64, 2, features=True, window=2, kind="tagger", attrs=("NORM",)),
    Variant("tp2", 64, 2, features=True, window=2, kind="tagger", attrs=("NORM", "SHAPE", "PREFIX")),
)

ROWS = {"NORM": 6000, "SHAPE": 200, "PREFIX": 2000, "SUFFIX": 2000, "TAG": 1000}


def variant_config(variant: Variant) -> Any:
    """``data/pipeline.cfg`` changed to the variant's shape."""
    from spacy.util import load_config_from_str

    from zh_invest_ner.training import base_config

    config = load_config_from_str(base_config())
    tok2vec = config["components"]["ner"]["model"]["tok2vec"]
    tok2vec["embed"]["width"] = variant.width
    tok2vec["encode"]["width"] = variant.width
    tok2vec["encode"]["depth"] = variant.depth
    tok2vec["encode"]["window_size"] = variant.window
    if variant.features:
        if "zh_lexicon_features" not in config["nlp"]["pipeline"]:
            raise SystemExit("data/pipeline.cfg has no zh_lexicon_features component to vary")
        tok2vec["embed"]["attrs"] = [*variant.attrs, "TAG"]
        tok2vec["embed"]["rows"] = [ROWS[a] for a in tok2vec["embed"]["attrs"]]
        config["components"]["zh_lexicon_features"]["segmenter"] = variant.segmenter
        config["training"]["annotating_components"] = ["zh_lexicon_features"]
    else:
        config["nlp"]["pipeline"] = [p for p in config["nlp"]["pipeline"] if p != "zh_lexicon_features"]
        config["components"].pop("zh_lexicon_features", None)
        config["initialize"]["components"].pop("zh_lexicon_features", None)
        config["training"]["annotating_components"] = []
        tok2vec["embed"]["attrs"] = list(variant.attrs)
        tok2vec["embed"]["rows"] = [ROWS[a] for a in variant.attrs]
    if variant.kind == "tagger":
        as_tagger(config)
    return config


def as_tagger(config: Any) -> None:
    """Replace the transition-based ``ner`` by a BILUO ``tagger`` and ``zh_biluo_entities``.

    The converter keeps the name ``ner``, so the rest of the pipeline, the training's
    checkpoint choice (``ents_f``) and this benchmark's timing find it where they expect.
    """
    tok2vec = config["components"]["ner"]["model"]["tok2vec"]
    pipeline = config["nlp"]["pipeline"]
    at = pipeline.index("ner")
    config["nlp"]["pipeline"] = [*pipeline[:at], "ner_tagger", *pipeline[at:]]
    config["components"]["ner_tagger"] = {
        "factory": "tagger", "overwrite": True, "neg_prefix": "!", "label_smoothing": 0.0,
        "scorer": {"@scorers": "spacy.tagger_scorer.v1"},
        "model": {"@architectures": "spacy.Tagger.v2", "nO": None, "normalize": False, "tok2vec": tok2vec},
    }
    config["components"]["ner"] = {"factory": "zh_biluo_entities"}
    config["training"]["score_weights"]["tag_acc"] = 0.0


def schedule_chars(config: Any, steps: int) -> float:
    """Characters the batch schedule feeds the model in ``steps`` updates (batches by length)."""
    size = config["training"]["batcher"]["size"]
    start, stop, compound = float(size["start"]), float(size["stop"]), float(size["compound"])
    total, value = 0.0, start
    for _ in range(steps):
        total += min(value, stop)
        value *= compound
    return total


class StepClock:
    """CPU time from the first training step to the last, by wrapping spaCy's step generator.

    Separates what grows with ``max_steps`` (the steps and their checkpoint evaluations)
    from what grows with the data (reading, initialising, the final evaluation).
    """

    def __init__(self) -> None:
        self.first: float | None = None
        self.last: float | None = None

    def __enter__(self) -> StepClock:
        from spacy.training import loop

        self._original = original = loop.train_while_improving

        def timed(*args: Any, **kwargs: Any) -> Any:
            for item in original(*args, **kwargs):
                now = time.process_time()
                self.first = now if self.first is None else self.first
                self.last = now
                yield item

        loop.train_while_improving = timed
        return self

    def __exit__(self, *exc: object) -> None:
        from spacy.training import loop

        loop.train_while_improving = self._original

    @property
    def seconds(self) -> float:
        return (self.last - self.first) if self.first is not None and self.last is not None else 0.0


def pipe_rate(nlp: Any, texts: list[str], pipes: list[str]) -> float:
    """Chars per CPU second of ``pipes`` over ``texts`` (one warm-up pass, then a timed one)."""
    with nlp.select_pipes(enable=pipes):
        list(nlp.pipe(texts[:20]))
        began = time.process_time()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        return sum(map(len, texts)) / (time.process_time() - began)


def run_variant(variant: Variant, data: Path, steps: int, corpora: Path, target_articles: int,
                log: Callable[[str], None]) -> dict[str, Any]:
    """Train one variant, score it, and time it."""
    import zh_invest_ner
    from zh_invest_ner.training import read_jsonl, split, train_config

    config = variant_config(variant)
    out = Path(tempfile.mkdtemp(prefix=f"ner_shape_{variant.key}_"))
    began, cpu_began = time.perf_counter(), time.process_time()
    with StepClock() as clock:
        scores = train_config(data, out / "model", config, seed=0, max_steps=steps, log=lambda *_: None,
                              quiet=True, broad_augment=variant.broad_augment)
    wall_minutes = (time.perf_counter() - began) / 60
    # CPU time of this process: what an otherwise idle machine would take (training is one
    # thread), where wall time also counts the other people's jobs on the same 2 cores
    minutes = (time.process_time() - cpu_began) / 60
    nlp = zh_invest_ner.load(out / "model")

    # CLUENER: ner_corpora's reading, mapping and exact-span scoring
    corpus = next(c for c in ner_corpora.CORPORA if c.key == "cluener")
    sentences = corpus.reader(corpora / corpus.folder / corpus.filename, frozenset(corpus.labels))
    pipes = ner_corpora.entity_pipes(nlp.pipe_names)
    with nlp.select_pipes(enable=pipes):
        cpu_began = time.process_time()
        res = ner_corpora.evaluate(nlp, corpus, sentences, 64)
        cluener_cpu = time.process_time() - cpu_began

    # extrapolated training time: the schedule's characters, plus the checkpoints' evaluations
    records = read_jsonl(data)
    _, dev = split(records, 0)
    dev_texts = [r.text for r in dev]
    stat_pipes = [p for p in nlp.pipe_names[: nlp.pipe_names.index("ner") + 1]]
    eval_rate = pipe_rate(nlp, dev_texts, stat_pipes)
    every = int(config["training"]["eval_frequency"])
    full_steps = int(config["training"]["max_steps"])
    dev_chars = sum(map(len, dev_texts))
    scale = target_articles / max(len(records), 1)
    evals_run = (steps // every) * dev_chars / eval_rate  # checkpoints inside the timed steps
    steps_run = max(clock.seconds - evals_run, 0.0)
    fixed_run = minutes * 60 - clock.seconds  # reading, initialising, final evaluation: grow with the data
    estimate = (fixed_run * scale
                + steps_run * schedule_chars(config, full_steps) / schedule_chars(config, steps)
                + (full_steps // every) * dev_chars * scale / eval_rate) / 60

    dev_meetings = real_article_meetings(nlp)
    per = scores.get("ents_per_type") or {}
    row = {
        "variant": variant.title,
        "steps": steps,
        "train_minutes": round(minutes, 2),
        "train_wall_minutes": round(wall_minutes, 2),
        "est_full_minutes": round(estimate, 1),
        "held_out_f": round(scores.get("ents_f", 0.0), 4),
        "dev_meeting_f": dev_meetings.get("f1"),
        "ner_only_f": round((nlp.meta.get("performance") or {}).get("ents_f", 0.0), 4),
        "held_out": {label: round(per[label]["f"], 4) for label in LABELS if label in per},
        "cluener": {label: round(res.per_label[label].f, 4) for label in CLUENER_LABELS},
        "cluener_micro": round(res.micro.f, 4),
        "chars_per_second": round(res.chars / cluener_cpu) if cluener_cpu else None,
        "ner_chars_per_second": round(eval_rate),
    }
    log(json.dumps(row, ensure_ascii=False))
    shutil.rmtree(out, ignore_errors=True)
    return row


def real_article_meetings(nlp: Any, eval_dir: Path = ROOT.parent / "shared" / "eval") -> dict[str, Any]:
    """Meeting P/R/F1 of the whole pipeline on the real articles in ``../shared/eval``.

    Scored by ``../shared/tools/score_meetings.py`` itself, in process; ``{}`` where the
    folder or the scorer is absent (the table then shows ``-``).
    """
    tools = eval_dir.parent / "tools"
    if not (eval_dir / "gold.jsonl").exists() or not (tools / "score_meetings.py").exists():
        return {}
    sys.path.insert(0, str(tools))
    import score_meetings

    import zh_invest_ner

    gold = score_meetings.load_jsonl(eval_dir / "gold.jsonl")
    paths = [eval_dir / art.get("file", art["id"]) for art in gold]
    frame = zh_invest_ner.extract(paths, nlp=nlp, keep_docs=False).meetings
    preds = frame.rename(columns={"doc_id": "doc"}).to_dict(orient="records")
    return score_meetings.score(gold, preds)[0]["meetings"]


def format_table(rows: list[dict[str, Any]]) -> str:
    """One line per variant: minutes, held-out F1 (all and per label), CLUENER F1, speed."""
    held = [label for label in LABELS if any(label in r["held_out"] for r in rows)]
    head = (f"{'variant':<44} {'min':>5} {'wall':>5} {'est.full':>8} {'dev-mtg':>7} {'held-out':>8} {'ner-only':>8} "
            + " ".join(f"{label[:6]:>6}" for label in held) + " | "
            + " ".join(f"{label[:6]:>6}" for label in CLUENER_LABELS) + f" {'micro':>6} | {'chars/s':>7}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['variant']:<44} {r['train_minutes']:>5.1f} {r['train_wall_minutes']:>5.1f} "
            f"{r['est_full_minutes']:>8.1f} {_cell(r.get('dev_meeting_f')):>7} {r['held_out_f']:>8.3f} "
            f"{r['ner_only_f']:>8.3f} "
            + " ".join(f"{r['held_out'].get(label, 0.0):>6.3f}" for label in held) + " | "
            + " ".join(f"{r['cluener'][label]:>6.3f}" for label in CLUENER_LABELS)
            + f" {r['cluener_micro']:>6.3f} | {r['chars_per_second']:>7}")
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "training_data", help="training data (folder or JSONL)")
    parser.add_argument("--steps", type=int, default=1200, help="training steps per variant (default: 1200)")
    parser.add_argument("--only", nargs="+", choices=[v.key for v in VARIANTS], default=None)
    parser.add_argument("--corpora", type=Path, default=ner_corpora.DEFAULT_CORPORA)
    parser.add_argument("--target-articles", type=int, default=1000,
                        help="article count to extrapolate the full training time to (default: 1000)")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from zh_invest_ner.training import read_dir, read_jsonl

    records = read_dir(args.data) if args.data.is_dir() else read_jsonl(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = Path(tmp) / "articles.jsonl"  # one frozen copy: the data may be rebuilt meanwhile
        with snapshot.open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps({"id": r.id, "text": r.text, "entities": r.entities, "relations": r.relations},
                                   ensure_ascii=False) + "\n")
        print(f"{len(records)} articles from {args.data}; {args.steps} steps per variant, seed 0", flush=True)
        rows = []
        for variant in VARIANTS:
            if args.only and variant.key not in args.only:
                continue
            print(f"training {variant.title} ...", flush=True)
            rows.append(run_variant(variant, snapshot, args.steps, args.corpora, args.target_articles,
                                    lambda s: print(s, flush=True)))
    print()
    print(format_table(rows))
    print("min = training CPU minutes at --steps (one thread: the wall time of an idle machine), wall = as")
    print("measured beside other jobs; est.full = CPU minutes extrapolated to the config's max_steps with a")
    print(f"held-out set of {args.target_articles} articles' size; held-out = entity F1 of the whole pipeline,")
    print("ner-only = of the NER alone; CLUENER2020 dev exact-span F1 after ner_corpora's label mapping;")
    print("chars/s = entity components on CLUENER, per CPU second; dev-mtg = meeting F1 of the whole")
    print("pipeline on ../shared/eval's real articles (score_meetings.py).")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
