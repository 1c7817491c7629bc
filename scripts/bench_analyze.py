"""Benchmark ``detente analyze`` end to end: docs/s and peak memory at --jobs 1 and --jobs 2.

Builds a corpus of article-sized documents from the seeds in a temporary
folder (each a seed with its paragraphs rotated and a dated file name, so no
two files are identical), then runs the command once per --jobs setting, each
in its own process so peak memory (ru_maxrss of the run and of its worker
processes) is measured per setting.

    PYTHONPATH=src python scripts/bench_analyze.py            # 10,000 documents
    PYTHONPATH=src python scripts/bench_analyze.py --docs 500 --jobs 1 2 4
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_corpus(folder: Path, n: int) -> int:
    """Write ``n`` documents; returns their total size in bytes."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    paragraphs = [[q for q in s.split("\n\n") if q.strip()] for s in seeds]
    size, start = 0, date(2022, 2, 24)
    for i in range(n):
        paras = paragraphs[i % len(paragraphs)]
        k = (i // len(paragraphs)) % len(paras)
        text = "\n\n".join(paras[k:] + paras[:k]) + "\n"
        day = start + timedelta(days=i % 300)
        (folder / f"{day.isoformat()}_{i:06d}.txt").write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def run_one(corpus: str, out: str, jobs: int) -> None:
    """In a child process: analyze the corpus, print docs, seconds and peak memory as JSON."""
    from detente.cli_analyze import RecordFormat, RecordWriter
    from detente.pipeline import iter_documents_results

    t0 = time.perf_counter()
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        writer = RecordWriter(fh, RecordFormat.jsonl, header=False)
        for recs in iter_documents_results([corpus], jobs=jobs):
            writer.write(recs)
            n += 1
    seconds = time.perf_counter() - t0
    if jobs > 1:  # reap the joblib workers so their peak memory is counted
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # largest single worker
    print(json.dumps({"docs": n, "seconds": seconds, "maxrss_mb": kib / 1024, "worker_maxrss_mb": children / 1024}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000, help="documents in the corpus (default 10,000)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs settings to run (default 1 2)")
    ap.add_argument("--run-one", nargs=3, metavar=("CORPUS", "OUT", "JOBS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run_one:
        run_one(args.run_one[0], args.run_one[1], int(args.run_one[2]))
        return
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        size = build_corpus(corpus, args.docs)
        print(f"corpus: {args.docs} documents, {size / 1e6:.1f} MB, {os.cpu_count()} CPUs")
        base = None
        for jobs in args.jobs:
            cmd = [sys.executable, __file__, "--run-one", str(corpus), str(Path(tmp) / f"out{jobs}.jsonl"), str(jobs)]
            res = json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)
            rate = res["docs"] / res["seconds"]
            base = base or rate
            print(f"--jobs {jobs}: {res['docs']} docs in {res['seconds']:.1f} s = {rate:.1f} docs/s "
                  f"(x{rate / base:.2f}); peak RSS {res['maxrss_mb']:.0f} MB main, "
                  f"{res['worker_maxrss_mb']:.0f} MB largest worker")


if __name__ == "__main__":
    main()
