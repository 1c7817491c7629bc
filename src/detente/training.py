"""Labeled data: loading and validation, grouped cross-validation, evaluation, training.

Every row is validated before anything is trained or written; all problems
are collected and raised together in one :class:`DataError`, each naming
file and line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold

from detente.stance import STANCES, StanceModel

REQUIRED = ("text", "issue", "stance")
OPTIONAL = ("speaker", "source", "lang", "date", "note")
DATA_SUFFIXES = (".csv", ".jsonl")


class DataError(ValueError):
    """Labeled data is invalid; ``errors`` lists every problem as "file:line: message"."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = "\n  ".join(errors[:50]) + (f"\n  ... and {len(errors) - 50} more" if len(errors) > 50 else "")
        super().__init__(f"{len(errors)} problem(s) in the labeled data:\n  {shown}")


@dataclass
class LabeledData:
    texts: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    stances: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)  # "file:line" of each row

    def __len__(self) -> int:
        return len(self.texts)

    def groups(self) -> list[str]:
        # Rows of one statement share a source; without one, the text itself groups them.
        return [s or f"text:{t}" for s, t in zip(self.sources, self.texts)]

    def subset(self, mask: Sequence[bool]) -> "LabeledData":
        pick = lambda xs: [x for x, m in zip(xs, mask) if m]  # noqa: E731
        return LabeledData(*(pick(getattr(self, f)) for f in ("texts", "issues", "stances", "sources", "origins")))


# -- reading ------------------------------------------------------------------


def data_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named by ``paths``; a folder stands for its *.csv and *.jsonl files, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        found = sorted(f for f in p.iterdir() if f.suffix in DATA_SUFFIXES) if p.is_dir() else [p]
        out += [f for f in found if f.resolve() not in {o.resolve() for o in out}]
    return out


def _csv_rows(path: Path, text: str, errors: list[str]) -> Iterable[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        errors.append(f"{path}:1: no CSV header")
        return
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        errors.append(f"{path}:1: missing required column(s): {', '.join(missing)}")
        return
    while True:
        line = reader.line_num + 1  # first physical line of the next record
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(f"{path}:{line}: malformed CSV: {exc}")
            return
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            errors.append(f"{path}:{line}: malformed row: {len(row)} fields, header has {len(header)}")
            continue
        yield line, dict(zip(header, row))


def _jsonl_rows(path: Path, text: str, errors: list[str]) -> Iterable[tuple[int, dict]]:
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(f"{path}:{line}: malformed JSON: {exc.msg}")
            continue
        if not isinstance(row, dict):
            errors.append(f"{path}:{line}: malformed row: expected a JSON object")
            continue
        bad = [k for k, v in row.items() if v is not None and not isinstance(v, str)]
        if bad:
            errors.append(f"{path}:{line}: malformed row: field(s) {', '.join(bad)} must be strings")
            continue
        missing = [c for c in REQUIRED if c not in row]
        if missing:
            errors.append(f"{path}:{line}: missing required field(s): {', '.join(missing)}")
            continue
        yield line, {k.strip().lower(): v or "" for k, v in row.items()}


def _read_text(path: Path, errors: list[str]) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        errors.append(f"{path}:0: cannot read: {exc.strerror or exc}")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        errors.append(f"{path}:{line}: not UTF-8 text")
        return None


def _issue_ids(taxonomy: str | Path | None) -> set[str]:
    from detente.issues import Taxonomy

    return set(Taxonomy.load(taxonomy).issues)


def load_examples(paths: Iterable[str | Path], taxonomy: str | Path | None = None) -> LabeledData:
    """Read and validate CSV/JSONL files; raise one :class:`DataError` listing every problem."""
    issues, errors, data = _issue_ids(taxonomy), [], LabeledData()
    seen: dict[tuple[str, str], str] = {}
    for path in data_files(paths):
        if path.suffix not in DATA_SUFFIXES:
            errors.append(f"{path}:0: unknown file type (use .csv or .jsonl)")
            continue
        text = _read_text(path, errors)
        if text is None:
            continue
        rows = _csv_rows(path, text, errors) if path.suffix == ".csv" else _jsonl_rows(path, text, errors)
        for line, row in rows:
            where = f"{path}:{line}"
            problem = _row_problem(row, issues, seen, where)
            if problem:
                errors.append(f"{where}: {problem}")
                continue
            data.texts.append(row["text"].strip())
            data.issues.append(row["issue"].strip())
            data.stances.append(row["stance"].strip().lower())
            data.sources.append((row.get("source") or "").strip())
            data.origins.append(where)
    if not errors and not data.texts:
        errors.append(f"{', '.join(map(str, paths)) or '<no files>'}:0: no labeled rows")
    if errors:
        raise DataError(errors)
    return data


def _row_problem(row: dict, issues: set[str], seen: dict, where: str) -> str | None:
    text, issue, stance = (row.get(c, "").strip() for c in REQUIRED)
    if not text:
        return "empty text"
    if issue not in issues:
        return f"unknown issue {issue!r} (known: {', '.join(sorted(issues))})"
    if stance.lower() not in STANCES:
        return f"unknown stance {stance!r} (use {', '.join(STANCES)})"
    key = (" ".join(text.lower().split()), issue)
    if key in seen:
        return f"duplicate row: same text and issue as {seen[key]}"
    seen[key] = where
    return None


def data_sha256(paths: Iterable[str | Path]) -> str:
    """Hash of the training files (names and bytes), independent of where they live."""
    h = hashlib.sha256()
    for p in data_files(paths):
        h.update(p.name.encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


# -- metrics ------------------------------------------------------------------


def expected_calibration_error(proba: np.ndarray, y: Sequence[str], classes: Sequence[str], bins: int = 10) -> float:
    """Top-label ECE: |accuracy - confidence| averaged over equal-width confidence bins."""
    proba, y, classes = np.asarray(proba), np.asarray(y), np.asarray(classes)
    conf, correct = proba.max(axis=1), classes[proba.argmax(axis=1)] == y
    which = np.minimum((conf * bins).astype(int), bins - 1)
    return float(sum(abs(correct[which == b].mean() - conf[which == b].mean()) * (which == b).mean()
                     for b in range(bins) if (which == b).any()))


def metrics(y: Sequence[str], proba: np.ndarray, classes: Sequence[str], issues: Sequence[str]) -> dict:
    """macro_f1, accuracy, ece, per_class P/R/F1, confusion matrix, per-issue macro-F1, n."""
    y, classes, issues = np.asarray(y), [str(c) for c in classes], np.asarray(issues)
    pred = np.asarray(classes)[np.asarray(proba).argmax(axis=1)]
    labels = sorted(set(classes) | set(y))
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
    per_issue = {
        str(i): {"macro_f1": float(f1_score(y[issues == i], pred[issues == i], average="macro", zero_division=0)),
                 "n": int((issues == i).sum())}
        for i in sorted(set(issues))
    }
    return {
        "n": int(len(y)),
        "macro_f1": float(f1_score(y, pred, labels=labels, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(y, pred)),
        "ece": expected_calibration_error(proba, y, classes),
        "per_class": {c: {"precision": float(p[k]), "recall": float(r[k]), "f1": float(f[k]), "support": int(s[k])}
                      for k, c in enumerate(labels)},
        "confusion": {"labels": labels, "matrix": confusion_matrix(y, pred, labels=labels).tolist()},
        "per_issue": per_issue,
    }


def evaluate(model: StanceModel, data: LabeledData) -> dict:
    """Metrics of a fitted model on labeled data (see :func:`metrics`)."""
    return metrics(data.stances, model.predict_proba(data.texts, data.issues), model.classes_, data.issues)


def evaluate_paths(data_paths: Iterable[str | Path], model_path: str | Path | None = None,
                   taxonomy: str | Path | None = None, force: bool = False) -> dict:
    """``detente evaluate``: metrics of a saved model (default: the shipped one) on labeled files."""
    from detente.model_io import load_model

    return evaluate(load_model(model_path, force=force), load_examples(data_paths, taxonomy))


def cross_val_proba(model: StanceModel, data: LabeledData, cv: int = 5, random_state: int = 0) -> np.ndarray:
    """Out-of-fold probabilities from grouped, stratified folds (columns: sorted labels)."""
    from sklearn.base import clone

    y, groups, classes = np.asarray(data.stances), data.groups(), sorted(set(data.stances))
    smallest = int(np.unique(y, return_counts=True)[1].min())
    if min(smallest, len(set(groups))) < cv:
        raise DataError([f"{cv}-fold cross-validation needs at least {cv} statements of every stance "
                         f"(the smallest class has {smallest}); pass a smaller --cv, or --cv 0 to skip it"])
    proba = np.zeros((len(y), len(classes)))
    folds = StratifiedGroupKFold(n_splits=cv, shuffle=True, random_state=random_state)
    for tr, te in folds.split(data.texts, y, groups):
        part = data.subset(np.isin(np.arange(len(y)), tr))
        m = clone(model).fit(part.texts, part.issues, part.stances, groups=part.groups())
        cols = [classes.index(c) for c in m.classes_]
        proba[np.ix_(te, cols)] = m.predict_proba([data.texts[i] for i in te], [data.issues[i] for i in te])
    return proba


def cross_validate(model: StanceModel, data: LabeledData, cv: int = 5, random_state: int = 0) -> dict:
    """Grouped CV metrics (groups = source, so one statement never sits on both sides)."""
    proba = cross_val_proba(model, data, cv, random_state)
    out = metrics(data.stances, proba, sorted(set(data.stances)), data.issues)
    out["folds"] = cv
    return out


# -- training -----------------------------------------------------------------


class ModelExistsError(RuntimeError):
    """The model at ``out`` scored higher in CV than the new one; pass force=True to replace it."""


def train(
    data_paths: Iterable[str | Path],
    out: str | Path,
    cv: int = 5,
    only: bool = False,
    force: bool = False,
    taxonomy: str | Path | None = None,
    params: dict | None = None,
) -> dict:
    """Validate, cross-validate, fit and save a model; returns its manifest.

    The user's rows are added to the shipped training data unless ``only``.
    Nothing is written if any row is invalid, or if ``out`` already holds a
    model whose manifest CV macro-F1 is higher (unless ``force``).
    """
    from detente import model_io

    paths = data_files(([] if only else model_io.shipped_training_files()) + list(data_paths))
    data = load_examples(paths, taxonomy)
    params = {**(params or {}), **({"taxonomy": str(Path(taxonomy).resolve())} if taxonomy else {})}
    model = StanceModel(**params)
    cv_metrics = cross_validate(model, data, cv=cv) if cv and cv > 1 else None
    _check_replace(Path(out), cv_metrics, force)
    model.fit(data.texts, data.issues, data.stances, groups=data.groups())
    return model_io.save_model(model, out, data_paths=paths, cv_metrics=cv_metrics, n_rows=len(data))


def _check_replace(out: Path, cv_metrics: dict | None, force: bool) -> None:
    from detente import model_io

    old = model_io.read_manifest(out) if model_io.manifest_path(out).exists() else None
    old_f1 = ((old or {}).get("cv") or {}).get("macro_f1")
    new_f1 = (cv_metrics or {}).get("macro_f1")
    if force or old_f1 is None:
        return
    if new_f1 is None or old_f1 > new_f1:
        raise ModelExistsError(
            f"{out}: the existing model has CV macro-F1 {old_f1:.3f}, higher than the new "
            f"{'(not cross-validated)' if new_f1 is None else f'{new_f1:.3f}'}; use force=True (--force) to replace it"
        )
