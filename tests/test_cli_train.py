"""``zh-invest-ner train``/``evaluate``/``refresh-rules`` as a user runs them: models are never lost,
and every mistake is one line on standard error, not a traceback."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

import zh_invest_ner
from zh_invest_ner.cli import main
from zh_invest_ner.pipeline import model_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """A dozen annotated articles of our own training data, as a folder."""
    folder = tmp_path_factory.mktemp("data")
    lines = (ROOT / "training_data" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:12]
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(folder)).encode() + p.read_bytes())
    return h.hexdigest()


def _old_model(path: Path) -> Path:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "zh_invest_ner.NormalizingTokenizer.v1"}}})
    nlp.meta["description"] = "the previous model"
    nlp.to_disk(path)
    return path


def test_train_writes_beside_the_user_not_into_the_package(data, tmp_path, monkeypatch, capsys):
    shipped = _digest(model_path())
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--data", str(data), "--max-steps", "2"]) == 0
    assert (tmp_path / "zh_invest_ner_model" / "config.cfg").exists()
    assert zh_invest_ner.load(tmp_path / "zh_invest_ner_model").pipe_names[-1] == "zh_meeting_details"
    assert _digest(model_path()) == shipped
    capsys.readouterr()
    # a second run does not replace the first model unless asked
    assert main(["train", "--data", str(data), "--max-steps", "2"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already holds a model; pass --overwrite" in err


def test_the_shipped_model_is_refused_before_any_training(data, capsys):
    shipped = _digest(model_path())
    assert main(["train", "--data", str(data), "--output", str(model_path())]) == 1
    err = capsys.readouterr().err
    assert "shipped inside the installed package" in err and err.count("\n") == 1
    assert main(["refresh-rules"]) == 1
    assert "--overwrite" in capsys.readouterr().err
    assert _digest(model_path()) == shipped


def test_killing_train_midway_leaves_the_previous_model(data, tmp_path):
    out = _old_model(tmp_path / "model")
    before = _digest(out)
    child = subprocess.Popen(
        [sys.executable, "-m", "zh_invest_ner.cli", "train", "--data", str(data), "--output", str(out),
         "--overwrite", "--max-steps", "100000"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        for line in child.stdout:  # the split is announced once the examples are built
            if "held out" in line:
                break
        else:
            pytest.fail("train ended before training")
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert _digest(out) == before
    assert zh_invest_ner.load(out).meta["description"] == "the previous model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


@pytest.mark.parametrize("argv", [
    ["extract", "--model", "/no/such/model", "x.txt"],
    ["evaluate", "--model", "/no/such/model", "--data", "."],
    ["train", "--data", "/no/such/folder"],
    ["evaluate", "--data", "/no/such/folder"],
    ["refresh-rules", "--model", "/no/such/model", "--output", "/tmp/x"],
])
def test_user_mistakes_are_one_line_without_traceback(argv, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"zh-invest-ner {argv[0]}: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_training_data_problems_stop_train_in_one_message(tmp_path, capsys):
    (tmp_path / "bad.jsonl").write_text(json.dumps({"id": "x", "text": "市长王强", "entities": [
        {"id": 1, "start_offset": 2, "end_offset": 9, "label": "PERSON"}]}, ensure_ascii=False) + "\n{oops\n",
        encoding="utf-8")
    assert main(["train", "--data", str(tmp_path), "--output", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err
    assert "bad.jsonl:1" in err and "bad.jsonl:2" in err and "Traceback" not in err
    assert not (tmp_path / "m").exists()


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith(f"zh-invest-ner {zh_invest_ner.__version__} (spaCy 3.8")


def test_a_broken_model_config_is_one_line(tmp_path, capsys):
    _old_model(tmp_path / "m")
    (tmp_path / "m" / "config.cfg").write_text("[nlp]\nlang = zh\npipeline = [\n", encoding="utf-8")
    assert main(["extract", "--model", str(tmp_path / "m"), str(ROOT / "examples" / "article_01.txt")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"zh-invest-ner extract: cannot load the pipeline at {tmp_path / 'm'}: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize("option", ["--n-process", "--batch-size"])
def test_counts_below_one_are_usage_errors(option, capsys):
    with pytest.raises(SystemExit) as done:
        main(["extract", "x.txt", option, "0"])
    assert done.value.code == 2
    assert f"argument {option}: 0 is not at least 1" in capsys.readouterr().err
