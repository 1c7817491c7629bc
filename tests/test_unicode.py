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
