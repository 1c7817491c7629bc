"""``detente analyze``: the whole flow over a corpus, to a statement table, a summary and a report.

The output is written line by line and flushed after every document, so an
interrupted run leaves a valid file up to the last finished document, and
``--resume`` carries on from there (appending).
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Any, Iterator, List, Optional

import typer

from detente.cli_common import GAZETTEER_HELP, RULES_HELP, check_skip, fail, load_rules
from detente.documents import SUFFIXES, expand_paths, input_paths
from detente.pipeline import CHUNK_SIZE, FIELDS, iter_documents_results
from detente.progress import Progress
from detente.report import Summary, write_report, write_summary


class RecordFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


class Backend(str, Enum):
    joblib = "joblib"
    dask = "dask"


# -- writing -----------------------------------------------------------------------


def _csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)  # JSON escapes newlines: one row stays one line
    return v


_JSON = json.JSONEncoder(ensure_ascii=False)


class RecordWriter:
    """Records to a stream, one document at a time, flushed after each."""

    def __init__(self, stream: IO[str], fmt: RecordFormat, header: bool):
        self.stream, self.fmt = stream, fmt
        if fmt is RecordFormat.csv and header:
            self._emit([list(FIELDS)])

    def _emit(self, rows: list[list]) -> None:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        self.stream.write(buf.getvalue())

    def write(self, records: list[dict]) -> None:
        # One write per document: a document's lines land together or not at all.
        if self.fmt is RecordFormat.jsonl:
            encode = _JSON.encode   # what json.dumps(r, ensure_ascii=False) does, without a new encoder per call
            self.stream.write("".join(encode(r) + "\n" for r in records))
        else:
            self._emit([[_csv_value(r[f]) for f in FIELDS] for r in records])
        self.stream.flush()


# -- resuming ----------------------------------------------------------------------


def _parse_line(line: str, fmt: RecordFormat) -> dict | None:
    if fmt is RecordFormat.jsonl:
        return json.loads(line)
    row = next(csv.reader([line]))
    if row == list(FIELDS):
        return None  # the header
    if len(row) != len(FIELDS):
        raise ValueError(f"expected {len(FIELDS)} columns, found {len(row)}")
    rec: dict[str, Any] = {f: (v if v != "" else None) for f, v in zip(FIELDS, row)}
    rec["confidence"] = float(rec["confidence"]) if rec["confidence"] else None
    rec["quote"] = rec["quote"] == "True"
    return rec


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(offset, line) of every complete line, streamed."""
    offset = 0
    with open(path, "rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                return
            yield offset, line
            offset += len(line)


def _repair_tail(path: Path, fmt: RecordFormat) -> None:
    """A run killed mid-write leaves a partial last line: drop it and the rest of its document."""
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        if fh.tell() == 0:
            return
        fh.seek(-1, os.SEEK_END)
        if fh.read(1) == b"\n":
            return
    cut, last = 0, None
    for offset, line in _lines(path):
        rec = _parse_line(line.decode("utf-8"), fmt)
        if rec is None:
            cut = offset + len(line)
        elif rec["doc_id"] != last:
            cut, last = offset, rec["doc_id"]
    with open(path, "r+b") as fh:
        fh.truncate(cut)


def load_done(path: Path, fmt: RecordFormat, summary: Summary) -> tuple[set[str], bool]:
    """Ids of the documents already in ``path`` (their records go into ``summary``) and
    whether a CSV header is already there."""
    _repair_tail(path, fmt)
    done: set[str] = set()
    header = False
    for n, (_, line) in enumerate(_lines(path), 1):
        try:
            rec = _parse_line(line.decode("utf-8"), fmt)
        except (ValueError, UnicodeDecodeError) as exc:
            raise fail(f"{path}:{n}: cannot resume: not a {fmt.value} output of detente analyze ({exc})")
        if rec is None:
            header = True
            continue
        done.add(rec["doc_id"])
        summary.add(rec)
    return done, header


# -- the command ---------------------------------------------------------------------


def _check_output(output: Path, paths: list[str]) -> None:
    if output.resolve() in input_paths(paths):
        raise fail(f"{output}: refusing to write over an input file")
    target = output.resolve()
    for p in paths:
        folder = Path(p).resolve()
        if p != "-" and folder.is_dir() and folder in target.parents and target.suffix.lower() in SUFFIXES:
            raise fail(f"{output}: inside input folder {p} it would be read as input; write it elsewhere")


def _total(paths: list[str], exclude: set[str]) -> int | None:
    """Documents to do, for the ETA; unknown when a .jsonl file holds several."""
    found = [(i, p) for i, p, _ in expand_paths(paths)]
    if any(p is None or p.suffix.lower() == ".jsonl" for _, p in found):
        return None
    return sum(1 for i, _ in found if i not in exclude)


@dataclass
class _Tally:
    """What has been written so far; kept outside ``_run`` so Ctrl-C can report it."""

    written: int = 0
    errors: int = 0
    last: str | None = None


def _run(results, writer: RecordWriter, summary: Summary, progress: Progress, tally: _Tally) -> None:
    """Write every document's records as they come, in order."""
    for recs in results:
        with _deferred_interrupt():
            writer.write(recs)
            tally.written, tally.last = tally.written + 1, recs[0]["doc_id"]
        for r in recs:
            summary.add(r)
        if recs[0]["error"]:
            tally.errors += 1
            progress.message(f"detente: error: {tally.last}: {recs[0]['error']}")
        progress.update()


@contextmanager
def _deferred_interrupt() -> Iterator[None]:
    """Hold Ctrl-C until a document's lines are written: no half-written lines."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list = []
    previous = signal.signal(signal.SIGINT, lambda *a: caught.append(a))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def _interrupted(output: Path | None, written: int, last: str | None) -> None:
    where = f"{output} holds" if output else "the output holds"
    typer.echo(
        f"\ndetente: interrupted after {written} document(s); {where} every finished document"
        f"{f' (the last: {last})' if last else ''}."
        + (" Run the same command with --resume to continue." if output else " Use -o FILE and --resume to continue."),
        err=True,
    )


def analyze_command(
    paths: List[str] = typer.Argument(..., help="Files, folders (searched for *.txt, *.md, *.jsonl) or - for stdin."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the statement table here instead of stdout."),
    fmt: Optional[RecordFormat] = typer.Option(
        None, "--format", help="jsonl or csv (default: csv if --output ends in .csv, else jsonl)."),
    summary_path: Optional[Path] = typer.Option(
        None, "--summary", help="Speaker × issue table with counts per stance and net score: .csv, .json, or aligned text."),
    report_path: Optional[Path] = typer.Option(None, "--report", help="A self-contained HTML report (FILE.html)."),
    jobs: int = typer.Option(1, "-j", "--jobs", min=1, help="Worker processes on this machine (model loaded once per worker)."),
    backend: Backend = typer.Option(Backend.joblib, "--backend", help="joblib (this machine) or dask (a cluster; needs the 'distributed' package, the dask extra)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786); default: a local cluster."),
    chunk_size: int = typer.Option(CHUNK_SIZE, "--chunk-size", min=1, help="Documents sent to a worker at a time."),
    model: Optional[Path] = typer.Option(None, "--model", help="A stance model file (default: the shipped model)."),
    skip: Optional[List[str]] = typer.Option(None, "--skip", help="Normalizer stage to leave out; repeat for several."),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help=RULES_HELP),
    gazetteer: Optional[List[Path]] = typer.Option(None, "--gazetteer", help=GAZETTEER_HELP),
    resume: bool = typer.Option(False, "--resume", help="Skip documents already in --output and append the rest to it."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar."),
) -> None:
    """Statements, speakers, issues and stances of every document: one record per statement × issue.

    Exit status: 0 when every document was analyzed, 1 when some failed (each gives an error
    record and a line on stderr; the rest are analyzed), 2 for a usage error, 130 when interrupted.
    """
    fmt = fmt or (RecordFormat.csv if output and output.suffix.lower() == ".csv" else RecordFormat.jsonl)
    if resume and output is None:
        raise fail("--resume needs --output FILE (the output to carry on)")
    if backend is Backend.joblib and scheduler:
        raise fail("--scheduler goes with --backend dask")
    check_skip(skip)
    table = load_rules(rules, gazetteer) if rules or gazetteer else None
    summary = Summary()
    done, header = set(), False
    stream: IO[str] = sys.stdout
    if output is not None:
        _check_output(output, paths)
        if resume and output.is_file():
            done, header = load_done(output, fmt, summary)
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            stream = open(output, "a" if resume else "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc}")
    if done:
        typer.echo(f"detente: resuming: {len(done)} document(s) already in {output}", err=True)
    progress = Progress(_total(paths, done), enabled=False if quiet else None)
    results = iter_documents_results(
        paths, jobs=jobs, chunk_size=chunk_size, backend=backend.value, scheduler=scheduler,
        model_path=str(model) if model else None, skip=skip or (), rules=table, exclude=done,
    )
    tally = _Tally()
    try:
        _run(results, RecordWriter(stream, fmt, header=not header), summary, progress, tally)
    except KeyboardInterrupt:
        _interrupted(output, tally.written, tally.last)
        _finish(stream, output, summary, summary_path, report_path, paths, progress)
        raise typer.Exit(130)
    except BrokenPipeError:
        raise  # the reader of stdout has gone (| head): click exits quietly with status 1
    except (ValueError, RuntimeError, OSError) as exc:  # bad model, unreachable scheduler, full disk
        _finish(stream, output, summary, summary_path, report_path, paths, progress)
        raise fail(str(exc))
    _finish(stream, output, summary, summary_path, report_path, paths, progress)
    if tally.errors:
        typer.echo(f"detente: {tally.errors} of {tally.written} document(s) could not be analyzed (error records in the output)", err=True)
        raise typer.Exit(1)


def _finish(stream, output, summary, summary_path, report_path, paths, progress: Progress) -> None:
    """Close the output; the summary and report cover every finished document, even after Ctrl-C."""
    progress.close()
    if output is not None:
        stream.close()
    else:
        stream.flush()
    protect = input_paths(paths)
    if summary_path:
        write_summary(summary_path, summary, protect=protect)
    if report_path:
        write_report(report_path, summary, protect=protect)


def register(app: typer.Typer) -> None:
    """Add the ``analyze`` command to ``app`` (once)."""
    if any(getattr(c, "name", None) == "analyze" for c in app.registered_commands):
        return
    app.command("analyze")(analyze_command)
