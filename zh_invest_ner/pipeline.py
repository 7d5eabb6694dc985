"""Loading the shipped pipeline, or any other saved with our components."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language

# Importing the components registers their factories (and the tokenizer), so spacy.load works
# even where the package's entry points are not installed (e.g. running from a checkout).
from zh_invest_ner import components, extensions  # noqa: F401
from zh_invest_ner.text import tokenizer  # noqa: F401


def model_path() -> Path:
    """Where the pipeline shipped inside the package lives."""
    return Path(str(resources.files("zh_invest_ner").joinpath("model")))


def load(path: str | Path | None = None, **kwargs) -> Language:
    """The trained pipeline shipped with the package, or the one saved at ``path``.

    Keyword arguments go to :func:`spacy.load` (``exclude``, ``disable``, ``config``…).
    """
    extensions.register()
    target = Path(path) if path is not None else model_path()
    if not (target / "config.cfg").exists():
        hint = "run `zh-invest-ner train` to build it" if path is None else "is it a saved spaCy pipeline?"
        raise OSError(f"no pipeline at {target}: {hint}")
    return spacy.load(target, **kwargs)


@lru_cache(maxsize=2)
def default_pipeline() -> Language:
    """The shipped pipeline, loaded once per process."""
    return load()


RULE_COMPONENTS = ("zh_entity_cleaner", "zh_name_finder", "zh_topic_ruler", "zh_roles", "zh_meetings")


def refresh_rules(path: str | Path, output: str | Path | None = None) -> Language:
    """Rebuild a saved pipeline's rule components from the package's current data files.

    The rule components store their word lists inside a saved pipeline, so edits to
    ``zh_invest_ner/data`` reach a trained model only through this (no retraining:
    the statistical NER is kept as it is).
    """
    nlp = load(path, exclude=list(RULE_COMPONENTS))
    for name in RULE_COMPONENTS:
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
        # re-initialised from the data files; nlp.initialize() would also reset the trained NER
        nlp.add_pipe(name).initialize(nlp=nlp)
    set_package_meta(nlp)
    nlp.to_disk(output or path)
    return nlp


#: The model's package name under ``spacy package``: ``zh_`` + this, never the library's own
#: name, so that installing a packaged model puts it beside the library instead of over it.
MODEL_NAME = "invest_ner_model"


def set_package_meta(nlp: Language) -> None:
    """Name, version and requirements that make ``spacy package`` build a wheel that installs
    beside the library (``zh_invest_ner_model``) and pulls in the library its components need."""
    from zh_invest_ner import __version__

    nlp.meta["name"] = MODEL_NAME
    nlp.meta["version"] = __version__
    nlp.meta["description"] = "zh-invest-ner: who met whom in Chinese investment-promotion news"
    nlp.meta["requirements"] = [f"zh-invest-ner>={__version__}"]
