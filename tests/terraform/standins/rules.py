"""What the schemas do not carry: replacement (ForceNew), validators and provider-side defaults.

Read (never copied) from the providers' Go sources at the pinned tags:
- hashicorp/terraform-provider-azurerm v4.55.0: internal/services/network/*_resource.go,
  internal/services/recoveryservices/site_recovery_hyperv_network_mapping_resource.go, and
  go-azure-helpers' commonschema (`Location()`, `ResourceGroupName()` and
  `ZonesMultipleOptionalForceNew()` are ForceNew);
- Azure/terraform-provider-azapi v2.7.0: internal/services/azapi_resource_action_resource.go
  (RequiresReplace on type/resource_id/action; `method` one of POST/PATCH/PUT/DELETE/GET/HEAD,
  default POST; `when` apply/destroy, default apply; body must not be a string; type must be
  `<type>@<api-version>`), internal/retry/schema.go (retry defaults).

Only the resource types drnet emits (and the NSG types issue 8 adds) are covered; enum values
are the SDK constants' strings. Paths are attribute names, or `block.attribute` inside a block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NOT_EMPTY = "not_empty"

VPN_SKUS = [
    # PolicyBased, RouteBased generation 1 and 2, ExpressRoute (validation.Any of the four lists)
    "Basic", "Standard", "HighPerformance", "UltraPerformance",
    "VpnGw1", "VpnGw2", "VpnGw3", "VpnGw4", "VpnGw5",
    "VpnGw1AZ", "VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ",
    "ErGw1AZ", "ErGw2AZ", "ErGw3AZ",
]


@dataclass(frozen=True)
class Rules:
    force_new: frozenset = frozenset()
    one_of: dict = field(default_factory=dict)  # path -> allowed values (case-sensitive)
    ranges: dict = field(default_factory=dict)  # path -> (min, max)
    not_empty: frozenset = frozenset()
    defaults: dict = field(default_factory=dict)  # path -> value filled in the plan when null
    exactly_one_of: tuple = ()  # groups of top-level attributes
    checks: tuple = ()  # names of extra checks in validators.py


_LOCATED = {"name", "location", "resource_group_name"}  # commonschema: all three ForceNew

AZURERM: dict[str, Rules] = {
    "azurerm_resource_group": Rules(force_new=frozenset({"name", "location"}), not_empty=frozenset({"name"})),
    "azurerm_virtual_network": Rules(
        force_new=frozenset(_LOCATED | {"edge_zone"}),
        not_empty=frozenset({"name"}),
        ranges={"flow_timeout_in_minutes": (4, 30)},
        one_of={"encryption.enforcement": ["AllowUnencrypted", "DropUnencrypted"],
                "private_endpoint_vnet_policies": ["Basic", "Disabled"]},
        defaults={"private_endpoint_vnet_policies": "Disabled"},
        exactly_one_of=(("address_space", "ip_address_pool"),),
    ),
    "azurerm_subnet": Rules(
        force_new=frozenset({"name", "resource_group_name", "virtual_network_name"}),
        one_of={"private_endpoint_network_policies": ["Disabled", "Enabled", "NetworkSecurityGroupEnabled", "RouteTableEnabled"],
                "sharing_scope": ["Tenant"]},
        defaults={"default_outbound_access_enabled": True, "private_endpoint_network_policies": "Disabled",
                  "private_link_service_network_policies_enabled": True},
        exactly_one_of=(("address_prefixes", "ip_address_pool"),),
    ),
    "azurerm_public_ip": Rules(
        force_new=frozenset(_LOCATED | {"edge_zone", "ip_version", "sku", "sku_tier", "public_ip_prefix_id", "ip_tags", "zones"}),
        not_empty=frozenset({"name"}),
        one_of={"allocation_method": ["Static", "Dynamic"],
                "ddos_protection_mode": ["Disabled", "Enabled", "VirtualNetworkInherited"],
                "ip_version": ["IPv4", "IPv6"], "sku": ["Basic", "Standard"], "sku_tier": ["Global", "Regional"]},
        ranges={"idle_timeout_in_minutes": (4, 30)},
        defaults={"ddos_protection_mode": "VirtualNetworkInherited", "ip_version": "IPv4", "sku": "Standard",
                  "sku_tier": "Regional", "idle_timeout_in_minutes": 4},
    ),
    "azurerm_virtual_network_gateway": Rules(
        force_new=frozenset(_LOCATED | {"type", "vpn_type", "edge_zone", "private_ip_address_enabled", "generation", "ip_configuration"}),
        not_empty=frozenset({"name"}),
        one_of={"type": ["ExpressRoute", "Vpn"], "vpn_type": ["RouteBased", "PolicyBased"], "sku": VPN_SKUS,
                "generation": ["Generation1", "Generation2", "None"],
                "ip_configuration.private_ip_address_allocation": ["Static", "Dynamic"]},
        defaults={"vpn_type": "RouteBased", "ip_configuration.name": "vnetGatewayConfig",
                  "ip_configuration.private_ip_address_allocation": "Dynamic",
                  "bgp_route_translation_for_nat_enabled": False, "ip_sec_replay_protection_enabled": True,
                  "remote_vnet_traffic_enabled": False, "virtual_wan_traffic_enabled": False},
        checks=("gateway_subnet",),
    ),
    "azurerm_local_network_gateway": Rules(
        force_new=frozenset(_LOCATED),
        exactly_one_of=(("gateway_address", "gateway_fqdn"),),
    ),
    "azurerm_virtual_network_gateway_connection": Rules(
        force_new=frozenset(_LOCATED | {"type", "virtual_network_gateway_id", "dpd_timeout_seconds", "express_route_circuit_id",
                                        "peer_virtual_network_gateway_id", "local_azure_ip_address_enabled",
                                        "connection_protocol", "connection_mode"}),
        not_empty=frozenset({"name", "authorization_key"}),
        one_of={"type": ["ExpressRoute", "IPsec", "Vnet2Vnet"], "connection_protocol": ["IKEv1", "IKEv2"],
                "connection_mode": ["InitiatorOnly", "ResponderOnly", "Default"]},
        ranges={"routing_weight": (0, 32000)},
        defaults={"connection_mode": "Default", "private_link_fast_path_enabled": False},
    ),
    "azurerm_virtual_network_peering": Rules(
        force_new=frozenset({"name", "resource_group_name", "virtual_network_name", "remote_virtual_network_id",
                             "local_subnet_names", "peer_complete_virtual_networks_enabled"}),
        defaults={"allow_virtual_network_access": True, "allow_forwarded_traffic": False, "allow_gateway_transit": False,
                  "peer_complete_virtual_networks_enabled": True, "use_remote_gateways": False},
    ),
    "azurerm_route_table": Rules(
        force_new=frozenset(_LOCATED),
        defaults={"bgp_route_propagation_enabled": True},
    ),
    "azurerm_route": Rules(
        force_new=frozenset({"name", "resource_group_name", "route_table_name"}),
        not_empty=frozenset({"address_prefix", "next_hop_in_ip_address"}),
        one_of={"next_hop_type": ["VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance", "None"]},
    ),
    "azurerm_subnet_route_table_association": Rules(force_new=frozenset({"subnet_id", "route_table_id"})),
    "azurerm_site_recovery_hyperv_network_mapping": Rules(
        force_new=frozenset({"name", "recovery_vault_id", "source_system_center_virtual_machine_manager_name",
                             "source_network_name", "target_network_id"}),
        not_empty=frozenset({"name", "source_system_center_virtual_machine_manager_name", "source_network_name"}),
    ),
    "azurerm_network_security_group": Rules(
        force_new=frozenset(_LOCATED),
        one_of={"security_rule.protocol": ["*", "Tcp", "Udp", "Icmp", "Ah", "Esp"],
                "security_rule.access": ["Allow", "Deny"], "security_rule.direction": ["Inbound", "Outbound"]},
        ranges={"security_rule.priority": (100, 4096)},
    ),
    "azurerm_network_security_rule": Rules(
        force_new=frozenset({"name", "resource_group_name", "network_security_group_name"}),
        one_of={"protocol": ["*", "Tcp", "Udp", "Icmp", "Ah", "Esp"], "access": ["Allow", "Deny"],
                "direction": ["Inbound", "Outbound"]},
        ranges={"priority": (100, 4096)},
        exactly_one_of=(("source_address_prefix", "source_address_prefixes", "source_application_security_group_ids"),
                        ("destination_address_prefix", "destination_address_prefixes",
                         "destination_application_security_group_ids")),
    ),
    "azurerm_subnet_network_security_group_association": Rules(force_new=frozenset({"subnet_id", "network_security_group_id"})),
}

AZAPI: dict[str, Rules] = {
    "azapi_resource_action": Rules(
        force_new=frozenset({"type", "resource_id", "action"}),
        one_of={"method": ["POST", "PATCH", "PUT", "DELETE", "GET", "HEAD"], "when": ["apply", "destroy"]},
        ranges={"retry.interval_seconds": (1, 120), "retry.max_interval_seconds": (1, 300)},
        defaults={"method": "POST", "when": "apply"},
        checks=("resource_type", "resource_id", "body_not_string"),
    ),
}

# Data sources share names with resources: their own (few) validators.
DATA_SOURCES: dict[str, Rules] = {
    "azapi_resource_list": Rules(checks=("resource_type", "parent_id")),
    "azapi_resource": Rules(checks=("resource_type",)),
}


def rules_for(type_name: str, *, data: bool = False) -> Rules:
    if data:
        return DATA_SOURCES.get(type_name) or Rules()
    return AZURERM.get(type_name) or AZAPI.get(type_name) or Rules()
