"""The result object of :func:`zh_invest_ner.extract`: the frames, with display and export.

Kept apart from ``extract`` itself so that code which only reads saved results (a notebook
opening a Parquet file, a Dask collector) can build and show one without the pipeline.
"""

from __future__ import annotations

import os
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc

if TYPE_CHECKING:  # pandas is imported where a frame is built: `import zh_invest_ner` stays light
    import pandas as pd


@dataclass
class ExtractionResult:
    """What :func:`extract` found: three DataFrames, the documents and any errors."""

    meetings: pd.DataFrame
    triples: pd.DataFrame
    entities: pd.DataFrame
    documents: pd.DataFrame
    errors: pd.DataFrame
    docs: list[Doc] = field(default_factory=list, repr=False)
    #: one row per canonical person / company / real meeting over all documents (``linking.link``)
    people: pd.DataFrame | None = field(default=None, repr=False)
    companies: pd.DataFrame | None = field(default=None, repr=False)
    meetings_unique: pd.DataFrame | None = field(default=None, repr=False)
    #: link on construction (False: the caller links a larger corpus itself, or never needs it)
    link_now: InitVar[bool] = True

    def __post_init__(self, link_now: bool) -> None:
        if self.people is None and link_now:  # also when built from frames alone (a saved result)
            self.link()

    def link(self) -> ExtractionResult:
        """Canonical ids on the meetings (``official_id``, ``executive_id``, ``company_id``,
        ``meeting_id``) and the ``people``, ``companies`` and ``meetings_unique`` frames.

        Namesakes in different regions stay apart, short and full company names are one
        company, and a meeting reprinted by several sites is one ``meeting_id``
        (near-duplicate fingerprints, never pairwise comparison)."""
        from zh_invest_ner.output.linking import link

        linked = link(self.meetings, self.documents, self.entities)
        self.meetings, self.people = linked.meetings, linked.people
        self.companies, self.meetings_unique = linked.companies, linked.meetings_unique
        return self

    def __len__(self) -> int:
        return len(self.meetings)

    def __repr__(self) -> str:
        unique = len(self.meetings_unique) if self.meetings_unique is not None else 0
        return (f"ExtractionResult({len(self.documents)} documents, {len(self.meetings)} meetings "
                f"({unique} unique), {len(self.entities)} entities, {len(self.errors)} errors)")

    # -- display and export (for notebooks and hand-off to other tools) ------------------
    # Frames written by to_csv / to_parquet / to_excel: all of them, so that a saved result
    # still says which documents were read, which were not, and why.
    _EXPORTED = ("meetings", "triples", "entities", "documents", "errors", "people", "companies", "meetings_unique")
    _TABLES = _EXPORTED
    # Rows shown by _repr_html_: enough to see what came out, small enough for a notebook.
    _HTML_ROWS = 20

    @staticmethod
    def _display_value(value: Any) -> Any:
        """A cell as a reader wants it: lists joined with 、, newlines visible, no NaN."""
        import pandas as pd

        if isinstance(value, list | tuple) or type(value).__name__ == "ndarray":
            return "、".join(str(v) for v in value)
        if isinstance(value, str):
            return value.replace("\r\n", "↵").replace("\n", "↵")
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):  # None / NA / NaN
            return ""
        return value

    def readable(self, table: str = "meetings", offsets: bool = False) -> pd.DataFrame:
        """A copy of one frame made for reading: lists as text, offsets hidden unless asked.

        The frames themselves keep ``topics`` as lists and ``start``/``end`` offsets because
        code needs them; people reading a table in a notebook do not. ``table`` is one of
        ``meetings``, ``triples``, ``entities``, ``documents`` or ``errors``.
        """
        import pandas as pd

        if table not in self._TABLES:
            raise ValueError(f"table must be one of {', '.join(self._TABLES)}, not {table!r}")
        frame = getattr(self, table).copy()
        if not offsets:
            frame = frame.drop(columns=[c for c in ("start", "end") if c in frame.columns])
        for column in frame.columns:
            if not pd.api.types.is_numeric_dtype(frame[column]):
                frame[column] = frame[column].map(self._display_value).astype(object)
        return frame

    def _repr_html_(self) -> str:
        """Jupyter's view of a result: the counts, then the meetings as a readable table."""
        import html

        counts = [(len(self.documents), "documents"), (len(self.meetings), "meetings"),
                  (len(self.triples), "triples"), (len(self.entities), "entities"),
                  (len(self.errors), "errors")]
        parts = ['<div class="zh-invest-ner-result">',
                 "<p><b>ExtractionResult</b>: " + " · ".join(f"{n} {what}" for n, what in counts) + "</p>"]
        if len(self.meetings):
            table = self.readable("meetings").drop(columns=["sentence"], errors="ignore")
            parts.append(table.head(self._HTML_ROWS).to_html(index=False, escape=True, border=0))
            if len(table) > self._HTML_ROWS:
                parts.append(f"<p>… {len(table) - self._HTML_ROWS} more meetings: "
                             "see <code>result.meetings</code> or <code>result.readable()</code></p>")
        else:
            parts.append("<p>No meetings found.</p>")
        if len(self.errors):
            parts.append("<p><b>Errors</b> (documents skipped):</p>")
            parts.append(self.errors.to_html(index=False, escape=True, border=0))
        parts.append(f"<!-- {html.escape(repr(self))} --></div>")
        return "\n".join(parts)

    def _as_text(self, name: str) -> pd.DataFrame:
        """A frame with list cells as JSON text: what CSV and Excel can hold and parse back."""
        import json

        frame = getattr(self, name).copy()
        for column in frame.columns:
            if any(isinstance(v, list | tuple) for v in frame[column]):
                frame[column] = frame[column].map(
                    lambda v: json.dumps(list(v), ensure_ascii=False) if isinstance(v, list | tuple) else v
                )
        return frame

    def to_csv(self, folder: str | os.PathLike) -> dict[str, Path]:
        """Write every frame (meetings … meetings_unique) as ``<name>.csv`` into ``folder``; return their paths.

        Lists (``topics``) become JSON text, so ``json.loads`` restores them exactly. The
        files are UTF-8 with a byte-order mark: Excel then opens Chinese text correctly,
        and pandas' ``read_csv`` skips the mark.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = {}
        for name in self._EXPORTED:
            path = folder / f"{name}.csv"
            self._as_text(name).to_csv(path, index=False, encoding="utf-8-sig")
            written[name] = path
        return written

    def to_parquet(self, folder: str | os.PathLike) -> dict[str, Path]:
        """Write every frame as ``<name>.parquet`` into ``folder``; lists stay lists.

        Parquet keeps types (``topics`` as a list column, offsets as integers), which makes
        it the format to hand results to another pandas, Polars or DuckDB session.
        Needs pyarrow (the ``viz``/``dev`` extras).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = {}
        for name in self._EXPORTED:
            path = folder / f"{name}.parquet"
            try:
                getattr(self, name).to_parquet(path, index=False)
            except ImportError as e:
                raise ImportError('Parquet export needs pyarrow: pip install "zh-invest-ner[viz]"') from e
            written[name] = path
        return written

    def to_excel(self, path: str | os.PathLike) -> Path:
        """Write one workbook with a sheet per frame (meetings … meetings_unique).

        Lists become JSON text as in :meth:`to_csv`. Control characters that Excel refuses
        (they can survive in ``original_text``) are dropped rather than failing the export.
        Needs openpyxl (the ``viz``/``dev`` extras).
        """
        import pandas as pd

        try:
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        except ImportError as e:
            raise ImportError('Excel export needs openpyxl: pip install "zh-invest-ner[viz]"') from e
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name in self._EXPORTED:
                frame = self._as_text(name)
                for column in frame.columns:
                    if not pd.api.types.is_numeric_dtype(frame[column]):
                        frame[column] = frame[column].map(
                            lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                        )
                frame.to_excel(writer, sheet_name=name, index=False)
        return path
