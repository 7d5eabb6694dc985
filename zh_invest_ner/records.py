"""The meeting record: what the library extracts from each article."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Meeting:
    """An official met an executive (or a company, when no person is named) on some topics.

    ``start``/``end`` are character offsets of the evidence sentence in the text the user
    gave; ``sentence`` is that sentence as normalised (simplified) text.
    """

    official: str
    official_title: str | None
    executive: str | None
    executive_title: str | None
    company: str | None
    topics: list[str] = field(default_factory=list)
    sentence: str = ""
    start: int = 0
    end: int = 0
    official_affiliation: str | None = None
    #: ``principal`` for those who led or hosted the meeting, ``accompanying`` where the
    #: official or the executive only came along (陪同, 参加, 出席, members of a delegation)
    participation: str = "principal"

    def key(self) -> tuple[str, str | None, str | None]:
        return self.official, self.executive, self.company

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
