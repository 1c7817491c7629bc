"""The stance model: issue-aware features and a calibrated linear classifier.

Input is already-normalized statement text plus an issue id; the model finds
the issue's evidence in the text itself (``detente.issues.evidence_spans``),
so one sentence can get different stances on different issues.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

STANCES = ("conciliatory", "hardline", "neutral")
CLASSIFIERS = ("svm", "logreg", "nb")

_TOKEN = re.compile(r"[\w']+|[!?]")
# Clause boundaries: punctuation, and the contrastive conjunctions that let one
# sentence take opposite stances on two issues ("ready to discuss X, but never Y").
_CLAUSE = re.compile(
    r"[,;:()\[\]\"“”«»„—–]|\s-\s|\b(?:but|while|whereas|although|though|however|yet|and that|adding)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=8)
def _taxonomy(path: str | None):
    # Cached load of an immutable table, keyed by the model's own parameter.
    from detente.issues import Taxonomy

    return Taxonomy.load(path)


def _spans(text: str, issue: str, taxonomy: str | None) -> list[tuple[int, int]]:
    from detente.issues import evidence_spans

    return evidence_spans(text, issue, _taxonomy(taxonomy) if taxonomy else None)


def _with_bigrams(tokens: list[str], prefix: str, bigrams: bool) -> list[str]:
    out = [prefix + t for t in tokens]
    if bigrams:
        out += [f"{prefix}{a}_{b}" for a, b in zip(tokens, tokens[1:])]
    return out


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): from the last boundary before to the first after."""
    lo, hi = 0, len(text)
    for m in _CLAUSE.finditer(text):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    return lo, hi


def issue_views(text: str, issue: str, window: int, taxonomy: str | None = None) -> dict[str, list[str]]:
    """Token views of one (statement, issue): clause, near window, issue-crossed."""
    lower = text.lower()
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(lower)]
    spans = _spans(text, issue, taxonomy)
    if not spans:
        # No evidence found: the whole statement stands in for the clause.
        words = [t for _, _, t in toks]
        return {"clause": words + ["<nospan>"], "near": ["<nospan>"], "cross": [issue, f"{issue}|<nospan>"]}
    clause: set[int] = set()
    near: list[str] = []
    for s, e in spans:
        lo, hi = _clause_bounds(lower, s, e)
        idx = [i for i, (a, b, _) in enumerate(toks) if a >= lo and b <= hi]
        clause.update(idx)
        inside = [i for i, (a, b, _) in enumerate(toks) if b > s and a < e]
        if inside:
            first, last = inside[0], inside[-1]
            near += ["L" + t for _, _, t in toks[max(0, first - window):first]]
            near += ["R" + t for _, _, t in toks[last + 1:last + 1 + window]]
    words = [toks[i][2] for i in sorted(clause)]
    cross = [issue] + [f"{issue}|{w}" for w in words]
    return {"clause": words, "near": near, "cross": cross}


class StanceFeatures(TransformerMixin, BaseEstimator):
    """Sparse features of (text, issue) pairs.

    Groups, each TF-IDF weighted and L2-normalized on its own so no group
    drowns the others: whole-statement word and character n-grams, and the
    issue-specific views (clause around the evidence, a word window beside it,
    and clause words crossed with the issue id).
    """

    def __init__(
        self,
        word_ngrams: int = 2,
        char_ngrams: tuple[int, int] = (2, 5),
        window: int = 4,
        min_df: int = 2,
        issue_views: bool = True,
        view_weight: float = 1.0,
        taxonomy: str | None = None,
    ):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.window = window
        self.min_df = min_df
        self.issue_views = issue_views
        self.view_weight = view_weight
        self.taxonomy = taxonomy

    def _docs(self, X: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
        docs: dict[str, list[str]] = {"word": [], "char": []}
        if self.issue_views:
            docs.update(clause=[], near=[], cross=[])
        bigrams = self.word_ngrams >= 2
        for text, issue in X:
            lower = text.lower()
            docs["word"].append(" ".join(_with_bigrams(_TOKEN.findall(lower), "", bigrams)))
            docs["char"].append(lower)
            if self.issue_views:
                v = issue_views(text, issue, self.window, self.taxonomy)
                docs["clause"].append(" ".join(_with_bigrams(v["clause"], "", bigrams)))
                docs["near"].append(" ".join(v["near"]))
                docs["cross"].append(" ".join(v["cross"]))
        return docs

    def _vectorizer(self, group: str) -> TfidfVectorizer:
        if group == "char":
            return TfidfVectorizer(
                analyzer="char_wb", ngram_range=tuple(self.char_ngrams), min_df=self.min_df,
                sublinear_tf=True, lowercase=False, dtype=np.float32,
            )
        # Tokens are built above; the vectorizer only splits on whitespace.
        return TfidfVectorizer(
            token_pattern=r"\S+", lowercase=False, min_df=self.min_df, sublinear_tf=True, dtype=np.float32,
        )

    def fit(self, X: Sequence[tuple[str, str]], y=None) -> "StanceFeatures":
        docs = self._docs(X)
        self.vectorizers_ = {g: self._vectorizer(g).fit(d) for g, d in docs.items()}
        return self

    def transform(self, X: Sequence[tuple[str, str]]) -> sp.csr_matrix:
        docs = self._docs(X)
        # view_weight trades the issue-specific views against the whole statement.
        w = {"word": 1.0, "char": 1.0}
        return sp.hstack(
            [self.vectorizers_[g].transform(d) * w.get(g, self.view_weight) for g, d in docs.items()], format="csr"
        )


class StanceModel(ClassifierMixin, BaseEstimator):
    """Stance of a statement on an issue: ``fit(texts, issues, y)``, ``predict(texts, issues)``.

    A linear classifier over :class:`StanceFeatures`; its scores are mapped to
    probabilities by a multinomial logistic calibrator fitted on out-of-fold
    scores (grouped folds, so near-duplicates never calibrate themselves).
    """

    def __init__(
        self,
        classifier: str = "svm",
        C: float = 0.5,
        calibrate: bool = True,
        cv: int = 5,
        word_ngrams: int = 2,
        char_ngrams: tuple[int, int] = (2, 5),
        window: int = 4,
        min_df: int = 2,
        issue_views: bool = True,
        view_weight: float = 1.0,
        taxonomy: str | None = None,
        random_state: int = 0,
    ):
        self.classifier = classifier
        self.C = C
        self.calibrate = calibrate
        self.cv = cv
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.window = window
        self.min_df = min_df
        self.issue_views = issue_views
        self.view_weight = view_weight
        self.taxonomy = taxonomy
        self.random_state = random_state

    def _base(self):
        if self.classifier == "svm":
            return LinearSVC(C=self.C, random_state=self.random_state)
        if self.classifier == "logreg":
            return LogisticRegression(C=self.C * 20, max_iter=2000, random_state=self.random_state)
        if self.classifier == "nb":
            return ComplementNB(alpha=self.C)
        raise ValueError(f"unknown classifier {self.classifier!r}; choose from {', '.join(CLASSIFIERS)}")

    @staticmethod
    def _scores(est, X) -> np.ndarray:
        if hasattr(est, "decision_function"):
            return est.decision_function(X)
        return est.predict_log_proba(X)

    def _features(self) -> StanceFeatures:
        return StanceFeatures(
            word_ngrams=self.word_ngrams, char_ngrams=self.char_ngrams, window=self.window,
            min_df=self.min_df, issue_views=self.issue_views, view_weight=self.view_weight, taxonomy=self.taxonomy,
        )

    def fit(self, texts: Sequence[str], issues: Sequence[str], y: Sequence[str], groups: Sequence | None = None) -> "StanceModel":
        texts, issues, y = list(texts), list(issues), np.asarray(y)
        if not (len(texts) == len(issues) == len(y)):
            raise ValueError("texts, issues and y must have the same length")
        pairs = list(zip(texts, issues))
        self.features_ = self._features().fit(pairs)
        X = self.features_.transform(pairs)
        self.estimator_ = self._base().fit(X, y)
        self.classes_ = self.estimator_.classes_
        self.issues_ = np.array(sorted(set(issues)))
        self.calibrator_ = self._fit_calibrator(X, y, texts if groups is None else groups) if self.calibrate else None
        return self

    def _fit_calibrator(self, X, y, groups) -> LogisticRegression:
        # Same-text rows (one statement, several issues) share a group by default.
        folds = StratifiedGroupKFold(n_splits=self.cv, shuffle=True, random_state=self.random_state)
        method = "decision_function" if hasattr(self.estimator_, "decision_function") else "predict_log_proba"
        oof = cross_val_predict(self._base(), X, y, groups=groups, cv=folds, method=method)
        return LogisticRegression(C=1.0, max_iter=1000).fit(oof, y)

    def _check(self, texts: Sequence[str], issues: Sequence[str]) -> list[tuple[str, str]]:
        texts, issues = list(texts), list(issues)
        if len(texts) != len(issues):
            raise ValueError("texts and issues must have the same length")
        return list(zip(texts, issues))

    def predict_proba(self, texts: Sequence[str], issues: Sequence[str]) -> np.ndarray:
        """Probabilities, columns in the order of ``classes_``."""
        X = self.features_.transform(self._check(texts, issues))
        if self.calibrator_ is None and hasattr(self.estimator_, "predict_proba"):
            return self.estimator_.predict_proba(X)
        scores = self._scores(self.estimator_, X)
        if self.calibrator_ is not None:
            return self.calibrator_.predict_proba(scores)
        e = np.exp(scores - scores.max(axis=1, keepdims=True))  # softmax of raw scores
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str], issues: Sequence[str]) -> np.ndarray:
        """Labels: the most probable class, so labels and probabilities agree."""
        return self.classes_[np.argmax(self.predict_proba(texts, issues), axis=1)]

    def score(self, texts: Sequence[str], issues: Sequence[str], y: Sequence[str]) -> float:
        return accuracy_score(y, self.predict(texts, issues))


def issues_of(model: StanceModel) -> list[str]:
    """Issue ids the model saw in training."""
    return [str(i) for i in getattr(model, "issues_", [])]


def iter_batches(items: Iterable, size: int = 4096):
    """Chunks for predicting on long streams without building one huge matrix."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
