"""Keep the real-text test set honest: find training rows that echo the seed articles.

The seed statements (training_data/seeds.csv) are the real-text evaluation
set. A written row that shares a word 6-gram with a seed article (a copied
clause), uses one of the distinctive seed phrases listed below, or is close to
a seed statement (TF-IDF cosine over character 3-5-grams >= 0.5) could leak
that set into training. This script lists them per file; with --drop it removes them from
every file except seeds.csv.

    python scripts/check_contamination.py          # report
    python scripts/check_contamination.py --drop   # remove the rows

--against FILE.csv adds another held-out set of labeled real statements (for
example a private evaluation set kept outside the repository): its statements
are checked the same way (6-grams and cosine), and the training rows must not
echo them either.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

from detente import normalize

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[a-z0-9]+")
# Distinctive wording of the seed articles (shorter than 4 words, so the n-gram test misses it).
SEED_PHRASES = [
    "positive shifts", "sound more realistic", "significantly softened", "matter of days",
    "documents for signing", "joint position", "no obstacles", "only way to end this war",
    "work for negotiations", "change in tone", "remained adamant", "continued insisting",
    "prioritize the country", "give them safe passage", "agreed to give safe passage",
    "not even on the agenda", "continues assault",
    "continues its assault", "diplomatic resolution", "leverage at the negotiating table",
    "understanding and a dialogue", "pool of allies", "killed at least 500", "1,119",
    "no expectation of a major breakthrough", "far from a breakthrough", "cannot see progress",
    "very long work", "produced few results", "no details were provided", "business-like",
    "seriously discussed", "reality of the position", "anytime soon", "legally verified", "rigid agreement",
    "mutually acceptable solutions", "serious commitment", "hope of reaching a compromise",
]


N = 6
THRESHOLD = 0.5


def grams(text: str, n: int = N) -> set[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def seed_grams() -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        raw = seed.read_text(encoding="utf-8")
        out |= grams(raw) | grams(normalize(raw).text)
    return out


def echoes(text: str, seed: set, similarity: float) -> list[str]:
    low = text.lower()
    found = [p for p in SEED_PHRASES if p in low]
    shared = [" ".join(g) for g in sorted(grams(text) & seed)[:2]]
    close = [f"cosine {similarity:.2f}"] if similarity >= THRESHOLD else []
    return found + shared + close


def held_out_texts(paths: list[Path]) -> list[str]:
    texts: set[str] = set()
    for path in paths:
        with path.open(encoding="utf-8", newline="") as fh:
            texts |= {r["text"] for r in csv.DictReader(fh)}
    return sorted(texts)


def seed_similarity(texts: list[str], seeds: list[str]) -> list[float]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(seeds + texts)
    return list((vec.transform(texts) @ vec.transform(seeds).T).max(axis=1).toarray().ravel())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--drop", action="store_true", help="remove echoing rows from the written files")
    ap.add_argument("--against", type=Path, action="append", default=[],
                    help="another held-out CSV of real statements to check against (repeatable)")
    args = ap.parse_args()
    seed = seed_grams()
    held_out = held_out_texts([ROOT / "training_data" / "seeds.csv", *args.against])
    for text in held_out:
        seed |= grams(text)
    total = 0
    for path in sorted((ROOT / "training_data").glob("*.csv")):
        if path.name == "seeds.csv":
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        sims = seed_similarity([r[0] for r in body], held_out) if body else []
        bad = [(r, echoes(r[0], seed, sim)) for r, sim in zip(body, sims)]
        bad = [(r, e) for r, e in bad if e]
        total += len(bad)
        print(f"{path.name}: {len(bad)} of {len(body)} rows echo the held-out text")
        for r, e in bad[:5]:
            print(f"    {e[:3]} :: {r[0][:110]}")
        if args.drop and bad:
            drop = {id(r) for r, _ in bad}
            with path.open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh).writerows([header] + [r for r in body if id(r) not in drop])
    print(f"total: {total} rows{' dropped' if args.drop else ''}")


if __name__ == "__main__":
    main()
