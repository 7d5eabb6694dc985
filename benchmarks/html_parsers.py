"""HTML parsers for ``zh_invest_ner.text.html.extract_html``: speed side by side, and agreement.

Why this exists: the package needs one HTML parser as a core dependency. Both candidates
(selectolax with its lexbor backend, and lxml) go through the same scanner, alignment and
layout, so this measures what choosing one costs per page and whether they give the same
article text.

Pages are generated here (our own invented names and companies), ~200 of them and varied:
portal pages with navigation, breadcrumbs, scripts and footers, plain articles full of
entities, pages with data tables, fragments, and a few malformed ones. Each round times
every parser over all pages, parsers interleaved round by round; figures are medians over
the rounds.

    python benchmarks/html_parsers.py [--pages 200] [--rounds 7] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from zh_invest_ner.text.html import HTML_PARSERS, extract_html

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭"
    "吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇浩然子涵欣怡雨桐思远建国海燕"
PLACES = ["临江市", "青溪县", "南湖区", "云川省", "北岭市", "东港开发区", "西山新区", "安平市"]
OFFICIAL_TITLES = ["市委书记", "市长", "副市长", "区委书记", "县长", "省委常委", "开发区管委会主任"]
EXEC_TITLES = ["董事长", "总经理", "总裁", "首席执行官", "副总裁", "创始人"]
FIRM_HEADS = ["华瑞", "蓝湾", "星辰", "恒远", "金穗", "远航", "泰和", "博雅", "中科创", "海纳"]
FIRM_TAILS = ["科技有限公司", "新能源股份有限公司", "集团有限公司", "智能制造有限公司", "生物医药有限公司"]
TOPICS = ["新能源汽车", "半导体", "数字经济", "生物医药", "智能制造", "现代物流", "文旅融合", "绿色低碳"]
VERBS = ["会见了", "会见", "考察调研", "座谈交流", "见证签约"]
ENTITIES = ["&nbsp;", "&ldquo;", "&rdquo;", "&amp;", "&#x4E2D;", "&#22269;", "&middot;", "&mdash;", "&hellip;"]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def firm(rng: random.Random) -> str:
    return rng.choice(FIRM_HEADS) + rng.choice(FIRM_TAILS)


def sentence(rng: random.Random, entities: bool) -> str:
    """One meeting sentence, marked up inline the way news sites do it."""
    official = f"{rng.choice(PLACES)}{rng.choice(OFFICIAL_TITLES)}<b>{person(rng)}</b>"
    executive = f"<a href=\"/company/{rng.randrange(999)}\">{firm(rng)}</a>{rng.choice(EXEC_TITLES)}{person(rng)}"
    topic = rng.choice(TOPICS)
    if entities:
        topic = f"&ldquo;{topic}&rdquo;"
    tail = "，双方就" + topic + "项目合作进行了深入交流。"
    if rng.random() < 0.3:
        tail += "\n        " + rng.choice(("会议在市政府举行", "签约仪式在会展中心举行")) + "。"
    return f"{official}{rng.choice(VERBS)}{executive}{tail}"


def paragraph(rng: random.Random, entities: bool) -> str:
    body = "".join(sentence(rng, entities) for _ in range(rng.randint(1, 4)))
    if entities and rng.random() < 0.5:
        body = "&nbsp;&nbsp;&nbsp;&nbsp;" + body + rng.choice(ENTITIES)
    indent = "\u3000\u3000" if rng.random() < 0.3 else ""
    return f"<p class=\"{rng.choice(('text', 'content-p', ''))}\">{indent}{body}</p>\n"


def script(rng: random.Random) -> str:
    code = "\n".join(f"  var v{i} = '<div class=\"x\">' + {i} * 2 < 3 && ready();" for i in range(rng.randint(5, 80)))
    return f"<script type=\"text/javascript\">\n{code}\n</script>\n"


def style(rng: random.Random) -> str:
    rules = "\n".join(f".c{i} > p {{ margin: {i}px; color: #333; }}" for i in range(rng.randint(5, 60)))
    return f"<style>\n{rules}\n</style>\n"


def nav(rng: random.Random) -> str:
    links = "".join(f"<li><a href=\"/col/{i}\">栏目{i}</a></li>" for i in range(rng.randint(8, 40)))
    return f"<div class=\"{rng.choice(('main-nav', 'navbar', 'topMenu'))}\"><ul>{links}</ul></div>\n"


def table(rng: random.Random) -> str:
    rows = "".join(
        f"<tr><td>{firm(rng)}</td><td>{person(rng)}</td><td>{rng.randint(1, 99)}&nbsp;亿元</td></tr>\n"
        for _ in range(rng.randint(2, 12))
    )
    return f"<table class=\"data\"><tr><th>企业</th><th>负责人</th><th>投资额</th></tr>\n{rows}</table>\n"


def portal_page(rng: random.Random) -> str:
    """A government or portal news page: most of its bytes are not the article."""
    head = "".join(script(rng) if rng.random() < 0.6 else style(rng) for _ in range(rng.randint(1, 6)))
    title = f"{person(rng)}会见{firm(rng)}客人_{rng.choice(PLACES)}人民政府"
    h1 = f"<h1>{title.split('_')[0]}</h1>\n" if rng.random() < 0.7 else ""
    article = "".join(paragraph(rng, rng.random() < 0.5) for _ in range(rng.randint(3, 25)))
    if rng.random() < 0.3:
        article += table(rng)
    crumbs = "<div class=\"breadcrumb\"><a href=\"/\">首页</a> &gt; <a href=\"/news\">要闻</a></div>\n"
    side = "<div class=\"sidebar\"><h3>热点</h3><ul>" + "".join(
        f"<li><a href=\"/n/{i}\">{person(rng)}调研{rng.choice(TOPICS)}</a></li>" for i in range(rng.randint(3, 15))
    ) + "</ul></div>\n"
    share = "<div class=\"share-box\"><a>微信</a><a>微博</a></div>\n"
    footer = f"<footer><p>版权所有 &copy; {rng.choice(PLACES)}人民政府 备案号 {rng.randrange(10**7)}</p></footer>\n"
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{title}</title>\n{head}</head>\n"
        f"<body>\n{nav(rng)}{crumbs}<div class=\"main\"><div class=\"article\">\n{h1}"
        f"<div class=\"info\">来源：{rng.choice(PLACES)}日报 &nbsp; "
        f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}</div>\n"
        f"{article}</div>{side}</div>\n{share}{script(rng)}{footer}</body>\n</html>\n"
    )


def plain_article(rng: random.Random) -> str:
    """A bare article page: no furniture, entities in most paragraphs."""
    paras = "".join(paragraph(rng, True) for _ in range(rng.randint(2, 12)))
    return f"<html><head><title>{firm(rng)}动态</title></head><body><div class=\"content\">{paras}</div></body></html>"


def fragment(rng: random.Random) -> str:
    """What a scraper keeps of a page: the article's inner HTML."""
    return "".join(paragraph(rng, rng.random() < 0.5) for _ in range(rng.randint(1, 6))) + "<br><br>" + sentence(
        rng, False
    )


def malformed(rng: random.Random) -> str:
    """Unclosed and misnested tags, a stray '<', text directly in a table, an open comment."""
    page = portal_page(rng)
    cut = rng.randrange(len(page) // 2, len(page))
    extra = rng.choice(
        (
            "<table><tr><td>甲</td></tr>营收<10%的企业</table>",
            "<b><p>误嵌套的段落</b>继续</p>",
            "<div class=\"x\" title=\"未闭合>文字",
            "<!-- 未结束的注释 <p>看不见</p>",
        )
    )
    return page[:cut] + extra + page[cut:].replace("</p>", "", 3)


KINDS = ((portal_page, 0.55), (plain_article, 0.2), (fragment, 0.15), (malformed, 0.1))


def make_pages(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    makers, weights = zip(*KINDS, strict=True)
    return [rng.choices(makers, weights)[0](rng) for _ in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    pages = make_pages(args.pages, args.seed)
    mb = sum(len(p.encode("utf-8")) for p in pages) / 1e6
    median = statistics.median(map(len, pages))
    print(f"{len(pages)} pages, {mb:.2f} MB of HTML (UTF-8), median page {median:,.0f} chars")

    results = {name: [extract_html(p, parser=name) for p in pages] for name in HTML_PARSERS}  # warm-up
    seconds: dict[str, list[float]] = {name: [] for name in HTML_PARSERS}
    for r in range(args.rounds):
        order = HTML_PARSERS if r % 2 == 0 else HTML_PARSERS[::-1]
        for name in order:
            start = time.perf_counter()
            for page in pages:
                extract_html(page, parser=name)
            seconds[name].append(time.perf_counter() - start)

    print(f"\nmedians of {args.rounds} interleaved rounds")
    print("| parser | s per round | pages/s | MB/s | ms per page |")
    print("|---|---|---|---|---|")
    med = {name: statistics.median(s) for name, s in seconds.items()}
    for name in HTML_PARSERS:
        print(f"| {name} | {med[name]:.3f} | {len(pages) / med[name]:,.0f} | {mb / med[name]:.2f} "
              f"| {1000 * med[name] / len(pages):.2f} |")
    print(f"\nselectolax/lxml speed ratio: {med['lxml'] / med['selectolax']:.2f}x")

    a, b = results["selectolax"], results["lxml"]
    same = sum(x.text == y.text for x, y in zip(a, b, strict=True))
    print(f"identical text from both parsers: {same}/{len(pages)} pages ({100 * same / len(pages):.1f} %)")
    by_kind: dict[str, list[int]] = {}
    rng = random.Random(args.seed)
    makers, weights = zip(*KINDS, strict=True)
    for i in range(len(pages)):  # replay the generator's choices to name each page's kind
        maker = rng.choices(makers, weights)[0]
        maker(rng)
        by_kind.setdefault(maker.__name__, []).append(i)
    for kind, idx in by_kind.items():
        n_same = sum(a[i].text == b[i].text for i in idx)
        print(f"  {kind}: {n_same}/{len(idx)}")
    chars = sum(len(x.text) for x in a)
    print(f"article characters kept: {chars:,} of {sum(map(len, pages)):,} HTML characters")


if __name__ == "__main__":
    main()
