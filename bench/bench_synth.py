#!/usr/bin/env python3
"""Speed of `drnet synth` against the floor, in one run.

floor     : a fresh Python that imports cdktf and the azurerm bindings drnet's stacks use,
            and synthesizes an empty stack (what any CDKTF Python app pays)
woodgrove : `drnet synth templates/woodgrove.yaml` (planner, both stacks, tables)
vms-2000  : `drnet synth` of a 2,000-VM plan (bench/gen_plan.py)

Each is a separate process, wall time, best of --rounds (interleaved). Targets from the
synth issue: woodgrove <= 1.3 x floor, vms-2000 <= 2 x floor.

    python3 dev.py bench          # or: .venv/bin/python bench/bench_synth.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLOOR = """
from drnet.cli_synth import use_bundled_node
use_bundled_node()
import cdktf
from cdktf_cdktf_provider_azurerm import (
    data_azurerm_recovery_services_vault, data_azurerm_virtual_network, local_network_gateway, provider, public_ip,
    route, route_table, site_recovery_hyperv_network_mapping, subnet, subnet_route_table_association,
    virtual_network, virtual_network_gateway, virtual_network_gateway_connection, virtual_network_peering,
)
app = cdktf.App(outdir={outdir!r}, skip_validation=True)
cdktf.TerraformStack(app, "empty")
app.synth()
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--vms", type=int, default=2000)
    args = parser.parse_args()
    from bench.gen_plan import make_plan

    python = sys.executable
    drnet = [python, "-m", "drnet"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        big = tmp / "vms.yaml"
        big.write_text(yaml.safe_dump(make_plan(args.vms), sort_keys=False))
        cases = {
            "floor": [python, "-c", FLOOR.format(outdir=str(tmp / "floor"))],
            "woodgrove": [*drnet, "synth", "templates/woodgrove.yaml", "--out", str(tmp / "wg")],
            f"vms-{args.vms}": [*drnet, "synth", str(big), "--out", str(tmp / "big")],
        }
        best = {name: float("inf") for name in cases}
        for _ in range(args.rounds):
            for name, cmd in cases.items():
                best[name] = min(best[name], timed(cmd))
    floor = best["floor"]
    targets = {"woodgrove": 1.3, f"vms-{args.vms}": 2.0}
    print(f"{'case':<12} {'best s':>8} {'x floor':>8} {'target':>8}")
    ok = True
    for name, seconds in best.items():
        ratio = seconds / floor
        target = targets.get(name)
        ok &= target is None or ratio <= target
        print(f"{name:<12} {seconds:8.2f} {ratio:8.2f} {('<= %.1f' % target) if target else '':>8}")
    print(f"(best of {args.rounds} rounds, {os.cpu_count()} CPUs)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
