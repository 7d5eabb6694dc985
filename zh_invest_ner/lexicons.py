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

#: What each JSON data file must hold: key -> type. Checked on reading, so that an edited
#: file fails with its name and the key, not with a KeyError deep inside a component.
SCHEMAS: dict[str, dict[str, type]] = {
    "cues.json": {
        **dict.fromkeys(
            ("meeting_verbs", "planned_markers", "planned_blockers", "company_anaphora", "reporter_cues",
             "internal_meeting_markers", "non_names", "title_suffix_roles", "join_markers", "person_suffixes",
             "company_trailing_words", "company_sites", "affiliation_cuts", "gov_endings", "org_endings",
             "title_modifiers",
             "company_organs", "unit_breaks", "strong_meeting_verbs", "name_breaking_words", "name_end_breaks",
             "delegation_markers",
             "visit_verbs", "department_words", "unnamed_posts", "topic_leading_words", "topic_trailing_words",
             "chunk_function_words"), list),
        **dict.fromkeys(("name_stop_chars", "affiliation_delimiters", "affiliation_leading_chars"), str),
    },
    "augment.json": {"given_name_chars": str, "brand_chars": str, "company_keep_chars": str, "places": list},
    "confidence.json": {"features": list, "weights": list, "bias": float, "registered_endings": list,
                        "place_endings": list},
    "meeting_details.json": {
        "meeting_types": dict, "place_markers": list, "home_words": list, "place_abbreviations": dict,
        "abbreviation_followers": list, "admin_suffixes": list, "title_prefixes": list, "level_chars": str,
        "title_orgs": dict, "org_heads": list,
    },
}


class DataFileError(ValueError):
    """A data file of the package (or one a user gave in its place) is malformed."""


def validate(data: Any, schema: dict[str, type], where: str) -> dict[str, Any]:
    """``data`` if it has every key of ``schema`` with the right type; else a DataFileError naming both."""
    if not isinstance(data, dict):
        raise DataFileError(f"{where}: expected a JSON object at the top, found {type(data).__name__}")
    for key, kind in schema.items():
        if key not in data:
            raise DataFileError(f"{where}: missing key {key!r} (expected a {kind.__name__})")
        if not isinstance(data[key], kind):
            raise DataFileError(f"{where}: key {key!r} must be a {kind.__name__}, not {type(data[key]).__name__}")
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _data_json(name: str) -> dict[str, Any]:
    text = resources.files("zh_invest_ner").joinpath("data", name).read_text("utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise DataFileError(f"data/{name} line {e.lineno} column {e.colno}: {e.msg}") from e
    return validate(data, SCHEMAS[name], f"data/{name}")


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
            raise DataFileError(f"data/titles.tsv line {lineno}: unknown role {role!r} for {word!r}")
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
    return _data_json("cues.json")


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
    return _data_json("augment.json")


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


def meeting_details() -> dict[str, Any]:
    """Meeting types, place markers and official bodies, from ``data/meeting_details.json``."""
    return _data_json("meeting_details.json")


def confidence_model() -> dict[str, Any]:
    """The fitted weights of the meeting confidence, from ``data/confidence.json``."""
    return _data_json("confidence.json")
