"""Meetings over time, for notebooks: select by date and by person or company, count per month,
draw one official's meetings as a timeline.

Researchers ask when and how often officials courted which firms. These helpers work on
the meetings frame (``result.meetings``, a saved one, or ``result.meetings_unique``): they
use the ``date`` column, and the canonical ``official_id``/``company_id`` where present
(so namesakes stay apart), else the names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zh_invest_ner.explore.viz import _font_kw, _new_axes, _short

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["meetings_per_month", "plot_meetings_per_month", "plot_timeline", "select_meetings"]


def _dates(meetings: pd.DataFrame) -> pd.Series:
    import pandas as pd

    if "date" not in meetings.columns:
        raise KeyError("no 'date' column: these meetings come from a version without dates; re-run the extraction")
    return pd.to_datetime(meetings["date"], errors="coerce")


def select_meetings(
    meetings: pd.DataFrame,
    *,
    start: Any = None,
    end: Any = None,
    official_id: str | None = None,
    company_id: str | None = None,
    official: str | None = None,
    company: str | None = None,
) -> pd.DataFrame:
    """The meetings from ``start`` to ``end`` (inclusive; anything ``pd.Timestamp`` reads), of one
    official and/or company, by canonical id or by name. Undated meetings are kept only when no
    date bound is given."""
    import pandas as pd

    keep = pd.Series(True, index=meetings.index)
    if start is not None or end is not None:
        dates = _dates(meetings)
        keep &= dates.notna()
        if start is not None:
            keep &= dates >= pd.Timestamp(start)
        if end is not None:
            keep &= dates <= pd.Timestamp(end)
    for column, value in (("official_id", official_id), ("company_id", company_id),
                          ("official", official), ("company", company)):
        if value is not None:
            if column not in meetings.columns:
                raise KeyError(f"no {column!r} column; link the corpus first (result.meetings has ids after extract)")
            keep &= meetings[column] == value
    return meetings[keep.fillna(False).astype(bool)]


def meetings_per_month(meetings: pd.DataFrame, by: str | None = None, top: int = 5) -> pd.DataFrame:
    """Dated meetings counted per calendar month: one column ``meetings``, or one column per value
    of ``by`` (``official_id``, ``official``, ``company_id``…) for its ``top`` most frequent values.
    Months without meetings are rows of zeros, so the index is a continuous monthly range."""
    import pandas as pd

    dates = _dates(meetings)
    dated = meetings.assign(month=dates.dt.to_period("M"))[dates.notna()]
    if dated.empty:
        return pd.DataFrame(columns=["meetings"], index=pd.PeriodIndex([], freq="M", name="month"))
    months = pd.period_range(dated["month"].min(), dated["month"].max(), freq="M", name="month")
    if by is None:
        return dated.groupby("month").size().reindex(months, fill_value=0).to_frame("meetings")
    leaders = dated[by].value_counts().head(top).index
    table = (dated[dated[by].isin(leaders)].groupby(["month", by]).size().unstack(by, fill_value=0)
             .reindex(months, fill_value=0))
    return table[list(leaders)]


def plot_meetings_per_month(meetings: pd.DataFrame, by: str | None = None, top: int = 5,
                            ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Bars of dated meetings per month (stacked by ``by`` when given)."""
    table = meetings_per_month(meetings, by=by, top=top)
    ax = _new_axes(ax, (max(6, 0.35 * len(table) + 2), 4))
    font = _font_kw()
    ax.set_title(title or ("Meetings per month" + (f", by {by}" if by else "")), **font)
    if table.empty:
        ax.text(0.5, 0.5, "no dated meetings", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    labels = [str(p) for p in table.index]
    bottom = [0] * len(table)
    for column in table.columns:
        values = table[column].tolist()
        ax.bar(labels, values, bottom=bottom, label=_short(str(column), 16))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if by is not None:
        ax.legend(prop={"family": font["fontfamily"]} if font else None, fontsize=8)
    ax.set_ylabel("meetings")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="x", rotation=60, labelsize=8)
    ax.figure.tight_layout()
    return ax


def plot_timeline(meetings: pd.DataFrame, official_id: str | None = None, *, official: str | None = None,
                  ax: Axes | None = None) -> Axes:
    """One official's dated meetings: a dot per meeting at its date, one row per company met."""
    chosen = select_meetings(meetings, official_id=official_id, official=official)
    dates = _dates(chosen)
    chosen = chosen.assign(_date=dates)[dates.notna()].sort_values("_date")
    name = official or (chosen["official"].iloc[0] if len(chosen) else official_id)
    companies = list(dict.fromkeys(chosen["company"].fillna("—")))
    ax = _new_axes(ax, (9, 0.45 * max(len(companies), 2) + 1.6))
    font = _font_kw()
    ax.set_title(f"Meetings of {name}", **font)
    if chosen.empty:
        ax.text(0.5, 0.5, "no dated meetings", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    row = {c: i for i, c in enumerate(companies)}
    ax.scatter(chosen["_date"], [row[c] for c in chosen["company"].fillna("—")], s=60, color="#3182bd", zorder=3)
    ax.set_yticks(range(len(companies)), [_short(str(c), 18) for c in companies], **font)
    ax.grid(axis="x", alpha=0.3)
    ax.figure.autofmt_xdate()
    ax.figure.tight_layout()
    return ax
