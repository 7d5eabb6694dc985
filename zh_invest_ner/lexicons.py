"""Title, surname, cue and topic lexicons shipped as data files in ``zh_invest_ner/data``.

The rules read their word lists from here so that a user can see, extend or replace
them without touching code. Components copy what they use into their own state and
serialise it with the pipeline, so a saved model keeps working if the defaults change.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

#: Roles a title can give to the person it attaches to.
ROLES = ("official", "executive", "ambiguous", "other", "reporter")


def _data_lines(name: str) -> list[str]:
    text = resources.files("zh_invest_ner").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def titles() -> dict[str, str]:
    """Title word -> role, from ``data/titles.tsv``."""
    table: dict[str, str] = {}
    for lineno, line in enumerate(_data_lines("titles.tsv"), 1):
        word, _, role = line.partition("\t")
        if role not in ROLES:
            raise ValueError(f"data/titles.tsv line {lineno}: unknown role {role!r} for {word!r}")
        table.setdefault(word, role)
    return table


@lru_cache(maxsize=1)
def surnames() -> list[str]:
    """Single-character and compound surnames, from ``data/surnames.txt``."""
    out: list[str] = []
    for line in _data_lines("surnames.txt"):
        out.extend(line.split())
    return sorted(set(out))


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    """Cue words used by the relation rules, from ``data/cues.json``."""
    data = json.loads(resources.files("zh_invest_ner").joinpath("data", "cues.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def topics() -> list[str]:
    """Industry and cooperation topics, from ``data/topics.txt``."""
    return _data_lines("topics.txt")


@lru_cache(maxsize=1)
def company_suffixes() -> list[str]:
    """Legal-form and organisation endings of company names, longest first."""
    return sorted(_data_lines("company_suffixes.txt"), key=len, reverse=True)


@lru_cache(maxsize=1)
def augment_pools() -> dict[str, Any]:
    """Place names and name/brand character pools, from ``data/augment.json``."""
    data = json.loads(resources.files("zh_invest_ner").joinpath("data", "augment.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def places() -> list[str]:
    """Common Chinese place names (provinces, cities)."""
    return list(augment_pools()["places"])


def company_words() -> str:
    """Characters of industry words and legal forms in company names."""
    return str(augment_pools()["company_keep_chars"])


@lru_cache(maxsize=1)
def name_starts() -> list[str]:
    """Every way a name may begin: surnames, rarer surnames and minority given-name starts."""
    out = set(surnames())
    for line in _data_lines("name_starts.txt"):
        out.update(line.split())
    return sorted(out, key=lambda s: (-len(s), s))  # a stable order: saved models stay byte-identical
