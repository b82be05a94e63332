"""Site-to-site and VNet-to-VNet connections, peerings, and their shared-key variables."""

from __future__ import annotations

from cdktf import TerraformVariable
from cdktf_cdktf_provider_azurerm.virtual_network_gateway_connection import VirtualNetworkGatewayConnection
from cdktf_cdktf_provider_azurerm.virtual_network_peering import VirtualNetworkPeering
from constructs import Construct

from .ids import tf_id


class Connections(Construct):
    """Only the connections the resolved plan marks active exist (`when: after-failover`
    ones appear once a subnet behind them failed over). Every VPN connection has a
    sensitive variable for its shared key whatever the state, so flipping the state
    changes no variable; no key value is ever written."""

    def __init__(self, scope: Construct, construct_id: str, *, plan, networks, gateways, local_gateway):
        super().__init__(scope, construct_id)
        for conn in sorted(plan.connections, key=lambda c: c.name):
            key = None
            if conn.shared_key_variable is not None:
                key = TerraformVariable(
                    self,
                    conn.shared_key_variable,
                    type="string",
                    sensitive=True,
                    nullable=False,
                    description=f"IPsec shared key of the connection '{conn.name}' (never stored in the plan or the output)",
                )
                key.override_logical_id(conn.shared_key_variable)
            if not conn.active:
                continue
            for leg in sorted(conn.legs, key=lambda l: l.name):
                logical = tf_id(leg.name)
                if conn.type == "peering":
                    # the spoke leg uses the hub's gateway: Azure refuses it until the gateway
                    # exists (RemoteVnetHasNoGateways), and nothing else orders them
                    remote = [gateways.gateway[leg.remote_gateway]] if leg.remote_gateway else None
                    peering = VirtualNetworkPeering(
                        self,
                        logical,
                        name=leg.name,
                        resource_group_name=networks.resource_group[leg.from_network],
                        virtual_network_name=networks.vnet_name[leg.from_network],
                        remote_virtual_network_id=networks.id[leg.to_network],
                        allow_virtual_network_access=True,
                        allow_gateway_transit=leg.offers_gateway,
                        use_remote_gateways=leg.remote_gateway is not None,
                        depends_on=remote,
                    )
                    peering.override_logical_id(logical)
                    continue
                common = dict(
                    name=leg.name,
                    location=networks.location[leg.from_network],
                    resource_group_name=plan.resource_group,
                    virtual_network_gateway_id=gateways.gateway_id[leg.from_network],
                    shared_key=key.string_value,
                    enable_bgp=conn.bgp,
                )
                if conn.type == "site-to-site":
                    made = VirtualNetworkGatewayConnection(
                        self, logical, type="IPsec", local_network_gateway_id=local_gateway.id, **common
                    )
                else:
                    made = VirtualNetworkGatewayConnection(
                        self,
                        logical,
                        type="Vnet2Vnet",
                        peer_virtual_network_gateway_id=gateways.gateway_id[leg.to_network],
                        **common,
                    )
                made.override_logical_id(logical)
