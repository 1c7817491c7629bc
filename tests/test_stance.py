"""The stance estimator: sklearn conventions, issue-aware features, determinism."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone

from detente.stance import StanceModel, issue_views

# Contrastive templates: one half of the sentence conciliatory on one issue, the
# other half hardline on another. Only issue-aware features can separate them.
KEYWORDS = {"neutrality": "neutral status", "territory": "Crimea", "ceasefire": "a ceasefire",
            "sanctions": "sanctions", "nato_membership": "NATO membership"}
SOFT = ["is ready to discuss {}", "is open to a compromise on {}", "welcomes progress on {}"]
HARD = ["will never accept {}", "flatly rejects any talk of {}", "refuses to give ground on {}"]
NEUTRAL = ["Delegations met on Monday to talk about {}.", "The agenda listed {} as a topic."]
SPEAKERS = ["Kyiv", "The minister"]


def contrastive(skip: tuple[str, str] | None = None) -> tuple[list[str], list[str], list[str]]:
    texts, issues, y = [], [], []
    for a, b in itertools.permutations(KEYWORDS, 2):
        if (a, b) == skip:
            continue
        for who, soft, hard in itertools.product(SPEAKERS, SOFT, HARD):
            t = f"{who} {soft.format(KEYWORDS[a])}, but it {hard.format(KEYWORDS[b])}."
            texts += [t, t]
            issues += [a, b]
            y += ["conciliatory", "hardline"]
    for issue, kw in KEYWORDS.items():
        for n in NEUTRAL:
            texts.append(n.format(kw))
            issues.append(issue)
            y.append("neutral")
    return texts, issues, y


@pytest.fixture(scope="module")
def model() -> StanceModel:
    texts, issues, y = contrastive(skip=("neutrality", "territory"))
    return StanceModel(cv=3).fit(texts, issues, y)


def test_sklearn_conventions(model: StanceModel) -> None:
    params = model.get_params()
    assert params["classifier"] == "svm" and params["random_state"] == 0
    fresh = clone(model)
    assert not hasattr(fresh, "classes_") and fresh.get_params() == params
    assert list(model.classes_) == ["conciliatory", "hardline", "neutral"]


def test_proba_columns_follow_classes(model: StanceModel) -> None:
    texts = ["Moscow is ready to discuss a ceasefire.", "Kyiv will never accept sanctions relief."]
    proba = model.predict_proba(texts, ["ceasefire", "sanctions"])
    assert proba.shape == (2, 3)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert list(model.predict(texts, ["ceasefire", "sanctions"])) == list(model.classes_[proba.argmax(axis=1)])


def test_same_sentence_different_issues_get_different_labels(model: StanceModel) -> None:
    # The (neutrality, territory) pair was left out of training.
    text = "Ukraine is ready to discuss neutral status, but it will never accept Crimea."
    labels = model.predict([text, text], ["neutrality", "territory"])
    assert list(labels) == ["conciliatory", "hardline"]


def test_clause_view_follows_the_issue() -> None:
    text = "Ukraine is ready to discuss neutrality, but we will never give up Crimea."
    assert issue_views(text, "territory", 3)["clause"] == ["we", "will", "never", "give", "up", "crimea"]
    assert "ready" in issue_views(text, "neutrality", 3)["clause"]


def test_negation_scope_marks_words_up_to_punctuation() -> None:
    text = "Peskov said there was no progress on Crimea, but talks would go on."
    clause = issue_views(text, "territory", 3, negation=True)["clause"]
    assert clause == ["peskov", "said", "there", "was", "no", "not_progress", "not_on", "not_crimea"]
    words = issue_views(text, "talks", 3, negation=True)["words"]
    assert "not_progress" in words and "not_crimea" in words
    assert "talks" in words and "not_talks" not in words  # the comma ends the scope
    assert "progress" in issue_views(text, "talks", 3, negation=False)["words"]


def test_negation_after_contracted_negator() -> None:
    words = issue_views("Moscow didn't reject a ceasefire.", "ceasefire", 3, negation=True)["words"]
    assert words == ["moscow", "didn't", "not_reject", "not_a", "not_ceasefire"]


def test_statement_without_evidence_still_gets_a_label(model: StanceModel) -> None:
    assert model.predict(["Nothing here names any issue."], ["talks"])[0] in model.classes_


def test_deterministic() -> None:
    texts, issues, y = contrastive()
    a = StanceModel(cv=3).fit(texts, issues, y).predict_proba(texts[:50], issues[:50])
    b = StanceModel(cv=3).fit(texts, issues, y).predict_proba(texts[:50], issues[:50])
    assert np.array_equal(a, b)


def test_sample_weight_counts_rows_more() -> None:
    texts, issues, y = contrastive()
    # The same neutral-looking sentence, labeled both ways: the heavier label wins.
    probe = "Delegations met on Monday to talk about a ceasefire and prisoner lists."
    texts2, issues2 = texts + [probe, probe], issues + ["ceasefire", "ceasefire"]
    y2 = y + ["hardline", "conciliatory"]
    for heavy, label in ((len(texts), "hardline"), (len(texts) + 1, "conciliatory")):
        w = np.ones(len(texts2))
        w[heavy] = 40.0
        m = StanceModel(cv=3).fit(texts2, issues2, y2, sample_weight=w)
        assert m.predict([probe], ["ceasefire"])[0] == label
    with pytest.raises(ValueError, match="one weight per row"):
        StanceModel(cv=3).fit(texts, issues, y, sample_weight=[1.0])


def test_length_mismatch_is_an_error(model: StanceModel) -> None:
    with pytest.raises(ValueError):
        model.predict(["one", "two"], ["talks"])


@pytest.mark.parametrize("classifier", ["logreg", "nb"])
def test_alternative_classifiers(classifier: str) -> None:
    texts, issues, y = contrastive()
    m = StanceModel(classifier=classifier, cv=3).fit(texts, issues, y)
    assert m.predict_proba(texts[:5], issues[:5]).shape == (5, 3)


def test_two_labels_only() -> None:
    texts, issues, y = contrastive()
    keep = [i for i, label in enumerate(y) if label != "neutral"]
    m = StanceModel(cv=3).fit([texts[i] for i in keep], [issues[i] for i in keep], [y[i] for i in keep])
    assert m.predict_proba(texts[:4], issues[:4]).shape == (4, 2)


def test_classify_gives_label_and_confidence(model: StanceModel) -> None:
    from detente.stance import classify

    out = classify(["Kyiv will never accept a ceasefire."] * 2, ["ceasefire", "sanctions"], model=model)
    assert [s.issue for s in out] == ["ceasefire", "sanctions"]
    assert all(s.label in model.classes_ and 0 < s.confidence <= 1 for s in out)


def test_empty_input_and_unknown_issue(model: StanceModel) -> None:
    assert model.predict_proba([], []).shape == (0, 3) and len(model.predict([], [])) == 0
    with pytest.raises(ValueError, match="unknown issue 'grain'"):
        model.predict(["The grain ships left Odesa."], ["grain"])


def test_unique_rows_numbers_distinct_pairs_in_order() -> None:
    from detente.stance import _unique_rows

    pairs = [("a", "talks"), ("b", "talks"), ("a", "talks"), ("a", "sanctions")]
    first, rows = _unique_rows(pairs, None)
    assert first == [0, 1, 3] and rows.tolist() == [0, 1, 0, 2]
    # The same pair with other evidence spans is another row.
    first, rows = _unique_rows(pairs, [[(0, 1)], [(0, 1)], [(0, 1), (2, 3)], [(0, 1)]])
    assert first == [0, 1, 2, 3] and rows.tolist() == [0, 1, 2, 3]


def test_repeated_pairs_give_the_rows_built_one_by_one(model: StanceModel) -> None:
    texts = ["Kyiv will never accept a ceasefire.", "Moscow is ready to discuss sanctions.",
             "Kyiv will never accept a ceasefire.", "Kyiv will never accept a ceasefire."]
    issues = ["ceasefire", "sanctions", "ceasefire", "sanctions"]
    together = model.features_.transform(list(zip(texts, issues)))
    alone = [model.features_.transform([p]) for p in zip(texts, issues)]
    for k, row in enumerate(alone):
        got = together[k]
        assert np.array_equal(got.indices, row.indices) and np.array_equal(got.data, row.data)


def _reference_matrix(feats, pairs) -> sp.csr_matrix:
    """The features as the fitted vectorizers transform the joined tokens of ``_docs``."""
    weights = {"word": 1.0, "char": 1.0}
    return sp.hstack([feats.vectorizers_[g].transform(d if g == "char" else [" ".join(f) for f in d])
                      * weights.get(g, feats.view_weight) for g, d in feats._docs(pairs).items()], format="csr")


TRICKY = [
    ("Kyiv is ready to discuss a ceasefire, but it will never accept sanctions, and a ceasefire now.", "ceasefire"),
    ("Kyiv is ready to discuss a ceasefire, but it will never accept sanctions, and a ceasefire now.", "sanctions"),
    ("Nothing here names any issue.", "talks"),
    ("", "talks"),
    ("Zyxwv qwerty didn't accept NATO membership (not now) nor neutral status.", "nato_membership"),
    ("Zyxwv qwerty didn't accept NATO membership (not now) nor neutral status.", "neutrality"),
    ("Crimea, Crimea; Crimea - and Crimea", "territory"),
    ("Nothing here names any issue.", "talks"),
]


@pytest.mark.parametrize("options", [{}, {"word_ngrams": 1, "negation": False}, {"char_ngrams": None},
                                     {"issue_views": False}])
def test_transform_equals_the_vectorizers_on_the_docs(options: dict) -> None:
    texts, issues, y = contrastive()
    feats = StanceModel(cv=3, **options).fit(texts, issues, y).features_
    pairs = TRICKY + list(zip(texts[:40], issues[:40]))
    for _ in range(2):  # the second time with the token ids already known
        got, want = feats.transform(pairs), _reference_matrix(feats, pairs)
        assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
        assert np.array_equal(got.data, want.data) and got.dtype == want.dtype


def test_token_ids_start_over_past_their_limit(model: StanceModel, monkeypatch) -> None:
    from detente.stance import NOSPAN, _TokenIds

    feats = model.features_
    want = feats.transform([TRICKY[2]]).toarray()
    feats.transform(TRICKY[:2])
    assert "ceasefire" in feats._token_ids().tokens
    monkeypatch.setattr(_TokenIds, "LIMIT", 1)
    assert np.array_equal(feats.transform([TRICKY[2]]).toarray(), want)
    words = issue_views(TRICKY[2][0], TRICKY[2][1], 3, negation=True)["words"]
    assert set(feats._token_ids().tokens) == {*words, NOSPAN}  # the earlier calls' ids are gone


@pytest.mark.parametrize("settings", [{}, {"sublinear_tf": True}, {"norm": "l1"}, {"norm": None, "use_idf": False},
                                      {"sublinear_tf": True, "smooth_idf": False}])
def test_weighted_equals_the_tfidf_transformer(settings: dict) -> None:
    from sklearn.feature_extraction.text import TfidfTransformer

    from detente.stance import _weighted

    rng = np.random.default_rng(0)
    counts = sp.random(30, 50, density=0.2, format="lil", random_state=0, dtype=np.float32)
    counts[3] = 0  # an empty row
    counts = counts.tocsr()
    counts.eliminate_zeros()
    counts.data = rng.integers(1, 5, len(counts.data)).astype(np.float32)
    tf = TfidfTransformer(**settings).fit(counts)
    want = tf.transform(counts)
    got = _weighted(tf, counts.copy())
    assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data, want.data) and got.dtype == want.dtype


CLAUSE_CASES = [
    "", "no boundary here", "but first, however: yet (again) - and that's it", "Kyiv—Moscow – talks “now” «now» „now“",
    "although though whereas while adding", "butter, rebut, yet-to-come, so-called, a - b, a\u00a0-\u00a0b, a\t-\nb",
    "(but [however] \"yet\"", "but's yet's adding:", "whereaſ whıle thıs", "BUT However YET", "x-but -while - though",
]


@pytest.mark.parametrize("text", CLAUSE_CASES)
def test_clause_matches_are_the_clause_pattern_s(text: str) -> None:
    from detente.stance import _CLAUSE, _clause_matches

    want = [m.span() for m in _CLAUSE.finditer(text.lower())]
    assert [m.span() for m in _clause_matches(text.lower(), lowered=True)] == want
    assert [m.span() for m in _clause_matches(text, lowered=False)] == [m.span() for m in _CLAUSE.finditer(text)]


def test_clause_words_match_no_other_lower_case_letter_ignoring_case() -> None:
    """Why _clause_matches may scan lower-cased text case-sensitively outside "ı" and "ſ"."""
    from detente.stance import _CASE_FOLDS_TO_ASCII, _CLAUSE_WORDS

    letters = sorted(set(re.sub(r"[^a-z]", "", _CLAUSE_WORDS.pattern.removeprefix(r"\b(?:"))))
    folding = re.compile(f"[{''.join(letters)}]", re.IGNORECASE)
    others = {c for c in map(chr, range(0x110000)) if c not in letters and c.lower() == c and folding.fullmatch(c)}
    assert others == set(_CASE_FOLDS_TO_ASCII)
