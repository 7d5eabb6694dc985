"""A generated corpus of investment-promotion news with planted truth, for ``benchmarks/linking.py``.

Every article, name and company here is invented by this script (real place names and
title/industry words only). Planted:

* **reprints**: the same article under another headline, with a site's source line,
  navigation and footer added, and its body paragraphs in another order;
* **namesakes**: one official name held by two officials in two different cities;
* **short and full names**: a company written ``苏州澄川新能源科技股份有限公司`` in one
  article and ``澄川新能源`` (or ``澄川``) in another; foreign ones as ``某某(中国)投资有限公司``;
* **repeat visits**: the same official and company meeting again on another day, in
  another article (a different meeting: tests that linking does not over-merge);
* **rewrites**: the same meeting written up afresh by another outlet (same date, new
  text), reported apart, since only a known date can link those.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

CITIES = ["镇江", "常州", "无锡", "嘉兴", "湖州", "绍兴", "芜湖", "南通", "扬州", "泰州", "盐城", "徐州",
          "金华", "台州", "温州", "宁波", "佛山", "惠州", "肇庆", "江门", "襄阳", "宜昌", "株洲", "赣州",
          "淄博", "潍坊", "烟台", "洛阳", "绵阳", "遵义"]
COMPANY_PLACES = ["苏州", "深圳", "上海", "杭州", "广州", "成都", "武汉", "南京", "合肥", "厦门", "青岛", "西安"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
                "彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢")
GIVEN = list("建国志明海涛晓东立群文博启安宇泽俊杰思远宏伟永嘉敏华振兴伯瀚霖铮岚翊澄朗晨逸峰卓然")
BRAND_A = list("澄恒远博瑞启鼎锐卓华屹拓岳昊晟禾弘曜凯朗嘉泓德楷铭骏璟")
BRAND_B = list("川岳拓科辉芯源创达联宇鸿泰航能瑞驰迈峰域翔威星")
FOREIGN = ["博朗德", "艾思通", "维特纳", "卡洛斯", "德瑞克", "诺菲尔", "安博森", "凯斯勒"]
INDUSTRIES = {
    "新能源": ["光伏组件", "储能系统", "动力电池"],
    "精密机械": ["汽车零部件", "工业机器人", "数控机床"],
    "生物医药": ["创新药", "医疗器械", "生物制剂"],
    "电子": ["集成电路", "显示面板", "半导体封装"],
    "物流": ["冷链物流", "跨境电商", "供应链管理"],
    "新材料": ["碳纤维", "高性能复合材料", "特种合金"],
    "智能装备": ["智能制造", "工业互联网", "机器视觉"],
}
LEGAL = ["科技股份有限公司", "科技有限公司", "有限公司", "集团有限公司", "股份有限公司"]
CITY_TITLES = ["市长", "市委书记", "副市长", "市委副书记", "市委常委、副市长"]
EXEC_TITLES = ["董事长", "总经理", "总裁", "副总裁", "董事长兼总经理"]
SITES = ["{city}日报", "{city}发布", "{city}新闻网", "{city}投资促进网", "财经观察", "招商资讯网"]


@dataclass
class Official:
    name: str
    city: str
    title: str


@dataclass
class Company:
    core: str
    full: str
    shorts: list[str]
    industry: str
    executives: list[tuple[str, str]]  # (name, title)


@dataclass
class Event:
    """One real meeting: an official (and maybe an accompanying one) with a company's executive."""

    eid: int
    official: Official
    company: Company
    executive: tuple[str, str]
    date: str
    topics: list[str]
    accompanying: Official | None = None


@dataclass
class Article:
    doc_id: str
    text: str
    events: list[int]
    company_forms: dict[int, str] = field(default_factory=dict)  # event id -> form written
    original: str | None = None  # the doc_id this one reprints
    rewrite_of: str | None = None


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2, 2])))
        if name not in used:
            used.add(name)
            return name


def _officials(rng: random.Random, n: int, namesakes: int, used: set[str]) -> list[Official]:
    out = []
    for _ in range(n):
        out.append(Official(_name(rng, used), rng.choice(CITIES), rng.choice(CITY_TITLES)))
    for i in range(namesakes):  # the same name in a second city
        first = out[i]
        other = rng.choice([c for c in CITIES if c != first.city])
        out.append(Official(first.name, other, rng.choice(CITY_TITLES)))
    return out


def _companies(rng: random.Random, n: int, used: set[str]) -> list[Company]:
    cores: set[str] = set()
    out = []
    for i in range(n):
        industry = rng.choice(list(INDUSTRIES))
        executives = [(_name(rng, used), t) for t in rng.sample(EXEC_TITLES, 2)]
        if i % 10 == 9:  # a foreign group with its China holding
            core = FOREIGN[(i // 10) % len(FOREIGN)] + ("" if i < 80 else rng.choice(BRAND_B))
            if core in cores:
                continue
            cores.add(core)
            out.append(Company(core, f"{core}(中国)投资有限公司", [core], industry, executives))
            continue
        while True:
            core = rng.choice(BRAND_A) + rng.choice(BRAND_B)
            if core not in cores:
                cores.add(core)
                break
        full = f"{rng.choice(COMPANY_PLACES)}{core}{industry}{rng.choice(LEGAL)}"
        out.append(Company(core, full, [f"{core}{industry}", core] if rng.random() < 0.3 else [f"{core}{industry}"],
                           industry, executives))
    return out


def _date(rng: random.Random) -> str:
    return f"2025年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"


def _who(official: Official, with_city: bool) -> str:
    return f"{official.city}{official.title}{official.name}" if with_city else f"{official.title}{official.name}"


# Meeting sentences: {d} date, {o} official with title, {c} company, {e} executive with title, {t} topics.
MEETING_SENTENCES = [
    "{d}，{o}在市行政中心会见了{c}{e}一行。双方围绕{t}等领域的合作进行了深入交流。",
    "{d}下午，{o}会见{c}{e}，双方就{t}等合作事宜进行了洽谈。",
    "{d}，{c}{e}一行来访，{o}与客人座谈，双方就{t}项目落地交换了意见。",
    "{d}，{o}与{c}{e}举行工作会谈，就{t}等方面的合作深入交流。",
    "{d}上午，{o}会见了前来考察的{c}{e}，双方围绕{t}展开交流。",
    "{d}，{o}在宾馆会见{c}{e}一行，就深化{t}等领域合作进行了交流。",
]
ACCOMPANY = ["{a}参加会见。", "{a}陪同会见。", "{a}等参加活动。"]
INTROS = [
    "近年来，{city}坚持把招商引资作为经济工作的生命线，聚焦{ind}等主导产业精准发力，一批重大项目相继落地。",
    "今年以来，{city}持续优化营商环境，围绕{ind}产业链开展延链补链强链，全力推动项目招引工作。",
    "为推动产业转型升级，{city}主动对接长三角和珠三角优质企业，积极引进{ind}领域的龙头项目。",
    "{city}把“项目为王”的导向树得更牢，今年前{n}个月新签约亿元以上项目{k}个，其中{ind}项目占比过半。",
    "围绕打造{ind}产业集群，{city}组建了{k}支专业招商小分队，赴重点地区开展上门招商。",
    "{city}正处在新旧动能转换的关键期，全市上下以招商引资“一号工程”为抓手，{ind}产业呈现加速集聚态势。",
]
COMPANY_LINES = [
    "{full}成立于{year}年，是一家专注于{t}的高新技术企业，产品远销海内外。",
    "据介绍，{full}深耕{t}领域多年，在研发和制造方面具有较强实力。",
    "{full}是国内{t}行业的骨干企业，近年来营业收入保持较快增长。",
    "{full}拥有研发人员{k}余名，在{t}方面累计获得专利数百项。",
    "作为{t}领域的后起之秀，{full}去年销售额同比增长{k}%。",
]
OFFICIAL_REMARKS = [
    "{name}表示，{city}将为企业提供全方位、全周期的优质服务，希望双方在更宽领域深化合作。",
    "{name}指出，{city}产业基础扎实，区位优势明显，真诚欢迎企业来此投资兴业。",
    "{name}介绍了{city}的经济社会发展情况，希望企业进一步加大投资力度，实现互利共赢。",
    "{name}希望双方以此次会见为契机，建立常态化沟通机制，推动合作早见成效。",
    "{name}说，{city}将拿出最好的资源、最优的政策，全力支持企业在此发展壮大。",
]
EXEC_REMARKS = [
    "{name}感谢{city}的热情接待，表示将认真研究合作方案，争取早日推动项目落地。",
    "{name}表示，公司十分看好{city}的发展前景，愿意在更多领域开展合作。",
    "{name}介绍了企业发展战略和项目布局，表示将加快推进双方合作。",
    "{name}表示，此行收获很大，将尽快组织团队开展项目可行性研究。",
    "{name}谈到，企业正在谋划新一轮产能布局，{city}是重要的备选地之一。",
]
HEADLINES = [
    "{oname}会见{cshort}客人", "{city}与{cshort}深化合作", "{oname}会见{ename}一行",
    "{city}领导会见企业客商", "推动项目落地见效 {oname}会见企业负责人", "{cshort}负责人来{city}考察",
]
NAV = ["首页 > 新闻中心 > 招商动态", "当前位置：首页 > 要闻 > 经济", "首页 | 政务公开 | 投资促进 | 新闻动态"]
FOOTERS = ["版权所有：{site}　未经授权禁止转载", "【打印本页】【关闭窗口】", "分享到：微信 微博 QQ空间",
           "扫一扫在手机打开当前页"]


class Generator:
    """Builds the articles and remembers the truth (see the module docstring)."""

    def __init__(self, seed: int = 0, officials: int = 140, namesakes: int = 20, companies: int = 160,
                 events: int = 700) -> None:
        self.rng = rng = random.Random(seed)
        used: set[str] = set()
        self.officials = _officials(rng, officials, namesakes, used)
        self.namesake_names = {o.name for o in self.officials[officials:]}
        self.companies = _companies(rng, companies, used)
        self.events: list[Event] = []
        self.articles: list[Article] = []
        self._plan_events(events)

    def _plan_events(self, n: int) -> None:
        rng = self.rng
        namesakes = [o for o in self.officials if o.name in self.namesake_names]
        for eid in range(n):
            # namesakes meet often, so both cities' namesakes show up in the corpus
            official = rng.choice(namesakes) if rng.random() < 0.25 else rng.choice(self.officials)
            company = rng.choice(self.companies)
            topics = rng.sample(INDUSTRIES[company.industry], rng.choice([1, 2]))
            if eid and rng.random() < 0.08:  # a repeat visit: same pair, another day, another article
                prev = rng.choice(self.events)
                official, company, topics = prev.official, prev.company, prev.topics
            accompanying = None
            if rng.random() < 0.3:
                accompanying = rng.choice([o for o in self.officials if o.city == official.city and o is not official]
                                          or [None])
            self.events.append(Event(eid, official, company, rng.choice(company.executives), _date(rng), topics,
                                     accompanying))

    def _company_form(self, company: Company) -> str:
        return company.full if self.rng.random() < 0.5 else self.rng.choice(company.shorts)

    def _paragraphs(self, events: list[Event], forms: dict[int, str]) -> list[str]:
        rng = self.rng
        first = events[0]
        city = first.official.city
        paras = [rng.choice(INTROS).format(city=city, ind=first.company.industry, n=rng.randint(3, 11),
                                           k=rng.randint(5, 60))]
        for k, ev in enumerate(events):
            with_city = rng.random() < 0.7 or k > 0
            sentence = rng.choice(MEETING_SENTENCES).format(
                d=ev.date, o=_who(ev.official, with_city), c=forms[ev.eid], e=f"{ev.executive[1]}{ev.executive[0]}",
                t="、".join(ev.topics))
            if ev.accompanying is not None:
                sentence += rng.choice(ACCOMPANY).format(a=f"{ev.accompanying.title}{ev.accompanying.name}")
            paras.append(sentence)
            paras.append(rng.choice(COMPANY_LINES).format(full=forms[ev.eid], year=rng.randint(1995, 2020),
                                                          t=ev.topics[0], k=rng.randint(12, 900)))
            paras.append(rng.choice(OFFICIAL_REMARKS).format(name=ev.official.name, city=city) + rng.choice(
                EXEC_REMARKS).format(name=ev.executive[0], city=city))
        return paras

    def _headline(self, ev: Event) -> str:
        return self.rng.choice(HEADLINES).format(oname=ev.official.name, cshort=ev.company.shorts[0],
                                                 city=ev.official.city, ename=ev.executive[0])

    def _write(self, doc_id: str, events: list[Event], rewrite_of: str | None = None) -> Article:
        forms = {ev.eid: self._company_form(ev.company) for ev in events}
        paras = self._paragraphs(events, forms)
        reporter = f"（记者 {_name(self.rng, set())}）"
        text = "\n".join([self._headline(events[0]), *paras, reporter])
        return Article(doc_id, text, [ev.eid for ev in events], forms, rewrite_of=rewrite_of)

    def _reprint(self, article: Article, doc_id: str, ev: Event) -> Article:
        rng = self.rng
        lines = article.text.split("\n")
        body = lines[1:-1]
        rng.shuffle(body)  # reordered paragraphs
        site = rng.choice(SITES).format(city=ev.official.city)
        head = [rng.choice(NAV), self._headline(ev), f"来源：{site}　发布时间：2025-{rng.randint(1, 12):02d}-"
                                                      f"{rng.randint(1, 28):02d} {rng.randint(7, 22):02d}:00"]
        tail = [lines[-1], f"责任编辑：{_name(rng, set())}", *rng.sample(FOOTERS, 2)]
        tail = [t.format(site=site) for t in tail]
        return Article(doc_id, "\n".join([*head, *body, *tail]), article.events, article.company_forms,
                       original=article.doc_id)

    def build(self, reprint_share: float = 0.4, rewrite_share: float = 0.06) -> list[Article]:
        """The articles: originals of one or two events, reprints and rewrites, shuffled."""
        rng = self.rng
        originals: list[Article] = []
        events = list(self.events)
        i = 0
        while i < len(events):
            take = 2 if rng.random() < 0.25 and i + 1 < len(events) else 1
            group = events[i:i + take]
            if take == 2 and group[1].official.city != group[0].official.city:
                group = group[:1]
            i += len(group)
            originals.append(self._write(f"a{len(originals):05d}", group))
        out = list(originals)
        for art in originals:
            ev = self.events[art.events[0]]
            if rng.random() < reprint_share:
                for k in range(rng.choice([1, 1, 2, 3, 4])):
                    out.append(self._reprint(art, f"{art.doc_id}-r{k}", ev))
            if rng.random() < rewrite_share:
                out.append(self._write(f"{art.doc_id}-w", [self.events[e] for e in art.events], rewrite_of=art.doc_id))
        rng.shuffle(out)
        self.articles = out
        return out
