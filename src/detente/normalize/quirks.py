"""Machine-translation quirks: repairs of what a translator typically leaves broken.

Conservative by design: every rule requires a context that only broken text
has (an untranslated article before a lower-case English word, a Cyrillic
letter inside a Latin word, ...), so correct typography is never restyled.
The tables ``quirk_patterns``, ``function_words``, ``proper_nouns``,
``homoglyphs`` and ``pronouns`` drive the rules.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    from detente.normalize.names import Mention

from detente.language import english_vocabulary, untranslated_at
from detente.normalize import screens
from detente.normalize.edits import Edit
from detente.normalize.tables import Rules, TableError
from detente.normalize.unicode import quote_pairs, whitespace

Step = Callable[[str, Rules], list[Edit]]

_URL_HINT = re.compile(r"://|www\.|@|#|\.(?:com|org|net|gov|edu|ua|ru|de|fr|uk|eu|int|info|io|by|pl|it|es|pt|br)\b")
_NON_SPACE_RUN = re.compile(r"\S+")
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WEEKDAY_FORMS = frozenset(d + p for d in _WEEKDAYS.split("|") for p in ("", ",", ".", ";", ":", ")", "”"))
# No leading \b: a plain alternation lets re skip ahead fast, and every match must follow a
# space anyway (checked on hits), which is a word boundary.
_WEEKDAY_PREPOSITION = re.compile(rf"(On|Last|This|Next|Until|By|Since|From|Late|Early)(?= (?:{_WEEKDAYS})\b)")
_HTML_ENTITY = re.compile(r"&(?:#\d{1,6}|#[xX][0-9a-fA-F]{1,5}|[a-zA-Z]{2,8});")
_GLUED_FUNCTION = re.compile(r"\b(to|the|of|in|on|at|by|for|with|from|and|said|told|says|according|about|that)([A-Z][a-z]{2,})\b")
_GLUED_VERBS = ("said", "says", "told", "added", "stressed", "noted", "wrote", "reported")
_GLUED_VERB = re.compile(rf"\b([A-Z][a-z]{{2,}})({'|'.join(_GLUED_VERBS)})\b")
# After the mark, Cyrillic too: the name stage may turn "aa,Зеленський" into "aa,Zelensky".
_GLUED_PERIOD = re.compile(r"(?<![A-Za-z.])([a-z]{2,})\.([A-Z\u0400-\u042f][^\W\d_]{2,})\b(?![.@/])")
_GLUED_COMMA = re.compile(r"\b([a-z]{2,}),([^\W\d_]{2,})\b")
_GLUE_HINT = re.compile(r"[a-z][A-Z]|[a-z][.,][^\W\d_]")
# _GLUE_HINT's two branches, each found from its rarer character: the function-word regex
# contains the first at its join, the full-stop and comma regexes the second.
# Both in one regex starting with one character class, which re scans for fast: one scan
# instead of two. Neither kind of match can hide one of the other (a mark match takes the
# letter after the mark, never a capital after a lower-case letter).
_JOIN = re.compile(r"[A-Z.,](?:(?<=[a-z][A-Z])|(?<=[a-z][.,])[^\W\d_])")
_FOREIGN_LETTER = re.compile(r"[\u0370-\u04ff]")
_LETTERS = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?][”\"’]?\s+(?=[“\"A-Z\u0400-\u04ff])|\n")


_AFFIXES = ("", ",", ".", ";", ":", "'s", "’s", ")", "\"", "”", "?", "!")


def _all_forms(rules: Rules) -> frozenset[str]:
    return (rules.compiled("quirks.function_word_forms", _function_word_forms)
            | rules.compiled("quirks.proper_noun_forms", _proper_noun_forms) | _WEEKDAY_FORMS)


@lru_cache(maxsize=8)
def _present_forms(text: str, rules: Rules) -> frozenset[str]:
    """The tokens of ``text`` that are a form of a function word, a lower-case name or a
    weekday: one pass over the tokens answers the three steps' "any such word?" tests."""
    return rules.compiled("quirks.all_forms", _all_forms).intersection(text.split())


def token_forms(words) -> frozenset[str]:
    """The tokens a word can appear as: bare, after an opening mark, or before punctuation."""
    return frozenset(pre + w + post for w in words for pre in ("", "(", "“", "\"") for post in _AFFIXES)


@lru_cache(maxsize=8)
def url_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses, domains, hashtags and handles: never repaired.

    Each is the whole whitespace-delimited token around a URL hint, which
    is cheap to find and errs on the side of protecting too much.
    """
    spans: list[tuple[int, int]] = []
    for hint in _URL_HINT.finditer(text):
        if spans and hint.start() < spans[-1][1]:
            continue
        start = max(text.rfind(" ", 0, hint.start()), text.rfind("\n", 0, hint.start())) + 1
        token = _NON_SPACE_RUN.match(text, start)
        if token and token.end() > hint.start():
            spans.append((start, token.end()))
    return spans


def _outside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True unless [start, end) cuts into a URL-like span (removing a whole one is allowed)."""
    return not any(s < end and start < e and not (start <= s and e <= end) for s, e in spans)


def _trimmed(start: int, old: str, new: str, rule: str) -> Edit:
    """The smallest edit turning ``old`` (at ``start``) into ``new``: logs show what changed."""
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) - p and old[-1 - s] == new[-1 - s]:
        s += 1
    return Edit(start + p, start + len(old) - s, new[p : len(new) - s], rule)


# --- table-driven regex repairs -------------------------------------------------


def _compile_patterns(rules: Rules) -> list[tuple[str, re.Pattern, str, tuple, bool]]:
    compiled = []
    for row in rules.rows("quirk_patterns"):
        try:
            pattern = re.compile(row["pattern"])
            pattern.sub(row.get("replacement", ""), "")  # validates the template now, not mid-run
        except (re.error, KeyError, IndexError) as exc:
            raise TableError(f"{row['_source']}: bad quirk pattern {row.get('pattern')!r}: {exc}") from None
        # Literal substrings one of which a match must contain: fast `in` checks spare
        # most texts the regex scan, and a regex that never crosses a line then only
        # scans the lines holding one.
        requires = tuple(r for r in row.get("requires", "").split("|") if r)
        lines = bool(requires) and not any("\n" in r for r in requires) and screens.one_line(pattern)
        compiled.append((row["id"], pattern, row.get("replacement", ""), requires, lines))
    return compiled


def _pattern_scan(rules: Rules) -> screens.LiteralScan:
    """One scan telling which rows' required literals a text holds (group k: row k)."""
    return screens.LiteralScan([requires for _, _, _, requires, _ in rules.compiled("quirks.patterns", _compile_patterns)])


def _compile_quote_styles(rules: Rules) -> list[tuple[re.Pattern, str, str, str]]:
    styles = []
    for row in rules.rows("quote_styles"):
        open_, close = row["open"].strip(), row["close"].strip()
        if len(open_) != 1 or not close:
            raise TableError(f"{row['_source']}: 'open' must be one character and 'close' at least one")
        marks = re.escape(open_ + close)
        # Spaces just inside the marks go too: « Nous » -> “Nous”.
        regex = re.compile(rf"{re.escape(open_)}[ \t]*([^{marks}\n]{{1,400}}?)[ \t]*[{re.escape(close)}]")
        styles.append((regex, row["new_open"].strip(), row["new_close"].strip(), row["id"]))
    return styles


def quote_styles(text: str, rules: Rules) -> list[Edit]:
    """«…», „…“ and »…« quotation marks of the source language become “…”.

    Styles share marks (« opens one and closes another), so between two «…» quotes
    the text "» … «" looks like a »…« quote. Quotes are therefore taken left to right
    across all styles, and a match overlapping one already taken is not a quote."""
    found = []
    for order, (regex, new_open, new_close, rule) in enumerate(rules.compiled("quirks.quote_styles", _compile_quote_styles)):
        found += [(m.start(), order, m, new_open, new_close, rule) for m in regex.finditer(text)]
    edits: list[Edit] = []
    taken_to = 0
    for start, _, m, new_open, new_close, rule in sorted(found, key=lambda f: f[:2]):
        if start < taken_to:
            continue
        taken_to = m.end()
        edits.append(Edit(start, m.start(1), new_open, rule))
        edits.append(Edit(m.end(1), m.end(), new_close, rule))
    return edits


def patterns(text: str, rules: Rules) -> list[Edit]:
    """The table's regex repairs; a row runs only on text holding one of its required literals.

    All rows see the same text; where two edits overlap the earlier one wins,
    and the stage's next round takes up what a repair exposed.
    """
    edits: list[Edit] = []
    spans: list[tuple[int, int]] | None = None
    found = rules.compiled("quirks.pattern_scan", _pattern_scan).hits(text)
    whole = ((0, len(text)),)
    for k, (rule, pattern, template, requires, lines) in enumerate(rules.compiled("quirks.patterns", _compile_patterns)):
        windows = whole
        if requires:
            hits = found.get(k)
            if hits is None:
                continue
            if lines:
                windows = screens.line_windows(text, hits)
        for lo, hi in windows:
            for m in pattern.finditer(text, lo, hi):
                spans = url_spans(text) if spans is None else spans
                if _outside(spans, m.start(), m.end()):
                    edits.append(_trimmed(m.start(), m.group(), m.expand(template), rule))
    return edits


# --- untranslated function words and lower-case names ----------------------------


def _compile_function_words(rules: Rules) -> tuple[re.Pattern | None, re.Pattern | None, dict[str, tuple[str, str]]]:
    start, between, table = [], [], {}
    for row in rules.rows("function_words"):
        word, position = row["word"].strip(), row.get("position", "").strip()
        if position not in {"start", "between"}:
            raise TableError(f"{row['_source']}: position must be 'start' or 'between', not {position!r}")
        table[(word, position)] = (row["english"].strip(), f"quirks.function_word.{row['id']}")
        (start if position == "start" else between).append(re.escape(word))
    # The context before the word is checked in Python (_sentence_start, _between_words), so
    # each regex can start with something re scans for fast: a "start" word needs no leading
    # \b when every such word is one run of word characters (_sentence_start then implies
    # it, and a match inside a word hides no match that starts at a word start); a
    # "between" word takes the space before it into the match instead of a look-behind.
    lead = r"" if all(re.fullmatch(r"\w+", w) for w, pos in table if pos == "start") else r"\b"
    start_re = re.compile(rf"{lead}({'|'.join(start)})(?= [a-z])") if start else None
    between_re = re.compile(rf" ({'|'.join(between)})(?= [^\W\d_])(?! al\.)") if between else None
    return start_re, between_re, table


def _sentence_start(text: str, pos: int) -> bool:
    """A sentence starts at a line start, or after end punctuation (and a closing quote) and a space."""
    if pos == 0 or text[pos - 1] == "\n":
        return True
    if text[pos - 1] != " " or pos < 2:
        return False
    if text[pos - 2] in ".!?":
        return True
    return pos >= 3 and text[pos - 2] in "”\"" and text[pos - 3] in ".!?"


def _between_words(text: str, pos: int) -> bool:
    return pos >= 2 and text[pos - 1] == " " and (text[pos - 2].isalpha())


def _function_word_forms(rules: Rules) -> frozenset[str]:
    return token_forms(row["word"].strip() for row in rules.rows("function_words"))


def function_words(text: str, rules: Rules) -> list[Edit]:
    """'O government of russia' -> 'The government of russia'; 'Putin и Zelensky' -> 'Putin and Zelensky'."""
    start_re, between_re, table = rules.compiled("quirks.function_words", _compile_function_words)
    edits: list[Edit] = []
    if rules.compiled("quirks.function_word_forms", _function_word_forms).isdisjoint(_present_forms(text, rules)):
        return edits
    for regex, position, context in ((start_re, "start", _sentence_start), (between_re, "between", _between_words)):
        if regex is None:
            continue
        # "O government of russia said" is a translated sentence with one word left over;
        # "O ministro das Relações Exteriores disse que Rússia e Ucrânia" is a paragraph left
        # untranslated, whose words must stay (the language stage flags it).
        foreign: dict[int, bool] = {}
        for m in regex.finditer(text):
            if context(text, m.start(1)) and not untranslated_at(text, m.end(1), foreign):
                english, rule = table[(m.group(1), position)]
                edits.append(Edit(m.start(1), m.end(1), english, rule))
    return edits


def _compile_proper_nouns(rules: Rules) -> tuple[re.Pattern | None, dict[str, str]]:
    table = {row["word"].strip(): row["replacement"].strip() for row in rules.rows("proper_nouns")}
    if not table:
        return None, table
    words = "|".join(map(re.escape, sorted(table, key=len, reverse=True)))
    return re.compile(rf"\b({words})\b"), table


def _proper_noun_forms(rules: Rules) -> frozenset[str]:
    return token_forms(row["word"].strip() for row in rules.rows("proper_nouns"))


_WORD_RUN = re.compile(r"\w+")


def _proper_nouns_in(text: str, table: dict[str, str]) -> tuple[str, ...] | None:
    r"""The table's words that ``\b(word)\b`` can find in ``text``, longest first; None when
    that is not known cheaply.

    ``\b(word)\b`` matches exactly where ``word`` is a whole run of word characters, so when
    every word is one such run, the runs of the text tell which words can match at all; a
    regex of those few scans much faster than the alternation of all of them."""
    if not all(_WORD_RUN.fullmatch(w) for w in table):
        return None
    present = table.keys() & set(_WORD_RUN.findall(text))
    return tuple(sorted(present, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=256)
def _word_regex(words: tuple[str, ...]) -> re.Pattern:
    r"""``(w1|w2|...)\b`` for words longest first: :func:`_compile_proper_nouns`'s regex without
    its leading ``\b``, so that re scans for the words' first letters fast; the caller checks
    the word start (a match inside a word hides no match at a word start)."""
    return re.compile(rf"({'|'.join(map(re.escape, words))})\b")


def proper_nouns(text: str, rules: Rules) -> list[Edit]:
    """Country, people and day names left in lower case: 'of russia' -> 'of Russia'."""
    regex, table = rules.compiled("quirks.proper_nouns", _compile_proper_nouns)
    if regex is None or rules.compiled("quirks.proper_noun_forms", _proper_noun_forms).isdisjoint(_present_forms(text, rules)):
        return []
    words = _proper_nouns_in(text, table)
    if words is not None:
        if not words:
            return []
        regex = _word_regex(words)
    spans = None
    edits = []
    for m in regex.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if words is not None and (before.isalnum() or before == "_"):
            continue  # inside a word: no \b before it
        after = text[m.end() : m.end() + 2] + "  "
        # Not part of a hashtag, handle, path, domain or hyphenated word.
        if before in "@#/.-" or after[0] in "@/-" or (after[0] == "." and after[1].isalnum()):
            continue
        spans = url_spans(text) if spans is None else spans
        if _outside(spans, m.start(), m.end()):
            edits.append(Edit(m.start(), m.end(), table[m.group(1)], "quirks.lowercase_name"))
    return edits


def weekday_preposition(text: str, rules: Rules) -> list[Edit]:
    """'said On Wednesday' -> 'said on Wednesday' (only after a lower-case word or a comma)."""
    if _WEEKDAY_FORMS.isdisjoint(_present_forms(text, rules)):
        return []
    return [
        Edit(m.start(), m.end(), m.group().lower(), "quirks.weekday_preposition")
        for m in _WEEKDAY_PREPOSITION.finditer(text)
        if m.start() >= 2 and text[m.start() - 1] == " " and (text[m.start() - 2].islower() or text[m.start() - 2] == ",")
    ]


def html_entities(text: str, rules: Rules) -> list[Edit]:
    """'&amp;' and '&#8217;' left by a scraper become the characters they stand for."""
    edits = []
    for m in _HTML_ENTITY.finditer(text):
        char = html.unescape(m.group())
        if char != m.group() and char not in "\n\r":
            edits.append(Edit(m.start(), m.end(), char, "quirks.html_entity"))
    return edits


# --- glued words and stray letters ----------------------------------------------


def _known_capitalised(rules: Rules) -> frozenset[str]:
    words = {row["replacement"].strip() for row in rules.rows("proper_nouns")}
    for row in rules.rows("gazetteer"):
        for cell in (row.get("canonical", ""), row.get("surname", "")):
            words.update(w for w in cell.split() if w[:1].isupper())
    return frozenset(words)


def _in_lines(regex: re.Pattern, hits: list[int], text: str):
    """``regex``'s matches, scanning only the lines holding one of ``hits``, where every
    match has one (the regex never crosses a line)."""
    for lo, hi in screens.line_windows(text, hits) if hits else ():
        yield from regex.finditer(text, lo, hi)


def _glued_verb_hits(text: str) -> list[int]:
    """Positions of the verbs of _GLUED_VERB right after a lower-case letter: every match of it
    holds one, and a few literal searches are much faster than the regex over a whole text."""
    hits = []
    find = text.find
    for verb in _GLUED_VERBS:
        i = find(verb, 1)
        while i >= 0:
            if "a" <= text[i - 1] <= "z":
                hits.append(i)
            i = find(verb, i + 1)
    return hits


def _join_hits(text: str) -> tuple[list[int], list[int]]:
    """Positions of _GLUE_HINT's two branches: of the capital in "aB", of the mark in "a.b"/"a,b"."""
    hits = [m.start() for m in _JOIN.finditer(text)]
    return [p for p in hits if text[p] not in ".,"], [p for p in hits if text[p] in ".,"]


def glued_words(text: str, rules: Rules) -> list[Edit]:
    """Words run together where a link used to be: 'according toReuters', 'Ukrainesaid', 'war.The'."""
    case_hits, mark_hits = _join_hits(text)
    if not case_hits and not mark_hits:  # no _GLUE_HINT
        return []
    known = rules.compiled("quirks.known_capitalised", _known_capitalised)
    candidates = []
    for m in _in_lines(_GLUED_FUNCTION, case_hits, text):
        candidates.append((m, m.group(1) + " " + m.group(2)))
    for m in _in_lines(_GLUED_VERB, _glued_verb_hits(text), text):
        if m.group(1) in known:
            candidates.append((m, m.group(1) + " " + m.group(2)))
    mark_windows = screens.line_windows(text, mark_hits) if mark_hits else ()
    for lo, hi in mark_windows:
        for m in _GLUED_PERIOD.finditer(text, lo, hi):
            candidates.append((m, m.group(1) + ". " + m.group(2)))
    for lo, hi in mark_windows:
        for m in _GLUED_COMMA.finditer(text, lo, hi):
            candidates.append((m, m.group(1) + ", " + m.group(2)))
    if not candidates:
        return []
    spans = url_spans(text)
    return [
        _trimmed(m.start(), m.group(), fixed, "quirks.glued_words")
        for m, fixed in candidates
        if _outside(spans, m.start(), m.end())
    ]


def _mixed_words(text: str):
    """Words that mix Latin letters with Cyrillic or Greek ones."""
    seen = -1
    for hit in _FOREIGN_LETTER.finditer(text):
        if hit.start() < seen:
            continue
        start = hit.start()
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        word = _LETTERS.match(text, start)
        if word is None:  # a Cyrillic or Greek sign that is not a letter
            continue
        seen = word.end()
        if any("a" <= ch.lower() <= "z" for ch in word.group()):
            yield word


def _compile_homoglyphs(rules: Rules) -> dict[str, str]:
    table = {}
    for row in rules.rows("homoglyphs"):
        if len(row["foreign"]) != 1 or len(row["latin"]) != 1:
            raise TableError(f"{row['_source']}: 'foreign' and 'latin' must be single letters")
        table[row["foreign"]] = row["latin"]
    return table


def stray_letters(text: str, rules: Rules) -> list[Edit]:
    """A Cyrillic or Greek look-alike inside a Latin word ('Ukrаine') becomes the Latin letter."""
    if not _FOREIGN_LETTER.search(text):
        return []
    table = rules.compiled("quirks.homoglyphs", _compile_homoglyphs)
    edits = []
    for m in _mixed_words(text):
        word = m.group()
        latin = sum(1 for ch in word if "a" <= ch.lower() <= "z")
        foreign = [i for i, ch in enumerate(word) if "\u0370" <= ch <= "\u04ff"]
        # Only when the word is mostly Latin and every foreign letter has a look-alike.
        if latin > len(foreign) and all(word[i] in table for i in foreign):
            for i in foreign:
                edits.append(Edit(m.start() + i, m.start() + i + 1, table[word[i]], "quirks.stray_letter"))
    return edits


# --- pronoun gender ----------------------------------------------------------------


def _compile_pronouns(rules: Rules) -> tuple[re.Pattern | None, dict[str, tuple[str, str]]]:
    table, alternation = {}, []
    # Without a leading \b (a regex starting with one is scanned slowly) when every pronoun
    # starts with a word character: _pronoun_matches then checks the word start on hits.
    words = [w.strip() for row in rules.rows("pronouns") for w in (row["m"], row["f"])]
    lead = "" if all(w[:1].isalnum() or w[:1] == "_" for w in words) else r"\b"
    for row in rules.rows("pronouns"):
        m, f = row["m"].strip(), row["f"].strip()
        verbs = "|".join(re.escape(v.strip()) for v in row["verbs"].split("|") if v.strip())
        for word, gender in ((m, "m"), (f, "f")):
            table[word] = (gender, f if gender == "m" else m)
            table[word.capitalize()] = (gender, (f if gender == "m" else m).capitalize())
        alternation.append(rf"{lead}({'|'.join(map(re.escape, (m, f, m.capitalize(), f.capitalize())))}) (?:{verbs})\b")
    if not alternation:
        return None, table
    return re.compile("|".join(f"(?:{a})" for a in alternation)), table


def _pronoun_matches(regex: re.Pattern, text: str):
    r"""What ``\b`` + regex would find: pronouns start with a word character, so a hit right
    after one is no word start; the scan then goes on from the next character."""
    pos = 0
    search = regex.search
    while (m := search(text, pos)) is not None:
        s = m.start()
        if s and (text[s - 1].isalnum() or text[s - 1] == "_") and (text[s].isalnum() or text[s] == "_"):
            pos = s + 1
            continue
        yield m
        pos = m.end() if m.end() > s else s + 1


def pronoun_gender(text: str, rules: Rules, mentions: Sequence["Mention"]) -> list[Edit]:
    """'Zelensky ... she added' -> 'he added' when every person named nearby has the other gender.

    Runs after the name stage, on its ``mentions`` (so "Selenskyj ... she"
    works too). "Nearby" is the text from the start of the previous paragraph
    up to the pronoun; a window naming people of both genders, or nobody
    known, is left alone.
    """
    regex, table = rules.compiled("quirks.pronouns", _compile_pronouns)
    if regex is None:
        return []
    persons = sorted((x for x in mentions if x.type == "person" and x.gender), key=lambda x: x.start)
    starts = [x.start for x in persons]
    edits: list[Edit] = []
    for m in _pronoun_matches(regex, text) if persons else ():
        pronoun = next(g for g in m.groups() if g)
        gender, other = table[pronoun]
        lo = _previous_paragraph_start(text, m.start())
        genders = _genders_between(persons, starts, lo, m.start())
        if genders and gender not in genders and len(genders) == 1 and not _unknown_person(text, lo, m.start(), mentions):
            start = m.start(m.lastindex)
            edits.append(Edit(start, start + len(pronoun), other, "quirks.pronoun_gender"))
    return edits


_NAME_PAIR = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]+)\b")


def _unknown_person(text: str, lo: int, hi: int, mentions: Sequence["Mention"]) -> bool:
    """Does text[lo:hi] name someone the gazetteer does not know ("Karoline Leavitt", "Melania
    Trump")? Then the pronoun may well be theirs, and its gender is left alone. A name here is
    two capitalized words, the first not an English word ("President Trump", "White House" are
    not), the second not an English word either or a person the name stage found (whose
    mention then does not cover the first word: "Melania" is not Donald Trump's)."""
    vocabulary = english_vocabulary()
    found = {(x.start, x.end): x for x in mentions}
    for pair in _NAME_PAIR.finditer(text, lo, hi):
        first, second = pair.group(1), pair.group(2)
        if first.lower() in vocabulary or any(x.start <= pair.start() < x.end for x in mentions):
            continue
        named = found.get(pair.span(2))
        if named is not None and named.type == "person" or named is None and second.lower() not in vocabulary:
            return True
    return False


def _genders_between(persons, starts: list[int], lo: int, hi: int) -> set[str]:
    """Genders of the persons named inside [lo, hi) (``persons`` sorted by start)."""
    genders = set()
    for k in range(bisect_left(starts, lo), bisect_right(starts, hi)):
        if persons[k].end <= hi:
            genders.add(persons[k].gender)
    return genders


def _previous_paragraph_start(text: str, pos: int) -> int:
    line_start = text.rfind("\n", 0, pos)
    if line_start < 0:
        return 0
    # Skip blank separator lines, then go to the start of the paragraph before.
    k = line_start
    while k > 0 and text[k - 1] == "\n":
        k -= 1
    prev = text.rfind("\n", 0, k)
    return prev + 1


def steps(rules: Rules) -> tuple[Step, ...]:
    """The quirk stage's steps, in order. Splitting glued words first gives later rules the word
    boundaries they look for; quote styles are converted and paired before their spacing is fixed;
    removals can leave spaces at a line's edge, hence the final whitespace step."""
    rules.compiled("quirks.patterns", _compile_patterns)  # a bad pattern fails now, not mid-run
    return (html_entities, stray_letters, glued_words, quote_styles, quote_pairs, patterns,
            function_words, proper_nouns, weekday_preposition, whitespace)
