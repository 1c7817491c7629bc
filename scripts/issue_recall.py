"""How often the issue keywords find the issue a labeled row is about.

For every distinct statement of the given labeled files (CSV in the
annotation format), normalizes the text, runs ``detect_issues`` and counts the
labeled issues it found, overall and per issue. (Precision cannot be read off
these files: a statement mentions more issues than it takes a position on.)

    python scripts/issue_recall.py training_data/real_para_p*.csv
    python scripts/issue_recall.py training_data/seeds.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

from detente import detect_issues, normalize  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    args = ap.parse_args()
    labeled: dict[str, set[str]] = defaultdict(set)
    for path in args.files:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                labeled[row["text"]].add(row["issue"])
    found, total = Counter(), Counter()
    for text, issues in labeled.items():
        detected = {h.issue for h in detect_issues(normalize(text).text)}
        for issue in issues:
            total[issue] += 1
            found[issue] += issue in detected
    n, k = sum(total.values()), sum(found.values())
    print(f"{len(labeled)} statements, {n} labeled issues: recall {k}/{n} = {k / n:.3f}")
    for issue in sorted(total):
        print(f"  {issue:20} {found[issue]:5}/{total[issue]:<5} {found[issue] / total[issue]:.3f}")


if __name__ == "__main__":
    main()
