"""Labeled-data validation, metrics, and train() on a small fixture."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from detente import model_io
from detente.training import (
    DataError, ModelExistsError, data_sha256, evaluate, expected_calibration_error, load_examples, train,
)

ROOT = Path(__file__).resolve().parents[1]
BAD = Path(__file__).parent / "data" / "training_bad"


def small_csv(path: Path, n: int = 240) -> Path:
    """The first n rows of each shipped training file: small, but every stance and issue."""
    rows = []
    for f in sorted((ROOT / "training_data").glob("*.csv")):
        if f.name == "seeds.csv":
            continue  # one article per group: too few groups for a small fixture
        with open(f, newline="", encoding="utf-8") as fh:
            rows += [r for _, r in zip(range(n // 6), csv.DictReader(fh))]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.mark.parametrize("name, line, words", [
    ("missing_column.csv", 1, "missing required column"),
    ("unknown_stance.csv", 3, "unknown stance 'angry'"),
    ("unknown_issue.csv", 3, "unknown issue 'grain'"),
    ("empty_text.csv", 3, "empty text"),
    ("duplicate.csv", 4, "duplicate row"),
    ("malformed.csv", 3, "malformed row"),
])
def test_bad_file_names_file_and_line(name: str, line: int, words: str) -> None:
    with pytest.raises(DataError) as err:
        load_examples([BAD / name])
    assert any(e.startswith(f"{BAD / name}:{line}:") and words in e for e in err.value.errors), err.value.errors


def test_all_errors_collected_in_one_exception() -> None:
    with pytest.raises(DataError) as err:
        load_examples([BAD])
    assert len(err.value.errors) == 7
    assert "malformed.csv:6:" in str(err.value)  # line of a record after a multi-line quoted field


def test_jsonl(tmp_path: Path) -> None:
    good = {"text": "Talks will resume on Tuesday.", "issue": "talks", "stance": "neutral"}
    f = tmp_path / "x.jsonl"
    f.write_text(json.dumps(good) + "\n\n{not json\n" + json.dumps({**good, "stance": 3}) + "\n[1]\n")
    with pytest.raises(DataError) as err:
        load_examples([f])
    assert [e.split(": ")[0] for e in err.value.errors] == [f"{f}:3", f"{f}:4", f"{f}:5"]
    f.write_text(json.dumps(good) + "\n")
    assert load_examples([f]).stances == ["neutral"]


def test_train_writes_nothing_on_bad_data(tmp_path: Path) -> None:
    with pytest.raises(DataError):
        train([small_csv(tmp_path / "ok.csv"), BAD / "unknown_stance.csv"], tmp_path / "m.skops", cv=2, only=True)
    assert list(tmp_path.iterdir()) == [tmp_path / "ok.csv"]


def test_train_evaluate_and_refuse_worse_replacement(tmp_path: Path) -> None:
    data = small_csv(tmp_path / "small.csv")
    out = tmp_path / "models" / "m.skops"
    manifest = train([data], out, cv=2, only=True)
    assert out.is_file() and model_io.manifest_path(out).is_file()
    assert set(manifest["cv"]) >= {"macro_f1", "accuracy", "ece", "per_class", "confusion", "per_issue", "n"}
    assert manifest["training_data"]["sha256"] == data_sha256([data])
    result = evaluate(model_io.load_model(out), load_examples([data]))
    assert result["n"] == manifest["cv"]["n"] and 0 <= result["macro_f1"] <= 1
    # A better model already there is kept unless forced.
    mp = model_io.manifest_path(out)
    mp.write_text(json.dumps({**json.loads(mp.read_text()), "cv": {"macro_f1": 0.999}}))
    with pytest.raises(ModelExistsError):
        train([data], out, cv=2, only=True)
    assert train([data], out, cv=2, only=True, force=True)["cv"]["macro_f1"] < 0.999


def test_ece() -> None:
    classes = ["a", "b"]
    assert expected_calibration_error(np.array([[1.0, 0.0], [0.0, 1.0]]), ["a", "b"], classes) == 0.0
    assert expected_calibration_error(np.array([[0.9, 0.1], [0.9, 0.1]]), ["b", "b"], classes) == pytest.approx(0.9)


def test_shipped_manifest_matches_training_data() -> None:
    shipped = model_io.shipped_model_path()
    if not shipped.is_file():
        pytest.skip("no shipped model yet")
    manifest = model_io.read_manifest(shipped)
    assert manifest["training_data"]["sha256"] == data_sha256(model_io.shipped_training_files()), (
        "training_data/ changed since the shipped model was trained: run scripts/train_default.py"
    )


def test_shipped_model_matches_taxonomy() -> None:
    shipped = model_io.shipped_model_path()
    if not shipped.is_file():
        pytest.skip("no shipped model yet")
    assert model_io.read_manifest(shipped).get("taxonomy_sha256") == model_io.taxonomy_sha256(), (
        "src/detente/data/issues.csv changed since the shipped model was trained: run scripts/train_default.py"
    )
