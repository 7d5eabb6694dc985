"""The ``zh_meetings`` component: who met whom, in which sentence, on what topics."""

from zh_invest_ner.components.meetings.rules import (  # noqa: F401 - the public names of the rules
    MeetingFinder,
    company_core,
    make_meetings,
    unnamed_post_companies,
)
