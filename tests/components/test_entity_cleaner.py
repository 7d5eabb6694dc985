"""Repairs of typical statistical-NER slips, given as the model's (wrong) entities."""

from __future__ import annotations

from conftest import marked_doc
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.util import filter_spans

from zh_invest_ner.training import LABELS


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def test_trailing_honorifics_and_punctuation_leave_person_names(rules_nlp):
    doc = marked_doc(rules_nlp, "⟦董事长|TITLE⟧⟦顾以宁博士|PERSON⟧与⟦、蒋海峰|PERSON⟧交流。")
    assert ("顾以宁", "PERSON") in ents(doc)
    assert ("蒋海峰", "PERSON") in ents(doc)


def test_company_read_as_topic_or_title_becomes_company(rules_nlp):
    doc = marked_doc(rules_nlp, "考察了⟦江海远拓物流集团有限公司|TOPIC⟧和⟦青禾生物科技有限公司|TITLE⟧。")
    assert ("江海远拓物流集团有限公司", "COMPANY") in ents(doc)
    assert ("青禾生物科技有限公司", "COMPANY") in ents(doc)


def test_clauses_are_not_company_names(rules_nlp):
    doc = marked_doc(rules_nlp, "⟦蒋海峰还拜访了远拓|COMPANY⟧，⟦远拓物流集团就|COMPANY⟧合作进行交流。")
    assert ("远拓物流集团", "COMPANY") in ents(doc)
    assert all("拜访" not in t for t, _ in ents(doc))


def test_legal_form_companies_the_model_missed(rules_nlp):
    doc = marked_doc(rules_nlp, "⟦市长|TITLE⟧⟦蒋海峰|PERSON⟧参观了云栖十二局集团有限公司展厅。")
    assert ("云栖十二局集团有限公司", "COMPANY") in ents(doc)


def test_company_name_cut_before_its_suffix_is_extended(rules_nlp):
    doc = marked_doc(rules_nlp, "⟦浙江民营|COMPANY⟧投资集团董事长顾以宁")
    assert ("浙江民营投资集团", "COMPANY") in ents(doc)


def test_names_next_to_titles_the_model_missed(rules_nlp):
    doc = marked_doc(rules_nlp, "市委副书记、市长蒋海峰会见了⟦远拓物流集团|COMPANY⟧董事长顾以宁。顾以宁表示感谢。")
    assert ents(doc).count(("顾以宁", "PERSON")) == 2
    assert ("蒋海峰", "PERSON") in ents(doc)
    assert ("市长", "TITLE") in ents(doc) and ("副书记", "TITLE") in ents(doc)
    assert doc._.people["蒋海峰"].role == "official"


def test_title_words_inside_other_words_are_not_titles(rules_nlp):
    doc = marked_doc(rules_nlp, "推动城市长远发展。")
    assert ents(doc) == []


def test_districts_are_not_company_names(rules_nlp):
    doc = marked_doc(rules_nlp, "⟦临川口区|COMPANY⟧⟦副区长|TITLE⟧⟦苗禾|PERSON⟧陪同。")
    assert ("临川口区", "GPE") in ents(doc)
    doc = marked_doc(rules_nlp, "参观了⟦青禾智造园区|COMPANY⟧。")  # a park keeps the model's label
    assert ("青禾智造园区", "COMPANY") in ents(doc)


def test_a_name_does_not_start_with_the_last_character_of_a_title(rules_nlp):
    doc = marked_doc(rules_nlp, "管委会主⟦任钱海峰|PERSON⟧一同调研。")
    assert ("钱海峰", "PERSON") in ents(doc)
    assert ("任钱海峰", "PERSON") not in ents(doc)


def test_brand_with_region_qualifier_is_a_company(rules_nlp):
    doc = marked_doc(
        rules_nlp,
        "拜访了⟦远拓物流亚太区|COMPANY⟧⟦副总裁|TITLE⟧、⟦远拓|PERSON⟧(中国)政府与公共事务部⟦总经理|TITLE⟧⟦顾以宁|PERSON⟧。",
    )
    assert ("远拓(中国)", "COMPANY") in ents(doc)
    assert doc._.people["顾以宁"].affiliation == "远拓物流亚太区"


def test_topics_lose_the_verbs_and_etceteras_around_them(rules_nlp):
    doc = marked_doc(rules_nlp, "双方就⟦加强数字经济等方面|TOPIC⟧合作交流。")
    assert ("数字经济", "TOPIC") in ents(doc)


ALPHABET = "市长书记董事集团有限公司科技王李张陈远拓云栖会见拜访了与和、，。（）(中国) \n将总经理党委"


@given(st.text(alphabet=ALPHABET, max_size=60), st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8),
                                                                     st.sampled_from(LABELS)), max_size=8))
@settings(max_examples=150, deadline=None)
def test_rules_never_fail_whatever_the_model_says(rules_nlp, text, guesses):
    """Any (even absurd) NER output must leave the rule components working."""
    doc = rules_nlp.make_doc(text)
    spans = [doc.char_span(s, min(s + n, len(doc.text)), label=label, alignment_mode="contract")
             for s, n, label in guesses if s < len(doc.text)]
    doc.ents = filter_spans([s for s in spans if s is not None and len(s)])
    for _name, proc in rules_nlp.pipeline:
        doc = proc(doc)
    assert isinstance(doc._.meetings, list)


def test_round_trip_keeps_the_configured_limits_and_lists(tmp_path):
    """A saved cleaner keeps its settings and word lists; bytes restore them into a default one."""
    import spacy

    def pipeline(config):
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {
            "@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1", "segmenter": "char"}}})
        nlp.add_pipe("sentencizer", config={"punct_chars": ["。", "！", "？", "；", "\n"]})
        nlp.add_pipe("zh_entity_cleaner", config=config)
        nlp.initialize()
        return nlp

    nlp = pipeline({"max_company_length": 8})
    text = "考察了⟦青禾生物科技有限公司|COMPANY⟧，⟦董事长|TITLE⟧⟦申海鸥博士|PERSON⟧介绍了情况。"
    # over 8 characters the model's company is dropped; the legal form is read back 8 characters
    expected = [("生物科技有限公司", "COMPANY"), ("董事长", "TITLE"), ("申海鸥", "PERSON")]
    assert ents(marked_doc(nlp, text)) == expected
    cleaner = nlp.get_pipe("zh_entity_cleaner")
    assert cleaner.data["max_company_length"] == 8 and "博士" in cleaner.data["person_suffixes"]

    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == ["sentencizer", "zh_entity_cleaner"]
    assert loaded.get_pipe("zh_entity_cleaner").data == cleaner.data
    assert ents(marked_doc(loaded, text)) == expected

    fresh = pipeline({})  # the default limit of 20 keeps the whole name
    assert ents(marked_doc(fresh, text))[0] == ("青禾生物科技有限公司", "COMPANY")
    fresh.from_bytes(nlp.to_bytes())
    assert fresh.get_pipe("zh_entity_cleaner").data == cleaner.data
    assert ents(marked_doc(fresh, text)) == expected


def test_a_transliterated_name_keeps_its_last_syllable(rules_nlp):
    # 都 after a name is the adverb (某某都表示); in a name joined by · it is the name's own
    doc = marked_doc(rules_nlp, "⟦专员|TITLE⟧⟦努尔江·阿不都|PERSON⟧主持座谈。")
    assert ("努尔江·阿不都", "PERSON") in ents(doc)
