"""Annotation consistency: the checks a training set must pass before a model learns from it.

A model learns whatever convention the data shows, including our slips: a string
labelled GPE in one article and GOV in the next teaches it to guess. These checks find
the slips across all articles at once, each reported as ``file:line (id): what is wrong``:

- the same surface string labelled differently in different articles;
- a span that cuts a word (a title, company ending or another annotated name runs on
  across its edge: ``⟦储能|TOPIC⟧电池`` where ``储能电池`` is annotated elsewhere);
- relations whose ends carry the wrong labels (``of_company`` must point at a company);
- duplicate article ids.

Run it with ``python -m zh_invest_ner.training.consistency training_data``; the test suite runs it
on our own data.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from zh_invest_ner.training import Record, read_dir, read_jsonl

#: Which labels each relation may join: (from labels, to labels).
RELATION_ENDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "met_with": (frozenset({"PERSON"}), frozenset({"PERSON", "COMPANY", "ORG"})),
    "of_company": (frozenset({"PERSON"}), frozenset({"COMPANY", "ORG"})),
    "on_topic": (frozenset({"PERSON", "COMPANY", "ORG"}), frozenset({"TOPIC"})),
}
#: Labels whose surfaces must be the same kind of thing wherever they appear. PERSON is
#: left out: a person may share a name with a company brand only by accident of writing.
CHECKED_LABELS = ("TITLE", "COMPANY", "GOV", "ORG", "GPE", "TOPIC", "PERSON")


def _surface(rec: Record, ent: dict) -> str:
    return rec.text[ent["start_offset"] : ent["end_offset"]]


def duplicate_ids(records: Iterable[Record]) -> list[str]:
    """Articles whose id was already used by an earlier one."""
    first: dict[str, str] = {}
    out = []
    for r in records:
        if r.id in first:
            out.append(f"{r.where} ({r.id}): duplicate id, first used at {first[r.id]}")
        else:
            first[r.id] = r.where
    return out


def label_conflicts(records: list[Record]) -> list[str]:
    """Surface strings given different labels in different articles (or in one)."""
    seen: dict[str, Counter] = defaultdict(Counter)
    where: dict[tuple[str, str], str] = {}
    for r in records:
        for e in r.entities:
            s = _surface(r, e)
            seen[s][e["label"]] += 1
            where.setdefault((s, e["label"]), f"{r.where} ({r.id})")
    out = []
    for s, labels in sorted(seen.items()):
        if len(labels) > 1:
            parts = ", ".join(f"{label} ×{n} (first at {where[(s, label)]})" for label, n in labels.most_common())
            out.append(f"{where[(s, labels.most_common(1)[0][0])]}: {s!r} is labelled differently: {parts}")
    return out


def _words_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted({w for w in words if len(w) >= 2}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def cut_words(records: list[Record], lexicon: Iterable[str] = ()) -> list[str]:
    """Spans whose edge falls inside a word another annotation or the lexicon knows.

    A word crosses an edge when it runs on past the span's end (``⟦储能⟧电池``), or starts
    before the span and ends inside it. A word ending exactly where the span ends is the
    body before a title (``集团⟦总裁⟧``), and a remainder that is another entity
    (``⟦宜宾⟧⟦市长⟧``) is a neighbour: neither is a cut.
    """
    lexicon = list(lexicon)
    known = {_surface(r, e) for r in records for e in r.entities if e["label"] != "PERSON"}
    pattern = _words_pattern([*known, *lexicon])
    if pattern is None:
        return []
    titles = set(lexicon)  # a name's last character starts a post (刘某|财务总监), not any word (某建国|会见)
    out = []
    for r in records:
        covered = sorted((e["start_offset"], e["end_offset"]) for e in r.entities)
        persons = {(e["start_offset"], e["end_offset"]) for e in r.entities if e["label"] == "PERSON"}
        starts = {s for s, _ in covered}
        ends = {t for _, t in covered}
        for m in _overlapping_matches(pattern, r.text):
            a, b = m
            for s, t in covered:
                # ⟦储能⟧电池, 副⟦市长⟧助理: a known word runs on from the span; from inside a
                # name (刘某|财务总监 read as 刘某财) too. Neighbouring words that share a
                # character (江阴市|政府) are compounds, not cuts.
                runs_on = (a <= s and t < b) or ((s, t) in persons and s < a < t < b and r.text[a:b] in titles)
                crosses_end = runs_on and b not in ends and not _inside_entity(covered, t, b)
                # a word ending where the span ends is a body before a title (集团⟦总裁⟧): fine
                crosses_start = a < s < b < t and a not in starts and not _inside_entity(covered, a, s)
                if crosses_end or crosses_start:
                    out.append(f"{r.where} ({r.id}): span {r.text[s:t]!r} at {s}-{t} cuts the word "
                               f"{r.text[a:b]!r} at {a}-{b}")
    return sorted(set(out))


def _overlapping_matches(pattern: re.Pattern[str], text: str) -> Iterable[tuple[int, int]]:
    """Longest match starting at each position (overlapping), in one pass per start."""
    for i in range(len(text)):
        m = pattern.match(text, i)
        if m is not None:
            yield m.start(), m.end()


def _inside_entity(covered: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether text[a:b] is covered by annotated spans (a neighbour, not plain text)."""
    return any(s <= a and b <= t for s, t in covered) or any(s == a for s, _ in covered)


def relation_labels(records: Iterable[Record]) -> list[str]:
    """Relations of a known type whose ends carry labels that type does not allow."""
    out = []
    for r in records:
        labels = {e.get("id"): e["label"] for e in r.entities}
        for rel in r.relations:
            ends = RELATION_ENDS.get(rel.get("type"))
            if ends is None:
                out.append(f"{r.where} ({r.id}): unknown relation type {rel.get('type')!r}")
                continue
            a, b = labels.get(rel.get("from_id")), labels.get(rel.get("to_id"))
            if a is None or b is None:
                out.append(f"{r.where} ({r.id}): relation {rel.get('id')} points at a missing entity")
            elif a not in ends[0] or b not in ends[1]:
                out.append(f"{r.where} ({r.id}): relation {rel.get('id')} {rel['type']} joins {a} to {b}; "
                           f"it needs {'/'.join(sorted(ends[0]))} to {'/'.join(sorted(ends[1]))}")
    return out


def check(records: list[Record], lexicon: Iterable[str] = ()) -> list[str]:
    """Every problem of the training set, duplicates and label conflicts first."""
    return [*duplicate_ids(records), *label_conflicts(records), *relation_labels(records),
            *cut_words(records, lexicon)]


def default_lexicon() -> list[str]:
    """Title words and company endings: the words a span edge must not split."""
    from zh_invest_ner import lexicons

    return [*lexicons.titles(), *lexicons.company_suffixes()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Check annotated training articles for consistency.")
    ap.add_argument("data", type=Path, help="a folder of *.jsonl files or one JSONL file")
    a = ap.parse_args(argv)
    records = read_dir(a.data) if a.data.is_dir() else read_jsonl(a.data)
    problems = check(records, default_lexicon())
    for p in problems:
        print(p)
    print(f"{len(records)} articles, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
