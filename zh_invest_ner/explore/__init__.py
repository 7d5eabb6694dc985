"""Exploring results in Jupyter: displaCy views, the meeting network and plots (the ``viz`` extra)."""
