"""Plans the stack tests build (tests/planner/planbuilder.py), beside the templates:
shapes the templates lack (a non-AZ gateway SKU, a gateway-transit peering, a VM with
NICs in two VM networks)."""

from __future__ import annotations

from tests.planner.planbuilder import base, network


def hubspoke() -> dict:
    """Hub `prod` (VpnGw1AZ) with a gateway-transit spoke; `recovery` has a VpnGw2 (no AZ);
    MULTI01 has NICs in the VM networks Mgmt and Corp (two in Corp)."""
    plan = base()
    plan["name"] = "hubspoke"
    recovery = network(plan, "recovery")
    recovery["gateway"]["sku"] = "VpnGw2"
    recovery["address_space"].append("172.20.20.0/24")
    recovery["subnets"].append({"name": "Admin", "prefix": "172.20.20.0/24"})
    plan["azure"]["networks"].append(
        {"name": "spoke", "address_space": ["10.60.0.0/16"], "subnets": [{"name": "web", "prefix": "10.60.1.0/24"}]}
    )
    plan["connections"].append({"name": "hub-spoke", "type": "peering", "networks": ["prod", "spoke"], "gateway_transit": True})
    plan["onprem"]["vm_networks"].append(
        {"name": "Mgmt", "subnets": [{"name": "Admin", "prefix": "192.168.20.0/24", "failover": "change"}]}
    )
    plan["network_mappings"].append({"vm_network": "Mgmt", "recovery_network": "recovery"})
    plan["vms"].append(
        {
            "name": "MULTI01",
            "nics": [
                {"vm_network": "Mgmt", "subnet": "Admin", "ip": "192.168.20.5"},
                {"vm_network": "Corp", "subnet": "Apps", "ip": "192.168.1.50"},
                {"vm_network": "Corp", "subnet": "Data", "ip": "192.168.2.50"},
            ],
        }
    )
    return plan


BUILT = {"hubspoke": hubspoke}
