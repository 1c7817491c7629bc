"""Saving and loading: manifest checks, trusted types, versions, the shipped default."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import sklearn

from detente import model_io
from detente.model_io import ModelError, load_model, manifest_path, save_model
from detente.stance import StanceModel

TEXTS = ["Kyiv is ready to discuss a ceasefire.", "Moscow will never accept sanctions.",
         "Talks resume on Tuesday.", "We welcome progress on the talks.",
         "They reject any ceasefire.", "The sanctions list was published."] * 4
ISSUES = ["ceasefire", "sanctions", "talks", "talks", "ceasefire", "sanctions"] * 4
LABELS = ["conciliatory", "hardline", "neutral", "conciliatory", "hardline", "neutral"] * 4


class Evil:
    """Stands for any class a model file should not be allowed to bring in."""


@pytest.fixture(scope="module")
def fitted() -> StanceModel:
    groups = [f"g{i}" for i in range(len(TEXTS))]
    return StanceModel(cv=2, min_df=1).fit(TEXTS, ISSUES, LABELS, groups=groups)


@pytest.fixture
def saved(tmp_path: Path, fitted: StanceModel) -> Path:
    path = tmp_path / "m.skops"
    save_model(fitted, path, data_paths=[], cv_metrics={"macro_f1": 0.5})
    return path


def test_round_trip(saved: Path, fitted: StanceModel) -> None:
    manifest = json.loads(manifest_path(saved).read_text())
    assert manifest["labels"] == ["conciliatory", "hardline", "neutral"]
    assert manifest["issues"] == ["ceasefire", "sanctions", "talks"]
    assert {"model_sha256", "scikit_learn", "skops", "detente", "training_data", "cv", "created"} <= set(manifest)
    loaded = load_model(saved)
    assert np.array_equal(loaded.predict_proba(TEXTS, ISSUES), fitted.predict_proba(TEXTS, ISSUES))


def test_tampered_model_refused(saved: Path) -> None:
    saved.write_bytes(saved.read_bytes() + b"\0")
    with pytest.raises(ModelError, match="SHA-256"):
        load_model(saved)


def test_missing_manifest_refused(saved: Path) -> None:
    manifest_path(saved).unlink()
    with pytest.raises(ModelError, match="manifest"):
        load_model(saved)


def test_untrusted_types_refused(tmp_path: Path, fitted: StanceModel) -> None:
    fitted.evil_ = Evil()
    try:
        save_model(fitted, tmp_path / "evil.skops")
    finally:
        del fitted.evil_
    with pytest.raises(ModelError, match="untrusted types.*Evil"):
        load_model(tmp_path / "evil.skops")


def test_other_sklearn_version_needs_force(saved: Path) -> None:
    mp = manifest_path(saved)
    mp.write_text(json.dumps({**json.loads(mp.read_text()), "scikit_learn": "0.1.0"}))
    with pytest.raises(ModelError, match="detente train"):
        load_model(saved)
    assert load_model(saved, force=True).classes_.tolist() == ["conciliatory", "hardline", "neutral"]


def test_joblib_needs_trust_flag(tmp_path: Path, fitted: StanceModel) -> None:
    path = tmp_path / "m.joblib"
    save_model(fitted, path)
    with pytest.raises(ModelError, match="trust_joblib"):
        load_model(path)
    assert isinstance(load_model(path, trust_joblib=True), StanceModel)


def test_shipped_default_rebuilt_for_other_sklearn(tmp_path: Path, saved: Path, monkeypatch, capsys) -> None:
    # A shipped model "from another scikit-learn", and shipped data that is tiny.
    mp = manifest_path(saved)
    mp.write_text(json.dumps({**json.loads(mp.read_text()), "scikit_learn": "0.1.0"}))
    data = tmp_path / "data.csv"
    data.write_text("text,issue,stance,source\n" + "".join(
        f'"{t} ({i})",{s},{y},s{i}\n' for i, (t, s, y) in enumerate(zip(TEXTS, ISSUES, LABELS))))
    monkeypatch.setattr(model_io, "shipped_model_path", lambda: saved)
    monkeypatch.setattr(model_io, "shipped_training_files", lambda: [data])
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = load_model()
    assert "rebuilding" in capsys.readouterr().err
    second = load_model()
    assert capsys.readouterr().err == ""  # said once; the cached rebuild is reused
    assert np.array_equal(first.predict_proba(TEXTS, ISSUES), second.predict_proba(TEXTS, ISSUES))
    assert list((tmp_path / "cache" / "detente").glob(f"stance-sklearn{sklearn.__version__}-*.skops"))


def test_shipped_default_loads() -> None:
    if not model_io.shipped_model_path().is_file():
        pytest.skip("no shipped model yet")
    model = load_model()
    text = "Ukraine is ready to discuss neutrality, but we will never give up Crimea."
    assert model.predict([text], ["territory"])[0] == "hardline"
