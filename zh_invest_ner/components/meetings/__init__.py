"""The ``zh_meetings`` component: who met whom, in which sentence, on what topics.

``sentence`` holds the rules over one sentence, ``context`` those over the whole
article, ``scoring`` the meeting P/R/F, and ``component`` the spaCy component that
walks an article's sentences with them; ``details`` is ``zh_meeting_details``, which adds
each meeting's date, place, type, and the official's body and region.
"""

from zh_invest_ner.components.meetings.component import MeetingFinder, make_meetings
from zh_invest_ner.components.meetings.context import (
    canonical_name,
    company_core,
    named_company_for,
    paragraph_topics,
    subject_company,
    visited_places,
)
from zh_invest_ner.components.meetings.details import MeetingDetails, make_meeting_details
from zh_invest_ner.components.meetings.scoring import meeting_prf
from zh_invest_ner.components.meetings.sentence import (
    accompanying_company,
    accompanying_people,
    travelling_guest,
    unnamed_post_companies,
)

__all__ = [
    "MeetingDetails", "MeetingFinder", "accompanying_company", "make_meeting_details",
    "accompanying_people", "canonical_name", "company_core",
    "make_meetings", "meeting_prf", "named_company_for", "paragraph_topics", "subject_company",
    "travelling_guest", "unnamed_post_companies", "visited_places",
]
