"""Title words and the person names written next to them.

Chinese news almost always writes a person with a title: ``市长王某``, ``王某董事长``,
``市委副书记、市长王某``. The statistical NER finds most names; this component fills
its gaps with the lexicon of titles and surnames, marks the title words that attach to a
person, and labels every later bare mention of a name already found in the document.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from zh_invest_ner import lexicons
from zh_invest_ner.components.base import DataComponent
from zh_invest_ner.components.spans import NOT_NAME_ENDS, between, char_span, is_hanzi, merge_ents, text_of

#: A personal name in Latin script: two to four capitalised words (``Daniel Ross``, ``Anna-Lena Ott``).
_LATIN_NAME = re.compile(r"[A-Z][a-z][A-Za-z'\-]*(?:[ ·.][A-Z][a-z][A-Za-z'\-]*){1,3}")


#: A name of two or three hanzi closed by a list delimiter or the end of a clause.
_LISTED_NAME = re.compile(r"([\u4e00-\u9fff]{2,3}?)([、，,和及等])")


class _Hit(NamedTuple):
    """A title found in the text, with the ``re.Match`` methods the rules use."""

    s: int
    e: int
    word: str

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e

    def group(self) -> str:
        return self.word


class NameFinder(DataComponent):
    """Adds PERSON and TITLE entities around title words from the lexicon."""

    derived = ("company_organs", "company_suffixes", "name_end_breaks")  # from the data files, not the config

    filename = "names.json"

    def _compile(self) -> None:
        titles: dict[str, str] = self.data["titles"]
        words = sorted((t for t in titles if titles[t] != "reporter"), key=len, reverse=True)
        self._titles = titles
        self._title_re = re.compile("|".join(map(re.escape, words)))
        self._by_first: dict[str, list[str]] = {}
        for w in words:  # already longest first
            self._by_first.setdefault(w[0], []).append(w)
        self._admin_chars = set("市县区省州镇乡旗盟部局厅处科")  # 江海市|长, 统战部|长, 商务局|长
        self._organs = set(self.data["company_organs"])
        self._company_suffixes = tuple(self.data["company_suffixes"])
        self._surnames = set(self.data["surnames"])
        self._stop = set(self.data["stop_chars"])
        self._non_names = set(self.data["non_names"])
        # rarer surnames too, where the context says a name follows (a company's listed people)
        self._name_starts = set(self.data.get("name_starts") or self.data["surnames"])
        self._person_suffixes = {"博士", "先生", "女士", "教授", "院士", "同志"}
        # 王某|关于, 王某|随同: words that begin right after a two-character name (older saves lack them)
        self._end_breaks = tuple(self.data.get("name_end_breaks") or ())

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        ents = list(doc.ents)  # Doc.ents walks every token: read once, not per title
        ent_at = {}
        for e in ents:
            for i in range(e.start_char, e.end_char):
                ent_at[i] = e
        new: list[Span] = []
        replace: list[Span] = []
        titles = self._find_titles(doc, ent_at, new, replace)
        starts = {m.start() for m in titles}
        title_ends = {m.end(): m for m in titles}
        for m in titles:
            # A name after the title (or after a chain "书记、市长").
            after = m.end()
            while after < len(text) and text[after] == " ":
                after += 1
            if after in starts or (after < len(text) and text[after] == "、"):
                continue  # the chain goes on: the last title in it takes the name
            name = self._name_after(text, after, ent_at)
            if name is None and self._titles.get(m.group()) in ("official", "executive", "ambiguous"):
                name = self._name_before(text, m.start(), ent_at)
            if name is None:
                continue
            new.append(char_span(doc, *name, "PERSON"))
            chain = [t for t in self._chain(doc, m, title_ends) if t is not None]
            new.extend(chain)
            for t in chain:  # the lexicon's 党委书记 replaces the model's shorter 书记
                replace.extend(e for e in between(ents, t.start_char, t.end_char) if e.label_ == "TITLE"
                               and (e.start, e.end) != (t.start, t.end))
            latin = _LATIN_NAME.fullmatch(text, *name) is not None
            for k in range(*name):  # misfired or too short entities inside the name give way
                e = ent_at.get(k)
                if e is not None and (e.label_ not in ("PERSON", "COMPANY") or latin or (
                        e.label_ == "PERSON" and (e.start_char, e.end_char) != name)):
                    replace.append(e)
        merge_ents(doc, [s for s in new if s is not None], replace=replace)
        merge_ents(doc, self._names_after_companies(doc))
        self._propagate(doc)
        return doc

    def _names_after_companies(self, doc: Doc) -> list[Span]:
        """``听取了某某公司张某、李某的汇报``: a company's people named without posts.

        Right after a company, a surname and one or two more characters closed by a list
        delimiter is a name; so are the names listed after it.
        """
        text = text_of(doc)
        taken = {i for e in doc.ents for i in range(e.start_char, e.end_char)}
        out = []
        for company in [e for e in doc.ents if e.label_ == "COMPANY"]:
            i = company.end_char
            for word in ("公司", "集团"):  # the model's 某某|公司 with the legal word left out
                if text.startswith(word, i):
                    i += len(word)
            while i < len(text) and i not in taken:
                m = _LISTED_NAME.match(text, i)
                rare = text[i] not in self._surnames  # a rarer surname needs a list of names to trust it
                if m is None or text[i] not in self._name_starts or m.group(1) in self._non_names or (
                        m.group(1)[-1] in NOT_NAME_ENDS) or (
                        rare and (m.group(2) != "、" or text[m.end() : m.end() + 1] not in self._surnames)):
                    break
                span = doc.char_span(i, m.end(1), label="PERSON")
                if span is None:
                    break
                out.append(span)
                if m.group(2) != "、":
                    break
                i = m.end()
        return out

    def _find_titles(self, doc: Doc, ent_at: dict, new: list[Span], replace: list[Span]) -> list[_Hit]:
        """Longest lexicon titles, left to right, that are not inside another entity.

        A place the model ran into the title (``江海市|长``) gives its last character
        back: ``江海`` + ``市长``.
        """
        text = text_of(doc)
        hits: list[_Hit] = []
        i = 0
        while i < len(text):
            for word in self._by_first.get(text[i], ()):
                if not text.startswith(word, i):
                    continue
                j = i + len(word)
                clashes = {ent_at[k] for k in range(i, j) if k in ent_at and ent_at[k].label_ != "TITLE"}
                inside = [c for c in clashes if c.label_ == "GOV" and i <= c.start_char and c.end_char < j
                          and c.text in self._organs]
                if clashes and len(inside) == len(clashes):  # 党委|书记 read as body + title
                    replace.extend(inside)
                    clashes = set()
                if not clashes:
                    hits.append(_Hit(i, j, word))
                    break
                (place,) = clashes if len(clashes) == 1 else (None,)
                run_in = place is not None and place.label_ in ("GPE", "GOV") and i - place.start_char >= 2 and (
                    (place.end_char == i + 1 and text[i] in self._admin_chars) or place.end_char == j)
                if run_in:  # 江海市|长 or 江海市长 read as one place
                    shorter = doc.char_span(place.start_char, i, label=place.label_)
                    if shorter is not None:
                        new.append(shorter)
                        replace.append(place)
                        hits.append(_Hit(i, j, word))
                        break
            else:
                i += 1
                continue
            i = hits[-1].e
        return hits

    def _chain(self, doc: Doc, last: re.Match, by_end: dict[int, re.Match]) -> list[Span]:
        """TITLE spans for ``last`` and the titles joined to it by 、 before it (``by_end``: titles by end)."""
        out = [char_span(doc, last.start(), last.end(), "TITLE")]
        pos = last.start()
        while pos > 0 and text_of(doc)[pos - 1] == "、" and (pos - 1) in by_end:
            m = by_end[pos - 1]
            out.append(char_span(doc, m.start(), m.end(), "TITLE"))
            pos = m.start()
        return out

    def _is_surname_at(self, text: str, i: int) -> int:
        """Length of the surname starting at ``i`` (2 for compound surnames), or 0."""
        if text[i : i + 2] in self._surnames:
            return 2
        return 1 if text[i : i + 1] in self._surnames else 0

    def _boundary(self, text: str, i: int) -> bool:
        return i < 0 or i >= len(text) or not is_hanzi(text[i]) or text[i] in self._stop

    def _name_after(self, text: str, i: int, ent_at: dict) -> tuple[int, int] | None:
        if i >= len(text):
            return None
        latin = _LATIN_NAME.match(text, i)
        if latin is not None:
            return i, latin.end()  # 首席执行官Daniel Ross: names in Latin script, whatever the model read
        # the rules below look a few characters ahead only: a window, not a copy of the whole map
        ent_at = {k: v for k in range(i, i + 8) if (v := ent_at.get(k)) is not None}
        e = ent_at.get(i)
        if e is not None and e.label_ == "TITLE":  # the model's 总助徐某 as one title
            ent_at = {k: v for k, v in ent_at.items() if v is not e}
            e = None
        if e is not None:
            if e.label_ != "PERSON":
                return None
            end = e.end_char
            # the model's 王某|某一行: a third given-name character before a boundary
            if end - e.start_char == 2 and self._third_char(text, end, ent_at):
                end += 1
            return e.start_char, end
        # a GPE/TOPIC misfire inside a name (江|海峰) must not hide the name
        ent_at = {k: v for k, v in ent_at.items() if v.label_ in ("PERSON", "COMPANY", "TITLE")}
        sl = self._is_surname_at(text, i)
        if not sl:
            return None
        given_start = i + sl
        # the first given-name character may well be 以/一/文…; only true particles stop it
        first = text[given_start] if given_start < len(text) else ""
        if not is_hanzi(first) or first in "的了与和及等在是" or given_start in ent_at:
            return None
        # Two-character name unless a third character follows and a boundary after it.
        end = given_start + 1
        if self._third_char(text, end, ent_at) or self._suffixed_last_char(text, end, ent_at):
            end += 1
        if text[i:end] in self._non_names or (end - i >= 3 and text[end - 1] in NOT_NAME_ENDS):
            return None  # 某某馆, 某某网: a body, not a name
        return i, end

    def _suffixed_last_char(self, text: str, third: int, ent_at: dict) -> bool:
        """The model's ``王某|平博士``: a one-character "person" with a suffix ends this name."""
        e = ent_at.get(third)
        return (e is not None and e.label_ == "PERSON" and e.start_char == third
                and text[third + 1 : e.end_char] in self._person_suffixes)

    def _third_char(self, text: str, third: int, ent_at: dict) -> bool:
        """Whether the character at ``third`` still belongs to a name that started two before."""
        return (
            not self._boundary(text, third)
            and not text.startswith(self._end_breaks, third)
            and third not in ent_at
            and not self._title_re.match(text, third)
            and (self._boundary(text, third + 1) or bool(self._title_re.match(text, third + 1))
                 or third + 1 in ent_at)
        )

    def _name_before(self, text: str, j: int, ent_at: dict) -> tuple[int, int] | None:
        e = ent_at.get(j - 1)
        if e is not None:
            return (e.start_char, e.end_char) if e.label_ == "PERSON" else None
        for length in (3, 2):
            i = j - length
            if i < 0 or not self._boundary(text, i - 1) or any(k in ent_at for k in range(i, j)):
                continue
            if not all(is_hanzi(c) and c not in self._stop for c in text[i:j]):
                continue
            if self._is_surname_at(text, i) and text[i:j] not in self._non_names:
                return i, j
        return None

    def _propagate(self, doc: Doc) -> None:
        """Label bare later mentions of names found elsewhere in the document."""
        ents = list(doc.ents)
        names = {e.text for e in ents if e.label_ == "PERSON" and 2 <= len(e.text) <= 4}
        if not names:
            return
        pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
        by_start: dict[int, list[Span]] = {}
        for e in ents:
            by_start.setdefault(e.start, []).append(e)
        text = text_of(doc)
        new, replace = [], []
        for m in pattern.finditer(text):
            if text.startswith(self._company_suffixes, m.end()):
                continue  # 某某集团: a company named like the person, not the person
            span = doc.char_span(m.start(), m.end(), label="PERSON")
            if span is not None:
                new.append(span)
                # the model's 王某 where the document knows 王某某; the same string read as a place
                replace.extend(e for e in by_start.get(span.start, ()) if (e.label_ == "PERSON"
                               and e.end < span.end) or (e.label_ == "GPE" and e.end == span.end))
        merge_ents(doc, new, replace=replace)


@Language.factory(
    "zh_name_finder",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    requires=["doc.ents"],
    default_config={"titles": None, "surnames": None, "stop_chars": None, "non_names": None, "name_starts": None},
)
def make_name_finder(
    nlp: Language,
    name: str,
    titles: dict[str, str] | None,
    surnames: list[str] | None,
    stop_chars: str | None,
    non_names: list[str] | None,
    name_starts: list[str] | None,
) -> NameFinder:
    """Lists left as ``null`` in the config come from the package's data files."""
    given = dict(locals())

    def defaults() -> dict[str, Any]:  # read only by initialize(), never on load
        cues = lexicons.cues()
        defaults = {"titles": lexicons.titles(), "surnames": lexicons.surnames(),
                    "stop_chars": cues["name_stop_chars"], "non_names": cues["non_names"],
                    "name_starts": lexicons.name_starts(), "company_organs": cues["company_organs"],
                    "company_suffixes": [x for x in lexicons.company_suffixes() if len(x) >= 2],
                    "name_end_breaks": cues["name_end_breaks"]}
        return defaults

    return NameFinder(nlp, name, settings=given, defaults=defaults)
