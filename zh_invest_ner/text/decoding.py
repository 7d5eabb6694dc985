"""Turn raw bytes of Chinese news into text, reporting which encoding was used.

News dumps arrive as UTF-8, UTF-16 exports, mainland GBK/GB18030 files and
Taiwan/Hong Kong Big5 files, usually without any declaration.  The Unicode
encodings are recognised by their BOM or by strict validity.  GB18030 and Big5
are the hard case: both accept most double-byte sequences, so a GBK file
usually also decodes as Big5 (and vice versa) into plausible-looking but wrong
hanzi.  We decode with both and keep the reading that looks more like Chinese
news, i.e. has more frequent hanzi and ordinary punctuation, and fewer rare,
compatibility or private-use characters (a wrong reading of Big5 as GB18030
turns the Big5 comma into a private-use character, for instance).
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["DecodedText", "DecodingError", "decode_bytes", "read_text_file"]


@dataclass(frozen=True)
class DecodedText:
    """Decoded text plus the name of the encoding it was decoded with.

    The encoding is kept so that callers can log it and so that offsets
    reported to users can be explained ("file was read as big5"). ``warning``
    says what the reader should know although the text was read: bytes that were
    replaced by U+FFFD and where, or a Japanese/Korean encoding.
    """

    text: str
    encoding: str
    warning: str | None = None


class DecodingError(ValueError):
    """Raised when bytes are not valid in any supported encoding.

    Carries ``source`` (file path or ``None``) and ``offset`` (byte offset at
    which strict UTF-8 decoding failed) so callers can point users at the
    broken spot instead of at a generic codec traceback.
    """

    def __init__(self, message: str, *, source: str | None, offset: int) -> None:
        super().__init__(message)
        self.source = source
        self.offset = offset


# Punctuation that Chinese news uses all the time; seeing it decoded is strong
# evidence for the right codec (each codec puts these at different bytes).
_NEWS_PUNCT = frozenset("，。、：；！？“”‘’（）《》〈〉【】「」『』…—·")

# Per-character weights for the GB18030 vs Big5 decision.
_W_COMMON_HANZI = 2.0
_W_PUNCT = 1.0
_W_OTHER_HANZI = -0.5
_W_RARE = -3.0
_W_OTHER = -1.0


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """Frequent hanzi (simplified and traditional forms) from the data file."""
    raw = resources.files("zh_invest_ner").joinpath("data", "common_hanzi.txt").read_text(encoding="utf-8")
    chars: set[str] = set()
    for line in raw.splitlines():
        if not line.startswith("#"):
            chars.update(line.replace(" ", ""))
    return frozenset(chars)


def _char_weight(ch: str, common: frozenset[str]) -> float:
    if ch in common:
        return _W_COMMON_HANZI
    cp = ord(ch)
    if cp < 0x80:
        # ASCII bytes decode identically under both codecs: no evidence.
        return 0.0
    if ch in _NEWS_PUNCT:
        return _W_PUNCT
    if 0x4E00 <= cp <= 0x9FFF:
        return _W_OTHER_HANZI
    if (
        0x3400 <= cp <= 0x4DBF  # CJK extension A
        or 0xE000 <= cp <= 0xF8FF  # private use
        or 0xF900 <= cp <= 0xFAFF  # compatibility ideographs
        or 0x3100 <= cp <= 0x312F  # bopomofo (Big5 row 0xA3 read as GBK)
        or 0xFE30 <= cp <= 0xFE4F  # vertical/compat forms
        or cp >= 0x20000  # supplementary ideographs, PUA planes
        or 0x2460 <= cp <= 0x27BF  # enclosed numbers, box drawing, dingbats
        or 0x0370 <= cp <= 0x052F  # Greek/Cyrillic from the symbol rows
        or 0x3040 <= cp <= 0x30FF  # kana from the symbol rows
    ):
        return _W_RARE
    if 0xFF01 <= cp <= 0xFF5E or 0x3000 <= cp <= 0x303F:
        return 0.0  # full-width ASCII, other CJK punctuation: plausible
    return _W_OTHER


def _chinese_news_score(text: str) -> float:
    """Score how much ``text`` looks like Chinese news; higher is better.

    A sum rather than a ratio, so that one more well-decoded character always
    counts, which matters for the ~10 character texts.
    """
    common = _common_hanzi()
    return sum(_char_weight(ch, common) for ch in text)


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode_bytes(data: bytes, source: str | None = None) -> DecodedText:
    """Decode ``data``: UTF-8 (with/without BOM), UTF-16 with BOM, the better of GB18030 and
    Big5, Japanese and Korean encodings, and any of these with a few corrupt bytes.

    ``source`` (typically a file path) is only used in messages.
    Reported encodings: ``utf-8-sig``, ``utf-8``, ``utf-16``, ``gb18030``
    (GBK and GB2312 are subsets), ``big5`` (decoded with the HKSCS superset so
    Hong Kong characters survive), and charset-normalizer's names (``cp932``,
    ``cp949``…) for the Japanese and Korean files it recognises. A few undecodable
    bytes become U+FFFD and the result carries a ``warning`` saying where.

    Raises:
        DecodingError: if the bytes are binary or in no encoding we can read.
    """
    if data.startswith(codecs.BOM_UTF8):
        text = _try(data, "utf-8-sig")
        if text is not None:
            return DecodedText(text, "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try(data, "utf-16")
        if text is not None:
            return DecodedText(text, "utf-16")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _looks_binary(data):
        raise _binary_error(data, source)
    return (_mostly("utf-8", data)
            or _chinese_or_other(data)
            or _other_encoding(data)
            or _best_mostly(data)
            or _raise(_decoding_error(data, source, utf8_error)))


def _raise(error: Exception) -> DecodedText:
    raise error


# A text file has almost no C0 control bytes besides tab, line feed and carriage return
# (ESC starts ISO-2022 escapes); NUL bytes mean binary or BOM-less UTF-16/32.
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13, 27}


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if not head:
        return False
    controls = sum(head.count(bytes([b])) for b in _CONTROL_BYTES)
    return controls > max(2, len(head) // 100)


def _binary_error(data: bytes, source: str | None) -> DecodingError:
    where = source if source is not None else "input bytes"
    first = next(i for i, b in enumerate(data) if b in _CONTROL_BYTES)
    return DecodingError(f"cannot decode {where}: a binary file, not text (control byte "
                         f"0x{data[first]:02x} at byte offset {first})", source=source, offset=first)


_ASCII = bytes(range(128))
#: At most one corrupt sequence per this many good non-ASCII characters: more is the wrong codec.
_BAD_SHARE = 10
#: Corrupt spots listed in a warning; the rest are counted.
_SHOWN = 5


def _bad_spots(data: bytes, codec: str, limit: int) -> list[tuple[int, int]] | None:
    """The ``(start, end)`` byte ranges ``codec`` cannot decode, or None beyond ``limit`` of them."""
    spots: list[tuple[int, int]] = []
    decoder = codecs.getincrementaldecoder(codec)()
    pos = 0
    while True:
        try:
            decoder.decode(data[pos:], final=True)
            return spots
        except UnicodeDecodeError as e:
            spots.append((pos + e.start, pos + e.end))
            if len(spots) > limit:
                return None
            pos += e.end
            decoder.reset()


def _mostly(codec: str, data: bytes, name: str | None = None) -> DecodedText | None:
    """``data`` read as ``codec`` with a few corrupt bytes replaced by U+FFFD, if only a few are."""
    non_ascii = len(data.translate(None, _ASCII))
    spots = _bad_spots(data, codec, max(3, non_ascii // (_BAD_SHARE * 3)))  # ~3 bytes per character
    if not spots:
        return None
    text = data.decode(codec, errors="replace")
    good = sum(1 for ch in text if ord(ch) >= 0x80 and ch != "\ufffd")
    if good < _BAD_SHARE * len(spots):
        return None
    shown = ", ".join(f"byte {a} (line {_line_of(data, a)}: {data[a:b].hex(' ')})" for a, b in spots[:_SHOWN])
    more = f" and {len(spots) - _SHOWN} more" if len(spots) > _SHOWN else ""
    bad_bytes = sum(b - a for a, b in spots)
    warning = (f"{bad_bytes} undecodable byte{'s' * (bad_bytes != 1)} replaced by U+FFFD, read as "
               f"{name or codec}: at {shown}{more}")
    return DecodedText(text, name or codec, warning)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _best_mostly(data: bytes) -> DecodedText | None:
    """GB18030 or Big5 with a few corrupt bytes: the one that reads more like Chinese news."""
    readings = [r for r in (_mostly("gb18030", data), _mostly("big5hkscs", data, "big5"))
                if r is not None and _mean_score(r.text) >= _SURE]  # GB18030 reads random bytes as rare hanzi
    return max(readings, key=lambda r: _chinese_news_score(r.text), default=None)


def _mean_score(text: str) -> float:
    non_ascii = sum(1 for ch in text if ord(ch) >= 0x80 and ch != "\ufffd")
    return _chinese_news_score(text.replace("\ufffd", "")) / non_ascii if non_ascii else 0.0


#: Below this mean weight per non-ASCII character our scorer is unsure that a GB18030 or
#: Big5 reading is Chinese (real news scores about 1.9), and charset-normalizer is asked.
_SURE = 1.5


def _chinese_or_other(data: bytes) -> DecodedText | None:
    """The better of GB18030 and Big5, unless it is unsure and the bytes are Japanese or Korean."""
    gb = _try(data, "gb18030")
    big5 = _try(data, "big5hkscs")
    if gb is not None and big5 is not None:
        # Ties go to GB18030: mainland sources dominate our inputs.
        chosen = DecodedText(big5, "big5") if _chinese_news_score(big5) > _chinese_news_score(gb) else \
            DecodedText(gb, "gb18030")
    elif gb is not None or big5 is not None:
        chosen = DecodedText(gb, "gb18030") if gb is not None else DecodedText(big5 or "", "big5")
    else:
        return None
    if any(ord(ch) >= 0x80 for ch in chosen.text) and _mean_score(chosen.text) < _SURE:
        return _other_encoding(data) or chosen
    return chosen


_JAPANESE = ("shift_jis", "cp932", "euc_jp", "euc_jis_2004", "euc_jisx0213", "shift_jis_2004", "shift_jisx0213",
             "iso2022_jp", "iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_3", "iso2022_jp_ext")
_KOREAN = ("euc_kr", "cp949", "johab", "iso2022_kr")


def _is_japanese(text: str) -> bool:
    """Kana make a tenth of the non-ASCII characters: Japanese prose, not hanzi misread."""
    non_ascii = sum(1 for ch in text if ord(ch) >= 0x80) or 1
    return sum(1 for ch in text if "\u3040" <= ch <= "\u30ff") * 10 >= non_ascii


def _is_korean(text: str) -> bool:
    """Mostly hangul with spaces between words; GB2312 hanzi misread as EUC-KR have no spaces."""
    hangul = sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3")
    non_ascii = sum(1 for ch in text if ord(ch) >= 0x80) or 1
    return hangul * 2 >= non_ascii and text.count(" ") * 10 >= hangul


def _other_encoding(data: bytes) -> DecodedText | None:
    """A Japanese or Korean file, recognised by charset-normalizer and checked by its script.

    Read correctly and reported with a warning rather than misread as GB18030 hanzi.
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a core dependency
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    codec = best.encoding
    text = _try(data, codec)
    if text is None:
        return None
    if codec in _JAPANESE and _is_japanese(text):
        language = "Japanese"
    elif codec in _KOREAN and _is_korean(text):
        language = "Korean"
    else:
        return None
    return DecodedText(text, codec, f"read as {codec}, a {language} encoding: not Chinese news")


def _decoding_error(data: bytes, source: str | None, utf8_error: UnicodeDecodeError) -> DecodingError:
    offset = utf8_error.start
    line = data.count(b"\n", 0, offset) + 1
    bad = data[offset : offset + 4].hex(" ")
    where = source if source is not None else "input bytes"
    message = (
        f"cannot decode {where}: not valid UTF-8 at byte offset {offset} "
        f"(line {line}, bytes {bad}: {utf8_error.reason}), and not valid "
        "UTF-16 (with BOM), GB18030 or Big5 either; the file may be truncated, "
        "binary or in another encoding - re-save it as UTF-8"
    )
    return DecodingError(message, source=source, offset=offset)


def read_text_file(path: str | os.PathLike[str]) -> DecodedText:
    """Read a file of unknown encoding; see :func:`decode_bytes`."""
    with open(path, "rb") as fh:
        data = fh.read()
    return decode_bytes(data, source=os.fspath(path))
