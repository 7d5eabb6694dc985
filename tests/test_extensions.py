"""A processed doc is plain data: it survives to_bytes, DocBin and worker processes intact."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from spacy.tokens import Doc, DocBin

import zh_invest_ner
from zh_invest_ner.records import Meeting

TEXTS = [
    "2024年3月5日，市委书記吴承泽會見了远帆新能源集团总裁祁志远一行，双方就储能电池项目交换意见。",
    "区长鲍立新在区政府会见了青禾生物科技有限公司董事长申海鸥，就生物医药产业合作深入交流。",
    "县委副书记、县长孔庆山率队赴杭州，拜访了云启智能装备股份有限公司总经理Kevin Hart。",
]


def _state(doc: Doc) -> dict:
    """Everything a user reads off a processed doc."""
    return {
        "text": doc.text,
        "ents": [(e.start_char, e.end_char, e.label_, e._.role, e._.title, e._.affiliation,
                  e._.original_offsets) for e in doc.ents],
        "meetings": [m.to_dict() for m in doc._.meetings or []],
        "people": {k: v.to_dict() for k, v in (doc._.people or {}).items()},
        "original": doc._.source.original,
        "offsets": [doc._.source.to_original(i, i + 1) for i in range(len(doc.text))],
        "doc_id": doc._.doc_id,
    }


@pytest.fixture(scope="module")
def docs(shipped_nlp) -> list[Doc]:
    out = []
    for i, text in enumerate(TEXTS):
        doc = shipped_nlp(text)
        doc._.doc_id = f"a{i}"
        out.append(doc)
    return out


def test_views_are_typed_and_storage_is_plain(docs):
    doc = docs[0]
    assert doc._.meetings and isinstance(doc._.meetings[0], Meeting)
    assert all(isinstance(r, dict) for r in doc._.meeting_records)
    assert all(isinstance(r, dict) for r in doc._.person_records.values())
    # offsets point into the traditional-script text the user gave
    ent = next(e for e in doc.ents if e.text == "吴承泽")
    start, end = ent._.original_offsets
    assert TEXTS[0][start:end] == "吴承泽" and isinstance(start, int)


def test_doc_to_bytes_round_trip(docs, shipped_nlp):
    for doc in docs:
        again = Doc(shipped_nlp.vocab).from_bytes(doc.to_bytes())
        assert _state(again) == _state(doc)


def test_docbin_with_user_data_round_trip(docs, shipped_nlp):
    store = DocBin(store_user_data=True)
    for doc in docs:
        store.add(doc)
    again = list(DocBin().from_bytes(store.to_bytes()).get_docs(shipped_nlp.vocab))
    assert [_state(d) for d in again] == [_state(d) for d in docs]


def test_two_processes_give_the_same_docs_as_one(shipped_nlp):
    texts = TEXTS * 4
    one = [_state(d) for d in shipped_nlp.pipe(texts, batch_size=2)]
    two = [_state(d) for d in shipped_nlp.pipe(texts, batch_size=2, n_process=2)]
    assert two == one
    assert any(s["meetings"] for s in one)


def test_spacy_load_without_entry_points():
    """A checkout or a zipped model has no entry points: importing the library is enough."""
    code = (
        "import catalogue, importlib.metadata as md\n"
        "catalogue.AVAILABLE_ENTRY_POINTS = md.EntryPoints([])\n"
        "import spacy, zh_invest_ner\n"
        "nlp = spacy.load(zh_invest_ner.model_path())\n"
        "print(len(nlp('市长吴承泽会见了远帆新能源集团总裁祁志远。')._.meetings))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


def test_spacy_load_through_entry_points_alone():
    code = ("import spacy\nfrom importlib import resources\n"
            "nlp = spacy.load(str(resources.files('zh_invest_ner') / 'model'))\n"
            "print(len(nlp('市长吴承泽会见了远帆新能源集团总裁祁志远。')._.meetings))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


def test_spacy_package_builds_a_model_wheel_beside_the_library(tmp_path):
    pytest.importorskip("build")
    done = subprocess.run([sys.executable, "-m", "spacy", "package", str(zh_invest_ner.model_path()), str(tmp_path),
                           "--build", "wheel"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    wheel = next(tmp_path.rglob("*.whl"))
    assert wheel.name.startswith("zh_invest_ner_model-")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta = z.read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert all(n.startswith("zh_invest_ner_model") for n in names)  # nothing over the library
    assert "Requires-Dist: zh-invest-ner" in meta
