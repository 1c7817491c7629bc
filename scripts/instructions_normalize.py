"""Instructions per megabyte of detente.normalize, counted by valgrind: a figure the host's load
does not move, for comparing two versions where wall-clock runs differ by 10% from run to run.

    python scripts/instructions_normalize.py                  # this checkout
    python scripts/instructions_normalize.py --src OTHER/src  # another checkout, for an A/B

Runs this script twice under ``valgrind --tool=callgrind`` (with PYTHONHASHSEED=0, since hash
randomization changes set and dict work from run to run): once normalizing the documents of
``build_corpus(--mb)`` (scripts/bench_normalize.py) and once building them without normalizing.
The difference is the instructions spent in normalize. Needs valgrind (Debian: apt install
valgrind); takes about three minutes for the default 0.5 MB.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(src: str, mb: float, loop: bool) -> None:
    sys.path[:0] = [src, str(ROOT / "scripts")]
    from detente import normalize  # first: bench_normalize puts this checkout's src/ on the path
    from bench_normalize import build_corpus

    print(f"detente from {sys.modules['detente'].__file__}", file=sys.stderr)
    docs = build_corpus(mb)
    print(f"corpus bytes {sum(len(d.encode('utf-8')) for d in docs)}", file=sys.stderr)
    normalize(docs[0])  # compile the tables in both runs
    if loop:
        for d in docs:
            normalize(d, skip={"language"})


def collected(src: str, mb: float, loop: bool) -> tuple[int, int]:
    """Instructions valgrind counted for one child run, and the corpus size in bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", sys.executable, __file__,
               "--child", "loop" if loop else "base", "--src", src, "--mb", str(mb)]
        env = dict(os.environ, PYTHONHASHSEED="0")
        run = subprocess.run(cmd, capture_output=True, text=True, env=env)
        found = re.search(r"Collected : (\d+)", run.stderr)
        if run.returncode or not found:
            sys.exit(f"valgrind failed:\n{run.stderr[-2000:]}")
        used = re.search(r"detente from (.*)", run.stderr)
        if not used or not Path(used.group(1)).resolve().is_relative_to(Path(src).resolve()):
            sys.exit(f"the measured run did not import detente from {src}: {used and used.group(1)}")
        return int(found.group(1)), int(re.search(r"corpus bytes (\d+)", run.stderr).group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", default=str(ROOT / "src"), help="the src/ folder of the detente to measure")
    ap.add_argument("--mb", type=float, default=0.5, help="corpus size in MB (default 0.5)")
    ap.add_argument("--child", choices=("loop", "base"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.src, args.mb, args.child == "loop")
        return
    (loop, size), (base, _) = collected(args.src, args.mb, True), collected(args.src, args.mb, False)
    spent, size = loop - base, size / 1e6
    print(f"{args.src}: {spent / 1e6:,.0f} M instructions in normalize for {size:.2f} MB "
          f"= {spent / size / 1e9:.3f} G instructions/MB")


if __name__ == "__main__":
    main()
