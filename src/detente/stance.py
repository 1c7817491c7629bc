"""The stance model: issue-aware features and a calibrated linear classifier.

Input is already-normalized statement text plus an issue id; the model finds
the issue's evidence in the text itself (``detente.issues.evidence_spans``),
so one sentence can get different stances on different issues.
"""

from __future__ import annotations

import gc
import re
import threading
from contextlib import contextmanager
from itertools import chain
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l1, inplace_csr_row_normalize_l2

from detente.issues import evidence_spans

STANCES = ("conciliatory", "hardline", "neutral")
CLASSIFIERS = ("svm", "logreg", "nb")

_TOKEN = re.compile(r"[\w']+|[!?]")
# Clause boundaries: punctuation, and the contrastive conjunctions that let one
# sentence take opposite stances on two issues ("ready to discuss X, but never Y").
_CLAUSE = re.compile(
    r"[,;:()\[\]\"“”«»„—–]|\s-\s|\b(?:but|while|whereas|although|though|however|yet|and that|adding)\b",
    re.IGNORECASE,
)
# The same boundaries in lower-cased text, found by faster scans: re skips ahead to the
# punctuation (a pattern that starts with a character class), and the dash and the words
# are only looked for in a text that holds "-" (one in seven) or one of the words (one in
# three). Case-sensitive: in lower-cased text, the only other letters the words match
# ignoring case are "ı" and "ſ".
_CLAUSE_PUNCT = re.compile(r"[,;:()\[\]\"“”«»„—–]")
_CLAUSE_DASH = re.compile(r"\s-\s")
_CLAUSE_WORDS = re.compile(r"\b(?:but|while|whereas|although|though|however|yet|and that|adding)\b")
_CLAUSE_WORD_HINTS = ("but", "while", "whereas", "though", "however", "yet", "and that", "adding")
_CASE_FOLDS_TO_ASCII = ("ı", "ſ")


@contextmanager
def _gc_paused():
    """The cyclic garbage collector off for a while: building features allocates many
    small lists that all live until the matrix is built, and the collector would walk
    them again and again. Nothing here makes cycles; it is switched back on after."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _load_taxonomy(path: str | None):
    """The taxonomy a model was trained with: None means the shipped one."""
    from detente.issues import Taxonomy

    return Taxonomy.load(path) if path else None


def _with_bigrams(tokens: list[str], bigrams: bool) -> list[str]:
    return tokens + [a + "_" + b for a, b in zip(tokens, tokens[1:])] if bigrams else list(tokens)


_M_GROUP, _M_START, _M_END = re.Match.group, re.Match.start, re.Match.end

# Negation scope (as in sentiment analysis): words after a negator, up to the next
# punctuation, get a "not_" prefix, so "no progress" and "progress" are different
# features and "did not reject" is not read as a rejection.
NEGATORS = frozenset("not no never cannot without nor neither none nothing nobody hardly".split())
_SCOPE_END = re.compile(r"[.,;:!?\"“”«»()\[\]—–]|\s-\s")


def _negated(lower: str, words: list[str], starts: list[int], ends: list[int]) -> list[str]:
    if NEGATORS.isdisjoint(words) and "n't" not in lower:
        return words  # no negator: most statements, and the loop below is per token
    out = []
    scope = False
    prev_end = 0
    for w, s, e in zip(words, starts, ends):
        if scope and _SCOPE_END.search(lower, prev_end, s):
            scope = False
        out.append("not_" + w if scope else w)
        if w in NEGATORS or w.endswith("n't"):
            scope = True
        prev_end = e
    return out


def _tokens(lower: str) -> tuple[list[str], list[int], list[int]]:
    ms = list(_TOKEN.finditer(lower))
    return list(map(_M_GROUP, ms)), list(map(_M_START, ms)), list(map(_M_END, ms))


def _clause_matches(text: str, lowered: bool) -> list[re.Match]:
    """The matches of :data:`_CLAUSE` in ``text``, in order; ``lowered``: ``text`` is lower-cased."""
    if not lowered or any(c in text for c in _CASE_FOLDS_TO_ASCII):
        return list(_CLAUSE.finditer(text))
    ms = list(_CLAUSE_PUNCT.finditer(text))
    rest: list[re.Match] = []
    if "-" in text:
        rest += _CLAUSE_DASH.finditer(text)
    if any(w in text for w in _CLAUSE_WORD_HINTS):
        rest += _CLAUSE_WORDS.finditer(text)
    # The three patterns' matches never overlap (no character fits two), so merged in
    # order they are _CLAUSE's.
    return sorted(ms + rest, key=_M_START) if rest else ms


def _clause_bounds(bounds: list[tuple[int, int]], start: int, end: int, n: int) -> tuple[int, int]:
    """The clause around [start, end): from the last boundary before to the first after."""
    lo = max((b for a, b in bounds if b <= start), default=0)
    hi = min((a for a, b in bounds if a >= end), default=n)
    return lo, hi


class _Text:
    """What the issue views of one statement text share across its issues."""

    __slots__ = ("lower", "lowered", "words", "starts", "ends", "_bstarts", "_bends")

    def __init__(self, text: str, negation: bool = False) -> None:
        lower = text.lower()
        self.lowered = len(lower) == len(text)
        if not self.lowered:  # rare letters (Turkish dotted I) change length: keep offsets exact
            lower = text
        self.lower = lower
        self.words, self.starts, self.ends = _tokens(lower)
        if negation:
            self.words = _negated(lower, self.words, self.starts, self.ends)
        self._bstarts = None

    def clause_bounds(self, start: int, end: int) -> tuple[int, int]:
        """:func:`_clause_bounds` by bisection: clause matches do not overlap and are never
        empty, so their starts and their ends both ascend."""
        if self._bstarts is None:
            ms = _clause_matches(self.lower, self.lowered)
            self._bstarts, self._bends = list(map(_M_START, ms)), list(map(_M_END, ms))
        bends, bstarts = self._bends, self._bstarts
        k = bisect_right(bends, start)
        lo = bends[k - 1] if k else 0
        k = bisect_left(bstarts, end)
        hi = bstarts[k] if k < len(bstarts) else len(self.lower)
        return lo, hi


def issue_views(text: str, issue: str, window: int, taxonomy=None, negation: bool = False) -> dict[str, list[str]]:
    """Token views of one (statement, issue): clause, near window, issue-crossed."""
    return _issue_views(_Text(text, negation), text, issue, window, taxonomy)


def _issue_views(t: _Text, text: str, issue: str, window: int, taxonomy, spans=None) -> dict[str, list[str]]:
    """:func:`issue_views`; ``spans``: the issue's evidence spans if already known (exactly
    what ``evidence_spans(text, issue, taxonomy)`` returns)."""
    words = t.words
    where = _view_positions(t, text, issue, window, taxonomy, spans)
    issue = _issue_token(issue)
    if where is None:
        # No evidence found: the whole statement stands in for the clause.
        return {"words": words, "clause": words + [NOSPAN], "near": [NOSPAN], "cross": [issue, f"{issue}|{NOSPAN}"]}
    ranges, near_ranges = where
    near: list[str] = []
    for side, a, b in near_ranges:
        near += [side + w for w in words[a:b]]
    in_clause = words[ranges[0][0]:ranges[0][1]] if len(ranges) == 1 else [w for a, b in ranges for w in words[a:b]]
    prefix = issue + "|"
    return {"words": words, "clause": in_clause, "near": near,
            "cross": [issue] + [prefix + w for w in in_clause]}


NOSPAN = "<nospan>"  # the views of a statement where the issue's evidence was not found


def _issue_token(issue: str) -> str:
    return "_".join(issue.split())  # a feature token must hold no whitespace


def _view_positions(t: _Text, text: str, issue: str, window: int, taxonomy, spans=None):
    """Where the issue views of one (statement, issue) lie among the statement's tokens, or
    None if the issue's evidence is not in it: the clause as sorted disjoint token ranges
    ``(a, b)`` (none empty, none touching the next), and the near window as
    ``(side, a, b)``, side "L" or "R" of each evidence span."""
    starts, ends = t.starts, t.ends
    if spans is None:
        try:
            spans = evidence_spans(text, issue, taxonomy)
        except KeyError:
            raise ValueError(f"unknown issue {issue!r}: not in the model's issue taxonomy") from None
    if not spans:
        return None
    near = []
    ranges = []
    for s, e in spans:
        lo, hi = t.clause_bounds(s, e)
        ranges.append((bisect_left(starts, lo), bisect_right(ends, hi)))
        first, last = bisect_right(ends, s), bisect_left(starts, e) - 1
        if first <= last:
            near.append(("L", max(0, first - window), first))
            near.append(("R", last + 1, min(len(starts), last + 1 + window)))
    if len(ranges) == 1:
        a, b = ranges[0]
        return ([(a, b)] if a < b else []), near
    return _merged(ranges), near


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of ranges as sorted, disjoint, non-touching ranges."""
    out: list[list[int]] = []
    for a, b in sorted(r for r in ranges if r[0] < r[1]):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _unique_rows(pairs: Sequence[tuple[str, str]], spans: Sequence | None) -> tuple[list[int], np.ndarray]:
    """Where each distinct (text, issue[, spans]) first occurs, and per pair the number of
    its distinct one: a statement repeated in a batch (a sentence carried by several
    articles) needs its features built once."""
    keys = pairs if spans is None else zip(pairs, map(tuple, spans))
    index: dict = {}
    first: list[int] = []
    rows = []
    for k, key in enumerate(keys):
        row = index.setdefault(key, len(first))
        if row == len(first):
            first.append(k)
        rows.append(row)
    return first, np.asarray(rows, dtype=np.intp)


def _tfidf(vec: TfidfVectorizer, indices: np.ndarray, indptr: list[int]) -> sp.csr_matrix:
    """Counts from vocabulary indices, weighted as ``vec.transform`` would."""
    counts = sp.csr_matrix((np.ones(len(indices), dtype=vec.dtype), indices, np.asarray(indptr)),
                           shape=(len(indptr) - 1, len(vec.vocabulary_)))
    counts.sum_duplicates()
    return _weighted(vec._tfidf, counts)


def _weighted(tf: TfidfTransformer, counts: sp.csr_matrix) -> sp.csr_matrix:
    """``tf.transform(counts, copy=False)`` without its input checks (a few times a batch, they
    cost more than the weighting): the same operations on the data, in the same order.
    ``counts``: a canonical CSR matrix of the fitted dtype; norm is "l1", "l2" or None."""
    data = counts.data
    if tf.sublinear_tf:
        np.log(data, data)
        data += 1.0
    if hasattr(tf, "idf_"):
        data *= tf.idf_[counts.indices]
    if tf.norm == "l2":
        inplace_csr_row_normalize_l2(counts)
    elif tf.norm == "l1":
        inplace_csr_row_normalize_l1(counts)
    return counts


class _TokenIds:
    """Token ids of a fitted :class:`StanceFeatures` and each id's column in every group
    (a per-process speed cache, rebuilt on demand).

    Every feature of the word-level groups is a statement token ("w"), a bigram of two
    ("a_b"), or a token with a prefix ("L" + w, issue + "|" + w). Building those strings
    and hashing them for each statement cost more than the rest of the transform; here a
    statement's tokens and bigrams are looked up once, as ids, and their columns in each
    group are read from arrays indexed by id, filled once per new id.
    """

    LIMIT = 1_000_000  # ids kept before starting over, so memory stays bounded

    def __init__(self, vectorizers: dict) -> None:
        self.vocab = {g: v.vocabulary_ for g, v in vectorizers.items()}
        self.lock = threading.Lock()  # ids are assigned and tables grown under it
        self.clear()

    def clear(self) -> None:
        self.ids: dict[str, int] = {}
        self.tokens: list[str] = []
        self.pair_ids: dict[int, int] = {}   # (a << 32 | b) -> bigram id
        self.pairs: list[str] = []           # bigram id -> "a_b"
        self.tables: dict[tuple, tuple[np.ndarray, int]] = {}

    def token_ids(self, words: list[str]) -> list[int]:
        got = list(map(self.ids.get, words))
        if None in got:
            for k, w in enumerate(words):
                if got[k] is None:
                    got[k] = self.ids.setdefault(w, len(self.tokens))
                    if got[k] == len(self.tokens):
                        self.tokens.append(w)
        return got

    def pair_ids_of(self, a: list[int], b: list[int]) -> list[int]:
        """The bigram ids of tokens ``a[k]`` followed by ``b[k]``."""
        keys = [x << 32 | y for x, y in zip(a, b)]
        got = list(map(self.pair_ids.get, keys))
        if None in got:
            tokens = self.tokens
            for k, key in enumerate(keys):
                if got[k] is None:
                    got[k] = self.pair_ids.setdefault(key, len(self.pairs))
                    if got[k] == len(self.pairs):
                        self.pairs.append(tokens[key >> 32] + "_" + tokens[key & 0xFFFFFFFF])
        return got

    def columns(self, group: str, prefix: str = "", pairs: bool = False) -> np.ndarray:
        """Per token id (or bigram id), the column of ``prefix + token`` in ``group`` (-1: none)."""
        key = (group, prefix, pairs)
        table, filled = self.tables.get(key, (np.zeros(0, dtype=np.int64), 0))
        names = self.pairs if pairs else self.tokens
        if filled < len(names):
            if len(table) < len(names):
                table = np.resize(table, max(len(names), 2 * len(table), 1024))
            get = self.vocab[group].get
            table[filled:len(names)] = [get(prefix + t, -1) for t in names[filled:]]
            self.tables[key] = (table, len(names))
        return table

    def size(self) -> int:
        return len(self.tokens) + len(self.pairs)


def _rows_tfidf(vec: TfidfVectorizer, n_rows: int, parts: list[tuple[np.ndarray, np.ndarray]]) -> sp.csr_matrix:
    """:func:`_tfidf` of features given as (rows, columns) parts, each sorted by row;
    column -1 is a feature outside the vocabulary."""
    rows = np.concatenate([r for r, _ in parts])
    cols = np.concatenate([c for _, c in parts])
    keep = cols >= 0
    rows, cols = rows[keep], cols[keep]
    # few sorted runs: a stable sort merges them in linear time
    cols = cols[np.argsort(rows, kind="stable")]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return _tfidf(vec, cols.astype(np.int32), indptr)


def _repeat_rows(lengths: list[int]) -> np.ndarray:
    """Row numbers for features listed row after row, ``lengths[k]`` of them in row k."""
    return np.repeat(np.arange(len(lengths)), lengths)


class CompactTfidf(TfidfVectorizer):
    """A TfidfVectorizer whose saved state holds the vocabulary as one string.

    skops writes a dict as one JSON node per entry (tens of MB, seconds to
    load); one newline-joined string of terms in column order is compact.
    Terms never contain a newline: tokens split on whitespace.
    """

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # may be self.__dict__ itself: never mutate it
        vocab = state.pop("vocabulary_", None)
        if vocab is not None:
            state["terms_"] = "\n".join(sorted(vocab, key=vocab.__getitem__))
        return state

    def __setstate__(self, state: dict) -> None:
        state = dict(state)
        terms = state.pop("terms_", None)
        if terms is not None:
            state["vocabulary_"] = {t: i for i, t in enumerate(terms.split("\n"))} if terms else {}
        super().__setstate__(state)


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
        char_ngrams: tuple[int, int] | None = (3, 4),
        window: int = 6,
        min_df: int = 2,
        issue_views: bool = True,
        view_weight: float = 0.8,
        negation: bool = True,
        taxonomy: str | None = None,
    ):
        self.negation = negation
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.window = window
        self.min_df = min_df
        self.issue_views = issue_views
        self.view_weight = view_weight
        self.taxonomy = taxonomy

    def _docs(self, X: Sequence[tuple[str, str]], spans: Sequence | None = None) -> dict[str, list]:
        """Per group: lower-cased texts ("char") or lists of feature tokens. ``spans``: per
        pair, its evidence spans when the caller already has them (see :meth:`_transform`)."""
        docs: dict[str, list] = {"word": [], "char": []} if self.char_ngrams else {"word": []}
        if self.issue_views:
            docs.update(clause=[], near=[], cross=[])
        bigrams = self.word_ngrams >= 2
        taxonomy = _load_taxonomy(self.taxonomy) if self.issue_views else None
        # A statement with several issues comes once per issue: its text-level work
        # (lower-casing, tokens, clause bounds, word features) is done once per call.
        seen: dict[str, tuple] = {}
        negation = getattr(self, "negation", False)  # models saved before the option existed
        char = docs.get("char")
        word = docs["word"]
        for k, (text, issue) in enumerate(X):
            known = seen.get(text)
            if not self.issue_views:
                if known is None:
                    t = _Text(text, negation)
                    known = seen[text] = (t.lower, _with_bigrams(t.words, bigrams))
                if char is not None:
                    char.append(known[0])
                word.append(known[1])
                continue
            if known is None:
                t = _Text(text, negation)
                known = seen[text] = (t.lower, t, _with_bigrams(t.words, bigrams))
            if char is not None:
                char.append(known[0])
            v = _issue_views(known[1], text, issue, self.window, taxonomy, None if spans is None else spans[k])
            word.append(known[2])
            docs["clause"].append(_with_bigrams(v["clause"], bigrams))
            docs["near"].append(v["near"])
            docs["cross"].append(v["cross"])
        return docs

    def _vectorizer(self, group: str) -> TfidfVectorizer:
        if group == "char":
            return CompactTfidf(
                analyzer="char_wb", ngram_range=tuple(self.char_ngrams), min_df=self.min_df,
                sublinear_tf=True, lowercase=False, dtype=np.float32,
            )
        # Tokens are built above; the vectorizer only splits on whitespace.
        return CompactTfidf(
            token_pattern=r"\S+", lowercase=False, min_df=self.min_df, sublinear_tf=True, dtype=np.float32,
        )

    def fit(self, X: Sequence[tuple[str, str]], y=None) -> "StanceFeatures":
        docs = self._docs(X)
        # Feature tokens hold no whitespace, so joined they split back exactly.
        self.vectorizers_ = {
            g: self._vectorizer(g).fit(d if g == "char" else [" ".join(f) for f in d]) for g, d in docs.items()
        }
        return self

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())
        state.pop("_ngram_cache", None)  # speed caches, rebuilt on demand
        state.pop("_id_cache", None)
        return state

    def _char_tfidf(self, docs: list[str]) -> sp.csr_matrix:
        """Same matrix as the char_wb vectorizer's transform, but fast.

        char_wb n-grams never cross a word boundary, so a document's n-grams
        are its words' n-grams: look each distinct word up once and reuse it
        (word frequencies are Zipfian, so most lookups hit the cache).
        """
        vec = self.vectorizers_["char"]
        cache = self.__dict__.setdefault("_ngram_cache", {})
        if len(cache) > 500_000:
            cache.clear()
        analyze, vocab = vec.build_analyzer(), vec.vocabulary_
        get = cache.get
        rows: list = []
        indptr = [0]
        done: dict[str, tuple[list, int]] = {}   # a text repeated in this call (one per issue)
        for doc in docs:
            known = done.get(doc)
            if known is None:
                parts = []
                n = 0
                for w in doc.split():
                    idx = get(w)
                    if idx is None:
                        idx = cache[w] = np.array([vocab[g] for g in analyze(w) if g in vocab], dtype=np.int32)
                    parts.append(idx)
                    n += len(idx)
                known = done[doc] = (parts, n)
            rows += known[0]
            indptr.append(indptr[-1] + known[1])
        indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
        return _tfidf(vec, indices, indptr)

    def transform(self, X: Sequence[tuple[str, str]]) -> sp.csr_matrix:
        return self._transform(X)

    def _transform(self, X: Sequence[tuple[str, str]], spans: Sequence | None = None) -> sp.csr_matrix:
        """:meth:`transform`; ``spans`` as in :meth:`_docs` (must be the pairs' exact evidence spans)."""
        X = list(X)
        first, rows = _unique_rows(X, spans)
        if len(first) < len(X):
            # A row depends on its pair (and spans) only: build each distinct one once,
            # then repeat rows; the matrix is the same as building every row.
            unique = self._transform([X[k] for k in first], None if spans is None else [spans[k] for k in first])
            return unique[rows]
        # view_weight trades the issue-specific views against the whole statement.
        w = {"word": 1.0, "char": 1.0}
        return sp.hstack([m * w.get(g, self.view_weight) for g, m in self._group_matrices(X, spans).items()],
                         format="csr")

    def _token_ids(self) -> _TokenIds:
        ids = self.__dict__.get("_id_cache")
        if ids is None:
            ids = self.__dict__["_id_cache"] = _TokenIds(self.vectorizers_)
        return ids

    def _group_matrices(self, X: list[tuple[str, str]], spans: Sequence | None) -> dict[str, sp.csr_matrix]:
        """Per group (in :meth:`_docs`' order), the TF-IDF rows of distinct pairs ``X``: the
        same matrices as each vectorizer's transform of the joined :meth:`_docs` tokens."""
        bigrams = self.word_ngrams >= 2
        cache = self._token_ids()
        with cache.lock:
            if cache.size() > cache.LIMIT:
                cache.clear()
            # Text-level work once per distinct text: a statement comes once per issue.
            text_row: dict[str, int] = {}
            texts: list[tuple[_Text, list[int], list[int]]] = []  # text, token ids, bigram ids
            row_text = []
            negation = getattr(self, "negation", False)  # models saved before the option existed
            for text, _ in X:
                k = text_row.get(text)
                if k is None:
                    k = text_row[text] = len(texts)
                    t = _Text(text, negation)
                    ids = cache.token_ids(t.words)
                    texts.append((t, ids, cache.pair_ids_of(ids, ids[1:]) if bigrams else []))
                row_text.append(k)
            out = {"word": self._id_tfidf(cache, "word", [w for _, w, _ in texts], [b for _, _, b in texts])}
            if self.char_ngrams:
                out["char"] = self._char_tfidf([t.lower for t, _, _ in texts])
            if len(texts) < len(X):
                out = {g: m[row_text] for g, m in out.items()}
            if self.issue_views:
                out.update(self._view_matrices(cache, X, spans, [texts[k] for k in row_text], bigrams))
        return out

    def _id_tfidf(self, cache: _TokenIds, group: str, tokens: list[list[int]], pairs: list[list[int]],
                  prefix: str = "") -> sp.csr_matrix:
        """TF-IDF rows of ``group`` whose row k has the tokens ``tokens[k]`` and the bigrams ``pairs[k]`` (ids)."""
        parts = [(_repeat_rows(list(map(len, tokens))),
                  cache.columns(group, prefix)[np.fromiter(chain.from_iterable(tokens), dtype=np.int64)])]
        if any(pairs):
            parts.append((_repeat_rows(list(map(len, pairs))),
                          cache.columns(group, prefix, pairs=True)[np.fromiter(chain.from_iterable(pairs), dtype=np.int64)]))
        return _rows_tfidf(self.vectorizers_[group], len(tokens), parts)

    def _view_matrices(self, cache: _TokenIds, X, spans, texts, bigrams: bool) -> dict[str, sp.csr_matrix]:
        """The clause, near and cross matrices of distinct pairs ``X``; ``texts[k]``: pair k's text entry."""
        taxonomy = _load_taxonomy(self.taxonomy)
        nospan = cache.token_ids([NOSPAN])[0]
        clause, clause_pairs, left, right, no_evidence, issues = [], [], [], [], [], []
        crossed = []  # the tokens crossed with the issue: the clause's, or the marker alone
        for k, ((text, issue), (t, ids, pair_ids)) in enumerate(zip(X, texts)):
            where = _view_positions(t, text, issue, self.window, taxonomy, None if spans is None else spans[k])
            issues.append(_issue_token(issue))
            if where is None:  # as in _issue_views: the whole statement and a marker
                no_evidence.append(k)
                clause.append(ids + [nospan])
                crossed.append([nospan])
                clause_pairs.append(pair_ids + cache.pair_ids_of(ids[-1:], [nospan]) if bigrams else [])
                left.append([])
                right.append([])
                continue
            ranges, near = where
            clause.append([i for a, b in ranges for i in ids[a:b]] if len(ranges) != 1 else ids[ranges[0][0]:ranges[0][1]])
            crossed.append(clause[-1])
            if bigrams:
                # bigrams within each range, and across the gap between two ranges
                within = [i for a, b in ranges for i in pair_ids[a:b - 1]]
                clause_pairs.append(within + cache.pair_ids_of([ids[b - 1] for _, b in ranges[:-1]],
                                                               [ids[a] for a, _ in ranges[1:]]))
            else:
                clause_pairs.append([])
            left.append([i for side, a, b in near if side == "L" for i in ids[a:b]])
            right.append([i for side, a, b in near if side == "R" for i in ids[a:b]])
        n = len(X)
        out = {"clause": self._id_tfidf(cache, "clause", clause, clause_pairs)}
        # near: "L" + token, "R" + token, and the marker itself where there is no evidence
        near_parts = [(_repeat_rows(list(map(len, side))),
                       cache.columns("near", prefix)[np.fromiter(chain.from_iterable(side), dtype=np.int64)])
                      for prefix, side in (("L", left), ("R", right))]
        marker = self.vectorizers_["near"].vocabulary_.get(NOSPAN, -1)
        near_parts.append((np.asarray(no_evidence, dtype=np.int64), np.full(len(no_evidence), marker, dtype=np.int64)))
        out["near"] = _rows_tfidf(self.vectorizers_["near"], n, near_parts)
        # cross: the issue itself, and issue + "|" + each clause token
        vocab = self.vectorizers_["cross"].vocabulary_
        kinds = sorted(set(issues))
        kind = np.asarray([kinds.index(i) for i in issues] if len(kinds) > 1 else [0] * n, dtype=np.int64)
        rows = _repeat_rows(list(map(len, crossed)))
        tokens = np.fromiter(chain.from_iterable(crossed), dtype=np.int64)
        cross_parts = [(np.arange(n), np.asarray([vocab.get(i, -1) for i in kinds], dtype=np.int64)[kind])]
        for j, issue in enumerate(kinds):
            sel = kind[rows] == j if len(kinds) > 1 else slice(None)
            cross_parts.append((rows[sel], cache.columns("cross", issue + "|")[tokens[sel]]))
        out["cross"] = _rows_tfidf(self.vectorizers_["cross"], n, cross_parts)
        return out


class StanceModel(ClassifierMixin, BaseEstimator):
    """Stance of a statement on an issue: ``fit(texts, issues, y)``, ``predict(texts, issues)``.

    A linear classifier over :class:`StanceFeatures`; its scores are mapped to
    probabilities by a multinomial logistic calibrator fitted on out-of-fold
    scores (grouped folds, so near-duplicates never calibrate themselves).
    """

    def __init__(
        self,
        classifier: str = "svm",
        C: float = 0.3,
        calibrate: bool = True,
        cv: int = 5,
        word_ngrams: int = 2,
        char_ngrams: tuple[int, int] | None = (3, 4),
        window: int = 6,
        min_df: int = 2,
        issue_views: bool = True,
        view_weight: float = 0.8,
        negation: bool = True,
        taxonomy: str | None = None,
        random_state: int = 0,
    ):
        self.negation = negation
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
        """One score column per class (a two-class decision function has one)."""
        scores = est.decision_function(X) if hasattr(est, "decision_function") else est.predict_log_proba(X)
        scores = scores.reshape(X.shape[0], -1)
        return np.hstack([-scores, scores]) if scores.shape[1] == 1 else scores

    def _features(self) -> StanceFeatures:
        return StanceFeatures(
            word_ngrams=self.word_ngrams, char_ngrams=self.char_ngrams, window=self.window,
            min_df=self.min_df, issue_views=self.issue_views, view_weight=self.view_weight, negation=self.negation,
            taxonomy=self.taxonomy,
        )

    def fit(
        self, texts: Sequence[str], issues: Sequence[str], y: Sequence[str], groups: Sequence | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> "StanceModel":
        """Fit on statements, their issue ids and stance labels; ``groups`` (e.g. source) keep
        related rows in one calibration fold (default: rows with the same text);
        ``sample_weight`` counts some rows more (e.g. collected real text over written rows)."""
        texts, issues, y = list(texts), list(issues), np.asarray(y)
        if not (len(texts) == len(issues) == len(y)):
            raise ValueError("texts, issues and y must have the same length")
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if w is not None and w.shape != (len(y),):
            raise ValueError("sample_weight must have one weight per row")
        pairs = list(zip(texts, issues))
        self.features_ = self._features().fit(pairs)
        X = self.features_.transform(pairs)
        self.estimator_ = self._base().fit(X, y, sample_weight=w)
        self.classes_ = self.estimator_.classes_
        self.issues_ = np.array(sorted(set(issues)))
        groups = np.asarray(texts if groups is None else groups)
        self.calibrator_ = self._fit_calibrator(X, y, groups, w) if self.calibrate else None
        return self

    def _fit_calibrator(self, X, y, groups, w=None) -> LogisticRegression | None:
        """Multinomial logistic map from out-of-fold scores to probabilities.

        Same-text rows (one statement, several issues) share a group by default.
        Folds are built by hand so a fold that lacks a class still works (its
        column gets the fold's lowest score): small user data sets do that.
        """
        # Stratified folds need every class in every fold: small user data gets fewer folds.
        n_splits = min(self.cv, len(set(groups)), int(np.unique(y, return_counts=True)[1].min()))
        if n_splits < 2:
            return None
        folds = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=self.random_state)
        oof = np.zeros((len(y), len(self.classes_)))
        for tr, te in folds.split(X, y, groups):
            if len(set(y[tr])) < 2:
                return None
            est = self._base().fit(X[tr], y[tr], sample_weight=None if w is None else w[tr])
            scores = self._scores(est, X[te])
            cols = np.searchsorted(self.classes_, est.classes_)
            oof[te] = scores.min()
            oof[np.ix_(te, cols)] = scores
        return LogisticRegression(C=1.0, max_iter=1000).fit(oof, y, sample_weight=w)

    def _check(self, texts: Sequence[str], issues: Sequence[str]) -> list[tuple[str, str]]:
        texts, issues = list(texts), list(issues)
        if len(texts) != len(issues):
            raise ValueError("texts and issues must have the same length")
        return list(zip(texts, issues))

    def predict_proba(self, texts: Sequence[str], issues: Sequence[str]) -> np.ndarray:
        """Probabilities, columns in the order of ``classes_``."""
        return self._predict_proba(texts, issues)

    def _predict_proba(self, texts: Sequence[str], issues: Sequence[str], spans: Sequence | None = None) -> np.ndarray:
        """:meth:`predict_proba`; ``spans``: per pair, its issue's evidence spans, exactly as
        ``evidence_spans`` would find them with the model's taxonomy (the pipeline has them
        from ``detect_issues``), so they are not searched again."""
        pairs = self._check(texts, issues)
        if not pairs:  # sklearn's transformers refuse zero rows
            return np.zeros((0, len(self.classes_)))
        with _gc_paused():
            if spans is None or type(self.features_) is not StanceFeatures:
                X = self.features_.transform(pairs)
            else:
                X = self.features_._transform(pairs, spans)
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


@dataclass(frozen=True)
class Stance:
    """One statement's stance on one issue."""

    issue: str
    label: str
    confidence: float  # calibrated probability of ``label``


def classify(texts: Sequence[str], issues: Sequence[str], model: StanceModel | None = None) -> list[Stance]:
    """Stance of each (normalized statement text, issue id) pair; the shipped model by default."""
    if model is None:
        from detente.model_io import load_model

        model = load_model()
    out: list[Stance] = []
    for batch in iter_batches(zip(texts, issues)):
        t, i = zip(*batch)
        proba = model.predict_proba(t, i)
        best = proba.argmax(axis=1)
        out += [Stance(iss, str(model.classes_[k]), float(p[k])) for iss, k, p in zip(i, best, proba)]
    return out


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
