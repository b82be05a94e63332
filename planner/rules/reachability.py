"""Reachability: what on-prem can reach, stretched subnets, overlaps, transit."""

from __future__ import annotations

from collections import deque

from netaddr import IPSet

from ..diagnostics import error, warning
from ..index import parse_ip
from ..model import Peering, SiteToSite, VnetToVnet
from ..topology import ONPREM, adjacency, connection_bgp, connection_networks, reachable
from . import rule


def _conn_path(ctx, conn):
    for i, other in enumerate(ctx.plan.connections):
        if other is conn:
            return ("connections", i)
    return ("connections",)


def _space(ctx, name) -> IPSet:
    return IPSet(ctx.index.network_space.get(name, []))


# "Azure doesn't support stretched subnets ... a specific subnet is present at Site 1 or
# Site 2, but never at both sites simultaneously" (shared/reference/asr-hyperv-vmm-network-planning.md)
@rule("E501", "no on-prem subnet that has not failed over is reachable in Azure from on-prem", stateful=True)
def stretched_subnet(ctx):
    idx = ctx.index
    reach = reachable(adjacency(idx, transit_only=True), ONPREM)
    azure = [name for name in reach if name != ONPREM]
    if not azure:
        return
    azure.sort()
    for (vmn, sub_name), prefix in idx.onprem_prefix.items():
        if (vmn, sub_name) in idx.failed_over:
            continue
        for name in azure:
            # CIDR blocks overlap exactly when one holds the other (cheaper than IPSets, per state)
            if not any(prefix in p or p in prefix for p in idx.network_space.get(name, [])):
                continue
            via = " -> ".join(c.name for c in reach[name])
            moved = [f"{k[0]}/{k[1]}" for k in idx.failed_over if idx.mappings.get(k[0]) and idx.mappings[k[0]].recovery_network == name]
            hint = (
                f"a connection advertises the whole address space of {name}; fail over "
                f"{vmn}/{sub_name} together with {', '.join(sorted(moved))}, or move its prefix to another network"
                if moved
                else f"remove {prefix} from the address space of {name}, or connect {name} only after failover"
            )
            yield error(
                "E501",
                f"{prefix} ({vmn}/{sub_name}) is still on-prem, but {name} contains it and on-prem reaches {name} via {via}: "
                "the subnet would exist at both sites",
                idx.onprem_subnet_paths[(vmn, sub_name)] + ("prefix",),
                hint=hint,
            )


@rule("E502", "networks joined directly or through other networks have distinct address spaces")
def joined_spaces_overlap(ctx):
    # Azure: "you must make sure that none of your VNet ranges or local network ranges overlap
    # in any way." https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vnet-vnet-rm-ps
    # Checked with every connection up (the state after every failover), over Azure-side links:
    # two spokes of one hub conflict at the hub even if they are never joined directly.
    graph = adjacency(ctx.index, active_only=False)
    graph.pop(ONPREM, None)
    azure_side = {k: [e for e in v if e[0] != ONPREM] for k, v in graph.items()}
    reported = set()
    for a in sorted(azure_side):
        paths = reachable(azure_side, a)
        for b in sorted(paths):
            if b <= a or (a, b) in reported:
                continue
            clash = _space(ctx, a) & _space(ctx, b)
            if not clash:
                continue
            reported.add((a, b))
            via = " -> ".join(c.name for c in paths[b])
            conn = paths[b][-1]
            yield error(
                "E502",
                f"{a} and {b} are joined (via {via}) but their address spaces overlap in "
                f"{', '.join(map(str, clash.iter_cidrs()))}",
                _conn_path(ctx, conn) + ("networks",),
                hint="joined networks need distinct address spaces",
            )


# Azure, on the local network gateway's address ranges: "Make sure that the ranges you specify
# here don't overlap with ranges of other networks that you want to connect to."
# https://learn.microsoft.com/azure/vpn-gateway/tutorial-site-to-site-portal
@rule("E503", "the on-prem prefixes of the local network gateway do not overlap a network on-prem reaches", stateful=True)
def lng_overlaps_network(ctx):
    prefixes = IPSet(ctx.resolved.local_network_gateway.prefixes) if ctx.resolved.local_network_gateway else IPSet()
    if not prefixes:
        return
    reach = reachable(adjacency(ctx.index, transit_only=True), ONPREM)  # this state's connections
    # declared on-prem subnets still on-prem are E501's (it names the subnet); this rule is for the rest
    on_site = IPSet(p for key, p in ctx.index.onprem_prefix.items() if key not in ctx.index.failed_over)
    for name in sorted(n for n in reach if n != ONPREM):
        clash = (prefixes & _space(ctx, name)) - on_site
        if clash:
            conn = reach[name][-1]
            yield error(
                "E503",
                f"the on-prem prefixes routed over the VPN overlap {name} in {', '.join(map(str, clash.iter_cidrs()))} "
                f"(reached via {' -> '.join(c.name for c in reach[name])})",
                _conn_path(ctx, conn) + (("network",) if isinstance(conn, SiteToSite) else ("networks",)),
                hint="Azure cannot route a prefix that is both in Azure and on-prem: narrow onprem.address_space, "
                "or fail the subnet over",
            )


# Azure: "To enable transit routing across multiple VPN gateways, you must enable BGP on all
# intermediate connections between virtual networks."
# https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq#bgp
@rule("E504", "on-prem reaches networks behind vnet-to-vnet only with BGP (or peering with gateway transit)")
def transit_needs_bgp(ctx):
    idx = ctx.index
    graph = adjacency(idx, active_only=False)  # every connection: the state after every failover
    reach = reachable(graph, ONPREM)
    transit = {ONPREM}
    queue = deque([(ONPREM, True)])
    seen = {(ONPREM, True)}
    while queue:
        node, bgp_so_far = queue.popleft()
        for other, conn in graph.get(node, []):
            if isinstance(conn, SiteToSite):
                state = (other, connection_bgp(idx, conn))
                ok = True
            elif isinstance(conn, VnetToVnet):
                ok = node != ONPREM and bgp_so_far and connection_bgp(idx, conn)
                state = (other, True)
            else:  # peering: the spoke uses the hub's gateway
                ok = conn.gateway_transit and node == conn.networks[0]
                state = (other, bgp_so_far)
            if ok:
                transit.add(other)
                if state not in seen:
                    seen.add(state)
                    queue.append(state)
    for name in sorted(reach):
        path = reach[name]
        if name in transit or not any(isinstance(c, VnetToVnet) for c in path):
            continue
        without = [c.name for c in path if not isinstance(c, Peering) and not connection_bgp(idx, c)]
        names = " and ".join(without) or " and ".join(c.name for c in path if not isinstance(c, Peering))
        last = path[-1]
        yield error(
            "E504",
            f"on-prem cannot reach {name} over '{last.name}': transit through another network's gateway "
            f"needs BGP on every connection of the path; {names} has none",
            _conn_path(ctx, last),
            hint=_bgp_hint(idx, path),
        )


def _bgp_hint(idx, path) -> str:
    """Name exactly the ends that lack BGP."""
    missing = []
    if _device_lacks_bgp(idx) and any(isinstance(c, SiteToSite) for c in path):
        missing.append("onprem.vpn_device.bgp")
    for conn in path:
        for name in connection_networks(conn):
            net = idx.networks.get(name)
            if net is not None and net.gateway is not None and net.gateway.bgp_asn is None:
                label = f"gateway.bgp_asn of {name}"
                if label not in missing:
                    missing.append(label)
    return ("set " + ", ".join(missing) if missing else "enable BGP on both ends") + " (distinct ASNs per gateway)"


def _device_lacks_bgp(idx) -> bool:
    device = idx.plan.onprem.vpn_device
    return device is None or device.bgp is None


@rule("E505", "gateways and devices joined with BGP have distinct ASNs")
def duplicate_asn(ctx):
    idx = ctx.index
    device = ctx.plan.onprem.vpn_device
    for conn in ctx.plan.connections:
        if isinstance(conn, Peering) or not connection_bgp(idx, conn):
            continue
        ends = []
        for name in connection_networks(conn):
            ends.append((name, idx.networks[name].gateway.bgp_asn))
        if isinstance(conn, SiteToSite):
            ends.append(("the on-prem VPN device", device.bgp.asn))
        if len({asn for _, asn in ends}) < len(ends):
            who = " and ".join(f"{n} ({asn})" for n, asn in ends)
            yield error("E505", f"connection '{conn.name}' joins {who} with the same BGP ASN", _conn_path(ctx, conn),
                        hint="give each gateway its own private ASN, e.g. 65515 and 65516")


@rule("E506", "a test network is connected to nothing")
def test_network_isolated(ctx):
    for conn in ctx.plan.connections:
        for name in connection_networks(conn):
            if name in ctx.index.test_networks:
                yield error(
                    "E506",
                    f"connection '{conn.name}' joins the test network {name}: a drill could reach production or on-prem",
                    _conn_path(ctx, conn),
                    hint="test failovers need an isolated network: remove the connection or use another network",
                )


@rule(("E507", "E508", "E509"), "VPN connections have their gateways and the on-prem device", stateful=True)
def connection_endpoints(ctx):
    idx = ctx.index
    for conn in ctx.plan.connections:
        path = _conn_path(ctx, conn)
        if isinstance(conn, SiteToSite) and ctx.plan.onprem.vpn_device is None:
            yield error("E508", f"site-to-site '{conn.name}' needs onprem.vpn_device", path,
                        hint="add onprem.vpn_device.public_ip")
        if isinstance(conn, Peering):
            continue
        active = next((c.active for c in ctx.resolved.connections if c.name == conn.name), False)
        for name in connection_networks(conn):
            net = idx.networks.get(name)
            if net is None:
                continue
            if net.gateway is None:
                yield error("E507", f"{conn.type} '{conn.name}' needs a VPN gateway in {name}", path,
                            hint=f"add `gateway: {{subnet_prefix: ..., sku: VpnGw1AZ}}` to {name}")
            elif active and not next(n.gateway.active for n in ctx.resolved.networks if n.name == name):
                yield error("E509", f"'{conn.name}' exists now, but the gateway of {name} only exists after failover", path,
                            hint=f"set `when: after-failover` on '{conn.name}', or pre-provision the gateway")


# A local network gateway without BGP routes only the prefixes it lists: with none, nothing
# reaches on-prem (and Azure requires address prefixes unless BGP is configured).
@rule("E510", "a local network gateway in use has prefixes, or BGP", stateful=True)
def empty_local_gateway(ctx):
    lng = ctx.resolved.local_network_gateway
    if lng is None or lng.prefixes or lng.bgp_asn is not None:
        return
    for i, conn in enumerate(ctx.resolved.connections):
        if conn.type == "site-to-site" and conn.active:
            yield error("E510", f"'{conn.name}': every on-prem prefix has failed over, the local network gateway has none left",
                        ("connections", i), hint="remove the connection in this state (when: ...) or configure BGP")
            return


@rule("W511", "a failed-over subnet is reachable from on-prem", stateful=True)
def failed_over_unreachable(ctx):
    if not any(c.type == "site-to-site" for c in ctx.resolved.connections):
        return  # no VPN in the plan: nobody expects on-prem to reach Azure
    for sub in ctx.resolved.onprem_subnets:
        if not sub.failed_over or sub.failover != "retain" or sub.recovery_network is None:
            continue
        net = ctx.resolved.network(sub.recovery_network)
        if net is not None and not net.reachable_from_onprem:
            i = ctx.index.failed_over[(sub.vm_network, sub.name)]
            yield warning(
                "W511",
                f"{sub.key} has failed over to {net.name}, which on-prem cannot reach in this state",
                ("failed_over", i),
                hint=f"connect {net.name} (a site-to-site, a VNet-to-VNet with BGP, or peering with gateway transit)",
            )


@rule(("E512", "W513"), "the on-prem BGP peer address stays on-prem, inside the on-prem address space", stateful=True)
def bgp_peer_address(ctx):
    device = ctx.plan.onprem.vpn_device
    peer = parse_ip(device.bgp.peering_address) if device is not None and device.bgp is not None else None
    if peer is None:
        return
    path = ("onprem", "vpn_device", "bgp", "peering_address")
    if not any(peer in p for p in ctx.index.onprem_space):
        yield warning("W513", f"BGP peer {peer} is outside onprem.address_space", path,
                      hint="without BGP on the connection Azure would not route to it; add its prefix (a /32 is enough)")
    for key in ctx.index.failed_over:
        prefix = ctx.index.onprem_prefix.get(key)
        if ctx.index.onprem_subnets[key].failover == "retain" and prefix is not None and peer in prefix:
            yield error("E512", f"BGP peer {peer} is in {key[0]}/{key[1]}, which has failed over: the gateway withdraws it",
                        path, hint="the VPN device's BGP address must stay on-prem: use an address outside the subnets that fail over")


RULES = [
    stretched_subnet,
    joined_spaces_overlap,
    lng_overlaps_network,
    transit_needs_bgp,
    duplicate_asn,
    test_network_isolated,
    connection_endpoints,
    empty_local_gateway,
    failed_over_unreachable,
    bgp_peer_address,
]
