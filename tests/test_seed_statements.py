"""Speaker accuracy and issue micro-P/R/F1 of statements() on the hand-checked seed set.

tests/data/seed_statements.jsonl was written by reading each seed (after
detente.normalize) and deciding every statement's text, speaker and issues
per ANNOTATION.md. Gold statements are aligned to predicted ones by text
(whitespace-insensitive, then by fuzzy match so that a later normalizer
tweak does not break alignment); a gold statement with no counterpart
counts as a speaker error and as missed issues.

Run: PYTHONPATH=src python -m pytest tests/test_seed_statements.py -s
"""

from __future__ import annotations

import difflib
import json
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).resolve().parent / "data" / "seed_statements.jsonl"

SPEAKER_TARGET = 0.90
ISSUE_F1_TARGET = 0.85


def _key(text: str) -> str:
    return " ".join(text.split())


def _norm_speaker(s: str | None) -> str | None:
    if s is None:
        return None
    s = " ".join(s.split()).strip()
    for art in ("the ", "a ", "an "):
        if s.lower().startswith(art):
            s = s[len(art):]
    return s.casefold()


def _align(gold: list[dict], pred: list) -> list:
    """For each gold row, the predicted statement with the same text (or the closest one)."""
    by_text = defaultdict(list)
    for st in pred:
        by_text[_key(st.text)].append(st)
    out = []
    for g in gold:
        same = by_text.get(_key(g["text"]))
        if same:
            out.append(same.pop(0))
            continue
        best = max(pred, key=lambda st: difflib.SequenceMatcher(None, _key(st.text), _key(g["text"])).ratio(), default=None)
        ok = best is not None and difflib.SequenceMatcher(None, _key(best.text), _key(g["text"])).ratio() >= 0.9
        out.append(best if ok else None)
    return out


def evaluate() -> dict:
    from detente.segment import statements

    gold_rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_seed = defaultdict(list)
    for row in gold_rows:
        by_seed[row["seed"]].append(row)
    n = spk_ok = seg_ok = quote_ok = tp = fp = fn = 0
    errors = []
    for seed, rows in by_seed.items():
        pred = statements((ROOT / "seeds" / seed).read_text(encoding="utf-8"))
        for g, st in zip(rows, _align(rows, pred)):
            n += 1
            seg_ok += st is not None and _key(st.text) == _key(g["text"])
            got_speaker = st.speaker if st else None
            if st is not None and _norm_speaker(got_speaker) == _norm_speaker(g["speaker"]):
                spk_ok += 1
            else:
                errors.append(f"speaker {seed[:3]}: want {g['speaker']!r} got {got_speaker!r}: {g['text'][:70]}")
            quote_ok += st is not None and st.quote == g["quote"]
            want, got = set(g["issues"]), set(st.issues if st else ())
            tp += len(want & got)
            fp += len(got - want)
            fn += len(want - got)
            if want != got:
                errors.append(f"issues  {seed[:3]}: want {sorted(want)} got {sorted(got)}: {g['text'][:70]}")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"n": n, "segmentation": seg_ok / n, "speaker_accuracy": spk_ok / n, "quote_accuracy": quote_ok / n,
            "issue_precision": p, "issue_recall": r, "issue_f1": f1, "errors": errors}


@pytest.fixture(scope="module")
def figures() -> dict:
    res = evaluate()
    print("\nseed statements: n={n} segmentation={segmentation:.3f} speaker_accuracy={speaker_accuracy:.3f} "
          "quote_accuracy={quote_accuracy:.3f} issue P={issue_precision:.3f} R={issue_recall:.3f} "
          "F1={issue_f1:.3f}".format(**res))
    return res


def test_gold_file_is_well_formed():
    from detente.issues import Taxonomy

    ids = set(Taxonomy.load().issues)
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert {"seed", "text", "speaker", "issues"} <= row.keys()
        assert set(row["issues"]) <= ids


def test_speaker_accuracy(figures):
    assert figures["speaker_accuracy"] >= SPEAKER_TARGET, "\n".join(e for e in figures["errors"] if e.startswith("speaker"))


def test_issue_f1(figures):
    assert figures["issue_f1"] >= ISSUE_F1_TARGET, "\n".join(e for e in figures["errors"] if e.startswith("issues"))


if __name__ == "__main__":
    res = evaluate()
    print("\n".join(res.pop("errors")))
    print({k: round(v, 3) if isinstance(v, float) else v for k, v in res.items()})
