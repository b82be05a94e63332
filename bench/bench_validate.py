"""`drnet validate` end to end (interpreter start included), by plan size.

    python3 dev.py bench          # or: .venv/bin/python bench/bench_validate.py

Prints the median wall time and peak memory of each size and the cost per
1,000 VMs, to show the cost is linear. Targets (issue 2): minimal < 0.4 s,
10,000 VMs < 1 s on the project's 2-core machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_plan(path: Path, vms: int) -> Path:
    """bench/gen_plan.py in its own process: building a large plan here would raise this
    process's memory, which a forked child's peak RSS would then report."""
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_plan.py"), str(path), "--vms", str(vms)], check=True)
    return path

DRNET = Path(sys.executable).parent / "drnet"


def run_once(plan: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `drnet validate` process."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(DRNET), "validate", str(plan)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"drnet validate {plan} exited {proc.returncode}: {proc.stderr.read().decode()[:500]}")
    return elapsed, usage.ru_maxrss / 1024


def measure(plan: Path, runs: int) -> tuple[float, float, float]:
    """Median and best wall time (a busy neighbour only ever adds time), peak RSS."""
    run_once(plan)  # warm the file cache and .pyc files
    samples = [run_once(plan) for _ in range(runs)]
    times = [s[0] for s in samples]
    return statistics.median(times), min(times), max(s[1] for s in samples)


def main() -> int:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = [("minimal template", ROOT / "templates" / "minimal.yaml", 0)]
        for vms in (1_000, 10_000, 50_000):
            cases.append((f"{vms:,} VMs", write_plan(Path(tmp) / f"plan-{vms}.yaml", vms), vms))
        for label, plan, vms in cases:
            median, best, rss = measure(plan, runs=3 if vms >= 50_000 else 9)
            rows.append((label, vms, median, best, rss, plan.stat().st_size))
    floor = rows[0][3]
    print(f"{'plan':<18} {'size':>10} {'median s':>9} {'best s':>7} {'peak MiB':>9} {'best s per 1k VMs above minimal':>32}")
    for label, vms, median, best, rss, size in rows:
        per_k = f"{(best - floor) / vms * 1000:.4f}" if vms else "-"
        print(f"{label:<18} {size / 1e6:>8.2f}MB {median:>9.3f} {best:>7.3f} {rss:>9.1f} {per_k:>32}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
