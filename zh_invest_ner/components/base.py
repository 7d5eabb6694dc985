"""Shared state, initialisation and serialisation for our rule components.

Each rule component keeps its word lists in ``self.data`` (plain JSON-able values),
so ``nlp.to_disk`` stores them with the pipeline and a loaded model never depends on
the package's current data files. As with spaCy's ``SpanRuler.initialize(patterns=...)``
and the ``Lemmatizer`` lookups, the lists arrive in one of three ways, and the package's
data files are read only in the last:

* given in the config (``nlp.add_pipe("zh_topic_ruler", config={"topics": [...]})``);
* given to ``initialize(lexicons={...})`` (``[initialize.components.<name>.lexicons]``);
* left ``null``: ``initialize()`` takes them from ``zh_invest_ner/data``.

Loading a saved pipeline restores them from its own folder and reads nothing else.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.util import ensure_path


class DataComponent:
    """Base class: a pipeline component whose state is one JSON document."""

    filename = "data.json"
    #: Lists a component derives from the package's data but does not take from its config.
    derived: tuple[str, ...] = ()

    def __init__(self, nlp: Language, name: str, data: dict[str, Any] | None = None, *,
                 settings: dict[str, Any] | None = None,
                 defaults: Callable[[], dict[str, Any]] | None = None) -> None:
        """``data``: the complete state; or ``settings`` (config values, ``None`` = not given)
        and ``defaults``, a function that reads the package's lists, called by ``initialize``."""
        self.nlp = nlp
        self.name = name
        self.settings = {k: v for k, v in (settings or {}).items() if k not in ("nlp", "name")}
        self._defaults = defaults
        self.data: dict[str, Any] | None = data
        if data is None and not self.derived and all(v is not None for v in self.settings.values()):
            self.data = dict(self.settings)  # everything given in the config: ready now
        if self.data is not None:
            self._compile()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        call = cls.__dict__.get("__call__")
        if call is not None:
            @functools.wraps(call)
            def checked(self: DataComponent, doc: Any) -> Any:
                if self.data is None:
                    raise ValueError(f"{self.name} has no word lists yet: call nlp.initialize() (or "
                                     f"nlp.get_pipe({self.name!r}).initialize()), or give them in its config")
                return call(self, doc)

            cls.__call__ = checked

    def initialize(self, get_examples: Callable | None = None, *, nlp: Language | None = None,
                   lexicons: dict[str, Any] | None = None) -> None:
        """Take the word lists: ``lexicons``, else the config's, else the package's data files."""
        lexicons = lexicons or {}
        given = {**self.settings, **{k: v for k, v in lexicons.items() if k in self.settings}}
        missing = [k for k, v in given.items() if v is None] + [k for k in self.derived if k not in lexicons]
        defaults = self._defaults() if missing and self._defaults is not None else {}
        self.data = with_defaults(given, defaults)
        for key in self.derived:
            self.data[key] = lexicons[key] if key in lexicons else defaults[key]
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
