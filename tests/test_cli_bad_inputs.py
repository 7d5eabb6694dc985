"""One folder of everything that arrives in practice, through ``zh-invest-ner extract``.

Good articles, a binary file under a ``.txt`` name, an empty file, GBK, Big5, Shift-JIS,
an HTML page and a UTF-8 file with three corrupt bytes: every one gives exactly one row
in ``documents``; only the binary file is an error (exit status 2); the HTML page and the
corrupt file give the same meetings as their clean copies.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from zh_invest_ner.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
JAPANESE = "横浜市の新しい工場は来年から稼働する予定で、社長は記者会見で投資の拡大を発表しました。\n"
#: What a meeting is, without where it was found.
FIELDS = ("official", "official_title", "executive", "executive_title", "company", "topics", "participation")


def page(article: str) -> str:
    """The article as a news site would serve it: navigation, scripts, escaped text, a footer."""
    title, *lines = article.splitlines()
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>" + html.escape(title) + "</title>\n"
        "<script>var nav = '<b>首页</b>'; if (a < b) { go(); }</script><style>p { margin: 0 }</style></head>\n"
        "<body><nav><a href='/'>首页</a> | <a href='/news'>要闻</a> | <a href='/gov'>政务公开</a></nav>\n"
        "<div class='breadcrumb'>当前位置：首页 &gt; 要闻</div>\n"
        f"<article><h1>{html.escape(title)}</h1>\n{body}\n</article>\n"
        "<div id='footer'>主办单位：市人民政府办公室 &copy; 版权所有</div></body></html>\n"
    )


def with_bad_bytes(data: bytes) -> bytes:
    """Three bytes no encoding accepts, put between two characters in the middle of the text."""
    cut = len(data) // 2
    while (data[cut] & 0xC0) == 0x80:  # not inside a UTF-8 character
        cut += 1
    return data[:cut] + b"\xff\xfe\xff" + data[cut:]


@pytest.fixture(scope="module")
def run(tmp_path_factory, shipped_nlp):
    folder = tmp_path_factory.mktemp("inbox")
    clean1 = (EXAMPLES / "article_01.txt").read_text(encoding="utf-8")
    clean2 = (EXAMPLES / "article_02.txt").read_text(encoding="utf-8")
    (folder / "a_clean1.txt").write_text(clean1, encoding="utf-8")
    (folder / "a_clean2.txt").write_text(clean2, encoding="utf-8")
    (folder / "b_scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16)
    (folder / "c_empty.txt").write_bytes(b"")
    (folder / "d_gbk.txt").write_bytes((EXAMPLES / "article_04_gbk.txt").read_bytes())
    (folder / "e_big5.txt").write_bytes((EXAMPLES / "article_03.txt").read_text(encoding="utf-8")
                                        .encode("big5hkscs"))
    (folder / "f_sjis.txt").write_bytes(JAPANESE.encode("shift_jis"))
    (folder / "g_page.html").write_text(page(clean1), encoding="utf-8")
    (folder / "h_badbytes.txt").write_bytes(with_bad_bytes(clean2.encode("utf-8")))
    out = tmp_path_factory.mktemp("out")
    status = main(["extract", str(folder), "--output-dir", str(out), "--no-progress"])
    tables = {name: [json.loads(line) for line in (out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
              for name in ("meetings", "documents", "entities")}
    return folder, status, tables


def _meetings(tables: dict, name: str) -> list[tuple]:
    return [tuple(json.dumps(m[f], ensure_ascii=False) for f in FIELDS)
            for m in tables["meetings"] if m["doc_id"].endswith(name)]


def test_every_input_is_accounted_for(run):
    folder, status, tables = run
    documents = {Path(d["doc_id"]).name: d for d in tables["documents"]}
    assert sorted(documents) == sorted(p.name for p in folder.iterdir())
    statuses = {name: d["status"] for name, d in documents.items()}
    assert statuses == {"a_clean1.txt": "ok", "a_clean2.txt": "ok", "b_scan.txt": "error", "c_empty.txt": "warning",
                        "d_gbk.txt": "ok", "e_big5.txt": "ok", "f_sjis.txt": "warning", "g_page.html": "ok",
                        "h_badbytes.txt": "warning"}
    assert status == 2  # the binary file, and only it, is an error
    assert "binary file" in documents["b_scan.txt"]["message"]
    assert documents["d_gbk.txt"]["encoding"] == "gb18030" and documents["e_big5.txt"]["encoding"] == "big5"
    assert "Japanese" in documents["f_sjis.txt"]["message"]
    assert documents["h_badbytes.txt"]["message"].startswith("3 undecodable bytes replaced by U+FFFD")


def test_every_good_document_gives_its_meetings(run):
    _, _, tables = run
    for name in ("a_clean1.txt", "a_clean2.txt", "d_gbk.txt", "e_big5.txt"):
        assert _meetings(tables, name), name


def test_the_page_and_the_corrupt_file_give_the_clean_copies_meetings(run):
    _, _, tables = run
    assert _meetings(tables, "g_page.html") == _meetings(tables, "a_clean1.txt")
    assert _meetings(tables, "h_badbytes.txt") == _meetings(tables, "a_clean2.txt")


def test_offsets_point_into_the_files_as_given(run):
    folder, _, tables = run
    page_text = (folder / "g_page.html").read_text(encoding="utf-8")
    found = [e for e in tables["entities"] if e["doc_id"].endswith("g_page.html")]
    assert found
    for e in found:
        assert page_text[e["start"]:e["end"]] == e["original_text"]
        assert "<" not in e["original_text"] and ">" not in e["original_text"]
    for m in tables["meetings"]:
        if m["doc_id"].endswith("g_page.html"):  # the evidence sentence is what the page shows there
            shown = html.unescape(re.sub(r"<[^>]*>", "", page_text[m["start"]:m["end"]]))
            assert shown == m["sentence"]
