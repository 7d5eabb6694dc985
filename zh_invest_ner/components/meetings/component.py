"""The ``zh_meetings`` component: who met whom, of which company, on which topics.

Works sentence by sentence over entities and roles set earlier in the pipeline:
a sentence with a meeting verb (会见, 拜访, 座谈…) that is not only planned
(将, 拟, 计划…) pairs every official in it with every executive in it. Context
carries across sentences the way news is written: the delegation leader of an
earlier sentence, an executive introduced just before, ``该公司``/``公司总经理``
pointing back to the last company named. The rules themselves live in ``sentence``
(one sentence) and ``context`` (the article); this module walks the sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from zh_invest_ner import lexicons
from zh_invest_ner.components.base import DataComponent
from zh_invest_ner.components.meetings.context import (
    MAX_TOPICS,
    canonical_name,
    company_core,
    named_company_for,
    paragraph_topics,
    runs_as_company,
    sentence_groups,
    subject_company,
    without_site,
)
from zh_invest_ner.components.meetings.scoring import meeting_prf
from zh_invest_ner.components.meetings.sentence import (
    _DATED_ENTRY,
    _PLAN_AHEAD,
    _held_forum,
    _Sentence,
    _unique,
    accompanying_company,
    accompanying_people,
    travelling_guest,
    unnamed_post_companies,
)
from zh_invest_ner.components.spans import text_of
from zh_invest_ner.components.topic_rules import clean_topic, frame_topics, merge_topics
from zh_invest_ner.labels import COMPANY_LIKE, Affiliation
from zh_invest_ner.records import Meeting

#: ``了解企业发展历程、技术研发等情况``: what a visitor learnt of the company, not what was discussed.
_LEARNT = re.compile(r"了解[^，,。；;]{0,60}?情况")


def background_clauses(text: str, offset: int) -> list[tuple[int, int]]:
    """Document offsets of the clauses of a sentence that describe the company visited."""
    return [(offset + m.start(), offset + m.end()) for m in _LEARNT.finditer(text)]


def within_clauses(span: Span, clauses: list[tuple[int, int]]) -> bool:
    return any(s <= span.start_char and span.end_char <= e for s, e in clauses)


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


def _stripped_offsets(doc: Doc, sent: Span, text: str, lead: int) -> tuple[int, int]:
    """Where the sentence as reported (stripped of the line breaks around it) is in the user's text."""
    start, end = sent.start_char + lead, sent.start_char + len(text.rstrip())
    if end <= start:
        return sent._.original_offsets
    source = doc._.source
    return source.to_original(start, end) if source is not None else (start, end)


@dataclass
class _Walk:
    """What the walk over an article's sentences carries from one sentence to the next."""

    forum_events: set[int]
    groups: tuple[dict, dict]  # sentences by paragraph and by event
    last_company: str | None = None
    last_company_para: int = -1
    exec_company: dict[str, str] = field(default_factory=dict)
    leaders: list[Span] = field(default_factory=list)  # officials of the latest meeting sentence
    last_meeting: tuple[list[Span], list[Span]] | None = None
    previous: _Sentence | None = None


class MeetingFinder(DataComponent):
    """Sets ``Doc._.meetings`` to a list of :class:`~zh_invest_ner.records.Meeting`."""

    derived = ("company_suffixes", "company_sites")  # from the data files, not the config

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
        self._sites = tuple(sorted(d.get("company_sites") or (), key=len, reverse=True))  # older saves lack them

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
        # 某某网的创新模式 read as a topic 某某网创新: a company is who, never what
        companies = tuple({e.text for e in ents if e.label_ == "COMPANY" and len(e.text) >= 2})
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
            info = _Sentence(sent, newlines, event=event, text=text, offsets=_stripped_offsets(doc, sent, text, lead))
            while k < len(ents) and ents[k].start < sent.start:
                k += 1
            background = background_clauses(text, sent.start_char)
            j = k
            while j < len(ents) and ents[j].end <= sent.end:
                e = ents[j]
                if e.label_ == "PERSON" and e._.role == "official":
                    info.officials.append(e)
                elif e.label_ == "PERSON" and e._.role == "executive":
                    info.executives.append(e)
                elif e.label_ == "COMPANY":
                    info.companies.append(e)
                elif e.label_ == "TOPIC" and not within_clauses(e, background):
                    topic = clean_topic(e.text)
                    if topic and topic not in info.topics and not any(c in topic for c in companies):
                        info.topics.append(topic)
                j += 1
            inside = info.ents = ents[k:j]
            people = [e.text for e in inside if e.label_ in ("PERSON", "TITLE")]
            places = [e.text for e in inside if e.label_ in ("GPE", "GOV")]
            info.frame_topics = [t for t in frame_topics(text, people, places) if not any(c in t for c in companies)]
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
        with_at = s.text.find("与")
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
        if info is not None and (info.affiliation_label in COMPANY_LIKE or runs_as_company(info)):
            return named_company_for(info.affiliation, sent.companies) or info.affiliation
        last_company = last_company or self._subject_company
        before = [c for c in sent.companies if c.end_char <= person.start_char]
        if before:
            return before[-1].text
        if person.text in known:
            return known[person.text]
        after = [c for c in sent.companies if c.start_char >= person.end_char]
        if info is not None and info.affiliation_label == Affiliation.COMPANY_REF and last_company:
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
        walk = _Walk(forum_events={s.event for s in sents if _held_forum(s.text) and not s.planned},
                     groups=sentence_groups(sents))
        for i in range(len(sents)):
            self._step(doc, sents, i, walk, found)
        self._expand_delegation(doc, sents, found)
        doc._.meetings = self._finish(doc, found)
        return doc

    def _step(self, doc: Doc, sents: list[_Sentence], i: int, walk: _Walk, found: dict) -> None:
        """One sentence of the walk: a meeting, a forum's officials, or an executive joining a visit."""
        s, previous = sents[i], walk.previous
        if previous is not None and s.event != previous.event:
            walk.leaders, walk.last_meeting, walk.last_company = [], None, None  # a new dated entry: start again
        is_meeting = self._is_meeting(s, walk)
        if is_meeting and len(self._hosts(s)) >= 3 and not any(v in s.text for v in self._strong):
            is_meeting = False  # a roll of leaders attending an event is not a meeting
        officials, executives = self._participants(s, walk, is_meeting)
        if is_meeting and officials:
            self._record(doc, sents, i, walk, officials, executives, found)
        elif s.officials and s.event in walk.forum_events and s.verb_at is None and not s.planned:
            # 召开企业座谈会。区长某主持会议，副区长某参加。: the forum's officials, whom the
            # companies listed next (参加座谈的企业有…) meet
            walk.leaders = self._hosts(s)
        elif s.executives and not s.officials and previous is not None and previous.paragraph == s.paragraph:
            self._join_visit(doc, s, previous, walk, found)
        if s.companies:
            walk.last_company, walk.last_company_para = s.companies[-1].text, s.paragraph
        walk.previous = s

    @staticmethod
    def _is_meeting(s: _Sentence, walk: _Walk) -> bool:
        """A meeting verb not only planned, or a sentence that carries on the meeting before it."""
        if s.verb_at is not None and not s.planned:
            return True
        prev = walk.previous
        if s.executives and prev is not None and prev.paragraph == s.paragraph and prev.verb_at is not None \
                and not prev.planned and (s.officials or walk.leaders):
            return True  # 一行莅临某公司考察。公司总经理某某向某某介绍了…: the visit goes on
        # the list of a forum's companies, one per line
        return bool(s.executives and walk.leaders and s.event in walk.forum_events and not s.planned)

    def _participants(self, s: _Sentence, walk: _Walk, is_meeting: bool) -> tuple[list[Span], list[Span]]:
        """The officials and executives of the meeting ``s`` evidences, with those the context supplies."""
        officials, executives = self._hosts(s), s.executives
        prev = walk.previous
        same_para = prev is not None and prev.paragraph == s.paragraph
        if not is_meeting:
            return officials, executives
        if not officials and walk.leaders and (executives or self._visits_company(s)):
            officials = walk.leaders  # 一行来到某公司 / 与公司总经理某座谈: the delegation goes on
        if officials and not executives and same_para and not prev.planned and not s.companies:
            executives = prev.executives  # 某董事长介绍了…。市长某某对此表示感谢并座谈
        if walk.last_meeting is not None and any(w in s.text for w in self._join):
            # 副市长某某、公司副总裁某某参加会见: attendees join the meeting before
            officials = _unique([*officials, *walk.last_meeting[0]]) if executives else officials
            executives = _unique([*executives, *walk.last_meeting[1]]) if s.officials else executives
        return officials, executives

    def _record(self, doc: Doc, sents: list[_Sentence], i: int, walk: _Walk, officials: list[Span],
                executives: list[Span], found: dict) -> None:
        """Pair the officials with each executive (or with the companies met, when none is named)."""
        s = sents[i]
        topics = paragraph_topics(sents, i, walk.groups)
        for x in executives:
            # 公司 in a later paragraph means the article's company more than the last one named
            context = walk.last_company if walk.last_company_para == s.paragraph else (
                self._subject_company or walk.last_company)
            company = self._company_for(x, s, context, walk.exec_company)
            if company:
                walk.exec_company.setdefault(x.text, company)
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
        walk.leaders = officials
        if executives:
            walk.last_meeting = (officials, executives)

    def _join_visit(self, doc: Doc, s: _Sentence, previous: _Sentence, walk: _Walk, found: dict) -> None:
        """某市长考察了X公司。公司董事长王某介绍了…: the executive joins that visit."""
        for key, m in list(found.items()):
            if key[1] is None and m.sentence == previous.text.strip():
                for x in s.executives:
                    company = self._company_for(x, s, m.company, walk.exec_company)
                    o_span = next((o for o in previous.officials if canonical_name(o) == key[0]), None)
                    if company == m.company and o_span is not None:
                        self._add(found, doc, previous, o_span, x, company, m.topics)

    def _finish(self, doc: Doc, found: dict) -> list[Meeting]:
        """Companies under their fullest names, and company-only records a named executive covers dropped."""
        canonical = self._canonical_companies(doc)
        for m in found.values():
            m.company = canonical.get(m.company, m.company)
        # 某某中国区总经理 read as a person named like the company: no one is their own company
        found = {(m.official, m.executive, m.company): m for m in found.values()
                 if m.executive is None or not m.company or m.executive not in m.company}
        # A company-only record adds nothing where a named executive of it was met.
        named = {(k[0], company_core(k[2], self._suffixes)) for k in found if k[1] is not None}
        # A meeting with nobody's company is no row a reader can use: the company is what
        # the record is about, and an executive of an unknown firm is mostly a misread post.
        return [m for k, m in found.items() if k[2] is not None and (
            k[1] is not None or (k[0], company_core(k[2], self._suffixes)) not in named)]

    def _visits_company(self, s: _Sentence) -> bool:
        """``一行来到某公司``: a visit verb with a company right after it (not ``经过深入交流，某公司…``)."""
        text, base = s.text, s.span.start_char
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
            text = s.text
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
            core = without_site(short, self._sites)  # 某某总部, 某某生产基地: the company's site
            for full in names:
                # only a registered form counts as fuller: 长沙某某 is not a name of 某某
                if len(full) > len(short) and core in full and full.endswith(self._suffixes):
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
            have = found[key].topics
            have += [t for t in topics if t not in have][: max(0, MAX_TOPICS - len(have))]
            return
        start, end = s.offsets
        self._events[key] = s.event
        found[key] = _meeting(doc, *key, list(topics), s.text.strip(), start, end)
        if key[0] in s.accompanying:
            # only the official's side: a company's people who 陪同 visitors round their own
            # company are its hosts, the visit's counterpart, not accompanying guests
            found[key].participation = "accompanying"

    def score(self, examples: list[Example], **kwargs) -> dict[str, float]:
        """Meeting P/R/F against gold ``reference._.gold_meetings`` (matched on official, executive, company)."""
        return self.scorer(examples)


@Language.factory(
    "zh_meetings",
    assigns=["doc._.meeting_records"],
    requires=["doc.ents", "doc.sents", "span._.role", "doc._.person_records"],
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
        "scorer": {"@scorers": "zh_invest_ner.meetings_scorer.v1"},
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
    scorer: Callable | None,
) -> MeetingFinder:
    """Cue lists left as ``null`` come from the package's ``data/cues.json``."""
    given = {k: v for k, v in locals().items() if k != "scorer"}

    def defaults() -> dict[str, Any]:  # read only by initialize(), never on load
        return {**lexicons.cues(), "company_suffixes": lexicons.company_suffixes()}

    finder = MeetingFinder(nlp, name, settings=given, defaults=defaults)
    finder.scorer = scorer or meeting_prf
    return finder
