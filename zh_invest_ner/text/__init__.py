"""The text layer: bytes to text (decoding, HTML), normalised text with its offset map, tokens.

Nothing here knows about entities or meetings; every layer above builds on it.
"""
