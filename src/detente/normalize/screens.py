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

__all__ = ["gated", "literal_hits", "line_windows", "one_line"]

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


def gated(literals) -> tuple[tuple[str, tuple[str, ...], re.Pattern | None], ...]:
    """Group literals by a rare character they contain, so that one ``in`` check on that
    character rules out the whole group: ``((gate or "", literals, screen), ...)``, where
    ``screen`` (for groups of several literals) is one regex search finding any of them."""
    groups: dict[str, list[str]] = {}
    for lit in literals:
        gate = max(lit, key=_rarity) if lit else ""
        groups.setdefault(gate if _rarity(gate) == 2 else "", []).append(lit)
    out = []
    for g, lits in groups.items():
        lits = tuple(dict.fromkeys(lits))
        screen = None
        if len(lits) > 1 and all(lits):
            screen = re.compile("|".join(re.escape(x) for x in sorted(lits, key=len, reverse=True)))
        out.append((g, lits, screen))
    return tuple(out)


def literal_hits(text: str, groups, seen: dict) -> list[int]:
    """Positions in ``text`` of every occurrence of the literals; ``seen`` caches per text."""
    hits: list[int] = []
    for gate, lits, screen in groups:
        if gate:
            present = seen.get(gate)
            if present is None:
                present = seen[gate] = gate in text
            if not present:
                continue
        if screen is not None:
            present = seen.get(screen)
            if present is None:
                present = seen[screen] = screen.search(text) is not None
            if not present:
                continue
        for lit in lits:
            found = seen.get(lit)
            if found is None:
                found = seen[lit] = _occurrences(text, lit)
            hits += found
    return hits


def _occurrences(text: str, lit: str) -> list[int]:
    out = []
    i = text.find(lit)
    while i >= 0:
        out.append(i)
        i = text.find(lit, i + 1)
    return out


def line_windows(text: str, hits: list[int]) -> list[tuple[int, int]]:
    """The lines (start, end without the newline) holding the given positions, in order."""
    windows: list[tuple[int, int]] = []
    for p in sorted(hits):
        if windows and p <= windows[-1][1]:
            continue
        end = text.find("\n", p)
        windows.append((text.rfind("\n", 0, p) + 1, len(text) if end < 0 else end))
    return windows

