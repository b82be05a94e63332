"""What a brownfield plan says exists in Azure, as records of the fake ARM world.

For every part the resolved plan references or adopts (`resolved.existing`): the existing
VPN gateway and its GatewaySubnet, an existing peering or NSG, and the adopted local network
gateway and VPN connections, shaped as Azure holds them before drnet's first apply (the local
network gateway with the prefixes the plan states, else the on-prem address space; each
connection on the existing gateway and that local network gateway). Ids come from the same
ARM paths drnet imports, under the fake subscription.
"""

from __future__ import annotations

from tests.terraform.harness import FAKE_SHARED_KEY
from tests.terraform.standins import world as w


def arm(part_path: str) -> str:
    return f"/subscriptions/{w.SUBSCRIPTION}/{part_path}"


def existing_records(resolved) -> dict[str, dict]:
    """{lower-case ARM id: record} for every referenced and adopted part."""
    records: dict[str, dict] = {}

    def put(rid: str, type_name: str, attributes: dict) -> None:
        records[rid.lower()] = {"id": rid, "type": type_name, "attributes": {"id": rid, **attributes}}

    by_kind = {(p.terraform_type, p.owner): p for p in resolved.existing}
    gateway_ids: dict[str, str] = {}
    for net in resolved.networks:
        gw = net.gateway
        part = by_kind.get(("azurerm_virtual_network_gateway", net.name))
        if gw is None or part is None:
            continue
        subnet = by_kind[("azurerm_subnet", net.name)]
        subnet_id = arm(subnet.arm_path)
        put(subnet_id, "azurerm_subnet", {"name": "GatewaySubnet", "resource_group_name": net.resource_group,
                                          "virtual_network_name": net.name, "address_prefixes": [gw.subnet_prefix]})
        gateway_ids[net.name] = arm(part.arm_path)
        put(gateway_ids[net.name], "azurerm_virtual_network_gateway", {
            "name": gw.name, "resource_group_name": gw.resource_group, "location": resolved.location,
            "type": "Vpn", "vpn_type": "RouteBased", "sku": gw.sku, "active_active": False, "generation": "Generation1",
            "enable_bgp": gw.bgp_asn is not None, "private_ip_address_enabled": False, "tags": {},
            "bgp_settings": [{"asn": gw.bgp_asn or 65515, "peer_weight": 0}] if gw.bgp_asn else [],
            "ip_configuration": [{"name": "vnetGatewayConfig", "subnet_id": subnet_id,
                                  "private_ip_address_allocation": "Dynamic",
                                  "public_ip_address_id": arm(f"resourceGroups/{gw.resource_group}/providers/"
                                                              f"Microsoft.Network/publicIPAddresses/{gw.name}-pip")}],
        })
    lng = resolved.local_network_gateway
    lng_id = None
    if lng is not None and lng.mode == "adopted":
        part = by_kind[("azurerm_local_network_gateway", "onprem")]
        lng_id = arm(part.arm_path)
        put(lng_id, "azurerm_local_network_gateway", {
            "name": lng.name, "resource_group_name": lng.resource_group, "location": resolved.location,
            "gateway_address": lng.public_ip, "gateway_fqdn": None, "tags": {},
            "address_space": list(lng.current_prefixes or resolved.onprem_address_space),
            "bgp_settings": ([{"asn": lng.bgp_asn, "bgp_peering_address": lng.bgp_peering_address, "peer_weight": 0}]
                             if lng.bgp_asn else []),
        })
    for conn in resolved.connections:
        for leg in conn.legs:
            if leg.mode != "adopted":
                continue
            cid = arm(f"resourceGroups/{leg.resource_group}/providers/Microsoft.Network/connections/{leg.name}")
            attrs = {"name": leg.name, "resource_group_name": leg.resource_group, "location": resolved.location,
                     "virtual_network_gateway_id": gateway_ids.get(leg.from_network), "enable_bgp": conn.bgp,
                     "shared_key": FAKE_SHARED_KEY, "connection_protocol": "IKEv2", "connection_mode": "Default",
                     "private_link_fast_path_enabled": False, "routing_weight": 0, "tags": {}}
            if conn.type == "site-to-site":
                attrs.update(type="IPsec", local_network_gateway_id=lng_id)
            else:
                attrs.update(type="Vnet2Vnet", peer_virtual_network_gateway_id=gateway_ids.get(leg.to_network))
            put(cid, "azurerm_virtual_network_gateway_connection", attrs)
    for nsg in resolved.nsgs:
        if nsg.mode == "referenced":
            rid = arm(f"resourceGroups/{nsg.resource_group}/providers/Microsoft.Network/networkSecurityGroups/{nsg.name}")
            put(rid, "azurerm_network_security_group", {"name": nsg.name, "resource_group_name": nsg.resource_group,
                                                         "location": resolved.location, "security_rule": [], "tags": {}})
    return records
