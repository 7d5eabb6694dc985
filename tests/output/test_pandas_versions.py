"""The same frames and the same JSONL under pandas 2.2 and pandas 3.x.

The second pandas lives in a ``pip install --target`` folder named by the environment
variable ``ZH_INVEST_NER_PANDAS22`` (CI installs pandas 2.2 there, see ``.ci/run``); the
folder goes first on ``PYTHONPATH`` of a child process, which then imports that pandas
instead of the venv's. Without the variable the test is skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Run in a child process under each pandas: the five frames described as plain JSON
# (columns, dtypes, categories, values with every missing value as null), and the
# command line's JSONL of every table.
_SCRIPT = r"""
import json, sys
from pathlib import Path
import pandas as pd
import zh_invest_ner
from zh_invest_ner.cli import main

folder, out = Path(sys.argv[1]), Path(sys.argv[2])
inputs = [str(folder), str(folder.parent / "rows.csv")]
result = zh_invest_ner.extract(inputs)

def cell(v):
    if isinstance(v, list):
        return v
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v

frames = {}
for name in ("meetings", "triples", "entities", "documents", "errors"):
    f = getattr(result, name)
    frames[name] = {
        "columns": list(f.columns),
        "dtypes": [str(d) for d in f.dtypes],
        "categories": {c: [str(x) for x in f[c].cat.categories] + [str(f[c].cat.categories.dtype)]
                       for c in f.columns if str(f[c].dtype) == "category"},
        "rows": [[cell(v) for v in row] for row in f.astype(object).itertuples(index=False, name=None)],
    }
(out / "frames.json").write_text(json.dumps({"pandas": pd.__version__, "frames": frames}, ensure_ascii=False,
                                            default=str))
main(["extract", *inputs, "--output-dir", str(out / "tables"), "--no-progress"])
"""


def _run(tmp_path: Path, corpus: Path, name: str, pythonpath: str | None) -> tuple[dict, dict[str, str]]:
    out = tmp_path / name
    (out / "tables").mkdir(parents=True)
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (pythonpath, env.get("PYTHONPATH")) if p)
    subprocess.run([sys.executable, "-c", _SCRIPT, str(corpus), str(out)], env=env, check=True,
                   capture_output=True, text=True)
    tables = {p.name: p.read_text(encoding="utf-8") for p in sorted((out / "tables").iterdir())}
    return json.loads((out / "frames.json").read_text(encoding="utf-8")), tables


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    example = Path(__file__).resolve().parents[2] / "examples" / "article_01.txt"
    (folder / "a_article.txt").write_bytes(example.read_bytes())
    (folder / "b_empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "rows.csv").write_text(
        "id,text,url,views\n"
        "r1,经开区主任钱立新会见了瀚海新材料股份有限公司总经理孟思远，双方就碳纤维项目进行交流。,http://x.cn/1,12\n"
        "r2,,http://x.cn/2,\n",
        encoding="utf-8",
    )
    return folder


def test_frames_and_jsonl_equal_under_pandas_2_and_3(tmp_path: Path, corpus: Path) -> None:
    other = os.environ.get("ZH_INVEST_NER_PANDAS22")
    if not other:
        pytest.skip("set ZH_INVEST_NER_PANDAS22 to a folder holding pandas 2.2 (pip install --target)")
    here, here_tables = _run(tmp_path, corpus, "here", None)
    there, there_tables = _run(tmp_path, corpus, "there", other)
    versions = sorted([here["pandas"], there["pandas"]])
    assert versions[0].startswith("2.2") and int(versions[1].split(".")[0]) >= 3, versions
    assert here["frames"]["meetings"]["rows"], "the example article gives meetings"
    for name in here["frames"]:
        assert here["frames"][name] == there["frames"][name], name
    assert here_tables == there_tables
    for text in here_tables.values():
        for line in text.splitlines():
            json.loads(line, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
