"""Boilerplate removal: drop whole lines that are page debris, not article text.

The patterns live in the ``boilerplate`` table (``data/boilerplate.csv``: columns
``id,lang,pattern,note``). Each pattern is a Python regex matched, case-insensitively,
against the *whole* line stripped of surrounding whitespace (fullmatch semantics).
All patterns are compiled once per :class:`~detente.normalize.tables.Rules` object into
a single alternation of named groups; the group that matched names the row.

A dropped line goes with its newline. Blank lines around dropped lines are tidied so
that drops never create runs of blank lines: between two kept lines, the blank lines
left over are those of the longest blank run that was there before (the run *after*
the dropped line is kept, so the blank line separating it from the previous paragraph
goes with it, in the same edit); blank lines that drops leave at the start or end of
the document go too, and a document that did not end with a newline still does not.

Lines longer than :data:`LONG_LINE` characters are article text unless they look like
a cookie or consent banner (they mention cookies, consent, privacy or personal data)
or a long photo caption (a credit-like mark in their last 100 characters, a dash credit
such as "… Sven Hoppe—Getty Images" near the end, or a closing bracket as in "… [Valentyn
Ogirenko/Reuters]"); only those are matched against the table.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from detente.normalize.edits import Edit
from detente.normalize.tables import TableError

if TYPE_CHECKING:  # pragma: no cover
    from detente.normalize.tables import Rules

__all__ = ["LONG_LINE", "SHORT", "TABLE", "BoilerplateMatcher", "boilerplate_edits", "build_matcher", "match_line"]

TABLE = "boilerplate"
#: Lines longer than this are only checked when they look like a consent banner.
LONG_LINE = 300
_TAIL = 100
_MEMO_SIZE = 50_000  # lines remembered per matcher
_FLAGS = re.IGNORECASE
# Numbered back-references would point at the wrong group inside the alternation.
_BACKREF = re.compile(r"\\[1-9]|\(\?\(\d")


# Lines longer than SHORT characters are matched against the shipped rows only when this
# cheap screen says they might be debris (keep it in step with data/boilerplate.csv: every
# shipped pattern that can match a line longer than SHORT must pass it). User rows are
# matched against every line, screened or not.
SHORT = 48
_HEADS = (
    "read", "see ", "see:", "also", "watch", "more ", "more:", "related", "recommended", "by ", "with ", "*",
    "(", "[", "reporting", "additional", "edited", "written", "compiled", "based on", "according to",
    "we ", "this ", "the author", "the opinion", "the views", "the editor", "the rest", "the remainder",
    "the story", "the article", "the text", "the content", "the following", "rest of", "continu",
    "you ", "if you", "found", "noticed", "subscribe", "sign ", "join", "follow", "get ", "receive",
    "stay ", "already", "click", "tap ", "any ", "use of", "full ", "total ", "partial ", "copyright",
    "all rights", "our ", "published", "updated", "posted", "listen", "to comment", "comment",
    "do you", "would you", "want to", "by continuing", "continuing", "a post", "view this", "allow",
    "skip", "end of", "what you", "thank", "become", "support", "special", "live", "home", "news",
    "photo", "foto", "image", "picture", "video", "source", "author", "from ", "via ", "courtesy",
    "originally", "first published", "republished", "—", "–", "- ", "http", "www", "©",
    # previous/next-article navigation, paywall offers, sign-up and alert promos, skip links, share runs, widget text
    "previous art", "previous sto", "previous pos", "previous pub", "previous mat", "previous new", "next art",
    "next sto", "next pos", "next pub", "next mat", "next new", "prev ", "older ", "newer ", "unlock", "enjoy",
    "gain ", "or ", "and ", "alternatively", "otherwise", "a daily", "a weekly", "a free", "a morning", "an evening",
    "newsletter", "the best", "best of", "yes", "i ", "notif", "be the first", "be first", "enable", "turn on",
    "activate", "set up", "jump", "go to", "move to", "navigate", "switch to", "proceed to", "mail", "e-mail",
    "email", "facebook", "x ", "linkedin", "make a text", "select", "highlight", "tip", "error", "something went",
    "oops", "an error", "there was", "failed to", "unable to", "show me", "discover", "add ", "your feedback",
    "rate this", "contribute a", "translated by", "powered by",
)
# the heads by their first character: one startswith over a handful of heads instead of all of them
_HEADS_BY_FIRST = {c: tuple(h for h in _HEADS if h[0] == c) for c in {h[0] for h in _HEADS}}
_MARKS = ("cookie", "contribut", "rights reserved", "ctrl", "trust principles", "hyperlink")
_TAIL_MARKS = ("/", "(", "©", "|", "getty", "photo", "foto", "image", "credit", ".png", ".jp")
_LONG_MARKS = ("cookie", "consent", "privacy", "personal data", "gdpr")
_BANNER_HEAD = 200  # characters of a long line in which a consent banner names its subject
# the end of a caption with a dash or bracketed credit ("… Sven Hoppe—Getty Images", "… [File: …/Reuters]"):
# a dash in the last _END characters followed by a capital and no comma, or a closing bracket at the very end
_DASHES = ("—", "–")
_END = 80
# a teaser with "Read more" glued on ("… war in UkraineRead more"); checked after trailing punctuation
_ENDINGS = ("more", "reading", "read on", "further", "the rest")
_END_PUNCT = " .…»›→>"
_ENDING = 24  # characters enough for an ending and its trailing punctuation


def _screen(stripped: str) -> bool:
    """Might a line longer than SHORT be debris of the shipped table? (cheap, errs on yes)"""
    low = stripped.lower()
    if len(stripped) > LONG_LINE:  # article text, unless a consent banner or a long photo caption
        # a banner opens with its subject; a paragraph a scraper glued a banner into does not,
        # and its article sentences must not go with it
        if any(mark in low[:_BANNER_HEAD] for mark in _LONG_MARKS):
            return True
        marks = ()
    elif low.startswith(_HEADS_BY_FIRST.get(low[:1], ())) or ":" in low[:40]:
        return True
    else:
        marks = _MARKS
    for mark in marks:
        if mark in low:
            return True
    tail = low[-_TAIL:]
    for mark in _TAIL_MARKS:
        if mark in tail:
            return True
    last = low[-1]
    if last == "]":
        return True
    if last.isalnum():  # a dash credit ends with a letter
        end = stripped[-_END:]
        if "—" in end or "–" in end:
            for dash in _DASHES:
                k = end.rfind(dash)
                if k >= 0:
                    credit = end[k + 1:].lstrip()
                    if credit[:1].isupper() and "," not in credit:
                        return True
    elif last not in _END_PUNCT or (last == "." and not low.endswith("..")):
        return False  # a sentence: no "Read more" ending
    return low[-_ENDING:].rstrip(_END_PUNCT).endswith(_ENDINGS)


@dataclass(frozen=True)
class _Alternation:
    """Rows compiled into one alternation, plus patterns that cannot join it."""

    combined: re.Pattern | None
    group_ids: dict[int, tuple[int, str]]  # outer group index -> (row order, row id)
    separate: tuple[tuple[int, str, re.Pattern], ...]  # (row order, row id, pattern)

    def match(self, stripped: str) -> tuple[int, str] | None:
        best: tuple[int, str] | None = None
        if self.combined is not None:
            m = self.combined.fullmatch(stripped)
            if m is not None:
                best = self.group_ids[m.lastindex]
        for order, rid, pat in self.separate:
            if best is not None and order > best[0]:
                break
            if pat.fullmatch(stripped):
                return order, rid
        return best

    def __bool__(self) -> bool:
        return self.combined is not None or bool(self.separate)


@dataclass(frozen=True)
class BoilerplateMatcher:
    """The compiled boilerplate table: shipped rows and user rows (added or overridden)."""

    shipped: _Alternation
    user: _Alternation
    # line -> row id or None: page debris and recombined paragraphs recur across documents,
    # and a line's outcome depends on the line alone.
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def match(self, stripped: str) -> str | None:
        """The id of the row that drops ``stripped`` (a whole line without surrounding whitespace), or None."""
        memo = self._memo
        try:
            return memo[stripped]
        except KeyError:
            pass
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        hit = memo[stripped] = self._match(stripped)
        return hit

    def _match(self, stripped: str) -> str | None:
        n = len(stripped)
        if n <= SHORT or _screen(stripped):
            hit = self.shipped.match(stripped)
            if hit is not None:
                return hit[1]
        if self.user and n <= LONG_LINE:
            hit = self.user.match(stripped)
            if hit is not None:
                return hit[1]
        return None

    def __bool__(self) -> bool:
        return bool(self.shipped) or bool(self.user)


def _compile_one(rid: str, pattern: str, source: str) -> re.Pattern:
    if not pattern.strip():
        raise TableError(f"{source}: boilerplate row {rid!r} has an empty pattern")
    try:
        return re.compile(pattern, _FLAGS)
    except (re.error, OverflowError, RecursionError) as exc:
        raise TableError(f"{source}: boilerplate row {rid!r}: invalid regular expression: {exc}") from None


def _embeddable(pattern: str) -> bool:
    """Can ``pattern`` sit inside the alternation with the same meaning?"""
    if _BACKREF.search(pattern):
        return False
    # Global inline flags such as (?x) are only allowed at the start of a regex. Python 3.10
    # merely warns, and then applies the flag to the whole alternation: a warning counts as no.
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        try:
            re.compile(f"x|(?P<_t>{pattern})", _FLAGS)
        except (re.error, OverflowError, RecursionError, DeprecationWarning):
            return False
    return True


def _alternation(rows: list[tuple[int, str, str, re.Pattern]]) -> _Alternation:
    parts: list[str] = []
    group_ids: dict[int, tuple[int, str]] = {}
    separate: list[tuple[int, str, re.Pattern]] = []
    group = 0
    for order, rid, pattern, compiled in rows:
        if not _embeddable(pattern):
            separate.append((order, rid, compiled))
            continue
        group += 1
        group_ids[group] = (order, rid)
        parts.append(f"(?P<_{group}>{pattern})")
        group += compiled.groups
    if not parts:
        return _Alternation(None, {}, tuple(separate))
    try:
        combined = re.compile("|".join(parts), _FLAGS)
    except (re.error, OverflowError, RecursionError):
        # e.g. two user rows defining the same group name: match row by row instead
        return _Alternation(None, {}, tuple((o, r, c) for o, r, _, c in rows))
    return _Alternation(combined, group_ids, tuple(separate))


_SHIPPED_PREFIX = f"detente/normalize/data/{TABLE}.csv:"


def build_matcher(rules: "Rules") -> BoilerplateMatcher:
    """Compile the boilerplate table of ``rules``; raises TableError naming the bad row's file:line."""
    shipped: list[tuple[int, str, str, re.Pattern]] = []
    user: list[tuple[int, str, str, re.Pattern]] = []
    for order, row in enumerate(rules.rows(TABLE)):
        rid = (row.get("id") or next(iter(row.values()), "")).strip()
        source = row.get("_source", TABLE)
        pattern = row.get("pattern")
        if pattern is None:
            raise TableError(f"{source}: boilerplate row {rid!r} has no 'pattern' column")
        pattern = pattern.strip()
        entry = (order, rid, pattern, _compile_one(rid, pattern, source))
        (shipped if source.startswith(_SHIPPED_PREFIX) else user).append(entry)
    return BoilerplateMatcher(_alternation(shipped), _alternation(user))


def _matcher(rules: "Rules") -> BoilerplateMatcher:
    return rules.compiled(TABLE, build_matcher)


def match_line(line: str, rules: "Rules") -> str | None:
    """The rule id that would drop ``line`` (one line, without its newline), or None to keep it."""
    stripped = line.strip()
    if not stripped:
        return None
    return _matcher(rules).match(stripped)


_KEEP, _BLANK = 0, 1
#: The rule id of a YAML front-matter block (a Markdown page's metadata: title, tags, image …).
FRONT_MATTER = "boilerplate.front_matter"
_FENCE = re.compile(r"---[ \t]*")
_YAML_LINE = re.compile(r"[A-Za-z_][\w-]*:(?:[ \t].*)?|[ \t]+\S.*|-[ \t].*|[ \t]*(?:#.*)?")
_FRONT_MATTER_LINES = 200


def _front_matter_end(lines: list[str]) -> int:
    """The number of lines of the YAML front matter at the top (0: none): a "---" line, then
    only "key: value" lines (with indented or "- " continuations), then a closing "---" or
    "..." line. Anything else in between means it is not front matter."""
    if not lines or not _FENCE.fullmatch(lines[0]):
        return 0
    for i in range(1, min(len(lines), _FRONT_MATTER_LINES)):
        line = lines[i]
        if _FENCE.fullmatch(line) or line.rstrip() == "...":
            return i + 1 if i > 1 else 0
        if not _YAML_LINE.fullmatch(line):
            return 0
    return 0


def boilerplate_edits(text: str, rules: "Rules") -> list[Edit]:
    """One :class:`Edit` (replacement ``""``) per dropped debris line, in ``text``'s coordinates."""
    matcher = _matcher(rules)
    if not matcher:
        return []
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()  # the empty string after the final newline is not a line
    match = matcher.match
    kinds: list = []  # _KEEP, _BLANK or the dropping rule's id
    append = kinds.append
    dropped = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            append(_BLANK)
        else:
            rid = match(stripped)
            if rid is None:
                append(_KEEP)
            else:
                append(rid)
                dropped = True
    front = _front_matter_end(lines)
    if front:
        kinds[:front] = [FRONT_MATTER] * front
        dropped = True
    if not dropped:
        return []

    starts: list[int] = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    n = len(lines)
    end_of_text = len(text)

    def line_end(i: int) -> int:  # end of line i including its newline
        return min(starts[i] + len(lines[i]) + 1, end_of_text)

    edits: list[Edit] = []
    i = 0
    while i < n:
        if not isinstance(kinds[i], str):
            i += 1
            continue
        a = i
        while a > 0 and kinds[a - 1] == _BLANK:
            a -= 1
        b = i
        while b + 1 < n and kinds[b + 1] != _KEEP:
            b += 1
        _gap_edits(a, b, n, kinds, starts, line_end, text, edits)
        i = b + 1
    return edits


def _gap_edits(a, b, n, kinds, starts, line_end, text, edits) -> None:
    """Edits for the gap of blank and dropped lines ``a..b`` between kept lines (or the text's ends)."""
    keep_lo = keep_hi = -1  # the blank run to keep, inclusive
    if a > 0 and b < n - 1:
        best = 0
        j = a
        while j <= b:
            if kinds[j] == _BLANK:
                k = j
                while k + 1 <= b and kinds[k + 1] == _BLANK:
                    k += 1
                if k - j + 1 >= best:  # the last longest run: drop the blank line before debris
                    best, keep_lo, keep_hi = k - j + 1, j, k
                j = k + 1
            else:
                j += 1
    segments = [(a, keep_lo - 1), (keep_hi + 1, b)] if keep_lo >= 0 else [(a, b)]
    for lo, hi in segments:
        if lo > hi:
            continue
        drops = [j for j in range(lo, hi + 1) if isinstance(kinds[j], str)]
        seg_start = starts[lo]
        if hi == n - 1 and lo > 0 and not text.endswith("\n"):
            seg_start -= 1  # the text did not end with a newline: take the last kept line's newline
        for k, j in enumerate(drops):
            start = seg_start if k == 0 else line_end(drops[k - 1])
            end = line_end(hi) if k == len(drops) - 1 else line_end(j)
            edits.append(Edit(start, end, "", kinds[j]))
