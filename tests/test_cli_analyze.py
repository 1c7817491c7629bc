"""``detente analyze``: formats, error records and exit status, summary/report files, Ctrl-C and --resume."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.cli_analyze import register
from detente.pipeline import FIELDS, analyze_batch

from conftest import ROOT, SEEDS

register(app)  # no-op once the lead has wired it into cli.py
runner = CliRunner()


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for k, p in enumerate(SEEDS):
        shutil.copy(p, folder / f"{k}_2022-03-{10 + k}.txt")
    return folder


def _jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def test_jsonl_to_stdout_and_csv_to_file_hold_the_same_table(corpus, tmp_path):
    out = runner.invoke(app, ["analyze", str(corpus), "--quiet"])
    assert out.exit_code == 0, out.stderr
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert records and all(tuple(r) == FIELDS for r in records)
    res = runner.invoke(app, ["analyze", str(corpus), "-o", str(tmp_path / "t.csv")])
    assert res.exit_code == 0, res.stderr
    rows = list(csv.DictReader(open(tmp_path / "t.csv", encoding="utf-8")))
    assert tuple(rows[0]) == FIELDS and len(rows) == len(records)
    assert [r["text"] for r in rows] == [r["text"] for r in records]
    assert json.loads(rows[0]["changes"]) == records[0]["changes"]


def test_bad_document_gives_an_error_record_and_exit_1(corpus, tmp_path):
    (corpus / "9_bad.txt").write_bytes(b"\x00\x01binary\x00")
    res = runner.invoke(app, ["analyze", str(corpus), "-o", str(tmp_path / "t.jsonl"),
                              "--summary", str(tmp_path / "s.csv"), "--report", str(tmp_path / "r.html")])
    assert res.exit_code == 1
    assert "9_bad.txt" in res.stderr and "could not be analyzed" in res.stderr
    records = _jsonl(tmp_path / "t.jsonl")
    assert records[-1]["error"] and records[-1]["doc_id"].endswith("9_bad.txt")
    assert len({r["doc_id"] for r in records}) == 6  # the others all went through
    assert "net" in (tmp_path / "s.csv").read_text().splitlines()[0]
    assert "<svg" in (tmp_path / "r.html").read_text()  # dates come from the file names


def test_usage_errors_exit_2(corpus):
    assert runner.invoke(app, ["analyze", str(corpus), "--resume"]).exit_code == 2
    assert runner.invoke(app, ["analyze", str(corpus), "--skip", "nope"]).exit_code == 2
    res = runner.invoke(app, ["analyze", str(corpus), "-o", str(corpus / "out.jsonl")])
    assert res.exit_code == 2 and "read as input" in res.stderr


def test_resume_repairs_a_torn_last_line_and_finishes(corpus, tmp_path):
    full, part = tmp_path / "full.csv", tmp_path / "part.csv"
    assert runner.invoke(app, ["analyze", str(corpus), "-o", str(full)]).exit_code == 0
    data = full.read_bytes()
    part.write_bytes(data[: len(data) // 2])  # killed mid-line, mid-document
    res = runner.invoke(app, ["analyze", str(corpus), "-o", str(part), "--resume", "--summary", str(tmp_path / "s.csv")])
    assert res.exit_code == 0, res.stderr
    assert part.read_bytes() == data
    res = runner.invoke(app, ["analyze", str(corpus), "-o", str(full), "--resume", "--summary", str(tmp_path / "s2.csv")])
    assert "resuming: 5 document(s)" in res.stderr and full.read_bytes() == data
    assert (tmp_path / "s.csv").read_text() == (tmp_path / "s2.csv").read_text()  # earlier records counted


def test_ctrl_c_leaves_a_valid_file_and_resume_completes_it(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for k in range(30):
        shutil.copy(SEEDS[k % len(SEEDS)], corpus / f"{k:03d}.txt")
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-c", "from detente.cli import app; from detente.cli_analyze import register; "
           "register(app); app()", "analyze", str(corpus), "-o", str(out), "--chunk-size", "1"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    # SIG_DFL: a shell running us in the background may have set SIGINT to ignored.
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while (not out.exists() or out.stat().st_size < 10_000) and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    stderr = proc.communicate(timeout=60)[1]
    if proc.returncode == 0:
        pytest.skip("the run finished before the interrupt arrived")
    assert proc.returncode == 130 and "--resume" in stderr
    partial = _jsonl(out)  # every line is whole JSON
    assert partial and out.read_bytes().endswith(b"\n")
    res = runner.invoke(app, ["analyze", str(corpus), "-o", str(out), "--resume", "--quiet"])
    assert res.exit_code == 0, res.stderr
    # Each document's records, in order, as if never interrupted (file k is seed k % 5).
    per_seed = [analyze_batch([p.read_text(encoding="utf-8")], ["x"]) for p in SEEDS]
    expected = [{**r, "doc_id": f.as_posix(), "path": f.as_posix()}
                for f in sorted(corpus.iterdir()) for r in per_seed[int(f.stem) % len(SEEDS)]]
    assert _jsonl(out) == expected


def test_progress_bar_only_on_a_terminal():
    import io

    from detente.progress import Progress

    quiet = io.StringIO()
    p = Progress(10, stream=quiet)  # StringIO is not a terminal
    p.update(3)
    p.close()
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    p = Progress(10, stream=shown, enabled=True, interval=0)
    p.update(3)
    p.message("detente: error: x")
    p.close()
    out = shown.getvalue()
    assert "3/10 docs" in out and "docs/s" in out and "ETA" in out and "detente: error: x\n" in out


def test_analyze_takes_a_user_gazetteer(tmp_path):
    gaz = tmp_path / "mine.csv"
    gaz.write_text("id,type,canonical,gender,given,surname,variants,given_variants,note\n"
                   "hrynchuk,person,Oksana Hrynchuk,f,Oksana,Hrynchuk,de:Grintschuk,,\n", encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("Oksana Grintschuk said Ukraine will never give up Crimea.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(doc), "--gazetteer", str(gaz), "-q"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and {r["speaker"] for r in records} == {"Oksana Hrynchuk"}


def test_analyze_rejects_a_missing_user_table(tmp_path):
    gaz = tmp_path / "mine.csv"  # never written
    doc = tmp_path / "a.txt"
    doc.write_text("Talks resumed.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(doc), "--gazetteer", str(gaz), "-q"])
    assert result.exit_code == 2
    assert "no such table file" in result.output and "mine.csv" in result.output
