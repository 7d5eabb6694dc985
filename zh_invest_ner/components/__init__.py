"""The pipeline's own spaCy components, one module each.

Importing this package registers every factory, so ``spacy.load`` finds them even where the
package's entry points are not installed (a checkout, a zipped model, a Dask worker).
"""

from zh_invest_ner.components import (  # noqa: F401 - imported for their factories
    biluo_entities,
    entity_cleaner,
    hanlp_ner,
    lexicon_features,
    long_sentences,
    meetings,
    name_finder,
    roles,
    topic_ruler,
)
