"""Meetings over time: selecting by date and id, monthly counts, one official's timeline."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from zh_invest_ner.explore.timeline import (  # noqa: E402
    meetings_per_month,
    plot_meetings_per_month,
    plot_timeline,
    select_meetings,
)


@pytest.fixture
def meetings() -> pd.DataFrame:
    return pd.DataFrame({
        "official": ["王强", "王强", "王强", "李华"],
        "official_id": ["p-1", "p-1", "p-2", "p-3"],  # two namesakes: p-1 and p-2
        "company": ["华宇智能", "云帆新材料", "华宇智能", "云帆新材料"],
        "company_id": ["c-1", "c-2", "c-1", "c-2"],
        "date": pd.to_datetime(["2024-01-05", "2024-03-18", "2024-03-20", None]),
    })


def test_select_by_dates_and_ids(meetings):
    assert len(select_meetings(meetings, start="2024-03-01")) == 2
    assert len(select_meetings(meetings, start="2024-01-01", end="2024-03-18", official_id="p-1")) == 2
    assert select_meetings(meetings, company_id="c-2")["official"].tolist() == ["王强", "李华"]  # undated kept
    with pytest.raises(KeyError, match="link the corpus"):
        select_meetings(meetings.drop(columns="official_id"), official_id="p-1")


def test_months_are_continuous_and_split_by_official(meetings):
    table = meetings_per_month(meetings)
    assert [str(m) for m in table.index] == ["2024-01", "2024-02", "2024-03"]
    assert table["meetings"].tolist() == [1, 0, 2]
    by = meetings_per_month(meetings, by="official_id")
    assert by.loc[pd.Period("2024-03", "M"), "p-1"] == 1 and by.loc[pd.Period("2024-03", "M"), "p-2"] == 1


def test_plots_draw_what_was_counted(meetings):
    ax = plot_meetings_per_month(meetings, by="official_id")
    assert len(ax.patches) == 2 * 3  # two officials, three months
    ax = plot_timeline(meetings, "p-1")
    assert len(ax.collections[0].get_offsets()) == 2
    assert plot_timeline(meetings, official="无名").texts[0].get_text() == "no dated meetings"
