"""Language identification of a document and of each paragraph, deterministic.

langdetect is slow (a few hundred short paragraphs per second), so a cheap
check decides first: a paragraph in Latin script with enough English function
words is English without asking langdetect. Only the rest goes to langdetect,
through a detector factory of our own with a fixed seed (langdetect's module
default is unseeded and global).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources

TARGET = "en"

_PARAGRAPH = re.compile(r"[^\n]+")
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_WORD = re.compile(r"[a-z]+")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u2000-\u206f]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_\x00-\u024f]")
# English function words that are not also everyday words of the languages our articles come
# from (so "a", "as", "no" of Portuguese and Spanish, "in", "an", "was", "will", "also" of
# German, "is", "we", "over" of Dutch and "on" of French are not here).
_ENGLISH = frozenset(
    "the of and to that for with said by at from has have it be are were not "
    "this which his he she they their its but or after had been would who more than about "
    "our there can could into between told says while during against".split()
)
#: Paragraphs shorter than this (in letters) are too short to judge; they take the document's language.
MIN_LETTERS = 20
#: langdetect's probability needed before a paragraph is flagged as not English.
FLAG_PROBABILITY = 0.80


@dataclass(frozen=True, slots=True)
class ParagraphLanguage:
    start: int
    end: int
    lang: str
    probability: float
    method: str  # "english-words", "langdetect", "too-short"
    flagged: bool  # still in a language other than English


@dataclass(frozen=True, slots=True)
class Languages:
    document: str
    paragraphs: tuple[ParagraphLanguage, ...]

    @property
    def flagged(self) -> tuple[ParagraphLanguage, ...]:
        return tuple(p for p in self.paragraphs if p.flagged)

    def to_dict(self) -> dict:
        return {"document": self.document, "paragraphs": [asdict(p) for p in self.paragraphs]}


@lru_cache(maxsize=1)
def _factory():
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


@lru_cache(maxsize=4096)
def detect(text: str) -> tuple[str, float]:
    """langdetect's best guess and its probability, the same on every run.

    Cached: a detection costs tens of milliseconds, and the paragraphs that reach
    langdetect (headlines, bylines, quotes in the source language) recur across
    documents; the seeded detector gives the same answer every time anyway."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return "und", 0.0
    return best.lang, round(best.prob, 4)


def _looks_english(paragraph: str, words: list[str]) -> bool:
    # Mostly Latin script and enough English function words (C-level set look-ups: this runs on
    # every paragraph of every document).
    hits = sum(map(_ENGLISH.__contains__, words))
    if hits < max(2, 0.15 * len(words)):
        return False
    return paragraph.isascii() or len(_NON_LATIN.findall(paragraph)) <= 0.1 * len(paragraph)


@lru_cache(maxsize=1)
def english_vocabulary() -> frozenset[str]:
    """Common English words of news on the talks (data/english_words.txt)."""
    text = resources.files("detente").joinpath("data", "english_words.txt").read_text(encoding="utf-8")
    return frozenset(w for w in text.split() if not w.startswith("#"))


def _mostly_english_words(paragraph: str) -> bool:
    # Headlines have few function words; most of their words are still common English ones.
    words = _ASCII_WORD.findall(paragraph.lower())
    known = sum(map(english_vocabulary().__contains__, words))
    return len(words) >= 3 and known >= 0.75 * len(words) and len(_WORD.findall(paragraph)) == len(words)


def _latin_view(paragraph: str) -> str:
    """The paragraph without its words in other scripts, when Latin letters are the most:
    "Boichenko said Зеленський on TV" is an English sentence with a name left in Cyrillic,
    which would make langdetect call it Estonian."""
    if paragraph.isascii():
        return paragraph
    foreign = len(_NON_LATIN_LETTER.findall(paragraph))
    if not foreign or 2 * foreign >= sum(map(len, _WORD.findall(paragraph))):
        return paragraph
    return " ".join(w for w in paragraph.split() if not _NON_LATIN_LETTER.search(w))


def paragraph_language(paragraph: str) -> tuple[str, float, str]:
    found = _by_words(paragraph)
    if found is None:
        # not plainly English: judge it again without the words in other scripts
        view = _latin_view(paragraph)
        found = _by_words(view) if view is not paragraph else None
        paragraph = view
    if found is not None:
        return found
    if sum(map(len, _WORD.findall(paragraph))) < MIN_LETTERS:
        return "und", 0.0, "too-short"
    lang, prob = detect(paragraph)
    return lang, prob, "langdetect"


def _by_words(paragraph: str) -> tuple[str, float, str] | None:
    """The verdict the cheap checks give (too short, English words), or None."""
    words = paragraph.lower().split()
    if len(paragraph) - len(words) < MIN_LETTERS and len(_WORD.findall(paragraph)) < MIN_LETTERS // 4:
        return "und", 0.0, "too-short"
    if _looks_english(paragraph, words) or _mostly_english_words(paragraph):
        return TARGET, 1.0, "english-words"
    return None


def untranslated(paragraph: str) -> bool:
    """Does the paragraph read as another language? The repairs that patch English text
    leave such a paragraph alone (a German "und" is no left-over word there). Any verdict
    other than English counts, not only a confident one: normalize must give the same
    answer on its own output, and a doubtful paragraph may tip either way once repaired."""
    if _surely_english(paragraph):
        return False
    return paragraph_language(paragraph)[0] not in {TARGET, "und"}


def untranslated_at(text: str, pos: int, known: dict[int, bool]) -> bool:
    """:func:`untranslated` of the line of ``text`` that holds ``pos``; ``known`` keeps the
    answers by line start, for the other hits of one line."""
    start = text.rfind("\n", 0, pos) + 1
    answer = known.get(start)
    if answer is None:
        end = text.find("\n", pos)
        answer = known[start] = untranslated(text[start:end if end >= 0 else len(text)])
    return answer


_COMMON = (" the ", " of ", " and ", " to ", " said ")  # all in _ENGLISH


def _surely_english(paragraph: str) -> bool:
    """A cheap test that implies paragraph_language's English (or too-short) verdict: at
    least as many of _ENGLISH's words as _looks_english asks for, counted from below with
    C-level substring counts (a " the " is a token "the"), against the word count; and the
    same test of script. Most English paragraphs pass it."""
    hits = sum(map(paragraph.count, _COMMON))
    if hits < 2 or hits < 0.15 * len(paragraph.split()):
        return False
    return paragraph.isascii() or len(_NON_LATIN.findall(paragraph)) <= 0.1 * len(paragraph)


def identify_languages(text: str) -> Languages:
    """The language of ``text`` and of each of its paragraphs (non-empty lines)."""
    found = []
    weight: dict[str, int] = {}
    for m in _PARAGRAPH.finditer(text):
        lang, prob, method = paragraph_language(m.group())
        found.append((m.start(), m.end(), lang, prob, method))
        if lang != "und":
            weight[lang] = weight.get(lang, 0) + m.end() - m.start()
    document = max(sorted(weight), key=weight.__getitem__) if weight else "und"
    paragraphs = tuple(
        ParagraphLanguage(s, e, document if lang == "und" else lang, prob, method,
                          lang not in {TARGET, "und"} and prob >= FLAG_PROBABILITY)
        for s, e, lang, prob, method in found
    )
    return Languages(document, paragraphs)
