"""Sentence analysis: what one sentence says about who meets whom.

Small named rules over one sentence and its entities, each testable alone (as textacy's
``extract/triples.py``): who only accompanies (陪同, 参加), which guests travel to the
host (莅临, 一行), which companies are met through an unnamed post (某某等企业的董事长),
whether a forum was held; and :class:`_Sentence`, what the component keeps of each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span


@dataclass
class _Sentence:
    span: Span
    paragraph: int
    officials: list[Span] = field(default_factory=list)
    executives: list[Span] = field(default_factory=list)
    companies: list[Span] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    verb_at: int | None = None
    planned: bool = False
    accompanying: set[str] = field(default_factory=set)
    event: int = 0  # dated entries of a list or chronicle page are separate events
    frame_topics: list[str] = field(default_factory=list)
    ents: Sequence[Span] = ()  # all the sentence's entities, in order
    text: str = ""  # span.text, read once (Span.text walks the tokens on every access)
    offsets: tuple[int, int] = (0, 0)  # the sentence's offsets in the text the user gave


def _unique(spans: list[Span]) -> list[Span]:
    seen, out = set(), []
    for s in spans:
        if s.text not in seen:
            seen.add(s.text)
            out.append(s)
    return out


_UNNAMED_POST = re.compile(
    r"(?:会见|会晤|接见|拜访|拜会|走访|看望)了?(?P<company>[^，,。、；;：:“”的了]{2,12}?)(?:等(?:企业|公司|单位))?的?"
    r"(?:董事长|总经理|总裁|负责人|主要负责人|高管|创始人|主要领导|领导)"
)


_VISITS_THE_COMPANY = re.compile(r"(?:莅临|来到|走进|视察|考察|调研|参观|到)(?:我|本)?公司")


def unnamed_post_companies(sent: Span, subject: str | None, ents: Sequence[Span] | None = None) -> list[str]:
    """Companies met through an unnamed post: ``会见了某某等企业的董事长``, or ``视察公司``
    on the page of the company the article is about. ``ents`` are the sentence's entities
    when the caller has them (``Span.ents`` walks the whole document)."""
    text = sent.text
    bodies = {e.text for e in (sent.ents if ents is None else ents) if e.label_ in ("GOV", "GPE", "ORG", "PERSON")}
    out = [m.group("company") for m in _UNNAMED_POST.finditer(text)
           if m.group("company") not in bodies and not any(b in m.group("company") for b in bodies)]
    if not out and subject and _VISITS_THE_COMPANY.search(text):
        out.append(subject)
    return out


_PLAN_AHEAD = re.compile(
    r"(?:拟|将|计划|准备|打算|还将|预计)(?:于)?(?:近期|近日|下周|下月|下半年|明年|年内|年底|月底|月中|"
    r"\d{1,2}月(?:上旬|中旬|下旬|底|初|中)?|\d{1,2}日)?(?:带队|率队|率团|赴|前往|到|拜访|考察|调研|会见|洽谈)"
    r"|届时"
)


_FORUM = re.compile(
    r"(?:召开|举行|举办|组织|主持)[^。；\n]{0,24}(?:座谈会|恳谈会|交流会|对接会|见面会|早餐会|茶话会|圆桌会)"
)


_ANNOUNCED = re.compile("将|拟|计划|准备")


def _held_forum(text: str) -> bool:
    """A forum held (``召开企业座谈会``), not one announced (``还将举办对接会``)."""
    for m in _FORUM.finditer(text):
        if not _ANNOUNCED.search(text[max(0, m.start() - 6) : m.start() + 2]):
            return True
    return False


_DATED_ENTRY = re.compile(r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?|\d{4}[-./]\d{1,2}")


_ESCORTED = re.compile(r"在(?P<who>[^，,。；;]{2,60}?)的?(?:陪同|陪伴|带领)下")


_ATTENDING = re.compile("陪同|参加|出席|一同|随同|列席|参与")


_LEADING_VERBS = ("会见", "会谈", "会晤", "座谈", "接待", "接见", "拜访", "拜会", "考察", "调研", "率队", "带队",
                  "率领",
                  "主持")


def _clause_end(text: str, pos: int) -> int:
    """End of the comma-delimited clause that holds ``pos``."""
    ends = [i for i in (text.find(c, pos) for c in "，,；;。") if i >= 0]
    return min(ends) if ends else len(text)


def accompanying_company(sent: Span, company: Span) -> bool:
    """``某市烟草公司随同视察``: a company that came along with the officials, not one they visited."""
    text, rel = sent.text, company.end_char - sent.start_char
    return _ATTENDING.search(text, rel, _clause_end(text, rel)) is not None


def accompanying_people(sent: Span, people: list[Span]) -> set[str]:
    """Names of those who only came along in this sentence.

    ``在副区长B的陪同下``: B; ``副市长D参加会见`` / ``E陪同考察``: the people of a clause whose
    verb is accompanying, unless that clause also has a leading verb of its own before it
    (``A会见B，C参加``: only C).
    """
    text, base = sent.text, sent.start_char
    escorted = [(m.start("who"), m.end("who")) for m in _ESCORTED.finditer(text)]
    out: set[str] = set()
    for p in people:
        rel = p.start_char - base
        if any(a <= rel < b for a, b in escorted):
            out.add(canonical_name(p))
            continue
        clause_start = max(text.rfind(c, 0, rel) for c in "，,；;：:") + 1
        clause = text[clause_start : _clause_end(text, rel)]
        marker = _ATTENDING.search(clause, rel - clause_start)
        if marker is None or "陪同下" in clause[marker.start() : marker.end() + 2]:
            continue
        head = clause[: marker.start()]
        if not any(v in head for v in _LEADING_VERBS):
            out.add(canonical_name(p))
    return out


_TRAVEL = re.compile("莅临|来到|到访|前来|走进|抵达|一行|等一行|赴")


_HOST_SIDE = ("与", "同", "会见", "接待", "迎接", "陪同")


def travelling_guest(sent: Span, officials: list[Span], executive: Span) -> bool:
    """An executive (or company) listed with the visiting officials (``区长A、某中心副总经理B等一行
    莅临…``) travels with them: a guest, not the host they met."""
    text, base = sent.text, sent.start_char
    travel = _TRAVEL.search(text)
    if travel is None or base + travel.start() < executive.end_char:
        return False
    first = next((o for o in officials if o.start_char < executive.start_char), None)
    if first is None:
        return False
    between = text[first.end_char - base : travel.start()]
    return not any(w in between for w in _HOST_SIDE)


def canonical_name(person: Span) -> str:
    """The full name behind a mention: ``王总`` is the 王某某 the article introduced."""
    info = (person.doc._.people or {}).get(person.text)
    return info.name if info is not None else person.text
