"""zh-invest-ner: who met whom in Chinese investment-promotion news.

>>> import zh_invest_ner
>>> result = zh_invest_ner.extract(["examples/article_01.txt"])
>>> result.meetings  # a pandas DataFrame
"""

from zh_invest_ner import extensions
from zh_invest_ner.api import ExtractionResult, extract
from zh_invest_ner.pipeline import load, model_path
from zh_invest_ner.records import Meeting

extensions.register()

__all__ = ["Corpus", "ExtractionResult", "Meeting", "extract", "load", "model_path"]


def __getattr__(name: str):
    """``zh_invest_ner.Corpus`` on first use: it needs pandas, which ``import zh_invest_ner`` leaves out."""
    if name == "Corpus":
        from zh_invest_ner.corpus import Corpus

        return Corpus
    raise AttributeError(f"module 'zh_invest_ner' has no attribute {name!r}")
__version__ = "0.1.0"
