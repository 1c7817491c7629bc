"""Properties of detente.normalize on arbitrary and news-like text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import normalize

# News-like fragments that exercise every stage, recombined at random.
FRAGMENTS = [
    "O government of russia said", " on Monday (28)", "said On Wednesday", ". .", ". ,", ".;",
    "\u00abWe are ready\u00bb, \u2014 said Peskov.", "\u201eNein\u201c", "Kiev", "Kiew", "Selenskyj",
    "Zelenskiy", "Medinski's", "Mikhail Podolyak", "\u0417\u0435\u043b\u0435\u043d\u0441\u044c\u043a\u0438\u0439",
    "Zelensky\u00e2\u20ac\u2122s", "\u00a0", "\u200b", "  ", "\t", "\n", "\n\n", "\r\n",
    "The story continues under the ad", "Comments", "Photo: EFE", "she added", "he said",
    "https://t.co/abc", "pic.twitter.com/x1", "according toReuters", "war.The", "Ukr\u0430ine",
    "\u201c", "\u201d", "\"", "&amp;", "(NATO)", "U.S.", "Lugansk", "Donbass", "chicken Kiev",
    "Ukraine und Russia", "e", "y", "El minister", "talks", " ", ",", ".", "\u2015", " -- ",
]
news_like = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
any_text = st.text(max_size=300)
texts = st.one_of(any_text, news_like, st.lists(st.one_of(any_text, news_like), max_size=4).map("".join))

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
def test_never_raises_and_is_idempotent(text):
    once = normalize(text, skip={"language"})
    twice = normalize(once.text, skip={"language"})
    assert twice.text == once.text, twice.changes


@SETTINGS
@given(texts)
def test_kept_characters_map_back_to_the_same_input_character(text):
    result = normalize(text, skip={"language"})
    for i, ch in enumerate(result.text):
        if result.offsets.is_kept(i):
            assert text[result.offsets.to_input(i)] == ch


@SETTINGS
@given(texts)
def test_change_records_point_at_valid_input_spans(text):
    result = normalize(text, skip={"language"})
    for c in result.changes:
        assert 0 <= c.start <= c.end <= len(text)
        assert c.rule.split(".")[0] in {"unicode", "boilerplate", "quirks", "names"}


@SETTINGS
@given(texts)
def test_entities_slice_to_their_text(text):
    result = normalize(text, skip={"language"})
    for m in result.entities:
        assert result.text[m.start:m.end] == m.text


@SETTINGS
@given(texts)
def test_quirk_stage_skips_clean_steps_without_changing_its_output(text):
    """After the unicode stage's fixed point, the quirk stage runs its two unicode steps only on
    the lines it changed; the result must be what running them on the whole text gives."""
    import sys

    norm = sys.modules["detente.normalize"]  # the package, which `detente.normalize` (a function) shadows
    rules = norm.default_rules()
    current, offsets, converged = norm._run_stage(
        "unicode", text, norm.OffsetMap.identity(len(text)), rules, [])
    if not converged:
        return
    fast_changes, full_changes = [], []
    fast = norm._run_stage("quirks", current, offsets, rules, fast_changes, frozenset(norm._STEPS["unicode"](rules)))
    full = norm._run_stage("quirks", current, offsets, rules, full_changes)
    assert fast[0] == full[0] and fast[2] == full[2]
    assert fast[1].runs() == full[1].runs()
    assert fast_changes == full_changes
