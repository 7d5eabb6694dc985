"""Read annotated articles and train the pipeline's NER, reproducibly.

The training data is doccano-style JSONL (``text``, ``entities`` with character
offsets into ``text``, ``relations``). Offsets point into the text as written, which
may be traditional script with pinyin; we normalise it exactly as the pipeline does
and carry the offsets through the map, so annotators never annotate normalised text.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from bisect import bisect_left
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.util import load_config_from_str
from thinc.api import Config

from zh_invest_ner import extensions
from zh_invest_ner.components.biluo_entities import biluo_tags
from zh_invest_ner.labels import LABELS
from zh_invest_ner.text.chars import is_hanzi
from zh_invest_ner.text.normalizer import NormalizedText
from zh_invest_ner.training.alignment import GoldEntity, align_or_warn
from zh_invest_ner.training.formats import Record
from zh_invest_ner.training.validate import TrainingDataError, load_training_data  # noqa: F401 - re-exported


def read_jsonl(path: str | Path) -> list[Record]:
    """Records of one annotated file (doccano or Label Studio, see ``formats``), validated.

    Raises one :class:`TrainingDataError` listing every problem, each with ``file:line``.
    """
    return load_training_data(path, consequence=None)


def read_dir(folder: str | Path) -> list[Record]:
    """All ``*.jsonl`` and ``*.json`` files of a folder, in name order, validated together."""
    return load_training_data(folder, consequence=None)


def to_normalized(source: NormalizedText, start: int, end: int) -> tuple[int, int]:
    """Map a span of the original text to the normalised text (inverse of ``to_original``)."""
    offsets = source.offsets
    n = len(source.text)
    s = bisect_left(offsets, start, 0, n)
    e = bisect_left(offsets, end, 0, n)
    return s, e


def gold_meetings(rec: Record) -> list[list[Any]]:
    """``[official, executive|None, company]`` triples from the record's relations."""
    by_id = {e.get("id"): rec.text[e["start_offset"] : e["end_offset"]] for e in rec.entities}
    labels = {e.get("id"): e["label"] for e in rec.entities}
    company_of = {r["from_id"]: r["to_id"] for r in rec.relations if r.get("type") == "of_company"}
    out = []
    for r in rec.relations:
        if r.get("type") != "met_with":
            continue
        official, target = r["from_id"], r["to_id"]
        if labels.get(target) == "PERSON":
            company = by_id.get(company_of.get(target))
            out.append([by_id[official], by_id[target], company])
        else:
            out.append([by_id[official], None, by_id.get(target)])
    return out


def make_example(nlp: Language, rec: Record) -> Example:
    """An Example whose reference has the gold entities and meetings, in normalised text."""
    extensions.register()
    predicted = nlp.make_doc(rec.text)
    source: NormalizedText = predicted._.source
    reference = Doc(nlp.vocab, words=[t.text for t in predicted], spaces=[bool(t.whitespace_) for t in predicted])
    # entities inside a word (pkuseg, jieba) are widened to it, and reported; two in one word are
    # left missing and reported; none is dropped silently (training.alignment)
    gold = [GoldEntity(*to_normalized(source, e["start_offset"], e["end_offset"]), e["label"]) for e in rec.entities]
    aligned = align_or_warn(reference, gold, rec.where)
    reference.set_ents(aligned.spans, missing=aligned.missing, default="outside")
    # the same entities as BILUO tags: the gold of a tagger-based NER (zh_biluo_entities); missing stays missing
    for token, tag in zip(reference, biluo_tags(reference), strict=True):
        token.tag_ = tag if token.ent_iob_ else ""
    converter = nlp.tokenizer  # normalise names the same way the pipeline sees them
    reference._.gold_meetings = [
        [x if x is None else converter(x).text for x in m] for m in gold_meetings(rec)
    ]
    return Example(predicted, reference)


def _augment_pools(broad: bool = True) -> dict[str, Any]:
    """Substitution pools; ``broad`` adds the lexicon features' places and titles."""
    from zh_invest_ner import lexicons
    from zh_invest_ner.components.lexicon_features import default_lexicons, trie_pattern

    pools = {**lexicons.augment_pools(), "surnames": [x for x in lexicons.surnames() if len(x) == 1]}
    if not broad:
        return pools
    features = default_lexicons()
    # the lexicon features' longer lists, so that copies name places and titles the articles never
    # use and the NER learns them from the features and the context rather than by heart
    pools["places"] = sorted({*pools["places"], *(p for p in features["PLACE"] if p.isalpha())})
    pools["titles"] = sorted(t for t in features["TITLE"] if t.isalpha() and not t.isascii())
    pools["place_pattern"] = trie_pattern(pools["places"])
    return pools


def _by_length(words: Iterable[str]) -> dict[int, list[str]]:
    """``words`` grouped by length, in their order: a substitute must keep every offset."""
    by_len: dict[int, list[str]] = {}
    for word in words:
        by_len.setdefault(len(word), []).append(word)
    return by_len


class _Substitutions:
    """The substitutions of one augmented article, consistent within it.

    Each character of a name (as surname, given name or brand character), each place
    and each title gets one substitute, drawn from ``rng`` the first time it is met, so
    that every mention of a name changes the same way.
    """

    def __init__(self, rng: random.Random, pools: dict[str, Any]) -> None:
        self.rng = rng
        self.pools = pools
        self.char_map: dict[tuple[str, str], str] = {}
        self.place_map: dict[str, str] = {}
        self.title_map: dict[str, str] = {}
        self.places_by_len = _by_length(pools["places"])
        self.titles_by_len = _by_length(pools.get("titles", ()))
        self.keep = set(pools["company_keep_chars"])
        self.place_pattern = pools.get("place_pattern")

    def swap(self, ch: str, kind: str, pool: str | list[str]) -> str:
        """The substitute of a hanzi in a role (``surname``, ``given``, ``brand``); other characters stay."""
        if not is_hanzi(ch):
            return ch
        key = (ch, kind)
        if key not in self.char_map:
            self.char_map[key] = self.rng.choice(pool)
        return self.char_map[key]

    def place(self, surface: str) -> str:
        """The substitute of a place: another place of the same length."""
        if surface not in self.place_map:
            self.place_map[surface] = self.rng.choice(self.places_by_len[len(surface)])
        return self.place_map[surface]

    def apply(self, chars: list[str], text: str, e: dict[str, Any]) -> None:
        """Substitute in ``chars`` what entity ``e`` of ``text`` names, by its label."""
        s, t, label = e["start_offset"], e["end_offset"], e["label"]
        surface = text[s:t]
        if label == "PERSON":
            self.person(chars, s, t)
        elif label == "COMPANY":
            self.company(chars, s, t)
        elif label == "GPE" and self.is_plain_place(surface):
            self.gpe(chars, s, t, surface)
        elif label in ("GOV", "ORG") and self.place_pattern is not None:
            self.places_inside(chars, s, surface)
        elif label == "TITLE" and len(surface) in self.titles_by_len and surface in self.pools["titles"]:
            self.title(chars, s, t, surface)

    def person(self, chars: list[str], s: int, t: int) -> None:
        """A Chinese name of two or three hanzi: a new surname and new given-name characters.

        Longer or transliterated names are left alone: they do not split into surname and given name.
        """
        hanzi = [i for i in range(s, t) if is_hanzi(chars[i])]
        if 2 <= len(hanzi) <= 3:
            chars[hanzi[0]] = self.swap(chars[hanzi[0]], "surname", self.pools["surnames"])
            for i in hanzi[1:]:
                chars[i] = self.swap(chars[i], "given", self.pools["given_name_chars"])

    def company(self, chars: list[str], s: int, t: int) -> None:
        """A company's brand characters; its industry words and legal form (科技, 有限公司) stay."""
        for i in range(s, t):
            if chars[i] not in self.keep:
                chars[i] = self.swap(chars[i], "brand", self.pools["brand_chars"])

    def is_plain_place(self, surface: str) -> bool:
        """Whether a GPE is a bare place name a place of the same length can replace."""
        return surface.isalpha() and len(surface) in self.places_by_len and "(" not in surface

    def gpe(self, chars: list[str], s: int, t: int, surface: str) -> None:
        """A place, or only the place that begins it when ``place_pattern`` finds one."""
        head = self.place_pattern.match(surface) if self.place_pattern is not None else None
        if head is not None and len(head.group()) >= 2:  # 盐城市: the place, not its 市
            chars[s : s + head.end()] = list(self.place(head.group()))
        else:
            chars[s:t] = list(self.place(surface))

    def title(self, chars: list[str], s: int, t: int, surface: str) -> None:
        """A title of the pool: another title of the same length (only titles the pool knows are posts)."""
        if surface not in self.title_map:
            self.title_map[surface] = self.rng.choice(self.titles_by_len[len(surface)])
        chars[s:t] = list(self.title_map[surface])

    def places_inside(self, chars: list[str], s: int, surface: str) -> None:
        """The places inside a government or organisation name (苏州市商务局 with 苏州)."""
        for m in self.place_pattern.finditer(surface):
            if len(m.group()) >= 2:
                chars[s + m.start() : s + m.end()] = list(self.place(m.group()))


def augment(rec: Record, rng: random.Random, pools: dict[str, Any]) -> Record:
    """A copy of ``rec`` with its names, company brands, places and titles substituted.

    Replacements keep every length (character for character, places by places and
    titles by titles of the same length), so offsets and annotations stay valid, and
    they are consistent within the article (``华拓储能`` and ``华拓储能科技有限公司``
    change together, and so do ``苏州`` and ``苏州市商务局``). Places inside government
    and organisation names are substituted too, when ``pools`` has a ``place_pattern``;
    titles when it has ``titles``.
    """
    chars = list(rec.text)
    substitutions = _Substitutions(rng, pools)
    for e in rec.entities:
        substitutions.apply(chars, rec.text, e)
    return Record(f"{rec.id}~aug", "".join(chars), rec.entities, rec.relations, rec.where)


def split(records: list[Record], seed: int = 0, dev_share: float = 0.15) -> tuple[list[Record], list[Record]]:
    """A reproducible held-out split (by record id, independent of file order)."""
    ordered = sorted(records, key=lambda r: r.id)
    random.Random(seed).shuffle(ordered)
    n_dev = max(1, round(len(ordered) * dev_share))
    return ordered[n_dev:], ordered[:n_dev]


def base_config() -> str:
    return resources.files("zh_invest_ner").joinpath("data", "pipeline.cfg").read_text("utf-8")


def statistical_config(config: Config) -> Config:
    """The training config without the rule components.

    The best checkpoint is then chosen by what the NER itself gets right, so the same
    data and seed give the same NER whatever the rules say; the rules are added after.
    Components that feed the NER (``zh_lexicon_features``) are not rule components:
    they stay, run on the predicted docs as ``[training] annotating_components`` and are
    saved with the trained NER.
    """
    from zh_invest_ner.pipeline import RULE_COMPONENTS

    config = config.copy()
    config["nlp"]["pipeline"] = [p for p in config["nlp"]["pipeline"] if p not in RULE_COMPONENTS]
    for name in RULE_COMPONENTS:
        config["components"].pop(name, None)
    weights = config["training"]["score_weights"]
    for key in [k for k in weights if k.startswith("meetings_")]:
        weights.pop(key)
    return config


def _docbin(examples: Iterable[Example], path: Path) -> None:
    db = DocBin(store_user_data=True)
    for eg in examples:
        db.add(eg.reference)
    db.to_disk(path)


def train(
    data: str | Path,
    output: str | Path,
    *,
    seed: int = 0,
    max_steps: int | None = None,
    dev_share: float = 0.15,
    augment_copies: int = 2,
    log=print,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Train the NER on ``data`` (folder or JSONL file), save the whole pipeline to ``output``.

    An existing model at ``output`` is replaced only with ``overwrite``, and only once the
    new one is complete; the model shipped in the package needs ``overwrite`` too.
    Returns the held-out scores (``ents_per_type``, meeting P/R/F).
    """
    return train_config(data, output, base_config(), seed=seed, max_steps=max_steps, dev_share=dev_share,
                        augment_copies=augment_copies, log=log, overwrite=overwrite)


def train_config(
    data: str | Path,
    output: str | Path,
    config: str | Config,
    *,
    seed: int = 0,
    max_steps: int | None = None,
    dev_share: float = 0.15,
    augment_copies: int = 2,
    log=print,
    quiet: bool = False,
    broad_augment: bool = False,
    overwrite: bool = False,
) -> dict[str, Any]:
    """:func:`train` with another pipeline config than ``data/pipeline.cfg``.

    Exists so that benchmarks can compare NER shapes (``benchmarks/ner_shapes.py``) on
    exactly the split, augmentation and checkpoint selection that ``train`` uses.
    ``quiet`` sends spaCy's per-checkpoint table to nowhere instead of standard output.
    ``broad_augment=True`` makes the copies also substitute places inside government and
    organisation names and titles (from the lexicon features' lists); it is off because
    ``benchmarks/ner_shapes.py`` measured it worse on CLUENER government and on held-out F1
    (better on position), and is kept so that the comparison can be rerun.
    """
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    from zh_invest_ner.pipeline import check_target, refresh_rules

    output = check_target(output, overwrite)  # refused now, not after the training
    data = Path(data)
    records = load_training_data(data)  # every problem of every file, before anything is trained
    train_recs, dev_recs = split(records, seed, dev_share)
    config_text = config if isinstance(config, str) else config.to_str()
    base = load_config_from_str(config_text)
    overrides: dict[str, Any] = {"system.seed": seed, "training.seed": seed}
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    blank = spacy.blank("zh", config={"nlp": {"tokenizer": base["nlp"]["tokenizer"]}})
    if base["nlp"]["tokenizer"].get("segmenter") == "pkuseg":  # the examples are segmented before init
        blank.tokenizer.initialize(**(base.get("initialize", {}).get("tokenizer") or {}))
    rng = random.Random(seed)
    pools = _augment_pools(broad_augment)
    augmented = [augment(r, rng, pools) for _ in range(augment_copies) for r in train_recs]
    train_egs = [make_example(blank, r) for r in [*train_recs, *augmented]]
    dev_egs = [make_example(blank, r) for r in dev_recs]
    log(f"{len(records)} articles: {len(train_recs)} to train (+{len(augmented)} with substituted names), "
        f"{len(dev_egs)} held out (seed {seed})")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        _docbin(train_egs, tmp / "train.spacy")
        _docbin(dev_egs, tmp / "dev.spacy")
        overrides.update({"paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy")})
        config = statistical_config(load_config_from_str(config_text, overrides=overrides))
        nlp = init_nlp(config)
        (tmp / "out").mkdir()
        sink = open(os.devnull, "w") if quiet else sys.stdout  # noqa: SIM115 - closed below
        try:
            train_loop(nlp, tmp / "out", stdout=sink, stderr=sys.stderr)
        finally:
            if quiet:
                sink.close()
        # the rule components join the trained NER afterwards, built from the data files; the
        # model is written beside the target and renamed into place, so the old one survives
        # anything that stops the run before that
        refresh_rules(tmp / "out" / "model-best", output, overwrite=True)
    nlp = spacy.load(output)
    scores = evaluate(nlp, [make_example(nlp, r) for r in dev_recs])
    log(format_scores(scores))
    return scores


def held_out_examples(
    nlp: Language, data: str | Path, *, seed: int = 0, dev_share: float = 0.15, everything: bool = False
) -> list[Example]:
    """The articles ``train`` held out with this seed (or all of them), as Examples."""
    data = Path(data)
    records = load_training_data(data, consequence="the held-out articles were not read")
    chosen = records if everything else split(records, seed, dev_share)[1]
    return [make_example(nlp, r) for r in chosen]


def evaluate(nlp: Language, examples: list[Example]) -> dict[str, Any]:
    """Scores from spaCy's Scorer: entities per label and the meeting component's P/R/F."""
    return nlp.evaluate(examples)


def format_scores(scores: dict[str, Any]) -> str:
    rows = ["label      precision  recall    F1"]
    per = scores.get("ents_per_type") or {}
    for label in LABELS:
        if label in per:
            p = per[label]
            rows.append(f"{label:<10} {p['p']:>9.3f} {p['r']:>7.3f} {p['f']:>7.3f}")
    rows.append(f"{'ALL':<10} {scores.get('ents_p', 0):>9.3f} {scores.get('ents_r', 0):>7.3f} "
                f"{scores.get('ents_f', 0):>7.3f}")
    if "meetings_f" in scores:
        rows.append(f"{'MEETINGS':<10} {scores['meetings_p']:>9.3f} {scores['meetings_r']:>7.3f} "
                    f"{scores['meetings_f']:>7.3f}")
    return "\n".join(rows)
