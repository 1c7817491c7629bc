"""Cheap screens derived from table rows, so that a row's regex runs only where it can match.

Nothing here is hand-maintained: every screen is computed from the row itself
(its regex, or its ``requires`` literals), so a user table is screened the
same way as the shipped one. A screen may let through text that does not
match; it never stops text that does.
"""

from __future__ import annotations

import re

# The regex parser of the standard library is the only way to read a row's pattern as re
# reads it; it moved in Python 3.11 (3.10 has it as sre_parse / sre_constants).
try:
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

__all__ = ["LiteralScan", "line_windows", "one_line"]

_NL = ord("\n")
# Possessive repeats and atomic groups are new in Python 3.11; on 3.10 no tree holds them.
_REPEATS = tuple(getattr(C, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(C, name))
_ATOMIC = getattr(C, "ATOMIC_GROUP", None)
# Assertions at the end of the text behave differently when a scan stops at a line's end.
_UNSAFE_AT = {C.AT_END, C.AT_END_STRING}
_CATEGORY_NL = {C.CATEGORY_SPACE, C.CATEGORY_NOT_DIGIT, C.CATEGORY_NOT_WORD, C.CATEGORY_UNI_SPACE,
                C.CATEGORY_UNI_NOT_DIGIT, C.CATEGORY_UNI_NOT_WORD, C.CATEGORY_LINEBREAK, C.CATEGORY_UNI_LINEBREAK}


def one_line(pattern: re.Pattern) -> bool:
    """True when no match of ``pattern`` (lookarounds included) can touch a newline or need
    the text's end: its matches are then the same when it scans each line on its own."""
    try:
        tree = P.parse(pattern.pattern, pattern.flags)
    except Exception:  # pragma: no cover - compiled already, so this is only caution
        return False
    return isinstance(pattern.pattern, str) and tree.getwidth()[0] > 0 and _safe(tree, tree.state.flags)


def _safe(items, flags: int) -> bool:
    for op, av in items:
        if op in (C.LITERAL,):
            if av == _NL:
                return False
        elif op is C.NOT_LITERAL:
            if av != _NL:
                return False
        elif op is C.ANY:
            if flags & C.SRE_FLAG_DOTALL:
                return False
        elif op is C.IN:
            if _class_has_newline(av):
                return False
        elif op is C.AT:
            if av in _UNSAFE_AT:
                return False
        elif op is C.SUBPATTERN:
            if not _safe(av[3], (flags | av[1]) & ~av[2]):
                return False
        elif op in _REPEATS:
            if not _safe(av[2], flags):
                return False
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if not _safe(av[1], flags):
                return False
        elif op is C.BRANCH:
            if not all(_safe(b, flags) for b in av[1]):
                return False
        elif _ATOMIC is not None and op is _ATOMIC:
            if not _safe(av, flags):
                return False
        elif op is C.GROUPREF:
            continue  # repeats what a group matched; the group itself is checked
        else:  # GROUPREF_EXISTS and anything unforeseen: assume the worst
            return False
    return True


def _class_has_newline(items) -> bool:
    negate, hit = False, False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit = hit or av == _NL
        elif op is C.RANGE:
            hit = hit or av[0] <= _NL <= av[1]
        elif op is C.CATEGORY:
            hit = hit or av in _CATEGORY_NL
        else:
            return True
    return hit != negate


# --- required literals ------------------------------------------------------------


def _rarity(ch: str) -> int:
    """How rare a character is in news text, roughly: letters, digits and spaces are everywhere,
    full stops and commas nearly so; anything else is worth a look of its own."""
    if ch.isalnum() or ch == " ":
        return 0
    return 1 if ch in ".," else 2


class LiteralScan:
    """Where the literals of many groups (one group per table row) occur in a text, found by
    one regex scan instead of a search per row and literal.

    Each literal is found from its rarest character, its anchor: the regex starts with the
    anchor characters, which re scans for fast, and checks the rest of a literal around one
    (what follows it as a literal, the whole literal as a look-behind) only there. A match
    says that some literal is at an anchor; every literal with that anchor is then checked
    there, so literals overlapping each other are all found.
    """

    __slots__ = ("regex", "_at")

    def __init__(self, groups):
        at: dict[str, dict[tuple[str, int], list[int]]] = {}  # anchor -> (literal, offset) -> groups
        for k, literals in enumerate(groups):
            for lit in dict.fromkeys(literals):
                if lit:
                    off = lit.index(max(lit, key=_rarity))
                    at.setdefault(lit[off], {}).setdefault((lit, off), []).append(k)
        self._at = {c: tuple((lit, off, tuple(ks)) for (lit, off), ks in found.items()) for c, found in at.items()}
        branches = [re.escape(c) + "(?:" + "|".join(_rest(lit, off) for lit, off, _ in found) + ")"
                    for c, found in self._at.items()]
        self.regex = re.compile("|".join(branches)) if branches else None

    def hits(self, text: str) -> dict[int, list[int]]:
        """Group index -> start positions of its literals in ``text`` (groups with none left out)."""
        out: dict[int, list[int]] = {}
        if self.regex is None:
            return out
        search, at, startswith = self.regex.search, self._at, text.startswith
        pos = 0
        while (m := search(text, pos)) is not None:
            p = pos = m.start()
            pos += 1  # the literals can overlap: look for the next from the next character
            for lit, off, ks in at[text[p]]:
                if p >= off and startswith(lit, p - off):
                    for k in ks:
                        out.setdefault(k, []).append(p - off)
        return out


def _rest(lit: str, off: int) -> str:
    """After the anchor at ``off``: the literal's tail, then a look-behind at its head. Starting
    each branch with its tail (a literal character) lets re skip a branch in one comparison."""
    return re.escape(lit[off + 1 :]) + (f"(?<={re.escape(lit)})" if off else "")


def line_windows(text: str, hits: list[int]) -> list[tuple[int, int]]:
    """The lines (start, end without the newline) holding the given positions, in order."""
    windows: list[tuple[int, int]] = []
    for p in sorted(hits):
        if windows and p <= windows[-1][1]:
            continue
        end = text.find("\n", p)
        windows.append((text.rfind("\n", 0, p) + 1, len(text) if end < 0 else end))
    return windows

