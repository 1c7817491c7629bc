"""Transliteration-aware canonicalization of person, place and organization names.

The gazetteer (``data/gazetteer.csv``, extendable with a user ``gazetteer.csv``)
lists each entity's canonical form and its known spellings. A capitalized or
Cyrillic token is looked up three ways, most trusted first: as an exact
spelling, as an all-caps spelling, and through :func:`matching_key`, which
folds the usual romanization differences so that spellings missing from the
table still meet their entity.

Precision rules:

* a person's first name changes only right before a surname of the same
  entity; a surname preceded by a first name known for *another* entity is
  left alone (Mikhail Gorbachev, Dmitry Kuleba stay as they are);
* persons marked ``full-name-only`` in the note column (Vitaliy Kim, Lloyd
  Austin ...) match only with a confirming first name;
* rows of type ``fixed`` are protected expressions (chicken Kiev, Kievan Rus,
  Odessa, Texas): a token inside one is never changed nor reported;
* tokens inside URLs, e-mail addresses, @handles and #hashtags are skipped;
* "Kharkiv region/oblast/province" is a mention of ``kharkiv_oblast`` (the
  city id + ``_oblast``), "Dnipro River" of the river: the word after a
  name settles which entity sharing that name is meant, and stays as written;
* a person marked full-name-only matches alone once named in full earlier
  in the same text (Boris Johnson ... Johnson said);
* a key-match needs a capitalized token of at least four letters that is not
  an English word whose key meets a name key (the ``english_collisions`` table,
  built from a dictionary by checking every word against the shipped keys).

Speed, measured on 5 MB of the seed articles' paragraphs repeated (about one
name every 100 characters), best of three runs: per-token dictionary look-ups
behind one compiled candidate regex do ~20 MB/s (15-18 MB/s when called line
by line); a regex alternation over the ~1,550 exact spellings matches at only
~0.9 MB/s and cannot key-match at all. Hence per-token look-ups, with the
outcome of each distinct token cached and context inspected only where it can
change the outcome (a capitalized word before a surname, a region word after
a city, a multi-word spelling or protected expression around the token).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from typing import TYPE_CHECKING, NamedTuple

from unidecode import unidecode

from .edits import Edit

if TYPE_CHECKING:
    from .tables import Rules

__all__ = ["Entity", "Mention", "Match", "Gazetteer", "matching_key", "find_names"]


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    type: str
    canonical: str
    gender: str | None
    given: str | None
    surname: str | None


@dataclass(frozen=True, slots=True, init=False)
class Mention:
    entity: str
    start: int
    end: int
    text: str
    type: str
    gender: str | None


def _mention_init():
    """Mention.__init__ storing through the slot descriptors directly.

    The generated init of a frozen dataclass calls ``object.__setattr__`` once per field
    (0.75 us a Mention); the name stage makes one per name found and normalize remakes
    them after each edit pass, ~17% of the stage. Calling the slots' own setters takes
    ~0.45 us; the instance is the same (fields, eq, hash, repr, pickling, replace).
    """
    set_entity, set_start, set_end, set_text, set_type, set_gender = (
        Mention.__dict__[name].__set__ for name in ("entity", "start", "end", "text", "type", "gender"))

    def __init__(self, entity: str, start: int, end: int, text: str, type: str, gender: str | None) -> None:
        set_entity(self, entity)
        set_start(self, start)
        set_end(self, end)
        set_text(self, text)
        set_type(self, type)
        set_gender(self, gender)

    __init__.__qualname__ = "Mention.__init__"
    return __init__


Mention.__init__ = _mention_init()


@dataclass(frozen=True, slots=True)
class Match:
    entity: Entity
    how: str
    spelling: str


# --------------------------------------------------------------------------- keys

# Applied before unidecode, which would otherwise lose the difference between
# Czech/Turkish č/ç (= ch) and Polish/Czech c (= ts).
_PRE = str.maketrans({
    "č": "ch", "Č": "Ch", "ç": "ch", "Ç": "Ch", "ć": "ch", "Ć": "Ch",
    "š": "sh", "Š": "Sh", "ş": "sh", "Ş": "Sh", "ś": "sh", "Ś": "Sh",
    "ž": "zh", "Ž": "Zh", "ż": "zh", "Ż": "Zh", "ź": "zh", "Ź": "Zh",
    "ı": "i", "ł": "l", "Ł": "L", "ʹ": "", "ʼ": "", "’": "", "'": "", "ь": "", "Ь": "", "ъ": "", "Ъ": "",
})
# Longest first, so that "shch" is not read as "sh" + "ch".
_MULTI = re.compile(r"shch|szcz|tsch|tsj|sch|tch|cz|ch|kh|sh|sz|zh|ts|tz|ou|oe|x")
_MULTI_MAP = {
    "shch": "s", "szcz": "s", "sch": "s", "sh": "s", "sz": "s", "zh": "s",
    "tsch": "h", "tsj": "h", "tch": "h", "cz": "h", "ch": "h", "kh": "h",
    "ts": "c", "tz": "c", "ou": "u", "oe": "u", "x": "ks",
}
_SINGLE = str.maketrans({"z": "s", "g": "h", "w": "v", "j": "i", "y": "i", "q": "k"})
_DOUBLE = re.compile(r"(.)\1+")
_NONLETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"[\s\-]+")


@lru_cache(maxsize=65536)
def matching_key(spelling: str) -> str:
    """Fold a spelling to the key on which transliteration variants meet.

    Rules, in order (each tested in ``tests/test_names.py``):

    1. Letters unidecode would blur are spelled out first: č/ć/ç -> ch,
       š/ś/ş -> sh, ž/ż/ź -> zh, ł -> l, dotless ı -> i.
    2. unidecode transliterates Cyrillic and strips diacritics
       (Київ -> Kiyiv, Putín -> Putin); the result is lower-cased.
    3. Soft signs and apostrophes vanish (Ternopil' = Ternopil,
       Luhans'k = Luhansk); hyphens become spaces (Ivano-Frankivsk).
    4. Sibilants: shch, szcz, sch, sh, sz, zh, z and s are one letter
       (Zhytomyr = Schytomyr, Selenskyj = Zelensky, Saporischschja).
    5. kh/ch/h/g and tsch/tch/tsj/cz are one letter (Kharkiv = Charkiw =
       Harkiv, Chernihiv = Tschernihiw = Czernihów = Tsjernihiv,
       Luhansk = Lugansk).
    6. ts/tz/c are one letter (Tsymbaliuk = Cymbaljuk); x = ks; q = k.
    7. w = v (Lawrow = Lavrov); French ou and Dutch oe = u (Kouleba = Koeleba =
       Kuleba, Poetin = Putin).
    8. y/j/i are one letter, so the endings -iy/-ij/-ii/-yi/-yy/-y all end
       in i (Zelensky = Zelenskyy = Zelenskiy = Selenskyj).
    9. Doubled letters are single (Zaporizhzhia = Zaporizhia, Odessa = Odesa).
    10. A word-initial ye/ie/je is plain e (Yermak = Jermak = Iermak = Ermak).
    11. A word-final -aya/-aia/-aja is -a, the feminine and adjectival ending
        in Russian-based spellings (Zelenskaya = Zelenska, Тихановська =
        Tikhanovskaya, Popasnaya = Popasna, Novaya Kakhovka = Nova Kakhovka).

    Keys equal to, or reached from, a common English word never match
    (the ``english_collisions`` table), and key-matched Latin tokens must be
    capitalized and at least four letters long.
    """
    text = unidecode(spelling.translate(_PRE)).lower()
    text = _SPACES.sub(" ", _NONLETTER.sub("", text.replace("-", " "))).strip()
    text = _MULTI.sub(lambda m: _MULTI_MAP[m.group()], text).translate(_SINGLE)
    text = _DOUBLE.sub(r"\1", text)
    return " ".join(_fold_word(w) for w in text.split(" "))


def _fold_word(word: str) -> str:
    if word.startswith("ie"):
        word = word[1:]
    if word.endswith("aia"):
        word = word[:-2]
    return word


# --------------------------------------------------------------------------- gazetteer

_TAILS = {"oblast": frozenset({"oblast", "region", "province", "oblast's", "region's"}),
          "river": frozenset({"river"})}
_FULL_PHRASE_WORDS = frozenset({"oblast", "region", "province", "river", "область", "обл", "річка", "река",
                                "obwód", "obwod", "gebiet", "oblasti", "regione", "región", "région", "fluss"})
_FULL_ONLY = "full-name-only"
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ALL_CYRILLIC = re.compile(r"[\u0400-\u04ff'’ʼ\- ]+")


class _Entry(NamedTuple):
    entity: str
    full: bool          # the spelling stands for the whole canonical, not a surname/head
    replacement: str
    canonical: bool     # the spelling is the canonical form (or its surname/head)


class _Plan(NamedTuple):
    word: str                   # the token without a possessive 's
    key: str
    entries: tuple              # what the token alone may mean
    how: str
    first: bool                 # it may begin a multi-word spelling
    fixed: bool                 # it may lie inside a protected expression
    prefixes: tuple             # lower-case particles that may precede it ("von der ")
    simple: tuple | None        # (entity, replacement or None, rule, context check): the outcome unless context says otherwise


class _Fixed(NamedTuple):
    phrase: str         # casefolded
    offset: int         # where the indexed word starts inside the phrase


def _tagged_variants(cell: str) -> list[tuple[str, str]]:
    """(language, spelling) of each item of a variants cell ("de:Kiew;Kyjev"); "" when untagged."""
    out = []
    for item in (cell or "").split(";"):
        item = item.strip()
        if not item:
            continue
        lang, sep, spelling = item.partition(":")
        out.append((lang, spelling.strip()) if sep and len(lang) <= 3 and lang.isalpha() else ("", item))
    return out


def _split_variants(cell: str) -> list[str]:
    return [spelling for _, spelling in _tagged_variants(cell)]


def _cased(replacement: str, original: str) -> str:
    """The replacement in capitals where the original was written in capitals (a lede)."""
    return replacement.upper() if original.isupper() and len(original) > 1 else replacement


def english_spellings(rules: "Rules") -> set[str]:
    """Casefolded spellings the gazetteer marks as English: repairing one ("Kiev" -> "Kyiv")
    is right whatever the language of its paragraph."""
    return rules.compiled("names.gazetteer", Gazetteer.from_rules).english


class Gazetteer:
    """Entities and their spellings, indexed for exact, all-caps and key look-ups."""

    def __init__(self) -> None:
        self._entities: dict[str, Entity] = {}
        self._tail: dict[str, str] = {}
        self._full_only: set[str] = set()
        self.exact: dict[str, list[_Entry]] = {}
        self.upper: dict[str, list[_Entry]] = {}
        self.bykey: dict[str, list[_Entry]] = {}
        self.given_exact: dict[str, dict[str, bool]] = {}   # spelling -> {entity: is canonical}
        self.given_key: dict[str, set[str]] = {}
        self.first_words: dict[str, int] = {}                 # key of a first word -> most words after it
        self.pairs: set[tuple[str, str]] = set()              # keys of adjacent words in multi-word spellings
        self.fixed: dict[str, list[_Fixed]] = {}
        self._memo: dict[str, tuple] = {}
        self._plans: dict[str, _Plan | None] = {}
        self._owners: dict[str, dict[str, str]] = {}          # given_of's cache
        self.particles: dict[str, tuple[str, ...]] = {}  # key of "Leyen" -> ("von der ",)
        self.collisions: frozenset[str] = frozenset()  # English words that never key-match
        self.english: set[str] = set()  # casefolded spellings marked "en:" (Kiev, Zelenskyy)

    @classmethod
    def from_rules(cls, rules: "Rules") -> "Gazetteer":
        gaz = cls()
        gaz.collisions = frozenset(row["word"].strip().lower() for row in rules.rows("english_collisions"))
        for row in rules.rows("gazetteer"):
            gaz._add_row(row)
        return gaz

    # -- building

    def _add_row(self, row) -> None:
        kind = (row.get("type") or "").strip()
        canonical = (row.get("canonical") or "").strip()
        if not canonical:
            return
        if kind == "fixed":
            for phrase in [canonical, *_split_variants(row.get("variants", ""))]:
                self._add_fixed(phrase)
            return
        ent = Entity(row["id"].strip(), kind, canonical, (row.get("gender") or "").strip() or None,
                     (row.get("given") or "").strip() or None, (row.get("surname") or "").strip() or None)
        self._entities[ent.id] = ent
        if _FULL_ONLY in (row.get("note") or ""):
            self._full_only.add(ent.id)
        part = self._part_of(ent)
        self._add_spelling(ent, canonical, True, canonical, True)
        if part and part != canonical:
            self._add_spelling(ent, part, False, part, True)
        for cell in ("variants", "given_variants"):
            self.english.update(w.casefold() for lang, w in _tagged_variants(row.get(cell, "")) if lang == "en")
        for spelling in _split_variants(row.get("variants", "")):
            full = self._is_full(ent, part, spelling)
            self._add_spelling(ent, spelling, full, canonical if full else (part or canonical), False)
        if ent.type == "person" and ent.given:
            self._add_given(ent.id, ent.given, True)
            for spelling in _split_variants(row.get("given_variants", "")):
                self._add_given(ent.id, spelling, False)

    def _part_of(self, ent: Entity) -> str | None:
        if ent.type == "person":
            return ent.surname
        words = ent.canonical.split(" ")
        tail = words[-1].casefold()
        if len(words) > 1 and tail in _TAILS:
            self._tail[ent.id] = tail
            return " ".join(words[:-1])
        return None

    @staticmethod
    def _is_full(ent: Entity, part: str | None, spelling: str) -> bool:
        if not part:
            return True
        words = spelling.replace("-", " ").split()
        if ent.type == "person":
            return len(words) > len(part.replace("-", " ").split())
        return words[-1].casefold() in _FULL_PHRASE_WORDS

    def _add_spelling(self, ent: Entity, spelling: str, full: bool, repl: str, canonical: bool) -> None:
        entry = _Entry(ent.id, full, repl, canonical)
        indexes = [(self.exact, spelling), (self.upper, spelling.upper())]
        if not (full and ent.type == "person" and ent.surname):
            # a person's full name is key-matched word by word (first name, then surname), never as one key
            indexes.append((self.bykey, matching_key(spelling)))
        for index, k in indexes:
            bucket = index.setdefault(k, [])
            if entry not in bucket:
                bucket.append(entry)
        words = matching_key(spelling).split(" ")
        lead = re.match(r"(?:[a-z]+ )+(?=[A-Z])", spelling)
        if lead:
            rest = matching_key(spelling[lead.end():]).split(" ")[0]
            self.particles[rest] = tuple({*self.particles.get(rest, ()), lead.group().casefold()})
        self.pairs.update(zip(words, words[1:]))
        if len(words) > 1 and not (ent.type == "person" and full and ent.surname):
            # a person's full name is found from the surname back, so it need not start a look-ahead
            self.first_words[words[0]] = max(self.first_words.get(words[0], 1), len(words))

    def _add_given(self, entity_id: str, spelling: str, canonical: bool) -> None:
        self.given_exact.setdefault(spelling, {})[entity_id] = canonical
        self.given_key.setdefault(matching_key(spelling), set()).add(entity_id)

    def _add_fixed(self, phrase: str) -> None:
        folded = phrase.casefold()
        for m in _WORD.finditer(phrase):
            self.fixed.setdefault(matching_key(m.group()), []).append(_Fixed(folded, m.start()))

    # -- public look-ups

    def entities(self, type: str | None = None) -> list[Entity]:
        return [e for e in self._entities.values() if type is None or e.type == type]

    def get(self, entity_id: str) -> Entity:
        return self._entities[entity_id]

    def lookup(self, spelling: str) -> list[Match]:
        """Entities a spelling stands for, and how it matched (no context rules applied)."""
        spelling = " ".join(spelling.split())
        entries, how = self._resolve(spelling)
        seen: dict[str, Match] = {}
        for e in entries:
            seen.setdefault(e.entity, Match(self._entities[e.entity], how, spelling))
        return list(seen.values())

    # -- matching

    def _resolve(self, spelling: str) -> tuple[list[_Entry], str]:
        """Candidate entries for a spelling and how they matched, cached for single tokens."""
        hit = self._memo.get(spelling)
        if hit is None:
            hit = self._memo[spelling] = self._resolve_uncached(spelling)
        return hit

    def _resolve_uncached(self, spelling: str) -> tuple[list[_Entry], str]:
        cyr = bool(_CYRILLIC.search(spelling))
        entries = self.exact.get(spelling)
        if entries:
            how = "cyrillic" if cyr else ("canonical" if any(e.canonical for e in entries) else "table")
            return entries, how
        if spelling.isupper() and len(spelling) > 1:
            entries = self.upper.get(spelling)
            return (entries, "cyrillic" if cyr else "table") if entries else ([], "")
        key = matching_key(spelling)
        if not _key_allowed(spelling, key, cyr, self.collisions):
            return [], ""
        entries = self.bykey.get(key)
        return (entries, "cyrillic" if cyr else "key-match") if entries else ([], "")

    def plan(self, token: str) -> "_Plan | None":
        """What a candidate token may start, cached: most capitalized words name nothing."""
        if len(self._plans) > 200_000:
            self._plans.clear()
            self._memo.clear()
        word = _POSSESSIVE.sub("", token)
        key = matching_key(word)
        entries, how = self._resolve(word)
        first = key.split(" ")[0] in self.first_words
        prefixes = self.particles.get(key, ())
        plan = None
        if entries or first or key in self.fixed or prefixes:
            fixed = key in self.fixed
            simple = None if prefixes or not entries else self._simple(word, entries, how)
            plan = _Plan(word, key, tuple(entries), how, first, fixed, prefixes, simple)
        self._plans[token] = plan
        return plan

    def _simple(self, word: str, entries: list[_Entry], how: str) -> tuple | None:
        plain = [e for e in entries if e.entity not in self._tail]
        if len({e.entity for e in plain}) != 1:
            return None
        entry = plain[0]
        ent = self._entities[entry.entity]
        if ent.type == "person" and (entry.full or ent.id in self._full_only):
            return None
        tailed = len(plain) < len(entries) or ent.id + "_oblast" in self._entities
        need = _NEEDS_PREV if ent.type == "person" else _NEEDS_NEXT if tailed else 0
        if how == "canonical" or word == entry.replacement or word.casefold() == entry.replacement.casefold():
            return ent, None, "", need
        repl = _cased(entry.replacement, word)
        return ent, repl, "names." + how, need

    def given_of(self, word: str) -> dict[str, str]:
        """Entities whose first name this word is, each with how it matched.

        Cached (asked for the word before nearly every surname): the same dict comes back
        for the same word, so read it, don't change it.
        """
        owners = self._owners.get(word)
        if owners is None:
            if len(self._owners) > 200_000:
                self._owners.clear()
            owners = self._owners[word] = self._given_of_uncached(word)
        return owners

    def _given_of_uncached(self, word: str) -> dict[str, str]:
        cyr = bool(_CYRILLIC.search(word))
        owners = {i: "cyrillic" if cyr else "key-match" for i in self.given_key.get(matching_key(word), ())}
        for i, canonical in self.given_exact.get(word, {}).items():
            owners[i] = "canonical" if canonical else "cyrillic" if cyr else "table"
        return owners

    def protected(self, text: str, start: int, key: str) -> int:
        """End of a fixed expression covering the token at ``start``, or -1."""
        for fx in self.fixed.get(key, ()):
            s = start - fx.offset
            e = s + len(fx.phrase)
            if s >= 0 and text[s:e].casefold() == fx.phrase and not _letter_at(text, s - 1) and not _letter_at(text, e):
                return e
        return -1


def _letter_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isalpha()


def _key_allowed(spelling: str, key: str, cyrillic: bool, collisions: frozenset[str]) -> bool:
    if cyrillic:
        # mixed-script or oddly cased tokens are noise, not names
        return bool(_ALL_CYRILLIC.fullmatch(spelling)) and all(w.istitle() or w.isupper() or w.islower() for w in spelling.split())
    letters = spelling.replace(" ", "").replace("-", "")
    if len(letters) < 4 or not spelling[:1].isupper():
        return False
    return key not in collisions and not any(w.lower() in collisions for w in spelling.split(" "))




# --------------------------------------------------------------------------- the stage

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŜŞŠȘŢȚŤŪŮŰŲŹŻŽ"
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
# No look-behind here: a plain leading class lets re skip ahead fast; context is checked on hits only.
_CANDIDATE = re.compile(rf"[{_UPPER}\u0400-\u04ff]\w*(?:['’ʼ]\w+)*")
_NEXT = re.compile(r"[ \-]([^\W\d_]+(?:['’ʼ][^\W\d_]+)*)")
# the next word of a multi-word spelling may follow an abbreviation's period ("St. Petersburg");
# the whole phrase must still be a spelling of the table, so "Lavrov. Moscow" joins nothing
_NEXT_IN_SPELLING = re.compile(r"\.?[ \-]([^\W\d_]+(?:['’ʼ][^\W\d_]+)*)")
_PREV = re.compile(r"(?<![\w.])([^\W\d_]+) $")
# _PREV read backwards from the end of the window (``$`` may stand before a final newline).
_PREV_REVERSED = re.compile(r"\n? [^\W\d_]+")
_POSSESSIVE = re.compile(r"['’ʼ]s$")
_URL_HINT = re.compile(r"@|://|www\.")
_NON_SPACE = re.compile(r"\S*")
_PATRONYMIC = ("vih", "vna")
_BAD_BEFORE = frozenset("@#/\\_.")
_UNSEEN = object()
_NEEDS_PREV, _NEEDS_NEXT = 1, 2
_REGION_AFTER = tuple(f" {w}" for t in _TAILS.values() for w in t) + tuple(f" {w.capitalize()}" for t in _TAILS.values() for w in t)


def _word_before(text: str, end: int, reach: int = 60) -> re.Match | None:
    """``_PREV.search(text, max(0, end - reach), end)``, without trying every start in the window.

    Only the maximal letter run ending at the space before ``end`` can match (any later start
    is preceded by a letter), so it is found by matching the reversed window and then checked
    in place; a search tries all ``reach`` starts (2.1 against 0.6 us).
    """
    rev = _PREV_REVERSED.match(text[max(0, end - reach):end][::-1])
    return rev and _PREV.match(text, end - rev.end(), end)


def _blocked_spans(text: str) -> list[int]:
    """Flat [start, end, start, end ...] of URLs, e-mail addresses and @handles."""
    if "@" not in text and "://" not in text and "www." not in text:
        return []
    spans: list[int] = []
    for hint in _URL_HINT.finditer(text):
        if spans and hint.start() < spans[-1]:
            continue
        start = max(text.rfind(" ", 0, hint.start()), text.rfind("\n", 0, hint.start()), text.rfind("\t", 0, hint.start())) + 1
        spans += [start, _NON_SPACE.match(text, hint.start()).end()]
    return spans


def find_names(text: str, rules: "Rules") -> tuple[list[Edit], list[Mention]]:
    """Propose canonical spellings for the names in ``text``; return the edits and every mention."""
    edits, mentions = _find_names(text, rules)
    return list(edits), list(mentions)


@lru_cache(maxsize=4)
def _find_names(text: str, rules: "Rules") -> tuple[tuple[Edit, ...], tuple[Mention, ...]]:
    # The quirk stage's pronoun repair and the name stage often scan the same text.
    gaz: Gazetteer = rules.compiled("names.gazetteer", Gazetteer.from_rules)
    edits, mentions = _Scanner(gaz, text).run()
    return tuple(edits), tuple(mentions)


class _Scanner:
    __slots__ = ("gaz", "text", "edits", "mentions", "pos", "blocked", "confirmed")

    def __init__(self, gaz: Gazetteer, text: str):
        self.gaz, self.text = gaz, text
        self.edits: list[Edit] = []
        self.mentions: list[Mention] = []
        self.pos = 0
        self.blocked = _blocked_spans(text)
        self.confirmed: set[str] = set()  # full-name-only persons already named in full in this text

    def run(self) -> tuple[list[Edit], list[Mention]]:
        plans, plan_of = self.gaz._plans, self.gaz.plan
        # C-level passes give the candidate tokens (match objects keep their offsets);
        # Python looks only at tokens that may name something.
        matches = list(_CANDIDATE.finditer(self.text))
        tokens = list(map(re.Match.group, matches))
        unseen = set(tokens).difference(plans)
        for token in unseen:
            plan_of(token)
        try:
            found = list(map(plans.__getitem__, tokens))
        except KeyError:  # the plan cache was cleared while filling it
            found = [plans[t] if t in plans else plan_of(t) for t in tokens]
        hits = list(compress(range(len(tokens)), found))
        if not hits:
            return self.edits, self.mentions
        text, blocked = self.text, self.blocked
        for i in hits:
            token, plan = tokens[i], found[i]
            m_start = matches[i].start()
            if m_start < self.pos:
                continue
            # _free, inlined: not inside a word, URL, e-mail address, handle, hashtag or domain name
            if m_start and (text[m_start - 1].isalnum() or text[m_start - 1] in _BAD_BEFORE):
                continue
            after = text[m_start + len(token):m_start + len(token) + 3]
            if after[:1].isalnum() or after[:1] == "@" or (after[:1] == "." and after[1:].isalpha() and after[1:].islower()):
                continue
            if blocked and self._in_blocked(m_start):
                continue
            if plan.simple is None:
                self._token(m_start, plan)
                continue
            ent, repl, rule, need = plan.simple
            start, end = m_start, m_start + len(plan.word)
            if plan.fixed:
                end_fixed = self.gaz.protected(self.text, start, plan.key)
                if end_fixed >= 0:
                    self.pos = end_fixed
                    continue
            if (need and self._context_matters(need, start, end)) or (plan.first and self._continues(plan.key, end)):
                self._token(start, plan)
                continue
            if repl is not None:
                self.edits.append(Edit(start, end, repl, rule, ent.id))
            self.mentions.append(Mention(ent.id, start, end, plan.word, ent.type, ent.gender))
        return self.edits, self.mentions

    def _free(self, start: int, end: int) -> bool:
        """Not inside a word, URL, e-mail address, handle, hashtag or domain name."""
        text = self.text
        if start and (text[start - 1].isalnum() or text[start - 1] in _BAD_BEFORE):
            return False
        after = text[end:end + 3]
        if after[:1].isalnum() or after[:1] == "@" or (after[:1] == "." and after[1:].isalpha() and after[1:].islower()):
            return False
        return not self.blocked or not self._in_blocked(start)

    def _context_matters(self, need: int, start: int, end: int) -> bool:
        """A word before a surname may be a first name; a word after a city may make it an oblast."""
        text = self.text
        if need == _NEEDS_PREV:
            if start < 2 or text[start - 1] != " " or not text[start - 2].isalpha():
                return False
            ws = max(text.rfind(" ", max(0, start - 40), start - 1), text.rfind("\n", max(0, start - 40), start - 1)) + 1
            return text[ws].isupper() or "\u0400" <= text[ws] <= "\u04ff"
        return text.startswith(_REGION_AFTER, end)

    def _continues(self, key: str, end: int) -> bool:
        nxt = _NEXT.match(self.text, end)
        return bool(nxt) and (key.split(" ")[-1], matching_key(nxt.group(1))) in self.gaz.pairs

    def _in_blocked(self, pos: int) -> bool:
        return bisect_right(self.blocked, pos) % 2 == 1

    def _token(self, start: int, plan: _Plan) -> None:
        if plan.fixed:
            end_fixed = self.gaz.protected(self.text, start, plan.key)
            if end_fixed >= 0:
                self.pos = end_fixed
                return
        span = None
        if plan.prefixes:
            span = self._with_particles(start, plan)
        if span is None and plan.first:
            span = self._multi(start, start + len(plan.word), self.gaz.first_words[plan.key.split(" ")[0]])
        if span is None and plan.entries:
            span = (start, start + len(plan.word), plan.entries, plan.how)
        if span:
            self._accept(*span)

    def _with_particles(self, start: int, plan: _Plan):
        for lead in plan.prefixes:
            s = start - len(lead)
            if s >= 0 and self.text[s:start].casefold() == lead and not _letter_at(self.text, s - 1) and s >= self.pos:
                entries, how = self.gaz._resolve(self.text[s:start + len(plan.word)])
                if entries:
                    return s, start + len(plan.word), entries, how
        return None

    def _multi(self, start: int, end: int, most: int):
        """Longest multi-word spelling starting at ``start``: (start, end, entries, how)."""
        ends = [end]
        for _ in range(most - 1):
            nxt = _NEXT_IN_SPELLING.match(self.text, ends[-1])
            if not nxt:
                break
            ends.append(nxt.end(1))
        for e in reversed(ends[1:]):
            if _POSSESSIVE.search(self.text, e - 2, e):
                e -= 2
            entries, how = self.gaz._resolve(self.text[start:e])
            if entries:
                return start, e, entries, how
        return None

    def _accept(self, start: int, end: int, entries, how: str) -> None:
        original = self.text[start:end]
        if len(entries) > 1:
            entries = self._choose(self._by_given(entries, start), end)
        if not entries:
            return
        entry = entries[0]
        ent = self.gaz.get(entry.entity)
        if original.casefold() == entry.replacement.casefold():
            how = "canonical"  # Von der Leyen at a sentence start, Dnipro river: case is the writer's
        m_start, m_end = start, end
        if ent.type == "person" and entry.full:
            self.confirmed.add(ent.id)
        if ent.type == "person" and not entry.full:
            given = self._given(ent, start)
            if given is None:
                return
            if given:
                m_start = given[0]
        elif entry.entity in self.gaz._tail and not entry.full:
            m_end = self._tail_end(end, self.gaz._tail[entry.entity]) or end
        elif ent.type == "place" and ent.id + "_oblast" in self.gaz._entities:
            m_end = self._tail_end(end, "oblast") or end
        if how != "canonical" and original != entry.replacement:
            repl = _cased(entry.replacement, original)
            self.edits.append(Edit(start, end, repl, "names." + how, ent.id))
        if m_end > end and ent.id not in self.gaz._tail:
            ent = self.gaz._entities.get(ent.id + "_oblast", ent)
        self.mentions.append(Mention(ent.id, m_start, m_end, self.text[m_start:m_end], ent.type, ent.gender))
        self.pos = m_end

    def _by_given(self, entries, start: int):
        """Among persons sharing a surname spelling, keep those whose first name precedes it."""
        if len({e.entity for e in entries}) == 1:
            return entries
        pm = self._prev_word(start)
        if not pm:
            return entries
        owners = self.gaz.given_of(pm.group(1))
        confirmed = [e for e in entries if e.entity in owners and not e.full]
        return confirmed or entries

    def _prev_word(self, start: int) -> re.Match | None:
        pm = _word_before(self.text, start)
        if pm and matching_key(pm.group(1)).endswith(_PATRONYMIC) and pm.start() > 0:
            pm = _word_before(self.text, pm.start()) or pm
        if not pm or pm.start() < self.pos or (self.blocked and self._in_blocked(pm.start())):
            return None
        word = pm.group(1)
        return pm if word[0].isupper() or _CYRILLIC.match(word) else None

    def _choose(self, entries, end: int):
        """Settle which entity a spelling means from what follows it; [] when still ambiguous."""
        gaz = self.gaz
        if len({e.entity for e in entries}) == 1:
            return entries
        nxt = _NEXT.match(self.text, end)
        word = nxt.group(1).casefold() if nxt and nxt.group()[0] == " " else ""
        tailed = [e for e in entries if word in _TAILS.get(gaz._tail.get(e.entity, ""), ())]
        if tailed:
            return tailed
        plain = [e for e in entries if e.entity not in gaz._tail and not self._full_only(e.entity)]
        entries = plain or entries
        if len({e.entity for e in entries}) == 1:
            return entries
        canon = [e for e in entries if e.canonical]
        return canon if len({e.entity for e in canon}) == 1 else []

    def _given(self, ent: Entity, start: int):
        """(given start,) when a confirming first name precedes; () when none; None when another person's."""
        gaz = self.gaz
        pm = self._prev_word(start)
        if not pm:
            return None if self._full_only(ent.id) else ()
        word = pm.group(1)
        owners = gaz.given_of(word)
        if ent.id in owners:
            # as for surnames: a difference of case alone is the writer's (a lede in capitals)
            if owners[ent.id] != "canonical" and ent.given and word.casefold() != ent.given.casefold():
                repl = _cased(ent.given, word)
                self.edits.append(Edit(pm.start(1), pm.end(1), repl, "names." + owners[ent.id], ent.id))
            self.confirmed.add(ent.id)
            return (pm.start(1),)
        if owners or self._full_only(ent.id):
            return None
        return ()

    def _full_only(self, entity_id: str) -> bool:
        """Kim alone is not Vitaliy Kim, unless the text has named him in full before."""
        return entity_id in self.gaz._full_only and entity_id not in self.confirmed

    def _tail_end(self, end: int, tail: str) -> int | None:
        nxt = _NEXT.match(self.text, end)
        if nxt and nxt.group()[0] == " " and nxt.group(1).casefold() in _TAILS[tail]:
            return nxt.end(1)
        return None
