"""Cross-sentence context: what the whole article says that one sentence does not.

The company an article is about (a company's own news page, the site owner), the
places visited, the full name behind a short mention (``王总``), a company's name without
its legal form, and the topics of a paragraph.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Span

from zh_invest_ner.components.meetings.sentence import _Sentence, canonical_name  # noqa: F401 - re-exported
from zh_invest_ner.components.spans import text_of
from zh_invest_ner.components.topic_rules import merge_topics
from zh_invest_ner.labels import COMPANY_LIKE


def company_core(name: str | None, suffixes: tuple[str, ...]) -> str:
    """A company name without its legal form and a leading country: 美国某某公司 ~ 某某集团."""
    if not name:
        return ""
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return name[2:] if name.startswith(("美国", "德国", "日本", "英国", "法国", "韩国")) and len(name) > 4 else name




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


#: No meeting is on more topics than this: beyond it a "paragraph" is a page that lost its
#: line breaks, and its every industry word would hang on every pair of people in it.
MAX_TOPICS = 12


def sentence_groups(sents: list[_Sentence]) -> tuple[dict[int, list[_Sentence]], dict[int, list[_Sentence]]]:
    """The sentences of each paragraph and of each event, built once per document."""
    by_paragraph: dict[int, list[_Sentence]] = {}
    by_event: dict[int, list[_Sentence]] = {}
    for s in sents:
        by_paragraph.setdefault(s.paragraph, []).append(s)
        by_event.setdefault(s.event, []).append(s)
    return by_paragraph, by_event


def paragraph_topics(sents: list[_Sentence], i: int, groups: tuple[dict, dict] | None = None) -> list[str]:
    """Topics of a meeting in sentence ``i``: its own, then those stated in the rest of its
    paragraph (``双方就…进行交流`` often follows the sentence that names the people).

    ``groups`` (from :func:`sentence_groups`) saves rescanning the document per meeting.
    """
    own = sents[i]
    by_paragraph, by_event = groups or sentence_groups(sents)
    rest = [t for s in by_paragraph[own.paragraph] if s is not own for t in s.topics]
    found = merge_topics(own.topics, rest)
    if len(found) < 2:  # stated elsewhere in the report of the same event (a later 双方就…交流 paragraph)
        found = merge_topics(found, [t for s in by_event[own.event] for t in s.frame_topics])
    return found[:MAX_TOPICS]


_SITE_OWNER = re.compile(r"(?:©|版权所有|Copyright|主办单位|主办)[：:\s©0-9\-]*([^\s，,。|｜]{4,30})")


def named_company_for(body: str | None, companies: list[Span]) -> str | None:
    """``龙某企业董事长``: a body written as brand + 企业/公司 is the company of that brand named
    in the same sentence (``走访了龙某科技集团``), if exactly one is."""
    if not body or not body.endswith(("企业", "公司")) or len(body) < 4:
        return None
    brand = body[:-2]
    named = {c.text for c in companies if c.text.startswith(brand) and c.text != body}
    return named.pop() if len(named) == 1 else None


def without_site(name: str, sites: tuple[str, ...]) -> str:
    """A company name without the site it names (``某某总部``, ``某某生产基地``), when two characters remain.

    Articles name the place of a visit by the company and the site (``在某某总部``); the
    company is the one named in full elsewhere in the article.
    """
    for site in sites:  # longest first
        if name.endswith(site) and len(name) - len(site) >= 2:
            return name[: -len(site)]
    return name


#: The shortest organisation name that is a body of its own: a name of two and an ending of three (某某研究所).
MIN_NAMED_BODY = 5


def runs_as_company(info: Any) -> bool:
    """Whether an executive's organisation is the firm they run: 某某交易中心|总经理, 某某研究所|董事长.

    ``zh_roles`` makes the holder of an organisation's post an executive only when the
    title is a company post, so such an organisation is run as a business (a trading
    centre, an institute spun off as a firm) and is the meeting's company. A short one
    (``规划中心``, a piece left by a misread title) is a department, not a named body.
    """
    return (info.role == "executive" and info.affiliation_label == "ORG"
            and len(info.affiliation or "") >= MIN_NAMED_BODY)


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
        if info.role == "executive" and info.affiliation and (
                info.affiliation_label in COMPANY_LIKE or runs_as_company(info)):
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
