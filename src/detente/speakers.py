"""Speaker attribution: who says each statement of an article.

Patterns, tried in this order on one statement:

1. after a quote:   “...,” Lavrov said / “...”, said Medinsky / “...,” he added /
                    “...,” the adviser to the Interior Ministry, Vadym Denysenko, said
2. inverted:        ..., said Mykhailo Podolyak, an adviser to ...
3. subject + verb:  X said / X told / X wrote on Twitter / X, an adviser to ..., said /
                    in an interview, X said / X also took aim ... and said (outside quotes,
                    outside a leading "After/When/As ..." clause, not negated)
4. according to X
5. ", saying/adding ..." after a clause whose subject is a name or pronoun
6. a quote with no attribution continues the previous quote's speaker.

Who a subject is:

* a person the name stage found -> its canonical name, so "Podolyak",
  "Mikhail Podolyak" and "Zelensky's adviser Mykhailo Podolyak" are one speaker;
  a title with a name in apposition ("The city's mayor, Vadym Boichenko,") -> the name;
* a name the gazetteer does not know ("Deputy Secretary of State Wendy Sherman")
  -> the words after the title; a later bare surname ("Sherman") -> that full name;
* he/she/him/her -> the previous statement's speaker if the gender fits, else the first
  person of the previous statement, else the last speaker of that gender;
  it -> the last organisation speaker;
* a title ("the Kremlin spokesman", "Russia's chief negotiator", "the Russian leader")
  -> the person the article named with that role (nationality + role), a generic
  one ("the spokesperson") -> the last speaker; else the title text itself;
* organisations and collectives are speakers too when they are the grammatical
  subject ("the Kremlin said", "Ukrainian officials said"): a known organisation or
  country -> its canonical name, otherwise the noun phrase without a leading "the".
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator, Sequence

from detente.issues import _folds_apart, _trie

__all__ = ["Attributor", "WordTableError", "quote_spans", "word_table", "words"]

# ----------------------------------------------------------------------------- word tables
# The word lists are data: CSV tables under detente/data/ (one row a word or pattern,
# "#" comment lines), read once by word_table(). Edit or extend them there.


class WordTableError(ValueError):
    """A word table is missing or malformed; the message names file and line."""


def parse_word_table(text: str, source: str, columns: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The rows of one word table, in file order, as tuples of ``columns`` (stripped).

    The header (first line that is not a ``#`` comment) must be ``columns``, optionally
    followed by ``note``; blank lines and ``#`` lines are skipped; the first column may
    not be empty. Raises :class:`WordTableError` naming ``source`` and the line.
    """
    reader = csv.reader(io.StringIO(text))
    header = None
    rows = []
    for row in reader:
        line = reader.line_num
        if not row or not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in row]
        if header is None:
            header = cells
            if header not in (list(columns), list(columns) + ["note"]):
                raise WordTableError(f"{source}:{line}: header must be {','.join(columns)} (and optionally note), "
                                     f"not {','.join(header)}")
            continue
        if len(cells) != len(header):
            raise WordTableError(f"{source}:{line}: expected {len(header)} fields ({','.join(header)}), found {len(cells)}")
        if not cells[0]:
            raise WordTableError(f"{source}:{line}: empty {header[0]!r}")
        rows.append((tuple(cells[:len(columns)]), f"{source}:{line}"))
    if header is None:
        raise WordTableError(f"{source}: no header row ({','.join(columns)})")
    return tuple(_checked(r, where, columns) for r, where in rows)


def _checked(row: tuple[str, ...], where: str, columns: Sequence[str]) -> tuple[str, ...]:
    values = dict(zip(columns, row))
    if "pattern" in values:
        try:
            re.compile(values["pattern"], re.IGNORECASE)
        except re.error as exc:
            raise WordTableError(f"{where}: bad regex {values['pattern']!r}: {exc}") from None
    if values.get("refers_to", "m") not in ("m", "f", "org"):
        raise WordTableError(f"{where}: refers_to must be m, f or org, not {values['refers_to']!r}")
    if values.get("generic", "") not in ("", "yes"):
        raise WordTableError(f"{where}: generic must be yes or empty, not {values['generic']!r}")
    for col in ("same_as", "side"):
        if col in values and not values[col]:
            raise WordTableError(f"{where}: empty {col!r}")
    return row


#: table name -> its columns (besides an optional note)
WORD_TABLES: dict[str, tuple[str, ...]] = {
    "speech_verbs": ("verb",),
    "speaker_fillers": ("word",),
    "speaker_np_words": ("word",),
    "speaker_pronouns": ("word", "refers_to"),
    "titles": ("pattern", "generic"),
    "role_synonyms": ("role", "same_as"),
    "nationalities": ("word", "side"),
    "title_words": ("word",),
    "subordinators": ("word",),
    "time_words": ("word",),
    "abbreviations": ("word",),
    "sentence_starters": ("word",),
}


@lru_cache(maxsize=None)
def word_table(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of the shipped table ``data/<name>.csv`` (see :data:`WORD_TABLES`), read once."""
    columns = WORD_TABLES[name]
    source = f"detente/data/{name}.csv"
    try:
        text = resources.files("detente").joinpath(f"data/{name}.csv").read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise WordTableError(f"{source}: no such word table") from None
    except UnicodeDecodeError as exc:
        raise WordTableError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_word_table(text, source, columns)


def words(name: str) -> tuple[str, ...]:
    """The first column of a word table, in file order."""
    return tuple(row[0] for row in word_table(name))


def _alternation(items: Iterable[str]) -> str:
    return "|".join(map(re.escape, items))


SPEECH_VERBS = list(dict.fromkeys(words("speech_verbs")))
_VERB = re.compile(r"(?<![\w’'-])(?:" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True)) + r")(?![\w’'-])",
                   re.IGNORECASE)


def _verb_finder() -> re.Pattern:
    """:data:`_VERB` for scanning a statement, with its alternation factored letter by letter
    (detente.issues._trie): the flat one tries all verbs at every word start. Both give the
    longest verb at a position that the lookahead accepts (the verbs matching there are
    prefixes of one another), so they find the same matches. Plain lower-case verbs only."""
    if not all(re.fullmatch(r"[a-z]+(?: [a-z]+)*", v) for v in SPEECH_VERBS):
        return _VERB
    return re.compile(r"(?<![\w’'-])(?:" + _trie(SPEECH_VERBS, longest=True) + r")(?![\w’'-])", re.IGNORECASE)


_VERB_SCAN = _verb_finder()


def _lowered_verb_finders() -> tuple[re.Pattern, re.Pattern] | None:
    """:data:`_VERB_SCAN` for the lower-cased text, without IGNORECASE (twice as fast): one
    that consumes the character before a verb (so ``re`` skips to candidates in C) and one for
    a verb at position 0. In the text lowered by :func:`_lowered_like_ignorecase`, they find
    the verbs _VERB_SCAN finds in the text. None unless the verbs are plain."""
    if _VERB_SCAN is _VERB:
        return None
    trie = _trie(SPEECH_VERBS, longest=True)
    return (re.compile(r"[^\w’'-](" + trie + r")(?![\w’'-])"), re.compile("(?:" + trie + r")(?![\w’'-])"))


_VERB_LOW = _lowered_verb_finders()


def _lowered_like_ignorecase(text: str) -> str | None:
    """``text`` lower-cased, where that mirrors IGNORECASE matching of ASCII letters (for
    :data:`_VERB_LOW` and plain finds); None where a case-blind regex and ``str.lower``
    disagree (İ ı ſ, see detente.issues._folds_apart)."""
    if _folds_apart(text):
        return None
    low = text.lower()
    return low if len(low) == len(text) else None
# Words allowed between a subject and its verb ("Putin has continued insisting publicly").
_FILLER = frozenset(words("speaker_fillers"))
_NEGATION = re.compile(r"\b(?:not|never|n[’']t|neither|nor)\b", re.IGNORECASE)
# Lower-case words that can sit inside a speaker noun phrase ("a senior administration official").
_NP_WORDS = frozenset(words("speaker_np_words"))
_PRONOUNS = dict(word_table("speaker_pronouns"))
_ROLE_NOUNS = re.compile("|".join(pattern for pattern, _ in word_table("titles")), re.IGNORECASE)
# Roles that name the same office ("Russia's chief negotiator" = "head of the Russian delegation").
_ROLE_SYNONYMS = dict(word_table("role_synonyms"))
_NATIONALITY = dict(word_table("nationalities"))
_GENERIC_TITLE = re.compile(r"^(?:the )?(?:government |city’s |city's )?(?:"
                            + "|".join(pattern for pattern, generic in word_table("titles") if generic == "yes") + ")$",
                            re.IGNORECASE)
_SUBORDINATE = re.compile(r"^(?:" + _alternation(words("subordinators")) + r")\b")
_WHEN = re.compile(r"(?:" + _alternation(words("time_words")) + r")\b")
_SUBCLAUSE = re.compile(r"(?:,|\b)\s*(?:although|though|whereas|while|as|which|who)\s+[^,“”\"]*$")
_TOKEN = re.compile(r"[\w.’'-]+|,")
_QUOTE_MARK = re.compile(r"[“”\"]")
_AFTER_QUOTE_SUBJECT = re.compile(r",?\s+(.{0,160}?)\s+(" + _VERB.pattern + r")\b", re.IGNORECASE)
_AFTER_QUOTE_VERB = re.compile(r",?\s+(?:" + _VERB.pattern + r")\s+(.+?)(?:,|\.|$)", re.IGNORECASE)
_INVERTED = re.compile(r"[,”\"]\s+(?:said|says|added|wrote|told)\s+([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})")
_ACCORDING_TO = re.compile(r"according to\s+([^,.;“\"]+)", re.IGNORECASE)
_PARTICIPLE = re.compile(r",\s+(?:saying|adding|noting|repeating)\b")
_AND_END = re.compile(r"\band\s+$")
# Compiled once here, not looked up in re's cache at each call: the subject finders run per statement.
_MEDIA_SOURCE = re.compile(r"(?:the )?(?:Russian |Ukrainian )?(?:state |state-run )?"
                           r"(?:news|media|agency|translation|comments|reports?)\b", re.I)
_PARTICIPLE_HEAD = re.compile(r"(?:[^,]*,\s*)?(he|she|[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)*)\s+\w+")
_AND_SUBJECT = re.compile(r"\s*(?:(?:However|Meanwhile|But|And|Also),?\s+)?([A-Z][\w’'-]+(?: [A-Z][\w’'-]+)*|[Hh]e|[Ss]he)")
_ADVERB = re.compile(r"(?:However|Meanwhile|But|And|Also|Then|Earlier|Later|Now|Still|Even)\s+")
_NATIONALITY_WORD = re.compile(r"[A-Z]\w+(?:ian|ese|ish)")
_CAPITALISED = re.compile(r"[A-Z][a-z’'-]+")
_CLAUSE_END = re.compile(r"[.;:!?“”\"]")
_APPOSITION = re.compile(r",\s*([^,.]{3,100})")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_LEADING_A = re.compile(r"A\s|An\s")


def _last_word(s: str):
    """The word ``s`` ends with (group 1), or None: what ``re.search(r"([\\w’'-]+)$", s)``
    finds, without trying every start. The greedy ``.*`` jumps to the end and backs off to
    the last character that is not in a word, so the cost is that of the last word."""
    return _LAST_WORD.match(s)
_LAST_WORD = re.compile(r"(?s:.*[^\w’'-])?([\w’'-]+)$")


def quote_spans(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Spans of the balanced quotations (“...” or "...") in ``text[lo:hi]``, marks included."""
    hi = len(text) if hi is None else hi
    if text.find('"', lo, hi) < 0 and text.find("“", lo, hi) < 0 and text.find("”", lo, hi) < 0:
        return []   # half the statements quote no one: three finds in C tell it faster than the loop
    spans, open_at, straight = [], None, None
    for m in _QUOTE_MARK.finditer(text, lo, hi):
        ch, pos = m.group(), m.start()
        if ch == '"':
            if straight is None:
                straight = pos
            else:
                spans.append((straight, pos + 1))
                straight = None
        elif ch == "“":
            open_at = pos
        elif open_at is not None:
            spans.append((open_at, pos + 1))
            open_at = None
    return sorted(spans)


# ----------------------------------------------------------------------------- article state

@dataclass
class _Person:
    name: str
    gender: str | None


@dataclass
class Attributor:
    """Attributes the statements of one article, in order (it keeps a history)."""

    text: str
    mentions: Sequence = ()
    _names: dict[str, str] = field(default_factory=dict)        # entity id -> canonical
    _surnames: dict[str, str] = field(default_factory=dict)     # unknown surname -> full name
    _roles: dict[tuple[str, str], str] = field(default_factory=dict)
    _last: list[tuple[str, str | None]] = field(default_factory=list)   # (speaker, gender)
    _prev_speaker: tuple[str, str | None] | None = None
    _prev_quote: bool = False
    _prev_span: tuple[int, int] = (0, 0)

    def __post_init__(self) -> None:
        self.mentions = sorted(self.mentions, key=lambda m: m.start)
        # For _within(): mention starts, ascending; valid only if no mention ends before it starts.
        self._starts = [m.start for m in self.mentions] if all(m.start <= m.end for m in self.mentions) else None
        self._canon = _canonical_names()
        # "Johnson said" after "Boris Johnson": the name stage may only report the full name
        self._known_surnames = {}
        for m in self.mentions:
            if m.type == "person":
                full = self._canon.get(m.entity, m.text)
                self._known_surnames.setdefault(full.split()[-1], (full, m.gender))
        self._register_roles()

    # -- public

    def next(self, start: int, end: int) -> tuple[str | None, bool]:
        """Speaker and quote flag of the statement ``text[start:end]`` (call in text order)."""
        quotes = quote_spans(self.text, start, end)
        found = self._attribute(start, end, quotes)
        if found is None and quotes and self._continues(start, quotes):
            found = self._prev_speaker
        speaker, gender = found if found else (None, None)
        if speaker:
            self._last.append((speaker, gender))
        self._prev_speaker = found
        self._prev_quote = bool(quotes) and speaker is not None
        self._prev_span = (start, end)
        return speaker, bool(quotes) and speaker is not None

    # -- patterns

    def _attribute(self, start: int, end: int, quotes: list[tuple[int, int]]):
        for finder in (self._after_quote, self._inverted, self._subject_verb, self._according_to, self._participle):
            found = finder(start, end, quotes)
            if found:
                return found
        return None

    def _after_quote(self, start, end, quotes):
        for qs, qe in quotes:
            closes_clause = self.text[qe - 2:qe - 1] in (",", "?", "!", ".", "…") or self.text[qe:qe + 1] == ","
            if not closes_clause:
                continue
            tail = self.text[qe:end]
            m = _AFTER_QUOTE_SUBJECT.match(tail)
            if m and m.group(1).lower() in ("said", "says", "added", "told"):
                continue
            if m and "“" not in m.group(1) and '"' not in m.group(1):
                subj_start = qe + m.start(1)
                who = self._resolve_np(subj_start, qe + m.end(1), after_verb=(qe + m.end(2), end))
                if who:
                    return who
            m = _AFTER_QUOTE_VERB.match(tail)
            if m:
                who = self._resolve_np(qe + m.start(1), qe + m.end(1))
                if who:
                    return who
        return None

    def _inverted(self, start, end, quotes):
        for m in _INVERTED.finditer(self.text[start:end]):
            s = start + m.start(1)
            if _in_spans(s, quotes) or _WHEN.match(m.group(1)):
                continue
            who = self._resolve_np(s, start + m.end(1), allow_pronoun=False)
            if who:
                return who
        return None

    def _subject_verb(self, start, end, quotes):
        body = self.text[start:end]
        skip_to = start
        if _SUBORDINATE.match(body) and "," in body:
            skip_to = start + body.index(",")
        headline = None   # computed only for a capitalised verb
        for v in self._verb_starts(start, end):
            if v < skip_to or _in_spans(v, quotes):
                continue
            if self.text[v].isupper():
                if headline is None:
                    headline = _is_headline(body)
                if not headline:
                    continue
            if _SUBCLAUSE.search(self.text, max(start, v - 80), v):
                continue   # "..., although both sides accused one another": not the main clause
            found = self._subject_of(start, v, quotes)
            if found:
                return found
        return None

    def _verb_starts(self, start: int, end: int) -> Iterator[int]:
        """Where the matches of :data:`_VERB_SCAN` in ``text[start:end]`` start, in order;
        lazily, as the caller usually stops at the first verb."""
        # the verb's preceding character is consumed: from start - 1, or matched apart at 0
        lo = max(start - 1, 0)
        low = _lowered_like_ignorecase(self.text[lo:end]) if _VERB_LOW is not None else None
        if low is None:
            yield from (m.start() for m in _VERB_SCAN.finditer(self.text, start, end))
            return
        if start == 0 and _VERB_LOW[1].match(low):
            yield 0
        yield from (lo + m.start(1) for m in _VERB_LOW[0].finditer(low))

    def _according_to(self, start, end, quotes):
        low = _lowered_like_ignorecase(self.text[start:end])
        if low is not None and "according to" not in low:
            return None   # most statements have none: a plain find in the lower-cased text tells
        for m in _ACCORDING_TO.finditer(self.text[start:end]):
            s = start + m.start(1)
            if _in_spans(s, quotes):
                continue
            np = m.group(1)
            if _MEDIA_SOURCE.match(np):
                continue
            who = self._resolve_np(s, start + m.end(1))
            if who:
                return who
        return None

    def _participle(self, start, end, quotes):
        m = _PARTICIPLE.search(self.text[start:end])
        if not m:
            return None
        head = _PARTICIPLE_HEAD.match(self.text[start:start + m.start()])
        if head:
            return self._resolve_np(start + head.start(1), start + head.end(1))
        return None

    def _continues(self, start: int, quotes) -> bool:
        # a statement opening with a quote right after a quoted statement continues it
        if not self._prev_quote or self._prev_speaker is None:
            return False
        between = self.text[self._prev_span[1]:start]
        return quotes[0][0] == start and between.count("\n") <= 2

    # -- subjects

    def _subject_of(self, start: int, verb: int, quotes):
        left = self.text[start:verb]
        if _NEGATION.search(left[-25:]):
            return None
        # "X ... and said": the subject is the clause's first noun phrase ("and" can only
        # start where the trailing space does, less 3: search from there, not the whole clause)
        if _AND_END.search(left, max(0, len(left.rstrip()) - 3)):
            lead = left.index(",") + 1 if _SUBORDINATE.match(left) and "," in left else 0
            head = _AND_SUBJECT.match(left[lead:])
            if not head:
                return None
            return self._resolve_np(start + lead + head.start(1), start + lead + head.end(1))
        np_end = self._skip_filler(start, verb)
        if np_end is None:
            return None
        np_start = self._np_start(start, np_end)
        if np_start >= np_end:
            return None
        return self._resolve_np(np_start, np_end)

    def _skip_filler(self, start: int, verb: int) -> int | None:
        """End of the subject noun phrase: before filler words and one appositive."""
        pos = verb
        while True:
            seg = self.text[start:pos]
            stripped = seg.rstrip()
            m = _last_word(stripped)
            if m and m.group(1).lower() in _FILLER and not self._is_name_at(start + m.start(1)):
                pos = start + m.start(1)
                continue
            if stripped.endswith(","):
                # an appositive or an inserted phrase: ", an adviser to X," / ", in an interview with Y,"
                comma = start + len(stripped) - 1
                open_ = self.text.rfind(",", start, comma)
                if open_ < 0 or comma - open_ > 170:
                    return None
                self._appositive = (open_ + 1, comma)
                return open_
            self._appositive = None
            return start + len(stripped)

    def _np_start(self, start: int, end: int) -> int:
        # The walk back from the verb usually stops within a few tokens: tokenize the last
        # stretch (from after a space, so its tokens are those of the whole span), and the
        # whole span only if the walk reaches the stretch's first token.
        cut = self.text.rfind(" ", start, max(start, end - 80))
        pos = self._np_walk(list(_TOKEN.finditer(self.text, cut + 1, end)), end, False) if cut >= 0 else None
        if pos is None:
            pos = self._np_walk(list(_TOKEN.finditer(self.text, start, end)), end, True)
        # a leading sentence adverb is not part of the subject
        while True:
            m = _ADVERB.match(self.text, pos, end)
            if not m:
                break
            pos = m.end()
        return pos

    def _np_walk(self, tokens: list, end: int, complete: bool) -> int | None:
        """Where the subject ending at ``end`` starts, walking back over ``tokens``; None if
        they are not ``complete`` (the tail of the span's) and the walk reached the first."""
        pos = end
        for i in range(len(tokens) - 1, -1, -1):
            if i == 0 and not complete:
                return None
            tok = tokens[i].group()
            if tok == ",":
                prev = tokens[i - 1].group() if i else ""
                if _NATIONALITY_WORD.fullmatch(prev) and pos < end:
                    continue   # "Ukrainian, Russian Negotiators"
                break
            low = tok.lower()
            if low in ("nor", "neither"):
                return end
            if tok[:1].isupper() or low in _NP_WORDS or low in _PRONOUNS or tok[:1].isdigit():
                pos = tokens[i].start()
                continue
            break
        return pos

    def _is_name_at(self, pos: int) -> bool:
        return any(m.start <= pos < m.end for m in self.mentions)

    # -- resolution

    def _resolve_np(self, s: int, e: int, allow_pronoun: bool = True, after_verb: tuple[int, int] | None = None):
        np = self.text[s:e].strip(" ,")
        if not np:
            return None
        low = np.lower()
        if low in _PRONOUNS:
            if not allow_pronoun:
                return None
            if after_verb:   # “...”, he said this Wednesday Kremlin spokesman Dmitry Peskov
                person = self._first_person(after_verb[0], min(after_verb[1], after_verb[0] + 60))
                if person:
                    return person
            return self._pronoun(_PRONOUNS[low], s)
        appositive = getattr(self, "_appositive", None)
        persons = self._persons(s, e)
        if persons:
            return persons[-1]
        if appositive and _ROLE_NOUNS.search(np):
            inside = self._persons(*appositive)
            if inside:
                return inside[0]
        if np in self._known_surnames:
            return self._known_surnames[np]
        name = self._unknown_name(np)
        if name:
            return name
        if _ROLE_NOUNS.search(np):
            return self._title(np)
        return self._collective(np, s, e)

    def _within(self, s: int, e: int) -> Sequence:
        """The mentions with ``s <= start`` and ``end <= e``, in order. Each also has
        ``start <= e``, so only the run of starts in [s, e] is looked at (found by bisection)."""
        if self._starts is None:
            return [m for m in self.mentions if m.start >= s and m.end <= e]
        lo, hi = bisect_left(self._starts, s), bisect_right(self._starts, e)
        return [m for m in self.mentions[lo:hi] if m.end <= e]

    def _persons(self, s: int, e: int) -> list[tuple[str, str | None]]:
        return [(self._canon.get(m.entity, m.text), m.gender) for m in self._within(s, e) if m.type == "person"]

    def _first_person(self, s: int, e: int):
        found = self._persons(s, e)
        return found[0] if found else None

    def _pronoun(self, gender: str, pos: int):
        if gender == "org":
            for speaker, g in reversed(self._last):
                if g == "org":
                    return speaker, g
            return None
        prev = self._prev_speaker
        if prev and prev[1] in (gender, None) and prev[1] != "org":
            return prev
        ps, pe = self._prev_span
        for person in self._persons(ps, pe):
            if person[1] in (gender, None):
                return person
        for speaker, g in reversed(self._last):
            if g == gender:
                return speaker, g
        before = [m for m in self.mentions if m.end <= pos and m.type == "person" and m.gender == gender]
        return (self._canon.get(before[-1].entity, before[-1].text), gender) if before else None

    def _unknown_name(self, np: str):
        words = np.split()
        if len(words) == 1 and words[0] in self._surnames:
            return self._surnames[words[0]], None
        # the capitalised words after the last title word: "... Secretary of State Wendy Sherman"
        tail: list[str] = []
        for w in reversed(words):
            if not _CAPITALISED.fullmatch(w) or _ROLE_NOUNS.fullmatch(w) or w.lower() in _TITLE_WORDS:
                break
            tail.insert(0, w)
        before = words[-len(tail) - 1].lower() if len(tail) < len(words) else ""
        if 2 <= len(tail) <= 3 and (before in _TITLE_WORDS or _ROLE_NOUNS.fullmatch(before)):
            full = " ".join(tail)
            self._surnames[tail[-1]] = full
            return full, None
        return None

    def _title(self, np: str):
        key = _role_key(np)
        if key and key in self._roles:
            return self._roles[key], None
        if _GENERIC_TITLE.match(np) and self._last:
            return self._last[-1]
        return _clean_np(np), None

    def _collective(self, np: str, s: int, e: int):
        inside = [m for m in self._within(s, e) if m.start == s and m.end == e]
        if inside:
            return self._canon.get(inside[0].entity, inside[0].text), "org"
        if not (np[:1].isupper() or np.split()[0].lower() in _NP_WORDS):
            return None
        if np.lower() in ("the", "a", "an") or len(np) < 2:
            return None
        words = _clean_np(np).split()
        known = bool(self._within(s, e))
        collective = any(w.lower() in _NP_WORDS for w in words)
        acronym = len(words) == 1 and words[0].isupper()
        if not (known or collective or acronym or len(words) > 1):
            return None   # "Fighting continued": a lone capitalised word is no speaker
        return _clean_np(np), "org"

    # -- roles

    def _register_roles(self) -> None:
        """Remember which person holds which role, from "Kremlin spokesman Dmitry Peskov",
        "The head of the Russian delegation, Vladimir Medinsky" and "Podolyak, Ukraine's lead negotiator"."""
        for m in self.mentions:
            if m.type != "person":
                continue
            name = self._canon.get(m.entity, m.text)
            before = self.text[max(0, m.start - 60):m.start]
            seg = _CLAUSE_END.split(before)[-1]
            after = _APPOSITION.match(self.text[m.end:m.end + 110])
            for phrase in (seg, after.group(1) if after else ""):
                key = _role_key(phrase)
                if key and key not in self._roles:
                    self._roles[key] = name


_TITLE_WORDS = frozenset(words("title_words"))


@lru_cache(maxsize=8192)   # a pure function of the phrase; articles repeat their role phrases
def _role_key(phrase: str) -> tuple[str, str] | None:
    m = None
    for m in _ROLE_NOUNS.finditer(phrase):
        pass
    if m is None:
        return None
    role = m.group().lower()
    role = "negotiator" if "delegation" in role else role
    role = "spokes" if role.startswith("spokes") else _ROLE_SYNONYMS.get(role, role)
    nation = None
    for w in re.findall(r"[\w.]+", phrase[:m.start()].lower()):
        nation = _NATIONALITY.get(w.removesuffix("’s").removesuffix("'s"), nation)
    for w in re.findall(r"[\w.]+", phrase[m.end():].lower())[:3]:   # "head of the Russian delegation"
        nation = nation or _NATIONALITY.get(w)
    if "delegation" in m.group().lower():
        nation = nation or next((_NATIONALITY[w] for w in re.findall(r"\w+", m.group().lower()) if w in _NATIONALITY), None)
    return (nation or "", role)


def _is_headline(body: str) -> bool:
    words = re.findall(r"[A-Za-z][\w’'-]*", body)
    caps = sum(w[0].isupper() for w in words)
    return not body.rstrip().endswith((".", "”", '"')) and caps >= 0.6 * max(len(words), 1)


def _clean_np(np: str) -> str:
    np = _LEADING_THE.sub("", np.strip(" ,"))
    return np[0].lower() + np[1:] if _LEADING_A.match(np) else np


def _in_spans(pos: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _canonical_names() -> dict[str, str]:
    """Entity id -> canonical name from the shipped gazetteer ({} if unavailable)."""
    try:
        from detente.normalize.names import Gazetteer
        from detente.normalize.tables import default_rules
        gaz = default_rules().compiled("names.gazetteer", Gazetteer.from_rules)
        cached = _CANON.get("gaz")
        if cached is not None and cached[0] is gaz:
            return cached[1]   # the same compiled gazetteer: the same mapping (read-only here)
        names = {e.id: e.canonical for e in gaz.entities()}
        _CANON["gaz"] = (gaz, names)
        return names
    except Exception:   # the name stage is optional: fall back to the mention's text
        return {}


_CANON: dict[str, tuple] = {}
