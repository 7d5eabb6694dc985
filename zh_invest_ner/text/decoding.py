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
    reported to users can be explained ("file was read as big5").
    """

    text: str
    encoding: str


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
    """Decode ``data`` trying UTF-8 (with/without BOM), UTF-16 with BOM, then
    the better of GB18030 and Big5.

    ``source`` (typically a file path) is only used in the error message.
    Reported encodings: ``utf-8-sig``, ``utf-8``, ``utf-16``, ``gb18030``
    (GBK and GB2312 are subsets) and ``big5`` (decoded with the HKSCS
    superset so Hong Kong characters survive).

    Raises:
        DecodingError: if no supported encoding accepts the bytes.
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

    gb = _try(data, "gb18030")
    big5 = _try(data, "big5hkscs")
    if gb is not None and big5 is not None:
        # Ties go to GB18030: mainland sources dominate our inputs.
        if _chinese_news_score(big5) > _chinese_news_score(gb):
            return DecodedText(big5, "big5")
        return DecodedText(gb, "gb18030")
    if gb is not None:
        return DecodedText(gb, "gb18030")
    if big5 is not None:
        return DecodedText(big5, "big5")
    raise _decoding_error(data, source, utf8_error)


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
