"""The exploration notebook runs top to bottom and shows what it promises.

The notebook is the first thing new users open, so a cell that raises is a bug like
any other. It is executed with nbclient in a kernel started from *this* interpreter
(``sys.executable -m ipykernel_launcher``), not from whatever ``python3`` kernelspec
happens to be registered on the machine: a plain ``pytest`` in a fresh venv installed
with ``pip install -e ".[dev]"`` then tests the package of that venv.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import zh_invest_ner

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "explore.ipynb"
CELL_TIMEOUT = 120  # seconds: a hung cell fails the run instead of stalling CI


class _ThisInterpreter(KernelSpecManager):
    """Resolves every kernel name to an ipykernel running on ``sys.executable``."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name=f"Python ({sys.executable})",
            language="python",
        )


def _outputs(nb, tag: str) -> list[dict]:
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert cells, f"no cell tagged {tag!r} in {NOTEBOOK.name}"
    return [o for c in cells for o in c.get("outputs", [])]


def _html(outputs: list[dict]) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in outputs)


def _has_png(outputs: list[dict]) -> bool:
    return any("image/png" in o.get("data", {}) for o in outputs)


@pytest.fixture(scope="module")
def executed():
    """The notebook after a full run (its speed is measured by benchmarks, not here)."""
    if not (zh_invest_ner.model_path() / "config.cfg").exists():  # pragma: no cover
        pytest.skip("the shipped pipeline is not built yet (zh_invest_ner/model/)")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=_ThisInterpreter())
    client = nbclient.NotebookClient(
        nb, km=km, timeout=CELL_TIMEOUT, allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},  # cwd: ../examples resolves
    )
    client.execute()  # raises CellExecutionError on the first cell that fails
    return nb, None


def test_notebook_runs_without_errors(executed):
    nb, _ = executed
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


def test_notebook_shows_the_three_tables(executed):
    nb, _ = executed
    for tag, column in [("meetings", "official"), ("triples", "relation"), ("entities", "original_text")]:
        html = _html(_outputs(nb, tag))
        assert "<table" in html and f"<th>{column}</th>" in html, tag
        # readable() hides the offsets
        assert "<th>start</th>" not in html


def test_notebook_shows_the_summary_and_a_displacy_rendering(executed):
    nb, _ = executed
    assert "ExtractionResult" in _html(_outputs(nb, "summary"))
    html = _html(_outputs(nb, "displacy"))
    assert 'class="entities"' in html  # displaCy's ent markup
    assert 'class="entity"' in html
    assert 'class="zh-meeting"' in html  # a highlighted meeting sentence


def test_notebook_draws_the_network_and_a_chart(executed):
    nb, _ = executed
    assert _has_png(_outputs(nb, "network"))
    assert _has_png(_outputs(nb, "chart"))


def test_committed_notebook_is_small():
    assert NOTEBOOK.stat().st_size < 1_000_000


def test_notebook_shows_people_unique_meetings_and_time(executed):
    nb, _ = executed
    assert "<th>person_id</th>" in _html(_outputs(nb, "people"))
    assert "<th>sources</th>" in _html(_outputs(nb, "unique"))
    assert "<th>date</th>" in _html(_outputs(nb, "date_filter"))
    assert _has_png(_outputs(nb, "per_month"))
    assert _has_png(_outputs(nb, "timeline"))
