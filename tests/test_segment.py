"""Sentence segmentation and Statement offsets."""

from __future__ import annotations

import pytest

from detente.segment import Statement, sentence_spans, statements


def sents(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


@pytest.mark.parametrize("text, expected", [
    ("Mr. Smith said no. Gen. Jones agreed.", ["Mr. Smith said no.", "Gen. Jones agreed."]),
    ("He met J. R. Smith in St. Petersburg. Then he left.", ["He met J. R. Smith in St. Petersburg.", "Then he left."]),
    ("Previous U.S. aid included systems. The U.S. Congress voted.", ["Previous U.S. aid included systems.", "The U.S. Congress voted."]),
    ("It was sent to the U.S. The talks went on.", ["It was sent to the U.S.", "The talks went on."]),
    ("Ukraine got $13.6 billion in aid. More is coming.", ["Ukraine got $13.6 billion in aid.", "More is coming."]),
    ("It sounds realistic… But it takes time.", ["It sounds realistic…", "But it takes time."]),
    ("Wait... Then go.", ["Wait...", "Then go."]),
    ("Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
])
def test_sentence_ends(text, expected):
    assert sents(text) == expected


def test_quote_spanning_sentences_is_not_cut():
    text = "“It is clear. We understand this,” Zelensky said. “For years we heard it.”"
    assert sents(text) == ["“It is clear. We understand this,” Zelensky said.", "“For years we heard it.”"]


def test_straight_quotes_are_not_cut():
    text = '"What does this mean? A rigid agreement," he said. Podolyak left.'
    assert sents(text) == ['"What does this mean? A rigid agreement," he said.', "Podolyak left."]


def test_quote_ending_in_comma_keeps_attribution():
    text = "“We cannot see progress. We expect a very long work”, he said. Then he left."
    assert sents(text)[0] == "“We cannot see progress. We expect a very long work”, he said."


def test_lines_are_separate_statements():
    text = "Headline Without Period\n\nFirst sentence. Second one.\nA new line"
    assert sents(text) == ["Headline Without Period", "First sentence.", "Second one.", "A new line"]


def test_unbalanced_quote_does_not_swallow_the_paragraph():
    text = "He said “never. Then he left. Done."
    assert len(sents(text)) == 3


def test_statements_offsets_and_original_offsets():
    raw = "O government of russia said there was no progress (30). “We cannot see progress,” Peskov said."
    out = statements(raw)
    from detente import normalize
    norm = normalize(raw)
    assert out and all(isinstance(s, Statement) for s in out)
    for st in out:
        assert norm.text[st.start:st.end] == st.text
        assert 0 <= st.orig_start <= st.orig_end <= len(raw)
    last = out[-1]
    assert raw[last.orig_start:last.orig_end].startswith("“We cannot")
    assert last.speaker == "Dmitry Peskov" and last.quote


def test_statements_accepts_normalized_and_issues():
    from detente import normalize
    norm = normalize("Podolyak said Ukraine needs security guarantees. The weather was fine.")
    first, second = statements(norm)
    assert first.issues == ("security_guarantees",)
    assert first.hits[0].evidence == "security guarantees"
    assert first.text[first.hits[0].start:first.hits[0].end] == "security guarantees"
    assert second.speaker is None and not second.quote and second.issues == ()


def test_user_taxonomy_is_used(tmp_path):
    from detente.issues import Taxonomy
    path = tmp_path / "t.csv"
    path.write_text("id,kind,pattern\nweather,keyword,weather\n", encoding="utf-8")
    (st,) = statements("The weather was fine.", taxonomy=Taxonomy.load(path))
    assert st.issues == ("weather",)


def test_empty_text():
    assert statements("") == []
    assert statements("\n\n  \n") == []


from hypothesis import given, settings, strategies as st_

_ALPHABET = st_.sampled_from(list("ab C.D?!“”\"…,\n 13.6 U.S. Mr. said he"))


@settings(max_examples=200, deadline=None)
@given(st_.lists(_ALPHABET, max_size=80).map("".join))
def test_sentence_spans_are_ordered_disjoint_and_stripped(text):
    spans = sentence_spans(text)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert e1 <= s2
    for s, e in spans:
        assert e > s and not text[s].isspace() and not text[e - 1].isspace()
    assert "".join(text[s:e] for s, e in spans).replace(" ", "").replace("\n", "") == \
        text.replace(" ", "").replace("\n", "")


def test_abbreviations_come_from_the_data_table():
    from detente.segment import _ABBREVIATIONS, _SENTENCE_STARTERS
    from detente.speakers import words

    assert _ABBREVIATIONS == frozenset(words("abbreviations"))
    assert _SENTENCE_STARTERS == frozenset(words("sentence_starters"))
    assert sentence_spans("Gen. Smith arrived. He spoke.") == [(0, 19), (20, 29)]


@pytest.mark.parametrize("text", ["Mr. Smith said.\nNo. 5", "the U.S. and U.K.", "ab\ncd.ef", "3.5 _abc a_b 9a éa ’s x-",
                                  "word\n.", "Gen. Ivanov, St. Petersburg"])
def test_word_before_a_period_is_the_plain_search(text):
    import re

    from detente.segment import _WORD_BEFORE

    plain = re.compile(r"([A-Za-z][\w.’'-]*)$")
    for lo in range(len(text)):
        for hi in range(lo, len(text) + 1):
            want, got = plain.search(text, lo, hi), _WORD_BEFORE.match(text, lo, hi)
            assert (got is None) == (want is None), (lo, hi)
            if want:
                assert got.span(1) == want.span(1), (lo, hi)
