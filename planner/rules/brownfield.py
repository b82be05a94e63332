"""Brownfield: what the plan says exists in Azure must be able to exist, and be usable as is."""

from __future__ import annotations

from netaddr import IPSet

from ..diagnostics import error, warning
from ..index import parse_prefix
from ..model import Peering, SiteToSite, VnetToVnet
from ..nsg import gets_nsg
from ..topology import connection_networks
from . import rule


def _net(ctx, name):
    return ctx.index.networks.get(name)


@rule("E801", "an existing VPN gateway is in an existing network")
def existing_gateway_in_created_network(ctx):
    for i, net in enumerate(ctx.plan.azure.networks):
        if net.gateway is not None and net.gateway.existing is not None and not net.existing:
            yield error("E801", f"the gateway of {net.name} is marked existing, but drnet creates {net.name}",
                        ("azure", "networks", i, "gateway", "existing"),
                        hint="mark the network `existing: true` if it exists, or drop `gateway.existing`")


@rule("E802", "an existing connection joins existing networks")
def existing_connection_in_created_network(ctx):
    for i, conn in enumerate(ctx.plan.connections):
        if conn.existing is None:
            continue
        created = [n for n in connection_networks(conn) if _net(ctx, n) is not None and not _net(ctx, n).existing]
        if created:
            yield error("E802", f"'{conn.name}' is marked existing, but drnet creates {', '.join(created)}",
                        ("connections", i, "existing"),
                        hint="a connection can exist only between networks that exist: mark them `existing: true`, "
                             "or drop the connection's `existing`")


# "A virtual network can have only one VPN gateway"
# https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpngateways#configuring
@rule("E803", "drnet never creates a second gateway in a network that has one")
def second_gateway(ctx):
    idx = ctx.index
    for i, conn in enumerate(ctx.plan.connections):
        if conn.existing is None:
            continue
        if isinstance(conn, Peering):
            # an existing peering with gateway transit shares the hub's gateway: it exists
            ends = [conn.networks[0]] if conn.gateway_transit else []
        else:
            ends = list(connection_networks(conn))
        for name in ends:
            net = idx.networks.get(name)
            if net is None or not net.existing or net.gateway is None or net.gateway.existing is not None:
                continue
            yield error("E803", f"{name} has a VPN gateway already ('{conn.name}' exists on it), "
                        f"and the plan would create a second one", ("azure", "networks", idx.network_paths[name][2], "gateway"),
                        hint="Azure allows one VPN gateway per network: name the one it has, "
                             "`gateway: {existing: {name: ...}, subnet_prefix: ...}`")


@rule("W804", "drnet creates a VPN gateway in an existing network")
def gateway_created_in_existing_network(ctx):
    for i, net in enumerate(ctx.plan.azure.networks):
        if net.existing and net.gateway is not None and net.gateway.existing is None:
            yield warning("W804", f"drnet will create a GatewaySubnet and a VPN gateway in the existing network {net.name}",
                          ("azure", "networks", i, "gateway"),
                          hint="Azure allows one VPN gateway per network: if it has one, name it with "
                               "`gateway.existing: {name: ...}` so drnet references it")


@rule("E805", "the GatewaySubnet is declared once")
def gateway_subnet_twice(ctx):
    for i, net in enumerate(ctx.plan.azure.networks):
        if net.gateway is None:
            continue
        for j, sub in enumerate(net.subnets):
            if sub.name.lower() == "gatewaysubnet":
                yield error("E805", f"{net.name} declares its GatewaySubnet twice: as a subnet and through `gateway`",
                            ("azure", "networks", i, "subnets", j, "name"),
                            hint="keep `gateway.subnet_prefix` and remove the subnet entry")


@rule("E806", "what exists already exists in every state (no `when: after-failover`)")
def existing_part_with_when(ctx):
    for i, net in enumerate(ctx.plan.azure.networks):
        gw = net.gateway
        if gw is not None and gw.existing is not None and gw.when != "always":
            yield error("E806", f"the gateway of {net.name} exists, so it cannot be created only after failover",
                        ("azure", "networks", i, "gateway", "when"), hint="remove `when` (or the gateway's `existing`)")
    for i, conn in enumerate(ctx.plan.connections):
        if conn.existing is not None and conn.when != "always":
            yield error("E806", f"'{conn.name}' exists: with `when: after-failover` drnet would delete it until a failover",
                        ("connections", i, "when"), hint="remove `when` (or the connection's `existing`)")


# A connection's local network gateway is fixed at creation (azurerm marks
# `local_network_gateway_id` ForceNew): pointing the adopted connection at a new one replaces it.
@rule("E807", "an adopted site-to-site connection keeps its local network gateway")
def adopted_connection_needs_adopted_lng(ctx):
    device = ctx.plan.onprem.vpn_device
    if device is not None and device.local_network_gateway is not None:
        return
    for i, conn in enumerate(ctx.plan.connections):
        if isinstance(conn, SiteToSite) and conn.existing is not None:
            yield error("E807", f"'{conn.name}' exists, but its local network gateway is not named: drnet would create one "
                        "and replace the connection", ("connections", i, "existing"),
                        hint="name it under onprem.vpn_device.local_network_gateway: {name: ...}")


@rule("W809", "an adopted local network gateway belongs to a site-to-site connection")
def lng_without_site_to_site(ctx):
    device = ctx.plan.onprem.vpn_device
    if device is None or device.local_network_gateway is None:
        return
    if not any(isinstance(c, SiteToSite) for c in ctx.plan.connections):
        yield warning("W809", "the local network gateway is named but no site-to-site connection uses it: drnet ignores it",
                      ("onprem", "vpn_device", "local_network_gateway"), hint="add the site-to-site connection or remove the key")


# `prefixes` states what Azure holds while drnet adopts the gateway. A subnet that has failed
# over while on-prem is still sent its prefix is a stretched subnet (see E501): the failed-over
# VMs are unreachable over the VPN. Adopt in the steady state; once adopted, drnet sets them.
@rule("E808", "an adopted local network gateway does not send a failed-over subnet to on-prem", stateful=True)
def adopted_lng_overlaps_failed_over(ctx):
    device = ctx.plan.onprem.vpn_device
    lng = device.local_network_gateway if device is not None else None
    if lng is None or lng.prefixes is None or not ctx.index.failed_over:
        return
    current = IPSet(p for p in map(parse_prefix, lng.prefixes) if p is not None)
    for key in sorted(ctx.index.failed_over):
        prefix = ctx.index.onprem_prefix.get(key)
        if ctx.index.onprem_subnets[key].failover != "retain" or prefix is None:
            continue
        if current & IPSet([prefix]):
            yield error(
                "E808",
                f"the local network gateway {lng.name}, as the plan states it, sends {prefix} ({key[0]}/{key[1]}, failed over) "
                "to on-prem: the failed-over VMs are unreachable over the VPN",
                ("onprem", "vpn_device", "local_network_gateway", "prefixes"),
                hint="adopt it in the steady state (failed_over: []); once adopted, remove `prefixes`: drnet sets them",
            )


@rule("E810", "an NSG the plan names goes on a subnet drnet creates")
def nsg_on_unmanaged_subnet(ctx):
    for i, net in enumerate(ctx.plan.azure.networks):
        if net.existing and net.nsg is not None:
            yield error("E810", f"{net.name} exists: drnet attaches no NSG to its subnets", ("azure", "networks", i, "nsg"),
                        hint="remove `nsg` (its subnets keep what they have)")
        for j, sub in enumerate(net.subnets):
            if sub.nsg is None:
                continue
            if net.existing:
                yield error("E810", f"{net.name} exists: drnet attaches no NSG to its subnet {sub.name}",
                            ("azure", "networks", i, "subnets", j, "nsg"), hint="remove `nsg` (the subnet keeps what it has)")
            elif not gets_nsg(sub.name):
                yield error("E810", f"{sub.name} is one of Azure's special subnets, on which drnet puts no NSG",
                            ("azure", "networks", i, "subnets", j, "nsg"), hint="remove `nsg`")


@rule("W811", "a test network's NSG walls the drill off")
def test_network_with_named_nsg(ctx):
    idx = ctx.index
    for i, net in enumerate(ctx.plan.azure.networks):
        if net.name not in idx.test_networks or net.existing:
            continue
        named = [j for j, s in enumerate(net.subnets) if s.nsg is not None]
        if net.nsg is not None:
            yield warning("W811", f"the test network {net.name} uses the existing NSG {net.nsg.name}: drnet cannot add its wall "
                          "(deny on-prem and the other networks)", ("azure", "networks", i, "nsg"),
                          hint="make sure that NSG denies traffic to on-prem and production, or let drnet create one")
        for j in named:
            yield warning("W811", f"the test network {net.name} uses an existing NSG on {net.subnets[j].name}: drnet cannot "
                          "add its wall (deny on-prem and the other networks)", ("azure", "networks", i, "subnets", j, "nsg"),
                          hint="make sure that NSG denies traffic to on-prem and production, or let drnet create one")


RULES = [
    existing_gateway_in_created_network,
    existing_connection_in_created_network,
    second_gateway,
    gateway_created_in_existing_network,
    gateway_subnet_twice,
    existing_part_with_when,
    adopted_connection_needs_adopted_lng,
    lng_without_site_to_site,
    adopted_lng_overlaps_failed_over,
    nsg_on_unmanaged_subnet,
    test_network_with_named_nsg,
]
