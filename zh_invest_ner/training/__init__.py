"""Training the NER on annotated articles: the markup, the consistency check and the loop."""

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
