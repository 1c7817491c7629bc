"""Speaker attribution, one test per pattern."""

from __future__ import annotations

import pytest

from detente.segment import statements


def speakers(text: str) -> list[str | None]:
    return [s.speaker for s in statements(text)]


@pytest.mark.parametrize("text, speaker", [
    ("Lavrov said the talks were difficult.", "Sergei Lavrov"),                       # X said
    ("“We will not give up,” Lavrov said.", "Sergei Lavrov"),                         # quote, X said
    ("“We will not give up,” said Medinsky.", "Vladimir Medinsky"),                   # quote, said X
    ("The talks are useful, said Mykhailo Podolyak, an adviser to Zelensky.", "Mykhailo Podolyak"),
    ("Peskov told reporters the talks were stuck.", "Dmitry Peskov"),                 # X told
    ("According to Podolyak, Russia softened its position.", "Mykhailo Podolyak"),    # according to X
    ("Mykhailo Podolyak, an adviser to Zelensky, said the model is Ukrainian.", "Mykhailo Podolyak"),
    ("Podolyak wrote on Twitter that talks continue.", "Mykhailo Podolyak"),          # X wrote on Twitter
    ("In an interview, Zelensky said talks go on.", "Volodymyr Zelensky"),            # in an interview, X
    ("Lavrov, in an interview with RBC, said there is hope.", "Sergei Lavrov"),        # inserted phrase
    ("Zelensky's adviser Mykhailo Podolyak said no.", "Mykhailo Podolyak"),            # possessive title
    ("The city's mayor, Vadym Boichenko, said civilians were trapped.", "Vadym Boichenko"),  # title, Name,
    ("Kremlin spokesman Dmitry Peskov said talks go on.", "Dmitry Peskov"),
    ("The Kremlin said talks should start on Tuesday.", "Kremlin"),                   # organisation
    ("Ukrainian officials said the talks would be hard.", "Ukrainian officials"),      # collective
    ("The UN Human Rights Office said 691 civilians died.", "UN Human Rights Office"),
    ("Ukraine said on Sunday that it restored a power line.", "Ukraine"),
    ("U.S. Deputy Secretary of State Wendy Sherman said Moscow was willing.", "Wendy Sherman"),  # unknown name
    ("Putin has continued insisting publicly that the goal stands.", "Vladimir Putin"),  # filler words
    ("Lavrov also took aim at the United States and said the order is changing.", "Sergei Lavrov"),
    ("Podolyak did not say what the reception was.", None),                           # negated
    ("The negotiators are preparing for a meeting.", None),                            # narration
    ("After Biden said Putin must go, aides rushed to explain.", None),                # subordinate clause
])
def test_single_sentence_patterns(text, speaker):
    assert speakers(text)[0] == speaker


def test_he_said_resolves_to_last_speaker_of_matching_gender():
    text = "Podolyak said the talks were hard. “We are confident,” he said."
    assert speakers(text) == ["Mykhailo Podolyak", "Mykhailo Podolyak"]


def test_pronoun_uses_person_of_previous_statement():
    text = ("Lavrov said no. Ukrainian President Volodymyr Zelensky has been sending mixed messages. "
            "He said he would prioritize territorial integrity.")
    assert speakers(text)[-1] == "Volodymyr Zelensky"


def test_surname_after_full_name_is_one_speaker():
    text = "British Prime Minister Boris Johnson said no. Johnson said the UK ruled it out."
    assert speakers(text) == ["Boris Johnson", "Boris Johnson"]


def test_unknown_surname_after_full_name():
    text = ("U.S. Deputy Secretary of State Wendy Sherman said talks may help. "
            "“Sanctions work,” Sherman told Fox News. “We see signs,” she continued.")
    assert speakers(text) == ["Wendy Sherman"] * 3


def test_quote_continuation_keeps_speaker():
    text = "“Meetings continue,” Zelensky said. “We are ready. Until we win.”\n\nThe weather was fine."
    out = statements(text)
    assert [s.speaker for s in out] == ["Volodymyr Zelensky", "Volodymyr Zelensky", None]
    assert [s.quote for s in out] == [True, True, False]


def test_title_resolves_to_named_role_holder():
    text = ("Kremlin spokesman Dmitry Peskov said talks are slow. "
            "“Until now, we haven’t achieved that,” the spokesperson explained.")
    assert speakers(text)[-1] == "Dmitry Peskov"


def test_title_synonym_resolves():
    text = ("The head of the Russian delegation, Vladimir Medinsky, said talks were constructive. "
            "Russia’s chief negotiator explained that Kyiv proposed neutrality.")
    assert speakers(text)[-1] == "Vladimir Medinsky"


def test_unresolved_title_is_kept_as_text():
    assert speakers("A senior administration official said more aid is coming.") == ["a senior administration official"]


def test_pronoun_followed_by_name():
    text = "“We cannot see progress”, he said this Wednesday Kremlin spokesman Dmitry Peskov, in a press conference."
    assert speakers(text) == ["Dmitry Peskov"]


def test_headline_with_capitalised_verb():
    assert speakers("Ukrainian, Russian Negotiators Say Significant Progress Made")[0] == "Ukrainian, Russian Negotiators"


def test_narration_has_no_speaker_and_no_quote():
    (st,) = statements("Fighting continued around the \"strategic\" plant.")
    assert st.speaker is None and st.quote is False


# -- the word lists are data tables (detente/data/*.csv)

def test_word_tables_load():
    from detente.speakers import WORD_TABLES, word_table, words

    for name in WORD_TABLES:
        rows = word_table(name)
        assert rows, name
        assert word_table(name) is rows   # read once
    assert "said" in words("speech_verbs") and "launched a call" in words("speech_verbs")
    assert dict(word_table("speaker_pronouns"))["she"] == "f"
    assert "mr" in words("abbreviations") and "however" in words("sentence_starters")


@pytest.mark.parametrize("text, message", [
    ("# c\nword,refers_to\nhe,m\nshe\n", r"t\.csv:4: expected 2 fields"),
    ("word,refers_to\nhe,m\nshe,x\n", r"t\.csv:3: refers_to must be m, f or org"),
    ("word,refers_to\n,m\n", r"t\.csv:2: empty 'word'"),
    ("verb\nsaid\n", r"t\.csv:1: header must be word,refers_to"),
    ("# only a comment\n", r"t\.csv: no header row"),
])
def test_malformed_word_table_names_file_and_line(text, message):
    from detente.speakers import WordTableError, parse_word_table

    with pytest.raises(WordTableError, match=message):
        parse_word_table(text, "t.csv", ("word", "refers_to"))


def test_bad_title_pattern_names_line():
    from detente.speakers import WordTableError, parse_word_table

    with pytest.raises(WordTableError, match=r"titles\.csv:3: bad regex"):
        parse_word_table("pattern,generic\nminister,\nhead of (,\n", "titles.csv", ("pattern", "generic"))
    rows = parse_word_table("pattern,generic,note\nspokes\\w+,yes,a note\n", "titles.csv", ("pattern", "generic"))
    assert rows == (("spokes\\w+", "yes"),)


def test_mentions_within_a_span_match_a_full_scan():
    from types import SimpleNamespace as M

    from detente.speakers import Attributor

    mentions = [M(start=s, end=e, type="person", entity=None, text="x", gender=None)
                for s, e in [(0, 5), (3, 4), (3, 9), (10, 10), (10, 14), (20, 30)]]
    text = "x" * 40
    fast = Attributor(text, mentions)
    slow = Attributor(text, mentions + [M(start=35, end=33, type="person", entity=None, text="y", gender=None)])
    assert fast._starts is not None and slow._starts is None   # a reversed span: scan them all
    for s in range(0, 32):
        for e in range(s, 33):
            want = [m for m in fast.mentions if m.start >= s and m.end <= e]
            assert fast._within(s, e) == want == slow._within(s, e)


@pytest.mark.parametrize("s", ["", "said", "Putin", "the Kremlin spokesman,", "a b", "U.S. officials", "x\n", "word\n",
                               "Ukraine’s", "one - two", "end ,", ",", "-", "a,b", "’s", "ab-cd ef'gh", "x\n\n", " lead"])
def test_last_word_is_the_plain_search(s):
    import re

    from detente.speakers import _last_word

    want = re.search(r"([\w’'-]+)$", s)
    got = _last_word(s)
    assert (got is None) == (want is None)
    if want:
        assert (got.group(1), got.start(1), got.end(1)) == (want.group(1), want.start(1), want.end(1))
