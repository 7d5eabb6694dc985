"""Training the NER on annotated articles: the readers, the checks, the consistency check and the loop."""

from zh_invest_ner.training.formats import FORMATS, read_file  # noqa: F401 - the readers
from zh_invest_ner.training.train import (  # noqa: F401 - the training API
    LABELS,
    Record,
    TrainingDataError,
    _augment_pools,
    augment,
    base_config,
    evaluate,
    format_scores,
    gold_meetings,
    held_out_examples,
    make_example,
    read_dir,
    read_jsonl,
    split,
    statistical_config,
    train,
    train_config,
)

# not the function ``validate``: exported here, it would hide the submodule of that name
from zh_invest_ner.training.validate import Problem, load_training_data, read_training_data  # noqa: F401
