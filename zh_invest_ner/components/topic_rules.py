"""What a meeting was about: the fields named after 就/围绕/在…方面, split into items.

News states a meeting's subject in a few fixed frames: ``双方就A、B等领域合作进行了交流``,
``围绕A和B深入座谈``, ``在A、B方面达成共识``. The items sit between the cue and the verb,
joined by 、/和/及; the filler around them (等领域, 方面, 合作, 事宜) is no topic. These
small functions find the frames and clean the items; ``zh_meetings`` gathers them over
the paragraph that reports the meeting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from zh_invest_ner.text.chars import is_hanzi

_FRAME = re.compile(
    r"(?:就|围绕|针对|聚焦|着眼|关于|在)(?P<items>[^，,。；;！!？?：:]{2,60}?)等(?:领域|方面|事宜|议题|问题|项目|产业|话题)"
    r"|(?:针对|关于)(?P<items3>[^，,。；;！!？?：:“”]{2,30}?)(?:的)?(?:问题|事宜)(?=[，,。；;])"
    r"|(?:就|围绕|针对|聚焦|着眼|关于|在)(?P<items2>[^，,。；;！!？?：:“”]{2,48}?)"
    r"(?:等)?(?:相关|有关)?(?:领域|方面|事宜|问题|议题|工作|产业|话题)?(?:的)?(?:开展|深化|加强)?(?:合作|交流|对接)?"
    r"(?:进行|开展|展开|深入|交换|达成|作了|做了|座谈|洽谈|交流|探讨|沟通|会谈|取得|形成)"
)
_SPLIT = re.compile(r"[、，,]|以及|和|及|与")
_LEADING = ("进一步", "加强", "深化", "推动", "加快", "推进", "开展", "拓展", "共同", "积极", "双方", "在", "对",
            "合作建设", "合作", "共建", "建设",
            "加大", "促进", "探讨", "打造", "做好", "深入", "全面", "未来", "今后", "下一步", "企业", "公司", "项目")
_TRAILING = ("等方面", "等领域", "等事宜", "等项目", "等产业", "等议题", "等工作", "等问题", "方面", "领域", "事宜",
             "议题", "问题", "相关工作", "工作", "合作", "交流", "对接", "发展", "的", "等", "上")
_NOT_TOPICS = frozenset({"合作", "交流", "发展", "项目", "工作", "情况", "问题", "事宜", "双方", "共同", "有关",
                         "相关", "进一步", "深入", "企业", "公司", "对接", "推进", "沟通", "意见", "共识",
                         "共同关心", "关心", "感兴趣", "双方关心", "战略", "下一步", "落户", "投资", "管理", "建设",
                         "招商引资", "合作共赢", "互利共赢", "深度合作", "务实合作", "全方位", "优势互补"})
MAX_TOPIC = 14
#: Words of a clause about what people did, not of a field they discussed.
_CLAUSE_WORDS = ("了", "听取", "汇报", "介绍", "表示", "指出", "认为", "希望", "要求")
#: A topic never ends like a government body or a post (雅安市金融办, 某科科长).
_BODY_ENDS = ("办", "局", "委", "厅", "政府", "科长", "处长", "主任", "局长", "书记", "市长", "区长", "县长")


_FILLER_TAIL = re.compile(
    r"等(?:领域|方面|事宜|项目|产业|议题|工作|问题|内容|话题|多).*$|(?:领域|方面)(?:全方位|深入|广泛|进一步).*$"
)
_TIME = re.compile(r"^[\d０-９一二三四五六七八九十〇零]+[年月日号]|^(?:年底|年初|上半年|下半年|今年|明年|去年)")
#: A capacity or an amount (年产30000吨, 500亩, 10亿元) says how much, not about what.
_AMOUNT = re.compile(r"^(?:年产|年产值|年销售|占地|总投资|投资)?[\d０-９.,，]+(?:万|亿|千|百)?"
                     r"(?:吨|亩|元|美元|平方米|千瓦|兆瓦|吉瓦|台|套|辆|个|人|家|件|%)?$")


def clean_topic(item: str) -> str | None:
    """An item without the verbs before it and the filler after it, or None if nothing is left."""
    item = _FILLER_TAIL.sub("", item.strip(" 　的"))
    if "的" in item:  # 某某网的商业模式: the field, not whose it is
        item = item.rsplit("的", 1)[1]
    if _TIME.match(item) or _AMOUNT.match(item) or any(w in item for w in _CLAUSE_WORDS):
        return None
    changed = True
    while changed:
        changed = False
        for w in _LEADING:
            if item.startswith(w) and len(item) > len(w):
                item, changed = item[len(w) :], True
        for w in _TRAILING:
            if item.endswith(w) and len(item) > len(w):
                item, changed = item[: -len(w)], True
    if len(item) < 2 or len(item) > MAX_TOPIC or item in _NOT_TOPICS or item.endswith(_BODY_ENDS):
        return None
    if not any(is_hanzi(c) or c.isalpha() for c in item):
        return None
    return item


def frame_topics(sentence: str, names: Iterable[str] = (), places: Iterable[str] = ()) -> list[str]:
    """Topic items of every 就…进行/围绕…座谈 frame in a sentence, in order.

    An item naming a person or a title is a clause about people, not a topic; a place
    or body at its start (``在咸阳合作建设某项目``) is where, not what.
    """
    names = tuple(n for n in names if n)
    places = tuple(sorted((p for p in places if p), key=len, reverse=True))
    out: list[str] = []
    for m in _FRAME.finditer(sentence):
        for piece in _SPLIT.split(m.group("items") or m.group("items3") or m.group("items2")):
            piece = piece.replace("“", "").replace("”", "").replace("\"", "")
            if names and any(n in piece for n in names):
                continue
            piece = piece.lstrip("在于")
            for place in places:
                if piece.startswith(place):
                    piece = piece[len(place) :]
                    break
            item = clean_topic(piece)
            if item is not None and item not in out:
                out.append(item)
    return out


def merge_topics(*groups: Iterable[str]) -> list[str]:
    """Topics in first-seen order, a shorter item dropped where a longer one contains it."""
    seen: list[str] = []
    for group in groups:
        for t in group:
            if t not in seen:
                seen.append(t)
    return [t for t in seen if not any(t != o and t in o for o in seen)]
