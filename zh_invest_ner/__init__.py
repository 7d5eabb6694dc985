"""zh-invest-ner: who met whom in Chinese investment-promotion news.

>>> import zh_invest_ner
>>> result = zh_invest_ner.extract(["examples/article_01.txt"])
>>> result.meetings  # a pandas DataFrame
"""

from . import extensions
from .api import ExtractionResult, extract
from .pipeline import load, model_path
from .records import Meeting

extensions.register()

__all__ = ["ExtractionResult", "Meeting", "extract", "load", "model_path"]
__version__ = "0.1.0"
