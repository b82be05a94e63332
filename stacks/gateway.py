"""GatewaySubnets, Standard static public IPs and route-based VPN gateways."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.public_ip import PublicIp
from cdktf_cdktf_provider_azurerm.subnet import Subnet
from cdktf_cdktf_provider_azurerm.virtual_network_gateway import (
    VirtualNetworkGateway,
    VirtualNetworkGatewayBgpSettings,
    VirtualNetworkGatewayIpConfiguration,
)
from constructs import Construct

from .ids import tf_id

# Azure requires the gateway's subnet to be named exactly so
# (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings#gwsub).
GATEWAY_SUBNET = "GatewaySubnet"


class Gateways(Construct):
    """The GatewaySubnet of every network with a gateway (also inside `existing` networks),
    and the gateway with its public IP while the resolved plan says it is active.
    `gateway[network]` and `gateway_id[network]` are set for active gateways."""

    def __init__(self, scope: Construct, construct_id: str, *, plan, networks):
        super().__init__(scope, construct_id)
        self.gateway: dict[str, VirtualNetworkGateway] = {}
        self.gateway_id: dict[str, str] = {}
        for net in sorted(plan.networks, key=lambda n: n.name):
            gw = net.gateway
            if gw is None:
                continue
            subnet_logical = tf_id(net.name, GATEWAY_SUBNET)
            subnet = Subnet(
                self,
                subnet_logical,
                name=GATEWAY_SUBNET,
                resource_group_name=net.resource_group,
                virtual_network_name=networks.vnet_name[net.name],
                address_prefixes=[gw.subnet_prefix],
            )
            subnet.override_logical_id(subnet_logical)
            if not gw.active:
                continue
            # VPN gateways need a Standard, static public IP (Basic IPs are retired for them):
            # https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings
            pip = PublicIp(
                self,
                tf_id(gw.public_ip_name),
                name=gw.public_ip_name,
                location=networks.location[net.name],
                resource_group_name=net.resource_group,
                sku="Standard",
                allocation_method="Static",
                zones=list(gw.public_ip_zones) or None,
            )
            pip.override_logical_id(tf_id(gw.public_ip_name))
            bgp = VirtualNetworkGatewayBgpSettings(asn=gw.bgp_asn) if gw.bgp_asn is not None else None
            gateway = VirtualNetworkGateway(
                self,
                tf_id(gw.name),
                name=gw.name,
                location=networks.location[net.name],
                resource_group_name=net.resource_group,
                type="Vpn",
                vpn_type="RouteBased",
                sku=gw.sku,
                active_active=False,
                enable_bgp=gw.bgp_asn is not None,
                bgp_settings=bgp,
                ip_configuration=[
                    VirtualNetworkGatewayIpConfiguration(
                        name="vnetGatewayConfig",
                        public_ip_address_id=pip.id,
                        private_ip_address_allocation="Dynamic",
                        subnet_id=subnet.id,
                    )
                ],
            )
            gateway.override_logical_id(tf_id(gw.name))
            self.gateway[net.name] = gateway
            self.gateway_id[net.name] = gateway.id
