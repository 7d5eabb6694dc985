"""Train HanLP's BiLSTM-CRF on our annotated articles and ship it as a pipeline (the ``hanlp`` extra).

Why this exists: it is the other NER backend we measure against the spaCy NER
(``benchmarks/backends.py``), so it is trained on exactly what ``train`` sees: the
same records, the same held-out split (``split(records, seed, dev_share)``), the same
name-substituted copies, and the same normalisation (each record goes through our
tokenizer with ``make_example``, so texts and offsets are those the pipeline sees).
HanLP gets one character per token and IOBES (BMES) tags, sentence by sentence, with
random embeddings (nothing to download). The result is the shipped pipeline with its
``ner`` (and the lexicon features only that NER reads) replaced by ``hanlp_ner``, saved
with the HanLP model inside.

HanLP 2.1's RNN tagger builds its CRF time-first although its emissions are
batch-first (see ``components/hanlp_ner.py``): we train ``BatchFirstRNNRecognizer``,
which fixes that, and ``tests/training/test_hanlp_train.py`` keeps it fixed.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from zh_invest_ner.components.biluo_entities import biluo_tags
from zh_invest_ner.components.hanlp_ner import token_text
from zh_invest_ner.training.formats import Record

#: Where sentences end, as in the pipeline's sentencizer.
SENTENCE_ENDS = frozenset("。！？!?；\n")
#: Where an over-long sentence may be cut (outside entities), as ``zh_long_sentences`` does.
SOFT_ENDS = frozenset("，,、 ")
SCHEMES = ("IOBES", "BIO")


def convert_tags(biluo: list[str], scheme: str = "IOBES") -> list[str]:
    """Our BILUO tags as HanLP's IOBES (``L``→``E``, ``U``→``S``) or BIO tags."""
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}")
    moves = {"L": "E", "U": "S"} if scheme == "IOBES" else {"L": "I", "U": "B"}
    out = []
    for tag in biluo:
        move, _, label = tag.partition("-")
        out.append(f"{moves.get(move, move)}-{label}" if label else "O")
    return out


def sentence_bounds(tokens: list[str], tags: list[str], max_len: int = 300) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of the sentences of one article, never inside an entity.

    Sentences end after 。！？； and line breaks; longer than ``max_len`` they are cut at
    the last comma before it (else at ``max_len``), where no entity continues.
    """
    start = 0
    last_soft = -1
    if len(tokens) != len(tags):
        raise ValueError(f"{len(tokens)} tokens but {len(tags)} tags")
    for i, tok in enumerate(tokens):
        if i + 1 < len(tags) and tags[i + 1][:1] in ("I", "E", "L"):
            continue  # an entity goes on: no boundary here
        if tok in SENTENCE_ENDS:
            yield start, i + 1
            start, last_soft = i + 1, -1
        elif tok in SOFT_ENDS:
            last_soft = i + 1
        if i + 1 - start >= max_len:
            cut = last_soft if last_soft > start else i + 1
            yield start, cut
            start, last_soft = cut, -1
    if start < len(tokens):
        yield start, len(tokens)


def tagged_sentences(examples: Iterable[Any], scheme: str = "IOBES", max_len: int = 300
                     ) -> Iterator[tuple[list[str], list[str]]]:
    """``(tokens, tags)`` per sentence of the examples' references (tokens as :func:`token_text`)."""
    for eg in examples:
        tokens = [token_text(t.text) for t in eg.reference]
        tags = convert_tags(biluo_tags(eg.reference), scheme)
        for s, e in sentence_bounds(tokens, tags, max_len):
            if any(tok != token_text(" ") for tok in tokens[s:e]):
                yield tokens[s:e], tags[s:e]


def write_tsv(sentences: Iterable[tuple[list[str], list[str]]], path: Path) -> int:
    """HanLP's tagging TSV (``token<TAB>tag``, a blank line after each sentence); returns the count."""
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for tokens, tags in sentences:
            f.write("".join(f"{tok}\t{tag}\n" for tok, tag in zip(tokens, tags, strict=True)) + "\n")
            n += 1
    return n


def training_examples(records: list[Record], seed: int, dev_share: float, augment_copies: int
                      ) -> tuple[list[Any], list[Any], list[Record]]:
    """Train and held-out Examples exactly as ``train`` makes them (split, substituted copies, normalised)."""
    import spacy
    from spacy.util import load_config_from_str

    from zh_invest_ner.training.train import _augment_pools, augment, base_config, make_example, split

    train_recs, dev_recs = split(records, seed, dev_share)
    blank = spacy.blank("zh", config={"nlp": {"tokenizer": load_config_from_str(base_config())["nlp"]["tokenizer"]}})
    rng = random.Random(seed)
    pools = _augment_pools(False)
    augmented = [augment(r, rng, pools) for _ in range(augment_copies) for r in train_recs]
    train_egs = [make_example(blank, r) for r in [*train_recs, *augmented]]
    dev_egs = [make_example(blank, r) for r in dev_recs]
    return train_egs, dev_egs, dev_recs


def fit_recognizer(train_tsv: Path, dev_tsv: Path, save_dir: Path, *, seed: int, epochs: int, scheme: str,
                   **hyper: Any) -> Any:
    """HanLP's ``fit`` of a :data:`BatchFirstRNNRecognizer` (random embeddings, CPU); returns it."""
    import torch

    from zh_invest_ner.components.hanlp_ner import BatchFirstRNNRecognizer

    torch.manual_seed(seed)
    recognizer = BatchFirstRNNRecognizer()
    settings = {"batch_size": 32, "embed": 100, "rnn_hidden": 256, "drop": 0.5, "lr": 1e-3, "patience": 10,
                "anneal_factor": 0.5, "anneal_patience": 2, **hyper}
    recognizer.fit(str(train_tsv), str(dev_tsv), str(save_dir), epochs=epochs, crf=True, tagging_scheme=scheme,
                   token_delimiter="", seed=seed, devices=[], verbose=False, **settings)
    return recognizer


def build_pipeline(model_dir: Path, loaded: Any = None) -> Any:
    """The shipped pipeline with ``ner`` (and the features only it reads) replaced by ``hanlp_ner``."""
    from zh_invest_ner.pipeline import load, set_package_meta

    nlp = load()
    nlp.add_pipe("hanlp_ner", before="ner", config={"model": None, "label_scheme": "ours"})
    nlp.remove_pipe("ner")
    nlp.get_pipe("hanlp_ner").use(model_dir, loaded=loaded)
    if "zh_lexicon_features" in nlp.pipe_names:
        nlp.remove_pipe("zh_lexicon_features")
    set_package_meta(nlp)
    nlp.meta["requirements"] = [*nlp.meta["requirements"], "hanlp>=2.1"]
    nlp.meta["description"] += " (NER: HanLP BiLSTM-CRF)"
    return nlp


def train_hanlp(
    data: str | Path,
    output: str | Path,
    *,
    seed: int = 0,
    epochs: int = 20,
    dev_share: float = 0.15,
    augment_copies: int = 2,
    scheme: str = "IOBES",
    max_len: int = 300,
    overwrite: bool = False,
    log: Callable[[str], Any] = print,
    **hyper: Any,
) -> dict[str, Any]:
    """Train HanLP's BiLSTM-CRF on ``data`` and save a pipeline running it to ``output``.

    ``hyper`` goes to HanLP's ``fit`` (``batch_size``, ``embed``, ``rnn_hidden``, ``drop``,
    ``lr``, ``patience``…); the best epoch on the held-out split is kept, as ``train``
    keeps its best checkpoint. Returns the held-out scores of the saved pipeline (as
    ``train`` does), with ``epochs`` and ``train_seconds`` added.
    """
    from zh_invest_ner.pipeline import check_target, load, save
    from zh_invest_ner.training.train import evaluate, format_scores, make_example
    from zh_invest_ner.training.validate import load_training_data

    output = check_target(output, overwrite)  # refused now, not after the training
    records = load_training_data(Path(data))
    train_egs, dev_egs, dev_recs = training_examples(records, seed, dev_share, augment_copies)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        n_train = write_tsv(tagged_sentences(train_egs, scheme, max_len), tmp / "train.tsv")
        n_dev = write_tsv(tagged_sentences(dev_egs, scheme, max_len), tmp / "dev.tsv")
        log(f"{len(records)} articles: {len(train_egs)} to train ({n_train} sentences, with substituted copies), "
            f"{len(dev_egs)} held out ({n_dev} sentences, seed {seed})")
        began = time.perf_counter()
        recognizer = fit_recognizer(tmp / "train.tsv", tmp / "dev.tsv", tmp / "hanlp", seed=seed, epochs=epochs,
                                    scheme=scheme, **hyper)
        seconds = time.perf_counter() - began
        log(f"trained HanLP BiLSTM-CRF for up to {epochs} epochs in {seconds:.0f} s")
        save(build_pipeline(tmp / "hanlp", recognizer), output, overwrite=overwrite)
    nlp = load(output)
    scores = evaluate(nlp, [make_example(nlp, r) for r in dev_recs])
    log(format_scores(scores))
    return {**scores, "epochs": epochs, "train_seconds": seconds}
