"""Brownfield: which parts of the plan exist in Azure already, and how drnet treats them.

- referenced: drnet only uses it (an existing network, its VPN gateway and GatewaySubnet, an
  existing peering, an NSG the plan names). A data source reads it; drnet never creates,
  changes or destroys it.
- adopted: drnet must change it at failover (the local network gateway whose prefixes move,
  a VPN connection). A Terraform `import` block brings it into drnet's state on the first
  apply, so adoption is a reviewed plan ("N to import, M to change"), never a manual
  `terraform import`.

The plan names each part by its Azure name (and resource group where it differs); this
module builds the names, resource groups and ARM ids once, for every output.
"""

from __future__ import annotations

from .model import AzureNetwork, Peering, SiteToSite
from .resolved import (
    ADOPTED,
    CREATED,
    REFERENCED,
    ConnectionPlan,
    ExistingPart,
    LocalGatewayPlan,
    NetworkPlan,
    NsgPlan,
    arm_path,
)

GATEWAY_SUBNET = "GatewaySubnet"


def network_resource_group(net: AzureNetwork, default: str) -> str:
    return net.resource_group or default


def gateway_ref(net: AzureNetwork, default_rg: str) -> tuple[str, str] | None:
    """(name, resource group) of the existing VPN gateway of `net`, or None."""
    ref = net.gateway.existing if net.gateway is not None else None
    if ref is None:
        return None
    return ref.name, ref.resource_group or network_resource_group(net, default_rg)


def connection_mode(conn) -> str:
    """Existing VPN connections are adopted (a failover may change them: BGP, the local
    network gateway they point at); existing peerings are only used."""
    if getattr(conn, "existing", None) is None:
        return CREATED
    return REFERENCED if isinstance(conn, Peering) else ADOPTED


def leg_refs(conn, leg_networks: list[str], default_rg) -> list[tuple[str | None, str]]:
    """(existing Azure name or None, resource group) of each leg of a connection, in the
    order of `leg_networks` (the network each leg starts from)."""
    existing = getattr(conn, "existing", None)
    if existing is None:
        return [(None, default_rg(net)) for net in leg_networks]
    refs = [existing] if isinstance(conn, SiteToSite) else list(existing)
    return [(ref.name, ref.resource_group or default_rg(net)) for ref, net in zip(refs, leg_networks)]


def existing_parts(
    networks: tuple[NetworkPlan, ...],
    connections: tuple[ConnectionPlan, ...],
    lng: LocalGatewayPlan | None,
    nsgs: tuple[NsgPlan, ...],
) -> tuple[ExistingPart, ...]:
    """Every referenced and adopted part, in a stable order (kind, resource group, name)."""
    parts = []
    for net in networks:
        if net.existing:
            parts.append(ExistingPart("virtual network", "azurerm_virtual_network", net.name, net.resource_group,
                                      REFERENCED, arm_path(net.resource_group, "virtualNetworks", net.name), net.name))
        gw = net.gateway
        if gw is not None and gw.mode == REFERENCED:
            parts.append(ExistingPart("VPN gateway", "azurerm_virtual_network_gateway", gw.name, gw.resource_group,
                                      REFERENCED, arm_path(gw.resource_group, "virtualNetworkGateways", gw.name), net.name))
            parts.append(ExistingPart("GatewaySubnet", "azurerm_subnet", GATEWAY_SUBNET, net.resource_group, REFERENCED,
                                      arm_path(net.resource_group, "subnets", GATEWAY_SUBNET, parent=net.name), net.name))
    if lng is not None and lng.mode == ADOPTED:
        parts.append(ExistingPart("local network gateway", "azurerm_local_network_gateway", lng.name, lng.resource_group,
                                  ADOPTED, arm_path(lng.resource_group, "localNetworkGateways", lng.name), "onprem"))
    for conn in connections:
        if conn.mode == CREATED:
            continue
        for leg in conn.legs:
            if conn.type == "peering":
                # there is no peering data source in azurerm: the peering is only named here
                parts.append(ExistingPart("peering", "azurerm_virtual_network_peering", leg.name, leg.resource_group,
                                          REFERENCED, arm_path(leg.resource_group, "virtualNetworkPeerings", leg.name,
                                                               parent=leg.from_network), conn.name))
            elif conn.active:
                parts.append(ExistingPart("VPN connection", "azurerm_virtual_network_gateway_connection", leg.name,
                                          leg.resource_group, ADOPTED,
                                          arm_path(leg.resource_group, "connections", leg.name), conn.name))
    for nsg in nsgs:
        if nsg.mode == REFERENCED:
            parts.append(ExistingPart("network security group", "azurerm_network_security_group", nsg.name,
                                      nsg.resource_group, REFERENCED,
                                      arm_path(nsg.resource_group, "networkSecurityGroups", nsg.name), nsg.network))
    parts.sort(key=lambda p: (p.mode, p.kind, p.resource_group.lower(), p.name.lower(), p.owner))
    return tuple(parts)
