"""Stance prediction speed: statements per second on one core.

    PYTHONPATH=src python scripts/bench_classify.py [--n 100000] [--model PATH]

Predicts N statements (training texts cycled, each with its issue) in one
process with the shipped model and prints statements/second. Run it pinned
to one core (taskset -c 0) for the one-core figure.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

# One core: keep BLAS from spreading the (small) matrix products.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

from detente.model_io import load_model, shipped_training_files  # noqa: E402
from detente.stance import iter_batches  # noqa: E402
from detente.training import load_examples  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    model = load_model(args.model)
    data = load_examples(shipped_training_files())
    pairs = [(data.texts[i % len(data)], data.issues[i % len(data)]) for i in range(args.n)]
    start = time.perf_counter()
    done = 0
    for batch in iter_batches(pairs, 10_000):
        texts, issues = zip(*batch)
        done += len(model.predict(texts, issues))
    seconds = time.perf_counter() - start
    print(f"{done} statements in {seconds:.2f}s: {done / seconds:,.0f} statements/second")


if __name__ == "__main__":
    main()
