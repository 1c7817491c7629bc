"""Saving and loading stance models: skops files, manifests, the shipped default.

A model file ``NAME.skops`` has a manifest ``NAME.manifest.json`` beside it
(hashes, versions, labels, issues, CV metrics). Loading checks the hash, the
types inside the file and the scikit-learn version before anything is built.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import sklearn

from detente.stance import StanceModel

# Types a model file may hold beyond what skops already trusts (sklearn, numpy,
# scipy, builtins): detente's own classes, and nothing else.
TRUSTED_TYPES = (
    "detente.stance.CompactTfidf",
    "detente.stance.StanceFeatures",
    "detente.stance.StanceModel",
)
DEFAULT_NAME = "stance.skops"


class ModelError(RuntimeError):
    """A model file cannot be used; the message says why and what to do."""


# -- locations ----------------------------------------------------------------


def _shipped_root(kind: str) -> Path:
    """``detente._shipped/<kind>`` in an installed wheel, else ``<repo>/<kind>``."""
    try:
        from importlib.resources import files

        root = Path(str(files("detente._shipped") / kind))
        if root.is_dir():
            return root
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / kind


def shipped_model_path() -> Path:
    return _shipped_root("models") / DEFAULT_NAME


def shipped_training_files() -> list[Path]:
    from detente.training import data_files

    root = _shipped_root("training_data")
    return data_files([root]) if root.is_dir() else []


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "detente"


def manifest_path(model_path: str | Path) -> Path:
    p = Path(model_path)
    return p.with_name(p.name.split(".")[0] + ".manifest.json")


# -- saving -------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def taxonomy_sha256(path: str | None = None) -> str:
    """Hash of the issue taxonomy the features depend on (None: the shipped table)."""
    if path:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    from importlib.resources import files

    return hashlib.sha256(files("detente").joinpath("data/issues.csv").read_bytes()).hexdigest()


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _versions() -> dict:
    import skops

    from detente import __version__

    return {"scikit_learn": sklearn.__version__, "skops": skops.__version__,
            "detente": __version__, "python": platform.python_version()}


def _atomic_write(path: Path, write) -> None:
    """Write via a temp file in the same folder, then rename: never a half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; shipped files must be readable
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _dump(model: StanceModel, path: Path, fmt: str) -> None:
    if fmt == ".joblib":
        import joblib

        joblib.dump(model, path)
    else:
        import skops.io as sio

        sio.dump(model, path, compression=zipfile.ZIP_DEFLATED)


def save_model(
    model: StanceModel,
    path: str | Path,
    data_paths: list[Path] | None = None,
    cv_metrics: dict | None = None,
    n_rows: int | None = None,
    extra: dict | None = None,
) -> dict:
    """Save ``model`` (skops, or joblib for a ``.joblib`` name) and its manifest; returns the manifest."""
    from detente.training import data_sha256

    path = Path(path)
    _atomic_write(path, lambda tmp: _dump(model, tmp, path.suffix))
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in model.get_params().items()}
    manifest = {
        "format": 1,
        "model_file": path.name,
        "model_sha256": _sha256(path),
        **_versions(),
        "labels": [str(c) for c in model.classes_],
        "issues": [str(i) for i in model.issues_],
        "params": params,
        # Evidence spans come from the taxonomy: a changed table means stale features.
        "taxonomy_sha256": taxonomy_sha256(params.get("taxonomy")),
        "training_data": {
            "sha256": data_sha256(data_paths or []),
            "files": [p.name for p in data_paths or []],
            "rows": n_rows,
        },
        "cv": cv_metrics,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **(extra or {}),
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    _atomic_write(manifest_path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return manifest


# -- loading ------------------------------------------------------------------


def read_manifest(model_path: str | Path) -> dict:
    mp = manifest_path(model_path)
    try:
        return json.loads(mp.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{model_path}: no manifest {mp.name} beside it; cannot verify the model") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"{mp}: unreadable manifest: {exc}") from None


def _retrain_hint(path: Path) -> str:
    return f"retrain it with `detente train --data YOUR_DATA --out {path}` (or load with force=True)"


def _check(path: Path, manifest: dict, force: bool) -> None:
    if _sha256(path) != manifest.get("model_sha256"):
        raise ModelError(f"{path}: SHA-256 does not match its manifest; the file was changed or corrupted")
    saved = str(manifest.get("scikit_learn", "?"))
    if _minor(saved) != _minor(sklearn.__version__) and not force:
        raise ModelError(
            f"{path}: saved with scikit-learn {saved}, but {sklearn.__version__} is installed; {_retrain_hint(path)}"
        )


def _load_file(path: Path, trust_joblib: bool) -> StanceModel:
    if path.suffix == ".joblib":
        if not trust_joblib:
            raise ModelError(f"{path}: .joblib files can run code when loaded; pass trust_joblib=True "
                             "only for a file you made yourself")
        import joblib

        return joblib.load(path)
    import skops.io as sio

    found = sio.get_untrusted_types(file=path)
    bad = sorted(set(found) - set(TRUSTED_TYPES))
    if bad:
        raise ModelError(f"{path}: holds untrusted types: {', '.join(bad)}")
    return sio.load(path, trusted=found)


def load_path(path: str | Path, force: bool = False, trust_joblib: bool = False) -> StanceModel:
    """The model at ``path`` after checking its manifest hash, types and scikit-learn version."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: no such model file")
    _check(path, read_manifest(path), force)
    model = _load_file(path, trust_joblib)
    if not isinstance(model, StanceModel):
        raise ModelError(f"{path}: not a detente StanceModel ({type(model).__name__})")
    return model


def load_model(path: str | Path | None = None, force: bool = False, trust_joblib: bool = False) -> StanceModel:
    """The shipped default model (``path=None``) or the one at ``path``.

    If the shipped default was saved under another scikit-learn version, it is
    rebuilt once from the shipped training data into the user cache.
    """
    if path is not None:
        return load_path(path, force, trust_joblib)
    shipped = shipped_model_path()
    manifest = read_manifest(shipped)
    if _minor(str(manifest.get("scikit_learn"))) == _minor(sklearn.__version__):
        return load_path(shipped)
    return _cached_rebuild(manifest)


def _cached_rebuild(manifest: dict) -> StanceModel:
    cached = cache_dir() / f"stance-sklearn{sklearn.__version__}-{manifest['model_sha256'][:12]}.skops"
    if cached.is_file():
        try:
            return load_path(cached)
        except ModelError:
            pass  # a stale or damaged cache entry is simply rebuilt
    print(
        f"detente: the shipped stance model was saved with scikit-learn {manifest.get('scikit_learn')}; "
        f"rebuilding it for {sklearn.__version__} into {cached} (once)",
        file=sys.stderr,
    )
    return rebuild(manifest, cached)


def rebuild(manifest: dict, out: Path) -> StanceModel:
    """Fit the shipped model's parameters on the shipped training data and save to ``out``."""
    from detente.training import load_examples

    files = shipped_training_files()
    if not files:
        raise ModelError("the shipped model does not fit this scikit-learn and no shipped training data was "
                         "found to rebuild it; reinstall detente or train one with `detente train --data ...`")
    data = load_examples(files)
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in (manifest.get("params") or {}).items()}
    model = StanceModel(**params).fit(data.texts, data.issues, data.stances, groups=data.groups())
    save_model(model, out, data_paths=files, cv_metrics=manifest.get("cv"), n_rows=len(data),
               extra={"rebuilt_from": manifest.get("model_sha256")})
    return model
