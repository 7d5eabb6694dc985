"""Near-duplicate fingerprints of articles, and the groups of reprints among many.

The same meeting is reprinted by many sites: the same paragraphs under another headline,
with the site's source line, navigation and footer added, sometimes with paragraphs in
another order. :func:`fingerprint` keeps what survives all that — the sentences of the
body — as a b-bit MinHash of character shingles taken *within* lines, so a reordered
paragraph changes nothing and an added line only dilutes the set a little.

* Body lines only: a line without a sentence end (。！？；) and under 60 characters is a
  headline, a byline, a source or navigation line; it is not part of the signature
  (all lines are used when none qualifies).
* Shingles: 4 characters of a line's letters, digits and hanzi (punctuation and spaces
  dropped), hashed with numpy in one pass.
* MinHash: 64 affine permutations ``a·h + b mod 2^32`` of the murmur-mixed shingle hash
  (datasketch 2.0's ``affine32`` scheme, same seeds), of which the lowest 8 bits are kept
  (b-bit MinHash, Li & König): 64 bytes, 128 hex characters.
* Index: :class:`DuplicateIndex` bands the 64 bytes into 16 bands of 4 and compares only
  the documents that share a band (LSH), then keeps pairs whose estimated Jaccard
  similarity reaches the threshold, so grouping n documents never costs n² comparisons.

Why not ``datasketch.MinHash.update_batch`` itself: it builds a fresh n×64 array per call,
which costs about 0.6 ms of page faults for a 2,000-character article (1.1 ms in all,
3 ms with its default SHA-1 hashing); computing the same scheme in cache-sized chunks
takes a third of that (``benchmarks/linking.py`` measures both).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping

import numpy as np

__all__ = ["DuplicateIndex", "body_lines", "duplicate_groups", "fingerprint", "similarity"]

#: Number of MinHash values, bits kept of each, shingle length, LSH bands.
NUM_PERM = 64
BITS = 8
SHINGLE = 4
BANDS = 16
SEED = 1
#: Estimated Jaccard similarity from which two documents are reprints of one another.
THRESHOLD = 0.7
#: A line this long is body text even without a sentence end (pages that lost punctuation).
_LONG_LINE = 60
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_NOT_CONTENT = re.compile(r"[^0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CHUNK = 512  # shingles per block: keeps the block × 64 temporaries in cache (see module doc)

# datasketch 2.0 "affine32": odd a, any b, drawn from RandomState(seed); murmur3 fmix32 first.
_rng = np.random.RandomState(SEED)
_A = (_rng.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)).astype(np.uint32)
_B = _rng.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32).astype(np.uint32)
_MASK = np.uint32((1 << BITS) - 1)
_BASE = np.uint64(0x100000001B3)  # FNV prime: the polynomial rolling hash of a shingle


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer: spreads the bits of structured hashes."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


# Full-width letters and digits → ASCII: what NFKC would do to the characters kept. NFKC
# itself costs 0.3 ms per 2,000 characters (it also rewrites every full-width comma, which
# is dropped anyway), so it runs only for radicals and compatibility ideographs (⻓, 﨑).
_WIDE = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF5B) if chr(cp - 0xFEE0).isalnum()}
_FULL_WIDTH = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_NEEDS_NFKC = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff]")


def body_lines(text: str) -> list[str]:
    """The lines of ``text`` that carry the article, as letters, digits and hanzi only.

    Full-width and half-width copies of a page read the same (NFKC where it matters).
    """
    if _FULL_WIDTH.search(text):
        text = text.translate(_WIDE)
    if _NEEDS_NFKC.search(text):
        text = unicodedata.normalize("NFKC", text)
    lines = [line for line in text.splitlines() if line.strip()]
    body = [line for line in lines if _SENTENCE_END.search(line) or len(line) >= _LONG_LINE]
    cleaned = (_NOT_CONTENT.sub("", line) for line in (body or lines))
    return [line for line in cleaned if line]


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct 32-bit hashes of the 4-character shingles within the body lines of ``text``.

    All lines in one numpy pass: joined by a separator, shingles that span one are dropped
    (a line shorter than a shingle is padded to one shingle).
    """
    lines = [line.ljust(SHINGLE, "\0") for line in body_lines(text)]
    if not lines:
        return np.zeros(0, dtype=np.uint32)
    codes = np.frombuffer("\n".join(lines).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    h = np.zeros(n, dtype=np.uint64)
    spans_line = np.zeros(n, dtype=bool)
    for j in range(SHINGLE):
        window = codes[j:j + n]
        h = h * _BASE + window
        spans_line |= window == 10
    h = h[~spans_line]
    return np.unique((h ^ (h >> np.uint64(32))).astype(np.uint32))


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The 64 minimum permuted hash values of a set of 32-bit shingle hashes."""
    mins = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    mixed = _fmix32(hashes.astype(np.uint32)).reshape(-1, 1)
    for i in range(0, len(mixed), _CHUNK):
        block = mixed[i:i + _CHUNK] * _A + _B  # wraps mod 2^32, as intended
        np.minimum(mins, block.min(axis=0), out=mins)
    return mins


def fingerprint(text: str) -> str:
    """A 128-hex-character near-duplicate signature of ``text``; ``""`` when it has no text.

    Two texts are near-duplicates when :func:`similarity` of their fingerprints is high;
    a changed headline, added source/navigation/footer lines and reordered paragraphs
    leave it (almost) unchanged.
    """
    hashes = shingle_hashes(text or "")
    if not len(hashes):
        return ""
    return (minhash(hashes) & _MASK).astype(np.uint8).tobytes().hex()


def similarity(a: str, b: str) -> float:
    """The Jaccard similarity of two texts' shingle sets, estimated from their fingerprints.

    With b bits kept, unrelated values still agree with chance 2^-b; the estimator
    removes that share (Li & König's b-bit estimator in the small-set limit).
    """
    if not a or not b or len(a) != len(b):
        return 0.0
    x = np.frombuffer(bytes.fromhex(a), dtype=np.uint8)
    y = np.frombuffer(bytes.fromhex(b), dtype=np.uint8)
    match = float(np.mean(x == y))
    chance = 1.0 / (1 << BITS)
    return max(0.0, (match - chance) / (1.0 - chance))


class DuplicateIndex:
    """Fingerprints banded for LSH: which documents are near-duplicates, without n² work.

    Each fingerprint's 64 bytes are cut into :data:`BANDS` bands; documents sharing a
    band are candidates, and a candidate pair whose estimated similarity reaches
    ``threshold`` is a duplicate pair. With 16 bands of 4 bytes a pair of similarity
    0.8 is a candidate with probability > 0.999, one of 0.3 with about 0.12.
    """

    def __init__(self, threshold: float = THRESHOLD, bands: int = BANDS) -> None:
        self.threshold = threshold
        self.bands = bands
        self.fingerprints: dict[Hashable, str] = {}
        self._buckets: dict[tuple[int, str], list[Hashable]] = defaultdict(list)

    def add(self, key: Hashable, fp: str) -> None:
        """Index one document; an empty fingerprint (no text) is a group of its own."""
        if key in self.fingerprints:
            raise ValueError(f"{key!r} is already indexed")
        self.fingerprints[key] = fp
        if not fp:
            return
        width = len(fp) // self.bands
        for band in range(self.bands):
            self._buckets[(band, fp[band * width:(band + 1) * width])].append(key)

    def candidate_pairs(self) -> set[tuple[Hashable, Hashable]]:
        """The pairs that share at least one band, each once (ordered by ``repr`` for stability)."""
        pairs = set()
        for keys in self._buckets.values():
            if len(keys) < 2:
                continue
            ordered = sorted(keys, key=repr)
            pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
        return pairs

    def duplicate_pairs(self) -> set[tuple[Hashable, Hashable]]:
        """The candidate pairs that are near-duplicates."""
        fps = self.fingerprints
        return {(a, b) for a, b in self.candidate_pairs() if similarity(fps[a], fps[b]) >= self.threshold}

    def groups(self) -> dict[Hashable, Hashable]:
        """Each document's group: the smallest key (by ``repr``) of its connected reprints.

        Transitive: if A reprints B and B reprints C, all three are one group. The group
        key does not depend on the order documents were added in.
        """
        parent = {key: key for key in self.fingerprints}

        def find(key: Hashable) -> Hashable:
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        for a, b in self.duplicate_pairs():
            ra, rb = find(a), find(b)
            if ra != rb:
                low, high = sorted((ra, rb), key=repr)
                parent[high] = low
        return {key: find(key) for key in self.fingerprints}


def duplicate_groups(fingerprints: Mapping[Hashable, str] | Iterable[tuple[Hashable, str]],
                     threshold: float = THRESHOLD) -> dict[Hashable, Hashable]:
    """Each key's near-duplicate group (the smallest key of the group), through :class:`DuplicateIndex`."""
    index = DuplicateIndex(threshold)
    items = fingerprints.items() if isinstance(fingerprints, Mapping) else fingerprints
    for key, fp in items:
        index.add(key, fp if isinstance(fp, str) else "")
    return index.groups()
