"""Meetings as a network: officials on one side, the companies they met on the other.

A meetings table answers "who met whom"; a graph answers "who is central, which
companies are courted by several cities". This module turns ``result.meetings``
into a weighted :class:`networkx.Graph` and writes it as GraphML or GEXF so the
network can be explored further in Gephi, Cytoscape or yEd.

networkx is an optional dependency (``pip install "zh-invest-ner[viz]"``); it is
imported only when these functions are called, so ``import zh_invest_ner`` stays light.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from zh_invest_ner.optional import require

if TYPE_CHECKING:  # pragma: no cover - typing only
    import networkx as nx

__all__ = ["export_graph", "meeting_graph", "meeting_party", "official_region"]

#: Joins several topics / documents into one attribute value. GraphML and GEXF
#: attributes are scalars, so lists have to travel as text; "; " keeps them splittable.
SEPARATOR = "; "


def _networkx() -> Any:
    """networkx, an optional extra."""
    return require("networkx", "meeting graphs", "networkx>=3")


def _text(value: Any) -> str | None:
    """A non-empty string, or ``None`` for NaN/None/empty values pandas may hold."""
    if isinstance(value, str) and value.strip():
        return value
    return None


def _topics(value: Any) -> list[str]:
    """Topics of one row as a list: frames hold lists, but a CSV round trip gives text."""
    if isinstance(value, str):
        if value.startswith("["):  # JSON text, as written by ExtractionResult.to_csv
            try:
                return [str(t) for t in json.loads(value)]
            except ValueError:
                pass
        return [t.strip() for t in re.split(r"[;；、,，]", value) if t.strip()]
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [str(t) for t in value]


def meeting_party(row: Any) -> tuple[str, str] | None:
    """The node an official met: the company, or the executive where no company is known.

    Returns ``(name, kind)`` with kind ``"company"`` or ``"executive"``, or ``None``
    when the row names neither (such a row cannot become an edge).
    """
    company = _text(getattr(row, "company", None))
    if company is not None:
        return company, "company"
    executive = _text(getattr(row, "executive", None))
    if executive is not None:
        return executive, "executive"
    return None


def _node(row: Any, id_column: str, name: str) -> str:
    """A node's key: the canonical id where the frame is linked (namesakes stay apart, short and
    full company names are one node), else the name."""
    return _text(getattr(row, id_column, None)) or name


def official_region(row: Any) -> str:
    """Where an official serves: ``official_region`` (or the affiliation) when the frame has it,
    else the document.

    Articles are mostly written by one city's media, so the document name is a reasonable
    stand-in for the region where nothing better is known.
    """
    affiliation = _text(getattr(row, "official_region", None)) or _text(getattr(row, "official_affiliation", None))
    if affiliation is not None:
        return affiliation
    doc_id = _text(getattr(row, "doc_id", None))
    return Path(doc_id).stem if doc_id is not None else "?"


def _most_common(counter: Counter) -> str:
    """The most frequent key; ties go to the smallest name so row order does not matter."""
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counter else ""


def meeting_graph(meetings: pd.DataFrame) -> nx.Graph:
    """A weighted, undirected graph: one node per official and per company met.

    Several meetings between the same pair collapse into one edge whose ``weight``
    counts them (a ``MultiGraph`` would be exact but most layout and export tools
    expect simple weighted graphs). Attributes are plain strings and ints so the
    graph can be written to GraphML/GEXF unchanged:

    * nodes: ``kind`` (``official``, ``company`` or ``executive`` when no company is
      known), ``title`` (most frequent title; executives' titles for companies),
      ``region`` (officials only, see :func:`official_region`), ``meetings``;
    * edges: ``weight``, ``topics``, ``docs``, ``executives`` (lists joined with "; ").

    Node ids are the canonical ids of a linked frame (``official_id``, ``company_id``:
    ``result.meetings`` has them), so namesakes never merge and aliases never split; every
    node also has ``label``, its (fullest) name. An unlinked frame uses the names as ids.
    """
    nx = _networkx()
    graph = nx.Graph()
    titles: dict[str, Counter] = {}
    regions: dict[str, Counter] = {}
    node_meetings: Counter = Counter()
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for row in meetings.itertuples(index=False):
        official = _text(getattr(row, "official", None))
        party = meeting_party(row)
        if official is None or party is None:
            continue
        label, kind = party
        name = _node(row, "company_id" if kind == "company" else "executive_id", label)
        label_o, official = official, _node(row, "official_id", official)
        if not graph.has_node(official):
            graph.add_node(official, kind="official", label=label_o)
        if not graph.has_node(name):
            graph.add_node(name, kind=kind, label=label)
        elif kind == "company" and len(label) > len(graph.nodes[name]["label"]):
            graph.nodes[name]["label"] = label  # the fullest name seen
        titles.setdefault(official, Counter()).update(filter(None, [_text(row.official_title)]))
        titles.setdefault(name, Counter()).update(filter(None, [_text(getattr(row, "executive_title", None))]))
        regions.setdefault(official, Counter())[official_region(row)] += 1
        node_meetings.update([official, name])
        edge = edges.setdefault((official, name), {"weight": 0, "topics": {}, "docs": {}, "executives": {}})
        edge["weight"] += 1
        # dicts as ordered sets: first-seen order is the order readers met them in
        edge["topics"].update(dict.fromkeys(_topics(getattr(row, "topics", None))))
        edge["docs"].update(dict.fromkeys(filter(None, [_text(getattr(row, "doc_id", None))])))
        edge["executives"].update(dict.fromkeys(filter(None, [_text(getattr(row, "executive", None))])))
    for node, data in graph.nodes(data=True):
        data["title"] = _most_common(titles.get(node, Counter()))
        data["meetings"] = node_meetings[node]
        if data["kind"] == "official":
            data["region"] = _most_common(regions[node])
    for (official, name), edge in edges.items():
        graph.add_edge(
            official, name,
            weight=edge["weight"],
            topics=SEPARATOR.join(edge["topics"]),
            docs=SEPARATOR.join(edge["docs"]),
            executives=SEPARATOR.join(edge["executives"]),
        )
    return graph


def export_graph(meetings: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write the meeting graph to ``path``: GraphML for ``.graphml``, GEXF for ``.gexf``.

    GraphML opens in Cytoscape, yEd and ``networkx.read_graphml``; GEXF is Gephi's
    native format. The format follows the extension so a typo cannot silently produce
    a file no tool reads.
    """
    nx = _networkx()
    path = Path(path)
    graph = meeting_graph(meetings)
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        nx.write_graphml(graph, path)
    elif suffix == ".gexf":
        nx.write_gexf(graph, path)
    else:
        raise ValueError(f"{path}: use a .graphml or .gexf extension to choose the format")
    return path
