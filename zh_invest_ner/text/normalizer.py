"""Normalise Chinese news text while keeping an exact map back to the original.

The NER pipeline runs on normalised text (simplified script, NFKC, no pinyin
annotations, no junk characters) so that one model and one set of patterns
cover all sources.  Entities must still be reported against the text the user
gave us, so every normalisation step also records, for each output character,
the half-open span of original characters that produced it.  Steps are
composed, so :class:`NormalizedText` maps straight from the final text to the
original.

Steps, in order (each is skipped when a cheap check says there is nothing to
do, which keeps plain simplified text fast):

a. remove pinyin annotations after hanzi: ``率隊(duì)``, ``黨(dang) 委``;
b. map CJK Radicals Supplement look-alikes to ordinary ideographs (``⻓``);
c. NFKC per character, except the full-width punctuation used for sentence
   splitting (``，。：；！？（）【】「」、…``);
d. traditional to simplified with OpenCC ``t2s``;
e. clean-up: newlines, zero-width and control characters, runs of spaces and
   of repeated punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

__all__ = ["NormalizedText", "normalize"]


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus the map back to the original.

    ``offsets[i]`` is the index in ``original`` of the (first) character that
    produced ``text[i]``; ``offsets[len(text)] == len(original)`` is a
    sentinel.  ``ends[i]`` is the exclusive end of the original characters that
    produced ``text[i]``; it matters when several original characters became
    one (``\\r\\n`` -> ``\\n``, ``，，，`` -> ``，``).  When ``ends`` is ``None``
    every text character is taken to come from exactly one original character.
    Both are ``array('i')`` in practice: 4 bytes per character instead of a
    tuple of Python ints, since texts can be ~100k characters.
    """

    original: str
    text: str
    offsets: Sequence[int]
    ends: Sequence[int] | None = None

    def _end_of(self, i: int) -> int:
        if self.ends is not None:
            return int(self.ends[i])
        return int(self.offsets[i]) + 1

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open span ``[start, end)`` of ``text`` to ``original``.

        The result covers exactly the original characters that produced the
        span: it starts where ``text[start]`` came from and ends where the
        source of ``text[end-1]`` ends, so removed material after the span
        (e.g. a trailing ``(zhǎng)``) is not included.  An empty span maps to
        the empty span at the original position of ``text[start]``.

        Raises:
            IndexError: if the span is not within ``text``.
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span ({start}, {end}) out of range for text of length {len(self.text)}")
        if start == end:
            pos = int(self.offsets[start])
            return pos, pos
        return int(self.offsets[start]), self._end_of(end - 1)

    def through(self, outer: NormalizedText) -> NormalizedText:
        """This map followed by ``outer``'s: ``self.original`` must be ``outer.text``.

        How offsets reach the HTML a page came as: the normaliser maps the doc's text to
        the article text, the HTML extraction maps that to the page. The result maps the
        doc's text straight to ``outer.original``.
        """
        import numpy

        if self.original != outer.text:
            raise ValueError("through(): this map's original is not the outer map's text")
        n = len(self.text)
        outer_starts = numpy.asarray(outer.offsets, dtype=numpy.int32)
        outer_ends = (outer_starts[:-1] + 1 if outer.ends is None
                      else numpy.asarray(outer.ends, dtype=numpy.int32))
        starts = numpy.asarray(self.offsets, dtype=numpy.int32)[:n]
        ends = (starts + 1 if self.ends is None else numpy.asarray(self.ends, dtype=numpy.int32)[:n])
        if len(outer.text):
            new_starts = outer_starts[numpy.minimum(starts, len(outer.text))]
            new_ends = outer_ends[numpy.maximum(ends - 1, 0)] if n else ends
        else:
            new_starts, new_ends = starts, ends
        offsets = array("i", new_starts.astype(numpy.int32).tobytes())
        offsets.append(len(outer.original))
        return NormalizedText(outer.original, self.text, offsets, array("i", new_ends.astype(numpy.int32).tobytes()))

    def original_span_text(self, start: int, end: int) -> str:
        """The original text behind the span ``[start, end)`` of ``text``."""
        orig_start, orig_end = self.to_original(start, end)
        return self.original[orig_start:orig_end]


# ---------------------------------------------------------------------------
# Offset bookkeeping


class _Mapped:
    """Working text plus, per character, the original span it came from.

    ``starts``/``ends`` are ``None`` while the text is still aligned 1:1 with
    the original, so steps that change nothing, or change characters without
    changing lengths, cost no bookkeeping at all.
    """

    __slots__ = ("ends", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] | None = None
        self.ends: list[int] | None = None

    def apply(self, edits: list[tuple[int, int, str]]) -> None:
        """Apply sorted, non-overlapping ``(start, end, replacement)`` edits.

        A replacement of the same length maps character by character; any
        other replacement maps every output character to the whole replaced
        span (``end`` > ``start`` always holds for our steps).  The maps are
        built by slicing the previous ones, which is much faster than
        composing per-character maps.
        """
        if not edits:
            return
        text = self.text
        if self.starts is None or self.ends is None:
            self.starts = list(range(len(text)))
            self.ends = list(range(1, len(text) + 1))
        old_starts, old_ends = self.starts, self.ends
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for start, end, repl in edits:
            if pos < start:
                pieces.append(text[pos:start])
                starts += old_starts[pos:start]
                ends += old_ends[pos:start]
            if len(repl) == end - start:
                pieces.append(repl)
                starts += old_starts[start:end]
                ends += old_ends[start:end]
            elif repl:
                pieces.append(repl)
                starts += [old_starts[start]] * len(repl)
                ends += [old_ends[end - 1]] * len(repl)
            pos = end
        pieces.append(text[pos:])
        starts += old_starts[pos:]
        ends += old_ends[pos:]
        self.text = "".join(pieces)
        self.starts, self.ends = starts, ends

    def result(self, original: str) -> NormalizedText:
        n = len(self.text)
        if self.starts is None or self.ends is None:
            offsets = array("i", range(n + 1))
            ends = array("i", range(1, n + 1))
        else:
            offsets = array("i", self.starts)
            offsets.append(len(original))
            ends = array("i", self.ends)
        return NormalizedText(original, self.text, offsets, ends)


# ---------------------------------------------------------------------------
# Data files


def _data_lines(name: str) -> list[str]:
    raw = resources.files("zh_invest_ner").joinpath("data", name).read_text("utf-8")
    return [ln for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    return frozenset(ln.strip() for ln in _data_lines("pinyin_syllables.txt"))


@lru_cache(maxsize=1)
def _radical_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for ln in _data_lines("radicals.tsv"):
        radical, ideograph = ln.split("\t")[:2]
        table[ord(radical)] = ideograph
    return table


# ---------------------------------------------------------------------------
# a. pinyin annotations

_HANZI = "\u2e80-\u2fdf\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HANZI_RE = re.compile(f"[{_HANZI}]")
# Letters that can occur in pinyin, including precomposed toned vowels and
# combining tone marks; validation against real syllables happens later.
_PY = "A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f"
_ANNOTATION_RE = re.compile(rf"(?<=[{_HANZI}])[(（][ \t]*([{_PY}](?:[{_PY}' ]{{0,38}}[{_PY}])?)[ \t]*[)）]")
# Up to 4 hanzi between two annotations: still one annotated run.
_RUN_GAP_RE = re.compile(rf"[ \t\u3000]?[{_HANZI}]{{1,4}}")
_TONE_MARKS = {0x0300: None, 0x0301: None, 0x0304: None, 0x030C: None}
_WHITESPACE = frozenset(" \t\n\r\u3000\u00a0\f\v")
_INLINE_SPACE = frozenset(" \t\u3000\u00a0")
_VOWELS = frozenset("aeiouv")
_SPLIT_SYLLABLES_RE = re.compile(r"[ ']+")

_NOT_PINYIN, _TONELESS, _TONED = 0, 1, 2


def _segments_into_syllables(word: str) -> bool:
    """True if ``word`` is a concatenation of pinyin syllables (``zhongguo``)."""
    syllables = _pinyin_syllables()
    ok = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            if ok[start] and word[start:end] in syllables:
                ok[end] = True
                break
    return ok[-1]


@lru_cache(maxsize=4096)
def _classify_annotation(content: str) -> int:
    """Decide whether parenthesised ``content`` is a pinyin reading.

    Toned readings (any tone mark) are unambiguous and may span several
    syllables.  Toneless ones could be English (``(CEO)``, ``(an)``), so only a
    single lowercase syllable of 2+ letters with a vowel qualifies, and the
    caller still requires context before removing it.
    """
    decomposed = unicodedata.normalize("NFD", content)
    stripped = decomposed.translate(_TONE_MARKS)
    toned = len(stripped) != len(decomposed)
    base = unicodedata.normalize("NFC", stripped).lower()
    base = base.replace("ü", "v").replace("ê", "e")
    letters = base.replace(" ", "").replace("'", "")
    if not (letters.isascii() and letters.isalpha()):
        return _NOT_PINYIN
    if toned:
        parts = [p for p in _SPLIT_SYLLABLES_RE.split(base) if p]
        if parts and all(_segments_into_syllables(p) for p in parts):
            return _TONED
        return _NOT_PINYIN
    if (
        content == content.lower()
        and len(base) >= 2
        and base == letters
        and base in _pinyin_syllables()
        and not _VOWELS.isdisjoint(base)
    ):
        return _TONELESS
    return _NOT_PINYIN


def _remove_pinyin(mapped: _Mapped) -> None:
    text = mapped.text
    if "(" not in text and "（" not in text:
        return
    cands = [
        (m, kind) for m in _ANNOTATION_RE.finditer(text) if (kind := _classify_annotation(m.group(1))) != _NOT_PINYIN
    ]

    def adjacent(left: re.Match[str], right: re.Match[str]) -> bool:
        return _RUN_GAP_RE.fullmatch(text, left.end(), right.start()) is not None

    edits: list[tuple[int, int, str]] = []
    for idx, (m, kind) in enumerate(cands):
        start, end = m.span()
        if kind == _TONED:
            edits.append((start, end, ""))
            continue
        nxt = text[end : end + 1]
        if nxt and nxt in _WHITESPACE:
            # "黨(dang) 委": the space is an artefact of the annotation too.
            if nxt in _INLINE_SPACE and _HANZI_RE.match(text, end + 1):
                end += 1
            edits.append((start, end, ""))
        elif (idx > 0 and adjacent(cands[idx - 1][0], m)) or (idx + 1 < len(cands) and adjacent(m, cands[idx + 1][0])):
            # Part of a run of annotated hanzi: unambiguous even without tones.
            edits.append((start, end, ""))
    mapped.apply(edits)


# ---------------------------------------------------------------------------
# b. radical look-alikes

_RADICAL_SUPPLEMENT_RE = re.compile("[\u2e80-\u2eff]")


def _map_radicals(mapped: _Mapped) -> None:
    if _RADICAL_SUPPLEMENT_RE.search(mapped.text):
        # One character for one: the offset map is unchanged.
        mapped.text = mapped.text.translate(_radical_table())


# ---------------------------------------------------------------------------
# c. NFKC

# Full-width punctuation we keep: sentence splitting and the model rely on it.
_KEEP_PUNCT = "，。：；！？（）【】「」、…"
# Characters that certainly survive NFKC unchanged, so need no per-char check.
_NFKC_CANDIDATE_RE = re.compile("[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff“”‘’《》—·" + _KEEP_PUNCT + "]")


@cache
def _nfkc_char(ch: str) -> str:
    if ch in _KEEP_PUNCT:
        return ch
    return unicodedata.normalize("NFKC", ch)


def _apply_nfkc(mapped: _Mapped) -> None:
    text = mapped.text
    edits = []
    same_length = True
    for m in _NFKC_CANDIDATE_RE.finditer(text):
        ch = m.group()
        repl = _nfkc_char(ch)
        if repl != ch:
            edits.append((m.start(), m.end(), repl))
            same_length = same_length and len(repl) == 1
    if not edits:
        return
    if same_length:
        chars = list(text)
        for start, _end, repl in edits:
            chars[start] = repl
        mapped.text = "".join(chars)
    else:
        mapped.apply(edits)


# ---------------------------------------------------------------------------
# d. traditional -> simplified


@lru_cache(maxsize=1)
def _opencc_t2s() -> Callable[[str], str]:
    import opencc  # imported lazily: only needed when t2s is on

    return opencc.OpenCC("t2s").convert


def _t2s_convert(text: str) -> str | None:
    """OpenCC t2s, or ``None`` if OpenCC cannot take the text (surrogates)."""
    try:
        return _opencc_t2s()(text)
    except UnicodeError:
        return None


# Sentence/line chunks for the fallback when a conversion changes length.
_CHUNK_RE = re.compile(r"[^\n。！？!?]*[\n。！？!?]?")
# Context either side used to re-check a phrase-only conversion (OpenCC
# phrases are short).
_PHRASE_WINDOW = 4


def _is_aligned(src: str, conv: str, char_cache: dict[str, str | None]) -> bool:
    """Check that a same-length conversion really is character by character.

    A conversion that shrinks one phrase and grows another keeps the total
    length but shifts everything in between.  Each changed character must
    therefore convert that way on its own, or, for phrase-only conversions
    (``反覆`` -> ``反复``), in a small window around it.  A shifted stretch
    fails this at its first character.
    """
    for i, (a, b) in enumerate(zip(src, conv, strict=True)):
        if a == b:
            continue
        if a not in char_cache:
            char_cache[a] = _t2s_convert(a)
        if char_cache[a] == b:
            continue
        lo = max(0, i - _PHRASE_WINDOW)
        window = src[lo : i + _PHRASE_WINDOW + 1]
        window_conv = _t2s_convert(window)
        if window_conv is None or len(window_conv) != len(window) or window_conv[i - lo] != b:
            return False
    return True


def _to_simplified(mapped: _Mapped) -> None:
    text = mapped.text
    converted = _t2s_convert(text)
    if converted == text:
        return
    char_cache: dict[str, str | None] = {}
    if converted is not None and len(converted) == len(text) and _is_aligned(text, converted, char_cache):
        # OpenCC's t2s tables map phrases to phrases of the same length, so
        # this is the normal case: a 1:1 map, nothing to recompute.
        mapped.text = converted
        return
    # Some conversion changed length: find it chunk by chunk, and go down to
    # single characters only inside chunks that changed length.
    edits: list[tuple[int, int, str]] = []
    for m in _CHUNK_RE.finditer(text):
        chunk = m.group()
        if not chunk:
            continue
        conv = _t2s_convert(chunk)
        if conv is not None and len(conv) == len(chunk) and _is_aligned(chunk, conv, char_cache):
            if conv != chunk:
                edits.append((m.start(), m.end(), conv))
            continue
        for i, ch in enumerate(chunk, m.start()):
            if ch not in char_cache:
                char_cache[ch] = _t2s_convert(ch)
            conv_ch = char_cache[ch]
            if conv_ch is not None and conv_ch != ch:
                edits.append((i, i + 1, conv_ch))
    mapped.apply(edits)


# ---------------------------------------------------------------------------
# e. clean-up

# Control and invisible characters go; so does U+FFFD, which decoding puts where a few
# bytes were corrupt: left in, it would split the name or word it fell into.
_JUNK_RE = re.compile("\r\n?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u200b-\u200f\u2060-\u2064\ufeff\ufffd]")
# Repeated stray punctuation collapses; "……" and "——" are not in the class and
# ASCII "." is left alone because "..." is an ellipsis.
_RUNS_RE = re.compile(r"[ \t]{2,}|\t|([,，。!！?？;；:：、])\1+")


def _clean_up(mapped: _Mapped) -> None:
    edits: list[tuple[int, int, str]] = []
    for m in _JUNK_RE.finditer(mapped.text):
        edits.append((m.start(), m.end(), "\n" if m.group()[0] == "\r" else ""))
    mapped.apply(edits)
    edits = []
    for m in _RUNS_RE.finditer(mapped.text):
        edits.append((m.start(), m.end(), m.group(1) or " "))
    mapped.apply(edits)


# ---------------------------------------------------------------------------


def normalize(text: str, *, t2s: bool = True) -> NormalizedText:
    """Normalise news ``text`` for the pipeline, keeping a map to the original.

    See the module docstring for the steps.  ``t2s=False`` keeps the script
    (e.g. to show users traditional text with only the clean-up applied).
    """
    mapped = _Mapped(text)
    _remove_pinyin(mapped)
    _map_radicals(mapped)
    _apply_nfkc(mapped)
    if t2s:
        _to_simplified(mapped)
    _clean_up(mapped)
    return mapped.result(text)
