"""Find the dates of Chinese news text, with offsets, and resolve them to calendar dates.

Meeting records carry the date of the meeting, which the text gives in many shapes:
``2024年3月18日``, ``二〇二四年三月十八日``, ``2024-03-18 09:41``, ``3月18日上午``, a bare
``18日``, ranges such as ``3月23日至25日``, and relative words (``昨天``, ``当天``, ``上周五``).
Most of them lack the year, and some even the month, so they only become dates against a
*reference*: the article's own date (``article_date``, read from its publish line or
dateline) or a year the user gives. Nothing here ever falls back to today's date: a
guess from the clock would be silently wrong for every archived article.

Matching runs on a same-length folded copy of the text (full-width digits and
punctuation to ASCII), so offsets are offsets into the text given. Chinese numerals are
converted by hand (``_cn_int``): dates need only 0–31 and four-digit years, and a
converter library measured slower and costs ~0.15 s of import (``benchmarks/dates.py``).
The words (relative days, publish labels, quantity contexts) live in
``data/date_patterns.json``.
"""

from __future__ import annotations

import calendar
import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["DateMention", "article_date", "find_dates", "parse_date_hint", "resolve", "resolve_all"]

MIN_YEAR = 1949
MAX_YEAR = 2100

#: A date without year may lie this far after the reference (announcements of upcoming
#: events); further than that it is last year's (news reports the past).
_FUTURE_WINDOW = datetime.timedelta(days=62)
#: The same for a bare day (``18日``) against the reference's month.
_FUTURE_DAYS_DAY_ONLY = 3
#: Publish lines and datelines are short; a longer line is body text.
_MAX_META_LINE = 160
#: A dateline with the issuing office is short and has no sentence punctuation.
_MAX_DATELINE = 60
_DATELINE_STRIP = " \u3000\t\r（）()【】[]［］·•◎▪"
_DATELINE_GAP = " \u3000\t（(【[［"
_SENTENCE_PUNCT = "，,；;！!？?"
#: ``article_date`` looks for an unlabelled dateline only this many non-empty lines deep.
_DATELINE_LINES = 5

# One character in, one character out, so offsets into the folded text are offsets into the original.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "－": "-",
        "／": "/",
        "．": ".",
        "：": ":",
        "○": "〇",
        "Ｏ": "〇",
        "\u25ef": "〇",
    }
)

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# Number shapes a date uses. Chinese days below ten are accepted only next to a month (三月三日):
# alone, 一日/三日 are mostly quantities ("一日游", "三日内").
_SP = r"[ \u3000]?"
_CN_YEAR = r"[〇零一二三四五六七八九]{4}"
_CN_MONTH = r"(?:十[一二]?|[一二三四五六七八九])"
_CN_DAY_10 = r"(?:三十一?|[二]?十[一二三四五六七八九]?|廿[一二三四五六七八九]?|卅一?)"
_CN_DAY = rf"(?:{_CN_DAY_10}|[一二三四五六七八九])"
_YEAR = rf"(?:[0-9]{{4}}|{_CN_YEAR})"
_MONTH = rf"(?:[0-9]{{1,2}}(?![0-9])|{_CN_MONTH})"
_DAY = rf"(?:[0-9]{{1,2}}(?![0-9])|{_CN_DAY})"
_NOT_AFTER_CN = r"(?<![〇零一二三四五六七八九十廿卅两])"
_DAY_SUFFIX = r"[日号號]"


@dataclass(frozen=True)
class DateMention:
    """One date expression: where it is, what it says, and how it was written.

    Only what the text says is filled in: ``3月18日`` has no year, ``18日`` no month,
    ``2024年3月`` no day; ``resolve`` completes them against a reference. Ranges carry their
    end in ``end_*`` (the end's missing parts taken from the start, as readers do).
    """

    start: int
    end: int
    text: str
    year: int | None
    month: int | None
    day: int | None
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None
    relative_days: int | None = None
    kind: str = "text"
    #: "reference" or "previous": 当天/次日 count from the date just mentioned (see ``resolve_all``).
    anchor: str = "reference"
    #: 去年/今年/明年 before a month: the year relative to the reference's.
    year_offset: int | None = None
    #: 上周五/本周三: Monday = 0 and the week relative to the reference's week.
    weekday: int | None = None
    week_offset: int | None = None
    #: The time or part of day written with the date ("09:41", "上午", "下午3时").
    time: str | None = None
    #: The publish label or metadata word of the line ("发布时间", "来源"), for ``kind == "publish"``.
    label: str | None = field(default=None, compare=False)

    @property
    def is_range(self) -> bool:
        """Whether the mention spans several days (``3月23日至25日``)."""
        return self.end_day is not None

    @property
    def is_full(self) -> bool:
        """Whether the text alone names one day: year, month and day are written."""
        return self.year is not None and self.month is not None and self.day is not None


# ---------------------------------------------------------------------------
# Words and patterns


@dataclass(frozen=True)
class _Lexicon:
    relative: dict[str, int]
    anaphoric: dict[str, int]
    exclusions: dict[str, tuple[tuple[int, str], ...]]
    years: dict[str, int]
    week_prefixes: dict[str, int]
    weekdays: dict[str, int]
    explicit_labels: frozenset[str]
    day_before: tuple[str, ...]
    day_after: tuple[str, ...]
    head: re.Pattern[str]
    cue: re.Pattern[str]
    tail: re.Pattern[str]
    suffix: re.Pattern[str]
    label: re.Pattern[str]
    meta: re.Pattern[str]


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first so that 大前天 wins over 前天."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _words(table: dict[str, Any]) -> dict[str, int]:
    """A word → number table of the JSON file, without its ``_comment``."""
    return {k: int(v) for k, v in table.items() if not k.startswith("_")}


def _head_pattern(data: dict, relative_words: list[str]) -> re.Pattern[str]:
    """One scan for every kind of date; the branch that matched is ``m.lastgroup``."""
    years = _alternation(_words(data["relative_years"]))
    connectors = _alternation(data["range_connectors"])
    need_tail = rf"(?={_SP}(?:{connectors}){_SP}(?:[0-9]{{1,2}}|{_CN_DAY}){_SP}{_DAY_SUFFIX})"
    week = _alternation(data["week_words"])
    prefixes = _alternation(_words(data["week_prefixes"]))
    weekdays = "".join(_words(data["weekdays"]))
    branches = [
        # 2024年3月18日, 二〇二四年三月十八日, 2024年3月 (the day optional: month-only dates)
        rf"(?P<ymd>(?<![0-9]){_NOT_AFTER_CN}(?P<y>{_YEAR}){_SP}年{_SP}(?P<m>{_MONTH}){_SP}月"
        rf"(?:{_SP}(?P<d>{_DAY}){_SP}(?P<dsuf>{_DAY_SUFFIX})?)?)",
        # 2024-03-18, 2024/3/18, 2024.03.18; not inside URLs, paths, versions or longer numbers
        r"(?P<iso>(?<![A-Za-z0-9_/.=?&%#+\-])(?P<iy>[0-9]{4})(?P<sep>[-/.])(?P<im>[0-9]{1,2})(?P=sep)"
        r"(?P<id>[0-9]{1,2})(?![0-9]|[A-SU-Za-z]|[./\-][0-9]))",
        # 3月18日, 三月十八日, 去年12月28日, 去年12月; 3月23—25日 (day suffix only before a range)
        rf"(?P<md>(?<![0-9.]){_NOT_AFTER_CN}(?P<ry>{years})?(?P<mm>{_MONTH}){_SP}月"
        rf"(?:{_SP}(?P<md_d>{_DAY}){_SP}(?:(?P<mdsuf>{_DAY_SUFFIX})|{need_tail}))?)",
        # 18日, 二十三日, and 23-25日
        rf"(?P<do>(?<![0-9.:/\-]){_NOT_AFTER_CN}(?P<dd>[0-9]{{1,2}}(?![0-9])|{_CN_DAY_10}){_SP}(?:(?P<dosuf>日)|{need_tail}))",
        rf"(?P<rel>{_alternation(relative_words)})",
        rf"(?P<wk>(?P<wkp>{prefixes})(?:个|個)?(?:{week})(?P<wkd>[{weekdays}]))",
    ]
    return re.compile("|".join(branches))


def _cue_pattern(data: dict, relative_words: list[str]) -> re.Pattern[str]:
    """The first two characters of every head the ``_head_pattern`` can match.

    A pattern that starts with a character class lets ``re`` skip to candidates in C;
    the head pattern itself (alternatives behind lookbehinds) cannot, and costs about
    0.5 µs a character. Every head starts with one of these pairs, so the head is tried
    only where the cue matches.
    """
    numerals = "0-9〇零一二三四五六七八九十廿卅"
    words = [*relative_words, *_words(data["relative_years"])]
    words += [p + w for p in _words(data["week_prefixes"]) for w in data["week_words"]]
    words += [p + c + w for p in _words(data["week_prefixes"]) for c in "个個" for w in data["week_words"]]
    first = {w[0] for w in words}
    second = {w[1] for w in words if len(w) > 1} | set(" \u3000年月日号號/.-") | set("".join(data["range_connectors"]))
    first_class = numerals + "".join(sorted(first)).replace("-", r"\-")
    second_class = numerals + "".join(sorted(second)).replace("-", r"\-")
    return re.compile(f"[{first_class}][{second_class}]")


def _suffix_pattern(data: dict) -> re.Pattern[str]:
    """What may follow a date and belongs to it: a weekday label, a part of day, a clock time."""
    week = _alternation(data["week_words"])
    weekdays = "".join(_words(data["weekdays"]))
    weekday = rf"(?:{week})[{weekdays}]"
    parts = _alternation(data["parts_of_day"])
    clock = r"[0-9]{1,2}(?::[0-9]{2}(?::[0-9]{2})?(?:Z|[+\-][0-9]{2}:?[0-9]{2})?|[时時点點](?:[0-9]{1,2}分|半)?)"
    return re.compile(
        rf"(?:{_SP}(?:[（(]{weekday}[)）]|{weekday}))?"
        rf"(?:{_SP}(?P<tod>{parts}))?"
        rf"(?:(?:[ \u3000]{{0,2}}|T)(?P<clock>{clock}))?"
    )


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    raw = resources.files("zh_invest_ner").joinpath("data", "date_patterns.json").read_text("utf-8")
    data = json.loads(raw)
    relative = _words(data["relative_days"])
    anaphoric = _words(data["anaphoric_days"])
    exclusions: dict[str, list[tuple[int, str]]] = {}
    for phrase in data["relative_exclusions"]:
        for word in (*relative, *anaphoric):
            at = phrase.find(word)
            if at >= 0:
                exclusions.setdefault(word, []).append((at, phrase))
    connectors = _alternation(data["range_connectors"])
    labels = data["publish_labels"]
    return _Lexicon(
        relative=relative,
        anaphoric=anaphoric,
        exclusions={w: tuple(v) for w, v in exclusions.items()},
        years=_words(data["relative_years"]),
        week_prefixes=_words(data["week_prefixes"]),
        weekdays=_words(data["weekdays"]),
        explicit_labels=frozenset(labels) - frozenset(data["generic_labels"]),
        day_before=tuple(data["day_quantity_before"]),
        day_after=tuple(data["day_quantity_after"]),
        head=_head_pattern(data, [*relative, *anaphoric]),
        cue=_cue_pattern(data, [*relative, *anaphoric]),
        tail=re.compile(
            rf"{_SP}(?:{connectors}){_SP}(?:(?:(?P<ty>{_YEAR}){_SP}年{_SP})?(?P<tm>{_MONTH}){_SP}月{_SP})?"
            rf"(?P<td>{_DAY}){_SP}{_DAY_SUFFIX}"
        ),
        suffix=_suffix_pattern(data),
        # A label starts its line or follows a space or bracket: "会议时间：" is not a publish label.
        label=re.compile(rf"(?:^|(?<=[\s【\[［(（|丨/]))(?P<label>{_alternation(labels)})(?:{_SP}:|[\]】］)）])"),
        meta=re.compile(rf"(?P<label>{_alternation(data['meta_words'])})"),
    )


# ---------------------------------------------------------------------------
# Numbers and validity


def _cn_int(s: str) -> int | None:
    """ASCII digits, digit-by-digit Chinese (二〇二四) or positional Chinese up to 39 (二十一)."""
    if s.isascii():
        return int(s) if s.isdigit() else None
    if all(c in _CN_DIGITS for c in s):
        value = 0
        for c in s:
            value = value * 10 + _CN_DIGITS[c]
        return value
    s = s.replace("廿", "二十").replace("卅", "三十")
    head, ten, tail = s.partition("十")
    if not ten or len(head) > 1 or len(tail) > 1 or (head and head not in _CN_DIGITS) or "十" in tail:
        return None
    tens = _CN_DIGITS[head] if head else 1
    units = _CN_DIGITS.get(tail, -1) if tail else 0
    return None if tens == 0 or units < 0 else tens * 10 + units


def _days_in(year: int | None, month: int) -> int:
    # Without a year, 2月29日 may still be a date (of a leap year).
    return calendar.monthrange(2024 if year is None else year, month)[1]


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        return False
    if month is None:
        return day is not None and 1 <= day <= 31
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= _days_in(year, month)


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# Finding


@dataclass
class _Parts:
    """A date head being assembled, before the range tail and suffix are looked at."""

    year: int | None
    month: int | None
    day: int | None
    end: int
    need_tail: bool = False
    fallback_end: int | None = None  # where a year-month date ends when its trailing day turns out not to be one
    relative_days: int | None = None
    anchor: str = "reference"
    year_offset: int | None = None
    weekday: int | None = None
    week_offset: int | None = None


def _month_end(norm: str, m: re.Match[str], group: str) -> int:
    return norm.index("月", m.end(group)) + 1


def _from_ymd(norm: str, m: re.Match[str], lex: _Lexicon) -> _Parts | None:
    year, month = _cn_int(m["y"]), _cn_int(m["m"])
    day = _cn_int(m["d"]) if m["d"] else None
    if day is None:
        return _Parts(year, month, None, m.end())
    parts = _Parts(year, month, day, m.end(), need_tail=m["dsuf"] is None, fallback_end=_month_end(norm, m, "m"))
    return parts


def _from_iso(norm: str, m: re.Match[str], lex: _Lexicon) -> _Parts | None:
    return _Parts(int(m["iy"]), int(m["im"]), int(m["id"]), m.end())


def _from_md(norm: str, m: re.Match[str], lex: _Lexicon) -> _Parts | None:
    offset = lex.years[m["ry"]] if m["ry"] else None
    month = _cn_int(m["mm"])
    if m["md_d"] is None:  # 去年12月: a month only with a relative year; bare 3月 is too often a quantity
        return _Parts(None, month, None, m.end(), year_offset=offset) if offset is not None else None
    return _Parts(None, month, _cn_int(m["md_d"]), m.end(), need_tail=m["mdsuf"] is None, year_offset=offset)


def _quantity_context(norm: str, start: int, end: int, lex: _Lexicon) -> bool:
    """第3日, 连续3日, 18日元: a number of days or a currency, not a day of the month."""
    before = norm[max(0, start - 4) : start].rstrip(" \u3000")
    if before.endswith(lex.day_before) or (before[-1:] == "续"):
        return True
    return norm.startswith(lex.day_after, end)


def _from_day(norm: str, m: re.Match[str], lex: _Lexicon) -> _Parts | None:
    if _quantity_context(norm, m.start(), m.end(), lex):
        return None
    return _Parts(None, None, _cn_int(m["dd"]), m.end(), need_tail=m["dosuf"] is None)


def _excluded(norm: str, start: int, word: str, lex: _Lexicon) -> bool:
    return any(norm.startswith(phrase, start - at) for at, phrase in lex.exclusions.get(word, ()) if start >= at)


def _from_relative(norm: str, m: re.Match[str], lex: _Lexicon) -> _Parts | None:
    word = m["rel"]
    if _excluded(norm, m.start(), word, lex):
        return None
    if word in lex.anaphoric:
        return _Parts(None, None, None, m.end(), relative_days=lex.anaphoric[word], anchor="previous")
    return _Parts(None, None, None, m.end(), relative_days=lex.relative[word])


def _from_week(norm: str, m: re.Match[str], lex: _Lexicon) -> _Parts | None:
    return _Parts(None, None, None, m.end(), weekday=lex.weekdays[m["wkd"]], week_offset=lex.week_prefixes[m["wkp"]])


_BUILDERS = {
    "ymd": _from_ymd,
    "iso": _from_iso,
    "md": _from_md,
    "do": _from_day,
    "rel": _from_relative,
    "wk": _from_week,
}


def _range_end(norm: str, parts: _Parts, limit: int, lex: _Lexicon) -> tuple[int, int | None, int | None, int] | None:
    """The written end of a range after ``parts`` (至25日, 至4月2日, 至2025年1月2日), completed from the start."""
    t = lex.tail.match(norm, parts.end, limit)
    if t is None:
        return None
    year = _cn_int(t["ty"]) if t["ty"] else parts.year
    month = _cn_int(t["tm"]) if t["tm"] else parts.month
    day = _cn_int(t["td"])
    if day is None:
        return None
    start_key = (parts.month or 0, parts.day or 0)
    if month is not None and t["ty"] is None and year is not None and (month, day) < start_key:
        year += 1  # 2024年12月30日至1月2日
    if not _valid(year, month, day):
        return None
    if parts.month is not None and t["tm"] is None and day <= (parts.day or 0):
        return None  # 3月25日至23日 is not a range (but 30日至2日 runs into the next month)
    return t.end(), year, month, day


def _publish_line(norm: str, start: int, end: int, lex: _Lexicon) -> tuple[bool, str | None]:
    """Whether the mention sits on a publish line or dateline, and the label that says so."""
    line_start = norm.rfind("\n", max(0, start - _MAX_META_LINE), start)
    if line_start < 0 and start > _MAX_META_LINE:
        return False, None
    line_end = norm.find("\n", end, end + _MAX_META_LINE)
    if line_end < 0 and len(norm) - end > _MAX_META_LINE:
        return False, None
    line = norm[line_start + 1 : line_end if line_end >= 0 else len(norm)]
    if "。" in line:
        return False, None
    labelled = lex.label.search(norm, line_start + 1, start)
    if labelled:
        return True, labelled["label"]
    meta = lex.meta.search(line)
    if meta:
        return True, meta["label"]
    return _dateline(line, norm[start:end]), None


def _dateline(line: str, date: str) -> bool:
    """A line that is just the date, or a short unpunctuated line with the date at one edge.

    Datelines come alone (``（2024年3月18日）``) or with the issuing office
    (``某某区人民政府　2024-11-25``, ``二〇二四年十月十七日　文/宣传部``); a sentence with a comma is body text.
    """
    bare = line.strip(_DATELINE_STRIP)
    if bare == date:
        return True
    if len(bare) > _MAX_DATELINE or any(p in bare for p in _SENTENCE_PUNCT):
        return False
    if bare.endswith(date):
        return bare[-len(date) - 1] in _DATELINE_GAP
    return bare.startswith(date) and bare[len(date)] in _DATELINE_GAP


def _mention(text: str, norm: str, m: re.Match[str], limit: int, lex: _Lexicon) -> DateMention | None:
    """The mention of head match ``m``, or None when it is not a date after all."""
    parts = _BUILDERS[m.lastgroup or ""](norm, m, lex)
    if parts is None:
        return None
    relative = parts.relative_days is not None or parts.weekday is not None
    if not relative and not _valid(parts.year, parts.month, parts.day):
        return None
    end_fields: tuple[int | None, int | None, int | None] = (None, None, None)
    if parts.day is not None and m.lastgroup != "iso":
        tail = _range_end(norm, parts, limit, lex)
        if tail is not None:
            parts.end, end_fields = tail[0], tail[1:]
        elif parts.need_tail:
            if parts.fallback_end is None:
                return None
            parts.day, parts.end = None, parts.fallback_end
    suffix = lex.suffix.match(norm, parts.end, limit)
    time = None
    if suffix and suffix.end() > parts.end:
        parts.end = suffix.end()
        time = "".join(g for g in (suffix["tod"], suffix["clock"]) if g) or None
    start = m.start()
    kind, label = "relative", None
    if not relative:
        publish, label = _publish_line(norm, start, parts.end, lex)
        kind = "publish" if publish else "text"
    return DateMention(
        start, parts.end, text[start : parts.end], parts.year, parts.month, parts.day,
        *end_fields, relative_days=parts.relative_days, kind=kind, anchor=parts.anchor,
        year_offset=parts.year_offset, weekday=parts.weekday, week_offset=parts.week_offset, time=time, label=label,
    )  # fmt: skip


def find_dates(text: str) -> list[DateMention]:
    """Every date expression of ``text``, in text order and non-overlapping.

    A cheap two-character cue finds where a head may start; each head is checked (valid day for its month, not
    a quantity such as 第3日 or 18日元), then extended by a range end and by a weekday,
    part of day or clock time written after it. A candidate that fails is skipped whole,
    so the scan stays linear in the length of the text.
    """
    if not text:
        return []
    lex = _lexicon()
    norm = text.translate(_FOLD)
    found: list[DateMention] = []
    pos, limit = 0, len(norm)
    while True:
        cue = lex.cue.search(norm, pos)
        if cue is None:
            return found
        m = lex.head.match(norm, cue.start())
        mention = _mention(text, norm, m, limit, lex) if m is not None else None
        if mention is None:
            pos = cue.start() + 1 if m is None else max(m.end(), cue.start() + 1)
        else:
            found.append(mention)
            pos = mention.end


def article_date(text: str) -> tuple[datetime.date | None, DateMention | None]:
    """The article's own date and the mention it was read from, or ``(None, None)``.

    A publish label (发布时间：, 发布日期：…) anywhere wins; otherwise the first full date of
    the first lines that follows a bare 时间：/日期：, stands alone on its line (a dateline) or
    sits next to 来源/作者/编辑/浏览. A bare 时间： further down is an event's ("时间：3月20日
    地点：…"), not the article's.
    Never today's date: an article without one has none.
    """
    mentions = [m for m in find_dates(text) if m.kind == "publish" and m.is_full]
    lex = _lexicon()
    for m in mentions:
        if m.label in lex.explicit_labels:
            return datetime.date(m.year, m.month, m.day), m  # type: ignore[arg-type]
    top = _top_lines_end(text, _DATELINE_LINES)
    for m in mentions:
        if m.start < top:
            return datetime.date(m.year, m.month, m.day), m  # type: ignore[arg-type]
    return None, None


def _top_lines_end(text: str, lines: int) -> int:
    """The offset just after the first ``lines`` non-empty lines."""
    pos, seen = 0, 0
    while seen < lines:
        nl = text.find("\n", pos)
        if nl < 0:
            return len(text)
        if text[pos:nl].strip():
            seen += 1
        pos = nl + 1
    return pos


# ---------------------------------------------------------------------------
# Resolving


def _month_shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _nearest_year(reference: datetime.date, month: int, day: int) -> datetime.date | None:
    """The latest of last, this and next year's month/day that is not far after the reference."""
    for year in (reference.year + 1, reference.year, reference.year - 1):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate <= reference + _FUTURE_WINDOW:
            return candidate
    return None


def _day_in_month(reference: datetime.date, day: int) -> datetime.date | None:
    """A bare 18日: this month's, unless that is more than a few days ahead, then an earlier month's."""
    for back in range(3):
        year, month = _month_shift(reference.year, reference.month, -back)
        candidate = _safe_date(year, month, day)
        if candidate is None or (back == 0 and candidate > reference + datetime.timedelta(days=_FUTURE_DAYS_DAY_ONLY)):
            continue
        return candidate
    return None


def _start_date(mention: DateMention, reference: datetime.date | None, hint: int | None) -> datetime.date | None:
    month, day = mention.month, mention.day
    if month is None:
        return _day_in_month(reference, day) if reference is not None and day is not None else None
    year = mention.year
    if year is None and mention.year_offset is not None:
        base = reference.year if reference is not None else hint
        year = None if base is None else base + mention.year_offset
    if year is not None:
        return _safe_date(year, month, day or 1)
    if reference is not None:
        return _nearest_year(reference, month, day or 1)
    return _safe_date(hint, month, day or 1) if hint is not None else None


def _end_date(mention: DateMention, start: datetime.date) -> datetime.date | None:
    if mention.end_day is None:
        if mention.day is None:  # a month: its last day, so that the span says "some day in March"
            return datetime.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
        return None
    year = mention.end_year if mention.end_year is not None else start.year
    month = mention.end_month or start.month
    end = _safe_date(year, month, mention.end_day)
    if end is not None and end < start and mention.end_year is None:
        if mention.end_month:
            end = _safe_date(year + 1, month, mention.end_day)  # 12月30日至1月2日
        else:
            y2, m2 = _month_shift(year, month, 1)
            end = _safe_date(y2, m2, mention.end_day)
    return end


def _relative_date(mention: DateMention, reference: datetime.date) -> datetime.date:
    if mention.relative_days is not None:
        return reference + datetime.timedelta(days=mention.relative_days)
    monday = reference - datetime.timedelta(days=reference.weekday())
    return monday + datetime.timedelta(days=7 * (mention.week_offset or 0) + (mention.weekday or 0))


def resolve(
    mention: DateMention, reference: datetime.date | None, *, year: int | None = None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The calendar dates ``(start, end)`` of ``mention``; ``end`` is None unless it spans days.

    A full date is itself. A date without year takes the reference's year, or the
    previous year when that would put it more than ~2 months after the reference (an
    article of 2024-01-05 saying 12月28日 means 2023-12-28); a bare day takes the
    reference's month the same way. Relative words count from the reference. ``year``
    (a user's hint) fills the year only when there is no reference. A month alone
    resolves to its first and last day. Without anything to resolve from: ``(None, None)``.
    """
    if mention.relative_days is not None or mention.weekday is not None:
        return (_relative_date(mention, reference), None) if reference is not None else (None, None)
    start = _start_date(mention, reference, year)
    if start is None:
        return None, None
    return start, _end_date(mention, start)


def resolve_all(
    mentions: list[DateMention], reference: datetime.date | None, *, year: int | None = None
) -> list[tuple[datetime.date | None, datetime.date | None]]:
    """``resolve`` for mentions in text order, with 当天/次日 counted from the date mentioned before them."""
    resolved: list[tuple[datetime.date | None, datetime.date | None]] = []
    previous: datetime.date | None = None
    for mention in mentions:
        anchor = previous if mention.anchor == "previous" and previous is not None else reference
        dates = resolve(mention, anchor, year=year)
        resolved.append(dates)
        if dates[0] is not None and (mention.day is not None or mention.kind == "relative"):
            previous = dates[1] or dates[0]  # after 3月23日至25日, 次日 is the 26th
    return resolved


def parse_date_hint(value: str | datetime.date | None) -> datetime.date | int | None:
    """A user's ``--date`` hint: ``"2024"`` is a year, ``"2024-03-18"`` (or ``2024年3月18日``) a date.

    Raises ``ValueError`` for anything else, so that a typo is reported instead of ignored.
    """
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    s = str(value).strip().translate(_FOLD)
    if not s:
        return None
    if re.fullmatch(r"[0-9]{4}", s) and MIN_YEAR <= int(s) <= MAX_YEAR:
        return int(s)
    if re.fullmatch(r"[0-9]{8}", s):
        found = _safe_date(int(s[:4]), int(s[4:6]), int(s[6:]))
        if found is not None and MIN_YEAR <= found.year <= MAX_YEAR:
            return found
    mentions = find_dates(s)
    if len(mentions) == 1 and mentions[0].is_full and not mentions[0].is_range and mentions[0].text == s:
        m = mentions[0]
        return datetime.date(m.year, m.month, m.day)  # type: ignore[arg-type]
    raise ValueError(f"not a year or a date: {value!r} (give e.g. 2024 or 2024-03-18)")
