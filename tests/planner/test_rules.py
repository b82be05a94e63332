"""Every planner rule: one case that makes it fire, one near miss that keeps it quiet.

Each case breaks (or nearly breaks) one thing in a small valid plan and checks
the code, and for firing cases the plan path the diagnostic points at.
"""

from __future__ import annotations

import pytest

from planner.rules import registry

from .planbuilder import analyze_dict, base, codes, network


def _nic(plan, vm, k=0):
    return next(v for v in plan["vms"] if v["name"] == vm)["nics"][k]


def _conn(plan, name):
    return next(c for c in plan["connections"] if c["name"] == name)


def _sub(plan, name):
    return next(s for s in plan["onprem"]["vm_networks"][0]["subnets"] if s["name"] == name)


# code, what it protects, mutation, path the diagnostic must point at (None: any)
FIRES = [
    ("E101", "malformed prefix", lambda p: network(p, "recovery")["subnets"][0].update(prefix="192.168.1/24"),
     "azure.networks[1].subnets[0].prefix"),
    ("E102", "host bits", lambda p: network(p, "drill")["subnets"][1].update(prefix="172.20.2.5/24"),
     "azure.networks[2].subnets[1].prefix"),
    ("E103", "malformed IP", lambda p: _nic(p, "APP01").update(ip="192.168.1.300"), "vms[0].nics[0].ip"),
    ("E104", "subnet outside its network", lambda p: network(p, "drill")["subnets"].append({"name": "X", "prefix": "10.9.0.0/24"}),
     "azure.networks[2].subnets[2].prefix"),
    ("E104", "subnet spanning two address-space prefixes", lambda p: network(p, "drill").update(
        address_space=["192.168.1.0/25", "192.168.1.128/25", "172.20.2.0/24"]), "azure.networks[2].subnets[0].prefix"),
    ("E109", "overlapping address-space prefixes", lambda p: network(p, "prod").update(address_space=["172.16.0.0/16", "172.16.1.0/24"]),
     "azure.networks[0].address_space[1]"),
    ("E105", "overlapping subnets", lambda p: network(p, "prod")["subnets"].append({"name": "back", "prefix": "172.16.1.128/25"}),
     "azure.networks[0].subnets[1].prefix"),
    ("E106", "GatewaySubnet below /29", lambda p: network(p, "recovery")["gateway"].update(subnet_prefix="10.250.0.0/30"),
     "azure.networks[1].gateway.subnet_prefix"),
    ("E106", "GatewaySubnet /28 on a VpnGw SKU", lambda p: network(p, "recovery")["gateway"].update(subnet_prefix="10.250.0.0/28"),
     "azure.networks[1].gateway.subnet_prefix"),
    ("W107", "GatewaySubnet /28 on Basic", lambda p: network(p, "recovery")["gateway"].update(subnet_prefix="10.250.0.0/28", sku="Basic", bgp_asn=None),
     "azure.networks[1].gateway.subnet_prefix"),
    ("E108", "on-prem subnet outside on-prem space", lambda p: p["onprem"].update(address_space=["192.168.2.0/24"]),
     "onprem.vm_networks[0].subnets[0].prefix"),
    ("E201", "duplicate VM name", lambda p: p["vms"].append({"name": "APP01", "nics": [{"vm_network": "Corp", "subnet": "Apps", "ip": "192.168.1.11"}]}),
     "vms[2].name"),
    ("E201", "Azure subnet names differing only in case", lambda p: (
        network(p, "recovery")["address_space"].append("172.20.3.0/24"),
        network(p, "recovery")["subnets"].append({"name": "apps", "prefix": "172.20.3.0/24"})),
     "azure.networks[1].subnets[2].name"),
    ("E202", "plan name", lambda p: p.update(name="Woodgrove_Bank"), "name"),
    ("E203", "unknown failed_over subnet", lambda p: p.update(failed_over=["Appz"]), "failed_over[0]"),
    ("E203", "connection to an unknown network", lambda p: _conn(p, "s2s").update(network="prd"), "connections[0].network"),
    ("E204", "ambiguous failed_over subnet", lambda p: p["onprem"]["vm_networks"].append(
        {"name": "Other", "subnets": [{"name": "Apps", "prefix": "192.168.9.0/24", "failover": "change"}]}) or p.update(failed_over=["Apps"]),
     "failed_over[0]"),
    ("E205", "GatewaySubnet as a subnet", lambda p: network(p, "prod")["subnets"].append({"name": "GatewaySubnet", "prefix": "172.16.254.0/27"}),
     "azure.networks[0].subnets[1].name"),
    ("E301", "unmapped VM network", lambda p: p.update(network_mappings=[]), "vms[0].nics[0].vm_network"),
    ("E302", "mapping of an unknown VM network", lambda p: p["network_mappings"].append({"vm_network": "Corpp", "recovery_network": "recovery"}),
     "network_mappings[1].vm_network"),
    ("E303", "mapping to an unknown Azure network", lambda p: p["network_mappings"][0].update(test_network="dril"),
     "network_mappings[0].test_network"),
    ("W304", "first-subnet fallback", lambda p: network(p, "recovery")["subnets"][1].update(name="db"), "vms[1].nics[0].subnet"),
    ("E305", "retain subnet without same-name target", lambda p: network(p, "recovery")["subnets"][0].update(name="apps-dr"),
     "onprem.vm_networks[0].subnets[0].failover"),
    ("E306", "retain target with another prefix", lambda p: (
        network(p, "recovery").update(address_space=["192.168.0.0/16", "172.20.2.0/24", "10.250.0.0/27"]),
        network(p, "recovery")["subnets"][0].update(prefix="192.168.5.0/24")),
     "onprem.vm_networks[0].subnets[0].prefix"),
    ("E307", "recovery network without subnets", lambda p: network(p, "drill").update(subnets=[]), "network_mappings[0].test_network"),
    ("E308", "NIC names an unknown subnet", lambda p: _nic(p, "APP01").update(subnet="Appz"), "vms[0].nics[0].subnet"),
    ("E309", "VM network mapped twice", lambda p: p["network_mappings"].append({"vm_network": "Corp", "recovery_network": "recovery"}),
     "network_mappings[1].vm_network"),
    ("E310", "a VM's NICs in two recovery networks", lambda p: (
        p["onprem"]["vm_networks"].append({"name": "Lab", "subnets": [{"name": "Lab", "prefix": "192.168.9.0/24", "failover": "change"}]}),
        p["azure"]["networks"].append({"name": "lab", "address_space": ["10.9.0.0/16"], "subnets": [{"name": "Lab", "prefix": "10.9.0.0/24"}]}),
        p["network_mappings"].append({"vm_network": "Lab", "recovery_network": "lab"}),
        p["vms"][0]["nics"].append({"vm_network": "Lab", "subnet": "Lab", "ip": "192.168.9.10"})),
     "vms[0].nics[1].vm_network"),
    ("E410", "a VM with a NIC in a retain subnet that stays on-prem", lambda p: (
        _sub(p, "Data").update(failover="retain", dns_zone=None),
        network(p, "recovery").update(address_space=["192.168.1.0/24", "192.168.2.0/24", "10.250.0.0/27"]),
        network(p, "recovery")["subnets"][1].update(prefix="192.168.2.0/24"),
        network(p, "drill").update(address_space=["192.168.1.0/24", "192.168.2.0/24"]),
        network(p, "drill")["subnets"][1].update(prefix="192.168.2.0/24"),
        p["vms"][0]["nics"].append({"vm_network": "Corp", "subnet": "Data", "ip": "192.168.2.10"}),
        p.update(failed_over=["Apps"])),
     "vms[0].nics[1].subnet"),
    ("E311", "failed-over subnet of an unmapped VM network", lambda p: (
        p["onprem"]["vm_networks"].append({"name": "Legacy", "subnets": [{"name": "Old", "prefix": "192.168.7.0/24"}]}),
        p.update(failed_over=["Old"])), "failed_over[0]"),
    ("E401", "IP outside its subnet", lambda p: _nic(p, "APP01").update(ip="192.168.9.10"), "vms[0].nics[0].ip"),
    ("E402", "retained IP reserved by Azure", lambda p: _nic(p, "APP01").update(ip="192.168.1.3"), "vms[0].nics[0].ip"),
    ("E402", "retained IP is the broadcast address", lambda p: _nic(p, "APP01").update(ip="192.168.1.255"), "vms[0].nics[0].ip"),
    ("E403", "duplicate source IP", lambda p: _nic(p, "SQL01").update(vm_network="Corp", subnet="Apps", ip="192.168.1.10"), "vms[1].nics[0].ip"),
    ("E404", "recovery_ip outside the target subnet", lambda p: _nic(p, "SQL01").update(recovery_ip="172.20.3.40"), "vms[1].nics[0].recovery_ip"),
    ("E405", "recovery IP reserved by Azure", lambda p: _nic(p, "SQL01").update(ip="192.168.2.2"), "vms[1].nics[0].ip"),
    ("E406", "recovery IP given twice", lambda p: p["vms"].append(
        {"name": "SQL02", "nics": [{"vm_network": "Corp", "subnet": "Data", "ip": "192.168.2.21", "recovery_ip": "172.20.2.20"}]}),
     "vms[1].nics[0].ip"),
    ("E407", "offset does not fit the target subnet", lambda p: (
        network(p, "recovery")["subnets"][1].update(prefix="172.20.2.0/26"),
        network(p, "drill")["subnets"][1].update(prefix="172.20.2.0/26"),
        _nic(p, "SQL01").update(ip="192.168.2.200")),
     "vms[1].nics[0].ip"),
    ("E408", "recovery_ip on a retain subnet", lambda p: _nic(p, "APP01").update(recovery_ip="192.168.1.50"), "vms[0].nics[0].recovery_ip"),
    ("E409", "no test-failover address", lambda p: network(p, "drill")["subnets"][1].update(prefix="172.20.2.0/27") or
     _nic(p, "SQL01").update(ip="192.168.2.200"),
     "vms[1].nics[0].ip"),
    ("E501", "stretched subnet: always-on VNet-to-VNet", lambda p: _conn(p, "v2v").update(when="always"),
     "onprem.vm_networks[0].subnets[0].prefix"),
    ("E501", "partial failover of a recovery network", lambda p: (
        network(p, "recovery").update(address_space=["192.168.1.0/24", "192.168.2.0/24", "10.250.0.0/27"]),
        network(p, "recovery")["subnets"][1].update(prefix="192.168.2.0/24"),
        network(p, "drill").update(address_space=["192.168.1.0/24", "192.168.2.0/24"]),
        network(p, "drill")["subnets"][1].update(prefix="192.168.2.0/24"),
        _sub(p, "Data").update(failover="retain"), p.update(failed_over=["Apps"])),
     "onprem.vm_networks[0].subnets[1].prefix"),
    ("E502", "joined networks overlap", lambda p: network(p, "prod").update(address_space=["172.16.0.0/16", "172.20.0.0/16"]),
     "connections[1].networks"),
    ("E503", "LNG prefixes overlap the network", lambda p: p["onprem"].update(address_space=["192.168.0.0/16", "172.16.0.0/12"]),
     "connections[0].network"),
    ("E502", "two networks joined through a third overlap", lambda p: (
        p["azure"]["networks"].append({"name": "other", "address_space": ["172.20.2.0/25", "10.251.0.0/27"],
                                       "subnets": [{"name": "x", "prefix": "172.20.2.0/26"}],
                                       "gateway": {"subnet_prefix": "10.251.0.0/27", "bgp_asn": 65530}}),
        p["connections"].append({"name": "v2v2", "type": "vnet-to-vnet", "networks": ["prod", "other"], "when": "after-failover"})),
     None),
    ("E503", "on-prem prefixes overlap a network reached through another", lambda p: (
        network(p, "recovery")["address_space"].append("192.168.200.0/24"), p.update(failed_over=["Apps"])),
     "connections[1].networks"),
    ("E504", "transit over VNet-to-VNet without BGP", lambda p: network(p, "recovery")["gateway"].pop("bgp_asn"), "connections[1]"),
    ("E505", "same ASN on both gateways", lambda p: network(p, "recovery")["gateway"].update(bgp_asn=65515), "connections[1]"),
    ("E506", "connected test network", lambda p: (
        network(p, "drill").update(gateway={"subnet_prefix": "10.251.0.0/27"}),
        network(p, "drill")["address_space"].append("10.251.0.0/27"),
        p["connections"].append({"name": "bad", "type": "vnet-to-vnet", "networks": ["drill", "prod"], "when": "after-failover"})),
     "connections[2]"),
    ("E507", "VPN connection without a gateway", lambda p: network(p, "recovery").pop("gateway"), "connections[1]"),
    ("E508", "site-to-site without a VPN device", lambda p: p["onprem"].pop("vpn_device"), "connections[0]"),
    ("E509", "connection up before its gateway", lambda p: network(p, "recovery")["gateway"].update(when="after-failover") or
     _conn(p, "v2v").update(when="always"), "connections[1]"),
    ("E510", "local network gateway left without prefixes", lambda p: (
        p["onprem"].update(address_space=["192.168.1.0/24"]), p["onprem"]["vpn_device"].pop("bgp"),
        p["onprem"]["vm_networks"][0]["subnets"].pop(1), p["vms"].pop(1), p.update(failed_over=["Apps"])),
     "connections[0]"),
    ("W511", "failed-over subnet that on-prem cannot reach", lambda p: p.update(connections=[p["connections"][0]], failed_over=["Apps"]),
     "failed_over[0]"),
    ("E512", "BGP peer inside a failed-over subnet", lambda p: (
        p["onprem"]["vpn_device"]["bgp"].update(peering_address="192.168.1.254"), p.update(failed_over=["Apps"])),
     "onprem.vpn_device.bgp.peering_address"),
    ("W513", "BGP peer outside the on-prem address space", lambda p: p["onprem"]["vpn_device"]["bgp"].update(peering_address="10.9.9.9"),
     "onprem.vpn_device.bgp.peering_address"),
    ("E601", "gateway transit into a network with a gateway", lambda p: p["connections"].append(
        {"name": "peer", "type": "peering", "networks": ["prod", "recovery"], "gateway_transit": True, "when": "after-failover"}),
     "connections[2].networks[1]"),
    ("E602", "gateway transit from a Basic gateway", lambda p: (
        network(p, "prod")["gateway"].update(sku="Basic", bgp_asn=None, subnet_prefix="172.16.255.0/29"),
        network(p, "recovery").pop("gateway"), p.update(connections=[p["connections"][0]]),
        p["connections"].append({"name": "peer", "type": "peering", "networks": ["prod", "recovery"], "gateway_transit": True, "when": "after-failover"})),
     "connections[1].networks[0]"),
    ("E603", "gateway transit from a network without a gateway", lambda p: p["connections"].append(
        {"name": "peer", "type": "peering", "networks": ["recovery", "prod"], "gateway_transit": True, "when": "after-failover"}) or
     network(p, "recovery").pop("gateway") and None, "connections[2].networks[0]"),
    ("E608", "a spoke using two remote gateways", lambda p: (
        network(p, "recovery").pop("gateway"), p.update(connections=[p["connections"][0]]),
        network(p, "drill").update(gateway={"subnet_prefix": "10.251.0.0/27"}),
        network(p, "drill")["address_space"].append("10.251.0.0/27"),
        p["connections"].append({"name": "peer1", "type": "peering", "networks": ["prod", "recovery"], "gateway_transit": True, "when": "after-failover"}),
        p["connections"].append({"name": "peer2", "type": "peering", "networks": ["drill", "recovery"], "gateway_transit": True, "when": "after-failover"})),
     "connections[2].networks[1]"),
    ("W604", "gateway created only after failover", lambda p: network(p, "recovery")["gateway"].update(when="after-failover"),
     "azure.networks[1].gateway.when"),
    ("E605", "reserved on-prem ASN", lambda p: p["onprem"]["vpn_device"]["bgp"].update(asn=65515), "onprem.vpn_device.bgp.asn"),
    ("E606", "BGP on a Basic gateway", lambda p: network(p, "recovery")["gateway"].update(sku="Basic"), "azure.networks[1].gateway.bgp_asn"),
    ("E607", "unknown SKU", lambda p: network(p, "recovery")["gateway"].update(sku="VpnGw1Az"), "azure.networks[1].gateway.sku"),
    ("E609", "next hop outside every network", lambda p: p.update(routing={"next_hop_ip": "10.99.9.4"}), "routing.next_hop_ip"),
    ("E609", "next hop in a managed network but no subnet", lambda p: p.update(routing={"next_hop_ip": "10.250.0.40"}) or
     network(p, "recovery").pop("gateway") and p.update(connections=[p["connections"][0]]), "routing.next_hop_ip"),
    ("W610", "next hop in an existing network, unlisted subnet", lambda p: p.update(routing={"next_hop_ip": "172.16.9.4"}),
     "routing.next_hop_ip"),
    ("E609", "next hop only in the test network", lambda p: (
        network(p, "drill")["address_space"].append("10.251.0.0/24"),
        network(p, "drill")["subnets"].append({"name": "nva", "prefix": "10.251.0.0/24"}),
        p.update(routing={"next_hop_ip": "10.251.0.4"})), "routing.next_hop_ip"),
    ("E206", "brought_up_by on a connection that always exists", lambda p: _conn(p, "s2s").update(brought_up_by=["Apps"]),
     "connections[0].brought_up_by"),
    ("E203", "brought_up_by names an unknown subnet", lambda p: _conn(p, "v2v").update(brought_up_by=["Appz"]),
     "connections[1].brought_up_by[0]"),
    ("E204", "brought_up_by names an ambiguous subnet", lambda p: p["onprem"]["vm_networks"].append(
        {"name": "Other", "subnets": [{"name": "Apps", "prefix": "192.168.9.0/24", "failover": "change"}]}) or
     _conn(p, "v2v").update(brought_up_by=["Apps"]), "connections[1].brought_up_by[0]"),
    ("E312", "test failover lands in AzureBastionSubnet (first-subnet fallback)",
     lambda p: network(p, "drill")["subnets"][0].update(name="AzureBastionSubnet"), "vms[0].nics[0].subnet"),
    ("E312", "failover lands in the GatewaySubnet (first-subnet fallback)", lambda p: (
        network(p, "recovery")["subnets"][0].update(name="web"), network(p, "recovery")["subnets"][1].update(name="zdata")),
     "vms[0].nics[0].subnet"),
    ("E611", "next hop is the recovery IP of a VM", lambda p: p.update(routing={"next_hop_ip": "172.20.2.20"}), "routing.next_hop_ip"),
    ("E612", "next hop inside an on-prem subnet that fails over", lambda p: p.update(routing={"next_hop_ip": "192.168.1.50"}),
     "routing.next_hop_ip"),
    ("W613", "a failed-over subnet lands in the appliance's subnet", lambda p: p.update(
        routing={"next_hop_ip": "172.20.2.30"}, failed_over=["Data"]), "failed_over[0]"),
    ("W614", "a network that cannot reach the appliance", lambda p: p.update(
        routing={"next_hop_ip": "172.16.1.4"}, failed_over=["Apps"]), "azure.networks[1]"),
]

# code, near miss that must stay quiet
QUIET = [
    ("E101", lambda p: network(p, "recovery")["subnets"][0].update(prefix=" 192.168.1.0/24")),
    ("E102", lambda p: network(p, "drill")["subnets"][1].update(prefix="172.20.2.0/24")),
    ("E103", lambda p: _nic(p, "APP01").update(ip="192.168.1.254")),
    ("E104", lambda p: network(p, "drill")["subnets"].append({"name": "X", "prefix": "172.20.2.128/25"}) or
     network(p, "drill")["subnets"][1].update(prefix="172.20.2.0/25")),
    ("E109", lambda p: network(p, "prod").update(address_space=["172.16.0.0/16", "172.17.0.0/16"])),
    ("E105", lambda p: network(p, "prod")["subnets"].append({"name": "back", "prefix": "172.16.2.0/24"})),
    ("E106", lambda p: network(p, "recovery")["gateway"].update(subnet_prefix="10.250.0.0/27")),
    ("W107", lambda p: network(p, "recovery")["gateway"].update(subnet_prefix="10.250.0.0/27", sku="Basic", bgp_asn=None)),
    ("E108", lambda p: p["onprem"].update(address_space=["192.168.1.0/24", "192.168.2.0/24"])),
    ("E201", lambda p: p["vms"].append({"name": "APP02", "nics": [{"vm_network": "Corp", "subnet": "Apps", "ip": "192.168.1.11"}]})),
    ("E202", lambda p: p.update(name="woodgrove-bank-dr-2026")),
    ("E203", lambda p: p.update(failed_over=["Corp/Apps"])),
    ("E204", lambda p: p.update(failed_over=["Apps"])),
    ("E205", lambda p: network(p, "prod")["subnets"].append({"name": "Gateway", "prefix": "172.16.254.0/27"})),
    ("E301", lambda p: p["onprem"]["vm_networks"].append({"name": "Unused", "subnets": [{"name": "U", "prefix": "192.168.9.0/24"}]})),
    ("E302", lambda p: None),
    ("E303", lambda p: p["network_mappings"][0].pop("test_network")),
    ("W304", lambda p: None),
    ("E305", lambda p: network(p, "recovery")["subnets"][0].update(name="Apps")),
    ("E306", lambda p: None),
    ("E307", lambda p: None),
    ("E308", lambda p: _nic(p, "APP01").update(subnet="Apps")),
    ("E309", lambda p: None),
    ("E310", lambda p: p["vms"][0]["nics"].append({"vm_network": "Corp", "subnet": "Data", "ip": "192.168.2.10"})),
    ("E410", lambda p: (p["vms"][0]["nics"].append({"vm_network": "Corp", "subnet": "Data", "ip": "192.168.2.10"}),
                        p.update(failed_over=["Apps"]))),
    ("E311", lambda p: p.update(failed_over=["Apps"])),
    ("E510", lambda p: (p["onprem"].update(address_space=["192.168.1.0/24"]), p["onprem"]["vm_networks"][0]["subnets"].pop(1),
                        p["vms"].pop(1), p.update(failed_over=["Apps"]))),
    ("W511", lambda p: p.update(failed_over=["Apps"])),
    ("E512", lambda p: p.update(failed_over=["Apps"])),
    ("W513", lambda p: p["onprem"]["vpn_device"]["bgp"].update(peering_address="192.168.200.1")),
    ("E401", lambda p: _nic(p, "APP01").update(ip="192.168.1.254")),
    ("E402", lambda p: _nic(p, "APP01").update(ip="192.168.1.4")),
    ("E403", lambda p: _nic(p, "SQL01").update(vm_network="Corp", subnet="Apps", ip="192.168.1.11")),
    ("E404", lambda p: _nic(p, "SQL01").update(recovery_ip="172.20.2.254")),
    ("E405", lambda p: _nic(p, "SQL01").update(ip="192.168.2.4")),
    ("E406", lambda p: p["vms"].append(
        {"name": "SQL02", "nics": [{"vm_network": "Corp", "subnet": "Data", "ip": "192.168.2.21", "recovery_ip": "172.20.2.22"}]})),
    ("E407", lambda p: network(p, "recovery")["subnets"][1].update(prefix="172.20.2.0/25")),
    ("E408", lambda p: _nic(p, "SQL01").update(recovery_ip="172.20.2.50")),
    ("E409", lambda p: None),
    ("E501", lambda p: p.update(failed_over=["Apps"])),
    ("E502", lambda p: network(p, "prod").update(address_space=["172.16.0.0/16", "172.21.0.0/16"])),
    ("E503", lambda p: p["onprem"].update(address_space=["192.168.0.0/16", "10.0.0.0/16"])),
    # a site-to-site that exists only after failover: the steady-state prefixes never meet it
    ("E503", lambda p: p["connections"].append({"name": "s2s-dr", "type": "site-to-site", "network": "recovery", "when": "after-failover"})),
    ("E504", lambda p: None),
    ("E505", lambda p: network(p, "recovery")["gateway"].update(bgp_asn=65520 - 3)),
    ("E506", lambda p: None),
    ("E507", lambda p: None),
    ("E508", lambda p: p["onprem"]["vpn_device"].pop("bgp") and (network(p, "recovery")["gateway"].pop("bgp_asn"), _conn(p, "v2v").update(when="after-failover"))
     and p.update(connections=[p["connections"][0]])),
    ("E509", lambda p: network(p, "recovery")["gateway"].update(when="after-failover")),
    ("E601", lambda p: (network(p, "recovery").pop("gateway"), p.update(connections=[p["connections"][0]]),
                        p["connections"].append({"name": "peer", "type": "peering", "networks": ["prod", "recovery"],
                                                 "gateway_transit": True, "when": "after-failover"}))),
    ("E602", lambda p: None),
    ("E603", lambda p: None),
    ("E608", lambda p: (network(p, "recovery").pop("gateway"), p.update(connections=[p["connections"][0]]),
                        p["connections"].append({"name": "peer", "type": "peering", "networks": ["prod", "recovery"],
                                                 "gateway_transit": True, "when": "after-failover"}))),
    ("W604", lambda p: network(p, "recovery")["gateway"].update(when="always")),
    ("E605", lambda p: p["onprem"]["vpn_device"]["bgp"].update(asn=65521)),
    ("E606", lambda p: network(p, "recovery")["gateway"].update(sku="VpnGw2AZ")),
    ("E206", lambda p: _conn(p, "v2v").update(brought_up_by=["Apps"])),
    ("E312", lambda p: (network(p, "drill")["address_space"].append("172.20.3.0/26"),
                        network(p, "drill")["subnets"].append({"name": "AzureBastionSubnet", "prefix": "172.20.3.0/26"}))),
    ("E611", lambda p: p.update(routing={"next_hop_ip": "172.20.2.30"})),
    ("E612", lambda p: p.update(routing={"next_hop_ip": "172.20.2.30"})),
    ("W613", lambda p: p.update(routing={"next_hop_ip": "172.20.2.30"}, failed_over=["Apps"])),
    # peered with the appliance's network: the route next hop is reachable
    ("W614", lambda p: p.update(routing={"next_hop_ip": "172.16.1.4"}, failed_over=["Apps"]) or p["connections"].append(
        {"name": "peer", "type": "peering", "networks": ["prod", "recovery"]})),
    ("E607", lambda p: network(p, "recovery")["gateway"].update(sku="VpnGw5AZ")),
    ("E609", lambda p: p.update(routing={"next_hop_ip": "172.16.1.4"})),
    ("W610", lambda p: p.update(routing={"next_hop_ip": "172.16.1.4"})),
]


@pytest.mark.parametrize("code, what, mutate, path", FIRES, ids=[f"{c[0]}-{c[1]}" for c in FIRES])
def test_rule_fires(tmp_path, code, what, mutate, path):
    plan = base()
    mutate(plan)
    analysis = analyze_dict(tmp_path, plan)
    hits = [d for d in analysis.diagnostics if d.code == code]
    assert hits, f"{code} ({what}) did not fire; got {codes(analysis)}"
    if path is not None:
        paths = [d.to_json()["path"] for d in hits]
        assert path in paths, f"{code} points at {paths}, expected {path}"
    for d in hits:
        assert d.line and d.column and d.file, f"{code} has no position: {d}"
        assert d.message


@pytest.mark.parametrize("code, mutate", QUIET, ids=[c[0] for c in QUIET])
def test_rule_stays_quiet(tmp_path, code, mutate):
    plan = base()
    mutate(plan)
    analysis = analyze_dict(tmp_path, plan)
    assert code not in codes(analysis), [d.message for d in analysis.diagnostics if d.code == code]


def test_base_plan_is_clean(tmp_path):
    analysis = analyze_dict(tmp_path, base())
    assert analysis.diagnostics == []
    failed = analyze_dict(tmp_path, base(), failed_over=["Apps"])
    assert failed.diagnostics == []


def test_every_registered_code_has_a_firing_and_a_quiet_case():
    registered = {code for rule in registry() for code in rule.codes}
    fired = {c[0] for c in FIRES}
    quiet = {c[0] for c in QUIET}
    assert registered - fired == set(), "rules without a firing test"
    assert registered - quiet == set(), "rules without a quiet test"


def test_rule_codes_are_unique_per_rule_and_well_formed():
    seen = {}
    for rule in registry():
        for code in rule.codes:
            assert code[0] in "EW" and code[1:].isdigit() and len(code) == 4, code
            assert rule.summary
        seen.setdefault(rule.name, rule)
    assert len(seen) == len(registry())


def test_readme_documents_every_code():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    registered = {code for rule in registry() for code in rule.codes}
    schema_codes = {"E001", "E002", "E003", "E004", "E005", "E006", "E007", "E008"}
    missing = sorted(c for c in registered | schema_codes if f"| {c} |" not in readme)
    assert not missing, f"README's code table lacks {missing}"


@pytest.mark.parametrize("code, what, mutate, path", FIRES, ids=[f"{c[0]}-{c[1]}" for c in FIRES])
def test_every_error_it_produces_has_a_hint(tmp_path, code, what, mutate, path):
    """Walks every registered code (each has a firing case, checked above): each error the
    broken plan produces, whatever its code, tells the user what to do."""
    plan = base()
    mutate(plan)
    analysis = analyze_dict(tmp_path, plan)
    bare = [f"{d.code} {d.message}" for d in analysis.diagnostics if d.is_error and not d.hint]
    assert not bare, f"errors without a hint ({what})"


@pytest.mark.parametrize("mutate", [
    lambda p: p["onprem"]["vpn_device"]["bgp"].update(asn="65010"),  # a quoted ASN
    lambda p: network(p, "recovery")["gateway"].update(bgp_asn="65516"),
    lambda p: p["onprem"].update(vmm_srever="x"),
    lambda p: p["onprem"].pop("vmm_server"),
    lambda p: _conn(p, "v2v").update(when="later"),
    lambda p: _conn(p, "v2v").update(type="vpn"),
    lambda p: _conn(p, "v2v").update(networks=["prod"]),
    lambda p: p.update(vms="APP01"),
], ids=["quoted-asn", "quoted-gateway-asn", "unknown-key", "missing-key", "literal", "connection-type", "too-short", "not-a-list"])
def test_every_schema_error_has_a_hint(tmp_path, mutate):
    plan = base()
    mutate(plan)
    analysis = analyze_dict(tmp_path, plan)
    assert analysis.diagnostics and all(d.is_error for d in analysis.diagnostics)
    assert all(d.hint for d in analysis.diagnostics), [(d.code, d.message) for d in analysis.diagnostics if not d.hint]


def test_a_quoted_asn_is_refused_with_a_located_e005(tmp_path):
    plan = base()
    plan["onprem"]["vpn_device"]["bgp"]["asn"] = "65010"
    analysis = analyze_dict(tmp_path, plan)
    [diag] = analysis.diagnostics
    assert diag.code == "E005" and diag.to_json()["path"] == "onprem.vpn_device.bgp.asn"
    assert "a whole number, not a string" in diag.message and diag.hint == "remove the quotes: 65010"


@pytest.mark.parametrize("asn, says", [
    (4294967296, "outside the range of BGP AS numbers (1-4294967294)"),
    (-1, "outside the range"),
    (65517, "reserved by Azure"),
    (8075, "reserved by Azure"),
    (23456, "reserved by IANA"),
    (0, "reserved by IANA"),
    (4294967295, "reserved by IANA"),
])
def test_e605_says_out_of_range_or_reserved_and_by_whom(tmp_path, asn, says):
    plan = base()
    plan["onprem"]["vpn_device"]["bgp"]["asn"] = asn
    diags = [d for d in analyze_dict(tmp_path, plan).diagnostics if d.code == "E605"]
    assert len(diags) == 1 and says in diags[0].message, [d.message for d in diags]
    assert ("reserved" in diags[0].message) != ("outside" in diags[0].message)


@pytest.mark.parametrize("asn", [1, 64512, 65010, 65534, 4200000000, 4294967294])
def test_e605_accepts_16_and_32_bit_private_and_public_asns(tmp_path, asn):
    plan = base()
    plan["onprem"]["vpn_device"]["bgp"]["asn"] = asn
    assert "E605" not in codes(analyze_dict(tmp_path, plan))


def test_e609_says_when_the_next_hop_is_in_the_test_network(tmp_path):
    plan = base()
    network(plan, "drill")["address_space"].append("10.251.0.0/24")
    network(plan, "drill")["subnets"].append({"name": "nva", "prefix": "10.251.0.0/24"})
    plan["routing"] = {"next_hop_ip": "10.251.0.4"}
    [diag] = [d for d in analyze_dict(tmp_path, plan).diagnostics if d.code == "E609"]
    assert diag.message == "next hop 10.251.0.4 is only in the test network drill, which a drill keeps isolated"


def test_a_fallback_into_a_special_subnet_is_one_error_not_also_a_warning(tmp_path):
    plan = base()
    network(plan, "drill")["subnets"][0]["name"] = "AzureBastionSubnet"
    found = [(d.code, d.to_json()["path"]) for d in analyze_dict(tmp_path, plan).diagnostics]
    assert found == [("E312", "vms[0].nics[0].subnet")]
