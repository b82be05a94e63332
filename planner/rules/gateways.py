"""Gateways: SKUs, BGP numbers, gateway transit, provisioning time."""

from __future__ import annotations

import re

from ..diagnostics import error, warning
from ..index import parse_ip
from ..model import Peering
from ..validate_schema import did_you_mean
from . import rule

SKU = re.compile(r"^(Basic|VpnGw[1-5](AZ)?)$")
SKUS = ["Basic"] + [f"VpnGw{n}{az}" for n in range(1, 6) for az in ("", "AZ")]


@rule("E607", "the gateway SKU is one Azure offers for VPN gateways")
def unknown_sku(ctx):
    for i, net in enumerate(ctx.plan.azure.networks):
        if net.gateway is not None and not SKU.match(net.gateway.sku):
            guess = did_you_mean(net.gateway.sku, SKUS)
            yield error("E607", f"'{net.gateway.sku}' is not a VPN gateway SKU", ("azure", "networks", i, "gateway", "sku"),
                        hint=f"did you mean '{guess}'?" if guess else "e.g. VpnGw1AZ")


# "BGP is supported on all Azure VPN Gateway SKUs except the Basic SKU."
# https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq#bgp
@rule("E606", "a Basic SKU gateway has no BGP")
def basic_sku_bgp(ctx):
    for i, net in enumerate(ctx.plan.azure.networks):
        if net.gateway is not None and net.gateway.sku == "Basic" and net.gateway.bgp_asn is not None:
            yield error("E606", f"the gateway of {net.name} is Basic, which does not support BGP",
                        ("azure", "networks", i, "gateway", "bgp_asn"), hint="use VpnGw1AZ or larger")


# ASNs that "You can't specify ... for your on-premises VPN devices": Azure's public and private
# ones; IANA's reserved ones besides (0, AS_TRANS 23456, documentation 64496-64511, 65535-65551,
# 4294967295). VPN Gateway takes 16-bit and 32-bit ASNs, so the range is 1-4294967294; Azure
# gateways default to 65515.
# https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq#bgp
AZURE_RESERVED_ASNS = {8074, 8075, 12076, 65515, 65517, 65518, 65519, 65520}
IANA_RESERVED_ASNS = {0, 23456, 4294967295} | set(range(64496, 64512)) | set(range(65535, 65552))
ASN_MAX = 4294967295  # 32 bits


def asn_problem(asn: int) -> str | None:
    """Why an ASN cannot be used: out of range, or reserved (and by whom); None when it can."""
    if not 0 <= asn <= ASN_MAX:
        return f"is outside the range of BGP AS numbers (1-{ASN_MAX - 1})"
    if asn in AZURE_RESERVED_ASNS:
        return "is reserved by Azure"
    if asn in IANA_RESERVED_ASNS:
        return "is reserved by IANA"
    return None


@rule("E605", "BGP ASNs are within 1-4294967294 and not reserved by Azure or IANA")
def reserved_asn(ctx):
    device = ctx.plan.onprem.vpn_device
    if device is not None and device.bgp is not None:
        problem = asn_problem(device.bgp.asn)
        if problem:
            yield error("E605", f"ASN {device.bgp.asn} {problem}: it cannot be the on-prem device's",
                        ("onprem", "vpn_device", "bgp", "asn"), hint="use a private ASN such as 65010 (64512-65534)")
    for i, net in enumerate(ctx.plan.azure.networks):
        asn = net.gateway.bgp_asn if net.gateway else None
        if asn is None or asn == 65515:  # 65515 is Azure's default gateway ASN
            continue
        problem = asn_problem(asn)
        if problem:
            yield error("E605", f"ASN {asn} of the gateway of {net.name} {problem}",
                        ("azure", "networks", i, "gateway", "bgp_asn"), hint="use a private ASN such as 65516 (64512-65534)")


# Gateway transit "can be used with all VPN Gateway SKUs except the Basic SKU"
# (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-peering-gateway-transit); "A workload
# virtual network that uses remote gateways doesn't contain its own VPN or ExpressRoute gateway.
# You can enable Use remote gateways on only one peering for each workload virtual network."
# (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-different-region)
@rule(("E601", "E602", "E603", "E608"), "peering with gateway transit follows Azure's rules")
def gateway_transit(ctx):
    idx = ctx.index
    remote_users: dict[str, str] = {}
    for i, conn in enumerate(ctx.plan.connections):
        if not isinstance(conn, Peering) or not conn.gateway_transit:
            continue
        hub, spoke = (idx.networks.get(n) for n in conn.networks)
        path = ("connections", i, "networks")
        if hub is not None and hub.gateway is None:
            yield error("E603", f"'{conn.name}': the hub {hub.name} (first network) has no gateway to share", path + (0,),
                        hint="list the network with the gateway first: networks: [hub, spoke]")
        elif hub is not None and hub.gateway.sku == "Basic":
            yield error("E602", f"'{conn.name}': gateway transit does not work with the Basic SKU gateway of {hub.name}",
                        path + (0,), hint="use VpnGw1AZ or larger")
        if spoke is not None and spoke.name in remote_users:
            yield error("E608", f"'{conn.name}': {spoke.name} already uses a remote gateway through '{remote_users[spoke.name]}'",
                        path + (1,), hint="a network can use the remote gateway of only one peering")
        if spoke is not None:
            remote_users.setdefault(spoke.name, conn.name)
        if spoke is not None and spoke.gateway is not None:
            yield error("E601", f"'{conn.name}': {spoke.name} uses the remote gateway of {conn.networks[0]} but has its own gateway",
                        path + (1,), hint=f"remove the gateway of {spoke.name}, or join them with vnet-to-vnet")


# "Creating a gateway can often take 45 minutes or more, depending on the selected gateway SKU."
# https://learn.microsoft.com/azure/vpn-gateway/tutorial-site-to-site-portal
@rule("W604", "a gateway created only after failover adds its creation time to the recovery time")
def late_gateway(ctx):
    for i, net in enumerate(ctx.plan.azure.networks):
        if net.gateway is not None and net.gateway.when == "after-failover":
            yield warning(
                "W604",
                f"the gateway of {net.name} is created only after failover; creating a VPN gateway takes tens of minutes",
                ("azure", "networks", i, "gateway", "when"),
                hint="pre-provision it (when: always) so the failover does not wait for it",
            )


@rule(("E609", "W610"), "routing.next_hop_ip is a usable address inside an Azure subnet")
def next_hop_inside_subnet(ctx):
    routing = ctx.plan.routing
    ip = parse_ip(routing.next_hop_ip) if routing and routing.next_hop_ip else None
    if ip is None:
        return
    idx = ctx.index
    for (net, _sub), prefix in idx.subnet_prefix.items():
        if net not in idx.test_networks and ip in prefix:
            if int(ip) - prefix.first < 4 or int(ip) == prefix.last:
                yield error("E609", f"next hop {ip} is an address Azure reserves in {prefix}", ("routing", "next_hop_ip"),
                            hint="Azure keeps the first four addresses and the last one of a subnet: give the appliance another")
            return
    for name, spaces in idx.network_space.items():
        if any(ip in p for p in spaces) and name not in idx.test_networks:
            if idx.networks[name].existing:
                # an existing network may hold subnets the plan does not list
                yield warning("W610", f"next hop {ip} is in {name} but in none of the subnets the plan lists for it",
                              ("routing", "next_hop_ip"), hint=f"list the appliance's subnet under {name}.subnets")
                return
            yield error("E609", f"next hop {ip} is in {name} but in none of its subnets: it cannot exist",
                        ("routing", "next_hop_ip"), hint=f"add the appliance's subnet to {name}")
            return
    test = sorted(name for name in idx.test_networks if any(ip in p for p in idx.network_space.get(name, [])))
    where = f"only in the test network {test[0]}, which a drill keeps isolated" if test else "in no Azure network of the plan"
    yield error("E609", f"next hop {ip} is {where}", ("routing", "next_hop_ip"),
                hint="the appliance must sit in a subnet of a (non-test) Azure network of the plan")


RULES = [unknown_sku, basic_sku_bgp, reserved_asn, gateway_transit, late_gateway, next_hop_inside_subnet]
