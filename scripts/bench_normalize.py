"""Throughput of detente.normalize against ftfy.fix_text on the same corpus.

Builds a corpus of at least --mb megabytes from the seed articles: paragraphs
recombined at random into article-sized documents, with Cyrillic and foreign
name spellings, mojibake and page debris injected. Prints MB/s for both and
their ratio. Single process, one core.

    python scripts/bench_normalize.py            # 20 MB
    python scripts/bench_normalize.py --mb 5     # quicker
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

import ftfy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

from detente import normalize  # noqa: E402
from detente.language import detect  # noqa: E402
INJECT_NAMES = ["Зеленський", "Київ", "Мединский", "Selenskyj", "Kiew", "Lawrow", "Medinski", "Lugansk", "Zelenskiy"]
DEBRIS = ["The story continues under the ad", "Comments", "Continues after advertising",
          "Photo: EPA-EFE/SERGEI ILNITSKY", "Sign up for our newsletter", "Read also: Peskov on the talks"]


def mojibake(s: str) -> str:
    return s.encode("utf-8").decode("cp1252", errors="replace")


_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[“\"A-Z])")


def build_corpus(mb: float, seed: int = 0) -> list[str]:
    """Article-sized documents whose paragraphs are new combinations of 1–4 seed sentences.

    Recombining sentences (not whole paragraphs) keeps almost every article
    line unique, as in a real corpus, so per-line caches cannot flatter the
    figure; debris lines repeat, as they do in real feeds.
    """
    rng = random.Random(seed)
    sentences = [s.strip() for f in sorted((ROOT / "seeds").glob("*.txt"))
                 for p in f.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 40
                 for s in _SENTENCE_END.split(p) if len(s.strip()) > 20]
    docs, size = [], 0
    while size < mb * 1_000_000:
        parts = []
        for _ in range(rng.randint(8, 20)):
            p = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))
            roll = rng.random()
            if roll < 0.15:
                words = p.split(" ")
                words.insert(rng.randrange(len(words)), rng.choice(INJECT_NAMES))
                p = " ".join(words)
            elif roll < 0.20:
                p = mojibake(p)
            elif roll < 0.30:
                parts.append(rng.choice(DEBRIS))
            parts.append(p)
        doc = "\n\n".join(parts)
        docs.append(doc)
        size += len(doc.encode("utf-8"))
    return docs


def throughput(fn, docs: list[str]) -> float:
    total = sum(len(d.encode("utf-8")) for d in docs)
    start = time.perf_counter()
    for d in docs:
        fn(d)
    return total / 1e6 / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    args = ap.parse_args()
    docs = build_corpus(args.mb)
    total = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    normalize(docs[0])  # load tables and compile patterns outside the timing
    detect("Russland und die Ukraine verhandeln weiter")  # and langdetect's profiles
    print(f"corpus: {len(docs)} documents, {total:.1f} MB")
    ours = throughput(lambda d: normalize(d, skip={"language"}), docs)
    print(f"detente.normalize (all repair stages):  {ours:6.2f} MB/s")
    with_lang = throughput(normalize, docs[: max(1, len(docs) // 10)])
    print(f"detente.normalize (+ language id):      {with_lang:6.2f} MB/s  (on a tenth of the corpus)")
    theirs = throughput(ftfy.fix_text, docs)
    print(f"ftfy.fix_text:                          {theirs:6.2f} MB/s")
    print(f"ratio normalize / ftfy.fix_text:        {ours / theirs:6.2f}x")


if __name__ == "__main__":
    main()
