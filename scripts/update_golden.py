"""Regenerate the seed golden files under tests/data/golden/ after a reviewed change.

Prints a unified diff of every golden file that changes; nothing is written
unless --write is given. Review the diff line by line before writing.

    python scripts/update_golden.py            # show what would change
    python scripts/update_golden.py --write    # write it
"""

import argparse
import difflib
from pathlib import Path

from detente import normalize

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"


def change_log(result) -> str:
    lines = [f"{c.rule}\t{c.original!r} -> {c.replacement!r}" for c in result.changes]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        result = normalize(seed.read_text(encoding="utf-8"))
        for suffix, body in ((".normalized.txt", result.text), (".changes.tsv", change_log(result))):
            target = GOLDEN / (seed.stem + suffix)
            old = target.read_text(encoding="utf-8") if target.exists() else ""
            if old != body:
                print("".join(difflib.unified_diff(old.splitlines(True), body.splitlines(True), str(target), "new")))
                if args.write:
                    target.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    main()
