"""Tests for zh_invest_ner.text.html: article text out of HTML, with offsets into the HTML."""

from __future__ import annotations

import html as stdlib_html
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zh_invest_ner.text.html import HTML_PARSERS, extract_html, looks_like_html
from zh_invest_ner.text.normalizer import NormalizedText


@pytest.fixture(params=HTML_PARSERS)
def parser(request: pytest.FixtureRequest) -> str:
    pytest.importorskip({"selectolax": "selectolax.lexbor", "lxml": "lxml.html"}[request.param])
    return request.param


def check_offsets(result: NormalizedText) -> None:
    """The contract of every result: spans in range, ordered, and each one explains its character."""
    html, text, offsets, ends = result.original, result.text, result.offsets, result.ends
    assert ends is not None
    assert len(offsets) == len(text) + 1 and len(ends) == len(text)
    assert offsets[-1] == len(html)
    for i, ch in enumerate(text):
        assert 0 <= offsets[i] < ends[i] <= len(html), (i, ch)
        assert offsets[i] <= offsets[i + 1], (i, ch)
        source = html[offsets[i]:ends[i]]
        decoded = stdlib_html.unescape(source)
        ok = source == ch or ch in decoded or (ch == " " and decoded == "\xa0") or ch in "\n "
        assert ok, (i, ch, source)
    assert text == text.strip()
    assert "\n\n\n" not in text


def extract(html: str, parser: str) -> NormalizedText:
    result = extract_html(html, parser=parser)
    check_offsets(result)
    return result


PORTAL = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>临江市长会见客人_临江市人民政府</title>
<style>.nav { color: red; } p > b { font-weight: bold; }</style>
<script type="text/javascript">var menu = "<div class='nav'>首页</div>"; if (a < b && c > d) { go(); }</script>
</head>
<body>
<div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/news">要闻</a></li></ul></div>
<nav><a href="/gov">政务公开</a></nav>
<div class="breadcrumb"><a href="/">首页</a> &gt; 要闻</div>
<div class="content">
<h1>临江市长会见星河动力客人</h1>
<p>3月5日，临江市市长<b>钱雨桐</b>会见了星河动力科技有限公司董事长欧阳青山一行。</p>
<p>双方就&ldquo;新能源&rdquo;项目合作进行了交流。</p>
</div>
<aside><p>热点新闻</p></aside>
<div id="comments"><p>网友评论很精彩</p></div>
<div class="share-box">分享到微信</div>
<noscript>请启用脚本</noscript>
<footer><p>版权所有 &copy; 临江市人民政府</p></footer>
<script>document.write("<p>广告</p>");</script>
</body>
</html>
"""


def test_portal_page_keeps_the_article_only(parser: str) -> None:
    text = extract(PORTAL, parser).text
    assert text == (
        "临江市长会见星河动力客人\n\n"
        "3月5日，临江市市长钱雨桐会见了星河动力科技有限公司董事长欧阳青山一行。\n\n"
        "双方就“新能源”项目合作进行了交流。"
    )
    for junk in ("首页", "政务公开", "热点", "评论", "分享", "版权", "广告", "var", "color", "启用", "<", ">"):
        assert junk not in text


def test_entity_offsets_cover_the_whole_entity(parser: str) -> None:
    html = "<p>甲&amp;乙&#x4E2D;&#22269;&ldquo;丙&rdquo;&nbsp;丁&lt;戊</p>"
    result = extract(html, parser)
    assert result.text == "甲&乙中国“丙” 丁<戊"
    for ch, entity in (("&", "&amp;"), ("中", "&#x4E2D;"), ("国", "&#22269;"), ("“", "&ldquo;"), ("<", "&lt;")):
        i = result.text.index(ch)
        assert result.original_span_text(i, i + 1) == entity
    space = result.text.index(" ")
    assert result.original_span_text(space, space + 1) == "&nbsp;"


def test_legacy_entity_without_semicolon(parser: str) -> None:
    result = extract("<p>A&ampB &copy 2024</p>", parser)
    assert result.text == "A&B © 2024"
    assert result.original_span_text(1, 2) == "&amp"


def test_block_elements_become_line_breaks(parser: str) -> None:
    html = (
        "<div>第一行</div><div>第二行</div><p>第三段</p><ul><li>甲</li><li>乙</li></ul>"
        "第四<br>第五<br><br><br><br>第六<h2>小标题</h2><table><tr><td>姓名</td><td>职务</td></tr>"
        "<tr><td>赵一</td><td>主任</td></tr></table><blockquote>引文</blockquote><hr>结尾"
    )
    assert extract(html, parser).text == (
        "第一行\n第二行\n\n第三段\n\n甲\n乙\n\n第四\n第五\n\n第六\n\n小标题\n\n姓名 职务\n赵一 主任\n\n引文\n\n结尾"
    )


def test_break_span_is_the_markup_that_caused_it(parser: str) -> None:
    html = "<p>甲方</p><p>乙方</p>"
    result = extract(html, parser)
    assert result.text == "甲方\n\n乙方"
    assert result.original_span_text(2, 4) in ("</p>", "</p><p>")


def test_name_followed_by_a_tag_has_no_tag_characters(parser: str) -> None:
    html = "<p>县长<b>钱雨桐</b>会见了<strong>欧阳青山</strong>。</p>"
    result = extract(html, parser)
    assert result.text == "县长钱雨桐会见了欧阳青山。"
    start = result.text.index("钱雨桐")
    assert result.to_original(start, start + 3) == (html.index("钱雨桐"), html.index("钱雨桐") + 3)
    assert result.original_span_text(start, start + 3) == "钱雨桐"


def test_company_at_the_start_of_a_paragraph_keeps_its_first_char(parser: str) -> None:
    html = '<div class="article"><p>星河动力科技有限公司董事长表示感谢。</p><p class="x">蓝湾集团</p></div>'
    result = extract(html, parser)
    assert result.text == "星河动力科技有限公司董事长表示感谢。\n\n蓝湾集团"
    assert result.original_span_text(0, 10) == "星河动力科技有限公司"
    j = result.text.index("蓝湾")
    assert html[result.offsets[j]] == "蓝"


def test_title_is_used_when_there_is_no_h1(parser: str) -> None:
    html = "<html><head><title>南湖区 &amp; 蓝湾集团签约</title></head><body><p>正文内容。</p></body></html>"
    result = extract(html, parser)
    assert result.text == "南湖区 & 蓝湾集团签约\n\n正文内容。"
    assert result.original_span_text(0, 3) == "南湖区"


def test_title_is_not_used_when_there_is_an_h1(parser: str) -> None:
    html = "<html><head><title>站点标题</title></head><body><h1>文章标题</h1><p>正文。</p></body></html>"
    assert extract(html, parser).text == "文章标题\n\n正文。"


def test_h1_inside_dropped_furniture_does_not_count(parser: str) -> None:
    html = "<html><head><title>真正的标题</title></head><body><div class='sidebar'><h1>站点</h1></div><p>正文。</p>"
    assert extract(html, parser).text == "真正的标题\n\n正文。"


def test_whitespace_between_hanzi_disappears(parser: str) -> None:
    html = "<p>临江市市长钱雨桐\n        会见了星河动力\n  科技有限公司，\n   双方 交流。Hello\n   world 合作</p>"
    assert extract(html, parser).text == "临江市市长钱雨桐会见了星河动力科技有限公司，双方交流。Hello world 合作"


def test_whitespace_collapses_across_inline_tags(parser: str) -> None:
    html = "<p>  Alpha   <span> Beta </span>\t\tGamma  <em>乙</em> <i>丙</i></p>"
    assert extract(html, parser).text == "Alpha Beta Gamma 乙丙"


def test_pre_keeps_its_whitespace(parser: str) -> None:
    html = "<p>前</p><pre>\n第一行  空格\n    缩进\n\n\n\n末行</pre><p>后</p>"
    assert extract(html, parser).text == "前\n\n第一行  空格\n    缩进\n\n末行\n\n后"


def test_boilerplate_classes_are_whole_words(parser: str) -> None:
    html = (
        '<div class="content"><p>正文甲</p></div><div class="main-nav">导航</div><div class="navigator-free">'
        '<p>正文乙</p></div><div class="shareBox">分享</div><div id="footer">页脚</div><div class="contents">'
        '<p>正文丙</p></div><div role="navigation">菜单</div><div style="display: none">隐藏</div>'
        '<div hidden>也隐藏</div><p class="advert-slot">广告</p>'
    )
    assert extract(html, parser).text == "正文甲\n\n正文乙\n\n正文丙"


def test_forms_buttons_and_svg_are_dropped(parser: str) -> None:
    html = (
        "<p>正文</p><form><input value='x'><textarea>输入</textarea><select><option>选项</option></select></form>"
        "<button>点击</button><svg><text>图形</text></svg><iframe src='x'>框架</iframe><template><p>模板</p></template>"
        "<!-- 注释 --><p>结尾</p>"
    )
    assert extract(html, parser).text == "正文\n\n结尾"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("", ""),
        ("   \n  ", ""),
        ("<script>var a = 1;</script><style>p{}</style>", ""),
        ("<html><head><script>alert(1)</script></head><body><script>x()</script></body></html>", ""),
        ("<p>未闭合的段落<p>第二段<div>块", "未闭合的段落\n\n第二段\n\n块"),
        ("<p>营收<10%，利润>5%</p>", "营收<10%，利润>5%"),
        ("a < b and c > d", "a < b and c > d"),
        ("<p>正文<!-- 未结束的注释 <p>看不见</p>", "正文"),
        ("<p>甲</p><![CDATA[ 数据 ]]><p>乙</p>", "甲\n\n乙"),
        ("<!--[if IE]><p>旧浏览器</p><![endif]--><p>正文</p>", "正文"),
        ("<p title='a>b'>引号里的尖括号</p>", "引号里的尖括号"),
        ('<p class="未闭合>正文', ""),
        ("<b><i>误嵌套</b>的标签</i>", "误嵌套的标签"),
        ("文字</div></p></span>更多文字", "文字\n更多文字"),
        ("<p>结尾的小于号 <", "结尾的小于号 <"),
        ("<p>结尾的</", "结尾的</"),
        ("<p>甲</p><?php echo 1; ?><p>乙</p>", "甲\n\n乙"),
    ],
)
def test_malformed_html(parser: str, html: str, expected: str) -> None:
    result = extract(html, parser)
    if html.startswith("文字</div>"):
        assert result.text.replace("\n", "") == "文字更多文字"  # stray end tags: parsers differ on breaks
    else:
        assert result.text == expected


def test_foster_parented_table_text_keeps_source_order(parser: str) -> None:
    html = "<table><tr><td>甲方</td></tr>营收增长<tr><td>乙方</td></tr></table>"
    result = extract(html, parser)
    assert result.text.replace("\n", "") == "甲方营收增长乙方"


def test_garbage_and_control_characters(parser: str) -> None:
    garbage = bytes(range(256)).decode("latin-1") * 4
    extract(garbage, parser)
    escaped = b"\xff\xfe<p>\xe4\xb8\xad\x00\x01</p>\xc3".decode("utf-8", "surrogateescape")
    result = extract(escaped, parser)
    assert "中" in result.text
    extract("\x00<p>\x00甲\x00</p>\r\n<p>乙\r丙</p>", parser)


def test_crlf_becomes_one_character(parser: str) -> None:
    result = extract("<pre>甲\r\n乙</pre>", parser)
    assert result.text == "甲\n乙"
    assert result.original_span_text(1, 2) == "\r\n"


@pytest.mark.parametrize("depth", [1000, 5000])
def test_deep_nesting(parser: str, depth: int) -> None:
    html = "<div>" * depth + "<p>深处的文字</p>" + "</div>" * depth + "<p>之后</p>"
    assert extract(html, parser).text == "深处的文字\n\n之后"


def test_big_page_is_linear(parser: str) -> None:
    para = (
        "<p class='text'>临江市市长<b>钱雨桐</b>会见了<a href='/c?a=1&amp;b=2'>星河动力</a>"
        "董事长&ldquo;欧阳青山&rdquo;。</p>\n"
    )
    small = "<html><body>" + para * 300 + "</body></html>"
    big = "<html><body><script>var x='<p>';</script>" + para * 12000 + "</body></html>"
    assert len(big) > 1_000_000
    extract_html(small, parser=parser)
    start = time.perf_counter()
    extract_html(small, parser=parser)
    small_seconds = time.perf_counter() - start
    start = time.perf_counter()
    result = extract_html(big, parser=parser)
    big_seconds = time.perf_counter() - start
    assert result.text.count("钱雨桐") == 12000
    assert big_seconds < max(1.0, 120 * small_seconds)  # 40x the input: linear, with slack for a busy machine


def test_both_parsers_agree_on_well_formed_pages() -> None:
    pytest.importorskip("selectolax.lexbor")
    pytest.importorskip("lxml.html")
    pages = [PORTAL, "<p>甲&amp;乙</p><ul><li>一</li><li>二</li></ul>", "<div><h2>标题</h2><pre> a\n b</pre></div>"]
    for page in pages:
        texts = {extract_html(page, parser=p).text for p in HTML_PARSERS}
        assert len(texts) == 1, texts


def test_unknown_parser() -> None:
    with pytest.raises(ValueError, match="unknown HTML parser"):
        extract_html("<p>x</p>", parser="bs4")


def test_missing_parser_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("lxml"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match="pip install lxml"):
        extract_html("<p>x</p>", parser="lxml")


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><title>x</title>",
        "<!doctype HTML>",
        "<html><body>正文</body></html>",
        "<p>第一段</p><p>第二段</p>",
        "正文<br>换行<br>再换行",
        '<div class="a">内容</div>',
        '<span>甲</span>乙',
        '见<a href="https://example.com">链接</a>',
        "<P>大写的标签</P>",
    ],
)
def test_looks_like_html_true(text: str) -> None:
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "临江市市长钱雨桐会见了星河动力科技有限公司董事长欧阳青山。",
        "营收<10%，利润率>5%，同比增长。",
        "如果 a<b>c 成立",
        "# 标题\n\n**加粗** 和 [链接](https://example.com/page.html) 以及 `代码`",
        "详见 https://example.com/news/2024/index.html?id=1&page=2 。",
        "<李明>与<王芳>的合作",
        "x < y > z and <<引用>>",
        "单独一个<br>换行",
    ],
)
def test_looks_like_html_false(text: str) -> None:
    assert not looks_like_html(text)


TAGS = ["p", "div", "b", "span", "br", "li", "td", "tr", "table", "pre", "script", "style", "nav", "title", "h1", "a"]
PIECES = st.one_of(
    st.sampled_from([f"<{t}>" for t in TAGS] + [f"</{t}>" for t in TAGS]),
    st.sampled_from(["<p class='nav'>", "<div id=\"footer\">", "<a href='x?a=1&amp;b=2'>", "<br/>", "<!-- c -->"]),
    st.sampled_from(["&amp;", "&nbsp;", "&#x4E2D;", "&#20013;", "&ldquo;", "&lt;", "&amp", "&bogus;", "&#0;"]),
    st.sampled_from(["<", ">", "</", "<!--", "-->", "<!", "\"", "'", "=", "\r\n", "\r", "\n", " ", "\t", "\x00"]),
    st.text(alphabet="钱雨桐星河动力会见，。科技甲乙丙", min_size=1, max_size=6),
    st.text(alphabet="abcXYZ019 ", min_size=1, max_size=6),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=40), st.sampled_from(HTML_PARSERS))
def test_random_markup_never_raises_and_keeps_the_contract(pieces: list[str], parser: str) -> None:
    pytest.importorskip({"selectolax": "selectolax.lexbor", "lxml": "lxml.html"}[parser])
    check_offsets(extract_html("".join(pieces), parser=parser))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200), st.sampled_from(HTML_PARSERS))
def test_arbitrary_text_never_raises(text: str, parser: str) -> None:
    pytest.importorskip({"selectolax": "selectolax.lexbor", "lxml": "lxml.html"}[parser])
    check_offsets(extract_html(text, parser=parser))
    looks_like_html(text)
