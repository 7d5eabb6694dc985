"""HTML pages to article text, with a map from every text character back into the HTML.

Why this exists: scraped pages reach the pipeline as raw HTML, and the NER then reads
tags and scripts as text (entities like ``<script`` or ``钱雨桐<``). Users want the
entities' offsets in the page they gave us, so the article text comes with, per
character, the span of the HTML it came from, as a :class:`NormalizedText` whose
``original`` is the page.

Neither maintained parser (selectolax/lexbor, lxml) reports source positions, so the
work is split in three:

1. ``_scan``: one linear pass over the raw HTML that tokenises as an HTML5 tokenizer
   does (tags with quoted attributes, comments, bogus comments, raw-text and RCDATA
   elements, character references decoded by :func:`html.unescape`'s rules) and yields
   the *stream*: every character a browser could show, each with its source span.
   It knows nothing of the tree.
2. The parser builds the tree, which decides what is kept (no scripts, navigation,
   boilerplate classes…) and where blocks start and end. Its text nodes, in document
   order, are found in the stream moving forward (``_Aligner``), so each kept character
   gets the span of the stream character it is. Text the parser moved (foster-parented
   table text) is looked for behind the cursor; text it invented or repaired is aligned
   character by character, and what cannot be found is left out.
3. ``_Layout`` writes the kept stream ranges in source order, collapsing whitespace as a
   browser does and turning block boundaries into line breaks whose span is the markup
   that caused them.

The tag lists and the class/id words of page furniture are data:
``zh_invest_ner/data/html_drop.json``.
"""

from __future__ import annotations

import html as _html
import json
import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from html.entities import html5 as _HTML5
from importlib import resources
from itertools import accumulate
from operator import attrgetter, methodcaller
from typing import Any

from zh_invest_ner.text.chars import is_hanzi
from zh_invest_ner.text.normalizer import NormalizedText

__all__ = ["HTML_PARSERS", "extract_html", "looks_like_html"]

#: The parsers :func:`extract_html` can use, the default first.
HTML_PARSERS: tuple[str, ...] = ("selectolax", "lxml")

_INSTALL = {"selectolax": "pip install selectolax", "lxml": "pip install lxml"}

# ---------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class _Rules:
    """The contents of ``html_drop.json``, as sets."""

    drop: frozenset[str]
    raw: frozenset[str]
    rcdata: frozenset[str]
    pre: frozenset[str]
    levels: dict[str, int]  # tag -> break level (see _CELL, _LINE, _PARAGRAPH)
    tokens: frozenset[str]
    roles: frozenset[str]
    attributes: tuple[str, ...]
    styles: tuple[str, ...]
    known: frozenset[str]


# Break levels: what separates the text before and after a boundary. _BR is not a level
# but a request: one more line break than already pending, at most a blank line.
_NONE, _CELL, _LINE, _PARAGRAPH, _BR = 0, 1, 2, 3, 4
_SEPARATORS = ("", " ", "\n", "\n\n")


@cache
def _rules() -> _Rules:
    raw = resources.files("zh_invest_ner").joinpath("data", "html_drop.json").read_text("utf-8")
    data = json.loads(raw)
    levels = dict.fromkeys(data["cell_tags"], _CELL)
    levels.update(dict.fromkeys(data["block_tags"], _LINE))
    levels.update(dict.fromkeys(data["paragraph_tags"], _PARAGRAPH))
    levels.update(dict.fromkeys(data["line_break_tags"], _BR))
    return _Rules(
        drop=frozenset(data["drop_tags"]),
        raw=frozenset(data["raw_text_tags"]),
        rcdata=frozenset(data["rcdata_tags"]),
        pre=frozenset(data["preformatted_tags"]),
        levels=levels,
        tokens=frozenset(data["boilerplate_tokens"]),
        roles=frozenset(data["drop_roles"]),
        attributes=tuple(data["drop_attributes"]),
        styles=tuple(data["drop_styles"]),
        known=frozenset(data["known_tags"]),
    )


# Words of a class/id value: "main-nav" -> main, nav; "shareBox" -> share, box.
_WORD_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


@lru_cache(maxsize=8192)
def _marks_boilerplate(value: str) -> bool:
    """Whether a class or id value names page furniture (whole words, not substrings)."""
    tokens = _rules().tokens
    return any(w.lower() in tokens for w in _WORD_RE.findall(value))


def _hidden_by(attrs: Any) -> bool:
    """Whether an element's attributes (a mapping) mark it as page furniture or hidden."""
    if not attrs:
        return False
    rules = _rules()
    for name in ("class", "id"):
        value = attrs.get(name)
        if value and _marks_boilerplate(value):
            return True
    role = attrs.get("role")
    if role and role.strip().lower() in rules.roles:
        return True
    style = attrs.get("style")
    if style and any(s in style.replace(" ", "").lower() for s in rules.styles):
        return True
    return any(a in attrs for a in rules.attributes)


# ---------------------------------------------------------------------------
# looks_like_html

_DOCUMENT_RE = re.compile(r"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_TAG_LIKE_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9]{0,9})(?=[\s/>])[^<>]{0,2000}>")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML page or fragment rather than article text.

    A doctype or an ``<html`` tag decides; otherwise it takes two tags with known HTML
    names (``<p>…</p>``, ``<br><br>``, ``<a href=…>…</a>``), so prose with a stray
    ``营收<10%`` or a single ``a<b>c`` stays text.
    """
    if not text or "<" not in text:
        return False
    if _DOCUMENT_RE.search(text):
        return True
    known, seen = _rules().known, 0
    for m in _TAG_LIKE_RE.finditer(text):
        if m.group(1).lower() in known:
            seen += 1
            if seen >= 2:
                return True
    return False


# ---------------------------------------------------------------------------
# 1. The scanner: visible characters with their source spans
#
# One regex finds every piece of markup, so the scan runs at the regex engine's speed
# and ``re.split`` hands back the text between. Its alternatives follow the HTML5
# tokenizer: a comment runs to ``-->`` (``<!-->`` is empty, an unterminated one runs to
# the end); ``<!…>``, ``<?…>`` and ``</`` + non-letter are bogus comments up to ``>``; a
# tag is ``<`` or ``</`` + ASCII letter up to the first ``>`` outside a quoted attribute
# value, and one cut off by the end of the page swallows the rest; a raw-text element
# (script, style…) swallows everything up to its end tag. ``<`` before anything else
# (``营收<10%``) is text. Every alternative ends in ``(?:>|\Z)`` after a loop that can
# consume any other character, so a match never fails late and never backtracks.

_ATTRS = r"""(?:[^>"'=]+|=[\t\n\f\r ]*(?:"[^"]*(?:"|\Z)|'[^']*(?:'|\Z))?|["'])*(?:>|\Z)"""
_TEXT_SPECIAL_RE = re.compile(r"[&\r]")
# The same pattern html.unescape uses, so entity extents agree with its decoding.
_CHARREF_RE = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


@cache
def _markup_re(raw_tags: tuple[str, ...]) -> re.Pattern[str]:
    # Factored on the leading "<", which the engine then looks for first; comment and
    # raw-text bodies are unrolled loops ([^<]* then "<" not starting the end tag), several
    # times faster than a lazy .*? that tries the end at every character.
    raw = "".join(rf"{re.escape(t)}(?![^\t\n\f\r />]){_ATTRS}[^<]*(?:<(?!/{re.escape(t)}[\t\n\f\r />])[^<]*)*|"
                  for t in raw_tags)
    comment = r"!--(?:-?>|[^-]*(?:-(?!-!?>)[^-]*)*(?:--!?>|\Z))"
    return re.compile(
        rf"(<(?:{comment}|[!?][^>]*(?:>|\Z)|/(?:>|[^A-Za-z>][^>]*(?:>|\Z)|[A-Za-z]{_ATTRS})"
        rf"|(?=[A-Za-z])(?:{raw}[A-Za-z]{_ATTRS})))",
        re.DOTALL | re.IGNORECASE,
    )


class _Stream:
    """The visible characters of a page: ``text[k]`` came from ``html[starts[k]:ends[k]]``."""

    __slots__ = ("ends", "starts", "text")

    def __init__(self, text: str, starts: array, ends: array) -> None:
        self.text, self.starts, self.ends = text, starts, ends


def _scan(html: str, rules: _Rules) -> _Stream:
    """The visible character stream of ``html``, in one forward pass."""
    import numpy as np  # a dependency of spaCy; builds the per-character maps at C speed

    pieces = _markup_re(tuple(sorted(rules.raw))).split(html)
    texts = pieces[0::2]
    text = "".join(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    sources = np.fromiter(accumulate(map(len, pieces), initial=0), dtype=np.int64, count=len(pieces) + 1)[0::2]
    # stream index -> source index: each text piece is a run shifted by (source - stream) start
    shift = np.repeat(sources - (np.cumsum(lengths) - lengths), lengths)
    positions = (shift + np.arange(len(text), dtype=np.int64)).astype(np.int32)
    starts, ends = array("i"), array("i")
    starts.frombytes(positions.tobytes())
    ends.frombytes((positions + 1).tobytes())
    stream = _Stream(text, starts, ends)
    if "&" in text or "\r" in text:
        _decode(stream)
    return stream


def _decode(stream: _Stream) -> None:
    """Decode character references and read CR/CRLF as LF, keeping each char's source span.

    The edits are found in Python (one regex match each); the new maps are gathered with
    numpy, since a page can hold thousands of ``&nbsp;``.
    """
    import numpy as np

    text, starts = stream.text, stream.starts
    edits: list[tuple[int, int, str]] = []
    p = 0
    for m in _TEXT_SPECIAL_RE.finditer(text):
        k = m.start()
        if k < p:
            continue
        if text[k] == "\r":
            end = k + 2 if text.startswith("\n", k + 1) and starts[k + 1] == starts[k] + 1 else k + 1
            edits.append((k, end, "\n"))
        else:
            end, chars = _charref(text, starts, k)
            if end == k:
                continue
            edits.append((k, end, chars))
        p = end
    if not edits:
        return
    pieces: list[str] = []
    decoded: list[tuple[int, int]] = []  # (new index, stream index of the edit's last char)
    runs: list[tuple[int, int]] = []  # unchanged stream runs (lo, hi)
    p = size = 0
    for k, end, chars in edits:
        pieces.append(text[p:k])
        runs.append((p, k))
        size += k - p
        pieces.append(chars)
        for _ in chars:
            decoded.append((size, end - 1))
            runs.append((k, -1))
            size += 1
        p = end
    pieces.append(text[p:])
    runs.append((p, len(text)))
    los = np.fromiter((lo for lo, _ in runs), dtype=np.int64, count=len(runs))
    his = np.fromiter((hi for _, hi in runs), dtype=np.int64, count=len(runs))
    lengths = np.where(his < 0, 1, his - los)
    index = np.repeat(los - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))
    old_starts = np.frombuffer(starts, dtype=np.int32)
    old_ends = np.frombuffer(stream.ends, dtype=np.int32)
    new_starts, new_ends = old_starts[index], old_ends[index]
    at = np.fromiter((i for i, _ in decoded), dtype=np.int64, count=len(decoded))
    last = np.fromiter((j for _, j in decoded), dtype=np.int64, count=len(decoded))
    new_ends[at] = old_ends[last]
    stream.text = "".join(pieces)
    stream.starts, stream.ends = array("i"), array("i")
    stream.starts.frombytes(new_starts.tobytes())
    stream.ends.frombytes(new_ends.tobytes())


def _charref(text: str, starts: array, k: int) -> tuple[int, str]:
    """End and decoding of the character reference at ``text[k] == '&'``; ``(k, '')`` if none.

    Mirrors :func:`html.unescape`: a named reference without ``;`` uses the longest
    prefix that is a legacy name (``&ampfoo`` is ``&`` then ``foo``). A reference
    never spans markup, so the match stops where the stream skips source characters.
    """
    m = _CHARREF_RE.match(text, k)
    if m is None:
        return k, ""
    end = m.end()
    if starts[end - 1] - starts[k] != end - 1 - k:  # it ran over markup: match again up to it
        cut = next(j for j in range(k + 1, end) if starts[j] != starts[j - 1] + 1)
        m = _CHARREF_RE.match(text, k, cut)
        if m is None:
            return k, ""
        end = m.end()
    name = m.group(1)
    if name[0] == "#":
        return end, _html.unescape(m.group())
    if name in _HTML5:
        return end, _HTML5[name]
    for x in range(len(name) - 1, 1, -1):
        if name[:x] in _HTML5:
            return k + 1 + x, _HTML5[name[:x]]
    return k, ""


# ---------------------------------------------------------------------------
# 2. Aligning the parser's text onto the stream

_WINDOW = 512  # how far ahead a text node may start: stream text the tree did not account for
_CHAR_WINDOW = 64  # the same, per character, when a node is aligned character by character
_BACKTRACK_TRIES = 16


class _Aligner:
    """Finds the tree's text nodes in the stream, in document order, and records what is kept.

    ``items`` holds ``(lo, 1, hi, pre)`` for a kept stream range and ``(anchor, 0, level, 0)``
    for a break requested between stream characters ``anchor - 1`` and ``anchor``.
    """

    __slots__ = ("budget", "claimed", "cursor", "items", "out_of_order", "rules", "stream", "text", "use_title")

    def __init__(self, stream: _Stream, rules: _Rules) -> None:
        self.stream, self.rules = stream, rules
        self.text = stream.text
        self.cursor = 0
        self.items: list[tuple[int, int, int, int]] = []
        # Searches beyond the window cost up to the whole stream; their total is capped so
        # a page the parser rewrote heavily stays linear.
        self.budget = 4 * len(self.text) + 65536
        self.claimed: bytearray | None = None  # built on the first backward search
        self.out_of_order = False
        self.use_title = False

    def skip(self, t: str) -> None:
        """A dropped text node: only moves the cursor, so kept text is not found inside it."""
        s, cur = self.text, self.cursor
        if s.startswith(t, cur):
            self.cursor = cur + len(t)
            return
        p = s.find(t, cur, cur + len(t) + _WINDOW)
        if p >= 0:
            self.cursor = p + len(t)

    def keep(self, t: str, pre: bool) -> None:
        """A kept text node."""
        cur = self.cursor
        if self.claimed is None and self.text.startswith(t, cur):  # the usual case, kept short
            end = cur + len(t)
            items = self.items
            if items:
                last = items[-1]
                if last[1] == 1 and last[2] == cur and last[3] == pre:
                    items[-1] = (last[0], 1, end, pre)
                    self.cursor = end
                    return
            items.append((cur, 1, end, pre))
            self.cursor = end
            return
        s, size = self.text, len(t)
        p = cur if s.startswith(t, cur) else s.find(t, cur, cur + size + _WINDOW)
        if p < 0:
            p = self._search_far(t)
        if p < 0:
            self._keep_chars(t, pre)
            return
        self._add(p, p + size, pre)
        if p + size > self.cursor:
            self.cursor = p + size
        elif p < cur:  # text the parser moved ahead of where it was written: a line of its own
            self.items.append((p, 0, _LINE, 0))
            self.items.append((p + size, 0, _LINE, 0))

    def brk(self, level: int) -> None:
        self.items.append((self.cursor, 0, level, 0))

    def _add(self, lo: int, hi: int, pre: bool) -> None:
        items = self.items
        if self.claimed is not None:
            self.claimed[lo:hi] = b"\x01" * (hi - lo)
        if items and (lo < items[-1][0] or (items[-1][1] == 1 and lo < items[-1][2])):
            self.out_of_order = True
        elif items and items[-1][1] == 1 and items[-1][2] == lo and items[-1][3] == pre:
            items[-1] = (items[-1][0], 1, hi, pre)
            return
        items.append((lo, 1, hi, pre))

    def _search_far(self, t: str) -> int:
        """``t`` anywhere ahead, else unclaimed behind the cursor (text the parser moved)."""
        s, cur = self.text, self.cursor
        if self.budget <= 0:
            return -1
        self.budget -= len(s)
        p = s.find(t, cur)
        if p >= 0:
            return p
        if self.claimed is None:
            self.claimed = bytearray(len(s))
            for lo, kind, hi, _ in self.items:
                if kind == 1:
                    self.claimed[lo:hi] = b"\x01" * (hi - lo)
        claimed, end = self.claimed, cur
        for _ in range(_BACKTRACK_TRIES):
            p = s.rfind(t, 0, end)
            if p < 0:
                return -1
            if claimed.find(1, p, p + len(t)) < 0:
                return p
            end = p + len(t) - 1
        return -1

    def _keep_chars(self, t: str, pre: bool) -> None:
        """Align ``t`` character by character; characters not in the stream are left out."""
        s, cur = self.text, self.cursor
        for ch in t:
            p = s.find(ch, cur, cur + _CHAR_WINDOW)
            if p >= 0:
                self._add(p, p + 1, pre)
                cur = p + 1
        self.cursor = cur


# ---------------------------------------------------------------------------
# Tree walks, one per parser. Both are iterative: malformed pages nest thousands deep.


_KEEP, _SKIP, _IGNORE = 0, 1, 2  # text is kept / only moves the cursor / is not in the stream


def _enter(tag: str, mode: int, node: Any, parser: _TreeOps, al: _Aligner) -> tuple[int, int]:
    """The mode inside element ``tag`` (entered in ``mode``) and the break level it causes."""
    rules = al.rules
    if tag in rules.raw:
        return _IGNORE, _NONE
    if tag == "title":  # the head's title stands in for a missing <h1>
        if al.use_title and mode != _IGNORE and parser.parent_tag(node) == "head":
            al.use_title = False
            return _KEEP, _PARAGRAPH
        return (_SKIP if mode == _KEEP else mode), _NONE
    if mode != _KEEP:
        return mode, _NONE
    if tag in rules.drop or _hidden_by(parser.attrs(node)):
        return _SKIP, _NONE
    return _KEEP, rules.levels.get(tag, _NONE)


@dataclass(frozen=True)
class _TreeOps:
    """How to read one parser's nodes: their attributes (a mapping) and their parent's tag."""

    attrs: Callable[[Any], Any]
    parent_tag: Callable[[Any], str | None]


def _lexbor_parent_tag(node: Any) -> str | None:
    parent = node.parent
    return None if parent is None else parent.tag


def _lxml_parent_tag(el: Any) -> str | None:
    parent = el.getparent()
    return None if parent is None else parent.tag


_LEXBOR = _TreeOps(attrs=lambda node: node.attributes, parent_tag=_lexbor_parent_tag)
_LXML = _TreeOps(attrs=lambda el: el.attrib, parent_tag=_lxml_parent_tag)


def _last_descendant_id(node: Any) -> int:
    child = node.last_child
    while child is not None:
        node, child = child, child.last_child
    return node.mem_id


def _walk_lexbor(root: Any, al: _Aligner, text_of: Callable[[Any], str | None]) -> None:
    """Walk a selectolax tree in document order, feeding text nodes and breaks to ``al``.

    ``traverse`` has no end-of-element events, so an element that changes the mode or
    causes a break registers its last descendant; passing that node closes it.
    """
    pre_tags, keep, skip, brk = al.rules.pre, al.keep, al.skip, al.brk
    mode, pre = _KEEP, False
    ends: list[int] = []  # mem_id of the last node inside each open element
    saved: list[tuple[int, bool, int]] = []  # the mode and pre to restore there, the break to emit
    for node in root.traverse(include_text=True):
        tag = node.tag
        if tag == "-text":
            if mode != _IGNORE:
                t = text_of(node)
                if t:
                    keep(t, pre) if mode == _KEEP else skip(t)
        elif tag and tag[0] not in "-_!":  # not a comment, doctype or processing instruction
            new_mode, level = _enter(tag, mode, node, _LEXBOR, al)
            if level == _BR:
                brk(_BR)
            elif level or new_mode != mode or (not pre and tag in pre_tags):
                if level:
                    brk(level)
                ends.append(_last_descendant_id(node))
                saved.append((mode, pre, level))
                mode, pre = new_mode, pre or tag in pre_tags
        if ends and ends[-1] == node.mem_id:
            mode, pre = _close(node.mem_id, ends, saved, brk)


def _close(
    mem_id: int, ends: list[int], saved: list[tuple[int, bool, int]], brk: Callable[[int], None]
) -> tuple[int, bool]:
    """Close every open element whose last node is ``mem_id``; the mode and pre outside them."""
    while True:
        ends.pop()
        mode, pre, level = saved.pop()
        if level:
            brk(level)
        if not ends or ends[-1] != mem_id:
            return mode, pre


def _walk_lxml(root: Any, al: _Aligner) -> None:
    """Walk an lxml tree (``.text`` then children, each followed by its ``.tail``)."""
    pre_tags, keep, skip, brk = al.rules.pre, al.keep, al.skip, al.brk

    def text(t: str | None, mode: int, pre: bool) -> None:
        if t and mode != _IGNORE:
            keep(t, pre) if mode == _KEEP else skip(t)

    # (element, mode, pre, exit level or -1 on entry); on exit, mode/pre are the parent's
    stack: list[tuple[Any, int, bool, int]] = [(root, _KEEP, False, -1)]
    while stack:
        el, mode, pre, exit_level = stack.pop()
        if exit_level >= 0:
            if exit_level:
                brk(exit_level)
            text(el.tail, mode, pre)
            continue
        tag = el.tag
        if not isinstance(tag, str):  # comments, processing instructions
            text(el.tail, mode, pre)
            continue
        own, level = _enter(tag, mode, el, _LXML, al)
        if level == _BR:
            brk(_BR)
            text(el.tail, mode, pre)
            continue
        if level:
            brk(level)
        own_pre = pre or tag in pre_tags
        inner = el.text
        if inner and tag in pre_tags and inner[0] == "\n":
            inner = inner[1:]  # HTML5 drops the newline right after <pre>; libxml2 keeps it
        text(inner, own, own_pre)
        stack.append((el, mode, pre, level))
        stack.extend((child, own, own_pre, -1) for child in reversed(el))


def _has_kept_h1(h1s: Any, parent_of: Callable[[Any], Any], ops: _TreeOps, rules: _Rules) -> bool:
    """Whether some ``<h1>`` survives the drop rules, i.e. the page's own title is in the text."""
    for h1 in h1s:
        node, dropped = h1, False
        while node is not None and not dropped:
            tag = node.tag
            if not isinstance(tag, str) or tag.startswith("-"):  # the document node
                break
            dropped = tag in rules.drop or tag in rules.raw or _hidden_by(ops.attrs(node))
            node = parent_of(node)
        if not dropped:
            return True
    return False


# ---------------------------------------------------------------------------
# Parsers. Each parses, then returns the walk to run (parsing is where they may fail).

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _utf8(html: str) -> bytes:
    """``html`` as UTF-8; lone surrogates (bytes a decoder escaped) become U+FFFD first."""
    try:
        return html.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE_RE.sub("\ufffd", html).encode("utf-8")


def _import_error(parser: str) -> ImportError:
    return ImportError(f"extract_html(parser={parser!r}) needs {parser}: {_INSTALL[parser]}")


def _selectolax() -> tuple[Callable[[str], Any], Callable[[Any], str | None]]:
    """The lexbor parser and its text-node accessor; the old modest backend if lexbor is missing."""
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        try:
            from selectolax.parser import HTMLParser
        except ImportError as exc:
            raise _import_error("selectolax") from exc
        return HTMLParser, lambda node: node.text(deep=False)
    return LexborHTMLParser, attrgetter("text_content")


def _parse_selectolax(html: str, al: _Aligner) -> Callable[[], None] | None:
    make, text_of = _selectolax()
    root = make(html).root  # lexbor drops lone surrogates itself
    if root is None:
        return None

    def walk() -> None:
        al.use_title = not _has_kept_h1(root.css("h1"), attrgetter("parent"), _LEXBOR, al.rules)
        _walk_lexbor(root, al, text_of)

    return walk


def _lxml() -> Any:
    try:
        import lxml.html
    except ImportError as exc:
        raise _import_error("lxml") from exc
    return lxml.html


def _parse_lxml(html: str, al: _Aligner) -> Callable[[], None] | None:
    lxml_html = _lxml()
    # Bytes with an explicit encoding: lxml refuses str with an XML encoding declaration,
    # and a <meta charset> must not override what the text already is.
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    root = lxml_html.document_fromstring(_utf8(html), parser=parser)
    if any(e.level_name == "FATAL" for e in parser.error_log):
        # libxml2 stopped part-way (nesting deeper than 2048): the tree lacks the rest
        raise ValueError(f"lxml gave up: {parser.error_log[-1].message}")

    def walk() -> None:
        al.use_title = not _has_kept_h1(root.iter("h1"), methodcaller("getparent"), _LXML, al.rules)
        _walk_lxml(root, al)

    return walk


_PARSE: dict[str, Callable[[str, _Aligner], Callable[[], None] | None]] = {
    "selectolax": _parse_selectolax,
    "lxml": _parse_lxml,
}
_IMPORTS: dict[str, Callable[[], Any]] = {"selectolax": _selectolax, "lxml": _lxml}


# ---------------------------------------------------------------------------
# 3. Layout: kept ranges in source order, whitespace collapsed, breaks inserted

_WS_RUN_RE = re.compile("[ \t\n\f\r\u00a0]+")
_PRE_BREAK_RE = re.compile("[ \t\u00a0]*\n")
# Besides hanzi: radicals, CJK symbols and punctuation, kana, compatibility ideographs,
# vertical forms, full-width forms (，。：；！？（）). A range test: a regex of these
# classes costs milliseconds to compile at import.
_CJK_OTHER = ((0x2E80, 0x2FDF), (0x3000, 0x30FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def _is_cjk(ch: str) -> bool:
    """Hanzi or CJK punctuation: whitespace between two of these is a source line wrap."""
    if is_hanzi(ch):
        return True
    o = ord(ch)
    return 0x2E80 <= o <= 0xFFEF and any(lo <= o <= hi for lo, hi in _CJK_OTHER)
_LONG_GAP = 200


class _Layout:
    """Builds the output text and its two offset arrays from the aligned items."""

    __slots__ = ("brk_span", "ends", "html", "last", "level", "offsets", "pieces", "stream", "ws_span")

    def __init__(self, html: str, stream: _Stream) -> None:
        self.html, self.stream = html, stream
        self.pieces: list[str] = []
        self.offsets = array("i")
        self.ends = array("i")
        self.last = ""  # the last character written; "" while nothing is
        self.level = _NONE
        self.brk_span: tuple[int, int] | None = None
        self.ws_span: tuple[int, int] | None = None

    def brk(self, level: int, span: tuple[int, int] | None, anchor: int = 0) -> None:
        """A break between what is written and what comes next; leading breaks vanish."""
        if not self.last:
            return
        if level == _BR:
            self.level = _LINE if self.level < _LINE else _PARAGRAPH
        else:
            self.level = max(self.level, level)
        if self.brk_span is None:
            self.brk_span = span or self._gap(anchor)
        self.ws_span = None

    def _gap(self, k: int) -> tuple[int, int]:
        """The markup between stream characters ``k - 1`` and ``k``: what caused a break there."""
        st, en = self.stream.starts, self.stream.ends
        a = en[k - 1] if k > 0 else 0
        b = st[k] if k < len(st) else len(self.html)
        if b <= a:  # no markup in between (the parser inferred the block)
            return (st[k], en[k]) if k < len(st) else (a, a + 1)
        if b - a > _LONG_GAP:  # a script or a dropped menu sits in between: the first tag
            close = self.html.find(">", a, b)
            b = close + 1 if close >= 0 else a + 1
        return a, b

    def text(self, lo: int, hi: int) -> None:
        """Stream range ``[lo, hi)`` of ordinary text: whitespace runs collapse."""
        s, st, en = self.stream.text, self.stream.starts, self.stream.ends
        p = lo
        for m in _WS_RUN_RE.finditer(s, lo, hi):
            k = m.start()
            if k > p:
                self._copy(p, k)
            if self.last and not self.level and self.ws_span is None:
                self.ws_span = (st[k], en[k])
            p = m.end()
        if p < hi:
            self._copy(p, hi)

    def pre(self, lo: int, hi: int) -> None:
        """Stream range ``[lo, hi)`` inside ``<pre>``: spaces kept, each newline a line break."""
        st, en = self.stream.starts, self.stream.ends
        p = lo
        for m in _PRE_BREAK_RE.finditer(self.stream.text, lo, hi):
            k, nl = m.start(), m.end() - 1
            if k > p:
                self._copy(p, k)
            self.brk(_BR, (st[nl], en[nl]))
            p = m.end()
        if p < hi:
            self._copy(p, hi)

    def _copy(self, a: int, b: int) -> None:
        s = self.stream.text
        if self.last:
            sep, span = "", self.brk_span
            if self.level:
                sep = _SEPARATORS[self.level]
            elif self.ws_span is not None and not (_is_cjk(self.last) and _is_cjk(s[a])):
                sep, span = " ", self.ws_span
            if sep and span is not None:
                self.pieces.append(sep)
                self.offsets.extend([span[0]] * len(sep))
                self.ends.extend([span[1]] * len(sep))
        self.level, self.brk_span, self.ws_span = _NONE, None, None
        self.pieces.append(s[a:b])
        self.offsets += self.stream.starts[a:b]
        self.ends += self.stream.ends[a:b]
        self.last = s[b - 1]

    def result(self, monotone: bool) -> NormalizedText:
        text = "".join(self.pieces)
        offsets, ends = self.offsets, self.ends
        lead, keep = len(text) - len(text.lstrip()), len(text.rstrip())
        if lead or keep < len(text):
            keep = max(keep, lead)
            text, offsets, ends = text[lead:keep], offsets[lead:keep], ends[lead:keep]
        if not monotone:
            _make_monotone(offsets, ends)
        offsets.append(len(self.html))
        return NormalizedText(self.html, text, offsets, ends)


def _make_monotone(offsets: array, ends: array) -> None:
    """After the parser moved text, pull back inserted breaks that point behind their neighbours.

    Kept characters are in source order already; only the spans of inserted separators
    can fall behind the character before them.
    """
    floor = 0
    for i, off in enumerate(offsets):
        if off < floor:
            offsets[i] = floor
            if ends[i] <= floor:
                ends[i] = floor + 1
        else:
            floor = off


def _layout(html: str, stream: _Stream, al: _Aligner) -> NormalizedText:
    items = al.items
    if al.out_of_order:
        items.sort(key=lambda item: (item[0], item[1]))
    lay = _Layout(html, stream)
    for pos, kind, a, b in items:
        if kind == 0:
            lay.brk(a, None, pos)
        elif b:
            lay.pre(pos, a)
        else:
            lay.text(pos, a)
    return lay.result(monotone=not al.out_of_order)


@cache
def _block_tag_re(tags: frozenset[str]) -> re.Pattern[str]:
    names = "|".join(sorted(map(re.escape, tags), key=len, reverse=True))
    return re.compile(rf"</?({names})(?![^\t\n\f\r />])", re.IGNORECASE)


def _fallback_items(html: str, stream: _Stream, rules: _Rules) -> list[tuple[int, int, int, int]]:
    """Everything visible, a line break wherever the markup between holds a block tag.

    For pages a parser gives up on; nothing is dropped but scripts and styles.
    """
    import numpy as np

    starts = np.frombuffer(stream.starts, dtype=np.int32)
    ends = np.frombuffer(stream.ends, dtype=np.int32)
    levels = rules.levels
    block = _block_tag_re(frozenset(t for t, level in levels.items() if level >= _LINE))
    items: list[tuple[int, int, int, int]] = []
    lo = 0
    for k in (np.nonzero(starts[1:] != ends[:-1])[0] + 1).tolist():
        found = [levels[m.group(1).lower()] for m in block.finditer(html, int(ends[k - 1]), int(starts[k]))]
        if found:
            items += [(lo, 1, k, 0)] + [(k, 0, level, 0) for level in found]
            lo = k
    items.append((lo, 1, len(stream.text), 0))
    return items


# ---------------------------------------------------------------------------
# Entry point


def extract_html(html: str, *, parser: str = "selectolax") -> NormalizedText:
    """The article text of an HTML page, mapped back into the page.

    ``offsets[i]``/``ends[i]`` give the span of ``html`` behind ``text[i]``: the character
    itself, the whole character reference (``&amp;``), or for an inserted line break the
    markup that caused it. Scripts, styles, head, navigation, forms and elements whose
    class/id/role name page furniture are left out; ``<title>`` becomes the first line
    when no ``<h1>`` is kept. Never raises on malformed input.

    Raises:
        ValueError: for a ``parser`` not in :data:`HTML_PARSERS`.
        ImportError: if that parser is not installed (the message says what to install).
    """
    if parser not in _PARSE:
        raise ValueError(f"unknown HTML parser {parser!r}; choose one of {HTML_PARSERS}")
    _IMPORTS[parser]()  # a missing parser fails the same way on every input
    rules = _rules()
    stream = _scan(html, rules)
    al = _Aligner(stream, rules)
    if stream.text and not stream.text.isspace():
        try:
            walk = _PARSE[parser](html, al)
        except Exception:  # noqa: BLE001 - lxml's errors share no base with ValueError
            # The parser gave up on this input (lxml: "Document is empty" when all is
            # comments, or nesting too deep): show everything visible rather than nothing.
            walk = None
            al.items = _fallback_items(html, stream, rules)
        if walk is not None:
            walk()
    return _layout(html, stream, al)
