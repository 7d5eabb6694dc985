"""Convert our inline-markup training articles to doccano-style JSONL.

Writing ``⟦王某|PERSON⟧`` inline is much faster and less error-prone than counting
offsets by hand; this module turns it into the JSONL that ``zh-invest-ner train``
and doccano both read. Part of the articles are rendered in traditional script, and
a few with pinyin after characters (``率隊(duì)``), because real news arrives that
way and the normaliser and its offset map must be trained and tested on it.

Usage: ``python -m zh_invest_ner.training.markup training_data/markup -o training_data/articles.jsonl``
(needs the ``pypinyin`` package, in the ``dev`` extra).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from zh_invest_ner.labels import LABELS

KINDS = ("visit", "reception", "talks", "inspection", "signing", "company_report", "list_page", "negative",
         "general")  # general: short news of any field, for the NER only (no meetings to find)
#: Kinds of source an article imitates (``genre:`` in the header); training reports coverage by genre.
GENRES = ("portal", "company_site", "bulletin", "devzone", "index_page", "scraped", "reprint",
          "multi_event", "long_report", "forum", "chronicle", "crawled_record", "general_news")
PARTICIPATION = ("principal", "accompanying")
_ENTITY = re.compile(r"⟦([^⟦⟧|]+)\|([A-Z]+)⟧")
_HEADER = re.compile(r"^=== id: *([\w-]+)(.*)$")


class MarkupError(ValueError):
    """A markup problem, with the file and line where it is."""


@dataclass
class Article:
    id: str
    source: str
    line: int
    kind: str = ""
    genre: str = ""
    body: list[str] = field(default_factory=list)
    #: (official, executive or None, company, topics, participation)
    meetings: list[tuple[str, str | None, str, list[str], str]] = field(default_factory=list)


def _header(path: Path, lineno: int, head: re.Match) -> Article:
    """An article from its ``=== id: X | kind: K | genre: G`` line, checking both vocabularies."""
    rest = head.group(2) or ""
    kind = re.search(r"kind: *(\w+)", rest)
    genre = re.search(r"genre: *(\w+)", rest)
    article = Article(head.group(1), str(path), lineno, kind.group(1) if kind else "",
                      genre.group(1) if genre else "")
    if article.kind and article.kind not in KINDS:
        raise MarkupError(f"{path}:{lineno}: unknown kind {article.kind!r} (one of {', '.join(KINDS)})")
    if article.genre and article.genre not in GENRES:
        raise MarkupError(f"{path}:{lineno}: unknown genre {article.genre!r} (one of {', '.join(GENRES)})")
    return article


def _meeting(where: str, line: str) -> tuple[str, str | None, str, list[str], str]:
    """One ``official | executive | company | topics [| accompanying]`` line."""
    parts = [p.strip() for p in line.split("|")]
    if len(parts) not in (4, 5):
        raise MarkupError(f"{where}: a meeting line needs 'official | executive | company | topics "
                          "[| principal/accompanying]'")
    official, executive, company, topics = parts[:4]
    participation = parts[4] if len(parts) == 5 and parts[4] else "principal"
    if participation not in PARTICIPATION:
        raise MarkupError(f"{where}: participation must be one of {', '.join(PARTICIPATION)}, not {participation!r}")
    return (official, None if executive in ("-", "") else executive, company,
            [t.strip() for t in re.split("[;；]", topics) if t.strip()], participation)


def parse_file(path: Path) -> list[Article]:
    """Articles of one markup file; raises :class:`MarkupError` naming file and line."""
    articles: list[Article] = []
    current: Article | None = None
    in_meetings = False
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        where = f"{path}:{lineno}"
        head = _HEADER.match(line)
        if head:
            current = _header(path, lineno, head)
            articles.append(current)
            in_meetings = False
            continue
        if current is None:
            if line.strip():
                raise MarkupError(f"{where}: text before the first '=== id:' line")
            continue
        if line.strip() == "--- meetings":
            in_meetings = True
            continue
        if in_meetings:
            if not line.strip():
                continue
            current.meetings.append(_meeting(where, line))
        else:
            current.body.append(line)
    return articles


def _variant(article_id: str) -> str:
    """Deterministic choice of script for an article: simplified, traditional or pinyin."""
    h = int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % 100
    return "pinyin" if h < 7 else "traditional" if h < 27 else "simplified"


class _Renderer:
    """Renders text pieces in the article's script, optionally with pinyin annotations."""

    def __init__(self, variant: str, seed: str) -> None:
        self.variant = variant
        self.state = int(hashlib.sha1(seed.encode()).hexdigest(), 16)
        self.toneless = self.state % 3 == 0
        if variant != "simplified":
            import opencc

            self.s2t = opencc.OpenCC("s2t")
        if variant == "pinyin":
            import pypinyin  # noqa: F401 - authoring-time dependency

    def _rand(self) -> float:
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (self.state >> 11) / float(1 << 53)

    def convert(self, text: str) -> str:
        return self.s2t.convert(text) if self.variant != "simplified" else text

    def annotation(self, ch: str, next_ch: str) -> str:
        if self.variant != "pinyin" or not ("\u4e00" <= ch <= "\u9fff") or self._rand() > 0.22:
            return ""
        import pypinyin

        style = pypinyin.Style.NORMAL if self.toneless else pypinyin.Style.TONE
        syl = pypinyin.pinyin(ch, style=style, heteronym=False)[0][0]
        if not syl.isalpha():
            return ""
        if self.toneless:
            # toneless annotations are only unambiguous with a space after them
            return f"({syl}) " if "\u4e00" <= next_ch <= "\u9fff" else ""
        return f"({syl})"


class _Text:
    """The rendered text as it grows, with the offsets of the entities written into it.

    Offsets are counted in the text as rendered (converted script, pinyin included),
    because that is the text annotators and the training read.
    """

    def __init__(self, renderer: _Renderer) -> None:
        self.renderer = renderer
        self.out: list[str] = []
        self.pos = 0
        self.entities: list[dict] = []

    def emit(self, piece: str, label: str | None) -> None:
        """Append ``piece`` in the article's script; a labelled piece becomes an entity.

        The entity ends at its last character, before any pinyin annotation after it.
        """
        r = self.renderer
        piece = r.convert(piece)
        start = self.pos
        end = self.pos
        for i, ch in enumerate(piece):
            self.out.append(ch)
            self.pos += 1
            end = self.pos
            nxt = piece[i + 1] if i + 1 < len(piece) else ""
            ann = r.annotation(ch, nxt or "\u4e00")
            if ann and label and i == len(piece) - 1:
                ann = ann.rstrip()  # no annotation space glued after an entity
            self.out.append(ann)
            self.pos += len(ann)
        if label:
            self.entities.append({"id": len(self.entities) + 1, "label": label, "start_offset": start,
                                  "end_offset": end, "surface": None})


def _render_body(article: Article, r: _Renderer) -> tuple[str, list[dict]]:
    """The article's text and its entities (with their marked-up ``surface``), markup removed.

    Labels outside :data:`LABELS` and brackets left over (an unclosed ``⟦``) are errors
    of the author's, reported with the line where they are.
    """
    source = "\n".join(article.body).strip("\n")
    rendered = _Text(r)
    cursor = 0
    for m in _ENTITY.finditer(source):
        rendered.emit(source[cursor : m.start()], None)
        surface, label = m.group(1), m.group(2)
        if label not in LABELS:
            line = article.line + source.count("\n", 0, m.start()) + 1
            raise MarkupError(f"{article.source}:{line}: unknown label {label!r} on {surface!r}")
        rendered.emit(surface, label)
        rendered.entities[-1]["surface"] = surface
        cursor = m.end()
    rendered.emit(source[cursor:], None)
    text = "".join(rendered.out)
    leftover = re.search("[⟦⟧]", text)
    if leftover:
        line = article.line + text.count("\n", 0, leftover.start()) + 1
        raise MarkupError(f"{article.source}:~{line}: unbalanced ⟦ ⟧ in article {article.id}")
    return text, rendered.entities


def _first_ids(entities: list[dict]) -> dict[tuple[str, str], int]:
    """Id of the first entity of each (surface, label), removing the ``surface`` from the entities.

    A meeting line names people and companies by their text; it means their first mention.
    """
    first: dict[tuple[str, str], int] = {}
    for e in entities:
        first.setdefault((e.pop("surface"), e["label"]), e["id"])
    return first


def _entity_id(article: Article, first: dict[tuple[str, str], int], surface: str, labels: tuple[str, ...]) -> int:
    """The entity a meeting line names, under the first of ``labels`` it is marked with.

    A name the article does not mark that way is an author's error: the relation
    would point at nothing.
    """
    for label in labels:
        if (surface, label) in first:
            return first[(surface, label)]
    raise MarkupError(f"{article.source}:{article.line}: meeting names {surface!r}, "
                      f"which is not marked as {'/'.join(labels)} in article {article.id}")


def _relate(relations: list[dict], a: int, b: int, kind: str, **extra: str) -> None:
    """Add a relation unless one of that kind between the same entities is there already.

    Two meetings of one executive name the same company: it is one ``of_company``.
    """
    rel = {"from_id": a, "to_id": b, "type": kind}
    if rel not in [{k: x[k] for k in ("from_id", "to_id", "type")} for x in relations]:
        relations.append({"id": len(relations) + 1, **rel, **extra})


def _relations(article: Article, entities: list[dict]) -> list[dict]:
    """The relations of the article's meeting lines, between the ids of ``entities``.

    A meeting without an executive is met with the company itself.
    """
    first = _first_ids(entities)
    relations: list[dict] = []
    for official, executive, company, topics, participation in article.meetings:
        o = _entity_id(article, first, official, ("PERSON",))
        c = _entity_id(article, first, company, ("COMPANY", "ORG"))
        target = _entity_id(article, first, executive, ("PERSON",)) if executive else c
        _relate(relations, o, target, "met_with", participation=participation)
        if executive:
            _relate(relations, target, c, "of_company")
        for t in topics:
            _relate(relations, target, _entity_id(article, first, t, ("TOPIC",)), "on_topic")
    return relations


def render(article: Article) -> dict:
    """One doccano-style record for an article."""
    variant = _variant(article.id)
    r = _Renderer(variant, article.id)
    text, entities = _render_body(article, r)
    relations = _relations(article, entities)
    return {
        "id": article.id,
        "text": text,
        "entities": entities,
        "relations": relations,
        "meta": {"kind": article.kind, "genre": article.genre or None, "script": variant,
                 "source": Path(article.source).name},
    }


def convert(paths: list[Path]) -> list[dict]:
    records, seen = [], {}
    for path in paths:
        for article in parse_file(path):
            if article.id in seen:
                raise MarkupError(f"{path}:{article.line}: id {article.id} already used at {seen[article.id]}")
            seen[article.id] = f"{path}:{article.line}"
            records.append(render(article))
    return records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", type=Path, help="markup files or folders of *.md files")
    out = ap.add_mutually_exclusive_group(required=True)
    out.add_argument("-o", "--output", type=Path)
    out.add_argument("--check", action="store_true", help="only parse and render, report problems and counts")
    a = ap.parse_args(argv)
    files: list[Path] = []
    for p in a.inputs:
        files.extend(sorted(p.glob("*.md")) if p.is_dir() else [p])
    try:
        records = convert(files)
    except MarkupError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if a.check:
        negatives = sum(1 for r in records if r["meta"]["kind"] == "negative")
        print(f"{len(records)} articles ok, {negatives} negatives, "
              f"{sum(len(r['relations']) for r in records)} relations")
        return 0
    with a.output.open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(records)} articles -> {a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
