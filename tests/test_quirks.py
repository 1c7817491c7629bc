import pytest

from detente.language import untranslated_at
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
        # two quotes in one paragraph: "» … «" between them is not a »quote«
        ("there was \u00abno such plan\u00bb. It is not \u00abtaboo\u00bb.",
         "there was \u201cno such plan\u201d. It is not \u201ctaboo\u201d.", "quirks.guillemets"),
        ("He called it \u00bba turning point\u00ab and \u00bbhistoric\u00ab.",
         "He called it \u201ca turning point\u201d and \u201chistoric\u201d.", "quirks.guillemets.reversed"),
        ("\u00abWe are ready\u00bb, \u2014 said Peskov.", "\u201cWe are ready,\u201d said Peskov.", "quirks.attribution_dash"),
        ("\u201cWe are ready\u201d \u2014 the Kremlin spokesman told reporters.",
         "\u201cWe are ready,\u201d the Kremlin spokesman told reporters.", "quirks.attribution_dash"),
        ("\u201cWhy?\u201d \u2014 asked Peskov.", "\u201cWhy?\u201d asked Peskov.", "quirks.attribution_dash.question"),
        ("He left. \u00abWe are ready\u00bb, \u2014 said Peskov.", "He left. \u201cWe are ready,\u201d said Peskov.",
         "quirks.attribution_dash"),
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
        # a dash after a quote that opens an aside or a gloss, not an attribution (real wire copy)
        "as \u201creal measures to establish trust\u201d \u2013 like releasing Ukrainian prisoners.",
        "\u201cSanctions are no end in themselves\u201d \u2014 they must bring Moscow to the table.",
        # the quote sits inside a sentence whose dashes enclose an aside ("Graham – who … – said")
        "Sen. Graham \u2013 who captioned \u201cWe stand with Ukraine\u201d \u2013 said he has \u201cnever been more proud.\u201d",
    ],
)
def test_lines_that_must_not_change(fine):
    assert fix(fine).changes == ()


# --- fast paths: each must answer exactly as the code it stands in for ---------------------

import re  # noqa: E402

from detente.normalize import quirks as quirks_mod  # noqa: E402
from detente.normalize.tables import default_rules  # noqa: E402

_SAMPLES = [
    "Ukrainesaid yesterday. The Kremlintold Reuters. Zelenskysaid, Peskovreported it.",
    "He said it. Putin said so.\nsaid at the start\nMoscowsays no\nxsaid",
    "O government of russia. GO x\n\u201cO minister said\nPutin e Zelensky e outros, et al. ok",
    "Os negotiators e e x. Moscow et al. said\nA \u0438 B \u0432 Kyiv i z",
    "of russia, and russia\u2014ukraine kyiv2 prussia russians #russia @kyiv kyiv-based kyiv.com russia_x",
    "\u00e9russia russia. Kyiv On Monday ukrainerussia",
]


@pytest.mark.parametrize("text", _SAMPLES)
def test_glued_verb_hits_cover_every_match(text):
    hits = quirks_mod._glued_verb_hits(text)
    for m in quirks_mod._GLUED_VERB.finditer(text):
        assert m.start(2) in hits
    found = list(quirks_mod._in_lines(quirks_mod._GLUED_VERB, hits, text))
    assert [m.span() for m in found] == [m.span() for m in quirks_mod._GLUED_VERB.finditer(text)]


def _function_words_with_original_regexes(text, rules):
    _, _, table = rules.compiled("quirks.function_words", quirks_mod._compile_function_words)
    start = "|".join(re.escape(w) for w, pos in table if pos == "start")
    between = "|".join(re.escape(w) for w, pos in table if pos == "between")
    out = []
    for regex, position, context in (
        (re.compile(rf"\b({start})(?= [a-z])"), "start", quirks_mod._sentence_start),
        (re.compile(rf"(?<= )({between})(?= [^\W\d_])(?! al\.)"), "between", quirks_mod._between_words),
    ):
        for m in regex.finditer(text):
            if context(text, m.start(1)) and not untranslated_at(text, m.end(1), {}):
                out.append((m.start(1), m.end(1), table[(m.group(1), position)][0]))
    return out


@pytest.mark.parametrize("text", _SAMPLES)
def test_function_word_regexes_find_what_the_original_ones_did(text):
    rules = default_rules()
    got = [(e.start, e.end, e.replacement) for e in quirks_mod.function_words(text, rules)]
    assert got == _function_words_with_original_regexes(text, rules)


@pytest.mark.parametrize("text", _SAMPLES)
def test_proper_nouns_cut_down_regex_finds_what_the_whole_one_did(text):
    rules = default_rules()
    regex, table = rules.compiled("quirks.proper_nouns", quirks_mod._compile_proper_nouns)
    words = quirks_mod._proper_nouns_in(text, table)
    assert words is not None
    expected = [m.span() for m in regex.finditer(text)]
    assert sorted({text[s:e] for s, e in expected}) == sorted(words)
    cut = [m.span() for m in quirks_mod._word_regex(words).finditer(text)
           if not (m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"))] if words else []
    assert cut == expected


def test_present_forms_answers_like_the_token_list():
    rules = default_rules()
    forms = rules.compiled("quirks.proper_noun_forms", quirks_mod._proper_noun_forms)
    for text in _SAMPLES:
        assert forms.isdisjoint(quirks_mod._present_forms(text, rules)) == forms.isdisjoint(text.split())
        assert quirks_mod._WEEKDAY_FORMS.isdisjoint(quirks_mod._present_forms(text, rules)) \
            == quirks_mod._WEEKDAY_FORMS.isdisjoint(text.split())


@pytest.mark.parametrize("text", [
    # articles
    "Der russische Außenminister sagte, die Gespräche würden fortgesetzt.",
    "O ministro das Relações Exteriores da Rússia disse que as negociações continuam.",
    "El ministro de Asuntos Exteriores dijo que las negociaciones continuarán.",
    # conjunctions and prepositions
    "Das Vereinigte Königreich ist bereit, Truppen am Boden und Flugzeuge in der Luft einzusetzen.",
    "A delegação norte-americana e a russa se reuniram nesta terça-feira no Palácio Diriyah.",
    "Зеленский заявил, что Украина выдержит российские удары и вернёт Крым.",
])
def test_an_untranslated_paragraph_keeps_its_function_words(text):
    # the language stage flags such a paragraph; "The" for "Der" or "and" for "und" would hide it
    assert quirks_mod.function_words(text, default_rules()) == []


@pytest.mark.parametrize("text, expected", [
    ("O government of russia said talks would resume.", "The government of Russia said talks would resume."),
    ("Die talks in Istanbul ended without a date.", "The talks in Istanbul ended without a date."),
    ("Los negotiators met again on Tuesday.", "The negotiators met again on Tuesday."),
])
def test_a_left_over_article_before_english_words_is_translated(text, expected):
    from detente import normalize

    assert normalize(text).text == expected


@pytest.mark.parametrize("text", [
    "according toReuters, the talks.The envoy said", "war.Тhe,Зеленський aB.c a,b", "A.B, .a x,,y ",
    "iPhone, eBay.com and ukraine,russia", "", "no joins here. None, at all",
])
def test_join_hits_find_both_hint_branches(text):
    case = [m.start() + 1 for m in re.finditer(r"(?=[a-z][A-Z])", text)]
    mark = [m.start() + 1 for m in re.finditer(r"(?=[a-z][.,][^\W\d_])", text)]
    assert quirks_mod._join_hits(text) == (case, mark)


from detente.normalize import screens  # noqa: E402


def _occurrences(text, lit):
    return [m.start() for m in re.finditer(f"(?={re.escape(lit)})", text)]


@pytest.mark.parametrize("text", [
    "", "no literal here", "said . . and then , he said.. etc . and the (NATO ) “ We ”",
    "y (28) T (3) a.,b .; x..y ”  – ” , — [embed] {{x}} %s", "....  ,, ,\t, a\n. ,",
])
def test_literal_scan_finds_every_occurrence_of_every_group(text):
    groups = [("y (", "T ("), (". .", ".."), (" ,", " .", "\t,"), (), ("”  –", "” , —", "”–"),
              (". and ", ". ,", ".,"), ("abc",), ("{{", "[e"), (". .",)]
    expected = {}
    for k, lits in enumerate(groups):
        hits = sorted(p for lit in set(lits) for p in _occurrences(text, lit))
        if hits:
            expected[k] = hits
    found = screens.LiteralScan(groups).hits(text)
    assert {k: sorted(v) for k, v in found.items()} == expected


def test_literal_scan_without_literals_finds_nothing():
    assert screens.LiteralScan([(), ()]).hits("any text") == {}


# --- pronoun gender --------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Zelensky spoke in Kyiv on Monday. \u201cWe are ready,\u201d she added.",
     "Zelensky spoke in Kyiv on Monday. \u201cWe are ready,\u201d he added."),
    ("Selenskyj sprach am Montag. \u201cWe are ready,\u201d she said.",
     "Zelensky sprach am Montag. \u201cWe are ready,\u201d he said."),
    ("Maria Zakharova spoke on Friday. \u201cNo comment,\u201d he said.",
     "Maria Zakharova spoke on Friday. \u201cNo comment,\u201d she said."),
])
def test_a_pronoun_takes_the_gender_of_the_person_named_before(text, expected):
    from detente import normalize

    result = normalize(text, skip={"language"})
    assert result.text == expected
    assert "quirks.pronoun_gender" in {c.rule for c in result.changes}


@pytest.mark.parametrize("text", [
    "Maria Zakharova said she would not comment.",
    # someone the gazetteer does not know may be the one speaking
    "US first lady Melania Trump met Putin\u2019s envoy. \u201cI\u2019m working on it,\u201d she told reporters.",
    "Trump\u2019s press secretary Karoline Leavitt spoke on Friday. \u201cWe are close,\u201d she told reporters.",
    # people of both genders nearby
    "Zelensky met Ursula von der Leyen in Kyiv. \u201cWe are ready,\u201d she said.",
])
def test_a_pronoun_with_another_possible_speaker_stays(text):
    from detente import normalize

    assert "quirks.pronoun_gender" not in {c.rule for c in normalize(text, skip={"language"}).changes}
