"""E406 (a recovery IP given to two NICs) when thousands of NICs share one address.

    .venv/bin/python bench/bench_shared_ip.py [--sizes 4000,8000,20000]

Issue 11: the check named every other owner for every NIC, so n NICs sharing an
IP cost n² (4,000: 2.9 s, 8,000: 12.5 s, 20,000: 129 s). Prints, per size, the
time of the rule alone and of the whole analysis (load, schema, every rule).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.api import analyze  # noqa: E402
from planner.rules import Context  # noqa: E402
from planner.rules.ips import changed_ip  # noqa: E402
from tests.planner.planbuilder import base  # noqa: E402


def shared_ip_plan(count: int) -> dict:
    """`count` NICs of a change subnet (a /16 on both sides), all with one recovery_ip."""
    plan = base()
    corp = plan["onprem"]["vm_networks"][0]
    corp["subnets"][1]["prefix"] = "192.168.0.0/17"
    corp["subnets"][0]["prefix"] = "192.168.128.0/24"
    for net in plan["azure"]["networks"][1:]:
        net["address_space"] = ["192.168.128.0/24", "172.20.0.0/16", "10.250.0.0/27"][: len(net["address_space"])]
        net["subnets"] = [{"name": "Apps", "prefix": "192.168.128.0/24"}, {"name": "Data", "prefix": "172.20.0.0/16"}]
    plan["onprem"]["vpn_device"]["bgp"]["peering_address"] = "192.168.200.254"
    plan["vms"] = [
        {"name": f"VM{i}", "nics": [{"vm_network": "Corp", "subnet": "Data",
                                      "ip": f"192.168.{(i + 256) // 256 % 128}.{(i + 10) % 250 + 2}", "recovery_ip": "172.20.9.9"}]}
        for i in range(count)
    ]
    return plan


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="4000,8000,20000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(f"{'NICs sharing an IP':>20} {'E406 rule':>10} {'analysis':>10} {'E406 found':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for count in sizes:
            path = Path(tmp) / f"shared-{count}.yaml"
            path.write_text(yaml.safe_dump(shared_ip_plan(count), sort_keys=False), encoding="utf-8")
            start = time.perf_counter()
            analysis = analyze(path)
            whole = time.perf_counter() - start
            ctx = Context(analysis.plan, *_index_and_resolved(analysis))
            start = time.perf_counter()
            found = sum(1 for d in changed_ip.check(ctx) if d.code == "E406")
            rule = time.perf_counter() - start
            print(f"{count:>20,} {rule:>9.2f}s {whole:>9.2f}s {found:>11,}")
    return 0


def _index_and_resolved(analysis):
    from planner.index import build_index

    return build_index(analysis.plan), analysis.resolved


if __name__ == "__main__":
    sys.exit(main())
