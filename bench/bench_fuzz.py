"""The mutation fuzzer at scale: 10,000 seeded mutants through every command.

    .venv/bin/python bench/bench_fuzz.py [--mutants 10000] [--workers 2] [--first-seed 0]

Each mutant (tests/fuzz/mutants.py) runs through validate, plan, report, runbook and
diff in-process (tests/fuzz/runner.py), in worker processes whose address space is
capped (a memory blow-up ends as MemoryError, i.e. an internal error). Prints the
totals, internal errors, hangs, other broken promises, the p99 and worst time per
command and the slowest cases; a seed reproduces a case:

    .venv/bin/python bench/bench_fuzz.py --mutants 1 --first-seed SEED
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEMORY_HEADROOM = 1536 * 1024 * 1024  # what a case may add to a worker's address space


def _cap_memory() -> None:
    with open("/proc/self/statm") as statm:
        size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + MEMORY_HEADROOM
    if hard == resource.RLIM_INFINITY or limit < hard:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def run_seeds(seeds: list[int], timeout: float) -> list[tuple]:
    """(seed, seed plan, steps, command, exit, seconds, problem, peak RSS MiB) per command."""
    os.environ.setdefault("COLUMNS", "160")
    os.environ["NO_COLOR"] = "1"
    from tests.fuzz.mutants import make_case
    from tests.fuzz.runner import run_case

    _cap_memory()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            rng = random.Random(seed)
            case = make_case(rng)
            outcomes = run_case(case, Path(tmp) / f"case-{seed}", rng, timeout=timeout)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            for o in outcomes:
                rows.append((seed, case.seed_name, "; ".join(case.steps), o.command, o.exit_code, o.seconds, o.problem, rss))
    return rows


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mutants", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per case (all five commands)")
    args = parser.parse_args()
    seeds = list(range(args.first_seed, args.first_seed + args.mutants))
    chunks = [seeds[i:i + 50] for i in range(0, len(seeds), 50)]
    start = time.perf_counter()
    rows = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for done, chunk_rows in enumerate(pool.map(run_seeds, chunks, [args.timeout] * len(chunks)), start=1):
            rows.extend(chunk_rows)
            if done % 20 == 0:
                print(f"  {done * 50:,} mutants, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - start

    by_command = collections.defaultdict(list)
    exits = collections.Counter()
    for row in rows:
        by_command[row[3]].append(row[5])
        exits[(row[3], row[4])] += 1
    internal = [r for r in rows if r[6] and r[6].startswith("exit ")]
    hangs = [r for r in rows if r[6] and r[6].startswith("hang")]
    other = [r for r in rows if r[6] and r not in internal and r not in hangs]
    print(f"{len(seeds):,} mutants, {len(rows):,} command runs in {elapsed:.0f} s ({args.workers} workers)")
    print(f"internal errors: {len(internal)}   hangs: {len(hangs)}   other broken checks: {len(other)}")
    print(f"peak RSS of a worker: {max(r[7] for r in rows):.0f} MiB (address space capped at start + {MEMORY_HEADROOM >> 20} MiB)")
    print(f"\n{'command':<9} {'runs':>6} {'exit 0':>7} {'exit 1':>7} {'exit 2':>7} {'p50':>7} {'p99':>7} {'max':>7}")
    for command, times in by_command.items():
        print(f"{command:<9} {len(times):>6} {exits[(command, 0)]:>7} {exits[(command, 1)]:>7} {exits[(command, 2)]:>7} "
              f"{_p(times, .5):>6.3f}s {_p(times, .99):>6.3f}s {max(times):>6.2f}s")
    print("\nslowest command runs (seed, seed plan, mutations):")
    for row in sorted(rows, key=lambda r: -r[5])[:10]:
        print(f"  {row[5]:6.2f}s {row[3]:<8} seed {row[0]:<6} {row[1]:<12} {row[2][:110]}")
    for title, found in (("internal errors", internal), ("hangs", hangs), ("other broken checks", other)):
        for row in found[:20]:
            print(f"{title}: seed {row[0]} {row[1]} [{row[2][:100]}] {row[3]}: {row[6]}")
    return 1 if internal or hangs or other else 0


if __name__ == "__main__":
    sys.exit(main())
