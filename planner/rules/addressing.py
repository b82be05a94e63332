"""Addressing: well-formed prefixes and IPs, subnets inside and apart."""

from __future__ import annotations

from netaddr import AddrFormatError, IPNetwork, IPSet

from ..diagnostics import error, warning
from ..index import parse_ip, parse_prefix
from . import rule


def _prefix_fields(plan):
    """(path, text) of every prefix in the plan."""
    for k, text in enumerate(plan.onprem.address_space):
        yield ("onprem", "address_space", k), text
    for i, vmn in enumerate(plan.onprem.vm_networks):
        for j, sub in enumerate(vmn.subnets):
            yield ("onprem", "vm_networks", i, "subnets", j, "prefix"), sub.prefix
    for i, net in enumerate(plan.azure.networks):
        for k, text in enumerate(net.address_space):
            yield ("azure", "networks", i, "address_space", k), text
        for j, sub in enumerate(net.subnets):
            yield ("azure", "networks", i, "subnets", j, "prefix"), sub.prefix
        if net.gateway is not None:
            yield ("azure", "networks", i, "gateway", "subnet_prefix"), net.gateway.subnet_prefix


def _ip_fields(plan):
    device = plan.onprem.vpn_device
    if device is not None:
        yield ("onprem", "vpn_device", "public_ip"), device.public_ip
        if device.bgp is not None:
            yield ("onprem", "vpn_device", "bgp", "peering_address"), device.bgp.peering_address
    if plan.routing is not None and plan.routing.next_hop_ip is not None:
        yield ("routing", "next_hop_ip"), plan.routing.next_hop_ip
    for i, vm in enumerate(plan.vms):
        for j, nic in enumerate(vm.nics):
            yield ("vms", i, "nics", j, "ip"), nic.ip
            if nic.recovery_ip is not None:
                yield ("vms", i, "nics", j, "recovery_ip"), nic.recovery_ip


@rule("E101", "prefixes are IPv4 CIDR blocks such as 10.1.2.0/24")
def malformed_prefix(ctx):
    for path, text in _prefix_fields(ctx.plan):
        if parse_prefix(text) is None:
            hint = ("write address/length, e.g. 10.1.2.0/24" if "/" not in str(text)
                    else "four numbers 0-255, a slash and a length 0-32, e.g. 10.1.2.0/24")
            yield error("E101", f"'{text}' is not an IPv4 prefix", path, hint=hint)


@rule("E102", "a prefix has no host bits set")
def prefix_host_bits(ctx):
    for path, text in _prefix_fields(ctx.plan):
        if parse_prefix(text) is None:
            continue
        try:
            net = IPNetwork(text.strip(), version=4)
        except (AddrFormatError, ValueError):
            continue
        if net.ip != net.network:
            yield error(
                "E102",
                f"'{text}' has host bits set",
                path,
                hint=f"did you mean {net.cidr}? (or the host {net.ip}/32)",
            )


@rule("E103", "IP addresses are IPv4 addresses such as 10.1.2.4")
def malformed_ip(ctx):
    for path, text in _ip_fields(ctx.plan):
        if parse_ip(text) is None:
            hint = "drop the prefix length: an address, not a network" if "/" in str(text) else "write four numbers 0-255, e.g. 10.1.2.4"
            yield error("E103", f"'{text}' is not an IPv4 address", path, hint=hint)


@rule("E104", "Azure subnets and the GatewaySubnet lie inside one prefix of their network's address space")
def subnet_outside_network(ctx):
    idx = ctx.index
    for i, net in enumerate(ctx.plan.azure.networks):
        spaces = idx.network_space.get(net.name, [])
        if not spaces:
            continue
        items = [(f"subnet {s.name}", parse_prefix(s.prefix), ("azure", "networks", i, "subnets", j, "prefix"))
                 for j, s in enumerate(net.subnets)]
        if net.gateway is not None:
            items.append(("the GatewaySubnet", idx.gateway_prefix.get(net.name), ("azure", "networks", i, "gateway", "subnet_prefix")))
        for label, prefix, path in items:
            if prefix is None or any(prefix in space for space in spaces):
                continue
            straddles = IPSet([prefix]).issubset(IPSet(spaces))
            yield error(
                "E104",
                f"{label} ({prefix}) " + ("spans two address-space prefixes of " if straddles else "is outside the address space of ")
                + net.name,
                path,
                hint="a subnet must fit inside one address-space prefix: widen one prefix or move the subnet",
            )


@rule("E109", "the address-space prefixes of a network do not overlap")
def overlapping_address_space(ctx):
    for i, net in enumerate(ctx.plan.azure.networks):
        items = [(f"address_space[{k}]", parse_prefix(text), ("azure", "networks", i, "address_space", k)) for k, text in enumerate(net.address_space)]
        yield from _overlaps(items, f"in the address space of {net.name}", "E109")


@rule("E105", "subnets of one network do not overlap")
def overlapping_subnets(ctx):
    idx = ctx.index
    for i, net in enumerate(ctx.plan.azure.networks):
        items = [(f"subnet {s.name}", parse_prefix(s.prefix), ("azure", "networks", i, "subnets", j, "prefix")) for j, s in enumerate(net.subnets)]
        if net.gateway is not None:
            items.append(("GatewaySubnet", idx.gateway_prefix.get(net.name), ("azure", "networks", i, "gateway", "subnet_prefix")))
        yield from _overlaps(items, f"in {net.name}", "E105")
    for i, vmn in enumerate(ctx.plan.onprem.vm_networks):
        items = [(f"subnet {s.name}", parse_prefix(s.prefix), ("onprem", "vm_networks", i, "subnets", j, "prefix")) for j, s in enumerate(vmn.subnets)]
        yield from _overlaps(items, f"in VM network {vmn.name}", "E105")
    # subnets of different VM networks must not overlap either: they are one site
    seen = []
    for i, vmn in enumerate(ctx.plan.onprem.vm_networks):
        for j, sub in enumerate(vmn.subnets):
            prefix = parse_prefix(sub.prefix)
            if prefix is None:
                continue
            for other_name, other_net, other in seen:
                if other_net != vmn.name and (prefix in other or other in prefix):
                    yield error(
                        "E105",
                        f"on-prem subnet {vmn.name}/{sub.name} ({prefix}) overlaps {other_net}/{other_name} ({other})",
                        ("onprem", "vm_networks", i, "subnets", j, "prefix"),
                        hint="one site cannot hold a prefix twice: re-address one subnet, or merge them",
                    )
                    break
            seen.append((sub.name, vmn.name, prefix))


def _overlaps(items, where, code):
    items = sorted((p.first, p.last, name, p, path) for name, p, path in items if p is not None)
    for a, b in zip(items, items[1:]):
        if b[0] <= a[1]:
            yield error(code, f"{a[2]} ({a[3]}) and {b[2]} ({b[3]}) overlap {where}", b[4],
                        hint="give each its own range: shrink or move one of them")


@rule("E108", "on-prem subnets lie inside the on-prem address space")
def onprem_subnet_outside_space(ctx):
    space = IPSet(ctx.index.onprem_space)
    if not space:
        return
    for i, vmn in enumerate(ctx.plan.onprem.vm_networks):
        for j, sub in enumerate(vmn.subnets):
            prefix = parse_prefix(sub.prefix)
            if prefix is not None and not IPSet([prefix]).issubset(space):
                yield error(
                    "E108",
                    f"on-prem subnet {vmn.name}/{sub.name} ({prefix}) is outside onprem.address_space",
                    ("onprem", "vm_networks", i, "subnets", j, "prefix"),
                    hint="add it to onprem.address_space: that list is what the VPN routes to on-prem",
                )


# Azure: "While it's possible to create a gateway subnet as small as /29 (applicable to the
# Basic SKU only), all other SKUs require a gateway subnet of size /27 or larger"
# https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings#gwsub
@rule(("E106", "W107"), "a GatewaySubnet is at least /29, and /27 for every SKU but Basic")
def gateway_subnet_size(ctx):
    for i, net in enumerate(ctx.plan.azure.networks):
        prefix = ctx.index.gateway_prefix.get(net.name) if net.gateway else None
        if prefix is None:
            continue
        path = ("azure", "networks", i, "gateway", "subnet_prefix")
        if prefix.prefixlen > 29:
            yield error("E106", f"GatewaySubnet of {net.name} is /{prefix.prefixlen}; Azure needs at least /29", path, hint="use a /27")
        elif prefix.prefixlen > 27 and net.gateway.sku != "Basic":
            yield error(
                "E106",
                f"GatewaySubnet of {net.name} is /{prefix.prefixlen}; Azure requires /27 or larger for {net.gateway.sku}",
                path,
                hint="use a /27 (only the Basic SKU accepts /28 or /29)",
            )
        elif prefix.prefixlen > 27:
            yield warning(
                "W107",
                f"GatewaySubnet of {net.name} is /{prefix.prefixlen}; Azure recommends /27 or larger",
                path,
                hint="a /27 leaves room for more gateway configurations later",
            )


RULES = [
    malformed_prefix,
    prefix_host_bits,
    malformed_ip,
    subnet_outside_network,
    overlapping_address_space,
    overlapping_subnets,
    onprem_subnet_outside_space,
    gateway_subnet_size,
]
