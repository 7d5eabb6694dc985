"""Shared serialisation for our rule components.

Each rule component keeps its word lists in ``self.data`` (plain JSON-able values),
so ``nlp.to_disk`` stores them with the pipeline and a loaded model never depends on
the package's current data files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.util import ensure_path


class DataComponent:
    """Base class: a pipeline component whose state is one JSON document."""

    filename = "data.json"

    def __init__(self, nlp: Language, name: str, data: dict[str, Any]) -> None:
        self.nlp = nlp
        self.name = name
        self.data = data
        self._compile()

    def _compile(self) -> None:
        """Build lookup structures from ``self.data``; called after every load."""

    def set_error_handler(self, handler) -> None:
        """What ``nlp.pipe`` calls when this component fails on a doc (spaCy's Pipe protocol)."""
        self._error_handler = handler

    def get_error_handler(self):
        from spacy.util import raise_error

        return getattr(self, "_error_handler", raise_error)

    def to_bytes(self, *, exclude: tuple = ()) -> bytes:
        return json.dumps(self.data, ensure_ascii=False, sort_keys=True).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: tuple = ()) -> DataComponent:
        self.data = json.loads(data.decode("utf-8"))
        self._compile()
        return self

    def to_disk(self, path: str | Path, *, exclude: tuple = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / self.filename).write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: tuple = ()) -> DataComponent:
        file = ensure_path(path) / self.filename
        if file.exists():
            self.from_bytes(file.read_bytes())
        return self


def with_defaults(given: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """Config values, where ``null`` takes the package's data (an empty list stays empty)."""
    settings = {k: v for k, v in given.items() if k not in ("nlp", "name")}
    return {key: defaults[key] if value is None else value for key, value in settings.items()}
