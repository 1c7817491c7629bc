"""Counts per issue x stance and a near-duplicate check over all of training_data/.

Near-duplicates are measured as TF-IDF cosine similarity over character 3-5-grams
between every pair of distinct statements (rows of one statement share a text).

    python scripts/check_training_data.py [--threshold 0.8]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parent.parent


def load(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                row["_file"] = path.name
                rows.append(row)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT / "training_data")
    ap.add_argument("--threshold", type=float, default=0.8)
    args = ap.parse_args()
    rows = load(args.data)
    cells = Counter((r["issue"], r["stance"]) for r in rows)
    issues = sorted({i for i, _ in cells})
    stances = ["conciliatory", "hardline", "neutral"]
    print(f"{len(rows)} rows, {len({r['text'] for r in rows})} distinct statements, {len(issues)} issues\n")
    print(f"| issue | {' | '.join(stances)} | total |\n|---|" + "---|" * (len(stances) + 1))
    for issue in issues:
        counts = [cells[(issue, s)] for s in stances]
        print(f"| {issue} | {' | '.join(map(str, counts))} | {sum(counts)} |")
    print(f"| all | {' | '.join(str(sum(cells[(i, s)] for i in issues)) for s in stances)} | {len(rows)} |")
    print(f"\nsmallest cell: {min(cells.values())}")
    texts = sorted({r["text"] for r in rows})
    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(texts)
    sims = (matrix @ matrix.T).tocoo()
    mask = sims.row < sims.col
    pairs = sorted(zip(sims.data[mask], sims.row[mask], sims.col[mask]), reverse=True)
    print(f"max pairwise similarity between distinct statements: {pairs[0][0]:.3f}" if pairs else "no pairs")
    over = [(s, texts[a], texts[b]) for s, a, b in pairs if s >= args.threshold]
    print(f"pairs at or above {args.threshold}: {len(over)}")
    for s, a, b in over[:20]:
        print(f"  {s:.3f}\n    {a}\n    {b}")
    langs = Counter(r.get("lang", "") for r in rows)
    print("\nsource languages:", ", ".join(f"{k} {v}" for k, v in langs.most_common()))
    years = Counter((r.get("date") or "")[:4] for r in rows)
    print("years:", ", ".join(f"{k} {v}" for k, v in sorted(years.items())))


if __name__ == "__main__":
    main()
