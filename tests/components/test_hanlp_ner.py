"""The ``hanlp_ner`` component: label maps, replace/merge, sentence offsets, the import boundary.

These tests need the ``hanlp`` extra (torch, hanlp); they skip where it is absent. The
component runs here on stand-in HanLP models (callables with HanLP's output shape);
a real trained model is saved, loaded and run in ``tests/training/test_hanlp_train.py``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("hanlp")

import spacy  # noqa: E402

from zh_invest_ner.components import hanlp_ner  # noqa: E402
from zh_invest_ner.components.hanlp_ner import LABEL_MAPS, build_label_map, entity_tuples, token_text  # noqa: E402

TOKENIZER = {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1", "segmenter": "char"}


class FakeHanlp:
    """A HanLP NER stand-in: finds fixed strings in each sentence, with HanLP's ``(text, label, b, e)``."""

    def __init__(self, found: dict[str, str]) -> None:
        self.found = found
        self.calls: list[list[list[str]]] = []

    def __call__(self, sentences: list[list[str]], batch_size: int | None = None) -> list[list[tuple]]:
        self.calls.append(sentences)
        out = []
        for tokens in sentences:
            text = "".join(tokens)
            hits = []
            for word, label in self.found.items():
                at = text.find(word)
                if at >= 0:
                    hits.append((word, label, at, at + len(word)))
            out.append(hits)
        return out


def pipeline(fake: FakeHanlp, **config) -> spacy.language.Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": TOKENIZER}})
    nlp.add_pipe("sentencizer", config={"punct_chars": ["。", "！", "？", "；", "\n"]})
    nlp.add_pipe("hanlp_ner", config={"model": None, **config}).use("fake", loaded=fake)
    return nlp


def _modules_after(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", f"import sys; {code}; print('torch' in sys.modules, "
                          "'hanlp' in sys.modules)"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_import_zh_invest_ner_pulls_in_neither_torch_nor_hanlp():
    # thinc imports torch wherever it is installed (as here): we must add nothing to what spaCy imports
    torch_by_spacy = _modules_after("import spacy")[0]
    loaded = _modules_after("import zh_invest_ner, zh_invest_ner.components.hanlp_ner, "
                            "zh_invest_ner.training.hanlp_train; zh_invest_ner.load()")
    assert loaded == [torch_by_spacy, "False"]


def test_label_presets_map_onto_our_labels():
    assert build_label_map("pku")["nr"] == "PERSON" and build_label_map("pku")["ns"] == "GPE"
    assert build_label_map("pku")["nt"] == "ORG"
    msra = build_label_map("msra")
    assert (msra["PERSON"], msra["LOCATION"], msra["ORGANIZATION"]) == ("PERSON", "GPE", "ORG")
    onto = build_label_map("ontonotes")
    assert (onto["PERSON"], onto["GPE"], onto["ORG"]) == ("PERSON", "GPE", "ORG") and "DATE" not in onto
    assert build_label_map("ours") == {label: label for label in ("PERSON", "TITLE", "COMPANY", "GOV", "ORG",
                                                                  "GPE", "TOPIC")}
    auto = build_label_map("auto")
    assert all(auto[k] == v for m in LABEL_MAPS.values() for k, v in m.items())  # the presets never disagree


def test_label_overrides_add_replace_and_drop():
    mapping = build_label_map("msra", {"ORGANIZATION": "COMPANY", "LOCATION": None, "nz": "TOPIC"})
    assert mapping["ORGANIZATION"] == "COMPANY" and "LOCATION" not in mapping and mapping["nz"] == "TOPIC"
    with pytest.raises(ValueError, match="not one of"):
        build_label_map("auto", {"nr": "NAME"})
    with pytest.raises(ValueError, match="unknown label_scheme"):
        build_label_map("conll")


def test_replace_mode_sets_mapped_entities_at_the_right_characters():
    fake = FakeHanlp({"王强": "nr", "苏州": "ns", "会见": "v"})
    nlp = pipeline(fake, label_scheme="pku")
    doc = nlp("今天上午。市长王强在苏州会见了客人。")
    assert [(e.text, e.label_) for e in doc.ents] == [("王强", "PERSON"), ("苏州", "GPE")]  # "v" is not mapped
    # one call for the doc's sentences, one character a token
    assert fake.calls == [[list("今天上午。"), list("市长王强在苏州会见了客人。")]]


def test_traditional_input_is_seen_normalised_and_maps_back():
    nlp = pipeline(FakeHanlp({"王强": "PERSON"}), label_scheme="msra")
    doc = nlp("市長(zhǎng)王強會見了客人。")
    (ent,) = doc.ents
    assert ent.text == "王强" and ent._.original_offsets == (9, 11)


def test_merge_mode_keeps_existing_entities_and_adds_the_rest():
    nlp = pipeline(FakeHanlp({"市长王": "PERSON", "李华": "PERSON"}), mode="merge", label_scheme="msra")
    doc = nlp.make_doc("市长王强会见李华。")
    doc.ents = [spacy.tokens.Span(doc, 0, 2, label="TITLE")]
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("市长", "TITLE"), ("李华", "PERSON")]


def test_pipe_batches_docs_and_line_breaks_reach_hanlp_as_placeholders():
    fake = FakeHanlp({"李华": "PERSON"})
    nlp = pipeline(fake, label_scheme="msra")
    docs = list(nlp.pipe(["甲 乙李华", "丙\n李华", ""]))
    assert [[e.text for e in d.ents] for d in docs] == [["李华"], ["李华"], []]
    assert len(fake.calls) == 1
    assert token_text("\n") == token_text(" ") == "<sp>"


def test_multi_task_output_and_bad_modes():
    assert entity_tuples({"tok": [], "ner/msra": [("王强", "PERSON", 0, 2)]}) == [("PERSON", 0, 2)]
    with pytest.raises(ValueError, match="no NER task"):
        entity_tuples({"tok": []})
    nlp = spacy.blank("zh")
    with pytest.raises(ValueError, match="mode must be one of"):
        nlp.add_pipe("hanlp_ner", config={"model": "x", "mode": "append"})


def test_a_pretrained_identifier_goes_to_hanlp_load(monkeypatch):
    import hanlp

    seen = []
    monkeypatch.setattr(hanlp, "load", lambda model, **kw: seen.append(model) or FakeHanlp({"王强": "PERSON"}))
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": TOKENIZER}})
    nlp.add_pipe("hanlp_ner", config={"model": "MSRA_NER_ELECTRA_SMALL_ZH"})
    assert [e.label_ for e in nlp("王强来了").ents] == ["PERSON"]
    assert seen == ["MSRA_NER_ELECTRA_SMALL_ZH"]


def test_without_a_model_the_error_says_what_to_do():
    nlp = spacy.blank("zh")
    nlp.add_pipe("hanlp_ner")
    with pytest.raises(ValueError, match="has no HanLP model"):
        nlp("王强")
    assert hanlp_ner.MODES == ("replace", "merge")
