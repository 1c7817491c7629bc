"""Throughput of single stages that the end-to-end benchmarks hide.

Prints the name stage (find_names) and issue detection (detect_issues) in MB/s
on the seed articles repeated to ~2 MB, and evidence_spans in µs per call on
the training statements. Single process, CPU time, best of three.

    python scripts/bench_stages.py
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

from detente.issues import Taxonomy, detect_issues, evidence_spans  # noqa: E402
from detente.normalize.names import _find_names, find_names  # noqa: E402
from detente.normalize.tables import Rules  # noqa: E402


def best_of(fn, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        _find_names.cache_clear()  # the name stage memoizes its last texts for the quirk stage
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def training_texts() -> list[str]:
    texts: set[str] = set()
    for path in sorted((ROOT / "training_data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            texts.update(row["text"] for row in csv.DictReader(fh) if row.get("text"))
    return sorted(texts)


def main() -> None:
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    text = (base + "\n\n") * (2_000_000 // len(base) + 1)
    mb = len(text) / 1e6
    rules = Rules.load()
    find_names(text[:10_000], rules)  # compile the gazetteer outside the timing
    print(f"name stage (find_names):    {mb / best_of(lambda: find_names(text, rules)):6.1f} MB/s on {mb:.1f} MB")
    detect_issues(text[:10_000])
    print(f"issue detection:            {mb / best_of(lambda: detect_issues(text)):6.1f} MB/s on {mb:.1f} MB")
    tax = Taxonomy.load()
    pairs = [(t, tax.issues[n % len(tax.issues)]) for n, t in enumerate(training_texts()[:2000])]
    seconds = best_of(lambda: [evidence_spans(t, i, tax) for t, i in pairs])
    print(f"evidence_spans:             {seconds / len(pairs) * 1e6:6.1f} µs/call over {len(pairs)} statements")


if __name__ == "__main__":
    main()
