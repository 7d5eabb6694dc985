"""Loading the shipped pipeline, or any other saved with our components."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import is_compatible_version

# Importing the components registers their factories (and the tokenizer), so spacy.load works
# even where the package's entry points are not installed (e.g. running from a checkout).
from zh_invest_ner import components, extensions  # noqa: F401
from zh_invest_ner.text import tokenizer  # noqa: F401


def model_path() -> Path:
    """Where the pipeline shipped inside the package lives."""
    return Path(str(resources.files("zh_invest_ner").joinpath("model")))


class ModelError(OSError):
    """A model that cannot be loaded or written as asked, said in one line a user can act on."""


def load(path: str | Path | None = None, **kwargs) -> Language:
    """The trained pipeline shipped with the package, or the one saved at ``path``.

    Keyword arguments go to :func:`spacy.load` (``exclude``, ``disable``, ``config``…).

    Raises:
        ModelError: no pipeline at ``path``, one made by an incompatible spaCy or
            zh-invest-ner, one whose config is invalid or needs a component that is not
            installed.
    """
    extensions.register()
    target = Path(path).expanduser() if path is not None else model_path()
    if not (target / "config.cfg").exists():
        raise ModelError(f"no pipeline at {target}: {_missing_hint(target, path is None)}")
    check_versions(target)
    try:
        return spacy.load(target, **kwargs)
    except (ValueError, KeyError, ImportError) as e:  # spaCy's config and factory errors
        raise ModelError(f"cannot load the pipeline at {target}: {_first_line(e)}") from e


def _first_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip() and not set(line.strip()) <= set("=")]
    return " ".join(lines[:3]) if lines else type(error).__name__


def _missing_hint(target: Path, shipped: bool) -> str:
    left = sorted(target.parent.glob(f".{target.name}.old-*")) if target.parent.exists() else []
    if left:
        return f"an interrupted save left the previous model at {left[-1]}: rename it back to {target.name}"
    return "run `zh-invest-ner train` to build it" if shipped else "is it a saved spaCy pipeline?"


def check_versions(target: Path) -> None:
    """Refuse, in one line, a model made for another spaCy or a newer zh-invest-ner.

    spaCy itself only warns (W095) and then fails somewhere inside the model with a
    traceback; naming both versions tells the user what to install or retrain.
    """
    from zh_invest_ner import __version__

    try:
        meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no meta: nothing to compare (spaCy loads such pipelines too)
    wanted = meta.get("spacy_version")
    if wanted and not is_compatible_version(spacy.about.__version__, wanted):
        raise ModelError(f"the pipeline at {target} was made for spaCy {wanted}, and this is spaCy "
                         f"{spacy.about.__version__}: install a matching spaCy, or retrain with `zh-invest-ner train`")
    for requirement in meta.get("requirements") or []:
        name, _, spec = requirement.partition(">")
        if name.strip() == "zh-invest-ner" and spec and not is_compatible_version(__version__, ">" + spec):
            raise ModelError(f"the pipeline at {target} was made by zh-invest-ner {meta.get('version')} and needs "
                             f"{requirement}, and this is zh-invest-ner {__version__}: upgrade zh-invest-ner")


def is_shipped(path: str | Path) -> bool:
    """Whether ``path`` is (or is inside) the model shipped in the installed package."""
    shipped = model_path().resolve()
    target = Path(path).expanduser().resolve()
    return target == shipped or shipped in target.parents


def check_target(path: str | Path, overwrite: bool = False) -> Path:
    """Where a model may be written, or a :class:`ModelError` saying why not.

    Replacing anything needs ``overwrite``; the shipped model and folders that hold no
    pipeline are never replaced by accident (``--output ~`` must not empty a home folder).
    """
    target = Path(path).expanduser()
    if target.exists() and not target.is_dir():
        raise ModelError(f"{target} is a file, not a model folder")
    if is_shipped(target) and not overwrite:
        raise ModelError(f"{target} is the model shipped inside the installed package; write elsewhere "
                         "(--output), or pass --overwrite to replace it")
    if target.is_dir() and any(target.iterdir()):
        if not (target / "config.cfg").exists():
            raise ModelError(f"{target} is a folder that holds no spaCy pipeline; refusing to replace it")
        if not overwrite:
            raise ModelError(f"{target} already holds a model; pass --overwrite to replace it "
                             "(the old one stays until the new one is complete)")
    return target


@contextlib.contextmanager
def replacing_folder(target: str | Path) -> Iterator[Path]:
    """A temporary folder beside ``target`` that becomes ``target`` only once it is complete.

    Whatever stops the write (an exception, Ctrl-C, a full disk) leaves the old folder as
    it was. Beside the target, so the final renames stay on one file system.
    """
    target = Path(target).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def save(nlp: Language, path: str | Path, *, overwrite: bool = False) -> Path:
    """``nlp.to_disk(path)``, written beside the target and renamed into place."""
    target = check_target(path, overwrite)
    with replacing_folder(target) as tmp:
        nlp.to_disk(tmp)
    return target


@lru_cache(maxsize=2)
def default_pipeline() -> Language:
    """The shipped pipeline, loaded once per process."""
    return load()


RULE_COMPONENTS = ("zh_entity_cleaner", "zh_name_finder", "zh_topic_ruler", "zh_roles", "zh_meetings",
                   "zh_meeting_details")


def refresh_rules(path: str | Path, output: str | Path | None = None, *, overwrite: bool = False) -> Language:
    """Rebuild a saved pipeline's rule components from the package's current data files.

    The rule components store their word lists inside a saved pipeline, so edits to
    ``zh_invest_ner/data`` reach a trained model only through this (no retraining:
    the statistical NER is kept as it is). Writing in place (no ``output``) replaces the
    model, so it needs ``overwrite``, as any existing target does.
    """
    check_target(output or path, overwrite)
    nlp = load(path, exclude=list(RULE_COMPONENTS))
    for name in RULE_COMPONENTS:
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
        # re-initialised from the data files; nlp.initialize() would also reset the trained NER
        nlp.add_pipe(name).initialize(nlp=nlp)
    set_package_meta(nlp)
    save(nlp, output or path, overwrite=overwrite)
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
