"""How fast `drnet report` is on a 10,000-VM plan (target: under 2 s, end to end).

    python bench/bench_report.py [--vms 10000] [--subnets 40] [--runs 3]

Writes the plan with bench/gen_plan.py into a temporary directory, then times the
CLI in a fresh process (what a user waits for, Python start-up included) and the
in-process phases (read + resolve both states, render).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen_plan import write_plan  # noqa: E402


def best(runs: int, func) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=10_000)
    parser.add_argument("--subnets", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    drnet = Path(sys.executable).parent / "drnet"
    with tempfile.TemporaryDirectory() as tmp:
        plan = write_plan(Path(tmp) / "bench.yaml", args.vms, subnets=args.subnets)
        out = Path(tmp) / "report.md"

        def cli(*extra):
            subprocess.run([str(drnet), "report", str(plan), "-o", str(out), *extra], check=True, capture_output=True)

        cli_s = best(args.runs, lambda: cli("--budget", "0"))
        size = len(out.read_text())
        folded = out.read_text().count("<details>")
        cli_short_s = best(args.runs, lambda: cli("--max-nic-rows", "20", "--budget", "0"))
        short_size = len(out.read_text())
        cli(); budget_size = len(out.read_text())  # noqa: E702 - the default: one GitHub comment

        from review.report import build_report
        from review.states import analyze_states, failover_candidates

        (now,) = analyze_states(plan, [None])
        keys = [s.key for s in failover_candidates(now.resolved)]
        states_s = best(args.runs, lambda: analyze_states(plan, [None, keys]))
        now, after = analyze_states(plan, [None, keys])
        render_s = best(args.runs, lambda: build_report(now, after, source="bench.yaml", version="bench"))

    print(f"drnet report, {args.vms} VMs, {len(now.resolved.nics)} NICs, {len(now.resolved.onprem_subnets)} subnets "
          f"(best of {args.runs}):")
    print(f"  CLI end to end, --budget 0:    {cli_s:.2f} s  -> {size:,} characters of Markdown, {folded} folded tables")
    print(f"  --max-nic-rows 20 --budget 0:  {cli_short_s:.2f} s  -> {short_size:,} characters")
    print(f"  default (one GitHub comment):  {budget_size:,} characters (limit 65,536)")
    print(f"  read + resolve both states:    {states_s:.2f} s")
    print(f"  render Markdown:               {render_s:.2f} s")
    verdict = "OK" if cli_s < 2.0 else "SLOWER THAN 2 s"
    print(f"  target < 2 s end to end: {verdict}")
    return 0 if cli_s < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
