"""How long the explore notebook takes to run, end to end, as a new user would run it.

The notebook is executed in CI by the test suite; its time is measured here, side by side
with a bare kernel start so the notebook's own share is visible. Medians of several rounds.

    python benchmarks/notebook.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import nbclient
import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


class _ThisInterpreter(KernelSpecManager):
    """Every kernel name resolves to an ipykernel on this interpreter."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                          display_name="this python", language="python")


def run(nb: nbformat.NotebookNode) -> float:
    km = KernelManager(kernel_name="python3", kernel_spec_manager=_ThisInterpreter())
    client = nbclient.NotebookClient(nb, km=km, timeout=600,
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    started = time.perf_counter()
    client.execute()
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    full, empty = [], []
    for _ in range(a.rounds):  # interleaved, so machine noise hits both alike
        full.append(run(nbformat.read(NOTEBOOK, as_version=4)))
        empty.append(run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])))
    med_full, med_empty = statistics.median(full), statistics.median(empty)
    print(f"{'run':<34}{'median s':>10}{'min s':>8}{'max s':>8}")
    print(f"{'explore.ipynb, all cells':<34}{med_full:>10.2f}{min(full):>8.2f}{max(full):>8.2f}")
    print(f"{'empty notebook (kernel start)':<34}{med_empty:>10.2f}{min(empty):>8.2f}{max(empty):>8.2f}")
    print(f"notebook / kernel start: {med_full / med_empty:.1f}x; "
          f"the notebook's own cells take about {med_full - med_empty:.1f} s (budget: 120 s)")


if __name__ == "__main__":
    main()
