"""NER backends side by side: the shipped spaCy NER, HanLP's BiLSTM-CRF, any other saved pipeline.

Why this exists: the NER is the one statistical part of the pipeline, and the
``hanlp`` extra offers another architecture trained on the same data
(``zh_invest_ner.training.hanlp_train``). Whether it is worth its dependency (torch)
is a question of what the pipeline then gets right and what it costs, measured the
same way for each backend:

* entity P/R/F per label on the held-out split of ``training_data/`` (``zh-invest-ner
  evaluate``'s logic: ``held_out_examples``, seed 0) and the meeting F1 there;
* meeting F1 on the 58 real articles of ``../shared/eval``, by
  ``../shared/tools/score_meetings.py --run "<extract command> --model PATH"``;
* CLUENER2020 dev micro F1 over the mapped labels (``benchmarks/ner_corpora.py``);
* chars/s of the whole pipeline over the held-out articles, peak memory (VmHWM of the
  child process that loaded and ran it), model size on disk, load time.

Each backend runs in its own child process, so memory and load time are its own and
one backend's imports (torch) do not slow another. The extraction command is this
script's ``--cli`` passthrough to ``zh_invest_ner.cli.main`` after importing the
``hanlp_ner`` factory, the same as ``zh-invest-ner extract`` once the package's entry
point for it is installed.

Usage::

    python benchmarks/backends.py --hanlp /tmp/hanlp_model
    python benchmarks/backends.py --hanlp /tmp/hanlp_model --model "spaCy NER (pkuseg words)=/tmp/pkuseg_model"
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
EVAL = ROOT.parent / "shared" / "eval"
SCORER = ROOT.parent / "shared" / "tools" / "score_meetings.py"
LABELS = ("PERSON", "TITLE", "COMPANY", "GOV", "ORG", "GPE", "TOPIC")
NER_NAMES = ("ner", "hanlp_ner", "zh_biluo_entities")
ROUNDS = 3


def register_factories() -> None:
    """The ``hanlp_ner`` factory, where the extra is there (a checkout has no entry point for it)."""
    try:
        import zh_invest_ner.components.hanlp_ner  # noqa: F401 - registers the factory
    except ImportError:
        pass


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB."""
    status = Path(f"/proc/{os.getpid()}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def entity_pipes(pipe_names: list[str]) -> list[str]:
    """Everything up to the NER (whichever it is), then the entity repairers, as ``ner_corpora`` runs."""
    from ner_corpora import ENTITY_COMPONENTS

    last = max(i for i, n in enumerate(pipe_names) if n in NER_NAMES)
    head = pipe_names[: last + 1]
    return head + [n for n in pipe_names if n in ENTITY_COMPONENTS and n not in head]


def cluener_f1(nlp: Any) -> dict[str, float]:
    """CLUENER2020 dev F1 (micro over the mapped labels, and per label), percent."""
    import ner_corpora

    corpus = next(c for c in ner_corpora.CORPORA if c.key == "cluener")
    path = ner_corpora.DEFAULT_CORPORA / corpus.folder / corpus.filename
    if not path.exists():
        return {}
    sentences = corpus.reader(path, frozenset(corpus.labels))
    with nlp.select_pipes(enable=entity_pipes(nlp.pipe_names)):
        res = ner_corpora.evaluate(nlp, corpus, sentences, 64)
    return {"micro": 100 * res.micro.f, **{k: 100 * c.f for k, c in res.per_label.items()}}


def child(path: str | None, out: Path) -> int:
    """One backend, measured in this (fresh) process; the figures go to ``out`` as JSON."""
    began = time.perf_counter()
    import zh_invest_ner  # spaCy, thinc (and torch, where installed: thinc imports it)

    register_factories()
    import_s = time.perf_counter() - began
    began = time.perf_counter()
    nlp = zh_invest_ner.load(path)  # the HanLP backend imports hanlp here
    load_s = time.perf_counter() - began
    from zh_invest_ner.training import evaluate, held_out_examples, split
    from zh_invest_ner.training.validate import load_training_data
    dev = split(load_training_data(ROOT / "training_data"), 0, 0.15)[1]
    texts = [r.text for r in dev]
    list(nlp.pipe(texts[:5]))  # warm-up: lazy tables, first batch allocations
    seconds = float("inf")
    for _ in range(ROUNDS):  # the best of a few passes: the machine is shared
        began = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=32):
            pass
        seconds = min(seconds, time.perf_counter() - began)
    memory = peak_memory_mb()  # before scoring, which keeps examples alive
    scores = evaluate(nlp, held_out_examples(nlp, ROOT / "training_data", seed=0))
    per = scores.get("ents_per_type") or {}
    result = {
        "pipes": nlp.pipe_names, "import_s": import_s, "load_s": load_s, "chars_per_s": sum(map(len, texts)) / seconds,
        "articles": len(texts), "chars": sum(map(len, texts)), "peak_mb": memory,
        "ents_f": 100 * scores["ents_f"], "per_label": {k: 100 * v["f"] for k, v in per.items()},
        "heldout_meetings_f": 100 * scores.get("meetings_f", 0.0), "cluener": cluener_f1(nlp),
    }
    out.write_text(json.dumps(result), encoding="utf-8")
    return 0


def eval_meetings(path: str | None, python: str) -> dict[str, float]:
    """Meeting P/R/F1 on ``../shared/eval`` through the command line, as the README scores it."""
    if not SCORER.exists():
        return {}
    command = f"{python} {Path(__file__).resolve()} --cli extract --format jsonl --no-progress"
    if path:
        command += f" --model {path}"
    out = subprocess.run([sys.executable, str(SCORER), str(EVAL / "gold.jsonl"), "--run", command, "--json"],
                         capture_output=True, text=True, timeout=3600)
    if out.returncode != 0:
        raise RuntimeError(f"score_meetings failed: {out.stderr[-2000:]}")
    m = json.loads(out.stdout.strip().splitlines()[-1])["meetings"]
    return {"p": 100 * m["precision"], "r": 100 * m["recall"], "f": 100 * m["f1"]}


def measure(name: str, path: str | None, python: str, workdir: Path) -> dict[str, Any]:
    out = workdir / f"{abs(hash(name))}.json"
    cmd = [python, str(Path(__file__).resolve()), "--child", path or "", "--out", str(out)]
    subprocess.run(cmd, check=True, timeout=7200)
    result = json.loads(out.read_text(encoding="utf-8"))
    import zh_invest_ner

    folder = Path(path) if path else zh_invest_ner.model_path()
    result.update(name=name, path=str(folder), size_mb=folder_mb(folder), python=python,
                  eval_meetings=eval_meetings(path, python))
    return result


def table(results: list[dict[str, Any]]) -> str:
    """One markdown table: a row per backend."""
    head = ["backend", *[f"{label} F1" for label in LABELS], "entities F1", "meetings F1 (held-out)",
            "meetings F1 (58 real)", "CLUENER F1", "chars/s", "peak MB", "size MB", "import s",
            "load s"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        cells = [r["name"], *[f"{r['per_label'].get(label, 0.0):.1f}" for label in LABELS], f"{r['ents_f']:.1f}",
                 f"{r['heldout_meetings_f']:.1f}", f"{r['eval_meetings'].get('f', float('nan')):.1f}",
                 f"{r['cluener'].get('micro', float('nan')):.1f}", f"{r['chars_per_s']:,.0f}",
                 f"{r['peak_mb']:,.0f}", f"{r['size_mb']:.1f}", f"{r['import_s']:.1f}", f"{r['load_s']:.2f}"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--cli"]:  # the extraction command score_meetings.py runs
        register_factories()
        from zh_invest_ner.cli import main as cli_main

        return cli_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hanlp", help="a pipeline saved by train_hanlp (HanLP BiLSTM-CRF)")
    parser.add_argument("--model", action="append", default=[], metavar="NAME=PATH",
                        help="another saved pipeline to compare (e.g. spaCy NER over pkuseg words); repeatable")
    parser.add_argument("--spacy-python", default=sys.executable,
                        help="the Python that runs the spaCy-only backends: a venv without torch measures what "
                             "their users get (thinc imports torch wherever it is installed)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        return child(args.child or None, args.out)
    backends: list[tuple[str, str | None, str]] = [("spaCy NER (char, shipped)", None, args.spacy_python)]
    if args.hanlp:
        backends.append(("HanLP BiLSTM-CRF (char)", args.hanlp, sys.executable))
    for spec in args.model:
        name, sep, path = spec.partition("=")
        backends.append((name, path, args.spacy_python) if sep else (Path(spec).name, spec, args.spacy_python))
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for name, path, python in backends:
            began = time.perf_counter()
            results.append(measure(name, path, python, Path(tmp)))
            print(f"{name}: measured in {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
