"""Repair the statistical NER's typical boundary slips before the rules read its output.

A char-level NER trained on a few hundred articles sometimes runs a span into the
next word (``陈某某博士``, ``某某国际就``), starts it on punctuation (``、某某``) or
labels a company as a topic. These are cheap to repair with what we know about how
names are written, and a wrong boundary would otherwise reach the meeting records.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from zh_invest_ner import lexicons
from zh_invest_ner.components.base import DataComponent
from zh_invest_ner.components.spans import NOT_NAME_ENDS, is_hanzi, merge_ents, overlapping, text_of

_PUNCT = set("，,。、；;：:！!？?“”\"'‘’《》「」【】[]()（）·- \n\t…—/／|｜")
_BREAKS = set("，,。；;：:！!？?\n“”\"")


_ORGANS = ("党委", "党组", "纪委", "工会", "团委", "董事会", "监事会", "党支部", "党总支")


def _before_cut_organ(text: str, start: int, end: int) -> int:
    """End of a company name that the model ran into the first characters of an organ."""
    for organ in _ORGANS:
        for k in range(1, len(organ)):
            if end - k - start >= 2 and text.startswith(organ, end - k):
                return end - k
    return end


_LEADING_PREPOSITIONS = ("针对", "对于", "关于", "根据", "通过", "由", "与", "和", "同", "向", "在", "对", "为", "据",
                         "经")
_PREPOSITIONS = set("向对在与和为将被把从给跟")
_NOT_PLACE_ENDS = ("超市", "城市", "门市", "神州", "九州通", "园区", "厂区", "景区")


def _balanced(text: str) -> bool:
    return text.count("(") + text.count("（") == text.count(")") + text.count("）")


def _strip_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without punctuation at its edges (``、某某``), but with its own brackets.

    An opening bracket at the start or a closing one at the end may belong to the name
    (``（中国）…``, ``某某(中国)``), so they stay.
    """
    while start < end and text[start] in _PUNCT and text[start] not in "(（":
        start += 1
    while start < end and text[end - 1] in _PUNCT and text[end - 1] not in ")）":
        end -= 1
    return start, end


def _strip_first_suffix(text: str, start: int, end: int, suffixes: tuple[str, ...]) -> int:
    """End of ``text[start:end]`` without the first of ``suffixes`` it ends with (``陈某某|博士``).

    A suffix is only cut when at least two characters of the name remain.
    """
    for suffix in suffixes:
        if text.endswith(suffix, start, end) and end - start - len(suffix) >= 2:
            return end - len(suffix)
    return end


def _strip_trailing_words(text: str, start: int, end: int, words: tuple[str, ...]) -> int:
    """End of a company name without the words the model ran into (``某某国际|就``), repeatedly.

    Words are tried in the given order, again after every cut, as long as two characters remain.
    """
    changed = True
    while changed:
        changed = False
        for word in words:
            if text.endswith(word, start, end) and end - start - len(word) >= 2:
                end -= len(word)
                changed = True
                break
    return end


def _suffix_at(text: str, pos: int, suffixes: tuple[str, ...]) -> str | None:
    """The first of ``suffixes`` written at ``pos`` (a person "name" followed by 集团), or None."""
    for suffix in suffixes:
        if text.startswith(suffix, pos):
            return suffix
    return None


def merge_adjacent(doc: Doc, join: Callable[[Span, Span], Span | None]) -> None:
    """Replace each pair of touching entities that ``join`` merges by the span it returns."""
    ents = list(doc.ents)
    out: list[Span] = []
    for e in ents:
        merged = join(out[-1], e) if out and out[-1].end == e.start else None
        if merged is not None:
            out[-1] = merged
        else:
            out.append(e)
    if len(out) != len(ents):
        doc.ents = out


def merge_split_names(doc: Doc, suffixes: tuple[str, ...]) -> None:
    """``王某|平博士`` read as two people: one three-character name and its suffix.

    A PERSON that is a single character plus 博士/先生/女士 right after a two-character
    PERSON is the end of that name.
    """
    def join(prev: Span, e: Span) -> Span | None:
        rest = next((e.text[: -len(s)] for s in suffixes if e.text.endswith(s)), None)
        if prev.label_ == e.label_ == "PERSON" and len(prev.text) == 2 and rest is not None and len(rest) == 1:
            return doc.char_span(prev.start_char, e.start_char + 1, label="PERSON", alignment_mode="contract")
        return None

    merge_adjacent(doc, join)


def merge_place_into_company(doc: Doc, legal_forms: tuple[str, ...]) -> None:
    """``⟦沈阳⟧⟦某某科技有限公司⟧``: a registered name begins with its place, so a place
    written right before a legal-form company name is part of that name."""
    def join(prev: Span, e: Span) -> Span | None:
        if prev.label_ == "GPE" and e.label_ == "COMPANY" and e.text.endswith(legal_forms):
            return Span(doc, prev.start, e.end, label="COMPANY")
        return None

    merge_adjacent(doc, join)


def strip_leading_prepositions(doc: Doc) -> None:
    """``针对|某某公司``: whatever step extended a company name back, a preposition is not part of it."""
    ents, changed = [], False
    for e in doc.ents:
        if e.label_ == "COMPANY":
            word = next((w for w in _LEADING_PREPOSITIONS if e.text.startswith(w) and len(e.text) - len(w) >= 2),
                        None)
            if word is not None:
                trimmed = doc.char_span(e.start_char + len(word), e.end_char, label="COMPANY",
                                        alignment_mode="contract")
                if trimmed is not None:
                    e, changed = trimmed, True
        ents.append(e)
    if changed:
        doc.ents = ents


def propagate_companies(doc: Doc, min_length: int = 3, legal_forms: tuple[str, ...] = ()) -> None:
    """Every mention of a company the document names is that company.

    The model reads ``成都轨道交通集团`` as one company in one sentence and as a place
    plus a topic in the next; entities lying wholly inside a repeated company name give
    way, while one that crosses its edge (a real overlap) keeps the text as it is.
    """
    known = {e.text for e in doc.ents if e.label_ == "COMPANY" and len(e.text) >= min_length}
    for name in list(known):  # 某某集团有限公司 is also written 某某集团
        for form in legal_forms:
            if name.endswith(form) and len(name) - len(form) >= 4:
                known.add(name[: -len(form)])
                break
    names = sorted(known, key=len, reverse=True)
    if not names:
        return
    pattern = re.compile("|".join(map(re.escape, names)))
    ents = list(doc.ents)
    covering: dict[int, Span] = {}
    for e in ents:
        for i in range(e.start_char, e.end_char):
            covering[i] = e
    new, replace = [], []
    for m in pattern.finditer(text_of(doc)):
        inside = {covering[i] for i in range(m.start(), m.end()) if i in covering}
        if any(e.label_ == "COMPANY" and e.start_char <= m.start() and m.end() <= e.end_char for e in inside):
            continue  # already a company (or inside a longer one)
        if any(e.start_char < m.start() or e.end_char > m.end() for e in inside):
            continue
        span = doc.char_span(m.start(), m.end(), label="COMPANY")
        if span is not None:
            new.append(span)
            replace.extend(inside)
    if new:
        merge_ents(doc, new, replace=replace)


class EntityCleaner(DataComponent):
    """Trims, relabels or drops implausible entity spans."""

    filename = "cleanup.json"

    def _compile(self) -> None:
        d = self.data
        self._person_suffixes = tuple(sorted(d["person_suffixes"], key=len, reverse=True))
        trailing = set(d["company_trailing_words"]) | {t for t, r in d["titles"].items() if r == "executive"}
        self._company_trailing = tuple(sorted(trailing, key=len, reverse=True))
        self._company_suffixes = tuple(d["company_suffixes"])
        self._max_company = d["max_company_length"]
        self._surnames = tuple(d["surnames"])
        self._gov_endings = tuple(d["gov_endings"])
        self._legal_forms = tuple(x for x in d["company_suffixes"] if x.endswith(("有限公司", "有限责任公司")))
        self._legal_re = re.compile("|".join(map(re.escape, sorted(self._legal_forms, key=len, reverse=True))))
        self._cuts = tuple(d["name_cuts"])
        self._verbs = tuple(d["meeting_verbs"])
        self._places = set(d["places"])
        self._keep_chars = set(d["company_keep_chars"])
        self._breaking = tuple(w for w in d["name_breaking_words"] if len(w) >= 2)
        self._topic_lead = tuple(sorted(d["topic_leading_words"], key=len, reverse=True))
        self._topic_tail = tuple(sorted(d["topic_trailing_words"], key=len, reverse=True))
        self._max_topic = 20
        self._org_endings = tuple(d["org_endings"])
        self._long_titles = tuple(t for t in d["titles"] if len(t) >= 3)
        self._all_titles = tuple(t for t in d["titles"] if len(t) >= 2)
        # single characters that follow a name as an adverb (某某也表示, 某某还介绍)
        self._glued = self._breaking + tuple("也还都均亦又就")

    def __call__(self, doc: Doc) -> Doc:
        ents = []
        merge_split_names(doc, self._person_suffixes)
        for e in doc.ents:
            fixed = self._fix(doc, e)
            if fixed is not None:
                ents.append(fixed)
        doc.ents = filter_spans(ents)  # an extended name may now reach into its neighbour
        self._legal_names(doc)
        merge_place_into_company(doc, self._legal_forms)
        strip_leading_prepositions(doc)
        propagate_companies(doc, legal_forms=("股份有限公司", "有限责任公司", "有限公司"))
        return doc

    def _trim_topic(self, text: str, start: int, end: int) -> tuple[int, int]:
        """加强|数字经济|等方面: the topic without the verb before it or the 等… after it."""
        for _ in range(3):
            lead = next((w for w in self._topic_lead if text.startswith(w, start) and end - start > len(w) + 1), None)
            tail = next((w for w in self._topic_tail if text.endswith(w, start, end) and end - start > len(w) + 1),
                        None)
            if lead is None and tail is None:
                break
            start += len(lead or "")
            end -= len(tail or "")
        return start, end

    def _extend_company(self, text: str, end: int) -> int:
        """Extend a company name over industry words up to a company suffix right after it."""
        best = end
        j = end
        while j < len(text) and j - end < 8 and text[j] in self._keep_chars:
            j += 1
            if text[end:j].endswith(self._company_suffixes):
                best = j
        return best

    def _legal_names(self, doc: Doc) -> None:
        """Companies written with a legal form (某某有限公司) that the model missed.

        The name runs back from the legal form to the nearest delimiter, verb or
        preposition (参观了|某某集团有限公司); other entities inside it give way.
        """
        text = text_of(doc)
        ents = list(doc.ents)
        company_at = {i for e in ents if e.label_ == "COMPANY" for i in range(e.start_char, e.end_char)}
        found, replace = [], []
        for m in self._legal_re.finditer(text):
            end = m.end()
            if end - 1 in company_at:
                continue
            start = self._name_start(text, m.start(), end)
            head = text[start : m.start()]
            for cut in (*self._cuts, *self._verbs):
                k = head.rfind(cut)
                if k >= 0:
                    head = head[k + len(cut) :]
            if len(head) < 2:
                continue
            span = doc.char_span(end - len(head) - len(m.group()), end, label="COMPANY", alignment_mode="contract")
            if span is not None:
                found.append(span)
                replace.extend(overlapping(ents, span))
        if found:
            merge_ents(doc, found, replace=replace)

    def _name_start(self, text: str, start: int, end: int) -> int:
        """Where a company name ending at ``end`` begins: back to the nearest delimiter,
        through a regional qualifier in brackets (``某某（云南）再造烟叶有限公司``)."""
        while start > 0 and end - start < self._max_company:
            ch = text[start - 1]
            if ch in ")）":
                opening = max(text.rfind("(", 0, start - 1), text.rfind("（", 0, start - 1))
                inner = text[opening + 1 : start - 1] if opening >= 0 else ""
                if opening < 0 or start - opening > 7 or not (inner in self._places or inner[:-1] in self._places):
                    break
                start = opening
                continue
            if ch in _PUNCT:
                break
            start -= 1
        return start

    def _qualified_start(self, text: str, start: int, end: int) -> int:
        """``某某（云南）|再造烟叶有限公司`` read from the bracket on: the name starts before it."""
        earlier = self._name_start(text, start, end)
        head = text[earlier:start]
        for cut in (*self._cuts, *self._verbs):
            k = head.rfind(cut)
            if k >= 0:
                earlier += k + len(cut)
                head = text[earlier:start]
        return earlier if head[:1] not in "(（" and len(head) >= 4 else start

    def _unglue_name(self, text: str, start: int, end: int) -> int:
        """End of a name without the word the model read into it.

        ``李某|深入交流`` read as 李某深, ``朱某也表示`` as 朱某也, ``周某接待`` as one name,
        ``刘某|财务总监`` as 刘某财 + 务总监: the trailing characters start the next word.
        """
        if end - start in (3, 4) and any(text.startswith(w, end - 1) for w in self._breaking):
            return end - 1
        name = text[start:end]
        for word in self._glued if "·" not in name else ():  # 努尔兰·阿不都: a transliteration ends as it likes
            if name.endswith(word) and len(name) - len(word) >= 2:
                return end - len(word)
        if end - start >= 3 and any(text.startswith(t, end - 1) for t in self._long_titles):
            return end - 1
        if end - start == 3 and name[-1] in _PREPOSITIONS and (
                text.count(name[:2]) > text.count(name) or text.startswith(self._all_titles, end)):
            return end - 1  # 朱某向来宾介绍, 王某和执行副总裁某某: 向/和 start the next phrase
        return end

    def _after_split_title(self, text: str, start: int, end: int) -> int:
        """Start of a name without the last character of the title before it.

        ``主任|钱某`` read as 主|任钱某: a "name" whose first character ends a title word
        written just before it starts one character later (when a name of two remains).
        """
        if end - start >= 3 and any(text.endswith(t, 0, start + 1) for t in self._all_titles):
            return start + 1
        return start

    def _fix(self, doc: Doc, e: Span) -> Span | None:
        """The entity with its boundary and label repaired, or None when it is no entity at all.

        Punctuation is never part of a name; people and bodies (companies, topics,
        governments…) then slip in different ways and are repaired by their own rules.
        """
        start, end, label = e.start_char, e.end_char, e.label_
        text = text_of(doc)
        start, end = _strip_punctuation(text, start, end)
        fixed: Span | tuple[int, int, str] | None = (start, end, label)
        if label == "PERSON":
            fixed = self._fix_person(doc, text, start, end)
        elif label in ("COMPANY", "TOPIC", "ORG", "GPE", "GOV", "TITLE"):
            fixed = self._fix_body(text, start, end, label)
        if fixed is None or isinstance(fixed, Span):
            return fixed
        start, end, label = fixed
        if end <= start:
            return None
        if (start, end, label) == (e.start_char, e.end_char, e.label_):
            return e
        return doc.char_span(start, end, label=label, alignment_mode="contract")

    def _fix_person(self, doc: Doc, text: str, start: int, end: int) -> Span | tuple[int, int, str] | None:
        """A PERSON without the suffix or next word the model read into it, or what it really is.

        Returns the final span when the "person" turns out to be a body or a company's
        regional entity, None when it cannot be a name, else the repaired boundary.
        """
        if end - start >= 3 and text[end - 1] in NOT_NAME_ENDS:
            # 某某网, 某某区 read as a person: names do not end like bodies and places
            label = NOT_NAME_ENDS[text[end - 1]]
            return doc.char_span(start, end, label=label, alignment_mode="contract")
        end = _strip_first_suffix(text, start, end, self._person_suffixes)
        end = self._unglue_name(text, start, end)
        start = self._after_split_title(text, start, end)
        regional_end = self._regional_company_end(text, end)
        if regional_end is not None:
            # 某某(中国): a company's regional entity, not a person
            return doc.char_span(start, regional_end, label="COMPANY", alignment_mode="contract")
        if not self._plausible_name(text, start, end):
            return None
        # 某某集团 read as a person followed by 集团: it is a company
        suffix = _suffix_at(text, end, self._company_suffixes)
        if suffix is not None:
            return start, end + len(suffix), "COMPANY"
        return start, end, "PERSON"

    def _regional_company_end(self, text: str, end: int) -> int | None:
        """End of ``某某(中国)…``: a place in brackets right after a "name" makes it a company.

        The company name then runs on over industry words up to its suffix; None when
        no known place in brackets follows.
        """
        qualifier = re.match(r"[(（]([一-龥]{2,4})[)）]", text[end : end + 7])
        if qualifier and qualifier.group(1) in self._places:
            return self._extend_company(text, end + qualifier.end())
        return None

    def _plausible_name(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` can be a person's name at all.

        Chinese names have two to four characters (transliterations joined by ``·`` may be
        longer), contain hanzi and start with a surname (做汇报, 昨天 do not).
        """
        if not 2 <= end - start <= 4 and "·" not in text[start:end]:
            return False
        if not any(is_hanzi(ch) for ch in text[start:end]):
            return False
        # 做汇报, 昨天: Chinese names start with a surname
        return "·" in text[start:end] or text.startswith(self._surnames, start)

    def _fix_body(self, text: str, start: int, end: int, label: str) -> tuple[int, int, str] | None:
        """A company, topic, body, place or title span repaired, relabelled or dropped (None).

        A span across a sentence break is two phrases, not a name; topics lose the verb
        and the 等… around them; a company loses the words the model ran into, and its
        label is checked against how the name ends.
        """
        if any(ch in _BREAKS for ch in text[start:end]):
            return None
        if label == "TOPIC":
            start, end = self._trim_topic(text, start, end)
            if end - start > self._max_topic or end - start < 2:
                return None
        if label == "COMPANY":
            end = _strip_trailing_words(text, start, end, self._company_trailing)
            end = _before_cut_organ(text, start, end)  # 某某总部党|委书记: the party committee's 党
        span_text = text[start:end]
        label = self._label_by_ending(span_text, label)
        if label == "COMPANY" and self._not_a_company_name(span_text):
            return None
        label = self._label_places_and_missions(span_text, label)
        if label == "COMPANY":
            extent = self._company_extent(text, start, end, span_text)
            if extent is None:
                return None
            start, end = extent
        return start, end, label

    def _label_by_ending(self, span_text: str, label: str) -> str:
        """The label that the end of a body's name gives it.

        A legal form makes a company whatever the model said; a company named like a
        government office is one, and a company or office named like an organisation
        (not also like an office) is an organisation.
        """
        if span_text.endswith(self._legal_forms) or (
            label in ("TOPIC", "ORG", "GPE", "TITLE") and span_text.endswith(self._company_suffixes)
        ):
            return "COMPANY"  # 某某有限公司 is a company whatever the model said
        if label == "COMPANY" and span_text.endswith(self._gov_endings):
            return "GOV"
        if label in ("COMPANY", "GOV") and span_text.endswith(self._org_endings) and not (
            label == "GOV" and span_text.endswith(self._gov_endings)
        ):
            return "ORG"
        return label

    def _not_a_company_name(self, span_text: str) -> bool:
        """Whether a "company" is something else: no hanzi, capitals or digits, or a clause with a verb."""
        if not any(is_hanzi(ch) or ch.isupper() or ch.isdigit() for ch in span_text):
            return True
        return any(v in span_text for v in self._verbs)  # 某某还拜访: a clause, not a name

    def _label_places_and_missions(self, span_text: str, label: str) -> str:
        """Companies and organisations that are places or a foreign government's missions."""
        if label in ("COMPANY", "ORG") and (span_text in self._places or span_text[:-1] in self._places or (
                span_text.endswith(("市", "州", "省", "县", "区", "旗")) and not span_text.endswith(_NOT_PLACE_ENDS))):
            label = "GPE"  # 日本某某市, 某国某某州: a foreign government's place, not a firm
        if label == "COMPANY" and ("驻华使" in span_text or span_text.endswith(("使馆", "领事馆"))):
            label = "GOV"
        return label

    def _company_extent(self, text: str, start: int, end: int, span_text: str) -> tuple[int, int] | None:
        """Where a company name really starts and ends, or None when it cannot be one.

        A name without its suffix runs on to it (某某民营|投资集团), one read from a
        bracket on starts before it, and unbalanced brackets, inner spaces or excess
        length (judged on ``span_text``, the name before these extensions) rule it out.
        """
        if not span_text.endswith(self._company_suffixes):
            end = self._extend_company(text, end)  # 某某民营|投资集团
        if start > 0 and text[start - 1] in ")）":
            start = self._qualified_start(text, start, end)
        if not _balanced(span_text) or " " in span_text.strip() or len(span_text) > self._max_company:
            return None
        return start, end


@Language.factory(
    "zh_entity_cleaner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    requires=["doc.ents"],
    default_config={
        "person_suffixes": None,
        "company_trailing_words": None,
        "company_suffixes": None,
        "max_company_length": 20,
        "surnames": None,
        "gov_endings": None,
        "org_endings": None,
        "titles": None,
        "name_cuts": None,
        "meeting_verbs": None,
        "places": None,
        "company_keep_chars": None,
        "name_breaking_words": None,
        "topic_leading_words": None,
        "topic_trailing_words": None,
    },
)
def make_entity_cleaner(
    nlp: Language,
    name: str,
    person_suffixes: list[str] | None,
    company_trailing_words: list[str] | None,
    company_suffixes: list[str] | None,
    max_company_length: int,
    surnames: list[str] | None,
    gov_endings: list[str] | None,
    org_endings: list[str] | None,
    titles: dict[str, str] | None,
    name_cuts: list[str] | None,
    meeting_verbs: list[str] | None,
    places: list[str] | None,
    company_keep_chars: str | None,
    name_breaking_words: list[str] | None,
    topic_leading_words: list[str] | None,
    topic_trailing_words: list[str] | None,
) -> EntityCleaner:
    """Word lists left as ``null`` come from the package's data files."""
    given = dict(locals())

    def defaults() -> dict[str, Any]:  # read only by initialize(), never on load
        cues = lexicons.cues()
        defaults = {
            **cues,
            "company_suffixes": [s for s in lexicons.company_suffixes() if len(s) >= 2],
            # only unambiguous endings: 部/局 also end company names (事业部, 邮政局)
            "gov_endings": [e for e in cues["gov_endings"] if len(e) >= 2],
            "org_endings": [e for e in cues["org_endings"] if e not in ("中心", "频道")],
            "titles": lexicons.titles(),
            "name_cuts": cues["affiliation_cuts"],
            "meeting_verbs": [v for v in cues["meeting_verbs"] if len(v) >= 2 and v != "一行"],
            "places": lexicons.places(),
            "company_keep_chars": lexicons.company_words(),
            "surnames": lexicons.name_starts(),
        }
        return defaults

    return EntityCleaner(nlp, name, settings=given, defaults=defaults)
