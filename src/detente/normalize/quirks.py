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
from typing import Callable

from detente.normalize.edits import Edit
from detente.normalize.tables import Rules, TableError

Step = Callable[[str, Rules], list[Edit]]

_URLISH = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|ua|ru|de|fr|uk|eu|int|info|io|by|pl|it|es|pt|br)\b\S*|[#@]\w+"
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WEEKDAY_PREPOSITION = re.compile(rf"(?<=[a-z,] )(On|Last|This|Next|Until|By|Since|From|Late|Early)(?= (?:{_WEEKDAYS})\b)")
_HTML_ENTITY = re.compile(r"&(?:#\d{1,6}|#[xX][0-9a-fA-F]{1,5}|[a-zA-Z]{2,8});")
_GLUED_FUNCTION = re.compile(r"\b(to|the|of|in|on|at|by|for|with|from|and|said|told|says|according|about|that)([A-Z][a-z]{2,})\b")
_GLUED_VERB = re.compile(r"\b([A-Z][a-z]{2,})(said|says|told|added|stressed|noted|wrote|reported)\b")
_GLUED_PERIOD = re.compile(r"(?<![A-Za-z.])([a-z]{2,})\.([A-Z][a-z]{2,})\b(?![.@/])")
_GLUED_COMMA = re.compile(r"\b([a-z]{2,}),([A-Za-z]{2,})\b")
_MIXED_SCRIPT = re.compile(r"\w*(?:[A-Za-z][\u0370-\u04ff]|[\u0370-\u04ff][A-Za-z])\w*")
_SENTENCE_END = re.compile(r"[.!?][”\"’]?\s+(?=[“\"A-Z\u0400-\u04ff])|\n")


def url_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses, domains, hashtags and handles: never repaired."""
    return [m.span() for m in _URLISH.finditer(text)]


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


def _compile_patterns(rules: Rules) -> list[tuple[str, re.Pattern, str]]:
    compiled = []
    for row in rules.rows("quirk_patterns"):
        try:
            pattern = re.compile(row["pattern"])
            pattern.sub(row.get("replacement", ""), "")  # validates the template now, not mid-run
        except (re.error, KeyError, IndexError) as exc:
            raise TableError(f"{row['_source']}: bad quirk pattern {row.get('pattern')!r}: {exc}") from None
        compiled.append((row["id"], pattern, row.get("replacement", "")))
    return compiled


def _pattern_step(rule: str, pattern: re.Pattern, template: str) -> Step:
    def step(text: str, rules: Rules) -> list[Edit]:
        edits = []
        spans: list[tuple[int, int]] | None = None
        for m in pattern.finditer(text):
            if spans is None:
                spans = url_spans(text)
            if _outside(spans, m.start(), m.end()):
                edits.append(_trimmed(m.start(), m.group(), m.expand(template), rule))
        return edits

    step.__name__ = rule
    return step


# --- untranslated function words and lower-case names ----------------------------


def _compile_function_words(rules: Rules) -> tuple[re.Pattern | None, re.Pattern | None, dict[str, tuple[str, str]]]:
    start, between, table = [], [], {}
    for row in rules.rows("function_words"):
        word, position = row["word"].strip(), row.get("position", "").strip()
        if position not in {"start", "between"}:
            raise TableError(f"{row['_source']}: position must be 'start' or 'between', not {position!r}")
        table[(word, position)] = (row["english"].strip(), f"quirks.function_word.{row['id']}")
        (start if position == "start" else between).append(re.escape(word))
    # A sentence starts at a line start or after end punctuation (and a closing quote).
    start_re = (
        re.compile(rf"(?:^|(?<=[.!?] )|(?<=[.!?][”\"] ))({'|'.join(start)})(?= [a-z])", re.M) if start else None
    )
    between_re = (
        re.compile(rf"(?<=[^\W\d_] )({'|'.join(between)})(?= [^\W\d_])(?! al\.)") if between else None
    )
    return start_re, between_re, table


def function_words(text: str, rules: Rules) -> list[Edit]:
    """'O government of russia' -> 'The government of russia'; 'Putin и Zelensky' -> 'Putin and Zelensky'."""
    start_re, between_re, table = rules.compiled("quirks.function_words", _compile_function_words)
    edits = []
    for regex, position in ((start_re, "start"), (between_re, "between")):
        if regex is None:
            continue
        for m in regex.finditer(text):
            english, rule = table[(m.group(1), position)]
            edits.append(Edit(m.start(1), m.end(1), english, rule))
    return edits


def _compile_proper_nouns(rules: Rules) -> tuple[re.Pattern | None, dict[str, str]]:
    table = {row["word"].strip(): row["replacement"].strip() for row in rules.rows("proper_nouns")}
    if not table:
        return None, table
    words = "|".join(map(re.escape, sorted(table, key=len, reverse=True)))
    return re.compile(rf"(?<![\w@#/.\-])({words})\b(?![\w@/\-]|\.\w)"), table


def proper_nouns(text: str, rules: Rules) -> list[Edit]:
    """Country, people and day names left in lower case: 'of russia' -> 'of Russia'."""
    regex, table = rules.compiled("quirks.proper_nouns", _compile_proper_nouns)
    if regex is None:
        return []
    spans = None
    edits = []
    for m in regex.finditer(text):
        spans = url_spans(text) if spans is None else spans
        if _outside(spans, m.start(), m.end()):
            edits.append(Edit(m.start(), m.end(), table[m.group(1)], "quirks.lowercase_name"))
    return edits


def weekday_preposition(text: str, rules: Rules) -> list[Edit]:
    """'said On Wednesday' -> 'said on Wednesday' (only after a lower-case word or a comma)."""
    return [
        Edit(m.start(), m.end(), m.group().lower(), "quirks.weekday_preposition")
        for m in _WEEKDAY_PREPOSITION.finditer(text)
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


def glued_words(text: str, rules: Rules) -> list[Edit]:
    """Words run together where a link used to be: 'according toReuters', 'Ukrainesaid', 'war.The'."""
    known = rules.compiled("quirks.known_capitalised", _known_capitalised)
    candidates = []
    for m in _GLUED_FUNCTION.finditer(text):
        candidates.append((m, m.group(1) + " " + m.group(2)))
    for m in _GLUED_VERB.finditer(text):
        if m.group(1) in known:
            candidates.append((m, m.group(1) + " " + m.group(2)))
    for m in _GLUED_PERIOD.finditer(text):
        candidates.append((m, m.group(1) + ". " + m.group(2)))
    for m in _GLUED_COMMA.finditer(text):
        candidates.append((m, m.group(1) + ", " + m.group(2)))
    if not candidates:
        return []
    spans = url_spans(text)
    return [
        _trimmed(m.start(), m.group(), fixed, "quirks.glued_words")
        for m, fixed in candidates
        if _outside(spans, m.start(), m.end())
    ]


def _compile_homoglyphs(rules: Rules) -> dict[str, str]:
    table = {}
    for row in rules.rows("homoglyphs"):
        if len(row["foreign"]) != 1 or len(row["latin"]) != 1:
            raise TableError(f"{row['_source']}: 'foreign' and 'latin' must be single letters")
        table[row["foreign"]] = row["latin"]
    return table


def stray_letters(text: str, rules: Rules) -> list[Edit]:
    """A Cyrillic or Greek look-alike inside a Latin word ('Ukrаine') becomes the Latin letter."""
    table = rules.compiled("quirks.homoglyphs", _compile_homoglyphs)
    edits = []
    for m in _MIXED_SCRIPT.finditer(text):
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
    for row in rules.rows("pronouns"):
        m, f = row["m"].strip(), row["f"].strip()
        verbs = "|".join(re.escape(v.strip()) for v in row["verbs"].split("|") if v.strip())
        for word, gender in ((m, "m"), (f, "f")):
            table[word] = (gender, f if gender == "m" else m)
            table[word.capitalize()] = (gender, (f if gender == "m" else m).capitalize())
        alternation.append(rf"\b({'|'.join(map(re.escape, (m, f, m.capitalize(), f.capitalize())))}) (?:{verbs})\b")
    if not alternation:
        return None, table
    return re.compile("|".join(f"(?:{a})" for a in alternation)), table


def pronoun_gender(text: str, rules: Rules) -> list[Edit]:
    """'Zelensky ... she added' -> 'he added' when every person named nearby has the other gender.

    "Nearby" is the text from the start of the previous paragraph up to the
    pronoun; a window naming people of both genders, or nobody known, is left
    alone.
    """
    regex, table = rules.compiled("quirks.pronouns", _compile_pronouns)
    if regex is None:
        return []
    from detente.normalize.names import find_names  # late import: the name stage imports tables only

    edits = []
    for m in regex.finditer(text):
        pronoun = next(g for g in m.groups() if g)
        gender, other = table[pronoun]
        window_start = _previous_paragraph_start(text, m.start())
        _, mentions = find_names(text[window_start : m.start()], rules)
        genders = {x.gender for x in mentions if x.type == "person" and x.gender}
        if genders and gender not in genders and len(genders) == 1:
            start = m.start(m.lastindex)
            edits.append(Edit(start, start + len(pronoun), other, "quirks.pronoun_gender"))
    return edits


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
    """The quirk stage's steps: table patterns first (quotes, punctuation), then the coded rules."""
    def build(r: Rules) -> tuple[Step, ...]:
        patterns = tuple(_pattern_step(*row) for row in _compile_patterns(r))
        return (html_entities, stray_letters, *patterns, function_words, proper_nouns,
                weekday_preposition, glued_words, pronoun_gender)

    return rules.compiled("quirks.steps", build)
