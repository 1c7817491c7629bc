import pytest

from detente.normalize import normalize

ONLY_UNICODE = {"boilerplate", "quirks", "names", "language"}


def fix(text: str):
    return normalize(text, skip=ONLY_UNICODE)


@pytest.mark.parametrize(
    "broken, repaired",
    [
        ("Zelensky\u00e2\u20ac\u2122s adviser", "Zelensky\u2019s adviser"),
        ("the \u00e2\u20ac\u0153positive\u00e2\u20ac\u009d points", "the \u201cpositive\u201d points"),
        ("Medinski said in Istanbul \u00c3\u00a9t\u00c3\u00a9", "Medinski said in Istanbul \u00e9t\u00e9"),
        ("\u00d0\u0161\u00d0\u00b8\u00d1\u2014\u00d0\u00b2", "\u041a\u0438\u0457\u0432"),
    ],
)
def test_mojibake_is_repaired(broken, repaired):
    result = fix(broken)
    assert result.text == repaired
    assert {c.rule for c in result.changes} == {"unicode.mojibake"}


def test_clean_text_with_accents_is_not_touched_by_mojibake_repair():
    text = "S\u00e3o Paulo, Z\u00fcrich, Kij\u00f3w and the caf\u00e9 stay as they are."
    assert fix(text).changes == ()


def test_nfc_composes_decomposed_letters():
    result = fix("Kije\u0301w and Zelen\u0301ski")
    assert result.text == "Kij\u00e9w and Zele\u0144ski"
    assert all(c.rule == "unicode.nfc" for c in result.changes)


@pytest.mark.parametrize(
    "broken, repaired, rule",
    [
        ("Kremlin\u00a0spokesman", "Kremlin spokesman", "unicode.nbsp"),
        ("10\u202f000 troops", "10 000 troops", "unicode.nbsp.narrow"),
        ("Zelen\u200bsky", "Zelensky", "unicode.zero_width"),
        ("nego\u00adtiations", "negotiations", "unicode.soft_hyphen"),
        ("\u2015 We are ready, said Peskov.", "\u2014 We are ready, said Peskov.", "unicode.dash.horizontal_bar"),
        ("talks -- in Istanbul", "talks \u2014 in Istanbul", "unicode.dash.double_hyphen"),
        ("Kyiv\x07 said", "Kyiv said", "unicode.control"),
        ("non\u2011aligned", "non-aligned", "unicode.dash.nonbreaking"),
    ],
)
def test_odd_characters(broken, repaired, rule):
    result = fix(broken)
    assert result.text == repaired
    assert rule in {c.rule for c in result.changes}


def test_whitespace_runs_and_line_ends_but_lines_stay_lines():
    result = fix(" Lavrov  said\tthat   talks  \n\nwere held.\r\nNext line ")
    assert result.text == "Lavrov said that talks\n\nwere held.\nNext line"
    assert result.text.count("\n") == 3


@pytest.mark.parametrize(
    "broken, repaired",
    [
        ("\u201cWe are ready\" he said", "\u201cWe are ready\u201d he said"),
        ("\"We are ready\u201d he said", "\u201cWe are ready\u201d he said"),
        ("\u201dWe are ready\u201d he said", "\u201cWe are ready\u201d he said"),
        ("\u201cWe are ready\u201c he said", "\u201cWe are ready\u201d he said"),
    ],
)
def test_mismatched_quote_pairs(broken, repaired):
    assert fix(broken).text == repaired


@pytest.mark.parametrize(
    "fine",
    [
        "\"Meetings continue,\" Zelenskyy said.",
        "\u201cIt is clear that Ukraine is not a member of NATO. We understand this,\u201d Zelensky said.",
        "\u201cThe talks \u2014 and this matters \u2014 continue,\u201d he said.",
        "\u201cThe first paragraph of a quote that runs on",  # odd count: left alone
        "the North Atlantic Treaty Organization (NATO) and the U.S.",
    ],
)
def test_correct_typography_is_left_alone(fine):
    assert fix(fine).changes == ()


# --- fast paths: each must answer exactly as the code it stands in for ---------------------

from itertools import product  # noqa: E402

from detente.normalize import unicode as unicode_mod  # noqa: E402


@pytest.mark.parametrize(
    "text",
    ["plain ascii", "curly \u201cquotes\u201d only", "\u00e9t\u00e9", "\u00a0nbsp", "\u00ff", "\u0100 next block",
     "a\u0080b", "\u041a\u0438\u0457\u0432", "\ud800 lone surrogate \u00c3", ""],
)
def test_may_hold_lead_never_misses_a_lead(text):
    if unicode_mod._MOJIBAKE_LEAD.search(text):
        assert unicode_mod._may_hold_lead(text)
    if not any("\u0080" <= ch <= "\u00ff" for ch in text):
        assert not unicode_mod._may_hold_lead(text)


def _hint_lines_by_regex(text):
    """The original scan: the first hint of each line holding one."""
    out, pos = [], 0
    while (hint := unicode_mod._MOJIBAKE_HINT.search(text, pos)) is not None:
        start = text.rfind("\n", 0, hint.start()) + 1
        end = text.find("\n", hint.start())
        end = len(text) if end < 0 else end
        out.append((start, end))
        pos = end
    return out


@pytest.mark.parametrize(
    "text",
    ["caf\u00e9 only\nZelensky\u00e2\u20ac\u2122s\n\u00c3\u00a9t\u00c3\u00a9 \u00c3 x",
     "\u00e9\u00e9\n\u0085\n\n\u00c2\u00a0x\u00c3", "no lead here", "\u00c3\n\u00a9", "\u00c3\u00a9"],
)
def test_hint_lines_match_the_regex_scan(text):
    assert list(unicode_mod._hint_lines(text)) == _hint_lines_by_regex(text)


def test_well_paired_agrees_with_pair_line():
    marks = ['"', "\u201c", "\u201d"]
    for n in range(0, 7):
        for seq in product(marks, repeat=n):
            line = " x ".join(seq)
            found = list(unicode_mod._QUOTE.finditer(line))
            if unicode_mod._well_paired([m.group() for m in found]):
                assert unicode_mod._pair_line(found, 0) == [], seq
            else:
                assert unicode_mod._pair_line(found, 0), seq


def test_quotes_carried_across_hard_wrapped_lines_stay():
    from detente import normalize

    text = ("He said the meeting would take place if\n"
            "they are not afraid, in the Emirates.\u201d The final decision is theirs, he added. \u201cThey are the organizers.\n"
            "We will see,\u201d he said.")
    assert normalize(text, skip={"language"}).changes == ()


def test_a_zero_width_non_joiner_goes_at_a_word_start_but_stays_inside_persian():
    from detente import normalize

    assert normalize("the war in \u200cUkraine", skip={"language"}).text == "the war in Ukraine"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    assert normalize(persian, skip={"language"}).text == persian
