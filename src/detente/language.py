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

TARGET = "en"

_PARAGRAPH = re.compile(r"[^\n]+")
_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = frozenset(
    "the of and to in a is that for on with as was said by at from has have it be are were will not "
    "this an which his he she they their its but or after had been would who also more than about "
    "over we our there can could into no between said told says while during against".split()
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


def detect(text: str) -> tuple[str, float]:
    """langdetect's best guess and its probability, the same on every run."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return "und", 0.0
    return best.lang, round(best.prob, 4)


def _looks_english(words: list[str]) -> bool:
    if not words:
        return False
    ascii_words = sum(1 for w in words if w.isascii())
    hits = sum(1 for w in words if w.lower() in _ENGLISH)
    return ascii_words >= 0.9 * len(words) and hits >= max(2, 0.15 * len(words))


def paragraph_language(paragraph: str) -> tuple[str, float, str]:
    words = _WORD.findall(paragraph)
    if sum(map(len, words)) < MIN_LETTERS:
        return "und", 0.0, "too-short"
    if _looks_english(words):
        return TARGET, 1.0, "english-words"
    lang, prob = detect(paragraph)
    return lang, prob, "langdetect"


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
