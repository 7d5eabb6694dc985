"""Command line: ``zh-invest-ner extract`` and ``zh-invest-ner train``."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

FORMATS = ("jsonl", "csv", "table")
TABLES = ("meetings", "triples", "entities", "documents")
ALL_TABLES = TABLES


def _outputs(a: argparse.Namespace) -> dict[str, str]:
    """Table -> output file, from ``--output`` (the ``--table``), ``--<table>-output`` and ``--output-dir``."""
    outputs: dict[str, str] = {}
    if a.output_dir:
        for table in ALL_TABLES:
            outputs[table] = str(Path(a.output_dir) / f"{table}.{a.output_format}")
    for table in ALL_TABLES:
        given = getattr(a, f"{table}_output", None)
        if given:
            outputs[table] = given
    if a.output:
        outputs[a.table] = a.output
    return outputs


def _progress(a: argparse.Namespace):
    """A tqdm bar on a terminal (documents and docs/s), nothing when piped or with --no-progress."""
    if a.no_progress or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit=" docs", desc="extract", file=sys.stderr, dynamic_ncols=True)


def _kept_rows(rows: list[dict], table: str, participation: str) -> list[dict]:
    """The rows ``--participation`` keeps: with ``principal``, meetings of accompanying people go."""
    if table == "meetings" and participation == "principal":
        rows = [r for r in rows if r.get("participation") == "principal"]
    return rows


def _stdout_rows(rows: list[dict], table: str, fmt: str, participation: str) -> list[dict]:
    rows = _kept_rows(rows, table, participation)
    if fmt == "jsonl":  # the scoring tool reads the document under "doc"
        rows = [{**r, "doc": r.get("doc_id")} for r in rows]
    return rows


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C while one document's rows are written, and raise it after.

    So every output file ends at the same document, and the documents table (written
    last) lists only documents whose rows are all on disk: ``--resume`` then neither
    repeats nor loses rows.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield  # Ctrl-C ignored or handled elsewhere: leave it so
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def _open_outputs(a: argparse.Namespace) -> tuple[dict, set[str]]:
    """The writers of the output files, and (``--resume``) the doc ids already in them."""
    from zh_invest_ner.output.frames import COLUMNS
    from zh_invest_ner.output.writers import OutputError, TableWriter, written_doc_ids

    outputs = _outputs(a)
    skip: set[str] = set()
    if a.resume:
        if not outputs:
            raise OutputError("--resume needs output files to continue (--output, --output-dir, ...)")
        ledger = [outputs["documents"]] if "documents" in outputs else list(outputs.values())
        for path in ledger:
            skip |= written_doc_ids(path)
    return {t: TableWriter(path, COLUMNS[t], append=a.resume) for t, path in outputs.items()}, skip


class _Run:
    """One ``extract`` run: where each document's rows go, and what is told on standard error."""

    def __init__(self, a: argparse.Namespace, writers: dict) -> None:
        from zh_invest_ner.output.frames import COLUMNS
        from zh_invest_ner.output.writers import TableWriter

        self.a = a
        self.writers = writers
        to_stdout = not writers and a.format in ("jsonl", "csv")
        self.stdout = TableWriter("-", COLUMNS[a.table], fmt=a.format) if to_stdout else None
        self.kept: list = []  # the table format prints at the end
        self.errors = self.done = 0
        self.bar = _progress(a)

    def take(self, result) -> None:
        """Write one document's rows (Ctrl-C waits until all of them are out), then report it."""
        a = self.a
        with _interrupts_held():
            for table, writer in self.writers.items():
                rows = getattr(result, table) if table != "documents" else [result.document]
                writer.write(_kept_rows(rows, table, a.participation))
            if self.stdout is not None:
                rows = getattr(result, a.table) if a.table != "documents" else [result.document]
                self.stdout.write(_stdout_rows(rows, a.table, a.format, a.participation))
        if self.stdout is None and not self.writers:
            self.kept.append(result)
        status = result.document["status"]
        if status != "ok":
            self.errors += status == "error"
            message = result.document["message"] or ""
            where = "" if message.startswith(result.doc_id) else f"{result.doc_id}: "
            kind = "warning: " if status == "warning" else ""
            print(f"zh-invest-ner: {kind}{where}{message}", file=sys.stderr)
        self.done += 1
        if self.bar is not None:
            self.bar.update()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        with _interrupts_held():
            for writer in self.writers.values():
                writer.close()
            if self.stdout is not None:
                self.stdout.close()


def _extract(a: argparse.Namespace) -> int:
    from zh_invest_ner.api import collect, process
    from zh_invest_ner.output.writers import OutputError
    from zh_invest_ner.pipeline import load
    from zh_invest_ner.text.dates import parse_date_hint
    from zh_invest_ner.text.sources import InputDoc, SourceError, read_path

    try:
        parse_date_hint(a.date)
    except ValueError as e:
        raise UsageError(f"--date: {e}") from None
    try:
        writers, skip = _open_outputs(a)
        nlp = load(a.model) if a.model else None
    except (OutputError, OSError) as e:
        print(f"zh-invest-ner extract: {e}", file=sys.stderr)
        return 1
    run = _Run(a, writers)
    source_errors: list[SourceError] = []

    def inputs() -> Iterator[InputDoc]:
        # every argument is a path (never an article's text), named as given; a corpus whose
        # columns are wrong ends the reading here, and is reported once the run stops
        try:
            for given in a.inputs:
                yield from read_path(given, text_column=a.text_column, id_column=a.id_column)
        except SourceError as e:
            source_errors.append(e)

    status = 0
    try:
        for result in process(inputs(), nlp=nlp, batch_size=a.batch_size, n_process=a.n_process, skip=skip,
                              date=a.date, html={"auto": None, "yes": True, "no": False}[a.html]):
            run.take(result)
    except SourceError as e:
        source_errors.append(e)
    except KeyboardInterrupt:
        print(f"zh-invest-ner extract: interrupted after {run.done} documents; the output files are valid, "
              "and --resume continues where this run stopped", file=sys.stderr)
        status = 130
    finally:
        run.close()
    for e in source_errors:
        print(f"zh-invest-ner extract: {e}", file=sys.stderr)
        status = status or 1
    if run.kept:
        _print_table(collect(run.kept, keep_docs=False, link=False), a)
    if a.output_dir and status in (0, 1):
        _write_linked(a)
    return status or (2 if run.errors else 0)


def _write_linked(a: argparse.Namespace) -> None:
    """With ``--output-dir``: people, companies and unique meetings over everything in it.

    Read back from the finished meetings and documents files, so a ``--resume``d run links
    the old documents with the new ones; written beside them in the same format.
    """
    from zh_invest_ner.output.frames import frame
    from zh_invest_ner.output.linking import link
    from zh_invest_ner.output.writers import TableWriter, read_table

    folder, fmt = Path(a.output_dir), a.output_format
    meetings = read_table(folder / f"meetings.{fmt}")
    if meetings.empty:
        return
    meetings = frame("meetings", meetings.to_dict(orient="records"))
    documents = read_table(folder / f"documents.{fmt}", columns=["doc_id", "fingerprint"])
    linked = link(meetings, documents)
    for name in ("people", "companies", "meetings_unique"):
        table = getattr(linked, name)
        path = folder / f"{name}.{fmt}"
        tmp = path.with_name(f".{name}.tmp.{fmt}")  # renamed into place once complete
        with TableWriter(tmp, list(table.columns)) as writer:
            writer.write(table.astype(object).where(table.notna(), None).to_dict(orient="records"))
        os.replace(tmp, path)


def _print_table(result, a: argparse.Namespace) -> None:
    """The ``table`` format: an aligned text table of everything, printed at the end."""
    import pandas as pd

    frame = getattr(result, a.table).copy()
    if a.table == "meetings" and a.participation == "principal":
        frame = frame[frame["participation"] == "principal"]
    if a.format != "table":
        return
    if "topics" in frame:
        frame["topics"] = frame["topics"].map("、".join)
    cols = [c for c in frame.columns if c not in ("sentence", "evidence", "start", "end")]
    with pd.option_context("display.unicode.east_asian_width", True, "display.max_colwidth", 40):
        sys.stdout.write(frame[cols].to_string(index=False) + "\n")


class UsageError(Exception):
    """A mistake in how the command was called, told in one line (no traceback)."""


def _training_data(path: str) -> Path:
    """The ``--data`` folder or file, or a UsageError saying where annotated articles come from."""
    data = Path(path).expanduser()
    if not data.exists():
        raise UsageError(f"{data}: no such folder or file of annotated articles; pass --data (the repository's "
                         "training_data/ folder is not part of the installed package)")
    return data


def _train(a: argparse.Namespace) -> int:
    import importlib.util

    from zh_invest_ner.training import train

    data = _training_data(a.data)
    if a.backend == "hanlp":
        if importlib.util.find_spec("hanlp") is None:
            raise UsageError('--backend hanlp needs HanLP: pip install torch==2.13.0 "zh-invest-ner[hanlp]"')
        from zh_invest_ner.training.hanlp_train import train_hanlp

        train_hanlp(data, a.output, seed=a.seed, epochs=a.epochs, overwrite=a.overwrite)
    else:
        train(data, a.output, seed=a.seed, max_steps=a.max_steps, overwrite=a.overwrite)
    print(f"saved the pipeline to {a.output}")
    return 0


def _evaluate(a: argparse.Namespace) -> int:
    from zh_invest_ner.pipeline import load
    from zh_invest_ner.training import evaluate, format_scores, held_out_examples

    data = _training_data(a.data)
    nlp = load(a.model) if a.model else load()
    examples = held_out_examples(nlp, data, seed=a.seed, everything=a.all)
    print(f"{len(examples)} articles ({'all' if a.all else 'held-out split, seed ' + str(a.seed)})")
    print(format_scores(evaluate(nlp, examples)))
    return 0


def _refresh(a: argparse.Namespace) -> int:
    from zh_invest_ner.pipeline import refresh_rules

    nlp = refresh_rules(a.model, a.output, overwrite=a.overwrite)
    print(f"rebuilt {', '.join(n for n in nlp.pipe_names if n.startswith('zh_'))} in {a.output or a.model}")
    return 0


def _user_errors() -> tuple[type[BaseException], ...]:
    """The errors that are the user's to fix: printed as one line, never as a traceback."""
    from zh_invest_ner.output.writers import OutputError
    from zh_invest_ner.pipeline import ModelError
    from zh_invest_ner.text.sources import SourceError
    from zh_invest_ner.training import TrainingDataError

    return UsageError, ModelError, TrainingDataError, SourceError, OutputError


def _positive(text: str) -> int:
    """An argparse type: a whole number ≥ 1, refused with argparse's one-line usage error otherwise."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    from zh_invest_ner import __version__
    from zh_invest_ner.pipeline import model_path

    ap = argparse.ArgumentParser(prog="zh-invest-ner", description="Find official–executive meetings in Chinese news.")
    ap.add_argument("--version", action="version",
                    version=f"zh-invest-ner {__version__} (spaCy {_spacy_version()}, Python {sys.version.split()[0]})")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract meetings from articles and corpora (any common Chinese encoding)")
    ex.add_argument("inputs", nargs="+", metavar="INPUT",
                    help="files, folders (recursive: .txt .html .htm .md), globs, - for standard input, "
                         "or JSONL / CSV / TSV / Parquet corpora (one article per row)")
    ex.add_argument("--format", choices=FORMATS, default="table", help="standard output's format (default: table)")
    ex.add_argument("--table", choices=TABLES, default="meetings",
                    help="which table to print, or to write with --output (default: meetings)")
    ex.add_argument("--output", "-o", help="write the --table to this file (.jsonl, .csv, .tsv, .parquet)")
    for table in TABLES:
        ex.add_argument(f"--{table}-output", metavar="FILE", help=f"write the {table} table to this file")
    ex.add_argument("--output-dir", help="write all four tables into this folder, and at the end people, "
                                         "companies and meetings_unique over everything in it")
    ex.add_argument("--output-format", choices=("jsonl", "csv", "parquet"), default="jsonl",
                    help="file format for --output-dir (default: jsonl)")
    ex.add_argument("--resume", action="store_true",
                    help="skip documents already in the output files, and append to them")
    ex.add_argument("--text-column", help="corpus column holding the article (default: text, then content)")
    ex.add_argument("--id-column", help="corpus column holding the document id (default: id, if present)")
    ex.add_argument("--n-process", type=_positive, default=1, help="worker processes (default: 1)")
    ex.add_argument("--batch-size", type=_positive, default=32, help="documents per batch (default: 32)")
    ex.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    ex.add_argument("--model", help="a saved pipeline to use instead of the shipped one")
    ex.add_argument("--date", help="a year (2024) or date (2024-03-18) for days the articles write without a "
                                   "year, where they have no publish line or date column; never today")
    ex.add_argument("--html", choices=("auto", "yes", "no"), default="auto",
                    help="read inputs as HTML pages: by suffix or content (auto), always, or never")
    ex.add_argument("--participation", choices=("all", "principal"), default="all",
                    help="keep accompanying people (陪同, 参加, 出席: the default) or only those who led or hosted")
    ex.set_defaults(func=_extract)
    tr = sub.add_parser("train", help="retrain the NER on annotated articles and save the pipeline")
    tr.add_argument("--data", default="training_data",
                    help="folder or file of annotated articles: doccano JSONL, Label Studio JSON / JSON-MIN "
                         "(default: training_data)")
    tr.add_argument("--output", default="zh_invest_ner_model",
                    help="where to save (default: ./zh_invest_ner_model); never the shipped model unless "
                         f"it is named here ({model_path()}) with --overwrite")
    tr.add_argument("--overwrite", action="store_true",
                    help="replace a model already at --output (once the new one is complete)")
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument("--max-steps", type=_positive, default=None, help="override training.max_steps")
    tr.add_argument("--backend", choices=("spacy", "hanlp"), default="spacy",
                    help="the NER to train: spaCy's (default) or HanLP's BiLSTM-CRF (the hanlp extra)")
    tr.add_argument("--epochs", type=_positive, default=20, help="epochs of the HanLP backend (default: 20)")
    tr.set_defaults(func=_train)
    ev = sub.add_parser("evaluate", help="entity P/R/F per label and meeting P/R/F on annotated articles")
    ev.add_argument("--data", default="training_data", help="folder or JSONL file of annotated articles")
    ev.add_argument("--model", default=None, help="a saved pipeline (default: the shipped one)")
    ev.add_argument("--seed", type=int, default=0, help="the split seed used in training")
    ev.add_argument("--all", action="store_true", help="score every article, not only the held-out split")
    ev.set_defaults(func=_evaluate)
    rf = sub.add_parser("refresh-rules", help="rebuild a saved pipeline's rule components from the current data files")
    rf.add_argument("--model", default=str(model_path()), help="the saved pipeline (default: the shipped model)")
    rf.add_argument("--output", default=None, help="where to save (default: in place, which needs --overwrite)")
    rf.add_argument("--overwrite", action="store_true", help="replace the model at --output, or in place")
    rf.set_defaults(func=_refresh)
    return ap


def _spacy_version() -> str:
    from importlib.metadata import version

    return version("spacy")


def main(argv: list[str] | None = None) -> int:
    a = build_parser().parse_args(argv)
    try:
        return a.func(a)
    except _user_errors() as e:
        print(f"zh-invest-ner {a.command}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C before or after the documents (loading the model, say)
        print("zh-invest-ner: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`| head`): stop quietly, and keep Python from complaining at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
