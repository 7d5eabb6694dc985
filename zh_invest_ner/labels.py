"""The names every layer shares: entity labels, roles, affiliation kinds, participation.

Why enums: these strings travel from the NER's labels through the rules to the
DataFrames' fixed categories and the training data's checks; one definition keeps a
typo from becoming a silent mismatch. They are ``str`` enums, so a member equals its
string (``Label.PERSON == "PERSON"``) and what docs store stays plain text (``.value``).
"""

from __future__ import annotations

from enum import Enum


class Label(str, Enum):
    """Entity labels of the NER and the rule components."""

    PERSON = "PERSON"
    TITLE = "TITLE"
    COMPANY = "COMPANY"
    GOV = "GOV"
    ORG = "ORG"
    GPE = "GPE"
    TOPIC = "TOPIC"


class Role(str, Enum):
    """What a person is in an article (``Span._.role``); ``ambiguous`` only for title words."""

    OFFICIAL = "official"
    EXECUTIVE = "executive"
    AMBIGUOUS = "ambiguous"
    OTHER = "other"
    REPORTER = "reporter"


class Affiliation(str, Enum):
    """Pseudo-labels of an affiliation that is not an entity of its own."""

    CHUNK = "CHUNK"  # unlabelled words before the title (某某科技董事长): trusted as the body
    COMPANY_REF = "COMPANY_REF"  # 公司/该集团/研发部: the company named before in the article


class Participation(str, Enum):
    """How a person took part in a meeting (``Meeting.participation``)."""

    PRINCIPAL = "principal"
    ACCOMPANYING = "accompanying"


#: The entity labels, in the order tables and reports list them.
LABELS: tuple[str, ...] = tuple(label.value for label in Label)
#: Roles a person can have (title words can also be ``ambiguous``).
PERSON_ROLES: tuple[str, ...] = (Role.OFFICIAL.value, Role.EXECUTIVE.value, Role.OTHER.value, Role.REPORTER.value)
#: Labels a title's affiliation can have, pseudo-labels included.
COMPANY_LIKE: tuple[str, ...] = (Label.COMPANY.value, Affiliation.CHUNK.value)
