"""Resolve a validated plan into the resolved plan (predictions, state, names)."""

from __future__ import annotations

from netaddr import IPAddress, IPNetwork

from . import naming
from .index import Index, parse_ip, target_subnet
from .special_subnets import special_service
from .model import Peering, SiteToSite
from .resolved import (
    ConnectionLeg,
    ConnectionPlan,
    Endpoint,
    GatewayPlan,
    LocalGatewayPlan,
    MappingPlan,
    NetworkPlan,
    NicPlan,
    OnpremSubnetPlan,
    ResolvedPlan,
    RoutePlan,
    RouteTablePlan,
    SubnetPlan,
)
from .topology import (
    ONPREM,
    adjacency,
    appliance_location,
    connection_active,
    connection_bgp,
    connection_networks,
    failed_over_networks,
    needed_connections,
    gateway_active,
    local_gateway_prefixes,
    reachable,
    reaches_appliance,
)


def offset_address(source_ip, source_prefix, target_prefix):
    """The address at the same host offset in the target subnet, or None if it does not fit."""
    if source_ip is None or source_prefix is None or target_prefix is None:
        return None
    offset = int(source_ip) - int(source_prefix.first)
    if offset < 0 or offset >= target_prefix.size:
        return None
    return IPAddress(int(target_prefix.first) + offset)


def _landing(idx: Index, net_name: str | None, subnet_name: str):
    """Where a subnet's NICs land in a network: (network, subnet, prefix, rule), or None."""
    net = idx.networks.get(net_name) if net_name else None
    if net is None:
        return None
    target, rule = target_subnet(net, subnet_name)
    if target is None:
        return None
    prefix = idx.subnet_prefix.get((net.name, target.name))
    return net.name, target.name, prefix, (str(prefix) if prefix is not None else target.prefix), rule


def _recovery_ip(source_ip, source_prefix, recovery_ip, retain, landing):
    if retain:
        return (str(source_ip) if source_ip is not None else None), "retained"
    if recovery_ip:
        return recovery_ip, "recovery_ip"
    found = offset_address(source_ip, source_prefix, landing[2])
    return (str(found) if found is not None else None), "same-offset"


def _test_ip(source_ip, source_prefix, retain, landing, recovery):
    """The drill keeps the recovery IP where the drill subnet has the same prefix,
    the source IP for a retain subnet that fits, else the same host offset."""
    target_prefix = landing[2]
    if recovery is not None and recovery.ip and target_prefix is not None and recovery.prefix == landing[3]:
        return recovery.ip
    if retain and source_ip is not None and target_prefix is not None and source_ip in target_prefix:
        return str(source_ip)
    found = offset_address(source_ip, source_prefix, target_prefix)
    return str(found) if found is not None else None


# An AZ gateway SKU needs a Standard public IP with zones: Azure refuses the gateway otherwise
# (VmssVpnGatewayPublicIpsMustHaveZonesConfigured). All three zones make it zone-redundant;
# other SKUs take a public IP without zones.
# https://learn.microsoft.com/azure/vpn-gateway/about-zone-redundant-vnet-gateways
ZONE_REDUNDANT = ("1", "2", "3")


def gateway_public_ip_zones(sku: str) -> tuple[str, ...]:
    return ZONE_REDUNDANT if sku.endswith("AZ") else ()


def resolve_nics(idx: Index, predicted: list[NicPlan] | None = None) -> list[NicPlan]:
    """Every NIC's landing. A VM fails over whole: once one of its subnets has failed
    over, all of its NICs are in Azure (`failed_over` is the VM's state).

    The landings do not depend on the failover state: `predicted` (this plan's
    `predict_nics`, from any state) saves recomputing them when a plan is resolved
    in many states (the readiness matrix)."""
    nics = predict_nics(idx) if predicted is None else predicted
    failed = idx.failed_over
    if not failed:
        return nics
    if not isinstance(nics, PredictedNics):
        nics = PredictedNics(nics)
    moved = set().union(*(nics.vms_in(key) for key in failed))  # VM positions: names may repeat
    return [n._replace(failed_over=True) if n.path[1] in moved else n for n in nics]


class PredictedNics(list):
    """NIC landings (a list of NicPlan) with, per on-prem subnet, the positions of the VMs
    that have a NIC there (built once, on first use)."""

    _by_subnet: dict | None = None

    def vms_in(self, key: tuple[str, str]) -> set[int]:
        if self._by_subnet is None:
            by_subnet: dict[tuple[str, str], set[int]] = {}
            for n in self:
                by_subnet.setdefault((n.vm_network, n.subnet), set()).add(n.path[1])
            self._by_subnet = by_subnet
        return self._by_subnet.get(key, set())


def predict_nics(idx: Index) -> PredictedNics:
    """Every NIC's recovery and test landing, in the state where nothing has failed over."""
    landings: dict[tuple[str, str], tuple] = {}
    nics = []
    for i, vm in enumerate(idx.plan.vms):
        seen_in_network: dict[str, int] = {}
        for j, nic in enumerate(vm.nics):
            ordinal = seen_in_network.get(nic.vm_network.lower(), 0)
            seen_in_network[nic.vm_network.lower()] = ordinal + 1
            key = (nic.vm_network, nic.subnet)
            sub = idx.onprem_subnets.get(key)
            mapping = idx.mappings.get(nic.vm_network)
            recovery = test = None
            rule = test_rule = ip_rule = None
            if sub is not None and mapping is not None:
                if key not in landings:
                    landings[key] = (
                        _landing(idx, mapping.recovery_network, sub.name),
                        _landing(idx, mapping.test_network, sub.name),
                    )
                to_recovery, to_test = landings[key]
                source_ip = parse_ip(nic.ip)
                source_prefix = idx.onprem_prefix.get(key)
                retain = sub.failover == "retain"
                if to_recovery is not None:
                    ip, ip_rule = _recovery_ip(source_ip, source_prefix, nic.recovery_ip, retain, to_recovery)
                    recovery = Endpoint(to_recovery[0], to_recovery[1], to_recovery[3], ip)
                    rule = to_recovery[4]
                if to_test is not None:
                    test_ip = _test_ip(source_ip, source_prefix, retain, to_test, recovery)
                    test = Endpoint(to_test[0], to_test[1], to_test[3], test_ip)
                    test_rule = to_test[4]
            nics.append(
                NicPlan(
                    vm=vm.name,
                    nic=j,
                    vm_network=nic.vm_network,
                    subnet=nic.subnet,
                    ip=nic.ip,
                    failover=sub.failover if sub is not None else "retain",
                    failed_over=False,
                    recovery=recovery,
                    test=test,
                    subnet_rule=rule,
                    test_subnet_rule=test_rule,
                    ip_rule=ip_rule,
                    dns_zone=sub.dns_zone if sub is not None else None,
                    path=("vms", i, "nics", j),
                    ordinal=ordinal,
                )
            )
    return PredictedNics(nics)


def _roles(idx: Index, name: str) -> tuple[str, ...]:
    roles = []
    if any(isinstance(c, SiteToSite) and c.network == name for c in idx.plan.connections):
        roles.append("production")
    if name in idx.recovery_networks:
        roles.append("recovery")
    if name in idx.test_networks:
        roles.append("test")
    return tuple(roles)


def _legs(plan_name: str, conn, transit: bool) -> tuple[ConnectionLeg, ...]:
    """`transit`: gateway transit is on now (the hub's gateway exists in this state; a
    spoke leg that uses remote gateways before the gateway exists fails with
    RemoteVnetHasNoGateways)."""
    nets = connection_networks(conn)
    if isinstance(conn, SiteToSite):
        return (ConnectionLeg(naming.vpn_connection(plan_name, conn.name), nets[0], None),)
    make = naming.peering if isinstance(conn, Peering) else naming.vpn_connection
    hub, spoke = nets[0], nets[1]  # peering networks: [hub, spoke]
    return (
        ConnectionLeg(make(plan_name, conn.name, hub), hub, spoke, offers_gateway=transit),
        ConnectionLeg(make(plan_name, conn.name, spoke), spoke, hub, remote_gateway=hub if transit else None),
    )


def _route_tables(idx: Index, lng_prefixes: list[str], graph, onprem_reach) -> list[RouteTablePlan]:
    plan = idx.plan
    next_ip = plan.routing.next_hop_ip if plan.routing else None
    hop_type = "VirtualAppliance" if next_ip else "VirtualNetworkGateway"
    moved = []
    for key in sorted(idx.failed_over):
        sub = idx.onprem_subnets[key]
        mapping = idx.mappings.get(key[0])
        prefix = idx.onprem_prefix.get(key)
        if sub.failover == "retain" and mapping is not None and prefix is not None:
            moved.append((key, str(prefix), mapping.recovery_network))
    appliance = appliance_location(idx) if next_ip else None
    tables = []
    for name in sorted(idx.networks):
        net = idx.networks[name]
        if net.existing or name in idx.test_networks or not net.subnets:
            continue
        routes = []
        subnets = _route_subnets(idx, net, appliance)
        if not subnets:
            continue  # nothing to associate a route table with (special-purpose or appliance subnets only)
        if next_ip and (appliance is None or not reaches_appliance(graph, name, appliance[0])):
            # a next hop this network cannot reach would blackhole the traffic (W614 says so)
            tables.append(RouteTablePlan(naming.route_table(plan.name, name), name, subnets, ()))
            continue
        if name in onprem_reach:
            for prefix in lng_prefixes:
                routes.append(RoutePlan(naming.route("onprem", prefix), prefix, hop_type, next_ip, "onprem"))
        peers = reachable(graph, name)
        for key, prefix, landed_in in moved:
            # over peerings alone the system routes already lead there; a UDR would hairpin
            # the traffic through the VPN gateway
            crosses_vpn = any(not isinstance(c, Peering) for c in peers.get(landed_in, []))
            if landed_in != name and landed_in in peers and (crosses_vpn or next_ip):
                label = f"{key[0]}-{key[1]}"
                routes.append(RoutePlan(naming.route("failedover", label), prefix, hop_type, next_ip, "failed-over"))
        routes.sort(key=lambda r: (r.reason, IPNetwork(r.prefix)))
        tables.append(RouteTablePlan(naming.route_table(plan.name, name), name, subnets, tuple(routes)))
    return tables


def _route_subnets(idx: Index, net, appliance) -> tuple[str, ...]:
    """The subnets a network's route table is associated with. Not the appliance's own subnet
    (routing it through the appliance would loop), nor Azure's special-purpose subnets, which
    take no route table of drnet's (planner/special_subnets.py)."""
    return tuple(sorted(s.name for s in net.subnets
                        if special_service(s.name) is None and (net.name, s.name) != appliance))


def resolve(idx: Index, predicted_nics: list[NicPlan] | None = None) -> ResolvedPlan:
    """`predicted_nics`: `predict_nics` of the same plan in any state (see `resolve_nics`)."""
    plan = idx.plan
    moved_to = failed_over_networks(idx)
    needed = needed_connections(idx, moved_to)
    graph = adjacency(idx)
    onprem_reach = reachable(adjacency(idx, transit_only=True), ONPREM)
    lng_prefixes = local_gateway_prefixes(idx)

    networks = []
    for name, net in idx.networks.items():
        gateway = None
        if net.gateway is not None:
            gw = net.gateway
            gateway = GatewayPlan(
                name=naming.gateway(plan.name, name),
                public_ip_name=naming.gateway_public_ip(plan.name, name),
                subnet_prefix=gw.subnet_prefix,
                sku=gw.sku,
                bgp_asn=gw.bgp_asn,
                when=gw.when,
                active=gateway_active(idx, name, moved_to),
                public_ip_zones=gateway_public_ip_zones(gw.sku),
            )
        networks.append(
            NetworkPlan(
                name=name,
                existing=net.existing,
                resource_group=net.resource_group or plan.azure.resource_group,
                address_space=tuple(net.address_space),
                subnets=tuple(SubnetPlan(s.name, s.prefix) for s in net.subnets),
                gateway=gateway,
                roles=_roles(idx, name),
                reachable_from_onprem=name in onprem_reach,
            )
        )

    connections = []
    seen_conn = set()
    for conn in plan.connections:
        if conn.name in seen_conn:
            continue
        seen_conn.add(conn.name)
        is_s2s = isinstance(conn, SiteToSite)
        transit = getattr(conn, "gateway_transit", False) and gateway_active(idx, connection_networks(conn)[0], moved_to)
        connections.append(
            ConnectionPlan(
                name=conn.name,
                type=conn.type,
                networks=connection_networks(conn),
                when=conn.when,
                active=connection_active(conn, needed),
                bgp=connection_bgp(idx, conn),
                gateway_transit=getattr(conn, "gateway_transit", False),
                legs=_legs(plan.name, conn, transit),
                shared_key_variable=None if isinstance(conn, Peering) else naming.shared_key_variable(conn.name),
                local_network_gateway_prefixes=tuple(lng_prefixes) if is_s2s else None,
            )
        )

    device = plan.onprem.vpn_device
    lng = None
    if device is not None and any(c.type == "site-to-site" for c in connections):
        lng = LocalGatewayPlan(
            name=naming.local_gateway(plan.name),
            public_ip=device.public_ip,
            prefixes=tuple(lng_prefixes),
            bgp_asn=device.bgp.asn if device.bgp else None,
            bgp_peering_address=device.bgp.peering_address if device.bgp else None,
        )

    onprem_subnets = []
    for (vmn, sub_name), sub in idx.onprem_subnets.items():
        mapping = idx.mappings.get(vmn)
        onprem_subnets.append(
            OnpremSubnetPlan(
                vm_network=vmn,
                name=sub_name,
                prefix=sub.prefix,
                failover=sub.failover,
                failed_over=(vmn, sub_name) in idx.failed_over,
                recovery_network=mapping.recovery_network if mapping else None,
                dns_zone=sub.dns_zone,
            )
        )

    mappings = [
        MappingPlan(naming.network_mapping(plan.name, m.vm_network), m.vm_network, m.recovery_network, m.test_network)
        for m in idx.mappings.values()
    ]

    return ResolvedPlan(
        name=plan.name,
        location=plan.azure.location,
        resource_group=plan.azure.resource_group,
        vault_name=plan.azure.recovery_vault.name,
        vault_resource_group=plan.azure.recovery_vault.resource_group,
        vmm_server=plan.onprem.vmm_server,
        onprem_address_space=tuple(plan.onprem.address_space),
        failed_over=tuple(f"{k[0]}/{k[1]}" for k in sorted(idx.failed_over)),
        onprem_subnets=tuple(onprem_subnets),
        networks=tuple(networks),
        connections=tuple(connections),
        local_network_gateway=lng,
        route_tables=tuple(_route_tables(idx, lng_prefixes, graph, onprem_reach)),
        mappings=tuple(mappings),
        nics=tuple(resolve_nics(idx, predicted_nics)),
        next_hop_ip=plan.routing.next_hop_ip if plan.routing else None,
        state_backend=plan.terraform.backend,
    )
