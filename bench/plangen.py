"""Generate large, valid plans for benchmarks: N VMs over a Woodgrove-like topology.

    python bench/plangen.py 10000 /tmp/plan-10k.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path

HEADER = """version: 1
name: bench
onprem:
  vmm_server: vmm01.corp.example.com
  address_space: [10.0.0.0/8]
  vpn_device: {{public_ip: 203.0.113.10, bgp: {{asn: 65010, peering_address: 10.255.255.254}}}}
  vm_networks:
    - name: Corp
      subnets:
{onprem_subnets}
azure:
  location: westeurope
  resource_group: rg-bench-dr
  recovery_vault: {{name: rsv-bench, resource_group: rg-bench-asr}}
  networks:
    - name: vnet-bench-prod
      existing: true
      address_space: [172.16.0.0/16]
      subnets:
        - {{name: apps, prefix: 172.16.1.0/24}}
      gateway: {{subnet_prefix: 172.16.255.0/27, sku: VpnGw1AZ, bgp_asn: 65515}}
    - name: vnet-bench-recovery
      address_space: [{recovery_space}, 172.31.255.0/27]
      subnets:
{azure_subnets}
      gateway: {{subnet_prefix: 172.31.255.0/27, sku: VpnGw1AZ, bgp_asn: 65516}}
    - name: vnet-bench-drill
      address_space: [{recovery_space}]
      subnets:
{azure_subnets}
network_mappings:
  - {{vm_network: Corp, recovery_network: vnet-bench-recovery, test_network: vnet-bench-drill}}
connections:
  - {{name: s2s-onprem, type: site-to-site, network: vnet-bench-prod}}
  - {{name: v2v-prod-recovery, type: vnet-to-vnet, networks: [vnet-bench-prod, vnet-bench-recovery], when: after-failover}}
failed_over: []
vms:
"""

PER_SUBNET = 200  # VMs per /24, leaving the reserved and high addresses free


def plan_text(vms: int) -> str:
    subnets = max(1, -(-vms // PER_SUBNET))
    onprem, azure, spaces = [], [], []
    for s in range(subnets):
        third, second = s % 256, 1 + s // 256
        onprem.append(f"        - {{name: s{s:04d}, prefix: 10.{second}.{third}.0/24, failover: retain}}")
        azure.append(f"        - {{name: s{s:04d}, prefix: 10.{second}.{third}.0/24}}")
        spaces.append(f"10.{second}.{third}.0/24")
    text = HEADER.format(
        onprem_subnets="\n".join(onprem),
        azure_subnets="\n".join(azure),
        recovery_space=", ".join(spaces),
    )
    lines = [text]
    for i in range(vms):
        s = i // PER_SUBNET
        host = 10 + i % PER_SUBNET
        third, second = s % 256, 1 + s // 256
        lines.append(
            f"  - name: VM{i:06d}\n    nics:\n"
            f"      - {{vm_network: Corp, subnet: s{s:04d}, ip: 10.{second}.{third}.{host}}}\n"
        )
    return "".join(lines)


def write_plan(vms: int, path: Path) -> Path:
    path.write_text(plan_text(vms), encoding="utf-8")
    return path


if __name__ == "__main__":
    write_plan(int(sys.argv[1]), Path(sys.argv[2]))
