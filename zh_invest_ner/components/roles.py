"""Give each person a role: official, executive, other or reporter.

The role comes from the title written next to the name and from whose title it is:
``公司党委书记`` is an executive, ``市委书记`` an official, ``协会秘书长`` neither.
A name mentioned without a title keeps the role it had where it was introduced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from zh_invest_ner import lexicons
from zh_invest_ner.components.base import DataComponent
from zh_invest_ner.components.spans import between, text_of
from zh_invest_ner.labels import Affiliation
from zh_invest_ner.records import PersonInfo

CHUNK, COMPANY_REF = Affiliation.CHUNK.value, Affiliation.COMPANY_REF.value  # stored as plain text
_AFFILIATION_LABELS = ("COMPANY", "GOV", "GPE", "ORG")
#: Words that begin with a cut character but are no cut (对外合作, 和平, 为民).
_CUT_WORDS = ("对外", "和平", "为民", "由此", "在线", "有色", "有机", "有线")
#: Endings of a unit inside a company (centre, department, office).
_UNIT_ENDS = ("中心", "部", "处", "室", "事业部", "事业群", "分公司", "办公室", "研究院")
#: Posts that exist only in government: whatever body the model saw, their holder is an official.
_GOVERNMENT_POSTS = ("市长", "区长", "县长", "省长", "州长", "镇长", "乡长", "厅长", "旗长", "盟长")


def short_reference(name: str, short_titles: set[str], surnames: set[str]) -> tuple[str, str] | None:
    """(surname, title) when ``name`` is a surname plus a title (``王总``, ``孔主任``), else None."""
    for n in (2, 1):
        if len(name) > n and name[:n] in surnames and name[n:] in short_titles:
            return name[:n], name[n:]
    return None


def resolve_short_references(people: dict[str, PersonInfo], short_titles: set[str], surnames: set[str]) -> None:
    """Point ``王总``/``孔主任`` at the one full name of that surname the article gave.

    A short reference nobody introduced (``申书记`` alone) names no one a reader could
    look up: it stays a mention with role ``other`` and never enters a meeting.
    """
    for name, info in list(people.items()):
        short = short_reference(name, short_titles, surnames)
        if short is None and name in surnames and info.title:
            short = (name, info.title)  # 司徒|副市长: the model read only the surname as the name
        if short is None:
            continue
        surname, title = short
        matches = [p for n, p in people.items() if n != name and n.startswith(surname) and len(n) > len(surname)
                   and short_reference(n, short_titles, surnames) is None and p.role in ("official", "executive")]
        fitting = [p for p in matches if p.title and (title in p.title or p.title.startswith(title[0]))] or matches
        if len({p.name for p in fitting}) == 1:
            people[name] = fitting[0]
        else:
            people[name] = PersonInfo(name, "other", title)


def _same_clause_run(between: str) -> bool:
    """``商会会长甲主持会议，秘书长乙通报…``: the next person of the same sentence, near."""
    return len(between) <= 12 and not any(c in between for c in "。；;！!？?\n")


def _list_joined(between: str) -> bool:
    """Whether the text between two people continues one list (``A、副总裁B``, ``A和总经理B``)."""
    return bool(between) and between[0] in "、和及与" and not any(c in between for c in "，,。；;：:\n")


def inherit_list_affiliations(text: str, described: list[tuple[Span, PersonInfo]]) -> list[tuple[Span, PersonInfo]]:
    """People listed after a colleague share the colleague's body when they name none.

    ``某公司CEO王某、执行副总裁朱某``: 朱某 is 某公司's too; so is a department head
    (``战略规划中心副总监``) whose own "body" is only a department.
    """
    out: list[tuple[Span, PersonInfo]] = []
    for i, (ent, info) in enumerate(described):
        untitled_staff = info.role == "other" and info.title is None and info.affiliation is None
        if i and info.affiliation is None and (info.title is not None or untitled_staff):
            prev_ent, prev = out[-1]
            same_kind = prev.role == info.role or (untitled_staff and prev.role == "executive" and prev.title is None)
            between = text[prev_ent.end_char : ent.start_char]
            if (same_kind and prev.affiliation is not None and _list_joined(between)):
                info = PersonInfo(info.name, prev.role, info.title, prev.affiliation, prev.affiliation_label)
            elif prev.affiliation_label == "ORG" and info.title is not None and _same_clause_run(between):
                # an association's secretary-general after its president: the association's, no official
                info = PersonInfo(info.name, "other", info.title, prev.affiliation, "ORG")
        out.append((ent, info))
    return out


def _company_in_segment(
    text: str, within: Sequence[Span], pos: int, unit_breaks: tuple[str, ...]
) -> tuple[str, str] | None:
    """The last company named in a title's segment, when the title is a post in a unit of it.

    ``某某集团人力资源部总经理``: the words between the company and the title are its
    unit; a verb, a government body or ``的`` between them (``unit_breaks``: 会见, 市委…)
    means the title is not the company's.
    """
    companies = [e for e in within if e.label_ == "COMPANY"]
    if companies:
        last = max(companies, key=lambda e: e.end_char)
        gap = text[last.end_char : pos]
        if not any(v in gap for v in unit_breaks):  # a unit of that company
            return last.text, "COMPANY"
    return None


def _without_title_modifier(chunk: str, modifiers: tuple[str, ...]) -> str:
    """The words before a title without the modifiers that belong to the title (高级|总裁).

    Each modifier is cut in turn, as long as two characters of the body remain.
    """
    for modifier in modifiers:  # 高级|总裁: part of the title, not the body
        if chunk.endswith(modifier) and len(chunk) - len(modifier) >= 2:
            chunk = chunk[: -len(modifier)]
    return chunk


def _last_body(within: Sequence[Span]) -> tuple[str, str] | None:
    """The last body entity of a segment whose words are a clause, not a name, or None.

    ``某某集团还…董事长``: the words before the title say something; the body is the
    last one the segment names.
    """
    inner = [e for e in within if e.label_ in _AFFILIATION_LABELS]
    if inner:
        last = max(inner, key=lambda e: e.end_char)
        return last.text, last.label_
    return None


class RoleTagger(DataComponent):
    """Sets ``Span._.role/title/affiliation`` on PERSON entities and ``Doc._.people``."""

    derived = ("company_suffixes", "surnames")  # from the data files, not the config

    filename = "roles.json"

    def _compile(self) -> None:
        self._titles: dict[str, str] = self.data["titles"]
        self._reporter_cues: list[str] = self.data["reporter_cues"]
        self._anaphora: list[str] = [a for a in self.data["company_anaphora"] if a not in ("双方", "其")]
        # 该公司/本集团/我司… at the end of longer words still point back (会见了该公司)
        self._anaphora_heads = tuple(a for a in self._anaphora if a[0] in "该本我")
        self._suffix_roles: list[tuple[str, str]] = [tuple(x) for x in self.data["suffix_roles"]]
        self._delimiters = set(self.data["affiliation_delimiters"])
        self._chunk_cuts: list[str] = self.data["affiliation_cuts"]
        self._chunk_lead = self.data["affiliation_leading_chars"]
        self._gov_endings = tuple(self.data["gov_endings"])
        self._org_endings = tuple(self.data["org_endings"])
        self._max_affiliation = 24
        self._max_chunk = 14  # longer unlabelled text before a title is a clause, not a name
        self._function_words = tuple(self.data["chunk_function_words"])
        self._title_modifiers = tuple(self.data["title_modifiers"])
        self._company_organs = tuple(self.data["company_organs"])
        self._unit_breaks = tuple(self.data["unit_breaks"])
        self._departments = tuple(self.data["department_words"])
        self._company_endings = tuple(self.data["company_suffixes"])
        self._surnames = set(self.data["surnames"])
        self._org_words = tuple(e for e in self._org_endings if len(e) >= 2 and e not in ("中心", "频道", "日报"))
        # 王总, 孔主任, 祁副, 罗副市长: a surname and a title (or its first characters)
        self._short_titles = {t for t, r in self._titles.items() if r in ("official", "executive", "ambiguous")}
        self._short_titles.update({"总", "董", "副", "书记", "主任", "总经理", "董事长"})

    def title_role(self, title: str) -> str:
        """Role of a title word, by lexicon or, for unseen titles, by its ending."""
        role = self._titles.get(title)
        if role:
            return role
        if any(sep in title for sep in "&/／、") and len(title) > 3:  # CTO&COO, 董事长/总裁: the posts joined
            roles = {self.title_role(part) for part in re.split("[&/／、]", title) if part}
            return next((r for r in ("official", "executive", "ambiguous") if r in roles), "other")
        for suffix, suffix_role in self._suffix_roles:
            if title.endswith(suffix):
                return suffix_role
        return "other"

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        by_end = {e.end_char: e for e in ents}
        self._ordered = ents
        by_start = {e.start_char: e for e in ents}
        persons = [e for e in ents if e.label_ == "PERSON"]
        described = [(e, self._describe(doc, e, by_end, by_start)) for e in persons]
        # One role per person and document, from the most informative mention:
        # a reporter stays a reporter; otherwise the first post with a known body
        # (集团董事局主席某 beats a later bare 某主席), then the first post at all.
        described = inherit_list_affiliations(text_of(doc), described)
        people: dict[str, PersonInfo] = {}
        for ent, info in described:
            known = people.get(ent.text)
            if known is None or self._evidence(info) > self._evidence(known):
                people[ent.text] = info
        resolve_short_references(people, self._short_titles, self._surnames)
        for ent in persons:
            self._set(ent, people[ent.text])
        doc._.people = people
        return doc

    @staticmethod
    def _evidence(info: PersonInfo) -> int:
        if info.role == "reporter":
            return 3
        if info.title is None:
            return 0
        return 2 if info.affiliation_label not in (None, CHUNK) else 1

    @staticmethod
    def _set(ent: Span, info: PersonInfo) -> None:
        ent._.role = info.role
        ent._.title = info.title
        ent._.affiliation = info.affiliation

    def _describe(self, doc: Doc, ent: Span, by_end: dict, by_start: dict) -> PersonInfo:
        text = text_of(doc)
        line_start = text.rfind("\n", 0, ent.start_char) + 1
        window = text[max(line_start, ent.start_char - 8) : ent.start_char]
        chain = self._titles_before(text, ent.start_char, by_end)
        if not chain:
            after = by_start.get(ent.end_char) or by_start.get(ent.end_char + 1)
            if after is not None and after.label_ == "TITLE":
                # 某促进会|陈某|秘书长: the body stands before the name
                seg_start = self._segment_start(text, ent.start_char, by_end)
                chain = [(after, self._affiliation(text, seg_start, ent.start_char, by_end))]
        if any(cue in window for cue in self._reporter_cues) and not any(
            self.title_role(t.text) in ("official", "executive") for t, _ in chain
        ):
            return PersonInfo(ent.text, "reporter")
        if not chain:
            company = by_end.get(ent.start_char)
            if company is None and text[ent.start_char - 2 : ent.start_char] in ("公司", "集团"):
                company = by_end.get(ent.start_char - 2)  # 某某|公司|张某: the model left 公司 out
            if company is not None and company.label_ == "COMPANY":
                # 会议听取了某某公司张某、李某的汇报: a company's people, named without posts
                return PersonInfo(ent.text, "executive", None, company.text, "COMPANY")
            return PersonInfo(ent.text, "other")
        roles = [self._resolve(t.text, aff) for t, aff in chain]
        order = ("official", "executive", "other")
        if any(aff and aff[1] in ("COMPANY", COMPANY_REF) for _, aff in chain):
            order = ("executive", "official", "other")  # 某集团党委书记、总经理: a company's post
        for wanted in order:
            if wanted in roles:
                # The title is the post of that kind next to the name (市委副书记、市长|某);
                # an executive's company comes from the best-known body in the chain.
                candidates = [i for i, r in enumerate(roles) if r == wanted]
                title = chain[candidates[0]][0]
                aff = chain[candidates[0]][1]
                if wanted == "executive":
                    aff = chain[max(candidates, key=lambda i: self._affiliation_rank(chain[i][1]))][1]
                return PersonInfo(ent.text, wanted, title.text, aff[0] if aff else None, aff[1] if aff else None)
        return PersonInfo(ent.text, "other", chain[0][0].text)

    @staticmethod
    def _affiliation_rank(aff: tuple[str, str] | None) -> tuple[int, int]:
        if aff is None:
            return (0, 0)
        return ({"COMPANY": 3, COMPANY_REF: 2, CHUNK: 1}.get(aff[1], 1), len(aff[0]))

    def _titles_before(self, text: str, pos: int, by_end: dict) -> list[tuple[Span, tuple | None]]:
        """The title chain right before a name, nearest first.

        Chinese writes a person's posts as ``单位职务、单位职务 + 姓名``
        (``市委副书记、市长王某``, ``某集团副总裁、某某(中国)公司总经理王某``):
        segments split by ``、``, each ending with a title, the text before the title
        being the body it belongs to.
        """
        chain = []
        while pos > 0 and text[pos - 1] == " ":
            pos -= 1
        if pos > 0 and text[pos - 1] in "为是" and (pos - 1) in by_end:
            pos -= 1  # 公司创始人为|某某
        while True:
            title = by_end.get(pos)
            if title is None or title.label_ != "TITLE":
                break
            seg_start = self._segment_start(text, title.start_char, by_end)
            chain.append((title, self._affiliation(text, seg_start, title.start_char, by_end)))
            if seg_start == 0 or text[seg_start - 1] != "、":
                break
            pos = seg_start - 1
        return chain

    def _segment_start(self, text: str, pos: int, by_end: dict) -> int:
        """Start of the ``、``/clause-delimited segment that ends at ``pos``."""
        i = pos
        limit = max(0, pos - self._max_affiliation)
        while i > limit and text[i - 1] not in self._delimiters:
            ent = by_end.get(i)
            if ent is not None and ent.label_ in ("PERSON", "TITLE") and i != pos:
                break
            i -= 1
        return i

    def _affiliation(self, text: str, seg_start: int, pos: int, by_end: dict) -> tuple[str, str] | None:
        """The body a title belongs to: an entity, ``公司``/``该集团``, or the words before it."""
        body = self._entity_before(text, pos, by_end)
        if body is not None:
            return body
        within = between(self._ordered, seg_start, pos)  # a binary search, not a scan per title
        body = _company_in_segment(text, within, pos, self._unit_breaks)
        if body is not None:
            return body
        chunk = self._chunk_before(text, seg_start, pos)
        unit_of = self._company_of_unit(chunk)
        if unit_of is not None:
            return unit_of, "COMPANY"  # 某某集团对外合作管理中心|总监: the group's unit
        if chunk not in self._anaphora:
            chunk = _without_title_modifier(chunk, self._title_modifiers)
        if chunk in self._anaphora or chunk.endswith(self._anaphora_heads):
            return chunk, COMPANY_REF  # 公司总经理, 该集团董事长: the company named before
        if self._is_department(chunk):
            return chunk, COMPANY_REF  # 研发总监, 海外事业部部长: a company's department, not the company
        if len(chunk) < 2 or len(chunk) > self._max_chunk or any(w in chunk for w in self._function_words):
            return _last_body(within)  # 某某集团还…董事长: the last named body in the segment
        return self._chunk_body(chunk)

    def _entity_before(self, text: str, pos: int, by_end: dict) -> tuple[str, str] | None:
        """The body entity written right before a title (``某某公司|董事长``, ``某某公司的|董事长``).

        An organ the model labelled apart from its company, or read as one body with it,
        belongs to that company; None when no body entity ends there.
        """
        for gap in (0, 1):
            ent = by_end.get(pos - gap)
            if gap and (pos - 1 < 0 or text[pos - 1] not in "的 "):
                break
            if ent is not None and ent.label_ in _AFFILIATION_LABELS:
                owner = by_end.get(ent.start_char)
                if ent.label_ in ("GOV", "ORG") and owner is not None and owner.label_ == "COMPANY":
                    return owner.text, "COMPANY"  # 某某公司|党委|书记, 某某公司|投资委员会|副主席
                inner = self._company_inside_organ(ent.text)
                if inner is not None:
                    return inner, "COMPANY"  # ⟦某某集团党委⟧书记 read as one body: the group's party committee
                return ent.text, ent.label_
        return None

    def _chunk_before(self, text: str, seg_start: int, pos: int) -> str:
        """The unlabelled words before a title that may name its body.

        The segment is cut after each cut word (会见, 与, 的…: what ends the clause before
        the body, but not words like 对外合作 that only begin with one), then loses the
        conjunctions before the body and a trailing ``的``.
        """
        chunk = text[seg_start:pos]
        for cut in self._chunk_cuts:
            k = chunk.rfind(cut)
            if k >= 0 and not chunk.startswith(_CUT_WORDS, k):
                chunk = chunk[k + len(cut) :]
        return chunk.lstrip(self._chunk_lead).rstrip("的 ")

    def _is_department(self, chunk: str) -> bool:
        """Whether the words before a title name a company's department (研发, 海外事业部)."""
        return chunk in self._departments or (len(chunk) <= 4 and chunk.endswith(self._departments)) or (
                len(chunk) <= 8 and chunk.endswith(("事业部", "事业群", "业务部", "分公司")))

    def _chunk_body(self, chunk: str) -> tuple[str, str]:
        """The kind of body the words before a title name, by how they end.

        A company's organ (监事会, 党委) stands for the company; an organisation's word
        (医院, 协会, 大学…) anywhere in it makes an organisation even when the end looks
        like a government office's (某某医院医学工程科).
        """
        for organ in (*self._company_organs, "党"):  # 某某集团监事会|主席: an organ of the company
            if chunk.endswith(organ) and chunk[: -len(organ)].endswith((*self._company_endings, "总部")):
                return chunk[: -len(organ)], "COMPANY"
        if chunk.endswith(self._company_endings):
            return chunk, "COMPANY"
        if chunk.endswith(self._gov_endings) and not any(w in chunk for w in self._org_words):
            return chunk, "GOV"
        if any(w in chunk for w in self._org_words):
            return chunk, "ORG"  # 某某医院医学工程科主任: a unit of a hospital, not a government office
        if chunk.endswith(self._org_endings):
            return chunk, "ORG"
        return chunk, CHUNK

    def _company_of_unit(self, chunk: str) -> str | None:
        """The company in ``某某集团战略规划中心``: a unit named after the company that owns it."""
        for word in ("集团", "公司"):
            k = chunk.find(word)
            if 2 <= k and k + len(word) < len(chunk) and chunk.endswith(_UNIT_ENDS):
                return chunk[: k + len(word)]
        return None

    def _company_inside_organ(self, body: str) -> str | None:
        """The company in ``某某集团党委``/``某某公司工会``, or None."""
        for organ in self._company_organs:
            if body.endswith(organ) and body[: -len(organ)].endswith(self._company_endings + ("总部",)):
                return body[: -len(organ)]
        return None

    def _resolve(self, title: str, aff: tuple[str, str] | None) -> str:
        role = self.title_role(title)
        label = aff[1] if aff else None
        if role == "reporter":
            return "other"
        if label in ("COMPANY", COMPANY_REF):
            return "executive" if role in ("ambiguous", "official", "executive") else role
        if label == CHUNK:  # unlabelled words before the title: trust the title
            return "official" if role == "ambiguous" else role
        if label == "ORG":
            if title.endswith(_GOVERNMENT_POSTS):
                return "official"  # 某市副市长 whatever the model called 某市
            return "executive" if role == "executive" else "other"
        if role == "ambiguous":
            return "official"
        return role


@Language.factory(
    "zh_roles",
    assigns=["span._.role", "span._.title", "span._.affiliation", "doc._.person_records"],
    requires=["doc.ents"],
    default_config={
        "titles": None,
        "reporter_cues": None,
        "company_anaphora": None,
        "suffix_roles": None,
        "affiliation_delimiters": None,
        "affiliation_cuts": None,
        "affiliation_leading_chars": None,
        "gov_endings": None,
        "org_endings": None,
        "chunk_function_words": None,
        "title_modifiers": None,
        "company_organs": None,
        "unit_breaks": None,
        "department_words": None,
    },
)
def make_roles(
    nlp: Language,
    name: str,
    titles: dict[str, str] | None,
    reporter_cues: list[str] | None,
    company_anaphora: list[str] | None,
    suffix_roles: list[list[str]] | None,
    affiliation_delimiters: str | None,
    affiliation_cuts: list[str] | None,
    affiliation_leading_chars: str | None,
    gov_endings: list[str] | None,
    org_endings: list[str] | None,
    chunk_function_words: list[str] | None,
    title_modifiers: list[str] | None,
    company_organs: list[str] | None,
    unit_breaks: list[str] | None,
    department_words: list[str] | None,
) -> RoleTagger:
    """Lists left as ``null`` come from the package's data files."""
    given = dict(locals())

    def defaults() -> dict[str, Any]:  # read only by initialize(), never on load
        cues = lexicons.cues()
        return {**cues, "titles": lexicons.titles(), "suffix_roles": cues["title_suffix_roles"],
                "company_suffixes": lexicons.company_suffixes(), "surnames": lexicons.surnames()}

    return RoleTagger(nlp, name, settings=given, defaults=defaults)
