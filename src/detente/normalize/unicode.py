"""Unicode repair: line endings, mojibake, NFC, odd characters, whitespace, quote pairs.

Each step proposes edits on the current text; the table ``unicode.csv``
drives the character repairs.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

import ftfy

from detente.normalize.edits import Edit
from detente.normalize.tables import Rules, TableError

_CRLF = re.compile(r"\r\n?")

# UTF-8 read as cp1252/latin-1 leaves a lead byte (Â-ô) followed by a
# continuation byte rendered as a cp1252 symbol; C1 controls are the same
# bytes read as latin-1. Only lines with such a pair go through ftfy.
_CP1252_TAIL = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_MOJIBAKE_HINT = re.compile(f"[\u00c2-\u00f4][{_CP1252_TAIL}]|[\u0080-\u009f]")
_MOJIBAKE_LEAD = re.compile("[\u00c2-\u00f4\u0080-\u009f]")  # one character class: a fast first look

_COMBINING = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_NFC_CANDIDATE = re.compile(f"(?:[^\\x00-\\x7f]|.(?=[{_COMBINING}]))[{_COMBINING}]*", re.S)

_SPACE_RUN = re.compile(r"[ \t]{2,}|\t")
_EDGE_SPACE = re.compile(r"^[ \t]+|[ \t]+$", re.M)
_TOKENS = re.compile(r"\S+|\s+")
_QUOTE = re.compile("[\"\u201c\u201d]")
_GOOD_PAIRS = {('"', '"'), ("\u201c", "\u201d")}


def line_endings(text: str, rules: Rules) -> list[Edit]:
    return [Edit(m.start(), m.end(), "\n", "unicode.line_ending") for m in _CRLF.finditer(text)]


def mojibake(text: str, rules: Rules) -> list[Edit]:
    """UTF-8 decoded as cp1252/latin-1 ("â€™" for "’"), repaired by ftfy on affected lines only."""
    edits: list[Edit] = []
    if text.isascii() or not _may_hold_lead(text):
        return edits
    for start, end in _hint_lines(text):
        line = text[start:end]
        fixed = ftfy.fix_encoding(line)
        if fixed != line and "\n" not in fixed:
            edits.extend(_diff_edits(line, fixed, start, "unicode.mojibake"))
    return edits


def _hint_lines(text: str):
    """(start, end) of each line holding a mojibake hint, in order.

    Every hint starts with a lead character and never holds a newline, so a line is
    searched for a hint only from its first lead on: the lead is a one-class scan, much
    faster over a long text than the hint's two-branch pattern."""
    lead, hint, pos = _MOJIBAKE_LEAD.search, _MOJIBAKE_HINT.search, 0
    while (m := lead(text, pos)) is not None:
        end = text.find("\n", m.start())
        end = len(text) if end < 0 else end
        if hint(text, m.start(), end) is not None:
            yield text.rfind("\n", 0, m.start()) + 1, end
        pos = end


def _may_hold_lead(text: str) -> bool:
    """False when ``text`` holds no mojibake lead, answered from its UTF-8 bytes: every lead
    is in U+0080-U+00FF, the characters whose UTF-8 form starts with byte C2 or C3 (never
    continuation bytes), and a byte search runs at memchr speed where a character-class
    scan of a non-ASCII text does not."""
    data = text.encode("utf-8", "surrogatepass")
    return b"\xc2" in data or b"\xc3" in data


def _diff_edits(old: str, new: str, offset: int, rule: str) -> list[Edit]:
    """One edit per changed run of words: a character diff of a long line is too slow."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    a_at = [0]
    for tok in a:
        a_at.append(a_at[-1] + len(tok))
    if len(a) == len(b):  # the usual case: each broken word repaired in place
        return [Edit(offset + a_at[i], offset + a_at[i + 1], y, rule) for i, (x, y) in enumerate(zip(a, b)) if x != y]
    edits = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            edits.append(Edit(offset + a_at[i1], offset + a_at[i2], "".join(b[j1:j2]), rule))
    return edits


def nfc(text: str, rules: Rules) -> list[Edit]:
    """Compose decomposed letters (e + combining acute -> é) so that look-ups see one spelling."""
    if unicodedata.is_normalized("NFC", text):
        return []
    edits = []
    for m in _NFC_CANDIDATE.finditer(text):
        composed = unicodedata.normalize("NFC", m.group())
        if composed != m.group():
            edits.append(Edit(m.start(), m.end(), composed, "unicode.nfc"))
    return edits


def _decode(cell: str, where: str) -> str:
    cell = cell.strip()
    if not cell.upper().startswith("U+"):
        return cell
    try:
        return "".join(chr(int(tok[2:], 16)) for tok in cell.split())
    except ValueError:
        raise TableError(f"{where}: bad code point notation {cell!r} (write U+00A0 or U+0020 U+2014)") from None


def _expand_chars(cell: str, where: str) -> list[str]:
    cell = cell.strip()
    m = re.fullmatch(r"U\+([0-9A-Fa-f]{4,6})-U\+([0-9A-Fa-f]{4,6})", cell)
    if m:
        return [chr(c) for c in range(int(m.group(1), 16), int(m.group(2), 16) + 1)]
    decoded = _decode(cell, where)
    if not decoded:
        raise TableError(f"{where}: empty 'chars'")
    return [decoded]


def _build_char_table(rules: Rules) -> tuple[re.Pattern | None, dict[str, tuple[str, str]], tuple[str, ...]]:
    """(regex, table, sequences): the sequences are the table's multi-character keys."""
    table: dict[str, tuple[str, str]] = {}
    for row in rules.rows("unicode"):
        where = row["_source"]
        replacement = _decode(row.get("replacement", ""), where)
        for chars in _expand_chars(row.get("chars", ""), where):
            table[chars] = (replacement, row["id"])
    if not table:
        return None, table, ()
    # Longer sequences first, then one character class for the single characters (much faster
    # than an alternation of seventy one-character branches).
    longer = sorted((k for k in table if len(k) > 1), key=len, reverse=True)
    singles = "".join(re.escape(k) for k in table if len(k) == 1)
    alternatives = [*map(re.escape, longer), *([f"[{singles}]"] if singles else [])]
    return re.compile("|".join(alternatives)), table, tuple(longer)


def _build_singles(rules: Rules) -> re.Pattern | None:
    """The single characters alone, for texts holding none of the sequences: a sequence that
    starts with a space would make the combined regex stop at every space. Only when no
    sequence contains a single, so that matches of the two kinds can never overlap."""
    _, table, longer = rules.compiled("unicode.characters", _build_char_table)
    singles = [k for k in table if len(k) == 1]
    if not singles or any(ch in seq for seq in longer for ch in singles):
        return None
    return re.compile(f"[{''.join(map(re.escape, singles))}]")


def characters(text: str, rules: Rules) -> list[Edit]:
    """Odd spaces, invisible characters, control characters and non-standard dashes (table-driven)."""
    pattern, table, longer = rules.compiled("unicode.characters", _build_char_table)
    if pattern is None:
        return []
    if not any(seq in text for seq in longer):
        pattern = rules.compiled("unicode.characters.singles", _build_singles) or pattern
    return [Edit(m.start(), m.end(), *table[m.group()]) for m in pattern.finditer(text)]


def whitespace(text: str, rules: Rules) -> list[Edit]:
    """Runs of spaces and tabs become one space; spaces at line ends go."""
    if "\t" not in text and "  " not in text and " \n" not in text and "\n " not in text \
            and text[:1] != " " and text[-1:] != " ":
        return []
    edge = [Edit(m.start(), m.end(), "", "unicode.whitespace") for m in _EDGE_SPACE.finditer(text)]
    runs = [Edit(m.start(), m.end(), " ", "unicode.whitespace") for m in _SPACE_RUN.finditer(text)]
    # Edge edits first: where both match, the run is at a line end and must vanish.
    return _first_wins(edge + runs)


def _first_wins(edits: list[Edit]) -> list[Edit]:
    kept: list[Edit] = []
    taken: set[int] = set()
    for e in edits:
        if e.start not in taken:
            kept.append(e)
            taken.add(e.start)
    return kept


def quote_pairs(text: str, rules: Rules) -> list[Edit]:
    """Mismatched double quotes in a line ("“word\"", "”word”") become a curly pair.

    Straight pairs and correct curly pairs stay as they are; a line with an odd
    number of double quotes is left alone, since a quote may run on into the
    next paragraph.
    """
    edits: list[Edit] = []
    if "\u201c" not in text and "\u201d" not in text:
        return edits
    pos = 0
    for line in text.split("\n"):
        # Only lines with a curly quote can hold a mismatched pair.
        if "\u201c" in line or "\u201d" in line:
            marks = _QUOTE.findall(line)
            inner = _inner(marks)
            if not _well_paired(marks[inner]):
                edits.extend(_pair_line(list(_QUOTE.finditer(line))[inner], pos))
        pos += len(line) + 1
    return edits


def _inner(marks: list[str]) -> slice:
    """The marks of a line but a closing ” first and an opening “ last: in hard-wrapped text
    ("… in the Emirates.” The decision … he added. “They are …") those belong to quotes
    that began on the line before and go on to the next, and are no pair."""
    if len(marks) >= 2 and marks[0] == "\u201d" and marks[-1] == "\u201c":
        return slice(1, -1)
    return slice(None)


def _well_paired(marks: list[str]) -> bool:
    """True when :func:`_pair_line` has nothing to do: an odd number of marks, or every pair
    (1st and 2nd, 3rd and 4th ...) a good one, '""' or '“”'. Checked on the mark strings
    at C speed: the openers, with “ read as ”, must equal the closers, and no opener is a ”."""
    if len(marks) % 2:
        return True
    opens, closes = "".join(marks[::2]), "".join(marks[1::2])
    return "\u201d" not in opens and opens.replace("\u201c", "\u201d") == closes


def _pair_line(marks: list[re.Match], offset: int) -> list[Edit]:
    if not marks or len(marks) % 2:
        return []
    edits = []
    for a, b in zip(marks[::2], marks[1::2]):
        if (a.group(), b.group()) not in _GOOD_PAIRS:
            edits.append(Edit(offset + a.start(), offset + a.end(), "\u201c", "unicode.quote_pair"))
            edits.append(Edit(offset + b.start(), offset + b.end(), "\u201d", "unicode.quote_pair"))
    return edits


STEPS = (line_endings, mojibake, nfc, characters, whitespace, quote_pairs)
