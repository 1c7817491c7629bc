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
import sys
import time
from pathlib import Path

import ftfy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

from detente import normalize  # noqa: E402
from detente.language import detect  # noqa: E402
from _corpus import make_document, seed_sentences  # noqa: E402
def build_corpus(mb: float, seed: int = 0) -> list[str]:
    """Article-sized documents of at least ``mb`` megabytes in all (see scripts/_corpus.py)."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    docs, size = [], 0
    while size < mb * 1_000_000:
        doc = make_document(rng, sentences, paragraphs=(8, 20))
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
