"""Imports of optional extras, with an error that says how to install them."""

from __future__ import annotations

import importlib
from typing import Any


def require(module: str, purpose: str, requirement: str) -> Any:
    """Import ``module`` or raise an ImportError naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f'{purpose} need {requirement}: pip install "zh-invest-ner[viz]" (or {requirement})') from e
