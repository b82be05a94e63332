"""Which networks are joined, in the plan's current state, and how."""

from __future__ import annotations

from collections import deque

from netaddr import IPSet

from .index import Index, parse_ip
from .model import Peering, SiteToSite

ONPREM = "<onprem>"


def connection_networks(conn) -> tuple[str, ...]:
    return (conn.network,) if isinstance(conn, SiteToSite) else tuple(conn.networks)


def failed_over_networks(idx: Index) -> set[str]:
    """Recovery networks that hold at least one failed-over subnet."""
    out = set()
    for vmn, _sub in idx.failed_over:
        mapping = idx.mappings.get(vmn)
        if mapping is not None:
            out.add(mapping.recovery_network)
    return out


def connection_active(conn, needed: set[str]) -> bool:
    """`when: after-failover` connections exist once a subnet behind them failed over."""
    return conn.when == "always" or conn.name in needed


def needed_connections(idx: Index, moved_to: set[str]) -> set[str]:
    """Connections with a failed-over subnet behind them: those that join a network holding
    one, and those on the path from on-prem to such a network (e.g. the site-to-site to a
    hub whose spoke holds the failed-over subnet). A connection with `brought_up_by` is
    needed exactly when one of the subnets it names has failed over."""
    needed = {c.name for c in idx.plan.connections if any(n in moved_to for n in connection_networks(c))}
    if moved_to:
        paths = reachable(_graph(idx, lambda conn: True, transit_only=True), ONPREM)
        for network in moved_to:
            needed.update(conn.name for conn in paths.get(network, []))
    for name, keys in idx.brought_up_by.items():
        if keys & idx.failed_over.keys():
            needed.add(name)
        else:
            needed.discard(name)
    return needed


def gateway_active(idx: Index, network: str, moved_to: set[str]) -> bool:
    net = idx.networks.get(network)
    if net is None or net.gateway is None:
        return False
    return net.gateway.when == "always" or network in moved_to


def connection_bgp(idx: Index, conn) -> bool:
    """BGP runs on a VPN connection when both of its ends speak BGP."""
    if isinstance(conn, Peering):
        return False
    ends = []
    for name in connection_networks(conn):
        net = idx.networks.get(name)
        ends.append(net is not None and net.gateway is not None and net.gateway.bgp_asn is not None)
    if isinstance(conn, SiteToSite):
        device = idx.plan.onprem.vpn_device
        ends.append(device is not None and device.bgp is not None)
    return all(ends)


def _graph(idx: Index, keep, transit_only: bool) -> dict[str, list[tuple[str, object]]]:
    graph: dict[str, list[tuple[str, object]]] = {}
    for conn in idx.plan.connections:
        if not keep(conn):
            continue
        if transit_only and isinstance(conn, Peering) and not conn.gateway_transit:
            continue
        nets = connection_networks(conn)
        pair = (ONPREM, nets[0]) if isinstance(conn, SiteToSite) else (nets[0], nets[1])
        graph.setdefault(pair[0], []).append((pair[1], conn))
        graph.setdefault(pair[1], []).append((pair[0], conn))
    return graph


def adjacency(idx: Index, active_only: bool = True, transit_only: bool = False) -> dict[str, list[tuple[str, object]]]:
    """Networks joined by connections (in the current state unless `active_only` is off).

    `transit_only` leaves out peerings without gateway transit: on-prem routes cross a
    peering only through the hub's gateway, so those peerings join two VNets but do not
    carry on-prem traffic."""
    needed = needed_connections(idx, failed_over_networks(idx)) if active_only else set()
    return _graph(idx, (lambda conn: connection_active(conn, needed)) if active_only else (lambda conn: True), transit_only)


def reachable(graph, start: str) -> dict[str, list]:
    """Every node reachable from `start`, with the connections of one shortest path."""
    seen = {start: []}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for other, conn in sorted(graph.get(node, []), key=lambda e: (e[0], e[1].name)):
            if other not in seen:
                seen[other] = seen[node] + [conn]
                queue.append(other)
    return seen


def local_gateway_prefixes(idx: Index) -> list[str]:
    """On-prem address space minus the subnets that moved to Azure, as minimal CIDRs."""
    space = IPSet(idx.onprem_space)
    for key in idx.failed_over:
        sub = idx.onprem_subnets[key]
        prefix = idx.onprem_prefix.get(key)
        if sub.failover == "retain" and prefix is not None:
            space.remove(prefix)
    return [str(c) for c in space.iter_cidrs()]


def appliance_location(idx: Index) -> tuple[str, str] | None:
    """(network, subnet) of `routing.next_hop_ip`: the first non-test Azure subnet holding it."""
    routing = idx.plan.routing
    ip = parse_ip(routing.next_hop_ip) if routing and routing.next_hop_ip else None
    if ip is None:
        return None
    for (net, sub), prefix in idx.subnet_prefix.items():
        if net not in idx.test_networks and ip in prefix:
            return net, sub
    return None


# A user route's VirtualAppliance next hop is a private address the subnet can reach directly:
# one in the route table's own virtual network or in a peered one; an address behind a VPN
# gateway is no next hop (https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#user-defined).
def reaches_appliance(graph, network: str, appliance_network: str) -> bool:
    """Whether `network` can route to the appliance in `appliance_network` (graph: this state's connections)."""
    if network == appliance_network:
        return True
    return any(other == appliance_network and isinstance(conn, Peering) for other, conn in graph.get(network, []))
