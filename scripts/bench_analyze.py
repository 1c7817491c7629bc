"""Benchmark ``detente analyze`` end to end: docs/s and peak memory at --jobs 1 and --jobs 2.

Builds a corpus of article-sized documents (~4 KB) in a temporary folder, the
way scripts/bench_normalize.py does: paragraphs are new combinations of 1-4
random seed sentences, with foreign name spellings, mojibake and page debris
injected, and each file has a dated name. Almost every line is unique, as in
a real corpus, so per-line caches cannot flatter the figure. Then runs the
command once per --jobs setting, each in its own process so peak memory
(ru_maxrss of the run and of its worker processes) is measured per setting,
and checks that every setting wrote the same records.

    PYTHONPATH=src python scripts/bench_analyze.py            # 10,000 documents
    PYTHONPATH=src python scripts/bench_analyze.py --docs 500 --jobs 1 2 4
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import make_document, seed_sentences  # noqa: E402


def build_corpus(folder: Path, n: int, seed: int = 0) -> int:
    """Write ``n`` documents with dated file names; returns their total size in bytes."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    size, start = 0, date(2022, 2, 24)
    for i in range(n):
        text = make_document(rng, sentences) + "\n"
        day = start + timedelta(days=i % 300)
        (folder / f"{day.isoformat()}_{i:06d}.txt").write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def _cpu(who: int) -> float:
    ru = resource.getrusage(who)
    return ru.ru_utime + ru.ru_stime


def run_one(corpus: str, out: str, jobs: int, chunk_size: int) -> None:
    """In a child process: analyze the corpus, print docs, seconds, CPU time and peak memory as JSON."""
    from detente.cli_analyze import RecordFormat, RecordWriter
    from detente.pipeline import iter_documents_results

    cpu0 = _cpu(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    startup = 0.0
    if jobs == 1:
        # Start-up, timed apart: loading the model and compiling the normalizer's tables,
        # paid once per process (the workers of --jobs N pay it in parallel).
        from detente.normalize import normalize
        from detente.pipeline import get_model

        get_model()
        normalize("O government of russia said. . Kiev (AP)")
        startup = time.perf_counter() - t0
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        writer = RecordWriter(fh, RecordFormat.jsonl, header=False)
        options = {"chunk_size": chunk_size} if chunk_size > 0 else {}
        for recs in iter_documents_results([corpus], jobs=jobs, **options):
            writer.write(recs)
            n += 1
    seconds = time.perf_counter() - t0
    main_cpu = _cpu(resource.RUSAGE_SELF) - cpu0
    if jobs > 1:  # reap the joblib workers so their peak memory and CPU time are counted
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # largest single worker
    print(json.dumps({"docs": n, "seconds": seconds, "startup": startup, "maxrss_mb": kib / 1024, "worker_maxrss_mb": children / 1024,
                      "main_cpu": main_cpu, "worker_cpu": _cpu(resource.RUSAGE_CHILDREN)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000, help="documents in the corpus (default 10,000)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs settings to run (default 1 2)")
    ap.add_argument("--chunk-size", type=int, default=0, help="documents per chunk (default: the pipeline's)")
    ap.add_argument("--run-one", nargs=4, metavar=("CORPUS", "OUT", "JOBS", "CHUNK"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run_one:
        run_one(args.run_one[0], args.run_one[1], int(args.run_one[2]), int(args.run_one[3]))
        return

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        size = build_corpus(corpus, args.docs)
        print(f"corpus: {args.docs} documents, {size / 1e6:.1f} MB, {os.cpu_count()} CPUs"
              + (f", chunks of {args.chunk_size}" if args.chunk_size else ""))
        base, digests = None, {}
        for jobs in args.jobs:
            out = Path(tmp) / f"out{jobs}.jsonl"
            cmd = [sys.executable, __file__, "--run-one", str(corpus), str(out), str(jobs), str(args.chunk_size)]
            res = json.loads(subprocess.run(cmd, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout)
            rate = res["docs"] / res["seconds"]
            base = base or rate
            print(f"--jobs {jobs}: {res['docs']} docs in {res['seconds']:.1f} s = {rate:.1f} docs/s "
                  f"(x{rate / base:.2f}); peak RSS {res['maxrss_mb']:.0f} MB main, "
                  f"{res['worker_maxrss_mb']:.0f} MB largest worker")
            # On a shared machine wall time varies from run to run; CPU seconds vary less.
            if res["startup"]:
                steady = res["docs"] / (res["seconds"] - res["startup"])
                print(f"          of which start-up {res['startup']:.1f} s (loading the model, compiling tables); "
                      f"after it {steady:.1f} docs/s")
            print(f"          CPU {res['main_cpu']:.1f} s main + {res['worker_cpu']:.1f} s workers "
                  f"= {(res['main_cpu'] + res['worker_cpu']) / res['docs'] * 1e3:.2f} ms/doc")
            digests[jobs] = _digest(out)
            out.unlink()   # a 100,000-document run writes ~1 GB of records
        if len(digests) > 1:
            same = len(set(digests.values())) == 1
            print("records identical across --jobs settings" if same else f"RECORDS DIFFER across --jobs: {digests}")


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


if __name__ == "__main__":
    main()
