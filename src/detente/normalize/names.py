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
* a key-match needs a capitalized token of at least four letters that is not
  an English word whose key meets a name key (``_ENGLISH_COLLISIONS``, built
  from a dictionary by checking every word against the shipped keys).

Speed (measured on 5 MB of repeated English news paragraphs, see the report
script in tests): per-token dictionary look-ups behind one compiled
candidate regex reach ~20 MB/s; a regex alternation over all ~2,500 spellings
only ~4 MB/s because Python's ``re`` tries every alternative at each
capitalized position, and it cannot key-match at all. Hence per-token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
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


@dataclass(frozen=True, slots=True)
class Mention:
    entity: str
    start: int
    end: int
    text: str
    type: str
    gender: str | None


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
_MULTI = re.compile(r"shch|szcz|tsch|sch|tch|cz|ch|kh|sh|sz|zh|ts|tz|ou|x")
_MULTI_MAP = {
    "shch": "s", "szcz": "s", "sch": "s", "sh": "s", "sz": "s", "zh": "s",
    "tsch": "h", "tch": "h", "cz": "h", "ch": "h", "kh": "h",
    "ts": "c", "tz": "c", "ou": "u", "x": "ks",
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
    5. kh/ch/h/g, tsch/tch/cz are one letter (Kharkiv = Charkiw = Harkiv,
       Chernihiv = Tschernihiw = Czernihów, Luhansk = Lugansk).
    6. ts/tz/c are one letter (Tsymbaliuk = Cymbaljuk); x = ks; q = k.
    7. w = v (Lawrow = Lavrov); French ou = u (Podoljak vs Podolyak aside).
    8. y/j/i are one letter, so the endings -iy/-ij/-ii/-yi/-yy/-y all end
       in i (Zelensky = Zelenskyy = Zelenskiy = Selenskyj).
    9. Doubled letters are single (Zaporizhzhia = Zaporizhia, Odessa = Odesa).
    10. A word-initial ye/ie/je is plain e (Yermak = Jermak = Iermak = Ermak).
    """
    text = unidecode(spelling.translate(_PRE)).lower()
    text = _SPACES.sub(" ", _NONLETTER.sub("", text.replace("-", " "))).strip()
    text = _MULTI.sub(lambda m: _MULTI_MAP[m.group()], text).translate(_SINGLE)
    text = _DOUBLE.sub(r"\1", text)
    return " ".join(w[1:] if w.startswith("ie") else w for w in text.split(" "))


# --------------------------------------------------------------------------- gazetteer

_TAILS = {"oblast": frozenset({"oblast", "region", "province", "oblast's", "region's"}),
          "river": frozenset({"river"})}
_FULL_PHRASE_WORDS = frozenset({"oblast", "region", "province", "river", "область", "обл", "річка", "река",
                                "obwód", "obwod", "gebiet", "oblasti", "regione", "región", "région", "fluss"})
_FULL_ONLY = "full-name-only"
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class _Entry(NamedTuple):
    entity: str
    full: bool          # the spelling stands for the whole canonical, not a surname/head
    replacement: str
    canonical: bool     # the spelling is the canonical form (or its surname/head)


class _Fixed(NamedTuple):
    phrase: str         # casefolded
    offset: int         # where the indexed word starts inside the phrase


def _split_variants(cell: str) -> list[str]:
    out = []
    for item in (cell or "").split(";"):
        item = item.strip()
        if not item:
            continue
        lang, sep, spelling = item.partition(":")
        out.append(spelling.strip() if sep and len(lang) <= 3 and lang.isalpha() else item)
    return out


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
        self.first_words: set[str] = set()                    # keys of first words of multi-word spellings
        self.max_words = 1
        self.fixed: dict[str, list[_Fixed]] = {}
        self._memo: dict[str, tuple] = {}

    @classmethod
    def from_rules(cls, rules: "Rules") -> "Gazetteer":
        gaz = cls()
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
        for index, k in ((self.exact, spelling), (self.upper, spelling.upper()), (self.bykey, matching_key(spelling))):
            bucket = index.setdefault(k, [])
            if entry not in bucket:
                bucket.append(entry)
        words = matching_key(spelling).split(" ")
        if len(words) > 1:
            self.first_words.add(words[0])
            self.max_words = max(self.max_words, len(words))

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
        entries, how = self._resolve(spelling, allow_key=True)
        seen: dict[str, Match] = {}
        for e in entries:
            seen.setdefault(e.entity, Match(self._entities[e.entity], "canonical" if e.canonical and how != "key-match" else how, spelling))
        if not seen:
            for eid in self.given_key.get(matching_key(spelling), ()):
                seen.setdefault(eid, Match(self._entities[eid], "given-name", spelling))
        return list(seen.values())

    # -- matching

    def _resolve(self, spelling: str, allow_key: bool) -> tuple[list[_Entry], str]:
        """Candidate entries for a spelling and how they matched, cached for single tokens."""
        hit = self._memo.get(spelling)
        if hit is None:
            hit = self._memo[spelling] = self._resolve_uncached(spelling)
        entries, how = hit
        if how == "key-match" and not allow_key:
            return [], ""
        return entries, how

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
        if not _key_allowed(spelling, key, cyr):
            return [], ""
        entries = self.bykey.get(key)
        return (entries, "cyrillic" if cyr else "key-match") if entries else ([], "")

    def given_of(self, word: str) -> tuple[dict[str, bool], str]:
        """Entities whose first name this word is: {entity: is canonical}, and how it matched."""
        hit = self.given_exact.get(word)
        cyr = bool(_CYRILLIC.search(word))
        if hit:
            return hit, "cyrillic" if cyr else "table"
        ids = self.given_key.get(matching_key(word))
        return ({i: False for i in ids}, "cyrillic" if cyr else "key-match") if ids else ({}, "")

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


def _key_allowed(spelling: str, key: str, cyrillic: bool) -> bool:
    if cyrillic:
        return True
    letters = spelling.replace(" ", "").replace("-", "")
    if len(letters) < 4 or not spelling[:1].isupper():
        return False
    return key not in _ENGLISH_COLLISIONS and not any(w.lower() in _ENGLISH_COLLISIONS for w in spelling.split(" "))


# English words (from a 100k-word dictionary) whose matching key equals, or is, a
# key of a shipped spelling: such a word must never be changed, nor its key trigger.
_ENGLISH_COLLISIONS: frozenset[str] = frozenset()


# --------------------------------------------------------------------------- the stage

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŜŞŠȘŢȚŤŪŮŰŲŹŻŽ"
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_CANDIDATE = re.compile(
    rf"(?<![\w@#/\\.])(?:[{_UPPER}]|[\u0400-\u04ff])[^\W\d_]*(?:['’ʼ][^\W\d_]+)*(?![@\w]|\.[^\W\d_]{{2}})"
)
_NEXT = re.compile(r"[ \-]([^\W\d_]+(?:['’ʼ][^\W\d_]+)*)")
_PREV = re.compile(r"(?<![\w.])([^\W\d_]+) $")
_POSSESSIVE = re.compile(r"['’ʼ]s$")
_NOT_URLISH = re.compile(r"\S*(?:@|://|www\.)\S*")
_PATRONYMIC = ("vih", "vna", "iHna")


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    if "@" not in text and "://" not in text and "www." not in text:
        return []
    return [m.span() for m in _NOT_URLISH.finditer(text)]


def find_names(text: str, rules: "Rules") -> tuple[list[Edit], list[Mention]]:
    """Propose canonical spellings for the names in ``text``; return the edits and every mention."""
    gaz: Gazetteer = rules.compiled("names.gazetteer", Gazetteer.from_rules)
    return _Scanner(gaz, text).run()


class _Scanner:
    __slots__ = ("gaz", "text", "edits", "mentions", "pos", "blocked")

    def __init__(self, gaz: Gazetteer, text: str):
        self.gaz, self.text = gaz, text
        self.edits: list[Edit] = []
        self.mentions: list[Mention] = []
        self.pos = 0
        self.blocked = _blocked_spans(text)

    def run(self) -> tuple[list[Edit], list[Mention]]:
        gaz, memo = self.gaz, self.gaz._memo
        for m in _CANDIDATE.finditer(self.text):
            start = m.start()
            if start < self.pos:
                continue
            token = m.group()
            hit = memo.get(token)
            if hit is not None and not hit[0] and matching_key(token) not in gaz.first_words and not gaz.fixed:
                continue  # the common case: a capitalized word that names nothing
            self._token(m)
        return self.edits, self.mentions

    def _in_blocked(self, start: int) -> bool:
        return any(s <= start < e for s, e in self.blocked)

    def _token(self, m: re.Match) -> None:
        start, token = m.start(), m.group()
        poss = _POSSESSIVE.search(token)
        if poss:
            token = token[: poss.start()]
        if self._in_blocked(start):
            return
        end_fixed = self.gaz.protected(self.text, start, matching_key(token))
        if end_fixed >= 0:
            self.pos = end_fixed
            return
        span = self._longest(start, start + len(token), token)
        if span:
            self._accept(*span)

    def _longest(self, start: int, end: int, token: str):
        """Longest multi-word then single-word match at ``start``: (start, end, entries, how)."""
        gaz = self.gaz
        if matching_key(token).split(" ")[0] in gaz.first_words:
            ends = [end]
            for _ in range(gaz.max_words - 1):
                nxt = _NEXT.match(self.text, ends[-1])
                if not nxt:
                    break
                ends.append(nxt.end(1))
            for e in reversed(ends[1:]):
                phrase = self.text[start:e]
                entries, how = gaz._resolve(phrase, allow_key=True)
                if entries:
                    return start, e, entries, how
        entries, how = gaz._resolve(token, allow_key=True)
        return (start, end, entries, how) if entries else None

    def _accept(self, start: int, end: int, entries: list[_Entry], how: str) -> None:
        entries = self._choose(entries, end)
        if not entries:
            return
        entry = entries[0]
        ent = self.gaz.get(entry.entity)
        m_start, m_end = start, end
        if ent.type == "person" and not entry.full:
            given = self._given(ent, start)
            if given is None:
                return
            if given:
                m_start = given[0]
        elif entry.entity in self.gaz._tail and not entry.full:
            m_end = self._tail_end(end, self.gaz._tail[entry.entity]) or end
        elif ent.type == "place":
            m_end = self._oblast_end(ent, end, m_end)
        if how not in ("canonical", "") and self.text[start:end] != entry.replacement:
            repl = entry.replacement.upper() if self.text[start:end].isupper() and len(self.text[start:end]) > 1 else entry.replacement
            self.edits.append(Edit(start, end, repl, "names." + ("table" if how == "table" else how), ent.id))
        ment_ent = self._mention_entity(ent, end, m_end)
        self.mentions.append(Mention(ment_ent.id, m_start, m_end, self.text[m_start:m_end], ment_ent.type, ment_ent.gender))
        self.pos = m_end

    def _choose(self, entries: list[_Entry], end: int) -> list[_Entry]:
        """Settle which entity a spelling means from what follows it; [] when still ambiguous."""
        gaz = self.gaz
        if len({e.entity for e in entries}) == 1:
            return entries
        nxt = _NEXT.match(self.text, end)
        word = nxt.group(1).casefold() if nxt and nxt.group()[0] == " " else ""
        tailed = [e for e in entries if word in _TAILS.get(gaz._tail.get(e.entity, ""), ())]
        if tailed:
            return tailed
        plain = [e for e in entries if e.entity not in gaz._tail and e.entity not in gaz._full_only]
        entries = plain or entries
        if len({e.replacement for e in entries}) == 1 and len({e.entity for e in entries}) == 1:
            return entries
        canon = [e for e in entries if e.canonical]
        return canon if len({e.entity for e in canon}) == 1 else []

    def _given(self, ent: Entity, start: int):
        """(given start,) when a confirming first name precedes; () when none; None when another person's."""
        gaz = self.gaz
        pm = _PREV.search(self.text, max(0, start - 60), start)
        if pm and matching_key(pm.group(1)).endswith(_PATRONYMIC) and pm.start() > 0:
            pm2 = _PREV.search(self.text, max(0, pm.start() - 60), pm.start())
            pm = pm2 or pm
        if not pm or pm.start() < self.pos or self._in_blocked(pm.start()):
            return None if ent.id in gaz._full_only else ()
        word = pm.group(1)
        owners, how = gaz.given_of(word)
        if ent.id in owners:
            if not owners[ent.id] and ent.given and word != ent.given:
                rule = "names." + ("table" if how == "table" else how)
                self.edits.append(Edit(pm.start(1), pm.end(1), ent.given, rule, ent.id))
            return (pm.start(1),)
        if owners or ent.id in gaz._full_only:
            return None
        return ()

    def _tail_end(self, end: int, tail: str) -> int | None:
        nxt = _NEXT.match(self.text, end)
        if nxt and nxt.group()[0] == " " and nxt.group(1).casefold() in _TAILS[tail]:
            return nxt.end(1)
        return None

    def _oblast_end(self, ent: Entity, end: int, m_end: int) -> int:
        oblast = self.gaz._entities.get(ent.id + "_oblast")
        if oblast is not None:
            return self._tail_end(end, "oblast") or m_end
        return m_end

    def _mention_entity(self, ent: Entity, end: int, m_end: int) -> Entity:
        if m_end > end and ent.type == "place" and ent.id not in self.gaz._tail:
            return self.gaz._entities.get(ent.id + "_oblast", ent)
        return ent
