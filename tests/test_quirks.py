import pytest

from detente.normalize import normalize

ONLY_QUIRKS = {"boilerplate", "names", "language"}


def fix(text: str):
    return normalize(text, skip=ONLY_QUIRKS)


@pytest.mark.parametrize(
    "broken, repaired, rule",
    [
        ("O government of russia considers", "The government of Russia considers", "quirks.function_word.pt.o"),
        ("He left. El minister said no.", "He left. The minister said no.", "quirks.function_word.es.el"),
        ("Die talks ended.", "The talks ended.", "quirks.function_word.de.die"),
        ("Putin und Zelensky met", "Putin and Zelensky met", "quirks.function_word.de.und"),
        ("Putin \u0438 Zelensky met", "Putin and Zelensky met", "quirks.function_word.ru.i"),
        ("the talks in ukraine and russia", "the talks in Ukraine and Russia", "quirks.lowercase_name"),
        ("he said this Wednesday (30) in Moscow", "he said this Wednesday in Moscow", "quirks.date_parenthetical"),
        ("said on Monday (28).", "said on Monday.", "quirks.date_parenthetical"),
        ("Johnson said On Wednesday that", "Johnson said on Wednesday that", "quirks.weekday_preposition"),
        ("Ukrainian officials said. .", "Ukrainian officials said.", "quirks.double_period"),
        ("the talks.; he said", "the talks. he said", "quirks.period_semicolon"),
        ("the talks ended. , he said", "the talks ended, he said", "quirks.period_comma"),
        ("Moscow,, he said", "Moscow, he said", "quirks.double_comma"),
        ("he said : it is over", "he said: it is over", "quirks.space_before_punctuation"),
        ("solutions. \u201d", "solutions.\u201d", "quirks.space_inside_quotes.close"),
        ("\u201c We are ready\u201d", "\u201cWe are ready\u201d", "quirks.space_inside_quotes.open"),
        ("\u00abWe are ready\u00bb, Peskov said", "\u201cWe are ready\u201d, Peskov said", "quirks.guillemets"),
        ("\u201eWir\u201c is what he said", "\u201cWir\u201d is what he said", "quirks.low_high_quotes"),
        ("\u00abWe are ready\u00bb, \u2014 said Peskov.", "\u201cWe are ready,\u201d said Peskov.", "quirks.attribution_dash"),
        ("to move forward. and gain territory", "to move forward and gain territory", "quirks.stray_period"),
        ("according toReuters, the talks", "according to Reuters, the talks", "quirks.glued_words"),
        ("the war.The talks", "the war. The talks", "quirks.glued_words"),
        ("Ukr\u0430ine said", "Ukraine said", "quirks.stray_letter"),
        ("talks pic.twitter.com/AbC123 resumed", "talks resumed", "quirks.twitter_link"),
        ("the talks [embedded content] resumed", "the talks resumed", "quirks.placeholder"),
        ("Russia &amp; Ukraine", "Russia & Ukraine", "quirks.html_entity"),
    ],
)
def test_each_quirk_rule(broken, repaired, rule):
    result = fix(broken)
    assert result.text == repaired
    assert rule in {c.rule for c in result.changes}


@pytest.mark.parametrize(
    "fine",
    [
        "The talks in the U.S. and the EU continue.",
        "the North Atlantic Treaty Organization (NATO) met",
        "\u201cWe are ready,\u201d Peskov said.",
        "He took part in the talks, etc. and more",
        "Le Drian met Lavrov in Paris.",
        "El Salvador and Los Angeles are far away.",
        "De facto control of the region changed hands.",
        "She saw the turkey and the china in March; polish the silver in May.",
        "Read it at https://www.kyivindependent.com/ukraine-russia-talks or mail press@mfa.gov.ua.",
        "#ukraine trended on Twitter; @russia_mfa posted.",
        "A Monday (and a Tuesday) of talks.",
        "The iPhone and McDonald's left Russia.",
        "Talks resumed on Wednesday. The delegations met.",
        "Maria Zakharova said she would not comment.",
    ],
)
def test_lines_that_must_not_change(fine):
    assert fix(fine).changes == ()
