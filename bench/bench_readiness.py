"""The readiness matrix (every subnet and VM network failed over or back alone) by plan shape.

    .venv/bin/python bench/bench_readiness.py

For each generated plan: `drnet validate` end to end (interpreter start included; it computes
the matrix), and in one process the cost of reading the plan once and of the matrix alone (rows,
milliseconds per row). Target (issue 9): 10,000 VMs in 40 subnets under a few seconds.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DRNET = Path(sys.executable).parent / "drnet"

CASES = [(1_000, 10), (10_000, 20), (10_000, 40), (50_000, 60)]


def write_plan(path: Path, vms: int, subnets: int) -> Path:
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_plan.py"), str(path), "--vms", str(vms), "--subnets", str(subnets)],
                   check=True, stdout=subprocess.DEVNULL)
    return path


def validate_seconds(plan: Path, runs: int) -> float:
    """Best wall time of `drnet validate` (a busy neighbour only ever adds time)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(DRNET), "validate", str(plan)], stdout=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def in_process(plan: Path) -> tuple[float, float, int]:
    """Seconds to read and analyse the plan once, seconds of the matrix alone, rows."""
    from planner.api import PlanStates
    from planner.readiness import readiness

    start = time.perf_counter()
    states = PlanStates(plan)
    now = states.analysis()
    read = time.perf_counter() - start
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        matrix = readiness(states, now)
        samples.append(time.perf_counter() - start)
    return read, statistics.median(samples), len(matrix.rows)


def main() -> int:
    print(f"{'plan':<26} {'validate s':>10} {'read s':>7} {'matrix s':>9} {'rows':>5} {'ms/row':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for vms, subnets in CASES:
            plan = write_plan(Path(tmp) / f"plan-{vms}-{subnets}.yaml", vms, subnets)
            total = validate_seconds(plan, runs=3 if vms < 50_000 else 1)
            read, matrix, rows = in_process(plan)
            print(f"{f'{vms:,} VMs, {subnets} subnets':<26} {total:>10.2f} {read:>7.2f} {matrix:>9.2f} {rows:>5} {matrix / rows * 1000:>7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
