"""Across documents: canonical people and companies, and one id per real meeting.

A meetings frame has one row per meeting *mention*: the same official in two articles,
two namesakes in different cities, a company under its short and its full name and one
meeting reprinted by five sites all look alike there. :func:`link` adds ids that a panel
can count on:

* ``company_id``: the forms of one company's name, grouped by their *core*
  (``苏州澄川新能源科技股份有限公司`` → place ``苏州``, core ``澄川``, industry
  ``新能源``/``科技``, legal form); forms with one core merge unless their places or
  industry words contradict each other (``澄川物流`` is not ``澄川新能源``).
* ``official_id``/``executive_id``: a person is a name *with* a region (officials) or a
  company (executives); namesakes in different regions are never merged.
* ``meeting_id``: reprints (near-duplicate fingerprints, :mod:`zh_invest_ner.text.fingerprint`)
  of one article state one meeting per official and party; across articles, the same
  official, company and known date are one meeting too.

Every id is a hash of its canonical key, so the same corpus gives the same ids in every
run, whatever the order of its rows. Nothing here runs the NLP pipeline: linking reads
the frames only (the word lists are in ``data/company_forms.json``).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from zh_invest_ner.output.frames import column_dtype
from zh_invest_ner.text.fingerprint import duplicate_groups, fingerprint

__all__ = ["CompanyForm", "Linked", "company_form", "doc_groups", "is_generic", "link", "link_companies", "region_of"]

_STRING = pd.StringDtype("python")


# -- word lists -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _forms() -> dict[str, Any]:
    """``data/company_forms.json``, with the place list of ``data/places.txt`` added, longest first."""
    data = json.loads(resources.files("zh_invest_ner").joinpath("data/company_forms.json").read_text("utf-8"))
    for key in ("legal_forms", "industry_words", "generic", "places", "place_suffixes", "not_places"):
        if key not in data:
            raise KeyError(f"data/company_forms.json: missing key {key!r}")
    places = set(data["places"])
    text = resources.files("zh_invest_ner").joinpath("data/places.txt").read_text("utf-8")
    places.update(w for line in text.splitlines() if not line.startswith("#") for w in line.split())
    from zh_invest_ner import lexicons

    places.update(lexicons.places())
    by_length = {k: sorted(set(data[k]), key=lambda w: (-len(w), w)) for k in ("legal_forms", "industry_words")}
    return {**data, **by_length, "generic": frozenset(data["generic"]),
            "place_set": frozenset(p for p in places if len(p) >= 2),
            "place_suffixes": sorted(data["place_suffixes"], key=len, reverse=True)}


def _text(value: Any) -> str | None:
    """A non-empty string, or ``None`` for NA/NaN/empty cells."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def _clean(name: str) -> str:
    """NFKC, no spaces or dots, ASCII lower case: how two writings of one name compare."""
    return re.sub(r"[\s·.,&'\-]+", "", unicodedata.normalize("NFKC", name)).lower()


def _strip_place_suffix(rest: str) -> str:
    for suffix in _forms()["place_suffixes"]:
        if rest.startswith(suffix):
            return rest[len(suffix):]
    return rest


def _leading_place(name: str, min_rest: int = 2) -> tuple[str | None, str]:
    """The place a name begins with (bare: ``苏州`` for ``苏州市``) and the rest of it.

    Only when at least ``min_rest`` characters remain, so a core is never eaten up.
    """
    places = _forms()["place_set"]
    for n in range(min(len(name) - min_rest, 8), 1, -1):
        if name[:n] in places:
            rest = _strip_place_suffix(name[n:])
            return (name[:n], rest) if len(rest) >= min_rest else (name[:n], name[n:])
    return None, name


@lru_cache(maxsize=65536)
def region_of(text: str | None) -> str | None:
    """The region an organisation or place name names, bare: ``镇江市委`` → ``镇江``, ``江宁区政府`` → ``江宁``.

    Known places first (``data/places.txt``), then any 2–4 characters before an
    administrative ending (区, 县, 市…), unless they are a kind of zone (高新区, 经开区)
    or a pronoun (本市, 该区). ``市委``/``市政府`` name no region: ``None``.
    """
    text = _text(text)
    if text is None:
        return None
    text = _clean(text)
    place, _ = _leading_place(text, min_rest=0)
    if place is None:
        suffixes = "|".join(re.escape(s) for s in _forms()["place_suffixes"])
        m = re.match(rf"([\u4e00-\u9fff]{{2,4}}?)(?:{suffixes})", text)
        place = m.group(1) if m else None
    return None if place is None or _zone(place) else place


def _zone(place: str) -> bool:
    """高新区, 经开区, 本市: a kind of area or a pronoun, not a named region (single characters: first only)."""
    not_places = _forms()["not_places"]
    singles = {w for w in not_places if len(w) == 1}
    return place[0] in singles or any(w in place for w in not_places if len(w) > 1)  # 本市, 该区; 高新区


# -- companies ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CompanyForm:
    """One written form of a company name, taken apart: place + core + industry words + legal form."""

    name: str
    core: str
    place: str | None
    industries: frozenset[str]

    @property
    def detail(self) -> int:
        """How much the form says: the fuller forms anchor a company, the short ones join them."""
        return (self.place is not None) + len(self.industries)


def _strip_suffixes(name: str, words: list[str], min_rest: int = 2) -> tuple[str, list[str]]:
    """Strip ``words`` from the end of ``name`` as long as ``min_rest`` characters remain."""
    stripped = []
    changed = True
    while changed:
        changed = False
        for word in words:
            if name.endswith(word) and len(name) - len(word) >= min_rest:
                name, changed = name[:-len(word)], True
                stripped.append(word)
                break
    return name, stripped


@lru_cache(maxsize=65536)
def company_form(name: str) -> CompanyForm:
    """Take a company name apart (see :class:`CompanyForm`); the core is never shorter than 2 characters.

    ``某某(中国)有限公司`` and ``某某（苏州）科技有限公司``: a bracketed region is dropped.
    """
    forms = _forms()
    text = re.sub(r"\([^()]*\)", "", _clean(name)) or _clean(name)
    text, _ = _strip_suffixes(text, forms["legal_forms"])
    place, text = _leading_place(text)
    if place is not None and len(text) >= 2:  # 江苏苏州澄川…: a province before a city
        inner, rest = _leading_place(text)
        if inner is not None and len(rest) >= 2 and rest != text:
            place, text = inner, rest
    text, industries = _strip_suffixes(text, forms["industry_words"])
    text, more = _strip_suffixes(text, forms["legal_forms"])  # 澄川集团科技 → 澄川
    if more:
        text, extra = _strip_suffixes(text, forms["industry_words"])
        industries += extra
    return CompanyForm(name, text, place if place != text else None, frozenset(industries))


def _compatible(form: CompanyForm, place: str | None, industries: frozenset[str]) -> bool:
    """Whether a form can be a writing of a company known with ``place`` and ``industries``."""
    if form.place is not None and place is not None and form.place != place:
        return False
    return form.industries <= industries or industries <= form.industries


def _cluster_core(forms: list[CompanyForm]) -> list[list[CompanyForm]]:
    """The companies among forms that share a core: the fullest forms first, short ones join.

    A form joins the one company it is compatible with; compatible with several (``澄川``
    when ``澄川新能源`` and ``澄川物流`` both exist) it stays a company of its own, as a
    guess would merge two companies.
    """
    clusters: list[tuple[list[CompanyForm], str | None, frozenset[str]]] = []
    for form in sorted(forms, key=lambda f: (-f.detail, -len(f.name), f.name)):
        fits = [i for i, (_, place, inds) in enumerate(clusters) if _compatible(form, place, inds)]
        if len(fits) == 1:
            members, place, inds = clusters[fits[0]]
            members.append(form)
            clusters[fits[0]] = (members, place or form.place, inds | form.industries)
        else:
            clusters.append(([form], form.place, form.industries))
    return [members for members, _, _ in clusters]


def _stable_id(prefix: str, key: Any) -> str:
    """A short id that is a hash of the canonical key: the same in every run."""
    digest = hashlib.blake2b(json.dumps(key, ensure_ascii=False, sort_keys=True, default=str).encode(),
                             digest_size=8).hexdigest()
    return f"{prefix}{digest}"


def is_generic(name: str) -> bool:
    """``企业``, ``该公司``: a word for a company, not a company's name (it gets no ``company_id``)."""
    generic = _forms()["generic"]
    return _clean(name) in generic or company_form(name).core in generic


def link_companies(names: Iterable[str]) -> dict[str, tuple[str, list[str]]]:
    """Each company name → (``company_id``, all forms of that company, the fullest first).

    Generic words (:func:`is_generic`) are left out: they name no company.
    """
    by_core: dict[str, list[CompanyForm]] = defaultdict(list)
    for name in sorted({n for n in names if _text(n) and not is_generic(n)}):
        form = company_form(name)
        by_core[form.core].append(form)
    out = {}
    for core, forms in by_core.items():
        for members in _cluster_core(forms):
            names_ = sorted({f.name for f in members}, key=lambda n: (-len(n), n))
            anchor = members[0]
            cid = _stable_id("C", [core, anchor.place, sorted(anchor.industries), anchor.name])
            for f in members:
                out[f.name] = (cid, names_)
    return out


# -- documents: reprint groups --------------------------------------------------------------

def doc_groups(documents: pd.DataFrame | None, texts: Mapping[Any, str] | None = None,
               doc_ids: Iterable[str] = ()) -> dict[str, str]:
    """Each doc_id's reprint group (the smallest doc_id among its near-duplicates).

    Fingerprints come from the ``fingerprint`` column of ``documents``, else from
    ``texts``; a document with neither is a group of its own.
    """
    fps: dict[str, str] = {}
    if documents is not None and "fingerprint" in documents.columns:
        for doc_id, fp in zip(documents["doc_id"].tolist(), documents["fingerprint"].tolist(), strict=True):
            fps[str(doc_id)] = fp if isinstance(fp, str) else ""
    for doc_id, text in (texts or {}).items():
        if str(doc_id) not in fps or not fps[str(doc_id)]:
            fps[str(doc_id)] = fingerprint(text) if isinstance(text, str) else ""
    ids = set(fps) | {str(d) for d in doc_ids}
    if documents is not None:
        ids.update(str(d) for d in documents["doc_id"].tolist())
    groups = duplicate_groups({d: fps.get(d, "") for d in sorted(ids)})
    return {str(k): str(v) for k, v in groups.items()}


# -- people ---------------------------------------------------------------------------------

def _column(frame: pd.DataFrame, name: str) -> list[Any]:
    """A column as a list, or NAs when the frame does not have it (older frames)."""
    return frame[name].tolist() if name in frame.columns else [None] * len(frame)


def _official_evidence(entities: pd.DataFrame | None) -> tuple[dict, dict, dict]:
    """From the entities frame: regions and organisations of each (doc, official), places of each doc.

    The affiliation of a person's title (``镇江市委书记`` → 镇江市委) is the strongest
    evidence after the meetings' own ``official_region``; a document's places (its GPE
    and GOV entities) only choose between regions a name is already known to have.
    """
    regions: dict[tuple[str, str], Counter] = defaultdict(Counter)
    orgs: dict[tuple[str, str], list[str]] = defaultdict(list)
    places: dict[str, set[str]] = defaultdict(set)
    if entities is None or not len(entities):
        return regions, orgs, places
    people = entities[(entities["label"] == "PERSON") & (entities["role"] == "official")]
    for doc_id, name, affiliation in zip(people["doc_id"].tolist(), people["text"].tolist(),
                                         _column(people, "affiliation"), strict=True):
        aff = _text(affiliation)
        if aff is None:
            continue
        region = region_of(aff)
        if region is not None:
            regions[(str(doc_id), name)][region] += 1
        if aff != region:
            orgs[(str(doc_id), name)].append(aff)
    gpe = entities[entities["label"].isin(["GPE", "GOV"])]
    for doc_id, text in zip(gpe["doc_id"].tolist(), gpe["text"].tolist(), strict=True):
        region = region_of(text)
        if region is not None:
            places[str(doc_id)].add(region)
    return regions, orgs, places


@dataclass
class _Mention:
    """One person of one meeting row, with what the row and the entities say about them."""

    row: int
    doc_id: str
    name: str
    role: str
    title: str | None
    region: str | None  # explicit evidence only
    org: str | None
    group: str


def _person_keys(mentions: list[_Mention], places: Mapping[str, set[str]]) -> list[tuple]:
    """The canonical key of each official mention: ``(role, name, region)``.

    A mention without a region of its own (no ``official_region``, no place in its title's
    affiliation) is placed by the regions the *name* has elsewhere in the corpus and by
    the places its document names (GPE/GOV entities):

    * the document names exactly one of the name's known regions: that one;
    * the name has exactly one known region and the document names no place: that one
      (officials of one name are usually one person);
    * the document names exactly one place and none of the name's regions: that place
      (an article about 襄阳 is not about 扬州's namesake);
    * otherwise it stays apart, as a person of its reprint group (reprints share it).

    Where two namesakes are possible, a guess could merge them, which spoils a panel more
    than a split does; so every rule asks for exactly one candidate.
    """
    known: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.region is not None:
            known[m.name].add(m.region)
    keys = []
    for m in mentions:
        region = m.region
        if region is None:
            candidates = known.get(m.name, set())
            doc_places = places.get(m.doc_id, set())
            in_doc = candidates & doc_places
            if len(in_doc) == 1:
                region = next(iter(in_doc))
            elif len(candidates) == 1 and not doc_places:
                region = next(iter(candidates))
            elif not in_doc and len(doc_places) == 1:
                region = next(iter(doc_places))
        keys.append((m.role, m.name, region) if region is not None else (m.role, m.name, None, m.group))
    return keys


def _executive_keys(mentions: list[_Mention]) -> list[tuple]:
    """Executives are a name with a company; without one, the name's only company, else apart."""
    known: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.org is not None:
            known[m.name].add(m.org)
    keys = []
    for m in mentions:
        org = m.org
        if org is None and len(known.get(m.name, ())) == 1:
            org = next(iter(known[m.name]))
        keys.append(("executive", m.name, org) if org is not None else ("executive", m.name, None, m.group))
    return keys


# -- the result -----------------------------------------------------------------------------

@dataclass
class Linked:
    """What :func:`link` returns: the meetings with ids, and the tables of what the ids name."""

    meetings: pd.DataFrame
    people: pd.DataFrame
    companies: pd.DataFrame
    meetings_unique: pd.DataFrame
    groups: dict[str, str]

    def __repr__(self) -> str:
        return (f"Linked({len(self.meetings)} meeting rows, {len(self.meetings_unique)} meetings, "
                f"{len(self.people)} people, {len(self.companies)} companies)")


def _date_text(value: Any) -> str | None:
    """A meeting date as ISO text (``None`` for NA/NaT), whatever the column holds."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return _text(str(value))


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def _meeting_keys(groups: list[str], officials: list[str], parties: list[str | None],
                  companies: list[str | None], dates: list[str | None]) -> list[str]:
    """The meeting id of every row (see :func:`link`): union-find over the two ways rows agree."""
    n = len(groups)
    uf = _UnionFind(n)
    # within a reprint group: one official and one party are one meeting; when the group
    # states several dates for them, one per date (an undated row joins only a sole date)
    by_pair: dict[tuple, list[int]] = defaultdict(list)
    for i in range(n):
        by_pair[(groups[i], officials[i], parties[i] or f"row{i}")].append(i)
    row_key: list[tuple] = [()] * n
    for pair, rows in by_pair.items():
        several = len({dates[i] for i in rows if dates[i] is not None}) > 1
        for i in rows:
            row_key[i] = (*pair, (dates[i] or f"undated{i}") if several else None)
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for i, key in enumerate(row_key):
        by_key[key].append(i)
    # across groups: one official, one company, one known date
    for i in range(n):
        if companies[i] is not None and dates[i] is not None:
            by_key[("date", officials[i], companies[i], dates[i])].append(i)
    for rows in by_key.values():
        for j in rows[1:]:
            uf.union(rows[0], j)
    canonical: dict[int, tuple] = {}
    for i in range(n):
        root = uf.find(i)
        key = (officials[i], parties[i] or "", dates[i] or "", groups[i])
        canonical[root] = min(canonical.get(root, key), key, key=repr)
    return [_stable_id("M", list(canonical[uf.find(i)])) for i in range(n)]


def _mentions(meetings: pd.DataFrame, groups: Mapping[str, str], evidence: tuple[dict, dict, dict],
              company_ids: list[str | None]) -> tuple[list[_Mention], list[_Mention]]:
    """The official and executive mentions of every meeting row, with their evidence."""
    regions, orgs, _ = evidence
    officials, executives = [], []
    columns = zip(meetings["doc_id"].tolist(), _column(meetings, "official"), _column(meetings, "official_title"),
                  _column(meetings, "official_region"), _column(meetings, "official_org"),
                  _column(meetings, "executive"), _column(meetings, "executive_title"), company_ids, strict=True)
    for i, (doc_id, official, o_title, o_region, o_org, executive, e_title, cid) in enumerate(columns):
        doc_id = str(doc_id)
        group = groups.get(doc_id, doc_id)
        if _text(official):
            name = _text(official)
            counted = regions.get((doc_id, name))
            region = (region_of(o_region) or region_of(o_org) or region_of(o_title)
                      or (min(counted.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counted else None))
            org = _text(o_org) or next(iter(orgs.get((doc_id, name), [])), None)
            officials.append(_Mention(i, doc_id, name, "official", _text(o_title), region, org, group))
        if _text(executive):
            executives.append(_Mention(i, doc_id, _text(executive), "executive", _text(e_title), None, cid, group))
    return officials, executives


def _people_frame(mentions: list[_Mention], keys: list[tuple], order: Mapping[str, int],
                  company_names: Mapping[str, str], company_places: Mapping[str, str | None]) -> tuple[
                      pd.DataFrame, dict[int, str]]:
    """One row per canonical person, and each mention's person_id by its meeting row."""
    people: dict[str, dict[str, Any]] = {}
    ids: dict[int, str] = {}
    ranked = sorted(zip(mentions, keys, strict=True), key=lambda mk: (order.get(mk[0].doc_id, 0), mk[0].row))
    for m, key in ranked:
        pid = _stable_id("P", list(key))
        ids[m.row] = pid
        person = people.setdefault(pid, {"person_id": pid, "name": m.name, "role": m.role, "region": None,
                                         "organisations": [], "titles": [], "doc_ids": [], "mentions": 0})
        if m.role == "official":
            person["region"] = key[2]
            org = m.org
        else:
            org = company_names.get(m.org) if m.org else None
            person["region"] = person["region"] or (company_places.get(m.org) if m.org else None)
        for field, value in (("organisations", org), ("titles", m.title), ("doc_ids", m.doc_id)):
            if value is not None and value not in person[field]:
                person[field].append(value)
        person["mentions"] += 1
    return pd.DataFrame(list(people.values()), columns=[
        "person_id", "name", "role", "region", "organisations", "titles", "doc_ids", "mentions"]), ids


def _typed(frame: pd.DataFrame, lists: Iterable[str] = (), ints: Iterable[str] = ()) -> pd.DataFrame:
    """Extension dtypes as in the other frames: ``string``, ``Int64``, lists as object."""
    lists, ints = set(lists), set(ints)
    dtypes = {}
    for c in frame.columns:
        if c in lists:
            dtypes[c] = object
        elif c in ints:
            dtypes[c] = "Int64"
        elif c in ("role", "participation"):
            dtypes[c] = column_dtype(c)
        else:
            dtypes[c] = _STRING
    return frame.astype(dtypes).reset_index(drop=True)


def _items(value: Any) -> list[Any]:
    """A list cell as a list: frames hold lists, Parquet gives numpy arrays back."""
    if value is None or isinstance(value, str | float) or value is pd.NA:
        return []
    return list(value)


def _unique_meetings(linked: pd.DataFrame, people: pd.DataFrame, companies: pd.DataFrame,
                     dates: list[str | None]) -> pd.DataFrame:
    """One row per meeting_id: the canonical names, the union of topics, every source."""
    names = dict(zip(people["person_id"].tolist(), people["name"].tolist(), strict=True))
    company_names = dict(zip(companies["company_id"].tolist(), companies["name"].tolist(), strict=True))
    acc: dict[str, dict[str, Any]] = {}
    columns = zip(linked["meeting_id"].tolist(), linked["official_id"].tolist(), linked["executive_id"].tolist(),
                  linked["company_id"].tolist(), _column(linked, "official_title"), _column(linked, "topics"),
                  _column(linked, "participation"), linked["doc_id"].tolist(), dates, strict=True)
    for mid, oid, eid, cid, title, topics, participation, doc_id, date in columns:
        m = acc.setdefault(mid, {"executives": Counter(), "companies": Counter(), "titles": Counter(),
                                 "officials": Counter(), "topics": {}, "sources": set(), "dates": Counter(),
                                 "principal": False})
        m["officials"][oid if isinstance(oid, str) else ""] += 1
        m["executives"][eid if isinstance(eid, str) else ""] += 1
        m["companies"][cid if isinstance(cid, str) else ""] += 1
        m["titles"][_text(title) or ""] += 1
        m["topics"].update(dict.fromkeys(t for t in _items(topics) if t))
        m["sources"].add(str(doc_id))
        m["dates"][date or ""] += 1
        m["principal"] |= participation == "principal"

    def top(counter: Counter) -> str | None:
        best = min(((k, v) for k, v in counter.items() if k), key=lambda kv: (-kv[1], kv[0]), default=None)
        return best[0] if best else None

    rows = []
    for mid, m in acc.items():
        oid, eid, cid = top(m["officials"]), top(m["executives"]), top(m["companies"])
        sources = sorted(m["sources"])
        rows.append({"meeting_id": mid, "official_id": oid, "official": names.get(oid),
                     "official_title": top(m["titles"]),
                     "executive_id": eid, "executive": names.get(eid), "company_id": cid,
                     "company": company_names.get(cid), "topics": list(m["topics"]), "date": top(m["dates"]),
                     "participation": "principal" if m["principal"] else "accompanying",
                     "sources": sources, "n_sources": len(sources)})
    rows.sort(key=lambda r: (r["sources"][0], r["meeting_id"]))
    frame = pd.DataFrame(rows, columns=["meeting_id", "official_id", "official", "official_title", "executive_id",
                                        "executive", "company_id", "company", "topics", "date", "participation",
                                        "sources", "n_sources"])
    return _typed(frame, lists=("topics", "sources"), ints=("n_sources",))


def _companies_frame(forms: Mapping[str, tuple[str, list[str]]], docs_of: Mapping[str, set[str]]) -> pd.DataFrame:
    rows: dict[str, dict[str, Any]] = {}
    for name, (cid, names) in forms.items():
        row = rows.setdefault(cid, {"company_id": cid, "name": names[0], "aliases": names[1:], "doc_ids": set()})
        row["doc_ids"] |= docs_of.get(name, set())
    frame = pd.DataFrame(sorted(rows.values(), key=lambda r: r["name"]),
                         columns=["company_id", "name", "aliases", "doc_ids"])
    frame["doc_ids"] = [sorted(d) for d in frame["doc_ids"]]
    return _typed(frame, lists=("aliases", "doc_ids"))


def link(meetings: pd.DataFrame, documents: pd.DataFrame | None = None, entities: pd.DataFrame | None = None,
         *, texts: Mapping[Any, str] | None = None) -> Linked:
    """Canonical people and companies, reprint groups and meeting ids over a corpus's frames.

    ``meetings``, ``documents`` and ``entities`` are :func:`zh_invest_ner.extract`'s frames
    (of one run or of many concatenated). Reprint groups come from ``documents["fingerprint"]``,
    else from ``texts`` (doc_id → text), else every document is its own group. Columns the
    meetings frame may lack (``official_region``, ``official_org``, ``date``) are read
    when present; the regions of officials then also come from the entities' affiliations.

    Meeting ids: within a reprint group, one official and one company (or executive, where
    no company is known) are one meeting; across groups, one official, one company and one
    known date are one meeting too.
    """
    meetings = meetings.reset_index(drop=True)
    groups = doc_groups(documents, texts, meetings["doc_id"].astype(str).tolist())
    order = ({str(d): i for i, d in enumerate(documents["doc_id"].tolist())} if documents is not None else {})
    company_raw = [_text(c) for c in _column(meetings, "company")]
    forms = link_companies(c for c in company_raw if c)
    company_ids = [forms[c][0] if c in forms else None for c in company_raw]
    evidence = _official_evidence(entities)
    officials, executives = _mentions(meetings, groups, evidence, company_ids)
    company_names = {cid: names[0] for cid, names in forms.values()}
    company_places = {cid: company_form(names[0]).place for cid, names in forms.values()}
    people_o, official_ids = _people_frame(officials, _person_keys(officials, evidence[2]), order, {}, {})
    people_e, executive_ids = _people_frame(executives, _executive_keys(executives), order,
                                            company_names, company_places)
    people = _typed(pd.concat([people_o, people_e], ignore_index=True),
                    lists=("organisations", "titles", "doc_ids"), ints=("mentions",))
    n = len(meetings)
    official_col = [official_ids.get(i) for i in range(n)]
    executive_col = [executive_ids.get(i) for i in range(n)]
    dates = [_date_text(d) for d in _column(meetings, "date")]
    doc_col = meetings["doc_id"].astype(str).tolist()
    parties = [c or e for c, e in zip(company_ids, executive_col, strict=True)]
    meeting_col = _meeting_keys([groups.get(d, d) for d in doc_col], [o or "" for o in official_col], parties,
                                company_ids, dates)
    linked = meetings.copy()
    for column, values in (("official_id", official_col), ("executive_id", executive_col),
                           ("company_id", company_ids), ("meeting_id", meeting_col)):
        linked[column] = pd.array(values, dtype=_STRING)
    docs_of: dict[str, set[str]] = defaultdict(set)
    for c, d in zip(company_raw, doc_col, strict=True):
        if c:
            docs_of[c].add(d)
    companies = _companies_frame(forms, docs_of)
    return Linked(linked, people, companies, _unique_meetings(linked, people, companies, dates), groups)
