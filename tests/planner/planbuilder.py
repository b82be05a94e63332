"""A small valid plan as a dict, for rule tests to break one thing at a time."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

BASE = {
    "version": 1,
    "name": "test",
    "onprem": {
        "vmm_server": "vmm01.corp.test",
        "address_space": ["192.168.0.0/16"],
        "vpn_device": {"public_ip": "203.0.113.10", "bgp": {"asn": 65010, "peering_address": "192.168.0.254"}},
        "vm_networks": [
            {
                "name": "Corp",
                "subnets": [
                    {"name": "Apps", "prefix": "192.168.1.0/24", "failover": "retain"},
                    {"name": "Data", "prefix": "192.168.2.0/24", "failover": "change", "dns_zone": "corp.test"},
                ],
            }
        ],
    },
    "azure": {
        "location": "westeurope",
        "resource_group": "rg-test-dr",
        "recovery_vault": {"name": "rsv-test", "resource_group": "rg-test-asr"},
        "networks": [
            {
                "name": "prod",
                "existing": True,
                "address_space": ["172.16.0.0/16"],
                "subnets": [{"name": "front", "prefix": "172.16.1.0/24"}],
                "gateway": {"subnet_prefix": "172.16.255.0/27", "sku": "VpnGw1AZ", "bgp_asn": 65515,
                            "existing": {"name": "vgw-prod"}},
            },
            {
                "name": "recovery",
                "address_space": ["192.168.1.0/24", "172.20.2.0/24", "10.250.0.0/27"],
                "subnets": [
                    {"name": "Apps", "prefix": "192.168.1.0/24"},
                    {"name": "Data", "prefix": "172.20.2.0/24"},
                ],
                "gateway": {"subnet_prefix": "10.250.0.0/27", "sku": "VpnGw1AZ", "bgp_asn": 65516},
            },
            {
                "name": "drill",
                "address_space": ["192.168.1.0/24", "172.20.2.0/24"],
                "subnets": [
                    {"name": "Apps", "prefix": "192.168.1.0/24"},
                    {"name": "Data", "prefix": "172.20.2.0/24"},
                ],
            },
        ],
    },
    "network_mappings": [{"vm_network": "Corp", "recovery_network": "recovery", "test_network": "drill"}],
    "connections": [
        {"name": "s2s", "type": "site-to-site", "network": "prod"},
        {"name": "v2v", "type": "vnet-to-vnet", "networks": ["prod", "recovery"], "when": "after-failover"},
    ],
    "failed_over": [],
    "vms": [
        {"name": "APP01", "nics": [{"vm_network": "Corp", "subnet": "Apps", "ip": "192.168.1.10"}]},
        {"name": "SQL01", "nics": [{"vm_network": "Corp", "subnet": "Data", "ip": "192.168.2.20"}]},
    ],
}


def base() -> dict:
    return copy.deepcopy(BASE)


def write(tmp_path: Path, plan: dict | str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    text = plan if isinstance(plan, str) else yaml.safe_dump(plan, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def analyze_dict(tmp_path: Path, plan: dict | str, **kw):
    from planner.api import analyze

    return analyze(write(tmp_path, plan), **kw)


def codes(analysis) -> list[str]:
    return [d.code for d in analysis.diagnostics]


def network(plan: dict, name: str) -> dict:
    return next(n for n in plan["azure"]["networks"] if n["name"] == name)
