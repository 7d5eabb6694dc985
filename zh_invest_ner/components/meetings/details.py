"""The ``zh_meeting_details`` component: when, where, what kind, and for which body.

``zh_meetings`` decides who met whom; this component, after it, reads the rest of what a
panel of meetings needs from the same article: the meeting's ``date`` (and ``date_end``,
``date_text``), its ``place``, its ``meeting_type``, and the official's ``official_org``
(市委, 区政府, 市商务局) and ``official_region`` (镇江市, 江宁区). Each is one small rule
function below, testable alone; the words they use come from ``data/meeting_details.json``.

A relative affiliation (``市委``, ``市商务局``, a bare ``市长``) names the article's own
city or district; it is resolved to the region of that level the article names most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from zh_invest_ner import lexicons
from zh_invest_ner.components.base import DataComponent
from zh_invest_ner.components.meetings.confidence import article_context, confidence
from zh_invest_ner.components.spans import text_of
from zh_invest_ner.text.dates import DateMention, article_date, find_dates, resolve_all


def _alternation(words: Iterable[str]) -> str:
    return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))


def meeting_type(sentence: str, verbs: re.Pattern[str], type_of: dict[str, str], official: str = "") -> str | None:
    """The kind of meeting the sentence's meeting verb makes (会见, 拜访, 座谈…).

    The first verb after the official's name: in ``某董事长来我市考察，市长某某会见了他`` the
    official's act is 会见; before the name, or without one, the sentence's first verb.
    """
    at = sentence.find(official) if official else -1
    m = (verbs.search(sentence, at) if at >= 0 else None) or verbs.search(sentence)
    return type_of[m.group()] if m else None


def split_affiliation(affiliation: str | None, label: str | None,
                      region_re: re.Pattern[str]) -> tuple[str | None, str | None]:
    """``肇庆市商务局`` -> (``肇庆市``, ``市商务局``); ``市委`` -> (None, ``市委``); ``常州`` (GPE) -> (``常州``, None).

    The body keeps the level character of its region (``市商务局``), so that the relative
    form an article uses later (``市商务局``) is the same string.
    """
    if not affiliation:
        return None, None
    affiliation = affiliation.removeprefix("中共")
    m = region_re.match(affiliation)
    if m is None:
        return (affiliation, None) if label == "GPE" else (None, affiliation)
    region, rest = m.group(0), affiliation[m.end():]
    if not rest:
        return region, None
    return region, region[-1] + rest


def title_level(title: str | None, prefixes: Sequence[str], levels: str) -> str | None:
    """The administrative level a title names: ``副市长`` -> ``市``, ``区委书记`` -> ``区``."""
    if not title:
        return None
    for prefix in prefixes:
        if title.startswith(prefix):
            title = title[len(prefix):]
            break
    return title[0] if title and title[0] in levels else None


def org_from_title(title: str | None, title_orgs: dict[str, str], prefixes: Sequence[str]) -> str | None:
    """The body a bare title speaks for: ``副市长`` -> ``市政府``, ``区委书记`` -> ``区委``."""
    if not title:
        return None
    for prefix in ("", *prefixes):
        if title.startswith(prefix) and title[len(prefix):] in title_orgs:
            return title_orgs[title[len(prefix):]]
    return None


def home_region(own: Sequence[str], regions: Sequence[str], level: str | None,
                suffixes: Sequence[str]) -> str | None:
    """What ``市委`` or ``我市`` means in this article: its region of ``level`` (市, 区…).

    The regions its officials are named with come first (``常州市市长``, ``肇庆市商务局局长``),
    then those the article names most with the level, then the places it names most without
    one (``嘉兴`` -> ``嘉兴市``: local news names its own city more than any other).
    """
    if level is None:
        return None
    for pool, bare in ((own, True), (regions, False), (regions, True)):
        names = [with_level(r, level, suffixes) if bare else r for r in pool]
        counts = Counter(r for r in names if r and r.endswith(level) and len(r) > 1)
        if counts:
            best = max(counts.values())
            return next(r for r in names if counts.get(r) == best)
    return None


def with_level(region: str | None, level: str | None, suffixes: Sequence[str]) -> str | None:
    """``常州`` with a 市-level title is ``常州市``: one spelling for the same place."""
    if region is None or level is None:
        return region
    # 常州, 苏州 end in 州 as names, not as the 州 level: only a suffix of several characters,
    # or one of the unambiguous levels, says the place already carries its level
    if region.endswith(level) or region.endswith(tuple(x for x in suffixes if len(x) > 1 or x in "省市县区旗盟镇乡")):
        return region
    return region + level


def stated_place(m: re.Match[str] | None, home: str | None, abbreviations: dict[str, str]) -> str | None:
    """The place a match of the place pattern names: ``在上海``, ``赴深圳``, ``在沪期间``, ``来我市`` (the home)."""
    if m is None:
        return None
    if m.group("home") or m.group("home_at"):
        return home
    if m.group("abbr"):
        return abbreviations[m.group("abbr")]
    return m.group("place") or m.group("place_at")


_OPENING = "（(【[〔"
_YEAR_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年(?![0-9度])")


def in_brackets(text: str, start: int) -> bool:
    """A date right after an opening bracket is a dateline (``（2024年3月18日-南京）``), not the event's day."""
    return start > 0 and text[start - 1] in _OPENING


def heading_year(text: str, head: int = 200) -> int | None:
    """A year the top of the page states (``2011年大事记``, ``2019年工作动态``): the year of its dates."""
    m = _YEAR_RE.search(text, 0, head)
    return int(m.group(1)) if m else None


def is_timestamp(mention: DateMention) -> bool:
    """``2022-11-26 09:41:00``: a page's metadata (publish or crawl time), not a meeting's day."""
    return bool(mention.time) and ":" in str(mention.time)


def resolve_in_order(every: Sequence[DateMention], found: Sequence[DateMention],
                     year: int | None) -> list[tuple[Any, Any]]:
    """Dates of ``found`` where the article has no publish date: each year-less mention takes
    its year from the full date written last before it (a dateline, a timestamp, the lead),
    else from the heading's year, as a reader does."""
    full = [(m.start, resolve_all([m], None)[0][0]) for m in every if m.year is not None]
    out = []
    for m in found:
        before = [d for start, d in full if start <= m.start and d is not None]
        out.append(resolve_all([m], before[-1] if before else None, year=None if before else year)[0])
    return out


def date_with_hint(record: dict[str, Any], reference: Any) -> None:
    """Place a record's day that its article could not (``3月18日`` with no year in sight, ``昨天``
    with no publish date) with the user's hint: a year, or the article's date."""
    if record.get("date") is not None or not record.get("date_text") or reference is None:
        return
    found = find_dates(record["date_text"])
    if not found:
        return
    on_day = reference if not isinstance(reference, int) else None
    first, last = resolve_all(found[:1], on_day, year=reference if isinstance(reference, int) else None)[0]
    if first is not None:
        record["date"] = first.isoformat()
        record["date_end"] = last.isoformat() if last is not None and last != first else None


def meeting_date(mentions: Sequence[tuple[DateMention, Any]], start: int, end: int,
                 paragraph: int) -> tuple[DateMention, Any] | None:
    """The date a meeting sentence ``[start, end)`` was on, from the mentions of its article.

    A day the sentence states; else the last one stated before it in its paragraph, else in
    the article (``3月5日，市长率团赴深圳…`` dates the meetings of the trip that follow).
    Publish lines and datelines are no meeting's day: they give the year and resolve 昨天.
    """
    dated = [(m, d) for m, d in mentions if m.day is not None or m.relative_days is not None]
    inside = [(m, d) for m, d in dated if start <= m.start < end]
    if inside:
        return inside[0]
    before = [(m, d) for m, d in dated if m.end <= start]
    in_paragraph = [(m, d) for m, d in before if m.start >= paragraph]
    return (in_paragraph or before or [None])[-1]


class MeetingDetails(DataComponent):
    """Adds date, place, meeting type, official body and region, and confidence to ``Doc._.meeting_records``."""

    filename = "meeting_details.json"
    derived = ("confidence_model",)  # fitted weights, from the data files, not the config

    def _compile(self) -> None:
        d = self.data
        self._type_of = {verb: kind for kind, verbs in d["meeting_types"].items() for verb in verbs}
        self._verbs = re.compile(_alternation(self._type_of))
        suffixes = sorted(d["admin_suffixes"], key=len, reverse=True)
        self._suffixes = tuple(suffixes)
        # one or more place names, each ending in an administrative suffix: 南京市江宁区
        self._region_re = re.compile(rf"(?:[\u4e00-\u9fff]{{2,8}}?(?:{_alternation(suffixes)}))+")
        self._abbr = d["place_abbreviations"]
        self._prefixes = tuple(d["title_prefixes"])
        self._marker_re = _alternation(m for m in d["place_markers"] if m != "在")
        # 在 says where only before a pause or a meeting verb: 在上海，/在沪期间, not 在常州布局
        self._at_follow = _alternation([*d["abbreviation_followers"], *self._type_of])
        self._home_re = _alternation(d["home_words"])
        self._abbr_re = (rf"(?P<abbr>{_alternation(self._abbr)})(?={_alternation(d['abbreviation_followers'])})")

    def _place_re(self, places: Iterable[str]) -> re.Pattern[str]:
        """Markers of where, then the home word, a one-character abbreviation or a place of the article."""
        names = _alternation(places) or "(?!)"
        at = rf"在(?:(?P<home_at>{self._home_re})|(?P<place_at>{names}))(?={self._at_follow})"
        go = rf"(?:{self._marker_re})(?:(?P<home>{self._home_re})|(?P<place>{names}))"
        return re.compile(rf"{at}|{go}|(?:{self._marker_re}|在){self._abbr_re}")

    def __call__(self, doc: Doc) -> Doc:
        records = doc._.meeting_records
        if not records:
            return doc
        text = text_of(doc)
        places = [e.text for e in doc.ents if e.label_ == "GPE"]
        regions = self._regions(doc)
        place_re = self._place_re(places)
        people = doc._.person_records or {}
        own = [r for p in people.values() if p.get("role") == "official"
               for r in [split_affiliation(p.get("affiliation"), p.get("affiliation_label"), self._region_re)[0]] if r]
        # where each record's sentence is in the doc's text, found once for every rule below
        starts = [text.find(record.get("sentence") or "\0") for record in records]
        for record, start in zip(records, starts, strict=True):
            self._official(record, people.get(record["official"]) or {}, own, regions)
            record["meeting_type"] = self._type(text, start, record.get("sentence") or "", record["official"])
            record["place"] = self._place(text, start, record, place_re)
        self._dates(doc, text, records, starts)
        model = self.data.get("confidence_model") or {}  # none in pipelines saved before it existed
        context = article_context(records, model)
        for record in records:
            record["confidence"] = confidence(record, context, model)
        doc._.meeting_records = records
        return doc

    def _dates(self, doc: Doc, text: str, records: list[dict[str, Any]], starts: list[int]) -> None:
        """``date``, ``date_end`` (ISO) and ``date_text`` (as the user's text writes it) of each record."""
        every = find_dates(text)
        found = [m for m in every if m.kind != "publish"]
        if not found:
            return
        reference, _ = article_date(text)
        resolved = (resolve_all(found, reference) if reference is not None
                    else resolve_in_order(every, found, heading_year(text)))
        mentions = [(m, d) for m, d in zip(found, resolved, strict=True)
                    if not in_brackets(text, m.start) and not is_timestamp(m)]
        source = doc._.source
        for record, start in zip(records, starts, strict=True):
            sentence = record.get("sentence") or ""
            if start < 0:
                continue
            chosen = meeting_date(mentions, start, start + len(sentence), text.rfind("\n", 0, start) + 1)
            if chosen is None:
                continue
            mention, (first, last) = chosen
            # a day without a year to place it stays as written: a --date hint can place it later
            record["date"] = first.isoformat() if first is not None else None
            record["date_end"] = last.isoformat() if first is not None and last is not None and last != first else None
            record["date_text"] = (source.original_span_text(mention.start, mention.end) if source is not None
                                   else mention.text)

    def _regions(self, doc: Doc) -> list[str]:
        """Every region the article names, in order: GPE entities and the regions of GOV ones."""
        out = []
        for e in doc.ents:
            if e.label_ in ("GPE", "GOV"):
                m = self._region_re.match(e.text)
                if m is not None:
                    out.append(m.group(0))
                elif e.label_ == "GPE":
                    out.append(e.text)
        return out

    def _type(self, text: str, start: int, sentence: str, official: str) -> str | None:
        """The sentence's meeting verb, else the last one its paragraph used before it
        (``走访了某公司。该公司总经理某某介绍…``: the second sentence is part of the visit)."""
        found = meeting_type(sentence, self._verbs, self._type_of, official)
        if found is None and start > 0:
            paragraph = text.rfind("\n", 0, start) + 1
            before = list(self._verbs.finditer(text, paragraph, start))
            found = self._type_of[before[-1].group()] if before else None
        return found

    def _official(self, record: dict[str, Any], person: dict[str, Any], own: list[str], regions: list[str]) -> None:
        title = record.get("official_title")
        affiliation = record.get("official_affiliation") or person.get("affiliation")
        label = person.get("affiliation_label") if affiliation == person.get("affiliation") else None
        region, org = split_affiliation(affiliation, label, self._region_re)
        org = org or org_from_title(title, self.data["title_orgs"], self._prefixes)
        level = (org[0] if org and org[0] in self.data["level_chars"] else None) or title_level(
            title, self._prefixes, self.data["level_chars"])
        region = with_level(region, level, self._suffixes) or home_region(own, regions, level, self._suffixes)
        record["official_org"], record["official_region"] = org, region

    def _place(self, text: str, start: int, record: dict[str, Any], place_re: re.Pattern[str]) -> str | None:
        """The place the sentence states, else the one its paragraph states before it."""
        home = record.get("official_region")
        found = stated_place(place_re.search(record.get("sentence") or ""), home, self._abbr)
        if found is None and start > 0:
            paragraph = text.rfind("\n", 0, start) + 1
            matches = list(place_re.finditer(text, paragraph, start))
            if not matches:  # the trip the article set out on (率团赴港…) before this paragraph
                matches = [m for m in place_re.finditer(text, 0, paragraph) if not m.group().startswith("在")]
            if matches:
                found = stated_place(matches[-1], home, self._abbr)
        return found


@Language.factory(
    "zh_meeting_details",
    assigns=["doc._.meeting_records"],
    requires=["doc._.meeting_records", "doc._.person_records", "doc.ents"],
    default_config={"meeting_types": None, "place_markers": None, "home_words": None, "place_abbreviations": None,
                    "abbreviation_followers": None, "admin_suffixes": None, "title_prefixes": None,
                    "level_chars": None, "title_orgs": None, "org_heads": None},
)
def make_meeting_details(
    nlp: Language, name: str, meeting_types: dict | None, place_markers: list | None, home_words: list | None,
    place_abbreviations: dict | None, abbreviation_followers: list | None, admin_suffixes: list | None,
    title_prefixes: list | None, level_chars: str | None, title_orgs: dict | None, org_heads: list | None,
) -> MeetingDetails:
    """Lists left ``null`` come from the package's ``data/meeting_details.json``."""
    given = dict(locals())

    def defaults() -> dict[str, Any]:  # read only by initialize(), never on load
        return {**lexicons.meeting_details(), "confidence_model": lexicons.confidence_model()}

    return MeetingDetails(nlp, name, settings=given, defaults=defaults)
