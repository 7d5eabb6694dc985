"""Relation rules: who met whom, of which company, on which topics.

Works sentence by sentence over entities and roles set earlier in the pipeline:
a sentence with a meeting verb (会见, 拜访, 座谈…) that is not only planned
(将, 拟, 计划…) pairs every official in it with every executive in it. Context
carries across sentences the way news is written: the delegation leader of an
earlier sentence, an executive introduced just before, ``该公司``/``公司总经理``
pointing back to the last company named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.scorer import PRFScore
from spacy.tokens import Doc, Span
from spacy.training import Example

from zh_invest_ner import lexicons
from zh_invest_ner.components.base import DataComponent
from zh_invest_ner.components.spans import text_of
from zh_invest_ner.components.topic_rules import clean_topic, frame_topics, merge_topics
from zh_invest_ner.records import Meeting


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


def _meeting(
    doc: Doc, official: str, executive: str | None, company: str | None, topics: list[str],
    sentence: str, start: int, end: int,
) -> Meeting:
    """A meeting record, with titles and affiliation from the document's people."""
    o_info = doc._.people.get(official)
    x_info = doc._.people.get(executive) if executive is not None else None
    return Meeting(
        official=official,
        official_title=o_info.title if o_info else None,
        executive=executive,
        executive_title=x_info.title if x_info else None,
        company=company,
        topics=topics,
        sentence=sentence,
        start=start,
        end=end,
        official_affiliation=o_info.affiliation if o_info else None,
    )


def company_core(name: str | None, suffixes: tuple[str, ...]) -> str:
    """A company name without its legal form and a leading country: 美国某某公司 ~ 某某集团."""
    if not name:
        return ""
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return name[2:] if name.startswith(("美国", "德国", "日本", "英国", "法国", "韩国")) and len(name) > 4 else name


def canonical_name(person: Span) -> str:
    """The full name behind a mention: ``王总`` is the 王某某 the article introduced."""
    info = (person.doc._.people or {}).get(person.text)
    return info.name if info is not None else person.text


def _key(m: Meeting | list) -> tuple:
    """(official, executive, company) of a record or of a gold triple stored as a list."""
    return m.key() if isinstance(m, Meeting) else tuple(m)


def _unique(spans: list[Span]) -> list[Span]:
    seen, out = set(), []
    for s in spans:
        if s.text not in seen:
            seen.add(s.text)
            out.append(s)
    return out


_VISIT_TARGET = re.compile(
    r"(?:莅临|赴|来到|走进|到访|走访|前往|深入)(?P<place>[^\s，,。、；;：:“”（）()的了]{2,14}?)"
    r"(?:进行|开展|实地)?(?:调研|考察|参观|视察|指导|交流|座谈|访问|检查)"
)
_NOT_A_COMPANY_END = ("市", "区", "县", "省", "镇", "乡", "村", "州", "政府", "局", "委", "厅", "部", "办", "园区",
                      "集团",
                      "开发区", "新区", "企业", "公司", "我司", "基地", "现场", "一线", "项目")


_VISITED_OBJECT = re.compile(
    r"(?:莅临|来到|走进|到访|走访|拜访|考察|参观|调研|视察)了?(?P<place>[^\s，,。、；;：:“”（）()的了和与及]{2,16})"
    r"(?=[，,。；;\n]|$)"
)
_VERBISH = re.compile(
    "莅临|来到|走进|到访|走访|拜访|考察|参观|调研|视察|指导|交流|座谈|检查|企业|公司|集团|我|本|该|贵"
)
_ORG_ENDINGS = ("研究院", "设计院", "研究所", "事务所", "中心", "公司", "集团", "厂", "网", "所", "院", "银行", "控股")


def visited_places(doc: Doc) -> list[str]:
    """Names of the places officials visit (``赴某某所调研``, ``莅临某某网考察``, ``到访某某，``),
    unless a place, a government body or a bare ``公司`` is what they visited.

    A visited object standing alone before a comma counts when it ends like an organisation
    or the article names it again.
    """
    text = text_of(doc)
    places = {e.text for e in doc.ents if e.label_ == "GPE"}
    bodies = {e.text for e in doc.ents if e.label_ in ("GOV", "ORG", "PERSON")}
    found = [m.group("place") for m in _VISIT_TARGET.finditer(text)]
    for m in _VISITED_OBJECT.finditer(text):
        place = m.group("place")
        if _VERBISH.match(place) or place in _ORG_ENDINGS or "一行" in place or place.startswith("团"):
            continue  # 莅临考察，/莅临集团，: a verb or the bare word, not the place
        if place.endswith(_ORG_ENDINGS) or (len(place) >= 3 and text.count(place) >= 3):
            found.append(place)
    out = []
    for place in found:
        if place.endswith(_NOT_A_COMPANY_END) or place in places or any(b in place for b in bodies):
            continue
        out.append(place)
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


def paragraph_topics(sents: list[_Sentence], i: int) -> list[str]:
    """Topics of a meeting in sentence ``i``: its own, then those stated in the rest of its
    paragraph (``双方就…进行交流`` often follows the sentence that names the people)."""
    own = sents[i]
    rest = [t for s in sents if s.paragraph == own.paragraph and s is not own for t in s.topics]
    found = merge_topics(own.topics, rest)
    if len(found) < 2:  # stated elsewhere in the report of the same event (a later 双方就…交流 paragraph)
        found = merge_topics(found, [t for s in sents if s.event == own.event for t in s.frame_topics])
    return found


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


_SITE_OWNER = re.compile(r"(?:©|版权所有|Copyright|主办单位|主办)[：:\s©0-9\-]*([^\s，,。|｜]{4,30})")


def named_company_for(body: str | None, companies: list[Span]) -> str | None:
    """``龙某企业董事长``: a body written as brand + 企业/公司 is the company of that brand named
    in the same sentence (``走访了龙某科技集团``), if exactly one is."""
    if not body or not body.endswith(("企业", "公司")) or len(body) < 4:
        return None
    brand = body[:-2]
    named = {c.text for c in companies if c.text.startswith(brand) and c.text != body}
    return named.pop() if len(named) == 1 else None


def subject_company(doc: Doc, suffixes: tuple[str, ...]) -> str | None:
    """The company the article is about: what ``公司``/``我公司`` means when nothing closer does.

    A company's own news page names itself in the headline and again and again in the
    body, often only as the body of its executives' titles (``某某网CEO王某``). The
    candidate named most often, with the headline counting extra, wins; a name seen
    once is no subject.
    """
    candidates = {e.text for e in doc.ents if e.label_ == "COMPANY"}
    visited = set(visited_places(doc))
    candidates.update(visited)
    for info in (doc._.people or {}).values():
        if info.role == "executive" and info.affiliation_label in ("COMPANY", "CHUNK") and info.affiliation:
            candidates.add(info.affiliation)
    if not candidates:
        return None
    text = text_of(doc)
    lines = text.lstrip().split("\n")
    top = "\n".join(lines[:2])  # the site's name and the headline
    places = tuple(sorted({e.text for e in doc.ents if e.label_ == "GPE"}, key=len, reverse=True))
    owners = [m.group(1) for m in _SITE_OWNER.finditer(text)]

    def weight(name: str) -> tuple[int, int, int]:
        core = company_core(name, suffixes)
        for place in places:
            if core.startswith(place) and len(core) - len(place) >= 2:
                core = core[len(place) :]  # 黑龙江某某乳业: the site calls itself 某某乳业
                break
        core = core if len(core) >= 2 else name
        evidence = (text.count(core) + (2 if core in top else 0) + (1 if name in visited else 0)
                    + (2 if any(core in o for o in owners) else 0))
        return (evidence, name.endswith(suffixes), len(name))

    best = max(sorted(candidates), key=weight)
    return best if weight(best)[0] >= 2 else None


class MeetingFinder(DataComponent):
    """Sets ``Doc._.meetings`` to a list of :class:`~zh_invest_ner.records.Meeting`."""

    derived = ("company_suffixes",)  # from the data files, not the config

    filename = "relations.json"

    def _compile(self) -> None:
        d = self.data
        self._verb_re = re.compile("|".join(map(re.escape, sorted(d["meeting_verbs"], key=len, reverse=True))))
        self._planned_re = re.compile(
            "|".join(map(re.escape, sorted(d["planned_markers"], key=len, reverse=True)))
        )
        self._blockers = tuple(d["planned_blockers"])
        self._internal = tuple(d["internal_meeting_markers"])
        self._join = tuple(d["join_markers"])
        self._strong = tuple(d["strong_meeting_verbs"])
        self._delegation = tuple(d["delegation_markers"])
        self._visit = tuple(d["visit_verbs"])
        self._unnamed_posts = tuple(d["unnamed_posts"])
        self._suffixes = tuple(d["company_suffixes"])

    # -- sentence analysis -------------------------------------------------------------
    def _internal_meeting(self, text: str) -> bool:
        """A government's own meeting (常务会议, 办公会), unless held on site at a company
        (``到某某公司召开现场办公会``)."""
        return any(w in text for w in self._internal) and "现场办公" not in text

    def _planned(self, text: str, verb_at: int) -> bool:
        """A planning marker (将于, 拟, 计划…) before the meeting verb in the sentence, or a
        plan with a time ahead anywhere in it (``拟近期带队赴``, ``计划8月中旬赴``)."""
        if _PLAN_AHEAD.search(text) and "了" not in text[verb_at:]:
            return True
        for m in self._planned_re.finditer(text, 0, verb_at + 4):
            if m.start() >= verb_at + 1:
                break
            if text.startswith(self._blockers, m.start()):
                continue
            if len(m.group()) == 1 and verb_at - m.start() > 8:
                continue
            return True
        return False

    def _analyse(self, doc: Doc) -> list[_Sentence]:
        out = []
        ents = list(doc.ents)
        doc_text = text_of(doc)
        k = 0
        event = 0
        newlines, counted_to = 0, 0  # line breaks before counted_to: counted once, in order
        for sent in doc.sents:
            # a paragraph is what lies between line breaks; a sentence may start with them
            text = sent.text
            lead = len(text) - len(text.lstrip())
            newlines += doc_text.count("\n", counted_to, sent.start_char + lead)
            counted_to = sent.start_char + lead
            opens_paragraph = sent.start_char == 0 or doc_text[sent.start_char - 1] == "\n" or lead > 0
            if opens_paragraph and _DATED_ENTRY.match(text.lstrip()) and out:
                event += 1
            info = _Sentence(sent, newlines, event=event)
            while k < len(ents) and ents[k].start < sent.start:
                k += 1
            j = k
            while j < len(ents) and ents[j].end <= sent.end:
                e = ents[j]
                if e.label_ == "PERSON" and e._.role == "official":
                    info.officials.append(e)
                elif e.label_ == "PERSON" and e._.role == "executive":
                    info.executives.append(e)
                elif e.label_ == "COMPANY":
                    info.companies.append(e)
                elif e.label_ == "TOPIC":
                    topic = clean_topic(e.text)
                    if topic and topic not in info.topics:
                        info.topics.append(topic)
                j += 1
            inside = info.ents = ents[k:j]
            people = [e.text for e in inside if e.label_ in ("PERSON", "TITLE")]
            places = [e.text for e in inside if e.label_ in ("GPE", "GOV")]
            info.frame_topics = frame_topics(text, people, places)
            info.topics = merge_topics(info.topics, info.frame_topics)
            m = self._verb_re.search(text)
            if m is not None and not self._internal_meeting(text):
                info.verb_at = m.start()
                info.planned = self._planned(text, m.start())
            info.officials = _unique(info.officials)
            info.executives = [x for x in _unique(info.executives) if not travelling_guest(sent, info.officials, x)]
            info.companies = [c for c in info.companies if not travelling_guest(sent, info.officials, c)]
            info.accompanying = accompanying_people(sent, [*info.officials, *info.executives])
            out.append(info)
        return out

    def _hosts(self, s: _Sentence) -> list[Span]:
        """Officials on the host side of the meeting verb.

        In ``A与B省政协副主席C、D公司董事长E座谈`` the official C sits with the guests;
        only when no official stands before the verb (a company-side report:
        ``E会见了来访的A``) do officials after it count.
        """
        if s.verb_at is None:
            return s.officials
        verb_at = s.span.start_char + s.verb_at
        with_at = s.span.text.find("与")
        if with_at >= 0 and s.span.start_char + with_at < verb_at:
            verb_at = s.span.start_char + with_at
        before = [o for o in s.officials if o.start_char < verb_at]
        if not before:
            return s.officials
        first_exec = min((x.start_char for x in s.executives), default=None)
        after_guests = first_exec is not None
        return [o for o in s.officials if o.start_char < verb_at or (after_guests and o.start_char > first_exec)]

    # -- company resolution ------------------------------------------------------------
    def _company_for(self, person: Span, sent: _Sentence, last_company: str | None, known: dict) -> str | None:
        info = person.doc._.people.get(person.text)
        if info is not None and info.affiliation_label in ("COMPANY", "CHUNK"):
            return named_company_for(info.affiliation, sent.companies) or info.affiliation
        last_company = last_company or self._subject_company
        before = [c for c in sent.companies if c.end_char <= person.start_char]
        if before:
            return before[-1].text
        if person.text in known:
            return known[person.text]
        after = [c for c in sent.companies if c.start_char >= person.end_char]
        if info is not None and info.affiliation_label == "COMPANY_REF" and last_company:
            if (info.affiliation or "").endswith("集团") and not last_company.endswith(("集团", "控股")) and (
                    self._subject_company or "").endswith(("集团", "集团有限公司", "集团股份有限公司")):
                return self._subject_company  # 集团董事长: the group the page is about, not its farm
            return last_company
        if after and len(sent.companies) == 1:
            return after[0].text
        return last_company

    # -- the rules ---------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if doc._.people is None:
            raise ValueError("zh_meetings needs the zh_roles component earlier in the pipeline")
        sents = self._analyse(doc)
        self._subject_company = subject_company(doc, self._suffixes)
        self._events: dict[tuple, int] = {}
        found: dict[tuple, Meeting] = {}
        last_company: str | None = None
        last_company_para = -1
        exec_company: dict[str, str] = {}
        leaders: list[Span] = []  # officials of the latest meeting sentence
        last_meeting: tuple[list[Span], list[Span]] | None = None
        previous: _Sentence | None = None
        def same_para_visit(prev: _Sentence | None, cur: _Sentence) -> bool:
            return prev is not None and prev.paragraph == cur.paragraph and prev.verb_at is not None \
                and not prev.planned

        forum_events = {s.event: True for s in sents if _held_forum(s.span.text) and not s.planned}
        for i, s in enumerate(sents):
            if previous is not None and s.event != previous.event:
                leaders, last_meeting, last_company = [], None, None  # a new dated entry: context starts again
            is_meeting = s.verb_at is not None and not s.planned
            if not is_meeting and s.executives and same_para_visit(previous, s) and (s.officials or leaders):
                is_meeting = True  # 一行莅临某公司考察。公司总经理某某向某某介绍了…: the visit goes on
            if not is_meeting and s.executives and leaders and forum_events.get(s.event) and not s.planned:
                is_meeting = True  # the list of a forum's companies, one per line
            officials, executives = self._hosts(s), s.executives
            if len(officials) >= 3 and not any(v in s.span.text for v in self._strong):
                is_meeting = False  # a roll of leaders attending an event is not a meeting
            same_para = previous is not None and previous.paragraph == s.paragraph
            if is_meeting and not officials and leaders and (executives or self._visits_company(s)):
                officials = leaders  # 一行来到某公司 / 与公司总经理某座谈: the delegation goes on
            if is_meeting and officials and not executives and same_para and not previous.planned \
                    and not s.companies:
                executives = previous.executives  # 某董事长介绍了…。市长某某对此表示感谢并座谈
            joined = is_meeting and last_meeting is not None and any(w in s.span.text for w in self._join)
            if joined:
                # 副市长某某、公司副总裁某某参加会见: attendees join the meeting before
                officials = _unique([*officials, *last_meeting[0]]) if executives else officials
                executives = _unique([*executives, *last_meeting[1]]) if s.officials else executives
            if is_meeting and officials:
                topics = paragraph_topics(sents, i)
                for x in executives:
                    # 公司 in a later paragraph means the article's company more than the last one named
                    context = last_company if last_company_para == s.paragraph else (
                        self._subject_company or last_company)
                    company = self._company_for(x, s, context, exec_company)
                    if company:
                        exec_company.setdefault(x.text, company)
                    for o in officials:
                        self._add(found, doc, s, o, x, company, topics)
                if not executives:
                    met = [c.text for c in _unique(s.companies) if self._plain_company(doc, c)
                           and not accompanying_company(s.span, c)]
                    if not s.companies:
                        met = unnamed_post_companies(s.span, self._subject_company, s.ents)
                    for company in met:
                        for o in officials:
                            self._add(found, doc, s, o, None, company, topics)
                leaders = officials
                if executives:
                    last_meeting = (officials, executives)
            elif s.officials and forum_events.get(s.event) and s.verb_at is None and not s.planned:
                # 召开企业座谈会。区长某主持会议，副区长某参加。: the forum's officials, whom the
                # companies listed next (参加座谈的企业有…) meet
                leaders = self._hosts(s)
            elif s.executives and not s.officials and previous is not None and same_para:
                # 某市长考察了X公司。公司董事长王某介绍了…: the executive joins that visit
                for key, m in list(found.items()):
                    if key[1] is None and m.sentence == previous.span.text.strip():
                        for x in s.executives:
                            company = self._company_for(x, s, m.company, exec_company)
                            o_span = next((o for o in previous.officials if canonical_name(o) == key[0]), None)
                            if company == m.company and o_span is not None:
                                self._add(found, doc, previous, o_span, x, company, m.topics)
            if s.companies:
                last_company, last_company_para = s.companies[-1].text, s.paragraph
            previous = s
        self._expand_delegation(doc, sents, found)
        canonical = self._canonical_companies(doc)
        for m in found.values():
            m.company = canonical.get(m.company, m.company)
        found = {(m.official, m.executive, m.company): m for m in found.values()}
        # A company-only record adds nothing where a named executive of it was met.
        named = {(k[0], company_core(k[2], self._suffixes)) for k in found if k[1] is not None}
        # A meeting with nobody's company is no row a reader can use: the company is what
        # the record is about, and an executive of an unknown firm is mostly a misread post.
        doc._.meetings = [m for k, m in found.items() if k[2] is not None and (
            k[1] is not None or (k[0], company_core(k[2], self._suffixes)) not in named)]
        return doc

    def _visits_company(self, s: _Sentence) -> bool:
        """``一行来到某公司``: a visit verb with a company right after it (not ``经过深入交流，某公司…``)."""
        text, base = s.span.text, s.span.start_char
        for c in s.companies:
            lead = text[max(0, c.start_char - base - 6) : c.start_char - base]
            if any(v in lead for v in self._visit):
                return True
        return False

    def _plain_company(self, doc: Doc, company: Span) -> bool:
        """Whether a company met without a named person is safe to report.

        Only names that look registered (某某有限公司, 某某集团) or that are followed by an
        unnamed post (某某等企业的董事长, 公司负责人) — a bare model guess is not enough.
        """
        if company.text.endswith(self._suffixes):
            return True
        after = text_of(doc)[company.end_char : company.end_char + 12]
        return any(t in after for t in self._unnamed_posts)

    def _expand_delegation(self, doc: Doc, sents: list[_Sentence], found: dict) -> None:
        """Officials travelling with a delegation (率队, 参加考察, 陪同…) share its meetings.

        ``市长A率队赴深圳…副市长B参加活动``: B met every executive A met on the trip.
        """
        members: dict[int, list[str]] = {}
        for s in sents:
            text = s.span.text
            if s.planned or not any(c in text for c in self._delegation):
                continue
            party = members.setdefault(s.event, [])
            party.extend(n for n in map(canonical_name, self._hosts(s)) if n not in party)
        for key, m in list(found.items()):
            party = members.get(self._events.get(key, -1), [])
            if key[0] not in party or len(party) < 2:
                continue  # a delegation shares the meetings of its own trip (one dated entry), no others
            for member in party:
                k = (member, key[1], key[2])
                if k not in found:
                    found[k] = _meeting(doc, *k, list(m.topics), m.sentence, m.start, m.end)
                    found[k].participation = "accompanying"  # a member of the leader's party

    def _canonical_companies(self, doc: Doc) -> dict[str, str]:
        """Short company names mapped to the fullest name in the document that contains them."""
        names = sorted({e.text for e in doc.ents if e.label_ == "COMPANY"}, key=lambda n: (-len(n), n))
        out = {}
        for short in names:
            for full in names:
                # only a registered form counts as fuller: 长沙某某 is not a name of 某某
                if len(full) > len(short) and short in full and full.endswith(self._suffixes):
                    out[short] = full
                    break
        return out

    def _add(
        self,
        found: dict,
        doc: Doc,
        s: _Sentence,
        official: Span,
        executive: Span | None,
        company: str | None,
        topics: list[str],
    ) -> None:
        """Record a meeting evidenced by sentence ``s``, or add topics to the one already found."""
        key = (canonical_name(official), canonical_name(executive) if executive is not None else None, company)
        if key in found:
            found[key].topics += [t for t in topics if t not in found[key].topics]
            return
        start, end = s.span._.original_offsets
        self._events[key] = s.event
        found[key] = _meeting(doc, *key, list(topics), s.span.text.strip(), start, end)
        if key[0] in s.accompanying:
            # only the official's side: a company's people who 陪同 visitors round their own
            # company are its hosts, the visit's counterpart, not accompanying guests
            found[key].participation = "accompanying"

    def score(self, examples: list[Example], **kwargs) -> dict[str, float]:
        """Meeting P/R/F against gold ``reference._.gold_meetings`` (matched on official, executive, company)."""
        prf = PRFScore()
        for eg in examples:
            gold = {_key(m) for m in (eg.reference._.gold_meetings or [])}
            pred = {_key(m) for m in (eg.predicted._.meetings or [])}
            prf.tp += len(gold & pred)
            prf.fp += len(pred - gold)
            prf.fn += len(gold - pred)
        return {"meetings_p": prf.precision, "meetings_r": prf.recall, "meetings_f": prf.fscore}


@Language.factory(
    "zh_meetings",
    default_config={
        "meeting_verbs": None,
        "planned_markers": None,
        "planned_blockers": None,
        "internal_meeting_markers": None,
        "join_markers": None,
        "strong_meeting_verbs": None,
        "delegation_markers": None,
        "visit_verbs": None,
        "unnamed_posts": None,
    },
    default_score_weights={"meetings_f": 1.0, "meetings_p": 0.0, "meetings_r": 0.0},
)
def make_meetings(
    nlp: Language,
    name: str,
    meeting_verbs: list[str] | None,
    planned_markers: list[str] | None,
    planned_blockers: list[str] | None,
    internal_meeting_markers: list[str] | None,
    join_markers: list[str] | None,
    strong_meeting_verbs: list[str] | None,
    delegation_markers: list[str] | None,
    visit_verbs: list[str] | None,
    unnamed_posts: list[str] | None,
) -> MeetingFinder:
    """Cue lists left as ``null`` come from the package's ``data/cues.json``."""
    given = dict(locals())

    def defaults() -> dict[str, Any]:  # read only by initialize(), never on load
        return {**lexicons.cues(), "company_suffixes": lexicons.company_suffixes()}

    return MeetingFinder(nlp, name, settings=given, defaults=defaults)
