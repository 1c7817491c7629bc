"""detente.language: which paragraphs are still untranslated, deterministically."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.language import _surely_english, identify_languages, paragraph_language

ENGLISH = [
    "Lavrov said Russia was ready to continue the talks in Istanbul next week, according to the ministry.",
    "O government of russia said on Monday (28) that the negotiations with Ukraine would resume . .",
    "Kremlin rejects Zelensky's Christmas truce idea as publicity stunt",
    "Ukraine's foreign minister told reporters that no date had been set for the next round.",
]
FOREIGN = [
    ("pt", "O ministro das Relações Exteriores da Rússia disse que as negociações com a Ucrânia vão continuar "
           "na próxima semana em Istambul, segundo a agência."),
    ("es", "El ministro de Asuntos Exteriores de Rusia dijo que las negociaciones con Ucrania continuarán "
           "la próxima semana en Estambul, según la agencia."),
    ("de", "Der russische Außenminister sagte, die Gespräche mit der Ukraine würden in der nächsten Woche "
           "in Istanbul fortgesetzt, wie die Agentur meldete."),
    ("it", "Il ministro degli Esteri russo ha detto che i negoziati con l'Ucraina continueranno la prossima "
           "settimana a Istanbul, secondo l'agenzia."),
    ("nl", "De Russische minister van Buitenlandse Zaken zei dat de onderhandelingen met Oekraïne volgende "
           "week in Istanbul worden voortgezet, meldde het persbureau."),
    ("fr", "Le ministre russe des Affaires étrangères a déclaré que les négociations avec l'Ukraine se "
           "poursuivraient la semaine prochaine à Istanbul, selon l'agence."),
]


@pytest.mark.parametrize("paragraph", ENGLISH)
def test_english_paragraphs_are_english(paragraph):
    lang, _, method = paragraph_language(paragraph)
    assert lang == "en"
    # sentences with function words never reach langdetect (slow); a headline may
    assert method == "english-words" or paragraph == ENGLISH[2]


@pytest.mark.parametrize("lang, paragraph", FOREIGN)
def test_untranslated_paragraphs_are_flagged_even_with_words_english_shares(lang, paragraph):
    # "a", "as", "in", "was", "also" ... are words of these languages too: they must not pass for English
    found, probability, method = paragraph_language(paragraph)
    assert (found, method) == (lang, "langdetect") and probability >= 0.8


def test_document_language_and_flags_with_offsets():
    text = "\n\n".join([ENGLISH[0], FOREIGN[0][1], ENGLISH[3], "Comments"])
    langs = identify_languages(text)
    assert langs.document == "en"
    assert [(p.lang, p.flagged) for p in langs.paragraphs] == [("en", False), ("pt", True), ("en", False), ("en", False)]
    (flagged,) = langs.flagged
    assert text[flagged.start:flagged.end] == FOREIGN[0][1]
    assert langs.paragraphs[-1].method == "too-short"


def test_same_answer_every_time():
    text = "\n".join(p for _, p in FOREIGN)
    assert identify_languages(text) == identify_languages(text)


@pytest.mark.parametrize("paragraph", [
    "Kremlin spokesman Дмитрий Песков told reporters on Monday that the talks would go on.",
    "The head of the Russian delegation, Мединский, said the memorandum was ready.",
])
def test_a_name_left_in_cyrillic_does_not_make_english_foreign(paragraph):
    assert paragraph_language(paragraph)[0] == "en"


def test_a_paragraph_mostly_in_cyrillic_stays_russian():
    assert paragraph_language("Зеленский заявил, что Украина не признает NATO и США как гарантов.")[0] == "ru"

_WORDS = st.sampled_from([
    "the", "of", "and", "to", "said", "The", "Kyiv", "talks", "Зеленский", "и", "die", "und", "der",
    "sagte", "que", "el", "a", "“peace”", "—", "ceasefire", "on", "Monday", "in", "Rússia", "é", "也",
])
_GAPS = st.sampled_from([" ", "  ", "\t", "\u00a0", " \u2009", ", "])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(_WORDS, _GAPS), min_size=1, max_size=40))
def test_the_cheap_english_test_never_contradicts_the_full_one(parts):
    paragraph = "".join(w + g for w, g in parts).strip()
    if _surely_english(paragraph):
        assert paragraph_language(paragraph)[0] in {"en", "und"}
