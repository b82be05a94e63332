"""Generate a large, valid DR plan (default 10,000 VMs) for the speed benchmarks.

    python bench/gen_plan.py OUT.yaml [--vms 10000] [--subnets 40]

The shape follows templates/woodgrove.yaml at scale: on-prem /16s split into /22
subnets (half retain their IPs, half change them, with DNS zones), one recovery and
one drill network per VM network, a site-to-site VPN to the production network and
vnet-to-vnet connections that come up after failover.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

SUBNETS_PER_VM_NETWORK = 10
HOSTS_PER_SUBNET = 500  # a /22 holds 1019 usable addresses; leave room


def make_plan(vms: int, name: str = "bench", subnets: int | None = None) -> dict:
    """`subnets` spreads the VMs over that many on-prem subnets (default: 500 VMs per subnet)."""
    hosts_per_subnet = HOSTS_PER_SUBNET if subnets is None else max(1, -(-vms // subnets))
    if hosts_per_subnet > 1000:
        raise ValueError(f"{vms} VMs in {subnets} subnets: more than a /22 holds")
    subnets_needed = subnets or max(1, -(-vms // HOSTS_PER_SUBNET))
    vm_networks_count = max(1, -(-subnets_needed // SUBNETS_PER_VM_NETWORK))
    vm_networks, networks, mappings, connections, vm_list = [], [], [], [], []
    networks.append({
        "name": "vnet-prod", "existing": True, "address_space": ["172.16.0.0/16"],
        "subnets": [{"name": "frontend", "prefix": "172.16.1.0/24"}],
        "gateway": {"subnet_prefix": "172.16.255.0/27", "sku": "VpnGw2AZ", "bgp_asn": 65515},
    })
    connections.append({"name": "s2s-onprem", "type": "site-to-site", "network": "vnet-prod"})
    made = 0
    for n in range(vm_networks_count):
        vmn = f"VMN{n:02d}"
        onprem_subs, rec_subs, drill_subs, rec_space = [], [], [], []
        # without --subnets every VM network has ten subnets (the last ones may hold no VM)
        in_this = SUBNETS_PER_VM_NETWORK if subnets is None else min(SUBNETS_PER_VM_NETWORK, subnets - n * SUBNETS_PER_VM_NETWORK)
        for s in range(in_this):
            third = s * 4
            onprem = f"10.{n}.{third}.0/22"
            retain = s % 2 == 0
            sub = {"name": f"S{s:02d}", "prefix": onprem, "failover": "retain" if retain else "change"}
            if not retain:
                sub["dns_zone"] = f"vmn{n:02d}.corp.example.com"
            onprem_subs.append(sub)
            target = onprem if retain else f"172.{20 + n}.{third}.0/22"
            rec_subs.append({"name": f"S{s:02d}", "prefix": target})
            drill_subs.append({"name": f"S{s:02d}", "prefix": target})
            rec_space.append(target)
            for h in range(hosts_per_subnet):
                if made >= vms:
                    break
                host = 10 + h
                ip = f"10.{n}.{third + host // 256}.{host % 256}"
                vm_list.append({"name": f"VM{made:05d}", "nics": [{"vm_network": vmn, "subnet": f"S{s:02d}", "ip": ip}]})
                made += 1
        vm_networks.append({"name": vmn, "subnets": onprem_subs})
        gw_prefix = f"172.31.{n}.0/27"  # outside the on-prem 10.0.0.0/8: the VPN must not route it on-prem
        networks.append({"name": f"vnet-rec-{n:02d}", "address_space": rec_space + [gw_prefix], "subnets": rec_subs,
                         "gateway": {"subnet_prefix": gw_prefix, "sku": "VpnGw2AZ", "bgp_asn": 65600 + n}})
        networks.append({"name": f"vnet-drill-{n:02d}", "address_space": list(rec_space), "subnets": drill_subs})
        mappings.append({"vm_network": vmn, "recovery_network": f"vnet-rec-{n:02d}", "test_network": f"vnet-drill-{n:02d}"})
        connections.append({"name": f"v2v-{n:02d}", "type": "vnet-to-vnet", "networks": ["vnet-prod", f"vnet-rec-{n:02d}"],
                            "when": "after-failover"})
    return {
        "version": 1,
        "name": name,
        "onprem": {
            "vmm_server": "vmm01.corp.example.com",
            "address_space": ["10.0.0.0/8"],
            "vpn_device": {"public_ip": "203.0.113.10", "bgp": {"asn": 65010, "peering_address": "10.255.0.254"}},
            "vm_networks": vm_networks,
        },
        "azure": {
            "location": "westeurope", "resource_group": "rg-bench-dr",
            "recovery_vault": {"name": "rsv-bench", "resource_group": "rg-bench-asr"},
            "networks": networks,
        },
        "network_mappings": mappings,
        "connections": connections,
        "failed_over": [],
        "vms": vm_list,
    }


def write_plan(path: Path, vms: int, subnets: int | None = None) -> Path:
    path.write_text(yaml.safe_dump(make_plan(vms, subnets=subnets), sort_keys=False, width=200), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--vms", type=int, default=10_000)
    parser.add_argument("--subnets", type=int, default=None, help="on-prem subnets to spread the VMs over")
    args = parser.parse_args()
    write_plan(args.out, args.vms, args.subnets)
    print(f"wrote {args.out} ({args.vms} VMs" + (f", {args.subnets} subnets)" if args.subnets else ")"))


if __name__ == "__main__":
    main()
