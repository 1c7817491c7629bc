"""The speaker × issue summary and the static HTML report, built from records as they stream by.

:class:`Summary` keeps only aggregates (counts per speaker × issue × stance,
counts per issue × date, the few most confident statements per speaker), so
it stays small however many records pass through it.

Net score = (conciliatory − hardline) / total, from −1 (all hardline) to +1
(all conciliatory); total counts every stance-labeled record, neutral included.
Records without an issue (and error records) carry no stance and are left out.
"""

from __future__ import annotations

import csv
import heapq
import html
import io
import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Mapping

from detente.documents import write_atomic
from detente.stance import STANCES

UNATTRIBUTED = "(unattributed)"
ALL = "(all speakers)"
SUMMARY_FIELDS = ("speaker", "issue", "total", *STANCES, "net")


def net_score(counts: Mapping[str, int]) -> float | None:
    """(conciliatory − hardline) / total, None for no records."""
    total = sum(counts.values())
    if not total:
        return None
    return (counts.get("conciliatory", 0) - counts.get("hardline", 0)) / total


class Summary:
    """Aggregates of a stream of records; ``add`` each record once."""

    def __init__(self, top: int = 5):
        self.top = top
        self.counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self.timeline: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        self.best: dict[str, list] = defaultdict(list)  # speaker -> min-heap of (confidence, seq, record)
        self.records = self.errors = self._seq = 0

    def add(self, rec: Mapping[str, Any]) -> None:
        if rec.get("error"):
            self.errors += 1
            return
        self.records += 1
        if not rec.get("issue") or not rec.get("stance"):
            return
        speaker = rec.get("speaker") or UNATTRIBUTED
        self.counts[(speaker, rec["issue"])][rec["stance"]] += 1
        if rec.get("date"):
            self.timeline[rec["issue"]][rec["date"]][rec["stance"]] += 1
        self._keep_best(speaker, rec)

    def _keep_best(self, speaker: str, rec: Mapping[str, Any]) -> None:
        self._seq += 1  # tie-breaker: heap entries never compare records
        keep = {k: rec.get(k) for k in ("doc_id", "path", "date", "text", "issue", "stance", "confidence", "quote")}
        entry = (float(rec.get("confidence") or 0.0), -self._seq, keep)
        heap = self.best[speaker]
        if len(heap) < self.top:
            heapq.heappush(heap, entry)
        elif entry[:2] > heap[0][:2]:
            heapq.heapreplace(heap, entry)

    def rows(self) -> list[dict]:
        """Speaker × issue rows, most records first, then one "(all speakers)" row per issue."""
        per_issue: dict[str, Counter] = defaultdict(Counter)
        rows = []
        for (speaker, issue), c in self.counts.items():
            per_issue[issue].update(c)
            rows.append(_row(speaker, issue, c))
        rows.sort(key=lambda r: (-r["total"], r["speaker"], r["issue"]))
        rows += [_row(ALL, issue, c) for issue, c in sorted(per_issue.items())]
        return rows

    def top_statements(self) -> dict[str, list[dict]]:
        """Per speaker (most records first), the most confident records, best first."""
        totals = Counter()
        for (speaker, _), c in self.counts.items():
            totals[speaker] += sum(c.values())
        return {s: [e[2] for e in sorted(self.best[s], key=lambda e: e[:2], reverse=True)]
                for s, _ in totals.most_common()}


def _row(speaker: str, issue: str, c: Counter) -> dict:
    net = net_score(c)
    return {"speaker": speaker, "issue": issue, "total": sum(c.values()),
            **{s: c.get(s, 0) for s in STANCES}, "net": None if net is None else round(net, 4)}


# -- the summary file ------------------------------------------------------------


def summary_text(rows: list[dict]) -> str:
    """An aligned plain-text table."""
    cells = [list(SUMMARY_FIELDS)] + [[_fmt(r[f]) for f in SUMMARY_FIELDS] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(SUMMARY_FIELDS))]
    return "".join("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip() + "\n"
                   for row in cells)


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    return f"{v:+.2f}" if isinstance(v, float) else str(v)


def write_summary(path: str | Path, summary: Summary, protect: Iterable[Path] = ()) -> None:
    """Write the speaker × issue table: CSV for ``.csv``, JSON for ``.json``, else aligned text."""
    rows = summary.rows()
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=SUMMARY_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        data = buf.getvalue()
    elif suffix == ".json":
        data = json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    else:
        data = summary_text(rows)
    write_atomic(path, data, protect=protect)


# -- the HTML report ---------------------------------------------------------------

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:70em}
table{border-collapse:collapse;margin:1em 0}th,td{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right}
th:nth-child(-n+2),td:nth-child(-n+2){text-align:left}.pos{color:#1a7f37}.neg{color:#b3261e}
.chart{margin:1em 0}.stmt{margin:.3em 0 .6em 1em}.meta{color:#666;font-size:90%}
tr.all td{font-weight:600;background:#f6f6f6}
"""


def _esc(v: Any) -> str:
    return html.escape("" if v is None else str(v))


def _summary_table(rows: list[dict]) -> str:
    head = "".join(f"<th>{_esc(f)}</th>" for f in SUMMARY_FIELDS)
    body = []
    for r in rows:
        cls = ' class="all"' if r["speaker"] == ALL else ""
        net = r["net"]
        tone = "pos" if net and net > 0 else "neg" if net and net < 0 else ""
        cells = [_esc(r[f]) for f in SUMMARY_FIELDS[:-1]] + [f'<span class="{tone}">{_esc(_fmt(net))}</span>']
        body.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f'<table id="summary"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _chart(issue: str, by_date: Mapping[str, Counter], width: int = 640, height: int = 200) -> str:
    """Net score per date as an inline SVG line; dot area grows with the number of records."""
    dates = sorted(by_date)
    pad, top = 40, 15
    inner_w, inner_h = width - 2 * pad, height - top - 30

    # Position by calendar day, so gaps between dates show as gaps.
    days = [date.fromisoformat(d).toordinal() for d in dates]
    span = days[-1] - days[0]

    def x(i: int) -> float:
        return pad + (inner_w * (days[i] - days[0]) / span if span else inner_w / 2)

    def y(net: float) -> float:
        return top + inner_h * (1 - net) / 2

    points = [(x(i), y(net_score(by_date[d]) or 0.0), d, by_date[d]) for i, d in enumerate(dates)]
    most = max(sum(c.values()) for c in by_date.values())
    parts = [
        f'<line x1="{pad}" y1="{y(0):.1f}" x2="{width - pad}" y2="{y(0):.1f}" stroke="#aaa" stroke-dasharray="4 3"/>',
        f'<text x="4" y="{y(1) + 4:.1f}" font-size="11">+1</text><text x="4" y="{y(0) + 4:.1f}" font-size="11">0</text>'
        f'<text x="4" y="{y(-1) + 4:.1f}" font-size="11">−1</text>',
        f'<text x="{pad}" y="{height - 8}" font-size="11">{_esc(dates[0])}</text>',
        f'<text x="{width - pad}" y="{height - 8}" font-size="11" text-anchor="end">{_esc(dates[-1])}</text>',
    ]
    if len(points) > 1:
        parts.append('<polyline fill="none" stroke="#3366cc" stroke-width="2" points="'
                     + " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in points) + '"/>')
    for px, py, d, c in points:
        r = 3 + 5 * (sum(c.values()) / most) ** 0.5
        tip = f"{d}: net {_fmt(net_score(c))}, " + ", ".join(f"{s} {c.get(s, 0)}" for s in STANCES)
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{r:.1f}" fill="#3366cc" fill-opacity=".7">'
                     f"<title>{_esc(tip)}</title></circle>")
    return (f'<figure class="chart"><figcaption>{_esc(issue)}: net score over time</figcaption>'
            f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" data-issue="{_esc(issue)}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img">{"".join(parts)}</svg></figure>')


def _link(path: str | None) -> str:
    if not path:
        return ""
    try:
        href = Path(path).resolve().as_uri()
    except ValueError:
        return _esc(path)
    return f'<a href="{_esc(href)}">{_esc(path)}</a>'


def _top_section(top: dict[str, list[dict]]) -> str:
    out = []
    for speaker, recs in top.items():
        items = "".join(
            f'<li class="stmt">{"“" if r["quote"] else ""}{_esc(r["text"])}{"”" if r["quote"] else ""}'
            f'<div class="meta">{_esc(r["issue"])}: <b>{_esc(r["stance"])}</b> ({float(r["confidence"] or 0):.2f})'
            f' · {_esc(r["date"] or "no date")} · {_link(r["path"]) or _esc(r["doc_id"])}</div></li>'
            for r in recs)
        out.append(f'<section class="speaker"><h3>{_esc(speaker)}</h3><ul>{items}</ul></section>')
    return "".join(out)


def render_html(summary: Summary, title: str = "detente analysis") -> str:
    """A self-contained page: inline CSS and SVG, no scripts, nothing fetched at view time."""
    charts = "".join(_chart(issue, by_date) for issue, by_date in sorted(summary.timeline.items()))
    if not charts:
        charts = "<p>No document dates known: no timeline (dates come from file names or the head of each text).</p>"
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_esc(title)}</title>'
        f"<style>{_CSS}</style></head><body><h1>{_esc(title)}</h1>"
        f'<p class="meta">{summary.records} statement records; {summary.errors} document error(s). '
        f"Net score = (conciliatory − hardline) / total.</p>"
        f"<h2>Speakers × issues</h2>{_summary_table(summary.rows())}"
        f"<h2>Stance over time</h2>{charts}"
        f"<h2>Most confident statements per speaker</h2>{_top_section(summary.top_statements())}"
        "</body></html>\n"
    )


def write_report(path: str | Path, summary: Summary, protect: Iterable[Path] = (), title: str = "detente analysis") -> None:
    write_atomic(path, render_html(summary, title), protect=protect)
