"""Reproduce the shipped stance model from training_data/ with one command.

    PYTHONPATH=src python scripts/train_default.py

Fixed seed (StanceModel's random_state=0, fixed CV folds): the same files give
the same model. Writes models/stance.skops and models/stance.manifest.json
(replacing them: this script *is* the shipped recipe) and prints the CV table.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.training import train  # noqa: E402


def print_table(cv: dict) -> None:
    print(f"grouped {cv['folds']}-fold CV on {cv['n']} rows: macro-F1 {cv['macro_f1']:.3f}, "
          f"accuracy {cv['accuracy']:.3f}, ECE {cv['ece']:.3f}")
    print(f"{'class':14} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for c, m in cv["per_class"].items():
        print(f"{c:14} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:5d}")
    print("confusion (rows true, columns predicted):", cv["confusion"]["labels"])
    for label, line in zip(cv["confusion"]["labels"], cv["confusion"]["matrix"]):
        print(f"  {label:14} {line}")
    print("per-issue macro-F1:")
    for issue, m in cv["per_issue"].items():
        print(f"  {issue:20} {m['macro_f1']:.3f}  (n={m['n']})")


def main() -> None:
    t = time.perf_counter()
    manifest = train([ROOT / "training_data"], ROOT / "models" / "stance.skops", cv=5, only=True, force=True)
    print_table(manifest["cv"])
    print(f"wrote models/stance.skops ({manifest['model_sha256'][:12]}) in {time.perf_counter() - t:.0f}s; "
          f"training data {manifest['training_data']['sha256'][:12]}")


if __name__ == "__main__":
    main()
