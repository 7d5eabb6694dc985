"""Dates of news text: ``zh_invest_ner.text.dates`` against dateparser, and Chinese numerals by hand against cn2an.

Why this exists: meeting records need the meeting's date, and two libraries were proposed
for parts of the job. ``dateparser`` reads dates in many languages (and reads 昨天 relative
to today unless told otherwise); ``cn2an`` converts Chinese numerals. This measures both
on the same expressions as our module, so the choice is made by figures.

The expressions are generated here from templates (our own sentences and names), each with
the date it must resolve to given a reference date (the article's date): full dates in
every written form, dates without year (with year rollover), bare days, months, ranges,
relative days and weeks, full-width digits, and sentences with no date at all. Systems:

- ours: ``find_dates`` on the sentence, then ``resolve`` of the first mention;
- ``dateparser.search_dates`` on the sentence, and ``dateparser.parse`` on the bare
  expression (its best case), both with ``languages=["zh"]`` and ``RELATIVE_BASE`` = the
  reference, ``PREFER_DATES_FROM="past"``.

A result is right when its start date equals the expected one (for a month alone: the same
year and month), and for a sentence without date when nothing is found; "with end" also
requires a range's end (dateparser has no ranges). Speed: expressions per second, medians
over interleaved rounds.

    python benchmarks/dates.py [--rounds 5] [--per-template 12] [--seed 0]
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import importlib.metadata
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from zh_invest_ner.text.dates import _cn_int, find_dates, resolve

D = dt.date
CN = "〇一二三四五六七八九"
FULL = str.maketrans("0123456789-", "０１２３４５６７８９－")
WEEKDAYS = "一二三四五六日"
SENTENCES = (
    "{e}，临川市市长柯明远会见了澜汐科技董事长祁志远一行。",
    "副省长韩启东{e}在省政府会见了嘉禾集团总裁林晓川。",
    "据悉，{e}，双方就储能项目签署了合作协议。",
    "{e}，区委书记蒋文博带队考察远帆新能源公司。",
)
NON_DATES = (
    "日前，市长会见了客人。",
    "近日，双方达成合作共识。",
    "连日来，工作组深入企业调研。",
    "节日期间，市场供应充足。",
    "日本企业代表团来访临川。",
    "日照市副市长出席签约活动。",
    "每日新增订单三百余份。",
    "3月份的营收同比增长12.5%。",
    "该项目投资18日元。",
    "第3日，考察团离开临川。",
    "连续3日举行座谈会。",
    "咨询电话010-6552-1234。",
    "热线0755-2345-6789全天开通。",
    "2024年度工作报告审议通过。",
    "公司2024年报显示营收增长。",
    "软件升级到1.2.3版本。",
    "股价报收12.5元。",
    "详见https://news.example.cn/2024-03-18/a.html页面。",
    "原文见http://example.cn/2024/03/18/b.shtml。",
    "今日头条报道了此事。",
    "一日游线路已经开通。",
    "三日内完成审批手续。",
    "今年一季度营收增长。",
    "工作时间为周一至周五。",
    "项目总投资2024万元。",
    "2月30日，会见举行。",
    "1900年3月5日，公司成立。",
    "该园区占地3.18平方公里。",
    "签约项目18个，总额12.5亿元。",
    "生日当天，员工收到祝福。",
)


@dataclass(frozen=True)
class Case:
    sentence: str
    expression: str
    reference: D
    start: D | None  # None: the sentence has no date
    end: D | None = None
    month_only: bool = False
    group: str = ""


# ---------------------------------------------------------------------------
# Writing dates


def cn_number(n: int) -> str:
    """1–31 the way dates write them: 三, 十, 十八, 二十, 二十一, 三十一."""
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN[tens] + "十")
    return head + (CN[units] if units else "") if n >= 10 else CN[n]


def cn_year(y: int) -> str:
    return "".join(CN[int(c)] for c in str(y))


def random_date(rng: random.Random, lo: int = 2015, hi: int = 2025) -> D:
    start = D(lo, 1, 1).toordinal()
    return D.fromordinal(rng.randrange(start, D(hi, 12, 31).toordinal()))


def after(rng: random.Random, d: D, lo: int, hi: int) -> D:
    return d + dt.timedelta(days=rng.randint(lo, hi))


def _full(rng: random.Random) -> list[tuple[str, D, D, D | None, bool]]:
    """(expression, reference, start, end, month_only) of every full-date form."""
    d = random_date(rng)
    ref = after(rng, d, 0, 400)
    y, m, day = d.year, d.month, d.day
    return [
        (f"{y}年{m}月{day}日", ref, d, None, False),
        (f"{y}年{m:02d}月{day:02d}日", ref, d, None, False),
        (f"{cn_year(y)}年{cn_number(m)}月{cn_number(day)}日", ref, d, None, False),
        (f"{cn_year(y).replace('〇', '零')}年{cn_number(m)}月{cn_number(day)}日", ref, d, None, False),
        (f"{y}-{m:02d}-{day:02d}", ref, d, None, False),
        (f"{y}/{m}/{day}", ref, d, None, False),
        (f"{y}.{m:02d}.{day:02d}", ref, d, None, False),
        (f"{y}-{m:02d}-{day:02d} {rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}", ref, d, None, False),
        (f"{y}年{m}月{day}日".translate(FULL), ref, d, None, False),
        (f"{y}年{m}月", ref, D(y, m, 1), None, True),
    ]


def _no_year(rng: random.Random) -> list[tuple[str, D, D, D | None, bool]]:
    d = random_date(rng)
    ref = after(rng, d, 0, 40)
    late = D(rng.randint(2015, 2024), 12, rng.randint(20, 31))
    late_ref = D(late.year + 1, 1, rng.randint(2, 15))  # year rollover: January news of late December
    m, day = d.month, d.day
    part = rng.choice(["上午", "下午", "晚"])
    return [
        (f"{m}月{day}日", ref, d, None, False),
        (f"{cn_number(m)}月{cn_number(day)}日", ref, d, None, False),
        (f"{m}月{day}日{part}", ref, d, None, False),
        (f"{late.month}月{late.day}日", late_ref, late, None, False),
        (f"{day}日", after(rng, d, 0, 24), d, None, False),
    ]


def _ranges(rng: random.Random) -> list[tuple[str, D, D, D | None, bool]]:
    d = random_date(rng)
    last = calendar.monthrange(d.year, d.month)[1]
    d = d.replace(day=min(d.day, last - 4))
    e = d + dt.timedelta(days=rng.randint(1, 4))
    ref = after(rng, e, 0, 30)
    cross = D(d.year, d.month, last) - dt.timedelta(days=rng.randint(0, 2))
    cross_end = cross + dt.timedelta(days=rng.randint(2, 4))
    return [
        (f"{d.month}月{d.day}日至{e.day}日", ref, d, e, False),
        (f"{d.month}月{d.day}日-{e.day}日", ref, d, e, False),
        (f"{d.month}月{d.day}—{e.day}日", ref, d, e, False),
        (f"{cross.month}月{cross.day}日至{cross_end.month}月{cross_end.day}日", after(rng, cross_end, 0, 30), cross,
         cross_end, False),
        (f"{d.year}年{d.month}月{d.day}日至{e.day}日", ref, d, e, False),
    ]  # fmt: skip


def _relative(rng: random.Random) -> list[tuple[str, D, D, D | None, bool]]:
    ref = random_date(rng)
    words = [("昨天", -1), ("昨日", -1), ("前天", -2), ("今天", 0), ("今日", 0), ("明天", 1)]
    out = [(w, ref, ref + dt.timedelta(days=k), None, False) for w, k in rng.sample(words, 3)]
    wd = rng.randrange(7)
    monday = ref - dt.timedelta(days=ref.weekday())
    out.append((f"上周{WEEKDAYS[wd]}", ref, monday + dt.timedelta(days=wd - 7), None, False))
    return out


GENERATORS: dict[str, Callable[[random.Random], list[tuple[str, D, D, D | None, bool]]]] = {
    "full date": _full,
    "no year": _no_year,
    "range": _ranges,
    "relative": _relative,
}


def make_cases(per_template: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    cases: list[Case] = []
    for group, make in GENERATORS.items():
        for _ in range(per_template):
            for expr, ref, start, end, month_only in make(rng):
                sentence = rng.choice(SENTENCES).format(e=expr)
                cases.append(Case(sentence, expr, ref, start, end, month_only, group))
    for sentence in NON_DATES:
        cases.append(Case(sentence, "", D(2024, 3, 18), None, group="no date"))
    return cases


# ---------------------------------------------------------------------------
# Systems


def ours(case: Case) -> tuple[D | None, D | None]:
    found = find_dates(case.sentence)
    return resolve(found[0], case.reference) if found else (None, None)


def _dp_settings(case: Case) -> dict:
    return {"RELATIVE_BASE": dt.datetime.combine(case.reference, dt.time()), "PREFER_DATES_FROM": "past"}


def dp_search(case: Case) -> tuple[D | None, D | None]:
    from dateparser.search import search_dates

    found = search_dates(case.sentence, languages=["zh"], settings=_dp_settings(case))
    return (found[0][1].date(), None) if found else (None, None)


def dp_parse(case: Case) -> tuple[D | None, D | None]:
    import dateparser

    text = case.expression or case.sentence
    got = dateparser.parse(text, languages=["zh"], settings=_dp_settings(case))
    return (got.date(), None) if got else (None, None)


SYSTEMS = {
    "ours (sentence)": ours,
    "dateparser.search_dates (sentence)": dp_search,
    "dateparser.parse (bare)": dp_parse,
}


def right(case: Case, got: tuple[D | None, D | None], with_end: bool) -> bool:
    start, end = got
    if case.start is None:
        return start is None
    if start is None:
        return False
    if case.month_only:
        ok = (start.year, start.month) == (case.start.year, case.start.month)
    else:
        ok = start == case.start
    return ok and (not with_end or case.end is None or end == case.end)


# ---------------------------------------------------------------------------
# Chinese numerals


def numeral_cases() -> list[tuple[str, int]]:
    """What dates need: years digit by digit (二〇二四, 一九四九), months and days 1–31 (十八, 二十一)."""
    years = [(cn_year(y), y) for y in range(1949, 2101)]
    years += [(cn_year(y).replace("〇", "零"), y) for y in range(2000, 2031)]
    return years + [(cn_number(n), n) for n in range(1, 32)] + [("廿一", 21), ("廿", 20)]


def cn2an_convert(mode: str) -> Callable[[str], int | None]:
    import cn2an

    def convert(s: str) -> int | None:
        try:
            return int(cn2an.cn2an(s, mode))
        except (ValueError, KeyError, TypeError):
            return None

    return convert


def import_seconds(module: str, rounds: int) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True) for _ in range(rounds)]
    times = [float(r.stdout) for r in runs]
    return statistics.median(times)


def requires(package: str) -> str:
    try:
        return ", ".join(importlib.metadata.requires(package) or []) or "-"
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


# ---------------------------------------------------------------------------


def _timed(fn: Callable, items: list) -> float:
    t0 = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - t0


def bench_dates(cases: list[Case], rounds: int) -> None:
    times: dict[str, list[float]] = {name: [] for name in SYSTEMS}
    for fn in SYSTEMS.values():  # warm up: dateparser loads its language data on first use
        fn(cases[0])
    for _ in range(rounds):
        for name, fn in SYSTEMS.items():
            times[name].append(_timed(fn, cases))
    results = {name: [fn(c) for c in cases] for name, fn in SYSTEMS.items()}
    groups = sorted({c.group for c in cases}, key=[*GENERATORS, "no date"].index)
    n = len(cases)
    print(f"\n{n} expressions ({n - len(NON_DATES)} dates, {len(NON_DATES)} sentences without date), {rounds} rounds\n")
    print("| system | " + " | ".join(groups) + " | all | all, with range ends | expressions/s |")
    print("|---" * (len(groups) + 4) + "|")
    base = statistics.median(times["ours (sentence)"])
    for name in SYSTEMS:
        cells = []
        for g in groups:
            idx = [i for i, c in enumerate(cases) if c.group == g]
            cells.append(f"{sum(right(cases[i], results[name][i], False) for i in idx) / len(idx):.1%}")
        acc = sum(right(c, r, False) for c, r in zip(cases, results[name], strict=True)) / n
        acc_end = sum(right(c, r, True) for c, r in zip(cases, results[name], strict=True)) / n
        med = statistics.median(times[name])
        ratio = "" if med == base else f" ({med / base:.0f}× slower)"
        print(f"| {name} | " + " | ".join(cells) + f" | {acc:.1%} | {acc_end:.1%} | {n / med:,.0f}{ratio} |")
    wrong = [(c.expression or c.sentence, r) for c, r in zip(cases, results["ours (sentence)"], strict=True)]
    misses = [w for w, c in zip(wrong, cases, strict=True) if not right(c, w[1], True)]
    print(f"\nours wrong: {len(misses)}", *(f"  {e!r} -> {r}" for e, r in misses[:10]), sep="\n")


def bench_numerals(rounds: int) -> None:
    items = numeral_cases()
    converters: dict[str, Callable[[str], int | None]] = {"by hand (_cn_int)": _cn_int}
    try:
        converters["cn2an smart"] = cn2an_convert("smart")
        converters["cn2an strict"] = cn2an_convert("strict")
    except ImportError:
        print("cn2an not installed: pip install cn2an")
    times: dict[str, list[float]] = {name: [] for name in converters}
    for _ in range(rounds):
        for name, fn in converters.items():
            times[name].append(_timed(fn, [s for s, _ in items]))
    print(f"\n{len(items)} Chinese numerals of dates (years 1949–2100 digit by digit, 1–31), {rounds} rounds\n")
    print("| converter | right | conversions/s | import s | pulls |")
    print("|---|---|---|---|---|")
    for name, fn in converters.items():
        ok = sum(fn(s) == v for s, v in items) / len(items)
        imp = "0" if name.startswith("by hand") else f"{import_seconds('cn2an', 3):.3f}"
        pulls = "-" if name.startswith("by hand") else requires("cn2an")
        print(f"| {name} | {ok:.1%} | {len(items) / statistics.median(times[name]):,.0f} | {imp} | {pulls} |")
    print(f"\ndateparser import s: {import_seconds('dateparser', 3):.3f}; pulls: {requires('dateparser')}")


def bench_articles(rounds: int) -> None:
    paragraph = "临川市市长柯明远会见了澜汐科技集团董事长祁志远一行，双方就新能源项目交换了意见，日本客商出席。\n"
    free = paragraph * (5000 // len(paragraph))
    dense = "2024年3月18日，市长会见了客人；次日，双方签约。\n" * (5000 // 26)
    for label, text in (("date-free", free), ("one date every 26 chars", dense)):
        find_dates(text)
        med = statistics.median(_timed(find_dates, [text]) for _ in range(max(rounds, 5) * 4))
        paragraphs = text.count("\n")
        print(
            f"find_dates, {len(text):,} chars {label}: {med * 1000:.3f} ms"
            f" ({med * 1e6 / paragraphs:.1f} µs a paragraph, {len(text) / med:,.0f} chars/s)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--per-template", type=int, default=12)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    try:
        import dateparser  # noqa: F401
    except ImportError:
        sys.exit("pip install dateparser cn2an")
    bench_dates(make_cases(args.per_template, args.seed), args.rounds)
    bench_numerals(args.rounds)
    print()
    bench_articles(args.rounds)


if __name__ == "__main__":
    main()
