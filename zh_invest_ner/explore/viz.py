"""Pictures of the results: displaCy markup of an article, the meeting network, counts.

These helpers serve the exploration notebook (``notebooks/explore.ipynb``) and the
README images, and work the same in a plain script. Design choices:

* ``render_doc`` shows the text **the user gave** (traditional script, pinyin and all),
  not the normalised text the model saw, because that is the text a reader can check
  against the source; entity offsets are mapped back through ``doc._.source``.
* matplotlib and networkx are optional (``pip install "zh-invest-ner[viz]"``) and are
  imported inside the functions, so ``import zh_invest_ner`` stays fast.
* Chinese labels need a CJK font. One is looked up among the installed fonts; without
  one the plots are still drawn (glyphs show as boxes) rather than failing.
"""

from __future__ import annotations

import html
import logging
import subprocess
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from spacy import displacy
from spacy.tokens import Doc

from zh_invest_ner.explore.graph import _networkx, meeting_graph, meeting_party, official_region
from zh_invest_ner.optional import require
from zh_invest_ner.records import Meeting

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes

__all__ = [
    "LABEL_COLORS", "MEETING_COLOR", "HTMLString", "cjk_font", "displacy_data", "draw_network",
    "plot_counts", "render_doc", "use_cjk_font",
]

log = logging.getLogger(__name__)

#: Background colour per entity label; people stand out, titles stay quiet.
LABEL_COLORS: dict[str, str] = {
    "PERSON": "#aa9cfc",
    "TITLE": "#d9d2f7",
    "COMPANY": "#7aecec",
    "GOV": "#feca74",
    "ORG": "#bfeeb7",
    "GPE": "#f6b8c9",
    "TOPIC": "#a6d5fa",
}
#: Background of sentences that evidence a meeting.
MEETING_COLOR = "#fff3bf"

# displaCy's own entity template puts newlines and indentation around the entity text,
# which a browser turns into visible spaces: wrong for Chinese, which has none. This one
# is compact and adds a tooltip (role, title, normalised form) through ``params``.
_ENT_TEMPLATE = (
    '<mark class="entity" title="{tip}" style="background: {bg}; padding: 0.3em 0.45em; '
    'margin: 0 0.15em; line-height: 1; border-radius: 0.35em;">{text}'
    '<span class="zh-label" style="font-size: 0.62em; font-weight: bold; line-height: 1; border-radius: 0.35em; '
    'vertical-align: middle; margin-left: 0.3rem">{label}{kb_link}</span></mark>'
)
_MEETING_OPEN = (
    '<span class="zh-meeting" title="{tip}" style="background: {bg}; border-bottom: 2px solid #f0b400; '
    'padding: 0.35em 0; box-decoration-break: clone; -webkit-box-decoration-break: clone;">'
    '<span class="zh-meeting-tag" style="font-size: 0.6em; font-weight: bold; color: #8a6500; vertical-align: super; '
    'margin-right: 0.2em">MEETING</span>'
)
_MEETING_CLOSE = "</span>"
# Unicode noncharacters never occur in real text: safe markers for where a meeting
# sentence starts and ends, swapped for markup after displaCy has escaped the text.
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"

# Preferred CJK families, simplified-Chinese faces first.
_CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "Noto Sans CJK TC",
    "Noto Sans CJK JP", "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB",
    "Heiti SC", "Arial Unicode MS", "AR PL UMing CN", "Noto Serif CJK SC",
)
_NO_TOPIC = "(no topic)"
_OTHER = "(other)"
_PALETTE = (
    "#e6550d", "#3182bd", "#31a354", "#756bb1", "#d6616b", "#8c6d31", "#17becf", "#bcbd22",
    "#e377c2", "#637939",
)


# ---------------------------------------------------------------------------
# displaCy


class HTMLString(str):
    """A ``str`` of HTML that Jupyter displays as HTML when it is a cell's value."""

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        # Jupyter stores the text repr next to the HTML: the markup twice would double
        # the notebook's size for nothing. str() and print() still give the markup.
        return f"<HTML markup, {len(self)} characters>"


def _original_text(doc: Doc) -> str:
    source = doc._.source
    return source.original if source is not None else doc.text


def _entity_offsets(doc: Doc) -> list[tuple[int, int, Any]]:
    """Entities as ``(start, end, span)`` in the original text, without overlaps."""
    source = doc._.source
    out: list[tuple[int, int, Any]] = []
    last_end = 0
    for ent in doc.ents:
        start, end = (source.to_original(ent.start_char, ent.end_char) if source is not None
                      else (ent.start_char, ent.end_char))
        if start < last_end or start >= end:  # displaCy's ent style cannot nest
            continue
        out.append((start, end, ent))
        last_end = end
    return out


def _entity_tip(ent: Any, original: str) -> str:
    parts = [ent.label_]
    for attr in ("role", "title", "affiliation"):
        value = getattr(ent._, attr, None) if ent.has_extension(attr) else None
        if value and value != original:
            parts.append(str(value))
    if ent.text != original:
        parts.append(f"= {ent.text}")
    return " · ".join(parts)


def _meeting_tip(meetings: Iterable[Meeting]) -> str:
    lines = []
    for m in meetings:
        official = f"{m.official}（{m.official_title}）" if m.official_title else m.official
        party = m.executive or m.company or "?"
        if m.executive and m.executive_title:
            party = f"{party}（{m.executive_title}）"
        if m.executive and m.company:
            party = f"{party}, {m.company}"
        topics = f"; {'、'.join(m.topics)}" if m.topics else ""
        lines.append(f"{official} — {party}{topics}")
    return "\n".join(lines)


def _meeting_ranges(
    meetings: Iterable[Meeting], entities: list[tuple[int, int, Any]], text: str
) -> list[tuple[int, int, list[Meeting]]]:
    """Merged, entity-aligned ranges of meeting sentences with the meetings they carry.

    A range boundary inside an entity would make the highlight and the entity ``<mark>``
    overlap (invalid HTML), so such a boundary is widened to the entity's edge.
    """
    ranges: list[tuple[int, int, list[Meeting]]] = []
    length = len(text)
    for m in sorted(meetings, key=lambda m: (m.start, m.end)):
        start, end = max(0, m.start), min(length, m.end)
        # offsets may include the line breaks before a sentence; the highlight should not
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        for e_start, e_end, _ in entities:
            if e_start < start < e_end:
                start = e_start
            if e_start < end < e_end:
                end = e_end
        if ranges and start < ranges[-1][1]:
            prev_start, prev_end, prev = ranges[-1]
            ranges[-1] = (prev_start, max(prev_end, end), [*prev, m])
        else:
            ranges.append((start, end, [m]))
    return ranges


def displacy_data(doc: Doc, highlight_meetings: bool = True) -> tuple[dict[str, Any], list[str]]:
    """displaCy ``manual=True`` data for ``doc`` on its original text, plus meeting tooltips.

    Where meeting sentences are highlighted, the returned text carries marker characters
    at their edges (replaced by :func:`render_doc`); the second value lists one tooltip
    per highlighted range, in order.
    """
    original = _original_text(doc)
    entities = _entity_offsets(doc)
    ranges = _meeting_ranges(doc._.meetings or [], entities, original) if highlight_meetings else []
    if _OPEN in original or _CLOSE in original:  # pragma: no cover - noncharacters in input
        ranges = []
    # Insert the markers and shift entity offsets by the markers placed before them.
    cuts = sorted([(s, _OPEN) for s, _, _ in ranges] + [(e, _CLOSE) for _, e, _ in ranges],
                  key=lambda c: (c[0], c[1] == _OPEN))
    pieces, last = [], 0
    for pos, marker in cuts:
        pieces += [original[last:pos], marker]
        last = pos
    pieces.append(original[last:])
    text = "".join(pieces)

    def shift(pos: int, end: bool) -> int:
        # a marker exactly at an entity's edge stays outside the entity
        return pos + sum(1 for c, _ in cuts if c < pos or (c == pos and not end))

    ents = []
    for start, end, ent in entities:
        surface = original[start:end]
        ents.append({
            "start": shift(start, False), "end": shift(end, True), "label": ent.label_,
            "params": {"tip": html.escape(_entity_tip(ent, surface), quote=True)},
        })
    doc_id = doc._.doc_id if doc.has_extension("doc_id") else None
    title = html.escape(str(doc_id)) if doc_id is not None else None  # displaCy does not escape it
    data = {"text": text, "ents": ents, "title": title, "settings": {"lang": "zh", "direction": "ltr"}}
    return data, [_meeting_tip(ms) for _, _, ms in ranges]


def _legend(highlight_meetings: bool) -> str:
    chips = [
        f'<span style="background: {color}; padding: 0.15em 0.45em; border-radius: 0.35em; '
        f'margin-right: 0.35em; font-size: 0.8em; font-weight: bold">{label}</span>'
        for label, color in LABEL_COLORS.items()
    ]
    if highlight_meetings:
        chips.append(
            f'<span style="background: {MEETING_COLOR}; border-bottom: 2px solid #f0b400; '
            'padding: 0.15em 0.45em; font-size: 0.8em">meeting sentence</span>'
        )
    return f'<div class="zh-legend" style="margin: 0.3em 0 0.6em 0; line-height: 2">{"".join(chips)}</div>'


def render_doc(
    doc: Doc,
    highlight_meetings: bool = True,
    jupyter: bool | None = None,
    *,
    page: bool = False,
    legend: bool = True,
) -> str:
    """HTML of ``doc`` as displaCy's entity view, on the original text, meetings highlighted.

    Entities are coloured per label (:data:`LABEL_COLORS`); hovering one shows the role,
    title and affiliation the pipeline assigned. Each sentence that evidences a meeting
    gets a yellow background and a ``MEETING`` tag; hovering it shows who met whom.

    ``jupyter=None`` returns an :class:`HTMLString`, which a notebook renders when it is
    the value of a cell and which is ordinary markup everywhere else; ``jupyter=True``
    also displays it at once (useful inside loops); ``jupyter=False`` returns a plain
    ``str``. ``page=True`` wraps the markup in a complete HTML page (for a browser or a
    screenshot).
    """
    data, tips = displacy_data(doc, highlight_meetings)
    options = {"colors": LABEL_COLORS, "ents": list(LABEL_COLORS), "template": _ENT_TEMPLATE}
    markup = displacy.render(data, style="ent", manual=True, jupyter=False, page=page, options=options)
    for tip in tips:
        opening = _MEETING_OPEN.format(tip=html.escape(tip, quote=True), bg=MEETING_COLOR)
        markup = markup.replace(_OPEN, opening, 1)
    markup = markup.replace(_CLOSE, _MEETING_CLOSE)
    if legend:
        key = '<div class="entities"'
        markup = markup.replace(key, _legend(highlight_meetings) + key, 1)
    if page:
        markup = markup.replace("'Segoe UI', Helvetica, Arial, sans-serif",
                                "'Segoe UI', Helvetica, Arial, 'Noto Sans CJK SC', 'PingFang SC', "
                                "'Microsoft YaHei', sans-serif", 1)
    if jupyter:
        from IPython.display import HTML, display

        display(HTML(markup))
    if jupyter is None:
        return HTMLString(markup)
    return markup


# ---------------------------------------------------------------------------
# matplotlib helpers


def _pyplot() -> Any:
    """matplotlib's pyplot, an optional extra."""
    return require("matplotlib.pyplot", "plots", "matplotlib>=3.7")


def _fontconfig_cjk_files() -> list[tuple[str, str]]:
    """``(file, family)`` of fonts fontconfig says cover Chinese; empty without fc-list."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file", "family"], capture_output=True,
                             text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        path, _, families = line.partition(":")
        if path.strip() and families.strip():
            found.append((path.strip(), families.split(",")[0].strip()))
    return found


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Name of an installed font family that can draw Chinese, or ``None``.

    matplotlib's font cache may predate a font installed later (``apt-get install
    fonts-noto-cjk``), so fontconfig is asked too and its font registered with matplotlib.
    Without any CJK font this returns ``None`` and matplotlib's "missing glyph" warnings
    are silenced: plots still come out, with boxes for hanzi.
    """
    try:
        from matplotlib import font_manager
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in installed:
            return family
    candidates = _fontconfig_cjk_files()
    rank = {f: i for i, f in enumerate(_CJK_FAMILIES)}
    for path, _family in sorted(candidates, key=lambda c: rank.get(c[1], len(rank))):
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError, ValueError):  # unreadable or unsupported font file
            continue
    log.info("no CJK font found; Chinese labels will show as boxes (apt-get install fonts-noto-cjk)")
    warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from (current )?font")
    return None


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese in every plot of this session (e.g. pandas' ``.plot``).

    The plotting functions here pick the font per text and leave global settings alone;
    call this when your own plots need it too. Returns the family used, or ``None``.
    """
    family = cjk_font()
    if family is not None:
        import matplotlib as mpl

        mpl.rcParams["font.sans-serif"] = [family, *[f for f in mpl.rcParams["font.sans-serif"]
                                                     if f != family]]
        mpl.rcParams["font.family"] = "sans-serif"
        mpl.rcParams["axes.unicode_minus"] = False  # CJK fonts often lack the minus sign
    return family


def _font_kw() -> dict[str, Any]:
    family = cjk_font()
    return {"fontfamily": family} if family else {}


def _short(name: str, limit: int = 14) -> str:
    """A display label: company names lose their legal suffix, long names are cut."""
    name = " ".join(name.split())
    for suffix in ("集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots(figsize=figsize)
    return ax


# ---------------------------------------------------------------------------
# network


def _edge_groups(meetings: pd.DataFrame, color_by: str) -> dict[tuple[str, str], str]:
    """The group that colours each edge: its most frequent topic, or the official's region."""
    groups: dict[tuple[str, str], Counter] = {}
    for row in meetings.itertuples(index=False):
        official, party = getattr(row, "official", None), meeting_party(row)
        if not isinstance(official, str) or not official.strip() or party is None:
            continue
        counter = groups.setdefault((official, party[0]), Counter())
        if color_by == "region":
            counter[official_region(row)] += 1
        else:
            topics = row.topics if isinstance(row.topics, list | tuple) else list(row.topics or [])
            counter.update(topics or [_NO_TOPIC])
    return {edge: _top(c) for edge, c in groups.items()}


def _ranked(counter: Counter) -> list[str]:
    """Keys by falling count, ties by name: independent of the order rows came in."""
    return [key for key, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def _top(counter: Counter) -> str:
    return _ranked(counter)[0]


def _layout(graph: Any, seed: int) -> dict[Any, Any]:
    """Positions: each connected component laid out on its own, components on a grid.

    A spring layout of the whole graph pushes unconnected groups (typically one article
    each) to the corners and squeezes every group into a knot; laying them out separately
    keeps names legible.
    """
    import numpy as np

    nx = _networkx()
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c))
    columns = max(1, int(np.ceil(np.sqrt(len(components)))))
    pos: dict[Any, Any] = {}
    for i, nodes in enumerate(components):
        # sorted nodes and edges: the same data gives the same picture whatever the row order
        sub = nx.Graph()
        sub.add_nodes_from(nodes)
        sub.add_edges_from(sorted(tuple(sorted(e)) for e in graph.subgraph(nodes).edges))
        if len(nodes) == 1:
            local = {nodes[0]: np.zeros(2)}
        elif len(nodes) == 2:  # spring layout would stretch a pair across the whole cell
            local = {nodes[0]: np.array([-0.6, 0.0]), nodes[1]: np.array([0.6, 0.0])}
        else:
            try:
                local = nx.spring_layout(sub, seed=seed, iterations=200, weight=None)
            except ImportError:  # pragma: no cover - big components need scipy for spring layout
                local = nx.circular_layout(sub)
        centre = np.array([(i % columns) * 3.0, -(i // columns) * 3.0])
        for node, xy in local.items():
            pos[node] = centre + np.asarray(xy)
    return pos


def _draw_nodes(graph: Any, pos: dict, ax: Axes, color_by: str, color_of: Callable[[str], str], font: dict) -> None:
    """Officials as circles (coloured by region when asked), companies and executives as squares."""
    nx = _networkx()
    officials = [n for n, d in graph.nodes(data=True) if d["kind"] == "official"]
    parties = [n for n, d in graph.nodes(data=True) if d["kind"] != "official"]
    size = {n: 380 + 160 * d["meetings"] for n, d in graph.nodes(data=True)}
    if color_by == "region":
        official_colors = [color_of(graph.nodes[n].get("region", _OTHER)) for n in officials]
    else:
        official_colors = ["#5b4bc4"] * len(officials)
    nx.draw_networkx_nodes(graph, pos, ax=ax, nodelist=officials, node_shape="o",
                           node_size=[size[n] for n in officials], node_color=official_colors,
                           edgecolors="white", linewidths=1.5)
    nx.draw_networkx_nodes(graph, pos, ax=ax, nodelist=parties, node_shape="s",
                           node_size=[size[n] for n in parties], node_color="#2bb5a8",
                           edgecolors="white", linewidths=1.5)
    labels = {n: _short(d.get("label") or n) for n, d in graph.nodes(data=True)}
    nx.draw_networkx_labels(graph, pos, labels=labels, ax=ax, font_size=10,
                            font_family=font.get("fontfamily", "sans-serif"),
                            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.75})


def _draw_legend(ax: Axes, colors: dict[str, str], groups: dict, color_by: str, font: dict) -> None:
    """Node kinds, then the coloured groups (the rest as one "other" entry)."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", ls="", color="#5b4bc4", markersize=9, label="official"),
               Line2D([], [], marker="s", ls="", color="#2bb5a8", markersize=9, label="company / executive")]
    shown = [g for g in colors if g in set(groups.values())]
    if len(shown) < len(set(groups.values())):
        colors[_OTHER] = "#888888"
        shown.append(_OTHER)
    handles += [Line2D([], [], color=colors[g], lw=3, label=g) for g in shown]
    legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
                       fontsize=9, title=color_by)
    for text in [*legend.get_texts(), legend.get_title()]:
        if font:
            text.set_fontfamily(font["fontfamily"])


def draw_network(
    meetings: pd.DataFrame,
    ax: Axes | None = None,
    color_by: Literal["topic", "region"] = "topic",
    *,
    seed: int = 7,
    max_groups: int = 8,
    title: str | None = None,
) -> Axes:
    """Draw officials (circles) and the companies they met (squares).

    Edge width grows with the number of meetings between the pair; edge colour is the
    pair's most frequent topic (``color_by="topic"``) or the official's region
    (``color_by="region"``: ``official_affiliation`` when the frame has that column,
    else the article). Only the ``max_groups`` most common groups get their own colour,
    so the legend stays readable. The layout is seeded: the same data gives the same
    picture, which keeps README images and notebook diffs stable.
    """
    if color_by not in ("topic", "region"):
        raise ValueError(f"color_by must be 'topic' or 'region', not {color_by!r}")
    nx = _networkx()
    _pyplot()  # a clear ImportError before any work when matplotlib is missing

    graph = meeting_graph(meetings)
    ax = _new_axes(ax, (11, 7.5))
    font = _font_kw()
    ax.set_axis_off()
    if title is None:
        title = f"Officials and the companies they met (edge colour: {color_by})"
    ax.set_title(title, **font)
    if graph.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no meetings to draw", ha="center", va="center", transform=ax.transAxes)
        return ax

    groups = _edge_groups(meetings, color_by)
    ranked = [g for g in _ranked(Counter(groups.values())) if g != _NO_TOPIC]
    colors = {g: _PALETTE[i % len(_PALETTE)] for i, g in enumerate(ranked[:max_groups])}
    colors[_NO_TOPIC] = "#bbbbbb"

    def color_of(group: str) -> str:
        return colors.get(group, "#888888")

    pos = _layout(graph, seed)

    edges = list(graph.edges(data=True))
    nx.draw_networkx_edges(
        graph, pos, ax=ax, edgelist=[(u, v) for u, v, _ in edges],
        width=[1.2 + 1.6 * d["weight"] for _, _, d in edges],
        edge_color=[color_of(groups.get((u, v), groups.get((v, u), _OTHER))) for u, v, _ in edges],
        alpha=0.85,
    )
    _draw_nodes(graph, pos, ax, color_by, color_of, font)
    _draw_legend(ax, colors, groups, color_by, font)
    ax.margins(0.12)
    ax.figure.tight_layout()
    return ax


# ---------------------------------------------------------------------------
# counts


def plot_counts(
    meetings: pd.DataFrame,
    column: str = "topics",
    top: int = 15,
    ax: Axes | None = None,
    *,
    title: str | None = None,
) -> Axes:
    """Horizontal bar chart of the ``top`` most frequent values of ``column``.

    List columns (``topics``) are exploded first, so a meeting on two topics counts for
    both. Values are counted per meeting row: one company met by three officials counts 3.
    """
    if column not in meetings.columns:
        raise KeyError(f"no column {column!r}; columns are {list(meetings.columns)}")
    values = meetings[column]
    if any(isinstance(v, list | tuple) for v in values):
        values = values.explode()
    values = values[values.map(lambda v: isinstance(v, str) and bool(v.strip()))]
    counts = values.value_counts()
    order = sorted(counts.index, key=lambda v: (-counts[v], str(v)))  # ties by name: stable pictures
    counts = counts[order].head(top)
    ax = _new_axes(ax, (8, 0.45 * max(len(counts), 2) + 1.4))
    font = _font_kw()
    noun = {"topics": "topic"}.get(column, column)
    ax.set_title(title or f"Meetings per {noun} (top {top})", **font)
    if counts.empty:
        ax.text(0.5, 0.5, f"no values in {column!r}", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    counts = counts.iloc[::-1]  # largest on top
    positions = range(len(counts))
    bars = ax.barh(list(positions), counts.to_numpy(), color="#3182bd", height=0.7)
    # a few bars in a tall axes would each be huge: keep room for at least 6, empty below
    ax.set_ylim(-0.6 - max(0, 6 - len(counts)), len(counts) - 0.4)
    ax.set_yticks(list(positions), [_short(str(v), 20) for v in counts.index], **font)
    ax.bar_label(bars, padding=3, fontsize=9)
    ax.set_xlabel("meetings")
    ax.xaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.figure.tight_layout()
    return ax
