"""Display and export helpers: readable tables, file exports, the graph, displaCy, plots.

Everything here runs on small hand-made frames and documents, not on the trained
model, so the tests are fast and fail only when the helpers themselves break.
"""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import spacy

from zh_invest_ner import ExtractionResult, Meeting
from zh_invest_ner.output.frames import ENTITY_COLUMNS, MEETING_COLUMNS, triples_frame

nx = pytest.importorskip("networkx")
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from zh_invest_ner.explore import graph, viz  # noqa: E402

S1 = "市长陶建业会见了澄川新能源科技有限公司董事长范启明。"
S2 = "副市长贺云舟拜访了恒岳智能装备集团有限公司。"


def _meetings() -> pd.DataFrame:
    rows = [
        ("a.txt", "陶建业", "市长", "范启明", "董事长", "澄川新能源科技有限公司", ["新能源", "储能"], "principal",
         S1, 0, 27),
        ("b.txt", "陶建业", "市长", "范启明", "董事长", "澄川新能源科技有限公司", ["储能"], "principal", S1, 5, 32),
        ("b.txt", "贺云舟", "副市长", None, None, "恒岳智能装备集团有限公司", [], "accompanying", S2, 40, 62),
        ("c.txt", "贺云舟", "副市长", "付家铭", "总裁", None, ["机器人"], "principal", "付家铭……", 0, 9),
        ("c.txt", "何立春", "局长", None, None, None, [], "principal", "无对象", 10, 13),  # no party: no edge
    ]
    columns = ["doc_id", "official", "official_title", "executive", "executive_title", "company", "topics",
               "participation", "sentence", "start", "end"]
    return pd.DataFrame(rows, columns=columns).reindex(columns=MEETING_COLUMNS)


def _result() -> ExtractionResult:
    meetings = _meetings()
    entities = pd.DataFrame(
        [("a.txt", "陶建业", "PERSON", 2, 5, "陶建業", "official", "市长", None),
         ("a.txt", "澄川新能源科技有限公司", "COMPANY", 8, 19, "澄川新能源科技有限公司", None, None, None),
         ("a.txt", "0\n4月", "ORG", 30, 34, "0\n4月", None, None, None)],
        columns=ENTITY_COLUMNS,
    )
    documents = pd.DataFrame([("a.txt", "utf-8", 27, 1)], columns=["doc_id", "encoding", "chars", "meetings"])
    return ExtractionResult(meetings=meetings, triples=triples_frame(meetings), entities=entities,
                            documents=documents, errors=pd.DataFrame(columns=["doc_id", "error"]))


def _plain(value):
    """A cell compared across file formats: NaN and None alike, arrays as lists."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def _rows(frame: pd.DataFrame) -> list[list]:
    return [[_plain(v) for v in row] for row in frame.itertuples(index=False)]


# ---------------------------------------------------------------------------
# ExtractionResult: readable tables and exports


def test_readable_hides_offsets_and_joins_lists_without_touching_the_frame():
    result = _result()
    table = result.readable()
    assert "start" not in table.columns and "end" not in table.columns
    assert table.loc[0, "topics"] == "新能源、储能"
    assert table.loc[2, "executive"] == ""  # None shown as empty, not "None"/"NaN"
    columns = list(result.readable(offsets=True).columns)
    assert columns == [*MEETING_COLUMNS, "official_id", "executive_id", "company_id", "meeting_id"]
    assert result.readable("entities").loc[2, "text"] == "0↵4月"  # line breaks made visible
    assert result.meetings.loc[0, "topics"] == ["新能源", "储能"]  # the frame keeps its lists
    with pytest.raises(ValueError, match="table must be one of"):
        result.readable("nothing")


def test_repr_html_shows_counts_and_meetings_without_offsets_or_sentence():
    html = _result()._repr_html_()
    assert "5 meetings" in html and "1 documents" in html and "3 entities" in html
    assert "<th>official</th>" in html and "新能源、储能" in html
    assert "<th>start</th>" not in html and "<th>sentence</th>" not in html


def test_csv_export_reads_back_equal(tmp_path):
    result = _result()
    paths = result.to_csv(tmp_path / "out")
    assert set(paths) == {"meetings", "triples", "entities", "documents", "errors", "people", "companies",
                          "meetings_unique"}
    for name, path in paths.items():
        back = pd.read_csv(path)
        if back.empty and getattr(result, name).empty:
            continue
        frame = getattr(result, name)
        assert list(back.columns) == list(frame.columns)  # the BOM is not glued to doc_id
        for column in back.columns:  # list columns are JSON text in CSV
            if back[column].map(lambda v: isinstance(v, str) and v.startswith("[")).any():
                back[column] = back[column].map(lambda v: json.loads(v) if isinstance(v, str) else v)
        assert _rows(back) == _rows(frame)


def test_parquet_export_keeps_lists(tmp_path):
    pytest.importorskip("pyarrow")
    result = _result()
    for name, path in result.to_parquet(tmp_path).items():
        assert _rows(pd.read_parquet(path)) == _rows(getattr(result, name))
    assert list(pd.read_parquet(tmp_path / "meetings.parquet").topics[0]) == ["新能源", "储能"]


def test_excel_export_has_a_sheet_per_frame(tmp_path):
    pytest.importorskip("openpyxl")
    result = _result()
    result.entities.loc[1, "original_text"] = "澄川\x07新能源"  # a control character Excel rejects
    path = result.to_excel(tmp_path / "r.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["meetings", "triples", "entities", "documents", "errors", "people", "companies",
                            "meetings_unique"]
    meetings = sheets["meetings"]
    meetings["topics"] = meetings["topics"].map(json.loads)
    assert _rows(meetings) == _rows(result.meetings)
    assert _rows(sheets["triples"]) == _rows(result.triples)
    assert sheets["entities"].loc[1, "original_text"] == "澄川新能源"


# ---------------------------------------------------------------------------
# graph


def test_graphml_export_has_the_nodes_and_edges_of_the_meetings(tmp_path):
    meetings = _meetings()
    path = graph.export_graph(meetings, tmp_path / "m.graphml")
    g = nx.read_graphml(path)
    assert set(g.nodes) == {"陶建业", "贺云舟", "澄川新能源科技有限公司", "恒岳智能装备集团有限公司", "付家铭"}
    assert {frozenset(e) for e in g.edges} == {
        frozenset(("陶建业", "澄川新能源科技有限公司")),
        frozenset(("贺云舟", "恒岳智能装备集团有限公司")),
        frozenset(("贺云舟", "付家铭")),  # no company known: the executive stands in
    }
    edge = g.edges["陶建业", "澄川新能源科技有限公司"]
    assert edge["weight"] == 2  # two meetings, one edge
    assert edge["topics"] == "新能源; 储能" and edge["docs"] == "a.txt; b.txt"
    assert g.nodes["陶建业"]["kind"] == "official" and g.nodes["陶建业"]["title"] == "市长"
    assert g.nodes["澄川新能源科技有限公司"]["kind"] == "company"
    assert g.nodes["付家铭"]["kind"] == "executive"


def test_gexf_export_and_unknown_extension(tmp_path):
    meetings = _meetings()
    g = nx.read_gexf(graph.export_graph(meetings, tmp_path / "m.gexf"))
    assert g.number_of_nodes() == 5 and g.number_of_edges() == 3
    with pytest.raises(ValueError, match=".graphml or .gexf"):
        graph.export_graph(meetings, tmp_path / "m.json")


def test_graph_accepts_topics_read_back_from_csv(tmp_path):
    result = _result()
    back = pd.read_csv(result.to_csv(tmp_path)["meetings"])
    g = graph.meeting_graph(back)
    # 陶建业 of a.txt and of b.txt: no region says they are one person, so they stay apart
    topics = [d["topics"] for a, b, d in g.edges(data=True)
              if {g.nodes[a]["label"], g.nodes[b]["label"]} == {"陶建业", "澄川新能源科技有限公司"}]
    assert sorted(topics) == ["储能", "新能源; 储能"]


# ---------------------------------------------------------------------------
# displaCy


class _VisibleText(HTMLParser):
    """Text a reader sees in the article body: no title, legend, labels or tags."""

    SKIP = {"zh-label", "zh-meeting-tag", "zh-legend"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.meeting: list[str] = []
        # per open element: (hidden, meeting); text outside div.entities is hidden
        self._stack: list[tuple[bool, bool]] = [(True, False)]

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self._add("\n")
            return
        cls = dict(attrs).get("class") or ""
        hidden = cls in self.SKIP or (self._stack[-1][0] and cls != "entities")
        meeting = cls == "zh-meeting" or self._stack[-1][1]
        self._stack.append((hidden, meeting))

    def handle_endtag(self, tag):
        if tag != "br":
            self._stack.pop()

    def handle_data(self, data):
        if not self._stack[-1][0]:
            self._add(data)

    def _add(self, text):
        self.parts.append(text)
        if self._stack[-1][1]:
            self.meeting.append(text)


@pytest.fixture(scope="module")
def traditional_doc():
    """A traditional-script article with pinyin, entities and one meeting, set by hand."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {
        "@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1", "segmenter": "char"}}})
    original = "蘇州新聞\n市長(zhǎng)陶建業會見了澄川新能源科技有限公司董事長范啓明。雙方交流。"
    doc = nlp.make_doc(original)
    assert doc.text != original  # normalised: simplified, pinyin gone
    spans = [("市长", "TITLE"), ("陶建业", "PERSON"), ("澄川新能源科技有限公司", "COMPANY"),
             ("董事长", "TITLE"), ("范启明", "PERSON")]
    ents = []
    for surface, label in spans:
        start = doc.text.index(surface)
        ents.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = ents
    doc.ents[1]._.role, doc.ents[1]._.title = "official", "市长"
    start = original.index("\n") + 1  # offsets of the meeting sentence in the original
    end = original.index("。") + 1
    doc._.meetings = [Meeting("陶建业", "市长", "范启明", "董事长", "澄川新能源科技有限公司", ["新能源"],
                              "市长陶建业会见了澄川新能源科技有限公司董事长范启明。", start - 1, end)]
    doc._.doc_id = "news<1>.txt"
    return doc


def test_render_doc_shows_the_original_text_with_labels(traditional_doc):
    markup = viz.render_doc(traditional_doc, jupyter=False)
    parser = _VisibleText()
    parser.feed(markup)
    original = traditional_doc._.source.original
    assert "".join(parser.parts) == original  # every character, once, in order
    assert "".join(parser.meeting) == "市長(zhǎng)陶建業會見了澄川新能源科技有限公司董事長范啓明。"
    for label in ("PERSON", "TITLE", "COMPANY"):
        assert f">{label}</span>" in markup
    assert ">陶建業<span" in markup  # the entity itself is the original text
    assert "official" in markup  # the role, in the tooltip
    assert "news&lt;1&gt;.txt" in markup  # the title is escaped


def test_render_doc_options(traditional_doc):
    rendered = viz.render_doc(traditional_doc)
    assert isinstance(rendered, viz.HTMLString) and rendered._repr_html_() == str(rendered)
    plain = viz.render_doc(traditional_doc, highlight_meetings=False, jupyter=False, legend=False)
    assert type(plain) is str
    assert "zh-meeting" not in plain and "zh-legend" not in plain
    page = viz.render_doc(traditional_doc, page=True, jupyter=False)
    assert page.lstrip().startswith("<!DOCTYPE html>") and "Noto Sans CJK SC" in page


# ---------------------------------------------------------------------------
# plots


def _png(ax) -> bytes:
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=40)
    matplotlib.pyplot.close(ax.figure)
    return buffer.getvalue()


def test_draw_network_and_plot_counts_draw_something():
    meetings = _meetings()
    ax = viz.draw_network(meetings, color_by="region")
    labels = {t.get_text() for t in ax.texts}
    assert {"陶建业", "澄川新能源科技", "付家铭"} <= labels  # legal suffix dropped for display
    assert _png(ax).startswith(b"\x89PNG")
    ax = viz.plot_counts(meetings, "topics")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["机器人", "新能源", "储能"]
    assert [int(p.get_width()) for p in ax.patches] == [1, 1, 2]
    _png(ax)
    with pytest.raises(ValueError):
        viz.draw_network(meetings, color_by="colour")
    _png(viz.draw_network(meetings.iloc[:0]))  # no meetings: an empty picture, no error


def test_network_picture_does_not_depend_on_row_order():
    def placed(frame):
        ax = viz.draw_network(frame)
        where = sorted((t.get_text(), tuple(round(x, 6) for x in t.get_position())) for t in ax.texts)
        matplotlib.pyplot.close(ax.figure)
        return where

    meetings = _meetings()
    assert placed(meetings) == placed(meetings.iloc[::-1].reset_index(drop=True))


def test_plots_work_without_a_cjk_font(monkeypatch):
    monkeypatch.setattr(viz, "_CJK_FAMILIES", ())
    monkeypatch.setattr(viz, "_fontconfig_cjk_files", lambda: [])
    viz.cjk_font.cache_clear()
    try:
        assert viz.cjk_font() is None
        assert _png(viz.plot_counts(_meetings(), "company")).startswith(b"\x89PNG")
    finally:
        viz.cjk_font.cache_clear()


def test_import_stays_light():
    code = ("import sys, zh_invest_ner, zh_invest_ner.explore.viz, zh_invest_ner.explore.graph; "
            "print(sorted(m for m in ('matplotlib', 'networkx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent)
    assert out.stdout.strip() == "[]"


def test_graphml_of_the_example_articles_matches_their_meetings(shipped_nlp, tmp_path):
    import zh_invest_ner

    result = zh_invest_ner.extract(Path(__file__).resolve().parents[2] / "examples", nlp=shipped_nlp)
    meetings = result.meetings
    assert len(meetings) > 0
    g = nx.read_graphml(graph.export_graph(meetings, tmp_path / "ex.graphml"))
    # nodes are the canonical ids, labelled with the names
    parties = [row.company_id or row.executive_id for row in meetings.itertuples(index=False)]
    assert set(g.nodes) == set(meetings.official_id) | set(parties)
    assert {frozenset(e) for e in g.edges} == {frozenset(p) for p in zip(meetings.official_id, parties, strict=True)}
    labels = {g.nodes[n]["label"] for n in g.nodes}
    assert set(meetings.official) <= labels
