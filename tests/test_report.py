"""detente.report: summary math, summary files, and the HTML report in a real headless browser."""

import csv
import json
import re
import shutil
import subprocess

import pytest

from detente.pipeline import FIELDS
from detente.report import ALL, UNATTRIBUTED, Summary, net_score, render_html, write_report, write_summary

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def rec(speaker, issue, stance, confidence=0.9, date=None, text="s", **extra):
    r = dict.fromkeys(FIELDS)
    r.update(doc_id="d", path="corpus/d.txt", speaker=speaker, issue=issue, stance=stance,
             confidence=confidence, date=date, text=text, quote=False, **extra)
    return r


@pytest.fixture
def summary():
    s = Summary(top=2)
    stream = [
        rec("Lavrov", "talks", "conciliatory", 0.8, "2022-03-01", "Talks can go on."),
        rec("Lavrov", "talks", "conciliatory", 0.95, "2022-03-02", "We want a deal."),
        rec("Lavrov", "talks", "hardline", 0.7, "2022-03-02", "No talks under threat."),
        rec("Lavrov", "talks", "neutral", 0.6, "2022-03-05", "Talks happened."),
        rec(None, "territory", "hardline", 0.99, None, "Crimea stays."),
        rec("Lavrov", None, None),                      # no issue: in the table, not in the summary
        {**dict.fromkeys(FIELDS), "doc_id": "bad", "error": "empty file"},
    ]
    for r in stream:
        s.add(r)
    return s


def test_net_score():
    assert net_score({"conciliatory": 3, "hardline": 1, "neutral": 4}) == pytest.approx(0.25)
    assert net_score({"hardline": 2}) == -1.0
    assert net_score({}) is None


def test_summary_counts_per_speaker_issue_and_stance(summary):
    rows = {(r["speaker"], r["issue"]): r for r in summary.rows()}
    lavrov = rows[("Lavrov", "talks")]
    assert (lavrov["total"], lavrov["conciliatory"], lavrov["hardline"], lavrov["neutral"]) == (4, 2, 1, 1)
    assert lavrov["net"] == pytest.approx(0.25)
    assert rows[(UNATTRIBUTED, "territory")]["net"] == -1.0
    assert rows[(ALL, "talks")]["total"] == 4 and rows[(ALL, "territory")]["total"] == 1
    assert ("Lavrov", None) not in rows
    assert summary.errors == 1 and summary.records == 6


def test_top_statements_are_the_most_confident_per_speaker(summary):
    top = summary.top_statements()
    assert list(top) == ["Lavrov", UNATTRIBUTED]
    assert [r["confidence"] for r in top["Lavrov"]] == [0.95, 0.8]


def test_summary_files(summary, tmp_path):
    write_summary(tmp_path / "s.csv", summary)
    rows = list(csv.DictReader(open(tmp_path / "s.csv")))
    assert rows[0]["speaker"] == "Lavrov" and float(rows[0]["net"]) == 0.25
    write_summary(tmp_path / "s.json", summary)
    assert json.loads((tmp_path / "s.json").read_text())[0]["total"] == 4
    write_summary(tmp_path / "s.txt", summary)
    text = (tmp_path / "s.txt").read_text()
    assert re.search(r"Lavrov\s+talks\s+4\s+2\s+1\s+1\s+\+0\.25", text)


def test_html_is_static_and_self_contained(summary):
    page = render_html(summary)
    assert "<script" not in page.lower()
    assert not re.search(r"(src|href)=\"https?:", page)  # nothing fetched at view time
    assert page.count('<svg') == 1 and 'data-issue="talks"' in page  # no dates for territory: no chart
    assert "file://" in page  # source links
    assert "&lt;" in render_html(_with_text(summary, "<b>not markup</b>"))


def _with_text(summary, text):
    summary.add(rec("Peskov", "talks", "neutral", 0.5, None, text))
    return summary


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)")
def test_report_renders_in_headless_chromium(summary, tmp_path):
    page = tmp_path / "report.html"
    write_report(page, summary)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=60).stdout
    assert '<table id="summary">' in dom
    assert len(re.findall(r"<tr[ >]", dom)) == 1 + len(summary.rows())
    assert re.search(r'<svg[^>]*class="timeline"[^>]*data-issue="talks"', dom)
    assert len(re.findall(r"<circle", dom)) == 3  # three dates for talks
    assert dom.count('<section class="speaker">') == 2
    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, *flags, "--window-size=1000,1400", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=60)
    assert shot.is_file() and shot.stat().st_size > 5000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
