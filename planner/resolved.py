"""The resolved plan: plain frozen data that every output reads.

Stacks, reports, diffs and runbooks read only this. Every decision drnet makes
(target subnets, IPs, which connections exist, gateway prefixes, routes, Azure
names) is made once, in `resolve.py`, and recorded here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple


class Endpoint(NamedTuple):
    """Where a NIC lands. NamedTuples (immutable, cheap) for the per-NIC records:
    a 50,000-VM plan creates 150,000 of them."""

    network: str
    subnet: str
    prefix: str
    ip: str | None


class NicPlan(NamedTuple):
    vm: str
    nic: int  # position of the NIC inside its VM (the VM's own order, kept by ASR)
    vm_network: str
    subnet: str
    ip: str
    failover: str  # retain | change
    failed_over: bool
    recovery: Endpoint | None
    test: Endpoint | None
    subnet_rule: str | None  # same-name | first-subnet
    test_subnet_rule: str | None
    ip_rule: str | None  # retained | recovery_ip | same-offset
    dns_zone: str | None
    path: tuple = ()
    # position among the VM's NICs in the same VM network (case-insensitive): drnet matches
    # the NICs ASR reports by their VM network (`vMNetworkName`), then by this order
    ordinal: int = 0

    def to_json(self) -> dict:
        return {
            "vm": self.vm,
            "nic": self.nic,
            "source": {"vm_network": self.vm_network, "subnet": self.subnet, "ip": self.ip},
            "recovery": _endpoint(self.recovery),
            "test": _endpoint(self.test),
            "subnet_rule": self.subnet_rule,
            "test_subnet_rule": self.test_subnet_rule,
            "ip_rule": self.ip_rule,
            "failover": self.failover,
            "failed_over": self.failed_over,
            "dns_zone": self.dns_zone,
        }


def _endpoint(ep: Endpoint | None):
    if ep is None:
        return None
    return {"network": ep.network, "subnet": ep.subnet, "prefix": ep.prefix, "ip": ep.ip}


@dataclass(frozen=True)
class OnpremSubnetPlan:
    vm_network: str
    name: str
    prefix: str
    failover: str
    failed_over: bool
    recovery_network: str | None
    dns_zone: str | None

    @property
    def key(self) -> str:
        return f"{self.vm_network}/{self.name}"


@dataclass(frozen=True)
class SubnetPlan:
    name: str
    prefix: str


@dataclass(frozen=True)
class GatewayPlan:
    name: str  # Azure name of the virtual network gateway
    public_ip_name: str
    subnet_prefix: str
    sku: str
    bgp_asn: int | None
    when: str  # always | after-failover
    active: bool  # exists in the plan's current state
    public_ip_zones: tuple[str, ...] = ()  # zone-redundant public IP for *AZ SKUs, else none


@dataclass(frozen=True)
class NetworkPlan:
    name: str
    existing: bool
    resource_group: str
    address_space: tuple[str, ...]
    subnets: tuple[SubnetPlan, ...]
    gateway: GatewayPlan | None
    roles: tuple[str, ...]  # production | recovery | test (production = joined to on-prem by s2s)
    reachable_from_onprem: bool


@dataclass(frozen=True)
class ConnectionLeg:
    """One Azure resource of a connection (vnet-to-vnet and peering have two)."""

    name: str  # Azure name
    from_network: str
    to_network: str | None  # None for site-to-site (the far end is the local network gateway)
    # gateway transit, in the current state: the hub leg offers its network's gateway, the
    # spoke leg uses the gateway of `remote_gateway` (and must wait until it exists)
    offers_gateway: bool = False
    remote_gateway: str | None = None


@dataclass(frozen=True)
class ConnectionPlan:
    name: str
    type: str  # site-to-site | vnet-to-vnet | peering
    networks: tuple[str, ...]
    when: str
    active: bool
    bgp: bool
    gateway_transit: bool
    legs: tuple[ConnectionLeg, ...]
    shared_key_variable: str | None  # Terraform variable name; VPN connections only
    local_network_gateway_prefixes: tuple[str, ...] | None  # site-to-site only

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "networks": list(self.networks),
            "when": self.when,
            "active": self.active,
            "bgp": self.bgp,
            "gateway_transit": self.gateway_transit,
            "local_network_gateway_prefixes": (
                list(self.local_network_gateway_prefixes)
                if self.local_network_gateway_prefixes is not None
                else None
            ),
            "legs": [asdict(leg) for leg in self.legs],
            "shared_key_variable": self.shared_key_variable,
        }


@dataclass(frozen=True)
class LocalGatewayPlan:
    name: str
    public_ip: str
    prefixes: tuple[str, ...]
    bgp_asn: int | None
    bgp_peering_address: str | None


@dataclass(frozen=True)
class RoutePlan:
    name: str
    prefix: str
    next_hop_type: str  # VirtualNetworkGateway | VirtualAppliance
    next_hop_ip: str | None
    reason: str  # onprem | failed-over


@dataclass(frozen=True)
class RouteTablePlan:
    name: str
    network: str
    subnets: tuple[str, ...]
    routes: tuple[RoutePlan, ...]


@dataclass(frozen=True)
class MappingPlan:
    name: str
    vm_network: str
    recovery_network: str
    test_network: str | None


@dataclass(frozen=True)
class ResolvedPlan:
    name: str
    location: str
    resource_group: str
    vault_name: str
    vault_resource_group: str
    vmm_server: str
    onprem_address_space: tuple[str, ...]
    failed_over: tuple[str, ...]  # "VmNetwork/Subnet" keys
    onprem_subnets: tuple[OnpremSubnetPlan, ...]
    networks: tuple[NetworkPlan, ...]
    connections: tuple[ConnectionPlan, ...]
    local_network_gateway: LocalGatewayPlan | None
    route_tables: tuple[RouteTablePlan, ...]
    mappings: tuple[MappingPlan, ...]
    nics: tuple[NicPlan, ...]
    next_hop_ip: str | None = None
    state_backend: str = "local"  # local | azurerm (partial: completed by terraform init -backend-config)

    def network(self, name: str) -> NetworkPlan | None:
        for net in self.networks:
            if net.name == name:
                return net
        return None

    def to_json(self) -> dict:
        """The full resolved plan (golden files, `drnet plan --format json`)."""
        return {
            "name": self.name,
            "location": self.location,
            "resource_group": self.resource_group,
            "recovery_vault": {"name": self.vault_name, "resource_group": self.vault_resource_group},
            "vmm_server": self.vmm_server,
            "onprem_address_space": list(self.onprem_address_space),
            "failed_over": list(self.failed_over),
            "onprem_subnets": [asdict(s) for s in self.onprem_subnets],
            "networks": [asdict(n) for n in self.networks],
            "connections": [c.to_json() for c in self.connections],
            "local_network_gateway": asdict(self.local_network_gateway) if self.local_network_gateway else None,
            "route_tables": [asdict(t) for t in self.route_tables],
            "mappings": [asdict(m) for m in self.mappings],
            "next_hop_ip": self.next_hop_ip,
            "state_backend": self.state_backend,
            "nics": [n.to_json() for n in self.nics],
        }
