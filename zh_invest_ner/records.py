"""Typed records of what the pipeline finds: meetings and the people in an article.

They are views: a doc stores their plain ``to_dict()`` form (see ``extensions``), so
docs stay serialisable; ``from_dict`` rebuilds them, ignoring keys a newer version added.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
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
    #: set by ``zh_meeting_details``: when (ISO dates, and the words they were read from),
    #: where, what kind of meeting, and the official's body and region
    date: str | None = None
    date_end: str | None = None
    date_text: str | None = None
    place: str | None = None
    meeting_type: str | None = None
    official_org: str | None = None
    official_region: str | None = None
    #: how likely the record is right, in [0, 1] (``zh_meeting_details``, calibrated on held-out data)
    confidence: float | None = None

    def key(self) -> tuple[str, str | None, str | None]:
        return self.official, self.executive, self.company

    def to_dict(self) -> dict[str, Any]:
        """Plain data (a shallow copy: ``asdict``'s deep copy was a hot spot on long pages)."""
        out = {name: getattr(self, name) for name in _field_names(type(self))}
        out["topics"] = list(self.topics)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Meeting:
        known = _field_names(cls)
        values = {k: v for k, v in data.items() if k in known}
        if "topics" in values:
            values["topics"] = list(values["topics"] or [])
        return cls(**values)


@dataclass
class PersonInfo:
    """What the document says about one person: their role, title and affiliation."""

    name: str
    role: str
    title: str | None = None
    affiliation: str | None = None
    affiliation_label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PersonInfo:
        known = _field_names(cls)
        return cls(**{k: v for k, v in data.items() if k in known})


_FIELDS: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    if cls not in _FIELDS:
        _FIELDS[cls] = frozenset(f.name for f in fields(cls))
    return _FIELDS[cls]
