"""The pipeline as a spaCy user handles it: load, save, reload, configure."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from conftest import marked_doc
from spacy.training import Example

import zh_invest_ner


def test_shipped_pipeline_components(shipped_nlp):
    assert shipped_nlp.pipe_names == [
        "sentencizer", "zh_long_sentences", "zh_lexicon_features", "ner", "zh_entity_cleaner", "zh_name_finder",
        "zh_topic_ruler", "zh_roles", "zh_meetings", "zh_meeting_details",
    ]
    assert set(shipped_nlp.get_pipe("ner").labels) >= {"PERSON", "TITLE", "COMPANY", "GOV", "ORG", "GPE", "TOPIC"}
    assert shipped_nlp.config["nlp"]["tokenizer"]["segmenter"] == "char"


def test_shipped_model_is_small():
    total = sum(p.stat().st_size for p in zh_invest_ner.model_path().rglob("*") if p.is_file())
    assert total < 20 * 1024 * 1024


def test_to_disk_and_spacy_load_roundtrip(shipped_nlp, tmp_path):
    shipped_nlp.to_disk(tmp_path / "copy")
    again = spacy.load(tmp_path / "copy")
    text = "市委书记吴承泽会见了远帆新能源集团总裁祁志远一行。"
    a, b = shipped_nlp(text), again(text)
    assert [(e.text, e.label_) for e in a.ents] == [(e.text, e.label_) for e in b.ents]
    assert [m.to_dict() for m in a._.meetings] == [m.to_dict() for m in b._.meetings]


def test_rule_component_config_and_serialisation(tmp_path):
    nlp = spacy.blank("zh")
    nlp.add_pipe("zh_topic_ruler", config={"topics": ["低空经济"]})
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    doc = loaded("双方就低空经济合作交换意见。")
    assert [(e.text, e.label_) for e in doc.ents] == [("低空经济", "TOPIC")]


def test_meeting_component_scores_with_scorer(rules_nlp):
    marked = "⟦市长|TITLE⟧⟦陶建业|PERSON⟧会见了⟦鹏程电子|COMPANY⟧⟦董事长|TITLE⟧⟦何启航|PERSON⟧。"
    predicted = marked_doc(rules_nlp, marked)
    reference = predicted.copy()
    reference._.gold_meetings = [["陶建业", "何启航", "鹏程电子"], ["陶建业", "某某", "鹏程电子"]]
    scores = rules_nlp.get_pipe("zh_meetings").score([Example(predicted, reference)])
    assert scores["meetings_p"] == 1.0
    assert scores["meetings_r"] == 0.5


def test_normalising_tokenizer_keeps_the_original(shipped_nlp):
    doc = shipped_nlp("黨(dang) 委書(shu) 記陶建業")
    assert doc.text == "党委书记陶建业"
    assert doc._.source.original == "黨(dang) 委書(shu) 記陶建業"


def test_spacy_load_finds_the_components_through_entry_points(shipped_nlp, tmp_path):
    """A user who never imports zh_invest_ner can still spacy.load a saved pipeline."""
    import subprocess
    import sys

    shipped_nlp.to_disk(tmp_path / "p")
    code = (
        "import spacy, sys\n"
        f"nlp = spacy.load({str(tmp_path / 'p')!r})\n"
        "doc = nlp('市长陶建业会见了远拓物流集团董事长顾以宁。')\n"
        "print(len(doc._.meetings), nlp.pipe_names[-1])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "zh_meeting_details"]


def test_refresh_rules_keeps_the_ner_and_rebuilds_the_rules(shipped_nlp, tmp_path):
    from zh_invest_ner.pipeline import RULE_COMPONENTS, ModelError, refresh_rules

    shipped_nlp.to_disk(tmp_path / "p")
    rules = tmp_path / "p" / "zh_meetings" / "relations.json"
    rules.write_text(rules.read_text("utf-8").replace('"会见"', '"不是会见"'), "utf-8")
    stale = spacy.load(tmp_path / "p")
    text = "市长陶建业会见了远拓物流集团董事长顾以宁。"
    assert stale(text)._.meetings == []
    with pytest.raises(ModelError, match="--overwrite"):  # in place replaces the model: asked for explicitly
        refresh_rules(tmp_path / "p")
    fresh = refresh_rules(tmp_path / "p", overwrite=True)
    assert [n for n in fresh.pipe_names if n in RULE_COMPONENTS] == list(RULE_COMPONENTS)
    assert len(spacy.load(tmp_path / "p")(text)._.meetings) == 1


# -- models are never lost ------------------------------------------------------------


def _tiny(tmp_path: Path, name: str = "m", marker: str = "one") -> Path:
    """A small saved pipeline with our tokenizer, told apart by ``meta['description']``."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1"}}})
    nlp.meta["description"] = marker
    nlp.to_disk(tmp_path / name)
    return tmp_path / name


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_save_replaces_only_when_asked_and_leaves_nothing_behind(tmp_path):
    from zh_invest_ner.pipeline import ModelError, save

    target = _tiny(tmp_path, marker="old")
    new = spacy.blank("zh")
    new.meta["description"] = "new"
    with pytest.raises(ModelError, match="already holds a model; pass --overwrite"):
        save(new, target)
    assert spacy.load(target).meta["description"] == "old"
    save(new, target, overwrite=True)
    assert spacy.load(target).meta["description"] == "new"
    assert _hidden(tmp_path) == []


def test_a_write_that_fails_midway_keeps_the_old_model(tmp_path, monkeypatch):
    from spacy.language import Language

    from zh_invest_ner.pipeline import save

    target = _tiny(tmp_path, marker="old")

    def half_written(self, path, **kwargs):
        Path(path, "config.cfg").write_text("[nlp]\n", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Language, "to_disk", half_written)
    with pytest.raises(OSError, match="No space left"):
        save(spacy.blank("zh"), target, overwrite=True)
    monkeypatch.undo()
    assert zh_invest_ner.load(target).meta["description"] == "old"
    assert _hidden(tmp_path) == []


_KILLED_WRITER = r"""
import sys, time
from pathlib import Path
import spacy
from spacy.language import Language
from zh_invest_ner.pipeline import save

def slow(self, path, **kwargs):
    Path(path, "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    print("writing", flush=True)
    time.sleep(60)

Language.to_disk = slow
save(spacy.blank("zh"), sys.argv[1], overwrite=True)
"""


def test_killing_a_save_midway_leaves_the_previous_model_loadable(tmp_path):
    import signal
    import subprocess
    import sys

    target = _tiny(tmp_path, marker="old")
    child = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert zh_invest_ner.load(target).meta["description"] == "old"


def test_the_shipped_model_and_other_folders_are_refused_as_targets(tmp_path):
    from zh_invest_ner.pipeline import ModelError, check_target, model_path

    with pytest.raises(ModelError, match="shipped inside the installed package"):
        check_target(model_path())
    with pytest.raises(ModelError, match="shipped inside the installed package"):
        check_target(model_path() / "ner")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ModelError, match="holds no spaCy pipeline"):
        check_target(tmp_path / "notes", overwrite=True)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ModelError, match="is a file"):
        check_target(tmp_path / "file", overwrite=True)
    assert check_target(tmp_path / "new" / "model") == tmp_path / "new" / "model"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("spacy_version", ">=2.0.0,<3.0.0", r"made for spaCy >=2\.0\.0,<3\.0\.0, and this is spaCy 3\."),
    ("requirements", ["zh-invest-ner>=9.0.0"], r"needs zh-invest-ner>=9\.0\.0, and this is zh-invest-ner "),
])
def test_a_model_from_an_incompatible_version_says_which_in_one_line(tmp_path, field, value, message):
    import json

    from zh_invest_ner.pipeline import ModelError

    target = _tiny(tmp_path)
    meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
    meta[field] = value
    (target / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match=message) as caught:
        zh_invest_ner.load(target)
    assert "\n" not in str(caught.value)


def test_a_config_naming_another_segmenter_is_an_error(tmp_path):
    import json

    from zh_invest_ner.pipeline import ModelError

    target = _tiny(tmp_path)
    # the saved tokenizer says jieba, the config char: spaCy alone would quietly take jieba
    cfg = target / "tokenizer" / "cfg"
    cfg.write_text(json.dumps({**json.loads(cfg.read_text(encoding="utf-8")), "segmenter": "jieba"}), encoding="utf-8")
    with pytest.raises(ModelError, match="names segmenter 'char', but .* saved with 'jieba'"):
        zh_invest_ner.load(target)


def test_a_model_needing_a_missing_component_is_one_line(tmp_path):
    from zh_invest_ner.pipeline import ModelError

    target = _tiny(tmp_path)
    config = (target / "config.cfg").read_text(encoding="utf-8")
    config = config.replace("pipeline = []", 'pipeline = ["extra"]') + '\n[components.extra]\nfactory = "no_such"\n'
    (target / "config.cfg").write_text(config, encoding="utf-8")
    with pytest.raises(ModelError, match="cannot load the pipeline at .*no_such") as caught:
        zh_invest_ner.load(target)
    assert "\n" not in str(caught.value)
