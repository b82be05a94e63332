"""Virtual networks and their subnets: managed ones created, `existing` ones referenced."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.data_azurerm_virtual_network import DataAzurermVirtualNetwork
from cdktf_cdktf_provider_azurerm.subnet import Subnet
from cdktf_cdktf_provider_azurerm.virtual_network import VirtualNetwork
from constructs import Construct

from .ids import prefixes, tf_id


class Networks(Construct):
    """Every Azure network of the plan.

    A network marked `existing` is read through a data source and never created or
    destroyed; its listed subnets are taken as existing too. What the plan adds inside
    it (GatewaySubnet, gateway, peering legs) is managed by the other constructs.
    Exposes, per network name: `id`, `location`, `resource_group`, `name` (tokens or
    strings), and `subnet_id[(network, subnet)]` for managed subnets.
    """

    def __init__(self, scope: Construct, construct_id: str, *, plan):
        super().__init__(scope, construct_id)
        self.id: dict[str, str] = {}
        self.location: dict[str, str] = {}
        self.resource_group: dict[str, str] = {}
        self.vnet_name: dict[str, str] = {}
        self.subnet_id: dict[tuple[str, str], str] = {}
        for net in sorted(plan.networks, key=lambda n: n.name):
            logical = tf_id(net.name)
            self.resource_group[net.name] = net.resource_group
            if net.existing:
                found = DataAzurermVirtualNetwork(self, logical, name=net.name, resource_group_name=net.resource_group)
                found.override_logical_id(logical)
                self.id[net.name] = found.id
                self.location[net.name] = found.location
                self.vnet_name[net.name] = net.name
                continue
            vnet = VirtualNetwork(
                self,
                logical,
                name=net.name,
                location=plan.location,
                resource_group_name=net.resource_group,
                address_space=prefixes(net.address_space),
            )
            vnet.override_logical_id(logical)
            self.id[net.name] = vnet.id
            self.location[net.name] = vnet.location
            self.vnet_name[net.name] = vnet.name
            for sub in sorted(net.subnets, key=lambda s: s.name):
                sub_id = tf_id(net.name, sub.name)
                subnet = Subnet(
                    self,
                    sub_id,
                    name=sub.name,
                    resource_group_name=net.resource_group,
                    virtual_network_name=vnet.name,
                    address_prefixes=[sub.prefix],
                )
                subnet.override_logical_id(sub_id)
                self.subnet_id[(net.name, sub.name)] = subnet.id
