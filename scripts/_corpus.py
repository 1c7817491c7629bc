"""The benchmark corpus: article-sized documents recombined from the seed sentences.

Recombining sentences (not whole paragraphs) keeps almost every article line
unique, as in a real corpus, so per-line caches cannot flatter a figure.
Foreign name spellings, mojibake and page debris are injected; debris lines
repeat, as they do in real feeds. Shared by the bench_*.py scripts.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

INJECT_NAMES = ["Зеленський", "Київ", "Мединский", "Selenskyj", "Kiew", "Lawrow", "Medinski", "Lugansk", "Zelenskiy"]
DEBRIS = ["The story continues under the ad", "Comments", "Continues after advertising",
          "Photo: EPA-EFE/SERGEI ILNITSKY", "Sign up for our newsletter", "Read also: Peskov on the talks"]
_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[“\"A-Z])")


def mojibake(s: str) -> str:
    return s.encode("utf-8").decode("cp1252", errors="replace")


def seed_sentences() -> list[str]:
    return [s.strip() for f in sorted((ROOT / "seeds").glob("*.txt"))
            for p in f.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 40
            for s in _SENTENCE_END.split(p) if len(s.strip()) > 20]


def make_document(rng: random.Random, sentences: list[str], paragraphs: tuple[int, int] = (8, 16)) -> str:
    """One article of ``paragraphs`` paragraphs, each of 1-4 random seed sentences;
    some with an injected name spelling or mojibake, some preceded by a debris line."""
    parts = []
    for _ in range(rng.randint(*paragraphs)):
        p = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))
        roll = rng.random()
        if roll < 0.15:
            words = p.split(" ")
            words.insert(rng.randrange(len(words)), rng.choice(INJECT_NAMES))
            p = " ".join(words)
        elif roll < 0.20:
            p = mojibake(p)
        elif roll < 0.30:
            parts.append(rng.choice(DEBRIS))
        parts.append(p)
    return "\n\n".join(parts)
