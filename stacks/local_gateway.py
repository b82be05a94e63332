"""The local network gateway: the on-prem VPN device and the prefixes behind it."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.local_network_gateway import LocalNetworkGateway, LocalNetworkGatewayBgpSettings
from constructs import Construct

from .existing import import_if_adopted
from .ids import prefixes, tf_id


class LocalGateway(Construct):
    """`address_space` is the planner's prefixes for the current state: the on-prem
    address space minus the subnets that failed over (Azure has no stretched subnets)."""

    def __init__(self, scope: Construct, construct_id: str, *, plan):
        super().__init__(scope, construct_id)
        self.id: str | None = None
        lng = plan.local_network_gateway
        if lng is None:
            return
        bgp = None
        if lng.bgp_asn is not None:
            bgp = LocalNetworkGatewayBgpSettings(asn=lng.bgp_asn, bgp_peering_address=lng.bgp_peering_address)
        gateway = LocalNetworkGateway(
            self,
            tf_id(lng.name),
            name=lng.name,
            location=plan.location,
            resource_group_name=lng.resource_group,
            gateway_address=lng.public_ip,
            address_space=prefixes(lng.prefixes),
            bgp_settings=bgp,
        )
        gateway.override_logical_id(tf_id(lng.name))
        import_if_adopted(gateway, plan, "azurerm_local_network_gateway", lng.name, lng.resource_group)
        self.id = gateway.id
