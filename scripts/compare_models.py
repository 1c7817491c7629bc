"""Grouped-CV comparison of stance classifiers, with baselines, in one run.

    PYTHONPATH=src python scripts/compare_models.py [--data training_data] [--cv 5] [--json OUT]

Rows: the shipped choice (LinearSVC + multinomial calibration), logistic
regression (native probabilities), complement naive Bayes (calibrated), the
shipped choice without the issue views (ablation), a majority-class baseline
and a keyword-lexicon baseline. Columns: macro-F1, accuracy, ECE on
out-of-fold predictions (groups = source), macro-F1 on "mixed" rows (one
sentence, several issues, different stances), and fit time. Then the
real-text figure: train on everything but the seed rows, test on them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.stance import StanceModel  # noqa: E402
from detente.training import LabeledData, cross_val_proba, load_examples, metrics  # noqa: E402


class Majority(ClassifierMixin, BaseEstimator):
    """Always the most frequent training label, with the training priors as probabilities."""

    def fit(self, texts, issues, y, groups=None):
        counts = Counter(y)
        self.classes_ = np.array(sorted(counts))
        self.prior_ = np.array([counts[c] / len(y) for c in self.classes_])
        return self

    def predict_proba(self, texts, issues):
        return np.tile(self.prior_, (len(texts), 1))


CONCILIATORY = r"ready|willing|open to|agree\w*|compromise|progress|constructive|positive|hope\w*|welcome\w*|" \
    r"support\w*|accept\w*|not oppose|breakthrough|optimis\w*|concession\w*|de-?escalat\w*|exchange\w*|" \
    r"reached|understand|flexib\w*|consider|goodwill|proposal|offer\w*"
HARDLINE = r"never|refus\w*|reject\w*|unacceptable|demand\w*|ultimatum\w*|null and void|will not|won't|" \
    r"cannot|can't|threat\w*|only if|until|precondition\w*|capitulat\w*|surrender\w*|lie|lies|provocat\w*|" \
    r"blame\w*|not serious|fight\w*|victory|win|out of the question|no question|impossible|illegal\w*"


class Lexicon(ClassifierMixin, BaseEstimator):
    """Counts conciliatory vs hardline cue words; ties (and no cues) are neutral."""

    def fit(self, texts, issues, y, groups=None):
        self.classes_ = np.array(sorted(set(y)))
        return self

    def predict_proba(self, texts, issues):
        cues = {"conciliatory": re.compile(rf"\b(?:{CONCILIATORY})\b", re.I),
                "hardline": re.compile(rf"\b(?:{HARDLINE})\b", re.I)}
        out = np.zeros((len(texts), len(self.classes_)))
        col = {c: i for i, c in enumerate(self.classes_)}
        for r, t in enumerate(texts):
            n = {k: len(rx.findall(t)) for k, rx in cues.items()}
            label = "neutral" if n["conciliatory"] == n["hardline"] else max(n, key=n.get)
            out[r] = 0.1
            out[r, col[label]] = 1.0 - 0.1 * (len(self.classes_) - 1)
        return out


def candidates() -> dict:
    return {
        "svm+calibration (shipped)": StanceModel(),
        "logistic regression": StanceModel(classifier="logreg", calibrate=False),
        "complement NB+calibration": StanceModel(classifier="nb", C=0.3),
        "svm, no issue views": StanceModel(issue_views=False),
        "majority class": Majority(),
        "keyword lexicon": Lexicon(),
    }


def mixed_mask(data: LabeledData) -> np.ndarray:
    """Rows whose sentence carries different stances on different issues."""
    stances = defaultdict(set)
    for t, s in zip(data.texts, data.stances):
        stances[t].add(s)
    return np.array([len(stances[t]) > 1 for t in data.texts])


def row(name: str, data: LabeledData, proba: np.ndarray, seconds: float) -> dict:
    m = metrics(data.stances, proba, sorted(set(data.stances)), data.issues)
    mask = mixed_mask(data)
    pred = np.array(sorted(set(data.stances)))[proba.argmax(axis=1)]
    mixed = f1_score(np.array(data.stances)[mask], pred[mask], average="macro") if mask.any() else float("nan")
    return {"model": name, "macro_f1": m["macro_f1"], "accuracy": m["accuracy"], "ece": m["ece"],
            "mixed_macro_f1": float(mixed), "n_mixed": int(mask.sum()), "seconds": seconds}


def real_text(data: LabeledData, heldout: dict[str, LabeledData]) -> dict[str, dict]:
    """Train on all non-seed rows; evaluate on the seed rows (real articles) and on each held-out set."""
    seed = np.array([s.startswith("seed:") for s in data.sources])
    tests = ({"seed statements": data.subset(seed)} if seed.any() else {}) | heldout
    if not tests:
        return {}
    train = data.subset(~seed)
    out: dict[str, dict] = {t: {} for t in tests}
    for name, model in candidates().items():
        model.fit(train.texts, train.issues, train.stances, groups=train.groups())
        for tname, test in tests.items():
            m = metrics(test.stances, model.predict_proba(test.texts, test.issues), model.classes_, test.issues)
            out[tname][name] = {k: m[k] for k in ("macro_f1", "accuracy", "ece", "n")}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", nargs="+", default=[str(ROOT / "training_data")])
    ap.add_argument("--cv", type=int, default=5)
    ap.add_argument("--heldout", nargs="*", default=[],
                    help="real-text sets to evaluate on as well (trained without the seed rows), e.g. eval/realtext.csv")
    ap.add_argument("--json", help="also write the results to this JSON file")
    args = ap.parse_args()
    data = load_examples(args.data)
    heldout = {Path(p).name: load_examples([p]) for p in args.heldout}
    print(f"{len(data)} rows, {len(set(data.groups()))} groups, {args.cv}-fold grouped CV (groups = source)\n")
    print(f"{'model':30} {'macro-F1':>8} {'acc':>6} {'ECE':>6} {'mixed-F1':>8} {'sec':>5}")
    rows = []
    for name, model in candidates().items():
        t = time.perf_counter()
        proba = cross_val_proba(model, data, cv=args.cv)
        r = row(name, data, proba, time.perf_counter() - t)
        rows.append(r)
        print(f"{name:30} {r['macro_f1']:8.3f} {r['accuracy']:6.3f} {r['ece']:6.3f} {r['mixed_macro_f1']:8.3f} "
              f"{r['seconds']:5.1f}", flush=True)
    print(f"(mixed-F1: the {rows[0]['n_mixed']} rows whose sentence takes different stances on different issues)")
    real = real_text(data, heldout)
    if not real:
        print("\nreal-text hold-out: no rows with source 'seed:...' and no --heldout set")
    for tname, results in real.items():
        n = next(iter(results.values()))["n"]
        print(f"\nreal text, trained without the seed rows, tested on {tname} ({n} rows):")
        for name, m in results.items():
            print(f"{name:30} {m['macro_f1']:8.3f} {m['accuracy']:6.3f} {m['ece']:6.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"cv": rows, "real_text": real}, indent=2) + "\n")


if __name__ == "__main__":
    main()
