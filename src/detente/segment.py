"""Statements: the sentences of a normalized article, with speaker and issues.

A statement is one sentence, except that a quotation is never cut: a quote
of several sentences stays whole with its attribution
(“It is clear ... NATO. We understand this,” Zelensky said.), which is how
ANNOTATION.md defines a statement ("one quoted span with its attribution").
Sentence ends are found per line (every line is at least one statement, so
headlines stay apart) and are robust to abbreviations (U.S., Mr., Gen.,
St.), initials, decimals (13.6), ellipses and quotes ending in ,” followed
by their attribution. Who speaks is decided in :mod:`detente.speakers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.issues import IssueHit, Taxonomy, detect_issues, issues_of
from detente.speakers import Attributor, quote_spans, words

if TYPE_CHECKING:
    from detente.normalize import Normalized

__all__ = ["Statement", "statements", "sentence_spans"]


@dataclass(frozen=True, slots=True)
class Statement:
    text: str
    start: int          # offsets into the normalized text
    end: int
    orig_start: int     # offsets into the text given to normalize()
    orig_end: int
    speaker: str | None
    quote: bool         # the statement carries the speaker's own quoted words
    issues: tuple[str, ...]
    hits: tuple[IssueHit, ...]   # offsets into .text

    def to_dict(self) -> dict:
        return {
            "text": self.text, "start": self.start, "end": self.end,
            "orig_start": self.orig_start, "orig_end": self.orig_end,
            "speaker": self.speaker, "quote": self.quote, "issues": list(self.issues),
            "evidence": [{"issue": h.issue, "start": h.start, "end": h.end, "text": h.evidence} for h in self.hits],
        }


# Word tables (detente/data/abbreviations.csv, sentence_starters.csv): words that end with a
# period without ending a sentence (checked lower-cased, without the period), and the words
# before which a dotted abbreviation (U.S., U.N.) does end one.
_ABBREVIATIONS = frozenset(words("abbreviations"))
_SENTENCE_STARTERS = frozenset(words("sentence_starters"))
# A sentence end: a run of .!? or an ellipsis, closing quotes or brackets, then space and a
# capital or digit. It opens with one character class ([.!?]+ as [.!?] then (?<=[.!?])[.!?]*)
# so that ``re`` skips to candidates in C; led by an alternation, it was tried at every position.
_BOUNDARY = re.compile(r"[.!?…](?:(?<=…)|(?<=[.!?])[.!?]*)[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
# The word before a period (group 1): what searching r"([A-Za-z][\w.’'-]*)$" finds, without
# trying every start of the window. The greedy ``.*`` jumps to the end and backs off to the
# character before the last run of word characters; the lazy run skips to its first letter.
_WORD_BEFORE = re.compile(r"(?s:.*[^\w.’'-])?[\w.’'-]*?([A-Za-z][\w.’'-]*)$")
_LINE = re.compile(r"[^\n]+")
_NEXT_WORD = re.compile(r"\s+[\"“‘(]?([A-Za-z]+)")
_NEXT_DIGIT = re.compile(r"\s+\d")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of ``text``; quotations are never cut."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        spans.extend(_line_sentences(text, line.start(), line.end()))
    return spans


def _line_sentences(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    quotes = quote_spans(text, lo, hi)
    cuts = [m.end() for m in _BOUNDARY.finditer(text, lo, hi)
            if not _inside(m.end(), quotes) and not _abbreviation(text, m.start(), m.end())]
    out, start = [], lo
    for cut in cuts + [hi]:
        s, e = _strip(text, start, cut)
        if e > s:
            out.append((s, e))
        start = cut
    return out


def _inside(pos: int, quotes: list[tuple[int, int]]) -> bool:
    # a cut right after a closing quote mark is outside it
    return any(s < pos < e for s, e in quotes)


def _abbreviation(text: str, p_start: int, p_end: int) -> bool:
    if text[p_start] != ".":
        return False
    m = _WORD_BEFORE.match(text, max(0, p_start - 30), p_start)
    if not m:
        return False
    word = m.group(1)
    if "." in word or (len(word) == 1 and word.isupper()):
        # U.S. / initials: a sentence end only if a typical sentence starter follows
        nxt = _NEXT_WORD.match(text[p_end:p_end + 40])
        if len(word) == 1:
            return True
        return not (nxt and nxt.group(1).lower() in _SENTENCE_STARTERS)
    if word.lower() in ("no", "nos"):   # "No. 5", but "he said no. Then"
        return bool(_NEXT_DIGIT.match(text[p_end:p_end + 3]))
    return word.lower() in _ABBREVIATIONS


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def statements(text: "str | Normalized", *, taxonomy: Taxonomy | None = None) -> list[Statement]:
    """The statements of one article; a ``str`` is normalized first."""
    from detente.normalize import Normalized, normalize

    norm = text if isinstance(text, Normalized) else normalize(text)
    tax = taxonomy or Taxonomy.load()
    attributor = Attributor(norm.text, norm.entities)
    out = []
    for s, e in sentence_spans(norm.text):
        speaker, quote = attributor.next(s, e)
        body = norm.text[s:e]
        hits = detect_issues(body, tax)
        o_s, o_e = norm.to_original(s, e)
        out.append(Statement(body, s, e, o_s, o_e, speaker, quote, issues_of(hits, tax), tuple(hits)))
    return out
